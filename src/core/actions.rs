//! On-page nudges: which one, if any, to show this visitor now.
//!
//! The core decides; the browser adapter only schedules and renders (the quinn-proto shape):
//!
//! 1. after each tracked event, and when a timer it armed fires, the adapter calls
//!    [`decide`] with the time and what woke it ([`Trigger`]);
//! 2. a [`Decision`] is recorded with [`record`] in BOTH arms of its experiment: the control
//!    arm shows nothing (`show == false`) but counts against the same caps, so both arms go
//!    through the same sequence of decisions and their exposures are comparable;
//! 3. [`next_deadline`] says when to wake up to re-evaluate dwell-based rules, [`idle_after_ms`]
//!    and [`wants_exit_intent`] which other triggers to watch;
//! 4. after a `purchase`, [`conversions`] lists the experiments it converts.
//!
//! Rules are config data (the `actions` section), with defaults implementing the seeds' moves
//! (`config::actions::default_rules`). Everything a rule needs to remember lives in the profile's
//! [`NudgeMemory`](super::state::NudgeMemory), one bounded field of the [`Profile`].
//!
//! Policy, in one place:
//! - at most one nudge at a time: a recorded nudge is active until the page changes or the
//!   visitor dismisses it ([`dismiss`]), and at most `max_per_visit` nudges per visit overall;
//! - among the rules that hold, the highest `priority` wins, including one that only waits for
//!   its dwell time on this page: lower rules wait rather than pre-empt it;
//! - suppressed visitors (`opted_out` or `bounced`) get no promotional nudge, only
//!   non-promotional help (shipping, returns, sizes, payment, guest checkout, comparison): an
//!   email unsubscribe means "stop marketing to me", not "don't answer my questions";
//! - items and categories bought within `recent_purchase_days` are never the `{product}` of a
//!   promotional nudge; a promotional template that needs `{product}` and finds no other item
//!   does not fire;
//! - a visitor outside a rule's experiment (coverage, namespace, no visitor id) gets nothing
//!   from that rule, as GrowthBook gives excluded users the default experience.

use super::decimal::digits;
use super::event::{Event, EventKind};
use super::experiment::fnv32a;
use super::model::{Conditions, Kind, Model, Nudge, On, DAY_MS};
use super::score::Snapshot;
use super::state::{
    keep_last, live_mut, oldest, push, CheckoutStep, ExposureMemo, Profile, RuleMemo, MAX_PER_DAY,
    VIEWED,
};
use alloc::string::String;
use alloc::vec::Vec;

/// `dataLayer` event of an exposure (GrowthBook's GA4 convention).
pub const EXPOSURE_EVENT: &str = "experiment_viewed";
/// `dataLayer` event of a purchase by an exposed visitor.
pub const CONVERSION_EVENT: &str = "experiment_conversion";
// ---------------------------------------------------------------------------------------------
// Deciding.

/// What woke the adapter up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// An event was just tracked (a page view included).
    Event,
    /// A dwell timer armed from [`next_deadline`] fired.
    Dwell,
    /// No pointer, key, scroll or touch activity for `idle_ms`.
    Idle {
        /// How long the visitor has been idle, ms.
        idle_ms: u64,
    },
    /// The pointer left the viewport through the top (desktop).
    ExitIntent,
}

/// The moment of a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    /// Now, ms.
    pub now_ms: u64,
    /// What woke the adapter.
    pub trigger: Trigger,
}

/// An exposure to push: `{event: 'experiment_viewed', experiment_id, variation_id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exposure<'m> {
    /// The experiment key.
    pub experiment_id: &'m str,
    /// The variation index as text, as GrowthBook's default `result.key` ("0" is the control).
    pub variation_id: String,
    /// The variation's name.
    pub variant: &'m str,
}

