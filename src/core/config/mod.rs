//! What a store writes: the config, every field optional (omitted fields keep `SCORING.md`'s
//! defaults), read from JSON (the CLI, and the browser's lazily loaded compiler) with errors
//! that name the field, validated and compiled into the [`Model`] the engine runs on.
//!
//! Hand-written rather than serde `Deserialize`: serde's self-describing deserializers pull
//! float formatting and `Debug` machinery into the wasm (measured: +34 KB raw, +14 KB gzipped).
//! Dependencies point one way: this module reads into the model; the model knows nothing of it.

pub mod actions;
mod experiments;
pub mod scorecard;

pub use experiments::EXPERIMENT_FIELDS;

use self::actions::{default_experiment, default_experiments, ActionsConfig};
use super::error::Error;
use super::event::Params;
use super::experiment::Experiment;
use super::fields::Fields;
use super::model::{
    Model, PageRole, PageType, Per, Rule, RuleId, DAY_MS, EVENT_RULES, MAX_PAGE_TYPES,
};
use super::state::{MAX_BOUNCES, MAX_RAPID, MAX_VIEWS};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

const MIN_MS: f64 = 60_000.0;

/// A scoring rule as a store may override it; omitted fields keep the rule's default.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct RuleConfig {
    /// Points added when the rule fires (negative for disengagement).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub points: Option<f64>,
    /// What the limit counts over.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub per: Option<Per>,
    /// How many times it may fire per `per`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub max: Option<u32>,
    /// The window for `per: "days"` and `per: "item_days"`; for conditions, the inactivity span.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub days: Option<f64>,
    /// `repeat_product_view` only: the view count that fires it.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub views: Option<u32>,
    /// `return_visit` only: the longest gap since the previous visit that still counts.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub within_days: Option<f64>,
}

/// Stage thresholds (score at or above).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct StagesConfig {
    /// Sales qualified.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub sql: Option<f64>,
    /// Marketing qualified.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub mql: Option<f64>,
    /// Warm.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub warm: Option<f64>,
}

/// The store's model. Every field is optional; see `SCORING.md` for the defaults.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct Config {
    /// Inactivity, in minutes, that ends a visit.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub session_timeout_min: Option<f64>,
    /// Half-life of event points, in days; 0 turns decay off.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub decay_half_life_days: Option<f64>,
    /// How far back the intent tier looks, in days.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub intent_window_days: Option<f64>,
    /// How many `view_item` within `rapid_views_min` minutes make high intent.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub rapid_views: Option<u32>,
    /// The window of `rapid_views`, in minutes.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub rapid_views_min: Option<f64>,
    /// In how many different visits one item must be viewed to make mid intent.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub repeat_item_visits: Option<u32>,
    /// How many `email_bounce` within `bounce_window_days` suppress.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub bounces_to_suppress: Option<u32>,
    /// The window of `bounces_to_suppress`, in days.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub bounce_window_days: Option<f64>,
    /// How long purchased items stay excluded from promotional nudges, in days.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub recent_purchase_days: Option<f64>,
    /// How far back the cart and viewed prices count for `value`, in days.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub value_window_days: Option<f64>,
    /// `value` at or above this is high value.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub high_value_threshold: Option<f64>,
    /// Stage thresholds.
    pub stages: StagesConfig,
    /// Event and condition rules by name.
    #[cfg_attr(not(target_arch = "wasm32"), serde(serialize_with = "named_map"))]
    pub rules: Vec<(String, RuleConfig)>,
    /// Page types by name: path substrings (case-insensitive); a pattern starting with `=` is an exact path.
    #[cfg_attr(not(target_arch = "wasm32"), serde(serialize_with = "named_map"))]
    pub page_types: Vec<(String, Vec<String>)>,
    /// `utm_medium` values (case-insensitive) that mark a visit from email.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub email_mediums: Option<Vec<String>>,
    /// Query parameters of email platforms that mark a visit from email.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub email_click_ids: Option<Vec<String>>,
    /// On-page nudges: the default rules, overridden or added to.
    pub actions: ActionsConfig,
    /// Experiments (written out keyed by their `key`): the default holdout, overridden or added to.
    #[cfg_attr(not(target_arch = "wasm32"), serde(serialize_with = "experiments_map"))]
    pub experiments: Vec<Experiment>,
    /// How the browser runtime behaves (consent, storage, adapters); ignored by the CLI.
    pub runtime: RuntimeConfig,
    /// Points for bins of characteristics (see [`scorecard`]); empty by default.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "scorecard::ScorecardConfig::is_empty")
    )]
    pub scorecard: scorecard::ScorecardConfig,
}

