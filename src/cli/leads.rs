//! Each visitor of a history as a lead: where they came from (GA4's first touch and last
//! non-direct touch), their score day by day after their first event, whether and when they
//! reached SQL, and what they bought. `channels` groups leads by channel, source / medium or
//! campaign.

use super::history::{play_reporting, Player, Scan, Totals};
use super::read::Format;
use crate::core::channel::{Group, Touch};
use crate::core::model::DAY_MS;
use crate::core::{Event, EventKind, Model, Profile, Snapshot, Stage};
use std::path::Path;

/// Follows a visitor's visits by the core's count (`Snapshot::visits`) and classifies each
/// visit's landing with GA4's rules: its first on-site event with a `page_location`, as the core
/// takes the landing page.
#[derive(Debug, Default)]
pub struct Visits {
    count: u32,
    waiting: bool,
}

impl Visits {
    /// Called after each tracked event with the snapshot just after it: the visit's number and
    /// touch when this event gives the visit its landing page.
    pub fn landing(&mut self, after: &Snapshot, event: &Event) -> Option<(u32, Touch)> {
        if after.visits > self.count {
            self.count = after.visits;
            self.waiting = true;
        }
        if !self.waiting || event.kind.is_off_site() {
            return None;
        }
        let url = event.page_location.as_deref()?;
        self.waiting = false;
        Some((self.count, Touch::of(url, event.page_referrer.as_deref())))
    }
}

/// What a purchase brought in: its `value`, else the sum of its items' price × quantity.
pub fn revenue(event: &Event) -> f64 {
    event.value.unwrap_or_else(|| {
        event
            .items
            .iter()
            .map(|i| i.price.unwrap_or(0.0) * i.quantity)
            .sum()
    })
}

/// Which of a lead's touches gets the credit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Credit {
    /// The first visit's touch (GA4's "first user" dimensions).
    First,
    /// The last visit by the scoring day that was not direct, else the first touch (GA4's
    /// "last non-direct click").
    Last,
}

/// One visitor.
#[derive(Clone, Debug)]
pub struct Lead {
    /// The visitor id.
    pub visitor: String,
    /// The first visit's touch; `None` when that visit had no `page_location`.
    pub first: Option<Touch>,
    /// The last non-direct touch by the scoring day, if any.
    pub last_non_direct: Option<Touch>,
    /// Score at day 0, 1, …, N after the first event (day 0: at the first event).
    pub scores: Vec<f64>,
    /// Stage at day N.
    pub stage: Stage,
    /// Days from the first event to reaching SQL, by day N and before any purchase.
    pub sql_days: Option<f64>,
    /// Bought at any time in the log.
    pub bought: bool,
    /// Revenue of all their purchases in the log.
    pub revenue: f64,
}

impl Lead {
    /// The touch that gets the credit.
    pub fn touch(&self, credit: Credit) -> Option<&Touch> {
        match credit {
            Credit::First => self.first.as_ref(),
            Credit::Last => self.last_non_direct.as_ref().or(self.first.as_ref()),
        }
    }

    /// Reached SQL by day N.
    pub fn sql(&self) -> bool {
        self.sql_days.is_some()
    }

    /// Score at day N.
    pub fn score(&self) -> f64 {
        self.scores.last().copied().unwrap_or(0.0)
    }
}

/// The leads of a log.
pub struct Leads {
    /// The format read.
    pub format: Format,
    /// One per visitor, in order of first appearance.
    pub leads: Vec<Lead>,
    /// What the replay read.
    pub totals: Totals,
    /// The first and last event times of the whole log.
    pub span_ms: (u64, u64),
}

struct Live {
    /// The whole id (the profile keeps at most 64 bytes of it).
    visitor: String,
    profile: Profile,
    visits: Visits,
    first_ms: u64,
    first: Option<Touch>,
    last_non_direct: Option<Touch>,
    scores: Vec<f64>,
    stage: Stage,
    sql_ms: Option<u64>,
    purchased: bool,
    bought: bool,
    revenue: f64,
}

struct Replay<'m> {
    model: &'m Model,
    days: u32,
    leads: Vec<Option<Lead>>,
    span_ms: (u64, u64),
}

impl Replay<'_> {
    /// Takes the day marks before `until_ms` (all of them with `u64::MAX`).
    fn mark(&self, l: &mut Live, until_ms: u64) {
        while l.scores.len() <= self.days as usize {
            let at = l.first_ms + (l.scores.len() as f64 * DAY_MS) as u64;
            if at >= until_ms {
                break;
            }
            let s = l.profile.snapshot(self.model, at);
            l.scores.push(s.score);
            l.stage = s.stage;
        }
    }
}

