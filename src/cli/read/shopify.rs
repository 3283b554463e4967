//! Shopify customer events as the Web Pixels API delivers them, one JSON object per line:
//! `{id, name, type, timestamp, clientId, context: {document: {location: {href}, referrer}}, data}`.
//!
//! | Web Pixels event | canonical event | items from |
//! |---|---|---|
//! | `page_viewed` | `page_view` | |
//! | `product_viewed` | `view_item` | `data.productVariant` |
//! | `collection_viewed` | `view_item_list` | `data.collection.productVariants` |
//! | `search_submitted` | `search` | |
//! | `product_added_to_cart`, `product_removed_from_cart` | `add_to_cart`, `remove_from_cart` | `data.cartLine` (`merchandise`, `quantity`) |
//! | `cart_viewed` | `view_cart` | `data.cart.lines` |
//! | `checkout_started` | `begin_checkout` | `data.checkout.lineItems` (`variant`, `quantity`) |
//! | `checkout_shipping_info_submitted` | `add_shipping_info` | the same |
//! | `payment_info_submitted` | `add_payment_info` | the same |
//! | `checkout_completed` | `purchase`, `value` = `data.checkout.totalPrice.amount` | the same |
//! | a custom event (`type: "custom"`) | its name, `customData` as GA4 params | |
//! | anything else (`checkout_contact_info_submitted`, DOM events…) | unknown, counted | |
//!
//! `clientId` is the visitor; `timestamp` (ISO 8601) the time; `context.document.location.href`
//! and `context.document.referrer` are `page_location` and `page_referrer`. An item is named by
//! its product id (else the variant id), with the product title, type (as category), the
//! variant's `price.amount` and the line's quantity: as `www/integrations/shopify-pixel.js`
//! names them in the browser, so recent purchases match. A discount code applied to the
//! checkout (`discountApplications[].type` `DISCOUNT_CODE`) is a coupon.

use super::super::input;
use super::LineEvent;
use crate::core::Event;
use serde_json::{json, Map, Value};

/// One customer event.
pub fn line(text: &str) -> Result<LineEvent, String> {
    let e: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = e.as_object().ok_or("not a JSON object")?;
    let visitor = match obj.get("clientId") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err("`clientId` is missing or not a non-empty string".into()),
    };
    let time_ms = match obj.get("timestamp") {
        Some(t) => input::parse_time(t).map_err(|m| format!("`timestamp`: {m}"))?,
        None => return Err("`timestamp` is missing".into()),
    };
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .ok_or("`name` is missing or not a string")?;
    let data = obj.get("data").unwrap_or(&Value::Null);
    let custom = obj.get("type").and_then(Value::as_str) == Some("custom");
    let Some((ga4, mut params)) = map(name, data, custom)? else {
        return Ok((visitor, time_ms, None));
    };
    let document = e.pointer("/context/document");
    for (key, pointer) in [
        ("page_location", "/location/href"),
        ("page_referrer", "/referrer"),
    ] {
        match document.and_then(|d| d.pointer(pointer)) {
            Some(Value::String(s)) if s.is_empty() => {}
            Some(v) => {
                params.insert(key.into(), v.clone());
            }
            None => {}
        }
    }
    let event = Event::decode(ga4, time_ms, &&Value::Object(params)).map_err(|e| e.to_string())?;
    Ok((visitor, time_ms, event))
}

/// A GA4 event name and its params.
type Ga4Event<'a> = (&'a str, Map<String, Value>);

