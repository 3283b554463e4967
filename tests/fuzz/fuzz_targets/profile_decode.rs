//! `Profile::decode` on arbitrary text, and on arbitrary bytes behind the current version byte:
//! a profile or an error, never a panic. What decodes encodes back to itself and still scores.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::core::codec::{from_base64, to_base64};
use shopper_intent::core::{Event, EventKind, Item, Profile};
use shopper_intent_fuzz::check_snapshot;

fuzz_target!(|data: &[u8]| {
    let text = match data.split_first() {
        // Mostly a body in the current format, so the field decoders are reached.
        Some((&selector, body)) if selector % 4 != 0 => {
            let version = from_base64(&Profile::new("").encode()).expect("base64")[0];
            let mut bytes = vec![version];
            bytes.extend_from_slice(body);
            to_base64(&bytes)
        }
        _ => String::from_utf8_lossy(data).into_owned(),
    };
    let Ok(profile) = Profile::decode(&text) else {
        return;
    };
    let encoded = profile.encode();
    let again = Profile::decode(&encoded).expect("what encode wrote decodes");
    assert_eq!(
        again.encode(),
        encoded,
        "encode/decode is not a fixed point"
    );

    let model = shopper_intent_fuzz::default_model();
    let t = profile.last_event_ms();
    check_snapshot(&profile.snapshot(model, t), model);
    let mut profile = profile;
    let mut view = Event::new(EventKind::ViewItem, t.saturating_add(60_000));
    view.items.push(Item {
        id: "A".into(),
        name: None,
        category: None,
        price: Some(10.0),
        quantity: 1.0,
    });
    if profile.track(model, &view).is_ok() {
        check_snapshot(&profile.snapshot(model, view.time_ms), model);
    }
});
