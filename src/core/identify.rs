//! `identify(profile)`: what the store's server knows about a visitor (email and SMS engagement,
//! opt-outs, bounces, the last purchase), applied to the profile idempotently.
//!
//! A browser cannot see an email being opened or an unsubscribe, so the store reports them,
//! typically on every page load. Each report is compared with the previous one (the watermarks in
//! [`ReportMemory`](super::state::ReportMemory), kept in the profile): only what is new fires rules, so repeating a report changes
//! nothing, and a report older than one already applied is ignored.

use super::event::{Event, EventKind};
use super::model::{Model, RuleId};
use super::state::{remove, Profile};

/// The span of the `…30d` counts.
const WINDOW_MS: u64 = 30 * 86_400_000;
/// Most events of one kind a single report may add, so a wild count cannot flood the profile.
const MAX_PER_REPORT: u32 = 30;

/// Bounces as a server reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounced {
    /// This many bounces in the last 30 days.
    Count(u32),
    /// The address is marked as bouncing: as many bounces as the model needs to suppress.
    Marked,
}

/// What the store's server reports. `None` leaves that part of the profile as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// `emailOpens30d`: emails opened in the last 30 days.
    pub email_opens_30d: Option<u32>,
    /// `lastEmailOpen`: when the last email was opened, ms.
    pub last_email_open_ms: Option<u64>,
    /// `emailSubscribed`: subscribed to the email list.
    pub email_subscribed: Option<bool>,
    /// `unsubscribed`: unsubscribed from email.
    pub unsubscribed: Option<bool>,
    /// `bounced`: `true`, or the number of bounces in the last 30 days.
    pub bounced: Option<Bounced>,
    /// `spamComplaint`: marked an email as spam.
    pub spam_complaint: Option<bool>,
    /// `smsOptIn`: opted in to SMS (a later `false` is an opt-out).
    pub sms_opt_in: Option<bool>,
    /// `lastPurchase`: GA4 `purchase` parameters plus `time` (ms).
    pub last_purchase: Option<Event>,
}

mod flag {
    pub const SUBSCRIBED: u8 = 1;
    pub const UNSUBSCRIBED: u8 = 1 << 1;
    pub const SPAM: u8 = 1 << 2;
    pub const SMS: u8 = 1 << 3;
}

/// How many of `reported` (a count over the last 30 days, reported at `now_ms`) are new since
/// the previous report `(count, at_ms)`; `None` when this report is older than that one.
fn new_since(reported: u32, previous: (u32, u64), now_ms: u64) -> Option<u32> {
    let (count, at_ms) = previous;
    if now_ms < at_ms {
        return None;
    }
    // Within the window the old count may still be part of the new one: only the excess is new.
    // (When some old ones expired and new ones came between two reports this under-counts.)
    Some(if at_ms > 0 && now_ms - at_ms <= WINDOW_MS {
        reported.saturating_sub(count)
    } else {
        reported
    })
}

impl Profile {
    /// Applies a server report at `now_ms`; returns the signals fired. Idempotent: a repeated or
    /// older report fires nothing.
    pub fn identify(&mut self, model: &Model, facts: &Facts, now_ms: u64) -> u32 {
        let mut fired = 0;
        let mut emit = |p: &mut Profile, kind: EventKind, t: u64, times: u32| {
            for _ in 0..times.min(MAX_PER_REPORT) {
                // Off-site events are never refused for their time.
                fired += p.track(model, &Event::new(kind, t)).unwrap_or(0);
            }
        };

        if let Some(n) = facts.email_opens_30d {
            let m = &self.identified;
            if let Some(new) = new_since(n, (m.opens, m.opens_ms), now_ms) {
                self.identified.opens = n;
                self.identified.opens_ms = now_ms;
                let t = facts.last_email_open_ms.map_or(now_ms, |l| l.min(now_ms));
                emit(self, EventKind::EmailOpen, t, new);
            }
        }
        if let Some(b) = facts.bounced {
            let n = match b {
                Bounced::Count(n) => n,
                Bounced::Marked => model.bounces_to_suppress,
            };
            let m = &self.identified;
            if let Some(new) = new_since(n, (m.bounces, m.bounces_ms), now_ms) {
                self.identified.bounces = n;
                self.identified.bounces_ms = now_ms;
                emit(self, EventKind::EmailBounce, now_ms, new);
            }
        }
        let yes_no = [
            (
                facts.email_subscribed,
                flag::SUBSCRIBED,
                EventKind::EmailSubscribe,
                None,
            ),
            (
                facts.unsubscribed,
                flag::UNSUBSCRIBED,
                EventKind::EmailUnsubscribe,
                None,
            ),
            (
                facts.spam_complaint,
                flag::SPAM,
                EventKind::SpamComplaint,
                None,
            ),
            (
                facts.sms_opt_in,
                flag::SMS,
                EventKind::SmsOptIn,
                Some(EventKind::SmsOptOut),
            ),
        ];
        for (fact, bit, yes, withdrawn) in yes_no {
            let known = self.identified.flags & bit != 0;
            match fact {
                Some(true) if !known => {
                    self.identified.flags |= bit;
                    emit(self, yes, now_ms, 1);
                }
                Some(false) if known => {
                    self.identified.flags &= !bit;
                    if let Some(no) = withdrawn {
                        emit(self, no, now_ms, 1);
                    }
                }
                _ => {}
            }
        }
        if let Some(purchase) = &facts.last_purchase {
            let t = purchase.time_ms.min(now_ms);
            if t > self.identified.purchase_ms {
                self.identified.purchase_ms = t;
                self.purchased_elsewhere(purchase, t);
            }
        }
        fired
    }

