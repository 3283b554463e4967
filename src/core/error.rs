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
    /// A field of the argument of an API call (`identify`, `consent`), read like a config.
    Argument {
        call: &'static str,
        field: String,
        reason: String,
    },
    /// An on-site event older than the visitor's last on-site event.
    OutOfOrder { time_ms: u64, last_ms: u64 },
    /// Stored state that cannot be read back.
    State(&'static str),
}

/// What is wrong with an event parameter; `item` is the index in `items`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    WrongType {
        field: &'static str,
        item: Option<usize>,
        expected: &'static str,
        found: &'static str,
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
    /// The same field error, reported against the argument of API call `call` instead of the config.
    pub fn in_argument_of(self, call: &'static str) -> Self {
        match *self.0 {
            Kind::Config { field, reason } => Error::of(Kind::Argument {
                call,
                field,
                reason,
            }),
            other => Error::of(other),
        }
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
                        for part in [" must be ", expected, ", not ", found] {
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
            Kind::Argument {
                call,
                field,
                reason,
            } if field == "(the config)" => {
                for part in [call, ": the argument ", reason] {
                    m.push_str(part);
                }
            }
            Kind::Argument {
                call,
                field,
                reason,
            } => {
                for part in [call, ": field `", field, "`: ", reason] {
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
                m.push_str(why);
            }
        }
        m
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::error::Error for Error {}
