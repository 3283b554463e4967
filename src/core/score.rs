//! The scoring engine: events in, signals out; score, stage, intent, suppression and value at
//! any time T. Implements `SCORING.md`.

use super::error::{Error, Kind};
use super::event::{Event, EventKind, Item};
use super::model::{Model, Per, RuleId};
use super::state::*;
use super::visit;
use serde::Serialize;
use std::vec::Vec;

/// Lead stage, from the first article's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Below warm.
    Cold,
    /// Warm lead.
    Warm,
    /// Marketing qualified.
    Mql,
    /// Sales qualified.
    Sql,
}

impl Stage {
    /// All stages, lowest first.
    pub const ALL: [Stage; 4] = [Stage::Cold, Stage::Warm, Stage::Mql, Stage::Sql];

    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Cold => "cold",
            Stage::Warm => "warm",
            Stage::Mql => "mql",
            Stage::Sql => "sql",
        }
    }
}

/// Intent tier, from the second article's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// No event in the intent window.
    None,
    /// Browsing.
    Low,
    /// Evaluating.
    Mid,
    /// Deciding.
    High,
}

impl Intent {
    /// All tiers, lowest first.
    pub const ALL: [Intent; 4] = [Intent::None, Intent::Low, Intent::Mid, Intent::High];

    /// The tier's name.
    pub fn name(self) -> &'static str {
        match self {
            Intent::None => "none",
            Intent::Low => "low",
            Intent::Mid => "mid",
            Intent::High => "high",
        }
    }
}

/// Why a visitor is suppressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Suppression {
    /// Unsubscribed or opted out, ever.
    pub opted_out: bool,
    /// Repeated bounces or a spam complaint.
    pub bounced: bool,
}

impl Suppression {
    /// The reasons that hold, by name.
    pub fn reasons(self) -> impl Iterator<Item = &'static str> {
        [(self.opted_out, "opted_out"), (self.bounced, "bounced")]
            .into_iter()
            .filter(|r| r.0)
            .map(|r| r.1)
    }
}

/// The scorer's verdict on one visitor at one time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapshot {
    /// When, ms.
    pub at_ms: u64,
    /// Score, rounded to 2 decimals.
    pub score: f64,
    /// Stage of the rounded score.
    pub stage: Stage,
    /// Intent tier.
    pub intent: Intent,
    /// Suppression reasons.
    pub suppression: Suppression,
    /// Cart value, or the highest viewed price when the cart is empty.
    pub value: f64,
    /// `value` at or above the high-value threshold.
    pub high_value: bool,
    /// Visits so far.
    pub visits: u32,
}

impl Snapshot {
    /// Either suppression reason holds.
    pub fn suppressed(&self) -> bool {
        self.suppression.opted_out || self.suppression.bounced
    }
}

/// 64-bit FNV-1a: item and category keys in state (not a security boundary).
pub fn key_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn decay(value: f64, elapsed_ms: f64, half_life_ms: f64) -> f64 {
    if half_life_ms <= 0.0 || elapsed_ms <= 0.0 {
        value
    } else {
        value * 0.5f64.powf(elapsed_ms / half_life_ms)
    }
}

fn within(t: u64, since: u64, window_ms: u64) -> bool {
    t.saturating_sub(since) <= window_ms
}

impl Profile {
    /// Applies one event at `event.time_ms`; returns how many signals fired.
    ///
    /// An on-site event older than the last on-site event is refused (sort the input, or clamp
    /// the time as the browser adapter does); off-site events may arrive late. On error the
    /// profile is unchanged.
    pub fn track(&mut self, model: &Model, event: &Event) -> Result<u32, Error> {
        let t = event.time_ms;
        let off_site = event.kind.is_off_site();
        if let (false, Some(last)) = (off_site, self.last_site_ms) {
            if t < last {
                return Err(Error(Kind::OutOfOrder {
                    time_ms: t,
                    last_ms: last,
                }));
            }
        }
        let before = self.signals_fired;
        let visits = self.visit.index;
        if !off_site {
            self.enter(model, event);
        }
        // Scorecard characteristics (src/core/characteristics.rs).
        self.characteristics
            .observe(model, event, self.visit.index != visits);
        let tier = self.apply(model, event);
        let slot = &mut self.intent_ms[tier as usize - 1];
        *slot = Some(slot.map_or(t, |s| s.max(t)));
        self.last_ms = self.last_ms.max(t);
        Ok(self.signals_fired.wrapping_sub(before))
    }

