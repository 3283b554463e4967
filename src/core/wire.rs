//! The browser's wire format for event parameters and API arguments: the loader's JavaScript
//! reads the store's objects (inside `try`, so a throwing getter or a revoked proxy is caught in
//! JS and never unwinds through wasm) and writes what it read as one flat buffer, which the core
//! decodes through the same [`Params`] trait as JSON. One call per event, no JS objects held.
//!
//! A value is a tag byte and its body (integers little-endian):
//!
//! | tag | value | body |
//! |---|---|---|
//! | 0 | missing (`undefined`) | |
//! | 1 | `null` | |
//! | 2, 3 | `false`, `true` | |
//! | 4 | number | f64 |
//! | 5 | string | u32 byte length, UTF-8, u8 is-numeric, f64 `Number(s)` |
//! | 6 | string too long to copy | u32 length in characters |
//! | 7 | array | u32 count, u32 body size, the elements |
//! | 8 | object | u32 count, u32 body size, (u16 key length, key, value) per entry |
//! | 9 | anything else (a function, a symbol) | |
//!
//! The writer is `writeValue` in `src/web/js/wire.js`; `tests/web_vectors.rs` runs the test
//! vectors through it in Chromium.

use super::event::{Params, Value};
use alloc::string::String;
use alloc::vec::Vec;

/// A value in a wire buffer. Malformed bytes read as missing, never panic.
#[derive(Clone, Copy, Debug)]
pub struct Wire<'a> {
    bytes: &'a [u8],
    at: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

fn f64_at(bytes: &[u8], at: usize) -> Option<f64> {
    let mut w = [0u8; 8];
    super::text::put(&mut w, bytes.get(at..at + 8)?);
    Some(f64::from_le_bytes(w))
}

impl<'a> Wire<'a> {
    /// The value at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Wire<'a> {
        Wire { bytes, at: 0 }
    }

    fn tag(&self) -> u8 {
        self.bytes.get(self.at).copied().unwrap_or(0)
    }

    /// Bytes this value takes, tag included.
    fn size(&self) -> Option<usize> {
        let body = self.at + 1;
        Some(
            1 + match self.tag() {
                4 => 8,
                5 => 4 + u32_at(self.bytes, body)? + 9,
                6 => 4,
                7 | 8 => 8 + u32_at(self.bytes, body + 4)?,
                _ => 0,
            },
        )
    }

    fn child(&self, at: usize) -> Wire<'a> {
        Wire {
            bytes: self.bytes,
            at,
        }
    }

    /// The elements (array) or entries (object) of a container: count and where the first is.
    fn body(&self, tag: u8) -> Option<(usize, usize)> {
        (self.tag() == tag).then_some(())?;
        Some((u32_at(self.bytes, self.at + 1)?, self.at + 9))
    }

    /// The object entry at `at`: its key's bytes and its value (the next entry follows the value).
    /// Inlined: as a call, the scorer was 35 B larger (gzip -9).
    #[inline(always)]
    fn entry(&self, at: usize) -> Option<(&'a [u8], Wire<'a>)> {
        let len = self.bytes.get(at..at + 2)?;
        let len = u16::from_le_bytes([len[0], len[1]]) as usize;
        Some((
            self.bytes.get(at + 2..at + 2 + len)?,
            self.child(at + 2 + len),
        ))
    }

    /// The entries of an object: key and value.
    fn entries(&self) -> impl Iterator<Item = (&'a str, Wire<'a>)> + '_ {
        let (count, mut at) = self.body(8).unwrap_or((0, 0));
        (0..count).map_while(move |_| {
            let (key, value) = self.entry(at)?;
            at = value.at + value.size()?;
            Some((super::text::utf8(key)?, value))
        })
    }

    fn text(&self) -> Option<&'a str> {
        let len = u32_at(self.bytes, self.at + 1)?;
        super::text::utf8(self.bytes.get(self.at + 5..self.at + 5 + len)?)
    }
}

