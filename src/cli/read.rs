//! Readers for real event logs. Each streams rows and maps them to the canonical GA4 vocabulary
//! of the core ([`Event`]); a bad row becomes a [`RowError`] naming its line and column, and the
//! caller skips and counts it.
//!
//! | format | source | mapping |
//! |---|---|---|
//! | `jsonl` | `shopper-intent score`'s canonical JSON Lines | as is |
//! | `datalayer` | `{"visitor", "time", "page_location"?, "page_referrer"?, "push"}` lines | GTM objects and gtag `["event", name, params]` |
//! | `rees46` | REES46 e-commerce CSV | view, cart, remove_from_cart, purchase |
//! | `taobao` | Alibaba UserBehavior CSV (header optional) | pv, cart, fav (wishlist), buy |
//! | `uci` | UCI Online Shoppers Intention sessions | see [`super::uci`] |

use super::input;
use super::uci::Session;
use crate::core::characteristics::Characteristics;
use crate::core::{Event, EventKind, Item};
use std::collections::VecDeque;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

/// The layout of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Canonical JSON Lines: `{"visitor", "time", "event", ...GA4 params}`.
    Jsonl,
    /// Recorded dataLayer pushes: `{"visitor", "time", "push": {...} | ["event", name, {...}]}`.
    Datalayer,
    /// REES46 CSV: `event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session`.
    Rees46,
    /// Taobao UserBehavior CSV: `user_id,item_id,category_id,behavior_type,timestamp` (seconds).
    Taobao,
    /// UCI Online Shoppers Intention: one session per row, `Revenue` as the outcome.
    Uci,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Datalayer => "datalayer",
            Format::Rees46 => "rees46",
            Format::Taobao => "taobao",
            Format::Uci => "uci",
        }
    }

    /// Whether events of this format can carry `page_location` (and so an acquisition channel).
    pub fn has_pages(self) -> bool {
        matches!(self, Format::Jsonl | Format::Datalayer)
    }

    /// Guesses the format from the first line of a file.
    pub fn detect(first_line: &str) -> Option<Format> {
        let line = first_line.trim_start_matches('\u{feff}').trim();
        if line.starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            return Some(if value.get("push").is_some() {
                Format::Datalayer
            } else {
                Format::Jsonl
            });
        }
        let header = line.to_ascii_lowercase();
        if header.starts_with("event_time,event_type") {
            Some(Format::Rees46)
        } else if header.starts_with("user_id,item_id,category_id,behavior_type")
            || taobao_row(line)
        {
            Some(Format::Taobao)
        } else if header.starts_with("administrative,") {
            Some(Format::Uci)
        } else {
            None
        }
    }
}

/// A headerless Taobao row: five fields, the fourth a known behaviour.
fn taobao_row(line: &str) -> bool {
    let fields: Vec<&str> = line.split(',').collect();
    fields.len() == 5 && matches!(fields[3], "pv" | "cart" | "fav" | "buy")
}

/// A row that could not be read: where, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// 1-based line number in the (decompressed) input.
    pub line: u64,
    /// The column (CSV) or field (JSON) at fault, when one is.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// How much of each row to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Validate everything, but build no [`Event`]: visitor, time and kind only (a first pass).
    Outline,
    /// Build the event.
    Full,
}

/// One event of the log.
#[derive(Debug)]
pub struct Record<'a> {
    /// Line it came from.
    pub line: u64,
    /// The visitor (user) id.
    pub visitor: &'a str,
    /// When, ms since the Unix epoch.
    pub time_ms: u64,
    /// Its kind; `None` for an event name the model does not know (counted, ignored).
    pub kind: Option<EventKind>,
    /// The event, with [`Detail::Full`] and a known kind.
    pub event: Option<Event>,
    /// UCI: the characteristics the session's row states (on its first event, with `Full`).
    pub characteristics: Option<Box<Characteristics>>,
}

/// A streaming reader of one log file.
pub struct Reader {
    format: Format,
    detail: Detail,
    source: Source,
    /// The current row's visitor (records borrow it).
    visitor: String,
}

enum Source {
    Lines {
        lines: Box<dyn BufRead>,
        buf: String,
        line: u64,
    },
    Csv {
        csv: csv::Reader<Box<dyn BufRead>>,
        row: csv::ByteRecord,
        /// Events of the current UCI session still to hand out.
        pending: VecDeque<(String, Event)>,
        /// The current UCI session's characteristics, handed out with its first event.
        mapped: Option<Box<Characteristics>>,
        pending_line: u64,
    },
}

