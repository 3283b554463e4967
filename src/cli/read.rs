//! Readers for real event logs. Each streams rows and maps them to the canonical GA4 vocabulary
//! of the core ([`Event`]); a bad row becomes a [`RowError`] naming its file, line (or Parquet
//! row) and column or field, and the caller skips and counts it.
//!
//! | format | source | mapping |
//! |---|---|---|
//! | `jsonl` | `shopper-intent score`'s canonical JSON Lines | as is |
//! | `datalayer` | `{"visitor", "time", "page_location"?, "page_referrer"?, "push"}` lines | GTM objects and gtag `["event", name, params]` |
//! | `ga4` | GA4's BigQuery export, NDJSON or Parquet | see [`ga4`] |
//! | `shopify` | Shopify Web Pixels customer events, one JSON object per line | see [`shopify`] |
//! | `segment` | Segment / RudderStack e-commerce spec `track` and `page` calls | see [`segment`] |
//! | `rees46` | REES46 e-commerce CSV | view, cart, remove_from_cart, purchase |
//! | `taobao` | Alibaba UserBehavior CSV (header optional) | pv, cart, fav (wishlist), buy |
//! | `uci` | UCI Online Shoppers Intention sessions | see [`super::uci`] |
//!
//! An input is a file (gzip is detected), `-` for stdin, a folder (its files in name order, so
//! GA4's daily `events_YYYYMMDD` files come in date order) or a glob (`'exports/events_2024*'`).
//! Rows are read in chunks and each chunk is parsed on all cores (rayon), in file order.

pub mod arrow_json;
mod csv;
mod datalayer;
pub(crate) use datalayer::push_event;
pub mod ga4;
mod jsonl;
pub mod segment;
pub mod shopify;
pub mod uci;

use super::input;
use crate::core::characteristics::Characteristics;
use crate::core::{Event, EventKind};
use rayon::prelude::*;
use std::fmt;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Bytes of lines, or CSV and Parquet rows, parsed together on the thread pool.
const CHUNK_BYTES: usize = 4 << 20;
const CHUNK_ROWS: usize = 32_768;

