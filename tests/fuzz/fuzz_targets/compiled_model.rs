//! `Model::from_bytes`, the compiled model the browser loads (`shopper-intent compile`), on the
//! default model's bytes with arbitrary bytes and numbers written over them, or on any bytes: a
//! model or `None`, never a panic; a model that loads writes bytes that load back to it, and
//! scores events to finite numbers.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use shopper_intent::core::{Event, Model, Profile};
use shopper_intent_fuzz::{
    check_snapshot, default_model, event_name, json, time, EVENT_KEYS, NUMBERS,
};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (patches, events) = rest.split_at(rest.len().min(usize::from(selector) * 3));
    let bytes = if selector == 0 {
        rest.to_vec()
    } else {
        let mut bytes = default_model().to_bytes();
        for p in patches.chunks_exact(3) {
            let at = usize::from(u16::from_le_bytes([p[0], p[1]])) * bytes.len() / 65_536;
            if p[2] & 0x80 == 0 || at + 8 > bytes.len() {
                bytes[at] = p[2];
            } else {
                let n = NUMBERS[usize::from(p[2] & 0x7f) % NUMBERS.len()];
                bytes[at..at + 8].copy_from_slice(&n.to_le_bytes());
            }
        }
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
    let mut u = Unstructured::new(events);
    let mut profile = Profile::new("fuzz");
    let mut t = 0;
    for _ in 0..u.int_in_range(0..=16).unwrap_or(0) {
        let (Ok(name), Ok(at), Ok(params)) = (
            event_name(&mut u),
            time(&mut u),
            json(&mut u, EVENT_KEYS, 3),
        ) else {
            break;
        };
        if let Ok(Some(event)) = Event::decode(&name, at, &&params) {
            if profile.track(&model, &event).is_ok() {
                t = t.max(at);
            }
        }
    }
    check_snapshot(&profile.snapshot(&model, t), &model);
});