/// The nudge to show now, or in a control arm, the nudge that would have been shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision<'m> {
    /// The move, which the store's code switches on (by default the rule's name).
    pub action: &'m str,
    /// How a generic renderer shows it.
    pub kind: Kind,
    /// The rule's name.
    pub rule: &'m str,
    /// The rule's index in the model's `actions.rules`.
    pub rule_index: usize,
    /// The experiment's key, when the rule runs in one.
    pub experiment: Option<&'m str>,
    /// The variation's name ("control", "treatment").
    pub variant: Option<&'m str>,
    /// The variation's index (0 is the control).
    pub variation: Option<usize>,
    /// The message, `{product}` filled in. Plain text: render it as text, never as HTML.
    pub message: String,
    /// The product it mentions or concerns: the most viewed item with a name.
    pub product: Option<String>,
    /// Why it fired, e.g. "stage sql, return visit, on a product page, 10 s on the page".
    pub reason: String,
    /// A promotion rather than help.
    pub promotional: bool,
    /// False in a control arm: log the exposure, record it, and show nothing.
    pub show: bool,
    /// The exposure to push, on the first decision of this experiment in this visit.
    pub exposure: Option<Exposure<'m>>,
}

/// A conversion to push: `{event: 'experiment_conversion', experiment_id, variation_id, value}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion<'m> {
    /// The experiment key.
    pub experiment_id: &'m str,
    /// The variation index as text.
    pub variation_id: String,
    /// The variation's name.
    pub variant: &'m str,
    /// The purchase value (`value`, or Σ price × quantity of its items).
    pub value: f64,
}

/// A visitor's arm in one experiment, for `state().experiments`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arm<'m> {
    /// The experiment key.
    pub experiment: &'m str,
    /// The variation's name.
    pub variant: &'m str,
    /// The variation's index.
    pub variation: usize,
    /// Whether the visitor has been exposed (in either arm) within the attribution window.
    pub exposed: bool,
}

fn within(t: u64, since: u64, window_ms: u64) -> bool {
    since <= t && t - since <= window_ms
}

fn variation_text(variation: usize) -> String {
    super::decimal::decimal(variation as u64)
}

/// How a rule stands at a moment.
enum Status<'m> {
    /// It cannot fire now, nor by waiting on this page.
    Blocked,
    /// It fires now, by this alternative.
    Ready(&'m Conditions),
    /// It would fire at this time; `dwell_only` when nothing but dwell time is missing.
    Pending { at_ms: u64, dwell_only: bool },
}

struct Facts<'a> {
    profile: &'a Profile,
    model: &'a Model,
    snap: Snapshot,
    now_ms: u64,
}