/// The `runtime` section of a config: browser behaviour. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct RuntimeConfig {
    /// Write nothing to the device until a consent signal grants analytics storage.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub require_consent: Option<bool>,
    /// Honour `navigator.globalPrivacyControl` as a refusal of storage.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub global_privacy_control: Option<bool>,
    /// The `localStorage` key of the visitor profile.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub storage_key: Option<String>,
    /// Delay after the last change before the profile is saved, in ms (at the latest five
    /// delays after the first unsaved change).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub save_delay_ms: Option<u32>,
    /// Name of the GA4/GTM data layer global.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub data_layer: Option<String>,
    /// Push `{event: 'intent_stage', …}` to the data layer when the stage changes.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub stage_to_data_layer: Option<bool>,
    /// Listen to Shopify's standard storefront events and customer privacy API.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub shopify: Option<bool>,
    /// Count `history.pushState`/`replaceState`/`popstate` and back-forward restores as page views.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub spa: Option<bool>,
    /// Turn clicks on `data-intent` elements into events.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub clicks: Option<bool>,
    /// Also send each exposure with `navigator.sendBeacon` to this URL (default: none).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub beacon_url: Option<String>,
    /// Log every refused event and every nudge decision to the console (also `?intent-debug`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub debug: Option<bool>,
    /// A stylesheet the store hosts for the built-in nudge, linked instead of an inline `<style>`
    /// (for a `style-src 'self'` Content Security Policy); `pkg/shopper-intent.css` is the default one.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub stylesheet: Option<String>,
}

/// The resolved `runtime` section.
#[derive(Clone, Debug, PartialEq)]
pub struct Runtime {
    /// See [`RuntimeConfig::require_consent`] (default true).
    pub require_consent: bool,
    /// See [`RuntimeConfig::global_privacy_control`] (default true).
    pub global_privacy_control: bool,
    /// See [`RuntimeConfig::storage_key`] (default `shopper-intent`).
    pub storage_key: String,
    /// See [`RuntimeConfig::save_delay_ms`] (default 1000).
    pub save_delay_ms: u32,
    /// See [`RuntimeConfig::data_layer`] (default `dataLayer`).
    pub data_layer: String,
    /// See [`RuntimeConfig::stage_to_data_layer`] (default true).
    pub stage_to_data_layer: bool,
    /// See [`RuntimeConfig::shopify`] (default true).
    pub shopify: bool,
    /// See [`RuntimeConfig::spa`] (default true).
    pub spa: bool,
    /// See [`RuntimeConfig::clicks`] (default true).
    pub clicks: bool,
    /// See [`RuntimeConfig::beacon_url`] (default none).
    pub beacon_url: Option<String>,
    /// See [`RuntimeConfig::debug`] (default false).
    pub debug: bool,
    /// See [`RuntimeConfig::stylesheet`] (default none).
    pub stylesheet: Option<String>,
}

impl Default for Runtime {
    fn default() -> Runtime {
        RuntimeConfig::default()
            .resolve()
            .unwrap_or_else(|_| unreachable!("the default runtime is valid"))
    }
}

/// An optional URL field: 1 to 2048 characters, no spaces.
fn url(field: &str, v: &Option<String>) -> Result<Option<String>, Error> {
    match v {
        None => Ok(None),
        Some(u) if u.is_empty() || u.len() > 2048 || u.bytes().any(|b| b.is_ascii_whitespace()) => {
            Err(Error::config(
                field,
                "must be a URL of 1 to 2048 characters, without spaces",
            ))
        }
        Some(u) => Ok(Some(u.clone())),
    }
}

impl RuntimeConfig {
    /// Validates the section and fills in the defaults.
    pub fn resolve(&self) -> Result<Runtime, Error> {
        let name = |field: &str, v: &Option<String>, default: &str| match v {
            None => Ok(default.to_string()),
            Some(s) if s.is_empty() || s.chars().count() > 100 => Err(Error::config(
                field,
                "must be a string of 1 to 100 characters",
            )),
            Some(s) => Ok(s.clone()),
        };
        let save_delay_ms = self.save_delay_ms.unwrap_or(1000);
        if save_delay_ms > 60_000 {
            return Err(Error::config(
                "runtime.save_delay_ms",
                "must be at most 60000 (one minute)",
            ));
        }
        let data_layer = name("runtime.data_layer", &self.data_layer, "dataLayer")?;
        let js_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
        if data_layer.as_bytes()[0].is_ascii_digit() || !data_layer.bytes().all(js_name) {
            return Err(Error::config(
                "runtime.data_layer",
                "must be the name of a JavaScript global, such as dataLayer",
            ));
        }
        Ok(Runtime {
            require_consent: self.require_consent.unwrap_or(true),
            global_privacy_control: self.global_privacy_control.unwrap_or(true),
            storage_key: name("runtime.storage_key", &self.storage_key, "shopper-intent")?,
            save_delay_ms,
            data_layer,
            stage_to_data_layer: self.stage_to_data_layer.unwrap_or(true),
            shopify: self.shopify.unwrap_or(true),
            spa: self.spa.unwrap_or(true),
            clicks: self.clicks.unwrap_or(true),
            beacon_url: url("runtime.beacon_url", &self.beacon_url)?,
            debug: self.debug.unwrap_or(false),
            stylesheet: url("runtime.stylesheet", &self.stylesheet)?,
        })
    }
}

