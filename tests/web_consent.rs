//! Consent in headless Chromium: nothing is written until a signal allows it (scoring stays in
//! memory), Google Consent Mode, Shopify's customer privacy API, Global Privacy Control and
//! `consent()`; the most restrictive wins, and a refusal deletes what was stored at once.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use shopper_intent::core::Profile;
use shopper_intent::web;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn gtag(command: &str, kind: &str, analytics: &str) {
    js(&format!(
        "window.dataLayer = window.dataLayer || []; (function () {{ dataLayer.push(arguments); }})({command:?}, {kind:?}, {{ad_storage: 'denied', analytics_storage: {analytics:?}}});"
    ));
}

fn set_gpc(on: bool) {
    if on {
        js("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {configurable: true, get: () => true});");
    } else {
        js("delete Navigator.prototype.globalPrivacyControl;");
    }
}

#[wasm_bindgen_test]
fn without_consent_nothing_is_written_and_scoring_stays_in_memory() {
    clean_page();
    start("{}");
    assert_eq!(track("view_item", &item_params("A", 50.0)), 1);
    assert_eq!(track("add_to_cart", &item_params("A", 50.0)), 1);
    pagehide();
    assert_eq!(js("return localStorage.length").as_f64(), Some(0.0));
    assert_eq!(state_f64("score"), 19.0);
    assert_eq!(state_str("storage"), "memory");
}

#[wasm_bindgen_test]
fn consent_mode_grant_then_withdrawal_deletes_at_once() {
    clean_page();
    gtag("consent", "default", "denied");
    start("{}");
    track("view_item", &item_params("A", 50.0));
    pagehide();
    assert_eq!(stored(), None);
    // The visitor accepts in the cookie banner (the CMP sends an update).
    gtag("consent", "update", "granted");
    pagehide();
    let visitor = state_str("visitorId");
    assert_eq!(
        stored_profile(&stored().expect("saved")).visitor_id,
        visitor
    );
    assert_eq!(state_str("storage"), "local");
    // … and withdraws: deleted at once, not at the next save.
    gtag("consent", "update", "denied");
    assert_eq!(stored(), None);
    track("add_to_cart", &item_params("A", 50.0));
    pagehide();
    assert_eq!(stored(), None);
    assert_eq!(state_f64("score"), 19.0, "scoring carries on in memory");
}

#[wasm_bindgen_test]
fn consent_given_later_joins_the_stored_profile() {
    clean_page();
    let earlier = format!("abcd0123:7|{}", Profile::new("returning-visitor").encode());
    js(&format!(
        "localStorage.setItem('shopper-intent', {earlier:?});"
    ));
    gtag("consent", "default", "denied");
    start("{}");
    // Not read without consent.
    assert_ne!(state_str("visitorId"), "returning-visitor");
    track("view_item", &item_params("A", 50.0));
    gtag("consent", "update", "granted");
    // Read now, with this page's events re-applied on top.
    assert_eq!(state_str("visitorId"), "returning-visitor");
    assert_eq!(signal_rules(), ["site_visit", "product_view"]);
    pagehide();
    assert_eq!(
        stored_profile(&stored().unwrap()).visitor_id,
        "returning-visitor"
    );
}

#[wasm_bindgen_test]
fn the_consent_call_grants_and_refuses() {
    clean_page();
    start("{}");
    web::consent(json(r#"{"analytics": true}"#));
    pagehide();
    assert!(stored().is_some());
    web::consent(json(r#"{"analytics": false}"#));
    assert_eq!(stored(), None);
    // A malformed choice changes nothing and is logged once, naming the field.
    web::consent(json(r#"{"analytics": "yes"}"#));
    web::consent(json(r#"{"marketing": true}"#));
    assert_eq!(
        warnings(),
        ["shopper-intent: consent: field `analytics`: must be true or false, not a string"]
    );
    pagehide();
    assert_eq!(stored(), None);
}

#[wasm_bindgen_test]
fn the_most_restrictive_signal_wins() {
    clean_page();
    js(r#"window.Shopify = {customerPrivacy: {analyticsProcessingAllowed: () => true}};"#);
    start("{}");
    pagehide();
    assert!(stored().is_some(), "Shopify allows it");
    // Consent Mode says granted, Shopify's banner now says no: nothing stored, deleted.
    gtag("consent", "update", "granted");
    js(
        r#"document.dispatchEvent(new CustomEvent('visitorConsentCollected',
        {detail: {analyticsAllowed: false, marketingAllowed: false}}));"#,
    );
    assert_eq!(stored(), None);
    web::consent(json(r#"{"analytics": true}"#));
    track("view_item", &item_params("A", 1.0));
    pagehide();
    assert_eq!(stored(), None);
    assert_eq!(state_str("storage"), "memory");
}

#[wasm_bindgen_test]
fn global_privacy_control_refuses_storage_unless_the_config_ignores_it() {
    clean_page();
    let earlier = format!("abcd0123:7|{}", Profile::new("gpc-visitor").encode());
    js(&format!(
        "localStorage.setItem('shopper-intent', {earlier:?});"
    ));
    set_gpc(true);
    gtag("consent", "update", "granted");
    start("{}");
    assert_eq!(stored(), None, "what was stored is deleted");
    web::consent(json(r#"{"analytics": true}"#));
    pagehide();
    assert_eq!(stored(), None);

    clean_page();
    gtag("consent", "update", "granted");
    start(r#"{"runtime": {"global_privacy_control": false}}"#);
    pagehide();
    assert!(stored().is_some());
    set_gpc(false);
}

#[wasm_bindgen_test]
fn a_default_denial_is_not_a_refusal() {
    clean_page();
    let earlier = format!("abcd0123:7|{}", Profile::new("kept").encode());
    js(&format!(
        "localStorage.setItem('shopper-intent', {earlier:?});"
    ));
    gtag("consent", "default", "denied");
    // Even when the config does not require consent, a denial by default stops storage…
    start(r#"{"runtime": {"require_consent": false}}"#);
    track("view_item", &item_params("A", 1.0));
    pagehide();
    // … without deleting what the visitor agreed to on an earlier page.
    assert_eq!(stored(), Some(earlier));
    assert_ne!(state_str("visitorId"), "kept");
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_shopify_privacy_api_that_loads_late_is_asked_again() {
    clean_page();
    let earlier = format!("abcd0123:7|{}", Profile::new("shopify-visitor").encode());
    js(&format!(
        "localStorage.setItem('shopper-intent', {earlier:?});"
    ));
    js("window.Shopify = {shop: 'test.myshopify.com'};");
    start("{}");
    assert_ne!(
        state_str("visitorId"),
        "shopify-visitor",
        "not read before consent"
    );
    // Shopify.loadFeatures finishes: the visitor had consented on an earlier page.
    js("Shopify.customerPrivacy = {analyticsProcessingAllowed: () => true};");
    sleep(700).await;
    assert_eq!(state_str("visitorId"), "shopify-visitor");
    assert_eq!(state_str("storage"), "local");
    js("delete window.Shopify;");
}
