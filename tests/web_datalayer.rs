//! The GA4 data layer adapter in headless Chromium: replay, the push wrapper (chaining, return
//! values, GTM replacing it), gtag `Arguments`, hostile entries, and the stage fed back.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NO_CONSENT_NEEDED: &str = r#"{"runtime": {"require_consent": false}}"#;

#[wasm_bindgen_test]
fn replays_what_was_pushed_before_the_scorer_loaded() {
    clean_page();
    js(r#"
        window.dataLayer = [];
        function gtag() { dataLayer.push(arguments); }
        gtag('js', new Date());
        gtag('config', 'G-TEST');
        dataLayer.push({'gtm.start': Date.now(), event: 'gtm.js'});
        dataLayer.push({ecommerce: null});
        dataLayer.push({event: 'view_item', ecommerce: {currency: 'USD', value: 149,
            items: [{item_id: 'A', item_name: 'Coat', price: 149}]}});
        dataLayer.push({ecommerce: null});
        dataLayer.push({event: 'add_to_cart', ecommerce: {currency: 'USD', value: 149,
            items: [{item_id: 'A', price: '149.00', quantity: '1'}]}});
        gtag('event', 'begin_checkout', {value: 149, items: [{item_id: 'A', price: 149}]});
    "#);
    start(NO_CONSENT_NEEDED);
    // site_visit 2 + product_view 2 + add_to_cart 15 + begin_checkout 25.
    assert_eq!(state_f64("score"), 44.0);
    assert_eq!(state_str("stage"), "mql");
    assert_eq!(state_str("intent"), "high");
    assert_eq!(state_f64("value"), 149.0);
    assert_eq!(
        signal_rules(),
        [
            "site_visit",
            "product_view",
            "add_to_cart",
            "begin_checkout"
        ]
    );
}

#[wasm_bindgen_test]
fn later_pushes_are_read_and_push_still_returns_its_result() {
    clean_page();
    js("window.dataLayer = [{event: 'gtm.js'}];");
    start(NO_CONSENT_NEEDED);
    let before = state_f64("score");
    let length = js(r#"
        return dataLayer.push({event: 'view_item', ecommerce: {items: [{item_id: 'B', price: 30}]}});
    "#);
    // Array.prototype.push's result: the new length, and the entry is in the array.
    assert_eq!(length.as_f64(), Some(2.0));
    assert_eq!(
        js("return dataLayer[1].event").as_string().unwrap(),
        "view_item"
    );
    assert_eq!(state_f64("score"), before + 2.0);
    // Several entries in one push are all read.
    js(
        r#"dataLayer.push({event: 'add_to_wishlist', items: [{item_id: 'B'}]},
                        {event: 'add_to_cart', items: [{item_id: 'B', price: 30}]});"#,
    );
    assert_eq!(state_f64("score"), before + 2.0 + 8.0 + 15.0);
}

#[wasm_bindgen_test]
fn survives_gtm_replacing_push_with_or_without_chaining() {
    clean_page();
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    let base = state_f64("score");
    // GTM's way: keep the old push, call it, process, return.
    js(r#"
        window.__gtmSaw = 0;
        const old = dataLayer.push;
        dataLayer.push = function () {
            const r = old.apply(dataLayer, arguments);
            window.__gtmSaw += arguments.length;
            return r + 1000;
        };
    "#);
    let r = js("return dataLayer.push({event: 'view_item', items: [{item_id: 'C', price: 10}]});");
    assert_eq!(r.as_f64(), Some(1001.0), "GTM's result is returned");
    assert_eq!(js("return __gtmSaw").as_f64(), Some(1.0));
    assert_eq!(js("return dataLayer.length").as_f64(), Some(1.0));
    // Read once, not once per wrapper.
    assert_eq!(state_f64("score"), base + 2.0);

    // A replacement that does not chain to the old push: still seen.
    js(
        r#"dataLayer.push = function (x) { Array.prototype.push.call(dataLayer, x); return 'mine'; };"#,
    );
    let r =
        js("return dataLayer.push({event: 'add_to_cart', items: [{item_id: 'C', price: 10}]});");
    assert_eq!(r.as_string().as_deref(), Some("mine"));
    assert_eq!(state_f64("score"), base + 2.0 + 15.0);
    // An exception in the store's push still reaches the store, and the scorer carries on.
    js("dataLayer.push = function () { throw new Error('store bug'); };");
    let threw = js(r#"
        try { dataLayer.push({event: 'view_item', items: [{item_id: 'D'}]}); return false; }
        catch (e) { return e.message === 'store bug'; }
    "#);
    assert_eq!(threw.as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn a_new_data_layer_array_is_picked_up_on_page_activity() {
    clean_page();
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    let base = state_f64("score");
    js(r#"window.dataLayer = [{event: 'view_item', items: [{item_id: 'E', price: 5}]}];"#);
    // The next page activity (here a hidden page) looks again and replays the new array.
    js("window.dispatchEvent(new Event('pagehide'));");
    assert_eq!(state_f64("score"), base + 2.0);
    js(r#"dataLayer.push({event: 'add_to_cart', items: [{item_id: 'E', price: 5}]});"#);
    assert_eq!(state_f64("score"), base + 17.0);
}

#[wasm_bindgen_test]
fn hostile_entries_never_throw_and_are_refused_or_ignored() {
    clean_page();
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    let base = state_f64("score");
    let ok = js(r#"
        const big = 'x'.repeat(1 << 20);
        const cyclic = {event: 'view_item', items: [{item_id: 'F', price: 1}]};
        cyclic.self = cyclic; cyclic.items[0].parent = cyclic;
        const many = {event: 'view_item', items: Array.from({length: 10000}, (_, i) => ({item_id: 'i' + i}))};
        const getter = {get event() { throw new Error('getter'); }};
        const proxy = new Proxy({}, {get() { throw new Error('proxy'); }, ownKeys() { throw new Error('keys'); }});
        const entries = [
            function () { this.set('x', 1); },       // GTM lets pages push functions
            ['event', 'view_item'],                    // an array, not Arguments: ignored like gtag does
            null, undefined, 42, 'view_item', Symbol('s'),
            {event: big}, {event: 'view_item', page_location: big, items: [{item_id: 'G'}]},
            {event: 'view_item', items: [{item_id: big}]},
            many, cyclic, getter, proxy,
            {event: 'view_item', items: 'not a list'},
            {event: 'view_item', ecommerce: {items: [{item_id: 'H', price: -5}]}},
            {event: 'gtm.click'}, {ecommerce: null}, {event: 'custom_thing', x: 1},
        ];
        for (const e of entries) dataLayer.push(e);
        (function () { dataLayer.push(arguments); })('event', big, {});
        (function () { dataLayer.push(arguments); })(big);
        (function () { dataLayer.push(arguments); })();
        return true;
    "#);
    assert_eq!(ok.as_bool(), Some(true));
    // Only the cyclic entry was a valid view_item (the others were refused or ignored).
    assert_eq!(state_f64("score"), base + 2.0);
    let warned = warnings();
    assert_eq!(warned.len(), 1, "one warning for the kind, got {warned:?}");
    assert!(
        warned[0].starts_with("shopper-intent: view_item: "),
        "{}",
        warned[0]
    );
    // And the scorer still works.
    js(r#"dataLayer.push({event: 'add_to_cart', items: [{item_id: 'F', price: 1}]});"#);
    assert_eq!(state_f64("score"), base + 17.0);
}

#[wasm_bindgen_test]
fn stage_changes_are_pushed_back_and_not_read_again() {
    clean_page();
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    js(r#"
        dataLayer.push({event: 'add_to_cart', items: [{item_id: 'J', price: 20}]});
        dataLayer.push({event: 'begin_checkout', items: [{item_id: 'J', price: 20}]});
    "#);
    let pushed = js(r#"return JSON.stringify(dataLayer.filter(e => e.event === 'intent_stage'))"#)
        .as_string()
        .unwrap();
    // cold → warm (2 + 15 = 17? no: 17 is cold) … 17 + 25 = 42: mql.
    assert_eq!(
        pushed,
        r#"[{"event":"intent_stage","intent_stage":"mql","intent_score":42,"intent_tier":"high"}]"#
    );
    pagehide();
    let profile = stored_profile(&stored().expect("saved"));
    assert_eq!(profile.unknown_events, 0, "our own push was not read back");

    // Switched off in the config: nothing pushed.
    clean_page();
    js("window.dataLayer = [];");
    start(r#"{"runtime": {"require_consent": false, "stage_to_data_layer": false}}"#);
    js(
        r#"dataLayer.push({event: 'begin_checkout'}, {event: 'add_to_cart', items: [{item_id: 'K', price: 1}]});"#,
    );
    assert_eq!(state_str("stage"), "mql");
    assert_eq!(
        js("return dataLayer.filter(e => e.event === 'intent_stage').length").as_f64(),
        Some(0.0)
    );
}

#[wasm_bindgen_test]
fn a_renamed_data_layer_is_followed() {
    clean_page();
    js(r#"window.shopLayer = [{event: 'view_item', items: [{item_id: 'L', price: 3}]}];"#);
    start(r#"{"runtime": {"require_consent": false, "data_layer": "shopLayer"}}"#);
    assert_eq!(signal_rules(), ["site_visit", "product_view"]);
    js("delete window.shopLayer;");
}
