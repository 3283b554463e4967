//! Stable hash -> bucket -> variation, bit-for-bit compatible with GrowthBook's JS SDK.
//!
//! The free functions mirror `packages/sdk-js/src/util.ts` one for one and are checked against
//! GrowthBook's shared `cases.json` (see `tests/growthbook.rs`). [`Experiment::assign`] follows
//! the order of the SDK's `runExperiment` for the parts we use: namespace, hash, coverage and
//! weights, then the QA `force`.
//!
//! Strings are hashed as UTF-16 code units, as JS `charCodeAt` sees them, so a visitor gets the
//! same variation here as in any GrowthBook JS SDK, including for non-ASCII ids. (GrowthBook's
//! Rust SDK hashes UTF-8 bytes and disagrees with JS there; we follow JS.)
//!
//! The module is pure and allocation-light for the wasm bundle: no I/O, clock or randomness,
//! no `format!`, and [`Experiment::assign`] does not allocate.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

const FNV32_OFFSET_BASIS: u32 = 0x811c_9dc5;
const FNV32_PRIME: u32 = 0x0100_0193;

/// Running FNV-1a state, so `seed + value` is hashed without building the concatenation.
#[derive(Clone, Copy)]
struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Self {
        Fnv32a(FNV32_OFFSET_BASIS)
    }

    /// JS computes `hval += (hval<<1) + (hval<<4) + (hval<<7) + (hval<<8) + (hval<<24)` in
    /// doubles and truncates with the next `^=` / `>>> 0`; that is exactly `* 0x01000193 mod 2^32`.
    fn unit(&mut self, unit: u16) {
        self.0 = (self.0 ^ u32::from(unit)).wrapping_mul(FNV32_PRIME);
    }

    /// The UTF-16 units of `s`, decoded from its UTF-8 here: `encode_utf16` brings `char`
    /// decoding into the wasm, twice the size.
    fn str(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        let cont = |i: usize| u32::from(b.get(i).copied().unwrap_or(0) & 0x3f);
        let mut i = 0;
        while let Some(&lead) = b.get(i) {
            let lead = u32::from(lead);
            let (point, len) = match lead {
                0..0x80 => (lead, 1),
                0x80..0xe0 => ((lead & 0x1f) << 6 | cont(i + 1), 2),
                0xe0..0xf0 => ((lead & 0x0f) << 12 | cont(i + 1) << 6 | cont(i + 2), 3),
                _ => (
                    (lead & 0x07) << 18 | cont(i + 1) << 12 | cont(i + 2) << 6 | cont(i + 3),
                    4,
                ),
            };
            if point >= 0x1_0000 {
                let p = point - 0x1_0000;
                self.unit(0xd800 | (p >> 10) as u16);
                self.unit(0xdc00 | (p & 0x3ff) as u16);
            } else {
                self.unit(point as u16);
            }
            i += len;
        }
        self
    }

    /// Feeds the decimal digits of `n`, as JS `n + ""` would print them (ASCII, one unit each).
    fn decimal(mut self, n: u32) -> Self {
        for digit in super::decimal::digits(n.into(), &mut [0; 20]).bytes() {
            self.unit(u16::from(digit));
        }
        self
    }
}

/// FNV-1a 32-bit over the UTF-16 code units of `s` (GrowthBook's `hashFnv32a`).
pub fn fnv32a(s: &str) -> u32 {
    Fnv32a::new().str(s).0
}

/// GrowthBook's `hash(seed, value, version)`: a number in [0, 1), or `None` for an unknown version.
///
/// Version 1 hashes `value + seed` into 1000 buckets (biased, kept for old experiments);
/// version 2 hashes the decimal string of `fnv32a(seed + value)` into 10000 buckets.
pub fn hash(seed: &str, value: &str, version: u8) -> Option<f64> {
    match version {
        1 => Some(bucket_v1(Fnv32a::new().str(value).str(seed))),
        2 => {
            let inner = Fnv32a::new().str(seed).str(value).0;
            Some(f64::from(Fnv32a::new().decimal(inner).0 % 10_000) / 10_000.0)
        }
        _ => None,
    }
}