    /// Counts an ignored, unknown event.
    pub fn count_unknown(&mut self) {
        self.unknown_events = self.unknown_events.saturating_add(1);
    }

    /// Visit bookkeeping for an on-site event: new visit, landing, channel, page.
    fn enter(&mut self, model: &Model, event: &Event) {
        let t = event.time_ms;
        let new_visit = self.visit.index == 0
            || t.saturating_sub(self.visit.last_ms) > model.session_timeout_ms;
        if new_visit {
            let previous = std::mem::take(&mut self.visit);
            if previous.index > 0 && previous.checkout > CheckoutStep::None {
                self.abandoned = if previous.flags & flag::PURCHASED != 0 {
                    CheckoutStep::None
                } else {
                    previous.checkout
                };
            }
            self.visit = Visit {
                index: previous.index + 1,
                started_ms: t,
                page_started_ms: t,
                ..Visit::default()
            };
            self.fire(model, RuleId::SiteVisit, 0, t);
            if previous.index > 0 && within(t, previous.last_ms, model.return_within_ms) {
                self.fire(model, RuleId::ReturnVisit, 0, t);
            }
        }
        self.visit.last_ms = t;
        self.last_site_ms = Some(t);
        if self.visit.landing.is_none() {
            if let Some(url) = &event.page_location {
                self.visit.landing = Some(visit::landing_path(url));
                self.visit.channel = visit::channel(model, url, event.page_referrer.as_deref());
                self.visit.from_email = visit::is_from_email(model, url);
                if self.visit.from_email && self.visit.flags & flag::VIEWED_ITEM != 0 {
                    self.fire(model, RuleId::EmailClickThrough, 0, t);
                }
            }
        }
    }

