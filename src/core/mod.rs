//! The pure, deterministic core: no browser APIs, no clock, no I/O. Time is always a parameter.
//!
//! Dependencies point one way. The engine (`event`, `model`, `state`, `score`, `visit`,
//! `actions`, `experiment`, `identify`) runs on a [`Model`]; `config` reads and validates what a
//! store writes and compiles it into a model; `compiled` is the model's byte form, which the
//! browser loads without running the validator.

pub mod actions;
pub mod channel;
pub mod characteristics;
pub mod compiled;
pub mod config;
pub mod decimal;
pub mod error;
pub mod event;
pub mod experiment;
pub mod fields;
pub mod identify;
mod math;
pub mod model;
pub mod pack;
pub mod score;
pub mod scorecard;
pub mod state;
pub mod text;
pub mod url;
pub mod visit;
pub mod wire;

pub use config::{Config, Runtime};
pub use error::Error;
pub use event::{Event, EventKind, Item, Params, Value};
pub use model::{Intent, Model, RuleId, Stage};
pub use score::{Snapshot, Suppression};
pub use state::{Profile, Signal};
