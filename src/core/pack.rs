//! The stored form of a fixed-size profile: a version byte, then the profile's 64-bit words
//! packed ([`seal`]), then base64 for `localStorage` ([`encode`]; in the browser, the tag's `btoa`).
//!
//! Packing: each word is predicted by the word `STRIDE` places back (the same field of the
//! previous list element, for most lists: times, prices and counts change little) or by the
//! previous word; the smaller difference is written as a zigzag LEB128 varint with the choice
//! in its low bit, and runs of words equal to their prediction are one token. An empty profile
//! packs to a few bytes and a busy one to a few kilobytes. Hand-written because it is a
//! screenful: a general compressor would cost the wasm more than the profile it saves.

use alloc::string::String;
use alloc::vec::Vec;

/// Words between a word and its second predictor.
const STRIDE: usize = 3;

fn zigzag(d: u64) -> u64 {
    (d << 1) ^ ((d as i64 >> 63) as u64)
}

fn unzigzag(z: u64) -> u64 {
    (z >> 1) ^ (z & 1).wrapping_neg()
}

// A token is a varint of up to 66 bits: a 64-bit difference `z` above two flag bits (`z << 2 |
// f`), or a run. Written as its first 7 bits, then the rest (`z >> 5`) as a u64 varint: the same
// bytes as one 66-bit varint, without u128 arithmetic in the wasm.
fn put_token(z: u64, flags: u8, out: &mut Vec<u8>) {
    let first = (z as u8 & 0x1f) << 2 | flags;
    let rest = z >> 5;
    if rest == 0 {
        out.push(first);
        return;
    }
    out.push(first | 0x80);
    put_varint(rest, out);
}

/// A run of `run` (≥ 1) words equal to their previous word: the token `2 (run − 1) + 1`. Inlined:
/// as a function of its own it cost the scorer 27 B gzipped.
#[inline(always)]
fn put_run(run: u64, out: &mut Vec<u8>) {
    put_token((run - 1) >> 1, ((run - 1) as u8 & 1) << 1 | 1, out);
}

fn put_varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A token: (`z`, the two flag bits); `None` when cut short or over 66 bits.
fn take_token(bytes: &[u8], at: &mut usize) -> Option<(u64, u8)> {
    let first = *bytes.get(*at)?;
    *at += 1;
    let low = u64::from(first >> 2 & 0x1f);
    if first & 0x80 == 0 {
        return Some((low, first & 3));
    }
    // The rest: at most 59 bits (9 bytes, the last with 3).
    let mut rest = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        if shift == 56 && b > 7 {
            return None;
        }
        rest |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some((low | rest << 5, first & 3));
        }
        shift += 7;
        if shift > 56 {
            return None;
        }
    }
}

/// Word `i` of `bytes`; 0 for a word not there (before the start: the predictors' base).
fn word(bytes: &[u8], i: Option<usize>) -> u64 {
    let mut w = [0u8; 8];
    if let Some(b) = i.and_then(|i| bytes.get(i * 8..i * 8 + 8)) {
        super::text::put(&mut w, b);
    }
    u64::from_le_bytes(w)
}

/// The two predictions of word `i`: the previous word and the `STRIDE`-back word.
fn predictions(bytes: &[u8], i: usize) -> (u64, u64) {
    (
        word(bytes, i.checked_sub(1)),
        word(bytes, i.checked_sub(STRIDE)),
    )
}

/// Packs `bytes` (a multiple of 8 long). Tokens: `2n+1` = n+1 words equal to the previous word;
/// `4z+0` / `4z+2` = difference `z` (zigzag) from the previous / the `STRIDE`-back word.
pub fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let mut run = 0u64;
    for i in 0..bytes.len() / 8 {
        let w = word(bytes, Some(i));
        let (prev, far) = predictions(bytes, i);
        if w == prev {
            run += 1;
            continue;
        }
        if run > 0 {
            put_run(run, &mut out);
            run = 0;
        }
        let near = zigzag(w.wrapping_sub(prev));
        let stride = zigzag(w.wrapping_sub(far));
        if stride < near {
            put_token(stride, 2, &mut out);
        } else {
            put_token(near, 0, &mut out);
        }
    }
    if run > 0 {
        put_run(run, &mut out);
    }
    out
}

