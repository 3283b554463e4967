//! The core's one error type. Messages are written by hand and pinned by tests.

use std::fmt;

/// Why the core refused an input. The state it was given is left untouched.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(pub(crate) Kind);

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
    pub(crate) fn event(event: &'static str, problem: Problem) -> Self {
        Error(Kind::Event { event, problem })
    }
    pub(crate) fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error(Kind::Config {
            field: field.into(),
            reason: reason.into(),
        })
    }
    /// The same field error, reported against the argument of API call `call` instead of the config.
    pub fn in_argument_of(self, call: &'static str) -> Self {
        match self.0 {
            Kind::Config { field, reason } => Error(Kind::Argument {
                call,
                field,
                reason,
            }),
            other => Error(other),
        }
    }
    /// True when the event was refused only because it is older than the visitor's last one.
    pub fn is_out_of_order(&self) -> bool {
        matches!(self.0, Kind::OutOfOrder { .. })
    }
}

struct Field(&'static str, Option<usize>);

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(i) if self.0.is_empty() => write!(f, "items[{i}]"),
            Some(i) => write!(f, "items[{i}].{}", self.0),
            None => f.write_str(self.0),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Event { event, problem } => {
                write!(f, "{event}: ")?;
                match problem {
                    Problem::WrongType { field, item, expected, found } => {
                        write!(f, "{} must be {expected}, not {found}", Field(field, *item))
                    }
                    Problem::Missing { field: "items", .. } => {
                        f.write_str("items is missing or empty; this event needs at least one item")
                    }
                    Problem::Missing { item: Some(i), .. } => {
                        write!(f, "items[{i}] has neither item_id nor item_name")
                    }
                    Problem::Missing { field, item } => write!(f, "{} is missing", Field(field, *item)),
                    Problem::NotFinite { field, item } => {
                        write!(f, "{} is not a finite number", Field(field, *item))
                    }
                    Problem::Negative { field, item } => write!(f, "{} is negative", Field(field, *item)),
                    Problem::TooLarge { field, item } => {
                        write!(f, "{} is above 1e15, the largest number accepted", Field(field, *item))
                    }
                    Problem::TooLong { field, item, len, max } => write!(
                        f,
                        "{} is {len} characters long; the limit is {max}",
                        Field(field, *item)
                    ),
                    Problem::TooManyItems { count, max } => {
                        write!(f, "items has {count} elements; GA4 allows at most {max}")
                    }
                }
            }
            Kind::Config { field, reason } => write!(f, "config field `{field}`: {reason}"),
            Kind::Argument {
                call,
                field,
                reason,
            } if field == "(the config)" => write!(f, "{call}: the argument {reason}"),
            Kind::Argument {
                call,
                field,
                reason,
            } => write!(f, "{call}: field `{field}`: {reason}"),
            Kind::OutOfOrder { time_ms, last_ms } => write!(
                f,
                "event at {time_ms} ms is earlier than this visitor's previous event at {last_ms} ms; \
                 events of one visitor must come in time order"
            ),
            Kind::State(why) => write!(f, "stored state: {why}"),
        }
    }
}

impl std::error::Error for Error {}
