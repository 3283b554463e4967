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
//! ([`default_rules`]). Everything a rule needs to remember lives in [`Memory`], one bounded
//! field of the [`Profile`].
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

use super::config::Fields;
use super::error::Error;
use super::event::{Event, EventKind, Params, Value};
use super::experiment::{fnv32a, push_decimal, Experiment};
use super::model::{Model, DAY_MS};
use super::score::{Intent, Snapshot, Stage};
use super::state::{flag, CheckoutStep, Profile};
use serde::Serialize;
use std::string::{String, ToString};
use std::vec::Vec;

/// Key of the default experiment: one shared holdout for every default nudge.
pub const DEFAULT_EXPERIMENT: &str = "shopper-intent-nudges";
/// The default holdout's split: 20% control (nothing shown), 80% treatment.
pub const DEFAULT_WEIGHTS: [f64; 2] = [0.2, 0.8];
/// `dataLayer` event of an exposure (GrowthBook's GA4 convention).
pub const EXPOSURE_EVENT: &str = "experiment_viewed";
/// `dataLayer` event of a purchase by an exposed visitor.
pub const CONVERSION_EVENT: &str = "experiment_conversion";
/// Rules remembered in [`Memory`] (the least recently shown is forgotten first).
pub const MAX_RULE_MEMOS: usize = 32;
/// Experiments remembered in [`Memory`].
pub const MAX_EXPOSURES: usize = 16;
/// Largest `max_per_day`: that many show times are kept per rule.
pub const MAX_PER_DAY: u32 = 8;

const SECOND_MS: f64 = 1000.0;
const MINUTE_MS: f64 = 60_000.0;

// ---------------------------------------------------------------------------------------------
// Config: what a store writes.

/// A stage or intent condition: a level and everything above it, or a list of levels.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Levels {
    /// `"mql"`: mql or above.
    AtLeast(String),
    /// `["warm", "mql"]`: one of these.
    OneOf(Vec<String>),
}

/// One alternative of a rule's `when`: every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ConditionsConfig {
    /// Stage, e.g. `"sql"` (at least) or `["warm", "mql"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Levels>,
    /// Intent tier, e.g. `"high"` (at least) or `["mid"]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intent: Option<Levels>,
    /// Suppressed (`true`) or not (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<bool>,
    /// The current page is one of these page types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_types: Option<Vec<String>>,
    /// The current page is none of these page types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_page_types: Option<Vec<String>>,
    /// Any of these was viewed this visit: product, collection, cart, shipping, returns, faq,
    /// size_guide, pricing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub viewed: Option<Vec<String>>,
    /// A checkout of an earlier visit was abandoned at one of these steps: account, shipping, payment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abandoned: Option<Vec<String>>,
    /// At least this many `select_variant` events this visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_switches: Option<u32>,
    /// The cart holds items (`true`) or is empty (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cart: Option<bool>,
    /// `high_value` is this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high_value: Option<bool>,
    /// `value` is at least this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<f64>,
    /// A return visit (visit 2 or later: `true`) or the first (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_visit: Option<bool>,
    /// At least this many seconds on the current page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dwell_s: Option<f64>,
}

/// A nudge rule as a store writes it; for a default rule, omitted fields keep the default.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RuleConfig {
    /// `false` turns the rule off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The move it makes, which the store's code switches on (e.g. `"proactive_chat"`);
    /// the rule's name when absent. Several rules may make the same move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// How a generic renderer shows it: `"chat"` (a chat invitation) or `"banner"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The text; `{product}` is replaced by the visitor's most viewed item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A promotion (an offer, a sales outreach) rather than help: never for suppressed visitors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promotional: Option<bool>,
    /// Higher wins when several rules hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Key of the experiment it runs in; `""` for none (always shown, no exposure logged).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment: Option<String>,
    /// What may fire it: `"page"` (events and dwell timers), `"idle"` or `"exit_intent"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// For `trigger: "idle"`: seconds without activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_s: Option<f64>,
    /// Times it may show per visit (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_visit: Option<u32>,
    /// Times it may show per rolling 24 hours (0: no limit; at most 8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_day: Option<u32>,
    /// Times it may show to one visitor, ever (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_visitor: Option<u32>,
    /// Minutes after a showing before it may show again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cooldown_min: Option<f64>,
    /// When it fires: one set of conditions, or a list of alternatives (any may hold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Vec<ConditionsConfig>>,
}

/// The `actions` section of a config.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ActionsConfig {
    /// `false` turns every nudge off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Nudges per visit, over all rules (0: no limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_visit: Option<u32>,
    /// Days after its last exposure that a purchase still converts an experiment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution_days: Option<f64>,
    /// Rules by name: the defaults, overridden or added to. (A list rather than a map: a
    /// `BTreeMap` of these costs kilobytes of wasm; it is written out as a JSON object.)
    #[serde(serialize_with = "super::model::named_map")]
    pub rules: Vec<(String, RuleConfig)>,
}

const RULE_FIELDS: &[&str] = &[
    "enabled",
    "action",
    "kind",
    "message",
    "promotional",
    "priority",
    "experiment",
    "trigger",
    "idle_s",
    "max_per_visit",
    "max_per_day",
    "max_per_visitor",
    "cooldown_min",
    "when",
];
const CONDITION_FIELDS: &[&str] = &[
    "stage",
    "intent",
    "suppressed",
    "page_types",
    "not_page_types",
    "viewed",
    "abandoned",
    "variant_switches",
    "cart",
    "high_value",
    "min_value",
    "return_visit",
    "dwell_s",
];

