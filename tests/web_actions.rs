//! The nudge renderer and triggers in headless Chromium: text stays text, Esc and the close
//! button dismiss, timers fire and cancel, exit intent and idle are detected.

#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use shopper_intent::core::actions::Kind;
use shopper_intent::web::render::{self, NUDGE_ID, STYLE_ID};
use shopper_intent::web::triggers::Triggers;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, KeyboardEvent, KeyboardEventInit, MouseEvent, MouseEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn nudge() -> Option<Element> {
    document().get_element_by_id(NUDGE_ID)
}

fn counter() -> (Rc<Cell<u32>>, impl FnOnce() + 'static) {
    let count = Rc::new(Cell::new(0));
    let c = count.clone();
    (count, move || c.set(c.get() + 1))
}

fn key(name: &str) -> KeyboardEvent {
    let init = KeyboardEventInit::new();
    init.set_key(name);
    init.set_bubbles(true);
    KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event")
}

// ---------------------------------------------------------------------------------------------
// Renderer.

#[wasm_bindgen_test]
async fn product_names_are_rendered_as_text_never_html() {
    let window = web_sys::window().expect("window");
    js_sys::Reflect::set(&window, &"__siXss".into(), &false.into()).expect("set");
    let name = "<img src=x onerror=\"window.__siXss=true\">";
    let message = ["I noticed you've been looking at ", name, ". Can I help?"].concat();
    render::show(Kind::Chat, &message, || {}).expect("shown");
    let root = nudge().expect("in the page");
    assert_eq!(
        root.text_content().as_deref(),
        Some([message.as_str(), "\u{d7}"].concat().as_str())
    );
    assert!(
        root.query_selector("img").expect("query").is_none(),
        "no element parsed"
    );
    assert!(
        root.inner_html().contains("&lt;img src=x"),
        "{}",
        root.inner_html()
    );
    // Give an (impossible) image error handler time to run.
    TimeoutFuture::new(50).await;
    let fired = js_sys::Reflect::get(&window, &"__siXss".into()).expect("get");
    assert_eq!(fired.as_bool(), Some(false));
    render::hide();
}