impl Runtime {
    /// The explicit section, for writing out and editing.
    pub fn to_config(&self) -> RuntimeConfig {
        RuntimeConfig {
            require_consent: Some(self.require_consent),
            global_privacy_control: Some(self.global_privacy_control),
            storage_key: Some(self.storage_key.clone()),
            save_delay_ms: Some(self.save_delay_ms),
            data_layer: Some(self.data_layer.clone()),
            stage_to_data_layer: Some(self.stage_to_data_layer),
            shopify: Some(self.shopify),
            spa: Some(self.spa),
            clicks: Some(self.clicks),
            beacon_url: self.beacon_url.clone(),
            debug: Some(self.debug),
            stylesheet: self.stylesheet.clone(),
        }
    }
}

/// Default page types, in match order. Checkout steps come before `checkout`, which they contain.
const PAGE_TYPES: &[(&str, &[&str])] = &[
    ("product", &["/products/", "/product/", "/p/"]),
    ("collection", &["/collections/", "/category/", "/c/"]),
    ("cart", &["/cart"]),
    (
        "checkout_shipping",
        &["/checkout/shipping", "/shipping_method"],
    ),
    (
        "checkout_payment",
        &["/checkout/payment", "/payment_method"],
    ),
    ("checkout", &["/checkout", "/checkouts/"]),
    (
        "shipping",
        &["/policies/shipping-policy", "/shipping", "/delivery"],
    ),
    (
        "returns",
        &["/policies/refund-policy", "/returns", "/refund"],
    ),
    ("faq", &["/faq", "/help", "/pages/faq"]),
    ("size_guide", &["/size-guide", "/size-chart"]),
    ("pricing", &["/pricing"]),
    ("blog", &["/blogs/", "/blog/"]),
    ("home", &["=/"]),
];

fn default_rule(id: RuleId) -> Rule {
    let r = |points: f64, per: Per, max: u32, days: f64| Rule {
        points,
        per,
        max,
        window_ms: (days * DAY_MS) as u64,
    };
    match id {
        RuleId::SiteVisit => r(2.0, Per::Visit, 1, 0.0),
        RuleId::ReturnVisit => r(5.0, Per::Visit, 1, 0.0),
        RuleId::ProductView => r(2.0, Per::Visit, 5, 0.0),
        RuleId::RepeatProductView => r(5.0, Per::ItemDays, 1, 7.0),
        RuleId::AddToCart => r(15.0, Per::ItemVisit, 1, 0.0),
        RuleId::BeginCheckout => r(25.0, Per::Visit, 1, 0.0),
        RuleId::WishlistAdd => r(8.0, Per::ItemVisit, 1, 0.0),
        RuleId::EmailClickThrough => r(5.0, Per::Visit, 1, 0.0),
        RuleId::QuizComplete => r(10.0, Per::Visit, 1, 0.0),
        RuleId::EmailOpen => r(1.0, Per::None, 0, 0.0),
        RuleId::SmsOptIn => r(5.0, Per::Ever, 1, 0.0),
        RuleId::SocialFollow => r(2.0, Per::Ever, 1, 0.0),
        RuleId::ReviewEngagement => r(3.0, Per::Visit, 1, 0.0),
        RuleId::EmailUnsubscribe => r(-25.0, Per::Ever, 1, 0.0),
        RuleId::EmailBounce => r(-20.0, Per::Days, 1, 30.0),
        RuleId::NoSiteVisit30d => r(-15.0, Per::None, 0, 30.0),
        RuleId::NoEmailOpens30d => r(-10.0, Per::None, 0, 30.0),
    }
}

/// Upper bound of `max` for window limits: their firing times are kept in state.
const MAX_WINDOW_FIRES: u32 = 16;

/// `n`, unless it is above `max` (a bound of the profile's memory).
fn at_most(field: &str, n: u32, max: usize) -> Result<u32, Error> {
    if n as usize > max {
        return Err(Error::config(field, format!("must be at most {max}")));
    }
    Ok(n)
}

fn too_many_page_types(n: usize) -> String {
    format!("allows at most {MAX_PAGE_TYPES} page types, defaults included; this config has {n}")
}

impl Default for Model {
    fn default() -> Model {
        Config::default()
            .compile()
            .unwrap_or_else(|_| unreachable!("the default config is valid"))
    }
}

