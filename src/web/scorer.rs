//! The one scorer of the page: the model, the visitor's profile, and what keeps that profile in
//! step with storage and with other tabs. Apart from `localStorage` (through `Store`) nothing
//! here touches the page: effects go to an `Outbox`, sent once the scorer is free.
//!
//! Multi-tab: every operation of this tab gets a sequence number and stays in `pending` until
//! a stored profile is known to include it. When another tab's profile turns up (the `storage`
//! event, or a read before writing), this tab adopts it and re-applies the operations the
//! other tab's clock says it lacks. The core is deterministic and on-site events are clamped in
//! time, so nothing is lost or counted twice.

use super::consent::Consent;
use super::dispatch::{set, Notice, Outbox};
use super::log::Warn;
use super::nudges::{Delivery, Plan};
use super::storage::{self, Clock, Store};
use crate::core::actions::{self, Context, Decision, Trigger};
use crate::core::identify::Facts;
use crate::core::{visit, Event, EventKind, Intent, Model, Profile, Runtime, Stage};
use gloo_timers::callback::Timeout;
use js_sys::Object;
use std::collections::VecDeque;
use std::string::String;
use wasm_bindgen::JsValue;

/// Operations kept for re-applying; beyond this, the oldest are dropped.
const MAX_PENDING: usize = 256;
/// A Shopify event this close (ms) to a data-layer event of the same kind is one action seen
/// twice (a store with both GA4 and Shopify's storefront events).
const SAME_ACTION_MS: u64 = 2_000;

/// Where an event came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// `track()`.
    Api,
    /// The GA4 data layer.
    DataLayer,
    /// Shopify's storefront events.
    Shopify,
    /// A page load or SPA navigation.
    Page,
    /// A back-forward cache restore: counted even on the same path.
    Restore,
    /// A click on a `data-intent` element.
    Click,
    /// A Shopify custom pixel's inbox (checkout events).
    Pixel,
}

/// What this tab did to the profile, kept until a stored profile includes it.
enum Op {
    Event(Event),
    Identify(Facts, u64),
    /// A nudge decision recorded: rule index, variation, time.
    Nudge(usize, Option<usize>, u64),
    /// The visitor closed the nudge.
    Dismiss,
}

/// Records again a nudge decision of this tab on another tab's profile.
fn record_again(
    profile: &mut Profile,
    model: &Model,
    rule: usize,
    variation: Option<usize>,
    at: u64,
) {
    let Some(r) = model.actions.rules.get(rule) else {
        return;
    };
    let decision = Decision {
        action: &r.action,
        kind: r.kind,
        rule: &r.name,
        rule_index: rule,
        experiment: r
            .experiment
            .and_then(|e| model.experiments.get(e))
            .map(|e| e.key.as_str()),
        variant: None,
        variation,
        message: String::new(),
        product: None,
        reason: String::new(),
        promotional: r.promotional,
        show: false,
        exposure: None,
    };
    actions::record(profile, model, &decision, at);
}

/// `{event, experiment_id, variation_id}`, the entry of an exposure or conversion.
fn experiment_entry(event: &str, experiment_id: &str, variation_id: &str) -> Object {
    let entry = Object::new();
    set(&entry, "event", &event.into());
    set(&entry, "experiment_id", &experiment_id.into());
    set(&entry, "variation_id", &variation_id.into());
    entry
}

/// The `detail` of `shopper-intent:action`.
fn action_detail(d: &Decision) -> JsValue {
    let text = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from);
    let o = Object::new();
    set(&o, "action", &d.action.into());
    set(&o, "kind", &d.kind.name().into());
    set(&o, "rule", &d.rule.into());
    set(&o, "experiment", &text(d.experiment));
    set(&o, "variant", &text(d.variant));
    set(&o, "message", &d.message.as_str().into());
    set(&o, "product", &text(d.product.as_deref()));
    set(&o, "reason", &d.reason.as_str().into());
    o.into()
}

