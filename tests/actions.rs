//! The action engine, driven with virtual time: every default rule fires exactly as the README
//! table says, and caps, cooldowns, suppression, recent purchases and both arms behave.

// Native: events and configs come from `serde_json` here (the browser reads JS objects).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use shopper_intent::core::actions::{
    self, arms, conversions, decide, dismiss, idle_after_ms, may_nudge, next_deadline, record,
    wants_exit_intent, Context, Decision, Trigger,
};
use shopper_intent::core::config::actions::DEFAULT_EXPERIMENT;
use shopper_intent::core::experiment::Experiment;
use shopper_intent::core::model::Kind;
use shopper_intent::core::{Config, Event, Model, Profile, Stage};

const T0: u64 = 1_700_000_000_000;
const SEC: u64 = 1000;
const MIN: u64 = 60 * SEC;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

const RULES: [&str; 9] = [
    "proactive_chat",
    "free_shipping_offer",
    "payment_options",
    "guest_checkout",
    "cart_reminder",
    "size_help",
    "shipping_reassurance",
    "returns_reassurance",
    "comparison_help",
];

fn model(config: Value) -> Model {
    Config::read(&config)
        .and_then(|c| c.compile())
        .unwrap_or_else(|e| panic!("config {config}: {e}"))
}

/// The defaults with every rule but `keep` turned off, in the treatment arm.
fn only(keep: &[&str]) -> Model {
    only_in(keep, 1)
}

fn only_in(keep: &[&str], arm: usize) -> Model {
    let mut rules = serde_json::Map::new();
    for name in RULES {
        rules.insert(name.into(), json!({"enabled": keep.contains(&name)}));
    }
    model(json!({
        "actions": {"rules": rules},
        "experiments": {DEFAULT_EXPERIMENT: {"force": arm}}
    }))
}

/// One visitor on a virtual clock.
struct Shopper {
    model: Model,
    profile: Profile,
    now: u64,
}

fn item(id: &str) -> Value {
    let (name, price, category) = match id {
        "A" => ("Linen Shirt", 149.0, "shirts"),
        "B" => ("Oxford Shirt", 89.0, "shirts"),
        "C" => ("Wool Coat", 289.0, "coats"),
        _ => ("Scarf", 25.0, "accessories"),
    };
    json!({"item_id": id, "item_name": name, "price": price, "item_category": category})
}

impl Shopper {
    fn new(model: Model) -> Shopper {
        Shopper {
            model,
            profile: Profile::new("visitor-1"),
            now: T0,
        }
    }

    fn event(&mut self, name: &str, params: Value) {
        let event = Event::decode(name, self.now, &&params)
            .expect("valid event")
            .expect("known event");
        self.profile.track(&self.model, &event).expect("tracked");
        self.now += SEC;
    }

    fn page(&mut self, path: &str) {
        let url = ["https://shop.example", path].concat();
        self.event("page_view", json!({"page_location": url}));
    }

    /// A product page view and its `view_item`.
    fn product(&mut self, id: &str) {
        self.page(&["/products/", id].concat());
        self.event("view_item", json!({"items": [item(id)]}));
    }

    fn add_to_cart(&mut self, id: &str) {
        self.event("add_to_cart", json!({"items": [item(id)]}));
    }

    fn wait(&mut self, ms: u64) {
        self.now += ms;
    }

    fn decide_on(&self, trigger: Trigger) -> Option<Decision<'_>> {
        decide(
            &self.profile,
            &self.model,
            &Context {
                now_ms: self.now,
                trigger,
            },
        )
    }

    fn decide(&self) -> Option<Decision<'_>> {
        self.decide_on(Trigger::Dwell)
    }

    /// The rule that would fire now, without recording it.
    fn peek(&self) -> Option<String> {
        self.decide().map(|d| d.rule.to_string())
    }

    /// Decides and records, as the adapter does; the rule that fired.
    fn nudge(&mut self) -> Option<String> {
        self.nudge_on(Trigger::Dwell)
    }

    fn nudge_on(&mut self, trigger: Trigger) -> Option<String> {
        let ctx = Context {
            now_ms: self.now,
            trigger,
        };
        // The decision borrows the model, not the profile: the adapter records it the same way.
        let decision = decide(&self.profile, &self.model, &ctx)?;
        record(&mut self.profile, &self.model, &decision, self.now);
        Some(decision.rule.to_string())
    }

    fn deadline(&self) -> Option<u64> {
        next_deadline(&self.profile, &self.model, self.now)
    }

    fn stage(&self) -> Stage {
        self.profile.snapshot(&self.model, self.now).stage
    }

    /// 3 views of A, add to cart, begin checkout (53 points, mql), then leave for `gap`.
    fn checkout_then_leave(&mut self, gap: u64) {
        for _ in 0..3 {
            self.product("A");
            self.wait(MIN);
        }
        self.add_to_cart("A");
        self.page("/checkout");
        self.event("begin_checkout", json!({"items": [item("A")]}));
        self.wait(gap);
    }
}

// ---------------------------------------------------------------------------------------------
// proactive_chat: sql, and a return visit or high_value, on a product or cart page, after 10 s.

