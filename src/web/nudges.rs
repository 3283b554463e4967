//! Nudges in the page: the core decides ([`crate::core::actions`]), this module delivers.
//!
//! After each tracked event, a dwell deadline, idle time or exit intent, [`run`] asks the scorer
//! for a decision (which also records it and queues the exposure), then, with the scorer free,
//! dispatches the cancelable `shopper-intent:action` event and, unless a listener called
//! `preventDefault()` to render it itself, shows the built-in banner or bubble. The control
//! arm gets no event and no rendering: only the exposure in the data layer.
//!
//! The page's triggers live here, outside the scorer, so their callbacks find it free.

use super::render;
use super::triggers::Triggers;
use crate::core::actions::{self, Kind, Trigger};
use std::cell::{Cell, RefCell};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static TRIGGERS: RefCell<Triggers> = RefCell::new(Triggers::new());
    /// A decision is queued for the end of the current task.
    static QUEUED: Cell<bool> = const { Cell::new(false) };
    /// The queued decision: one closure for the page's life, of a type the glue already has.
    static DECIDE: Closure<dyn FnMut()> = Closure::new(|| {
        QUEUED.with(|q| q.set(false));
        run(Trigger::Event);
    });
}

/// A nudge to deliver.
pub(crate) struct Delivery {
    pub kind: Kind,
    pub message: String,
    /// `{action, kind, rule, experiment, variant, message, product, reason}`.
    pub detail: JsValue,
}

/// What a decision leaves to do once the scorer is free.
pub(crate) struct Plan {
    /// The start this belongs to.
    pub gen: u32,
    /// The (clamped) time of the decision.
    pub now_ms: u64,
    /// The nudge to deliver, in a treatment arm (or outside any experiment).
    pub delivery: Option<Delivery>,
    /// When to decide again for a dwell-based rule.
    pub deadline: Option<u64>,
}

fn with_triggers(f: impl FnOnce(&mut Triggers)) {
    TRIGGERS.with(|t| {
        if let Ok(mut t) = t.try_borrow_mut() {
            f(&mut t);
        }
    });
}

/// A new start: the triggers of an earlier one go, idle and exit intent are watched as the
/// rules need, and a first decision is made on the loaded profile.
pub(crate) fn start(gen: u32) {
    render::hide();
    // Dropped outside the borrow: dropping runs no callbacks, but stay safe.
    let old = TRIGGERS.with(|t| t.try_borrow_mut().map(|mut t| std::mem::take(&mut *t)));
    drop(old);
    watch(gen);
    run(Trigger::Event);
}

/// Watches idle time and exit intent when a rule needs them and they are not watched yet.
fn watch(gen: u32) {
    let Some((idle, exit)) = super::with(|s| {
        (
            actions::idle_after_ms(&s.model),
            actions::wants_exit_intent(&s.model),
        )
    }) else {
        return;
    };
    with_triggers(|t| {
        let (idling, exiting) = t.watching();
        if let (Some(ms), false) = (idle, idling) {
            let _ = t.watch_idle(ms, move |idle_ms| {
                if super::current(gen) {
                    run(Trigger::Idle { idle_ms });
                }
            });
        }
        if exit && !exiting {
            let _ = t.watch_exit_intent(move || {
                if super::current(gen) {
                    run(Trigger::ExitIntent);
                }
            });
        }
    });
}

/// Decides after the events of the current task, once: a burst of `track()` calls or dataLayer
/// pushes costs one decision, and none of it runs inside the store's own call.
pub(crate) fn queue() {
    if QUEUED.with(|q| q.replace(true)) {
        return;
    }
    let queued =
        web_sys::window().map(|w| DECIDE.with(|f| w.queue_microtask(f.as_ref().unchecked_ref())));
    if queued.is_none() {
        QUEUED.with(|q| q.set(false));
        run(Trigger::Event);
    }
}

/// Decides, delivers, and arms the next dwell deadline.
pub(crate) fn run(trigger: Trigger) {
    let now = super::now_ms();
    let Some(plan) = super::act(|s, out| s.nudge(trigger, now, out)) else {
        return;
    };
    let gen = plan.gen;
    if let Some(d) = plan.delivery {
        if super::dispatch::dispatch("action", &d.detail, true) && super::current(gen) {
            let _ = render::show(d.kind, &d.message, move || {
                if super::current(gen) {
                    dismissed();
                }
            });
        }
    }
    with_triggers(|t| match plan.deadline {
        Some(at) => t.arm_at(at, plan.now_ms, move || {
            if super::current(gen) {
                run(Trigger::Dwell);
            }
        }),
        None => t.cancel_dwell(),
    });
}

/// The visitor closed the built-in nudge: another may follow.
fn dismissed() {
    super::act(|s, out| s.dismiss(out));
    run(Trigger::Event);
}

/// A new page (SPA navigation): its nudge goes, and so does its dwell timer.
pub(crate) fn page_changed() {
    render::hide();
    with_triggers(Triggers::cancel_dwell);
    if let Some(gen) = super::with(|s| s.gen) {
        watch(gen);
    }
}

/// `reset()` or consent withdrawn: the nudge goes, and every timer and watcher.
pub(crate) fn stop() {
    render::hide();
    with_triggers(Triggers::cancel_all);
}

/// Whether a dwell timer is armed, and idle / exit intent watched (for tests).
pub fn armed() -> (bool, bool, bool) {
    let mut out = (false, false, false);
    TRIGGERS.with(|t| {
        if let Ok(t) = t.try_borrow() {
            let (idle, exit) = t.watching();
            out = (t.dwell_armed(), idle, exit);
        }
    });
    out
}
