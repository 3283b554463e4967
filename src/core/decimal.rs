//! Numbers as text without `core::fmt`, whose formatting machinery is most of a small wasm.

use alloc::string::String;

/// Writes `n` in decimal into the end of `buf` and returns the digits.
///
/// The loop runs over `buf` itself (20 bytes hold any u64), so no index can be out of bounds.
pub fn digits(mut n: u64, buf: &mut [u8; 20]) -> &str {
    let mut count = 0;
    for slot in buf.iter_mut().rev() {
        // `n % 10` is below 10, so the narrowing is exact.
        *slot = b'0' + (n % 10) as u8;
        count += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = buf.get(buf.len() - count..).unwrap_or_default();
    // ASCII digits: never the fallback.
    super::text::utf8(digits).unwrap_or_default()
}

/// Appends `n` in decimal.
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(digits(n, &mut [0; 20]));
}

/// Appends `n` in decimal, with a sign when negative.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        // (`push('-')` would bring in the UTF-8 encoder of `char`.)
        #[allow(clippy::single_char_add_str)]
        out.push_str("-");
    }
    push_u64(out, n.unsigned_abs());
}

/// `n` in decimal.
pub fn decimal(n: u64) -> String {
    let mut s = String::new();
    push_u64(&mut s, n);
    s
}

/// Rounds half away from zero, as `f64::round` does (which `core` lacks on stable).
pub fn round(x: f64) -> f64 {
    // At 2^52 and beyond every f64 is a whole number; NaN and infinities stay as they are.
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let t = x as i64 as f64;
    let frac = x - t;
    if frac >= 0.5 {
        t + 1.0
    } else if frac <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

/// True when `x` is a whole number.
pub fn is_whole(x: f64) -> bool {
    x.is_finite() && round(x) == x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_and_rounds_like_std() {
        let p = |n: i64| {
            let mut s = String::new();
            push_i64(&mut s, n);
            s
        };
        assert_eq!(p(0), "0");
        assert_eq!(p(-42), "-42");
        assert_eq!(p(i64::MIN), "-9223372036854775808");
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
        assert_eq!(digits(1_000_000, &mut [0; 20]), "1000000");
        assert_eq!(digits(u32::MAX.into(), &mut [0; 20]), "4294967295");
        for x in [
            0.5,
            1.5,
            2.5,
            -0.5,
            -2.5,
            1234.4999,
            1e300,
            -3.0,
            0.49999999999999994,
            65.0,
        ] {
            assert_eq!(round(x), x.round(), "{x}");
        }
        assert!(round(f64::NAN).is_nan());
        assert!(is_whole(3.0) && !is_whole(3.5) && !is_whole(f64::INFINITY));
    }
}
