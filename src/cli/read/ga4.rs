//! GA4's BigQuery export: one row per event, as the daily `events_YYYYMMDD` tables export to
//! newline-delimited JSON (INT64 as strings, null fields left out) or to Parquet.
//!
//! | GA4 export | canonical event |
//! |---|---|
//! | `user_pseudo_id`, else `user_id` | the visitor (the browser's id, as the on-device profile is per browser: switching to `user_id` at login would split one visit in two) |
//! | `event_timestamp` (µs, integer or its string) | `time` (ms) |
//! | `event_name` | the event, GA4's vocabulary as is (`session_start`, `first_visit`, `user_engagement`… are unknown, counted) |
//! | `event_params[key = page_location / page_referrer / value / coupon]`, the first of `string_value`, `int_value`, `float_value`, `double_value` | `page_location`, `page_referrer`, `value`, `coupon` |
//! | `ecommerce.purchase_revenue` (`purchase`), `ecommerce.refund_value` (`refund`) | `value` when no `value` param |
//! | `items[]`: `item_id`, `item_name`, `item_category`, `price` (else `price_in_usd`), `quantity`, `coupon` | `items` |
//! | `collected_traffic_source`: `manual_source`, `manual_medium`, `manual_campaign_name`, `manual_term`, `manual_content`, `gclid`, `dclid`; else the `source`, `medium`, `campaign`, `term`, `content` params; else, in the first session (`ga_session_number` 1), `traffic_source` (`source`, `medium`, `name`) | appended to `page_location` as `utm_*` / `gclid` / `dclid` when it has none, so the channel is the browser's |

use super::arrow_json;
use super::{parquet_error, LineEvent, Row, RowError};
use crate::core::Event;
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::path::Path;

/// The export's columns the mapping reads; Parquet reads only these.
pub const COLUMNS: [&str; 9] = [
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "event_params",
    "items",
    "ecommerce",
    "traffic_source",
    "collected_traffic_source",
];

/// One NDJSON line of the export.
pub fn line(text: &str) -> Result<LineEvent, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    row(&value)
}

/// One exported row (an object): visitor, time and the event.
pub fn row(row: &Value) -> Result<LineEvent, String> {
    let visitor = super::first_id(row, &["user_pseudo_id", "user_id"])
        .ok_or("neither `user_pseudo_id` nor `user_id` is set")?;
    let (time_ms, event) = event(row)?;
    Ok((visitor, time_ms, event))
}

/// The time and event of one exported row; `None` for an event the model does not know.
pub fn event(row: &Value) -> Result<(u64, Option<Event>), String> {
    if !row.is_object() {
        return Err("not a JSON object".into());
    }
    let micros = match row.get("event_timestamp") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .ok_or("`event_timestamp` must be microseconds since the epoch (an integer or its string)")?;
    let time_ms = micros / 1000;
    let name = row
        .get("event_name")
        .and_then(Value::as_str)
        .ok_or("`event_name` is missing or not a string")?;
    if crate::core::EventKind::from_name(name).is_none() {
        return Ok((time_ms, None));
    }
    let params = params(row)?;
    let event = Event::decode(name, time_ms, &&params).map_err(|e| e.to_string())?;
    Ok((time_ms, event))
}

/// `event_params[key]`: the first value that is set.
fn param<'a>(list: &'a [Value], key: &str) -> Option<&'a Value> {
    let entry = list
        .iter()
        .find(|p| p.get("key").and_then(Value::as_str) == Some(key))?;
    let value = entry.get("value")?;
    ["string_value", "int_value", "float_value", "double_value"]
        .iter()
        .find_map(|k| value.get(*k).filter(|v| !v.is_null()))
}

/// The canonical parameters of a row.
fn params(row: &Value) -> Result<Value, String> {
    let list: &[Value] = match row.get("event_params") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(a)) => a,
        Some(_) => return Err("`event_params` must be an array of {key, value} records".into()),
    };
    let text = |key: &str| param(list, key).and_then(Value::as_str);
    let mut out = Map::new();
    for key in ["page_referrer", "coupon"] {
        if let Some(v) = param(list, key) {
            out.insert(key.into(), v.clone());
        }
    }
    let ecommerce = row.get("ecommerce");
    let revenue = match row.get("event_name").and_then(Value::as_str) {
        Some("purchase") => ecommerce.and_then(|e| e.get("purchase_revenue")),
        Some("refund") => ecommerce.and_then(|e| e.get("refund_value")),
        _ => None,
    };
    if let Some(v) = param(list, "value").or(revenue).filter(|v| !v.is_null()) {
        out.insert("value".into(), v.clone());
    }
    match param(list, "page_location") {
        Some(Value::String(url)) => {
            let url = super::with_campaign(url.clone(), &campaign(row, &text));
            out.insert("page_location".into(), Value::String(url));
        }
        Some(other) => {
            out.insert("page_location".into(), other.clone());
        }
        None => {}
    }
    match row.get("items") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let items = items.iter().map(item).collect();
            out.insert("items".into(), Value::Array(items));
        }
        Some(_) => return Err("`items` must be an array of records".into()),
    }
    Ok(Value::Object(out))
}

