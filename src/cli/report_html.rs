//! What the HTML reports share: self-contained pages (no script, no external file), escaped
//! text, tables and SVG charts drawn by `plotters` (bars with intervals, lines, the reliability
//! chart). Each command writes its own page from these (`page` in `evaluate`, `channels` and
//! `accelerators`), so this module knows none of their reports; `calibrate --html` is the
//! out-of-fold reliability chart and the terminal report, here.

use super::metrics::Calibration;
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::prelude::*;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 360;
pub(super) const BUYERS: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
pub(super) const OTHERS: RGBColor = RGBColor(0x75, 0x70, 0xb3);

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
pub(super) fn svg(
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
pub(super) fn axes<'a, 'b, X: AsRangedCoord, Y: AsRangedCoord>(
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
pub(super) const PALETTE: [RGBColor; 8] = [
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

/// Predicted against observed conversion by tenth of predicted probability, with the diagonal.
pub(super) fn reliability_chart(c: &Calibration) -> String {
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
