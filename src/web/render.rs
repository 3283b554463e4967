//! The built-in renderer, for stores without a chat widget: a banner, or a chat-invite bubble.
//!
//! One nudge at a time, in one element (`#shopper-intent-nudge`). It is accessible: a banner
//! is a polite live region (`role="status"`), a chat invite a non-modal `role="dialog"`; both
//! are focusable, close with their button or Esc, and skip the entrance animation under
//! `prefers-reduced-motion`. It never moves focus on its own.
//!
//! Text is ALWAYS set with `textContent`: messages carry product names from the page or the
//! dataLayer, and must never be parsed as HTML.

use crate::core::actions::Kind;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, KeyboardEvent};

/// Id of the nudge element.
pub const NUDGE_ID: &str = "shopper-intent-nudge";
/// Id of the renderer's `<style>` element.
pub const STYLE_ID: &str = "shopper-intent-style";

/// Minimal styles. The page's own CSS may restyle `#shopper-intent-nudge` and its classes.
const CSS: &str = "#shopper-intent-nudge{position:fixed;z-index:2147483000;bottom:16px;right:16px;\
box-sizing:border-box;max-width:min(360px,calc(100vw - 32px));padding:12px 44px 12px 16px;\
background:#fff;color:#1a1a1a;border:1px solid #c8c8c8;border-radius:12px;\
box-shadow:0 4px 16px rgba(0,0,0,.18);font:15px/1.45 system-ui,sans-serif;animation:si-in .25s ease-out}\
#shopper-intent-nudge.si-banner{left:16px;max-width:none;border-radius:8px}\
#shopper-intent-nudge p{margin:0}\
#shopper-intent-nudge button{position:absolute;top:6px;right:6px;width:32px;height:32px;border:0;\
border-radius:6px;background:none;color:inherit;font-size:22px;line-height:1;cursor:pointer}\
@keyframes si-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}\
@media (prefers-reduced-motion: reduce){#shopper-intent-nudge{animation:none;transition:none}}";

/// What a shown nudge holds on to, so that hiding it removes its listeners.
struct Shown {
    root: Element,
    document: Document,
    on_key: Closure<dyn FnMut(KeyboardEvent)>,
    /// Kept alive while the button can call it.
    _on_click: Closure<dyn FnMut()>,
    on_close: Option<Box<dyn FnOnce()>>,
}

thread_local! {
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// Shows `message` as a banner or chat-invite bubble, replacing any nudge shown before.
/// `on_close` runs once if the visitor closes it (button or Esc), not when [`hide`] is called.
pub fn show(kind: Kind, message: &str, on_close: impl FnOnce() + 'static) -> Result<(), JsValue> {
    hide();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    if document.get_element_by_id(STYLE_ID).is_none() {
        let style = document.create_element("style")?;
        style.set_id(STYLE_ID);
        style.set_text_content(Some(CSS));
        match document.head() {
            Some(head) => head.append_child(&style)?,
            None => body.append_child(&style)?,
        };
    }

    let root = document.create_element("div")?;
    root.set_id(NUDGE_ID);
    root.set_attribute("tabindex", "0")?;
    match kind {
        Kind::Banner => {
            root.set_class_name("si-nudge si-banner");
            root.set_attribute("role", "status")?;
            root.set_attribute("aria-live", "polite")?;
        }
        Kind::Chat => {
            root.set_class_name("si-nudge si-chat");
            root.set_attribute("role", "dialog")?;
            root.set_attribute("aria-modal", "false")?;
            root.set_attribute("aria-label", "Chat invitation")?;
        }
    }
    let text = document.create_element("p")?;
    text.set_text_content(Some(message));
    let close = document.create_element("button")?;
    close.set_attribute("type", "button")?;
    close.set_attribute("aria-label", "Close")?;
    close.set_text_content(Some("\u{00d7}"));
    root.append_child(&text)?;
    root.append_child(&close)?;

    let on_key = Closure::<dyn FnMut(KeyboardEvent)>::new(|event: KeyboardEvent| {
        if event.key() == "Escape" && !event.default_prevented() {
            closed_by_visitor();
        }
    });
    let on_click = Closure::<dyn FnMut()>::new(closed_by_visitor);
    document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())?;
    close.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    body.append_child(&root)?;
    SHOWN.with(|s| {
        *s.borrow_mut() = Some(Shown {
            root,
            document,
            on_key,
            _on_click: on_click,
            on_close: Some(Box::new(on_close)),
        })
    });
    Ok(())
}

/// The visitor closed it: remove it, then tell the runtime (outside the borrow).
///
/// This drops the closure that is running; wasm-bindgen defers freeing a closure dropped during
/// its own call until the call returns.
fn closed_by_visitor() {
    let on_close = take().and_then(|mut shown| shown.on_close.take());
    if let Some(on_close) = on_close {
        on_close();
    }
}

/// Removes the nudge and its listeners, if one is shown.
fn take() -> Option<Shown> {
    let shown = SHOWN.with(|s| s.borrow_mut().take())?;
    let _ = shown
        .document
        .remove_event_listener_with_callback("keydown", shown.on_key.as_ref().unchecked_ref());
    shown.root.remove();
    Some(shown)
}

/// Removes the nudge (navigation, `reset()`, consent withdrawn); `on_close` does not run.
pub fn hide() {
    // Dropping the closures after removing the element: nothing can call them any more.
    drop(take());
}

/// Whether a nudge is shown.
pub fn is_shown() -> bool {
    SHOWN.with(|s| s.borrow().is_some())
}
