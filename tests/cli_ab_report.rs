//! `shopper-intent ab-report` against values computed by hand from the fixtures.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopper-intent"))
        .arg("ab-report")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn close(got: &Value, want: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{got} is not a number"));
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

/// Two-sided 95% normal quantile.
const Z: f64 = 1.959_963_984_540_054;

#[test]
fn basic_experiment_matches_the_hand_computation() {
    let report = json(&["tests/fixtures/ab_basic.jsonl"]);
    let e = &report["experiments"][0];
    assert_eq!(report["experiments"].as_array().map(Vec::len), Some(1));
    assert_eq!(e["experiment"], "exp-a");
    // Not in the config: equal weights, variations named by index.
    assert_eq!(e["weights"], serde_json::json!([0.5, 0.5]));
    let (c, t) = (&e["variations"][0], &e["variations"][1]);
    assert_eq!(
        (&c["name"], &t["name"]),
        (&Value::from("0"), &Value::from("1"))
    );
    // Control: c1..c20 (c1 seen in two visits counts once); c1..c4 convert at 50.
    assert_eq!(
        (&c["visitors"], &c["conversions"]),
        (&Value::from(20), &Value::from(4))
    );
    close(&c["conversion_rate"], 0.2);
    close(&c["revenue"], 200.0);
    close(&c["revenue_per_visitor"], 10.0);
    // Treatment: t1..t20; t1..t8 convert at 50, t1 again at 30; t9's conversion predates its
    // exposure and does not count.
    assert_eq!(
        (&t["visitors"], &t["conversions"]),
        (&Value::from(20), &Value::from(8))
    );
    close(&t["conversion_rate"], 0.4);
    close(&t["revenue"], 430.0);
    close(&t["revenue_per_visitor"], 21.5);

    let cmp = &e["comparisons"][0];
    assert_eq!(cmp["variation"], 1);
    // Lift (0.4 - 0.2) / 0.2 = 1. Delta method: Var = v_t/p_c² + p_t² v_c/p_c⁴ with
    // v_c = 0.2·0.8/20 = 0.008, v_t = 0.4·0.6/20 = 0.012: 0.012/0.04 + 0.16·0.008/0.0016 = 1.1.
    close(&cmp["lift"]["estimate"], 1.0);
    close(&cmp["lift"]["ci_low"], 1.0 - Z * 1.1f64.sqrt());
    close(&cmp["lift"]["ci_high"], 1.0 + Z * 1.1f64.sqrt());
    close(&cmp["lift"]["ci_low"], -1.055_627_569_080_435);
    // Pooled p = 12/40 = 0.3; se = √(0.3·0.7·(1/20 + 1/20)) = √0.021; z = 0.2/√0.021.
    close(&cmp["z_test"]["z"], 0.2 / 0.021f64.sqrt());
    close(&cmp["z_test"]["p_value"], 0.167_546_277_488_617_2);
    // 20 / 20 against 0.5 / 0.5: no mismatch at all.
    close(&e["sample_ratio"]["chi_square"], 0.0);
    close(&e["sample_ratio"]["p_value"], 1.0);
    assert_eq!(e["sample_ratio"]["mismatch"], false);

    let lines = &report["lines"];
    let counts: Vec<u64> = [
        "read",
        "exposures",
        "conversions",
        "other_events",
        "bad",
        "unattributed_conversions",
        "mismatched_conversions",
        "excluded_visitors",
    ]
    .iter()
    .map(|k| lines[k].as_u64().unwrap_or(u64::MAX))
    .collect();
    // t9 early + "ghost" never exposed = 2 unattributed; c5's conversion in variation 1 is
    // mismatched; "both" saw both variations.
    assert_eq!(counts, [62, 43, 16, 1, 2, 2, 1, 1]);
}

#[test]
fn bad_lines_are_named_and_skipped() {
    let out = run(&["tests/fixtures/ab_basic.jsonl"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 60: not JSON: "), "{stderr}");
    assert!(
        stderr.contains("line 61: `visitor` is missing; skipped"),
        "{stderr}"
    );
}

#[test]
fn sample_ratio_mismatch_against_the_default_holdout() {
    let report = json(&["tests/fixtures/ab_srm.jsonl"]);
    let e = &report["experiments"][0];
    assert_eq!(e["experiment"], "shopper-intent-nudges");
    // The built-in weights, and names.
    assert_eq!(e["weights"], serde_json::json!([0.2, 0.8]));
    assert_eq!(e["variations"][0]["name"], "control");
    assert_eq!(e["variations"][1]["name"], "treatment");
    // 50 / 50 visitors where 20 / 80 are expected: (50-20)²/20 + (50-80)²/80 = 45 + 11.25.
    close(&e["sample_ratio"]["chi_square"], 56.25);
    assert_eq!(e["sample_ratio"]["degrees_of_freedom"], 1);
    // df 1: p = erfc(√(χ²/2)) = erfc(5.3033) ≈ 6.38e-14.
    let p = e["sample_ratio"]["p_value"].as_f64().expect("number");
    assert!((p - 6.381_783_345_821_779e-14).abs() < 1e-16, "{p}");
    assert_eq!(e["sample_ratio"]["mismatch"], true);
    // The lift is still computed: 0.1 -> 0.2; Var = 0.0032/0.01 + 0.04·0.0018/0.0001 = 1.04.
    let cmp = &e["comparisons"][0];
    close(&cmp["lift"]["estimate"], 1.0);
    close(&cmp["lift"]["ci_high"], 1.0 + Z * 1.04f64.sqrt());
    close(&cmp["z_test"]["z"], 0.1 / 0.0051f64.sqrt());
    close(&e["variations"][1]["revenue_per_visitor"], 20.0);

    let table = String::from_utf8_lossy(&run(&["tests/fixtures/ab_srm.jsonl"]).stdout).into_owned();
    assert!(
        table.contains("sample ratio: chi-square 56.250, df 1, p = 6.38e-14: SAMPLE RATIO MISMATCH (p < 0.001)"),
        "{table}"
    );
    assert!(
        table.contains("1 treatment vs 0 control: lift +100.00% (95% CI -99.88% to +299.88%), z = 1.400, p = 0.1614"),
        "{table}"
    );
    assert!(
        table.contains("  0 control               50            5      10.00%            10.00"),
        "{table}"
    );
}

#[test]
fn configured_weights_and_names_change_the_verdict() {
    let report = json(&[
        "--config",
        "tests/fixtures/ab_config.json",
        "tests/fixtures/ab_srm.jsonl",
    ]);
    let e = &report["experiments"][0];
    assert_eq!(e["weights"], serde_json::json!([0.5, 0.5]));
    assert_eq!(e["variations"][0]["name"], "holdout");
    assert_eq!(e["variations"][1]["name"], "nudged");
    close(&e["sample_ratio"]["chi_square"], 0.0);
    assert_eq!(e["sample_ratio"]["mismatch"], false);
}

#[test]
fn no_exposures_is_an_error_exit() {
    let dir = std::env::temp_dir().join(["si-ab-", &std::process::id().to_string()].concat());
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("empty.jsonl");
    std::fs::write(
        &file,
        "{\"event\": \"page_view\", \"visitor\": \"v\", \"time\": 1}\n",
    )
    .expect("write");
    let out = run(&[file.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no experiment_viewed event found"));
    let _ = std::fs::remove_dir_all(&dir);
}
