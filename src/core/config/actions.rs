//! The `actions` section of a config: the nudge rules a store writes (the defaults, overridden
//! field by field or added to), read with field-naming errors and compiled into the model's
//! [`Actions`]. The default rules are data here; the browser receives them compiled.

use crate::core::decimal::push_u64;
use crate::core::error::Error;
use crate::core::event::{Params, Value};
use crate::core::experiment::{fnv32a, Experiment};
use crate::core::fields::Fields;
use crate::core::model::{default_message, Actions, Conditions, Kind, Nudge, On, PageType, DAY_MS};
use crate::core::model::{Intent, Stage};
use crate::core::state::{CheckoutStep, VIEWED};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Key of the default experiment: one shared holdout for every default nudge.
pub const DEFAULT_EXPERIMENT: &str = "shopper-intent-nudges";
/// The default holdout's split: 20% control (nothing shown), 80% treatment.
pub const DEFAULT_WEIGHTS: [f64; 2] = [0.2, 0.8];
/// Most nudge rules a config may have (each has a memo in the profile).
pub const MAX_RULES: usize = crate::core::state::MAX_RULE_MEMOS;
/// Largest `max_per_day`: that many show times are kept per rule.
pub const MAX_PER_DAY: u32 = crate::core::state::MAX_PER_DAY;

const SECOND_MS: f64 = 1000.0;
const MINUTE_MS: f64 = 60_000.0;

// ---------------------------------------------------------------------------------------------
// Config: what a store writes.

/// A stage or intent condition: a level and everything above it, or a list of levels.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize), serde(untagged))]
pub enum Levels {
    /// `"mql"`: mql or above.
    AtLeast(String),
    /// `["warm", "mql"]`: one of these.
    OneOf(Vec<String>),
}

/// One alternative of a rule's `when`: every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct ConditionsConfig {
    /// Stage, e.g. `"sql"` (at least) or `["warm", "mql"]`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub stage: Option<Levels>,
    /// Intent tier, e.g. `"high"` (at least) or `["mid"]`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub intent: Option<Levels>,
    /// Suppressed (`true`) or not (`false`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub suppressed: Option<bool>,
    /// The current page is one of these page types.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub page_types: Option<Vec<String>>,
    /// The current page is none of these page types.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub not_page_types: Option<Vec<String>>,
    /// Any of these was viewed this visit: product, collection, cart, shipping, returns, faq,
    /// size_guide, pricing.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub viewed: Option<Vec<String>>,
    /// A checkout of an earlier visit was abandoned at one of these steps: account, shipping, payment.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub abandoned: Option<Vec<String>>,
    /// At least this many `select_variant` events this visit.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub variant_switches: Option<u32>,
    /// The cart holds items (`true`) or is empty (`false`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub cart: Option<bool>,
    /// `high_value` is this.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub high_value: Option<bool>,
    /// `value` is at least this.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub min_value: Option<f64>,
    /// A return visit (visit 2 or later: `true`) or the first (`false`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub return_visit: Option<bool>,
    /// At least this many seconds on the current page.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub dwell_s: Option<f64>,
}

/// A nudge rule as a store writes it; for a default rule, omitted fields keep the default.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct RuleConfig {
    /// `false` turns the rule off.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub enabled: Option<bool>,
    /// The move it makes, which the store's code switches on (e.g. `"proactive_chat"`);
    /// the rule's name when absent. Several rules may make the same move.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub action: Option<String>,
    /// How a generic renderer shows it: `"chat"` (a chat invitation) or `"banner"`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub kind: Option<String>,
    /// The text; `{product}` is replaced by the visitor's most viewed item.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub message: Option<String>,
    /// A promotion (an offer, a sales outreach) rather than help: never for suppressed visitors.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub promotional: Option<bool>,
    /// Higher wins when several rules hold.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub priority: Option<u32>,
    /// Key of the experiment it runs in; `""` for none (always shown, no exposure logged).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub experiment: Option<String>,
    /// What may fire it: `"page"` (events and dwell timers), `"idle"` or `"exit_intent"`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub trigger: Option<String>,
    /// For `trigger: "idle"`: seconds without activity.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub idle_s: Option<f64>,
    /// Times it may show per visit (0: no limit).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub max_per_visit: Option<u32>,
    /// Times it may show per rolling 24 hours (0: no limit; at most 8).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub max_per_day: Option<u32>,
    /// Times it may show to one visitor, ever (0: no limit).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub max_per_visitor: Option<u32>,
    /// Minutes after a showing before it may show again.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub cooldown_min: Option<f64>,
    /// When it fires: one set of conditions, or a list of alternatives (any may hold).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub when: Option<Vec<ConditionsConfig>>,
}

