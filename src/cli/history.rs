//! Replaying a store's history through the core, visitor by visitor, up to a cut-off before the
//! outcome: what a live scorer would have said then, and whether the visitor went on to buy.
//!
//! Two passes over the file:
//! 1. an outline pass (visitor, time, kind; no event is built) finds each visitor's first and
//!    last event, first purchase, number of events, and whether their events are in time order;
//! 2. a full pass hands each visitor's events, in time order, to a [`Player`], which closes the
//!    visitor as soon as their last event has gone by. [`replay`]'s player feeds the core up to
//!    the visitor's cut-off and takes the snapshot there; `channels`, `accelerators` and `tiers`
//!    have their own.
//!
//! Memory is one small record per visitor, plus a player's state for each visitor whose history
//! is still being read. The core refuses out-of-order on-site events, and some logs (Taobao's original
//! UserBehavior.csv) are not sorted within a user: the events of such a visitor are held until
//! their last one is read, then sorted by time (stable, so ties keep file order) and replayed.
//! That costs memory only for those visitors' events, and only while they are open; the totals
//! report how many visitors needed it and the most events held at once.
//!
//! Leakage: a buyer's cut-off is the time of their first purchase, and the replay stops AT the
//! purchase event, so events logged before it (its own add_to_cart seconds earlier, which a live
//! scorer would have seen) count, and the purchase and everything after it do not.
//!
//! Timing: both classes are scored by the same rule, right after their last event before the
//! cut-off (buyers are not scored at the purchase's own time, which would decay their points and
//! stretch their time on page while the others' do not). Visitors with no event before their
//! cut-off (a buyer whose first event is the purchase) have nothing to score: they are left out
//! and counted. With [`Protocol::Prefix`] each visitor is also scored after every event before
//! the cut-off, as a live scorer sees them; reports weigh each visitor's scores to count once.
//! With [`Cutoff::EachVisit`] each visit is scored on its own, with the visitor's history.

use super::read::{Detail, Format, Reader, RowError};
use crate::core::characteristics::{Characteristics, COUNT};
use crate::core::model::DAY_MS;
use crate::core::{Event, EventKind, Model, Profile, RuleId, Snapshot};
use std::collections::HashMap;
use std::path::Path;

/// Visitors are looked up twice per event (once per pass), so the index is keyed by a 128-bit
/// hash of the id (two seeded foldhash runs) held inline, not by the id's heap string: that
/// spares a cache miss per lookup on logs of many interleaved visitors. Two ids colliding in 128
/// bits is not a practical concern (about 10⁻²⁶ for a million visitors).
type VisitorIndex = HashMap<u128, u32, foldhash::fast::RandomState>;

fn visitor_key(id: &str) -> u128 {
    use std::hash::BuildHasher;
    let a = foldhash::fast::FixedState::with_seed(0x5eed_0001).hash_one(id);
    let b = foldhash::fast::FixedState::with_seed(0x5eed_0002).hash_one(id);
    (u128::from(a) << 64) | u128::from(b)
}

/// Where each visitor is scored, and what counts as buying.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cutoff {
    /// Buyers `horizon_ms` before their first purchase; the others `horizon_ms` before their
    /// last event. Bought = any purchase.
    FirstPurchase {
        /// 0 = the moment before the purchase.
        horizon_ms: u64,
    },
    /// Everyone at `at_ms`; bought = a purchase in (`at_ms`, `at_ms + label_ms`].
    Fixed {
        /// The scoring time.
        at_ms: u64,
        /// The labelling window after it.
        label_ms: u64,
    },
    /// Each visit (the core's 30-minute rule) on its own, before its first purchase or at its
    /// end, with all of the visitor's earlier history; bought = the visit has a purchase.
    EachVisit,
}

/// Which moments of each visitor are scored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Once, at the cut-off.
    #[default]
    Cutoff,
    /// After every event before the cut-off, each visitor's scores weighing 1 in all.
    Prefix,
}

