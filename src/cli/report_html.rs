//! The HTML reports: self-contained pages (no script, no external file) with tables and SVG
//! charts drawn by `plotters`. `evaluate --html`: the score distributions of buyers and
//! non-buyers, the ROC curve, conversion by stage. `channels --html`: SQL rate and CPA for SQL
//! by group with intervals, the average score by day per group. `accelerators --html`: each
//! touchpoint's score change and SQL rate against its same-stage baseline. When the config
//! carries a scorecard's probability map, `evaluate --html` also draws the reliability chart;
//! `calibrate --html` is its report with the out-of-fold reliability chart.

use super::evaluate::Report;
use super::history::Outcome;
use super::metrics::{self, Calibration};
use super::table;
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 360;
const BUYERS: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
const OTHERS: RGBColor = RGBColor(0x75, 0x70, 0xb3);

/// Text from the data (file names, group names) is escaped, never trusted as markup.
pub fn escape(text: &str) -> String {
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
    svg_sized((WIDTH, HEIGHT), draw)
}

fn svg_sized(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
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

/// A chart on an SVG page, over the coordinates `X` and `Y` make.
type Chart<'a, 'b, X, Y> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<<X as AsRangedCoord>::CoordDescType, <Y as AsRangedCoord>::CoordDescType>,
>;

/// A chart with its caption and label areas, every report's layout.
fn axes<'a, 'b, X: AsRangedCoord, Y: AsRangedCoord>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    caption: impl AsRef<str>,
    y_label_area: u32,
    x: X,
    y: Y,
) -> Result<Chart<'a, 'b, X, Y>, String> {
    ChartBuilder::on(root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, y)
        .map_err(|e| e.to_string())
}

/// Series colours, colour-blind safe (Dark2).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1b, 0x9e, 0x77),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0x75, 0x70, 0xb3),
    RGBColor(0xe7, 0x29, 0x8a),
    RGBColor(0x66, 0xa6, 0x1e),
    RGBColor(0xe6, 0xab, 0x02),
    RGBColor(0xa6, 0x76, 0x1d),
    RGBColor(0x66, 0x66, 0x66),
];

/// One bar: its label, value, and interval (an open end is drawn to the chart's edge).
pub struct Bar {
    /// The group.
    pub label: String,
    /// Its value.
    pub value: f64,
    /// The interval's low end.
    pub low: Option<f64>,
    /// The interval's high end; `None` when unbounded.
    pub high: Option<f64>,
}

/// Labels are cut to fit the label column.
fn short_label(label: &str) -> String {
    if label.chars().count() <= 28 {
        label.to_string()
    } else {
        label.chars().take(27).collect::<String>() + "…"
    }
}

/// Horizontal bars, first bar on top, each with its interval as a whisker. Negative values
/// (differences) extend left of zero.
pub fn bar_chart(caption: &str, axis: &str, bars: &[Bar], tick: &dyn Fn(f64) -> String) -> String {
    let n = bars.len().max(1);
    let finite = bars
        .iter()
        .flat_map(|b| [Some(b.value), b.low, b.high])
        .flatten()
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((hi - lo) * 0.08).max(1e-9);
    let (lo, hi) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    let labels: Vec<String> = bars.iter().map(|b| short_label(&b.label)).collect();
    let height = (90 + 30 * n as u32).max(180);
    svg_sized((WIDTH, height), |root| {
        let mut chart = axes(
            root,
            caption,
            190,
            lo..hi,
            (0..n as i32 - 1).into_segmented(),
        )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .light_line_style(WHITE)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if (*i as usize) < n => {
                    labels.get(n - 1 - *i as usize).cloned().unwrap_or_default()
                }
                _ => String::new(),
            })
            .x_desc(axis)
            .x_label_formatter(&|x| tick(*x))
            .draw()
            .map_err(|e| e.to_string())?;
        let row = |i: usize| (n - 1 - i) as i32;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let mut r = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(row(i))),
                        (b.value, SegmentValue::Exact(row(i) + 1)),
                    ],
                    PALETTE[0].filled(),
                );
                r.set_margin(6, 6, 0, 0);
                r
            }))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
                let low = b.low?;
                let y = SegmentValue::CenterOf(row(i));
                Some(PathElement::new(
                    [(low, y.clone()), (b.high.unwrap_or(hi), y)],
                    BLACK.stroke_width(2),
                ))
            }))
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// One line per series over a shared x axis, with a legend.
pub fn line_chart(
    caption: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[(String, Vec<(f64, f64)>)],
) -> String {
    let points = || series.iter().flat_map(|(_, p)| p.iter());
    let x_hi = points().map(|p| p.0).fold(1.0f64, f64::max);
    let y_hi = points().map(|p| p.1).fold(1.0f64, f64::max) * 1.1;
    let y_lo = points().map(|p| p.1).fold(0.0f64, f64::min);
    svg(|root| {
        let mut chart = axes(root, caption, 48, 0.0..x_hi, y_lo..y_hi)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (name, points)) in series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(short_label(name))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|e| e.to_string())
    })
}