impl ActionsConfig {
    /// Fields of the `actions` section.
    pub const FIELDS: &'static [&'static str] =
        &["enabled", "max_per_visit", "attribution_days", "rules"];

    /// Reads the `actions` section; the error names the first bad field.
    pub fn read<P: Params>(f: &Fields<P>) -> Result<ActionsConfig, Error> {
        let mut config = ActionsConfig {
            enabled: f.flag("enabled")?,
            max_per_visit: f.count("max_per_visit")?,
            attribution_days: f.number("attribution_days")?,
            rules: Vec::new(),
        };
        if let Some(rules) = f.object("rules", None)? {
            for name in rules.keys() {
                let Some(r) = rules.object(&name, Some(RULE_FIELDS))? else {
                    continue;
                };
                config.rules.push((name, read_rule(&r)?));
            }
        }
        Ok(config)
    }
}

fn read_rule<P: Params>(r: &Fields<P>) -> Result<RuleConfig, Error> {
    let when = match r.kind("when") {
        Value::Missing | Value::Null => None,
        Value::List(_) => {
            let mut alternatives = Vec::new();
            for (i, (value, _)) in r.list("when")?.unwrap_or_default().into_iter().enumerate() {
                let mut path = r.path("when");
                path.push('[');
                push_decimal(&mut path, i as u32);
                path.push(']');
                let c = Fields::open(value, &path, Some(CONDITION_FIELDS))?;
                alternatives.push(read_conditions(&c)?);
            }
            Some(alternatives)
        }
        _ => match r.object("when", Some(CONDITION_FIELDS))? {
            Some(c) => Some(std::vec![read_conditions(&c)?]),
            None => None,
        },
    };
    Ok(RuleConfig {
        enabled: r.flag("enabled")?,
        action: r.text("action")?,
        kind: r.text("kind")?,
        message: r.text("message")?,
        promotional: r.flag("promotional")?,
        priority: r.count("priority")?,
        experiment: r.text("experiment")?,
        trigger: r.text("trigger")?,
        idle_s: r.number("idle_s")?,
        max_per_visit: r.count("max_per_visit")?,
        max_per_day: r.count("max_per_day")?,
        max_per_visitor: r.count("max_per_visitor")?,
        cooldown_min: r.number("cooldown_min")?,
        when,
    })
}

fn read_levels<P: Params>(c: &Fields<P>, key: &str) -> Result<Option<Levels>, Error> {
    Ok(match c.kind(key) {
        Value::List(_) => c.texts(key)?.map(Levels::OneOf),
        _ => c.text(key)?.map(Levels::AtLeast),
    })
}

fn read_conditions<P: Params>(c: &Fields<P>) -> Result<ConditionsConfig, Error> {
    Ok(ConditionsConfig {
        stage: read_levels(c, "stage")?,
        intent: read_levels(c, "intent")?,
        suppressed: c.flag("suppressed")?,
        page_types: c.texts("page_types")?,
        not_page_types: c.texts("not_page_types")?,
        viewed: c.texts("viewed")?,
        abandoned: c.texts("abandoned")?,
        variant_switches: c.count("variant_switches")?,
        cart: c.flag("cart")?,
        high_value: c.flag("high_value")?,
        min_value: c.number("min_value")?,
        return_visit: c.flag("return_visit")?,
        dwell_s: c.number("dwell_s")?,
    })
}

// ---------------------------------------------------------------------------------------------
// The default rules: the seeds' moves.

fn names(list: &[&str]) -> Option<Vec<String>> {
    Some(list.iter().map(|s| s.to_string()).collect())
}

/// Pages where the checkout is under way or about to be.
const BUYING_PAGES: &[&str] = &[
    "product",
    "cart",
    "checkout",
    "checkout_shipping",
    "checkout_payment",
];
const CHECKOUT_PAGES: &[&str] = &["cart", "checkout", "checkout_shipping", "checkout_payment"];

/// A default rule: everything explicit but `when`.
fn rule(
    kind: &str,
    promotional: bool,
    priority: u32,
    max_per_visitor: u32,
    message: &str,
    when: Vec<ConditionsConfig>,
) -> RuleConfig {
    RuleConfig {
        enabled: Some(true),
        action: None,
        kind: Some(kind.into()),
        message: Some(message.into()),
        promotional: Some(promotional),
        priority: Some(priority),
        experiment: Some(DEFAULT_EXPERIMENT.into()),
        trigger: Some("page".into()),
        idle_s: None,
        max_per_visit: Some(1),
        max_per_day: Some(1),
        max_per_visitor: Some(max_per_visitor),
        cooldown_min: Some(0.0),
        when: Some(when),
    }
}

/// A return after a checkout abandoned at `step`, after 5 s on any page.
fn abandoned_at(step: &str) -> Vec<ConditionsConfig> {
    std::vec![ConditionsConfig {
        abandoned: names(&[step]),
        return_visit: Some(true),
        dwell_s: Some(5.0),
        ..ConditionsConfig::default()
    }]
}

