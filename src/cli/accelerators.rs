//! `shopper-intent accelerators`: which touchpoints come before scores rise, the first article's
//! "which nurture activities accelerate lead scoring?".
//!
//! A touchpoint is a visit's campaign or source / medium (GA4's rules, [`crate::core::channel`]),
//! an email click-through (a visit GA4 would group as Email), a content page (a `page_view` under
//! a `--content` prefix, by its first three path segments: a blog post, the size guide, the quiz)
//! or a content event (`quiz_complete`, `view_size_guide`, …). For each visitor's first time with
//! a touchpoint, before any purchase: the score change from just before it to N days later, and
//! whether the visitor reached SQL in those N days.
//!
//! The comparison: the start of every visit (the moment just before its first event) of visitors
//! who never had the touchpoint, at the same stage, weighted to the touchpoint's stage mix. It is
//! observational, not a lift: visitors choose their touchpoints, so a difference is a lead to test
//! with a holdout, not the touchpoint's effect. Moments less than N days before the log's end and
//! touchpoints after a visitor's first purchase are left out.

use super::history::{play_reporting, Player, Scan, Totals};
use super::leads::Visits;
use super::report_html::{self as html, Bar};
use super::table;
use crate::core::channel::{Group, Touch};
use crate::core::model::DAY_MS;
use crate::core::url::path_of;
use crate::core::{Event, EventKind, Model, Profile, Stage};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// What the comparison is and is not, printed with every report.
pub const LIMITS: &str = "Observational, not a lift: each touchpoint is compared with the start of visits, at the same stage, of visitors who never had it, weighted to the touchpoint's stage mix. Visitors choose their touchpoints (those who open the size guide may already be keen), so a difference is a lead to test with a holdout, not the touchpoint's effect. The score change includes the touchpoint's own points. Moments less than N days before the log's end, and touchpoints after a visitor's first purchase, are left out.";

/// Arguments of `accelerators`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    log: super::history::Log,
    /// Days after a touchpoint over which the score change and SQLs are counted.
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Path prefixes of content pages (repeat the option for several).
    #[arg(long, default_values_t = ["/blogs/".to_string(), "/blog/".into(), "/pages/".into()])]
    content: Vec<String>,
    /// Leave out touchpoints fewer visitors had.
    #[arg(long, default_value_t = 5)]
    min_visitors: u64,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write an HTML report with charts.
    #[arg(long)]
    html: Option<PathBuf>,
}

/// Content events that are touchpoints in their own right.
const CONTENT_EVENTS: &[EventKind] = &[
    EventKind::QuizComplete,
    EventKind::ViewSizeGuide,
    EventKind::ViewShippingPolicy,
    EventKind::ViewReturnsPolicy,
    EventKind::ViewFaq,
    EventKind::ViewPricing,
    EventKind::ReviewEngagement,
];

/// Sums over moments: count, Σ change, Σ change², those not yet SQL, and of them those who
/// reached SQL.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sums {
    n: u64,
    sum: f64,
    squares: f64,
    eligible: u64,
    sql: u64,
}

impl Sums {
    fn add(&mut self, m: &Exposure) {
        let change = m.change;
        self.n += 1;
        self.sum += change;
        self.squares += change * change;
        if m.stage != Stage::Sql {
            self.eligible += 1;
            self.sql += u64::from(m.sql);
        }
    }

    fn plus(&mut self, o: &Sums) {
        self.n += o.n;
        self.sum += o.sum;
        self.squares += o.squares;
        self.eligible += o.eligible;
        self.sql += o.sql;
    }

    fn minus(&self, o: &Sums) -> Sums {
        Sums {
            n: self.n - o.n,
            sum: self.sum - o.sum,
            squares: self.squares - o.squares,
            eligible: self.eligible - o.eligible,
            sql: self.sql - o.sql,
        }
    }

    fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }

    /// The sample variance; `None` below two moments.
    fn variance(&self) -> Option<f64> {
        (self.n >= 2).then(|| {
            let n = self.n as f64;
            ((self.squares - self.sum * self.sum / n) / (n - 1.0)).max(0.0)
        })
    }
}

