//! Segment and RudderStack calls under the e-commerce spec (v2), one JSON object per line:
//! `{type, event, anonymousId, userId, timestamp, properties, context: {page: {url, referrer},
//! campaign}}`.
//!
//! | spec event (`type: "track"`) | canonical event |
//! |---|---|
//! | `Products Searched` | `search` |
//! | `Product List Viewed`, `Product List Filtered` | `view_item_list` |
//! | `Product Clicked` | `select_item` |
//! | `Product Viewed` | `view_item` |
//! | `Product Added`, `Product Removed` | `add_to_cart`, `remove_from_cart` |
//! | `Product Added to Wishlist` | `add_to_wishlist` |
//! | `Product Reviewed` | `review_engagement` |
//! | `Cart Viewed` | `view_cart` |
//! | `Checkout Started` | `begin_checkout` |
//! | `Payment Info Entered` | `add_payment_info` |
//! | `Order Completed`, `Order Refunded` | `purchase`, `refund` |
//! | `Coupon Applied` | `apply_coupon` |
//! | `Signed Up`, `Signed In` | `sign_up`, `login` |
//! | `Email Opened`, `Unsubscribed` | `email_open`, `email_unsubscribe` |
//! | a GA4 or model name (`view_size_guide`…) | as is |
//! | a `page` call | `page_view` |
//! | anything else (`identify`, `Checkout Step Viewed`…) | unknown, counted |
//!
//! Event names are matched ignoring case. `anonymousId` is the visitor, else `userId` (the
//! browser's id, as the on-device profile is per browser); `timestamp` (else
//! `originalTimestamp`) the time. Products: the properties themselves for single-product events,
//! `properties.products[]` for the others; `product_id` (else `sku`, else `id`) → `item_id`,
//! `name`, `category`, `price`, `quantity`, `coupon`. `value`: `revenue`, else `total`, else
//! `value` (Segment's GA4 destination maps `revenue`). `context.page.url` (else
//! `properties.url`) and `context.page.referrer` (else `properties.referrer`) are `page_location`
//! and `page_referrer`; `context.campaign` (`source`, `medium`, `name`, `term`, `content`) is
//! appended to `page_location` as `utm_*` when it has none.

use super::super::input;
use super::LineEvent;
use crate::core::{Event, EventKind};
use serde_json::{Map, Value};

const NAMES: [(&str, &str); 19] = [
    ("products searched", "search"),
    ("product list viewed", "view_item_list"),
    ("product list filtered", "view_item_list"),
    ("product clicked", "select_item"),
    ("product viewed", "view_item"),
    ("product added", "add_to_cart"),
    ("product removed", "remove_from_cart"),
    ("product added to wishlist", "add_to_wishlist"),
    ("product reviewed", "review_engagement"),
    ("cart viewed", "view_cart"),
    ("checkout started", "begin_checkout"),
    ("payment info entered", "add_payment_info"),
    ("order completed", "purchase"),
    ("order refunded", "refund"),
    ("coupon applied", "apply_coupon"),
    ("signed up", "sign_up"),
    ("signed in", "login"),
    ("email opened", "email_open"),
    ("unsubscribed", "email_unsubscribe"),
];

/// One call.
pub fn line(text: &str) -> Result<LineEvent, String> {
    let call: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = call.as_object().ok_or("not a JSON object")?;
    let visitor = super::first_id(&call, &["anonymousId", "userId"])
        .ok_or("neither `anonymousId` nor `userId` is set")?;
    let time = obj
        .get("timestamp")
        .or_else(|| obj.get("originalTimestamp"))
        .ok_or("`timestamp` is missing")?;
    let time_ms = input::parse_time(time).map_err(|m| format!("`timestamp`: {m}"))?;
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or("track");
    let name = match kind {
        "page" => "page_view",
        "track" => {
            let event = obj
                .get("event")
                .and_then(Value::as_str)
                .ok_or("`event` is missing or not a string")?;
            match canonical(event) {
                Some(name) => name,
                None => return Ok((visitor, time_ms, None)),
            }
        }
        _ => return Ok((visitor, time_ms, None)),
    };
    let properties = match obj.get("properties") {
        None | Some(Value::Null) => &Map::new(),
        Some(Value::Object(o)) => o,
        Some(_) => return Err("`properties` must be an object".into()),
    };
    let params = params(name, properties, obj.get("context"))?;
    let event = Event::decode(name, time_ms, &&params).map_err(|e| e.to_string())?;
    Ok((visitor, time_ms, event))
}

