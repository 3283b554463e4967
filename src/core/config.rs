//! Reading a [`Config`] from JSON (natively) or a JS object (in the browser) through the same
//! [`Params`] abstraction as events, with errors that name the field.
//!
//! Hand-written rather than serde `Deserialize`: serde's self-describing deserializers pull float
//! formatting and `Debug` machinery into the wasm (measured: +34 KB raw, +14 KB gzipped).

use super::actions::{default_experiment, ActionsConfig};
use super::error::Error;
use super::event::{Params, Value};
use super::experiment::Experiment;
use super::model::{Config, Per, RuleConfig, RuleId, RuntimeConfig, StagesConfig};
use std::string::String;
use std::vec::Vec;

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
];
const RULE_FIELDS: &[&str] = &["points", "per", "max", "days", "views", "within_days"];
const STAGE_FIELDS: &[&str] = &["sql", "mql", "warm"];

/// An object being read: its path for messages, and the value.
pub struct Fields<P> {
    path: String,
    value: P,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.into()
    } else {
        [path, ".", key].concat()
    }
}

impl<P: Params> Fields<P> {
    /// Opens `value` as an object whose keys must all be in `allowed` (any key when `None`).
    pub fn open(value: P, path: &str, allowed: Option<&[&str]>) -> Result<Fields<P>, Error> {
        let kind = value.value();
        if kind != Value::Map {
            let field = if path.is_empty() {
                "(the config)"
            } else {
                path
            };
            return Err(Error::config(
                field,
                ["must be an object, not ", kind.type_name()].concat(),
            ));
        }
        if let Some(allowed) = allowed {
            if let Some(bad) = value
                .keys()
                .into_iter()
                .find(|k| !allowed.contains(&k.as_str()))
            {
                return Err(Error::config(
                    join(path, &bad),
                    ["unknown field; expected one of ", &allowed.join(", ")].concat(),
                ));
            }
        }
        Ok(Fields {
            path: path.into(),
            value,
        })
    }

    /// The raw value at `key`, unless absent or null.
    pub fn get(&self, key: &str) -> Option<P> {
        self.raw(key).map(|(v, _)| v)
    }

    /// The kind of the value at `key` ([`Value::Missing`] when absent).
    pub fn kind(&self, key: &str) -> Value {
        self.value.get(key).map_or(Value::Missing, |v| v.value())
    }

    /// The keys of this object.
    pub fn keys(&self) -> Vec<String> {
        self.value.keys()
    }

    /// Field path of `key`, for messages.
    pub fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn raw(&self, key: &str) -> Option<(P, Value)> {
        let v = self.value.get(key)?;
        let kind = v.value();
        (!matches!(kind, Value::Missing | Value::Null)).then_some((v, kind))
    }

    fn wrong(&self, key: &str, expected: &str, found: &Value) -> Error {
        Error::config(
            self.path(key),
            ["must be ", expected, ", not ", found.type_name()].concat(),
        )
    }

    /// A finite number.
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((_, Value::Number(n))) if n.is_finite() => Ok(Some(n)),
            Some((_, found)) => Err(self.wrong(key, "a finite number", &found)),
        }
    }

    /// A whole number from 0 to 2^32 − 1.
    pub fn count(&self, key: &str) -> Result<Option<u32>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((_, Value::Number(n)))
                if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) =>
            {
                Ok(Some(n as u32))
            }
            Some((_, found)) => Err(self.wrong(key, "a whole number of 0 or more", &found)),
        }
    }

    /// A boolean.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((_, Value::Bool(b))) => Ok(Some(b)),
            Some((_, found)) => Err(self.wrong(key, "true or false", &found)),
        }
    }

    /// A string.
    pub fn text(&self, key: &str) -> Result<Option<String>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((_, Value::Text(s))) => Ok(Some(s)),
            Some((_, found)) => Err(self.wrong(key, "a string", &found)),
        }
    }

    /// An array of strings.
    pub fn texts(&self, key: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, (_, v)) in items.into_iter().enumerate() {
            match v {
                Value::Text(s) => out.push(s),
                other => return Err(self.element(key, i, "a string", &other)),
            }
        }
        Ok(Some(out))
    }

    fn element(&self, key: &str, i: usize, expected: &str, found: &Value) -> Error {
        let at = [self.path(key), "[".into(), i.to_string(), "]".into()].concat();
        Error::config(
            at,
            ["must be ", expected, ", not ", found.type_name()].concat(),
        )
    }

    /// An array of numbers.
    pub fn numbers(&self, key: &str) -> Result<Option<Vec<f64>>, Error> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, (_, v)) in items.into_iter().enumerate() {
            match v {
                Value::Number(n) if n.is_finite() => out.push(n),
                other => return Err(self.element(key, i, "a finite number", &other)),
            }
        }
        Ok(Some(out))
    }

    /// The elements of an array, with their kinds.
    pub fn list(&self, key: &str) -> Result<Option<Vec<(P, Value)>>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((v, Value::List(n))) => Ok(Some(
                (0..n)
                    .filter_map(|i| v.at(i))
                    .map(|e| {
                        let kind = e.value();
                        (e, kind)
                    })
                    .collect(),
            )),
            Some((_, found)) => Err(self.wrong(key, "an array", &found)),
        }
    }

    /// A nested object.
    pub fn object(&self, key: &str, allowed: Option<&[&str]>) -> Result<Option<Fields<P>>, Error> {
        match self.raw(key) {
            None => Ok(None),
            Some((v, _)) => Fields::open(v, &self.path(key), allowed).map(Some),
        }
    }
}

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
                super::model::set_named(&mut config.rules, name, rule);
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
            };
        }
        if let Some(s) = f.object("scorecard", Some(super::scorecard::FIELDS))? {
            config.scorecard = super::scorecard::ScorecardConfig::read(&s)?;
        }
        if let Some(pages) = f.object("page_types", None)? {
            for name in pages.keys() {
                let patterns = pages.texts(&name)?.unwrap_or_default();
                super::model::set_named(&mut config.page_types, name, patterns);
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

// The cases are JSON, which is a native-only `Params` source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
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
             stage_to_data_layer, shopify, spa, clicks, beacon_url"
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