/// A moment of a visitor's history: a visit's start or a content touchpoint.
#[derive(Clone, Debug)]
struct Moment {
    at_ms: u64,
    stage: Stage,
    score: f64,
    /// The score N days later, once known.
    later: Option<f64>,
    /// Reached SQL at this moment's event or in the N days after.
    sql: bool,
    visit_start: bool,
    touches: Vec<u32>,
}

impl Moment {
    fn exposure(&self) -> Exposure {
        Exposure {
            stage: self.stage,
            change: self.later.unwrap_or(self.score) - self.score,
            sql: self.sql,
        }
    }
}

/// What [`Sums`] counts of a moment.
struct Exposure {
    stage: Stage,
    change: f64,
    sql: bool,
}

/// What a visitor leaves: their visit starts by stage, and each touchpoint they had with its
/// first measured exposure.
struct Closed {
    own: [Sums; 4],
    had: Vec<(String, Option<Exposure>)>,
}

struct Live {
    profile: Profile,
    visits: Visits,
    moments: Vec<Moment>,
    /// Moments before this index know their score N days later.
    resolved: usize,
    /// The current visit's start moment, when it was measured.
    visit: Option<usize>,
    /// Every touchpoint the visitor had before buying, measured or not.
    had: Vec<u32>,
    first_purchase_ms: Option<u64>,
}

/// Per touchpoint: visitors who had it, their first exposures by stage, and the visit starts of
/// those visitors (taken out of the baseline).
#[derive(Clone, Debug, Default)]
struct Tally {
    visitors: u64,
    exposed: [Sums; 4],
    own_visits: [Sums; 4],
}

struct Replay<'m> {
    model: &'m Model,
    span_ms: u64,
    content: Vec<String>,
    /// Touchpoints by number, and their numbers by name.
    names: Vec<String>,
    ids: HashMap<String, u32>,
    /// The results (of the player the threads' closed visitors are absorbed into), by number.
    tallies: Vec<Tally>,
    visit_starts: [Sums; 4],
    log_end_ms: u64,
}

impl Replay<'_> {
    /// The touchpoint's number in this player (each thread's player numbers its own).
    fn id(&mut self, name: String) -> u32 {
        if let Some(&id) = self.ids.get(&name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.clone(), id);
        self.names.push(name);
        id
    }

    /// The touchpoints of a visit's landing.
    fn visit_touches(&mut self, touch: &Touch) -> Vec<u32> {
        let mut out = Vec::new();
        if !touch.campaign.starts_with('(') {
            out.push(self.id(format!("campaign: {}", touch.campaign)));
        }
        if touch.group != Group::Direct {
            out.push(self.id(format!("source / medium: {}", touch.source_medium())));
        }
        if touch.group == Group::Email {
            out.push(self.id("email click-through".into()));
        }
        out
    }

    /// The content touchpoint of an event, if it is one.
    fn content_touch(&mut self, event: &Event) -> Option<u32> {
        if CONTENT_EVENTS.contains(&event.kind) {
            return Some(self.id(format!("event: {}", event.kind.name())));
        }
        if event.kind != EventKind::PageView {
            return None;
        }
        let path = path_of(event.page_location.as_deref()?).to_ascii_lowercase();
        self.content
            .iter()
            .any(|p| path.starts_with(p.as_str()))
            .then(|| {
                let end = path
                    .match_indices('/')
                    .nth(3)
                    .map_or(path.len(), |(i, _)| i);
                let page = path[..end].trim_end_matches('/').to_string();
                self.id(format!("page: {page}"))
            })
    }

    /// Gives moments whose N days have passed by `until_ms` their later score.
    fn resolve(&self, l: &mut Live, until_ms: u64) {
        while let Some(m) = l.moments.get_mut(l.resolved) {
            let at = m.at_ms + self.span_ms;
            if at >= until_ms {
                break;
            }
            m.later = Some(l.profile.snapshot(self.model, at).score);
            l.resolved += 1;
        }
    }
}

