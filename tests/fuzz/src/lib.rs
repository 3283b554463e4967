//! What the fuzz targets share: JSON values built from the fuzzer's bytes, biased towards the
//! field names and the edge values the product reads, and the invariants every result must keep.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Number, Value};
use shopper_intent::core::{Event, EventKind, Item, Model, Profile, Snapshot};

/// The parameters events carry (GA4 and the model's own).
pub const EVENT_KEYS: &[&str] = &[
    "ecommerce",
    "items",
    "item_id",
    "item_name",
    "item_category",
    "price",
    "quantity",
    "value",
    "coupon",
    "currency",
    "transaction_id",
    "page_location",
    "page_referrer",
];

/// Numbers at the edges of what the product accepts.
pub const NUMBERS: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    11.99,
    200.0,
    1e15,
    1.000_000_000_000_1e15,
    1e16,
    1e300,
    f64::MAX,
    -f64::MAX,
    f64::MIN_POSITIVE,
    9.0e15,
    253_402_300_799_999.0,
    253_402_300_800_000.0,
    4_294_967_295.0,
    18_446_744_073_709_551_615.0,
];

/// Texts at the edges: numeric strings, URLs, the empty string.
const TEXTS: &[&str] = &[
    "",
    " ",
    "11.99",
    "1e16",
    "NaN",
    "Infinity",
    "-5",
    "0x10",
    "https://shop.example/products/a?utm_source=newsletter&utm_medium=email",
    "https://www.google.com/",
    "/checkout/shipping",
    "/pages/size-guide",
    "SKU-1",
    "control",
    "treatment",
    "mql",
    "sql",
    "\u{1F600}\u{0301}",
];

/// An arbitrary JSON value at most `depth` deep; object keys are mostly taken from `keys`.
pub fn json(u: &mut Unstructured, keys: &[&str], depth: u32) -> Result<Value> {
    let last = if depth == 0 { 4 } else { 6 };
    Ok(match u.int_in_range(0..=last)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 | 4 => Value::String(text(u, keys)?),
        5 => {
            let n = u.int_in_range(0..=4)?;
            let mut list = Vec::with_capacity(n);
            for _ in 0..n {
                list.push(json(u, keys, depth - 1)?);
            }
            Value::Array(list)
        }
        _ => {
            let n = u.int_in_range(0..=6)?;
            let mut map = Map::new();
            for _ in 0..n {
                let key = if keys.is_empty() || u.ratio(1, 8)? {
                    u.arbitrary::<String>()?
                } else {
                    (*u.choose(keys)?).to_string()
                };
                let value = json(u, keys, depth - 1)?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
    })
}

/// A number: an edge value, a small integer or any finite float.
pub fn number(u: &mut Unstructured) -> Result<Value> {
    let n = match u.int_in_range(0..=2)? {
        0 => *u.choose(NUMBERS)?,
        1 => f64::from(u.int_in_range(-3i32..=1000)?),
        _ => u.arbitrary::<f64>()?,
    };
    Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
}

/// A text: an edge text, a key, a long run, or any string.
pub fn text(u: &mut Unstructured, keys: &[&str]) -> Result<String> {
    Ok(match u.int_in_range(0..=4)? {
        0 => (*u.choose(TEXTS)?).to_string(),
        1 if !keys.is_empty() => (*u.choose(keys)?).to_string(),
        2 => "x".repeat(u.int_in_range(0..=20_000)?),
        _ => u.arbitrary()?,
    })
}

/// Any event name the model knows, or sometimes one it does not.
pub fn event_name(u: &mut Unstructured) -> Result<String> {
    if u.ratio(1, 16)? {
        return u.arbitrary();
    }
    Ok(u.choose(EventKind::ALL)?.name().to_string())
}

/// A time in the range the CLI accepts (1970 to year 9999), near a base most of the time.
pub fn time(u: &mut Unstructured) -> Result<u64> {
    const BASE: u64 = 1_767_225_600_000;
    Ok(match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=253_402_300_799_999)?,
        _ => BASE + u.int_in_range(0..=90 * 86_400_000)?,
    })
}

/// The default model, compiled once (compiling it is most of an execution otherwise).
pub fn default_model() -> &'static Model {
    static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    MODEL.get_or_init(Model::default)
}

/// A profile with something in every part: visits, views, a cart, a purchase, email events.
pub fn busy_profile() -> &'static Profile {
    static PROFILE: std::sync::OnceLock<Profile> = std::sync::OnceLock::new();
    PROFILE.get_or_init(|| {
        let model = default_model();
        let mut p = Profile::new("3f1c9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        let mut t = 1_767_225_600_000;
        for i in 0..400u32 {
            t += if i % 40 == 0 { 3 * 86_400_000 } else { 20_000 };
            let kind = EventKind::ALL[i as usize % EventKind::ALL.len()];
            let mut e = Event::new(kind, t);
            e.items.push(Item {
                id: format!("SKU-{}", i % 37),
                name: Some(format!("Product {}", i % 37)),
                category: Some("Apparel".into()),
                price: Some(f64::from(i % 300) + 0.99),
                quantity: 1.0,
            });
            if i % 40 == 0 {
                e.page_location = Some(format!(
                    "https://shop.example/products/p{i}?utm_medium=email"
                ));
            }
            let _ = p.track(model, &e);
        }
        p
    })
}

/// `bytes` with 3-byte patches from the fuzzer written over them: a 16-bit position and a byte,
/// or (the byte's high bit set) one of [`NUMBERS`] as 8 bytes at that position.
pub fn patch(bytes: &mut [u8], patches: &[u8]) {
    for p in patches.chunks_exact(3) {
        let at = usize::from(u16::from_le_bytes([p[0], p[1]])) * bytes.len() / 65_536;
        if p[2] & 0x80 == 0 || at + 8 > bytes.len() {
            bytes[at] = p[2];
        } else {
            let n = NUMBERS[usize::from(p[2] & 0x7f) % NUMBERS.len()];
            bytes[at..at + 8].copy_from_slice(&n.to_le_bytes());
        }
    }
}

/// Up to 16 events from the fuzzer into a new profile on `model`; then its snapshot must hold.
pub fn play(u: &mut Unstructured, model: &Model) {
    let mut profile = Profile::new("fuzz");
    let mut t = 0;
    for _ in 0..u.int_in_range(0..=16).unwrap_or(0) {
        let (Ok(name), Ok(at), Ok(params)) = (event_name(u), time(u), json(u, EVENT_KEYS, 3))
        else {
            break;
        };
        if let Ok(Some(event)) = Event::decode(&name, at, &&params) {
            if profile.track(model, &event).is_ok() {
                t = t.max(at);
            }
        }
    }
    check_snapshot(&profile.snapshot(model, t), model);
}

/// What every snapshot must be: finite numbers, whatever came in.
pub fn check_snapshot(s: &Snapshot, model: &Model) {
    assert!(s.score.is_finite(), "score {s:?}");
    assert!(s.value.is_finite() && s.value >= 0.0, "value {s:?}");
    assert_eq!(s.high_value, s.value >= model.high_value_threshold, "{s:?}");
}
