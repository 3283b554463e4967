//! The browser adapter: the only code that uses wasm-bindgen, web-sys and js-sys.

mod params;
pub mod render;
pub mod triggers;

use crate::core::{Config, Event, Model, Profile};
use wasm_bindgen::prelude::*;

/// A scorer for one visitor: construct it from a config object, feed it events, read its state.
#[wasm_bindgen]
pub struct Scorer {
    model: Model,
    profile: Profile,
}

#[wasm_bindgen]
impl Scorer {
    /// Validates `config` (a plain object; `undefined` for the defaults). Throws with the bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Scorer, JsError> {
        let config = if config.is_undefined() || config.is_null() {
            Config::default()
        } else {
            Config::read(config).map_err(|e| JsError::new(&e.to_string()))?
        };
        let model = config.compile().map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Scorer {
            model,
            profile: Profile::new(""),
        })
    }

    /// Tracks a GA4-style event at `time_ms`; returns the signals fired, or -1 if it was refused.
    pub fn track(&mut self, name: &str, params: JsValue, time_ms: f64) -> i32 {
        let t = (time_ms.max(0.0) as u64).max(self.profile.last_site_ms.unwrap_or(0));
        match Event::decode(name, t, &params) {
            Ok(Some(event)) => self
                .profile
                .track(&self.model, &event)
                .map_or(-1, |n| n as i32),
            Ok(None) => {
                self.profile.count_unknown();
                0
            }
            Err(_) => -1,
        }
    }

    /// Score, stage and intent at `time_ms`, as `{score, stage, intent}`.
    pub fn state(&self, time_ms: f64) -> JsValue {
        let s = self.profile.snapshot(&self.model, time_ms as u64);
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&obj, &"score".into(), &s.score.into());
        let _ = js_sys::Reflect::set(&obj, &"stage".into(), &s.stage.name().into());
        let _ = js_sys::Reflect::set(&obj, &"intent".into(), &s.intent.name().into());
        obj.into()
    }
}
