//! Recorded dataLayer pushes, one per line: `{"visitor", "time", "page_location"?,
//! "page_referrer"?, "push"}`.

use super::super::input;

/// A recorded dataLayer push: the wrapper gives visitor, time and the page; the push is a GTM
/// object (`{"event": name, "ecommerce": {...}}`) or a gtag call (`["event", name, {...}]`).
/// Pushes that are not events (`{"ecommerce": null}`, `["config", ...]`, `gtm.js`) are unknown.
pub(super) fn line(text: &str) -> Result<super::LineEvent, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = value.as_object_mut().ok_or("not a JSON object")?;
    let (visitor, time_ms) = input::visitor_and_time(obj)?;
    let page: Vec<(String, serde_json::Value)> = ["page_location", "page_referrer"]
        .iter()
        .filter_map(|k| obj.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    let push = obj.remove("push").ok_or("`push` is missing")?;
    let Some((name, mut params)) = push_event(push)? else {
        return Ok((visitor, time_ms, None));
    };
    if let serde_json::Value::Object(p) = &mut params {
        for (k, v) in page {
            p.entry(k).or_insert(v);
        }
    }
    let event = crate::core::Event::decode(&name, time_ms, &&params).map_err(|e| e.to_string())?;
    Ok((visitor, time_ms, event))
}

/// The event name and parameters of a recorded push: a GTM object (its `event` taken out) or a
/// gtag `["event", name, params?]`; `None` for a push that is no event.
pub(crate) fn push_event(
    push: serde_json::Value,
) -> Result<Option<(String, serde_json::Value)>, String> {
    let empty = || serde_json::Value::Object(Default::default());
    match push {
        serde_json::Value::Object(mut o) => match o.remove("event") {
            Some(serde_json::Value::String(name)) => Ok(Some((name, serde_json::Value::Object(o)))),
            Some(_) => Err("`push.event` must be a string".into()),
            None => Ok(None),
        },
        serde_json::Value::Array(mut args) => {
            if args.first().and_then(|c| c.as_str()) != Some("event") {
                return Ok(None);
            }
            let params = if args.len() > 2 {
                args.swap_remove(2)
            } else {
                empty()
            };
            let params = match params {
                serde_json::Value::Null => empty(),
                p if p.is_object() => p,
                _ => return Err("the gtag parameters `push[2]` must be an object".into()),
            };
            match args.get(1) {
                Some(serde_json::Value::String(name)) => Ok(Some((name.clone(), params))),
                _ => Err("`push[1]`, the gtag event name, must be a string".into()),
            }
        }
        _ => Err("`push` must be an object or a gtag argument array".into()),
    }
}
