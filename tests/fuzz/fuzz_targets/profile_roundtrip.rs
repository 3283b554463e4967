//! A profile built by arbitrary events (in order, late, off-site, malformed) encodes and decodes
//! to the same profile: the same encoding, the same snapshot, the same signals.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use shopper_intent::core::{Event, Profile};
use shopper_intent_fuzz::{check_snapshot, event_name, json, EVENT_KEYS};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let model = shopper_intent_fuzz::default_model();
    let mut profile = Profile::new(u.arbitrary::<String>().unwrap_or_default());
    let mut t: u64 = 1_767_225_600_000;
    let mut events = 0;
    while !u.is_empty() && events < 200 {
        events += 1;
        // Mostly forward in time, sometimes days, sometimes back.
        let step = match u.int_in_range(0..=9).unwrap_or(0) {
            0 => -(i64::from(u.int_in_range(0..=3_600_000u32).unwrap_or(0))),
            1 => i64::from(u.int_in_range(0..=40u32).unwrap_or(0)) * 86_400_000,
            _ => i64::from(u.int_in_range(0..=600_000u32).unwrap_or(0)),
        };
        let at = t.saturating_add_signed(step);
        let (Ok(name), Ok(params)) = (event_name(&mut u), json(&mut u, EVENT_KEYS, 3)) else {
            break;
        };
        match Event::decode(&name, at, &&params) {
            Ok(Some(event)) => {
                if profile.track(model, &event).is_ok() {
                    t = t.max(at);
                }
            }
            Ok(None) => profile.count_unknown(),
            Err(_) => {}
        }
    }
    let encoded = profile.encode();
    let decoded = Profile::decode(&encoded).expect("what encode wrote decodes");
    assert_eq!(decoded.encode(), encoded);
    assert!(
        decoded.signals().eq(profile.signals()),
        "the signals differ"
    );
    for at in [t, t + 86_400_000, t + 30 * 86_400_000] {
        let (a, b) = (profile.snapshot(model, at), decoded.snapshot(model, at));
        check_snapshot(&a, model);
        assert_eq!(a, b, "the decoded profile scores differently");
    }
});
