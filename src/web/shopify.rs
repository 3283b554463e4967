//! Shopify (EVENTS.md §2): the standard storefront events a theme dispatches on the document
//! (`shopify:product:view` → `view_item`, `shopify:cart:lines-update` → `add_to_cart` /
//! `remove_from_cart`, `shopify:product:select` → `select_variant`, …) and the customer privacy
//! API. Themes decide which events exist, so each is optional. Payload fields sit on the event
//! object (Shopify's own dispatcher) or in `detail` (a theme's `CustomEvent`); both are read.
//! Web Pixel events only reach a custom pixel: see `www/integrations/shopify-pixel.js`.

use super::dispatch::set;
use super::params::read;
use super::scorer::Source;
use crate::core::{Event, Params, Value};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

const EVENTS: &[&str] = &[
    "shopify:page:view",
    "shopify:product:view",
    "shopify:product:select",
    "shopify:collection:view",
    "shopify:cart:view",
    "shopify:cart:lines-update",
    "shopify:search:update",
    "visitorConsentCollected",
];

/// Listens for the storefront events and the consent event.
pub(crate) fn listen(gen: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for &name in EVENTS {
        super::listen(&document, name, gen, on_event);
    }
}

/// A payload field: on the event itself, else in its `detail`.
fn field(event: &JsValue, key: &str) -> Option<JsValue> {
    read(event, key).or_else(|| read(event, "detail").and_then(|d| read(&d, key)))
}

fn text(value: &Option<JsValue>) -> Option<String> {
    match value.as_ref()?.value() {
        Value::Text(s) => Some(s),
        // Ids are often numbers; only whole ones make sense as ids.
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some((n as i64).to_string()),
        _ => None,
    }
}

/// `gid://shopify/Product/123` → `123`, as GA4 integrations usually name the item.
fn id(value: &Option<JsValue>) -> Option<String> {
    let id = text(value)?;
    Some(id.rsplit('/').next().unwrap_or(&id).into())
}

/// A price: a number, a numeric string, or a `MoneyV2` `{amount}`.
fn price(value: Option<JsValue>) -> Option<JsValue> {
    let value = value?;
    match value.value() {
        Value::Map => read(&value, "amount"),
        Value::Number(_) | Value::Text(_) => Some(value),
        _ => None,
    }
}

/// A GA4 item from a product and its variant (either may be missing).
fn item(
    product: Option<JsValue>,
    variant: Option<JsValue>,
    quantity: Option<JsValue>,
) -> Option<Object> {
    let product = product.or_else(|| variant.as_ref().and_then(|v| read(v, "product")));
    let id = id(&product.as_ref().and_then(|p| read(p, "id")))
        .or_else(|| id(&variant.as_ref().and_then(|v| read(v, "id"))))?;
    let item = Object::new();
    set(&item, "item_id", &id.as_str().into());
    if let Some(name) = text(&product.as_ref().and_then(|p| read(p, "title"))) {
        set(&item, "item_name", &name.as_str().into());
    }
    let amount = price(variant.as_ref().and_then(|v| read(v, "price")))
        .or_else(|| price(product.as_ref().and_then(|p| read(p, "price"))));
    if let Some(amount) = amount {
        set(&item, "price", &amount);
    }
    if let Some(q) = quantity {
        set(&item, "quantity", &q);
    }
    Some(item)
}

fn with_items(items: Array) -> JsValue {
    let params = Object::new();
    set(&params, "items", &items);
    params.into()
}

fn on_event(event: &web_sys::Event) {
    let ev: &JsValue = event.as_ref();
    let context = text(&field(ev, "context"));
    let params = match event.type_().as_str() {
        "shopify:page:view" => {
            super::navigation::page_view(Source::Page);
            return;
        }
        "visitorConsentCollected" => {
            let detail = Reflect::get(ev, &"detail".into()).unwrap_or_default();
            if let Some(say) = super::consent::shopify_collected(&detail) {
                let now = super::now_ms();
                super::act(|s, out| {
                    s.consent_changed(
                        |c| {
                            c.shopify = Some(say);
                            say.granted
                        },
                        now,
                        out,
                    )
                });
            }
            return;
        }
        // A product page or a quick-view dialog; grid cards and recommendations are not views.
        "shopify:product:view" | "shopify:product:select"
            if matches!(context.as_deref(), Some("page" | "dialog") | None) =>
        {
            let Some(item) = item(field(ev, "product"), field(ev, "selectedVariant"), None) else {
                return;
            };
            ("product", with_items(Array::of1(&item)))
        }
        "shopify:collection:view" => ("view_item_list", Object::new().into()),
        "shopify:cart:view" => ("view_cart", Object::new().into()),
        "shopify:search:update" => ("search", Object::new().into()),
        "shopify:cart:lines-update" => {
            let name = match text(&field(ev, "action")).as_deref() {
                Some("add") => "add_to_cart",
                Some("remove") => "remove_from_cart",
                // An update gives the new quantity, not the change: not an add or a removal.
                _ => return,
            };
            let items = Array::new();
            if let Some(lines) = field(ev, "lines") {
                if let Value::List(n) = lines.value() {
                    for i in 0..n.min(200) {
                        let Some(line) = lines.at(i) else { continue };
                        let merchandise = read(&line, "merchandise");
                        let fallback =
                            || read(&line, "merchandiseId").or_else(|| read(&line, "id"));
                        let item = match merchandise {
                            Some(m) => item(None, Some(m), read(&line, "quantity")),
                            None => {
                                let bare = Object::new();
                                set(&bare, "id", &fallback().unwrap_or_default());
                                item(None, Some(bare.into()), read(&line, "quantity"))
                            }
                        };
                        if let Some(item) = item {
                            items.push(&item);
                        }
                    }
                }
            }
            (name, with_items(items))
        }
        _ => return,
    };
    let (name, params) = params;
    let name = match (name, event.type_().as_str()) {
        ("product", "shopify:product:select") => "select_variant",
        ("product", _) => "view_item",
        (other, _) => other,
    };
    let now = super::now_ms();
    super::ingest(Event::decode(name, now, &params), Source::Shopify);
}
