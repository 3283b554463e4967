//! `Event::decode` over the browser's wire format (`core::wire`, what the loader's JavaScript
//! writes for each event) on arbitrary bytes: malformed bytes read as missing, never a panic;
//! what decodes is within the limits, as from JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::core::event::{MAX_ITEMS, MAX_NUMBER};
use shopper_intent::core::wire::Wire;
use shopper_intent::core::{Event, EventKind, Profile};
use shopper_intent_fuzz::{check_snapshot, default_model};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, bytes)) = data.split_first() else {
        return;
    };
    let name = EventKind::ALL[usize::from(kind) % EventKind::ALL.len()].name();
    let t = 1_767_225_600_000;
    let Ok(Some(event)) = Event::decode(name, t, &Wire::new(bytes)) else {
        return;
    };
    assert!(event.items.len() <= MAX_ITEMS);
    let amount = |n: f64| (0.0..=MAX_NUMBER).contains(&n);
    assert!(event.value.is_none_or(amount));
    assert!(event
        .items
        .iter()
        .all(|i| i.price.is_none_or(amount) && amount(i.quantity)));
    let model = default_model();
    let mut profile = Profile::new("fuzz");
    if profile.track(model, &event).is_ok() {
        check_snapshot(&profile.snapshot(model, t), model);
    }
});
