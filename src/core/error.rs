//! The core's one error type. Messages are written by hand and pinned by tests.

use super::decimal::push_u64;
use alloc::boxed::Box;
use alloc::string::String;

/// Why the core refused an input. The state it was given is left untouched.
///
/// Boxed: a `Result` of the core is then a pointer wider than its value, so passing one up
/// (`?`) copies a word rather than the whole error (measured: 613 bytes less wasm to compile,
/// the same gzipped).
#[derive(Debug, Clone, PartialEq)]
pub struct Error(pub(crate) Box<Kind>);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A known event whose parameters are malformed.
    Event {
        event: &'static str,
        problem: Problem,
    },
    /// A config field that is out of range or of the wrong shape.
    Config { field: String, reason: String },
    /// An on-site event older than the visitor's last on-site event.
    OutOfOrder { time_ms: u64, last_ms: u64 },
    /// Stored state that cannot be read back.
    State(Stored),
}

/// The types a refusal names: the scorer hands one over as its index in [`TYPES`] and the tag
/// words it (`TYPES` in src/web/js/errors.js, pinned by tests/web_names.rs), so the words stay
/// out of the wasm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Type {
    Missing,
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
    Unsupported,
    StringOrInteger,
    Fractional,
}

/// How messages word each [`Type`], in its order.
pub const TYPES: [&str; 10] = [
    "missing",
    "null",
    "a boolean",
    "a number",
    "a string",
    "an array",
    "an object",
    "an unsupported value",
    "a string or an integer",
    "a fractional or non-finite number",
];

impl Type {
    pub fn word(self) -> &'static str {
        TYPES[self as usize]
    }
}

/// Why a stored profile does not read back, in the order of [`STORED`]: handed over as an index,
/// like [`Type`] (`STORED` in src/web/js/errors.js).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stored {
    Empty,
    Corrupt,
    Newer,
    Older,
    NotBase64,
}

/// How messages word each [`Stored`], in its order.
pub const STORED: [&str; 5] = [
    "empty",
    "corrupt; its fields do not decode",
    "written by a newer version of this library",
    "written by an older, unsupported version",
    "not base64; it was not written by this library",
];

impl Stored {
    pub fn word(self) -> &'static str {
        STORED[self as usize]
    }
}

/// What is wrong with an event parameter; `item` is the index in `items`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    WrongType {
        field: &'static str,
        item: Option<usize>,
        expected: Type,
        found: Type,
    },
    Missing {
        field: &'static str,
        item: Option<usize>,
    },
    NotFinite {
        field: &'static str,
        item: Option<usize>,
    },
    Negative {
        field: &'static str,
        item: Option<usize>,
    },
    /// Above `event::MAX_NUMBER`.
    TooLarge {
        field: &'static str,
        item: Option<usize>,
    },
    TooLong {
        field: &'static str,
        item: Option<usize>,
        len: usize,
        max: usize,
    },
    TooManyItems {
        count: usize,
        max: usize,
    },
}

impl Error {
    pub(crate) fn of(kind: Kind) -> Self {
        Error(Box::new(kind))
    }
    pub(crate) fn event(event: &'static str, problem: Problem) -> Self {
        Error::of(Kind::Event { event, problem })
    }
    pub(crate) fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::of(Kind::Config {
            field: field.into(),
            reason: reason.into(),
        })
    }
    /// True when the event was refused only because it is older than the visitor's last one.
    pub fn is_out_of_order(&self) -> bool {
        matches!(*self.0, Kind::OutOfOrder { .. })
    }
}

impl Error {
    /// The message, built by concatenation so that `core::fmt` stays out of the wasm.
    pub fn message(&self) -> String {
        let mut m = String::new();
        let field = |m: &mut String, name: &str, item: Option<usize>| {
            if let Some(i) = item {
                m.push_str("items[");
                push_u64(m, i as u64);
                m.push(']');
                if !name.is_empty() {
                    m.push('.');
                }
            }
            m.push_str(name);
        };
        match &*self.0 {
            Kind::Event { event, problem } => {
                m.push_str(event);
                m.push_str(": ");
                match problem {
                    Problem::WrongType {
                        field: name,
                        item,
                        expected,
                        found,
                    } => {
                        field(&mut m, name, *item);
                        for part in [" must be ", expected.word(), ", not ", found.word()] {
                            m.push_str(part);
                        }
                    }
                    Problem::Missing { field: "items", .. } => {
                        m.push_str("items is missing or empty; this event needs at least one item")
                    }
                    Problem::Missing { item: Some(i), .. } => {
                        field(&mut m, "", Some(*i));
                        m.push_str(" has neither item_id nor item_name");
                    }
                    Problem::Missing { field: name, item } => {
                        field(&mut m, name, *item);
                        m.push_str(" is missing");
                    }
                    Problem::NotFinite { field: name, item } => {
                        field(&mut m, name, *item);
                        m.push_str(" is not a finite number");
                    }
                    Problem::Negative { field: name, item } => {
                        field(&mut m, name, *item);
                        m.push_str(" is negative");
                    }
                    Problem::TooLarge { field: name, item } => {
                        field(&mut m, name, *item);
                        m.push_str(" is above 1e15, the largest number accepted");
                    }
                    Problem::TooLong {
                        field: name,
                        item,
                        len,
                        max,
                    } => {
                        field(&mut m, name, *item);
                        m.push_str(" is ");
                        push_u64(&mut m, *len as u64);
                        m.push_str(" characters long; the limit is ");
                        push_u64(&mut m, *max as u64);
                    }
                    Problem::TooManyItems { count, max } => {
                        m.push_str("items has ");
                        push_u64(&mut m, *count as u64);
                        m.push_str(" elements; GA4 allows at most ");
                        push_u64(&mut m, *max as u64);
                    }
                }
            }
            Kind::Config { field, reason } => {
                for part in ["config field `", field, "`: ", reason] {
                    m.push_str(part);
                }
            }
            Kind::OutOfOrder { time_ms, last_ms } => {
                m.push_str("event at ");
                push_u64(&mut m, *time_ms);
                m.push_str(" ms is earlier than this visitor's previous event at ");
                push_u64(&mut m, *last_ms);
                m.push_str(" ms; events of one visitor must come in time order");
            }
            Kind::State(why) => {
                m.push_str("stored state: ");
                m.push_str(why.word());
            }
        }
        m
    }
}

