//! Reading named fields of an object (a config, an `identify()` argument) from JSON natively or
//! from the browser's wire format, through the same [`Params`] abstraction as events, with
//! errors that name the field.

use super::decimal::{is_whole, push_u64};
use super::error::Error;
use super::event::{Params, Value};
use alloc::string::String;
use alloc::vec::Vec;

/// Longest string a config may hold, in characters (nudge messages included): one limit, checked
/// the same way by the CLI and by the browser's compiler.
pub const MAX_CONFIG_TEXT: usize = 1000;

/// A config string, or why it is not one.
fn text_of(v: Value) -> Result<String, String> {
    let too_long = |n: usize| {
        let mut why = String::from("must be a string of at most ");
        push_u64(&mut why, MAX_CONFIG_TEXT as u64);
        why.push_str(" characters, not ");
        push_u64(&mut why, n as u64);
        why
    };
    match v {
        Value::Text(s) if super::text::chars(&s) <= MAX_CONFIG_TEXT => Ok(s),
        Value::Text(s) => Err(too_long(super::text::chars(&s))),
        Value::LongText(n) => Err(too_long(n)),
        other => Err(["must be a string, not ", other.type_name()].concat()),
    }
}

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
                    [
                        "unknown field; expected one of ",
                        &super::text::join(allowed, ", "),
                    ]
                    .concat(),
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
            Some((_, Value::Number(n))) if is_whole(n) && (0.0..=u32::MAX as f64).contains(&n) => {
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
            Some((_, found)) => text_of(found)
                .map(Some)
                .map_err(|why| Error::config(self.path(key), why)),
        }
    }

    /// An array of strings.
    pub fn texts(&self, key: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(items) = self.list(key)? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, (_, v)) in items.into_iter().enumerate() {
            match text_of(v) {
                Ok(s) => out.push(s),
                Err(why) => return Err(Error::config(self.at(key, i), why)),
            }
        }
        Ok(Some(out))
    }

    /// Field path of element `i` of `key`.
    fn at(&self, key: &str, i: usize) -> String {
        let mut at = self.path(key);
        at.push('[');
        push_u64(&mut at, i as u64);
        at.push(']');
        at
    }

    fn element(&self, key: &str, i: usize, expected: &str, found: &Value) -> Error {
        Error::config(
            self.at(key, i),
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
