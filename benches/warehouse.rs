//! Replay throughput at warehouse shape, criterion's statistics on a 1,000,000-event synthetic
//! log over 20,000 interleaved visitors (`synth`): the core on decoded events, and `evaluate`'s
//! two-pass replay end to end from canonical JSON Lines and from GA4 Parquet; each on one
//! thread and on all cores. `scripts/bench-warehouse.sh` prints the table at 10,000,000 events
//! over 200,000 visitors, with peak RSS.
//!
//! `cargo bench --bench warehouse`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopper_intent::cli::history::{replay, Cutoff};
use shopper_intent::cli::synth;
use shopper_intent::core::Model;

const EVENTS: u64 = 1_000_000;
const VISITORS: u32 = 20_000;

fn throughput(c: &mut Criterion) {
    let model = Model::default();
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, parquet) = (dir.path().join("e.jsonl"), dir.path().join("e.parquet"));
    synth::write_logs(EVENTS, VISITORS, &jsonl, &parquet).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("warehouse 1M events, 20k visitors");
    g.sample_size(10);
    g.throughput(Throughput::Elements(EVENTS));
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(
            format!("core replay of decoded events, {threads} threads"),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = std::time::Duration::ZERO;
                    for _ in 0..iters {
                        let r = pool.install(|| synth::replay(EVENTS, VISITORS, &model));
                        total += std::time::Duration::from_secs_f64(r.seconds);
                    }
                    total
                })
            },
        );
        for (name, path) in [("JSONL", &jsonl), ("GA4 Parquet", &parquet)] {
            g.bench_function(format!("evaluate, {name}, {threads} threads"), |b| {
                b.iter(|| {
                    let h = pool
                        .install(|| {
                            replay(
                                path,
                                None,
                                &model,
                                Cutoff::FirstPurchase { horizon_ms: 0 },
                                &mut |e| panic!("{e}"),
                            )
                        })
                        .unwrap();
                    assert_eq!(h.totals.events, EVENTS);
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