impl Player for Replay<'_> {
    type Visitor = Live;
    type Closed = Closed;

    fn begin(&mut self, scans: &[Scan]) {
        self.log_end_ms = scans.iter().map(|s| s.last_ms).max().unwrap_or(0);
    }

    fn fork(&self) -> Self {
        Replay {
            model: self.model,
            span_ms: self.span_ms,
            content: self.content.clone(),
            names: Vec::new(),
            ids: HashMap::new(),
            tallies: Vec::new(),
            visit_starts: [Sums::default(); 4],
            log_end_ms: self.log_end_ms,
        }
    }

    fn open(&mut self, id: String, scan: &Scan) -> Live {
        Live {
            profile: Profile::new(&id),
            visits: Visits::default(),
            moments: Vec::new(),
            resolved: 0,
            visit: None,
            had: Vec::new(),
            first_purchase_ms: scan.first_purchase_ms,
        }
    }

    fn event(&mut self, l: &mut Live, _scan: &Scan, event: Event, totals: &mut Totals) {
        let t = event.time_ms;
        self.resolve(l, t);
        let before = l.profile.snapshot(self.model, t);
        if l.profile.track(self.model, &event).is_err() {
            totals.out_of_order += 1;
            return;
        }
        totals.replayed += 1;
        let after = l.profile.snapshot(self.model, t);
        let new_visit = after.visits > before.visits;
        let landing = l.visits.landing(&after, &event);
        let open = l.first_purchase_ms.is_none_or(|p| t < p);
        let measured = open && t.saturating_add(self.span_ms) <= self.log_end_ms;
        let moment = |l: &mut Live, visit_start: bool| {
            l.moments.push(Moment {
                at_ms: t,
                stage: before.stage,
                score: before.score,
                later: None,
                sql: false,
                visit_start,
                touches: Vec::new(),
            });
            l.moments.len() - 1
        };
        if new_visit {
            l.visit = measured.then(|| moment(l, true));
        }
        if open {
            let mut touches = landing.map_or_else(Vec::new, |(_, t)| self.visit_touches(&t));
            let content = self.content_touch(&event);
            for id in touches.iter().chain(&content) {
                if !l.had.contains(id) {
                    l.had.push(*id);
                }
            }
            // Landing touches belong to the visit's start; content to this event's moment,
            // which is the visit's start when it opens the visit.
            if let Some(v) = l.visit {
                l.moments[v].touches.append(&mut touches);
            }
            if let (Some(id), true) = (content, measured) {
                let at = match l.visit {
                    Some(v) if new_visit => v,
                    _ => moment(l, false),
                };
                l.moments[at].touches.push(id);
            }
        }
        // SQLs after buying do not count, as in `channels`.
        if open && after.stage == Stage::Sql {
            for m in &mut l.moments[l.resolved..] {
                m.sql = true;
            }
        }
    }

    fn unknown(&mut self, l: &mut Live) {
        l.profile.count_unknown();
    }

    fn close(&mut self, _scan: &Scan, mut l: Live, _totals: &mut Totals) -> Closed {
        self.resolve(&mut l, u64::MAX);
        let mut own = [Sums::default(); 4];
        for m in l.moments.iter().filter(|m| m.visit_start) {
            own[m.stage as usize].add(&m.exposure());
        }
        let had = l
            .had
            .iter()
            .map(|&id| {
                let first = l.moments.iter().find(|m| m.touches.contains(&id));
                (self.names[id as usize].clone(), first.map(Moment::exposure))
            })
            .collect();
        Closed { own, had }
    }

    fn absorb(&mut self, _slot: usize, c: Closed) {
        for (s, o) in self.visit_starts.iter_mut().zip(&c.own) {
            s.plus(o);
        }
        for (name, first) in c.had {
            let id = self.id(name) as usize;
            if id == self.tallies.len() {
                self.tallies.push(Tally::default());
            }
            let tally = &mut self.tallies[id];
            tally.visitors += 1;
            for (s, o) in tally.own_visits.iter_mut().zip(&c.own) {
                s.plus(o);
            }
            if let Some(first) = first {
                tally.exposed[first.stage as usize].add(&first);
            }
        }
    }
}

