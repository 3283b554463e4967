//! The native `shopper-intent` command: replays a store's event history through the same core
//! that runs in the browser.

pub mod ab_report;
pub mod ab_stats;
pub mod accelerators;
pub mod binning;
pub mod calibrate;
pub mod channels;
pub mod drift;
pub mod evaluate;
pub mod history;
pub mod input;
pub mod leads;
pub mod logistic;
pub mod metrics;
pub mod read;
mod report_html;
pub mod score;
pub mod spend;
#[cfg(feature = "datafusion")]
pub mod sql;
pub mod synth;
mod table;
pub mod tiers;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Purchase-intent scoring for a store's event history.
#[derive(Parser, Debug)]
#[command(name = "shopper-intent", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    limits: input::Limits,
    /// Threads that parse and replay the input, visitors split between them; results do not
    /// depend on the number. 0, the default, is one per core.
    #[arg(long, global = true, default_value_t = 0)]
    threads: usize,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Score each visitor of a JSON Lines event log; one JSON line per visitor.
    Score(score::Args),
    /// Print the default model as a full, editable config.
    Config,
    /// Validate a config and compile it into the model file the browser tag loads.
    Compile(CompileArgs),
    /// Lift per experiment from the exposures and conversions pushed to the dataLayer.
    AbReport(ab_report::Args),
    /// Score each visitor of a history before the outcome; AUC, conversion by stage, thresholds.
    Evaluate(evaluate::Args),
    /// Learn a scorecard from a history, validate it against the current config, write the new config.
    Calibrate(calibrate::Args),
    /// Leads by GA4 channel, source / medium or campaign: score at day 14, SQL rate, CPA for SQL.
    Channels(channels::Args),
    /// Population stability of each characteristic between a calibration history and a recent window.
    Drift(drift::Args),
    /// Touchpoints (campaigns, emails, content) followed by rising scores, against a same-stage baseline.
    Accelerators(accelerators::Args),
    /// Conversion and revenue by intent tier and by stage, week by week.
    Tiers(tiers::Args),
    /// Write a synthetic log (JSON Lines and GA4 Parquet) for benchmarks; GA4 NDJSON → Parquet.
    Synth(synth::Args),
}

/// Runs the command line; the exit code is non-zero only on a usage error, `--strict`, or no input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    input::set_limits(cli.limits);
    if let Err(e) = rayon::ThreadPoolBuilder::new()
        .num_threads(cli.threads)
        .build_global()
    {
        eprintln!("shopper-intent: cannot start {} threads: {e}", cli.threads);
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Config => print_default_config(),
        Command::Compile(args) => compile(args),
        Command::AbReport(args) => ab_report::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Channels(args) => channels::run(args),
        Command::Drift(args) => drift::run(args),
        Command::Accelerators(args) => accelerators::run(args),
        Command::Tiers(args) => tiers::run(args),
        Command::Synth(args) => synth::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("shopper-intent: {message}");
            ExitCode::from(2)
        }
    }
}

fn print_default_config() -> Result<ExitCode, String> {
    print_report(
        &crate::core::Model::default().to_config(),
        true,
        String::new,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes an HTML report, and says so on stderr.
pub(crate) fn write_page(path: &std::path::Path, page: &str) -> Result<(), String> {
    std::fs::write(path, page).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Prints a report: as JSON with `--json`, else as text.
pub(crate) fn print_report<T: serde::Serialize>(
    report: &T,
    json: bool,
    text: impl FnOnce() -> String,
) -> Result<(), String> {
    if json {
        let text = serde_json::to_string_pretty(report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", text());
    }
    Ok(())
}

/// `shopper-intent compile`.
#[derive(clap::Args, Debug)]
struct CompileArgs {
    /// The config (JSON); the default model without one.
    config: Option<std::path::PathBuf>,
    /// Where to write the model file, `shopper-intent.model.bin` (standard output without).
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

fn compile(args: CompileArgs) -> Result<ExitCode, String> {
    let config = match &args.config {
        Some(path) => read_config(path)?,
        None => crate::core::Config::default(),
    };
    let (file, scorecard) = config.model_file().map_err(|e| e.to_string())?;
    if scorecard {
        eprintln!("{}", crate::core::config::SCORECARD_NOTE);
    }
    match &args.out {
        Some(path) => std::fs::write(path, file)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&file)
                .map_err(|e| format!("cannot write the model file: {e}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_config(path: &std::path::Path) -> Result<crate::core::Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("config {}: not JSON: {e}", path.display()))?;
    crate::core::Config::read(&json).map_err(|e| format!("config {}: {e}", path.display()))
}

/// Loads and validates a config file; the defaults without one.
pub(crate) fn load_model(path: Option<&std::path::Path>) -> Result<crate::core::Model, String> {
    let Some(path) = path else {
        return Ok(crate::core::Model::default());
    };
    read_config(path)?
        .compile()
        .map_err(|e| format!("config {}: {e}", path.display()))
}
