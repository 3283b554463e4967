//! On-device memory in headless Chromium: saved debounced and on pagehide (never per event),
//! bounded, read back on the next page; storage that is disabled, full, corrupt or from
//! another version; and two tabs sharing one visitor without lost updates.
#![cfg(target_arch = "wasm32")]

#[path = "support/web.rs"]
mod support;

use shopper_intent::core::{Event, EventKind, Item, Model, Profile};
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NO_CONSENT_NEEDED: &str = r#"{"runtime": {"require_consent": false}}"#;

fn count_writes() {
    js(r#"
        window.__writes = 0;
        const real = window.__realSetItem;
        Storage.prototype.setItem = function (k, v) { window.__writes++; return real.call(this, k, v); };
    "#);
}

fn writes() -> f64 {
    js("return window.__writes").as_f64().unwrap()
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
fn saved_on_pagehide_not_per_event_and_read_back_on_the_next_page() {
    clean_page();
    count_writes();
    start(NO_CONSENT_NEEDED);
    for i in 0..20 {
        track("view_item", &item_params(&format!("P{i}"), 10.0 + i as f64));
    }
    track("add_to_cart", &item_params("P3", 13.0));
    assert_eq!(writes(), 0.0, "nothing written per event");
    assert_eq!(stored(), None);
    pagehide();
    assert_eq!(writes(), 1.0);
    pagehide();
    assert_eq!(writes(), 1.0, "nothing changed, nothing written");
    let entry = stored().expect("saved");
    let visitor = state_str("visitorId");
    let score = state_f64("score");
    assert_eq!(stored_profile(&entry).visitor_id, visitor);

    // The next page of the same visit: same visitor and visit, one more page view.
    start(NO_CONSENT_NEEDED);
    assert_eq!(state_str("visitorId"), visitor);
    assert_eq!(state_f64("visit.index"), 1.0);
    assert_eq!(state_f64("visit.pageViews"), 2.0);
    assert_eq!(state_f64("score"), score);
    assert_eq!(state_str("storage"), "local");
}

#[wasm_bindgen_test]
async fn saved_once_after_the_delay() {
    clean_page();
    count_writes();
    start(r#"{"runtime": {"require_consent": false, "save_delay_ms": 30}}"#);
    track("view_item", &item_params("A", 1.0));
    track("view_item", &item_params("B", 1.0));
    assert_eq!(writes(), 0.0);
    sleep(80).await;
    assert_eq!(writes(), 1.0, "one write for the burst");
    assert!(stored().is_some());
    track("view_item", &item_params("C", 1.0));
    sleep(80).await;
    assert_eq!(writes(), 2.0);
}

#[wasm_bindgen_test]
fn the_entry_stays_under_8_kb_for_a_busy_visitor() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    // Names in a script of 3- and 4-byte characters: the bound is in bytes, not characters.
    let name = "漢字の長い商品名😀".repeat(12);
    for i in 0..300 {
        let params = format!(
            r#"{{"items":[{{"item_id":"SKU-{i}-{name}","item_name":"{name} {i}","item_category":"{name}","price":{i}}}],"coupon":"SAVE{i}"}}"#
        );
        for kind in [
            "view_item",
            "add_to_cart",
            "add_to_wishlist",
            "purchase",
            "begin_checkout",
        ] {
            track(kind, &params);
        }
    }
    pagehide();
    let entry = stored().expect("saved");
    console_log!("busy visitor's entry: {} bytes", entry.len());
    assert!(entry.len() <= 8 * 1024, "entry is {} bytes", entry.len());
    assert_eq!(stored_profile(&entry).visitor_id, state_str("visitorId"));
}

#[wasm_bindgen_test]
fn disabled_storage_falls_back_to_memory() {
    clean_page();
    js(r#"
        window.__localStorage = Object.getOwnPropertyDescriptor(window, 'localStorage');
        Object.defineProperty(window, 'localStorage', {configurable: true,
            get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});
    "#);
    start(NO_CONSENT_NEEDED);
    assert_eq!(track("view_item", &item_params("A", 5.0)), 1);
    pagehide();
    assert_eq!(state_str("storage"), "memory");
    assert_eq!(state_f64("score"), 4.0);
    assert_eq!(
        warnings(),
        ["shopper-intent: localStorage is unavailable; this visitor is remembered for this page only"]
    );
}

#[wasm_bindgen_test]
fn a_full_storage_falls_back_to_memory_and_logs_once() {
    clean_page();
    js(r#"
        Storage.prototype.setItem = function () {
            throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
    "#);
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 5.0));
    pagehide();
    track("view_item", &item_params("B", 5.0));
    pagehide();
    assert_eq!(state_str("storage"), "memory");
    assert_eq!(state_f64("score"), 6.0);
    assert_eq!(warnings().len(), 1, "{:?}", warnings());
    assert!(warnings()[0].contains("refused the profile"));
}

#[wasm_bindgen_test]
fn corrupt_or_foreign_versions_start_fresh_and_are_replaced() {
    for (entry, why) in [
        ("not|a profile at all".to_string(), "not base64"),
        ("ab12:3|BQID".to_string(), "corrupt"), // version 5, a body cut short
        ("AA".to_string(), "older, unsupported"),
        ("CQ".to_string(), "newer version"),
    ] {
        clean_page();
        js(&format!(
            "localStorage.setItem('shopper-intent', {entry:?});"
        ));
        start(NO_CONSENT_NEEDED);
        assert_eq!(signal_rules(), ["site_visit"], "fresh start for {entry}");
        let w = warnings();
        assert!(w.len() == 1 && w[0].contains(why), "{entry}: {w:?}");
        pagehide();
        let saved = stored().unwrap();
        assert_ne!(saved, entry);
        assert_eq!(stored_profile(&saved).visitor_id, state_str("visitorId"));
    }
}

/// Another tab of the store writes `entry`: the browser fires `storage` in this one.
fn other_tab_writes(entry: Option<&str>) {
    let value = match entry {
        Some(e) => format!("{e:?}"),
        None => "null".into(),
    };
    js(&format!(
        r#"
        const old = localStorage.getItem('shopper-intent');
        const value = {value};
        if (value === null) localStorage.removeItem('shopper-intent');
        else window.__realSetItem.call(localStorage, 'shopper-intent', value);
        window.dispatchEvent(new StorageEvent('storage', {{key: 'shopper-intent', oldValue: old,
            newValue: value, storageArea: localStorage, url: location.href}}));
        "#
    ));
}

/// The other tab's version of the stored profile: `events` applied on top of `entry`.
fn other_tab_adds(entry: &str, clock: &str, events: &[(EventKind, &str)]) -> String {
    let model = Model::default();
    let mut p = stored_profile(entry);
    let t = js_sys::Date::now() as u64;
    for (kind, id) in events {
        let mut e = Event::new(*kind, t);
        e.items.push(Item {
            id: id.to_string(),
            name: None,
            category: None,
            price: Some(100.0),
            quantity: 1.0,
        });
        p.track(&model, &e).unwrap();
    }
    format!("{clock}|{}", p.encode())
}

fn count(rule: &str) -> usize {
    signal_rules().iter().filter(|r| *r == rule).count()
}

#[wasm_bindgen_test]
fn two_tabs_share_one_visitor_without_lost_updates() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 100.0));
    pagehide();
    let ours = stored().unwrap();
    let our_clock = stored_clock(&ours);
    let visitor = state_str("visitorId");

    // The other tab read our entry (its clock includes our events) and added a cart line.
    let theirs = other_tab_adds(
        &ours,
        &format!("feedbeef:4,{our_clock}"),
        &[(EventKind::AddToCart, "B")],
    );
    other_tab_writes(Some(&theirs));
    assert_eq!(state_str("visitorId"), visitor);
    assert_eq!(count("add_to_cart"), 1, "their event is here");
    assert_eq!(count("product_view"), 1, "ours is not counted twice");
    assert_eq!(state_f64("value"), 100.0);

    // Now a race: we view C (not saved yet) while the other tab writes a profile built on the
    // old entry, without C.
    track("view_item", &item_params("C", 100.0));
    let racing = other_tab_adds(
        &theirs,
        &format!("feedbeef:5,{our_clock}"),
        &[(EventKind::AddToWishlist, "D")],
    );
    other_tab_writes(Some(&racing));
    assert_eq!(count("wishlist_add"), 1, "their event is here");
    assert_eq!(count("product_view"), 2, "ours was re-applied on top");
    pagehide();
    let saved = stored_profile(&stored().unwrap());
    let rules: Vec<&str> = saved.signals().iter().map(|s| s.rule.name()).collect();
    assert_eq!(
        rules,
        [
            "site_visit",
            "product_view",
            "add_to_cart",
            "wishlist_add",
            "product_view"
        ],
        "both tabs' events are stored"
    );
    // Our clock entry now covers our latest event; theirs is kept.
    let clock = stored_clock(&stored().unwrap());
    assert!(clock.starts_with("feedbeef:5,"), "{clock}");
}

