//! `shopper-intent calibrate`: fits the points table to a store's history and writes a config the
//! browser loads unchanged.
//!
//! 1. Replay the history with the current model to each visitor's cut-off (as `evaluate`), and
//!    take per rule the signals fired before it, each decayed to the cut-off the way the score
//!    decays its points: then the score is exactly Σ points × signals (plus the conditions).
//! 2. Split visitors into training and held-out sets by a hash of their id and `--seed`.
//! 3. Fit a logistic regression of "bought" on those signals with `linfa-logistic`
//!    (L2-regularised, α = 1) on the training set.
//! 4. Scale the coefficients to points as credit scorecards do: points = factor × coefficient,
//!    factor = PDO / ln 2 ("points to double the odds"). Without `--pdo`, the factor is the one
//!    that best matches the current points of the rules whose sign the data confirms (least
//!    squares), so the new table reads on the article's scale (PDO 20 when no sign is
//!    confirmed); a rule the data never fired keeps its points. The intercept is not a rule:
//!    the stage thresholds absorb it.
//! 5. Set each stage threshold at the lowest score at or above which training visitors convert
//!    at the target rate (`--target-sql` …); by default 2, 4 and 8 times the base odds for warm,
//!    mql and sql.
//! 6. Replay the held-out visitors with both models and report the AUC of each.