impl Protocol {
    /// A sentence for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Protocol::Cutoff => "each visitor scored once, right after their last event before the cut-off",
            Protocol::Prefix => "each visitor scored after every event before the cut-off, as a live scorer sees them; a visitor's scores weigh 1 in all",
        }
    }
}

/// What one outcome is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Unit {
    /// A visitor.
    #[default]
    Visitor,
    /// A visit.
    Visit,
}

impl Cutoff {
    /// What one outcome is, in the plural, for reports.
    pub fn units(&self) -> &'static str {
        match self {
            Cutoff::EachVisit => "visits",
            _ => "visitors",
        }
    }

    /// A sentence for reports.
    pub fn describe(&self) -> String {
        match *self {
            Cutoff::FirstPurchase { horizon_ms: 0 } => "buyers before their first purchase (its own earlier add_to_cart counts, the purchase does not), others at the end of their history".into(),
            Cutoff::FirstPurchase { horizon_ms } => format!(
                "buyers {0} before their first purchase, others {0} before their last event; visitors not yet seen then are left out",
                span(horizon_ms)
            ),
            Cutoff::Fixed { at_ms, label_ms } => format!(
                "everyone seen by {} scored then; bought = a purchase in the next {}",
                super::input::format_time(at_ms),
                span(label_ms)
            ),
            Cutoff::EachVisit => "each visit before its first purchase, others at their end, with the visitor's earlier history; bought = the visit has a purchase".into(),
        }
    }
}

/// A span for reports, in the largest whole unit: `7 days`, `36 h`, `90 min`, `45 s`.
pub fn span(ms: u64) -> String {
    match ms {
        m if m % 86_400_000 == 0 => format!("{} days", m / 86_400_000),
        m if m % 3_600_000 == 0 => format!("{} h", m / 3_600_000),
        m if m % 60_000 == 0 => format!("{} min", m / 60_000),
        m => format!("{:.3} s", m as f64 / 1000.0),
    }
}

/// One visitor (or visit) at the cut-off.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The visitor id.
    pub visitor: String,
    /// With [`Cutoff::EachVisit`], which visit (1 for the first); 0 for the whole visitor.
    pub visit: u32,
    /// The label.
    pub bought: bool,
    /// The core's verdict at the cut-off.
    pub snapshot: Snapshot,
    /// The characteristics at the cut-off (`core::characteristics::NAMES`).
    pub values: [f64; COUNT],
    /// Bit `RuleId as usize`: the rule fired before the cut-off (a condition: held at it).
    pub fired: u32,
    /// With [`Protocol::Prefix`]: the score and characteristics after each event replayed.
    pub prefix: Vec<(f64, [f64; COUNT])>,
}

/// Each outcome's visitor, numbered from 0 in order of appearance (the visits of one visitor
/// are one cluster for confidence intervals and folds), and the visitors' ids.
pub fn visitors(outcomes: &[Outcome]) -> (Vec<u32>, Vec<&str>) {
    let mut ids: Vec<&str> = Vec::new();
    let index = outcomes
        .iter()
        .map(|o| {
            // The outcomes of one visitor are consecutive.
            if ids.last() != Some(&o.visitor.as_str()) {
                ids.push(&o.visitor);
            }
            (ids.len() - 1) as u32
        })
        .collect();
    (index, ids)
}

/// What the replay read and did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Totals {
    /// Events read (known and unknown).
    pub events: u64,
    /// Events whose name the model does not know (ignored).
    pub unknown: u64,
    /// Rows skipped as unreadable.
    pub bad_rows: u64,
    /// Events the core refused as out of order (0 once sorted).
    pub out_of_order: u64,
    /// Visitors in the file.
    pub visitors: u64,
    /// Visitors (visits with [`Cutoff::EachVisit`]) with no event before their cut-off (not
    /// scoreable; left out).
    pub left_out: u64,
    /// Of whom buyers.
    pub left_out_buyers: u64,
    /// Visitors whose events were not in time order (held and sorted).
    pub reordered_visitors: u64,
    /// Most events held at once for sorting.
    pub peak_held_events: u64,
    /// Events replayed through the core.
    pub replayed: u64,
}