    /// Applies the event's rules and state changes; returns its intent tier.
    fn apply(&mut self, model: &Model, event: &Event) -> Intent {
        use EventKind::*;
        let t = event.time_ms;
        let coupon = event.coupon
            && matches!(
                event.kind,
                AddToCart
                    | RemoveFromCart
                    | ViewCart
                    | BeginCheckout
                    | AddShippingInfo
                    | AddPaymentInfo
            );
        let tier = match event.kind {
            PageView => match &event.page_location {
                Some(url) => match model.page_type(url) {
                    Some(pt) => self.page(model, pt, t),
                    None => self.plain_page(t),
                },
                None => self.plain_page(t),
            },
            ViewShippingPolicy => self.named_page(model, "shipping", t),
            ViewReturnsPolicy => self.named_page(model, "returns", t),
            ViewFaq => self.named_page(model, "faq", t),
            ViewSizeGuide => self.named_page(model, "size_guide", t),
            ViewPricing => self.named_page(model, "pricing", t),
            ViewItemList => {
                self.visit.flags |= flag::VIEWED_LIST;
                Intent::Low
            }
            ViewItem => self.view_item(model, event),
            AddToWishlist => {
                for item in &event.items {
                    self.fire(model, RuleId::WishlistAdd, key_of(&item.id), t);
                }
                Intent::Mid
            }
            AddToCart => {
                for item in &event.items {
                    let key = key_of(&item.id);
                    self.fire(model, RuleId::AddToCart, key, t);
                    self.add_to_cart(item, key, t);
                }
                Intent::High
            }
            RemoveFromCart => {
                for item in &event.items {
                    let key = key_of(&item.id);
                    if let Some(line) = self.cart.iter_mut().find(|l| l.key == key) {
                        line.quantity = (line.quantity - item.quantity).max(0.0);
                    }
                    self.cart.retain(|l| l.quantity > 0.0);
                }
                Intent::Low
            }
            ViewCart => {
                self.visit.flags |= flag::VIEWED_CART;
                if self.visit.checkout == CheckoutStep::None {
                    Intent::Mid
                } else {
                    Intent::Low
                }
            }
            BeginCheckout => {
                self.fire(model, RuleId::BeginCheckout, 0, t);
                self.reach(CheckoutStep::Account);
                Intent::High
            }
            // Shipping submitted: the visitor is now at payment.
            AddShippingInfo | AddPaymentInfo => {
                self.reach(CheckoutStep::Payment);
                Intent::High
            }
            Purchase => {
                self.purchase(event);
                Intent::Low
            }
            SelectVariant => {
                self.visit.variant_switches = self.visit.variant_switches.saturating_add(1);
                Intent::High
            }
            ApplyCoupon => Intent::High,
            QuizComplete => self.fire_low(model, RuleId::QuizComplete, t),
            ReviewEngagement => self.fire_low(model, RuleId::ReviewEngagement, t),
            SocialFollow => self.fire_low(model, RuleId::SocialFollow, t),
            SmsOptIn => self.fire_low(model, RuleId::SmsOptIn, t),
            EmailOpen => {
                self.email_engaged = true;
                self.last_email_open_ms = Some(self.last_email_open_ms.map_or(t, |o| o.max(t)));
                self.fire_low(model, RuleId::EmailOpen, t)
            }
            EmailSubscribe => {
                self.email_engaged = true;
                Intent::Low
            }
            EmailUnsubscribe => {
                self.opted_out = true;
                self.fire_low(model, RuleId::EmailUnsubscribe, t)
            }
            SmsOptOut | OptOut => {
                self.opted_out = true;
                Intent::Low
            }
            EmailBounce => {
                keep_latest(&mut self.bounces, t, model.bounces_to_suppress as usize);
                self.fire_low(model, RuleId::EmailBounce, t)
            }
            SpamComplaint => {
                self.spam_complaint = true;
                Intent::Low
            }
            SelectItem | Refund | Search | SignUp | Login | GenerateLead => Intent::Low,
        };
        if coupon {
            Intent::High
        } else {
            tier
        }
    }

    fn fire_low(&mut self, model: &Model, rule: RuleId, t: u64) -> Intent {
        self.fire(model, rule, 0, t);
        Intent::Low
    }

    fn plain_page(&mut self, t: u64) -> Intent {
        self.visit.page_views += 1;
        self.visit.page_type = None;
        self.visit.page_started_ms = t;
        Intent::Low
    }

    fn named_page(&mut self, model: &Model, name: &str, t: u64) -> Intent {
        match model.page_types.iter().position(|(n, _)| n == name) {
            Some(i) => self.page(model, i as u8, t),
            None => self.plain_page(t),
        }
    }

    /// A page view of a typed page.
    fn page(&mut self, model: &Model, page_type: u8, t: u64) -> Intent {
        self.visit.page_views += 1;
        self.visit.page_type = Some(page_type);
        self.visit.page_started_ms = t;
        let v = &mut self.visit;
        match model.page_type_name(page_type) {
            "collection" => v.flags |= flag::VIEWED_LIST,
            "shipping" => v.flags |= flag::VIEWED_SHIPPING,
            "returns" => v.flags |= flag::VIEWED_RETURNS,
            "faq" => v.flags |= flag::VIEWED_FAQ,
            "size_guide" => v.flags |= flag::VIEWED_SIZE_GUIDE,
            "pricing" => v.flags |= flag::VIEWED_PRICING,
            "checkout_shipping" => self.reach(CheckoutStep::Shipping),
            "checkout_payment" => self.reach(CheckoutStep::Payment),
            _ => {}
        }
        let v = &self.visit;
        let both = flag::VIEWED_SHIPPING | flag::VIEWED_RETURNS;
        match model.page_type_name(page_type) {
            "pricing" => Intent::High,
            "shipping" | "returns" if v.flags & both == both => Intent::High,
            "faq" | "size_guide" => Intent::Mid,
            _ => Intent::Low,
        }
    }