#[wasm_bindgen_test]
fn a_write_from_a_stale_tab_is_merged_when_saving() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 100.0));
    pagehide();
    let ours = stored().unwrap();
    track("add_to_cart", &item_params("A", 100.0));
    // The other tab read our entry and writes without the browser telling us yet (no storage
    // event): it kept our clock entry, as a real tab does.
    let theirs = other_tab_adds(
        &ours,
        &format!("{},feedbeef:9", stored_clock(&ours)),
        &[(EventKind::AddToWishlist, "Z")],
    );
    js(&format!(
        "window.__realSetItem.call(localStorage, 'shopper-intent', {theirs:?});"
    ));
    pagehide();
    let saved = stored_profile(&stored().unwrap());
    let rules: Vec<&str> = saved.signals().iter().map(|s| s.rule.name()).collect();
    // Our add_to_cart, which their profile lacked, is re-applied on top of it; nothing twice.
    assert_eq!(
        rules,
        ["site_visit", "product_view", "wishlist_add", "add_to_cart"]
    );
}

#[wasm_bindgen_test]
fn a_tab_that_forgets_the_visitor_makes_the_others_forget_too() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("add_to_cart", &item_params("A", 100.0));
    pagehide();
    let visitor = state_str("visitorId");
    other_tab_writes(None);
    assert_ne!(state_str("visitorId"), visitor);
    assert_eq!(state_f64("score"), 0.0);
    // It does not write the old visitor back.
    track("view_item", &item_params("B", 1.0));
    pagehide();
    assert_eq!(stored(), None);
    // When the other tab writes its new visitor, this tab joins it.
    let fresh = format!("feedbeef:1|{}", Profile::new("the-new-visitor").encode());
    other_tab_writes(Some(&fresh));
    assert_eq!(state_str("visitorId"), "the-new-visitor");
    pagehide();
    assert_eq!(
        stored_profile(&stored().unwrap()).visitor_id,
        "the-new-visitor"
    );
}

#[wasm_bindgen_test]
fn saved_when_the_page_is_hidden() {
    clean_page();
    start(NO_CONSENT_NEEDED);
    track("view_item", &item_params("A", 1.0));
    js(r#"
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
        document.dispatchEvent(new Event('visibilitychange'));
        delete document.hidden;
    "#);
    assert!(stored().is_some());
}
