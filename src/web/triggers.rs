//! Timers and triggers for nudges, on gloo-timers: a dwell (delay) timer for the current page,
//! an idle watcher, and exit intent. The core says when ([`crate::core::actions::next_deadline`],
//! [`crate::core::actions::idle_after_ms`], [`crate::core::actions::wants_exit_intent`]); this
//! module only waits and calls back.
//!
//! Everything is cancellable in one call, [`Triggers::cancel_all`] (navigation, `reset()`,
//! consent withdrawn), and dropping [`Triggers`] cancels too: timers are gloo `Timeout`s, which
//! cancel on drop, and listeners are removed on drop.

use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, EventTarget, MouseEvent};

/// Activity that ends idleness.
const ACTIVITY: [&str; 6] = [
    "pointermove",
    "pointerdown",
    "keydown",
    "scroll",
    "wheel",
    "touchstart",
];

/// The longest timer browsers keep (2^31 − 1 ms); later deadlines are re-armed on the next check.
const MAX_DELAY_MS: u64 = i32::MAX as u64;

/// An event listener, removed when dropped.
struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    fn new(
        target: &EventTarget,
        kind: &'static str,
        callback: impl FnMut(web_sys::Event) + 'static,
    ) -> Result<Listener, JsValue> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(callback);
        let options = AddEventListenerOptions::new();
        options.set_passive(true);
        target.add_event_listener_with_callback_and_add_event_listener_options(
            kind,
            callback.as_ref().unchecked_ref(),
            &options,
        )?;
        Ok(Listener {
            target: target.clone(),
            kind,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// Idle detection: activity only stamps the time; one timer checks it, so a busy pointer costs
/// a store of a number per event, not a timer per event.
struct Idle {
    _listeners: Vec<Listener>,
    timer: Rc<RefCell<Option<Timeout>>>,
}

impl Drop for Idle {
    fn drop(&mut self) {
        // The pending timer holds the slot it sits in: empty it to cancel it and break the cycle.
        if let Ok(mut slot) = self.timer.try_borrow_mut() {
            slot.take();
        }
    }
}

/// The nudge triggers of one page. Each `arm`/`watch_*` replaces the previous one of its kind.
#[derive(Default)]
#[must_use = "dropping Triggers cancels its timers and listeners"]
pub struct Triggers {
    dwell: Option<Timeout>,
    idle: Option<Idle>,
    exit: Option<Listener>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Triggers {
    /// No timer armed, nothing watched.
    pub fn new() -> Triggers {
        Triggers::default()
    }

    /// Calls `callback` once after `delay_ms` (replacing the dwell timer armed before).
    pub fn arm(&mut self, delay_ms: u64, callback: impl FnOnce() + 'static) {
        let delay = delay_ms.min(MAX_DELAY_MS) as u32;
        self.dwell = Some(Timeout::new(delay, callback));
    }

    /// Calls `callback` once at `deadline_ms` on the page's clock (`now_ms` is that clock now).
    pub fn arm_at(&mut self, deadline_ms: u64, now_ms: u64, callback: impl FnOnce() + 'static) {
        self.arm(deadline_ms.saturating_sub(now_ms), callback);
    }

    /// Calls `callback(idle_ms)` when there has been no pointer, key, scroll or touch activity
    /// for `idle_ms`; then again only after new activity and another `idle_ms` of quiet.
    pub fn watch_idle(
        &mut self,
        idle_ms: u64,
        callback: impl FnMut(u64) + 'static,
    ) -> Result<(), JsValue> {
        self.idle = None;
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let last = Rc::new(Cell::new(now_ms()));
        let fired = Rc::new(Cell::new(false));
        let timer: Rc<RefCell<Option<Timeout>>> = Rc::new(RefCell::new(None));
        let callback: Rc<RefCell<dyn FnMut(u64)>> = Rc::new(RefCell::new(callback));
        let idle_ms = idle_ms.clamp(1, MAX_DELAY_MS);

        // Checks at `last + idle_ms`; re-arms itself for the remainder after activity.
        fn schedule(
            delay: u64,
            idle_ms: u64,
            last: Rc<Cell<f64>>,
            fired: Rc<Cell<bool>>,
            timer: Rc<RefCell<Option<Timeout>>>,
            callback: Rc<RefCell<dyn FnMut(u64)>>,
        ) {
            let slot = timer.clone();
            let t = Timeout::new(delay as u32, move || {
                let quiet = (now_ms() - last.get()).max(0.0) as u64;
                if quiet >= idle_ms {
                    fired.set(true);
                    if let Ok(mut f) = callback.try_borrow_mut() {
                        f(quiet);
                    }
                } else {
                    schedule(
                        idle_ms - quiet,
                        idle_ms,
                        last,
                        fired,
                        timer.clone(),
                        callback,
                    );
                }
            });
            // The timer that is running now replaces itself: gloo's Timeout is inert once fired.
            if let Ok(mut s) = slot.try_borrow_mut() {
                *s = Some(t);
            };
        }

        let mut listeners = Vec::with_capacity(ACTIVITY.len());
        for kind in ACTIVITY {
            let (last, fired, timer, callback) =
                (last.clone(), fired.clone(), timer.clone(), callback.clone());
            listeners.push(Listener::new(&window, kind, move |_| {
                last.set(now_ms());
                // After firing, activity starts a new wait.
                if fired.replace(false) {
                    schedule(
                        idle_ms,
                        idle_ms,
                        last.clone(),
                        fired.clone(),
                        timer.clone(),
                        callback.clone(),
                    );
                }
            })?);
        }
        schedule(idle_ms, idle_ms, last, fired, timer.clone(), callback);
        self.idle = Some(Idle {
            _listeners: listeners,
            timer,
        });
        Ok(())
    }

    /// Calls `callback` when the pointer leaves the page through the top of the viewport
    /// (towards the tabs or the address bar): a mouse on a desktop. Touch screens have no such
    /// gesture and never fire it.
    pub fn watch_exit_intent(
        &mut self,
        mut callback: impl FnMut() + 'static,
    ) -> Result<(), JsValue> {
        self.exit = None;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| JsValue::from_str("no document"))?;
        self.exit = Some(Listener::new(&document, "mouseout", move |event| {
            let Some(mouse) = event.dyn_ref::<MouseEvent>() else {
                return;
            };
            // Leaving the document (no element entered) at or above its top edge.
            if mouse.related_target().is_none() && mouse.client_y() <= 0 {
                callback();
            }
        })?);
        Ok(())
    }

    /// Cancels the dwell timer only (the page changed; idle and exit intent stay).
    pub fn cancel_dwell(&mut self) {
        self.dwell = None;
    }

    /// Cancels every timer and listener: on navigation, `reset()` and consent withdrawal.
    pub fn cancel_all(&mut self) {
        self.dwell = None;
        self.idle = None;
        self.exit = None;
    }

    /// Whether the dwell timer is armed (it stays "armed" after firing until re-armed or cancelled).
    pub fn dwell_armed(&self) -> bool {
        self.dwell.is_some()
    }

    /// Whether idle or exit intent is watched.
    pub fn watching(&self) -> (bool, bool) {
        (self.idle.is_some(), self.exit.is_some())
    }
}
