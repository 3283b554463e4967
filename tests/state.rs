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