#[test]
fn proactive_chat_fires_for_a_returning_sql_visitor_after_10_s_on_a_product_page() {
    let mut s = Shopper::new(only(&["proactive_chat"]));
    s.checkout_then_leave(HOUR);
    s.product("A");
    assert_eq!(s.stage(), Stage::Sql);
    let entered = s.profile.visit.page_started_ms;
    assert_eq!(s.deadline(), Some(entered + 10 * SEC));
    s.now = entered + 10 * SEC - 1;
    assert_eq!(s.peek(), None, "not before 10 s");
    s.now = entered + 10 * SEC;
    let d = s.decide().expect("fires at 10 s");
    assert_eq!(d.rule, "proactive_chat");
    assert_eq!(d.kind, Kind::Chat);
    assert_eq!(
        d.message,
        "I noticed you've been looking at Linen Shirt. Can I help with any questions?"
    );
    assert_eq!(d.product.as_deref(), Some("Linen Shirt"));
    assert_eq!(
        d.reason,
        "stage sql, on a product page, return visit, 10 s on the page"
    );
    assert!(d.promotional && d.show);
}

#[test]
fn proactive_chat_fires_on_a_first_visit_when_high_value() {
    let mut s = Shopper::new(model(json!({
        "stages": {"sql": 15, "mql": 10, "warm": 5},
        "actions": {"rules": {"comparison_help": {"enabled": false},
                              "shipping_reassurance": {"enabled": false},
                              "returns_reassurance": {"enabled": false}}},
        "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
    })));
    s.product("C"); // 289: high value
    s.add_to_cart("C");
    s.page("/cart");
    assert_eq!(s.stage(), Stage::Sql);
    assert_eq!(s.profile.visit.index, 1);
    s.wait(10 * SEC);
    let d = s.decide().expect("high value stands in for a return visit");
    assert_eq!(d.rule, "proactive_chat");
    assert!(d.reason.contains("high value"), "{}", d.reason);
}

#[test]
fn proactive_chat_does_not_fire_off_product_and_cart_pages_below_sql_or_on_a_first_visit() {
    // Returning sql visitor on the home page: no.
    let mut s = Shopper::new(only(&["proactive_chat"]));
    s.checkout_then_leave(HOUR);
    s.product("A");
    s.page("/");
    s.wait(MIN);
    assert_eq!(s.stage(), Stage::Sql);
    assert_eq!((s.peek(), s.deadline()), (None, None));

    // Returning mql visitor on a product page: no.
    let mut s = Shopper::new(only(&["proactive_chat"]));
    s.product("A");
    s.wait(HOUR);
    s.product("A");
    s.wait(MIN);
    assert_eq!(s.stage(), Stage::Cold);
    assert_eq!(s.peek(), None);

    // sql on a first visit without high value: no.
    let mut s = Shopper::new(only(&["proactive_chat"]));
    s.checkout_then_leave(0);
    s.product("A");
    s.wait(MIN);
    assert_eq!((s.stage(), s.profile.visit.index), (Stage::Mql, 1));
    assert_eq!(s.peek(), None);
}

// ---------------------------------------------------------------------------------------------
// shipping_reassurance / returns_reassurance: on a product, cart or checkout page, with high
// intent or having viewed the shipping or returns page this visit; after 5 s.

#[test]
fn reassurance_fires_on_high_intent_product_pages_shipping_first_then_returns() {
    let mut s = Shopper::new(only(&["shipping_reassurance", "returns_reassurance"]));
    s.product("A");
    s.product("A");
    s.product("A"); // 3 views in 10 minutes: high intent
    assert_eq!(
        s.deadline(),
        Some(s.profile.visit.page_started_ms + 5 * SEC)
    );
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!(
        (d.rule, d.kind, d.promotional),
        ("shipping_reassurance", Kind::Banner, false)
    );
    assert_eq!(d.reason, "high intent, on a product page, 5 s on the page");
    s.nudge();
    assert_eq!(
        s.peek(),
        None,
        "one at a time: the banner is active on this page"
    );
    s.page("/cart");
    s.wait(5 * SEC);
    assert_eq!(s.nudge().as_deref(), Some("returns_reassurance"));
    s.page("/checkout");
    s.wait(5 * SEC);
    assert_eq!(s.peek(), None, "each once per visit, two per visit in all");
}

#[test]
fn reassurance_fires_on_a_product_page_after_the_policy_pages() {
    let mut s = Shopper::new(only(&["shipping_reassurance", "returns_reassurance"]));
    s.page("/policies/returns-policy");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "not on the policy page itself");
    s.product("B");
    assert_eq!(s.profile.snapshot(&s.model, s.now).intent.name(), "low");
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!(d.rule, "shipping_reassurance");
    assert_eq!(
        d.reason,
        "on a product page, viewed returns this visit, 5 s on the page"
    );
}

#[test]
fn reassurance_does_not_fire_for_low_intent_or_off_buying_pages() {
    let mut s = Shopper::new(only(&["shipping_reassurance", "returns_reassurance"]));
    s.product("A");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "low intent, no policy page");
    s.page("/policies/shipping-policy");
    s.page("/blogs/news/linen");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "a blog page is not a buying page");
}

// ---------------------------------------------------------------------------------------------
// size_help: a size-guide view this visit, or 3 or more variant switches; after 5 s.

#[test]
fn size_help_fires_after_a_size_guide_view() {
    let mut s = Shopper::new(only(&["size_help"]));
    s.product("A");
    s.wait(MIN);
    assert_eq!(s.peek(), None);
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!((d.rule, d.kind), ("size_help", Kind::Chat));
    assert_eq!(d.reason, "viewed size_guide this visit, 5 s on the page");
}

#[test]
fn size_help_fires_on_the_third_variant_switch_not_the_second() {
    let mut s = Shopper::new(only(&["size_help"]));
    s.product("A");
    s.event("select_variant", json!({"items": [item("A")]}));
    s.event("select_variant", json!({"items": [item("A")]}));
    s.wait(MIN);
    assert_eq!(s.peek(), None, "2 switches");
    s.event("select_variant", json!({"items": [item("A")]}));
    let d = s.decide().expect("3 switches");
    assert_eq!(d.reason, "3 variant switches, 5 s on the page");
}

