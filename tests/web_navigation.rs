//! Pages in headless Chromium: the page-load view with its landing and channel, SPA
//! navigations (pushState, replaceState, popstate), back-forward restores, the de-duplication
//! against GA4 and Shopify page views, `data-intent` clicks, and Shopify's storefront events.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NO_CONSENT_NEEDED: &str = r#"{"runtime": {"require_consent": false}}"#;

/// Moves the page to `url` without telling anyone (the unwrapped prototype method).
fn silently_go(url: &str) {
    js(&format!(
        "History.prototype.pushState.call(history, null, '', {url:?});"
    ));
}

fn page_views() -> f64 {
    state_f64("visit.pageViews")
}

#[wasm_bindgen_test]
fn the_page_load_is_one_view_with_its_landing_and_channel() {
    clean_page();
    silently_go("/products/coat?utm_medium=email&utm_source=klaviyo&email=a%40b.c");
    // The store's own GA4 page_view for the same page, already in the data layer.
    js(
        r#"window.dataLayer = [{event: 'page_view', page_location: location.href, page_title: 'Coat'}];"#,
    );
    start(NO_CONSENT_NEEDED);
    assert_eq!(page_views(), 1.0);
    assert_eq!(
        state_str("visit.landing"),
        "/products/coat",
        "no query kept"
    );
    assert_eq!(state_str("visit.channel"), "email");
    assert_eq!(state_f64("visit.index"), 1.0);
    // A product view in a visit from email: the email click-through signal.
    track("view_item", &item_params("coat", 250.0));
    assert_eq!(
        signal_rules(),
        ["site_visit", "product_view", "email_click_through"]
    );
    silently_go("/");
}

#[wasm_bindgen_test]
fn spa_navigations_count_once_each() {
    clean_page();
    silently_go("/");
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    assert_eq!(page_views(), 1.0);

    js("history.pushState({}, '', '/policies/shipping-policy');");
    assert_eq!(page_views(), 2.0);
    // The SPA's own GA4 page_view for the same page (gtag fills page_location itself): not again.
    js("(function () { dataLayer.push(arguments); })('event', 'page_view');");
    js("dataLayer.push({event: 'page_view', page_location: location.origin + location.pathname});");
    // replaceState to the same path (routers do this to store state), a hash change: not views.
    js("history.replaceState({s: 1}, '', location.pathname + '?sort=price');");
    js("history.pushState({}, '', location.pathname + '#returns');");
    assert_eq!(page_views(), 2.0);

    js("history.replaceState({}, '', '/policies/refund-policy');");
    assert_eq!(page_views(), 3.0);
    // Shipping and returns pages in one visit: high intent (the page types came from the URL).
    assert_eq!(state_str("intent"), "high");

    // Back button: the URL changes, then popstate.
    silently_go("/collections/all");
    js("window.dispatchEvent(new PopStateEvent('popstate', {state: null}));");
    assert_eq!(page_views(), 4.0);

    // A back-forward cache restore counts even on the same path; a plain pageshow does not.
    js("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: false}));");
    assert_eq!(page_views(), 4.0);
    js("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}));");
    assert_eq!(page_views(), 5.0);
    silently_go("/");
}

