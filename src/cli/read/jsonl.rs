//! The canonical log: one JSON object per line, `{"visitor", "time", "event", ...params}`.

use super::super::input;
use crate::core::Event;

/// One line of the canonical log: visitor, time and the event (`None` for an event name the
/// model does not know).
pub(super) fn line(text: &str) -> Result<super::LineEvent, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    let (visitor, time_ms) = input::visitor_and_time(obj)?;
    let name = obj
        .get("event")
        .and_then(|e| e.as_str())
        .ok_or("`event` is missing or not a string")?;
    let event = Event::decode(name, time_ms, &&value).map_err(|e| e.to_string())?;
    Ok((visitor, time_ms, event))
}