impl Reader {
    /// Opens `path` (`-` or none for stdin; gzip is detected) in `format`, or the format its first
    /// line shows.
    pub fn open(
        path: Option<&Path>,
        format: Option<Format>,
        detail: Detail,
    ) -> Result<Reader, String> {
        let mut input = input::open(path)?;
        let first = first_line(&mut input)?;
        let format = match format.or_else(|| Format::detect(&first)) {
            Some(f) => f,
            None => {
                return Err(format!(
                    "cannot tell the format from the first line {:?}; give --format jsonl|datalayer|rees46|taobao|uci",
                    first.chars().take(80).collect::<String>()
                ))
            }
        };
        let source = match format {
            Format::Jsonl | Format::Datalayer => Source::Lines {
                lines: input,
                buf: String::new(),
                line: 0,
            },
            Format::Rees46 | Format::Taobao | Format::Uci => {
                let csv = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .buffer_capacity(1 << 16)
                    .from_reader(input);
                Source::Csv {
                    csv,
                    row: csv::ByteRecord::new(),
                    pending: VecDeque::new(),
                    mapped: None,
                    pending_line: 0,
                }
            }
        };
        Ok(Reader {
            format,
            detail,
            source,
            visitor: String::new(),
        })
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The next event, a bad row, or `None` at the end.
    #[allow(clippy::should_implement_trait)] // records borrow the reader, so it cannot be an Iterator
    pub fn next(&mut self) -> Option<Result<Record<'_>, RowError>> {
        let format = self.format;
        let full = self.detail == Detail::Full;
        match &mut self.source {
            Source::Lines { lines, buf, line } => loop {
                buf.clear();
                *line += 1;
                match lines.read_line(buf) {
                    Ok(0) => return None,
                    Ok(_) => {}
                    Err(e) => {
                        return Some(Err(row_error(*line, None, format!("cannot read: {e}"))))
                    }
                }
                if buf.trim().is_empty() {
                    continue;
                }
                let parsed = match format {
                    Format::Datalayer => datalayer_line(buf),
                    _ => super::score::parse_line(buf.trim_end())
                        .map(|p| (p.visitor, p.time_ms, p.event)),
                };
                return Some(match parsed {
                    Ok((visitor, time_ms, event)) => {
                        self.visitor = visitor;
                        Ok(Record {
                            line: *line,
                            visitor: &self.visitor,
                            time_ms,
                            kind: event.as_ref().map(|e| e.kind),
                            event: event.filter(|_| full),
                            characteristics: None,
                        })
                    }
                    Err(message) => Err(row_error(*line, None, message)),
                });
            },
            Source::Csv {
                csv,
                row,
                pending,
                mapped,
                pending_line,
            } => loop {
                if let Some((visitor, event)) = pending.pop_front() {
                    self.visitor = visitor;
                    return Some(Ok(Record {
                        line: *pending_line,
                        visitor: &self.visitor,
                        time_ms: event.time_ms,
                        kind: Some(event.kind),
                        event: full.then_some(event),
                        characteristics: mapped.take().filter(|_| full),
                    }));
                }
                match csv.read_byte_record(row) {
                    Ok(false) => return None,
                    Ok(true) => {}
                    Err(e) => {
                        let line = e.position().map_or(0, |p| p.line());
                        return Some(Err(row_error(line, None, format!("not CSV: {e}"))));
                    }
                }
                let line = row.position().map_or(0, |p| p.line());
                if is_header(format, row) || row.iter().all(|f| f.is_empty()) {
                    continue;
                }
                let expected = match format {
                    Format::Rees46 => 9,
                    Format::Taobao => 5,
                    _ => 18,
                };
                if row.len() != expected {
                    let message = format!(
                        "the row has {} columns; {} rows have {expected}",
                        row.len(),
                        format.name()
                    );
                    return Some(Err(row_error(line, None, message)));
                }
                let result = match format {
                    Format::Rees46 => rees46_row(row, full, &mut self.visitor),
                    Format::Taobao => taobao_row_event(row, full, &mut self.visitor),
                    _ => match super::uci::session(row, line) {
                        Ok(Session { events, mapped: m }) => {
                            pending.extend(events);
                            *mapped = Some(m);
                            *pending_line = line;
                            continue;
                        }
                        Err((column, message)) => Err((column, message)),
                    },
                };
                return Some(match result {
                    Ok((time_ms, kind, event)) => Ok(Record {
                        line,
                        visitor: &self.visitor,
                        time_ms,
                        kind,
                        event,
                        characteristics: None,
                    }),
                    Err((column, message)) => Err(row_error(line, Some(column), message)),
                });
            },
        }
    }
}

fn row_error(line: u64, column: Option<&str>, message: String) -> RowError {
    RowError {
        line,
        column: column.map(str::to_string),
        message,
    }
}

/// The first line, without consuming it.
fn first_line(input: &mut Box<dyn BufRead>) -> Result<String, String> {
    let head = input
        .fill_buf()
        .map_err(|e| format!("cannot read input: {e}"))?;
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    Ok(String::from_utf8_lossy(&head[..end]).into_owned())
}

fn is_header(format: Format, row: &csv::ByteRecord) -> bool {
    let first = row.get(0).unwrap_or_default();
    match format {
        Format::Rees46 => first == b"event_time",
        Format::Taobao => first == b"user_id",
        Format::Uci => first == b"Administrative",
        _ => false,
    }
}

/// A column error: (column name, message).
type ColumnError = (&'static str, String);
/// A CSV row read: time, kind, and the event when built.
type RowEvent = (u64, Option<EventKind>, Option<Event>);

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
fn rees46_time(text: &str) -> Result<u64, String> {
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
fn rees46_row(
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
fn taobao_row_event(
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

/// A recorded dataLayer push: the wrapper gives visitor, time and the page; the push is a GTM
/// object (`{"event": name, "ecommerce": {...}}`) or a gtag call (`["event", name, {...}]`).
/// Pushes that are not events (`{"ecommerce": null}`, `["config", ...]`, `gtm.js`) are unknown.
fn datalayer_line(text: &str) -> Result<(String, u64, Option<Event>), String> {
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

    #[test]
    fn detects_formats_from_the_first_line() {
        assert_eq!(
            Format::detect("event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"),
            Some(Format::Rees46)
        );
        assert_eq!(
            Format::detect("1,2268318,2520377,pv,1511544070"),
            Some(Format::Taobao)
        );
        assert_eq!(
            Format::detect(r#"{"visitor":"a","time":1,"event":"view_item"}"#),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::detect(r#"{"visitor":"a","time":1,"push":{}}"#),
            Some(Format::Datalayer)
        );
        assert_eq!(
            Format::detect("Administrative,Administrative_Duration"),
            Some(Format::Uci)
        );
        assert_eq!(Format::detect("a;b;c"), None);
    }
}
