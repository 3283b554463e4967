//! Nudges wired into the runtime, in headless Chromium: a decision in the treatment arm is
//! dispatched (`shopper-intent:action`) and rendered unless a listener calls `preventDefault()`;
//! the control arm only logs the exposure; exposures go to the data layer once per visit and
//! conversions after a purchase; dwell timers fire; every timer stops on navigation, `reset()`
//! and consent withdrawal; opted-out visitors get nothing promotional; names stay text.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Reflect};
use shopper_intent::web::{self, nudges, render::NUDGE_ID};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EXPERIMENT: &str = "shopper-intent-nudges";

/// High-priority test rules, so the default rules (which wait for seconds of dwell) stay out.
const RULES: &str = r#"{
    "test_chat": {"kind": "chat", "priority": 1000, "promotional": true,
                  "message": "Questions about {product}?", "when": [{"viewed": ["product"]}]},
    "test_help": {"kind": "banner", "priority": 900, "message": "Free returns, always.",
                  "when": [{"viewed": ["product"]}]}
}"#;

const TIMED_RULES: &str = r#"{
    "test_dwell": {"priority": 1000, "message": "Still deciding?",
                   "when": [{"page_types": ["product"], "dwell_s": 0.3}]},
    "test_idle": {"trigger": "idle", "idle_s": 600, "message": "Still there?", "when": [{}]},
    "test_exit": {"trigger": "exit_intent", "message": "Before you go", "when": [{}]}
}"#;

/// A config with the holdout forced to `arm` (0 control, 1 treatment) and `rules`.
fn config(arm: u8, rules: &str, require_consent: bool) -> String {
    format!(
        r#"{{"runtime": {{"require_consent": {require_consent}}},
            "experiments": {{"{EXPERIMENT}": {{"force": {arm}}}}},
            "actions": {{"rules": {rules}}}}}"#
    )
}