// ---------------------------------------------------------------------------------------------
// cart_reminder: a return visit with items in the cart, not on cart or checkout pages; after 5 s.

#[test]
fn cart_reminder_fires_on_a_return_with_a_filled_cart() {
    let mut s = Shopper::new(only(&["cart_reminder"]));
    s.product("A");
    s.add_to_cart("A");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "first visit");
    s.wait(DAY);
    s.page("/");
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!((d.rule, d.promotional), ("cart_reminder", true));
    assert_eq!(d.reason, "items in the cart, return visit, 5 s on the page");
}

#[test]
fn cart_reminder_does_not_fire_on_the_cart_page_or_with_an_empty_cart() {
    let mut s = Shopper::new(only(&["cart_reminder"]));
    s.product("A");
    s.add_to_cart("A");
    s.wait(DAY);
    s.page("/cart");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "the cart page shows the cart already");

    let mut s = Shopper::new(only(&["cart_reminder"]));
    s.product("A");
    s.add_to_cart("A");
    s.event("remove_from_cart", json!({"items": [item("A")]}));
    s.wait(DAY);
    s.page("/");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "emptied cart");

    let mut s = Shopper::new(only(&["cart_reminder"]));
    s.product("A");
    s.add_to_cart("A");
    s.wait(8 * DAY);
    s.page("/");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "a cart older than the 7-day value window");
}

// ---------------------------------------------------------------------------------------------
// free_shipping_offer / payment_options / guest_checkout: a return after a checkout abandoned at
// shipping / payment / account; after 5 s on any page.

/// Abandons a checkout at `step` ("account", "shipping", "payment"), returns a day later.
fn abandon_at(step: &str) -> Shopper {
    let mut s = Shopper::new(only(&[
        "free_shipping_offer",
        "payment_options",
        "guest_checkout",
    ]));
    s.product("B");
    s.add_to_cart("B");
    s.page("/checkout");
    s.event("begin_checkout", json!({"items": [item("B")]}));
    match step {
        "shipping" => s.page("/checkout/shipping"),
        "payment" => s.event("add_shipping_info", json!({"items": [item("B")]})),
        _ => {}
    }
    s.wait(MIN);
    assert_eq!(s.peek(), None, "not in the visit that abandons");
    s.wait(DAY);
    s.page("/");
    s
}

#[test]
fn each_abandoned_step_gets_its_own_fix() {
    for (step, rule, promotional) in [
        ("account", "guest_checkout", false),
        ("shipping", "free_shipping_offer", true),
        ("payment", "payment_options", false),
    ] {
        let mut s = abandon_at(step);
        s.now = s.profile.visit.page_started_ms + 5 * SEC - 1;
        assert_eq!(s.peek(), None, "{step}: not before 5 s");
        s.wait(1);
        let d = s.decide().unwrap_or_else(|| panic!("{step}: fires"));
        assert_eq!((d.rule, d.promotional), (rule, promotional), "{step}");
        assert_eq!(
            d.reason,
            [
                "checkout abandoned at ",
                step,
                ", return visit, 5 s on the page"
            ]
            .concat()
        );
        s.nudge();
        s.page("/collections/all");
        s.wait(MIN);
        assert_eq!(s.peek(), None, "{step}: no other fix follows");
    }
}

#[test]
fn a_purchase_clears_the_abandoned_checkout() {
    let mut s = Shopper::new(only(&["free_shipping_offer"]));
    s.product("B");
    s.page("/checkout");
    s.event("begin_checkout", json!({"items": [item("B")]}));
    s.page("/checkout/shipping");
    s.event("purchase", json!({"value": 89, "items": [item("B")]}));
    s.wait(DAY);
    s.page("/");
    s.wait(MIN);
    assert_eq!(s.peek(), None);
}

// ---------------------------------------------------------------------------------------------
// comparison_help: mid intent; after 5 s on any page.

#[test]
fn comparison_help_fires_on_mid_intent_only() {
    let mut s = Shopper::new(only(&["comparison_help"]));
    s.page("/blogs/news/linen");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "low intent");
    s.event("add_to_wishlist", json!({"items": [item("A")]}));
    let d = s.decide().expect("mid intent");
    assert_eq!((d.rule, d.kind), ("comparison_help", Kind::Chat));
    assert_eq!(d.reason, "mid intent, 5 s on the page");

    let mut s = Shopper::new(only(&["comparison_help"]));
    s.page("/");
    s.add_to_cart("A");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "high intent is not mid");
}

// ---------------------------------------------------------------------------------------------
// Priorities, one at a time, the visit cap.

#[test]
fn a_higher_rule_waiting_for_its_dwell_keeps_its_turn() {
    // All defaults: the returning sql visitor with a cart and an abandoned checkout lands on a
    // product page. cart_reminder and guest_checkout hold at 5 s, but proactive_chat (higher)
    // holds at 10 s: they wait, and the chat comes first.
    let mut s = Shopper::new(only(&RULES));
    s.checkout_then_leave(HOUR);
    s.product("A");
    let entered = s.profile.visit.page_started_ms;
    s.now = entered + 5 * SEC;
    assert_eq!(s.peek(), None);
    assert_eq!(s.deadline(), Some(entered + 10 * SEC));
    s.now = entered + 10 * SEC;
    assert_eq!(s.nudge().as_deref(), Some("proactive_chat"));
    assert_eq!(s.deadline(), None, "the chat is active on this page");
    // The next page: the abandoned-checkout fix (priority 90) beats the cart reminder (80).
    s.page("/collections/all");
    s.wait(5 * SEC);
    assert_eq!(s.nudge().as_deref(), Some("guest_checkout"));
    s.page("/");
    s.wait(MIN);
    assert_eq!(s.peek(), None, "two nudges per visit in all");
}