impl Totals {
    /// What was read, for the last line of a report.
    pub fn sentence(&self) -> String {
        format!(
            "read {} events of {} visitors ({} unknown, {} bad rows skipped); {} replayed; {} refused as out of order",
            self.events, self.visitors, self.unknown, self.bad_rows, self.replayed, self.out_of_order
        )
    }
}

/// The outcome of a replay.
pub struct History {
    /// The moments scored.
    pub protocol: Protocol,
    /// The format read.
    pub format: Format,
    /// Scored visitors, in order of first appearance.
    pub outcomes: Vec<Outcome>,
    /// Counts.
    pub totals: Totals,
}

/// What pass 1 learns of a visitor.
pub struct Scan {
    /// Time of the visitor's first event.
    pub first_ms: u64,
    /// Time of their last event.
    pub last_ms: u64,
    /// Time of their first purchase.
    pub first_purchase_ms: Option<u64>,
    /// A purchase inside the label window given to [`play`].
    pub labelled: bool,
    events: u32,
    ordered: bool,
}

/// What a replay does with each visitor's events: [`play`] hands them over in time order,
/// visitor by visitor as the file interleaves them.
pub trait Player {
    /// The player's state for one visitor.
    type Visitor;
    /// Called once between the passes, with every visitor's outline (in order of appearance).
    fn begin(&mut self, _scans: &[Scan]) {}
    /// A visitor's first event is about to be played.
    fn open(&mut self, id: String, scan: &Scan) -> Self::Visitor;
    /// The visitor's next known event, in time order.
    fn event(
        &mut self,
        visitor: &mut Self::Visitor,
        scan: &Scan,
        event: Event,
        totals: &mut Totals,
    );
    /// An event the model does not know (in file order).
    fn unknown(&mut self, _visitor: &mut Self::Visitor) {}
    /// UCI: the characteristics a session's row states (its totals), before its events.
    fn characteristics(&mut self, _visitor: &mut Self::Visitor, _state: Box<Characteristics>) {}
    /// The visitor's last event has been played; `slot` is their index in the outline.
    fn close(&mut self, slot: usize, scan: &Scan, visitor: Self::Visitor, totals: &mut Totals);
}

/// A visitor whose history is being read.
struct Open<V> {
    visitor: V,
    held: Vec<Event>,
    seen: u32,
}