    fn reach(&mut self, step: CheckoutStep) {
        self.visit.checkout = self.visit.checkout.max(step);
    }

    fn view_item(&mut self, model: &Model, event: &Event) -> Intent {
        let t = event.time_ms;
        self.fire(model, RuleId::ProductView, 0, t);
        let first_in_visit = self.visit.flags & flag::VIEWED_ITEM == 0;
        self.visit.flags |= flag::VIEWED_ITEM;
        if first_in_visit && self.visit.from_email {
            self.fire(model, RuleId::EmailClickThrough, 0, t);
        }
        let mut seen_in_visits = 0;
        let visit = self.visit.index;
        for item in &event.items {
            let key = key_of(&item.id);
            let memo = self.remember(item, key, t);
            memo.view_count = memo.view_count.saturating_add(1);
            keep_latest(&mut memo.views, t, model.repeat_views as usize);
            if memo.last_visit != visit {
                memo.last_visit = visit;
                memo.visit_count = memo.visit_count.saturating_add(1);
            }
            seen_in_visits = seen_in_visits.max(memo.visit_count as u32);
            let window = model.rule(RuleId::RepeatProductView).window_ms;
            let repeat =
                memo.views.len() >= model.repeat_views as usize && within(t, memo.views[0], window);
            if repeat {
                self.fire(model, RuleId::RepeatProductView, key, t);
            }
        }
        keep_latest(&mut self.recent_views, t, model.rapid_views as usize);
        if self.recent_views.len() >= model.rapid_views as usize
            && within(t, self.recent_views[0], model.rapid_views_ms)
        {
            Intent::High
        } else if self.visit.flags & flag::VIEWED_LIST != 0
            || seen_in_visits >= model.repeat_item_visits
        {
            Intent::Mid
        } else {
            Intent::Low
        }
    }

    /// The item's memo, created or refreshed; the least recently seen item is forgotten when full.
    fn remember(&mut self, item: &Item, key: u64, t: u64) -> &mut ItemMemo {
        let index = match self.items.iter().position(|m| m.key == key) {
            Some(i) => i,
            None => {
                if self.items.len() >= MAX_ITEMS {
                    let oldest = (0..self.items.len())
                        .min_by_key(|&i| self.items[i].last_seen_ms)
                        .unwrap_or(0);
                    self.items.swap_remove(oldest);
                }
                self.items.push(ItemMemo {
                    key,
                    ..ItemMemo::default()
                });
                self.items.len() - 1
            }
        };
        let memo = &mut self.items[index];
        memo.last_seen_ms = memo.last_seen_ms.max(t);
        if let Some(name) = &item.name {
            memo.name = Some(short(name));
        }
        if let Some(category) = &item.category {
            memo.category = Some(key_of(category));
        }
        if item.price.is_some() {
            memo.price = item.price;
        }
        memo
    }

    fn add_to_cart(&mut self, item: &Item, key: u64, t: u64) {
        self.remember(item, key, t);
        let price = item.price.unwrap_or(0.0);
        match self.cart.iter_mut().find(|l| l.key == key) {
            Some(line) => {
                line.quantity += item.quantity;
                line.price = price;
                line.added_ms = t;
            }
            None => {
                if self.cart.len() >= MAX_CART {
                    let oldest = (0..self.cart.len())
                        .min_by_key(|&i| self.cart[i].added_ms)
                        .unwrap_or(0);
                    self.cart.swap_remove(oldest);
                }
                self.cart.push(CartLine {
                    key,
                    price,
                    quantity: item.quantity,
                    added_ms: t,
                });
            }
        }
    }