/// The default rules by name, each in the [`DEFAULT_EXPERIMENT`] holdout. See the table in the
/// README; the messages are neutral on purpose (they make no offer a store has not made):
/// stores should write their own.
pub fn default_rules() -> Vec<(String, RuleConfig)> {
    let sql_back = |extra: ConditionsConfig| ConditionsConfig {
        stage: Some(Levels::AtLeast("sql".into())),
        page_types: names(&["product", "cart"]),
        dwell_s: Some(10.0),
        ..extra
    };
    let reassure = |extra: ConditionsConfig| ConditionsConfig {
        page_types: names(BUYING_PAGES),
        dwell_s: Some(5.0),
        ..extra
    };
    let reassurance = || {
        std::vec![
            reassure(ConditionsConfig {
                intent: Some(Levels::AtLeast("high".into())),
                ..ConditionsConfig::default()
            }),
            reassure(ConditionsConfig {
                viewed: names(&["shipping", "returns"]),
                ..ConditionsConfig::default()
            }),
        ]
    };
    std::vec![
    (
        "proactive_chat".into(),
        rule(
            "chat",
            true,
            100,
            3,
            "I noticed you've been looking at {product}. Can I help with any questions?",
            std::vec![
                sql_back(ConditionsConfig {
                    return_visit: Some(true),
                    ..ConditionsConfig::default()
                }),
                sql_back(ConditionsConfig {
                    high_value: Some(true),
                    ..ConditionsConfig::default()
                }),
            ],
        ),
    ),
    (
        "free_shipping_offer".into(),
        rule(
            "banner",
            true,
            90,
            2,
            "Welcome back! Ask us about free shipping on your order today.",
            abandoned_at("shipping"),
        ),
    ),
    (
        "payment_options".into(),
        rule(
            "banner",
            false,
            90,
            2,
            "Welcome back! Questions about paying? We can walk you through the payment options.",
            abandoned_at("payment"),
        ),
    ),
    (
        "guest_checkout".into(),
        rule(
            "banner",
            false,
            90,
            2,
            "Welcome back! No account needed: you can check out as a guest.",
            abandoned_at("account"),
        ),
    ),
    (
        "cart_reminder".into(),
        rule(
            "banner",
            true,
            80,
            3,
            "Welcome back! Your cart is still saved for you.",
            std::vec![ConditionsConfig {
                return_visit: Some(true),
                cart: Some(true),
                not_page_types: names(CHECKOUT_PAGES),
                dwell_s: Some(5.0),
                ..ConditionsConfig::default()
            }],
        ),
    ),
    (
        "size_help".into(),
        rule(
            "chat",
            false,
            60,
            0,
            "Not sure about the size? We're happy to help you find the right fit.",
            std::vec![
                ConditionsConfig {
                    viewed: names(&["size_guide"]),
                    dwell_s: Some(5.0),
                    ..ConditionsConfig::default()
                },
                ConditionsConfig {
                    variant_switches: Some(3),
                    dwell_s: Some(5.0),
                    ..ConditionsConfig::default()
                },
            ],
        ),
    ),
    (
        "shipping_reassurance".into(),
        rule(
            "banner",
            false,
            50,
            0,
            "Wondering about delivery? Our shipping page lists the costs and delivery times.",
            reassurance(),
        ),
    ),
    (
        "returns_reassurance".into(),
        rule(
            "banner",
            false,
            45,
            0,
            "Not sure yet? Our returns policy explains how to send items back.",
            reassurance(),
        ),
    ),
    (
        "comparison_help".into(),
        rule(
            "chat",
            false,
            30,
            0,
            "Comparing options? We can help you pick the right one.",
            std::vec![ConditionsConfig {
                intent: Some(Levels::OneOf(std::vec!["mid".into()])),
                dwell_s: Some(5.0),
                ..ConditionsConfig::default()
            }],
        ),
    ),
    ]
}

/// The default experiments: one shared holdout, [`DEFAULT_EXPERIMENT`].
pub fn default_experiments() -> Vec<Experiment> {
    std::vec![default_experiment(DEFAULT_EXPERIMENT)]
}

/// The experiment a config entry named `key` overrides: the default holdout, or a plain 50/50.
pub fn default_experiment(key: &str) -> Experiment {
    Experiment {
        key: key.into(),
        weights: (key == DEFAULT_EXPERIMENT).then(|| DEFAULT_WEIGHTS.to_vec()),
        ..Experiment::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Compiled rules.

/// How a generic renderer shows a nudge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A chat invitation (a chat widget, or the built-in bubble).
    Chat,
    /// An informational banner.
    Banner,
}

impl Kind {
    /// The kind's name, as in configs and events.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chat => "chat",
            Kind::Banner => "banner",
        }
    }
}

/// What may fire a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// Any evaluation: after events, and dwell timers.
    Page,
    /// Only an idle trigger of at least this many ms.
    Idle(u64),
    /// Only an exit-intent trigger.
    ExitIntent,
}

/// One compiled alternative of a rule's `when`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions {
    /// Stages allowed, a bit per [`Stage`] (0: any).
    pub stages: u8,
    /// Intent tiers allowed, a bit per [`Intent`] (0: any).
    pub intents: u8,
    /// Required suppression state.
    pub suppressed: Option<bool>,
    /// Page types allowed (empty: any).
    pub pages: Vec<u8>,
    /// Page types refused.
    pub not_pages: Vec<u8>,
    /// Visit flags, any of which must be set (0: no condition).
    pub viewed: u16,
    /// Abandoned checkout steps allowed, a bit per [`CheckoutStep`] (0: no condition).
    pub abandoned: u8,
    /// Minimum variant switches this visit.
    pub variant_switches: u16,
    /// Required cart state.
    pub cart: Option<bool>,
    /// Required `high_value`.
    pub high_value: Option<bool>,
    /// Minimum `value`.
    pub min_value: Option<f64>,
    /// Required return-visit state.
    pub return_visit: Option<bool>,
    /// Minimum time on the current page, ms.
    pub dwell_ms: u64,
}

