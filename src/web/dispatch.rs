//! What the scorer tells the page: `shopper-intent:<type>` `CustomEvent`s on `window` (which
//! `on(type, callback)` in the loader listens to), the stage pushed back to the data layer, and
//! the warnings. Everything is collected in an [`Outbox`] while the scorer is borrowed and sent
//! after, so a listener that calls back into the API finds it free.

use super::datalayer;
use super::log::{self, Warn};
use crate::core::actions::Trigger;
use crate::core::{Intent, Stage};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// A change of score, stage or intent tier.
pub(crate) struct Notice {
    /// `score`, `stage` or `intent`.
    pub kind: &'static str,
    /// The value before the change (a number for `score`, a name otherwise).
    pub previous: JsValue,
    /// The state after it.
    pub score: f64,
    pub stage: Stage,
    pub intent: Intent,
}

/// Effects to run once the scorer is no longer borrowed.
#[derive(Default)]
pub(crate) struct Outbox {
    pub notices: Vec<Notice>,
    pub warnings: Vec<(Warn, String)>,
    /// Push stage changes to this data layer (`None`: switched off).
    pub data_layer: Option<String>,
    /// Start the save timer with this delay, ms.
    pub save_in: Option<u32>,
    /// Our own data layer entries (exposures, conversions): `(data layer name, entry)`.
    pub pushes: Vec<(String, Object)>,
    /// The same entries for `navigator.sendBeacon`: `(url, entry)`.
    pub beacons: Vec<(String, Object)>,
    /// Hide the nudge and cancel every trigger (`reset()`, consent withdrawn).
    pub stop: bool,
    /// A new page: hide the nudge, cancel the dwell timer.
    pub page: bool,
    /// Decide on a nudge, woken by this.
    pub decide: Option<Trigger>,
}

impl Outbox {
    /// Queues a warning; the message is only built when this kind was not logged yet.
    pub fn warn(&mut self, kind: Warn, message: impl FnOnce() -> String) {
        if !log::warned(kind) && !self.warnings.iter().any(|w| w.0 == kind) {
            self.warnings.push((kind, message()));
        }
    }

    /// Runs the effects, in order.
    pub fn send(self) {
        for (kind, message) in &self.warnings {
            log::warn(*kind, message);
        }
        if let Some(delay) = self.save_in {
            super::storage::start_save_timer(delay);
        }
        for n in &self.notices {
            let detail = Object::new();
            set(&detail, "score", &n.score.into());
            set(&detail, "stage", &n.stage.name().into());
            set(&detail, "intent", &n.intent.name().into());
            set(&detail, "previous", &n.previous);
            emit(n.kind, &detail);
            if let (Some(name), "stage") = (&self.data_layer, n.kind) {
                let entry = Object::new();
                set(&entry, "event", &"intent_stage".into());
                set(&entry, "intent_stage", &n.stage.name().into());
                set(&entry, "intent_score", &n.score.into());
                set(&entry, "intent_tier", &n.intent.name().into());
                datalayer::push_own(name, &entry);
            }
        }
        for (name, entry) in &self.pushes {
            datalayer::push_own(name, entry);
        }
        for (url, entry) in &self.beacons {
            beacon(url, entry);
        }
        if self.stop {
            super::nudges::stop();
        }
        if self.page {
            super::nudges::page_changed();
        }
        match self.decide {
            Some(Trigger::Event) => super::nudges::queue(),
            Some(trigger) => super::nudges::run(trigger),
            None => {}
        }
    }
}

/// Sends `entry` as JSON with `navigator.sendBeacon` (fire and forget).
fn beacon(url: &str, entry: &Object) {
    let (Some(window), Ok(body)) = (web_sys::window(), js_sys::JSON::stringify(entry)) else {
        return;
    };
    let body: String = body.into();
    let _ = window
        .navigator()
        .send_beacon_with_opt_str(url, Some(body.as_str()));
}

/// Sets a property; on a plain object this cannot fail in a way worth reporting.
pub(crate) fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Dispatches `shopper-intent:<kind>` on `window` with `detail`. Listener errors are reported
/// by the browser, not thrown here.
pub(crate) fn emit(kind: &str, detail: &JsValue) {
    dispatch(kind, detail, false);
}

/// Dispatches `shopper-intent:<kind>`, cancelable; false when a listener called
/// `preventDefault()` (the store renders it itself).
pub(crate) fn dispatch(kind: &str, detail: &JsValue, cancelable: bool) -> bool {
    let Some(window) = web_sys::window() else {
        return true;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    init.set_cancelable(cancelable);
    let name = ["shopper-intent:", kind].concat();
    match web_sys::CustomEvent::new_with_event_init_dict(&name, &init) {
        Ok(event) => window.dispatch_event(event.unchecked_ref()).unwrap_or(true),
        Err(_) => true,
    }
}
