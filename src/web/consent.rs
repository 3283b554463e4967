//! Consent (EVENTS.md §4): Google Consent Mode's `analytics_storage`, Shopify's customer privacy
//! API, `navigator.globalPrivacyControl` and `shopperIntent.consent()`. The most restrictive
//! signal wins. Without consent (when the config requires it) nothing is written: scoring stays
//! in memory for the page. A refusal the visitor made deletes the stored profile at once.

use super::params::read;
use crate::core::{Error, Params, Value};
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// One source's say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Say {
    /// Storage granted.
    pub granted: bool,
    /// The visitor's own choice, not a default: a refusal deletes what was stored.
    pub chosen: bool,
}

/// The consent signals seen on this page.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Consent {
    require: bool,
    /// `navigator.globalPrivacyControl` (when the config honours it).
    pub gpc: bool,
    /// Google Consent Mode: the last `consent default|update` command.
    pub google: Option<Say>,
    /// Shopify customer privacy.
    pub shopify: Option<Say>,
    /// `shopperIntent.consent()`.
    pub api: Option<bool>,
}

impl Consent {
    /// No signal yet; `require` is the config's `require_consent`.
    pub fn new(require: bool) -> Consent {
        Consent {
            require,
            ..Consent::default()
        }
    }

    fn says(&self) -> [Option<bool>; 3] {
        [
            self.google.map(|s| s.granted),
            self.shopify.map(|s| s.granted),
            self.api,
        ]
    }

    /// Storing the profile is allowed: nothing refuses it, and something grants it when required.
    pub fn allowed(&self) -> bool {
        let says = self.says();
        !self.gpc && !says.contains(&Some(false)) && (!self.require || says.contains(&Some(true)))
    }

    /// The visitor refused storage (not merely a default): what was stored must go.
    pub fn refused(&self) -> bool {
        let chose_no = |s: Option<Say>| s.is_some_and(|s| s.chosen && !s.granted);
        self.gpc || chose_no(self.google) || chose_no(self.shopify) || self.api == Some(false)
    }
}

/// `analytics_storage` of a `gtag('consent', 'default' | 'update', params)` command.
pub(crate) fn google(command: &str, params: &JsValue) -> Option<Say> {
    let chosen = match command {
        "default" => false,
        "update" => true,
        _ => return None,
    };
    match params.get("analytics_storage")?.value() {
        Value::Text(v) if v == "granted" => Some(Say {
            granted: true,
            chosen,
        }),
        Value::Text(v) if v == "denied" => Some(Say {
            granted: false,
            chosen,
        }),
        _ => None,
    }
}

/// `navigator.globalPrivacyControl === true`.
pub(crate) fn global_privacy_control() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    Reflect::get(&window.navigator(), &"globalPrivacyControl".into())
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// `window.Shopify.customerPrivacy.analyticsProcessingAllowed()`, when the API is loaded. It
/// mixes region defaults with the visitor's choice, so it never counts as a refusal by itself.
pub(crate) fn shopify_now() -> Option<Say> {
    let window: JsValue = web_sys::window()?.into();
    let privacy = read(&read(&window, "Shopify")?, "customerPrivacy")?;
    let allowed = Reflect::get(&privacy, &"analyticsProcessingAllowed".into()).ok()?;
    let granted = allowed
        .dyn_ref::<Function>()?
        .call0(&privacy)
        .ok()?
        .as_bool()?;
    Some(Say {
        granted,
        chosen: false,
    })
}

/// Shopify loads its customer privacy API late; until it has answered, look again now and then
/// (shortly after start, and on page activity through [`recheck_shopify`]).
pub(crate) fn watch_shopify(gen: u32) {
    let on_shopify = web_sys::window()
        .and_then(|w| read(&JsValue::from(w), "Shopify"))
        .is_some();
    if !on_shopify {
        return;
    }
    for delay in [500, 2_000, 6_000] {
        gloo_timers::callback::Timeout::new(delay, move || {
            if super::current(gen) {
                recheck_shopify();
            }
        })
        .forget();
    }
}

/// Asks Shopify's API again when it has not answered yet.
pub(crate) fn recheck_shopify() {
    let waiting = super::with(|s| s.runtime.shopify && s.consent.shopify.is_none());
    if waiting != Some(true) {
        return;
    }
    if let Some(say) = shopify_now() {
        let now = super::now_ms();
        super::act(|s, out| {
            s.consent_changed(
                |c| {
                    c.shopify.get_or_insert(say);
                    say.granted
                },
                now,
                out,
            )
        });
    }
}

/// The `detail` of Shopify's `visitorConsentCollected` event: the visitor chose.
pub(crate) fn shopify_collected(detail: &JsValue) -> Option<Say> {
    match read(detail, "analyticsAllowed")?.value() {
        Value::Bool(granted) => Some(Say {
            granted,
            chosen: true,
        }),
        _ => None,
    }
}

/// `consent({analytics})`: the store's own consent banner.
pub(crate) fn read_choice(choice: JsValue) -> Result<bool, Error> {
    let f = crate::core::config::Fields::open(choice, "", Some(&["analytics"]))
        .map_err(|e| e.in_argument_of("consent"))?;
    f.flag("analytics")
        .map_err(|e| e.in_argument_of("consent"))?
        .ok_or_else(|| {
            crate::core::Error::config(
                "analytics",
                "is missing; pass {analytics: true} or {analytics: false}",
            )
            .in_argument_of("consent")
        })
}