/// Reads `path` twice and plays each visitor's events into `player`. `label` is the window
/// (exclusive start, inclusive end, ms) in which a purchase sets [`Scan::labelled`]; `warn`
/// hears each bad row once.
pub fn play<P: Player>(
    path: &Path,
    format: Option<Format>,
    label: Option<(u64, u64)>,
    player: &mut P,
    warn: &mut dyn FnMut(&RowError),
) -> Result<(Format, Totals), String> {
    if path == Path::new("-") {
        return Err("history replay reads its input twice; give a file, not stdin".into());
    }
    let mut totals = Totals::default();

    // Pass 1: outline.
    let mut reader = Reader::open(Some(path), format, Detail::Outline)?;
    let format = reader.format();
    let mut index = VisitorIndex::default();
    let mut ids: Vec<String> = Vec::new();
    let mut scans: Vec<Scan> = Vec::new();
    while let Some(row) = reader.next() {
        let r = match row {
            Ok(r) => r,
            Err(e) => {
                totals.bad_rows += 1;
                warn(&e);
                continue;
            }
        };
        totals.events += 1;
        let t = r.time_ms;
        let key = visitor_key(r.visitor);
        let slot = match index.get(&key) {
            Some(&i) => i as usize,
            None => {
                index.insert(key, scans.len() as u32);
                ids.push(r.visitor.to_string());
                scans.push(Scan {
                    first_ms: t,
                    last_ms: t,
                    first_purchase_ms: None,
                    labelled: false,
                    events: 0,
                    ordered: true,
                });
                scans.len() - 1
            }
        };
        let s = &mut scans[slot];
        if t < s.last_ms {
            s.ordered = false;
        }
        s.first_ms = s.first_ms.min(t);
        s.last_ms = s.last_ms.max(t);
        s.events += 1;
        if r.kind == Some(EventKind::Purchase) {
            s.first_purchase_ms = Some(s.first_purchase_ms.map_or(t, |p| p.min(t)));
            if let Some((from, to)) = label {
                s.labelled |= t > from && t <= to;
            }
        }
        if r.kind.is_none() {
            totals.unknown += 1;
        }
    }
    totals.visitors = scans.len() as u64;
    totals.reordered_visitors = scans.iter().filter(|s| !s.ordered).count() as u64;
    player.begin(&scans);

    // Pass 2: play. Visitors keep their pass-1 index.
    let mut reader = Reader::open(Some(path), Some(format), Detail::Full)?;
    let mut open: Vec<Option<Box<Open<P::Visitor>>>> = (0..scans.len()).map(|_| None).collect();
    let mut held_now = 0u64;
    while let Some(row) = reader.next() {
        let Ok(r) = row else { continue };
        let Some(&slot) = index.get(&visitor_key(r.visitor)) else {
            continue;
        };
        let scan = &scans[slot as usize];
        let o = open[slot as usize].get_or_insert_with(|| {
            let id = std::mem::take(&mut ids[slot as usize]);
            Box::new(Open {
                visitor: player.open(id, scan),
                held: Vec::new(),
                seen: 0,
            })
        });
        o.seen += 1;
        if let Some(state) = r.characteristics {
            player.characteristics(&mut o.visitor, state);
        }
        match (r.event, scan.ordered) {
            (Some(event), true) => player.event(&mut o.visitor, scan, event, &mut totals),
            (Some(event), false) => {
                o.held.push(event);
                held_now += 1;
                totals.peak_held_events = totals.peak_held_events.max(held_now);
            }
            (None, _) => player.unknown(&mut o.visitor),
        }
        if o.seen >= scan.events {
            if let Some(o) = open[slot as usize].take() {
                held_now -= o.held.len() as u64;
                close(player, slot as usize, scan, *o, &mut totals);
            }
        }
    }
    // Visitors whose count fell short (a row that read in pass 1 failed in pass 2).
    for (slot, o) in open.into_iter().enumerate() {
        if let Some(o) = o {
            close(player, slot, &scans[slot], *o, &mut totals);
        }
    }
    Ok((format, totals))
}

/// [`play`] with bad rows reported on stderr, as every command reports them.
pub fn play_reporting<P: Player>(
    path: &Path,
    format: Option<Format>,
    player: &mut P,
) -> Result<(Format, Totals), String> {
    play(path, format, None, player, &mut bad_rows_on_stderr())
}

/// Plays a visitor's held events (sorted by time, stable), then closes them.
fn close<P: Player>(
    player: &mut P,
    slot: usize,
    scan: &Scan,
    mut o: Open<P::Visitor>,
    totals: &mut Totals,
) {
    let mut held = std::mem::take(&mut o.held);
    held.sort_by_key(|e| e.time_ms);
    for event in held {
        player.event(&mut o.visitor, scan, event, totals);
    }
    player.close(slot, scan, o.visitor, totals);
}

/// A visitor being scored up to their cut-off.
struct Live {
    /// The whole id (the profile keeps at most 64 bytes of it, for experiments).
    visitor: String,
    profile: Profile,
    /// Events replayed through the core, and the time of the latest.
    replayed: u32,
    last_ms: u64,
    fired: u32,
    prefix: Vec<(f64, [f64; COUNT])>,
    /// UCI: the characteristics the session's row states, applied at the cut-off.
    mapped: Option<Box<Characteristics>>,
    /// With [`Cutoff::EachVisit`]: the visit being read, and the visits done.
    open: Option<OpenVisit>,
    visits: Vec<Outcome>,
    done: bool,
}

/// A visit being read with [`Cutoff::EachVisit`].
struct OpenVisit {
    index: u32,
    /// A purchase happened: the visit's cut-off has passed.
    bought: bool,
    /// The verdict right after its latest event before the cut-off, and the rules fired by then.
    scored: Option<(Snapshot, [f64; COUNT], u32)>,
    prefix: Vec<(f64, [f64; COUNT])>,
}

