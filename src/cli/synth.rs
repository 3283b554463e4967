//! `shopper-intent synth`: a synthetic store log for benchmarks, the same events as canonical JSON
//! Lines and as GA4's BigQuery export in Parquet; and GA4 export NDJSON → Parquet.
//!
//! The log interleaves visitors as a live store does: a pool of open sessions, each event from a
//! random one, every visitor getting sessions in turn (so all of them stay live through the log);
//! sessions of about 12 events: a landing page (email, paid search, paid social, organic,
//! direct), product views from the visitor's favourite products, carts, checkouts, purchases.
//! Times rise by 1–40 ms per event, so no two events share a millisecond. It is deterministic.

use crate::core::{Event, EventKind, Item};
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Arguments of `synth`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Events to generate.
    #[arg(long, default_value_t = 10_000_000)]
    events: u64,
    /// Visitors they are spread over.
    #[arg(long, default_value_t = 200_000)]
    visitors: u32,
    /// Folder to write `events.jsonl` and `events.parquet` to.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Instead: convert this GA4 export NDJSON file (gzip is detected) to Parquet at `--parquet`.
    #[arg(long, requires = "parquet", conflicts_with = "out")]
    ga4_json: Option<PathBuf>,
    /// The Parquet file `--ga4-json` writes.
    #[arg(long)]
    parquet: Option<PathBuf>,
    /// Instead of writing files: replay the events, decoded in memory, through the core on
    /// `--threads` threads (visitors split between them) and print the speed and memory.
    #[arg(long, conflicts_with_all = ["out", "ga4_json"])]
    replay: bool,
}

/// Runs `synth`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    if let (Some(json), Some(out)) = (&args.ga4_json, &args.parquet) {
        let rows = ga4_parquet(super::input::open(Some(json))?, out)?;
        eprintln!("wrote {} ({rows} rows)", out.display());
        return Ok(ExitCode::SUCCESS);
    }
    if args.replay {
        let r = replay(args.events, args.visitors, &crate::core::Model::default());
        println!(
            "core replay: {} events of {} visitors on {} threads in {:.3} s = {:.0} events/s ({:.0} per thread); at rest: {} live profiles, RSS +{} bytes each, encoded {} bytes each",
            r.events,
            r.visitors,
            r.threads,
            r.seconds,
            r.events as f64 / r.seconds,
            r.events as f64 / r.seconds / r.threads as f64,
            r.visitors,
            r.rss_per_visitor,
            r.encoded_per_visitor
        );
        return Ok(ExitCode::SUCCESS);
    }
    let dir = args
        .out
        .ok_or("give --out DIR, or --ga4-json FILE --parquet FILE")?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let jsonl = dir.join("events.jsonl");
    let parquet = dir.join("events.parquet");
    write_logs(args.events, args.visitors, &jsonl, &parquet)?;
    eprintln!(
        "wrote {} and {}: {} events over {} visitors",
        jsonl.display(),
        parquet.display(),
        args.events,
        args.visitors
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the log of `events` events over `visitors` visitors as JSON Lines and GA4 Parquet.
pub fn write_logs(events: u64, visitors: u32, jsonl: &Path, parquet: &Path) -> Result<(), String> {
    let create = |p: &Path| {
        std::fs::File::create(p).map_err(|e| format!("cannot create {}: {e}", p.display()))
    };
    let mut lines = std::io::BufWriter::with_capacity(1 << 20, create(jsonl)?);
    let mut parquet = Ga4Writer::create(create(parquet)?)?;
    let mut line = String::new();
    let mut row = String::new();
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", jsonl.display());
    for e in Synth::new(events, visitors) {
        line.clear();
        e.jsonl(&mut line);
        lines.write_all(line.as_bytes()).map_err(fail)?;
        row.clear();
        e.ga4(&mut row);
        parquet.push(&row)?;
    }
    lines.flush().map_err(fail)?;
    parquet.finish()?;
    Ok(())
}

/// What [`replay`] measured.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// Events replayed.
    pub events: u64,
    /// Visitors (all live at the end).
    pub visitors: u64,
    /// Threads used.
    pub threads: usize,
    /// Time inside `Profile::track` loops only (generating and decoding excluded).
    pub seconds: f64,
    /// Growth of the resident set from before the first profile to the end, per live visitor.
    pub rss_per_visitor: u64,
    /// Mean `Profile::encode()` length at the end.
    pub encoded_per_visitor: u64,
}

