//! `Profile::decode` on arbitrary text, and on a real profile's bytes with arbitrary bytes and
//! numbers written over them: a profile or an error, never a panic. What decodes scores finite
//! numbers, takes another event, and encodes to text that decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::core::state::VERSION;
use shopper_intent::core::{pack, Event, EventKind, Item, Profile};
use shopper_intent_fuzz::{busy_profile, check_snapshot, default_model, patch};

fuzz_target!(|data: &[u8]| {
    let model = default_model();
    let text = match data.split_first() {
        Some((&selector, patches)) if selector % 8 != 0 => {
            let mut bytes = busy_profile().as_bytes().to_vec();
            patch(&mut bytes, patches);
            pack::encode(VERSION, &bytes)
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

    let t = profile.last_event_ms().min(253_402_300_799_999);
    check_snapshot(&profile.snapshot(model, t), model);
    let mut profile = profile;
    let mut view = Event::new(EventKind::ViewItem, t + 60_000);
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