/// One touchpoint against its baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Accelerator {
    /// `campaign: …`, `source / medium: …`, `email click-through`, `page: …` or `event: …`.
    pub touchpoint: String,
    /// Visitors who had it before buying.
    pub visitors: u64,
    /// Of their first exposures, those measured at a stage the baseline has.
    pub compared: u64,
    /// Average score change over the N days from just before the touchpoint.
    pub score_change: f64,
    /// The same for the baseline, weighted to the touchpoint's stage mix.
    pub baseline_change: f64,
    /// `score_change − baseline_change`.
    pub difference: f64,
    /// Its 95% normal interval, when every group has two moments or more.
    pub difference_interval: Option<(f64, f64)>,
    /// Of the compared exposures not yet SQL, the share who reached SQL in N days.
    pub sql_rate: Option<f64>,
    /// The same for the baseline, weighted to the touchpoint's stage mix.
    pub baseline_sql_rate: Option<f64>,
}

impl Accelerator {
    /// The SQL rate's difference, in shares.
    pub fn sql_difference(&self) -> Option<f64> {
        Some(self.sql_rate? - self.baseline_sql_rate?)
    }
}

fn compare(name: &str, t: &Tally, all: &[Sums; 4]) -> Accelerator {
    let mut exposed = Sums::default();
    let (mut baseline, mut baseline_var) = (0.0, Some(0.0));
    let (mut eligible, mut sql_weighted) = (0u64, 0.0);
    for ((all, own), e) in all.iter().zip(&t.own_visits).zip(&t.exposed) {
        let control = all.minus(own);
        if e.n == 0 || control.n == 0 {
            continue;
        }
        exposed.plus(e);
        baseline += e.n as f64 * control.mean();
        baseline_var = match (baseline_var, control.variance()) {
            (Some(v), Some(c)) => Some(v + (e.n as f64).powi(2) * c / control.n as f64),
            _ => None,
        };
        if e.eligible > 0 && control.eligible > 0 {
            eligible += e.eligible;
            sql_weighted += e.eligible as f64 * control.sql as f64 / control.eligible as f64;
        }
    }
    let n = exposed.n as f64;
    let (score_change, baseline_change) = if exposed.n > 0 {
        (exposed.mean(), baseline / n)
    } else {
        (0.0, 0.0)
    };
    let difference = score_change - baseline_change;
    let difference_interval = match (exposed.variance(), baseline_var) {
        (Some(v), Some(b)) => {
            let half = super::ab_stats::Z_95 * (v / n + b / (n * n)).sqrt();
            Some((difference - half, difference + half))
        }
        _ => None,
    };
    Accelerator {
        touchpoint: name.to_string(),
        visitors: t.visitors,
        compared: exposed.n,
        score_change,
        baseline_change,
        difference,
        difference_interval,
        sql_rate: (exposed.eligible > 0).then(|| exposed.sql as f64 / exposed.eligible as f64),
        baseline_sql_rate: (eligible > 0).then(|| sql_weighted / eligible as f64),
    }
}

/// The report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The input file.
    pub file: String,
    /// The span after each touchpoint, in days.
    pub days: u32,
    /// Touchpoints fewer visitors had are left out.
    pub min_visitors: u64,
    /// Visit starts measured (the baseline's pool).
    pub visit_starts: u64,
    /// Touchpoints, ranked by their difference in score change.
    pub touchpoints: Vec<Accelerator>,
    /// What the comparison is and is not.
    pub limits: &'static str,
    /// What the replay read.
    pub totals: Totals,
}

/// Replays the file and ranks its touchpoints.
pub fn report(
    path: &std::path::Path,
    format: Option<super::read::Format>,
    model: &Model,
    days: u32,
    content: &[String],
    min_visitors: u64,
) -> Result<Report, String> {
    let mut replay = Replay {
        model,
        span_ms: (f64::from(days) * DAY_MS) as u64,
        content: content.iter().map(|c| c.to_ascii_lowercase()).collect(),
        names: Vec::new(),
        ids: HashMap::new(),
        tallies: Vec::new(),
        visit_starts: [Sums::default(); 4],
        log_end_ms: 0,
    };
    let (_, totals) = play_reporting(path, format, &mut replay)?;
    let mut touchpoints: Vec<Accelerator> = replay
        .names
        .iter()
        .zip(&replay.tallies)
        .filter(|(_, t)| t.visitors >= min_visitors)
        .map(|(name, t)| compare(name, t, &replay.visit_starts))
        .filter(|a| a.compared > 0)
        .collect();
    touchpoints.sort_by(|a, b| {
        b.difference
            .total_cmp(&a.difference)
            .then(b.visitors.cmp(&a.visitors))
            .then(a.touchpoint.cmp(&b.touchpoint))
    });
    Ok(Report {
        file: path.display().to_string(),
        days,
        min_visitors,
        visit_starts: replay.visit_starts.iter().map(|s| s.n).sum(),
        touchpoints,
        limits: LIMITS,
        totals,
    })
}