/// The layout of an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Canonical JSON Lines: `{"visitor", "time", "event", ...GA4 params}`.
    Jsonl,
    /// Recorded dataLayer pushes: `{"visitor", "time", "push": {...} | ["event", name, {...}]}`.
    Datalayer,
    /// GA4's BigQuery export (`events_YYYYMMDD`), newline-delimited JSON or Parquet.
    Ga4,
    /// Shopify Web Pixels customer events: `{id, name, timestamp, clientId, context, data}`.
    Shopify,
    /// Segment / RudderStack calls: `{type, event, anonymousId, timestamp, properties, context}`.
    Segment,
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
            Format::Ga4 => "ga4",
            Format::Shopify => "shopify",
            Format::Segment => "segment",
            Format::Rees46 => "rees46",
            Format::Taobao => "taobao",
            Format::Uci => "uci",
        }
    }

    /// Whether events of this format can carry `page_location` (and so an acquisition channel).
    pub fn has_pages(self) -> bool {
        !matches!(self, Format::Rees46 | Format::Taobao | Format::Uci)
    }

    /// Guesses the format from the first line of a file.
    pub fn detect(first_line: &str) -> Option<Format> {
        let line = first_line.trim_start_matches('\u{feff}').trim();
        if line.starts_with('{') {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            let has = |k: &str| value.get(k).is_some();
            return Some(if has("push") {
                Format::Datalayer
            } else if has("event_name") && has("event_timestamp") {
                Format::Ga4
            } else if has("clientId") && has("name") {
                Format::Shopify
            } else if has("anonymousId") || (has("userId") && has("type")) {
                Format::Segment
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
    /// The file, when the input is a folder or a glob of several.
    pub file: Option<Arc<str>>,
    /// 1-based line number in the (decompressed) input, or row number in a Parquet file.
    pub line: u64,
    /// The column (CSV) or field (JSON) at fault, when one is.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// A Parquet row rather than a text line.
    pub parquet: bool,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        let place = if self.parquet { "row" } else { "line" };
        match &self.column {
            Some(c) => write!(f, "{place} {}, column {c}: {}", self.line, self.message),
            None => write!(f, "{place} {}: {}", self.line, self.message),
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

/// One event of the log, borrowed from the reader (see [`Reader::next`]).
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

/// One event of the log, owned (see [`Reader::next_chunk`]).
#[derive(Debug)]
pub struct Row {
    /// Line (or Parquet row) it came from.
    pub line: u64,
    /// The visitor (user) id.
    pub visitor: String,
    /// When, ms since the Unix epoch.
    pub time_ms: u64,
    /// Its kind; `None` for an event name the model does not know.
    pub kind: Option<EventKind>,
    /// The event, with [`Detail::Full`] and a known kind.
    pub event: Option<Event>,
    /// UCI: the characteristics the session's row states (on its first event, with `Full`).
    pub characteristics: Option<Box<Characteristics>>,
}

/// What a JSON line parser gives: visitor, time and the event (`None` when unknown).
pub(crate) type LineEvent = (String, u64, Option<Event>);

/// A streaming reader of one log: a file, stdin, a folder or a glob.
pub struct Reader {
    format: Format,
    detail: Detail,
    /// Files still to read after the current one.
    rest: std::vec::IntoIter<PathBuf>,
    /// The current file, when the input has several: rows and errors name it.
    file: Option<Arc<str>>,
    source: Source,
    /// The chunk [`Reader::next`] hands out, and the position in it.
    chunk: Vec<Result<Row, RowError>>,
    pos: usize,
}

enum Source {
    Lines {
        lines: input::Lines<Box<dyn BufRead>>,
        buf: Vec<u8>,
    },
    Csv {
        csv: Box<::csv::Reader<input::Feed>>,
        /// Lines the feed refused (too long, unreadable), reported among the rows in line order.
        problems: input::Problems,
    },
    Parquet {
        batches: parquet::arrow::arrow_reader::ParquetRecordBatchReader,
        row: u64,
    },
    Done,
}

impl Reader {
    /// Opens `path` (`-` or none for stdin; a file, with gzip detected; a folder; a glob) in
    /// `format`, or the format its first record shows.
    pub fn open(
        path: Option<&Path>,
        format: Option<Format>,
        detail: Detail,
    ) -> Result<Reader, String> {
        Reader::open_or(path, format, None, detail)
    }

    /// As [`Reader::open`], reading `fallback` when the first record does not tell the format.
    pub fn open_or(
        path: Option<&Path>,
        format: Option<Format>,
        fallback: Option<Format>,
        detail: Detail,
    ) -> Result<Reader, String> {
        let paths = match path {
            Some(p) => input::paths(p)?,
            None => vec![PathBuf::from("-")],
        };
        let name_files = paths.len() > 1;
        let mut rest = paths.into_iter();
        let first = rest.next().ok_or("no input")?;
        // Parquet is always GA4's export; text is opened once (it may be stdin) and guessed.
        let (format, input) = if input::is_parquet(&first)? {
            (format.unwrap_or(Format::Ga4), None)
        } else {
            let mut input = input::open(Some(&first))?;
            (detect(&mut input, format, fallback)?, Some(input))
        };
        let mut reader = Reader {
            format,
            detail,
            rest,
            file: name_files.then(|| Arc::from(first.display().to_string())),
            source: Source::Done,
            chunk: Vec::new(),
            pos: 0,
        };
        reader.source = reader.open_source(&first, input)?;
        Ok(reader)
    }

    /// Reads `input`, already open and decompressed (see [`input::decompress`]), like
    /// [`Reader::open`]: one text input, in `format` or the format its first record shows.
    pub fn from_input(
        mut input: Box<dyn BufRead>,
        format: Option<Format>,
        detail: Detail,
    ) -> Result<Reader, String> {
        let format = detect(&mut input, format, None)?;
        let mut reader = Reader {
            format,
            detail,
            rest: Vec::new().into_iter(),
            file: None,
            source: Source::Done,
            chunk: Vec::new(),
            pos: 0,
        };
        reader.source = reader.text_source(input);
        Ok(reader)
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The file the last record came from, when the input has several.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The source of one file; `input` when it is already open.
    fn open_source(&self, path: &Path, input: Option<Box<dyn BufRead>>) -> Result<Source, String> {
        if input.is_none() && input::is_parquet(path)? {
            if self.format != Format::Ga4 {
                return Err(format!(
                    "{} is a Parquet file; only --format ga4 reads Parquet",
                    path.display()
                ));
            }
            return ga4::parquet_batches(path, CHUNK_ROWS)
                .map(|batches| Source::Parquet { batches, row: 0 });
        }
        let input = match input {
            Some(i) => i,
            None => input::open(Some(path))?,
        };
        Ok(self.text_source(input))
    }

    /// The source of a text input, within the process's [`input::limits`].
    fn text_source(&self, input: Box<dyn BufRead>) -> Source {
        let lines = input::Lines::new(input, input::limits());
        match self.format {
            Format::Rees46 | Format::Taobao | Format::Uci => {
                let (csv, problems) = csv_reader(lines, false);
                Source::Csv {
                    csv: Box::new(csv),
                    problems,
                }
            }
            _ => Source::Lines {
                lines,
                buf: Vec::new(),
            },
        }
    }

    /// The next event, a bad row, or `None` at the end.
    #[allow(clippy::should_implement_trait)] // records borrow the reader, so it cannot be an Iterator
    pub fn next(&mut self) -> Option<Result<Record<'_>, RowError>> {
        while self.pos >= self.chunk.len() {
            self.chunk = self.next_chunk()?;
            self.pos = 0;
        }
        self.pos += 1;
        Some(match &mut self.chunk[self.pos - 1] {
            Ok(row) => Ok(Record {
                line: row.line,
                event: row.event.take(),
                characteristics: row.characteristics.take(),
                visitor: &row.visitor,
                time_ms: row.time_ms,
                kind: row.kind,
            }),
            Err(e) => Err(e.clone()),
        })
    }

    /// The next chunk of rows in file order, parsed on the current rayon pool; `None` at the end.
    /// A file of a folder or glob that cannot be read is one bad row, and the next file follows.
    pub fn next_chunk(&mut self) -> Option<Vec<Result<Row, RowError>>> {
        loop {
            let rows = self.read_chunk();
            if let Some(mut rows) = rows {
                if let Some(file) = &self.file {
                    for e in rows.iter_mut().filter_map(|r| r.as_mut().err()) {
                        e.file = Some(file.clone());
                    }
                }
                return Some(rows);
            }
            let path = self.rest.next()?;
            self.file = Some(Arc::from(path.display().to_string()));
            match self.open_source(&path, None) {
                Ok(source) => self.source = source,
                Err(message) => {
                    self.source = Source::Done;
                    return Some(vec![Err(RowError {
                        file: None,
                        line: 0,
                        column: None,
                        message,
                        parquet: false,
                    })]);
                }
            }
        }
    }

    /// The current file's next chunk; `None` when the file is done.
    fn read_chunk(&mut self) -> Option<Vec<Result<Row, RowError>>> {
        let format = self.format;
        let full = self.detail == Detail::Full;
        let (rows, done) = match &mut self.source {
            Source::Done => return None,
            Source::Lines { lines, buf } => {
                let (lines, done) = read_lines(lines, buf);
                let rows = lines
                    .par_iter()
                    .filter_map(|&(n, ref range)| {
                        let bytes = &buf[range.clone()];
                        let text = match std::str::from_utf8(bytes) {
                            Ok(t) => t.trim_end(),
                            Err(e) => {
                                let at = e.valid_up_to() + 1;
                                let why = format!("not UTF-8 (an invalid byte at column {at})");
                                return Some(Err(row_error(n, None, why)));
                            }
                        };
                        if text.trim_start().is_empty() {
                            return None;
                        }
                        Some(parse_line(format, n, text, full).map_err(|m| row_error(n, None, m)))
                    })
                    .collect();
                (rows, done)
            }
            Source::Csv { csv, problems } => {
                let (records, done) = read_records(csv, problems);
                let rows = if format == Format::Uci {
                    records
                        .iter()
                        .flat_map(|r| csv_rows(format, r, full))
                        .collect()
                } else {
                    records
                        .par_iter()
                        .flat_map_iter(|r| csv_rows(format, r, full))
                        .collect()
                };
                (rows, done)
            }
            Source::Parquet { batches, row } => match batches.next() {
                None => (Vec::new(), true),
                Some(Err(e)) => {
                    let message = format!("cannot read Parquet: {e}");
                    (vec![Err(parquet_error(*row + 1, None, message))], true)
                }
                Some(Ok(batch)) => {
                    let first = *row;
                    *row += batch.num_rows() as u64;
                    (ga4::parquet_rows(&batch, first, full), false)
                }
            },
        };
        if done {
            self.source = Source::Done;
            if rows.is_empty() {
                return None;
            }
        }
        Some(rows)
    }
}

/// Reads whole lines into `buf` up to [`CHUNK_BYTES`]: (line number, byte range) of each, and
/// whether the input ended. A line the capped reader refuses is carried as its message after a
/// NUL byte, for [`parse_line`] to report; one that ends the input ends the chunk.
fn read_lines(
    lines: &mut input::Lines<Box<dyn BufRead>>,
    buf: &mut Vec<u8>,
) -> (Vec<(u64, std::ops::Range<usize>)>, bool) {
    buf.clear();
    let mut out = Vec::new();
    while buf.len() < CHUNK_BYTES {
        let start = buf.len();
        match lines.next_bytes() {
            None => return (out, true),
            Some(Ok((n, bytes))) => {
                buf.extend_from_slice(bytes);
                out.push((n, start..buf.len()));
            }
            Some(Err(e)) => {
                buf.push(0);
                buf.extend_from_slice(e.message.as_bytes());
                out.push((e.line, start..buf.len()));
                if e.ends {
                    return (out, true);
                }
            }
        }
    }
    (out, false)
}

/// One JSON line of a line format.
fn parse_line(format: Format, line: u64, text: &str, full: bool) -> Result<Row, String> {
    if let Some(why) = text.strip_prefix('\u{0}') {
        return Err(why.to_string());
    }
    let (visitor, time_ms, event) = match format {
        Format::Datalayer => datalayer::line(text)?,
        Format::Ga4 => ga4::line(text)?,
        Format::Shopify => shopify::line(text)?,
        Format::Segment => segment::line(text)?,
        _ => jsonl::line(text)?,
    };
    Ok(Row {
        line,
        visitor,
        time_ms,
        kind: event.as_ref().map(|e| e.kind),
        event: event.filter(|_| full),
        characteristics: None,
    })
}

/// Up to [`CHUNK_ROWS`] CSV records, with their line numbers, and the lines the feed refused
/// among them in line order; and whether the input ended.
fn read_records(
    csv: &mut ::csv::Reader<input::Feed>,
    problems: &input::Problems,
) -> (Vec<Result<::csv::ByteRecord, RowError>>, bool) {
    let mut records = Vec::with_capacity(CHUNK_ROWS);
    let mut done = false;
    while records.len() < CHUNK_ROWS {
        let mut record = ::csv::ByteRecord::new();
        match csv.read_byte_record(&mut record) {
            Ok(false) => {
                done = true;
                break;
            }
            Ok(true) => records.push(Ok(record)),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                records.push(Err(row_error(line, None, format!("not CSV: {e}"))));
                done = true;
                break;
            }
        }
    }
    // A record starts before a refused line it spans, so it comes first (stable sort).
    let refused = std::iter::from_fn(|| input::take_problem(problems));
    let before = records.len();
    records.extend(refused.map(|e| Err(row_error(e.line, None, e.message))));
    if records.len() > before {
        let line = |r: &Result<::csv::ByteRecord, RowError>| match r {
            Ok(r) => r.position().map_or(0, |p| p.line()),
            Err(e) => e.line,
        };
        records.sort_by_key(line);
    }
    (records, done)
}

/// The CSV reader every CSV input uses: one record per row, over an [`input::Feed`] of `lines`.
pub(crate) fn csv_reader(
    lines: input::Lines<Box<dyn BufRead>>,
    has_headers: bool,
) -> (::csv::Reader<input::Feed>, input::Problems) {
    let (feed, problems) = input::Feed::new(lines);
    let csv = ::csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(feed);
    (csv, problems)
}

/// The events of one CSV record: none for a header or blank row, several for a UCI session.
fn csv_rows(
    format: Format,
    record: &Result<::csv::ByteRecord, RowError>,
    full: bool,
) -> Vec<Result<Row, RowError>> {
    let row = match record {
        Ok(r) => r,
        Err(e) => return vec![Err(e.clone())],
    };
    let line = row.position().map_or(0, |p| p.line());
    if is_header(format, row) || row.iter().all(|f| f.is_empty()) {
        return Vec::new();
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
        return vec![Err(row_error(line, None, message))];
    }
    let mut visitor = String::new();
    let result = match format {
        Format::Rees46 => csv::rees46_row(row, full, &mut visitor),
        Format::Taobao => csv::taobao_row_event(row, full, &mut visitor),
        _ => {
            return match uci::session(row, line) {
                Ok(uci::Session { events, mapped }) => {
                    let mut mapped = full.then_some(mapped);
                    events
                        .into_iter()
                        .map(|(visitor, event)| {
                            Ok(Row {
                                line,
                                visitor,
                                time_ms: event.time_ms,
                                kind: Some(event.kind),
                                event: full.then_some(event),
                                characteristics: mapped.take(),
                            })
                        })
                        .collect()
                }
                Err((column, message)) => vec![Err(row_error(line, Some(column), message))],
            }
        }
    };
    vec![match result {
        Ok((time_ms, kind, event)) => Ok(Row {
            line,
            visitor,
            time_ms,
            kind,
            event,
            characteristics: None,
        }),
        Err((column, message)) => Err(row_error(line, Some(column), message)),
    }]
}

fn row_error(line: u64, column: Option<&str>, message: String) -> RowError {
    RowError {
        file: None,
        line,
        column: column.map(str::to_string),
        message,
        parquet: false,
    }
}

pub(crate) fn parquet_error(row: u64, field: Option<&str>, message: String) -> RowError {
    RowError {
        parquet: true,
        ..row_error(row, field, message)
    }
}

/// `format`, or the one the first record of `input` shows, or `fallback`.
fn detect(
    input: &mut Box<dyn BufRead>,
    format: Option<Format>,
    fallback: Option<Format>,
) -> Result<Format, String> {
    if let Some(f) = format {
        return Ok(f);
    }
    let line = first_record(input)?;
    Format::detect(&line).or(fallback).ok_or_else(|| {
        format!(
            "cannot tell the format from the first line {:?}; give --format jsonl|datalayer|ga4|shopify|segment|rees46|taobao|uci",
            line.chars().take(80).collect::<String>()
        )
    })
}

/// The first line, without consuming it.
fn first_record(input: &mut Box<dyn BufRead>) -> Result<String, String> {
    let head = input
        .fill_buf()
        .map_err(|e| format!("cannot read input: {e}"))?;
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    Ok(String::from_utf8_lossy(&head[..end]).into_owned())
}

fn is_header(format: Format, row: &::csv::ByteRecord) -> bool {
    let first = row.get(0).unwrap_or_default();
    match format {
        Format::Rees46 => first == b"event_time",
        Format::Taobao => first == b"user_id",
        Format::Uci => first == b"Administrative",
        _ => false,
    }
}

/// The first of `keys` that holds a non-empty string or a number: a visitor id.
pub(crate) fn first_id(obj: &serde_json::Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// `url` with campaign parameters (`utm_source`, `gclid`…) appended, for sources that report the
/// campaign beside the landing URL rather than in it: the core reads the channel from the URL.
/// A URL that already carries a campaign (`utm_*` or a click id) is left as it is.
pub(crate) fn with_campaign(url: String, campaign: &[(&str, Option<&str>)]) -> String {
    let present = |u: &str| {
        ["utm_source", "utm_medium", "utm_campaign", "gclid", "dclid"]
            .iter()
            .any(|k| crate::core::url::param(u, k).is_some())
    };
    let given: Vec<(&str, &str)> = campaign
        .iter()
        .filter_map(|&(k, v)| Some((k, v?)))
        .filter(|(_, v)| !v.is_empty() && !matches!(*v, "(direct)" | "(none)" | "(not set)"))
        .collect();
    if given.is_empty() || present(&url) {
        return url;
    }
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url.as_str(), ""),
    };
    let mut out = String::with_capacity(url.len() + 64);
    out.push_str(base);
    let mut sep = if base.contains('?') { '&' } else { '?' };
    for (k, v) in given {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        for b in v.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        sep = '&';
    }
    out.push_str(fragment);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Format::detect(r#"{"event_date":"20240501","event_timestamp":"1","event_name":"x"}"#),
            Some(Format::Ga4)
        );
        assert_eq!(
            Format::detect(r#"{"id":"1","name":"page_viewed","clientId":"c","timestamp":"t"}"#),
            Some(Format::Shopify)
        );
        assert_eq!(
            Format::detect(r#"{"type":"track","event":"Product Viewed","anonymousId":"a"}"#),
            Some(Format::Segment)
        );
        assert_eq!(
            Format::detect("Administrative,Administrative_Duration"),
            Some(Format::Uci)
        );
        assert_eq!(Format::detect("a;b;c"), None);
    }

    #[test]
    fn campaigns_are_appended_only_to_urls_without_one() {
        let c = [
            ("utm_source", Some("google")),
            ("utm_medium", Some("cpc")),
            ("utm_campaign", Some("spring sale")),
            ("gclid", None),
        ];
        assert_eq!(
            with_campaign("https://s.example/p?x=1#top".into(), &c),
            "https://s.example/p?x=1&utm_source=google&utm_medium=cpc&utm_campaign=spring%20sale#top"
        );
        assert_eq!(
            with_campaign("https://s.example/p?utm_medium=email".into(), &c),
            "https://s.example/p?utm_medium=email"
        );
        let direct = [
            ("utm_source", Some("(direct)")),
            ("utm_medium", Some("(none)")),
        ];
        assert_eq!(
            with_campaign("https://s.example/".into(), &direct),
            "https://s.example/"
        );
    }
}