impl Config {
    /// Validates the config and resolves it over the defaults.
    pub fn compile(&self) -> Result<Model, Error> {
        // The runtime section is the browser's; it is still validated here, for the CLI's users.
        self.runtime.resolve()?;
        let mut rules = RuleId::ALL.map(default_rule);
        let mut repeat_views = 3;
        let mut return_within_ms = 7 * DAY_MS as u64;
        for (name, rc) in &self.rules {
            let Some(id) = RuleId::from_name(name) else {
                return Err(Error::config(
                    format!("rules.{name}"),
                    unknown_rule_reason(),
                ));
            };
            let field = |f: &str| format!("rules.{name}.{f}");
            let rule = &mut rules[id as usize];
            let condition = id as usize >= EVENT_RULES;
            if let Some(p) = rc.points {
                // Bounded, so that no number of signals can overflow the score to infinity.
                if finite(&field("points"), p)?.abs() > 1e6 {
                    return Err(Error::config(
                        field("points"),
                        "must be a number from -1000000 to 1000000",
                    ));
                }
                rule.points = p;
            }
            if let Some(per) = rc.per {
                if condition {
                    return Err(Error::config(
                        field("per"),
                        "condition rules hold while true and take no limit",
                    ));
                }
                rule.per = per;
            }
            if let Some(max) = rc.max {
                if condition {
                    return Err(Error::config(
                        field("max"),
                        "condition rules hold while true and take no limit",
                    ));
                }
                rule.max = max;
            }
            if let Some(days) = rc.days {
                rule.window_ms = days_ms(&field("days"), days, false)?;
            }
            if let Some(v) = rc.views {
                if id != RuleId::RepeatProductView {
                    return Err(Error::config(
                        field("views"),
                        "only repeat_product_view takes `views`",
                    ));
                }
                if v < 2 {
                    return Err(Error::config(field("views"), "must be at least 2"));
                }
                at_most(&field("views"), v, MAX_VIEWS)?;
                repeat_views = v;
            }
            if let Some(w) = rc.within_days {
                if id != RuleId::ReturnVisit {
                    return Err(Error::config(
                        field("within_days"),
                        "only return_visit takes `within_days`",
                    ));
                }
                return_within_ms = days_ms(&field("within_days"), w, false)?;
            }
            if rule.per != Per::None && rule.max == 0 {
                return Err(Error::config(
                    field("max"),
                    "must be at least 1 when `per` is set (use \"per\": \"none\" for no limit)",
                ));
            }
            if matches!(rule.per, Per::Days | Per::ItemDays) {
                if rule.window_ms == 0 {
                    return Err(Error::config(
                        field("days"),
                        "a `per: days` limit needs a window of more than 0 days",
                    ));
                }
                if rule.max > MAX_WINDOW_FIRES {
                    return Err(Error::config(
                        field("max"),
                        format!("a window limit allows at most {MAX_WINDOW_FIRES}"),
                    ));
                }
            }
        }

        let sql = self.stages.sql.unwrap_or(61.0);
        let mql = self.stages.mql.unwrap_or(41.0);
        let warm = self.stages.warm.unwrap_or(21.0);
        finite("stages.sql", sql)?;
        finite("stages.mql", mql)?;
        finite("stages.warm", warm)?;
        if !(sql > mql && mql > warm) {
            return Err(Error::config(
                "stages",
                "thresholds must rise from warm to mql to sql",
            ));
        }

        let mut page_types: Vec<PageType> = PAGE_TYPES
            .iter()
            .map(|(n, p)| PageType {
                name: n.to_string(),
                patterns: p.iter().map(|s| s.to_string()).collect(),
                role: PageRole::of(n),
            })
            .collect();
        for (name, patterns) in &self.page_types {
            if name.is_empty() {
                return Err(Error::config("page_types", "a page type needs a name"));
            }
            if patterns.iter().any(|p| p.is_empty() || p == "=") {
                return Err(Error::config(
                    format!("page_types.{name}"),
                    "patterns must not be empty",
                ));
            }
            let lower = patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
            match page_types.iter_mut().find(|t| t.name == *name) {
                Some(t) => t.patterns = lower,
                None => page_types.push(PageType {
                    name: name.clone(),
                    patterns: lower,
                    role: PageRole::of(name),
                }),
            }
        }
        if page_types.len() > MAX_PAGE_TYPES {
            return Err(Error::config(
                "page_types",
                too_many_page_types(page_types.len()),
            ));
        }

        let count = |field: &str, v: Option<u32>, default: u32, min: u32| match v {
            Some(n) if n < min => Err(Error::config(field, format!("must be at least {min}"))),
            Some(n) => Ok(n),
            None => Ok(default),
        };
        let opt_days =
            |field: &str, v: Option<f64>, default: f64| days_ms(field, v.unwrap_or(default), false);
        let half_life = self.decay_half_life_days.unwrap_or(14.0);
        days_ms("decay_half_life_days", half_life, true)?;

        let mut experiments = default_experiments();
        for exp in &self.experiments {
            exp.check(&["experiments.", &exp.key].concat())?;
            match experiments.iter_mut().find(|e| e.key == exp.key) {
                Some(slot) => *slot = exp.clone(),
                None => experiments.push(exp.clone()),
            }
        }
        let actions = self.actions.compile(&experiments, &page_types)?;

        Ok(Model {
            rules,
            session_timeout_ms: minutes_ms(
                "session_timeout_min",
                self.session_timeout_min.unwrap_or(30.0),
            )?,
            half_life_ms: half_life * DAY_MS,
            intent_window_ms: opt_days("intent_window_days", self.intent_window_days, 7.0)?,
            rapid_views: at_most(
                "rapid_views",
                count("rapid_views", self.rapid_views, 3, 1)?,
                MAX_RAPID,
            )?,
            rapid_views_ms: minutes_ms("rapid_views_min", self.rapid_views_min.unwrap_or(10.0))?,
            repeat_item_visits: count("repeat_item_visits", self.repeat_item_visits, 2, 2)?,
            repeat_views,
            return_within_ms,
            bounces_to_suppress: at_most(
                "bounces_to_suppress",
                count("bounces_to_suppress", self.bounces_to_suppress, 2, 1)?,
                MAX_BOUNCES,
            )?,
            bounce_window_ms: opt_days("bounce_window_days", self.bounce_window_days, 30.0)?,
            recent_purchase_ms: opt_days("recent_purchase_days", self.recent_purchase_days, 14.0)?,
            value_window_ms: opt_days("value_window_days", self.value_window_days, 7.0)?,
            high_value_threshold: finite(
                "high_value_threshold",
                self.high_value_threshold.unwrap_or(200.0),
            )?,
            stages: [sql, mql, warm],
            page_types,
            email_mediums: lowercase(
                self.email_mediums.as_deref(),
                &["email", "e-mail", "newsletter"],
            ),
            email_click_ids: lowercase(
                self.email_click_ids.as_deref(),
                &["_kx", "mc_cid", "mc_eid"],
            ),
            actions,
            experiments,
            scorecard: self.scorecard.compile()?,
        })
    }
}

