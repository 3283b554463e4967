//! The native `shopper-intent` command: replays a store's event history through the same core
//! that runs in the browser.

pub mod ab_report;
pub mod ab_stats;
pub mod binning;
pub mod calibrate;
pub mod channels;
pub mod drift;
pub mod evaluate;
pub mod history;
mod input;
pub mod logistic;
pub mod metrics;
pub mod read;
mod report_html;
mod score;
mod table;
mod uci;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Purchase-intent scoring for a store's event history.
#[derive(Parser, Debug)]
#[command(name = "shopper-intent", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Score each visitor of a JSON Lines event log; one JSON line per visitor.
    Score(score::Args),
    /// Print the default model as a full, editable config.
    Config,
    /// Lift per experiment from the exposures and conversions pushed to the dataLayer.
    AbReport(ab_report::Args),
    /// Score each visitor of a history before the outcome; AUC, conversion by stage, thresholds.
    Evaluate(evaluate::Args),
    /// Learn a scorecard from a history, validate it against the current config, write the new config.
    Calibrate(calibrate::Args),
    /// Leads by first-touch acquisition channel: score at day 14, SQL rate, conversion.
    Channels(channels::Args),
    /// Population stability of each characteristic between a calibration history and a recent window.
    Drift(drift::Args),
}

/// Runs the command line; the exit code is non-zero only on a usage error, `--strict`, or no input.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Config => print_default_config(),
        Command::AbReport(args) => ab_report::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Channels(args) => channels::run(args),
        Command::Drift(args) => drift::run(args),
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
    print_json(&crate::core::Model::default().to_config())?;
    Ok(ExitCode::SUCCESS)
}

/// Prints `value` as pretty JSON on stdout (the `--json` of the reports).
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), String> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Loads and validates a config file; the defaults without one.
pub(crate) fn load_model(path: Option<&std::path::Path>) -> Result<crate::core::Model, String> {
    let Some(path) = path else {
        return Ok(crate::core::Model::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("config {}: not JSON: {e}", path.display()))?;
    let config =
        crate::core::Config::read(&json).map_err(|e| format!("config {}: {e}", path.display()))?;
    config
        .compile()
        .map_err(|e| format!("config {}: {e}", path.display()))
}