/// A table; every cell is text, escaped.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut html = String::from("<table><thead><tr>");
    for h in headers {
        html.push_str(&format!("<th>{}</th>", escape(h)));
    }
    html.push_str("</tr></thead><tbody>");
    for row in rows {
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<td>{}</td>", escape(cell)));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// A whole page around `body` (already HTML); the title is text.
pub fn document(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:right}}
td:first-child,th:first-child{{text-align:left}}.charts svg{{max-width:100%;height:auto;display:block;margin:1em 0}}</style></head>
<body>{body}</body></html>
"#,
        title = escape(title)
    )
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
        let mut chart = axes(
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
        let mut chart = axes(root, caption, 48, 0.0..1.0, 0.0..1.0)?;
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
        let mut chart = axes(
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
        let mut chart = axes(root, caption, 48, 0.0..top, 0.0..top)?;
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

/// `calibrate --html`: the out-of-fold reliability chart, then the terminal report as text.
pub fn calibration_page(file: &str, report: &str, calibration: Option<&Calibration>) -> String {
    let body = format!(
        "<h1>Calibration of {file}</h1>\n<div class=\"charts\">{chart}</div>\n<pre>{report}</pre>",
        file = escape(file),
        chart = calibration.map_or(String::new(), reliability_chart),
        report = escape(report),
    );
    document(&format!("shopper-intent calibration: {file}"), &body)
}

fn groups_table(title: &str, groups: &[metrics::Group]) -> String {
    let rows = super::evaluate::group_cells(groups);
    table(&[title, "visitors", "bought", "conversion", "lift"], &rows)
}

/// The HTML page of a report.
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
    let thresholds = table(
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
        units = report.units,
        reliability = report
            .calibration
            .as_ref()
            .map_or(String::new(), reliability_chart),
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
    document(
        &format!("shopper-intent evaluation: {}", report.file),
        &body,
    )
}

/// Shares on a percentage axis.
fn percent_tick(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn money_tick(x: f64) -> String {
    format!("{x:.0}")
}

/// `channels --html`: the table, SQL rate and CPA for SQL by group with their intervals, and
/// the average score by day after the first event per group (the eight largest).
pub fn channels_page(report: &super::channels::Report, spend: Option<&str>) -> String {
    use super::channels::{cells, notes};
    let by = report.by.name();
    let sql_bars: Vec<Bar> = report
        .rows
        .iter()
        .map(|r| Bar {
            label: format!("{} ({})", r.name, r.visitors),
            value: r.sql_rate,
            low: Some(r.sql_rate_interval.0),
            high: Some(r.sql_rate_interval.1),
        })
        .collect();
    let mut charts = bar_chart(
        &format!("SQL rate by day {} by {by} (95% interval)", report.days),
        "reached SQL",
        &sql_bars,
        &percent_tick,
    );
    let cpa_bars: Vec<Bar> = report
        .rows
        .iter()
        .filter_map(|r| {
            let (low, high) = r.cpa_sql_interval?;
            Some(Bar {
                label: format!("{} ({} SQLs)", r.name, r.sqls),
                value: r.cpa_sql?,
                low: Some(low),
                high,
            })
        })
        .collect();
    if !cpa_bars.is_empty() {
        charts.push_str(&bar_chart(
            &format!("CPA for SQL by {by} (at the ends of the SQL rate's interval)"),
            "cost per SQL",
            &cpa_bars,
            &money_tick,
        ));
    }
    let mut largest: Vec<&super::channels::Row> = report.rows.iter().collect();
    largest.sort_by_key(|r| std::cmp::Reverse(r.visitors));
    let series: Vec<(String, Vec<(f64, f64)>)> = largest
        .iter()
        .take(PALETTE.len())
        .map(|r| {
            let points = r
                .average_score_by_day
                .iter()
                .enumerate()
                .map(|(d, s)| (d as f64, *s))
                .collect();
            (r.name.clone(), points)
        })
        .collect();
    charts.push_str(&line_chart(
        &format!("Average score by day after the first event, by {by}"),
        "days after the first event",
        "average score",
        &series,
    ));
    let (headers, rows) = cells(report, spend.is_some());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let notes: String = notes(report, spend)
        .iter()
        .map(|n| format!("<p>{}</p>", escape(n)))
        .collect();
    let credit = super::channels::credit_name(report.touch);
    let body = format!(
        r#"<h1>Leads by {by}: {file}</h1>
<p><b>{visitors}</b> visitors, credited to their {credit} (GA4's default channel grouping of the landing URL and referrer), scored {days} days after their first event. SQL rate: reached SQL by then, before buying; conversion counts purchases over the whole log.</p>
<div class="charts">{charts}</div>
{table}{notes}"#,
        file = escape(&report.file),
        visitors = report.visitors,
        days = report.days,
        table = table(&headers, &rows),
    );
    document(&format!("shopper-intent channels: {}", report.file), &body)
}

/// `accelerators --html`: each touchpoint's score change and SQL rate against its same-stage
/// baseline, the table, and the comparison's limits.
pub fn accelerators_page(report: &super::accelerators::Report) -> String {
    let days = report.days;
    let changes: Vec<Bar> = report
        .touchpoints
        .iter()
        .map(|a| Bar {
            label: format!("{} ({})", a.touchpoint, a.compared),
            value: a.difference,
            low: a.difference_interval.map(|i| i.0),
            high: a.difference_interval.map(|i| i.1),
        })
        .collect();
    let mut charts = bar_chart(
        &format!("Score change in {days} days: touchpoint minus same-stage baseline"),
        "points (95% interval)",
        &changes,
        &|x| format!("{x:+.0}"),
    );
    let sqls: Vec<Bar> = report
        .touchpoints
        .iter()
        .filter_map(|a| {
            Some(Bar {
                label: format!("{} ({})", a.touchpoint, a.compared),
                value: a.sql_difference()?,
                low: None,
                high: None,
            })
        })
        .collect();
    if !sqls.is_empty() {
        charts.push_str(&bar_chart(
            &format!("Reached SQL in {days} days: touchpoint minus baseline"),
            "percentage points",
            &sqls,
            &|x| format!("{:+.0}", x * 100.0),
        ));
    }
    let (headers, rows) = super::accelerators::cells(report);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let body = format!(
        r#"<h1>Score accelerators: {file}</h1>
<p>{n} touchpoints had by at least {min} visitors, each visitor's first time before buying, compared over {days} days with {starts} visit starts.</p>
<p><b>{limits}</b></p>
<div class="charts">{charts}</div>
{table}"#,
        file = escape(&report.file),
        n = report.touchpoints.len(),
        min = report.min_visitors,
        starts = report.visit_starts,
        limits = escape(report.limits),
        table = table(&headers, &rows),
    );
    document(
        &format!("shopper-intent accelerators: {}", report.file),
        &body,
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
