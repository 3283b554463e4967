//! The one transcendental function the engine needs. Natively it is std's; in the browser it is
//! JS's `Math.pow`, imported: Rust's own `powf` would bring libm's `exp2` tables into the wasm
//! (3.2 KB gzipped, measured).

/// `x` to the power `y`.
#[cfg(not(target_arch = "wasm32"))]
pub fn pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}

/// `x` to the power `y`.
#[cfg(target_arch = "wasm32")]
pub fn pow(x: f64, y: f64) -> f64 {
    js::pow(x, y)
}

/// The one import of the engines (`src/web/js/engine.js`, `instantiate`, provides it).
#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Math)]
        pub fn pow(x: f64, y: f64) -> f64;
    }
}