/// A clean page that records `shopper-intent:action` details (and calls `preventDefault()`
/// when `window.__prevent` is set).
fn clean() {
    clean_page();
    js(r#"
        window.__actions = [];
        window.__prevent = false;
        if (!window.__onAction) {
            window.__onAction = (e) => {
                window.__actions.push(e.detail);
                if (window.__prevent) e.preventDefault();
            };
            addEventListener('shopper-intent:action', window.__onAction);
        }
    "#);
}

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn text(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

/// The `action` of each dispatched `shopper-intent:action`.
fn actions() -> Vec<String> {
    let list: Array = js("return window.__actions").into();
    list.iter().map(|d| text(&d, "action").unwrap()).collect()
}

fn last_action() -> JsValue {
    js("return window.__actions[window.__actions.length - 1]")
}

/// Our `experiment_*` entries in the data layer, as `event/experiment_id/variation_id`.
fn experiment_entries() -> Vec<String> {
    let layer: Array = js("return window.dataLayer || []").into();
    layer
        .iter()
        .filter(|e| text(e, "event").is_some_and(|n| n.starts_with("experiment_")))
        .map(|e| {
            [
                text(&e, "event").unwrap(),
                text(&e, "experiment_id").unwrap(),
                text(&e, "variation_id").unwrap(),
            ]
            .join("/")
        })
        .collect()
}

fn shown() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(NUDGE_ID)
}

/// Lets the decision queued by the events of this task run (it runs once, after them).
async fn settled() {
    JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
}

async fn view_product(name: &str) {
    let params =
        format!(r#"{{"items": [{{"item_id": "P-{name}", "item_name": "{name}", "price": 40}}]}}"#);
    assert_eq!(track("view_item", &params), 1);
    settled().await;
}

async fn page_view(path: &str) {
    let params = format!(r#"{{"page_location": "https://shop.example{path}"}}"#);
    assert!(track("page_view", &params) >= 0);
    settled().await;
}

#[wasm_bindgen_test]
async fn treatment_dispatches_the_action_and_renders_it() {
    clean();
    start(&config(1, RULES, false));
    view_product("Coat").await;
    assert_eq!(actions(), ["test_chat"]);
    let d = last_action();
    assert_eq!(text(&d, "kind").as_deref(), Some("chat"));
    assert_eq!(text(&d, "rule").as_deref(), Some("test_chat"));
    assert_eq!(text(&d, "experiment").as_deref(), Some(EXPERIMENT));
    assert_eq!(text(&d, "variant").as_deref(), Some("treatment"));
    assert_eq!(text(&d, "product").as_deref(), Some("Coat"));
    assert_eq!(
        text(&d, "message").as_deref(),
        Some("Questions about Coat?")
    );
    assert!(text(&d, "reason").is_some_and(|r| !r.is_empty()));
    let bubble = shown().expect("the built-in renderer shows it");
    assert_eq!(bubble.get_attribute("role").as_deref(), Some("dialog"));
    assert!(bubble
        .text_content()
        .is_some_and(|t| t.starts_with("Questions about Coat?")));
    // One nudge at a time: another event while it is shown changes nothing.
    view_product("Hat").await;
    assert_eq!(actions(), ["test_chat"]);
    assert_eq!(
        experiment_entries(),
        [format!("experiment_viewed/{EXPERIMENT}/1")]
    );
    let arm = field(&state("experiments"), EXPERIMENT);
    assert_eq!(text(&arm, "variant").as_deref(), Some("treatment"));
    assert_eq!(field(&arm, "variation").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn prevent_default_keeps_the_built_in_renderer_away() {
    clean();
    js("window.__prevent = true;");
    start(&config(1, RULES, false));
    view_product("Coat").await;
    assert_eq!(actions(), ["test_chat"], "dispatched");
    assert!(shown().is_none(), "the store rendered it: not us");
}

#[wasm_bindgen_test]
async fn the_control_arm_only_logs_the_exposure() {
    clean();
    start(&config(0, RULES, false));
    view_product("Coat").await;
    view_product("Hat").await;
    assert!(actions().is_empty(), "nothing dispatched");
    assert!(shown().is_none(), "nothing rendered");
    assert_eq!(
        experiment_entries(),
        [format!("experiment_viewed/{EXPERIMENT}/0")]
    );
    let arm = field(&state("experiments"), EXPERIMENT);
    assert_eq!(text(&arm, "variant").as_deref(), Some("control"));
}

#[wasm_bindgen_test]
async fn the_exposure_is_pushed_once_per_visit_and_closing_lets_the_next_one_come() {
    clean();
    start(&config(1, RULES, false));
    view_product("Coat").await;
    assert_eq!(actions(), ["test_chat"]);
    // The visitor closes the bubble: the next rule that holds comes at once, same experiment.
    let close = shown().unwrap().query_selector("button").unwrap().unwrap();
    js_sys::Reflect::get(&close, &"click".into())
        .map(|f| js_sys::Function::from(f).call0(&close))
        .unwrap()
        .unwrap();
    assert_eq!(actions(), ["test_chat", "test_help"]);
    assert_eq!(
        shown().unwrap().get_attribute("role").as_deref(),
        Some("status")
    );
    assert_eq!(
        experiment_entries(),
        [format!("experiment_viewed/{EXPERIMENT}/1")],
        "one exposure per visit and experiment"
    );
}

#[wasm_bindgen_test]
async fn a_purchase_after_an_exposure_pushes_the_conversion() {
    clean();
    start(&config(1, RULES, false));
    let purchase = r#"{"transaction_id": "T-1", "value": 99, "currency": "USD",
                      "items": [{"item_id": "P-Coat", "price": 99}]}"#;
    track("purchase", purchase);
    assert!(experiment_entries().is_empty(), "not exposed yet");
    view_product("Coat").await;
    track("purchase", &purchase.replace("T-1", "T-2"));
    assert_eq!(
        experiment_entries(),
        [
            format!("experiment_viewed/{EXPERIMENT}/1"),
            format!("experiment_conversion/{EXPERIMENT}/1"),
        ]
    );
    let value =
        js("return window.dataLayer.filter(e => e.event === 'experiment_conversion')[0].value");
    assert_eq!(value.as_f64(), Some(99.0));
    // Our own pushes are not read back as events.
    assert!(!signal_rules().iter().any(|r| r.starts_with("experiment")));
}

#[wasm_bindgen_test]
async fn a_dwell_rule_fires_when_its_timer_does() {
    clean();
    start(&config(1, TIMED_RULES, false));
    page_view("/products/coat").await;
    assert!(nudges::armed().0, "dwell timer armed");
    assert!(actions().is_empty());
    TimeoutFuture::new(600).await;
    assert_eq!(actions(), ["test_dwell"]);
    assert!(shown().is_some());
}

#[wasm_bindgen_test]
async fn navigation_hides_the_nudge_and_cancels_the_dwell_timer() {
    clean();
    start(&config(1, TIMED_RULES, false));
    assert_eq!(
        nudges::armed(),
        (false, true, true),
        "idle and exit intent watched"
    );
    page_view("/products/coat").await;
    assert!(nudges::armed().0);
    page_view("/pages/about").await;
    assert_eq!(nudges::armed(), (false, true, true), "dwell cancelled");
    TimeoutFuture::new(600).await;
    assert!(actions().is_empty(), "the old page's timer never fired");
    // A nudge on screen goes with its page.
    page_view("/products/coat").await;
    TimeoutFuture::new(600).await;
    assert_eq!(actions(), ["test_dwell"]);
    assert!(shown().is_some());
    page_view("/collections/all").await;
    assert!(shown().is_none());
}

#[wasm_bindgen_test]
async fn reset_cancels_every_timer_and_hides_the_nudge() {
    clean();
    start(&config(1, TIMED_RULES, false));
    page_view("/products/coat").await;
    assert_eq!(nudges::armed(), (true, true, true));
    web::reset();
    assert_eq!(nudges::armed(), (false, false, false));
    TimeoutFuture::new(600).await;
    assert!(actions().is_empty());
    // And a shown nudge goes too.
    clean();
    start(&config(1, RULES, false));
    view_product("Coat").await;
    assert!(shown().is_some());
    web::reset();
    assert!(shown().is_none());
}

#[wasm_bindgen_test]
async fn withdrawing_consent_cancels_every_timer_and_hides_the_nudge() {
    clean();
    start(&config(1, TIMED_RULES, true));
    web::consent(json(r#"{"analytics": true}"#));
    page_view("/products/coat").await;
    assert_eq!(nudges::armed(), (true, true, true));
    web::consent(json(r#"{"analytics": false}"#));
    assert_eq!(nudges::armed(), (false, false, false));
    TimeoutFuture::new(600).await;
    assert!(actions().is_empty());

    clean();
    start(&config(1, RULES, true));
    web::consent(json(r#"{"analytics": true}"#));
    view_product("Coat").await;
    assert!(shown().is_some());
    web::consent(json(r#"{"analytics": false}"#));
    assert!(shown().is_none());
}

#[wasm_bindgen_test]
async fn an_opted_out_visitor_gets_nothing_promotional() {
    clean();
    start(&config(1, RULES, false));
    assert!(web::identify(json(r#"{"unsubscribed": true}"#)) >= 0);
    assert_eq!(state("suppressed").as_bool(), Some(true));
    view_product("Coat").await;
    // The promotional chat is skipped; the non-promotional help is not.
    assert_eq!(actions(), ["test_help"]);
    assert!(
        !js("return window.__actions.some(a => a.message.includes('Coat'))")
            .as_bool()
            .unwrap()
    );
}

#[wasm_bindgen_test]
async fn a_product_name_from_the_data_layer_arrives_as_inert_text() {
    clean();
    js("window.__xss = false;");
    start(&config(1, RULES, false));
    js(
        r#"window.dataLayer.push({event: 'view_item', ecommerce: {items: [
        {item_id: 'X-1', item_name: '<img src=x onerror="window.__xss=true">', price: 20}]}});"#,
    );
    settled().await;
    let name = r#"<img src=x onerror="window.__xss=true">"#;
    let message = format!("Questions about {name}?");
    assert_eq!(actions(), ["test_chat"]);
    assert_eq!(text(&last_action(), "message"), Some(message.clone()));
    assert_eq!(text(&last_action(), "product").as_deref(), Some(name));
    let bubble = shown().expect("rendered");
    assert!(bubble.query_selector("img").unwrap().is_none());
    assert_eq!(
        bubble.query_selector("p").unwrap().unwrap().text_content(),
        Some(message)
    );
    TimeoutFuture::new(100).await;
    assert_eq!(js("return window.__xss").as_bool(), Some(false));
}

#[wasm_bindgen_test]
async fn exposures_and_conversions_also_go_to_the_beacon_url_when_configured() {
    clean();
    js(r#"
        window.__beacons = [];
        Object.defineProperty(navigator, 'sendBeacon', {configurable: true, writable: true,
            value: (url, body) => { window.__beacons.push([url, JSON.parse(body)]); return true; }});
    "#);
    let with_beacon = config(1, RULES, false).replacen(
        r#""require_consent": false"#,
        r#""require_consent": false, "beacon_url": "/collect""#,
        1,
    );
    start(&with_beacon);
    view_product("Coat").await;
    track(
        "purchase",
        r#"{"transaction_id": "T-9", "value": 40, "items": [{"item_id": "P-Coat", "price": 40}]}"#,
    );
    let sent = js(
        "return window.__beacons.map(([u, b]) => [u, b.event, b.experiment_id, b.variation_id].join(' '))",
    );
    let sent: Vec<String> = Array::from(&sent)
        .iter()
        .map(|s| s.as_string().unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            format!("/collect experiment_viewed {EXPERIMENT} 1"),
            format!("/collect experiment_conversion {EXPERIMENT} 1"),
        ]
    );
    // Without the option, nothing is sent.
    clean();
    js("window.__beacons = [];");
    start(&config(1, RULES, false));
    view_product("Coat").await;
    assert_eq!(js("return window.__beacons.length").as_f64(), Some(0.0));
    js("delete navigator.sendBeacon;");
}

#[wasm_bindgen_test]
async fn a_burst_of_events_is_decided_once_after_the_stores_call() {
    clean();
    start(&config(1, RULES, false));
    for name in ["Coat", "Hat", "Scarf"] {
        let params = format!(r#"{{"items": [{{"item_id": "P-{name}", "item_name": "{name}"}}]}}"#);
        assert_eq!(track("view_item", &params), 1);
        assert!(actions().is_empty(), "nothing is decided inside track()");
    }
    settled().await;
    assert_eq!(actions(), ["test_chat"], "one decision for the burst");
    assert_eq!(text(&last_action(), "product").as_deref(), Some("Scarf"));
}