/// Writes experiments as a JSON object keyed by `key`.
/// Writes `(name, value)` pairs as a JSON object. Configs keep named entries in lists, not maps:
/// a `BTreeMap` costs kilobytes of wasm.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn named_map<S: serde::Serializer, V: serde::Serialize>(
    pairs: &[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Sets `name` to `value` in a named list, replacing an earlier entry of that name.
pub(crate) fn set_named<V>(pairs: &mut Vec<(String, V)>, name: String, value: V) {
    match pairs.iter_mut().find(|(n, _)| *n == name) {
        Some(entry) => entry.1 = value,
        None => pairs.push((name, value)),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn experiments_map<S: serde::Serializer>(
    experiments: &[Experiment],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(experiments.iter().map(|e| (&e.key, e)))
}

fn unknown_rule_reason() -> String {
    let names: Vec<&str> = RuleId::ALL.iter().map(|r| r.name()).collect();
    format!("unknown rule; the rules are {}", names.join(", "))
}

fn lowercase(given: Option<&[String]>, default: &[&str]) -> Vec<String> {
    match given {
        Some(v) => v.iter().map(|s| s.to_ascii_lowercase()).collect(),
        None => default.iter().map(|s| s.to_string()).collect(),
    }
}

fn finite(field: &str, v: f64) -> Result<f64, Error> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Error::config(field, "must be a finite number"))
    }
}

fn positive(field: &str, v: f64) -> Result<f64, Error> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(Error::config(field, "must be a number above 0"))
    }
}

fn days_ms(field: &str, days: f64, zero_ok: bool) -> Result<u64, Error> {
    if !days.is_finite() || days < 0.0 || (!zero_ok && days == 0.0) || days > 3650.0 {
        let range = if zero_ok {
            "from 0 to 3650"
        } else {
            "above 0 and at most 3650"
        };
        return Err(Error::config(
            field,
            ["must be a number of days ", range].concat(),
        ));
    }
    whole_ms(field, days * DAY_MS, zero_ok)
}

fn minutes_ms(field: &str, min: f64) -> Result<u64, Error> {
    whole_ms(field, positive(field, min)? * MIN_MS, false)
}

/// Durations are kept in whole ms, rounded, so that the config `to_config` writes reads back
/// the same; a positive duration under half a millisecond would be 0, and is refused.
pub(crate) fn whole_ms(field: &str, ms: f64, zero_ok: bool) -> Result<u64, Error> {
    let whole = crate::core::decimal::round(ms) as u64;
    if whole == 0 && !zero_ok {
        return Err(Error::config(field, "must be at least 1 ms"));
    }
    Ok(whole)
}

