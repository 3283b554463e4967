//! Runs the five hashing/bucketing sections of GrowthBook's shared `cases.json`.
//!
//! Takes the JSON as text and touches no filesystem, so a native test (`include_str!`) and a
//! browser test (`wasm-bindgen-test`) can share it. In the main crate, only the `use` of the
//! experiment module changes.

use serde_json::Value;
use shopper_intent::core::experiment::{
    choose_variation, get_bucket_ranges, get_equal_weights, hash, in_namespace,
};

/// The sections of `cases.json` this runner covers, in file order.
pub const SECTIONS: [&str; 5] = [
    "hash",
    "getBucketRange",
    "chooseVariation",
    "inNamespace",
    "getEqualWeights",
];

/// Bucket ranges are products of decimal weights: the case "uneven weights, reduced coverage,
/// 3 variations" computes 0.2 × 0.2 = 0.04000000000000001 (in JS too) against 0.04 in the file.
/// So ranges are compared to 1e-9, far below a bucket's width of 1e-4; all others are exact.
const RANGE_EPSILON: f64 = 1e-9;

/// The file lists 1/3 as 0.33333333 (8 decimals), so equal weights are compared to 1e-8.
const WEIGHT_EPSILON: f64 = 1e-8;

/// How a run went: cases passed, and one line per failure naming the case.
#[derive(Debug, Default)]
pub struct CaseReport {
    /// Cases that matched.
    pub passed: usize,
    /// `section / case name: what differed`, one per failing or malformed case.
    pub failures: Vec<String>,
}

/// Runs every case of the five sections in `json_text`.
pub fn run_growthbook_cases(json_text: &str) -> CaseReport {
    let mut report = CaseReport::default();
    let root: Value = match serde_json::from_str(json_text) {
        Ok(root) => root,
        Err(e) => {
            report
                .failures
                .push(format!("cases.json does not parse: {e}"));
            return report;
        }
    };
    for section in SECTIONS {
        let Some(cases) = root.get(section).and_then(Value::as_array) else {
            report.failures.push(format!("{section}: section missing"));
            continue;
        };
        if cases.is_empty() {
            report
                .failures
                .push(format!("{section}: section has no cases"));
        }
        for (i, case) in cases.iter().enumerate() {
            let outcome = match section {
                "hash" => hash_case(case),
                "getBucketRange" => bucket_range_case(case),
                "chooseVariation" => choose_variation_case(case),
                "inNamespace" => in_namespace_case(case),
                _ => equal_weights_case(case),
            };
            match outcome {
                Ok(()) => report.passed += 1,
                Err((name, problem)) => report
                    .failures
                    .push(format!("{section}[{i}] {name}: {problem}")),
            }
        }
    }
    report
}

/// `Err((case name, problem))`.
type Outcome = Result<(), (String, String)>;

fn malformed(case: &Value) -> (String, String) {
    (case.to_string(), "malformed case".to_owned())
}

/// `[seed, value, version, expected | null]`.
fn hash_case(case: &Value) -> Outcome {
    let (Some(seed), Some(value), Some(version), Some(expected)) = (
        case.get(0).and_then(Value::as_str),
        case.get(1).and_then(Value::as_str),
        case.get(2).and_then(Value::as_u64),
        case.get(3),
    ) else {
        return Err(malformed(case));
    };
    let name = format!("hash({seed:?}, {value:?}, {version})");
    // Versions beyond u8 are as unsupported as 99: the SDK returns null for both.
    let got = u8::try_from(version)
        .ok()
        .and_then(|v| hash(seed, value, v));
    // Bit-for-bit: k / 1000 and k / 10000 round to the same double as the decimal in the file.
    if got == expected.as_f64() {
        Ok(())
    } else {
        Err((name, format!("expected {expected}, got {got:?}")))
    }
}

