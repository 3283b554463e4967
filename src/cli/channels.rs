//! `shopper-intent channels`: which channels and campaigns bring the best leads, at what cost,
//! the first article's attribution table. Each visitor is credited to one touch (GA4's default
//! channel grouping of a visit's landing URL and referrer, [`crate::core::channel`]): their
//! first visit's, or their last non-direct one by day N. Per channel, source / medium or
//! campaign: visitors, the average score N days after the first event, the share who reached
//! SQL by then (before buying) with its 95% interval, the median days it took, how SQLs and the
//! others converted over the whole log, revenue per visitor, and with `--spend` the cost, the
//! CPA for SQL (cost / SQLs) and the cost per purchase (cost / buyers).

use super::history::Totals;
use super::leads::{By, Credit, Lead, NO_LANDING};
use super::metrics;
use super::report_html::{self as html, Bar};
use super::spend::Spend;
use super::table;
use crate::core::channel::Group;
use crate::core::Stage;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `channels`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    log: super::history::Log,
    /// Days after the first event at which leads are compared.
    #[arg(long, default_value_t = 14)]
    days: u32,
    /// Group by GA4 channel, by utm_source / utm_medium, or by utm_campaign.
    #[arg(long, value_enum, default_value_t = By::Channel)]
    by: By,
    /// Credit each visitor's first touch, or their last non-direct touch by day N.
    #[arg(long, value_enum, default_value_t = Credit::First)]
    touch: Credit,
    /// Costs: a CSV `date,<channel|campaign|source_medium>,cost` (see the README) matching --by.
    #[arg(long)]
    spend: Option<PathBuf>,
    /// Also write the campaigns and source / mediums ranked by SQL rate, as CSV.
    #[arg(long)]
    out_audiences: Option<PathBuf>,
    /// Also write an HTML report with charts.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// One group of leads.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The channel, source / medium or campaign.
    pub name: String,
    /// Visitors credited to it.
    pub visitors: u64,
    /// Average score on day N.
    pub average_score: f64,
    /// Of them, reached SQL by day N, before buying.
    pub sqls: u64,
    /// `sqls / visitors`.
    pub sql_rate: f64,
    /// Its 95% Wilson interval.
    pub sql_rate_interval: (f64, f64),
    /// Median days from the first event to SQL, of the SQLs.
    pub median_days_to_sql: Option<f64>,
    /// Share still cold on day N.
    pub still_cold: f64,
    /// Of the SQLs, the share who bought (any time in the log).
    pub sql_conversion: Option<f64>,
    /// Of the others, the share who bought.
    pub other_conversion: Option<f64>,
    /// Visitors who bought.
    pub buyers: u64,
    /// Their revenue over all visitors.
    pub revenue_per_visitor: f64,
    /// Cost over the log's days, from `--spend`.
    pub cost: Option<f64>,
    /// Cost per SQL; `None` without cost or SQLs.
    pub cpa_sql: Option<f64>,
    /// Cost per SQL at the ends of the SQL rate's interval (the high end is `None` when the
    /// interval reaches 0 SQLs).
    pub cpa_sql_interval: Option<(f64, Option<f64>)>,
    /// Cost per buyer; `None` without cost or buyers.
    pub cost_per_purchase: Option<f64>,
    /// Average score on day 0, 1, …, N.
    pub average_score_by_day: Vec<f64>,
}

fn share(part: usize, all: usize) -> Option<f64> {
    (all > 0).then(|| part as f64 / all as f64)
}

