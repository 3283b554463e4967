//! `shopper-intent tiers`: conversion and revenue by intent tier and by stage, week by week, so a
//! store sees whether its tiers hold over time (the second article: "track outcomes by tier, not
//! only overall performance").
//!
//! Weeks start on Monday, 00:00 UTC. Each week, every visitor with an event in it is scored at the
//! moment before their first purchase of the week when they bought that week (its earlier events
//! count, the purchase does not, as in `evaluate`), else at their last event of the week. Bought:
//! a purchase that week; revenue: that week's purchases.

use super::history::{play_reporting, Player, Scan, Totals};
use super::leads::revenue;
use super::table;
use crate::core::{Event, EventKind, Intent, Model, Profile, Snapshot, Stage};
use serde::Serialize;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Arguments of `tiers`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    log: super::history::Log,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

const WEEK_MS: u64 = 7 * 86_400_000;
/// 1970-01-01 was a Thursday: Monday-aligned weeks start 3 days after the epoch's.
const MONDAY_MS: u64 = 4 * 86_400_000;

/// The Monday 00:00 UTC that starts the week of `t`.
pub fn week_of(t: u64) -> u64 {
    if t < MONDAY_MS {
        return 0;
    }
    t - (t - MONDAY_MS) % WEEK_MS
}

/// One week and group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    /// The tier or stage.
    pub group: &'static str,
    /// Visitors active that week and in this group at their cut-off.
    pub visitors: u64,
    /// Of whom bought that week.
    pub buyers: u64,
    /// `buyers / visitors`.
    pub conversion: f64,
    /// Their purchases that week.
    pub revenue: f64,
    /// `revenue / visitors`.
    pub revenue_per_visitor: f64,
}

/// The report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The input file.
    pub file: String,
    /// Week by week, high intent first.
    pub by_intent: Vec<Row>,
    /// Week by week, SQL first.
    pub by_stage: Vec<Row>,
    /// What the replay read.
    pub totals: Totals,
}

struct Live {
    profile: Profile,
    week: Option<u64>,
    /// The snapshot before the week's first purchase.
    cut: Option<Snapshot>,
    revenue: f64,
    last_ms: u64,
    /// The weeks counted so far, added to the tallies when the visitor closes.
    weeks: Vec<Week>,
}

/// One visitor's week: its Monday, the tier's and stage's keys, bought, revenue.
struct Week {
    week: u64,
    intent: usize,
    stage: usize,
    bought: bool,
    revenue: f64,
}

type Tally = BTreeMap<(u64, usize), (u64, u64, f64)>;

struct Replay<'m> {
    model: &'m Model,
    intents: Tally,
    stages: Tally,
}

impl Replay<'_> {
    /// Counts the visitor's current week.
    fn close_week(&self, l: &mut Live) {
        let Some(week) = l.week else { return };
        let bought = l.cut.is_some();
        let s = l
            .cut
            .take()
            .unwrap_or_else(|| l.profile.snapshot(self.model, l.last_ms));
        // Keyed highest first, as the tables list them.
        let rank = |i: Option<usize>, n: usize| n - 1 - i.unwrap_or(0);
        l.weeks.push(Week {
            week,
            intent: rank(
                Intent::ALL.iter().position(|&i| i == s.intent),
                Intent::ALL.len(),
            ),
            stage: rank(
                Stage::ALL.iter().position(|&x| x == s.stage),
                Stage::ALL.len(),
            ),
            bought,
            revenue: std::mem::take(&mut l.revenue),
        });
    }
}

