//! The module API in headless Chromium: `start` (the only call that throws), `track`,
//! `state()`'s shape, the change events (and callbacks that call back in), `identify`,
//! `reset`, and the clock (clamped, never backwards; a new visit after 30 minutes).
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use js_sys::{Array, Object, Reflect};
use shopper_intent::web;
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NO_CONSENT_NEEDED: &str = r#"{"runtime": {"require_consent": false}}"#;

#[wasm_bindgen_test]
fn only_start_throws_and_its_error_names_the_field() {
    clean_page();
    assert_eq!(
        start_error(r#"{"runtime": {"requireConsent": false}}"#),
        "config field `runtime.requireConsent`: unknown field; expected one of require_consent, \
         global_privacy_control, storage_key, save_delay_ms, data_layer, stage_to_data_layer, \
         shopify, spa, clicks, beacon_url"
    );
    assert_eq!(
        start_error(r#"{"stages": {"sql": 10, "mql": 20}}"#),
        "config field `stages`: thresholds must rise from warm to mql to sql"
    );
    assert_eq!(
        start_error(r#"[1, 2]"#),
        "config field `(the config)`: must be an object, not an array"
    );
    // Every later call takes anything without throwing.
    web::start(support_shims(), JsValue::UNDEFINED).expect("the defaults are valid");
    assert_eq!(web::track(JsValue::from(42), JsValue::UNDEFINED), -1);
    assert_eq!(web::track("view_item".into(), JsValue::from("nope")), -1);
    assert_eq!(web::identify(JsValue::NULL), -1);
    web::consent(JsValue::UNDEFINED);
    assert_eq!(web::track("page_view".into(), JsValue::UNDEFINED), 0);
}

fn support_shims() -> JsValue {
    js("return undefined")
}

fn keys(v: &JsValue) -> Vec<String> {
    Object::keys(v.unchecked_ref::<Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn state_has_the_documented_shape() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 149.0));
    let s = web::state();
    assert_eq!(
        keys(&s),
        [
            "score",
            "stage",
            "intent",
            "suppressed",
            "suppression",
            "value",
            "highValue",
            "visitorId",
            "visit",
            "signals",
            "experiments",
            "storage"
        ]
    );
    assert_eq!(
        keys(&state("visit")),
        [
            "id",
            "index",
            "startedAt",
            "pageViews",
            "landing",
            "channel"
        ]
    );
    assert_eq!(state_f64("score"), 4.0);
    assert_eq!(state_str("stage"), "cold");
    assert_eq!(state_str("intent"), "low");
    assert_eq!(state("suppressed").as_bool(), Some(false));
    assert_eq!(Array::from(&state("suppression")).length(), 0);
    assert_eq!(state_f64("value"), 149.0);
    assert_eq!(state("highValue").as_bool(), Some(false));
    let visitor = state_str("visitorId");
    assert_eq!(visitor.len(), 32);
    assert_eq!(state_str("visit.id"), format!("{visitor}-1"));
    let started = state_f64("visit.startedAt");
    assert!((js_sys::Date::now() - started).abs() < 60_000.0);
    assert_eq!(state_str("visit.channel"), "direct");
    let signal = Array::from(&state("signals")).get(1);
    assert_eq!(keys(&signal), ["rule", "points", "time"]);
    assert_eq!(
        Reflect::get(&signal, &"points".into()).unwrap().as_f64(),
        Some(2.0)
    );
    // Every visitor has an arm in the default holdout (sticky: a hash of the visitor id).
    let experiments = state("experiments");
    assert_eq!(keys(&experiments), ["shopper-intent-nudges"]);
    let arm = Reflect::get(&experiments, &"shopper-intent-nudges".into()).unwrap();
    assert_eq!(keys(&arm), ["variant", "variation"]);
}

#[wasm_bindgen_test]
fn track_reports_what_it_did() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    assert_eq!(track("view_item", &item_params("A", 1.0)), 1);
    assert_eq!(track("my_custom_event", "{}"), 0, "unknown: ignored");
    assert_eq!(track("add_to_cart", r#"{"items": []}"#), -1, "refused");
    assert_eq!(track("add_to_cart", r#"{"items": [{"price": 1}]}"#), -1);
    assert_eq!(
        warnings(),
        ["shopper-intent: add_to_cart: items is missing or empty; this event needs at least one item"]
    );
    assert_eq!(web::track("view_item".into(), JsValue::UNDEFINED), -1);
}

#[wasm_bindgen_test]
fn changes_are_dispatched_and_callbacks_may_call_back_in() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    js("window.__events = [];");
    // A listener that calls the API from inside the event (and throws afterwards).
    js(r#"
        window.__nested = null;
        window.__onStage = (e) => {
            window.__nested = [e.detail.stage, window.__api.track('view_item', {items: [{item_id: 'N'}]})];
            throw new Error('a buggy store listener');
        };
        addEventListener('shopper-intent:stage', window.__onStage);
    "#);
    Reflect::set(&web_sys::window().unwrap(), &"__api".into(), &api_object()).unwrap();
    track("add_to_cart", &item_params("A", 10.0));
    track("begin_checkout", "{}");
    let seen: Vec<String> = events()
        .iter()
        .map(|(t, d)| {
            let prev = Reflect::get(d, &"previous".into()).unwrap();
            let prev = prev
                .as_string()
                .unwrap_or_else(|| prev.as_f64().unwrap().to_string());
            format!("{t}:{prev}")
        })
        .collect();
    // The stage listener's nested track announces its own score change after the stage.
    assert_eq!(
        seen,
        [
            "score:2",
            "intent:low",
            "score:17",
            "stage:cold",
            "score:42"
        ]
    );
    // The nested track ran (after the borrow was released) and fired its product_view.
    assert_eq!(
        js("return JSON.stringify(window.__nested)")
            .as_string()
            .unwrap(),
        r#"["mql",1]"#
    );
    assert_eq!(state_f64("score"), 44.0);
    js("removeEventListener('shopper-intent:stage', window.__onStage);");
    // Nothing changes, nothing is dispatched.
    js("window.__events = [];");
    web::state();
    track("my_custom_event", "{}");
    assert!(events().is_empty());
}

/// A stand-in for `window.shopperIntent.track` (the loader is not running in these tests).
fn api_object() -> JsValue {
    let track = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue, JsValue) -> i32>::new(
        |name: JsValue, params: JsValue| web::track(name, params),
    );
    let o = Object::new();
    Reflect::set(&o, &"track".into(), &track.into_js_value()).unwrap();
    o.into()
}

#[wasm_bindgen_test]
fn identify_applies_server_facts_once() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    let report = r#"{"emailOpens30d": 3, "smsOptIn": true}"#;
    assert_eq!(web::identify(json(report)), 4);
    let score = state_f64("score");
    assert_eq!(score, 2.0 + 3.0 + 5.0);
    // Every page load reports the same facts: no more points.
    assert_eq!(web::identify(json(report)), 0);
    // The next page.
    pagehide();
    start(NO_CONSENT_NEEDED);
    assert_eq!(web::identify(json(report)), 0);
    assert_eq!(state_f64("score"), score);
    assert_eq!(web::identify(json(r#"{"unsubscribed": true}"#)), 1);
    assert_eq!(state("suppressed").as_bool(), Some(true));
    assert_eq!(
        Array::from(&state("suppression"))
            .get(0)
            .as_string()
            .as_deref(),
        Some("opted_out")
    );
    assert_eq!(web::identify(json(r#"{"email": "me@example.com"}"#)), -1);
    assert!(warnings()[0].starts_with("shopper-intent: identify: field `email`: unknown field"));
}

#[wasm_bindgen_test]
fn reset_forgets_the_visitor_everywhere() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("add_to_cart", &item_params("A", 300.0));
    pagehide();
    let visitor = state_str("visitorId");
    assert!(stored().is_some());
    web::reset();
    assert_eq!(stored(), None);
    assert_ne!(state_str("visitorId"), visitor);
    assert_eq!(state_f64("score"), 0.0);
    assert_eq!(state_f64("value"), 0.0);
    assert_eq!(state_str("stage"), "cold");
}

fn set_clock(offset_ms: f64) {
    js(&format!(
        "if (!window.__realNow) window.__realNow = Date.now; const real = window.__realNow; Date.now = () => real() + {offset_ms};"
    ));
}

#[wasm_bindgen_test]
fn the_clock_never_runs_backwards_and_30_minutes_start_a_new_visit() {
    clean_page();
    set_clock(0.0);
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 1.0));
    // The device clock jumps back an hour: events are clamped, not refused.
    set_clock(-3_600_000.0);
    assert_eq!(track("view_item", &item_params("B", 1.0)), 1);
    assert_eq!(state_f64("visit.index"), 1.0);
    // 31 minutes of inactivity: a new visit, and a return visit.
    set_clock(31.0 * 60_000.0);
    track("view_item", &item_params("C", 1.0));
    assert_eq!(state_f64("visit.index"), 2.0);
    assert!(signal_rules().contains(&"return_visit".to_string()));
    js("Date.now = window.__realNow;");
}

/// The config `shopper-intent calibrate` wrote for the REES46 sample (add_to_cart 14 points,
/// site_visit 5, SQL from 16.9) loads unchanged in the browser and is the model that scores.
#[wasm_bindgen_test]
fn a_calibrated_config_loads_unchanged_and_scores() {
    clean_page();
    let calibrated = include_str!("fixtures/calibrated-rees46.json");
    start(calibrated);
    assert_eq!(signal_rules(), ["site_visit"]);
    assert!(track("add_to_cart", &item_params("SKU-1", 49.0)) > 0);
    assert_eq!(signal_rules(), ["site_visit", "add_to_cart"]);
    // Under the default model this visitor has 2 + 15 = 17 points and is cold.
    assert!(
        (state_f64("score") - 19.0).abs() < 0.05,
        "score {}",
        state_f64("score")
    );
    assert_eq!(state_str("stage"), "sql");
}
