//! Small string operations, byte by byte. The engine's strings are short (paths, parameters,
//! message templates), and `core`'s general versions (two-way substring search, `memchr`,
//! char-boundary panics with formatted messages) cost several KB of the wasm for no gain here.

use alloc::string::String;

/// Copies what fits of `src` to the start of `dst`; returns how many bytes.
pub fn put(dst: &mut [u8], src: &[u8]) -> usize {
    // A loop over both: `copy_from_slice` keeps a length check (and its panic) in the wasm.
    let mut n = 0;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
        n += 1;
    }
    n
}

/// 64-bit FNV-1a: item and category keys in state (not a security boundary).
pub fn key_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// `b` as a string, when it is UTF-8 (as `core::str::from_utf8`, whose word-at-a-time version
/// costs several hundred bytes more of the wasm).
pub fn utf8(b: &[u8]) -> Option<&str> {
    let mut i = 0;
    while let Some(&x) = b.get(i) {
        // The bytes after a lead byte, and the range of the first of them (Unicode's table 3-7).
        let (n, lo, hi) = match x {
            0x00..=0x7f => (0, 0, 0),
            0xc2..=0xdf => (1, 0x80, 0xbf),
            0xe0 => (2, 0xa0, 0xbf),
            0xed => (2, 0x80, 0x9f),
            0xe1..=0xef => (2, 0x80, 0xbf),
            0xf0 => (3, 0x90, 0xbf),
            0xf4 => (3, 0x80, 0x8f),
            0xf1..=0xf3 => (3, 0x80, 0xbf),
            _ => return None,
        };
        let (mut lo, mut hi) = (lo, hi);
        i += 1;
        // A plain counter, not `1..=n`: this runs for every byte of every key and text, and
        // `RangeInclusive`'s `next` was 5 % of `track()` (Chromium's profiler).
        for _ in 0..n {
            if !(lo..=hi).contains(b.get(i)?) {
                return None;
            }
            (lo, hi) = (0x80, 0xbf);
            i += 1;
        }
    }
    // SAFETY: every sequence was checked to be well-formed UTF-8 above.
    Some(unsafe { core::str::from_utf8_unchecked(b) })
}

/// `v` as a string, when it is UTF-8 (see [`utf8`]).
pub fn utf8_string(v: alloc::vec::Vec<u8>) -> Option<String> {
    utf8(&v)?;
    // SAFETY: `utf8` checked the bytes.
    Some(unsafe { String::from_utf8_unchecked(v) })
}

/// The first index of any of the ASCII bytes `set` in `s`.
pub fn find_any(s: &str, set: &[u8]) -> Option<usize> {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if has(set, b) {
            return Some(i);
        }
    }
    None
}

/// Whether `b` is in `set` (`contains` on bytes brings in `memchr`, several hundred bytes).
#[allow(clippy::manual_contains)]
pub fn has(set: &[u8], b: u8) -> bool {
    set.iter().any(|&x| x == b)
}

/// `s[start..end]`, or "" when the range is not on character boundaries.
pub fn slice(s: &str, start: usize, end: usize) -> &str {
    s.get(start..end).unwrap_or_default()
}

/// `s[start..]`, or "" when `start` is not a character boundary.
pub fn from(s: &str, start: usize) -> &str {
    s.get(start..).unwrap_or_default()
}

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..(h.len() + 1).saturating_sub(n.len())).find(|&i| h.get(i..i + n.len()) == Some(n))
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `text` with every `from` replaced by `to`.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len() + to.len());
    let mut rest = text;
    while let Some(at) = find(rest, from).filter(|_| !from.is_empty()) {
        out.push_str(slice(rest, 0, at));
        out.push_str(to);
        rest = self::from(rest, at + from.len());
    }
    out.push_str(rest);
    out
}

/// The words of a space-separated list: lists kept as one string have no table of pointers.
pub fn words(list: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(list);
    core::iter::from_fn(move || {
        let r = rest?;
        let end = find_any(r, b" ");
        rest = end.map(|e| from(r, e + 1));
        Some(slice(r, 0, end.unwrap_or(r.len())))
    })
}

/// Whether `s` is one of the words of `list`.
pub fn one_of(s: &str, list: &str) -> bool {
    words(list).any(|w| w == s)
}

/// Characters in `s` (UTF-8 lead bytes).
pub fn chars(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xc0 != 0x80).count()
}

/// `parts` joined by `sep`.
pub fn join(parts: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_agrees_with_core_on_every_sequence_of_up_to_three_bytes_and_on_four() {
        let same = |b: &[u8]| assert_eq!(utf8(b), core::str::from_utf8(b).ok(), "{b:x?}");
        for x in 0..=255u8 {
            same(&[x]);
            for y in 0..=255u8 {
                same(&[x, y]);
                same(&[b'a', x, y]);
                for z in 0..=255u8 {
                    same(&[x, y, z]);
                }
                for z in [0x00, 0x7f, 0x80, 0x8f, 0x90, 0xbf, 0xc0, 0xff] {
                    for w in [0x00, 0x7f, 0x80, 0xbf, 0xc0] {
                        same(&[x, y, z, w]);
                    }
                }
            }
        }
        let v = alloc::vec![0xe2, 0x82, 0xac, b'!'];
        assert_eq!(utf8_string(v).as_deref(), Some("€!"));
        assert_eq!(utf8_string(alloc::vec![0xe2, 0x82]), None);
    }

    #[test]
    fn behave_like_std() {
        for (h, n) in [
            ("/products/a", "/products/"),
            ("abc", ""),
            ("", "a"),
            ("aaab", "ab"),
            ("ab", "abc"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
        }
        assert_eq!(
            replace("I saw {product}, {product}!", "{product}", "Ré"),
            "I saw Ré, Ré!"
        );
        assert_eq!(chars("héllo €"), "héllo €".chars().count());
        assert_eq!(join(&["a", "b", "c"], ", "), "a, b, c");
        assert_eq!(slice("héllo", 1, 2), "");
        assert_eq!(find_any("/p?x#y", b"?#"), Some(2));
        assert_eq!(
            words("a bc d").collect::<alloc::vec::Vec<_>>(),
            ["a", "bc", "d"]
        );
        assert!(one_of("bc", "a bc d") && !one_of("b", "a bc d") && !one_of("", "a b"));
    }
}
