//! `shopper-intent ab-report`: the lift of each experiment from the exposures and conversions the
//! browser pushed to the `dataLayer`, with `visitor` and `time` added to each line.
//!
//! A visitor counts once per experiment, in the variation of their exposures. A conversion
//! counts when the same visitor was exposed to that experiment at or before its time; the
//! revenue of all such conversions is summed. Visitors seen in more than one variation of an
//! experiment (a changed config, a shared device) are left out, as GrowthBook does.

use super::ab_stats::{self, ArmTotals, Comparison, SampleRatio};
use super::input;
use crate::core::actions::{CONVERSION_EVENT, EXPOSURE_EVENT};
use crate::core::experiment::get_equal_weights;
use crate::core::Model;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `ab-report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A config whose `experiments` give the variation names and weights; the defaults without it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// JSON Lines of `experiment_viewed` / `experiment_conversion` pushes with `visitor` and `time`.
    file: Option<PathBuf>,
}

/// What the input held besides the experiments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Lines {
    /// Non-empty lines read.
    pub read: u64,
    /// Exposure lines.
    pub exposures: u64,
    /// Conversion lines.
    pub conversions: u64,
    /// Lines of other events, ignored.
    pub other_events: u64,
    /// Unreadable lines, skipped (each is named on stderr).
    pub bad: u64,
    /// Conversions of visitors not (yet) exposed to their experiment, not counted.
    pub unattributed_conversions: u64,
    /// Conversions whose variation differs from the visitor's exposures, not counted.
    pub mismatched_conversions: u64,
    /// Visitors exposed to more than one variation of an experiment, left out.
    pub excluded_visitors: u64,
}

/// One variation's totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variation {
    /// Index (0 is the control).
    pub variation: usize,
    /// Name from the config, or the index.
    pub name: String,
    /// Exposed visitors.
    pub visitors: u64,
    /// Exposed visitors who converted.
    pub conversions: u64,
    /// `conversions / visitors`.
    pub conversion_rate: Option<f64>,
    /// Revenue of their conversions.
    pub revenue: f64,
    /// `revenue / visitors`.
    pub revenue_per_visitor: Option<f64>,
}

/// One experiment's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    /// The key.
    pub experiment: String,
    /// The configured weights the split is checked against.
    pub weights: Vec<f64>,
    /// The variations, control first.
    pub variations: Vec<Variation>,
    /// Each treatment against the control.
    pub comparisons: Vec<Comparison>,
    /// The split against the weights.
    pub sample_ratio: SampleRatio,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Experiments in key order.
    pub experiments: Vec<Experiment>,
    /// Line counts.
    pub lines: Lines,
}

#[derive(Default)]
struct VisitorLog {
    first_exposure_ms: u64,
    variations: Vec<usize>,
    /// (time, variation, value)
    conversions: Vec<(u64, usize, f64)>,
}

enum Push {
    Exposure,
    Conversion(f64),
    Other,
}

/// One parsed line: experiment, variation, visitor, time and what it is.
struct Line {
    experiment: String,
    variation: usize,
    visitor: String,
    time_ms: u64,
    push: Push,
}

fn parse_line(text: &str) -> Result<Line, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    let other = || Line {
        experiment: String::new(),
        variation: 0,
        visitor: String::new(),
        time_ms: 0,
        push: Push::Other,
    };
    let event = obj.get("event").and_then(|e| e.as_str()).unwrap_or("");
    let is_conversion = event == CONVERSION_EVENT;
    if event != EXPOSURE_EVENT && !is_conversion {
        return Ok(other());
    }
    let (visitor, time_ms) = input::visitor_and_time(obj)?;
    let experiment = match obj.get("experiment_id") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err("`experiment_id` is missing or not a non-empty string".into()),
    };
    // GrowthBook's `variation_id` is the variation key: the index as text by default.
    let variation = match obj.get("variation_id") {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .and_then(|v| usize::try_from(v).ok())
    .filter(|&v| v < 100)
    .ok_or("`variation_id` must be a variation index (0 for the control), as a number or text")?;
    let push = if is_conversion {
        let value = match obj.get("value") {
            None | Some(serde_json::Value::Null) => 0.0,
            Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().unwrap_or(f64::NAN),
            Some(_) => f64::NAN,
        };
        if !value.is_finite() || value < 0.0 {
            return Err("`value` must be a number of 0 or more".into());
        }
        Push::Conversion(value)
    } else {
        Push::Exposure
    };
    Ok(Line {
        experiment,
        variation,
        visitor,
        time_ms,
        push,
    })
}

/// Reads the pushes and computes the report; bad lines are named on `err` and skipped.
pub fn report(reader: impl BufRead, model: &Model, err: &mut impl Write) -> Result<Report, String> {
    let mut lines = Lines::default();
    let mut logs: BTreeMap<String, HashMap<String, VisitorLog>> = BTreeMap::new();
    let mut input = input::Lines::new(reader, input::limits());
    let counted = input::each_line(&mut input, err, |_, text, _| {
        let parsed = parse_line(text)?;
        let log = || VisitorLog {
            first_exposure_ms: u64::MAX,
            ..VisitorLog::default()
        };
        match parsed.push {
            Push::Other => lines.other_events += 1,
            Push::Exposure => {
                lines.exposures += 1;
                let v = logs
                    .entry(parsed.experiment)
                    .or_default()
                    .entry(parsed.visitor)
                    .or_insert_with(log);
                v.first_exposure_ms = v.first_exposure_ms.min(parsed.time_ms);
                if !v.variations.contains(&parsed.variation) {
                    v.variations.push(parsed.variation);
                }
            }
            Push::Conversion(value) => {
                lines.conversions += 1;
                logs.entry(parsed.experiment)
                    .or_default()
                    .entry(parsed.visitor)
                    .or_insert_with(log)
                    .conversions
                    .push((parsed.time_ms, parsed.variation, value));
            }
        }
        Ok(())
    });
    (lines.read, lines.bad) = (counted.lines, counted.bad);

    let mut experiments = Vec::new();
    for (key, visitors) in logs {
        let config = model.experiments.iter().find(|e| e.key == key);
        let seen = visitors
            .values()
            .flat_map(|v| v.variations.iter().copied())
            .max()
            .map_or(0, |m| m + 1);
        let count = config.map_or(seen.max(2), |c| c.variations.len().max(seen));
        let mut totals = vec![
            ArmTotals {
                visitors: 0,
                conversions: 0,
                revenue: 0.0,
            };
            count
        ];
        for v in visitors.values() {
            let [variation] = v.variations[..] else {
                if v.variations.len() > 1 {
                    lines.excluded_visitors += 1;
                } else {
                    lines.unattributed_conversions += v.conversions.len() as u64;
                }
                continue;
            };
            let arm = &mut totals[variation];
            arm.visitors += 1;
            let mut converted = false;
            for &(time_ms, conversion_variation, value) in &v.conversions {
                if time_ms < v.first_exposure_ms {
                    lines.unattributed_conversions += 1;
                } else if conversion_variation != variation {
                    lines.mismatched_conversions += 1;
                } else {
                    converted = true;
                    arm.revenue += value;
                }
            }
            if converted {
                arm.conversions += 1;
            }
        }
        let weights = match config.and_then(|c| c.weights.clone()) {
            Some(w) if w.len() == count => w,
            _ => get_equal_weights(count),
        };
        let stats =
            ab_stats::analyze(&totals, &weights).map_err(|e| format!("experiment {key}: {e}"))?;
        let variations = totals
            .iter()
            .zip(&stats.arms)
            .enumerate()
            .map(|(i, (t, s))| Variation {
                variation: i,
                name: config
                    .and_then(|c| c.variations.get(i).cloned())
                    .unwrap_or_else(|| i.to_string()),
                visitors: t.visitors,
                conversions: t.conversions,
                conversion_rate: s.conversion_rate,
                revenue: t.revenue,
                revenue_per_visitor: s.revenue_per_visitor,
            })
            .collect();
        experiments.push(Experiment {
            experiment: key,
            weights,
            variations,
            comparisons: stats.comparisons,
            sample_ratio: stats.sample_ratio,
        });
    }
    Ok(Report { experiments, lines })
}

fn percent(x: f64) -> String {
    format!("{:+.2}%", x * 100.0)
}

/// A p-value: 4 decimals, or scientific when that would print 0.
fn p_value(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

/// "1 treatment", or "1" when the name is the index.
fn label(v: &Variation) -> String {
    if v.name == v.variation.to_string() {
        v.name.clone()
    } else {
        format!("{} {}", v.variation, v.name)
    }
}

/// The report as a terminal table.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    for e in &report.experiments {
        let weights: Vec<String> = e.weights.iter().map(|w| format!("{w}")).collect();
        let _ = writeln!(
            out,
            "experiment {}  (weights {})",
            e.experiment,
            weights.join(" / ")
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>9} {:>12} {:>11} {:>16}",
            "variation", "visitors", "conversions", "conv. rate", "revenue/visitor"
        );
        for v in &e.variations {
            let name = label(v);
            let rate = v
                .conversion_rate
                .map_or("-".into(), |r| format!("{:.2}%", r * 100.0));
            let rpv = v
                .revenue_per_visitor
                .map_or("-".into(), |r| format!("{r:.2}"));
            let _ = writeln!(
                out,
                "  {name:<16} {:>9} {:>12} {rate:>11} {rpv:>16}",
                v.visitors, v.conversions
            );
        }
        for c in &e.comparisons {
            let name = |i: usize| e.variations.get(i).map_or(String::new(), label);
            let lift = c
                .lift
                .map_or("lift n/a (no control conversions)".into(), |l| {
                    format!(
                        "lift {} (95% CI {} to {})",
                        percent(l.estimate),
                        percent(l.ci_low),
                        percent(l.ci_high)
                    )
                });
            let test = c.z_test.map_or("z-test n/a".into(), |z| {
                format!("z = {:.3}, p = {}", z.z, p_value(z.p_value))
            });
            let _ = writeln!(
                out,
                "  {} vs {}: {lift}, {test}",
                name(c.variation),
                name(0)
            );
        }
        let srm = &e.sample_ratio;
        let verdict = if srm.mismatch {
            "SAMPLE RATIO MISMATCH (p < 0.001): the split is broken; do not trust the lift"
        } else {
            "ok"
        };
        let _ = writeln!(
            out,
            "  sample ratio: chi-square {:.3}, df {}, p = {}: {verdict}",
            srm.chi_square,
            srm.degrees_of_freedom,
            p_value(srm.p_value)
        );
        out.push('\n');
    }
    let l = &report.lines;
    let _ = writeln!(
        out,
        "{} lines: {} exposures, {} conversions, {} other events ignored, {} bad lines skipped; \
         {} conversions without an earlier exposure and {} in another variation not counted; \
         {} visitors in several variations left out",
        l.read,
        l.exposures,
        l.conversions,
        l.other_events,
        l.bad,
        l.unattributed_conversions,
        l.mismatched_conversions,
        l.excluded_visitors
    );
    out
}

/// Runs `ab-report`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let model = super::load_model(args.config.as_deref())?;
    let reader = input::open(args.file.as_deref())?;
    let stderr = std::io::stderr();
    let report = report(reader, &model, &mut stderr.lock())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        out.write_all(table(&report).as_bytes())
            .map_err(|e| e.to_string())?;
    }
    if report.experiments.is_empty() {
        eprintln!("shopper-intent: no experiment_viewed event found");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