impl Model {
    /// The full, explicit config this model came from, for writing out and editing.
    pub fn to_config(&self) -> Config {
        let rules = RuleId::ALL
            .iter()
            .map(|&id| {
                let r = self.rule(id);
                let condition = id as usize >= EVENT_RULES;
                let windowed = condition || matches!(r.per, Per::Days | Per::ItemDays);
                let rc = RuleConfig {
                    points: Some(r.points),
                    per: (!condition).then_some(r.per),
                    max: (!condition && r.per != Per::None).then_some(r.max),
                    days: windowed.then_some(r.window_ms as f64 / DAY_MS),
                    views: (id == RuleId::RepeatProductView).then_some(self.repeat_views),
                    within_days: (id == RuleId::ReturnVisit)
                        .then_some(self.return_within_ms as f64 / DAY_MS),
                };
                (id.name().to_string(), rc)
            })
            .collect();
        let days = |ms: u64| Some(ms as f64 / DAY_MS);
        Config {
            session_timeout_min: Some(self.session_timeout_ms as f64 / MIN_MS),
            decay_half_life_days: Some(self.half_life_ms / DAY_MS),
            intent_window_days: days(self.intent_window_ms),
            rapid_views: Some(self.rapid_views),
            rapid_views_min: Some(self.rapid_views_ms as f64 / MIN_MS),
            repeat_item_visits: Some(self.repeat_item_visits),
            bounces_to_suppress: Some(self.bounces_to_suppress),
            bounce_window_days: days(self.bounce_window_ms),
            recent_purchase_days: days(self.recent_purchase_ms),
            value_window_days: days(self.value_window_ms),
            high_value_threshold: Some(self.high_value_threshold),
            stages: StagesConfig {
                sql: Some(self.stages[0]),
                mql: Some(self.stages[1]),
                warm: Some(self.stages[2]),
            },
            rules,
            page_types: self
                .page_types
                .iter()
                .map(|t| (t.name.clone(), t.patterns.clone()))
                .collect(),
            email_mediums: Some(self.email_mediums.clone()),
            email_click_ids: Some(self.email_click_ids.clone()),
            actions: self.actions.to_config(&self.experiments, &self.page_types),
            experiments: self.experiments.clone(),
            runtime: Runtime::default().to_config(),
            scorecard: scorecard::to_config(&self.scorecard),
        }
    }
}

/// `format` of the compiled model file the browser loads.
pub const MODEL_FILE_FORMAT: &str = "shopper-intent/model";

/// The first bytes of a model file: no JSON text starts with a NUL, so the tag tells the two apart.
pub const MODEL_MAGIC: &[u8; 4] = b"\0sim";

/// What both compilers (`shopper-intent compile`, `npx shopper-intent-compile`) say of a model
/// with a scorecard.
pub const SCORECARD_NOTE: &str = "note: this model has a scorecard: add data-scorecard to the \
    script tag (<script type=\"module\" src=\"/pkg/shopper-intent.js\" data-config=\"...\" \
    data-scorecard>), so that it fetches the scorer with scorecards at once, not one round trip later";

/// The compiled model file the tag loads (`shopper-intent.model.bin`, written by both compilers,
/// read by src/web/js/index.js): [`MODEL_MAGIC`], the header's length (u32, little-endian), the
/// header (JSON: format, version, the browser's runtime options, a summary for the intent panel),
/// then the model's bytes as the engine reads them (no base64: smaller gzipped, no decoding at
/// start).
#[cfg(any(not(target_arch = "wasm32"), feature = "compiler"))]
pub fn model_file(model: &Model, runtime: &Runtime) -> Vec<u8> {
    use serde_json::json;
    let r = runtime;
    let file = json!({
        "format": MODEL_FILE_FORMAT,
        "version": super::compiled::FORMAT,
        "runtime": {
            "require_consent": r.require_consent,
            "global_privacy_control": r.global_privacy_control,
            "storage_key": r.storage_key,
            "save_delay_ms": r.save_delay_ms,
            "data_layer": r.data_layer,
            "stage_to_data_layer": r.stage_to_data_layer,
            "shopify": r.shopify,
            "spa": r.spa,
            "clicks": r.clicks,
            "beacon_url": r.beacon_url,
            "debug": r.debug,
            "stylesheet": r.stylesheet,
        },
        "summary": {
            "stages": {"sql": model.stages[0], "mql": model.stages[1], "warm": model.stages[2]},
            "decay_half_life_days": model.half_life_ms / DAY_MS,
            "intent_window_days": model.intent_window_ms as f64 / DAY_MS,
            "scorecard": !model.scorecard.is_empty(),
        },
    });
    let header = file.to_string();
    let model = model.to_bytes();
    let mut out = Vec::with_capacity(8 + header.len() + model.len());
    out.extend_from_slice(MODEL_MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&model);
    out
}