impl Facts<'_> {
    fn cart_filled(&self) -> bool {
        self.profile.cart().iter().any(|l| {
            l.quantity > 0.0 && within(self.now_ms, l.added_ms, self.model.value_window_ms)
        })
    }

    /// Every condition but dwell.
    fn holds(&self, c: &Conditions) -> bool {
        let v = &self.profile.visit;
        let s = &self.snap;
        let page_in = |pages: &[u8]| v.page_type().is_some_and(|p| super::text::has(pages, p));
        (c.stages == 0 || c.stages & 1 << s.stage as u8 != 0)
            && (c.intents == 0 || c.intents & 1 << s.intent as u8 != 0)
            && c.suppressed.is_none_or(|want| s.suppressed() == want)
            && (c.pages.is_empty() || page_in(&c.pages))
            && !page_in(&c.not_pages)
            && (c.viewed == 0 || v.flags & c.viewed != 0)
            && (c.abandoned == 0 || abandoned_bit(self.profile.abandoned) & c.abandoned != 0)
            && v.variant_switches >= c.variant_switches
            && c.cart.is_none_or(|want| self.cart_filled() == want)
            && c.high_value.is_none_or(|want| s.high_value == want)
            && c.min_value.is_none_or(|min| s.value >= min)
            && c.return_visit.is_none_or(|want| (v.index > 1) == want)
    }

    /// The named item a nudge is about. A recently bought item is never named; for promotions,
    /// neither is anything in a recently bought category.
    fn product(&self, promotional: bool) -> Option<&str> {
        let excluded = |key: u64, category: u64| {
            self.profile
                .recent_purchases(self.model, self.now_ms)
                .any(|p| {
                    p.key == key
                        || (promotional && p.category_key != 0 && p.category_key == category)
                })
        };
        // The most viewed, then most recently seen (the last of equals).
        let mut best: Option<((u32, u64), &str)> = None;
        for (key, m) in self.profile.items() {
            let Some(name) = self.profile.name_of(key) else {
                continue;
            };
            let rank = (m.view_count, m.last_seen_ms);
            if !excluded(key, m.category) && best.is_none_or(|(b, _)| rank >= b) {
                best = Some((rank, name));
            }
        }
        best.map(|(_, name)| name)
    }

    /// Why alternative `c` holds, in words.
    fn reason(&self, rule: &Nudge, c: &Conditions) -> String {
        let v = &self.profile.visit;
        let s = &self.snap;
        // The parts, joined by ", " as they come; each is `pre`, `mid`, `post` (none is empty,
        // so an empty `out` means no part yet). Numbers print into `n`, without a `String`.
        let mut out = String::new();
        let mut part = |pre: &str, mid: &str, post: &str| {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(pre);
            out.push_str(mid);
            out.push_str(post);
        };
        let mut n = [0u8; 20];
        match rule.on {
            On::ExitIntent => part("exit intent", "", ""),
            On::Idle(ms) => part("idle ", digits(ms / 1000, &mut n), " s"),
            On::Page => {}
        }
        if c.stages != 0 {
            part("stage ", s.stage.name(), "");
        }
        if c.intents != 0 {
            part(s.intent.name(), " intent", "");
        }
        if let Some(want) = c.suppressed {
            part(if want { "suppressed" } else { "not suppressed" }, "", "");
        }
        if !c.pages.is_empty() {
            let page = v.page_type().map_or("", |p| self.model.page_type_name(p));
            part("on a ", page, " page");
        }
        if c.viewed != 0 {
            if let Some((name, _)) = VIEWED.iter().find(|(_, bit)| v.flags & c.viewed & bit != 0) {
                part("viewed ", name, " this visit");
            }
        }
        if c.abandoned != 0 {
            part("checkout abandoned at ", self.profile.abandoned.name(), "");
        }
        if c.variant_switches > 0 {
            let switches = digits(v.variant_switches.into(), &mut n);
            part(switches, " variant switches", "");
        }
        if let Some(want) = c.cart {
            part(
                if want {
                    "items in the cart"
                } else {
                    "empty cart"
                },
                "",
                "",
            );
        }
        if let Some(want) = c.high_value {
            part(if want { "high value" } else { "not high value" }, "", "");
        }
        if c.min_value.is_some() {
            let value = s.value.max(0.0).min(u32::MAX as f64) as u64;
            part("value ", digits(value, &mut n), "");
        }
        if let Some(want) = c.return_visit {
            part(if want { "return visit" } else { "first visit" }, "", "");
        }
        if c.dwell_ms > 0 {
            part(digits(c.dwell_ms / 1000, &mut n), " s on the page", "");
        }
        out
    }

    fn status<'m>(&self, rule: &'m Nudge, trigger: Trigger) -> Status<'m> {
        let mem = &self.profile.nudges;
        if !rule.enabled || (rule.promotional && self.snap.suppressed()) {
            return Status::Blocked;
        }
        let fires = match (rule.on, trigger) {
            (On::Page, _) | (On::ExitIntent, Trigger::ExitIntent) => true,
            (On::Idle(need), Trigger::Idle { idle_ms }) => idle_ms >= need,
            _ => false,
        };
        if !fires {
            return Status::Blocked;
        }
        let visit = self.profile.visit.index;
        let mut ready_ms = 0;
        if let Some(m) = mem.rule(rule.key) {
            if rule.max_per_visit > 0
                && m.visit == visit
                && u32::from(m.in_visit) >= rule.max_per_visit
            {
                return Status::Blocked;
            }
            if rule.max_per_visitor > 0 && u32::from(m.total) >= rule.max_per_visitor {
                return Status::Blocked;
            }
            if rule.cooldown_ms > 0 {
                ready_ms = m.last_ms.saturating_add(rule.cooldown_ms);
            }
            // Shows in the last 24 hours: how many, and the first (oldest) of them.
            let day = DAY_MS as u64;
            let (mut today, mut first) = (0, 0);
            for &t in m.recent() {
                if within(self.now_ms, t, day - 1) {
                    first = if today == 0 { t } else { first };
                    today += 1;
                }
            }
            if rule.max_per_day > 0 && today >= rule.max_per_day {
                ready_ms = ready_ms.max(first + day);
            }
        }
        let page_ms = self.profile.visit.page_started_ms;
        // The alternative that holds soonest (the first of equals).
        let mut best: Option<(u64, &Conditions)> = None;
        for c in &rule.when {
            let at_ms = page_ms.saturating_add(c.dwell_ms).max(ready_ms);
            if self.holds(c) && best.is_none_or(|(b, _)| at_ms < b) {
                best = Some((at_ms, c));
            }
        }
        let Some((at_ms, alternative)) = best else {
            return Status::Blocked;
        };
        if super::text::contains(&rule.message, "{product}")
            && self.product(rule.promotional).is_none()
        {
            return Status::Blocked;
        }
        if let Some(e) = rule.experiment {
            let exp = self.model.experiments.get(e);
            if exp
                .and_then(|x| x.assign(self.profile.visitor_id()))
                .is_none()
            {
                return Status::Blocked;
            }
        }
        if at_ms <= self.now_ms {
            Status::Ready(alternative)
        } else if rule.on == On::Page {
            Status::Pending {
                at_ms,
                dwell_only: ready_ms <= self.now_ms,
            }
        } else {
            Status::Blocked
        }
    }

    /// False when nothing may be shown now whatever the rules: off, no visit yet, a nudge
    /// active on this page, or the visit's cap reached.
    fn open(&self) -> bool {
        let actions = &self.model.actions;
        let mem = &self.profile.nudges;
        let visit = self.profile.visit.index;
        let shown = if mem.visit == visit {
            u32::from(mem.shown_in_visit)
        } else {
            0
        };
        actions.enabled
            && visit > 0
            && mem.active_on(self.profile).is_none()
            && (actions.max_per_visit == 0 || shown < actions.max_per_visit)
    }
}