/// The row of one group's leads.
fn row(name: String, members: &[&Lead], cost: Option<f64>) -> Row {
    let n = members.len();
    let sqls = members.iter().filter(|l| l.sql()).count();
    let buyers = members.iter().filter(|l| l.bought).count();
    let bought = |sql: bool| {
        let group: Vec<_> = members.iter().filter(|l| l.sql() == sql).collect();
        share(group.iter().filter(|l| l.bought).count(), group.len())
    };
    let days = members.first().map_or(0, |l| l.scores.len());
    let interval = metrics::wilson(sqls as u64, n as u64).unwrap_or((0.0, 0.0));
    let per = |count: usize| cost.filter(|_| count > 0).map(|c| c / count as f64);
    Row {
        visitors: n as u64,
        average_score: members.iter().map(|l| l.score()).sum::<f64>() / n as f64,
        sqls: sqls as u64,
        sql_rate: sqls as f64 / n as f64,
        sql_rate_interval: interval,
        median_days_to_sql: metrics::median(
            &mut members
                .iter()
                .filter_map(|l| l.sql_days)
                .collect::<Vec<_>>(),
        ),
        still_cold: members.iter().filter(|l| l.stage == Stage::Cold).count() as f64 / n as f64,
        sql_conversion: bought(true),
        other_conversion: bought(false),
        buyers: buyers as u64,
        revenue_per_visitor: members.iter().map(|l| l.revenue).sum::<f64>() / n as f64,
        cost,
        cpa_sql: per(sqls),
        cpa_sql_interval: cost.filter(|_| sqls > 0).map(|c| {
            let at = |rate: f64| (rate > 0.0).then(|| c / (rate * n as f64));
            (at(interval.1).unwrap_or(c), at(interval.0))
        }),
        cost_per_purchase: per(buyers),
        average_score_by_day: (0..days)
            .map(|d| members.iter().map(|l| l.scores[d]).sum::<f64>() / n as f64)
            .collect(),
        name,
    }
}

/// The rows by `by`, crediting `credit`: by channel in GA4's rule order, otherwise by visitors
/// (then name); leads whose first visit had no landing page last.
pub fn rows(leads: &[Lead], by: By, credit: Credit, spend: Option<&Spend>) -> Vec<Row> {
    let mut groups: Vec<(String, Vec<&Lead>)> = Vec::new();
    for lead in leads {
        let key = by.key(lead.touch(credit));
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(lead),
            None => groups.push((key, vec![lead])),
        }
    }
    let rank = |name: &str| {
        if name == NO_LANDING {
            usize::MAX
        } else if by == By::Channel {
            Group::ALL
                .iter()
                .position(|g| g.name() == name)
                .unwrap_or(0)
        } else {
            0
        }
    };
    groups.sort_by(|a, b| {
        rank(&a.0)
            .cmp(&rank(&b.0))
            .then(b.1.len().cmp(&a.1.len()))
            .then(a.0.cmp(&b.0))
    });
    groups
        .into_iter()
        .map(|(name, members)| {
            let cost = spend.and_then(|s| s.cost(&name));
            row(name, &members, cost)
        })
        .collect()
}

/// One line of `--out-audiences`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audience {
    /// `campaign` or `source_medium`.
    pub kind: &'static str,
    /// The campaign or `source / medium`.
    pub name: String,
    /// Visitors credited to it.
    pub visitors: u64,
    /// Of whom reached SQL by day N.
    pub sqls: u64,
    /// `sqls / visitors`.
    pub sql_rate: f64,
    /// The 95% Wilson interval's low end.
    pub sql_rate_low: f64,
    /// Its high end.
    pub sql_rate_high: f64,
    /// `higher` or `lower` when the interval lies above or below the SQL rate of all
    /// visitors, else `not different`.
    pub vs_all: &'static str,
    /// Share still cold on day N.
    pub still_cold: f64,
    /// Visitors who bought.
    pub buyers: u64,
    /// Revenue per visitor.
    pub revenue_per_visitor: f64,
    /// Cost, when the spend file is by this kind.
    pub cost: Option<f64>,
    /// Cost per SQL.
    pub cpa_sql: Option<f64>,
}

