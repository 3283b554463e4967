//! The GA4 data layer (EVENTS.md §1): the entries already in `window.dataLayer` are replayed,
//! then `push` is watched. The watching itself (chaining to the previous `push`, surviving GTM
//! replacing it) is the loader's `watchDataLayer`, since it needs `arguments`; this module reads
//! the entries: plain objects with an `event`, `{ecommerce: null}` clears (ignored), and gtag's
//! `Arguments` (`event` and `consent` commands; `js`, `config`, `set` are ignored).

use super::scorer::Source;
use crate::core::{Event, Params, Value};
use js_sys::{Array, Function, Reflect};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Set while we push to the data layer ourselves, so our own entries are not read back.
    static OWN_PUSH: Cell<bool> = const { Cell::new(false) };
}

/// The data layer array `window[name]`, created empty when absent; `None` if something else
/// (not an array) holds the name.
fn array(name: &str) -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str(name);
    let current = Reflect::get(&window, &key).ok()?;
    if Array::is_array(&current) {
        return Some(current);
    }
    if !current.is_undefined() {
        return None;
    }
    let fresh: JsValue = Array::new().into();
    Reflect::set(&window, &key, &fresh).ok()?;
    Some(fresh)
}

/// Replays and watches the data layer named in the config (called by `start`, and again when
/// the page has swapped in a new array).
pub(crate) fn watch(gen: u32) {
    let Some((name, shims)) = super::with(|s| (s.runtime.data_layer.clone(), s.shims.clone()))
    else {
        return;
    };
    let Some(layer) = array(&name) else {
        return;
    };
    let Some(watcher) = Reflect::get(&shims, &"watchDataLayer".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return;
    };
    super::with(|s| s.data_layer = layer.clone());
    let ingest = Closure::<dyn FnMut(JsValue, bool)>::new(move |entry: JsValue, arguments| {
        if super::current(gen) && !OWN_PUSH.with(Cell::get) {
            read(&entry, arguments);
        }
    });
    // The loader's watcher catches everything; a throw here would only skip the watching.
    let _ = watcher.call2(&JsValue::NULL, &layer, &ingest.into_js_value());
}

/// A cheap check on page activity: when the page replaced the data layer array (`dataLayer =
/// []`), the new one is replayed and watched (and a late Shopify consent API is asked again).
pub(crate) fn recheck() {
    super::consent::recheck_shopify();
    let Some((gen, name, watched)) =
        super::with(|s| (s.gen, s.runtime.data_layer.clone(), s.data_layer.clone()))
    else {
        return;
    };
    if watched.is_undefined() {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let current = Reflect::get(&window, &JsValue::from_str(&name)).unwrap_or_default();
    if current != watched && Array::is_array(&current) {
        watch(gen);
    }
}

/// Reads one entry.
fn read(entry: &JsValue, arguments: bool) {
    let now = super::now_ms();
    if arguments {
        // gtag('event', name, params) / gtag('consent', 'default' | 'update', params).
        let at = |i| Reflect::get_u32(entry, i).unwrap_or_default();
        let (Value::Text(command), Value::Text(what)) = (at(0).value(), at(1).value()) else {
            return;
        };
        match command.as_str() {
            "event" => {
                let params = at(2);
                super::ingest(Event::decode(&what, now, &params), Source::DataLayer);
            }
            "consent" => {
                if let Some(say) = super::consent::google(&what, &at(2)) {
                    super::act(|s, out| {
                        s.consent_changed(
                            |c| {
                                c.google = Some(say);
                                say.granted
                            },
                            now,
                            out,
                        )
                    });
                }
            }
            _ => {}
        }
        return;
    }
    // GTM pushes plain objects; arrays and functions are GTM commands, not events.
    if !matches!(entry.value(), Value::Map) {
        return;
    }
    match entry.get("event").map(|e| e.value()) {
        Some(Value::Text(name)) if !name.starts_with("gtm.") => {
            super::ingest(Event::decode(&name, now, entry), Source::DataLayer);
        }
        _ => {}
    }
}

/// Pushes our own entry (the stage feedback) through the page's `push`, without reading it back.
pub(crate) fn push_own(name: &str, entry: &JsValue) {
    let Some(layer) = array(name) else {
        return;
    };
    let Some(push) = Reflect::get(&layer, &"push".into())
        .ok()
        .and_then(|p| p.dyn_into::<Function>().ok())
    else {
        return;
    };
    OWN_PUSH.with(|o| o.set(true));
    let _ = push.call1(&layer, entry);
    OWN_PUSH.with(|o| o.set(false));
}
