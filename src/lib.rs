//! # shopper-intent
//!
//! Purchase-intent scoring for online stores. One pure Rust core runs in two places: in each
//! visitor's browser (compiled to WebAssembly and loaded by one script tag), and natively in the
//! `shopper-intent` CLI that replays a store's history.
//!
//! ```
//! use shopper_intent::core::{Event, EventKind, Item, Model, Profile, Stage};
//!
//! let model = Model::default(); // SCORING.md's default model
//! let mut visitor = Profile::new("v1");
//! let day0 = 1_700_000_000_000;
//! let item = Item { id: "A".into(), name: None, category: None, price: Some(149.0), quantity: 1.0 };
//! for (minute, kind) in [(0, EventKind::ViewItem), (2, EventKind::ViewItem), (4, EventKind::ViewItem), (5, EventKind::AddToCart)] {
//!     let mut event = Event::new(kind, day0 + minute * 60_000);
//!     event.items.push(item.clone());
//!     visitor.track(&model, &event).unwrap();
//! }
//! let now = visitor.snapshot(&model, day0 + 5 * 60_000);
//! assert_eq!((now.score, now.stage), (28.0, Stage::Warm));
//! ```
//!
//! The layers:
//! - [`core`]: events, the model (config), scoring, visitor state. Pure and deterministic.
//! - `web` (wasm32 only): the thin browser adapter, the only code that touches browser APIs.
//! - `cli` (native only): the `shopper-intent` command.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