/// A compiled rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its name.
    pub name: String,
    /// Hash of the name, its key in [`Memory`].
    pub key: u32,
    /// Off when false.
    pub enabled: bool,
    /// The move it makes (the rule's name unless configured).
    pub action: String,
    /// How a generic renderer shows it.
    pub kind: Kind,
    /// Message template.
    pub message: String,
    /// Promotional (never for suppressed visitors, never about recent purchases).
    pub promotional: bool,
    /// Higher wins.
    pub priority: u32,
    /// Index into [`Model::experiments`].
    pub experiment: Option<usize>,
    /// What may fire it.
    pub on: On,
    /// Per-visit cap (0: none).
    pub max_per_visit: u32,
    /// Per-24-hours cap (0: none).
    pub max_per_day: u32,
    /// Per-visitor cap (0: none).
    pub max_per_visitor: u32,
    /// Cooldown after a showing, ms.
    pub cooldown_ms: u64,
    /// Alternatives; the rule holds when any does.
    pub when: Vec<Conditions>,
}

/// The compiled `actions` section.
#[derive(Clone, Debug, PartialEq)]
pub struct Actions {
    /// Off when false.
    pub enabled: bool,
    /// Nudges per visit over all rules (0: none).
    pub max_per_visit: u32,
    /// Attribution window of conversions, ms.
    pub attribution_ms: u64,
    /// Rules, highest priority first (ties by name).
    pub rules: Vec<Rule>,
}

const VIEWED: &[(&str, u16)] = &[
    ("product", flag::VIEWED_ITEM),
    ("collection", flag::VIEWED_LIST),
    ("cart", flag::VIEWED_CART),
    ("shipping", flag::VIEWED_SHIPPING),
    ("returns", flag::VIEWED_RETURNS),
    ("faq", flag::VIEWED_FAQ),
    ("size_guide", flag::VIEWED_SIZE_GUIDE),
    ("pricing", flag::VIEWED_PRICING),
];
const STEPS: [CheckoutStep; 3] = [
    CheckoutStep::Account,
    CheckoutStep::Shipping,
    CheckoutStep::Payment,
];

fn one_of(list: &[&str]) -> String {
    ["must be one of ", &list.join(", ")].concat()
}

fn bits_of<T: Copy>(
    path: &str,
    levels: &Option<Levels>,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<u8, Error> {
    let names: Vec<&str> = all.iter().map(|&l| name(l)).collect();
    let position = |n: &str, at: &str| {
        names
            .iter()
            .position(|m| *m == n)
            .ok_or_else(|| Error::config(at, one_of(&names)))
    };
    Ok(match levels {
        None => 0,
        Some(Levels::AtLeast(n)) => {
            let from = position(n, path)?;
            (from..names.len()).fold(0, |m, i| m | 1 << i)
        }
        Some(Levels::OneOf(list)) => {
            let mut mask = 0;
            for (i, n) in list.iter().enumerate() {
                mask |= 1 << position(n, &indexed(path, i))?;
            }
            mask
        }
    })
}

fn indexed(path: &str, i: usize) -> String {
    let mut at = String::from(path);
    at.push('[');
    push_decimal(&mut at, i as u32);
    at.push(']');
    at
}

fn seconds_ms(path: &str, s: f64, scale: f64) -> Result<u64, Error> {
    if !s.is_finite() || s < 0.0 || s > 366.0 * DAY_MS / scale {
        return Err(Error::config(
            path,
            "must be a number of 0 or more, up to a year",
        ));
    }
    Ok((s * scale).round() as u64)
}

fn compile_conditions(
    path: &str,
    c: &ConditionsConfig,
    page_types: &[(String, Vec<String>)],
) -> Result<Conditions, Error> {
    let field = |f: &str| [path, ".", f].concat();
    let pages = |key: &str, list: &Option<Vec<String>>| -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        for (i, name) in list.iter().flatten().enumerate() {
            match page_types.iter().position(|(n, _)| n == name) {
                Some(p) => out.push(p as u8),
                None => {
                    let known: Vec<&str> = page_types.iter().map(|(n, _)| n.as_str()).collect();
                    return Err(Error::config(
                        indexed(&field(key), i),
                        ["unknown page type; the page types are ", &known.join(", ")].concat(),
                    ));
                }
            }
        }
        Ok(out)
    };
    let mut viewed = 0;
    for (i, name) in c.viewed.iter().flatten().enumerate() {
        match VIEWED.iter().find(|(n, _)| n == name) {
            Some((_, bit)) => viewed |= bit,
            None => {
                let known: Vec<&str> = VIEWED.iter().map(|(n, _)| *n).collect();
                return Err(Error::config(indexed(&field("viewed"), i), one_of(&known)));
            }
        }
    }
    let mut abandoned = 0;
    for (i, name) in c.abandoned.iter().flatten().enumerate() {
        match STEPS.iter().position(|s| s.name() == name) {
            Some(bit) => abandoned |= 1 << bit,
            None => {
                return Err(Error::config(
                    indexed(&field("abandoned"), i),
                    one_of(&["account", "shipping", "payment"]),
                ))
            }
        }
    }
    if let Some(v) = c.min_value {
        if !v.is_finite() {
            return Err(Error::config(field("min_value"), "must be a finite number"));
        }
    }
    Ok(Conditions {
        stages: bits_of(&field("stage"), &c.stage, &Stage::ALL, Stage::name)?,
        intents: bits_of(&field("intent"), &c.intent, &Intent::ALL, Intent::name)?,
        suppressed: c.suppressed,
        pages: pages("page_types", &c.page_types)?,
        not_pages: pages("not_page_types", &c.not_page_types)?,
        viewed,
        abandoned,
        variant_switches: c.variant_switches.unwrap_or(0).min(u16::MAX as u32) as u16,
        cart: c.cart,
        high_value: c.high_value,
        min_value: c.min_value,
        return_visit: c.return_visit,
        dwell_ms: match c.dwell_s {
            Some(s) => seconds_ms(&field("dwell_s"), s, SECOND_MS)?,
            None => 0,
        },
    })
}

