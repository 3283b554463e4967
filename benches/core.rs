//! Core benchmarks: `Profile::track` events per second, state encode/decode time and size, and
//! growth: the cost per event and the encoded state from 10 to 1,000,000 events per visitor.
//!
//! `cargo bench --bench core`; the growth table is printed before criterion's figures.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use shopper_intent::core::{Event, EventKind, Item, Model, Profile};
use std::hint::black_box;
use std::time::Instant;

const DAY_MS: u64 = 86_400_000;
const START_MS: u64 = 1_700_000_000_000;

/// One visitor's plausible history: visits of 20 events a minute apart, two days between
/// visits, 50 items, mostly product views with carts, checkouts, purchases and pages mixed in.
fn history(n: usize) -> Vec<Event> {
    let mut t = START_MS;
    (0..n)
        .map(|i| {
            t += if i % 20 == 0 { 2 * DAY_MS } else { 60_000 };
            let kind = match i % 20 {
                0 => EventKind::PageView,
                5 | 12 => EventKind::AddToCart,
                13 => EventKind::RemoveFromCart,
                15 => EventKind::ViewCart,
                16 => EventKind::BeginCheckout,
                17 if i % 60 == 17 => EventKind::Purchase,
                18 => EventKind::AddToWishlist,
                _ => EventKind::ViewItem,
            };
            let mut e = Event::new(kind, t);
            if kind == EventKind::PageView {
                e.page_location =
                    Some("https://shop.example/collections/linen?utm_medium=email".into());
            } else if kind != EventKind::ViewCart && kind != EventKind::BeginCheckout {
                e.items.push(Item {
                    id: format!("sku-{}", (i * 7) % 50),
                    name: Some("Linen shirt".into()),
                    category: Some("shirts".into()),
                    price: Some(49.0 + (i % 5) as f64),
                    quantity: 1.0,
                });
            }
            e
        })
        .collect()
}

fn replay(model: &Model, events: &[Event]) -> Profile {
    let mut p = Profile::new("v");
    for e in events {
        let _ = p.track(model, e);
    }
    p
}

fn track(c: &mut Criterion) {
    let model = Model::default();
    let events = history(10_000);
    let mut g = c.benchmark_group("track");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("10k events, one visitor", |b| {
        b.iter(|| replay(&model, black_box(&events)))
    });
    g.finish();
}

fn state(c: &mut Criterion) {
    let model = Model::default();
    let profile = replay(&model, &history(10_000));
    let encoded = profile.encode();
    println!(
        "state after 10,000 events: {} bytes encoded (base64)",
        encoded.len()
    );
    let mut g = c.benchmark_group("state");
    g.bench_function("encode", |b| b.iter(|| black_box(&profile).encode()));
    g.bench_function("decode", |b| {
        b.iter(|| Profile::decode(black_box(&encoded)).unwrap())
    });
    g.finish();
}

/// Prints ns per event and the encoded state size for 10 … 1,000,000 events per visitor
/// (median of 5 runs), then lets criterion measure the same at three sizes.
fn growth(c: &mut Criterion) {
    let model = Model::default();
    println!("growth: events per visitor | ns per event (median of 5) | state bytes");
    for n in [10usize, 100, 1_000, 10_000, 100_000, 1_000_000] {
        let events = history(n);
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                black_box(replay(&model, &events));
                start.elapsed().as_nanos() as f64 / n as f64
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let size = replay(&model, &events).encode().len();
        println!("growth: {n:>9} | {:>8.1} | {size:>6}", times[2]);
    }
    let mut g = c.benchmark_group("growth");
    g.sample_size(10);
    for n in [10usize, 10_000, 1_000_000] {
        let events = history(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{n} events"), |b| {
            b.iter_batched(
                || Profile::new("v"),
                |mut p| {
                    for e in &events {
                        let _ = p.track(&model, e);
                    }
                    p
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, track, state, growth);
criterion_main!(benches);