/// The bit of an abandoned checkout step in [`Conditions::abandoned`] (0 for none).
fn abandoned_bit(step: CheckoutStep) -> u8 {
    match step.0 {
        1..=3 => 1 << (step.0 - 1),
        _ => 0,
    }
}

fn facts<'a>(profile: &'a Profile, model: &'a Model, now_ms: u64) -> Facts<'a> {
    Facts {
        profile,
        model,
        snap: profile.snapshot(model, now_ms),
        now_ms,
    }
}

/// The nudge to show now, if any (in a control arm, the one that would have been shown).
///
/// Pure: call [`record`] with the decision, in both arms, once it is delivered.
pub fn decide<'m>(profile: &Profile, model: &'m Model, ctx: &Context) -> Option<Decision<'m>> {
    let f = facts(profile, model, ctx.now_ms);
    if !f.open() {
        return None;
    }
    for (index, rule) in model.actions.rules.iter().enumerate() {
        let alternative = match f.status(rule, ctx.trigger) {
            Status::Ready(alternative) => alternative,
            // A higher-priority rule only waiting for its dwell time keeps its turn.
            Status::Pending {
                dwell_only: true, ..
            } => return None,
            _ => continue,
        };
        let product = f.product(rule.promotional);
        let message = match product {
            Some(name) => super::text::replace(&rule.message, "{product}", name),
            None => rule.message.clone(),
        };
        let assignment = rule.experiment.and_then(|e| {
            let exp = model.experiments.get(e)?;
            exp.assign(profile.visitor_id()).map(|a| (exp, a))
        });
        let exposure = assignment.and_then(|(exp, a)| {
            let seen = profile
                .nudges
                .exposure(fnv32a(&exp.key))
                .is_some_and(|m| m.visit == profile.visit.index);
            (!seen).then(|| Exposure {
                experiment_id: &exp.key,
                variation_id: variation_text(a.variation),
                variant: a.name,
            })
        });
        return Some(Decision {
            action: &rule.action,
            kind: rule.kind,
            rule: &rule.name,
            rule_index: index,
            experiment: assignment.map(|(exp, _)| exp.key.as_str()),
            variant: assignment.map(|(_, a)| a.name),
            variation: assignment.map(|(_, a)| a.variation),
            message,
            product: product.map(String::from),
            reason: f.reason(rule, alternative),
            promotional: rule.promotional,
            show: assignment.is_none_or(|(_, a)| !a.in_control),
            exposure,
        });
    }
    None
}