    /// A purchase the browser did not see (another device, the phone): its items are excluded
    /// from promotions, cart lines added before it are gone, and a checkout begun before it is
    /// no longer abandoned. It is not a conversion here: those are the purchases seen on site.
    fn purchased_elsewhere(&mut self, purchase: &Event, t: u64) {
        for item in &purchase.items {
            self.remember_purchase(item, t);
        }
        let mut at = 0;
        while at < self.cart().len() {
            if self.cart[at].added_ms > t {
                at += 1;
            } else {
                remove(&mut self.cart, &mut self.n_cart, at);
            }
        }
        // The last `begin_checkout` kept.
        let mut checkout = None;
        for s in self.signals() {
            if s.rule == RuleId::BeginCheckout {
                checkout = Some(s.time_ms);
            }
        }
        if checkout.is_some_and(|at| at <= t) {
            self.abandoned = Default::default();
        }
    }
}

// The cases are JSON, which is a native-only `Params` source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::state::CheckoutStep;
    use crate::core::Item;
    use serde_json::json;

    const DAY: u64 = 86_400_000;
    const T0: u64 = 1_767_571_200_000;

    /// A report as `identify()` receives it (the browser's JS validates the argument's shape).
    fn facts(v: serde_json::Value) -> Facts {
        let flag = |k: &str| v.get(k).and_then(|x| x.as_bool());
        Facts {
            email_opens_30d: v
                .get("emailOpens30d")
                .and_then(|x| x.as_u64())
                .map(|n| n as u32),
            last_email_open_ms: v.get("lastEmailOpen").and_then(|x| x.as_u64()),
            email_subscribed: flag("emailSubscribed"),
            unsubscribed: flag("unsubscribed"),
            bounced: v.get("bounced").map(|b| match b.as_bool() {
                Some(true) => Bounced::Marked,
                Some(false) => Bounced::Count(0),
                None => Bounced::Count(b.as_u64().unwrap_or(0) as u32),
            }),
            spam_complaint: flag("spamComplaint"),
            sms_opt_in: flag("smsOptIn"),
            last_purchase: v.get("lastPurchase").map(|p| {
                let t = p["time"].as_u64().expect("a purchase time");
                Event::decode("purchase", t, &p)
                    .expect("valid")
                    .expect("known")
            }),
        }
    }

    #[test]
    fn repeating_a_report_adds_nothing() {
        let model = Model::default();
        let mut p = Profile::new("v");
        let f = facts(json!({"emailOpens30d": 3, "smsOptIn": true, "unsubscribed": false}));
        // 3 opens (+1 each) and the SMS opt-in (+5).
        assert_eq!(p.identify(&model, &f, T0), 4);
        let once = p;
        assert_eq!(p.identify(&model, &f, T0 + 60_000), 0);
        assert_eq!(
            p.snapshot(&model, T0).score,
            once.snapshot(&model, T0).score
        );
        assert_eq!(p.snapshot(&model, T0).score, 8.0);
    }

    #[test]
    fn only_new_opens_count_and_an_older_report_is_ignored() {
        let model = Model::default();
        let mut p = Profile::new("v");
        p.identify(&model, &facts(json!({"emailOpens30d": 2})), T0);
        // A day later one more open: one signal.
        assert_eq!(
            p.identify(&model, &facts(json!({"emailOpens30d": 3})), T0 + DAY),
            1
        );
        // One expired: nothing new.
        assert_eq!(
            p.identify(&model, &facts(json!({"emailOpens30d": 2})), T0 + 2 * DAY),
            0
        );
        // A report from before the last one (another tab replaying it): ignored.
        assert_eq!(
            p.identify(&model, &facts(json!({"emailOpens30d": 9})), T0 + DAY),
            0
        );
        // After the window, the whole count is new.
        assert_eq!(
            p.identify(&model, &facts(json!({"emailOpens30d": 2})), T0 + 40 * DAY),
            2
        );
    }

    #[test]
    fn opens_land_at_the_reported_time_for_the_no_opens_condition() {
        let model = Model::default();
        let mut p = Profile::new("v");
        let f = facts(json!({"emailOpens30d": 1, "lastEmailOpen": T0 - 31 * DAY}));
        p.identify(&model, &f, T0);
        // The open was 31 days ago: no_email_opens_30d (−10) holds now; the +1 has decayed.
        let s = p.snapshot(&model, T0);
        assert!(s.score < -9.0, "score {}", s.score);
    }

    #[test]
    fn unsubscribe_bounces_and_spam_suppress_once() {
        let model = Model::default();
        let mut p = Profile::new("v");
        let f = facts(json!({"unsubscribed": true, "bounced": true}));
        p.identify(&model, &f, T0);
        p.identify(&model, &f, T0 + DAY);
        let s = p.snapshot(&model, T0 + DAY);
        assert!(s.suppression.opted_out && s.suppression.bounced);
        // −25 once, −20 once (two bounces, the rule fires once per 30 days).
        assert_eq!(p.signals().count(), 2);
        let mut q = Profile::new("w");
        q.identify(&model, &facts(json!({"spamComplaint": true})), T0);
        assert!(q.snapshot(&model, T0).suppression.bounced);
        let mut r = Profile::new("x");
        r.identify(&model, &facts(json!({"bounced": 1})), T0);
        assert!(!r.snapshot(&model, T0).suppression.bounced);
    }

    #[test]
    fn sms_opt_in_then_false_is_an_opt_out() {
        let model = Model::default();
        let mut p = Profile::new("v");
        p.identify(&model, &facts(json!({"smsOptIn": false})), T0);
        assert!(!p.snapshot(&model, T0).suppression.opted_out);
        p.identify(&model, &facts(json!({"smsOptIn": true})), T0 + 1);
        p.identify(&model, &facts(json!({"smsOptIn": false})), T0 + 2);
        assert!(p.snapshot(&model, T0 + 2).suppression.opted_out);
    }

    #[test]
    fn a_purchase_elsewhere_excludes_items_and_settles_the_cart_once() {
        let model = Model::default();
        let mut p = Profile::new("v");
        let mut add = Event::new(EventKind::AddToCart, T0);
        add.items.push(Item {
            id: "A".into(),
            name: None,
            category: Some("Coats".into()),
            price: Some(250.0),
            quantity: 1.0,
        });
        p.track(&model, &add).unwrap();
        p.track(&model, &Event::new(EventKind::BeginCheckout, T0 + 1))
            .unwrap();
        // A new visit two days later: the checkout of the first one is abandoned.
        let mut later = Event::new(EventKind::PageView, T0 + 2 * DAY);
        later.page_location = Some("https://s.example/".into());
        p.track(&model, &later).unwrap();
        assert_eq!(p.abandoned, CheckoutStep::Account);
        assert!(p.snapshot(&model, T0 + 2 * DAY).high_value);

        let f = facts(json!({"lastPurchase": {"time": T0 + DAY, "value": 250,
            "items": [{"item_id": "A", "item_category": "Coats", "price": 250}]}}));
        let score = p.snapshot(&model, T0 + 2 * DAY).score;
        assert_eq!(p.identify(&model, &f, T0 + 2 * DAY), 0);
        assert_eq!(p.abandoned, CheckoutStep::None);
        let s = p.snapshot(&model, T0 + 2 * DAY);
        assert_eq!((s.score, s.value), (score, 0.0));
        assert_eq!(p.conversions, 0, "not a conversion seen on site");
        let recent: Vec<_> = p.recent_purchases(&model, T0 + 2 * DAY).collect();
        assert_eq!(recent.len(), 1);
        assert_eq!(recent[0].category(), Some("Coats"));
        let before = p;
        p.identify(&model, &f, T0 + 3 * DAY);
        assert_eq!(p, before);
    }
}