/// Field-by-field `over`, falling back to `base`.
fn merge(base: &RuleConfig, over: &RuleConfig) -> RuleConfig {
    RuleConfig {
        enabled: over.enabled.or(base.enabled),
        action: over.action.clone().or_else(|| base.action.clone()),
        kind: over.kind.clone().or_else(|| base.kind.clone()),
        message: over.message.clone().or_else(|| base.message.clone()),
        promotional: over.promotional.or(base.promotional),
        priority: over.priority.or(base.priority),
        experiment: over.experiment.clone().or_else(|| base.experiment.clone()),
        trigger: over.trigger.clone().or_else(|| base.trigger.clone()),
        idle_s: over.idle_s.or(base.idle_s),
        max_per_visit: over.max_per_visit.or(base.max_per_visit),
        max_per_day: over.max_per_day.or(base.max_per_day),
        max_per_visitor: over.max_per_visitor.or(base.max_per_visitor),
        cooldown_min: over.cooldown_min.or(base.cooldown_min),
        when: over.when.clone().or_else(|| base.when.clone()),
    }
}

fn compile_rule(
    name: &str,
    c: &RuleConfig,
    experiments: &[Experiment],
    page_types: &[(String, Vec<String>)],
) -> Result<Rule, Error> {
    let path = ["actions.rules.", name].concat();
    let field = |f: &str| [path.as_str(), ".", f].concat();
    let kind = match c.kind.as_deref().unwrap_or("banner") {
        "chat" => Kind::Chat,
        "banner" => Kind::Banner,
        _ => return Err(Error::config(field("kind"), one_of(&["chat", "banner"]))),
    };
    let action = match c.action.as_deref() {
        None => name.to_string(),
        Some(a) if !a.is_empty() => a.to_string(),
        Some(_) => return Err(Error::config(field("action"), "must not be empty")),
    };
    let message = match c.message.as_deref() {
        Some(m) if !m.trim().is_empty() => m.to_string(),
        Some(_) => return Err(Error::config(field("message"), "must not be empty")),
        None => {
            return Err(Error::config(
                field("message"),
                "is missing; a new rule needs a `message` and `when`",
            ))
        }
    };
    let Some(when) = &c.when else {
        return Err(Error::config(
            field("when"),
            "is missing; a new rule needs a `message` and `when`",
        ));
    };
    if when.is_empty() {
        return Err(Error::config(
            field("when"),
            "needs at least one set of conditions (`{}` for always)",
        ));
    }
    let when = when
        .iter()
        .enumerate()
        .map(|(i, alt)| compile_conditions(&indexed(&field("when"), i), alt, page_types))
        .collect::<Result<Vec<_>, _>>()?;
    let experiment = match c.experiment.as_deref() {
        None => experiments.iter().position(|e| e.key == DEFAULT_EXPERIMENT),
        Some("") => None,
        Some(key) => Some(
            experiments
                .iter()
                .position(|e| e.key == key)
                .ok_or_else(|| {
                    Error::config(
                        field("experiment"),
                        "names no experiment; add it under `experiments`, or use \"\" for none",
                    )
                })?,
        ),
    };
    let idle = match c.idle_s {
        Some(s) => Some(seconds_ms(&field("idle_s"), s, SECOND_MS)?),
        None => None,
    };
    let on = match (c.trigger.as_deref().unwrap_or("page"), idle) {
        ("page", None) => On::Page,
        ("exit_intent", None) => On::ExitIntent,
        ("idle", Some(ms)) if ms > 0 => On::Idle(ms),
        ("idle", _) => {
            return Err(Error::config(
                field("idle_s"),
                "an idle trigger needs `idle_s` above 0",
            ))
        }
        ("page" | "exit_intent", Some(_)) => {
            return Err(Error::config(
                field("idle_s"),
                "only `trigger: \"idle\"` takes `idle_s`",
            ))
        }
        _ => {
            return Err(Error::config(
                field("trigger"),
                one_of(&["page", "idle", "exit_intent"]),
            ))
        }
    };
    let max_per_day = c.max_per_day.unwrap_or(0);
    if max_per_day > MAX_PER_DAY {
        return Err(Error::config(field("max_per_day"), "must be at most 8"));
    }
    Ok(Rule {
        name: name.into(),
        key: fnv32a(name),
        enabled: c.enabled.unwrap_or(true),
        action,
        kind,
        message,
        promotional: c.promotional.unwrap_or(false),
        priority: c.priority.unwrap_or(50),
        experiment,
        on,
        max_per_visit: c.max_per_visit.unwrap_or(1),
        max_per_day,
        max_per_visitor: c.max_per_visitor.unwrap_or(0),
        cooldown_ms: match c.cooldown_min {
            Some(m) => seconds_ms(&field("cooldown_min"), m, MINUTE_MS)?,
            None => 0,
        },
        when,
    })
}

