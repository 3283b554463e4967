//! The JSON test vectors, run natively (the same files run in Chromium: tests/web_vectors.rs).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/vectors.rs"]
mod vectors;

use shopper_intent::core::{Config, Error, Event};

struct Json;

impl vectors::Decoder for Json {
    fn event(&self, json: &str, name: &str, time_ms: u64) -> Result<Option<Event>, Error> {
        let value: serde_json::Value = serde_json::from_str(json).expect("the runner passes JSON");
        Event::decode(name, time_ms, &&value)
    }
    fn config(&self, json: &str) -> Result<Config, Error> {
        let value: serde_json::Value = serde_json::from_str(json).expect("the runner passes JSON");
        Config::read(&value)
    }
}

#[test]
fn every_vector_passes() {
    vectors::run_all(&Json);
}
