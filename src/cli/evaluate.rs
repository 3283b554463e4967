//! `shopper-intent evaluate`: is the score worth what it predicts? Each visitor is scored at a
//! cut-off before the outcome (see [`super::history`]) and the scores are compared with who bought.

use super::history::{Cutoff, History, Outcome, Protocol, Source};
use super::metrics::{self, Auc, Calibration, Cut, Group, Sample};
use super::read::Format;
use super::report_html as html;
use super::table;
use crate::core::{Intent, Model, Stage};
use plotters::prelude::*;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `evaluate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// Print the report as JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Also write a self-contained HTML report with SVG charts to this file.
    #[arg(long)]
    html: Option<PathBuf>,
}

/// What fraction of buyers (and of the others) the model puts at or above a stage threshold.
#[derive(Clone, Debug, Serialize)]
pub struct Threshold {
    /// The stage.
    pub stage: &'static str,
    /// Its score threshold.
    pub score: f64,
    /// Share of buyers at or above it.
    pub buyers_at_or_above: f64,
    /// Share of non-buyers at or above it.
    pub others_at_or_above: f64,
    /// Share of buyers among those at or above it.
    pub precision: f64,
}

/// The whole evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The input file.
    pub file: String,
    /// Its format.
    pub format: Format,
    /// Where visitors were scored.
    pub cutoff: String,
    /// Which moments were scored.
    pub protocol: Protocol,
    /// What `visitors` counts: `visitors`, or `visits` with `--unit visit`.
    pub units: &'static str,
    /// Visitors scored.
    pub visitors: u64,
    /// Of whom bought.
    pub buyers: u64,
    /// `buyers / visitors`.
    pub base_rate: Option<f64>,
    /// ROC AUC of the score for "bought", at the cut-off.
    pub roc_auc: Option<f64>,
    /// The same with its 95 % interval (DeLong) and its ties.
    pub auc: Option<Auc>,
    /// With `--protocol prefix`: the AUC over every moment scored, each visitor weighing 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_auc: Option<Auc>,
    /// When the config carries a scorecard's probability map: how well it is calibrated here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Average precision of the score for "bought".
    pub pr_auc: Option<f64>,
    /// Conversion by stage.
    pub by_stage: Vec<Group>,
    /// Conversion by intent tier.
    pub by_intent: Vec<Group>,
    /// Buyers at or above each stage threshold.
    pub thresholds: Vec<Threshold>,
    /// The threshold with the largest TPR − FPR (Youden's J).
    pub best_threshold: Option<Cut>,
    /// UCI only: the AUC of `PageValues` alone, which leaks the outcome; the model does not use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_values_auc: Option<f64>,
    /// What the replay read.
    pub totals: super::history::Totals,
}

/// Builds the report of a replayed history.
pub fn report(file: &str, model: &Model, cutoff: Cutoff, history: &History) -> Report {
    let outcomes = &history.outcomes;
    let scored = scored(outcomes);
    let buyers = outcomes.iter().filter(|o| o.bought).count() as u64;
    let visitors = outcomes.len() as u64;
    let stages = [Stage::Sql, Stage::Mql, Stage::Warm];
    let (cluster, _) = super::history::visitors(outcomes);
    let at_cutoff: Vec<Sample> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| Sample {
            visitor: cluster[i],
            weight: 1.0,
            score: o.snapshot.score,
            bought: o.bought,
        })
        .collect();
    let prefix: Vec<Sample> = outcomes
        .iter()
        .enumerate()
        .flat_map(|(i, o)| {
            let w = 1.0 / o.prefix.len().max(1) as f64;
            let visitor = cluster[i];
            o.prefix.iter().map(move |(score, _)| Sample {
                visitor,
                weight: w,
                score: *score,
                bought: o.bought,
            })
        })
        .collect();
    let calibration = model.scorecard.odds.and_then(|odds| {
        let p: Vec<(f64, f64, bool)> = outcomes
            .iter()
            .map(|o| (metrics::probability(&odds, o.snapshot.score), 1.0, o.bought))
            .collect();
        metrics::calibration(&p)
    });
    Report {
        file: file.to_string(),
        format: history.format,
        cutoff: cutoff.describe(),
        protocol: history.protocol,
        units: cutoff.units(),
        visitors,
        buyers,
        base_rate: (visitors > 0).then(|| buyers as f64 / visitors as f64),
        roc_auc: metrics::roc_auc(&scored),
        auc: metrics::auc(&at_cutoff),
        prefix_auc: (history.protocol == Protocol::Prefix)
            .then(|| metrics::auc(&prefix))
            .flatten(),
        calibration,
        pr_auc: metrics::pr_auc(&scored),
        by_stage: metrics::groups(
            Stage::ALL.iter().rev().map(|s| s.name()),
            outcomes.iter().map(|o| (o.snapshot.stage.name(), o.bought)),
        ),
        by_intent: metrics::groups(
            Intent::ALL.iter().rev().map(|s| s.name()),
            outcomes
                .iter()
                .map(|o| (o.snapshot.intent.name(), o.bought)),
        ),
        thresholds: stages
            .iter()
            .zip(model.stages)
            .map(|(stage, score)| {
                let c = metrics::at_or_above(&scored, score);
                Threshold {
                    stage: stage.name(),
                    score,
                    buyers_at_or_above: c.tpr,
                    others_at_or_above: c.fpr,
                    precision: c.precision,
                }
            })
            .collect(),
        best_threshold: metrics::best_cut(&scored),
        page_values_auc: None,
        totals: history.totals.clone(),
    }
}

/// `(score, bought)` of each outcome.
pub fn scored(outcomes: &[Outcome]) -> Vec<(f64, bool)> {
    outcomes
        .iter()
        .map(|o| (o.snapshot.score, o.bought))
        .collect()
}

/// The cells of a conversion-by-group table: name, visitors, bought, conversion, lift.
pub fn group_cells(groups: &[Group]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.visitors.to_string(),
                g.buyers.to_string(),
                table::percent(g.conversion),
                table::ratio(g.lift),
            ]
        })
        .collect()
}

/// The report as terminal tables.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} ({}): {} {} scored, {} bought ({}); cut-off: {}\n",
        r.file,
        r.format.name(),
        r.visitors,
        r.units,
        r.buyers,
        table::percent(r.base_rate),
        r.cutoff
    ));
    out.push_str(&format!(
        "ROC AUC {}{}   PR AUC {} (a random score: 0.500 and {})\n",
        table::auc(r.roc_auc),
        r.auc.map_or(String::new(), |a| format!(
            " (95 % CI {:.3}–{:.3}, DeLong)",
            a.low, a.high
        )),
        table::auc(r.pr_auc),
        table::auc(r.base_rate)
    ));
    if let Some(a) = r.auc {
        out.push_str(&format!(
            "ties: {} of buyer / non-buyer pairs score the same (each counts half); {} of the {} share the most common score\n",
            table::percent(Some(a.tied_pairs)),
            table::percent(Some(a.largest_tie)),
            r.units
        ));
    }
    if let Some(a) = r.prefix_auc {
        out.push_str(&format!(
            "prefix protocol ({}): ROC AUC {:.3} (95 % CI {:.3}–{:.3}, DeLong by visitor); ties {}\n",
            r.protocol.describe(),
            a.auc,
            a.low,
            a.high,
            table::percent(Some(a.tied_pairs))
        ));
    }
    if let Some(c) = &r.calibration {
        out.push_str(&format!(
            "probabilities (the config's points → probability map): Brier {:.4} against {:.4} for the base rate (skill {:.2}); calibration slope {:.2}\n",
            c.brier, c.base_brier, c.skill, c.slope
        ));
        out.push_str(&render_deciles(&c.deciles));
    }
    if let Some(pv) = r.page_values_auc {
        out.push_str(&format!(
            "(PageValues alone would score ROC AUC {pv:.3}; it is computed from the transactions, so the model does not use it)\n"
        ));
    }
    for (title, groups) in [("stage", &r.by_stage), ("intent", &r.by_intent)] {
        out.push('\n');
        out.push_str(&table::render(
            &[title, "visitors", "bought", "conversion", "lift"],
            &group_cells(groups),
        ));
    }
    out.push('\n');
    let mut rows: Vec<Vec<String>> = r
        .thresholds
        .iter()
        .map(|t| {
            vec![
                format!("{} (>= {})", t.stage, t.score),
                table::percent(Some(t.buyers_at_or_above)),
                table::percent(Some(t.others_at_or_above)),
                table::percent(Some(t.precision)),
            ]
        })
        .collect();
    if let Some(b) = r.best_threshold {
        rows.push(vec![
            format!("best split (>= {}, J {:.3})", b.threshold, b.j()),
            table::percent(Some(b.tpr)),
            table::percent(Some(b.fpr)),
            table::percent(Some(b.precision)),
        ]);
    }
    out.push_str(&table::render(
        &[
            "threshold",
            "buyers at or above",
            "others at or above",
            "precision",
        ],
        &rows,
    ));
    let t = &r.totals;
    out.push_str(&format!(
        "\nread {} events of {} visitors ({} unknown, {} bad rows skipped); {} replayed; {} {} with no event before their cut-off left out ({} of them buyers); {} visitors' events sorted (at most {} held at once); {} refused as out of order\n",
        t.events, t.visitors, t.unknown, t.bad_rows, t.replayed, t.left_out, r.units, t.left_out_buyers, t.reordered_visitors, t.peak_held_events, t.out_of_order
    ));
    out
}

/// A reliability table: by tenth of predicted probability, predicted against observed.
pub fn render_deciles(deciles: &[(f64, f64, f64)]) -> String {
    let rows: Vec<Vec<String>> = deciles
        .iter()
        .map(|&(p, rate, w)| {
            vec![
                table::percent(Some(p)),
                table::percent(Some(rate)),
                format!("{w:.0}"),
            ]
        })
        .collect();
    table::render(&["predicted", "observed", "visitors"], &rows)
}

/// Runs `evaluate`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let cutoff = args.source.cutoff()?;
    let (model, history) = args.source.replay(cutoff)?;
    let file = args.source.log.file.display().to_string();
    let mut report = report(&file, &model, cutoff, &history);
    if history.format == Format::Uci {
        report.page_values_auc = super::read::uci::page_values_auc(&args.source.log.file)?;
    }
    if let Some(path) = &args.html {
        super::write_page(path, &page(&report, &history.outcomes))?;
    }
    super::print_report(&report, args.json, || render(&report))?;
    if report.visitors == 0 {
        eprintln!("shopper-intent: no visitor could be scored");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Shares of buyers and of others per score bin.
fn distribution(outcomes: &[Outcome]) -> (f64, f64, Vec<(f64, f64)>) {
    let scores = || outcomes.iter().map(|o| o.snapshot.score);
    let lo = scores().fold(f64::INFINITY, f64::min).min(0.0).floor();
    let hi = scores()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(lo + 1.0)
        .ceil();
    let bins = 24usize;
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![(0u64, 0u64); bins];
    for o in outcomes {
        let i = (((o.snapshot.score - lo) / width) as usize).min(bins - 1);
        if o.bought {
            counts[i].0 += 1;
        } else {
            counts[i].1 += 1;
        }
    }
    let buyers = outcomes.iter().filter(|o| o.bought).count().max(1) as f64;
    let others = outcomes.iter().filter(|o| !o.bought).count().max(1) as f64;
    let shares = counts
        .iter()
        .map(|&(b, n)| (b as f64 / buyers, n as f64 / others))
        .collect();
    (lo, width, shares)
}

fn histogram_chart(report: &Report, outcomes: &[Outcome]) -> String {
    let (lo, width, shares) = distribution(outcomes);
    let hi = lo + width * shares.len() as f64;
    let top = shares
        .iter()
        .fold(0.0f64, |m, s| m.max(s.0).max(s.1))
        .max(0.01)
        * 1.1;
    html::svg(|root| {
        let mut chart = html::axes(
            root,
            "Score at the cut-off: buyers vs others",
            48,
            lo..hi,
            0.0..top,
        )?;
        chart
            .configure_mesh()
            .x_desc("score")
            .y_desc("share of group")
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .draw()
            .map_err(|e| e.to_string())?;
        for (series, color, offset) in [(0usize, html::BUYERS, 0.0), (1, html::OTHERS, 0.5)] {
            chart
                .draw_series(shares.iter().enumerate().map(|(i, s)| {
                    let share = if series == 0 { s.0 } else { s.1 };
                    let x0 = lo + width * (i as f64 + offset * 0.9 + 0.05);
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.45, share)], color.filled())
                }))
                .map_err(|e| e.to_string())?
                .label(if series == 0 { "bought" } else { "did not buy" })
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
        }
        for t in &report.thresholds {
            chart
                .draw_series(LineSeries::new(
                    [(t.score, 0.0), (t.score, top)],
                    BLACK.mix(0.35).stroke_width(1),
                ))
                .map_err(|e| e.to_string())?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|e| e.to_string())
    })
}

fn roc_chart(report: &Report, outcomes: &[Outcome]) -> String {
    let scored = scored(outcomes);
    let mut points = vec![(0.0, 0.0)];
    points.extend(metrics::roc_curve(&scored).iter().map(|c| (c.fpr, c.tpr)));
    let caption = format!("ROC curve (AUC {})", table::auc(report.roc_auc));
    html::svg(|root| {
        let mut chart = html::axes(root, caption, 48, 0.0..1.0, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("share of non-buyers at or above")
            .y_desc("share of buyers at or above")
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], BLACK.mix(0.3)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(points, html::BUYERS.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

fn stage_chart(report: &Report) -> String {
    let groups = &report.by_stage;
    let top = groups
        .iter()
        .filter_map(|g| g.conversion)
        .fold(report.base_rate.unwrap_or(0.0), f64::max)
        .max(0.01)
        * 1.15;
    let n = groups.len();
    html::svg(|root| {
        let mut chart = html::axes(
            root,
            "Conversion by stage at the cut-off",
            48,
            0.0..n as f64,
            0.0..top,
        )?;
        let names: Vec<String> = groups
            .iter()
            .map(|g| format!("{} ({})", g.name, g.visitors))
            .collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n * 2 + 1)
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if (x - i as f64 - 0.5).abs() < 0.01 && i < names.len() {
                    names[i].clone()
                } else {
                    String::new()
                }
            })
            .y_desc("bought")
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(groups.iter().enumerate().map(|(i, g)| {
                Rectangle::new(
                    [
                        (i as f64 + 0.2, 0.0),
                        (i as f64 + 0.8, g.conversion.unwrap_or(0.0)),
                    ],
                    html::BUYERS.filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        if let Some(base) = report.base_rate {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, base), (n as f64, base)],
                    html::OTHERS.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label("base rate")
                .legend(|(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], html::OTHERS.stroke_width(2))
                });
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.9))
                .border_style(BLACK.mix(0.3))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

fn groups_table(title: &str, groups: &[metrics::Group]) -> String {
    let rows = group_cells(groups);
    html::table(&[title, "visitors", "bought", "conversion", "lift"], &rows)
}

/// `evaluate --html`: the page of a report.
pub fn page(report: &Report, outcomes: &[Outcome]) -> String {
    let mut thresholds: Vec<Vec<String>> = report
        .thresholds
        .iter()
        .map(|t| {
            vec![
                format!("{} (≥ {})", t.stage, t.score),
                table::percent(Some(t.buyers_at_or_above)),
                table::percent(Some(t.others_at_or_above)),
                table::percent(Some(t.precision)),
            ]
        })
        .collect();
    if let Some(b) = report.best_threshold {
        thresholds.push(vec![
            format!("best split (≥ {}, J {:.3})", b.threshold, b.j()),
            table::percent(Some(b.tpr)),
            table::percent(Some(b.fpr)),
            table::percent(Some(b.precision)),
        ]);
    }
    let thresholds = html::table(
        &[
            "threshold",
            "buyers at or above",
            "others at or above",
            "precision",
        ],
        &thresholds,
    );
    let page_values = report.page_values_auc.map_or(String::new(), |pv| {
        format!("<p>PageValues alone would score ROC AUC {pv:.3}; Google Analytics computes it from the transactions, so the model does not use it.</p>")
    });
    let body = format!(
        r#"<h1>Evaluation of {file}</h1>
<p>Format <b>{format}</b>. Cut-off: {cutoff}.</p>
<p><b>{visitors}</b> {units} scored, <b>{buyers}</b> bought ({base}). ROC AUC <b>{roc}</b>{ci}, PR AUC <b>{pr}</b> (a random score gets 0.500 and {base_pr}).</p>
{page_values}
<div class="charts">{hist}{roc_svg}{stages_svg}{reliability}</div>
<h2>By stage</h2>{by_stage}<h2>By intent tier</h2>{by_intent}<h2>Thresholds</h2>{thresholds}
<p>Read {events} events of {all} visitors; {bad} bad rows skipped; {left} {units} with no event before their cut-off left out ({left_buyers} of them buyers).</p>"#,
        file = html::escape(&report.file),
        format = report.format.name(),
        cutoff = html::escape(&report.cutoff),
        visitors = report.visitors,
        buyers = report.buyers,
        base = table::percent(report.base_rate),
        roc = table::auc(report.roc_auc),
        ci = report.auc.map_or(String::new(), |a| format!(
            " (95 % CI {:.3}–{:.3}, DeLong; {} of buyer / non-buyer pairs tied)",
            a.low,
            a.high,
            table::percent(Some(a.tied_pairs))
        )),
        units = report.units,
        reliability = report
            .calibration
            .as_ref()
            .map_or(String::new(), html::reliability_chart),
        pr = table::auc(report.pr_auc),
        base_pr = table::auc(report.base_rate),
        hist = histogram_chart(report, outcomes),
        roc_svg = roc_chart(report, outcomes),
        stages_svg = stage_chart(report),
        by_stage = groups_table("stage", &report.by_stage),
        by_intent = groups_table("intent", &report.by_intent),
        events = report.totals.events,
        all = report.totals.visitors,
        bad = report.totals.bad_rows,
        left = report.totals.left_out,
        left_buyers = report.totals.left_out_buyers,
    );
    html::document(
        &format!("shopper-intent evaluation: {}", report.file),
        &body,
    )
}