/// Records a decision as delivered at `now_ms` (shown, or in a control arm, not shown): it
/// counts against the caps, becomes the active nudge of this page, and logs the exposure.
pub fn record(profile: &mut Profile, model: &Model, decision: &Decision, now_ms: u64) {
    let arm = decision.experiment.zip(decision.variation);
    record_rule(profile, model, decision.rule_index, arm, now_ms);
}

/// [`record`] of rule `rule_index`, in `arm` (experiment key and variation) when it has one.
pub fn record_rule(
    profile: &mut Profile,
    model: &Model,
    rule_index: usize,
    arm: Option<(&str, usize)>,
    now_ms: u64,
) {
    let Some(rule) = model.actions.rules.get(rule_index) else {
        return;
    };
    let visit = profile.visit.index;
    let page_ms = profile.visit.page_started_ms;
    let mem = &mut profile.nudges;
    if mem.visit != visit {
        mem.visit = visit;
        mem.shown_in_visit = 0;
    }
    mem.shown_in_visit = mem.shown_in_visit.saturating_add(1);
    let at = match mem.rules().iter().position(|m| m.key == rule.key) {
        Some(i) => i,
        None => {
            let fresh = RuleMemo {
                key: rule.key,
                ..RuleMemo::default()
            };
            let evict = oldest(&mem.rules, |m| m.last_ms);
            push(&mut mem.rules, &mut mem.n_rules, fresh, evict)
        }
    };
    let Some(m) = mem.rules.get_mut(at) else {
        return;
    };
    if m.visit != visit {
        m.visit = visit;
        m.in_visit = 0;
    }
    m.in_visit = m.in_visit.saturating_add(1);
    m.total = m.total.saturating_add(1);
    m.last_ms = m.last_ms.max(now_ms);
    // The latest `max_per_day` show times, oldest first.
    let keep = (rule.max_per_day as usize).min(m.recent.len());
    let n = m.recent().len();
    if keep > 0 {
        if n < keep {
            m.recent[n] = now_ms;
            m.n_recent = n as u8 + 1;
        } else {
            keep_last(&mut m.recent, n, keep - 1);
            m.recent[keep - 1] = now_ms;
            m.n_recent = keep as u8;
        }
    } else {
        m.recent = [0; MAX_PER_DAY as usize];
        m.n_recent = 0;
    }
    mem.has_active = 1;
    mem.active_rule = rule.key;
    mem.active_visit = visit;
    mem.active_page_ms = page_ms;
    if let Some((key, variation)) = arm {
        let key = fnv32a(key);
        let memo = ExposureMemo {
            key,
            variation: variation.min(u8::MAX as usize) as u8,
            visit,
            last_ms: now_ms,
            _pad: [0; 7],
        };
        match live_mut(&mut mem.exposures, mem.n_exposures)
            .iter_mut()
            .find(|m| m.key == key)
        {
            Some(m) => *m = memo,
            None => {
                let evict = oldest(&mem.exposures, |m| m.last_ms);
                push(&mut mem.exposures, &mut mem.n_exposures, memo, evict);
            }
        }
    }
}

/// The visitor closed the active nudge: others may follow on this page.
pub fn dismiss(profile: &mut Profile) {
    let mem = &mut profile.nudges;
    mem.has_active = 0;
    mem.active_rule = 0;
    mem.active_visit = 0;
    mem.active_page_ms = 0;
}

/// The name of the nudge active on the current page, if any.
pub fn active<'m>(profile: &Profile, model: &'m Model) -> Option<&'m str> {
    let key = profile.nudges.active_on(profile)?;
    model
        .actions
        .rules
        .iter()
        .find(|r| r.key == key)
        .map(|r| r.name.as_str())
}

