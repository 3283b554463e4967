//! Problems after start are logged once per kind with `console.warn("shopper-intent: …")`, and
//! never thrown into the store's page.

use std::cell::Cell;
use wasm_bindgen::prelude::*;

/// The kinds of problem, each logged at most once per page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Warn {
    /// An event with malformed parameters was refused.
    Event = 0,
    /// `identify()` got a malformed profile.
    Identify,
    /// `consent()` got a malformed choice.
    Consent,
    /// `localStorage` is missing or disabled.
    Storage,
    /// `localStorage` refused a write (quota).
    StorageFull,
    /// The stored profile could not be read back.
    State,
    /// A call arrived while the scorer was busy (from inside one of its own callbacks).
    Busy,
    /// `track()` got something other than a string as the event name.
    Name,
}

thread_local! {
    static WARNED: Cell<u32> = const { Cell::new(0) };
}

#[wasm_bindgen]
extern "C" {
    // `catch`: a page that replaced console.warn with a throwing function cannot make us throw.
    #[wasm_bindgen(js_namespace = console, js_name = warn, catch)]
    fn console_warn(message: &str) -> Result<(), JsValue>;
}

/// True when `kind` was already logged (so the message need not even be built).
pub(crate) fn warned(kind: Warn) -> bool {
    WARNED.with(|w| w.get() & (1 << kind as u32) != 0)
}

/// Logs `message` unless a problem of this kind was already logged on this page.
pub(crate) fn warn(kind: Warn, message: &str) {
    if warned(kind) {
        return;
    }
    // Marked before the call: a console.warn that calls back into us cannot loop.
    WARNED.with(|w| w.set(w.get() | 1 << kind as u32));
    let _ = console_warn(&["shopper-intent: ", message].concat());
}

/// Forgets what was logged: a (re)started scorer logs each kind once again.
pub(crate) fn reset() {
    WARNED.with(|w| w.set(0));
}