/// Score, stage and intent as last announced.
type Announced = (f64, Stage, Intent);

/// The page's scorer.
pub(crate) struct Scorer {
    /// The compiled scoring model.
    pub model: Model,
    /// The config's `runtime` section.
    pub runtime: Runtime,
    /// This visitor.
    pub profile: Profile,
    /// The consent signals seen on this page.
    pub consent: Consent,
    /// Where the profile is kept.
    pub store: Store,
    /// Which `start()` this is; hooks of an earlier one stay inert.
    pub gen: u32,
    /// The pending save, if any (dropped = cancelled).
    pub save_timer: Option<Timeout>,
    /// `{watchDataLayer, watchHistory}` from the loader.
    pub shims: JsValue,
    /// The data layer array being watched.
    pub data_layer: JsValue,
    /// A save timer is set and has not fired yet.
    timer_running: bool,
    /// This tab's id in storage clocks.
    tab: String,
    /// Sequence number of this tab's last operation.
    seq: u32,
    /// This tab's operations not known to be stored, with their sequence numbers.
    pending: VecDeque<(u32, Op)>,
    /// The clock of the profile this one is built on.
    clock: Clock,
    /// The entry last read from or written to storage.
    synced: Option<String>,
    /// `synced` is this tab's own write.
    synced_ours: bool,
    /// `seq` at this tab's last write.
    written_seq: u32,
    /// The profile has changes not in storage.
    dirty: bool,
    /// Another tab deleted the entry: write again only after a new consent signal here or a
    /// write from another tab.
    paused: bool,
    /// `document.referrer`, for the first page view of this page load.
    referrer: Option<String>,
    /// Path of the last page view counted on this page.
    last_path: Option<String>,
    /// The last few data layer and Shopify events, to see one action reported by both.
    recent: [(Option<EventKind>, Source, u64); 4],
    recent_at: usize,
    /// What listeners were last told.
    last: Announced,
    /// Inside `start()`: changes are announced once, at its end.
    starting: bool,
}

fn announced(profile: &Profile, model: &Model, t: u64) -> Announced {
    let s = profile.snapshot(model, t);
    (s.score, s.stage, s.intent)
}

impl Scorer {
    /// A scorer for a new, unknown visitor; storage is read once consent allows it.
    pub fn new(
        model: Model,
        runtime: Runtime,
        gen: u32,
        referrer: String,
        out: &mut Outbox,
    ) -> Scorer {
        let profile = Profile::new(storage::random_hex(16));
        let store = Store::open(&runtime.storage_key, out);
        let consent = Consent::new(runtime.require_consent);
        let last = announced(&profile, &model, 0);
        Scorer {
            model,
            profile,
            store,
            consent,
            gen,
            save_timer: None,
            shims: JsValue::UNDEFINED,
            data_layer: JsValue::UNDEFINED,
            timer_running: false,
            tab: storage::random_hex(4),
            seq: 0,
            pending: VecDeque::new(),
            clock: Clock::default(),
            synced: None,
            synced_ours: false,
            written_seq: 0,
            dirty: false,
            paused: false,
            referrer: (!referrer.is_empty()).then_some(referrer),
            last_path: None,
            recent: [(None, Source::Api, 0); 4],
            recent_at: 0,
            last,
            starting: true,
            runtime,
        }
    }

    /// `now_ms` clamped so that time never runs backwards for this visitor.
    pub fn clamp(&self, now_ms: u64) -> u64 {
        now_ms.max(self.profile.last_site_ms.unwrap_or(0))
    }

    /// The profile is kept on the device (consent, storage available, not paused).
    pub fn persists(&self) -> bool {
        self.consent.allowed() && !self.paused && self.store.writable()
    }

