//! The scoring engine: events in, signals out; score, stage, intent, suppression and value at
//! any time T. Implements `SCORING.md`.

use super::decimal::round;
use super::error::{Error, Kind};
use super::event::{Event, EventKind, Item};
use super::model::{Intent, Model, PageRole, Per, RuleId, Stage};
use super::state::*;
use super::text::key_of;
use super::visit;

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
        let names: &'static [&'static str] = match (self.opted_out, self.bounced) {
            (true, true) => &["opted_out", "bounced"],
            (true, false) => &["opted_out"],
            (false, true) => &["bounced"],
            (false, false) => &[],
        };
        names.iter().copied()
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

fn decay(value: f64, elapsed_ms: f64, half_life_ms: f64) -> f64 {
    if half_life_ms <= 0.0 || elapsed_ms <= 0.0 {
        value
    } else {
        value * super::math::pow(0.5, elapsed_ms / half_life_ms)
    }
}

fn within(t: u64, since: u64, window_ms: u64) -> bool {
    t.saturating_sub(since) <= window_ms
}

/// Appends `t` to the times `list[..*len]`, keeping only the `n` latest, in time order.
fn keep_latest(list: &mut [u64], len: &mut u8, t: u64, n: usize) {
    let n = n.clamp(1, list.len());
    let mut count = (*len as usize).min(list.len());
    let at = list[..count].partition_point(|&x| x <= t);
    // Elements move by passing one value along the slice: no index, no bounds check.
    let mut carry = t;
    if count == list.len() {
        // Full: the oldest goes first.
        if at == 0 {
            return;
        }
        for x in list.iter_mut().take(at).rev() {
            core::mem::swap(x, &mut carry);
        }
    } else {
        for x in list.iter_mut().take(count + 1).skip(at) {
            core::mem::swap(x, &mut carry);
        }
        count += 1;
    }
    if count > n {
        keep_last(list, count, n);
        count = n;
    }
    *len = count as u8;
}