#[test]
fn dismissing_or_changing_page_ends_the_active_nudge() {
    let mut s = Shopper::new(only(&["size_help", "comparison_help"]));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    assert_eq!(s.nudge().as_deref(), Some("size_help"));
    assert_eq!(
        actions::active(&s.profile, &s.model),
        Some("size_help"),
        "active on its page"
    );
    assert_eq!(s.peek(), None);
    dismiss(&mut s.profile);
    assert_eq!(actions::active(&s.profile, &s.model), None);
    assert_eq!(
        s.peek().as_deref(),
        Some("comparison_help"),
        "size guide = mid"
    );

    let mut s = Shopper::new(only(&["size_help", "comparison_help"]));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    s.nudge();
    s.page("/collections/all");
    assert_eq!(actions::active(&s.profile, &s.model), None, "a new page");
    s.wait(5 * SEC);
    assert_eq!(s.peek().as_deref(), Some("comparison_help"));
}

#[test]
fn the_visit_cap_is_configurable() {
    let mut s = Shopper::new(model(json!({
        "actions": {"max_per_visit": 1},
        "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
    })));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    assert_eq!(s.nudge().as_deref(), Some("size_help"));
    s.page("/collections/all");
    s.wait(MIN);
    assert_eq!(s.peek(), None);
}

// ---------------------------------------------------------------------------------------------
// Caps and cooldown.

#[test]
fn per_day_and_per_visitor_caps() {
    // size_help: once per visit, once per 24 hours, no lifetime cap.
    let mut s = Shopper::new(only(&["size_help"]));
    let size_guide = |s: &mut Shopper| {
        s.page("/pages/size-guide");
        s.wait(5 * SEC);
    };
    size_guide(&mut s);
    assert_eq!(s.nudge().as_deref(), Some("size_help"));
    let first = s.now;
    s.wait(HOUR); // a new visit, the same day
    size_guide(&mut s);
    assert_eq!(s.profile.visit.index, 2);
    assert_eq!(s.peek(), None, "once per day");
    assert_eq!(
        s.deadline(),
        Some(first + DAY),
        "wakes when the day is over"
    );
    s.now = first + DAY;
    size_guide(&mut s);
    assert_eq!(s.nudge().as_deref(), Some("size_help"));
    assert_eq!(s.profile.nudges.shown("size_help"), 2);

    // free_shipping_offer: at most twice per visitor.
    let mut s = abandon_at("shipping");
    for visit in 0..4 {
        s.wait(5 * SEC);
        let fired = s.nudge();
        assert_eq!(fired.is_some(), visit < 2, "visit {visit}: {fired:?}");
        s.wait(2 * DAY);
        s.page("/");
    }
}

#[test]
fn cooldown_and_per_visit_cap_from_config() {
    let mut s = Shopper::new(model(json!({
        "actions": {"max_per_visit": 0, "rules": {
            "size_help": {"max_per_visit": 2, "max_per_day": 0, "cooldown_min": 30}
        }},
        "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
    })));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    assert_eq!(s.nudge().as_deref(), Some("size_help"));
    let shown = s.now;
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    assert_eq!(
        s.peek().as_deref(),
        Some("comparison_help"),
        "size_help cools down"
    );
    s.nudge();
    s.page("/pages/size-guide");
    assert_eq!(s.deadline(), Some(shown + 30 * MIN));
    s.now = shown + 30 * MIN - 1;
    s.event("view_item", json!({"items": [item("A")]})); // keeps the visit alive
    s.now = shown + 30 * MIN;
    assert_eq!(
        s.nudge().as_deref(),
        Some("size_help"),
        "after the cooldown"
    );
    s.page("/pages/size-guide");
    for _ in 0..4 {
        s.wait(10 * MIN);
        s.event("view_item", json!({"items": [item("A")]}));
    }
    assert_eq!(s.profile.visit.index, 1);
    assert_eq!((s.peek(), s.deadline()), (None, None), "twice per visit");
}

// ---------------------------------------------------------------------------------------------
// Suppression, recent purchases.

#[test]
fn suppressed_visitors_get_only_non_promotional_help() {
    for why in [
        "email_unsubscribe",
        "sms_opt_out",
        "opt_out",
        "spam_complaint",
    ] {
        // Low thresholds keep the visitor sql despite the unsubscribe's -25.
        let mut s = Shopper::new(model(json!({
            "stages": {"sql": 30, "mql": 20, "warm": 10},
            "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
        })));
        s.checkout_then_leave(HOUR);
        s.event(why, json!({}));
        s.page("/"); // a return after a checkout abandoned at account
        s.product("A");
        assert!(s.profile.snapshot(&s.model, s.now).suppressed(), "{why}");
        assert_eq!(s.stage(), Stage::Sql, "{why}");
        s.wait(10 * SEC);
        // proactive_chat (100) is promotional: skipped; guest_checkout (90) is help.
        assert_eq!(s.nudge().as_deref(), Some("guest_checkout"), "{why}");
        s.product("B");
        s.wait(10 * SEC);
        // cart_reminder (80) is promotional: skipped; shipping_reassurance (50) is help.
        assert_eq!(s.nudge().as_deref(), Some("shipping_reassurance"), "{why}");
    }
}

#[test]
fn a_suppressed_visitor_with_only_promotional_rules_gets_nothing() {
    let mut s = abandon_at("shipping");
    s.event("email_unsubscribe", json!({}));
    s.wait(MIN);
    assert_eq!(s.peek(), None, "free shipping is an offer");
    assert_eq!(s.deadline(), None);
}