impl Player for Replay<'_> {
    type Visitor = Live;
    type Closed = Vec<Week>;

    fn fork(&self) -> Self {
        Replay {
            model: self.model,
            intents: Tally::new(),
            stages: Tally::new(),
        }
    }

    fn open(&mut self, id: String, _scan: &Scan) -> Live {
        Live {
            profile: Profile::new(&id),
            week: None,
            cut: None,
            revenue: 0.0,
            last_ms: 0,
            weeks: Vec::new(),
        }
    }

    fn event(&mut self, l: &mut Live, _scan: &Scan, event: Event, totals: &mut Totals) {
        let t = event.time_ms;
        let week = week_of(t);
        if l.week != Some(week) {
            self.close_week(l);
            l.week = Some(week);
        }
        if event.kind == EventKind::Purchase {
            if l.cut.is_none() {
                l.cut = Some(l.profile.snapshot(self.model, t));
            }
            l.revenue += revenue(&event);
        }
        match l.profile.track(self.model, &event) {
            Ok(_) => totals.replayed += 1,
            Err(_) => totals.out_of_order += 1,
        }
        l.last_ms = l.last_ms.max(t);
    }

    fn unknown(&mut self, l: &mut Live) {
        l.profile.count_unknown();
    }

    fn close(&mut self, _scan: &Scan, mut l: Live, _totals: &mut Totals) -> Vec<Week> {
        self.close_week(&mut l);
        l.weeks
    }

    fn absorb(&mut self, _slot: usize, weeks: Vec<Week>) {
        for w in weeks {
            for (tally, group) in [(&mut self.intents, w.intent), (&mut self.stages, w.stage)] {
                let e = tally.entry((w.week, group)).or_default();
                e.0 += 1;
                e.1 += u64::from(w.bought);
                e.2 += w.revenue;
            }
        }
    }
}

fn rows(tally: &Tally, name: impl Fn(usize) -> &'static str) -> Vec<Row> {
    tally
        .iter()
        .map(|(&(week, group), &(visitors, buyers, revenue))| Row {
            week: super::input::format_time(week)[..10].to_string(),
            group: name(group),
            visitors,
            buyers,
            conversion: buyers as f64 / visitors as f64,
            revenue,
            revenue_per_visitor: revenue / visitors as f64,
        })
        .collect()
}

/// Replays the file week by week.
pub fn report(
    path: &std::path::Path,
    format: Option<super::read::Format>,
    model: &Model,
) -> Result<Report, String> {
    let mut replay = Replay {
        model,
        intents: Tally::new(),
        stages: Tally::new(),
    };
    let (_, totals) = play_reporting(path, format, &mut replay)?;
    Ok(Report {
        file: path.display().to_string(),
        by_intent: rows(&replay.intents, |i| {
            Intent::ALL[Intent::ALL.len() - 1 - i].name()
        }),
        by_stage: rows(&replay.stages, |i| {
            Stage::ALL[Stage::ALL.len() - 1 - i].name()
        }),
        totals,
    })
}

fn render(r: &Report) -> String {
    let mut out = format!(
        "{}: each week, visitors active in it, scored before their first purchase of the week (buyers) or at their last event of it\n",
        r.file
    );
    for (title, rows) in [("intent", &r.by_intent), ("stage", &r.by_stage)] {
        out.push('\n');
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|w| {
                vec![
                    w.week.clone(),
                    w.group.to_string(),
                    w.visitors.to_string(),
                    w.buyers.to_string(),
                    table::percent(Some(w.conversion)),
                    format!("{:.2}", w.revenue),
                    format!("{:.2}", w.revenue_per_visitor),
                ]
            })
            .collect();
        out.push_str(&table::render(
            &[
                "week",
                title,
                "visitors",
                "bought",
                "conversion",
                "revenue",
                "revenue/visitor",
            ],
            &cells,
        ));
    }
    out.push('\n');
    out.push_str(&r.totals.sentence());
    out.push('\n');
    out
}

/// Runs `tiers`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let report = report(&args.log.file, args.log.format, &args.log.model()?)?;
    super::print_report(&report, args.json, || render(&report))?;
    if report.by_stage.is_empty() {
        eprintln!("shopper-intent: no visitor could be scored");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn weeks_start_on_monday_utc() {
        // 2024-03-04 was a Monday; 2024-03-10 23:59:59 its Sunday.
        let monday = 1_709_510_400_000;
        assert_eq!(super::week_of(monday), monday);
        assert_eq!(super::week_of(monday + 7 * 86_400_000 - 1), monday);
        assert_eq!(
            super::week_of(monday + 7 * 86_400_000),
            monday + 7 * 86_400_000
        );
        assert_eq!(super::week_of(monday - 1), monday - 7 * 86_400_000);
    }
}
