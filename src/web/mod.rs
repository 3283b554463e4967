//! The browser boundary (placeholder while the edge is rewritten).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// JS's `Math.pow` (see `core::math`).
    #[wasm_bindgen(js_namespace = Math)]
    pub fn pow(x: f64, y: f64) -> f64;
}
