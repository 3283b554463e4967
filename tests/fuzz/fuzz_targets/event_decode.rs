//! `Event::decode` over arbitrary JSON parameters: an event or a specific error, never a panic;
//! what it accepts is within the documented limits and scores to finite numbers.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use shopper_intent::core::event::{MAX_ITEMS, MAX_NUMBER, MAX_TEXT, MAX_URL};
use shopper_intent::core::{Event, Profile};
use shopper_intent_fuzz::{check_snapshot, event_name, json, time, EVENT_KEYS};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(name), Ok(t), Ok(params)) = (
        event_name(&mut u),
        time(&mut u),
        json(&mut u, EVENT_KEYS, 4),
    ) else {
        return;
    };
    let event = match Event::decode(&name, t, &&params) {
        Ok(Some(event)) => event,
        Ok(None) | Err(_) => return,
    };
    assert!(event.items.len() <= MAX_ITEMS);
    let amount = |n: f64| n.is_finite() && (0.0..=MAX_NUMBER).contains(&n);
    assert!(event.value.is_none_or(amount));
    for item in &event.items {
        assert!(!item.id.is_empty() && item.id.chars().count() <= MAX_TEXT);
        assert!(item.price.is_none_or(amount) && amount(item.quantity));
    }
    for url in [&event.page_location, &event.page_referrer]
        .into_iter()
        .flatten()
    {
        assert!(url.chars().count() <= MAX_URL);
    }
    let model = shopper_intent_fuzz::default_model();
    let mut profile = Profile::new("fuzz");
    if profile.track(model, &event).is_ok() {
        check_snapshot(&profile.snapshot(model, t), model);
    }
});