/// Replays the synthetic log through the core, events already decoded: blocks of 100,000 are
/// generated, split by visitor between the pool's threads, and timed while they are tracked.
pub fn replay(events: u64, visitors: u32, model: &crate::core::Model) -> Replayed {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads().max(1);
    let rss_before = resident_bytes();
    let mut shards: Vec<Vec<Option<crate::core::Profile>>> = (0..threads)
        .map(|_| {
            (0..(visitors as usize).div_ceil(threads))
                .map(|_| None)
                .collect()
        })
        .collect();
    let mut synth = Synth::new(events, visitors);
    let mut seconds = 0.0;
    let mut done = 0u64;
    loop {
        let mut buckets: Vec<Vec<(u32, Event)>> = (0..threads).map(|_| Vec::new()).collect();
        for e in synth.by_ref().take(100_000) {
            buckets[e.visitor as usize % threads].push((e.visitor, e.event()));
        }
        let n: usize = buckets.iter().map(Vec::len).sum();
        if n == 0 {
            break;
        }
        done += n as u64;
        let start = std::time::Instant::now();
        shards
            .par_iter_mut()
            .zip(buckets)
            .for_each(|(profiles, block)| {
                for (v, e) in block {
                    let p = profiles[v as usize / threads]
                        .get_or_insert_with(|| crate::core::Profile::new(Synth::visitor_id(v)));
                    let _ = p.track(model, &e);
                }
            });
        seconds += start.elapsed().as_secs_f64();
    }
    let live: Vec<&crate::core::Profile> = shards.iter().flatten().flatten().collect();
    let n = live.len().max(1) as u64;
    let encoded: u64 = live.iter().map(|p| p.encode().len() as u64).sum();
    Replayed {
        events: done,
        visitors: live.len() as u64,
        threads,
        seconds,
        rss_per_visitor: resident_bytes().saturating_sub(rss_before) / n,
        encoded_per_visitor: encoded / n,
    }
}

/// The resident set size, from /proc (0 where there is none).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// A deterministic generator (xorshift64*): the benchmark logs are the same on every run.
pub struct Rng(pub u64);
impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        (self.next_u64() >> 11) % n
    }
}

const PRODUCTS: u32 = 5_000;
const OPEN_SESSIONS: usize = 2_000;
const START_MS: u64 = 1_714_557_600_000;
const SITE: &str = "https://shop.example";
/// Landing query and referrer: email, paid search, paid social, organic, referral, direct.
const LANDINGS: [(&str, &str); 6] = [
    ("?utm_source=newsletter&utm_medium=email", ""),
    ("?gclid=Cj0KCQ", "https://www.google.com/"),
    (
        "?utm_source=facebook&utm_medium=paid_social",
        "https://m.facebook.com/",
    ),
    ("", "https://www.google.com/"),
    ("", "https://blog.example/linen-guide"),
    ("", ""),
];
const PAGES: [&str; 4] = [
    "/pages/shipping",
    "/pages/returns",
    "/pages/faq",
    "/collections/all",
];

struct Session {
    visitor: u32,
    left: u32,
    number: u32,
    product: u32,
    in_cart: bool,
}

/// The synthetic log, one event at a time.
pub struct Synth {
    rng: Rng,
    visitors: u32,
    left: u64,
    time_ms: u64,
    sessions: Vec<Session>,
    started: u64,
    /// Sessions each visitor has had.
    counts: Vec<u32>,
}

/// One generated event.
#[derive(Clone, Debug)]
pub struct SynthEvent {
    /// The visitor's number.
    pub visitor: u32,
    /// When.
    pub time_ms: u64,
    /// What.
    pub kind: EventKind,
    /// The page path and query.
    pub page: String,
    /// The referrer, on landings.
    pub referrer: &'static str,
    /// The product and quantity, for item events.
    pub product: Option<(u32, u32)>,
    /// The session's number for the visitor (GA4's `ga_session_number`).
    pub session: u32,
}