/// Unpacks what [`pack`] wrote into exactly `len` bytes; `None` when it does not fit.
pub fn unpack(packed: &[u8], len: usize) -> Option<Vec<u8>> {
    let n = len / 8;
    let mut out: Vec<u8> = Vec::with_capacity(n * 8);
    let mut at = 0;
    while at < packed.len() {
        let (z, flags) = take_token(packed, &mut at)?;
        let done = out.len() / 8;
        // A run's count: the token without its low bit (`z << 1 | flags >> 1`), plus one.
        let count = match flags & 1 {
            1 if z >> 62 != 0 => return None,
            1 => (z << 1 | u64::from(flags >> 1)) + 1,
            _ => 1,
        };
        if count > (n - done) as u64 {
            return None;
        }
        let (prev, far) = predictions(&out, done);
        let w = match flags {
            0 => prev.wrapping_add(unzigzag(z)),
            2 => far.wrapping_add(unzigzag(z)),
            _ => prev,
        };
        for _ in 0..count {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    (out.len() == n * 8).then_some(out)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 without padding.
pub fn to_base64(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]);
        }
    }
    // ASCII: never the fallback. (Bytes, not `char`s: pushing a `char` encodes UTF-8.)
    super::text::utf8_string(out).unwrap_or_default()
}

/// Reads [`to_base64`] (padding allowed); `None` for any other character.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let mut text = text.as_bytes();
    while let [rest @ .., b'='] = text {
        text = rest;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in text {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The stored bytes of a versioned body: the version, then the body packed.
pub fn seal(version: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.push(version);
    out.extend(pack(bytes));
    out
}

/// The version and body of [`seal`]ed bytes, the body unpacked to `len` bytes (`None` when it
/// does not unpack); no version when the bytes are empty.
pub fn open(sealed: &[u8], len: usize) -> (Option<u8>, Option<Vec<u8>>) {
    match sealed.split_first() {
        None => (None, None),
        Some((&v, body)) => (Some(v), unpack(body, len)),
    }
}

/// The stored text of a versioned body: [`seal`] in base64. (The browser's engine hands the
/// sealed bytes to the tag, whose `btoa` writes the same text.)
pub fn encode(version: u8, bytes: &[u8]) -> String {
    to_base64(&seal(version, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_any_words() {
        // Zeros, a run, random keys, then records of (time, price, count) as lists hold them.
        let mut words: Vec<u64> = alloc::vec![0, 0, 0, 7, 7, 7, 7];
        words.extend((0..10u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        for i in 0..20u64 {
            words.extend([1_767_571_200_000 + i * 7_000, 49.5f64.to_bits(), i]);
        }
        words.push(u64::MAX);
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let packed = pack(&bytes);
        assert!(
            packed.len() < bytes.len() / 2,
            "{} of {} bytes",
            packed.len(),
            bytes.len()
        );
        assert_eq!(unpack(&packed, bytes.len()).as_deref(), Some(&bytes[..]));
        assert_eq!(unpack(&packed, bytes.len() - 8), None);
        let zeros = pack(&[0u8; 800]);
        assert_eq!(zeros.len(), 2, "100 zero words are one run");
        assert_eq!(unpack(&zeros, 800), Some(alloc::vec![0u8; 800]));
    }

    /// The 66-bit varint the tokens are (the layout's definition).
    fn varint66(mut v: u128) -> Vec<u8> {
        let mut out = Vec::new();
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
        out
    }

    #[test]
    fn tokens_are_66_bit_varints_and_read_back() {
        for z in [
            0,
            1,
            31,
            32,
            127,
            128,
            1 << 40,
            u64::MAX >> 5,
            u64::MAX >> 2,
            u64::MAX,
        ] {
            for flags in 0..4u8 {
                let mut out = Vec::new();
                put_token(z, flags, &mut out);
                assert_eq!(
                    out,
                    varint66(u128::from(z) << 2 | u128::from(flags)),
                    "{z} {flags}"
                );
                let mut at = 0;
                assert_eq!(take_token(&out, &mut at), Some((z, flags)));
                assert_eq!(at, out.len());
                assert_eq!(take_token(&out[..out.len() - 1], &mut 0), None, "cut short");
            }
        }
        // Over 66 bits.
        assert_eq!(take_token(&varint66(1 << 66), &mut 0), None);
        assert_eq!(take_token(&[0xff; 11], &mut 0), None);
    }

    #[test]
    fn base64_round_trips() {
        for n in 0..10 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 91) as u8).collect();
            assert_eq!(from_base64(&to_base64(&bytes)).unwrap(), bytes);
        }
        assert_eq!(to_base64(b"Man"), "TWFu");
        assert!(from_base64("%%").is_none());
    }
}