#[cfg(any(not(target_arch = "wasm32"), feature = "compiler"))]
impl Config {
    /// Validates and compiles the config into the model file the browser loads, and whether its
    /// model has a scorecard.
    pub fn model_file(&self) -> Result<(Vec<u8>, bool), Error> {
        let model = self.compile()?;
        Ok((
            model_file(&model, &self.runtime.resolve()?),
            !model.scorecard.is_empty(),
        ))
    }
}

/// Top-level fields of a config.
pub const CONFIG_FIELDS: &[&str] = &[
    "session_timeout_min",
    "decay_half_life_days",
    "intent_window_days",
    "rapid_views",
    "rapid_views_min",
    "repeat_item_visits",
    "bounces_to_suppress",
    "bounce_window_days",
    "recent_purchase_days",
    "value_window_days",
    "high_value_threshold",
    "stages",
    "rules",
    "page_types",
    "email_mediums",
    "email_click_ids",
    "actions",
    "experiments",
    "runtime",
    "scorecard",
];
/// Fields of the `runtime` section.
pub const RUNTIME_FIELDS: &[&str] = &[
    "require_consent",
    "global_privacy_control",
    "storage_key",
    "save_delay_ms",
    "data_layer",
    "stage_to_data_layer",
    "shopify",
    "spa",
    "clicks",
    "beacon_url",
    "debug",
    "stylesheet",
];
const RULE_FIELDS: &[&str] = &["points", "per", "max", "days", "views", "within_days"];
const STAGE_FIELDS: &[&str] = &["sql", "mql", "warm"];

impl Config {
    /// Reads a config from JSON or a JS object; the error names the first bad field.
    pub fn read<P: Params>(value: P) -> Result<Config, Error> {
        let f = Fields::open(value, "", Some(CONFIG_FIELDS))?;
        let mut config = Config {
            session_timeout_min: f.number("session_timeout_min")?,
            decay_half_life_days: f.number("decay_half_life_days")?,
            intent_window_days: f.number("intent_window_days")?,
            rapid_views: f.count("rapid_views")?,
            rapid_views_min: f.number("rapid_views_min")?,
            repeat_item_visits: f.count("repeat_item_visits")?,
            bounces_to_suppress: f.count("bounces_to_suppress")?,
            bounce_window_days: f.number("bounce_window_days")?,
            recent_purchase_days: f.number("recent_purchase_days")?,
            value_window_days: f.number("value_window_days")?,
            high_value_threshold: f.number("high_value_threshold")?,
            email_mediums: f.texts("email_mediums")?,
            email_click_ids: f.texts("email_click_ids")?,
            ..Config::default()
        };
        if let Some(s) = f.object("stages", Some(STAGE_FIELDS))? {
            config.stages = StagesConfig {
                sql: s.number("sql")?,
                mql: s.number("mql")?,
                warm: s.number("warm")?,
            };
        }
        let rule_names: Vec<&str> = RuleId::ALL.iter().map(|r| r.name()).collect();
        if let Some(rules) = f.object("rules", Some(&rule_names))? {
            for name in rules.keys() {
                let Some(r) = rules.object(&name, Some(RULE_FIELDS))? else {
                    continue;
                };
                let per = match r.text("per")?.as_deref() {
                    None => None,
                    Some(p) => Some(per_of(p).ok_or_else(|| {
                        Error::config(
                            r.path("per"),
                            "must be one of none, visit, item_visit, ever, days, item_days",
                        )
                    })?),
                };
                let rule = RuleConfig {
                    points: r.number("points")?,
                    per,
                    max: r.count("max")?,
                    days: r.number("days")?,
                    views: r.count("views")?,
                    within_days: r.number("within_days")?,
                };
                set_named(&mut config.rules, name, rule);
            }
        }
        if let Some(a) = f.object("actions", Some(ActionsConfig::FIELDS))? {
            config.actions = ActionsConfig::read(&a)?;
        }
        if let Some(experiments) = f.object("experiments", None)? {
            for key in experiments.keys() {
                let path = experiments.path(&key);
                let Some(value) = experiments.get(&key) else {
                    continue;
                };
                let exp = Experiment::read(value, &path, &key, default_experiment(&key))?;
                config.experiments.push(exp);
            }
        }
        if let Some(r) = f.object("runtime", Some(RUNTIME_FIELDS))? {
            config.runtime = RuntimeConfig {
                require_consent: r.flag("require_consent")?,
                global_privacy_control: r.flag("global_privacy_control")?,
                storage_key: r.text("storage_key")?,
                save_delay_ms: r.count("save_delay_ms")?,
                data_layer: r.text("data_layer")?,
                stage_to_data_layer: r.flag("stage_to_data_layer")?,
                shopify: r.flag("shopify")?,
                spa: r.flag("spa")?,
                clicks: r.flag("clicks")?,
                beacon_url: r.text("beacon_url")?,
                debug: r.flag("debug")?,
                stylesheet: r.text("stylesheet")?,
            };
        }
        if let Some(s) = f.object("scorecard", Some(scorecard::FIELDS))? {
            config.scorecard = scorecard::ScorecardConfig::read(&s)?;
        }
        if let Some(pages) = f.object("page_types", None)? {
            let names = pages.keys();
            // Refused before merging (each merge looks up the names so far).
            if names.len() > MAX_PAGE_TYPES {
                return Err(Error::config(
                    "page_types",
                    too_many_page_types(names.len()),
                ));
            }
            for name in names {
                let patterns = pages.texts(&name)?.unwrap_or_default();
                set_named(&mut config.page_types, name, patterns);
            }
        }
        Ok(config)
    }
}

