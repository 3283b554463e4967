//! `shopper-intent channels`: which acquisition channels bring the best leads, the first
//! article's attribution table. Per first-touch channel (the channel of each visitor's first
//! visit, computed by the core from its landing `page_location` and `page_referrer`, as in the
//! browser): visitors, the average score 14 days after the first event, the share who reached
//! SQL by then (before any purchase), and how SQLs and the others converted over the whole log.

use super::history::{Cutoff, Outcome, Source};
use super::table;
use crate::core::model::DAY_MS;
use crate::core::visit::Channel;
use serde::Serialize;
use std::process::ExitCode;

/// Arguments of `channels`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model config (JSON); the default model without it.
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// The log's layout; guessed from its first line when omitted.
    #[arg(long, value_enum)]
    format: Option<super::read::Format>,
    /// Days after the first event at which leads are compared.
    #[arg(long, default_value_t = 14.0)]
    days: f64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// The event log (gzip is detected).
    file: std::path::PathBuf,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The channel (`unknown`: the first visit had no `page_location`).
    pub channel: String,
    /// Visitors first acquired through it.
    pub visitors: u64,
    /// Average score on day `days`.
    pub average_score: f64,
    /// Share who reached SQL by then, before buying.
    pub sql_rate: f64,
    /// Of those SQLs, the share who bought.
    pub sql_conversion: Option<f64>,
    /// Of the others, the share who bought.
    pub other_conversion: Option<f64>,
}

/// The table, one row per channel that has visitors, in the core's channel order.
pub fn rows(outcomes: &[Outcome]) -> Vec<Row> {
    let names = Channel::ALL
        .iter()
        .map(|c| Some(*c))
        .chain([None])
        .map(|c| (c, c.map_or("unknown", Channel::name)));
    names
        .filter_map(|(channel, name)| {
            let members: Vec<&Outcome> = outcomes.iter().filter(|o| o.channel == channel).collect();
            if members.is_empty() {
                return None;
            }
            let n = members.len() as f64;
            let rate = |group: Vec<&&Outcome>| {
                (!group.is_empty())
                    .then(|| group.iter().filter(|o| o.bought).count() as f64 / group.len() as f64)
            };
            Some(Row {
                channel: name.to_string(),
                visitors: members.len() as u64,
                average_score: members.iter().map(|o| o.snapshot.score).sum::<f64>() / n,
                sql_rate: members.iter().filter(|o| o.reached_sql).count() as f64 / n,
                sql_conversion: rate(members.iter().filter(|o| o.reached_sql).collect()),
                other_conversion: rate(members.iter().filter(|o| !o.reached_sql).collect()),
            })
        })
        .collect()
}

/// Runs `channels`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    if !(args.days.is_finite() && args.days > 0.0) {
        return Err("--days must be a number of days above 0".into());
    }
    let source = Source {
        config: args.config.clone(),
        format: args.format,
        horizon: None,
        at: None,
        label_days: None,
        protocol: super::history::Protocol::Cutoff,
        unit: super::history::Unit::Visitor,
        file: args.file.clone(),
    };
    if let Some(f) = args.format.filter(|f| !f.has_pages()) {
        return Err(no_channels(f));
    }
    let cutoff = Cutoff::SinceFirstSeen {
        after_ms: (args.days * DAY_MS) as u64,
    };
    let (_, history) = source.replay(cutoff)?;
    if !history.format.has_pages() {
        return Err(no_channels(history.format));
    }
    let rows = rows(&history.outcomes);
    if args.json {
        super::print_json(&rows)?;
    } else {
        println!(
            "{}: {} visitors by first-touch channel, scored {} days after their first event; {} left out with no event by then",
            args.file.display(),
            history.outcomes.len(),
            args.days,
            history.totals.left_out
        );
        let table_rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.channel.clone(),
                    r.visitors.to_string(),
                    format!("{:.1}", r.average_score),
                    table::percent(Some(r.sql_rate)),
                    table::percent(r.sql_conversion),
                    table::percent(r.other_conversion),
                ]
            })
            .collect();
        print!(
            "{}",
            table::render(
                &[
                    "channel",
                    "visitors",
                    &format!("avg score at day {}", args.days),
                    "SQL rate",
                    "SQLs who bought",
                    "others who bought",
                ],
                &table_rows
            )
        );
    }
    if history.outcomes.iter().all(|o| o.channel.is_none()) {
        eprintln!(
            "shopper-intent: no visitor's first visit carried a page_location, so there is no channel to report"
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn no_channels(format: super::read::Format) -> String {
    format!(
        "{} logs carry no page_location or referrer, so they have no acquisition channel; channels needs jsonl or datalayer logs with page_location",
        format.name()
    )
}