/// When to re-evaluate: the earliest time after `now_ms` at which a page rule that holds now
/// would fire (its dwell time, cooldown or daily cap running out). Call it after [`decide`]
/// (and [`record`]); `None` means nothing to wait for until the next event, dismissal or page.
pub fn next_deadline(profile: &Profile, model: &Model, now_ms: u64) -> Option<u64> {
    let f = facts(profile, model, now_ms);
    if !f.open() {
        return None;
    }
    let mut next = None;
    for rule in &model.actions.rules {
        if let Status::Pending { at_ms, .. } = f.status(rule, Trigger::Dwell) {
            if at_ms > now_ms && next.is_none_or(|n| at_ms < n) {
                next = Some(at_ms);
            }
        }
    }
    next
}

/// Whether a nudge could be decided now: the caps leave room and one alternative of an enabled
/// rule holds (its dwell, trigger and per-rule caps aside). When it is false, [`decide`] returns
/// `None` and [`next_deadline`] `None` for every trigger, so the browser loads the nudge engine
/// only once it is true.
pub fn may_nudge(profile: &Profile, model: &Model, now_ms: u64) -> bool {
    may_nudge_at(profile, model, now_ms, profile.snapshot(model, now_ms))
}

/// [`may_nudge`] with the snapshot at `now_ms` already taken.
pub fn may_nudge_at(profile: &Profile, model: &Model, now_ms: u64, snap: Snapshot) -> bool {
    let f = Facts {
        profile,
        model,
        snap,
        now_ms,
    };
    f.open()
        && model.actions.rules.iter().any(|r| {
            r.enabled
                && !(r.promotional && f.snap.suppressed())
                && r.when.iter().any(|c| f.holds(c))
        })
}

/// The shortest idle time, ms, that an enabled idle rule waits for: arm an idle watcher for it.
pub fn idle_after_ms(model: &Model) -> Option<u64> {
    let mut least = None;
    for r in &model.actions.rules {
        if let (On::Idle(ms), true) = (r.on, r.enabled && model.actions.enabled) {
            if least.is_none_or(|l| ms < l) {
                least = Some(ms);
            }
        }
    }
    least
}

/// Whether an enabled rule fires on exit intent: watch for it only then.
pub fn wants_exit_intent(model: &Model) -> bool {
    model.actions.enabled
        && model
            .actions
            .rules
            .iter()
            .any(|r| r.enabled && r.on == On::ExitIntent)
}

/// The conversions a tracked `purchase` makes: one per experiment the visitor was exposed to
/// within the attribution window before it. Empty for any other event.
pub fn conversions<'m>(
    profile: &Profile,
    model: &'m Model,
    purchase: &Event,
) -> Vec<Conversion<'m>> {
    if purchase.kind != EventKind::Purchase {
        return Vec::new();
    }
    let value = purchase.value_or_items();
    let t = purchase.time_ms;
    let mut out = Vec::new();
    for exp in &model.experiments {
        let Some(m) = profile.nudges.exposure(fnv32a(&exp.key)) else {
            continue;
        };
        let variation = usize::from(m.variation);
        match exp.variations.get(variation) {
            Some(variant) if within(t, m.last_ms, model.actions.attribution_ms) => {
                out.push(Conversion {
                    experiment_id: &exp.key,
                    variation_id: variation_text(variation),
                    variant,
                    value,
                })
            }
            _ => {}
        }
    }
    out
}

/// The visitor's arm in every experiment they are included in (sticky: a hash of their id).
pub fn arms<'m>(profile: &Profile, model: &'m Model, now_ms: u64) -> Vec<Arm<'m>> {
    let mut out = Vec::new();
    for exp in &model.experiments {
        let Some(a) = exp.assign(profile.visitor_id()) else {
            continue;
        };
        let exposed = profile
            .nudges
            .exposure(fnv32a(&exp.key))
            .is_some_and(|m| within(now_ms, m.last_ms, model.actions.attribution_ms));
        out.push(Arm {
            experiment: &exp.key,
            variant: a.name,
            variation: a.variation,
            exposed,
        });
    }
    out
}