#[test]
fn recent_purchases_are_never_the_product_of_a_promotion() {
    let chat = || {
        let mut s = Shopper::new(model(json!({
            "stages": {"sql": 8, "mql": 6, "warm": 4},
            "actions": {"rules": {
                "shipping_reassurance": {"enabled": false},
                "returns_reassurance": {"enabled": false},
                "comparison_help": {"enabled": false}
            }},
            "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
        })));
        for _ in 0..3 {
            s.product("A");
        }
        s
    };
    // A bought; B (same category) and D (another) viewed once: the chat is about D.
    let mut s = chat();
    s.event("purchase", json!({"value": 149, "items": [item("A")]}));
    s.product("B");
    s.product("D");
    s.wait(DAY);
    s.product("D");
    s.wait(10 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!(d.rule, "proactive_chat");
    assert_eq!(d.product.as_deref(), Some("Scarf"));
    assert!(d.message.contains("Scarf"));

    // Only the bought item viewed: the promotional chat has no product and does not fire.
    let mut s = chat();
    s.event("purchase", json!({"value": 149, "items": [item("A")]}));
    s.wait(DAY);
    s.page("/products/A");
    s.wait(10 * SEC);
    assert_eq!(s.peek(), None);

    // After the 14-day window the item may be mentioned again.
    let mut s = chat();
    s.event("purchase", json!({"value": 149, "items": [item("A")]}));
    s.wait(15 * DAY);
    s.product("A");
    s.wait(10 * SEC);
    assert_eq!(
        s.decide().and_then(|d| d.product).as_deref(),
        Some("Linen Shirt")
    );
}

#[test]
fn help_still_comes_after_a_purchase_but_never_names_the_bought_item() {
    let mut s = Shopper::new(only(&["size_help"]));
    s.product("A");
    s.event("purchase", json!({"value": 149, "items": [item("A")]}));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    let d = s.decide().expect("help is not a promotion");
    assert_eq!(
        d.product, None,
        "no further nudges about a product just bought"
    );
    assert!(!d.message.contains("Linen Shirt"), "{}", d.message);
}

// ---------------------------------------------------------------------------------------------
// Experiments: both arms, exposures, conversions.

#[test]
fn the_control_arm_records_an_exposure_and_shows_nothing() {
    for (arm, show, variant) in [(0, false, "control"), (1, true, "treatment")] {
        let mut s = Shopper::new(only_in(&["size_help", "comparison_help"], arm));
        s.page("/pages/size-guide");
        s.wait(5 * SEC);
        let d = s.decide().expect("decided in both arms");
        assert_eq!(d.show, show);
        assert_eq!(
            (d.experiment, d.variant, d.variation),
            (Some(DEFAULT_EXPERIMENT), Some(variant), Some(arm))
        );
        let exposure = d.exposure.clone().expect("first decision of the visit");
        assert_eq!(exposure.experiment_id, DEFAULT_EXPERIMENT);
        assert_eq!(exposure.variation_id, arm.to_string());
        assert_eq!(exposure.variant, variant);
        s.nudge();
        // The same caps in both arms: the control's nudge is "active" on its page too.
        assert_eq!(s.peek(), None);
        s.page("/collections/all");
        s.wait(5 * SEC);
        let d = s.decide().expect("comparison_help");
        assert_eq!(d.exposure, None, "logged once per visit");
        s.nudge();
        s.wait(DAY);
        s.page("/pages/size-guide");
        s.wait(5 * SEC);
        let d = s.decide().expect("a new visit");
        assert!(d.exposure.is_some(), "logged again in a new visit");
    }
}

#[test]
fn a_purchase_after_an_exposure_converts_in_its_arm() {
    for arm in [0usize, 1] {
        let mut s = Shopper::new(only_in(&["size_help"], arm));
        let purchase = |s: &Shopper| {
            Event::decode(
                "purchase",
                s.now,
                &&json!({"value": 120.5, "items": [item("A")]}),
            )
            .expect("valid")
            .expect("known")
        };
        assert!(conversions(&s.profile, &s.model, &purchase(&s)).is_empty());
        s.page("/pages/size-guide");
        s.wait(5 * SEC);
        s.nudge();
        s.wait(HOUR);
        let converted = conversions(&s.profile, &s.model, &purchase(&s));
        assert_eq!(converted.len(), 1);
        let c = &converted[0];
        assert_eq!(
            (c.experiment_id, c.variation_id.as_str(), c.value),
            (DEFAULT_EXPERIMENT, arm.to_string().as_str(), 120.5)
        );
        let view = Event::decode("view_item", s.now, &&json!({"items": [item("A")]}))
            .expect("valid")
            .expect("known");
        assert!(
            conversions(&s.profile, &s.model, &view).is_empty(),
            "only purchases"
        );
        s.wait(7 * DAY);
        assert!(
            conversions(&s.profile, &s.model, &purchase(&s)).is_empty(),
            "outside the 7-day attribution window"
        );
    }
}

#[test]
fn arms_are_sticky_and_follow_the_configured_weights() {
    let model = Model::default();
    let mut control = 0;
    for i in 0..2000 {
        let id = ["visitor-", &i.to_string()].concat();
        let a = arms(&Profile::new(id.as_str()), &model, T0);
        let b = arms(&Profile::new(id.as_str()), &model, T0 + DAY);
        assert_eq!(a, b, "sticky");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].experiment, DEFAULT_EXPERIMENT);
        assert!(!a[0].exposed);
        if a[0].variation == 0 {
            control += 1;
        }
    }
    // 20% control: 400 expected, and 3 standard deviations (sqrt(2000 × 0.2 × 0.8) ≈ 17.9) wide.
    assert!((346..=454).contains(&control), "{control} in control");
    // The same hash as any GrowthBook SDK.
    let exp = Experiment {
        key: DEFAULT_EXPERIMENT.into(),
        weights: Some(vec![0.2, 0.8]),
        ..Experiment::default()
    };
    let a = arms(&Profile::new("visitor-7"), &model, T0);
    assert_eq!(
        Some(a[0].variation),
        exp.assign("visitor-7").map(|x| x.variation)
    );
}