#[wasm_bindgen_test]
fn spa_hooks_can_be_switched_off() {
    clean_page();
    silently_go("/");
    start(r#"{"runtime": {"require_consent": false, "spa": false}}"#);
    js("history.pushState({}, '', '/cart');");
    assert_eq!(page_views(), 1.0);
    silently_go("/");
}

#[wasm_bindgen_test]
fn data_intent_clicks_become_events() {
    clean_page();
    silently_go("/");
    start(NO_CONSENT_NEEDED);
    js(r##"
        document.body.insertAdjacentHTML('beforeend', `<div id="di">
          <button id="sg" data-intent="size_guide">Size guide</button>
          <a id="wl" href="#" data-intent="wishlist" data-intent-item="SKU-1" data-intent-price="40"><span id="heart">♥</span></a>
          <button id="junk" data-intent="no_such_event">?</button>
          <button id="bad" data-intent="wishlist">no item</button>
        </div>`);
        // A store handler that stops the click from bubbling: the capture listener still sees it.
        document.getElementById('sg').addEventListener('click', (e) => e.stopPropagation());
        document.getElementById('wl').addEventListener('click', (e) => e.preventDefault());
    "##);
    js("document.getElementById('sg').click();");
    assert_eq!(
        page_views(),
        2.0,
        "a size-guide view counts as a page of that type"
    );
    assert_eq!(state_str("intent"), "mid");
    js("document.getElementById('heart').click();");
    assert_eq!(signal_rules().last().unwrap(), "wishlist_add");
    assert_eq!(state_f64("value"), 0.0, "a wishlist add is not a cart");
    js("document.getElementById('junk').click(); document.getElementById('bad').click();");
    assert_eq!(signal_rules().len(), 2);
    assert!(warnings()[0].contains("add_to_wishlist: items is missing"));
    js("document.getElementById('di').remove();");
}

/// Dispatches a Shopify storefront event with its payload on the event object.
fn shopify(name: &str, payload: &str) {
    js(&format!(
        "const e = new Event({name:?}, {{bubbles: true}}); Object.assign(e, {payload}); document.body.dispatchEvent(e);"
    ));
}

#[wasm_bindgen_test]
fn shopify_storefront_events_become_ga4_events() {
    clean_page();
    silently_go("/");
    start(NO_CONSENT_NEEDED);
    let product = r#"{id: 'gid://shopify/Product/7', title: 'Wool overcoat'}"#;
    let variant =
        r#"{id: 'gid://shopify/ProductVariant/9', price: {amount: '280.00', currencyCode: 'USD'}}"#;
    // A card in a collection grid is not a product view.
    shopify(
        "shopify:product:view",
        &format!("{{context: 'collection', product: {product}, selectedVariant: null}}"),
    );
    assert_eq!(signal_rules(), ["site_visit"]);
    shopify(
        "shopify:product:view",
        &format!("{{context: 'page', product: {product}, selectedVariant: {variant}}}"),
    );
    assert_eq!(signal_rules(), ["site_visit", "product_view"]);
    assert_eq!(state_f64("value"), 280.0);
    assert_eq!(state("highValue").as_bool(), Some(true));
    // A theme's CustomEvent with the payload in `detail`.
    js(&format!(
        "document.dispatchEvent(new CustomEvent('shopify:product:select', {{detail: {{context: 'page', product: {product}, selectedVariant: {variant}}}}}));"
    ));
    assert_eq!(
        state_str("intent"),
        "high",
        "a variant switch is high intent"
    );
    shopify(
        "shopify:cart:lines-update",
        &format!("{{action: 'add', context: 'product', lines: [{{merchandise: {{id: 'gid://shopify/ProductVariant/9', price: {{amount: 280}}, product: {product}}}, quantity: 2}}]}}"),
    );
    assert_eq!(signal_rules().last().unwrap(), "add_to_cart");
    assert_eq!(state_f64("value"), 560.0);
    shopify(
        "shopify:cart:lines-update",
        "{action: 'remove', context: 'cart', lines: [{merchandise: {id: 'gid://shopify/ProductVariant/9', product: {id: 'gid://shopify/Product/7'}}, quantity: 1}]}",
    );
    assert_eq!(state_f64("value"), 280.0);
    // An update gives the new quantity, not a change: ignored.
    shopify(
        "shopify:cart:lines-update",
        "{action: 'update', context: 'cart', lines: [{id: 'line-1', quantity: 5}]}",
    );
    assert_eq!(state_f64("value"), 280.0);
    // shopify:page:view for the current page is the page view already counted.
    shopify("shopify:page:view", "{}");
    assert_eq!(page_views(), 1.0);
}

#[wasm_bindgen_test]
fn the_same_action_from_ga4_and_shopify_counts_once() {
    clean_page();
    silently_go("/");
    js("window.dataLayer = [];");
    start(NO_CONSENT_NEEDED);
    js("dataLayer.push({event: 'view_item', ecommerce: {items: [{item_id: 'SKU-7', price: 280}]}});");
    shopify(
        "shopify:product:view",
        "{context: 'page', product: {id: 'gid://shopify/Product/7', title: 'Coat'}, selectedVariant: null}",
    );
    assert_eq!(signal_rules(), ["site_visit", "product_view"]);
    // An add to cart, reported by both.
    shopify(
        "shopify:cart:lines-update",
        "{action: 'add', lines: [{merchandise: {id: '9', price: {amount: 280}, product: {id: '7'}}, quantity: 1}]}",
    );
    js("dataLayer.push({event: 'add_to_cart', ecommerce: {items: [{item_id: 'SKU-7', price: 280}]}});");
    assert_eq!(
        signal_rules(),
        ["site_visit", "product_view", "add_to_cart"]
    );
    // Shopify can be switched off.
    clean_page();
    start(r#"{"runtime": {"require_consent": false, "shopify": false}}"#);
    shopify(
        "shopify:product:view",
        "{context: 'page', product: {id: '7', title: 'Coat'}, selectedVariant: null}",
    );
    assert_eq!(signal_rules(), ["site_visit"]);
}
