//! The REES46 and Taobao CSV rows (header `event_time,event_type,…` and
//! `user_id,item_id,category_id,behavior_type,timestamp`).

use super::super::input;
use crate::core::{Event, EventKind, Item};

/// A column error: (column name, message).
pub(super) type ColumnError = (&'static str, String);
/// A CSV row read: time, kind, and the event when built.
pub(super) type RowEvent = (u64, Option<EventKind>, Option<Event>);

fn field<'r>(
    row: &'r csv::ByteRecord,
    i: usize,
    name: &'static str,
) -> Result<&'r str, ColumnError> {
    let raw = row.get(i).ok_or_else(|| {
        (
            name,
            format!("is missing (the row has {} columns)", row.len()),
        )
    })?;
    std::str::from_utf8(raw).map_err(|_| (name, "is not UTF-8".to_string()))
}

fn nonempty<'r>(
    row: &'r csv::ByteRecord,
    i: usize,
    name: &'static str,
) -> Result<&'r str, ColumnError> {
    let v = field(row, i, name)?;
    if v.is_empty() {
        return Err((name, "is empty".into()));
    }
    Ok(v)
}

/// A price: empty is unknown; otherwise a finite, non-negative number.
fn price(text: &str) -> Result<Option<f64>, ColumnError> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(p) if p.is_finite() && p >= 0.0 => Ok(Some(p)),
        Ok(_) => Err(("price", format!("{text:?} is negative or not finite"))),
        Err(_) => Err(("price", format!("{text:?} is not a number"))),
    }
}

/// REES46 times are `YYYY-MM-DD HH:MM:SS UTC`; this layout is read without a format parser
/// (the replay's hottest step), anything else goes through [`input::parse_time_text`].
pub(super) fn rees46_time(text: &str) -> Result<u64, String> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32)
        })
    };
    let fixed = (b.len() == 19 || (b.len() == 23 && &b[19..] == b" UTC"))
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':';
    if fixed {
        let parts = (
            digits(0..4),
            digits(5..7),
            digits(8..10),
            digits(11..13),
            digits(14..16),
            digits(17..19),
        );
        if let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = parts {
            let at = chrono::NaiveDate::from_ymd_opt(y as i32, mo, d)
                .and_then(|date| date.and_hms_opt(h, mi, s))
                .map(|t| t.and_utc().timestamp_millis());
            return match at.map(u64::try_from) {
                Some(Ok(ms)) => Ok(ms),
                _ => Err(format!("{text:?} is not a valid time")),
            };
        }
    }
    input::parse_time_text(text)
}

fn item(id: &str, category: &str, price: Option<f64>) -> Item {
    Item {
        id: id.into(),
        name: None,
        category: (!category.is_empty()).then(|| category.into()),
        price,
        quantity: 1.0,
    }
}

/// `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`.
///
/// `user_session` is not used: visits come from the core's 30-minute rule, as in the browser.
pub(super) fn rees46_row(
    row: &csv::ByteRecord,
    full: bool,
    visitor: &mut String,
) -> Result<RowEvent, ColumnError> {
    let time_ms = rees46_time(field(row, 0, "event_time")?).map_err(|m| ("event_time", m))?;
    let kind = match field(row, 1, "event_type")? {
        "view" => Some(EventKind::ViewItem),
        "cart" => Some(EventKind::AddToCart),
        "remove_from_cart" => Some(EventKind::RemoveFromCart),
        "purchase" => Some(EventKind::Purchase),
        "" => return Err(("event_type", "is empty".into())),
        _ => None,
    };
    let product = nonempty(row, 2, "product_id")?;
    let category = field(row, 4, "category_code")?;
    let price = price(field(row, 6, "price")?)?;
    let user = nonempty(row, 7, "user_id")?;
    visitor.clear();
    visitor.push_str(user);
    let event = match kind {
        Some(kind) if full => {
            let mut event = Event::new(kind, time_ms);
            event.items.push(item(product, category, price));
            if kind == EventKind::Purchase {
                event.value = price;
            }
            Some(event)
        }
        _ => None,
    };
    Ok((time_ms, kind, event))
}

/// `user_id,item_id,category_id,behavior_type,timestamp`, the timestamp in Unix seconds.
pub(super) fn taobao_row_event(
    row: &csv::ByteRecord,
    full: bool,
    visitor: &mut String,
) -> Result<RowEvent, ColumnError> {
    let user = nonempty(row, 0, "user_id")?;
    let product = nonempty(row, 1, "item_id")?;
    let category = field(row, 2, "category_id")?;
    let kind = match field(row, 3, "behavior_type")? {
        "pv" => Some(EventKind::ViewItem),
        "cart" => Some(EventKind::AddToCart),
        "fav" => Some(EventKind::AddToWishlist),
        "buy" => Some(EventKind::Purchase),
        "" => return Err(("behavior_type", "is empty".into())),
        _ => None,
    };
    let stamp = field(row, 4, "timestamp")?;
    let seconds: u64 = stamp
        .parse()
        .map_err(|_| ("timestamp", format!("{stamp:?} is not Unix seconds")))?;
    let time_ms = seconds
        .checked_mul(1000)
        .ok_or(("timestamp", format!("{stamp:?} is out of range")))?;
    visitor.clear();
    visitor.push_str(user);
    let event = match kind {
        Some(kind) if full => {
            let mut event = Event::new(kind, time_ms);
            event.items.push(item(product, category, None));
            Some(event)
        }
        _ => None,
    };
    Ok((time_ms, kind, event))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rees46_times_match_the_general_parser() {
        for t in [
            "2019-10-01 00:00:00 UTC",
            "2019-10-31 23:59:59 UTC",
            "2020-02-29 12:30:05",
        ] {
            assert_eq!(rees46_time(t), input::parse_time_text(t), "{t}");
        }
        assert!(rees46_time("2019-13-01 00:00:00 UTC").is_err());
        assert!(rees46_time("yesterday").is_err());
    }
}