/// The `actions` section of a config.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct ActionsConfig {
    /// `false` turns every nudge off.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub enabled: Option<bool>,
    /// Nudges per visit, over all rules (0: no limit).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub max_per_visit: Option<u32>,
    /// Days after its last exposure that a purchase still converts an experiment.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub attribution_days: Option<f64>,
    /// Rules by name: the defaults, overridden or added to. (A list rather than a map: a
    /// `BTreeMap` of these costs kilobytes of wasm; it is written out as a JSON object.)
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(serialize_with = "super::named_map")
    )]
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
                push_u64(&mut path, i as u64);
                path.push(']');
                let c = Fields::open(value, &path, Some(CONDITION_FIELDS))?;
                alternatives.push(read_conditions(&c)?);
            }
            Some(alternatives)
        }
        _ => match r.object("when", Some(CONDITION_FIELDS))? {
            Some(c) => Some(alloc::vec![read_conditions(&c)?]),
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

/// Default rule `name`: everything explicit but `when`; its message is [`default_message`]'s.
fn rule(
    name: &str,
    kind: &str,
    promotional: bool,
    priority: u32,
    max_per_visitor: u32,
    when: Vec<ConditionsConfig>,
) -> (String, RuleConfig) {
    let rule = RuleConfig {
        enabled: Some(true),
        action: None,
        kind: Some(kind.into()),
        message: default_message(name).map(String::from),
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
    };
    (name.into(), rule)
}

/// A return after a checkout abandoned at `step`, after 5 s on any page.
fn abandoned_at(step: &str) -> Vec<ConditionsConfig> {
    alloc::vec![ConditionsConfig {
        abandoned: names(&[step]),
        return_visit: Some(true),
        dwell_s: Some(5.0),
        ..ConditionsConfig::default()
    }]
}

/// The default rules by name, each in the [`DEFAULT_EXPERIMENT`] holdout. See the table in the
/// README; their messages are [`crate::core::model::DEFAULT_MESSAGES`]: stores should write
/// their own.
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
        alloc::vec![
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
    alloc::vec![
        rule(
            "proactive_chat",
            "chat",
            true,
            100,
            3,
            alloc::vec![
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
        rule(
            "free_shipping_offer",
            "banner",
            true,
            90,
            2,
            abandoned_at("shipping"),
        ),
        rule(
            "payment_options",
            "banner",
            false,
            90,
            2,
            abandoned_at("payment"),
        ),
        rule(
            "guest_checkout",
            "banner",
            false,
            90,
            2,
            abandoned_at("account"),
        ),
        rule(
            "cart_reminder",
            "banner",
            true,
            80,
            3,
            alloc::vec![ConditionsConfig {
                return_visit: Some(true),
                cart: Some(true),
                not_page_types: names(CHECKOUT_PAGES),
                dwell_s: Some(5.0),
                ..ConditionsConfig::default()
            }],
        ),
        rule(
            "size_help",
            "chat",
            false,
            60,
            0,
            alloc::vec![
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
        rule(
            "shipping_reassurance",
            "banner",
            false,
            50,
            0,
            reassurance(),
        ),
        rule("returns_reassurance", "banner", false, 45, 0, reassurance()),
        rule(
            "comparison_help",
            "chat",
            false,
            30,
            0,
            alloc::vec![ConditionsConfig {
                intent: Some(Levels::OneOf(alloc::vec!["mid".into()])),
                dwell_s: Some(5.0),
                ..ConditionsConfig::default()
            }],
        ),
    ]
}

/// The default experiments: one shared holdout, [`DEFAULT_EXPERIMENT`].
pub fn default_experiments() -> Vec<Experiment> {
    alloc::vec![default_experiment(DEFAULT_EXPERIMENT)]
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
    push_u64(&mut at, i as u64);
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
    Ok(crate::core::decimal::round(s * scale) as u64)
}

fn compile_conditions(
    path: &str,
    c: &ConditionsConfig,
    page_types: &[PageType],
) -> Result<Conditions, Error> {
    let field = |f: &str| [path, ".", f].concat();
    let pages = |key: &str, list: &Option<Vec<String>>| -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        for (i, name) in list.iter().flatten().enumerate() {
            match page_types.iter().position(|t| t.name == *name) {
                Some(p) => out.push(p as u8),
                None => {
                    let known: Vec<&str> = page_types.iter().map(|t| t.name.as_str()).collect();
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
        match CheckoutStep::STEPS.iter().position(|s| s.name() == name) {
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
    page_types: &[PageType],
) -> Result<Nudge, Error> {
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
    Ok(Nudge {
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
        page_types: &[PageType],
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
        if configs.len() > MAX_RULES {
            return Err(Error::config("actions.rules", "allows at most 32 rules"));
        }
        // Highest priority first, ties by name; insertion keeps `sort`'s kilobytes out of the wasm.
        let mut rules: Vec<Nudge> = Vec::with_capacity(configs.len());
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
            super::whole_ms("actions.attribution_days", attribution_days * DAY_MS, false)?;
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
    pub fn to_config(&self, experiments: &[Experiment], page_types: &[PageType]) -> ActionsConfig {
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
                    .map(|&p| page_types[p as usize].name.clone())
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
                            CheckoutStep::STEPS
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
