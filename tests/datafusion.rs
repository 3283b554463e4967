//! `intent()` in DataFusion SQL and on Ballista (standalone: in-process scheduler and executor)
//! against `shopper-intent score` on the same GA4 Parquet log, visitor for visitor.
//!
//! `cargo test --features datafusion --test datafusion` (`make test` runs it in its own target
//! directory, target/datafusion).

#![cfg(all(feature = "datafusion", not(target_arch = "wasm32")))]

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::execution::{FunctionRegistry, SessionStateBuilder};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use shopper_intent::cli::read::arrow_json;
use shopper_intent::cli::sql::intent;
use shopper_intent::cli::synth::write_logs;
use shopper_intent::core::Model;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

/// score, stage, intent, value, high_value, visits.
type Verdict = (f64, String, String, f64, bool, i64);

fn cli(parquet: &Path, at: Option<u64>) -> BTreeMap<String, Verdict> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopper-intent"));
    cmd.arg("score");
    if let Some(at) = at {
        cmd.args(["--at", &at.to_string()]);
    }
    let out = cmd.arg(parquet).output().expect("the CLI runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let verdict = (
                v["score"].as_f64().unwrap(),
                v["stage"].as_str().unwrap().to_string(),
                v["intent"].as_str().unwrap().to_string(),
                (v["value"].as_f64().unwrap() * 100.0).round() / 100.0,
                v["high_value"].as_bool().unwrap(),
                v["visits"].as_i64().unwrap(),
            );
            (v["visitor"].as_str().unwrap().to_string(), verdict)
        })
        .collect()
}

fn query(at: Option<u64>) -> String {
    let cutoff = at.map(|t| format!(", {t}")).unwrap_or_default();
    format!(
        "SELECT COALESCE(user_pseudo_id, user_id) AS visitor, \
         intent(event_timestamp, event_name, event_params, items, ecommerce, \
                collected_traffic_source, traffic_source{cutoff}) AS intent \
         FROM events GROUP BY 1"
    )
}

async fn sql(ctx: &SessionContext, parquet: &Path, at: Option<u64>) -> BTreeMap<String, Verdict> {
    if !ctx.table_exist("events").unwrap() {
        ctx.register_parquet(
            "events",
            parquet.to_str().unwrap(),
            ParquetReadOptions::default(),
        )
        .await
        .unwrap();
    }
    let frame = ctx.sql(&query(at)).await.unwrap();
    let batches: Vec<RecordBatch> = frame.collect().await.unwrap();
    let mut out = BTreeMap::new();
    for b in batches {
        let visitors = b.column(0);
        let verdicts = b.column(1).as_struct();
        for i in 0..b.num_rows() {
            if verdicts.is_null(i) {
                continue;
            }
            let field = |k: usize| arrow_json::value(verdicts.column(k).as_ref(), i);
            let verdict = (
                field(0).as_f64().unwrap(),
                field(1).as_str().unwrap().to_string(),
                field(2).as_str().unwrap().to_string(),
                (field(3).as_f64().unwrap() * 100.0).round() / 100.0,
                field(4).as_bool().unwrap(),
                field(5).as_i64().unwrap(),
            );
            let visitor = arrow_json::value(visitors.as_ref(), i);
            out.insert(visitor.as_str().unwrap().to_string(), verdict);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datafusion_and_ballista_score_as_the_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    let (jsonl, parquet) = (dir.path().join("e.jsonl"), dir.path().join("e.parquet"));
    // Sessions of about 12 events from up to 4,000 visitors, over about 14 minutes.
    write_logs(40_000, 4_000, &jsonl, &parquet).unwrap();
    let middle = 1_714_557_600_000 + 7 * 60_000;
    let wanted: Vec<_> = [None, Some(middle)]
        .into_iter()
        .map(|at| (at, cli(&parquet, at)))
        .collect();
    for (_, w) in &wanted {
        assert!(w.len() >= 1_000, "{} visitors", w.len());
        let stages: std::collections::BTreeSet<&str> = w.values().map(|v| v.1.as_str()).collect();
        assert!(stages.len() >= 3, "{stages:?}");
    }

    // DataFusion, four partitions: partial aggregates are merged.
    let config = SessionConfig::new().with_target_partitions(4);
    let ctx = SessionContext::new_with_config(config);
    ctx.register_udaf(intent(Model::default()));
    agree("DataFusion", &ctx, &parquet, &wanted).await;

    // Ballista standalone: the same plan, shuffled between stages through Arrow Flight.
    let config = SessionConfig::new_with_ballista().with_target_partitions(4);
    let mut state = SessionStateBuilder::new()
        .with_default_features()
        .with_config(config)
        .build();
    // The scheduler and executor take the functions from this state; the client's own state is
    // rebuilt with Ballista's defaults, so the function is registered there again.
    state
        .register_udaf(Arc::new(intent(Model::default())))
        .unwrap();
    let ctx = SessionContext::standalone_with_state(state).await.unwrap();
    ctx.register_udaf(intent(Model::default()));
    agree("Ballista", &ctx, &parquet, &wanted).await;
}

/// The engine's verdicts equal the CLI's, visitor for visitor, at each cut-off.
async fn agree(
    engine: &str,
    ctx: &SessionContext,
    parquet: &Path,
    wanted: &[(Option<u64>, BTreeMap<String, Verdict>)],
) {
    for (at, want) in wanted {
        assert_eq!(
            &sql(ctx, parquet, *at).await,
            want,
            "{engine}, cut-off {at:?}"
        );
    }
}