    fn purchase(&mut self, event: &Event) {
        let t = event.time_ms;
        let items_value: f64 = event
            .items
            .iter()
            .map(|i| i.price.unwrap_or(0.0) * i.quantity)
            .sum();
        self.conversions = self.conversions.saturating_add(1);
        self.revenue += event.value.unwrap_or(items_value);
        self.cart.clear();
        self.visit.flags |= flag::PURCHASED;
        self.abandoned = CheckoutStep::None;
        for item in &event.items {
            self.remember_purchase(item, t);
        }
    }

    /// Remembers a bought item, in time order, for the recent-purchase exclusion.
    pub(crate) fn remember_purchase(&mut self, item: &Item, t: u64) {
        let key = key_of(&item.id);
        self.purchases.retain(|p| p.key != key);
        let at = self.purchases.partition_point(|p| p.time_ms <= t);
        self.purchases.insert(
            at,
            PurchaseMemo {
                item: short(&item.id),
                key,
                category: item.category.as_deref().map(short),
                category_key: item.category.as_deref().map(key_of),
                time_ms: t,
            },
        );
        if self.purchases.len() > MAX_PURCHASES {
            self.purchases.remove(0);
        }
    }

    /// Fires `rule` for `item` (0 when not per item) at `t`, if its limit allows.
    fn fire(&mut self, model: &Model, rule: RuleId, item: u64, t: u64) {
        let spec = *model.rule(rule);
        let r = rule as usize;
        let allowed = match spec.per {
            Per::None => true,
            Per::Visit => (self.visit.counts[r] as u32) < spec.max,
            Per::Ever => (self.ever[r] as u32) < spec.max,
            Per::ItemVisit => {
                let used = self
                    .visit
                    .item_counts
                    .iter()
                    .find(|c| c.0 == rule && c.1 == item)
                    .map_or(0, |c| c.2);
                (used as u32) < spec.max
            }
            Per::Days | Per::ItemDays => {
                let key = if spec.per == Per::ItemDays { item } else { 0 };
                let used = self
                    .window_fires
                    .iter()
                    .filter(|f| {
                        f.0 == rule && f.1 == key && within(t, f.2, spec.window_ms) && f.2 <= t
                    })
                    .count();
                (used as u32) < spec.max
            }
        };
        if !allowed {
            return;
        }
        match spec.per {
            Per::None => {}
            Per::Visit => self.visit.counts[r] = self.visit.counts[r].saturating_add(1),
            Per::Ever => self.ever[r] = self.ever[r].saturating_add(1),
            Per::ItemVisit => match self
                .visit
                .item_counts
                .iter_mut()
                .find(|c| c.0 == rule && c.1 == item)
            {
                Some(c) => c.2 = c.2.saturating_add(1),
                None => {
                    if self.visit.item_counts.len() >= MAX_ITEM_FIRES {
                        self.visit.item_counts.remove(0);
                    }
                    self.visit.item_counts.push((rule, item, 1));
                }
            },
            Per::Days | Per::ItemDays => {
                let key = if spec.per == Per::ItemDays { item } else { 0 };
                self.window_fires
                    .retain(|f| within(t, f.2, spec.window_ms) || f.0 != rule);
                if self.window_fires.len() >= MAX_ITEM_FIRES {
                    self.window_fires.remove(0);
                }
                self.window_fires.push((rule, key, t));
            }
        }
        self.add_points(model, spec.points, t);
        if self.signals.len() >= MAX_SIGNALS {
            self.signals.remove(0);
        }
        self.signals.push(Signal {
            rule,
            points: spec.points,
            time_ms: t,
        });
        self.signals_fired = self.signals_fired.wrapping_add(1);
    }

    fn add_points(&mut self, model: &Model, points: f64, t: u64) {
        let p = &mut self.points;
        if t >= p.at_ms {
            p.value = decay(p.value, (t - p.at_ms) as f64, model.half_life_ms) + points;
            p.at_ms = t;
        } else {
            // A late off-site event: its points have already decayed by the time of the reference.
            p.value += decay(points, (p.at_ms - t) as f64, model.half_life_ms);
        }
    }