/// The canonical name of a spec event, or of a GA4 name used as is.
fn canonical(event: &str) -> Option<&'static str> {
    let lower = event.trim().to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(spec, _)| *spec == lower)
        .map(|(_, ga4)| *ga4)
        .or_else(|| EventKind::from_name(&lower).map(EventKind::name))
}

fn params(
    name: &str,
    properties: &Map<String, Value>,
    context: Option<&Value>,
) -> Result<Value, String> {
    let mut out = Map::new();
    let products = match properties.get("products") {
        Some(Value::Array(list)) => list.iter().map(product).collect(),
        Some(Value::Null) | None => {
            let single = properties.contains_key("product_id")
                || properties.contains_key("sku")
                || (properties.contains_key("name") && name != "page_view");
            if single {
                vec![product(&Value::Object(properties.clone()))]
            } else {
                Vec::new()
            }
        }
        Some(_) => return Err("`properties.products` must be an array".into()),
    };
    if !products.is_empty() {
        out.insert("items".into(), Value::Array(products));
    }
    if let Some(v) = ["revenue", "total", "value"]
        .iter()
        .find_map(|k| properties.get(*k).filter(|v| !v.is_null()))
    {
        out.insert("value".into(), v.clone());
    }
    if let Some(c) = properties.get("coupon") {
        out.insert("coupon".into(), c.clone());
    }
    let page = context.and_then(|c| c.get("page"));
    let pick = |key: &str| {
        page.and_then(|p| p.get(key))
            .filter(|v| !v.is_null() && *v != "")
            .or_else(|| properties.get(key).filter(|v| !v.is_null() && *v != ""))
    };
    if let Some(referrer) = pick("referrer") {
        out.insert("page_referrer".into(), referrer.clone());
    }
    match pick("url") {
        Some(Value::String(url)) => {
            let c = context.and_then(|c| c.get("campaign"));
            let field = |k: &str| c.and_then(|c| c.get(k)).and_then(Value::as_str);
            let campaign = [
                ("utm_source", field("source")),
                ("utm_medium", field("medium")),
                ("utm_campaign", field("name")),
                ("utm_term", field("term")),
                ("utm_content", field("content")),
            ];
            let url = super::with_campaign(url.clone(), &campaign);
            out.insert("page_location".into(), Value::String(url));
        }
        Some(other) => {
            out.insert("page_location".into(), other.clone());
        }
        None => {}
    }
    Ok(Value::Object(out))
}

/// A spec product as a GA4 item.
fn product(p: &Value) -> Value {
    let mut item = Map::new();
    let id = ["product_id", "sku", "id"]
        .iter()
        .find_map(|k| p.get(*k).filter(|v| !v.is_null() && *v != ""));
    if let Some(id) = id {
        item.insert("item_id".into(), id.clone());
    }
    for (from, to) in [
        ("name", "item_name"),
        ("category", "item_category"),
        ("price", "price"),
        ("quantity", "quantity"),
        ("coupon", "coupon"),
    ] {
        if let Some(v) = p.get(from).filter(|v| !v.is_null()) {
            item.insert(to.into(), v.clone());
        }
    }
    Value::Object(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_and_ga4_names_pass_through() {
        assert_eq!(canonical("order COMPLETED"), Some("purchase"));
        assert_eq!(canonical("view_size_guide"), Some("view_size_guide"));
        assert_eq!(canonical("Checkout Step Viewed"), None);
        let call = r#"{"type":"track","event":"Order Completed","userId":"u1","timestamp":"2024-05-01T10:00:00Z","properties":{"total":120,"revenue":100,"products":[{"sku":"S1","price":50,"quantity":2}]}}"#;
        let (visitor, _, e) = line(call).unwrap();
        let e = e.unwrap();
        assert_eq!(
            (visitor.as_str(), e.value, e.items[0].id.as_str()),
            ("u1", Some(100.0), "S1")
        );
    }
}