/// The cut-off of one visitor.
struct Plan {
    /// Events after this time are not replayed.
    until_ms: u64,
    /// The scoring time; `None`: right after the last event replayed.
    at_ms: Option<u64>,
    stop_at_purchase: bool,
    bought: bool,
}

fn plan(cutoff: Cutoff, s: &Scan) -> Plan {
    match cutoff {
        Cutoff::FirstPurchase { horizon_ms } => {
            let end = s.first_purchase_ms.unwrap_or(s.last_ms);
            Plan {
                // A visitor younger than the horizon has no event before it: nothing replays.
                until_ms: end.saturating_sub(horizon_ms),
                at_ms: None,
                stop_at_purchase: true,
                bought: s.first_purchase_ms.is_some(),
            }
        }
        Cutoff::Fixed { at_ms, .. } => Plan {
            until_ms: at_ms,
            at_ms: Some(at_ms),
            stop_at_purchase: false,
            bought: s.labelled,
        },
        Cutoff::EachVisit => Plan {
            until_ms: s.last_ms,
            at_ms: None,
            stop_at_purchase: false,
            bought: false,
        },
    }
}

/// Scores each visitor at their cut-off.
struct Scoring<'m> {
    model: &'m Model,
    cutoff: Cutoff,
    protocol: Protocol,
    outcomes: Vec<Vec<Outcome>>,
}

impl Scoring<'_> {
    /// With [`Cutoff::EachVisit`], after an event: a new visit closes the last one; until the
    /// visit's first purchase, its verdict follows each event.
    fn visit_step(&self, l: &mut Live, purchase: bool, t: u64, totals: &mut Totals) {
        let index = l.profile.visit.index;
        if index == 0 {
            return;
        }
        if l.open.as_ref().is_none_or(|o| o.index != index) {
            close_visit(l, totals);
            l.open = Some(OpenVisit {
                index,
                bought: false,
                scored: None,
                prefix: Vec::new(),
            });
        }
        let Some(open) = l.open.as_mut() else { return };
        if open.bought {
            return;
        }
        if purchase {
            open.bought = true;
            return;
        }
        let snapshot = l.profile.snapshot(self.model, t);
        let values = l.profile.characteristics.values(t);
        if self.protocol == Protocol::Prefix {
            open.prefix.push((snapshot.score, values));
        }
        open.scored = Some((snapshot, values, l.fired));
    }
}

/// Ends the open visit: scored, or left out when its first event was the purchase.
fn close_visit(l: &mut Live, totals: &mut Totals) {
    let Some(open) = l.open.take() else { return };
    match open.scored {
        Some((snapshot, values, fired)) => l.visits.push(Outcome {
            visitor: l.visitor.clone(),
            visit: open.index,
            bought: open.bought,
            snapshot,
            values,
            fired,
            prefix: open.prefix,
        }),
        None => {
            totals.left_out += 1;
            totals.left_out_buyers += u64::from(open.bought);
        }
    }
}

