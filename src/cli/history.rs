//! Replaying a store's history through the core, visitor by visitor, up to a cut-off before the
//! outcome: what a live scorer would have said then, and whether the visitor went on to buy.
//!
//! Two passes over the file:
//! 1. an outline pass (visitor, time, kind; no event is built) finds each visitor's first and
//!    last event, first purchase, number of events, and whether their events are in time order;
//! 2. a full pass hands each visitor's events, in time order, to a [`Player`], which closes the
//!    visitor as soon as their last event has gone by. [`replay`]'s player feeds the core up to
//!    the visitor's cut-off and takes the snapshot there; `channels`, `accelerators` and `tiers`
//!    have their own. Pass 2 runs on every thread of the rayon pool, each thread playing the
//!    visitors whose pass-1 index falls to it (see [`Player`]); results do not depend on the
//!    number of threads.
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

use super::read::{Detail, Format, Reader, Row, RowError};
use crate::core::model::DAY_MS;
use crate::core::{Event, EventKind, Model, Profile, RuleId, Snapshot};
use rayon::prelude::*;
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
}

impl Cutoff {
    /// A sentence for reports.
    pub fn describe(&self) -> String {
        match *self {
            Cutoff::FirstPurchase { horizon_ms: 0 } => "buyers at the moment before their first purchase (its own earlier add_to_cart counts, the purchase does not); others at their last event".into(),
            Cutoff::FirstPurchase { horizon_ms } => format!(
                "buyers {0} before their first purchase, others {0} before their last event; visitors not yet seen then are left out",
                span(horizon_ms)
            ),
            Cutoff::Fixed { at_ms, label_ms } => format!(
                "everyone seen by {} scored then; bought = a purchase in the next {}",
                super::input::format_time(at_ms),
                span(label_ms)
            ),
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

/// One visitor at the cut-off.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The visitor id.
    pub visitor: String,
    /// The label.
    pub bought: bool,
    /// The core's verdict at the cut-off.
    pub snapshot: Snapshot,
    /// Per rule (index = `RuleId as usize`): signals fired before the cut-off, each decayed to it
    /// as the score decays its points (so score = Σ points × signals); conditions: 1 when held.
    pub signals: [f64; 17],
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
    /// Visitors with no event before their cut-off (not scoreable; left out).
    pub left_out: u64,
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
///
/// Visitors are split between threads by their pass-1 index. Each thread has its own
/// [`Player::fork`] and gets its visitors' events in file order; what closing a visitor leaves
/// ([`Player::Closed`]) goes back to the original player through [`Player::absorb`], in the
/// order one thread would close them (that of their last row in the file). So a player whose
/// results depend only on what it absorbs gives the same results, to the bit, for any number
/// of threads and any chunking of the input.
pub trait Player: Send {
    /// The player's state for one visitor.
    type Visitor: Send;
    /// What a closed visitor adds to the results.
    type Closed: Send;
    /// Called once between the passes, with every visitor's outline (in order of appearance),
    /// before any fork.
    fn begin(&mut self, _scans: &[Scan]) {}
    /// A player for another thread: the same settings, no results.
    fn fork(&self) -> Self;
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
    /// The visitor's last event has been played.
    fn close(&mut self, scan: &Scan, visitor: Self::Visitor) -> Self::Closed;
    /// Adds a closed visitor to the results; `slot` is their index in the outline.
    fn absorb(&mut self, slot: usize, closed: Self::Closed);
}

/// A visitor whose history is being read.
struct Open<V> {
    visitor: V,
    held: Vec<Event>,
}

/// A row for a thread: its place in the file, its visitor's slot, and whether it is the
/// visitor's last.
struct Task {
    seq: u64,
    slot: u32,
    last: bool,
    row: Row,
}

/// One thread's share of the visitors: those whose slot is `k` modulo the threads.
struct Worker<P: Player> {
    player: P,
    /// Open visitors, at `slot / threads`.
    open: Vec<Option<Box<Open<P::Visitor>>>>,
    /// Visitors closed in this chunk: (seq of their last row, slot, what they left).
    closed: Vec<(u64, u32, P::Closed)>,
    /// Replayed and out-of-order counts.
    totals: Totals,
}

impl<P: Player> Worker<P> {
    fn play(&mut self, scans: &[Scan], threads: usize, tasks: Vec<Task>) {
        for Task {
            seq,
            slot,
            last,
            row,
        } in tasks
        {
            let scan = &scans[slot as usize];
            let entry = &mut self.open[slot as usize / threads];
            let o = entry.get_or_insert_with(|| {
                Box::new(Open {
                    visitor: self.player.open(row.visitor, scan),
                    held: Vec::new(),
                })
            });
            match (row.event, scan.ordered) {
                (Some(event), true) => {
                    self.player
                        .event(&mut o.visitor, scan, event, &mut self.totals)
                }
                (Some(event), false) => o.held.push(event),
                (None, _) => self.player.unknown(&mut o.visitor),
            }
            if last {
                if let Some(o) = entry.take() {
                    let closed = self.close(scan, *o);
                    self.closed.push((seq, slot, closed));
                }
            }
        }
    }

    /// Plays a visitor's held events (sorted by time, stable), then closes them.
    fn close(&mut self, scan: &Scan, mut o: Open<P::Visitor>) -> P::Closed {
        let mut held = std::mem::take(&mut o.held);
        held.sort_by_key(|e| e.time_ms);
        for event in held {
            self.player
                .event(&mut o.visitor, scan, event, &mut self.totals);
        }
        self.player.close(scan, o.visitor)
    }
}

/// Reads `path` twice and plays each visitor's events into `player`, on every thread of the
/// current rayon pool. `label` is the window (exclusive start, inclusive end, ms) in which a
/// purchase sets [`Scan::labelled`]; `warn` hears each bad row once.
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
    let mut scans: Vec<Scan> = Vec::new();
    while let Some(chunk) = reader.next_chunk() {
        let keys: Vec<u128> = chunk
            .par_iter()
            .map(|r| r.as_ref().map_or(0, |r| visitor_key(&r.visitor)))
            .collect();
        for (row, key) in chunk.iter().zip(keys) {
            let r = match row {
                Ok(r) => r,
                Err(e) => {
                    totals.bad_rows += 1;
                    warn(e);
                    continue;
                }
            };
            totals.events += 1;
            let t = r.time_ms;
            let slot = *index.entry(key).or_insert_with(|| {
                scans.push(Scan {
                    first_ms: t,
                    last_ms: t,
                    first_purchase_ms: None,
                    labelled: false,
                    events: 0,
                    ordered: true,
                });
                scans.len() as u32 - 1
            });
            let s = &mut scans[slot as usize];
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
    }
    totals.visitors = scans.len() as u64;
    totals.reordered_visitors = scans.iter().filter(|s| !s.ordered).count() as u64;
    player.begin(&scans);

    // Pass 2: play. Visitors keep their pass-1 index; thread `k` plays those at `k` modulo the
    // threads.
    let mut reader = Reader::open(Some(path), Some(format), Detail::Full)?;
    let threads = rayon::current_num_threads().max(1);
    let mut workers: Vec<Worker<P>> = (0..threads)
        .map(|_| Worker {
            player: player.fork(),
            open: (0..scans.len().div_ceil(threads)).map(|_| None).collect(),
            closed: Vec::new(),
            totals: Totals::default(),
        })
        .collect();
    // Rows seen and events held per visitor, counted here in file order so that the peak held
    // is the one-thread peak.
    let mut seen = vec![0u32; scans.len()];
    let mut held = vec![0u32; scans.len()];
    let mut held_now = 0u64;
    let mut seq = 0u64;
    let scans = &scans;
    while let Some(chunk) = reader.next_chunk() {
        let slots: Vec<Option<u32>> = chunk
            .par_iter()
            .map(|r| index.get(&visitor_key(&r.as_ref().ok()?.visitor)).copied())
            .collect();
        let mut tasks: Vec<Vec<Task>> = (0..threads).map(|_| Vec::new()).collect();
        for (row, slot) in chunk.into_iter().zip(slots) {
            let (Ok(row), Some(slot)) = (row, slot) else {
                continue;
            };
            let i = slot as usize;
            if row.event.is_some() && !scans[i].ordered {
                held[i] += 1;
                held_now += 1;
                totals.peak_held_events = totals.peak_held_events.max(held_now);
            }
            seen[i] += 1;
            let last = seen[i] >= scans[i].events;
            if last {
                held_now -= u64::from(std::mem::take(&mut held[i]));
            }
            tasks[i % threads].push(Task {
                seq,
                slot,
                last,
                row,
            });
            seq += 1;
        }
        workers
            .par_iter_mut()
            .zip(tasks)
            .for_each(|(w, tasks)| w.play(scans, threads, tasks));
        absorb(player, &mut workers);
    }
    // Visitors whose count fell short (a row that read in pass 1 failed in pass 2), in slot order.
    for (k, w) in workers.iter_mut().enumerate() {
        for (j, o) in std::mem::take(&mut w.open).into_iter().enumerate() {
            if let Some(o) = o {
                let slot = j * threads + k;
                let closed = w.close(&scans[slot], *o);
                w.closed.push((u64::MAX, slot as u32, closed));
            }
        }
    }
    absorb(player, &mut workers);
    for w in workers {
        totals.replayed += w.totals.replayed;
        totals.out_of_order += w.totals.out_of_order;
    }
    Ok((format, totals))
}

/// Hands what the workers closed to `player`, in file order of the visitors' last rows (then
/// by slot).
fn absorb<P: Player>(player: &mut P, workers: &mut [Worker<P>]) {
    let mut closed: Vec<(u64, u32, P::Closed)> = workers
        .iter_mut()
        .flat_map(|w| w.closed.drain(..))
        .collect();
    closed.sort_unstable_by_key(|&(seq, slot, _)| (seq, slot));
    for (_, slot, c) in closed {
        player.absorb(slot as usize, c);
    }
}

/// [`play`] with bad rows reported on stderr, as every command reports them.
pub fn play_reporting<P: Player>(
    path: &Path,
    format: Option<Format>,
    player: &mut P,
) -> Result<(Format, Totals), String> {
    play(path, format, None, player, &mut bad_rows_on_stderr())
}

/// A visitor being scored up to their cut-off.
struct Live {
    /// The whole id (the profile keeps at most 64 bytes of it, for experiments).
    visitor: String,
    profile: Profile,
    /// Decayed signal counts per event rule: (value, at_ms).
    signals: [(f64, u64); crate::core::model::EVENT_RULES],
    done: bool,
}

/// The cut-off of one visitor.
struct Plan {
    until_ms: u64,
    at_ms: u64,
    stop_at_purchase: bool,
    bought: bool,
    scoreable: bool,
}

fn plan(cutoff: Cutoff, s: &Scan) -> Plan {
    match cutoff {
        Cutoff::FirstPurchase { horizon_ms } => {
            let end = s.first_purchase_ms.unwrap_or(s.last_ms);
            let at = end.checked_sub(horizon_ms);
            Plan {
                until_ms: at.unwrap_or(0),
                at_ms: at.unwrap_or(0),
                stop_at_purchase: true,
                bought: s.first_purchase_ms.is_some(),
                // With no horizon a buyer whose first event is the purchase is scored (at 0 points).
                scoreable: at.is_some_and(|at| s.first_ms <= at),
            }
        }
        Cutoff::Fixed { at_ms, .. } => Plan {
            until_ms: at_ms,
            at_ms,
            stop_at_purchase: false,
            bought: s.labelled,
            scoreable: s.first_ms <= at_ms,
        },
    }
}

/// Scores each visitor at their cut-off.
struct Scoring<'m> {
    model: &'m Model,
    cutoff: Cutoff,
    outcomes: Vec<Option<Outcome>>,
}

impl Player for Scoring<'_> {
    type Visitor = Live;
    type Closed = Option<Outcome>;

    fn begin(&mut self, scans: &[Scan]) {
        self.outcomes = (0..scans.len()).map(|_| None).collect();
    }

    fn fork(&self) -> Self {
        Scoring {
            model: self.model,
            cutoff: self.cutoff,
            outcomes: Vec::new(),
        }
    }

    fn open(&mut self, id: String, _scan: &Scan) -> Live {
        Live {
            profile: Profile::new(&id),
            visitor: id,
            signals: [(0.0, 0); crate::core::model::EVENT_RULES],
            done: false,
        }
    }

    /// Feeds one event, unless the visitor's cut-off has passed.
    fn event(&mut self, l: &mut Live, scan: &Scan, event: Event, totals: &mut Totals) {
        let p = plan(self.cutoff, scan);
        if l.done {
            return;
        }
        if event.time_ms > p.until_ms || (event.kind == EventKind::Purchase && p.stop_at_purchase) {
            l.done = true;
            return;
        }
        let t = event.time_ms;
        match l.profile.track(self.model, &event) {
            Ok(fired) => {
                totals.replayed += 1;
                let signals: Vec<_> = l.profile.signals().collect();
                let new = &signals[signals.len().saturating_sub(fired as usize)..];
                for s in new {
                    let (value, at) = &mut l.signals[s.rule as usize];
                    *value = decay(self.model, *value, t.saturating_sub(*at)) + 1.0;
                    *at = t;
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

    /// Takes the snapshot at the cut-off.
    fn close(&mut self, scan: &Scan, l: Live) -> Option<Outcome> {
        let p = plan(self.cutoff, scan);
        if !p.scoreable {
            return None;
        }
        let model = self.model;
        let at = p.at_ms;
        let mut signals = [0.0; 17];
        for (i, &(value, t)) in l.signals.iter().enumerate() {
            signals[i] = decay(model, value, at.saturating_sub(t));
        }
        for rule in [RuleId::NoSiteVisit30d, RuleId::NoEmailOpens30d] {
            signals[rule as usize] =
                f64::from(u8::from(l.profile.condition(model, rule, at).is_some()));
        }
        Some(Outcome {
            snapshot: l.profile.snapshot(model, at),
            visitor: l.visitor,
            bought: p.bought,
            signals,
        })
    }

    fn absorb(&mut self, slot: usize, outcome: Option<Outcome>) {
        self.outcomes[slot] = outcome;
    }
}

/// Replays `path` through `model` up to each visitor's cut-off. `warn` hears each bad row once.
pub fn replay(
    path: &Path,
    format: Option<Format>,
    model: &Model,
    cutoff: Cutoff,
    warn: &mut dyn FnMut(&RowError),
) -> Result<History, String> {
    let label = match cutoff {
        Cutoff::Fixed { at_ms, label_ms } => Some((at_ms, at_ms.saturating_add(label_ms))),
        Cutoff::FirstPurchase { .. } => None,
    };
    let mut scoring = Scoring {
        model,
        cutoff,
        outcomes: Vec::new(),
    };
    let (format, mut totals) = play(path, format, label, &mut scoring, warn)?;
    let outcomes: Vec<Outcome> = scoring.outcomes.into_iter().flatten().collect();
    totals.left_out = totals.visitors - outcomes.len() as u64;
    Ok(History {
        format,
        outcomes,
        totals,
    })
}

fn decay(model: &Model, value: f64, elapsed_ms: u64) -> f64 {
    if model.half_life_ms <= 0.0 || elapsed_ms == 0 {
        value
    } else {
        value * 0.5f64.powf(elapsed_ms as f64 / model.half_life_ms)
    }
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
}

impl Source {
    /// The cut-off these options ask for.
    pub fn cutoff(&self) -> Result<Cutoff, String> {
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
        replay(
            &self.log.file,
            self.log.format,
            model,
            cutoff,
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