/// The GA4 name and params of a Web Pixels event; `None` for one the model has no use for.
fn map<'a>(name: &'a str, data: &Value, custom: bool) -> Result<Option<Ga4Event<'a>>, String> {
    if custom {
        let params = match data.get("customData") {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        };
        return Ok(Some((name, params)));
    }
    let mut params = Map::new();
    let ga4 = match name {
        "page_viewed" => "page_view",
        "search_submitted" => "search",
        "product_viewed" => {
            params.insert("items".into(), items([(data.get("productVariant"), None)]));
            "view_item"
        }
        "collection_viewed" => {
            let variants = data.pointer("/collection/productVariants");
            let list = variants.and_then(Value::as_array).map_or(&[][..], |v| v);
            params.insert("items".into(), items(list.iter().map(|v| (Some(v), None))));
            "view_item_list"
        }
        "product_added_to_cart" | "product_removed_from_cart" => {
            let line = data.get("cartLine");
            let merchandise = line.and_then(|l| l.get("merchandise"));
            let quantity = line.and_then(|l| l.get("quantity"));
            params.insert("items".into(), items([(merchandise, quantity)]));
            if name == "product_added_to_cart" {
                "add_to_cart"
            } else {
                "remove_from_cart"
            }
        }
        "cart_viewed" => {
            let lines = data.pointer("/cart/lines").and_then(Value::as_array);
            let lines = lines.map_or(&[][..], |l| l);
            let pairs = lines
                .iter()
                .map(|l| (l.get("merchandise"), l.get("quantity")));
            params.insert("items".into(), items(pairs));
            "view_cart"
        }
        "checkout_started"
        | "checkout_shipping_info_submitted"
        | "payment_info_submitted"
        | "checkout_completed" => {
            let checkout = data.get("checkout").unwrap_or(&Value::Null);
            checkout_params(checkout, &mut params)?;
            match name {
                "checkout_started" => "begin_checkout",
                "checkout_shipping_info_submitted" => "add_shipping_info",
                "payment_info_submitted" => "add_payment_info",
                _ => "purchase",
            }
        }
        _ => return Ok(None),
    };
    Ok(Some((ga4, params)))
}

fn checkout_params(checkout: &Value, params: &mut Map<String, Value>) -> Result<(), String> {
    let lines = match checkout.get("lineItems") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a,
        Some(_) => return Err("`data.checkout.lineItems` must be an array".into()),
    };
    let pairs = lines.iter().map(|l| (l.get("variant"), l.get("quantity")));
    params.insert("items".into(), items(pairs));
    if let Some(total) = checkout.pointer("/totalPrice/amount") {
        params.insert("value".into(), total.clone());
    }
    let discounts = checkout
        .get("discountApplications")
        .and_then(Value::as_array);
    let code = discounts.into_iter().flatten().find_map(|d| {
        (d.get("type").and_then(Value::as_str) == Some("DISCOUNT_CODE"))
            .then(|| d.get("title").cloned())
            .flatten()
    });
    if let Some(code) = code {
        params.insert("coupon".into(), code);
    }
    Ok(())
}

/// GA4 items from (ProductVariant, quantity) pairs; a missing variant is left out.
fn items<'a>(pairs: impl IntoIterator<Item = (Option<&'a Value>, Option<&'a Value>)>) -> Value {
    let items = pairs
        .into_iter()
        .filter_map(|(variant, quantity)| {
            let variant = variant.filter(|v| v.is_object())?;
            let product = variant.get("product");
            let id = product
                .and_then(|p| p.get("id"))
                .filter(|v| !v.is_null())
                .or_else(|| variant.get("id"))
                .cloned()
                .unwrap_or(Value::Null);
            let mut item = json!({ "item_id": id });
            let fields = [
                ("item_name", product.and_then(|p| p.get("title"))),
                ("item_category", product.and_then(|p| p.get("type"))),
                ("price", variant.pointer("/price/amount")),
                ("quantity", quantity),
            ];
            for (key, value) in fields {
                if let Some(v) = value.filter(|v| !v.is_null() && v != &&json!("")) {
                    item[key] = v.clone();
                }
            }
            Some(item)
        })
        .collect();
    Value::Array(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_events_keep_their_name_and_discount_codes_are_coupons() {
        let custom = r#"{"name":"view_size_guide","type":"custom","timestamp":"2024-05-01T10:00:00Z","clientId":"c","customData":{}}"#;
        let (_, _, e) = line(custom).unwrap();
        assert_eq!(e.unwrap().kind, crate::core::EventKind::ViewSizeGuide);
        let done = r#"{"name":"checkout_completed","timestamp":"2024-05-01T10:00:00Z","clientId":"c","data":{"checkout":{"totalPrice":{"amount":"12.50"},"discountApplications":[{"type":"DISCOUNT_CODE","title":"MAY10"}],"lineItems":[{"quantity":1,"variant":{"id":"v1","price":{"amount":12.5}}}]}}}"#;
        let e = line(done).unwrap().2.unwrap();
        assert_eq!(
            (e.value, e.coupon, e.items[0].id.as_str()),
            (Some(12.5), true, "v1")
        );
    }
}