/// The campaigns, then the source / mediums, each ranked by SQL rate (then visitors, name);
/// visitors with no landing page are no audience.
pub fn audiences(leads: &[Lead], credit: Credit, spend: Option<(By, &Spend)>) -> Vec<Audience> {
    let all = share(leads.iter().filter(|l| l.sql()).count(), leads.len()).unwrap_or(0.0);
    let mut out = Vec::new();
    for (kind, by) in [
        ("campaign", By::Campaign),
        ("source_medium", By::SourceMedium),
    ] {
        let costs = spend.filter(|(b, _)| *b == by).map(|(_, s)| s);
        let mut rows = rows(leads, by, credit, costs);
        rows.sort_by(|a, b| {
            b.sql_rate
                .total_cmp(&a.sql_rate)
                .then(b.visitors.cmp(&a.visitors))
                .then(a.name.cmp(&b.name))
        });
        // Shares to 4 decimals and money to 2: a sheet to read, not to recompute from.
        let (share, money) = (
            |x: f64| (x * 1e4).round() / 1e4,
            |x: f64| (x * 100.0).round() / 100.0,
        );
        out.extend(
            rows.into_iter()
                .filter(|r| r.name != NO_LANDING)
                .map(|r| Audience {
                    kind,
                    vs_all: match r.sql_rate_interval {
                        (low, _) if low > all => "higher",
                        (_, high) if high < all => "lower",
                        _ => "not different",
                    },
                    sql_rate_low: share(r.sql_rate_interval.0),
                    sql_rate_high: share(r.sql_rate_interval.1),
                    name: r.name,
                    visitors: r.visitors,
                    sqls: r.sqls,
                    sql_rate: share(r.sql_rate),
                    still_cold: share(r.still_cold),
                    buyers: r.buyers,
                    revenue_per_visitor: money(r.revenue_per_visitor),
                    cost: r.cost.map(money),
                    cpa_sql: r.cpa_sql.map(money),
                }),
        );
    }
    out
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The input file.
    pub file: String,
    /// What rows are grouped by.
    pub by: By,
    /// Which touch gets the credit.
    pub touch: Credit,
    /// The scoring day.
    pub days: u32,
    /// Visitors in the log.
    pub visitors: u64,
    /// The rows.
    pub rows: Vec<Row>,
    /// With `--spend`: rows the spend file has no cost for.
    pub no_cost: Vec<String>,
    /// With `--spend`: spend that matched no row, with its cost.
    pub unmatched_spend: Vec<(String, f64)>,
    /// With `--spend`: its rows dated outside the log, not counted.
    pub spend_rows_outside: u64,
    /// What the replay read.
    pub totals: Totals,
}

/// A sentence on the credit, for the report's first line.
pub fn credit_name(credit: Credit) -> &'static str {
    match credit {
        Credit::First => "first touch",
        Credit::Last => "last non-direct touch",
    }
}

/// Money in the store's currency, two decimals.
pub fn money(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.2}"))
}

/// The table's header and cells, shared by the terminal and the HTML page.
pub fn cells(r: &Report, spend: bool) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers: Vec<String> = [
        r.by.name(),
        "visitors",
        &format!("avg score at day {}", r.days),
        "SQL rate",
        "95% CI",
        "days to SQL",
        "SQLs who bought",
        "others who bought",
        "revenue/visitor",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if spend {
        headers.extend(["cost", "CPA for SQL", "cost/purchase"].map(String::from));
    }
    let rows = r
        .rows
        .iter()
        .map(|row| {
            let (lo, hi) = row.sql_rate_interval;
            let mut cells = vec![
                row.name.clone(),
                row.visitors.to_string(),
                format!("{:.1}", row.average_score),
                table::percent(Some(row.sql_rate)),
                format!("{:.1}–{:.1}%", lo * 100.0, hi * 100.0),
                row.median_days_to_sql
                    .map_or_else(|| "-".into(), |d| format!("{d:.1}")),
                table::percent(row.sql_conversion),
                table::percent(row.other_conversion),
                money(Some(row.revenue_per_visitor)),
            ];
            if spend {
                let na = |x: Option<f64>| {
                    if row.cost.is_none() {
                        "n/a".to_string()
                    } else {
                        money(x)
                    }
                };
                cells.extend([na(row.cost), na(row.cpa_sql), na(row.cost_per_purchase)]);
            }
            cells
        })
        .collect();
    (headers, rows)
}