fn per_of(name: &str) -> Option<Per> {
    Some(match name {
        "none" => Per::None,
        "visit" => Per::Visit,
        "item_visit" => Per::ItemVisit,
        "ever" => Per::Ever,
        "days" => Per::Days,
        "item_days" => Per::ItemDays,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_scoring_md() {
        let m = Model::default();
        assert_eq!(m.rule(RuleId::ProductView).points, 2.0);
        assert_eq!(m.rule(RuleId::ProductView).max, 5);
        assert_eq!(m.rule(RuleId::EmailBounce).per, Per::Days);
        assert_eq!(m.rule(RuleId::EmailBounce).window_ms, 30 * 86_400_000);
        assert_eq!(m.stages, [61.0, 41.0, 21.0]);
        assert_eq!(m.session_timeout_ms, 30 * 60_000);
    }

    #[test]
    fn page_types_match_paths_case_insensitively_and_in_order() {
        let m = Model::default();
        let name = |u: &str| m.page_type(u).map(|i| m.page_type_name(i).to_string());
        assert_eq!(
            name("https://s.example/Products/linen?utm_medium=email").as_deref(),
            Some("product")
        );
        assert_eq!(name("https://s.example/").as_deref(), Some("home"));
        assert_eq!(
            name("https://s.example/checkout/shipping/").as_deref(),
            Some("checkout_shipping")
        );
        assert_eq!(
            name("https://s.example/policies/shipping-policy").as_deref(),
            Some("shipping")
        );
        assert_eq!(name("https://s.example/about"), None);
    }

    #[test]
    fn partial_rule_override_keeps_other_defaults() {
        let c = Config {
            rules: [(
                "product_view".into(),
                RuleConfig {
                    points: Some(3.0),
                    ..Default::default()
                },
            )]
            .into(),
            ..Default::default()
        };
        let m = c.compile().unwrap();
        assert_eq!(m.rule(RuleId::ProductView).points, 3.0);
        assert_eq!(m.rule(RuleId::ProductView).max, 5);
    }

    #[test]
    fn explicit_config_round_trips() {
        let m = Model::default();
        assert_eq!(m.to_config().compile().unwrap(), m);
    }
}

// The cases are JSON, which is a native-only `Params` source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod read_tests {
    use super::*;
    use crate::core::Runtime;
    use serde_json::json;

    #[test]
    fn runtime_section_reads_with_defaults_and_named_errors() {
        let c = Config::read(&json!({"runtime": {"require_consent": false, "storage_key": "k"}}))
            .unwrap();
        let r = c.runtime.resolve().unwrap();
        assert!(!r.require_consent && r.global_privacy_control);
        assert_eq!((r.storage_key.as_str(), r.save_delay_ms), ("k", 1000));
        assert_eq!(
            Config::default().runtime.resolve().unwrap(),
            Runtime::default()
        );

        let msg = |v: serde_json::Value| {
            Config::read(&v)
                .and_then(|c| c.compile().map(|_| ()))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            msg(json!({"runtime": {"requireConsent": true}})),
            "config field `runtime.requireConsent`: unknown field; expected one of \
             require_consent, global_privacy_control, storage_key, save_delay_ms, data_layer, \
             stage_to_data_layer, shopify, spa, clicks, beacon_url, debug, stylesheet"
        );
        assert_eq!(
            msg(json!({"runtime": {"require_consent": "yes"}})),
            "config field `runtime.require_consent`: must be true or false, not a string"
        );
        assert_eq!(
            msg(json!({"runtime": {"storage_key": ""}})),
            "config field `runtime.storage_key`: must be a string of 1 to 100 characters"
        );
        assert_eq!(
            msg(json!({"runtime": {"save_delay_ms": 600000}})),
            "config field `runtime.save_delay_ms`: must be at most 60000 (one minute)"
        );
    }
}