impl Synth {
    /// `events` events over `visitors` visitors.
    pub fn new(events: u64, visitors: u32) -> Synth {
        Synth {
            rng: Rng(0x9e37_79b9_7f4a_7c15),
            visitors: visitors.max(1),
            left: events,
            time_ms: START_MS,
            sessions: Vec::with_capacity(OPEN_SESSIONS),
            started: 0,
            counts: vec![0; visitors.max(1) as usize],
        }
    }

    fn open(&mut self) -> Session {
        // Visitors take turns (a stride coprime with the count), so all of them have sessions.
        let stride = 7_919u64;
        let visitor = ((self.started * stride) % u64::from(self.visitors)) as u32;
        self.started += 1;
        let count = &mut self.counts[visitor as usize];
        *count += 1;
        Session {
            visitor,
            left: 4 + self.rng.below(17) as u32,
            number: *count,
            product: favourite(visitor, self.rng.below(8) as u32),
            in_cart: false,
        }
    }

    /// The visitor id of number `n`, as a GA4 `user_pseudo_id`.
    pub fn visitor_id(n: u32) -> String {
        format!("{}.1714557600", 1_000_000_000 + u64::from(n))
    }
}

fn favourite(visitor: u32, k: u32) -> u32 {
    (visitor.wrapping_mul(7_717).wrapping_add(k * 131)) % PRODUCTS
}

fn price(product: u32) -> f64 {
    10.0 + f64::from(product % 190) + 0.99
}

impl Iterator for Synth {
    type Item = SynthEvent;

    fn next(&mut self) -> Option<SynthEvent> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        self.time_ms += 1 + self.rng.below(40);
        let slot = if self.sessions.len() < OPEN_SESSIONS {
            self.sessions.len()
        } else {
            self.rng.below(OPEN_SESSIONS as u64) as usize
        };
        if slot == self.sessions.len() || self.sessions[slot].left == 0 {
            // A new session in this slot, starting with its landing page.
            let s = self.open();
            let (query, referrer) = LANDINGS[(s.visitor as usize + s.number as usize) % 6];
            let e = SynthEvent {
                visitor: s.visitor,
                time_ms: self.time_ms,
                kind: EventKind::PageView,
                page: format!("/collections/linen{query}"),
                referrer,
                product: None,
                session: s.number,
            };
            if slot == self.sessions.len() {
                self.sessions.push(s);
            } else {
                self.sessions[slot] = s;
            }
            return Some(e);
        }
        let roll = self.rng.below(100);
        let pick = self.rng.below(8) as u32;
        let s = &mut self.sessions[slot];
        s.left -= 1;
        let mut e = SynthEvent {
            visitor: s.visitor,
            time_ms: self.time_ms,
            kind: EventKind::PageView,
            page: String::new(),
            referrer: "",
            product: None,
            session: s.number,
        };
        let product = favourite(s.visitor, pick);
        let (kind, page, item) = match roll {
            0..=59 => {
                s.product = product;
                (
                    EventKind::ViewItem,
                    format!("/products/p{product}"),
                    Some((product, 1)),
                )
            }
            60..=67 => (
                EventKind::PageView,
                PAGES[pick as usize % 4].to_string(),
                None,
            ),
            68..=77 => {
                s.in_cart = true;
                let p = s.product;
                (
                    EventKind::AddToCart,
                    format!("/products/p{p}"),
                    Some((p, 1 + pick % 2)),
                )
            }
            78..=80 => {
                let p = s.product;
                (EventKind::RemoveFromCart, "/cart".into(), Some((p, 1)))
            }
            81..=85 => (EventKind::ViewCart, "/cart".into(), None),
            86..=89 => (EventKind::ViewItemList, "/collections/all".into(), None),
            90..=92 => (EventKind::Search, "/search?q=linen".into(), None),
            93..=96 if s.in_cart => (
                EventKind::BeginCheckout,
                "/checkouts/c".into(),
                Some((s.product, 1)),
            ),
            97..=99 if s.in_cart => {
                s.in_cart = false;
                (
                    EventKind::Purchase,
                    "/checkouts/c/thank_you".into(),
                    Some((s.product, 1)),
                )
            }
            _ => (
                EventKind::ViewItem,
                format!("/products/p{product}"),
                Some((product, 1)),
            ),
        };
        e.kind = kind;
        e.page = page;
        e.product = item;
        Some(e)
    }
}

