//! `evaluate --html`: one self-contained page (no script, no external file) with the report's
//! tables and SVG charts drawn by `plotters`: the score distributions of buyers and non-buyers,
//! the ROC curve, conversion by stage, and, when the config carries a scorecard's probability
//! map, the reliability chart. `calibrate --html`: its report with the out-of-fold reliability
//! chart.

use super::evaluate::Report;
use super::history::Outcome;
use super::metrics::{self, Calibration};
use super::table;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 360;
const BUYERS: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
const OTHERS: RGBColor = RGBColor(0x75, 0x70, 0xb3);

/// Text from the data (file names, group names) is escaped, never trusted as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Draws into an SVG string; a drawing error leaves a note instead of the chart.
fn svg(
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.to_string()))
    };
    match result {
        Ok(()) => out,
        Err(e) => format!("<p>chart not drawn: {}</p>", escape(&e)),
    }
}

/// A chart in the report's style: caption, margins, and the axes' ranges.
type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn chart<'a, 'b>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    caption: &str,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Result<Chart<'a, 'b>, String> {
    ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(48)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
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
    svg(|root| {
        let mut chart = chart(
            root,
            "Score at the cut-off: buyers vs others",
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
        for (series, color, offset) in [(0usize, BUYERS, 0.0), (1, OTHERS, 0.5)] {
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
    let scored = super::evaluate::scored(outcomes);
    let mut points = vec![(0.0, 0.0)];
    points.extend(metrics::roc_curve(&scored).iter().map(|c| (c.fpr, c.tpr)));
    let caption = format!("ROC curve (AUC {})", table::auc(report.roc_auc));
    svg(|root| {
        let mut chart = chart(root, &caption, 0.0..1.0, 0.0..1.0)?;
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
            .draw_series(LineSeries::new(points, BUYERS.stroke_width(2)))
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
    svg(|root| {
        let mut chart = chart(
            root,
            "Conversion by stage at the cut-off",
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
                    BUYERS.filled(),
                )
            }))
            .map_err(|e| e.to_string())?;
        if let Some(base) = report.base_rate {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, base), (n as f64, base)],
                    OTHERS.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label("base rate")
                .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], OTHERS.stroke_width(2)));
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

/// Predicted against observed conversion by tenth of predicted probability, with the diagonal.
fn reliability_chart(c: &Calibration) -> String {
    let top = c
        .deciles
        .iter()
        .fold(0.0f64, |m, d| m.max(d.0).max(d.1))
        .max(0.01)
        * 1.1;
    let caption = format!(
        "Reliability: predicted vs observed (slope {:.2}, Brier skill {:.2})",
        c.slope, c.skill
    );
    svg(|root| {
        let mut chart = chart(root, &caption, 0.0..top, 0.0..top)?;
        chart
            .configure_mesh()
            .x_desc("predicted probability (mean of each tenth)")
            .y_desc("share who bought")
            .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (top, top)], BLACK.mix(0.3)))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(LineSeries::new(
                c.deciles.iter().map(|d| (d.0, d.1)),
                BUYERS.stroke_width(2),
            ))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                c.deciles
                    .iter()
                    .map(|d| Circle::new((d.0, d.1), 4, BUYERS.filled())),
            )
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// `calibrate --html`: the terminal report as text, and the out-of-fold reliability chart.
pub fn calibration_page(file: &str, report: &str, calibration: Option<&Calibration>) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shopper-intent calibration: {file}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
pre{{font-size:13px;line-height:1.35;overflow-x:auto}}.charts svg{{max-width:100%;height:auto;display:block;margin:1em 0}}</style></head>
<body><h1>Calibration of {file}</h1>
<div class="charts">{chart}</div>
<pre>{report}</pre>
</body></html>
"#,
        file = escape(file),
        chart = calibration.map_or(String::new(), reliability_chart),
        report = escape(report),
    )
}

fn groups_table(title: &str, groups: &[metrics::Group]) -> String {
    let mut html = format!(
        "<table><thead><tr><th>{}</th><th>visitors</th><th>bought</th><th>conversion</th><th>lift</th></tr></thead><tbody>",
        escape(title)
    );
    for g in groups {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&g.name),
            g.visitors,
            g.buyers,
            table::percent(g.conversion),
            table::ratio(g.lift)
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// The HTML page of a report.
pub fn page(report: &Report, outcomes: &[Outcome]) -> String {
    let mut thresholds = String::from(
        "<table><thead><tr><th>threshold</th><th>buyers at or above</th><th>others at or above</th><th>precision</th></tr></thead><tbody>",
    );
    for t in &report.thresholds {
        thresholds.push_str(&format!(
            "<tr><td>{} (&ge; {})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t.stage,
            t.score,
            table::percent(Some(t.buyers_at_or_above)),
            table::percent(Some(t.others_at_or_above)),
            table::percent(Some(t.precision))
        ));
    }
    if let Some(b) = report.best_threshold {
        thresholds.push_str(&format!(
            "<tr><td>best split (&ge; {}, J {:.3})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            b.threshold,
            b.j(),
            table::percent(Some(b.tpr)),
            table::percent(Some(b.fpr)),
            table::percent(Some(b.precision))
        ));
    }
    thresholds.push_str("</tbody></table>");
    let page_values = report.page_values_auc.map_or(String::new(), |pv| {
        format!("<p>PageValues alone would score ROC AUC {pv:.3}; Google Analytics computes it from the transactions, so the model does not use it.</p>")
    });
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shopper-intent evaluation: {file}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:right}}
td:first-child,th:first-child{{text-align:left}}.charts svg{{max-width:100%;height:auto;display:block;margin:1em 0}}</style></head>
<body><h1>Evaluation of {file}</h1>
<p>Format <b>{format}</b>. Cut-off: {cutoff}.</p>
<p><b>{visitors}</b> {units} scored, <b>{buyers}</b> bought ({base}). ROC AUC <b>{roc}</b>{ci}, PR AUC <b>{pr}</b> (a random score gets 0.500 and {base_pr}).</p>
{page_values}
<div class="charts">{hist}{roc_svg}{stages_svg}{reliability}</div>
<h2>By stage</h2>{by_stage}<h2>By intent tier</h2>{by_intent}<h2>Thresholds</h2>{thresholds}
<p>Read {events} events of {all} visitors; {bad} bad rows skipped; {left} {units} with no event before their cut-off left out ({left_buyers} of them buyers).</p>
</body></html>
"#,
        file = escape(&report.file),
        format = report.format.name(),
        cutoff = escape(&report.cutoff),
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
        pr = table::auc(report.pr_auc),
        base_pr = table::auc(report.base_rate),
        hist = histogram_chart(report, outcomes),
        roc_svg = roc_chart(report, outcomes),
        stages_svg = stage_chart(report),
        reliability = report
            .calibration
            .as_ref()
            .map_or(String::new(), reliability_chart),
        by_stage = groups_table("stage", &report.by_stage),
        by_intent = groups_table("intent", &report.by_intent),
        events = report.totals.events,
        all = report.totals.visitors,
        bad = report.totals.bad_rows,
        left = report.totals.left_out,
        left_buyers = report.totals.left_out_buyers,
        units = report.units,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href='x'>&"),
            "&lt;a href=&#39;x&#39;&gt;&amp;"
        );
    }
}
