//! CLI replay throughput on a generated 1,000,000-event log, for the two CSV formats:
//! the reader alone, reader + core in one streaming pass, and `evaluate`'s two-pass replay.
//!
//! `cargo bench --bench replay`. The logs are written to a temporary directory first: 20,000
//! visitors with 50 events each, time-ordered as the REES46 export is.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopper_intent::cli::history::{replay, Cutoff};
use shopper_intent::cli::read::{Detail, Format, Reader};
use shopper_intent::cli::synth::Rng;
use shopper_intent::core::{Model, Profile};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const EVENTS: usize = 1_000_000;
const VISITORS: u64 = 20_000;

/// Writes a REES46 or Taobao log of [`EVENTS`] events; a row every 100 ms on average.
fn write_log(path: &Path, format: Format) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    match format {
        Format::Rees46 => writeln!(out, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap(),
        _ => writeln!(out, "user_id,item_id,category_id,behavior_type,timestamp").unwrap(),
    }
    let start_s: i64 = 1_569_888_000;
    for i in 0..EVENTS {
        let r = rng.next_u64();
        let user = 500_000_000 + r % VISITORS;
        let product = 1_000_000 + (r >> 20) % 5_000;
        let roll = (r >> 40) % 100;
        let secs = start_s + (i / 10) as i64;
        match format {
            Format::Rees46 => {
                let kind = match roll {
                    0..=89 => "view",
                    90..=95 => "cart",
                    96..=97 => "remove_from_cart",
                    _ => "purchase",
                };
                let t = chrono::DateTime::from_timestamp(secs, 0).unwrap();
                writeln!(
                    out,
                    "{},{kind},{product},2053013555631882655,electronics.smartphone,acme,{}.{:02},{user},{:x}-{user}",
                    t.format("%Y-%m-%d %H:%M:%S UTC"),
                    20 + product % 900,
                    product % 100,
                    secs / 1800
                )
                .unwrap();
            }
            _ => {
                let kind = match roll {
                    0..=88 => "pv",
                    89..=94 => "cart",
                    95..=97 => "fav",
                    _ => "buy",
                };
                writeln!(out, "{user},{product},{},{kind},{secs}", product % 300).unwrap();
            }
        }
    }
    out.flush().unwrap();
}

/// Reader + core in one pass, as `score` does: a profile per visitor, every event tracked.
fn stream(path: &Path, model: &Model) -> usize {
    let mut reader = Reader::open(Some(path), None, Detail::Full).unwrap();
    let mut profiles: HashMap<String, Profile> = HashMap::new();
    while let Some(row) = reader.next() {
        let r = row.unwrap();
        let profile = match profiles.get_mut(r.visitor) {
            Some(p) => p,
            None => profiles
                .entry(r.visitor.to_string())
                .or_insert_with(|| Profile::new(r.visitor)),
        };
        if let Some(e) = &r.event {
            let _ = profile.track(model, e);
        }
    }
    profiles.len()
}

fn logs() -> (tempfile::TempDir, Vec<(Format, PathBuf)>) {
    let dir = tempfile::tempdir().unwrap();
    let logs = [Format::Rees46, Format::Taobao]
        .into_iter()
        .map(|f| {
            let path = dir.path().join(format!("{}.csv", f.name()));
            write_log(&path, f);
            (f, path)
        })
        .collect();
    (dir, logs)
}

fn throughput(c: &mut Criterion) {
    let model = Model::default();
    let (_dir, logs) = logs();
    let mut g = c.benchmark_group("replay 1M events");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS as u64));
    for (format, path) in &logs {
        let name = format.name();
        g.bench_function(format!("{name}: read only"), |b| {
            b.iter(|| {
                let mut reader = Reader::open(Some(path), None, Detail::Full).unwrap();
                let mut n = 0usize;
                while let Some(row) = reader.next() {
                    n += usize::from(row.unwrap().event.is_some());
                }
                assert_eq!(n, EVENTS);
            })
        });
        g.bench_function(format!("{name}: read + track, one pass"), |b| {
            b.iter(|| stream(path, &model))
        });
        g.bench_function(format!("{name}: evaluate's two-pass replay"), |b| {
            b.iter(|| {
                let h = replay(
                    path,
                    None,
                    &model,
                    Cutoff::FirstPurchase { horizon_ms: 0 },
                    &mut |e| panic!("{e}"),
                )
                .unwrap();
                assert_eq!(h.totals.events, EVENTS as u64);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
