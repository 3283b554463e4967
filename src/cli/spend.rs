//! `channels --spend FILE`: what each channel, source / medium or campaign cost, for the CPA
//! columns.
//!
//! A CSV with a header row. Required columns, in any order and any case: `date` (`YYYY-MM-DD`),
//! `cost` (a non-negative number in the store's currency, no symbol), and the key of the
//! report's `--by`: `channel` (a GA4 default channel group, e.g. `Paid Search`), `campaign`
//! (`utm_campaign`), or `source_medium` (`google / cpc`), which may also be given as separate
//! `source` and `medium` columns, as GA4's cost-data import has them. Other columns are ignored.
//!
//! Costs are summed per key over the days the log covers; rows dated outside it did not pay for
//! these visitors and are counted apart. A bad row is reported with its line and column and
//! skipped.

use super::leads::By;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;

/// A spend file, summed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spend {
    /// Cost per key, keys written as the report writes its groups.
    pub costs: BTreeMap<String, f64>,
    /// Rows counted.
    pub rows: u64,
    /// Rows dated outside the log's days, not counted.
    pub outside: u64,
    /// One line per bad row (each skipped).
    pub problems: Vec<String>,
}

impl Spend {
    /// The cost of a group, when the file has one.
    pub fn cost(&self, key: &str) -> Option<f64> {
        self.costs.get(key).copied()
    }
}

/// The key columns of each `--by`.
fn key_columns(by: By) -> &'static [&'static [&'static str]] {
    match by {
        By::Channel => &[&["channel"]],
        By::Campaign => &[&["campaign"]],
        By::SourceMedium => &[&["source_medium"], &["source", "medium"]],
    }
}

/// Reads `path` for a report by `by` over the log's days `from..=to` (UTC).
pub fn read(path: &Path, by: By, from: NaiveDate, to: NaiveDate) -> Result<Spend, String> {
    let name = path.display();
    let input = super::input::open(Some(path))?;
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(input);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| format!("spend file {name}: cannot read its header: {e}"))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let column = |c: &str| header.iter().position(|h| h == c);
    let required = |c: &str| {
        column(c).ok_or_else(|| {
            format!(
                "spend file {name}: the header has no `{c}` column (it needs date, {}, cost)",
                key_columns(by)[0][0]
            )
        })
    };
    let (date, cost) = (required("date")?, required("cost")?);
    let key: Vec<usize> = key_columns(by)
        .iter()
        .find_map(|names| names.iter().map(|c| column(c)).collect::<Option<Vec<_>>>())
        .ok_or_else(|| {
            let other = [By::Channel, By::SourceMedium, By::Campaign]
                .into_iter()
                .find(|b| {
                    key_columns(*b)
                        .iter()
                        .any(|n| n.iter().all(|c| column(c).is_some()))
                });
            match other {
                Some(o) => format!(
                    "spend file {name} is by {} (its header has `{}`); run with --by {}",
                    o.name(),
                    key_columns(o)[0].join("`, `"),
                    clap::ValueEnum::to_possible_value(&o)
                        .map_or_else(String::new, |v| v.get_name().to_string())
                ),
                None => format!(
                    "spend file {name}: the header has no `{}` column for --by {}",
                    key_columns(by)[0][0],
                    by.name()
                ),
            }
        })?;

    let mut spend = Spend::default();
    for row in csv.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                spend.problems.push(format!(
                    "spend file {name}, line {line}: not CSV: {e}; skipped"
                ));
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| row.get(i).unwrap_or("");
        let mut bad = |column: &str, message: String| {
            spend.problems.push(format!(
                "spend file {name}, line {line}, column {column}: {message}; skipped"
            ));
        };
        let day = match NaiveDate::parse_from_str(field(date), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                bad(
                    "date",
                    format!("{:?} is not a date like 2024-03-01", field(date)),
                );
                continue;
            }
        };
        let amount = match field(cost).parse::<f64>() {
            Ok(c) if c.is_finite() && c >= 0.0 => c,
            Ok(_) => {
                bad(
                    "cost",
                    format!("{:?} is negative or not finite", field(cost)),
                );
                continue;
            }
            Err(_) => {
                bad("cost", format!("{:?} is not a number", field(cost)));
                continue;
            }
        };
        let text = key
            .iter()
            .map(|&i| field(i))
            .collect::<Vec<_>>()
            .join(" / ");
        let group = match by.normalize(&text) {
            Ok(g) => g,
            Err(message) => {
                bad(&header[key[0]], message);
                continue;
            }
        };
        if day < from || day > to {
            spend.outside += 1;
            continue;
        }
        spend.rows += 1;
        *spend.costs.entry(group).or_insert(0.0) += amount;
    }
    Ok(spend)
}
