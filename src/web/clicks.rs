//! `data-intent` attributes: `<button data-intent="size_guide">` turns a click into the event a
//! store cannot express in GA4. One delegated listener on the document, in the capture phase so
//! that a handler stopping propagation does not hide the click.
//!
//! The value is a short name (`size_guide`, `shipping`, `returns`, `faq`, `pricing`, `review`,
//! `quiz`, `coupon`, `wishlist`, `variant`, `social`) or any event name of the model.
//! `data-intent-item="SKU"` (and optionally `data-intent-price`) names the item, which
//! `wishlist` and `variant` need.

use super::dispatch::set;
use super::scorer::Source;
use crate::core::Event;
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

/// The event of a `data-intent` value.
fn event_name(intent: &str) -> &str {
    match intent {
        "size_guide" => "view_size_guide",
        "shipping" => "view_shipping_policy",
        "returns" => "view_returns_policy",
        "faq" => "view_faq",
        "pricing" => "view_pricing",
        "review" | "reviews" => "review_engagement",
        "quiz" => "quiz_complete",
        "coupon" => "apply_coupon",
        "wishlist" => "add_to_wishlist",
        "variant" => "select_variant",
        "social" => "social_follow",
        other => other,
    }
}

/// Listens for clicks on `data-intent` elements.
pub(crate) fn listen(gen: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    super::listen_capture(&document, "click", gen, |event| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(element) = target.closest("[data-intent]").ok().flatten() else {
            return;
        };
        let Some(intent) = element
            .get_attribute("data-intent")
            .filter(|v| v.len() <= 64)
        else {
            return;
        };
        let params = Object::new();
        if let Some(id) = element.get_attribute("data-intent-item") {
            let item = Object::new();
            set(&item, "item_id", &JsValue::from_str(&id));
            if let Some(price) = element.get_attribute("data-intent-price") {
                set(&item, "price", &JsValue::from_str(&price));
            }
            set(&params, "items", &Array::of1(&item));
        }
        super::datalayer::recheck();
        let now = super::now_ms();
        super::ingest(
            Event::decode(event_name(intent.trim()), now, &JsValue::from(params)),
            Source::Click,
        );
    });
}