/// The three bits of the per-visit item filter for `(rule, key)`.
fn filter_bits(rule: RuleId, key: u64) -> [usize; 3] {
    let h = (key ^ (rule as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_mul(0xff51_afd7_ed55_8ccd);
    const BITS: u64 = (FILTER_WORDS * 64) as u64 - 1;
    [
        (h & BITS) as usize,
        (h >> 21 & BITS) as usize,
        (h >> 42 & BITS) as usize,
    ]
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
        if let (false, Some(last)) = (off_site, self.last_site_ms()) {
            if t < last {
                return Err(Error::of(Kind::OutOfOrder {
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
        let tier = self.apply(model, event);
        // Scorecard characteristics (src/core/characteristics.rs), after `apply` has typed the
        // page a page view shows.
        self.characteristics.observe(
            model,
            event,
            self.visit.index != visits,
            self.visit.page_type(),
        );
        // `apply` never returns `Intent::None`: tiers 1 to 3 are slots 0 to 2.
        let i = (tier as usize).wrapping_sub(1);
        if let Some(last) = self.intent_ms.get_mut(i) {
            let bit = 1 << i;
            *last = if self.intent_set & bit != 0 {
                (*last).max(t)
            } else {
                t
            };
            self.intent_set |= bit;
        }
        self.last_ms = self.last_ms.max(t);
        Ok(self.signals_fired.wrapping_sub(before))
    }

    /// Counts an ignored, unknown event.
    pub fn count_unknown(&mut self) {
        self.unknown_events = self.unknown_events.saturating_add(1);
    }

    /// Stored times after `now_ms` (a device clock that ran ahead, then was corrected) are
    /// brought back to `now_ms`, so visits and decay go on from now instead of waiting for the
    /// clock to catch up. Returns whether anything was in the future.
    pub fn forget_future(&mut self, now_ms: u64) -> bool {
        let mut moved = false;
        // The profile as 64-bit words (it is plain data, 8-aligned: the cast never fails).
        if let Ok(words) = bytemuck::try_cast_slice_mut::<u8, u64>(bytemuck::bytes_of_mut(self)) {
            for span in TIMES {
                for run in 0..span.runs {
                    let at = usize::from(span.at + run * span.stride);
                    for t in words.iter_mut().skip(at).take(span.len.into()) {
                        if *t > now_ms {
                            *t = now_ms;
                            moved = true;
                        }
                    }
                }
            }
        }
        if self.points_at_ms > now_ms {
            // The points were decayed to a future time: as of now they are at least that much.
            self.points_at_ms = now_ms;
            moved = true;
        }
        moved
    }

    /// Visit bookkeeping for an on-site event: new visit, landing, channel, page.
    fn enter(&mut self, model: &Model, event: &Event) {
        let t = event.time_ms;
        let new_visit = self.visit.index == 0
            || t.saturating_sub(self.visit.last_ms) > model.session_timeout_ms;
        if new_visit {
            // What the next visit needs of the previous one (read before it is reset in place).
            let v = &self.visit;
            let (index, checkout, last_ms) = (v.index, v.checkout, v.last_ms);
            if index > 0 && checkout > CheckoutStep::None {
                self.abandoned = if v.flags & flag::PURCHASED != 0 {
                    CheckoutStep::None
                } else {
                    checkout
                };
            }
            self.visit = Visit::default();
            self.visit.index = index.wrapping_add(1);
            self.visit.started_ms = t;
            self.visit.page_started_ms = t;
            self.fire(model, RuleId::SiteVisit, 0, t);
            if index > 0 && within(t, last_ms, model.return_within_ms) {
                self.fire(model, RuleId::ReturnVisit, 0, t);
            }
        }
        self.visit.last_ms = t;
        self.last_site_ms = t;
        self.set |= has::SITE_EVENT;
        if self.visit.flags & flag::LANDED == 0 {
            if let Some(url) = &event.page_location {
                let (landing, len) = cut::<LANDING_BYTES>(super::url::path_of(url));
                self.visit.landing = landing;
                self.visit.landing_len = len;
                self.visit.flags |= flag::LANDED;
                let channel = visit::channel(model, url, event.page_referrer.as_deref());
                self.visit.channel = channel.index();
                // (The channel is email exactly when the landing URL says so.)
                if channel == visit::Channel::Email {
                    self.visit.flags |= flag::FROM_EMAIL;
                    if self.visit.flags & flag::VIEWED_ITEM != 0 {
                        self.fire(model, RuleId::EmailClickThrough, 0, t);
                    }
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
            PageView => match event
                .page_location
                .as_deref()
                .and_then(|url| model.page_type(url))
            {
                Some(pt) => self.page(model, pt, t),
                None => self.plain_page(t),
            },
            ViewShippingPolicy => self.role_page(model, PageRole::Shipping, t),
            ViewReturnsPolicy => self.role_page(model, PageRole::Returns, t),
            ViewFaq => self.role_page(model, PageRole::Faq, t),
            ViewSizeGuide => self.role_page(model, PageRole::SizeGuide, t),
            ViewPricing => self.role_page(model, PageRole::Pricing, t),
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
                    let cart = live_mut(&mut self.cart, self.n_cart);
                    if let Some(line) = cart.iter_mut().find(|l| l.key == key) {
                        line.quantity = (line.quantity - item.quantity).max(0.0);
                    }
                    let mut at = 0;
                    while let Some(line) = self.cart().get(at) {
                        if line.quantity > 0.0 {
                            at += 1;
                        } else {
                            remove(&mut self.cart, &mut self.n_cart, at);
                        }
                    }
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
                self.set |= has::EMAIL_ENGAGED;
                self.last_email_open_ms = match self.set & has::EMAIL_OPEN {
                    0 => t,
                    _ => self.last_email_open_ms.max(t),
                };
                self.set |= has::EMAIL_OPEN;
                self.fire_low(model, RuleId::EmailOpen, t)
            }
            EmailSubscribe => {
                self.set |= has::EMAIL_ENGAGED;
                Intent::Low
            }
            EmailUnsubscribe => {
                self.set |= has::OPTED_OUT;
                self.fire_low(model, RuleId::EmailUnsubscribe, t)
            }
            SmsOptOut | OptOut => {
                self.set |= has::OPTED_OUT;
                Intent::Low
            }
            EmailBounce => {
                keep_latest(
                    &mut self.bounces,
                    &mut self.n_bounces,
                    t,
                    model.bounces_to_suppress as usize,
                );
                self.fire_low(model, RuleId::EmailBounce, t)
            }
            SpamComplaint => {
                self.set |= has::SPAM_COMPLAINT;
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
        self.visit.page_views = self.visit.page_views.wrapping_add(1);
        self.visit.page_type = NO_PAGE;
        self.visit.page_started_ms = t;
        Intent::Low
    }

    /// An explicit event (`view_shipping_policy`, …): a page view of the first type with `role`.
    fn role_page(&mut self, model: &Model, role: PageRole, t: u64) -> Intent {
        match model.page_of_role(role) {
            Some(i) => self.page(model, i, t),
            None => self.plain_page(t),
        }
    }

    /// A page view of a typed page.
    fn page(&mut self, model: &Model, page_type: u8, t: u64) -> Intent {
        self.visit.page_views = self.visit.page_views.wrapping_add(1);
        self.visit.page_type = page_type;
        self.visit.page_started_ms = t;
        let role = model.page_role(page_type);
        let v = &mut self.visit;
        match role {
            PageRole::Collection => v.flags |= flag::VIEWED_LIST,
            PageRole::Shipping => v.flags |= flag::VIEWED_SHIPPING,
            PageRole::Returns => v.flags |= flag::VIEWED_RETURNS,
            PageRole::Faq => v.flags |= flag::VIEWED_FAQ,
            PageRole::SizeGuide => v.flags |= flag::VIEWED_SIZE_GUIDE,
            PageRole::Pricing => v.flags |= flag::VIEWED_PRICING,
            PageRole::CheckoutShipping => self.reach(CheckoutStep::Shipping),
            PageRole::CheckoutPayment => self.reach(CheckoutStep::Payment),
            PageRole::Plain => {}
        }
        let both = flag::VIEWED_SHIPPING | flag::VIEWED_RETURNS;
        match role {
            PageRole::Pricing => Intent::High,
            PageRole::Shipping | PageRole::Returns if self.visit.flags & both == both => {
                Intent::High
            }
            PageRole::Faq | PageRole::SizeGuide => Intent::Mid,
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
        if first_in_visit && self.visit.from_email() {
            self.fire(model, RuleId::EmailClickThrough, 0, t);
        }
        let mut seen_in_visits = 0;
        let visit = self.visit.index;
        let window = model.rule(RuleId::RepeatProductView).window_ms;
        let repeat_views = model.repeat_views as usize;
        for item in &event.items {
            let key = key_of(&item.id);
            let at = self.remember(item, key, t);
            let memo = &mut self.items[at];
            memo.view_count = memo.view_count.saturating_add(1);
            keep_latest(&mut memo.views, &mut memo.n_views, t, repeat_views);
            if memo.last_visit != visit {
                memo.last_visit = visit;
                memo.visit_count = memo.visit_count.saturating_add(1);
            }
            seen_in_visits = seen_in_visits.max(memo.visit_count as u32);
            let views = memo.views();
            let repeat =
                views.len() >= repeat_views && views.first().is_some_and(|&v| within(t, v, window));
            if let Some(name) = &item.name {
                self.keep_name(key, name);
            }
            if repeat {
                self.fire(model, RuleId::RepeatProductView, key, t);
            }
        }
        keep_latest(
            &mut self.rapid,
            &mut self.n_rapid,
            t,
            model.rapid_views as usize,
        );
        let rapid = live(&self.rapid, self.n_rapid);
        if rapid.len() >= model.rapid_views as usize
            && rapid
                .first()
                .is_some_and(|&r| within(t, r, model.rapid_views_ms))
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

    /// The index of the item's memo, created or refreshed; the least recently seen item is
    /// forgotten when full.
    fn remember(&mut self, item: &Item, key: u64, t: u64) -> usize {
        let n = (self.n_items as usize).min(MAX_ITEMS);
        // Indices are masked by the (power-of-two) capacity: no bounds checks.
        let at = match self.item_keys[..n].iter().position(|&k| k == key) {
            Some(i) => i % MAX_ITEMS,
            None => {
                let at = if n < MAX_ITEMS {
                    self.n_items = n as u8 + 1;
                    n
                } else {
                    let mut oldest = 0;
                    for i in 1..n {
                        if self.items[i].last_seen_ms < self.items[oldest].last_seen_ms {
                            oldest = i;
                        }
                    }
                    oldest
                };
                self.item_keys[at] = key;
                self.items[at] = ItemMemo {
                    price: f64::NAN,
                    ..ItemMemo::default()
                };
                at
            }
        };
        let memo = &mut self.items[at];
        memo.last_seen_ms = memo.last_seen_ms.max(t);
        if let Some(category) = &item.category {
            memo.category = key_of(category);
        }
        if let Some(price) = item.price {
            memo.price = price;
        }
        at
    }

    /// Keeps `name` for item `key` if it is among the most viewed items with a name.
    fn keep_name(&mut self, key: u64, name: &str) {
        let (text, len) = fit::<NAME_BYTES>(name);
        let n = (self.n_names as usize).min(MAX_NAMES);
        if let Some(m) = live_mut(&mut self.names, self.n_names)
            .iter_mut()
            .find(|m| m.key == key)
        {
            m.text = text;
            m.len = len;
            return;
        }
        let views = |p: &Profile, key: u64| p.item(key).map_or(0, |m| m.view_count);
        let memo = NameMemo {
            key,
            len,
            text,
            _pad: [0; 7],
        };
        if n < MAX_NAMES {
            self.names[n] = memo;
            self.n_names += 1;
            return;
        }
        // Full: replace the least viewed, if this item is viewed at least as much.
        let (mut least, mut least_views) = (0, u32::MAX);
        for (i, m) in self.names.iter().enumerate() {
            let v = views(self, m.key);
            if v < least_views {
                (least, least_views) = (i, v);
            }
        }
        if views(self, key) >= least_views {
            if let Some(m) = self.names.get_mut(least) {
                *m = memo;
            }
        }
    }

    fn add_to_cart(&mut self, item: &Item, key: u64, t: u64) {
        self.remember(item, key, t);
        if let Some(name) = &item.name {
            self.keep_name(key, name);
        }
        let price = item.price.unwrap_or(0.0);
        match live_mut(&mut self.cart, self.n_cart)
            .iter_mut()
            .find(|l| l.key == key)
        {
            Some(line) => {
                line.quantity += item.quantity;
                line.price = price;
                line.added_ms = t;
            }
            None => {
                let line = CartLine {
                    key,
                    price,
                    quantity: item.quantity,
                    added_ms: t,
                };
                let evict = oldest(&self.cart, |l| l.added_ms);
                push(&mut self.cart, &mut self.n_cart, line, evict);
            }
        }
    }

    fn purchase(&mut self, event: &Event) {
        let t = event.time_ms;
        self.conversions = self.conversions.saturating_add(1);
        self.revenue += event.value_or_items();
        self.cart = [CartLine::default(); MAX_CART];
        self.n_cart = 0;
        self.visit.flags |= flag::PURCHASED;
        self.abandoned = CheckoutStep::None;
        for item in &event.items {
            self.remember_purchase(item, t);
        }
    }

    /// Remembers a bought item, in time order, for the recent-purchase exclusion.
    pub(crate) fn remember_purchase(&mut self, item: &Item, t: u64) {
        let key = key_of(&item.id);
        if let Some(at) = self.purchases().iter().position(|p| p.key == key) {
            remove(&mut self.purchases, &mut self.n_purchases, at);
        }
        let (item_text, item_len) = fit::<NAME_BYTES>(&item.id);
        let (category, category_len) = item
            .category
            .as_deref()
            .map_or(([0; NAME_BYTES], 0), fit::<NAME_BYTES>);
        let memo = PurchaseMemo {
            key,
            category_key: item.category.as_deref().map_or(0, key_of),
            time_ms: t,
            item_len,
            category_len,
            item: item_text,
            category,
            _pad: [0; 6],
        };
        if self.purchases().len() == MAX_PURCHASES {
            if t < self.purchases[0].time_ms {
                return;
            }
            remove(&mut self.purchases, &mut self.n_purchases, 0);
        }
        let n = self.purchases().len();
        if n >= MAX_PURCHASES {
            return; // (never: one was just removed; this lets the optimizer drop bounds checks)
        }
        let at = self.purchases[..n]
            .partition_point(|p| p.time_ms <= t)
            .min(n);
        let mut i = n;
        while i > at {
            self.purchases[i] = self.purchases[i - 1];
            i -= 1;
        }
        self.purchases[at] = memo;
        self.n_purchases = n as u8 + 1;
    }

    /// Fires `rule` for `item` (0 when not per item) at `t`, if its limit allows.
    fn fire(&mut self, model: &Model, rule: RuleId, item: u64, t: u64) {
        let spec = *model.rule(rule);
        let r = rule as usize;
        // Whether the limit allows it, counting it when it does.
        let allowed = match spec.per {
            Per::None => true,
            // (Only event rules fire: a condition rule has no count, and is never allowed.)
            Per::Visit => match self.visit.counts.get_mut(r) {
                Some(c) if u32::from(*c) < spec.max => {
                    *c = c.saturating_add(1);
                    true
                }
                _ => false,
            },
            Per::Ever => match self.ever.get_mut(r) {
                Some(c) if u32::from(*c) < spec.max => {
                    *c = c.saturating_add(1);
                    true
                }
                _ => false,
            },
            Per::ItemVisit => self.count_item(rule, item, spec.max),
            Per::Days | Per::ItemDays => {
                let key = if spec.per == Per::ItemDays { item } else { 0 };
                let used = live(&self.window_fires, self.n_window)
                    .iter()
                    .filter(|f| {
                        f.rule == rule as u8
                            && f.key == key
                            && within(t, f.time_ms, spec.window_ms)
                            && f.time_ms <= t
                    })
                    .count();
                // A firing must be remembered to be limited: with no room, it does not fire.
                let allowed = (used as u32) < spec.max && self.window_room(model, t);
                if allowed {
                    let fire = WindowFire {
                        key,
                        time_ms: t,
                        rule: rule as u8,
                        _pad: [0; 7],
                    };
                    push(&mut self.window_fires, &mut self.n_window, fire, 0);
                }
                allowed
            }
        };
        if !allowed {
            return;
        }
        self.add_points(model, spec.points, t);
        let stored = StoredSignal {
            points: spec.points,
            time_ms: t,
            rule: rule as u8,
            _pad: [0; 7],
        };
        let n = self.n_signals as usize;
        if n < MAX_SIGNALS {
            self.signals[(self.signal_head as usize + n) % MAX_SIGNALS] = stored;
            self.n_signals += 1;
        } else {
            self.signals[self.signal_head as usize % MAX_SIGNALS] = stored;
            self.signal_head = ((self.signal_head as usize + 1) % MAX_SIGNALS) as u8;
        }
        self.signals_fired = self.signals_fired.wrapping_add(1);
    }

    /// Whether a window-limited firing can be remembered: expired firings are dropped first.
    fn window_room(&mut self, model: &Model, t: u64) -> bool {
        let mut at = 0;
        while let Some(&f) = live(&self.window_fires, self.n_window).get(at) {
            let window = model.rule(RuleId::from_index(f.rule)).window_ms;
            if within(t, f.time_ms, window) || f.time_ms > t {
                at += 1;
            } else {
                remove(&mut self.window_fires, &mut self.n_window, at);
            }
        }
        (self.n_window as usize) < MAX_WINDOW_FIRES
    }

    /// Counts a firing of `(rule, item)` in this visit if that stays within `max`; whether it
    /// did. A pair not among the exact counts, which are full, is looked up in the filter.
    fn count_item(&mut self, rule: RuleId, item: u64, max: u32) -> bool {
        let v = &mut self.visit;
        let n = (v.n_item_counts as usize).min(MAX_ITEM_FIRES);
        for i in 0..n {
            if v.item_keys[i] == item && v.item_rules[i] == rule as u8 {
                let used = v.item_counts[i];
                v.item_counts[i] = used.saturating_add(u8::from(u32::from(used) < max));
                return u32::from(used) < max;
            }
        }
        if n < MAX_ITEM_FIRES {
            v.item_keys[n] = item;
            v.item_rules[n] = rule as u8;
            v.item_counts[n] = 1;
            v.n_item_counts = n as u8 + 1;
            return true;
        }
        let bits = filter_bits(rule, item);
        if bits
            .iter()
            .all(|&b| v.item_filter[b / 64 % FILTER_WORDS] & 1 << (b % 64) != 0)
        {
            return false;
        }
        for b in bits {
            v.item_filter[b / 64 % FILTER_WORDS] |= 1 << (b % 64);
        }
        true
    }

    fn add_points(&mut self, model: &Model, points: f64, t: u64) {
        if t >= self.points_at_ms {
            self.points = decay(
                self.points,
                (t - self.points_at_ms) as f64,
                model.half_life_ms,
            ) + points;
            self.points_at_ms = t;
        } else {
            // A late off-site event: its points have already decayed by the time of the reference.
            self.points += decay(points, (self.points_at_ms - t) as f64, model.half_life_ms);
        }
    }

    /// The verdict at `at_ms` (at the last signal's time when `at_ms` is earlier).
    pub fn snapshot(&self, model: &Model, at_ms: u64) -> Snapshot {
        let t = at_ms.max(self.points_at_ms);
        let mut score = decay(
            self.points,
            (t - self.points_at_ms) as f64,
            model.half_life_ms,
        );
        if let Some(points) = self.condition(model, RuleId::NoSiteVisit30d, t) {
            score += points;
        }
        if let Some(points) = self.condition(model, RuleId::NoEmailOpens30d, t) {
            score += points;
        }
        // Scorecard bins (src/core/scorecard.rs): 0 unless the store calibrated a scorecard (and
        // none in the scorer built without scorecards, whose models have none).
        #[cfg(any(feature = "scorecard", not(feature = "bundle")))]
        {
            score += self.characteristics.points(&model.scorecard, t);
        }
        let score = round(score * 100.0) / 100.0;
        // The highest tier with a signal in the window.
        let mut intent = Intent::None;
        for (i, tier) in [Intent::Low, Intent::Mid, Intent::High]
            .into_iter()
            .enumerate()
        {
            let m = self.intent_ms[i];
            if self.intent_set & 1 << i != 0 && m <= t && within(t, m, model.intent_window_ms) {
                intent = tier;
            }
        }
        let mut bounces = 0;
        for &b in live(&self.bounces, self.n_bounces) {
            bounces += usize::from(b <= t && within(t, b, model.bounce_window_ms));
        }
        let suppression = Suppression {
            opted_out: self.set & has::OPTED_OUT != 0,
            bounced: self.set & has::SPAM_COMPLAINT != 0
                || bounces >= model.bounces_to_suppress as usize,
        };
        let value = self.value(model, t);
        Snapshot {
            at_ms: t,
            score,
            stage: model.stage_of(score),
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
                .last_site_ms()
                .is_some_and(|s| t.saturating_sub(s) > spec.window_ms),
            RuleId::NoEmailOpens30d => {
                self.set & has::EMAIL_ENGAGED != 0
                    && (self.set & has::EMAIL_OPEN == 0
                        || t.saturating_sub(self.last_email_open_ms) > spec.window_ms)
            }
            _ => false,
        };
        holds.then_some(spec.points)
    }

    fn value(&self, model: &Model, t: u64) -> f64 {
        // (From -0.0, as `Iterator::sum` of floats starts.)
        let mut cart = -0.0;
        for l in self.cart() {
            if within(t, l.added_ms, model.value_window_ms) {
                cart += l.price * l.quantity;
            }
        }
        if cart > 0.0 {
            return cart;
        }
        let mut highest = 0.0f64;
        for (_, m) in self.items() {
            let recent = m.views().last();
            if let (Some(price), true) = (
                m.price(),
                recent.is_some_and(|&v| within(t, v, model.value_window_ms)),
            ) {
                highest = highest.max(price);
            }
        }
        highest
    }

    /// Items and categories bought within the recent-purchase window: excluded from promotions.
    pub fn recent_purchases(&self, model: &Model, t: u64) -> impl Iterator<Item = &PurchaseMemo> {
        let window = model.recent_purchase_ms;
        self.purchases()
            .iter()
            .filter(move |p| p.time_ms <= t && within(t, p.time_ms, window))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every time of a profile, named one by one: the oracle for the `TIMES` table.
    fn clamp_by_name(p: &mut Profile, now: u64) -> bool {
        let mut moved = false;
        let mut clamp = |t: &mut u64| {
            if *t > now {
                *t = now;
                moved = true;
            }
        };
        clamp(&mut p.last_ms);
        clamp(&mut p.last_site_ms);
        clamp(&mut p.last_email_open_ms);
        p.intent_ms.iter_mut().for_each(&mut clamp);
        let v = &mut p.visit;
        for t in [&mut v.started_ms, &mut v.last_ms, &mut v.page_started_ms] {
            clamp(t);
        }
        for m in p.items.iter_mut() {
            clamp(&mut m.last_seen_ms);
            m.views.iter_mut().for_each(&mut clamp);
        }
        p.cart.iter_mut().for_each(|l| clamp(&mut l.added_ms));
        p.rapid.iter_mut().for_each(&mut clamp);
        p.bounces.iter_mut().for_each(&mut clamp);
        p.window_fires
            .iter_mut()
            .for_each(|f| clamp(&mut f.time_ms));
        p.purchases.iter_mut().for_each(|x| clamp(&mut x.time_ms));
        p.signals.iter_mut().for_each(|s| clamp(&mut s.time_ms));
        p.nudges.clamp_times_by_name(&mut clamp);
        let m = &mut p.identified;
        for t in [&mut m.opens_ms, &mut m.bounces_ms, &mut m.purchase_ms] {
            clamp(t);
        }
        let c = &mut p.characteristics;
        clamp(&mut c.visit_start_ms);
        clamp(&mut c.last_site_ms);
        if p.points_at_ms > now {
            p.points_at_ms = now;
            moved = true;
        }
        moved
    }

    #[test]
    fn forget_future_clamps_exactly_the_times() {
        // Every word a different number, some before `now` and some after.
        let mut p = Profile::default();
        let words: &mut [u64] = bytemuck::cast_slice_mut(bytemuck::bytes_of_mut(&mut p));
        for (i, w) in words.iter_mut().enumerate() {
            *w = (i as u64 * 7_919) % 10_000;
        }
        for now in [0, 2_500, 5_000, 9_999, 10_000] {
            let (mut by_table, mut by_name) = (p, p);
            let moved = by_table.forget_future(now);
            assert_eq!(moved, clamp_by_name(&mut by_name, now), "at {now}");
            assert!(by_table.as_bytes() == by_name.as_bytes(), "at {now}");
        }
    }
}