impl SynthEvent {
    fn item(&self) -> Option<Item> {
        let (p, quantity) = self.product?;
        Some(Item {
            id: format!("sku-{p}"),
            name: Some(format!("Product {p}")),
            category: Some(format!("cat-{}", p % 40)),
            price: Some(price(p)),
            quantity: f64::from(quantity),
        })
    }

    fn value(&self) -> Option<f64> {
        let (p, quantity) = self.product?;
        (self.kind == EventKind::Purchase).then(|| price(p) * f64::from(quantity))
    }

    /// The event as the core takes it.
    pub fn event(&self) -> Event {
        let mut e = Event::new(self.kind, self.time_ms);
        e.page_location = Some(format!("{SITE}{}", self.page));
        e.page_referrer = (!self.referrer.is_empty()).then(|| self.referrer.to_string());
        e.items.extend(self.item());
        e.value = self.value();
        e
    }

    /// Appends the canonical JSON line (with its newline).
    pub fn jsonl(&self, out: &mut String) {
        let id = Synth::visitor_id(self.visitor);
        let _ = write!(
            out,
            r#"{{"visitor":"{id}","time":{},"event":"{}","page_location":"{SITE}{}""#,
            self.time_ms,
            self.kind.name(),
            self.page
        );
        if !self.referrer.is_empty() {
            let _ = write!(out, r#","page_referrer":"{}""#, self.referrer);
        }
        if let Some((p, q)) = self.product {
            let _ = write!(
                out,
                r#","items":[{{"item_id":"sku-{p}","item_name":"Product {p}","item_category":"cat-{}","price":{},"quantity":{q}}}]"#,
                p % 40,
                price(p)
            );
        }
        if let Some(v) = self.value() {
            let _ = write!(out, r#","value":{v}"#);
        }
        out.push_str("}\n");
    }

    /// Appends the row as GA4's BigQuery export writes it to NDJSON (INT64 as strings).
    pub fn ga4(&self, out: &mut String) {
        let date = chrono::DateTime::from_timestamp_millis(self.time_ms as i64)
            .map(|d| d.format("%Y%m%d").to_string())
            .unwrap_or_default();
        let _ = write!(
            out,
            r#"{{"event_date":"{date}","event_timestamp":"{}","event_name":"{}","event_params":[{{"key":"page_location","value":{{"string_value":"{SITE}{}"}}}},{{"key":"ga_session_number","value":{{"int_value":"{}"}}}}"#,
            self.time_ms * 1000,
            self.kind.name(),
            self.page,
            self.session
        );
        if !self.referrer.is_empty() {
            let _ = write!(
                out,
                r#",{{"key":"page_referrer","value":{{"string_value":"{}"}}}}"#,
                self.referrer
            );
        }
        if let Some(v) = self.value() {
            let _ = write!(out, r#",{{"key":"value","value":{{"double_value":{v}}}}}"#);
        }
        let _ = write!(
            out,
            r#"],"user_pseudo_id":"{}""#,
            Synth::visitor_id(self.visitor)
        );
        if let Some((p, q)) = self.product {
            let _ = write!(
                out,
                r#","items":[{{"item_id":"sku-{p}","item_name":"Product {p}","item_category":"cat-{}","price":{},"quantity":"{q}"}}]"#,
                p % 40,
                price(p)
            );
        }
        if let Some(v) = self.value() {
            let _ = write!(
                out,
                r#","ecommerce":{{"purchase_revenue":{v},"transaction_id":"T{}"}}"#,
                self.time_ms
            );
        }
        out.push_str("}\n");
    }
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn record(name: &str, fields: Vec<Field>) -> Field {
    Field::new(name, DataType::Struct(Fields::from(fields)), true)
}

fn repeated(name: &str, fields: Vec<Field>) -> Field {
    let element = Field::new("element", DataType::Struct(Fields::from(fields)), true);
    Field::new(name, DataType::List(Arc::new(element)), true)
}

/// The columns of GA4's BigQuery export that the `ga4` reader uses, with BigQuery's types.
pub fn ga4_schema() -> SchemaRef {
    let int = |n: &str| Field::new(n, DataType::Int64, true);
    let float = |n: &str| Field::new(n, DataType::Float64, true);
    let value = record(
        "value",
        vec![
            text("string_value"),
            int("int_value"),
            float("float_value"),
            float("double_value"),
        ],
    );
    Arc::new(Schema::new(vec![
        text("event_date"),
        int("event_timestamp"),
        text("event_name"),
        repeated("event_params", vec![text("key"), value]),
        int("event_previous_timestamp"),
        float("event_value_in_usd"),
        int("event_bundle_sequence_id"),
        text("user_id"),
        text("user_pseudo_id"),
        record(
            "traffic_source",
            vec![text("name"), text("medium"), text("source")],
        ),
        record(
            "collected_traffic_source",
            vec![
                text("manual_campaign_id"),
                text("manual_campaign_name"),
                text("manual_source"),
                text("manual_medium"),
                text("manual_term"),
                text("manual_content"),
                text("gclid"),
                text("dclid"),
                text("srsltid"),
            ],
        ),
        record(
            "ecommerce",
            vec![
                int("total_item_quantity"),
                float("purchase_revenue_in_usd"),
                float("purchase_revenue"),
                float("refund_value_in_usd"),
                float("refund_value"),
                float("shipping_value"),
                float("tax_value"),
                int("unique_items"),
                text("transaction_id"),
            ],
        ),
        repeated(
            "items",
            vec![
                text("item_id"),
                text("item_name"),
                text("item_brand"),
                text("item_variant"),
                text("item_category"),
                float("price_in_usd"),
                float("price"),
                int("quantity"),
                float("item_revenue"),
                text("coupon"),
            ],
        ),
    ]))
}

/// GA4 export rows (NDJSON text) → Parquet, Snappy-compressed as BigQuery writes it.
struct Ga4Writer {
    decoder: arrow_json::reader::Decoder,
    writer: parquet::arrow::ArrowWriter<std::fs::File>,
    buf: String,
    rows: usize,
}

const BATCH: usize = 65_536;

impl Ga4Writer {
    fn create(file: std::fs::File) -> Result<Ga4Writer, String> {
        let schema = ga4_schema();
        let decoder = arrow_json::ReaderBuilder::new(schema.clone())
            .with_batch_size(BATCH)
            .build_decoder()
            .map_err(|e| e.to_string())?;
        let props = parquet::file::properties::WriterProperties::builder()
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_max_row_group_row_count(Some(BATCH * 2))
            .build();
        let writer = parquet::arrow::ArrowWriter::try_new(file, schema, Some(props))
            .map_err(|e| e.to_string())?;
        Ok(Ga4Writer {
            decoder,
            writer,
            buf: String::new(),
            rows: 0,
        })
    }

    /// One NDJSON row, with or without its newline.
    fn push(&mut self, row: &str) -> Result<(), String> {
        self.buf.push_str(row.trim_end());
        self.buf.push('\n');
        self.rows += 1;
        if self.rows % BATCH == 0 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        let mut bytes = self.buf.as_bytes();
        while !bytes.is_empty() {
            let used = self.decoder.decode(bytes).map_err(|e| e.to_string())?;
            bytes = &bytes[used..];
            if let Some(batch) = self.decoder.flush().map_err(|e| e.to_string())? {
                self.writer.write(&batch).map_err(|e| e.to_string())?;
            }
        }
        if let Some(batch) = self.decoder.flush().map_err(|e| e.to_string())? {
            self.writer.write(&batch).map_err(|e| e.to_string())?;
        }
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<(), String> {
        self.flush()?;
        self.writer.close().map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Converts GA4 export NDJSON to Parquet; a row that does not fit the export's schema is
/// reported with its line and skipped. Returns the rows written.
pub fn ga4_parquet(input: Box<dyn BufRead>, out: &Path) -> Result<u64, String> {
    let file =
        std::fs::File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut writer = Ga4Writer::create(file)?;
    let mut n = 0u64;
    for line in super::input::numbered_lines(input) {
        let (number, line) = line?;
        // Each row is checked alone so that a bad one is named, not a whole batch.
        let mut check = arrow_json::ReaderBuilder::new(ga4_schema())
            .build_decoder()
            .map_err(|e| e.to_string())?;
        if let Err(e) = check.decode(line.as_bytes()).and_then(|_| check.flush()) {
            eprintln!("line {number}: {e}; skipped");
            continue;
        }
        writer.push(&line)?;
        n += 1;
    }
    writer.finish()?;
    Ok(n)
}
