//! GrowthBook's shared SDK test cases, run natively against `experiment`.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/growthbook_cases.rs"]
mod growthbook_cases;

use growthbook_cases::run_growthbook_cases;

/// A copy of GrowthBook's `cases.json` (specVersion 0.8.0), vendored so tests read no path
/// outside the crate.
const CASES: &str = include_str!("vectors/growthbook-cases.json");

#[test]
fn growthbook_cases_pass() {
    let report = run_growthbook_cases(CASES);
    assert!(
        report.failures.is_empty(),
        "{} GrowthBook case(s) failed ({} passed):\n{}",
        report.failures.len(),
        report.passed,
        report.failures.join("\n")
    );
    // 15 hash + 13 getBucketRange + 13 chooseVariation + 16 inNamespace + 6 getEqualWeights.
    assert_eq!(
        report.passed, 63,
        "the case file changed size; update this count"
    );
}

#[test]
fn runner_names_failing_cases() {
    // A wrong expectation must come back as a failure that names the case.
    let json = r#"{
        "hash": [["", "a", 1, 0.5]],
        "getBucketRange": [["wrong", [2, 1, null], [[0, 0.4], [0.4, 1]]]],
        "chooseVariation": [["wrong pick", 0.2, [[0, 0.5], [0.5, 1]], 1]],
        "inNamespace": [["wrong ns", "1", ["namespace1", 0, 0.4], true]],
        "getEqualWeights": [[2, [0.4, 0.6]], "not a case"]
    }"#;
    let report = run_growthbook_cases(json);
    assert_eq!(report.passed, 0);
    let failures = report.failures.join("\n");
    for expected in [
        "hash[0] hash(\"\", \"a\", 1): expected 0.5, got Some(0.22)",
        "getBucketRange[0] wrong:",
        "chooseVariation[0] wrong pick: expected 1, got 0",
        "inNamespace[0] wrong ns: expected true, got false",
        "getEqualWeights[0] getEqualWeights(2):",
        "getEqualWeights[1] \"not a case\": malformed case",
    ] {
        assert!(
            failures.contains(expected),
            "missing {expected:?} in:\n{failures}"
        );
    }
}

#[test]
fn runner_reports_missing_sections() {
    let report = run_growthbook_cases("{}");
    assert_eq!(report.failures.len(), 5);
    assert!(report.failures[0].starts_with("hash: section missing"));
}