    /// Applies an event; returns the signals fired, 0 when ignored, -1 when refused.
    pub fn apply(&mut self, mut event: Event, source: Source, out: &mut Outbox) -> i32 {
        let t = self.clamp(event.time_ms);
        event.time_ms = t;
        if event.kind == EventKind::PageView {
            // One page view per path per navigation, whoever reports it (us, GA4, Shopify).
            let path: String = visit::path_of(event.page_location.as_deref().unwrap_or("/")).into();
            if source != Source::Restore && self.last_path.as_deref() == Some(path.as_str()) {
                return 0;
            }
            self.last_path = Some(path);
            if let Some(r) = self.referrer.take() {
                event.page_referrer.get_or_insert(r);
            }
        } else if self.same_action(event.kind, source, t) {
            return 0;
        }
        match self.profile.track(&self.model, &event) {
            Ok(fired) => {
                if event.kind == EventKind::Purchase {
                    self.converted(&event, out);
                }
                if !self.starting {
                    out.page |= event.kind == EventKind::PageView;
                    out.decide = Some(Trigger::Event);
                }
                self.log(Op::Event(event));
                self.changed(t, out);
                fired as i32
            }
            Err(e) => {
                out.warn(Warn::Event, || e.to_string());
                -1
            }
        }
    }

    /// A purchase: one `experiment_conversion` per experiment it converts.
    fn converted(&self, purchase: &Event, out: &mut Outbox) {
        for c in actions::conversions(&self.profile, &self.model, purchase) {
            let entry =
                experiment_entry(actions::CONVERSION_EVENT, c.experiment_id, &c.variation_id);
            set(&entry, "value", &c.value.into());
            self.queue(entry, out);
        }
    }

    /// Queues our own data layer entry (and its beacon, when configured).
    fn queue(&self, entry: Object, out: &mut Outbox) {
        if let Some(url) = &self.runtime.beacon_url {
            out.beacons.push((url.clone(), entry.clone()));
        }
        out.pushes.push((self.runtime.data_layer.clone(), entry));
    }

    /// Decides on a nudge now and records the decision (in both arms); the exposure is
    /// queued, the delivery and the next deadline are left to the caller.
    pub fn nudge(&mut self, trigger: Trigger, now_ms: u64, out: &mut Outbox) -> Plan {
        let t = self.clamp(now_ms);
        let ctx = Context { now_ms: t, trigger };
        let mut delivery = None;
        if let Some(d) = actions::decide(&self.profile, &self.model, &ctx) {
            if let Some(x) = &d.exposure {
                let entry =
                    experiment_entry(actions::EXPOSURE_EVENT, x.experiment_id, &x.variation_id);
                self.queue(entry, out);
            }
            if d.show {
                delivery = Some(Delivery {
                    kind: d.kind,
                    message: d.message.clone(),
                    detail: action_detail(&d),
                });
            }
            actions::record(&mut self.profile, &self.model, &d, t);
            let (rule, variation) = (d.rule_index, d.variation);
            self.log(Op::Nudge(rule, variation, t));
            self.dirty = true;
            self.schedule_save(out);
        }
        Plan {
            gen: self.gen,
            now_ms: t,
            delivery,
            deadline: actions::next_deadline(&self.profile, &self.model, t),
        }
    }

    /// The visitor closed the nudge.
    pub fn dismiss(&mut self, out: &mut Outbox) {
        actions::dismiss(&mut self.profile);
        self.log(Op::Dismiss);
        self.dirty = true;
        self.schedule_save(out);
    }

    /// An event the store's code names but the model does not know: counted, ignored.
    pub fn unknown(&mut self) {
        self.profile.count_unknown();
    }

    /// True when the other adapter (data layer or Shopify) reported this kind just before.
    fn same_action(&mut self, kind: EventKind, source: Source, t: u64) -> bool {
        let other = match source {
            Source::DataLayer => Source::Shopify,
            Source::Shopify => Source::DataLayer,
            _ => return false,
        };
        let twice = self.recent.iter().any(|&(k, s, at)| {
            k == Some(kind) && s == other && t.saturating_sub(at) <= SAME_ACTION_MS
        });
        if !twice {
            self.recent[self.recent_at] = (Some(kind), source, t);
            self.recent_at = (self.recent_at + 1) % self.recent.len();
        }
        twice
    }