fn bucket_v1(state: Fnv32a) -> f64 {
    f64::from(state.0 % 1000) / 1000.0
}

/// `n` equal weights of `1 / n` (empty for 0), as GrowthBook's `getEqualWeights`.
pub fn get_equal_weights(n: usize) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    vec![1.0 / n as f64; n]
}

/// Whether `n` lies in the half-open `range` `[start, end)`.
pub fn in_range(n: f64, range: (f64, f64)) -> bool {
    n >= range.0 && n < range.1
}

/// Whether `hash_value` falls in namespace `(id, start, end)`, hashed as `hash("__" + id, value, 1)`.
pub fn in_namespace(hash_value: &str, namespace: (&str, f64, f64)) -> bool {
    let (id, start, end) = namespace;
    // Version 1 hashes `value + seed`, and the seed is `"__" + id`.
    let n = bucket_v1(Fnv32a::new().str(hash_value).str("__").str(id));
    in_range(n, (start, end))
}

/// Index of the first range containing `n`, or -1 (GrowthBook's `chooseVariation`).
pub fn choose_variation(n: f64, ranges: &[(f64, f64)]) -> i32 {
    ranges
        .iter()
        .position(|&range| in_range(n, range))
        .and_then(|i| i32::try_from(i).ok())
        .unwrap_or(-1)
}

/// One `[start, end)` range per variation (GrowthBook's `getBucketRanges`).
///
/// `coverage` is clamped to [0, 1]; `weights` fall back to equal weights when absent, of the
/// wrong length, or not summing to 1 within 0.01.
pub fn get_bucket_ranges(
    num_variations: usize,
    coverage: f64,
    weights: Option<&[f64]>,
) -> Vec<(f64, f64)> {
    bucket_ranges(num_variations, coverage, weights).collect()
}

/// The ranges as an iterator, so [`Experiment::assign`] can choose without allocating.
fn bucket_ranges(
    num_variations: usize,
    coverage: f64,
    weights: Option<&[f64]>,
) -> impl Iterator<Item = (f64, f64)> + '_ {
    // `clamp` keeps NaN as NaN, like the SDK's two comparisons: nobody is then in range.
    let coverage = coverage.clamp(0.0, 1.0);
    let weights = weights.filter(|w| w.len() == num_variations && weights_sum_to_one(w));
    let equal = 1.0 / num_variations as f64;
    let mut cumulative = 0.0;
    (0..num_variations).map(move |i| {
        let w = weights.and_then(|w| w.get(i).copied()).unwrap_or(equal);
        let start = cumulative;
        cumulative += w;
        (start, start + coverage * w)
    })
}

/// The SDK's `totalWeight < 0.99 || totalWeight > 1.01` test, summed left to right as JS does.
#[allow(clippy::manual_range_contains)] // `contains` would also reject NaN; the SDK keeps it.
fn weights_sum_to_one(weights: &[f64]) -> bool {
    let total = weights.iter().fold(0.0, |sum, w| sum + w);
    !(total < 0.99 || total > 1.01)
}

/// An experiment a nudge belongs to (config data, read by `Experiment::read` in `config`).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct Experiment {
    /// Unique key; also the hash seed unless `seed` is set. In a config, the name it is filed under.
    #[cfg_attr(not(target_arch = "wasm32"), serde(skip_serializing))]
    pub key: String,
    /// Variation names; index 0 is the control.
    pub variations: Vec<String>,
    /// Traffic split per variation, summing to 1; equal when absent.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub weights: Option<Vec<f64>>,
    /// Share of visitors included, in [0, 1].
    pub coverage: f64,
    /// GrowthBook hash version, 1 or 2.
    pub hash_version: u8,
    /// Hash seed; the key when absent or empty (as the SDK's `seed || key`).
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub seed: Option<String>,
    /// Mutual-exclusion namespace `(id, start, end)`: only visitors hashing into `[start, end)`.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub namespace: Option<(String, f64, f64)>,
    /// Forces this variation index on included visitors, for QA.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub force: Option<usize>,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment {
            key: String::new(),
            variations: vec!["control".to_owned(), "treatment".to_owned()],
            weights: None,
            coverage: 1.0,
            hash_version: 2,
            seed: None,
            namespace: None,
            force: None,
        }
    }
}