#[test]
fn visitors_outside_the_experiment_get_nothing_and_rules_outside_any_experiment_always_show() {
    let mut s = Shopper::new(model(json!({
        "experiments": {DEFAULT_EXPERIMENT: {"coverage": 0}}
    })));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    assert_eq!(s.peek(), None);
    assert!(arms(&s.profile, &s.model, s.now).is_empty());

    let mut s = Shopper::new(model(json!({
        "experiments": {DEFAULT_EXPERIMENT: {"force": 0}},
        "actions": {"rules": {"size_help": {"experiment": ""}}}
    })));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!((d.show, d.experiment, d.exposure), (true, None, None));
}

#[test]
fn a_rule_in_its_own_experiment() {
    let mut s = Shopper::new(model(json!({
        "experiments": {"size-help-test": {"variations": ["control", "chat", "banner"], "force": 2}},
        "actions": {"rules": {"size_help": {"experiment": "size-help-test"}}}
    })));
    s.page("/pages/size-guide");
    s.wait(5 * SEC);
    let d = s.decide().expect("fires");
    assert_eq!(
        (d.experiment, d.variant, d.variation, d.show),
        (Some("size-help-test"), Some("banner"), Some(2), true)
    );
    assert_eq!(arms(&s.profile, &s.model, s.now).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Triggers.

#[test]
fn idle_and_exit_intent_rules_fire_only_on_their_trigger() {
    let mut rules = serde_json::Map::new();
    for name in RULES {
        rules.insert(name.into(), json!({"enabled": false}));
    }
    rules.insert(
        "exit_offer".into(),
        json!({"trigger": "exit_intent", "message": "Before you go: your cart is saved.",
               "promotional": true, "priority": 200, "when": {"cart": true}}),
    );
    rules.insert(
        "idle_help".into(),
        json!({"trigger": "idle", "idle_s": 30, "kind": "chat", "action": "proactive_chat",
               "message": "Still there? Ask us anything.", "when": {"page_types": ["product"]}}),
    );
    let m = model(json!({
        "actions": {"rules": rules},
        "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
    }));
    assert_eq!(idle_after_ms(&m), Some(30 * SEC));
    assert!(wants_exit_intent(&m));
    assert_eq!(idle_after_ms(&Model::default()), None);
    assert!(!wants_exit_intent(&Model::default()));

    let mut s = Shopper::new(m);
    s.product("A");
    s.add_to_cart("A");
    s.wait(SEC);
    assert_eq!(s.peek(), None, "neither fires on a page check");
    assert_eq!(s.deadline(), None, "nor has a deadline");
    assert_eq!(
        s.decide_on(Trigger::Idle { idle_ms: 29 * SEC })
            .map(|d| d.rule),
        None
    );
    let d = s
        .decide_on(Trigger::Idle { idle_ms: 30 * SEC })
        .expect("idle 30 s");
    // A custom rule making a known move: the store's code sees the move, reports the rule.
    assert_eq!(
        (d.rule, d.action, d.kind),
        ("idle_help", "proactive_chat", Kind::Chat)
    );
    assert_eq!(d.reason, "idle 30 s, on a product page");
    let d = s.decide_on(Trigger::ExitIntent).expect("exit intent");
    assert_eq!(d.rule, "exit_offer");
    assert_eq!(d.reason, "exit intent, items in the cart");
}

// ---------------------------------------------------------------------------------------------
// Config.

#[test]
fn the_actions_switch_and_rule_switches() {
    let mut s = Shopper::new(model(json!({"actions": {"enabled": false}})));
    s.page("/pages/size-guide");
    s.wait(MIN);
    assert_eq!((s.peek(), s.deadline()), (None, None));
    assert!(only(&[]).actions.rules.iter().all(|r| !r.enabled));
}

#[test]
fn config_errors_name_the_field() {
    let error = |config: Value| {
        Config::read(&config)
            .and_then(|c| c.compile())
            .expect_err("invalid")
            .to_string()
    };
    let rule = |r: Value| json!({"actions": {"rules": {"size_help": r}}});
    assert_eq!(
        error(rule(json!({"when": {"page_types": ["product", "prodcut"]}}))),
        "config field `actions.rules.size_help.when[0].page_types[1]`: unknown page type; the page types are product, collection, cart, checkout_shipping, checkout_payment, checkout, shipping, returns, faq, size_guide, pricing, blog, home"
    );
    assert_eq!(
        error(rule(json!({"when": [{}, {"stage": "hot"}]}))),
        "config field `actions.rules.size_help.when[1].stage`: must be one of cold, warm, mql, sql"
    );
    assert_eq!(
        error(rule(json!({"when": {"intent": ["mid", "huge"]}}))),
        "config field `actions.rules.size_help.when[0].intent[1]`: must be one of none, low, mid, high"
    );
    assert_eq!(
        error(rule(json!({"when": {"viewd": ["faq"]}}))),
        "config field `actions.rules.size_help.when.viewd`: unknown field; expected one of stage, intent, suppressed, page_types, not_page_types, viewed, abandoned, variant_switches, cart, high_value, min_value, return_visit, dwell_s"
    );
    assert_eq!(
        error(rule(json!({"when": {"abandoned": ["cart"]}}))),
        "config field `actions.rules.size_help.when[0].abandoned[0]`: must be one of account, shipping, payment"
    );
    assert_eq!(
        error(rule(json!({"experiment": "nope"}))),
        "config field `actions.rules.size_help.experiment`: names no experiment; add it under `experiments`, or use \"\" for none"
    );
    assert_eq!(
        error(rule(json!({"kind": "popup"}))),
        "config field `actions.rules.size_help.kind`: must be one of chat, banner"
    );
    assert_eq!(
        error(rule(json!({"max_per_day": 9}))),
        "config field `actions.rules.size_help.max_per_day`: must be at most 8"
    );
    assert_eq!(
        error(rule(json!({"trigger": "idle"}))),
        "config field `actions.rules.size_help.idle_s`: an idle trigger needs `idle_s` above 0"
    );
    assert_eq!(
        error(rule(json!({"when": {"dwell_s": -1}}))),
        "config field `actions.rules.size_help.when[0].dwell_s`: must be a number of 0 or more, up to a year"
    );
    assert_eq!(
        error(rule(json!({"message": 3}))),
        "config field `actions.rules.size_help.message`: must be a string, not a number"
    );
    assert_eq!(
        error(json!({"actions": {"rules": {"my_rule": {"when": {}}}}})),
        "config field `actions.rules.my_rule.message`: is missing; a new rule needs a `message` and `when`"
    );
    assert_eq!(
        error(json!({"actions": {"max_nudges": 1}})),
        "config field `actions.max_nudges`: unknown field; expected one of enabled, max_per_visit, attribution_days, rules"
    );
    assert_eq!(
        error(json!({"experiments": {DEFAULT_EXPERIMENT: {"weights": [0.5, 0.6]}}})),
        "config field `experiments.shopper-intent-nudges.weights`: experiment \"shopper-intent-nudges\" weights must add up to 1 (within 0.01)"
    );
}

#[test]
fn the_full_config_reads_back_to_the_same_model() {
    let custom = model(json!({
        "actions": {"max_per_visit": 3, "rules": {
            "size_help": {"priority": 95, "cooldown_min": 10},
            "idle_help": {"trigger": "idle", "idle_s": 30, "message": "Hi", "when": [{"min_value": 50.5}]}
        }},
        "experiments": {"other": {"weights": [0.1, 0.9], "namespace": ["ns", 0, 0.5]}}
    }));
    for m in [Model::default(), custom] {
        let json = serde_json::to_value(m.to_config()).expect("serializes");
        assert_eq!(model(json), m);
    }
}

#[test]
fn the_default_rules_in_priority_order() {
    let m = Model::default();
    let table: Vec<(&str, u32, &str, bool)> = m
        .actions
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.priority, r.kind.name(), r.promotional))
        .collect();
    assert_eq!(
        table,
        [
            ("proactive_chat", 100, "chat", true),
            ("free_shipping_offer", 90, "banner", true),
            ("guest_checkout", 90, "banner", false),
            ("payment_options", 90, "banner", false),
            ("cart_reminder", 80, "banner", true),
            ("size_help", 60, "chat", false),
            ("shipping_reassurance", 50, "banner", false),
            ("returns_reassurance", 45, "banner", false),
            ("comparison_help", 30, "chat", false),
        ]
    );
    assert_eq!(m.experiments.len(), 1);
    assert_eq!(m.experiments[0].weights, Some(vec![0.2, 0.8]));
    assert_eq!(m.actions.max_per_visit, 2);
}