    /// Applies a server report (`identify()`); returns the signals fired.
    pub fn identify(&mut self, facts: Facts, now_ms: u64, out: &mut Outbox) -> i32 {
        let t = self.clamp(now_ms);
        let before = self.profile.identified.clone();
        let fired = self.profile.identify(&self.model, &facts, t);
        if fired > 0 || self.profile.identified != before {
            self.log(Op::Identify(facts, t));
            self.changed(t, out);
        }
        fired as i32
    }

    fn log(&mut self, op: Op) {
        self.seq = self.seq.wrapping_add(1);
        if self.pending.len() >= MAX_PENDING {
            self.pending.pop_front();
        }
        self.pending.push_back((self.seq, op));
    }

    /// After a change: a save is due, and listeners hear about it.
    fn changed(&mut self, t: u64, out: &mut Outbox) {
        self.dirty = true;
        self.schedule_save(out);
        if !self.starting {
            self.announce(t, out);
        }
    }

    fn schedule_save(&mut self, out: &mut Outbox) {
        if self.dirty && !self.timer_running && self.persists() {
            self.timer_running = true;
            out.save_in = Some(self.runtime.save_delay_ms);
        }
    }

    /// The save timer fired.
    pub fn save_timer_fired(&mut self) {
        self.timer_running = false;
    }

    /// Queues `score`, `stage` and `intent` notices for what changed since the last ones.
    fn announce(&mut self, t: u64, out: &mut Outbox) {
        let now @ (score, stage, intent) = announced(&self.profile, &self.model, t);
        let (was_score, was_stage, was_intent) = std::mem::replace(&mut self.last, now);
        let mut notice = |kind, previous: JsValue| {
            out.notices.push(Notice {
                kind,
                previous,
                score,
                stage,
                intent,
            })
        };
        if score != was_score {
            notice("score", was_score.into());
        }
        if stage != was_stage {
            notice("stage", was_stage.name().into());
            if self.runtime.stage_to_data_layer {
                out.data_layer = Some(self.runtime.data_layer.clone());
            }
        }
        if intent != was_intent {
            notice("intent", was_intent.name().into());
        }
    }

    /// Start is over: from now on changes are announced as they happen.
    pub fn started(&mut self, now_ms: u64, out: &mut Outbox) {
        self.starting = false;
        self.announce(self.clamp(now_ms), out);
    }

    /// Builds on the profile in `entry` (another tab's, or this visitor's from an earlier
    /// page): re-applies this tab's operations it lacks. False when the entry is unreadable.
    fn adopt(&mut self, entry: String, now_ms: u64, out: &mut Outbox) -> bool {
        let (clock, body) = storage::split(&entry);
        let mut profile = match Profile::decode(body) {
            Ok(p) => p,
            Err(e) => {
                out.warn(Warn::State, || {
                    ["the stored profile was replaced: ", &e.to_string()].concat()
                });
                self.dirty = true;
                return false;
            }
        };
        if profile.visitor_id.is_empty() {
            profile.visitor_id = std::mem::take(&mut self.profile.visitor_id);
        }
        let included = clock.get(&self.tab);
        self.pending.retain(|(seq, _)| *seq > included);
        if self.starting {
            // Changes made on this page are announced against the stored state.
            self.last = announced(&profile, &self.model, self.clamp(now_ms));
        }
        for (_, op) in self.pending.iter_mut() {
            match op {
                Op::Event(e) => {
                    e.time_ms = e.time_ms.max(profile.last_site_ms.unwrap_or(0));
                    let _ = profile.track(&self.model, e);
                }
                Op::Identify(facts, t) => {
                    profile.identify(&self.model, facts, *t);
                }
                Op::Nudge(rule, variation, t) => {
                    record_again(&mut profile, &self.model, *rule, *variation, *t);
                }
                Op::Dismiss => actions::dismiss(&mut profile),
            }
        }
        self.profile = profile;
        self.dirty = !self.pending.is_empty();
        self.clock = clock;
        self.synced = Some(entry);
        self.synced_ours = false;
        if !self.starting {
            self.announce(self.clamp(now_ms), out);
        }
        true
    }

