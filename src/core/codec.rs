//! The stored profile's byte format: fields in declaration order, integers as LEB128 varints,
//! floats as 8 little-endian bytes, strings and lists length-prefixed; then base64 for
//! `localStorage`.
//!
//! Hand-written rather than serde + postcard + base64: those cost 13.2 KB of the gzipped wasm
//! (measured by stubbing them out), more than half of the whole bundle's 24 KB budget, for a
//! format that is ours to define anyway. Each stored struct declares its layout with
//! [`stored!`] next to its definition.

use std::string::String;
use std::vec::Vec;

/// Longest list a corrupt entry can make us allocate: far above any bounded list in the profile.
const MAX_LIST: usize = 4096;

/// A cursor over stored bytes; every read is bounds-checked.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    /// True when every byte was read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.bytes.len() {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.take(1)?.first()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

fn put_varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A value that can be written to and read back from the stored profile.
pub trait Stored: Sized {
    /// Appends this value's bytes.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads a value back; `None` when the bytes are short or invalid.
    fn take(r: &mut Reader) -> Option<Self>;
}

macro_rules! stored_uint {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            fn put(&self, out: &mut Vec<u8>) {
                put_varint(u64::from(*self), out);
            }
            fn take(r: &mut Reader) -> Option<Self> {
                <$t>::try_from(r.varint()?).ok()
            }
        }
    )*};
}
stored_uint!(u8, u16, u32, u64);

impl Stored for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(r: &mut Reader) -> Option<Self> {
        match r.take(1)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

impl Stored for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(r: &mut Reader) -> Option<Self> {
        // The profile never holds NaN or infinity; stored ones are corrupt (they would score NaN).
        Some(f64::from_le_bytes(r.take(8)?.try_into().ok()?)).filter(|x| x.is_finite())
    }
}

impl Stored for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(self.len() as u64, out);
        out.extend_from_slice(self.as_bytes());
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let len = usize::try_from(r.varint()?).ok()?;
        String::from_utf8(r.take(len)?.to_vec()).ok()
    }
}

impl<T: Stored> Stored for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        match bool::take(r)? {
            false => Some(None),
            true => Some(Some(T::take(r)?)),
        }
    }
}

impl<T: Stored> Stored for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(self.len() as u64, out);
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let len = usize::try_from(r.varint()?)
            .ok()
            .filter(|&n| n <= MAX_LIST)?;
        (0..len).map(|_| T::take(r)).collect()
    }
}

impl<T: Stored + Default + Copy, const N: usize> Stored for [T; N] {
    fn put(&self, out: &mut Vec<u8>) {
        for v in self {
            v.put(out);
        }
    }
    fn take(r: &mut Reader) -> Option<Self> {
        let mut array = [T::default(); N];
        for slot in &mut array {
            *slot = T::take(r)?;
        }
        Some(array)
    }
}

impl<A: Stored, B: Stored, C: Stored> Stored for (A, B, C) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
        self.2.put(out);
    }
    fn take(r: &mut Reader) -> Option<Self> {
        Some((A::take(r)?, B::take(r)?, C::take(r)?))
    }
}

/// Declares a struct's stored layout: its fields, in this order. Appending a field later means
/// bumping `state::VERSION` and reading the new field only from bodies of that version on.
macro_rules! stored {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl $crate::core::codec::Stored for $ty {
            fn put(&self, out: &mut std::vec::Vec<u8>) {
                $($crate::core::codec::Stored::put(&self.$field, out);)*
            }
            fn take(r: &mut $crate::core::codec::Reader) -> Option<Self> {
                Some(Self { $($field: $crate::core::codec::Stored::take(r)?),* })
            }
        }
    };
}
pub(crate) use stored;

/// Declares a fieldless enum's stored layout: its index in `ALL`.
macro_rules! stored_enum {
    ($ty:ty, $all:expr) => {
        impl $crate::core::codec::Stored for $ty {
            fn put(&self, out: &mut std::vec::Vec<u8>) {
                let index = $all.iter().position(|v| v == self).unwrap_or(0);
                $crate::core::codec::Stored::put(&(index as u8), out);
            }
            fn take(r: &mut $crate::core::codec::Reader) -> Option<Self> {
                let index = <u8 as $crate::core::codec::Stored>::take(r)?;
                $all.get(index as usize).copied()
            }
        }
    };
}
pub(crate) use stored_enum;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64, without padding.
pub fn to_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Reads standard base64, with or without padding; `None` on any other character.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=').as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|&a| a == c)? as u32;
            n |= v << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_round_trips() {
        // RFC 4648 test vectors, without padding.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(to_base64(plain.as_bytes()), encoded);
            assert_eq!(from_base64(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(from_base64("Zm9vYg==").as_deref(), Some(&b"foob"[..]));
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(from_base64(&to_base64(&all)), Some(all));
        assert_eq!(from_base64("Zm9v!"), None);
        assert_eq!(from_base64("Z"), None);
    }

    #[test]
    fn values_round_trip_and_short_input_is_refused() {
        let value = (
            u64::MAX,
            Some(String::from("日本 ✓")),
            vec![1.5f64, -0.0, f64::MAX],
        );
        let mut out = Vec::new();
        value.0.put(&mut out);
        value.1.put(&mut out);
        value.2.put(&mut out);
        let mut r = Reader::new(&out);
        assert_eq!(u64::take(&mut r), Some(u64::MAX));
        assert_eq!(
            <Option<String> as Stored>::take(&mut r),
            Some(value.1.clone())
        );
        assert_eq!(Vec::<f64>::take(&mut r), Some(value.2.clone()));
        assert!(r.is_empty());
        let mut short = Reader::new(&out[..out.len() - 1]);
        u64::take(&mut short);
        <Option<String> as Stored>::take(&mut short);
        assert_eq!(Vec::<f64>::take(&mut short), None);
        // A u8 field holding 300 is corrupt, not truncated to 44.
        let mut big = Vec::new();
        300u64.put(&mut big);
        assert_eq!(u8::take(&mut Reader::new(&big)), None);
    }
}