/// An error as parts: a code, up to two texts and three numbers (an item index is -1 when
/// there is none; a wrong type's expected and found [`Type`], or a stored profile's [`Stored`],
/// as indices). The browser's scorer hands these to the tag, which words them in a chunk it
/// loads on the first refusal (`src/web/js/errors.js`, the same text as [`Error::message`],
/// pinned by `tests/fixtures/errors.json` and `tests/e2e/errors.test.mjs`): the messages'
/// phrases and their assembly stay out of the wasm loaded at start.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts<'a> {
    pub code: u8,
    pub texts: [&'a str; 2],
    pub numbers: [f64; 3],
}

impl Error {
    /// See [`Parts`]; the codes are `errors.js`'s.
    pub fn parts(&self) -> Parts<'_> {
        let index = |item: &Option<usize>| item.map_or(-1.0, |i| i as f64);
        let (code, texts, numbers): (u8, [&str; 2], [f64; 3]) = match &*self.0 {
            Kind::Event { event, problem } => match problem {
                Problem::WrongType {
                    field,
                    item,
                    expected,
                    found,
                } => (
                    0,
                    [event, field],
                    [index(item), *expected as u8 as f64, *found as u8 as f64],
                ),
                Problem::Missing { field, item } => (1, [event, field], [index(item), 0.0, 0.0]),
                Problem::NotFinite { field, item } => (2, [event, field], [index(item), 0.0, 0.0]),
                Problem::Negative { field, item } => (3, [event, field], [index(item), 0.0, 0.0]),
                Problem::TooLarge { field, item } => (4, [event, field], [index(item), 0.0, 0.0]),
                Problem::TooLong {
                    field,
                    item,
                    len,
                    max,
                } => (5, [event, field], [index(item), *len as f64, *max as f64]),
                Problem::TooManyItems { count, max } => {
                    (6, [event, ""], [-1.0, *count as f64, *max as f64])
                }
            },
            Kind::Config { field, reason } => (7, [field, reason], [-1.0, 0.0, 0.0]),
            Kind::OutOfOrder { time_ms, last_ms } => {
                (8, ["", ""], [-1.0, *time_ms as f64, *last_ms as f64])
            }
            Kind::State(why) => (9, ["", ""], [-1.0, *why as u8 as f64, 0.0]),
        };
        Parts {
            code,
            texts,
            numbers,
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::error::Error for Error {}

/// Every kind of error with its message, as `tests/fixtures/errors.json`: the fixture
/// `tests/e2e/errors.test.mjs` words with the tag's errors.js, which must give the same text.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use alloc::vec;

    fn samples() -> alloc::vec::Vec<Error> {
        let e = |problem| Error::event("add_to_cart", problem);
        let mut all = vec![];
        for item in [None, Some(3)] {
            all.extend([
                e(Problem::WrongType {
                    field: "price",
                    item,
                    expected: Type::Number,
                    found: Type::String,
                }),
                e(Problem::Missing {
                    field: "value",
                    item,
                }),
                e(Problem::NotFinite {
                    field: "price",
                    item,
                }),
                e(Problem::Negative {
                    field: "quantity",
                    item,
                }),
                e(Problem::TooLarge {
                    field: "value",
                    item,
                }),
                e(Problem::TooLong {
                    field: "item_id",
                    item,
                    len: 300,
                    max: 256,
                }),
            ]);
        }
        all.extend([
            e(Problem::Missing {
                field: "items",
                item: None,
            }),
            e(Problem::WrongType {
                field: "",
                item: Some(0),
                expected: Type::Object,
                found: Type::Null,
            }),
            e(Problem::TooManyItems {
                count: 201,
                max: 200,
            }),
            Error::config("actions.rules.x.message", "must be a string, not a number"),
            Error::of(Kind::OutOfOrder {
                time_ms: 1_700_000_000_123,
                last_ms: 1_700_000_000_456,
            }),
            Error::of(Kind::State(Stored::Corrupt)),
        ]);
        all
    }

    #[test]
    fn the_fixture_holds_every_kind_with_its_message() {
        let cases: alloc::vec::Vec<serde_json::Value> = samples()
            .iter()
            .map(|e| {
                let p = e.parts();
                serde_json::json!({
                    "parts": { "c": p.code, "t": p.texts, "n": p.numbers },
                    "message": e.message(),
                })
            })
            .collect();
        // Every code is there.
        let mut codes: alloc::vec::Vec<u8> = samples().iter().map(|e| e.parts().code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes, (0..=9).collect::<alloc::vec::Vec<u8>>());
        let text = serde_json::to_string_pretty(&cases).unwrap() + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/errors.json");
        if std::env::var_os("SI_BLESS").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == text,
            "{path} is not what the core writes; run `SI_BLESS=1 cargo test --lib error::tests` and check the diff"
        );
    }
}