impl ActionsConfig {
    /// Validates the section and resolves it over the default rules.
    pub fn compile(
        &self,
        experiments: &[Experiment],
        page_types: &[(String, Vec<String>)],
    ) -> Result<Actions, Error> {
        let mut configs = default_rules();
        for (name, over) in &self.rules {
            if name.is_empty() {
                return Err(Error::config("actions.rules", "a rule needs a name"));
            }
            match configs.iter_mut().find(|(n, _)| n == name) {
                Some((_, base)) => *base = merge(base, over),
                None => configs.push((name.clone(), over.clone())),
            }
        }
        if configs.len() > MAX_RULE_MEMOS {
            return Err(Error::config("actions.rules", "allows at most 32 rules"));
        }
        // Highest priority first, ties by name; insertion keeps `sort`'s kilobytes out of the wasm.
        let mut rules: Vec<Rule> = Vec::with_capacity(configs.len());
        for (name, c) in &configs {
            let rule = compile_rule(name, c, experiments, page_types)?;
            let at = rules.partition_point(|r| {
                r.priority > rule.priority || (r.priority == rule.priority && r.name < rule.name)
            });
            rules.insert(at, rule);
        }
        let attribution_days = self.attribution_days.unwrap_or(7.0);
        if !attribution_days.is_finite() || attribution_days <= 0.0 || attribution_days > 365.0 {
            return Err(Error::config(
                "actions.attribution_days",
                "must be a number of days above 0 and at most 365",
            ));
        }
        let attribution_ms =
            super::model::whole_ms("actions.attribution_days", attribution_days * DAY_MS, false)?;
        Ok(Actions {
            enabled: self.enabled.unwrap_or(true),
            max_per_visit: self.max_per_visit.unwrap_or(2),
            attribution_ms,
            rules,
        })
    }
}

