//! `Model::from_bytes`, the compiled model the browser loads (`shopper-intent compile`), on the
//! default model's bytes with arbitrary bytes and numbers written over them, or on any bytes: a
//! model or `None`, never a panic; a model that loads writes bytes that load back to it, and
//! scores events to finite numbers.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use shopper_intent::core::Model;
use shopper_intent_fuzz::{default_model, patch, play};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (patches, events) = rest.split_at(rest.len().min(usize::from(selector) * 3));
    let bytes = if selector == 0 {
        rest.to_vec()
    } else {
        let mut bytes = default_model().to_bytes();
        patch(&mut bytes, patches);
        bytes
    };
    let Some(model) = Model::from_bytes(&bytes) else {
        return;
    };
    // Varints may be written longer than needed, so compare what the model writes, twice.
    let written = model.to_bytes();
    let again = Model::from_bytes(&written).expect("what a model writes loads");
    assert_eq!(
        again.to_bytes(),
        written,
        "a loaded model writes other bytes"
    );
    play(&mut Unstructured::new(events), &model);
});
