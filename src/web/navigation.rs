//! Page views: one for the page load (with `location.href` and `document.referrer`, which give
//! the visit its landing page and channel), one per SPA navigation (`history.pushState`,
//! `replaceState`, `popstate`) and one per back-forward cache restore (`pageshow` with
//! `persisted`). The scorer counts one page view per path per navigation, so a GA4 or Shopify
//! `page_view` for the same page is not counted twice.

use super::scorer::Source;
use crate::core::event::MAX_URL;
use crate::core::{Event, EventKind};
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `location.href`, shortened to the path when it is too long to keep.
pub(crate) fn href() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    if href.len() <= MAX_URL {
        return Some(href);
    }
    // Queries can be long (and personal); the path is what scoring needs.
    let mut end = href.find(['?', '#']).unwrap_or(href.len()).min(MAX_URL);
    while !href.is_char_boundary(end) {
        end -= 1;
    }
    Some(href[..end].into())
}

/// Counts a page view of the current location.
pub(crate) fn page_view(source: Source) {
    let mut event = Event::new(EventKind::PageView, super::now_ms());
    event.page_location = href();
    super::ingest(Ok(Some(event)), source);
}

/// Watches SPA navigations and back-forward restores (when the config's `spa` is on).
pub(crate) fn listen(gen: u32, shims: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(watcher) = Reflect::get(shims, &"watchHistory".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        let notify = Closure::<dyn FnMut(JsValue)>::new(move |_method: JsValue| {
            if super::current(gen) {
                navigated();
            }
        });
        if let Ok(history) = window.history() {
            let _ = watcher.call2(&JsValue::NULL, &history, &notify.into_js_value());
        }
    }
    super::listen(&window, "popstate", gen, |_| navigated());
    super::listen(&window, "pageshow", gen, |event| {
        let restored = event
            .dyn_ref::<web_sys::PageTransitionEvent>()
            .is_some_and(|e| e.persisted());
        if restored {
            // Frozen in the cache, the page missed other tabs' writes.
            let now = super::now_ms();
            super::act(|s, out| s.load(now, out));
            page_view(Source::Restore);
        }
    });
}

fn navigated() {
    super::datalayer::recheck();
    page_view(Source::Page);
}
