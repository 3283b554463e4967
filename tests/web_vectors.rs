//! The JSON test vectors in headless Chromium: events and configs are decoded from real JS
//! objects (`JSON.parse`), through the same path `track()` and the loader use.
#![cfg(target_arch = "wasm32")]

#[path = "support/vectors.rs"]
mod vectors;

#[path = "support/growthbook_cases.rs"]
mod growthbook_cases;

use shopper_intent::core::{Config, Error, Event};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

struct Js;

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("the runner passes JSON")
}

impl vectors::Decoder for Js {
    fn event(&self, json: &str, name: &str, time_ms: u64) -> Result<Option<Event>, Error> {
        Event::decode(name, time_ms, &parse(json))
    }
    fn config(&self, json: &str) -> Result<Config, Error> {
        Config::read(parse(json))
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
