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
//! - [`core`]: events, the model and its config, scoring, nudges, visitor state. Pure and
//!   deterministic, `no_std` (it needs only `alloc`), so the browser build carries no `std`.
//! - `web` (wasm32 only): the thin boundary the browser runtime (`src/web/js/`) calls: flat
//!   numbers and one buffer per call, no JS objects.
//! - `cli` (native only): the `shopper-intent` command.

// The browser build has no `std`: no panic strings, no `core::fmt` machinery, no dlmalloc.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
