//! On-device memory: one `localStorage` entry per visitor, `<clock>|<Profile::encode()>`.
//!
//! The clock lists, per tab, the sequence number of that tab's last event included in the
//! profile (`a1b2c3d4:17,…`, at most 8 tabs). It lets a tab that finds another tab's newer
//! profile re-apply exactly its own events that are missing from it (see `Scorer::adopt`).
//!
//! Missing, disabled or full storage falls back to memory for the page; nothing here throws.

use super::dispatch::Outbox;
use super::log::Warn;
use std::string::String;
use std::vec::Vec;
use wasm_bindgen::JsCast;

/// Tabs remembered in the clock.
const MAX_TABS: usize = 8;

/// The `localStorage` area and the key of the profile.
pub(crate) struct Store {
    area: Option<web_sys::Storage>,
    key: String,
    /// A write was refused (quota): memory only from now on.
    full: bool,
}

impl Store {
    /// Opens `localStorage`; logs once and works from memory when it is missing or disabled.
    pub fn open(key: &str, out: &mut Outbox) -> Store {
        // `window.localStorage` throws when storage is disabled (e.g. cookies blocked).
        let area = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        if area.is_none() {
            out.warn(Warn::Storage, || {
                "localStorage is unavailable; this visitor is remembered for this page only".into()
            });
        }
        Store {
            area,
            key: key.into(),
            full: false,
        }
    }

    /// The key of the entry.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// True when `area` is the storage this entry lives in.
    pub fn is_area(&self, area: &web_sys::Storage) -> bool {
        self.area.as_ref().is_some_and(|a| a == area)
    }

    /// Writes can be attempted.
    pub fn writable(&self) -> bool {
        self.area.is_some() && !self.full
    }

    /// The stored entry, if any.
    pub fn read(&self) -> Option<String> {
        self.area.as_ref()?.get_item(&self.key).ok().flatten()
    }

    /// Stores `text`; false (logged once, memory from then on) when the browser refuses.
    pub fn write(&mut self, text: &str, out: &mut Outbox) -> bool {
        let Some(area) = self.area.as_ref().filter(|_| !self.full) else {
            return false;
        };
        if area.set_item(&self.key, text).is_ok() {
            return true;
        }
        self.full = true;
        out.warn(Warn::StorageFull, || {
            "localStorage refused the profile (full?); this visitor is remembered for this page only"
                .into()
        });
        false
    }

    /// Takes the events a Shopify custom pixel left in `<key>:inbox` (checkout events, which no
    /// storefront page sees; see `www/integrations/shopify-pixel.js`): a JSON array of
    /// `{name, time, params}`, removed once read.
    pub fn take_inbox(&self) -> Option<js_sys::Array> {
        let area = self.area.as_ref()?;
        let key = [self.key.as_str(), ":inbox"].concat();
        let text = area.get_item(&key).ok().flatten()?;
        let _ = area.remove_item(&key);
        let list = js_sys::JSON::parse(&text).ok()?;
        list.dyn_into::<js_sys::Array>().ok()
    }

    /// Deletes the entry.
    pub fn remove(&self) {
        if let Some(area) = &self.area {
            let _ = area.remove_item(&self.key);
        }
    }
}

/// Per tab, the last of its events included in a stored profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Clock(Vec<(String, u32)>);

impl Clock {
    /// The sequence number recorded for `tab`; 0 when none.
    pub fn get(&self, tab: &str) -> u32 {
        self.0.iter().find(|(t, _)| t == tab).map_or(0, |e| e.1)
    }

    /// Records `seq` for `tab`, forgetting the least recently written tab when full.
    pub fn set(&mut self, tab: &str, seq: u32) {
        self.0.retain(|(t, _)| t != tab);
        if self.0.len() >= MAX_TABS {
            self.0.remove(0);
        }
        self.0.push((tab.into(), seq));
    }
}

/// Splits an entry into its clock and the encoded profile. Unreadable clock parts are skipped.
pub(crate) fn split(entry: &str) -> (Clock, &str) {
    let Some((clock, body)) = entry.split_once('|') else {
        return (Clock::default(), entry);
    };
    let tabs = clock
        .split(',')
        .filter_map(|pair| {
            let (tab, seq) = pair.split_once(':')?;
            Some((tab.into(), seq.parse().ok()?))
        })
        .take(MAX_TABS)
        .collect();
    (Clock(tabs), body)
}

/// The entry for `clock` and an encoded profile.
pub(crate) fn join(clock: &Clock, body: &str) -> String {
    let mut text = String::with_capacity(body.len() + 16 * clock.0.len() + 1);
    for (i, (tab, seq)) in clock.0.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(tab);
        text.push(':');
        text.push_str(&seq.to_string());
    }
    text.push('|');
    text.push_str(body);
    text
}

/// Random lowercase hex of `bytes` bytes, from `crypto.getRandomValues` (Math.random without it).
pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = [0u8; 16];
    let buf = &mut buf[..bytes.min(16)];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(buf).is_ok());
    if !filled {
        for b in buf.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.iter()
        .flat_map(|b| {
            [
                HEX[(b >> 4) as usize] as char,
                HEX[(b & 15) as usize] as char,
            ]
        })
        .collect()
}

/// Starts the save timer (called with the scorer free); the timer fires once.
pub(crate) fn start_save_timer(delay_ms: u32) {
    let Some(gen) = super::with(|s| s.gen) else {
        return;
    };
    let timer = gloo_timers::callback::Timeout::new(delay_ms, move || {
        let now = super::now_ms();
        super::act_in(gen, |s, out| {
            s.save_timer_fired();
            s.save(now, out);
        });
    });
    // The replaced timer (if any) is dropped, and so cancelled, with the scorer free.
    drop(super::with(|s| s.save_timer.replace(timer)));
}

/// Saves on `pagehide` and when the page is hidden (the last moments a tab is sure to run), and
/// follows other tabs through the `storage` event.
pub(crate) fn listen(gen: u32) {
    let Some(window) = web_sys::window() else {
        return;
    };
    super::listen(&window, "pagehide", gen, |_| save_now());
    if let Some(document) = window.document() {
        let doc = document.clone();
        super::listen(&document, "visibilitychange", gen, move |_| {
            if doc.hidden() {
                save_now();
            }
        });
    }
    super::listen(&window, "storage", gen, |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        let (key, value) = (event.key(), event.new_value());
        let area = event.storage_area();
        let now = super::now_ms();
        super::act(|s, out| {
            let ours = area.as_ref().is_some_and(|a| s.store.is_area(a));
            // `key` is null when another tab cleared the whole storage.
            if ours && key.as_deref().is_none_or(|k| k == s.store.key()) {
                s.other_tab_wrote(value, now, out);
            }
        });
    });
}

fn save_now() {
    super::datalayer::recheck();
    let now = super::now_ms();
    super::act(|s, out| s.save(now, out));
}