fn item(raw: &Value) -> Value {
    let mut out = Map::new();
    for key in [
        "item_id",
        "item_name",
        "item_category",
        "quantity",
        "coupon",
    ] {
        if let Some(v) = raw.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(v) = raw
        .get("price")
        .filter(|v| !v.is_null())
        .or_else(|| raw.get("price_in_usd"))
    {
        out.insert("price".into(), v.clone());
    }
    Value::Object(out)
}

/// The campaign of a row, first source that has one: `collected_traffic_source`, the event's
/// own `source`/`medium`/`campaign` params, the user's first `traffic_source` in session 1.
fn campaign<'a>(
    row: &'a Value,
    text: &dyn Fn(&str) -> Option<&'a str>,
) -> [(&'static str, Option<&'a str>); 7] {
    let from = |o: Option<&'a Value>, k: &str| o.and_then(|o| o.get(k)).and_then(Value::as_str);
    let collected = row.get("collected_traffic_source");
    let mut c = [
        ("utm_source", from(collected, "manual_source")),
        ("utm_medium", from(collected, "manual_medium")),
        ("utm_campaign", from(collected, "manual_campaign_name")),
        ("utm_term", from(collected, "manual_term")),
        ("utm_content", from(collected, "manual_content")),
        ("gclid", from(collected, "gclid")),
        ("dclid", from(collected, "dclid")),
    ];
    if c.iter().all(|(_, v)| v.is_none()) {
        for (slot, key) in c
            .iter_mut()
            .zip(["source", "medium", "campaign", "term", "content"])
        {
            slot.1 = text(key);
        }
    }
    let first_session = {
        let list = row.get("event_params").and_then(Value::as_array);
        let n = list.and_then(|l| param(l, "ga_session_number"));
        n.and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok())) == Some(1)
    };
    if first_session && c.iter().all(|(_, v)| v.is_none()) {
        let first = row.get("traffic_source");
        c[0].1 = from(first, "source");
        c[1].1 = from(first, "medium");
        c[2].1 = from(first, "name");
    }
    c
}

/// A Parquet export file, read `batch` rows at a time, only the [`COLUMNS`] it has.
pub fn parquet_batches(path: &Path, batch: usize) -> Result<ParquetRecordBatchReader, String> {
    let fail = |e: parquet::errors::ParquetError| format!("{}: not Parquet: {e}", path.display());
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(fail)?;
    let roots: Vec<usize> = builder
        .schema()
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| COLUMNS.contains(&f.name().as_str()))
        .map(|(i, _)| i)
        .collect();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    builder
        .with_projection(mask)
        .with_batch_size(batch)
        .build()
        .map_err(fail)
}

/// The rows of a batch, parsed on the thread pool; `first` is the file's row count before it.
pub fn parquet_rows(batch: &RecordBatch, first: u64, full: bool) -> Vec<Result<Row, RowError>> {
    let schema = batch.schema();
    let columns: Vec<(&str, &dyn Array)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().as_str(), c.as_ref()))
        .collect();
    (0..batch.num_rows())
        .into_par_iter()
        .map(|i| {
            let n = first + i as u64 + 1;
            let (visitor, time_ms, event) =
                row(&arrow_json::row(&columns, i)).map_err(|m| parquet_error(n, None, m))?;
            Ok(Row {
                line: n,
                visitor,
                time_ms,
                kind: event.as_ref().map(|e| e.kind),
                event: event.filter(|_| full),
                characteristics: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(key: &str, value: Value) -> Value {
        json!({"key": key, "value": value})
    }

    #[test]
    fn user_id_is_the_visitor_only_without_a_pseudo_id() {
        let mut r = json!({"event_timestamp": 1_714_557_600_000_000u64, "event_name": "login", "user_id": "member-7"});
        assert_eq!(row(&r).unwrap().0, "member-7");
        r["user_pseudo_id"] = json!("1.2");
        assert_eq!(row(&r).unwrap().0, "1.2");
    }

    #[test]
    fn the_first_session_takes_the_users_traffic_source() {
        let r = |session: &str| {
            json!({
                "event_timestamp": "1714557600000000", "event_name": "page_view", "user_pseudo_id": "1.2",
                "event_params": [
                    param("page_location", json!({"string_value": "https://s.example/"})),
                    param("ga_session_number", json!({"int_value": session})),
                ],
                "traffic_source": {"source": "newsletter", "medium": "email", "name": "may"}
            })
        };
        let url = |r: Value| event(&r).unwrap().1.unwrap().page_location.unwrap();
        assert_eq!(
            url(r("1")),
            "https://s.example/?utm_source=newsletter&utm_medium=email&utm_campaign=may"
        );
        assert_eq!(
            url(r("2")),
            "https://s.example/",
            "a later session is not first touch"
        );
    }

    #[test]
    fn a_purchase_without_a_value_param_takes_the_ecommerce_revenue() {
        let r = json!({
            "event_timestamp": "1714557600000000", "event_name": "purchase", "user_pseudo_id": "1.2",
            "event_params": [param("coupon", json!({"string_value": "MAY10"}))],
            "ecommerce": {"purchase_revenue": 98.5, "transaction_id": "T1"},
            "items": [{"item_id": "11", "price_in_usd": 52.0, "quantity": "2"}]
        });
        let e = event(&r).unwrap().1.unwrap();
        assert_eq!((e.value, e.coupon), (Some(98.5), true));
        assert_eq!((e.items[0].price, e.items[0].quantity), (Some(52.0), 2.0));
    }
}