// ---------------------------------------------------------------------------------------------
// Memory.

#[test]
fn memory_survives_encoding_and_stays_bounded() {
    let mut s = Shopper::new(model(json!({
        "actions": {"max_per_visit": 0, "rules": {"size_help": {"max_per_visit": 0, "max_per_day": 8, "max_per_visitor": 0}}},
        "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
    })));
    for _ in 0..200 {
        s.page("/pages/size-guide");
        s.wait(5 * SEC);
        s.nudge();
        s.wait(HOUR);
    }
    // 8 per 24 hours over 200 hours.
    let shown = s.profile.nudges.shown("size_help");
    assert!((64..=72).contains(&shown), "{shown}");
    let text = s.profile.encode();
    assert!(text.len() < 4096, "{} bytes", text.len());
    assert_eq!(Profile::decode(&text), Ok(s.profile));
}

#[test]
fn a_bought_item_with_a_long_id_is_excluded_too() {
    // Item ids are kept shortened in state; the exclusion must match the whole id. No category,
    // so only the id can exclude it.
    let long = "SKU-".to_string() + &"9".repeat(120);
    let scarf = json!({"items": [{"item_id": long, "item_name": "Scarf", "price": 25}]});
    let chat = || {
        let mut s = Shopper::new(model(json!({
            "stages": {"sql": 8, "mql": 6, "warm": 4},
            "actions": {"rules": {
                "shipping_reassurance": {"enabled": false},
                "returns_reassurance": {"enabled": false},
                "comparison_help": {"enabled": false}
            }},
            "experiments": {DEFAULT_EXPERIMENT: {"force": 1}}
        })));
        for _ in 0..3 {
            s.page("/products/scarf");
            s.event("view_item", scarf.clone());
        }
        s
    };
    let back = |s: &mut Shopper| {
        s.wait(DAY);
        s.page("/products/scarf");
        s.event("view_item", scarf.clone());
        s.wait(10 * SEC);
    };
    let mut not_bought = chat();
    back(&mut not_bought);
    assert_eq!(not_bought.peek().as_deref(), Some("proactive_chat"));
    let mut bought = chat();
    bought.event(
        "purchase",
        json!({"value": 25, "items": scarf["items"].clone()}),
    );
    back(&mut bought);
    assert_eq!(
        bought.peek(),
        None,
        "the chat would name the item just bought"
    );
}