fn ranges(value: &Value) -> Option<Vec<(f64, f64)>> {
    value
        .as_array()?
        .iter()
        .map(|r| Some((r.get(0)?.as_f64()?, r.get(1)?.as_f64()?)))
        .collect()
}

/// `[name, [numVariations, coverage, weights | null], expected ranges]`.
fn bucket_range_case(case: &Value) -> Outcome {
    let (Some(name), Some(args), Some(expected)) = (
        case.get(0).and_then(Value::as_str),
        case.get(1),
        case.get(2).and_then(ranges),
    ) else {
        return Err(malformed(case));
    };
    let (Some(count), Some(coverage), Some(weights)) = (
        args.get(0)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok()),
        args.get(1).and_then(Value::as_f64),
        args.get(2),
    ) else {
        return Err(malformed(case));
    };
    let weights: Option<Vec<f64>> = match weights {
        Value::Null => None,
        w => match w.as_array() {
            Some(w) => w.iter().map(Value::as_f64).collect(),
            None => return Err(malformed(case)),
        },
    };
    let got = get_bucket_ranges(count, coverage, weights.as_deref());
    let same = got.len() == expected.len()
        && got
            .iter()
            .zip(&expected)
            .all(|(g, e)| (g.0 - e.0).abs() <= RANGE_EPSILON && (g.1 - e.1).abs() <= RANGE_EPSILON);
    if same {
        Ok(())
    } else {
        Err((
            name.to_owned(),
            format!("expected {expected:?}, got {got:?}"),
        ))
    }
}

/// `[name, n, ranges, expected index]`.
fn choose_variation_case(case: &Value) -> Outcome {
    let (Some(name), Some(n), Some(ranges), Some(expected)) = (
        case.get(0).and_then(Value::as_str),
        case.get(1).and_then(Value::as_f64),
        case.get(2).and_then(ranges),
        case.get(3).and_then(Value::as_i64),
    ) else {
        return Err(malformed(case));
    };
    let got = choose_variation(n, &ranges);
    if i64::from(got) == expected {
        Ok(())
    } else {
        Err((name.to_owned(), format!("expected {expected}, got {got}")))
    }
}

/// `[name, hash value, [namespace id, start, end], expected]`.
fn in_namespace_case(case: &Value) -> Outcome {
    let namespace = case.get(2);
    let (Some(name), Some(id), Some(ns_id), Some(start), Some(end), Some(expected)) = (
        case.get(0).and_then(Value::as_str),
        case.get(1).and_then(Value::as_str),
        namespace.and_then(|ns| ns.get(0)).and_then(Value::as_str),
        namespace.and_then(|ns| ns.get(1)).and_then(Value::as_f64),
        namespace.and_then(|ns| ns.get(2)).and_then(Value::as_f64),
        case.get(3).and_then(Value::as_bool),
    ) else {
        return Err(malformed(case));
    };
    let got = in_namespace(id, (ns_id, start, end));
    if got == expected {
        Ok(())
    } else {
        Err((name.to_owned(), format!("expected {expected}, got {got}")))
    }
}

/// `[n, expected weights]`.
fn equal_weights_case(case: &Value) -> Outcome {
    let (Some(n), Some(expected)) = (
        case.get(0).and_then(Value::as_i64),
        case.get(1)
            .and_then(Value::as_array)
            .and_then(|w| w.iter().map(Value::as_f64).collect::<Option<Vec<f64>>>()),
    ) else {
        return Err(malformed(case));
    };
    // A count is a usize here, so the SDK's `n <= 0 -> []` rule meets us as 0.
    let got = get_equal_weights(usize::try_from(n).unwrap_or(0));
    let same = got.len() == expected.len()
        && got
            .iter()
            .zip(&expected)
            .all(|(g, e)| (g - e).abs() <= WEIGHT_EPSILON);
    if same {
        Ok(())
    } else {
        Err((
            format!("getEqualWeights({n})"),
            format!("expected {expected:?}, got {got:?}"),
        ))
    }
}