/// The sentences under the table: what the spend file did and did not cover.
pub fn notes(r: &Report, spend: Option<&str>) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(file) = spend {
        if !r.no_cost.is_empty() {
            notes.push(format!(
                "no cost in {file} for: {} (CPA n/a)",
                r.no_cost.join(", ")
            ));
        }
        for (name, cost) in &r.unmatched_spend {
            notes.push(format!(
                "spend on {} {name:?} ({cost:.2}) matched no visitor's {}",
                r.by.name(),
                credit_name(r.touch)
            ));
        }
        if r.spend_rows_outside > 0 {
            notes.push(format!(
                "{} spend rows dated outside the log's days were not counted",
                r.spend_rows_outside
            ));
        }
    }
    notes
}

fn render(r: &Report, spend: Option<&str>) -> String {
    let mut out = format!(
        "{}: {} visitors by {}, by {}, scored {} days after their first event\n",
        r.file,
        r.visitors,
        credit_name(r.touch),
        r.by.name(),
        r.days
    );
    let (headers, rows) = cells(r, spend.is_some());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    out.push_str(&table::render(&headers, &rows));
    for note in notes(r, spend) {
        out.push_str(&note);
        out.push('\n');
    }
    out.push_str(&r.totals.sentence());
    out.push('\n');
    out
}

/// The log's first and last days (UTC).
fn days_of(span_ms: (u64, u64)) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let day = |ms: u64| {
        chrono::DateTime::from_timestamp_millis(ms as i64)
            .map_or(chrono::NaiveDate::MIN, |d| d.date_naive())
    };
    (day(span_ms.0), day(span_ms.1))
}

