//! Shared helpers of the browser tests (`tests/web_*.rs`): start the real scorer with the real
//! loader helpers, run bits of page JavaScript, read `state()` and `localStorage`.
#![allow(dead_code)]

use js_sys::{Function, Reflect};
use shopper_intent::web;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/web/loader.js")]
extern "C" {
    /// `{watchDataLayer, watchHistory}`, exactly as the loader passes them.
    fn shims() -> JsValue;
}

/// Runs `body` as the body of a page function and returns its result.
pub fn js(body: &str) -> JsValue {
    Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .expect("test JavaScript runs")
}

/// Parses JSON into a JS value.
pub fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("test JSON parses")
}

/// A clean page: no data layer, empty storage, the real console and storage methods.
pub fn clean_page() {
    js(r#"
        delete window.dataLayer;
        delete window.Shopify;
        if (window.__realConsoleWarn) console.warn = window.__realConsoleWarn;
        window.__realConsoleWarn = console.warn;
        window.__warnings = [];
        console.warn = function (m) { window.__warnings.push(String(m)); };
        if (window.__realSetItem) Storage.prototype.setItem = window.__realSetItem;
        window.__realSetItem = Storage.prototype.setItem;
        if (window.__localStorage) Object.defineProperty(window, 'localStorage', window.__localStorage);
        delete window.__localStorage;
        localStorage.clear();
        window.__events = [];
        for (const t of ['score', 'stage', 'intent']) {
            if (!window['__on_' + t]) {
                window['__on_' + t] = (e) => window.__events.push([t, e.detail]);
                addEventListener('shopper-intent:' + t, window['__on_' + t]);
            }
        }
    "#);
}

/// Starts the scorer with `config` (JSON); panics on a config error.
pub fn start(config: &str) {
    web::start(shims(), json(config)).expect("the config is valid");
}

/// Starts the scorer, returning the config error's message.
pub fn start_error(config: &str) -> String {
    match web::start(shims(), json(config)) {
        Ok(()) => panic!("config {config} was accepted"),
        Err(e) => {
            let value: JsValue = e.into();
            Reflect::get(&value, &"message".into())
                .unwrap()
                .as_string()
                .unwrap()
        }
    }
}

/// A field of `state()`, by dotted path (`visit.pageViews`).
pub fn state(path: &str) -> JsValue {
    let mut v = web::state();
    for key in path.split('.') {
        v = Reflect::get(&v, &key.into()).unwrap();
    }
    v
}

pub fn state_f64(path: &str) -> f64 {
    state(path)
        .as_f64()
        .unwrap_or_else(|| panic!("state().{path} is a number"))
}

pub fn state_str(path: &str) -> String {
    state(path)
        .as_string()
        .unwrap_or_else(|| panic!("state().{path} is a string"))
}

/// `state().signals` as `rule` names.
pub fn signal_rules() -> Vec<String> {
    let signals: js_sys::Array = state("signals").unchecked_into();
    signals
        .iter()
        .map(|s| {
            Reflect::get(&s, &"rule".into())
                .unwrap()
                .as_string()
                .unwrap()
        })
        .collect()
}

/// Tracks an event with JSON params.
pub fn track(name: &str, params: &str) -> i32 {
    web::track(name.into(), json(params))
}

/// A GA4 `view_item` / `add_to_cart` … params object for item `id` at `price`.
pub fn item_params(id: &str, price: f64) -> String {
    format!(r#"{{"items":[{{"item_id":"{id}","item_name":"Item {id}","price":{price}}}]}}"#)
}

/// What `localStorage` holds under the default key.
pub fn stored() -> Option<String> {
    js("return localStorage.getItem('shopper-intent')").as_string()
}

/// The page is being left: the scorer saves now.
pub fn pagehide() {
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new("pagehide").unwrap())
        .unwrap();
}

/// The console.warn messages since `clean_page`.
pub fn warnings() -> Vec<String> {
    let list: js_sys::Array = js("return window.__warnings").unchecked_into();
    list.iter().map(|w| w.as_string().unwrap()).collect()
}

/// `shopper-intent:*` events since `clean_page`, as (type, detail).
pub fn events() -> Vec<(String, JsValue)> {
    let list: js_sys::Array = js("return window.__events").unchecked_into();
    list.iter()
        .map(|e| {
            let pair: js_sys::Array = e.unchecked_into();
            (pair.get(0).as_string().unwrap(), pair.get(1))
        })
        .collect()
}

/// The profile in a stored entry (`<clock>|<profile>`).
pub fn stored_profile(entry: &str) -> shopper_intent::core::Profile {
    let body = entry.split_once('|').map_or(entry, |(_, b)| b);
    shopper_intent::core::Profile::decode(body).expect("the stored profile decodes")
}

/// The clock part of a stored entry.
pub fn stored_clock(entry: &str) -> String {
    entry.split_once('|').map_or("", |(c, _)| c).to_string()
}