    /// Reads the stored profile (consent was just given, or a back-forward restore).
    pub fn load(&mut self, now_ms: u64, out: &mut Outbox) {
        if !self.consent.allowed() {
            return;
        }
        match self.store.read() {
            Some(entry) if self.synced.as_deref() != Some(entry.as_str()) => {
                self.adopt(entry, now_ms, out);
            }
            Some(_) => {}
            None => self.dirty = true,
        }
        self.schedule_save(out);
    }

    /// Writes the profile when it changed, on top of whatever another tab stored meanwhile.
    pub fn save(&mut self, now_ms: u64, out: &mut Outbox) {
        if !self.persists() {
            return;
        }
        match self.store.read() {
            Some(current) if self.synced.as_deref() != Some(current.as_str()) => {
                self.adopt(current, now_ms, out);
            }
            // Our last write is still there after a save delay: it included these.
            Some(_) if self.synced_ours => {
                let written = self.written_seq;
                self.pending.retain(|(seq, _)| *seq > written);
            }
            _ => {}
        }
        if !self.dirty {
            return;
        }
        self.clock.set(&self.tab, self.seq);
        let entry = storage::join(&self.clock, &self.profile.encode());
        if self.store.write(&entry, out) {
            self.synced = Some(entry);
            self.synced_ours = true;
            self.written_seq = self.seq;
            self.dirty = false;
        }
    }

    /// The `storage` event: another tab wrote `value`, or deleted the entry (`None`).
    pub fn other_tab_wrote(&mut self, value: Option<String>, now_ms: u64, out: &mut Outbox) {
        if !self.consent.allowed() {
            return;
        }
        match value {
            Some(entry) if self.synced.as_deref() != Some(entry.as_str()) => {
                // A tab that writes has consent: this one may write again too.
                self.paused = false;
                self.adopt(entry, now_ms, out);
                self.schedule_save(out);
            }
            Some(_) => {}
            None => {
                // Reset or consent withdrawn in another tab: forget the visitor here as well.
                self.forget_visitor();
                out.stop = true;
                self.paused = true;
                self.announce(self.clamp(now_ms), out);
            }
        }
    }

    /// A new, unknown visitor in memory.
    fn forget_visitor(&mut self) {
        self.profile = Profile::new(storage::random_hex(16));
        self.pending.clear();
        self.clock = Clock::default();
        self.synced = None;
        self.synced_ours = false;
        self.dirty = false;
    }

    /// Deletes the stored entry; the profile stays in memory for the page.
    fn delete_stored(&mut self) {
        self.store.remove();
        self.synced = None;
        self.synced_ours = false;
        self.dirty = true;
    }

    /// Applies a consent signal (`update` returns true when it grants): reads storage when
    /// storing becomes allowed, and deletes the entry at once on a refusal.
    pub fn consent_changed(
        &mut self,
        update: impl FnOnce(&mut Consent) -> bool,
        now_ms: u64,
        out: &mut Outbox,
    ) {
        let was = self.consent.allowed();
        let was_refused = self.consent.refused();
        let granted = update(&mut self.consent);
        if self.consent.refused() {
            self.delete_stored();
            // Withdrawn: no nudge stays, no timer runs on.
            out.stop |= !was_refused;
        }
        let allowed = self.consent.allowed();
        if allowed && (!was || (granted && self.paused)) {
            self.paused = false;
            self.load(now_ms, out);
        }
    }

    /// `reset()`: forgets this visitor here and in storage.
    pub fn reset(&mut self, now_ms: u64, out: &mut Outbox) {
        self.store.remove();
        self.forget_visitor();
        self.paused = false;
        out.stop = true;
        self.announce(now_ms, out);
    }
}
