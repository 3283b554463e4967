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
    let mut failures = Vec::new();
    let mut checks = 0;
    for (file, text) in vectors::VECTORS {
        let (f, n) = vectors::run(file, text, &Json);
        assert!(n > 0, "{file}: no checks ran");
        failures.extend(f);
        checks += n;
    }
    assert!(
        failures.is_empty(),
        "{} of {checks} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
