//! `intent()` over a GA4 export in Parquet, timed: DataFusion on this machine, then Ballista
//! standalone (in-process scheduler and executor).
//!
//! `cargo run --profile sql --features datafusion --example sql -- FILE.parquet [CUTOFF_MS]`
//! (scripts/bench-warehouse.sh runs it on the benchmark log).

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::execution::{FunctionRegistry, SessionStateBuilder};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use shopper_intent::cli::sql::intent;
use shopper_intent::core::Model;
use std::sync::Arc;
use std::time::Instant;

async fn run(
    name: &str,
    ctx: &SessionContext,
    file: &str,
    cutoff: &str,
) -> datafusion::error::Result<()> {
    ctx.register_parquet("events", file, ParquetReadOptions::default())
        .await?;
    let rows: usize = ctx
        .sql("SELECT count(*) AS n FROM events")
        .await?
        .collect()
        .await?
        .iter()
        .map(|b| {
            let n = b
                .column(0)
                .as_any()
                .downcast_ref::<datafusion::arrow::array::Int64Array>();
            n.map_or(0, |a| a.value(0) as usize)
        })
        .sum();
    let sql = format!(
        "SELECT COALESCE(user_pseudo_id, user_id) AS visitor, \
         intent(event_timestamp, event_name, event_params, items, ecommerce, \
                collected_traffic_source, traffic_source{cutoff}) AS intent \
         FROM events GROUP BY 1"
    );
    let start = Instant::now();
    let batches = ctx.sql(&sql).await?.collect().await?;
    let seconds = start.elapsed().as_secs_f64();
    let visitors: usize = batches.iter().map(|b| b.num_rows()).sum();
    println!(
        "{name}: {rows} events of {visitors} visitors in {seconds:.2} s = {:.0} events/s ({} partitions)",
        rows as f64 / seconds,
        ctx.state().config().target_partitions()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> datafusion::error::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: sql FILE.parquet [CUTOFF_MS]");
        std::process::exit(2);
    };
    let cutoff = args.get(1).map(|c| format!(", {c}")).unwrap_or_default();

    let ctx = SessionContext::new();
    ctx.register_udaf(intent(Model::default()));
    run("DataFusion", &ctx, file, &cutoff).await?;

    let mut state = SessionStateBuilder::new()
        .with_default_features()
        .with_config(SessionConfig::new_with_ballista())
        .build();
    state.register_udaf(Arc::new(intent(Model::default())))?;
    let ctx = SessionContext::standalone_with_state(state).await?;
    ctx.register_udaf(intent(Model::default()));
    run("Ballista standalone", &ctx, file, &cutoff).await
}