    /// The verdict at `at_ms` (at the last signal's time when `at_ms` is earlier).
    pub fn snapshot(&self, model: &Model, at_ms: u64) -> Snapshot {
        let t = at_ms.max(self.points.at_ms);
        let mut score = decay(
            self.points.value,
            (t - self.points.at_ms) as f64,
            model.half_life_ms,
        );
        if let Some(points) = self.condition(model, RuleId::NoSiteVisit30d, t) {
            score += points;
        }
        if let Some(points) = self.condition(model, RuleId::NoEmailOpens30d, t) {
            score += points;
        }
        // Scorecard bins (src/core/scorecard.rs): 0 unless the store calibrated a scorecard.
        score += model.scorecard.points(&self.characteristics, t);
        let score = (score * 100.0).round() / 100.0;
        let stage = match score {
            s if s >= model.stages[0] => Stage::Sql,
            s if s >= model.stages[1] => Stage::Mql,
            s if s >= model.stages[2] => Stage::Warm,
            _ => Stage::Cold,
        };
        let intent = match self
            .intent_ms
            .iter()
            .rposition(|m| m.is_some_and(|m| m <= t && within(t, m, model.intent_window_ms)))
        {
            Some(2) => Intent::High,
            Some(1) => Intent::Mid,
            Some(_) => Intent::Low,
            None => Intent::None,
        };
        let bounces = self
            .bounces
            .iter()
            .filter(|&&b| b <= t && within(t, b, model.bounce_window_ms))
            .count();
        let suppression = Suppression {
            opted_out: self.opted_out,
            bounced: self.spam_complaint || bounces >= model.bounces_to_suppress as usize,
        };
        let value = self.value(model, t);
        Snapshot {
            at_ms: t,
            score,
            stage,
            intent,
            suppression,
            value,
            high_value: value >= model.high_value_threshold,
            visits: self.visit.index,
        }
    }

    /// Points of a condition rule when it holds at `t`.
    pub fn condition(&self, model: &Model, rule: RuleId, t: u64) -> Option<f64> {
        let spec = model.rule(rule);
        let holds = match rule {
            RuleId::NoSiteVisit30d => self
                .last_site_ms
                .is_some_and(|s| t.saturating_sub(s) > spec.window_ms),
            RuleId::NoEmailOpens30d => {
                self.email_engaged
                    && self
                        .last_email_open_ms
                        .is_none_or(|o| t.saturating_sub(o) > spec.window_ms)
            }
            _ => false,
        };
        holds.then_some(spec.points)
    }

    fn value(&self, model: &Model, t: u64) -> f64 {
        let cart: f64 = self
            .cart
            .iter()
            .filter(|l| within(t, l.added_ms, model.value_window_ms))
            .map(|l| l.price * l.quantity)
            .sum();
        if cart > 0.0 {
            return cart;
        }
        self.items
            .iter()
            .filter(|m| {
                m.views
                    .last()
                    .is_some_and(|&v| within(t, v, model.value_window_ms))
            })
            .filter_map(|m| m.price)
            .fold(0.0, f64::max)
    }

    /// Items and categories bought within the recent-purchase window: excluded from promotions.
    pub fn recent_purchases(&self, model: &Model, t: u64) -> impl Iterator<Item = &PurchaseMemo> {
        let window = model.recent_purchase_ms;
        self.purchases
            .iter()
            .filter(move |p| p.time_ms <= t && within(t, p.time_ms, window))
    }
}

/// Appends `t`, keeping only the `n` latest, in time order.
fn keep_latest(times: &mut Vec<u64>, t: u64, n: usize) {
    let at = times.partition_point(|&x| x <= t);
    times.insert(at, t);
    while times.len() > n.max(1) {
        times.remove(0);
    }
}
