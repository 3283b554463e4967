//! The visitor state stays small whatever the history, and reads back exactly.
#![cfg(not(target_arch = "wasm32"))]

use shopper_intent::core::{Event, EventKind, Item, Model, Profile};

fn item(id: String, price: f64) -> Item {
    Item {
        id,
        name: Some("A product with a rather long name, as stores have".into()),
        category: Some("Apparel".into()),
        price: Some(price),
        quantity: 1.0,
    }
}

/// A busy visitor: every event kind in rotation over many items, visits and campaigns.
fn busy_visitor(events: u64) -> (Model, Profile) {
    let model = Model::default();
    let mut p = Profile::new("3f1c9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
    let kinds = EventKind::ALL;
    let mut t = 1_767_571_200_000_u64;
    for i in 0..events {
        // Mostly seconds apart, with a new visit every 50 events.
        t += if i % 50 == 0 { 3_600_000 } else { 7_000 };
        let mut e = Event::new(kinds[(i % kinds.len() as u64) as usize], t);
        e.items
            .push(item(format!("SKU-{}", i % 997), (i % 300) as f64));
        if i % 50 == 0 {
            e.page_location = Some(format!(
                "https://shop.example/products/p{}?utm_medium=email&utm_campaign=c{i}",
                i % 97
            ));
        }
        p.track(&model, &e).expect("events are in time order");
    }
    (model, p)
}

#[test]
fn state_stays_under_8_kb_after_a_million_events() {
    let (_, p) = busy_visitor(1_000_000);
    let encoded = p.encode();
    eprintln!("state after 1,000,000 events: {} bytes", encoded.len());
    assert!(
        encoded.len() <= 8 * 1024,
        "state is {} bytes after 1,000,000 events",
        encoded.len()
    );
    assert!(
        p.signals_fired as u64 > 100_000,
        "the history really fired rules"
    );
}

#[test]
fn state_size_is_flat_from_a_thousand_to_a_hundred_thousand_events() {
    let small = busy_visitor(1_000).1.encode().len();
    let large = busy_visitor(100_000).1.encode().len();
    assert!(large <= small + 512, "grew from {small} to {large} bytes");
}

#[test]
fn state_round_trips_and_scores_the_same() {
    let (model, p) = busy_visitor(5_000);
    let back = Profile::decode(&p.encode()).expect("reads back");
    assert_eq!(back, p);
    let t = p.last_event_ms() + 86_400_000;
    assert_eq!(back.snapshot(&model, t), p.snapshot(&model, t));
}

#[test]
fn corrupt_and_foreign_state_is_refused_with_a_reason() {
    let msg = |s: &str| Profile::decode(s).unwrap_err().to_string();
    assert_eq!(
        msg("%%%"),
        "stored state: not base64; it was not written by this library"
    );
    assert_eq!(msg(""), "stored state: empty");
    // The current version byte (6) with no body, and a real profile cut short.
    assert_eq!(msg("Bg"), "stored state: corrupt; its fields do not decode");
    let whole = busy_visitor(100).1.encode();
    assert_eq!(
        msg(&whole[..whole.len() / 2]),
        "stored state: corrupt; its fields do not decode"
    );
    // Version bytes 1 and 5 (older layouts) and 9 (newer).
    for older in ["AQ", "BQ"] {
        assert_eq!(
            msg(older),
            "stored state: written by an older, unsupported version"
        );
    }
    assert_eq!(
        msg("CQ"),
        "stored state: written by a newer version of this library"
    );
}

/// A stored profile is plain bytes, so any bytes that decode are a profile: every list length
/// may be out of range (255 for lists of 8 to 48). Such a profile is used without a panic
/// (a panic is a trap in the wasm, which would lose the call), and reads back as it is.
#[test]
fn a_profile_with_out_of_range_lengths_is_used_without_a_panic() {
    use shopper_intent::core::actions::{self, Context, Trigger};
    let model = Model::default();
    let size = Profile::default().as_bytes().len();
    for fill in [0x01_u8, 0x7f, 0xff] {
        // Every byte `fill`, but finite times and points: what a damaged or foreign entry holds.
        let mut bytes = vec![fill; size];
        bytes[..64].fill(0);
        let mut p = Profile::from_bytes(&bytes).expect("any bytes of the right length");
        let back = Profile::decode(&p.encode()).expect("reads back");
        assert!(back.as_bytes() == p.as_bytes(), "fill {fill:#x}");
        let mut t = 1_767_571_200_000_u64;
        for kind in EventKind::ALL {
            t += 60_000;
            let mut e = Event::new(*kind, t);
            e.items.push(item(format!("SKU-{fill}"), 250.0));
            e.page_location = Some("https://shop.example/cart?utm_medium=cpc".into());
            // Refusals (an event earlier than the stored last one) are fine; panics are not.
            let _ = p.track(&model, &e);
        }
        let s = p.snapshot(&model, t);
        assert!(s.visits > 0, "fill {fill:#x}: the events were applied");
        for trigger in [Trigger::Event, Trigger::Dwell, Trigger::ExitIntent] {
            let ctx = Context {
                now_ms: t + 60_000,
                trigger,
            };
            if let Some(d) = actions::decide(&p, &model, &ctx) {
                actions::record(&mut p, &model, &d, ctx.now_ms);
            }
            let _ = actions::next_deadline(&p, &model, ctx.now_ms);
        }
        let _ = (
            actions::arms(&p, &model, t),
            p.signals().count(),
            p.items().count(),
        );
        p.forget_future(t - 86_400_000);
        assert!(Profile::decode(&p.encode()).is_ok(), "fill {fill:#x}");
    }
}