#[wasm_bindgen_test]
fn banner_and_chat_bubble_are_accessible() {
    render::show(Kind::Banner, "Free returns within 30 days.", || {}).expect("shown");
    let root = nudge().expect("banner");
    assert_eq!(root.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(root.get_attribute("aria-live").as_deref(), Some("polite"));
    assert_eq!(root.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(root.class_list().contains("si-banner"));
    let close = root
        .query_selector("button")
        .expect("query")
        .expect("a close button");
    assert_eq!(close.get_attribute("aria-label").as_deref(), Some("Close"));
    assert_eq!(close.get_attribute("type").as_deref(), Some("button"));
    // Focusable, and showing it did not take the focus.
    let html = root
        .clone()
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html element");
    assert_ne!(document().active_element(), Some(root.clone()));
    html.focus().expect("focus");
    assert_eq!(document().active_element(), Some(root.clone()));

    render::show(Kind::Chat, "Can I help?", || {}).expect("replaces the banner");
    let all = document()
        .query_selector_all(&["#", NUDGE_ID].concat())
        .expect("query");
    assert_eq!(all.length(), 1, "one nudge at a time");
    let root = nudge().expect("bubble");
    assert_eq!(root.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(root.get_attribute("aria-modal").as_deref(), Some("false"));
    assert_eq!(
        root.get_attribute("aria-label").as_deref(),
        Some("Chat invitation")
    );
    assert!(root.class_list().contains("si-chat"));
    render::hide();
}

#[wasm_bindgen_test]
fn reduced_motion_turns_the_animation_off() {
    render::show(Kind::Banner, "Hello", || {}).expect("shown");
    let css = document()
        .get_element_by_id(STYLE_ID)
        .and_then(|s| s.text_content())
        .expect("the style element");
    let reduced = css
        .split("@media (prefers-reduced-motion: reduce)")
        .nth(1)
        .expect("a reduced-motion rule");
    assert!(reduced.contains("animation:none"), "{reduced}");
    // Without the preference (headless default), the entrance animation runs.
    let style = web_sys::window()
        .expect("window")
        .get_computed_style(&nudge().expect("shown"))
        .expect("computed")
        .expect("style");
    assert_eq!(
        style.get_property_value("animation-name").as_deref(),
        Ok("si-in")
    );
    assert_eq!(style.get_property_value("position").as_deref(), Ok("fixed"));
    render::hide();
}

#[wasm_bindgen_test]
fn escape_dismisses_and_tells_the_runtime_once() {
    let (closed, on_close) = counter();
    render::show(Kind::Chat, "Can I help?", on_close).expect("shown");
    document().dispatch_event(&key("Enter")).expect("dispatch");
    assert!(nudge().is_some(), "other keys do nothing");
    document().dispatch_event(&key("Escape")).expect("dispatch");
    assert!(nudge().is_none(), "removed");
    assert!(!render::is_shown());
    assert_eq!(closed.get(), 1);
    document().dispatch_event(&key("Escape")).expect("dispatch");
    assert_eq!(closed.get(), 1, "its listener is gone");
}

#[wasm_bindgen_test]
fn the_close_button_dismisses_and_hide_does_not_count_as_closing() {
    let (closed, on_close) = counter();
    render::show(Kind::Banner, "Hello", on_close).expect("shown");
    let close = nudge()
        .and_then(|r| r.query_selector("button").ok().flatten())
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("button");
    close.click();
    assert!(nudge().is_none());
    assert_eq!(closed.get(), 1);

    let (closed, on_close) = counter();
    render::show(Kind::Banner, "Hello", on_close).expect("shown");
    render::hide();
    assert!(nudge().is_none());
    document().dispatch_event(&key("Escape")).expect("dispatch");
    assert_eq!(
        closed.get(),
        0,
        "hidden by the runtime, not closed by the visitor"
    );
}

// ---------------------------------------------------------------------------------------------
// Triggers.

#[wasm_bindgen_test]
async fn the_dwell_timer_fires_once_and_rearming_replaces_it() {
    let mut t = Triggers::new();
    let (first, f1) = counter();
    let (second, f2) = counter();
    t.arm(20, f1);
    t.arm_at(1_000_030, 1_000_000, f2); // 30 ms from now, on the page's clock
    assert!(t.dwell_armed());
    TimeoutFuture::new(120).await;
    assert_eq!((first.get(), second.get()), (0, 1));
}

#[wasm_bindgen_test]
async fn cancel_all_stops_every_timer_and_listener() {
    let mut t = Triggers::new();
    let (dwell, f) = counter();
    t.arm(20, f);
    let idle = Rc::new(Cell::new(0));
    let i = idle.clone();
    t.watch_idle(30, move |_| i.set(i.get() + 1)).expect("idle");
    let exit = Rc::new(Cell::new(0));
    let e = exit.clone();
    t.watch_exit_intent(move || e.set(e.get() + 1))
        .expect("exit");
    assert_eq!(t.watching(), (true, true));
    t.cancel_all();
    assert_eq!(t.watching(), (false, false));
    assert!(!t.dwell_armed());
    document()
        .dispatch_event(&mouse_out(-2, true))
        .expect("dispatch");
    TimeoutFuture::new(120).await;
    assert_eq!((dwell.get(), idle.get(), exit.get()), (0, 0, 0));

    // Dropping cancels too.
    let mut t = Triggers::new();
    let (dwell, f) = counter();
    t.arm(20, f);
    drop(t);
    TimeoutFuture::new(80).await;
    assert_eq!(dwell.get(), 0);
}

fn mouse_out(client_y: i32, leaving_the_page: bool) -> MouseEvent {
    let init = MouseEventInit::new();
    init.set_client_y(client_y);
    init.set_bubbles(true);
    if !leaving_the_page {
        let body: web_sys::EventTarget = document().body().expect("body").into();
        init.set_related_target(Some(&body));
    }
    MouseEvent::new_with_mouse_event_init_dict("mouseout", &init).expect("event")
}

#[wasm_bindgen_test]
fn exit_intent_is_the_pointer_leaving_through_the_top() {
    let mut t = Triggers::new();
    let exits = Rc::new(Cell::new(0));
    let e = exits.clone();
    t.watch_exit_intent(move || e.set(e.get() + 1))
        .expect("exit");
    document()
        .dispatch_event(&mouse_out(300, true))
        .expect("dispatch");
    assert_eq!(exits.get(), 0, "left through the bottom or a side");
    document()
        .dispatch_event(&mouse_out(-3, false))
        .expect("dispatch");
    assert_eq!(exits.get(), 0, "moved onto another element");
    document()
        .dispatch_event(&mouse_out(-3, true))
        .expect("dispatch");
    assert_eq!(exits.get(), 1);
    document()
        .dispatch_event(&mouse_out(0, true))
        .expect("dispatch");
    assert_eq!(exits.get(), 2);
    t.cancel_all();
    document()
        .dispatch_event(&mouse_out(-3, true))
        .expect("dispatch");
    assert_eq!(exits.get(), 2);
}

#[wasm_bindgen_test]
async fn idle_fires_after_quiet_and_activity_postpones_it() {
    let window = web_sys::window().expect("window");
    let mut t = Triggers::new();
    let fired: Rc<Cell<Vec<u64>>> = Rc::new(Cell::new(Vec::new()));
    let f = fired.clone();
    t.watch_idle(150, move |quiet| {
        let mut all = f.take();
        all.push(quiet);
        f.set(all);
    })
    .expect("idle");
    // Activity at 100 ms moves the deadline to about 250 ms.
    TimeoutFuture::new(100).await;
    window.dispatch_event(&key("a")).expect("dispatch");
    TimeoutFuture::new(100).await; // ~200 ms
    assert!(fired.take().is_empty(), "postponed by the key press");
    TimeoutFuture::new(200).await; // ~400 ms
    let once = fired.take();
    assert_eq!(once.len(), 1, "{once:?}");
    assert!(once[0] >= 150, "{once:?}");
    // Fires again only after new activity and another quiet spell.
    TimeoutFuture::new(250).await;
    assert!(fired.take().is_empty());
    window.dispatch_event(&key("b")).expect("dispatch");
    TimeoutFuture::new(350).await;
    assert_eq!(fired.take().len(), 1);
    t.cancel_all();
}