impl Params for Wire<'_> {
    fn get(&self, key: &str) -> Option<Self> {
        // `entries`, as a loop (this runs for every parameter the decoder reads).
        let (count, mut at) = self.body(8)?;
        for _ in 0..count {
            // The key's bytes against `key`'s: equal bytes are the same text, so a key that is
            // not `key` need not be checked for UTF-8 (every event reads several parameters).
            let (k, value) = self.entry(at)?;
            if k == key.as_bytes() {
                return (value.tag() != 0).then_some(value);
            }
            at = value.at + value.size()?;
        }
        None
    }

    fn value(&self) -> Value {
        let body = self.at + 1;
        match self.tag() {
            1 => Value::Null,
            2 => Value::Bool(false),
            3 => Value::Bool(true),
            4 => f64_at(self.bytes, body).map_or(Value::Missing, Value::Number),
            5 => self
                .text()
                .map_or(Value::Missing, |s| Value::Text(String::from(s))),
            6 => u32_at(self.bytes, body).map_or(Value::Missing, Value::LongText),
            7 => u32_at(self.bytes, body).map_or(Value::Missing, Value::List),
            8 => Value::Map,
            9 => Value::Other,
            _ => Value::Missing,
        }
    }

    fn at(&self, index: usize) -> Option<Self> {
        let (count, mut at) = self.body(7)?;
        // The writer may send fewer elements than the count (a list too long to copy).
        let end = at + u32_at(self.bytes, self.at + 5)?;
        if index >= count {
            return None;
        }
        for _ in 0..index {
            at += self.child(at).size()?;
        }
        (at < end).then(|| self.child(at)).filter(|v| v.tag() != 0)
    }

    fn keys(&self) -> Vec<String> {
        self.entries().map(|(k, _)| String::from(k)).collect()
    }

    /// The writer parsed numeric text with JS's `Number()` (keeping Rust's float parser out of
    /// the wasm); its verdict follows the text: the u8 flag, then the number.
    fn number_of(&self) -> Option<f64> {
        if self.tag() != 5 {
            return None;
        }
        let end = self.at + 5 + u32_at(self.bytes, self.at + 1)?;
        (*self.bytes.get(end)? == 1)
            .then(|| f64_at(self.bytes, end + 1))
            .flatten()
    }
}

/// Writes wire values natively: for tests of the format, and for fuzzing the decoder.
#[cfg(any(not(target_arch = "wasm32"), feature = "compiler"))]
#[derive(Default)]
pub struct Writer(pub Vec<u8>);

#[cfg(any(not(target_arch = "wasm32"), feature = "compiler"))]
impl Writer {
    fn u32(&mut self, n: usize) {
        self.0.extend_from_slice(&(n as u32).to_le_bytes());
    }

    /// A JSON value, as the browser's writer would send the same JS value.
    pub fn json(&mut self, v: &serde_json::Value) {
        use serde_json::Value as J;
        match v {
            J::Null => self.0.push(1),
            J::Bool(b) => self.0.push(2 + u8::from(*b)),
            J::Number(n) => {
                self.0.push(4);
                self.0
                    .extend_from_slice(&n.as_f64().unwrap_or(f64::NAN).to_le_bytes());
            }
            J::String(s) => {
                self.0.push(5);
                self.u32(s.len());
                self.0.extend_from_slice(s.as_bytes());
                let n = s.trim().parse::<f64>().ok();
                self.0.push(u8::from(n.is_some()));
                self.0.extend_from_slice(&n.unwrap_or(0.0).to_le_bytes());
            }
            J::Array(list) => {
                self.container(7, list.len(), |w| list.iter().for_each(|e| w.json(e)))
            }
            J::Object(map) => self.container(8, map.len(), |w| {
                for (k, e) in map {
                    w.0.extend_from_slice(&(k.len() as u16).to_le_bytes());
                    w.0.extend_from_slice(k.as_bytes());
                    w.json(e);
                }
            }),
        }
    }

    fn container(&mut self, tag: u8, count: usize, body: impl FnOnce(&mut Writer)) {
        self.0.push(tag);
        self.u32(count);
        let size_at = self.0.len();
        self.u32(0);
        body(self);
        let size = self.0.len() - size_at - 4;
        self.0[size_at..size_at + 4].copy_from_slice(&(size as u32).to_le_bytes());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::Event;
    use serde_json::json;

    fn wire(v: serde_json::Value) -> Vec<u8> {
        let mut w = Writer::default();
        w.json(&v);
        w.0
    }

    #[test]
    fn events_decode_from_the_wire_as_from_json() {
        let params = json!({"ecommerce": {"items": [{"item_id": 42, "item_name": "Coat", "price": "11.99", "quantity": 2}], "value": 23.98},
            "page_location": "https://s.example/p", "extra": [1, {"a": null}]});
        let bytes = wire(params.clone());
        let from_wire = Event::decode("add_to_cart", 5, &Wire::new(&bytes));
        assert_eq!(from_wire, Event::decode("add_to_cart", 5, &&params));
        let e = from_wire.unwrap().unwrap();
        assert_eq!(
            (e.items[0].id.as_str(), e.items[0].price, e.value),
            ("42", Some(11.99), Some(23.98))
        );
        let bad = wire(json!({"items": [{"item_id": "A", "price": "abc"}]}));
        assert_eq!(
            Event::decode("add_to_cart", 5, &Wire::new(&bad))
                .unwrap_err()
                .to_string(),
            "add_to_cart: items[0].price must be a number, not a string"
        );
    }

    #[test]
    fn malformed_bytes_read_as_missing() {
        let bytes = wire(json!({"items": [{"item_id": "A"}]}));
        for cut in 0..bytes.len() {
            let w = Wire::new(&bytes[..cut]);
            let _ = Event::decode("view_item", 1, &w);
            let _ = w.keys();
        }
        assert_eq!(Wire::new(&[]).value(), Value::Missing);
        assert_eq!(
            Wire::new(&[7, 255, 255, 255, 255]).at(3).map(|w| w.value()),
            None
        );
    }
}
