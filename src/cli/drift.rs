//! `shopper-intent drift OLD NEW`: has the store's traffic moved away from the history a card was
//! calibrated on? Both logs are replayed to each visitor's cut-off (as `evaluate`), and for every
//! characteristic, and the score, the population stability index (PSI) between the two:
//! `Σ (new% − old%) × ln(new% / old%)` over bins, flagged above 0.25 (a shift worth
//! recalibrating for) and noted above 0.1. The bins are the config's scorecard bins where it has
//! them, else tenths of both logs together.

use super::binning;
use super::history::{Cutoff, Log, Outcome, Protocol, Source, Unit};
use super::table;
use crate::core::characteristics::{self, COUNT};
use crate::core::scorecard;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `drift`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model config (JSON); its scorecard's bins are used where it has them.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The logs' layout; guessed from each first line when omitted.
    #[arg(long, value_enum)]
    format: Option<super::read::Format>,
    /// Each visitor, or each visit, as in `evaluate`.
    #[arg(long, value_enum, default_value_t = Unit::Visitor)]
    unit: Unit,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The history the config was calibrated on.
    old: PathBuf,
    /// A recent window.
    new: PathBuf,
}

/// PSI above which a characteristic is flagged.
pub const SHIFTED: f64 = 0.25;
/// PSI above which it is noted.
pub const MODERATE: f64 = 0.1;
/// Share floor, so that an empty bin does not make the index infinite.
const FLOOR: f64 = 1e-4;

/// One characteristic (or the score) compared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The characteristic, or `score`.
    pub name: String,
    /// Bin edges used.
    pub edges: Vec<f64>,
    /// Share of OLD's visitors per bin.
    pub old: Vec<f64>,
    /// Share of NEW's visitors per bin.
    pub new: Vec<f64>,
    /// Population stability index.
    pub psi: f64,
    /// `shifted` above 0.25, `moderate` above 0.1, else `stable`.
    pub verdict: &'static str,
}

/// The PSI between two share vectors.
pub fn psi(old: &[f64], new: &[f64]) -> f64 {
    old.iter()
        .zip(new)
        .map(|(&o, &n)| {
            let (o, n) = (o.max(FLOOR), n.max(FLOOR));
            (n - o) * (n / o).ln()
        })
        .sum()
}

fn shares(values: &[f64], edges: &[f64]) -> Vec<f64> {
    let mut counts = vec![0.0; edges.len() + 1];
    for &v in values {
        counts[scorecard::bin_of(edges, v)] += 1.0;
    }
    let n = values.len().max(1) as f64;
    counts.into_iter().map(|c| c / n).collect()
}

/// Compares OLD and NEW per characteristic and for the score; `bins` gives edges to use.
pub fn compare(
    old: &[Outcome],
    new: &[Outcome],
    bins: &dyn Fn(usize) -> Option<Vec<f64>>,
) -> Vec<Row> {
    let column = |o: &[Outcome], c: Option<usize>| -> Vec<f64> {
        o.iter()
            .map(|o| c.map_or(o.snapshot.score, |c| o.values[c]))
            .collect()
    };
    (0..COUNT)
        .map(Some)
        .chain([None])
        .map(|c| {
            let (a, b) = (column(old, c), column(new, c));
            // Tenths of both logs together: a characteristic constant in OLD still gets bins.
            let edges = c.and_then(bins).unwrap_or_else(|| {
                let pooled: Vec<(f64, f64)> = a.iter().chain(&b).map(|&v| (v, 1.0)).collect();
                binning::candidates(&pooled, 9)
            });
            let (so, sn) = (shares(&a, &edges), shares(&b, &edges));
            let psi = psi(&so, &sn);
            Row {
                name: c.map_or("score", |c| characteristics::NAMES[c]).to_string(),
                edges,
                old: so,
                new: sn,
                psi,
                verdict: if psi > SHIFTED {
                    "shifted"
                } else if psi > MODERATE {
                    "moderate"
                } else {
                    "stable"
                },
            }
        })
        .collect()
}

/// Runs `drift`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let source = |file: &PathBuf| Source {
        log: Log {
            config: args.config.clone(),
            format: args.format,
            file: file.clone(),
        },
        horizon: None,
        at: None,
        label_days: None,
        protocol: Protocol::Cutoff,
        unit: args.unit,
    };
    let (old, new) = (source(&args.old), source(&args.new));
    let cutoff: Cutoff = old.cutoff()?;
    let (model, old_history) = old.replay(cutoff)?;
    let new_history = new.replay_with(&model, cutoff)?;
    let section = crate::core::config::scorecard::to_config(&model.scorecard);
    let bins = |c: usize| {
        section
            .bins
            .iter()
            .find(|(n, _)| n == characteristics::NAMES[c])
            .map(|(_, b)| b.edges.clone())
    };
    let rows = compare(&old_history.outcomes, &new_history.outcomes, &bins);
    super::print_report(&rows, args.json, || {
        let lines: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    (r.edges.len() + 1).to_string(),
                    format!("{:.3}", r.psi),
                    r.verdict.to_string(),
                ]
            })
            .collect();
        format!(
            "{} ({} visitors) → {} ({} visitors): population stability index per characteristic; above {SHIFTED} is a shift worth recalibrating for\n{}",
            args.old.display(),
            old_history.outcomes.len(),
            args.new.display(),
            new_history.outcomes.len(),
            table::render(&["characteristic", "bins", "PSI", ""], &lines)
        )
    })?;
    if old_history.outcomes.is_empty() || new_history.outcomes.is_empty() {
        eprintln!("shopper-intent: a log has no visitor to compare");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn psi_is_zero_for_equal_shares_and_grows_with_the_shift() {
        assert_eq!(super::psi(&[0.5, 0.5], &[0.5, 0.5]), 0.0);
        // 50/50 → 80/20: 0.3 ln 1.6 + (−0.3) ln 0.4.
        let p = super::psi(&[0.5, 0.5], &[0.8, 0.2]);
        assert!((p - (0.3 * 1.6f64.ln() - 0.3 * 0.4f64.ln())).abs() < 1e-12);
        assert!(p > super::SHIFTED);
        // An empty bin is floored, not infinite.
        assert!(super::psi(&[1.0, 0.0], &[0.9, 0.1]).is_finite());
    }
}