use super::history::{Outcome, Source};
use super::metrics;
use super::table;
use crate::core::{Config, Model, RuleId};
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `calibrate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// Conversion rate that SQLs (score at or above the sql threshold) should reach, e.g. 0.4.
    #[arg(long)]
    target_sql: Option<f64>,
    /// Conversion rate at or above the mql threshold.
    #[arg(long)]
    target_mql: Option<f64>,
    /// Conversion rate at or above the warm threshold.
    #[arg(long)]
    target_warm: Option<f64>,
    /// Points to double the odds; by default, the scale closest to the current table.
    #[arg(long)]
    pdo: Option<f64>,
    /// Seed of the training / held-out split by visitor.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of visitors held out for testing.
    #[arg(long, default_value_t = 0.3)]
    holdout: f64,
    /// Where to write the new config (JSON).
    #[arg(long)]
    out: PathBuf,
}

/// Fewest visitors at or above a threshold for its conversion rate to count.
const MIN_AT_OR_ABOVE: u64 = 10;

/// One rule of the fitted table.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedRule {
    /// The rule.
    pub rule: RuleId,
    /// Points before.
    pub old: f64,
    /// Points after (rounded to whole points).
    pub new: f64,
    /// Log-odds per signal, when the rule was fitted.
    pub coefficient: Option<f64>,
    /// Training visitors with the signal.
    pub visitors: u64,
}

/// The result of a fit: the new table, the scale and the intercept.
#[derive(Clone, Debug)]
pub struct Scorecard {
    /// Every rule, in `RuleId` order.
    pub rules: Vec<FittedRule>,
    /// Points to double the odds.
    pub pdo: f64,
    /// The fitted intercept (log-odds of a visitor with no signal).
    pub intercept: f64,
}

/// Fits points to `train` (visitors with their decayed signals and label).
pub fn fit(model: &Model, train: &[&Outcome], pdo: Option<f64>) -> Result<Scorecard, String> {
    let buyers = train.iter().filter(|o| o.bought).count();
    if buyers == 0 || buyers == train.len() {
        return Err(format!(
            "the training set has {buyers} buyers among {} visitors; a fit needs both",
            train.len()
        ));
    }
    // Rules whose signal varies among training visitors; the others cannot be fitted.
    let columns: Vec<usize> = (0..RuleId::ALL.len())
        .filter(|&r| {
            let first = train[0].signals[r];
            train.iter().any(|o| o.signals[r] != first)
        })
        .collect();
    if columns.is_empty() {
        return Err("no rule fired differently among the training visitors; nothing to fit".into());
    }
    let x = Array2::from_shape_fn((train.len(), columns.len()), |(i, j)| {
        train[i].signals[columns[j]]
    });
    let y: Array1<bool> = train.iter().map(|o| o.bought).collect();
    let fitted = LogisticRegression::default()
        .alpha(1.0)
        .max_iterations(500)
        .fit(&Dataset::new(x, y))
        .map_err(|e| format!("the logistic regression failed: {e}"))?;
    // linfa takes the first label it meets as the positive class.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let mut coefficients = [None; 17];
    for (j, &r) in columns.iter().enumerate() {
        coefficients[r] = Some(sign * fitted.params()[j]);
    }
    let old = |r: usize| model.rules[r].points;
    let factor = match pdo {
        Some(p) if p.is_finite() && p > 0.0 => p / std::f64::consts::LN_2,
        Some(_) => return Err("--pdo must be a number of points above 0".into()),
        None => {
            // Least squares over the rules that kept their sign: those keep their points as
            // closely as one scale allows, and the table stays on the article's scale.
            let (num, den) = columns.iter().fold((0.0, 0.0), |(n, d), &r| {
                let b = coefficients[r].unwrap_or(0.0);
                if b * old(r) > 0.0 {
                    (n + old(r) * b, d + b * b)
                } else {
                    (n, d)
                }
            });
            let f = num / den;
            if f.is_finite() && f > 0.0 {
                f
            } else {
                20.0 / std::f64::consts::LN_2
            }
        }
    };
    let rules = RuleId::ALL
        .iter()
        .map(|&rule| {
            let r = rule as usize;
            let coefficient = coefficients[r];
            FittedRule {
                rule,
                old: old(r),
                new: coefficient.map_or(old(r), |b| (b * factor).round() + 0.0),
                coefficient,
                visitors: train.iter().filter(|o| o.signals[r] > 0.0).count() as u64,
            }
        })
        .collect();
    Ok(Scorecard {
        rules,
        pdo: factor * std::f64::consts::LN_2,
        intercept: sign * fitted.intercept(),
    })
}

/// The score the core gives a visitor under `points` (Σ points × decayed signals + conditions).
pub fn score(points: &[f64; 17], outcome: &Outcome) -> f64 {
    let s: f64 = points.iter().zip(outcome.signals).map(|(p, n)| p * n).sum();
    (s * 100.0).round() / 100.0
}

/// The lowest threshold at or above which at least `target` of the visitors bought (with at
/// least [`MIN_AT_OR_ABOVE`] of them); `Err` with the best rate reached when none does.
pub fn threshold_for(scored: &[(f64, bool)], target: f64) -> Result<f64, f64> {
    let mut best_rate = 0.0f64;
    let mut found = None;
    for c in metrics::roc_curve(scored) {
        let at_or_above = scored.iter().filter(|s| s.0 >= c.threshold).count() as u64;
        if at_or_above < MIN_AT_OR_ABOVE {
            continue;
        }
        best_rate = best_rate.max(c.precision);
        if c.precision >= target {
            found = Some(c.threshold);
        }
    }
    found.ok_or(best_rate)
}

/// Thresholds (sql, mql, warm) rising strictly, from the targets (sql, mql, warm).
fn stages(scored: &[(f64, bool)], targets: [f64; 3], notes: &mut Vec<String>) -> [f64; 3] {
    let top = scored.iter().map(|s| s.0).fold(0.0, f64::max);
    let names = ["sql", "mql", "warm"];
    let mut out = [0.0; 3];
    for i in 0..3 {
        out[i] = match threshold_for(scored, targets[i]) {
            Ok(t) => (t * 10.0).floor() / 10.0,
            Err(best) => {
                notes.push(format!(
                    "no {} threshold reaches {} conversion on the training set (the best is {}); set above every training score",
                    names[i],
                    table::percent(Some(targets[i])),
                    table::percent(Some(best))
                ));
                top.floor() + 1.0
            }
        };
    }
    // The core needs sql > mql > warm: a stage that overlaps the one below moves up.
    out[1] = out[1].max(out[2] + 1.0);
    out[0] = out[0].max(out[1] + 1.0);
    out
}

/// Default targets: 8, 4 and 2 times the base odds (sql, mql, warm).
fn default_targets(base: f64) -> [f64; 3] {
    let odds = base / (1.0 - base);
    [8.0, 4.0, 2.0].map(|k| {
        let o = odds * k;
        o / (1.0 + o)
    })
}

/// The config of the fitted model: the current one with new points and thresholds.
pub fn config(model: &Model, fit: &Scorecard, thresholds: [f64; 3]) -> Config {
    let mut config = model.to_config();
    for r in &fit.rules {
        if let Some((_, rc)) = config.rules.iter_mut().find(|(n, _)| n == r.rule.name()) {
            rc.points = Some(r.new);
        }
    }
    config.stages.sql = Some(thresholds[0]);
    config.stages.mql = Some(thresholds[1]);
    config.stages.warm = Some(thresholds[2]);
    config
}

/// Reads a written config back exactly as the browser does: `Config::read`, then `compile`.
pub fn load_back(text: &str) -> Result<Model, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    Config::read(&json)
        .and_then(|c| c.compile())
        .map_err(|e| e.to_string())
}

/// Runs `calibrate`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    if !(args.holdout > 0.0 && args.holdout < 1.0) {
        return Err("--holdout must be between 0 and 1".into());
    }
    for (flag, t) in [
        ("--target-sql", args.target_sql),
        ("--target-mql", args.target_mql),
        ("--target-warm", args.target_warm),
    ] {
        if t.is_some_and(|t| !(t > 0.0 && t < 1.0)) {
            return Err(format!("{flag} must be a conversion rate between 0 and 1"));
        }
    }
    let cutoff = args.source.cutoff()?;
    let (model, history) = args.source.replay(cutoff)?;
    let seed = args.seed.to_string();
    let held_out = |o: &Outcome| {
        crate::core::experiment::hash(&seed, &o.visitor, 2).unwrap_or(0.0) < args.holdout
    };
    let (test, train): (Vec<&Outcome>, Vec<&Outcome>) =
        history.outcomes.iter().partition(|o| held_out(o));
    let fit = fit(&model, &train, args.pdo)?;

    let mut points = [0.0; 17];
    for r in &fit.rules {
        points[r.rule as usize] = r.new;
    }
    let train_scored: Vec<(f64, bool)> = train
        .iter()
        .map(|o| (score(&points, o), o.bought))
        .collect();
    let base = train.iter().filter(|o| o.bought).count() as f64 / train.len() as f64;
    let defaults = default_targets(base);
    let targets = [
        args.target_sql.unwrap_or(defaults[0]),
        args.target_mql.unwrap_or(defaults[1]),
        args.target_warm.unwrap_or(defaults[2]),
    ];
    let mut notes = Vec::new();
    let thresholds = stages(&train_scored, targets, &mut notes);

    let config = config(&model, &fit, thresholds);
    let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
    let new_model =
        load_back(&text).map_err(|e| format!("the fitted config does not load: {e}"))?;
    std::fs::write(&args.out, text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;

    // Held-out check with the real engine: replay again under the new config.
    let new_history = args.source.replay_with(&new_model, cutoff)?;
    let is_test: std::collections::HashSet<&str> =
        test.iter().map(|o| o.visitor.as_str()).collect();
    let split = |outcomes: &[Outcome], test_side: bool| -> Vec<(f64, bool)> {
        outcomes
            .iter()
            .filter(|o| is_test.contains(o.visitor.as_str()) == test_side)
            .map(|o| (o.snapshot.score, o.bought))
            .collect()
    };
    let old_test = split(&history.outcomes, true);
    let new_test = split(&new_history.outcomes, true);
    let old_train = split(&history.outcomes, false);
    let new_train = split(&new_history.outcomes, false);

    let mut out = String::new();
    out.push_str(&format!(
        "{}: {} visitors ({} training, {} held out, seed {}); base rate {} in training\n",
        args.source.log.file.display(),
        history.outcomes.len(),
        train.len(),
        test.len(),
        args.seed,
        table::percent(Some(base))
    ));
    out.push_str(&format!(
        "logistic regression on decayed signal counts; {:.1} points double the odds; intercept {:.3}\n\n",
        fit.pdo, fit.intercept
    ));
    let rows: Vec<Vec<String>> = fit
        .rules
        .iter()
        .map(|r| {
            vec![
                r.rule.name().to_string(),
                format!("{}", r.old),
                format!("{}", r.new),
                r.coefficient
                    .map_or_else(|| "kept (no data)".into(), |b| format!("{b:+.3}")),
                r.visitors.to_string(),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &[
            "rule",
            "old points",
            "new points",
            "log-odds per signal",
            "training visitors with it",
        ],
        &rows,
    ));
    out.push('\n');
    let names = ["sql", "mql", "warm"];
    let rows: Vec<Vec<String>> = (0..3)
        .map(|i| {
            let old = metrics::at_or_above(&old_test, model.stages[i]);
            let new = metrics::at_or_above(&new_test, thresholds[i]);
            vec![
                names[i].to_string(),
                format!("{}", model.stages[i]),
                format!("{}", thresholds[i]),
                table::percent(Some(targets[i])),
                format!(
                    "{} of {}",
                    table::percent(Some(old.precision)),
                    count_at(&old_test, model.stages[i])
                ),
                format!(
                    "{} of {}",
                    table::percent(Some(new.precision)),
                    count_at(&new_test, thresholds[i])
                ),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &[
            "stage",
            "old threshold",
            "new threshold",
            "target",
            "held-out conversion, old",
            "held-out conversion, new",
        ],
        &rows,
    ));
    out.push('\n');
    out.push_str(&table::render(
        &["ROC AUC", "old model", "new model"],
        &[
            vec![
                "training".into(),
                table::auc(metrics::roc_auc(&old_train)),
                table::auc(metrics::roc_auc(&new_train)),
            ],
            vec![
                "held out".into(),
                table::auc(metrics::roc_auc(&old_test)),
                table::auc(metrics::roc_auc(&new_test)),
            ],
        ],
    ));
    for n in &notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out.push_str(&format!(
        "wrote {} (loads and compiles as the browser reads it)\n",
        args.out.display()
    ));
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn count_at(scored: &[(f64, bool)], threshold: f64) -> usize {
    scored.iter().filter(|s| s.0 >= threshold).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_targets_double_the_odds_per_stage() {
        let [sql, mql, warm] = default_targets(0.2);
        // Base odds 0.25: warm 0.5 → 1/3, mql 1 → 1/2, sql 2 → 2/3.
        assert!((warm - 1.0 / 3.0).abs() < 1e-12);
        assert!((mql - 0.5).abs() < 1e-12);
        assert!((sql - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn thresholds_meet_targets_and_rise() {
        // 20 visitors scoring 0..19; the top 10 (10..19) all bought, the rest did not.
        let scored: Vec<(f64, bool)> = (0..20).map(|i| (i as f64, i >= 10)).collect();
        assert_eq!(threshold_for(&scored, 1.0), Ok(10.0));
        // 2/3 is reached first at ≥ 5 (10 of 15).
        assert_eq!(threshold_for(&scored, 0.66), Ok(5.0));
        let mut notes = Vec::new();
        let s = stages(&scored, [1.0, 1.0, 0.5], &mut notes);
        assert_eq!(s, [11.0, 10.0, 0.0]);
        assert!(notes.is_empty());
        // Unreachable targets go above every score, still rising.
        let s = stages(&scored, [1.0, 1.0, 1.0], &mut notes);
        assert_eq!(s, [12.0, 11.0, 10.0]);
        let s = stages(&scored[..12], [0.9, 0.9, 0.9], &mut notes);
        assert_eq!((s, notes.len()), ([14.0, 13.0, 12.0], 3));
        assert_eq!(threshold_for(&scored[..9], 0.5), Err(0.0));
    }
}