/// Product names in nudges: whole when they fit the profile's 64 bytes, else cut at a word
/// boundary (or, for scripts without spaces, a character) with "…", never mid-word.
#[test]
fn long_product_names_are_cut_at_a_word_with_an_ellipsis() {
    let chat = json!({"actions": {"rules": {"hello": {"kind": "chat", "priority": 1000,
        "message": "About {product}?", "when": {"viewed": ["product"]}, "experiment": ""}}}});
    for (name, shown) in [
        ("Waxed Cotton Field Jacket", "Waxed Cotton Field Jacket"),
        (
            "Men's Waterproof Insulated Winter Parka with Detachable Hood, Navy",
            "Men's Waterproof Insulated Winter Parka with Detachable Hood…",
        ),
        (
            "防水性の高い冬用のダウンジャケットで取り外し可能なフード付きのネイビー",
            "防水性の高い冬用のダウンジャケットで取り…",
        ),
    ] {
        let mut s = Shopper::new(model(chat.clone()));
        s.page("/products/p");
        s.event(
            "view_item",
            json!({"items": [{"item_id": "P", "item_name": name, "price": 10}]}),
        );
        let d = s.decide().expect("the rule holds");
        assert_eq!(d.product.as_deref(), Some(shown), "{name}");
        assert_eq!(d.message, format!("About {shown}?"));
        assert!(shown.len() <= 64);
    }
}

/// A per-item limit holds however many items a visit touches, and no sequence of events grows a
/// score without bound (10,000 adds cycling 1,000 SKUs, then 100 SKUs).
#[test]
fn per_item_limits_hold_for_any_number_of_items() {
    for skus in [100, 1_000] {
        let mut s = Shopper::new(Model::default());
        s.page("/products/p");
        for i in 0..10_000 {
            let id = format!("SKU-{}", i % skus);
            s.event(
                "add_to_cart",
                json!({"items": [{"item_id": id, "price": 1}]}),
            );
            s.now -= SEC - 1; // all within one visit
        }
        let adds = s.profile.signals_fired.saturating_sub(1); // the site visit
                                                              // At most once per item: never more than the distinct items (the filter beyond the
                                                              // first 48 may refuse a few first adds, never allow a second one).
        assert!(adds as usize <= skus, "{skus} SKUs: {adds} adds");
        if skus == 100 {
            assert_eq!(adds, 100, "every first add of 100 items counts");
        } else {
            assert!(
                adds as usize >= skus * 8 / 10,
                "{skus} SKUs: only {adds} adds"
            );
        }
        let score = s.profile.snapshot(&s.model, s.now).score;
        assert!(score <= 2.0 + 15.0 * skus as f64, "{score}");
        // Cycling again adds nothing.
        let before = s.profile.signals_fired;
        for i in 0..skus {
            s.event(
                "add_to_cart",
                json!({"items": [{"item_id": format!("SKU-{i}"), "price": 1}]}),
            );
            s.now -= SEC - 1;
        }
        assert_eq!(s.profile.signals_fired, before);
    }
}

/// The browser loads the nudge engine only once `may_nudge` says a nudge could be decided: in
/// 40 random journeys over every default rule, whenever it says no, no trigger decides anything
/// and there is no deadline to wait for (so the scorer alone behaves exactly as the full engine).
/// It says yes often enough to matter, and not always.
#[test]
fn may_nudge_is_false_only_when_nothing_could_be_decided() {
    let triggers = [
        Trigger::Event,
        Trigger::Dwell,
        Trigger::ExitIntent,
        Trigger::Idle { idle_ms: 120_000 },
    ];
    let (mut yes, mut no) = (0, 0);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for journey in 0..40 {
        let mut s = Shopper::new(Model::default());
        s.profile = Profile::new(format!("visitor-{journey}"));
        for _ in 0..60 {
            let id = ["A", "B", "C", "D"][next(4) as usize];
            match next(12) {
                0 | 1 => s.product(id),
                2 => s.add_to_cart(id),
                3 => s.page(["/pages/shipping", "/pages/returns", "/pages/size-guide", "/cart"][next(4) as usize]),
                4 => {
                    s.page("/checkout");
                    s.event("begin_checkout", json!({"items": [item(id)]}));
                }
                5 => s.event("select_variant", json!({"items": [item(id)]})),
                6 => s.page("/collections/all"),
                7 => s.wait([5 * SEC, 40 * SEC, 20 * MIN, 2 * HOUR, 3 * DAY][next(5) as usize]),
                8 => {
                    if s.nudge_on(triggers[next(4) as usize]).is_some() && next(2) == 0 {
                        dismiss(&mut s.profile);
                    }
                }
                9 => s.event("purchase", json!({"transaction_id": format!("T{}", next(1000)), "value": 120, "currency": "USD", "items": [item(id)]})),
                _ => s.page("/"),
            }
            if may_nudge(&s.profile, &s.model, s.now) {
                yes += 1;
                continue;
            }
            no += 1;
            for trigger in triggers {
                assert!(
                    s.decide_on(trigger).is_none(),
                    "journey {journey}: {trigger:?} decided while may_nudge was false"
                );
            }
            assert_eq!(
                s.deadline(),
                None,
                "journey {journey}: a deadline while may_nudge was false"
            );
        }
    }
    assert!(
        yes > 100 && no > 100,
        "the gate said yes {yes} and no {no} times"
    );
}
