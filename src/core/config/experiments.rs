//! The `experiments` section of a config.

use crate::core::error::Error;
use crate::core::event::{Params, Value};
use crate::core::experiment::Experiment;
use crate::core::fields::Fields;

/// Fields of an experiment in a config (its key is the name it is filed under).
pub const EXPERIMENT_FIELDS: &[&str] = &[
    "variations",
    "weights",
    "coverage",
    "hash_version",
    "seed",
    "namespace",
    "force",
];

impl Experiment {
    /// Reads the experiment filed as `key` in a config, over `base` (fields not given keep
    /// `base`'s values), then validates it. The error names the config field at fault.
    pub fn read<P: Params>(
        value: P,
        path: &str,
        key: &str,
        base: Experiment,
    ) -> Result<Experiment, Error> {
        let f = Fields::open(value, path, Some(EXPERIMENT_FIELDS))?;
        let mut exp = Experiment {
            key: key.into(),
            ..base
        };
        if let Some(variations) = f.texts("variations")? {
            exp.variations = variations;
        }
        if let Some(weights) = f.numbers("weights")? {
            exp.weights = Some(weights);
        }
        if let Some(coverage) = f.number("coverage")? {
            exp.coverage = coverage;
        }
        if let Some(version) = f.count("hash_version")? {
            exp.hash_version = u8::try_from(version).unwrap_or(u8::MAX);
        }
        if let Some(seed) = f.text("seed")? {
            exp.seed = Some(seed);
        }
        if let Some(force) = f.count("force")? {
            exp.force = Some(force as usize);
        }
        if let Some(items) = f.list("namespace")? {
            let bad = || {
                Error::config(
                    f.path("namespace"),
                    "must be [id, start, end], e.g. [\"nudges\", 0, 0.5]",
                )
            };
            let mut it = items.into_iter().map(|(_, v)| v);
            exp.namespace = match (it.next(), it.next(), it.next(), it.next()) {
                (
                    Some(Value::Text(id)),
                    Some(Value::Number(start)),
                    Some(Value::Number(end)),
                    None,
                ) => Some((id, start, end)),
                _ => return Err(bad()),
            };
        }
        exp.check(path)?;
        Ok(exp)
    }
    /// [`Experiment::validate`] as a config error naming the field at fault under `path`.
    pub(crate) fn check(&self, path: &str) -> Result<(), Error> {
        match self.problem() {
            None => Ok(()),
            Some(("", message)) => Err(Error::config(path, message)),
            Some((field, message)) => Err(Error::config([path, ".", field].concat(), message)),
        }
    }
}
