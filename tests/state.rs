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

/// `bytes` with every stored `find` replaced by `with`, and how many there were.
fn replace_f64(bytes: &[u8], find: f64, with: f64) -> (Vec<u8>, usize) {
    let (find, with) = (find.to_le_bytes(), with.to_le_bytes());
    let mut out = bytes.to_vec();
    let mut found = 0;
    while let Some(at) = out.windows(8).position(|w| w == find) {
        out[at..at + 8].copy_from_slice(&with);
        found += 1;
    }
    (out, found)
}

/// Found by `make fuzz` (profile_decode): stored NaN points decoded, and the visitor scored
/// NaN; stored negative or overflowing amounts likewise.
#[test]
fn a_stored_nan_or_infinity_is_corrupt_state() {
    use shopper_intent::core::{pack, state::VERSION};
    let model = Model::default();
    let refused =
        |bytes: &[u8]| Profile::decode(&pack::encode(VERSION, bytes)).map_err(|e| e.to_string());
    let corrupt = Err("stored state: corrupt; its fields do not decode".to_string());

    let mut p = Profile::new("v");
    let mut view = Event::new(EventKind::ViewItem, 1_767_571_200_000);
    view.items.push(item("A".into(), 12_345.678));
    p.track(&model, &view).expect("a view");
    let bytes = p.as_bytes().to_vec();
    for bad in [f64::INFINITY, f64::NEG_INFINITY, -1.0] {
        let (hostile, found) = replace_f64(&bytes, 12_345.678, bad);
        assert_eq!(
            found, 2,
            "the item's last price, and the visit's sum of prices"
        );
        assert_eq!(refused(&hostile).map(|_| ()), corrupt.clone(), "{bad}");
    }
    // A NaN item price is how the profile says "no price": such a profile reads back.
    let mut unpriced = Profile::new("v");
    let mut bare = Event::new(EventKind::ViewItem, 1_767_571_200_000);
    bare.items.push(item("A".into(), 0.0));
    bare.items[0].price = None;
    unpriced
        .track(&model, &bare)
        .expect("a view without a price");
    let back = refused(unpriced.as_bytes()).expect("no price is a state");
    assert_eq!(back.items().next().map(|(_, m)| m.price()), Some(None));

    // Found next: a stored cart line of f64::MAX × 2, finite numbers whose value is infinite.
    let mut cart = Event::new(EventKind::AddToCart, 1_767_571_260_000);
    let mut two = item("B".into(), 54_321.5);
    two.quantity = 2.0;
    cart.items.push(two);
    p.track(&model, &cart).expect("an add to cart");
    let bytes = p.as_bytes().to_vec();
    let (hostile, found) = replace_f64(&bytes, 54_321.5, f64::MAX);
    assert_eq!(found, 2, "the item's last price and the cart line's");
    assert_eq!(refused(&hostile).map(|_| ()), corrupt.clone());
    assert!(refused(&bytes).is_ok());

    // And stored points near f64::MAX, which scored infinity. One view scores 2 + 2 points,
    // kept undecayed at its time.
    let mut one = Profile::new("v");
    one.track(&model, &view).expect("a view");
    let bytes = one.as_bytes().to_vec();
    for bad in [1e307, f64::NAN, f64::INFINITY] {
        let (hostile, found) = replace_f64(&bytes, 4.0, bad);
        assert_eq!(found, 1, "the points");
        assert_eq!(refused(&hostile).map(|_| ()), corrupt.clone(), "{bad}");
    }
}

/// Found by `make fuzz` (profile_decode): a stored count past its array (65 bounces of 16)
/// decoded, and the engine panicked slicing by it. No single corrupt byte may do that.
#[test]
fn no_single_corrupt_byte_of_a_stored_profile_panics_the_engine() {
    let (model, p) = busy_visitor(300);
    let t = p.last_event_ms() + 60_000;
    let mut next = Event::new(EventKind::ViewItem, t);
    next.items.push(item("SKU-1".into(), 10.0));
    let bytes = p.as_bytes().to_vec();
    let mut refused = 0;
    for at in 0..bytes.len() {
        for v in [65u8, 255] {
            let mut b = bytes.clone();
            b[at] = v;
            let Some(mut q) = Profile::from_bytes(&b) else {
                refused += 1;
                continue;
            };
            let s = q.snapshot(&model, t);
            assert!(
                s.score.is_finite() && s.value.is_finite(),
                "byte {at} = {v}"
            );
            let _ = q.track(&model, &next);
        }
    }
    assert!(refused > 0, "some corrupt bytes are refused");
}

/// Bytes of the right length that tracking could have written are a profile, used without a
/// panic (a panic is a trap in the wasm, which would lose the call), and read back as they are;
/// lengths past their lists (0x7f, 0xff for lists of 8 to 48) are refused as corrupt.
#[test]
fn any_profile_bytes_are_refused_or_used_without_a_panic() {
    use shopper_intent::core::actions::{self, Context, Trigger};
    let model = Model::default();
    let size = Profile::default().as_bytes().len();
    for fill in [0x01_u8, 0x7f, 0xff] {
        // Every byte `fill`, but finite times and points: what a damaged or foreign entry holds.
        let mut bytes = vec![fill; size];
        bytes[..64].fill(0);
        let Some(mut p) = Profile::from_bytes(&bytes) else {
            assert_ne!(fill, 0x01, "lengths of 1 and tiny amounts are a profile");
            continue;
        };
        assert_eq!(fill, 0x01, "lengths past their lists are refused");
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

/// What the core stores for a visitor (`Profile::encode`), pinned in
/// `tests/fixtures/stored-profile.json`: `tests/e2e/storage.test.mjs` loads that text in the
/// browser, where base64 is the tag's own (`atob`/`btoa`), and finds the same visitor. Rewrite
/// with `SI_BLESS=1` after a deliberate change of the stored layout.
#[test]
fn the_stored_profile_fixture_is_what_the_core_writes() {
    let (_, p) = busy_visitor(25);
    let rules: Vec<&str> = p.signals().map(|s| s.rule.name()).collect();
    assert!(
        !rules.is_empty() && rules.len() < shopper_intent::core::state::MAX_SIGNALS,
        "room for the browser's new visit: {rules:?}"
    );
    let text = serde_json::to_string_pretty(&serde_json::json!({
        "text": p.encode(),
        "visitor_id": p.visitor_id(),
        "visit_index": p.visit.index,
        "rules": rules,
    }))
    .unwrap()
        + "\n";
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/stored-profile.json"
    );
    if std::env::var_os("SI_BLESS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).unwrap_or_default() == text,
        "{path} is not what the core writes; run `SI_BLESS=1 cargo test --test state` and check the diff"
    );
    assert_eq!(Profile::decode(&p.encode()), Ok(p), "and it reads back");
}