impl Actions {
    /// The full, explicit config these rules came from.
    pub fn to_config(
        &self,
        experiments: &[Experiment],
        page_types: &[(String, Vec<String>)],
    ) -> ActionsConfig {
        let level_names = |mask: u8, all: &[&'static str]| -> Option<Levels> {
            (mask != 0).then(|| {
                Levels::OneOf(
                    all.iter()
                        .enumerate()
                        .filter(|(i, _)| mask & 1 << i != 0)
                        .map(|(_, n)| n.to_string())
                        .collect(),
                )
            })
        };
        let page_names = |pages: &[u8]| -> Option<Vec<String>> {
            (!pages.is_empty()).then(|| {
                pages
                    .iter()
                    .map(|&p| page_types[p as usize].0.clone())
                    .collect()
            })
        };
        let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
        let intents: Vec<&str> = Intent::ALL.iter().map(|s| s.name()).collect();
        let rules = self
            .rules
            .iter()
            .map(|r| {
                let when = r
                    .when
                    .iter()
                    .map(|c| ConditionsConfig {
                        stage: level_names(c.stages, &stages),
                        intent: level_names(c.intents, &intents),
                        suppressed: c.suppressed,
                        page_types: page_names(&c.pages),
                        not_page_types: page_names(&c.not_pages),
                        viewed: (c.viewed != 0).then(|| {
                            VIEWED
                                .iter()
                                .filter(|(_, bit)| c.viewed & bit != 0)
                                .map(|(n, _)| n.to_string())
                                .collect()
                        }),
                        abandoned: (c.abandoned != 0).then(|| {
                            STEPS
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| c.abandoned & 1 << i != 0)
                                .map(|(_, s)| s.name().to_string())
                                .collect()
                        }),
                        variant_switches: (c.variant_switches > 0)
                            .then_some(c.variant_switches as u32),
                        cart: c.cart,
                        high_value: c.high_value,
                        min_value: c.min_value,
                        return_visit: c.return_visit,
                        dwell_s: (c.dwell_ms > 0).then(|| c.dwell_ms as f64 / SECOND_MS),
                    })
                    .collect();
                let (trigger, idle_s) = match r.on {
                    On::Page => ("page", None),
                    On::ExitIntent => ("exit_intent", None),
                    On::Idle(ms) => ("idle", Some(ms as f64 / SECOND_MS)),
                };
                let config = RuleConfig {
                    enabled: Some(r.enabled),
                    action: Some(r.action.clone()),
                    kind: Some(r.kind.name().into()),
                    message: Some(r.message.clone()),
                    promotional: Some(r.promotional),
                    priority: Some(r.priority),
                    experiment: Some(
                        r.experiment
                            .map_or(String::new(), |e| experiments[e].key.clone()),
                    ),
                    trigger: Some(trigger.into()),
                    idle_s,
                    max_per_visit: Some(r.max_per_visit),
                    max_per_day: Some(r.max_per_day),
                    max_per_visitor: Some(r.max_per_visitor),
                    cooldown_min: Some(r.cooldown_ms as f64 / MINUTE_MS),
                    when: Some(when),
                };
                (r.name.clone(), config)
            })
            .collect();
        ActionsConfig {
            enabled: Some(self.enabled),
            max_per_visit: Some(self.max_per_visit),
            attribution_days: Some(self.attribution_ms as f64 / DAY_MS),
            rules,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Memory: caps, cooldowns, the active nudge, exposures. One bounded field of the profile.

#[derive(Clone, Debug, Default, PartialEq)]
struct RuleMemo {
    key: u32,
    /// Visit of `in_visit`.
    visit: u32,
    in_visit: u16,
    total: u16,
    last_ms: u64,
    /// Latest show times, as many as `max_per_day` needs.
    recent: Vec<u64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct ExposureMemo {
    /// Hash of the experiment key.
    key: u32,
    variation: u8,
    /// Visit of the last exposure.
    visit: u32,
    last_ms: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Active {
    rule: u32,
    visit: u32,
    page_ms: u64,
}

/// What the action engine remembers of one visitor. Bounded: at most [`MAX_RULE_MEMOS`] rules
/// (with at most [`MAX_PER_DAY`] times each) and [`MAX_EXPOSURES`] experiments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Memory {
    rules: Vec<RuleMemo>,
    exposures: Vec<ExposureMemo>,
    active: Option<Active>,
    /// Visit of `shown_in_visit`.
    visit: u32,
    shown_in_visit: u16,
}

super::codec::stored!(RuleMemo {
    key,
    visit,
    in_visit,
    total,
    last_ms,
    recent
});
super::codec::stored!(ExposureMemo {
    key,
    variation,
    visit,
    last_ms
});
super::codec::stored!(Active {
    rule,
    visit,
    page_ms
});
super::codec::stored!(Memory {
    rules,
    exposures,
    active,
    visit,
    shown_in_visit
});

impl Memory {
    fn rule(&self, key: u32) -> Option<&RuleMemo> {
        self.rules.iter().find(|m| m.key == key)
    }

    fn exposure(&self, key: u32) -> Option<&ExposureMemo> {
        self.exposures.iter().find(|m| m.key == key)
    }

    /// Name-hash of the nudge active on the visitor's current page, if any.
    fn active_on(&self, profile: &Profile) -> Option<u32> {
        self.active
            .as_ref()
            .filter(|a| {
                a.visit == profile.visit.index && a.page_ms == profile.visit.page_started_ms
            })
            .map(|a| a.rule)
    }

    /// Times `rule` was shown (or would have been, in a control arm) to this visitor.
    pub fn shown(&self, rule: &str) -> u32 {
        self.rule(fnv32a(rule)).map_or(0, |m| u32::from(m.total))
    }
}

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
    /// The rule's index in [`Actions::rules`].
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
    let mut text = String::new();
    push_decimal(&mut text, variation as u32);
    text
}

/// How a rule stands at a moment.
enum Status {
    /// It cannot fire now, nor by waiting on this page.
    Blocked,
    /// It fires now, by this alternative.
    Ready(usize),
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
        self.profile.cart.iter().any(|l| {
            l.quantity > 0.0 && within(self.now_ms, l.added_ms, self.model.value_window_ms)
        })
    }

    /// Every condition but dwell.
    fn holds(&self, c: &Conditions) -> bool {
        let v = &self.profile.visit;
        let s = &self.snap;
        let page_in = |pages: &[u8]| v.page_type.is_some_and(|p| pages.contains(&p));
        (c.stages == 0 || c.stages & 1 << s.stage as u8 != 0)
            && (c.intents == 0 || c.intents & 1 << s.intent as u8 != 0)
            && c.suppressed.is_none_or(|want| s.suppressed() == want)
            && (c.pages.is_empty() || page_in(&c.pages))
            && !page_in(&c.not_pages)
            && (c.viewed == 0 || v.flags & c.viewed != 0)
            && (c.abandoned == 0
                || STEPS
                    .iter()
                    .position(|&st| st == self.profile.abandoned)
                    .is_some_and(|i| c.abandoned & 1 << i != 0))
            && v.variant_switches >= c.variant_switches
            && c.cart.is_none_or(|want| self.cart_filled() == want)
            && c.high_value.is_none_or(|want| s.high_value == want)
            && c.min_value.is_none_or(|min| s.value >= min)
            && c.return_visit.is_none_or(|want| (v.index > 1) == want)
    }

    /// The named item a nudge is about. A recently bought item is never named; for promotions,
    /// neither is anything in a recently bought category.
    fn product(&self, promotional: bool) -> Option<&str> {
        let recent: Vec<(u64, Option<u64>)> = self
            .profile
            .recent_purchases(self.model, self.now_ms)
            .map(|p| (p.key, p.category_key.filter(|_| promotional)))
            .collect();
        self.profile
            .items
            .iter()
            .filter(|m| m.name.is_some())
            .filter(|m| {
                !recent.iter().any(|(item, category)| {
                    *item == m.key || (category.is_some() && *category == m.category)
                })
            })
            .max_by_key(|m| (m.view_count, m.last_seen_ms))
            .and_then(|m| m.name.as_deref())
    }

    /// Why alternative `c` holds, in words.
    fn reason(&self, rule: &Rule, c: &Conditions) -> String {
        let v = &self.profile.visit;
        let s = &self.snap;
        let mut parts: Vec<String> = Vec::new();
        let mut part = |bits: &[&str]| parts.push(bits.concat());
        match rule.on {
            On::ExitIntent => part(&["exit intent"]),
            On::Idle(ms) => {
                let mut p = String::from("idle ");
                push_decimal(&mut p, (ms / 1000) as u32);
                p.push_str(" s");
                part(&[&p]);
            }
            On::Page => {}
        }
        if c.stages != 0 {
            part(&["stage ", s.stage.name()]);
        }
        if c.intents != 0 {
            part(&[s.intent.name(), " intent"]);
        }
        if let Some(want) = c.suppressed {
            part(&[if want { "suppressed" } else { "not suppressed" }]);
        }
        if !c.pages.is_empty() {
            let page = v.page_type.map_or("", |p| self.model.page_type_name(p));
            part(&["on a ", page, " page"]);
        }
        if c.viewed != 0 {
            if let Some((name, _)) = VIEWED.iter().find(|(_, bit)| v.flags & c.viewed & bit != 0) {
                part(&["viewed ", name, " this visit"]);
            }
        }
        if c.abandoned != 0 {
            part(&["checkout abandoned at ", self.profile.abandoned.name()]);
        }
        if c.variant_switches > 0 {
            let mut p = String::new();
            push_decimal(&mut p, u32::from(v.variant_switches));
            p.push_str(" variant switches");
            part(&[&p]);
        }
        if let Some(want) = c.cart {
            part(&[if want {
                "items in the cart"
            } else {
                "empty cart"
            }]);
        }
        if let Some(want) = c.high_value {
            part(&[if want { "high value" } else { "not high value" }]);
        }
        if c.min_value.is_some() {
            let mut p = String::from("value ");
            push_decimal(&mut p, s.value.max(0.0).min(u32::MAX as f64) as u32);
            part(&[&p]);
        }
        if let Some(want) = c.return_visit {
            part(&[if want { "return visit" } else { "first visit" }]);
        }
        if c.dwell_ms > 0 {
            let mut p = String::new();
            push_decimal(&mut p, (c.dwell_ms / 1000) as u32);
            p.push_str(" s on the page");
            part(&[&p]);
        }
        parts.join(", ")
    }

    fn status(&self, rule: &Rule, trigger: Trigger) -> Status {
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
            let day = DAY_MS as u64;
            let today: Vec<u64> = m
                .recent
                .iter()
                .copied()
                .filter(|&t| within(self.now_ms, t, day - 1))
                .collect();
            if rule.max_per_day > 0 && today.len() as u32 >= rule.max_per_day {
                if let Some(oldest) = today.first() {
                    ready_ms = ready_ms.max(oldest + day);
                }
            }
        }
        let page_ms = self.profile.visit.page_started_ms;
        let best = rule
            .when
            .iter()
            .enumerate()
            .filter(|(_, c)| self.holds(c))
            .map(|(i, c)| (page_ms.saturating_add(c.dwell_ms).max(ready_ms), i))
            .min();
        let Some((at_ms, alternative)) = best else {
            return Status::Blocked;
        };
        if rule.message.contains("{product}") && self.product(rule.promotional).is_none() {
            return Status::Blocked;
        }
        if let Some(e) = rule.experiment {
            if self.model.experiments[e]
                .assign(&self.profile.visitor_id)
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
            Some(name) => rule.message.replace("{product}", name),
            None => rule.message.clone(),
        };
        let assignment = rule.experiment.and_then(|e| {
            let exp = &model.experiments[e];
            exp.assign(&profile.visitor_id).map(|a| (exp, a))
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
            product: product.map(|p| p.to_string()),
            reason: f.reason(rule, &rule.when[alternative]),
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
    let Some(rule) = model.actions.rules.get(decision.rule_index) else {
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
    let at = match mem.rules.iter().position(|m| m.key == rule.key) {
        Some(i) => i,
        None => {
            if mem.rules.len() >= MAX_RULE_MEMOS {
                if let Some(oldest) = (0..mem.rules.len()).min_by_key(|&i| mem.rules[i].last_ms) {
                    mem.rules.swap_remove(oldest);
                }
            }
            mem.rules.push(RuleMemo {
                key: rule.key,
                ..RuleMemo::default()
            });
            mem.rules.len() - 1
        }
    };
    let m = &mut mem.rules[at];
    if m.visit != visit {
        m.visit = visit;
        m.in_visit = 0;
    }
    m.in_visit = m.in_visit.saturating_add(1);
    m.total = m.total.saturating_add(1);
    m.last_ms = m.last_ms.max(now_ms);
    m.recent.push(now_ms);
    let keep = rule.max_per_day as usize;
    if m.recent.len() > keep {
        m.recent.drain(..m.recent.len() - keep);
    }
    mem.active = Some(Active {
        rule: rule.key,
        visit,
        page_ms,
    });
    if let (Some(key), Some(variation)) = (decision.experiment, decision.variation) {
        let key = fnv32a(key);
        let memo = ExposureMemo {
            key,
            variation: variation.min(u8::MAX as usize) as u8,
            visit,
            last_ms: now_ms,
        };
        match mem.exposures.iter_mut().find(|m| m.key == key) {
            Some(m) => *m = memo,
            None => {
                if mem.exposures.len() >= MAX_EXPOSURES {
                    if let Some(oldest) =
                        (0..mem.exposures.len()).min_by_key(|&i| mem.exposures[i].last_ms)
                    {
                        mem.exposures.swap_remove(oldest);
                    }
                }
                mem.exposures.push(memo);
            }
        }
    }
}

/// The visitor closed the active nudge: others may follow on this page.
pub fn dismiss(profile: &mut Profile) {
    profile.nudges.active = None;
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
    model
        .actions
        .rules
        .iter()
        .filter_map(|rule| match f.status(rule, Trigger::Dwell) {
            Status::Pending { at_ms, .. } if at_ms > now_ms => Some(at_ms),
            _ => None,
        })
        .min()
}

/// The shortest idle time, ms, that an enabled idle rule waits for: arm an idle watcher for it.
pub fn idle_after_ms(model: &Model) -> Option<u64> {
    model
        .actions
        .rules
        .iter()
        .filter(|r| r.enabled && model.actions.enabled)
        .filter_map(|r| match r.on {
            On::Idle(ms) => Some(ms),
            _ => None,
        })
        .min()
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
    let value = purchase.value.unwrap_or_else(|| {
        purchase
            .items
            .iter()
            .map(|i| i.price.unwrap_or(0.0) * i.quantity)
            .sum()
    });
    let t = purchase.time_ms;
    model
        .experiments
        .iter()
        .filter_map(|exp| {
            let m = profile.nudges.exposure(fnv32a(&exp.key))?;
            if !within(t, m.last_ms, model.actions.attribution_ms) {
                return None;
            }
            let variation = usize::from(m.variation);
            Some(Conversion {
                experiment_id: &exp.key,
                variation_id: variation_text(variation),
                variant: exp.variations.get(variation)?,
                value,
            })
        })
        .collect()
}

/// The visitor's arm in every experiment they are included in (sticky: a hash of their id).
pub fn arms<'m>(profile: &Profile, model: &'m Model, now_ms: u64) -> Vec<Arm<'m>> {
    model
        .experiments
        .iter()
        .filter_map(|exp| {
            let a = exp.assign(&profile.visitor_id)?;
            let exposed = profile
                .nudges
                .exposure(fnv32a(&exp.key))
                .is_some_and(|m| within(now_ms, m.last_ms, model.actions.attribution_ms));
            Some(Arm {
                experiment: &exp.key,
                variant: a.name,
                variation: a.variation,
                exposed,
            })
        })
        .collect()
}