/// Runs `channels`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.days == 0 {
        return Err("--days must be a whole number of days above 0".into());
    }
    if let Some(f) = args.log.format.filter(|f| !f.has_pages()) {
        return Err(no_channels(f));
    }
    let model = args.log.model()?;
    let log = super::leads::replay(&args.log.file, args.log.format, &model, args.days)?;
    if !log.format.has_pages() {
        return Err(no_channels(log.format));
    }
    let spend = match &args.spend {
        Some(path) => {
            let (from, to) = days_of(log.span_ms);
            let spend = super::spend::read(path, args.by, from, to)?;
            for p in &spend.problems {
                eprintln!("{p}");
            }
            Some(spend)
        }
        None => None,
    };
    let rows = rows(&log.leads, args.by, args.touch, spend.as_ref());
    let report = Report {
        file: args.log.file.display().to_string(),
        by: args.by,
        touch: args.touch,
        days: args.days,
        visitors: log.leads.len() as u64,
        no_cost: spend.as_ref().map_or_else(Vec::new, |_| {
            rows.iter()
                .filter(|r| r.cost.is_none())
                .map(|r| r.name.clone())
                .collect()
        }),
        unmatched_spend: spend.as_ref().map_or_else(Vec::new, |s| {
            s.costs
                .iter()
                .filter(|(k, _)| !rows.iter().any(|r| &r.name == *k))
                .map(|(k, c)| (k.clone(), *c))
                .collect()
        }),
        spend_rows_outside: spend.as_ref().map_or(0, |s| s.outside),
        rows,
        totals: log.totals.clone(),
    };
    let spend_name = args.spend.as_ref().map(|p| p.display().to_string());
    if let Some(path) = &args.out_audiences {
        let list = audiences(&log.leads, args.touch, spend.as_ref().map(|s| (args.by, s)));
        write_audiences(path, &list)?;
        eprintln!("wrote {} ({} rows)", path.display(), list.len());
    }
    if let Some(path) = &args.html {
        let page = page(&report, spend_name.as_deref());
        super::write_page(path, &page)?;
    }
    super::print_report(&report, args.json, || {
        render(&report, spend_name.as_deref())
    })?;
    if log.leads.iter().all(|l| l.first.is_none()) {
        eprintln!(
            "shopper-intent: no visitor's first visit carried a page_location, so there is no channel to report"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `--out-audiences`: a header, then one line per audience; empty cells for no cost.
fn write_audiences(path: &std::path::Path, list: &[Audience]) -> Result<(), String> {
    let mut csv = csv::Writer::from_path(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    for a in list {
        csv.serialize(a)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    csv.flush()
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn no_channels(format: super::read::Format) -> String {
    format!(
        "{} logs carry no page_location or referrer, so they have no acquisition channel; channels needs jsonl or datalayer logs with page_location",
        format.name()
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
pub fn page(report: &Report, spend: Option<&str>) -> String {
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
    let mut charts = html::bar_chart(
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
        charts.push_str(&html::bar_chart(
            &format!("CPA for SQL by {by} (at the ends of the SQL rate's interval)"),
            "cost per SQL",
            &cpa_bars,
            &money_tick,
        ));
    }
    let mut largest: Vec<&Row> = report.rows.iter().collect();
    largest.sort_by_key(|r| std::cmp::Reverse(r.visitors));
    let series: Vec<(String, Vec<(f64, f64)>)> = largest
        .iter()
        .take(html::PALETTE.len())
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
    charts.push_str(&html::line_chart(
        &format!("Average score by day after the first event, by {by}"),
        "days after the first event",
        "average score",
        &series,
    ));
    let (headers, rows) = cells(report, spend.is_some());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let notes: String = notes(report, spend)
        .iter()
        .map(|n| format!("<p>{}</p>", html::escape(n)))
        .collect();
    let credit = credit_name(report.touch);
    let body = format!(
        r#"<h1>Leads by {by}: {file}</h1>
<p><b>{visitors}</b> visitors, credited to their {credit} (GA4's default channel grouping of the landing URL and referrer), scored {days} days after their first event. SQL rate: reached SQL by then, before buying; conversion counts purchases over the whole log.</p>
<div class="charts">{charts}</div>
{table}{notes}"#,
        file = html::escape(&report.file),
        visitors = report.visitors,
        days = report.days,
        table = html::table(&headers, &rows),
    );
    html::document(&format!("shopper-intent channels: {}", report.file), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::channel::Touch;

    fn lead(campaign: &str, sql: bool) -> Lead {
        let url = format!(
            "https://s.example/?utm_source=meta&utm_medium=paid_social&utm_campaign={campaign}"
        );
        Lead {
            visitor: String::new(),
            first: Some(Touch::of(&url, None)),
            last_non_direct: None,
            scores: vec![0.0, if sql { 70.0 } else { 10.0 }],
            stage: if sql { Stage::Sql } else { Stage::Cold },
            sql_days: sql.then_some(1.0),
            bought: false,
            revenue: 0.0,
        }
    }

    #[test]
    fn audiences_say_which_rates_differ_from_everyone() {
        // 16 SQLs of 40 (40 %): 15 of 20 lies above (interval 53–89 %), 1 of 20 below (1–24 %).
        let leads: Vec<Lead> = (0..20)
            .map(|i| lead("lookalike", i < 15))
            .chain((0..20).map(|i| lead("broad", i < 1)))
            .collect();
        let list = audiences(&leads, Credit::First, None);
        let find = |name: &str| list.iter().find(|a| a.name == name).unwrap();
        assert_eq!(find("lookalike").vs_all, "higher");
        assert_eq!(find("broad").vs_all, "lower");
        assert_eq!(find("meta / paid_social").vs_all, "not different");
        assert_eq!(list[0].name, "lookalike", "ranked by SQL rate");
        assert_eq!((find("broad").sqls, find("broad").still_cold), (1, 0.95));
    }
}