/// A signed change with one decimal.
fn signed(x: f64) -> String {
    format!("{x:+.1}")
}

/// The table's header and cells, shared by the terminal and the HTML page.
pub fn cells(r: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = [
        "touchpoint".to_string(),
        "visitors".into(),
        "compared".into(),
        format!("score change in {} days", r.days),
        "baseline".into(),
        "difference".into(),
        format!("reached SQL in {} days", r.days),
        "baseline".into(),
        "difference (points)".into(),
    ];
    let rows = r
        .touchpoints
        .iter()
        .map(|a| {
            vec![
                a.touchpoint.clone(),
                a.visitors.to_string(),
                a.compared.to_string(),
                signed(a.score_change),
                signed(a.baseline_change),
                signed(a.difference),
                table::percent(a.sql_rate),
                table::percent(a.baseline_sql_rate),
                a.sql_difference()
                    .map_or_else(|| "-".into(), |d| signed(d * 100.0)),
            ]
        })
        .collect();
    (headers.to_vec(), rows)
}

fn render(r: &Report) -> String {
    let mut out = format!(
        "{}: {} touchpoints had by at least {} visitors, ranked by score change over {} days against a same-stage baseline ({} visit starts)\n",
        r.file,
        r.touchpoints.len(),
        r.min_visitors,
        r.days,
        r.visit_starts
    );
    let (headers, rows) = cells(r);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    out.push_str(&table::render(&headers, &rows));
    out.push_str(r.limits);
    out.push('\n');
    out.push_str(&r.totals.sentence());
    out.push('\n');
    out
}

/// Runs `accelerators`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.days == 0 {
        return Err("--days must be a whole number of days above 0".into());
    }
    if let Some(bad) = args.content.iter().find(|c| !c.starts_with('/')) {
        return Err(format!(
            "--content {bad:?}: a path prefix starts with /, like /blogs/"
        ));
    }
    let model = args.log.model()?;
    let report = report(
        &args.log.file,
        args.log.format,
        &model,
        args.days,
        &args.content,
        args.min_visitors,
    )?;
    if let Some(path) = &args.html {
        super::write_page(path, &page(&report))?;
    }
    super::print_report(&report, args.json, || render(&report))?;
    if report.touchpoints.is_empty() {
        eprintln!(
            "shopper-intent: no touchpoint was had by {} visitors or more (--min-visitors) with a same-stage baseline",
            args.min_visitors
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// `accelerators --html`: each touchpoint's score change and SQL rate against its same-stage
/// baseline, the table, and the comparison's limits.
pub fn page(report: &Report) -> String {
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
    let mut charts = html::bar_chart(
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
        charts.push_str(&html::bar_chart(
            &format!("Reached SQL in {days} days: touchpoint minus baseline"),
            "percentage points",
            &sqls,
            &|x| format!("{:+.0}", x * 100.0),
        ));
    }
    let (headers, rows) = cells(report);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let body = format!(
        r#"<h1>Score accelerators: {file}</h1>
<p>{n} touchpoints had by at least {min} visitors, each visitor's first time before buying, compared over {days} days with {starts} visit starts.</p>
<p><b>{limits}</b></p>
<div class="charts">{charts}</div>
{table}"#,
        file = html::escape(&report.file),
        n = report.touchpoints.len(),
        min = report.min_visitors,
        starts = report.visit_starts,
        limits = html::escape(report.limits),
        table = html::table(&headers, &rows),
    );
    html::document(
        &format!("shopper-intent accelerators: {}", report.file),
        &body,
    )
}
