//! The JSON test vectors in headless Chromium, decoded the way the browser decodes them: each
//! event's parameters and each config are real JS objects (`JSON.parse`), read by the runtime's
//! own wire writer (`src/web/js/wire.js`) into the wire format the core decodes; the model goes
//! through its compiled bytes. Same runner and files as the native `tests/vectors.rs`.
#![cfg(target_arch = "wasm32")]

#[path = "support/vectors.rs"]
mod vectors;

#[path = "support/growthbook_cases.rs"]
mod growthbook_cases;

use shopper_intent::core::wire::Wire;
use shopper_intent::core::{Config, Error, Event};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/src/web/js/wire.js")]
extern "C" {
    /// What the runtime sends the engine for `value` (event parameters when `event_keys`).
    fn wire(value: &JsValue, event_keys: bool) -> Vec<u8>;
}

struct Js;

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("the runner passes JSON")
}

impl vectors::Decoder for Js {
    fn event(&self, json: &str, name: &str, time_ms: u64) -> Result<Option<Event>, Error> {
        let bytes = wire(&parse(json), true);
        Event::decode(name, time_ms, &Wire::new(&bytes))
    }
    fn config(&self, json: &str) -> Result<Config, Error> {
        let bytes = wire(&parse(json), false);
        Config::read(Wire::new(&bytes))
    }
}

#[wasm_bindgen_test]
fn every_vector_passes_in_the_browser() {
    vectors::run_all(&Js);
}

#[wasm_bindgen_test]
fn growthbook_cases_pass_in_the_browser() {
    let report =
        growthbook_cases::run_growthbook_cases(include_str!("vectors/growthbook-cases.json"));
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
    assert_eq!(report.passed, 63);
}

/// An event past the writer's first 1,024-byte buffer keeps every key: a key that crossed its
/// end once lost its bytes there (the key loop wrote before reserving room; 91 of these 119
/// item counts came out corrupt).
#[wasm_bindgen_test]
fn a_long_event_keeps_every_key_past_the_first_buffer() {
    for n in 1..=119 {
        let items: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"item_id":"S{i}","price":{i},"quantity":2}}"#))
            .collect();
        let json = format!(r#"{{"items":[{}]}}"#, items.join(","));
        let bytes = wire(&parse(&json), true);
        let event = Event::decode("add_to_cart", 1, &Wire::new(&bytes))
            .expect("it decodes")
            .expect("a known event");
        assert_eq!(event.items.len(), n, "{n} items");
        for (i, item) in event.items.iter().enumerate() {
            assert_eq!(item.id, format!("S{i}"), "item {i} of {n}");
            assert_eq!(item.price, Some(i as f64), "item {i} of {n}");
            assert_eq!(item.quantity, 2.0, "item {i} of {n}");
        }
    }
}
