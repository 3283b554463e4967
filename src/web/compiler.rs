//! The browser's config compiler, a separate module loaded only for a plain JSON config: the
//! config reader and validator with its field-naming errors, which the engine does not carry.

use super::{engine, finish, input, Out};
use crate::core::Config;

/// Compiles the config JSON in the input. 1: the record is the model file (see
/// `config::model_file`); 0: the record is the error, naming the field.
#[no_mangle]
pub extern "C" fn si_compile() -> u32 {
    let e = engine();
    let mut out = Out::default();
    let result = serde_json::from_slice::<serde_json::Value>(input(e))
        .map_err(|why| alloc::format!("the config is not JSON: {why}"))
        .and_then(|json| Config::read(&json).map_err(|why| why.message()))
        .and_then(|config| config.model_file().map_err(|why| why.message()));
    let ok = result.is_ok();
    out.0
        .extend_from_slice(result.unwrap_or_else(|why| why).as_bytes());
    finish(e, out);
    u32::from(ok)
}
