//! The pure, deterministic core: no browser APIs, no clock, no I/O. Time is always a parameter.

pub mod actions;
pub mod characteristics;
pub mod codec;
pub mod config;
pub mod error;
pub mod event;
pub mod experiment;
pub mod identify;
pub mod model;
pub mod score;
pub mod scorecard;
pub mod state;
pub mod visit;

pub use error::Error;
pub use event::{Event, EventKind, Item, Params, Value};
pub use model::{Config, Model, RuleId, Runtime};
pub use score::{Intent, Snapshot, Stage, Suppression};
pub use state::{Profile, Signal};