/// The variation a visitor is in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assignment<'a> {
    /// Index into [`Experiment::variations`].
    pub variation: usize,
    /// Name of that variation.
    pub name: &'a str,
    /// The visitor's hash in [0, 1) (GrowthBook's `bucket`), computed even when forced.
    pub hash: f64,
    /// True for variation 0, the control.
    pub in_control: bool,
    /// True when `force` chose the variation rather than the hash; keep these out of the stats.
    pub forced: bool,
}

impl Experiment {
    /// The visitor's variation, or `None` when they are not in the experiment.
    ///
    /// Same steps and order as GrowthBook's `runExperiment`: fewer than 2 variations or an empty
    /// id exclude; then the namespace; then `hash(seed, id, hash_version)` (an unsupported
    /// version excludes); then coverage and weights; then `force`, which like the SDK applies
    /// only to visitors already included, and excludes them when out of range.
    pub fn assign(&self, visitor_id: &str) -> Option<Assignment<'_>> {
        let count = self.variations.len();
        if count < 2 || visitor_id.is_empty() {
            return None;
        }
        if let Some((id, start, end)) = &self.namespace {
            if !in_namespace(visitor_id, (id, *start, *end)) {
                return None;
            }
        }
        let seed = match self.seed.as_deref() {
            Some(seed) if !seed.is_empty() => seed,
            _ => &self.key,
        };
        let hash = hash(seed, visitor_id, self.hash_version)?;
        let assigned = bucket_ranges(count, self.coverage, self.weights.as_deref())
            .position(|range| in_range(hash, range))?;
        let variation = self.force.unwrap_or(assigned);
        let name = self.variations.get(variation)?;
        Some(Assignment {
            variation,
            name,
            hash,
            in_control: variation == 0,
            forced: self.force.is_some(),
        })
    }

    /// Checks the config, with a message naming the experiment and the fix.
    ///
    /// Stricter than the SDK, which silently falls back to equal weights or clamps coverage:
    /// a config that would be quietly rewritten is refused instead.
    ///
    /// # Errors
    /// The first problem found, as a sentence for the person editing the config.
    pub fn validate(&self) -> Result<(), String> {
        self.problem().map_or(Ok(()), |(_, message)| Err(message))
    }

    /// The first problem: the field at fault ("" for the key) and the message.
    pub(crate) fn problem(&self) -> Option<(&'static str, String)> {
        if self.key.is_empty() {
            return Some(("", "experiment key must not be empty".to_owned()));
        }
        let count = self.variations.len();
        if count < 2 {
            return Some((
                "variations",
                self.error(&["needs at least 2 variations (control first)"]),
            ));
        }
        if let Some(weights) = &self.weights {
            if weights.len() != count {
                let (mut w, mut v) = ([0; 20], [0; 20]);
                return Some((
                    "weights",
                    self.error(&[
                        "has ",
                        count_str(weights.len(), &mut w),
                        " weights for ",
                        count_str(count, &mut v),
                        " variations; give one weight per variation",
                    ]),
                ));
            }
            if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
                return Some((
                    "weights",
                    self.error(&["weights must be finite and not negative"]),
                ));
            }
            if !weights_sum_to_one(weights) {
                return Some((
                    "weights",
                    self.error(&["weights must add up to 1 (within 0.01)"]),
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.coverage) {
            return Some((
                "coverage",
                self.error(&["coverage must be between 0 and 1"]),
            ));
        }
        if !matches!(self.hash_version, 1 | 2) {
            return Some(("hash_version", self.error(&["hash_version must be 1 or 2"])));
        }
        if let Some((_, start, end)) = &self.namespace {
            if !(0.0 <= *start && start < end && *end <= 1.0) {
                return Some((
                    "namespace",
                    self.error(&["namespace range must satisfy 0 <= start < end <= 1"]),
                ));
            }
        }
        if let Some(force) = self.force {
            if force >= count {
                return Some((
                    "force",
                    self.error(&["force must be the index of one of its variations"]),
                ));
            }
        }
        None
    }

    /// `experiment "<key>" <parts...>`, built by concatenation to keep `core::fmt` out of wasm.
    fn error(&self, parts: &[&str]) -> String {
        let mut message = String::from("experiment \"");
        message.push_str(&self.key);
        message.push_str("\" ");
        for part in parts {
            message.push_str(part);
        }
        message
    }
}

/// A count as decimal text.
fn count_str(n: usize, buf: &mut [u8; 20]) -> &str {
    super::decimal::digits(n as u64, buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a over UTF-8 bytes, the way GrowthBook's Rust SDK hashes: used only to show
    /// that the UTF-16 hash differs for non-ASCII input.
    fn fnv32a_utf8(s: &str) -> u32 {
        s.bytes().fold(FNV32_OFFSET_BASIS, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(FNV32_PRIME)
        })
    }

    // Expected numbers below come from `node tests/vectors/js_reference.js`, a transcription
    // of the sdk-js `hashFnv32a`/`hash`/`runExperiment` run under Node 20 (UTF-16 `charCodeAt`).

    #[test]
    fn fnv32a_matches_js_char_code_at() {
        let cases: &[(&str, u32)] = &[
            ("", 2_166_136_261),
            ("a", 3_826_002_220),
            ("é", 1_812_687_940),          // one unit: U+00E9
            ("café", 856_211_068),         // four units
            ("日本", 1_610_399_396),       // two BMP units
            ("😀", 3_409_036_472),         // surrogate pair D83D DE00
            ("u😀x", 2_729_440_887),       // pair in the middle
            ("\u{10FFFF}", 4_180_159_651), // highest code point: DBFF DFFF
        ];
        for &(s, expected) in cases {
            assert_eq!(fnv32a(s), expected, "fnv32a({s:?})");
        }
    }

    #[test]
    fn non_ascii_differs_from_utf8_hashing() {
        // ASCII is the same either way; anything else is not, which is why we hash UTF-16.
        assert_eq!(fnv32a("abc"), fnv32a_utf8("abc"));
        for s in ["é", "日本", "😀"] {
            assert_ne!(fnv32a(s), fnv32a_utf8(s), "{s:?}");
        }
    }

    #[test]
    fn hash_non_ascii_matches_js() {
        let cases: &[(&str, &str, f64, f64)] = &[
            // (seed, value, version 1, version 2)
            ("exp", "visitor-é", 0.59, 0.826),
            ("日本", "訪問者", 0.984, 0.3659),
            ("checkout-nudge", "😀-42", 0.659, 0.7441),
            ("é", "a", 0.607, 0.9368),
        ];
        for &(seed, value, v1, v2) in cases {
            assert_eq!(hash(seed, value, 1), Some(v1), "v1 {seed:?} {value:?}");
            assert_eq!(hash(seed, value, 2), Some(v2), "v2 {seed:?} {value:?}");
        }
    }

    #[test]
    fn hash_unknown_versions_are_none() {
        for version in [0, 3, 99, u8::MAX] {
            assert_eq!(hash("seed", "a", version), None);
        }
    }

    #[test]
    fn utf16_units_are_those_of_encode_utf16() {
        let mut all = String::new();
        for c in [
            'a',
            '\u{7f}',
            '\u{80}',
            'é',
            '\u{7ff}',
            '\u{800}',
            '日',
            '\u{ffff}',
            '😀',
            '\u{10ffff}',
        ] {
            all.push(c);
        }
        for s in ["", "abc", "héllo 日本 😀", all.as_str()] {
            let mut want = Fnv32a::new();
            s.encode_utf16().for_each(|u| want.unit(u));
            assert_eq!(Fnv32a::new().str(s).0, want.0, "{s:?}");
        }
    }

    #[test]
    fn namespace_non_ascii_matches_js() {
        // hash("__nudges", id, 1): é -> 0.286, 日本 -> 0.878, 😀 -> 0.242.
        assert!(in_namespace("é", ("nudges", 0.28, 0.29)));
        assert!(!in_namespace("é", ("nudges", 0.0, 0.286)));
        assert!(in_namespace("é", ("nudges", 0.286, 1.0)));
        assert!(in_namespace("日本", ("nudges", 0.8, 0.9)));
        assert!(in_namespace("😀", ("nudges", 0.2, 0.3)));
    }

    fn plain() -> Experiment {
        Experiment {
            key: "checkout-nudge".to_owned(),
            ..Experiment::default()
        }
    }

    fn weighted() -> Experiment {
        Experiment {
            key: "free-shipping".to_owned(),
            seed: Some("fs-2024".to_owned()),
            variations: vec!["control".into(), "banner".into(), "modal".into()],
            weights: Some(vec![0.5, 0.25, 0.25]),
            coverage: 0.4,
            hash_version: 1,
            ..Experiment::default()
        }
    }

    fn namespaced() -> Experiment {
        Experiment {
            namespace: Some(("nudges".to_owned(), 0.0, 0.5)),
            ..plain()
        }
    }

    const VISITORS: [&str; 13] = [
        "v-1",
        "v-2",
        "v-3",
        "v-4",
        "v-5",
        "v-6",
        "v-7",
        "v-8",
        "v-9",
        "v-10",
        "é-visitor",
        "日本-1",
        "😀",
    ];

    /// Runs `exp` over [`VISITORS`] and compares with the JS `(variation, hash)`, None = excluded.
    fn check(exp: &Experiment, expected: [Option<(usize, f64)>; 13]) {
        for (id, want) in VISITORS.iter().zip(expected) {
            let got = exp.assign(id).map(|a| (a.variation, a.hash));
            assert_eq!(got, want, "{} / {id:?}", exp.key);
        }
    }

    #[test]
    fn assign_plain_matches_js() {
        check(
            &plain(),
            [
                Some((0, 0.1688)),
                Some((0, 0.3191)),
                Some((0, 0.0544)),
                Some((0, 0.0483)),
                Some((0, 0.3087)),
                Some((1, 0.8761)),
                Some((1, 0.6641)),
                Some((1, 0.789)),
                Some((1, 0.7153)),
                Some((0, 0.1244)),
                Some((0, 0.1706)),
                Some((1, 0.519)),
                Some((1, 0.8784)),
            ],
        );
    }

    #[test]
    fn assign_weighted_reduced_coverage_matches_js() {
        // Ranges: [0, 0.2) control, [0.5, 0.6) banner, [0.75, 0.85) modal; the rest is excluded.
        check(
            &weighted(),
            [
                None,
                Some((0, 0.188)),
                Some((0, 0.117)),
                None,
                Some((0, 0.183)),
                None,
                Some((1, 0.545)),
                None,
                Some((2, 0.771)),
                None,
                None,
                Some((0, 0.056)),
                Some((0, 0.174)),
            ],
        );
    }

    #[test]
    fn assign_namespace_matches_js() {
        // Inside the namespace the hash and variation are those of the plain experiment.
        check(
            &namespaced(),
            [
                None,
                None,
                Some((0, 0.0544)),
                None,
                None,
                None,
                None,
                None,
                None,
                Some((0, 0.1244)),
                Some((0, 0.1706)),
                None,
                Some((1, 0.8784)),
            ],
        );
    }

    #[test]
    fn assignment_fields() {
        let exp = plain();
        let a = exp.assign("v-6");
        assert_eq!(
            a,
            Some(Assignment {
                variation: 1,
                name: "treatment",
                hash: 0.8761,
                in_control: false,
                forced: false,
            })
        );
        let control = exp.assign("v-1").map(|a| (a.name, a.in_control));
        assert_eq!(control, Some(("control", true)));
    }

    #[test]
    fn assign_is_deterministic() {
        let exp = weighted();
        for id in VISITORS {
            assert_eq!(exp.assign(id), exp.assign(id));
        }
    }

    #[test]
    fn empty_seed_falls_back_to_key() {
        let with_empty_seed = Experiment {
            seed: Some(String::new()),
            ..plain()
        };
        let with_key_seed = Experiment {
            seed: Some("checkout-nudge".to_owned()),
            ..plain()
        };
        for id in VISITORS {
            assert_eq!(with_empty_seed.assign(id), plain().assign(id));
            assert_eq!(with_key_seed.assign(id), plain().assign(id));
        }
    }

    #[test]
    fn excluded_without_id_variations_or_known_hash_version() {
        assert_eq!(plain().assign(""), None);
        let single = Experiment {
            variations: vec!["control".to_owned()],
            ..plain()
        };
        assert_eq!(single.assign("v-1"), None);
        let bad_version = Experiment {
            hash_version: 3,
            ..plain()
        };
        assert_eq!(bad_version.assign("v-1"), None);
        let no_coverage = Experiment {
            coverage: 0.0,
            ..plain()
        };
        assert!(VISITORS.iter().all(|id| no_coverage.assign(id).is_none()));
    }

    #[test]
    fn force_applies_only_to_included_visitors() {
        let forced = Experiment {
            force: Some(2),
            ..weighted()
        };
        // v-2 is included (control by hash) and is forced to "modal", keeping its hash.
        let a = forced.assign("v-2");
        assert_eq!(
            a.map(|a| (a.name, a.hash, a.forced)),
            Some(("modal", 0.188, true))
        );
        // v-1 is outside coverage: the SDK checks coverage before `force`.
        assert_eq!(forced.assign("v-1"), None);
        // An out-of-range force excludes, like the SDK's getExperimentResult.
        let out_of_range = Experiment {
            force: Some(3),
            ..weighted()
        };
        assert_eq!(out_of_range.assign("v-2"), None);
    }

    #[test]
    fn invalid_weights_fall_back_to_equal_like_the_sdk() {
        // `assign` never refuses a config; it does what the JS SDK would with it.
        let bad = Experiment {
            weights: Some(vec![0.9, 0.9]),
            ..plain()
        };
        for id in VISITORS {
            assert_eq!(bad.assign(id), plain().assign(id));
        }
    }

    #[test]
    fn bucket_ranges_keep_nan_coverage_like_js() {
        let ranges = get_bucket_ranges(2, f64::NAN, None);
        assert_eq!(choose_variation(0.1, &ranges), -1);
    }

    #[test]
    fn defaults() {
        let exp = Experiment::default();
        assert_eq!(exp.variations, ["control", "treatment"]);
        assert_eq!(exp.coverage, 1.0);
        assert_eq!(exp.hash_version, 2);
        assert_eq!(
            (exp.weights, exp.seed, exp.namespace, exp.force),
            (None, None, None, None)
        );
    }

    /// Reading from JSON (the `Params` of `serde_json::Value` is native only).
    #[cfg(not(target_arch = "wasm32"))]
    mod read {
        use super::*;

        fn read_json(json: &str) -> Result<Experiment, crate::core::Error> {
            let value: serde_json::Value = serde_json::from_str(json).expect("test JSON");
            Experiment::read(
                &value,
                "experiments.checkout-nudge",
                "checkout-nudge",
                Experiment::default(),
            )
        }

        #[test]
        fn config_fills_defaults() {
            assert_eq!(read_json("{}"), Ok(plain()));
            let exp = read_json(r#"{"namespace": ["nudges", 0, 0.5], "force": 1, "seed": "s"}"#)
                .expect("valid");
            assert_eq!(exp.namespace, Some(("nudges".to_owned(), 0.0, 0.5)));
            assert_eq!(exp.force, Some(1));
            assert_eq!(exp.seed.as_deref(), Some("s"));
        }

        #[test]
        fn config_overrides_only_what_it_gives() {
            let value: serde_json::Value =
                serde_json::from_str(r#"{"coverage": 0.4}"#).expect("JSON");
            let exp = Experiment::read(
                &value,
                "experiments.free-shipping",
                "free-shipping",
                weighted(),
            )
            .expect("valid");
            assert_eq!(
                exp,
                Experiment {
                    coverage: 0.4,
                    ..weighted()
                }
            );
        }

        #[test]
        fn config_errors_name_the_field() {
            let message = |json: &str| read_json(json).expect_err("invalid").to_string();
            // A GrowthBook-style camelCase key is a typo here, not something to ignore silently.
            assert!(message(r#"{"hashVersion": 1}"#).starts_with(
                "config field `experiments.checkout-nudge.hashVersion`: unknown field; expected one of variations,"
            ));
            assert_eq!(
                message(r#"{"weights": [0.7, 0.6]}"#),
                "config field `experiments.checkout-nudge.weights`: experiment \"checkout-nudge\" weights must add up to 1 (within 0.01)"
            );
            assert_eq!(
                message(r#"{"weights": [0.5, "0.5"]}"#),
                "config field `experiments.checkout-nudge.weights[1]`: must be a finite number, not a string"
            );
            assert_eq!(
                message(r#"{"force": 2}"#),
                "config field `experiments.checkout-nudge.force`: experiment \"checkout-nudge\" force must be the index of one of its variations"
            );
            assert_eq!(
                message(r#"{"namespace": ["nudges", 0]}"#),
                "config field `experiments.checkout-nudge.namespace`: must be [id, start, end], e.g. [\"nudges\", 0, 0.5]"
            );
            assert_eq!(
                message(r#"{"variations": ["only"]}"#),
                "config field `experiments.checkout-nudge.variations`: experiment \"checkout-nudge\" needs at least 2 variations (control first)"
            );
            assert_eq!(
                message(r#"{"hash_version": 3}"#),
                "config field `experiments.checkout-nudge.hash_version`: experiment \"checkout-nudge\" hash_version must be 1 or 2"
            );
        }
    }

    #[test]
    fn validate_accepts_good_configs() {
        assert_eq!(plain().validate(), Ok(()));
        assert_eq!(weighted().validate(), Ok(()));
        assert_eq!(namespaced().validate(), Ok(()));
    }

    /// The error message for `plain()` changed by `edit`.
    fn invalid(edit: impl FnOnce(&mut Experiment)) -> String {
        let mut exp = plain();
        edit(&mut exp);
        match exp.validate() {
            Err(message) => message,
            Ok(()) => panic!("expected {exp:?} to be invalid"),
        }
    }

    #[test]
    fn validate_messages() {
        assert_eq!(
            invalid(|e| e.key.clear()),
            "experiment key must not be empty"
        );
        assert_eq!(
            invalid(|e| e.variations.truncate(1)),
            "experiment \"checkout-nudge\" needs at least 2 variations (control first)"
        );
        assert_eq!(
            invalid(|e| e.weights = Some(vec![0.2, 0.3, 0.5])),
            "experiment \"checkout-nudge\" has 3 weights for 2 variations; give one weight per variation"
        );
        assert_eq!(
            invalid(|e| e.weights = Some(vec![0.7, 0.6])),
            "experiment \"checkout-nudge\" weights must add up to 1 (within 0.01)"
        );
        assert_eq!(
            invalid(|e| e.weights = Some(vec![1.5, -0.5])),
            "experiment \"checkout-nudge\" weights must be finite and not negative"
        );
        assert_eq!(
            invalid(|e| e.weights = Some(vec![f64::NAN, 0.5])),
            "experiment \"checkout-nudge\" weights must be finite and not negative"
        );
        for coverage in [-0.1, 1.01, f64::NAN] {
            assert_eq!(
                invalid(|e| e.coverage = coverage),
                "experiment \"checkout-nudge\" coverage must be between 0 and 1"
            );
        }
        for version in [0, 3] {
            assert_eq!(
                invalid(|e| e.hash_version = version),
                "experiment \"checkout-nudge\" hash_version must be 1 or 2"
            );
        }
        assert_eq!(
            invalid(|e| e.namespace = Some(("ns".to_owned(), 0.6, 0.4))),
            "experiment \"checkout-nudge\" namespace range must satisfy 0 <= start < end <= 1"
        );
        assert_eq!(
            invalid(|e| e.force = Some(2)),
            "experiment \"checkout-nudge\" force must be the index of one of its variations"
        );
    }

    #[test]
    fn validate_allows_weights_within_the_sdk_tolerance() {
        let exp = Experiment {
            weights: Some(vec![0.4, 0.5999]),
            ..plain()
        };
        assert_eq!(exp.validate(), Ok(()));
    }
}
