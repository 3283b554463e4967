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
    let (name, mut params) = match push {
        serde_json::Value::Object(mut o) => match o.remove("event") {
            Some(serde_json::Value::String(name)) => (name, serde_json::Value::Object(o)),
            Some(_) => return Err("`push.event` must be a string".into()),
            None => return Ok((visitor, time_ms, None)),
        },
        serde_json::Value::Array(mut args) => {
            if args.first().and_then(|c| c.as_str()) != Some("event") {
                return Ok((visitor, time_ms, None));
            }
            let params = if args.len() > 2 {
                args.swap_remove(2)
            } else {
                serde_json::Value::Object(Default::default())
            };
            match args.get(1) {
                Some(serde_json::Value::String(name)) => (name.clone(), params),
                _ => return Err("`push[1]`, the gtag event name, must be a string".into()),
            }
        }
        _ => return Err("`push` must be an object or a gtag argument array".into()),
    };
    if let serde_json::Value::Object(p) = &mut params {
        for (k, v) in page {
            p.entry(k).or_insert(v);
        }
    } else if !params.is_null() {
        return Err("the gtag parameters `push[2]` must be an object".into());
    }
    let event = crate::core::Event::decode(&name, time_ms, &&params).map_err(|e| e.to_string())?;
    Ok((visitor, time_ms, event))
}