impl Player for Scoring<'_> {
    type Visitor = Live;

    fn begin(&mut self, scans: &[Scan]) {
        self.outcomes = (0..scans.len()).map(|_| Vec::new()).collect();
    }

    fn open(&mut self, id: String, _scan: &Scan) -> Live {
        Live {
            profile: Profile::new(&id),
            visitor: id,
            replayed: 0,
            last_ms: 0,
            fired: 0,
            prefix: Vec::new(),
            mapped: None,
            open: None,
            visits: Vec::new(),
            done: false,
        }
    }

    /// Feeds one event, unless the visitor's cut-off has passed.
    fn event(&mut self, l: &mut Live, scan: &Scan, event: Event, totals: &mut Totals) {
        let p = plan(self.cutoff, scan);
        if l.done {
            return;
        }
        let purchase = event.kind == EventKind::Purchase;
        if event.time_ms > p.until_ms || (purchase && p.stop_at_purchase) {
            l.done = true;
            return;
        }
        let t = event.time_ms;
        match l.profile.track(self.model, &event) {
            Ok(fired) => {
                totals.replayed += 1;
                l.replayed += 1;
                l.last_ms = l.last_ms.max(t);
                let signals: Vec<_> = l.profile.signals().collect();
                for s in &signals[signals.len().saturating_sub(fired as usize)..] {
                    l.fired |= 1 << s.rule as u32;
                }
                if self.cutoff == Cutoff::EachVisit {
                    self.visit_step(l, purchase, t, totals);
                } else if self.protocol == Protocol::Prefix {
                    let score = l.profile.snapshot(self.model, t).score;
                    l.prefix.push((score, l.profile.characteristics.values(t)));
                }
            }
            Err(_) => totals.out_of_order += 1,
        }
    }

    fn unknown(&mut self, l: &mut Live) {
        if !l.done {
            l.profile.count_unknown();
        }
    }

    fn characteristics(&mut self, l: &mut Live, state: Box<Characteristics>) {
        l.mapped = Some(state);
    }

    /// Takes the snapshot at the cut-off.
    fn close(&mut self, slot: usize, scan: &Scan, mut l: Live, totals: &mut Totals) {
        if self.cutoff == Cutoff::EachVisit {
            close_visit(&mut l, totals);
            self.outcomes[slot] = l.visits;
            return;
        }
        let p = plan(self.cutoff, scan);
        if l.replayed == 0 {
            totals.left_out += 1;
            totals.left_out_buyers += u64::from(p.bought);
            return;
        }
        let model = self.model;
        let at = p.at_ms.unwrap_or(l.last_ms);
        for rule in [RuleId::NoSiteVisit30d, RuleId::NoEmailOpens30d] {
            if l.profile.condition(model, rule, at).is_some() {
                l.fired |= 1 << rule as u32;
            }
        }
        if let Some(mapped) = l.mapped.take() {
            l.profile.characteristics = *mapped;
        }
        self.outcomes[slot] = vec![Outcome {
            snapshot: l.profile.snapshot(model, at),
            values: l.profile.characteristics.values(at),
            visitor: std::mem::take(&mut l.visitor),
            visit: 0,
            bought: p.bought,
            fired: l.fired,
            prefix: l.prefix,
        }];
    }
}

/// Replays `path` through `model` up to each visitor's cut-off, scoring each once there.
/// `warn` hears each bad row once.
pub fn replay(
    path: &Path,
    format: Option<Format>,
    model: &Model,
    cutoff: Cutoff,
    warn: &mut dyn FnMut(&RowError),
) -> Result<History, String> {
    replay_as(path, format, model, cutoff, Protocol::Cutoff, warn)
}

/// [`replay`] with the moments `protocol` scores.
pub fn replay_as(
    path: &Path,
    format: Option<Format>,
    model: &Model,
    cutoff: Cutoff,
    protocol: Protocol,
    warn: &mut dyn FnMut(&RowError),
) -> Result<History, String> {
    let label = match cutoff {
        Cutoff::Fixed { at_ms, label_ms } => Some((at_ms, at_ms.saturating_add(label_ms))),
        Cutoff::FirstPurchase { .. } | Cutoff::EachVisit => None,
    };
    let mut scoring = Scoring {
        model,
        cutoff,
        protocol,
        outcomes: Vec::new(),
    };
    let (format, totals) = play(path, format, label, &mut scoring, warn)?;
    if format == Format::Uci && protocol == Protocol::Prefix {
        return Err("UCI rows are session totals, with no events in between to score; use --protocol cutoff".into());
    }
    if format == Format::Uci && cutoff == Cutoff::EachVisit {
        return Err("UCI rows are one visit each already; leave out --unit visit".into());
    }
    let outcomes: Vec<Outcome> = scoring.outcomes.into_iter().flatten().collect();
    Ok(History {
        protocol,
        format,
        outcomes,
        totals,
    })
}

/// The model and log every history command reads.
#[derive(clap::Args, Debug, Clone)]
pub struct Log {
    /// A model config (JSON); the default model without it.
    #[arg(long)]
    pub config: Option<std::path::PathBuf>,
    /// The log's layout; guessed from its first record when omitted.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The event log: a file (gzip is detected), a folder of daily files, or a glob.
    pub file: std::path::PathBuf,
}

