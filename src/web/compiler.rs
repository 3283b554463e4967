//! The browser's config compiler, a separate module loaded only for a plain JSON config: the
//! config reader and validator with its field-naming errors, which the engine does not carry.

use super::{engine, finish, input, Out};
use crate::core::Config;

/// Compiles the config JSON in the input. 1: the record is the model file (`config::model_file`),
/// 2: the same, for a model with a scorecard ([`si_scorecard_note`] says what to do); 0: the record
/// is the error, naming the field.
#[no_mangle]
pub extern "C" fn si_compile() -> u32 {
    let e = engine();
    let result = serde_json::from_slice::<serde_json::Value>(input(e))
        .map_err(|why| alloc::format!("the config is not JSON: {why}"))
        .and_then(|json| Config::read(&json).map_err(|why| why.message()))
        .and_then(|config| config.model_file().map_err(|why| why.message()));
    let (bytes, answer) = match result {
        Ok((file, scorecard)) => (file, 1 + u32::from(scorecard)),
        Err(why) => (why.into_bytes(), 0),
    };
    finish(e, Out(bytes));
    answer
}

/// The record is what both compilers say of a model with a scorecard (`config::SCORECARD_NOTE`).
#[no_mangle]
pub extern "C" fn si_scorecard_note() {
    let e = engine();
    finish(
        e,
        Out(crate::core::config::SCORECARD_NOTE.as_bytes().to_vec()),
    );
}