impl Player for Replay<'_> {
    type Visitor = Live;
    type Closed = Lead;

    fn begin(&mut self, scans: &[Scan]) {
        self.leads = (0..scans.len()).map(|_| None).collect();
        let first = scans.iter().map(|s| s.first_ms).min().unwrap_or(0);
        let last = scans.iter().map(|s| s.last_ms).max().unwrap_or(0);
        self.span_ms = (first, last);
    }

    fn fork(&self) -> Self {
        Replay {
            model: self.model,
            days: self.days,
            leads: Vec::new(),
            span_ms: self.span_ms,
        }
    }

    fn open(&mut self, id: String, scan: &Scan) -> Live {
        Live {
            profile: Profile::new(&id),
            visitor: id,
            visits: Visits::default(),
            first_ms: scan.first_ms,
            first: None,
            last_non_direct: None,
            scores: Vec::with_capacity(self.days as usize + 1),
            stage: Stage::Cold,
            sql_ms: None,
            purchased: false,
            bought: false,
            revenue: 0.0,
        }
    }

    fn event(&mut self, l: &mut Live, _scan: &Scan, event: Event, totals: &mut Totals) {
        let t = event.time_ms;
        self.mark(l, t);
        let purchase = event.kind == EventKind::Purchase;
        if purchase {
            l.bought = true;
            l.revenue += revenue(&event);
        }
        // After day N only purchases count.
        if t > l.first_ms + (f64::from(self.days) * DAY_MS) as u64 {
            return;
        }
        if l.profile.track(self.model, &event).is_err() {
            totals.out_of_order += 1;
            return;
        }
        totals.replayed += 1;
        let after = l.profile.snapshot(self.model, t);
        if let Some((visit, touch)) = l.visits.landing(&after, &event) {
            if touch.group != Group::Direct {
                l.last_non_direct = Some(touch.clone());
            }
            if visit == 1 {
                l.first = Some(touch);
            }
        }
        l.purchased |= purchase;
        if !l.purchased && l.sql_ms.is_none() && after.stage == Stage::Sql {
            l.sql_ms = Some(t);
        }
    }

    fn unknown(&mut self, l: &mut Live) {
        l.profile.count_unknown();
    }

    fn close(&mut self, _scan: &Scan, mut l: Live, _totals: &mut Totals) -> Lead {
        self.mark(&mut l, u64::MAX);
        Lead {
            visitor: l.visitor,
            first: l.first,
            last_non_direct: l.last_non_direct,
            scores: l.scores,
            stage: l.stage,
            sql_days: l.sql_ms.map(|t| (t - l.first_ms) as f64 / DAY_MS),
            bought: l.bought,
            revenue: l.revenue,
        }
    }

    fn absorb(&mut self, slot: usize, lead: Lead) {
        self.leads[slot] = Some(lead);
    }
}

/// Replays `path` through `model`, scoring each visitor up to `days` days after their first
/// event; bad rows are reported on stderr.
pub fn replay(
    path: &Path,
    format: Option<Format>,
    model: &Model,
    days: u32,
) -> Result<Leads, String> {
    let mut player = Replay {
        model,
        days,
        leads: Vec::new(),
        span_ms: (0, 0),
    };
    let (format, totals) = play_reporting(path, format, &mut player)?;
    Ok(Leads {
        format,
        leads: player.leads.into_iter().flatten().collect(),
        totals,
        span_ms: player.span_ms,
    })
}

/// What leads are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// GA4's default channel group.
    Channel,
    /// `utm_source / utm_medium`, or what GA4 infers (`google / organic`).
    SourceMedium,
    /// `utm_campaign`, or `(organic)`, `(referral)`, `(direct)`, `(not set)`.
    Campaign,
}

/// The group of a lead whose first visit had no `page_location`.
pub const NO_LANDING: &str = "(no landing page)";

impl By {
    /// The dimension's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            By::Channel => "channel",
            By::SourceMedium => "source / medium",
            By::Campaign => "campaign",
        }
    }

    /// The group a touch belongs to.
    pub fn key(self, touch: Option<&Touch>) -> String {
        match touch {
            None => NO_LANDING.into(),
            Some(t) => match self {
                By::Channel => t.group.name().into(),
                By::SourceMedium => t.source_medium(),
                By::Campaign => t.campaign.clone(),
            },
        }
    }

    /// A group name as a person typed it (a spend file), written as [`By::key`] writes it:
    /// channels by GA4's name in any case, `google/CPC` as `google / cpc`, campaigns lowercased.
    pub fn normalize(self, text: &str) -> Result<String, String> {
        let text = text.trim();
        match self {
            By::Channel => Group::from_name(text)
                .map(|g| g.name().into())
                .ok_or_else(|| {
                    format!(
                        "{text:?} is not a GA4 default channel group ({})",
                        Group::ALL.map(Group::name).join(", ")
                    )
                }),
            By::SourceMedium => match text.split_once('/') {
                Some((s, m)) if !s.trim().is_empty() && !m.trim().is_empty() => Ok(format!(
                    "{} / {}",
                    s.trim().to_ascii_lowercase(),
                    m.trim().to_ascii_lowercase()
                )),
                _ => Err(format!("{text:?} is not `source / medium`")),
            },
            By::Campaign if text.is_empty() => Err("is empty".into()),
            By::Campaign => Ok(text.to_ascii_lowercase()),
        }
    }
}