impl Log {
    /// The config's model (the default without one).
    pub fn model(&self) -> Result<Model, String> {
        super::load_model(self.config.as_deref())
    }
}

/// The input and cut-off options shared by `evaluate` and `calibrate`.
#[derive(clap::Args, Debug, Clone)]
pub struct Source {
    /// The model and the log.
    #[command(flatten)]
    pub log: Log,
    /// Score buyers this long before their first purchase (others before their last event),
    /// e.g. `7d`, `12h`, `30m`; 0 (the default) is the moment before the purchase.
    #[arg(long, conflicts_with = "at")]
    pub horizon: Option<String>,
    /// Score everyone at this time (RFC 3339 or epoch ms) and label "buys in the next
    /// --label-days days": the fair test on long histories.
    #[arg(long, requires = "label_days")]
    pub at: Option<String>,
    /// The labelling window after --at, in days.
    #[arg(long, requires = "at")]
    pub label_days: Option<f64>,
    /// Score each visitor once at the cut-off, or after every event before it (`prefix`: what a
    /// live scorer faces; each visitor's scores weigh 1 in all).
    #[arg(long, value_enum, default_value_t = Protocol::Cutoff)]
    pub protocol: Protocol,
    /// What is scored and labelled: each visitor (bought at all), or each visit (bought in that
    /// visit), before its first purchase, with the visitor's earlier history.
    #[arg(long, value_enum, default_value_t = Unit::Visitor, conflicts_with_all = ["horizon", "at"])]
    pub unit: Unit,
}

impl Source {
    /// The cut-off these options ask for.
    pub fn cutoff(&self) -> Result<Cutoff, String> {
        if self.unit == Unit::Visit {
            return Ok(Cutoff::EachVisit);
        }
        if let (Some(at), Some(days)) = (&self.at, self.label_days) {
            if !(days.is_finite() && days > 0.0) {
                return Err("--label-days must be a number of days above 0".into());
            }
            return Ok(Cutoff::Fixed {
                at_ms: super::input::parse_time_text(at)?,
                label_ms: (days * DAY_MS) as u64,
            });
        }
        let horizon_ms = match &self.horizon {
            Some(h) => parse_span(h)?,
            None => 0,
        };
        Ok(Cutoff::FirstPurchase { horizon_ms })
    }

    /// Loads the model and replays the file with `cutoff`; bad rows are reported on stderr
    /// (the first 20, then only counted).
    pub fn replay(&self, cutoff: Cutoff) -> Result<(Model, History), String> {
        let model = self.log.model()?;
        let history = self.replay_with(&model, cutoff)?;
        Ok((model, history))
    }

    /// Replays the file through `model`.
    pub fn replay_with(&self, model: &Model, cutoff: Cutoff) -> Result<History, String> {
        replay_as(
            &self.log.file,
            self.log.format,
            model,
            cutoff,
            self.protocol,
            &mut bad_rows_on_stderr(),
        )
    }
}

/// Reports bad rows on stderr: the first 20, then only counts them.
pub fn bad_rows_on_stderr() -> impl FnMut(&RowError) {
    let mut shown = 0;
    move |e: &RowError| {
        shown += 1;
        if shown <= 20 {
            eprintln!("{e}; skipped");
        } else if shown == 21 {
            eprintln!("(more bad rows: only counted from here)");
        }
    }
}

/// A span such as `7d`, `36h`, `90m` or `45s`; a bare number is days.
pub fn parse_span(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (number, unit_ms) = match t.char_indices().last() {
        Some((i, 'd')) => (&t[..i], DAY_MS),
        Some((i, 'h')) => (&t[..i], 3_600_000.0),
        Some((i, 'm')) => (&t[..i], 60_000.0),
        Some((i, 's')) => (&t[..i], 1000.0),
        _ => (t, DAY_MS),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok((n * unit_ms) as u64),
        _ => Err(format!("{text:?} is not a span like 7d, 36h, 90m or 45s")),
    }
}
