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

fn counts(report: &Value, keys: &[&str]) -> Vec<u64> {
    keys.iter()
        .map(|k| report["lines"][k].as_u64().unwrap_or(u64::MAX))
        .collect()
}

fn arm(e: &Value, i: usize) -> (u64, u64, f64) {
    let v = &e["variations"][i];
    (
        v["visitors"].as_u64().unwrap_or(u64::MAX),
        v["conversions"].as_u64().unwrap_or(u64::MAX),
        v["revenue"].as_f64().unwrap_or(f64::NAN),
    )
}

#[test]
fn the_store_s_own_purchases_count_once_after_the_first_exposure() {
    let report = json(&["tests/fixtures/ab_store_purchases.jsonl"]);
    let e = &report["experiments"][0];
    assert_eq!(e["experiment"], "checkout-test");
    // Control: c1's GA4 purchase (100); c2 bought the day before their exposure.
    assert_eq!(arm(e, 0), (10, 1, 100.0));
    // Treatment: t1 80 (GA4 + our conversion of it: once) + 20 (a second order), t2 60 (the
    // reloaded thank-you page: once), t3 30 (a GTM push, from its items), t4 40 (Shopify),
    // t5 25 (only our conversion), t6 70 (GA4 and Shopify with one order id), t7 10 (both
    // without ids, 30 s apart), t8 5 (a gtag call): 8 of 10 visitors, 340.
    assert_eq!(arm(e, 1), (10, 8, 340.0));
    // Variation 99 of t10 is refused; the experiment keeps its 2 variations.
    assert_eq!(e["variations"].as_array().map(Vec::len), Some(2));
    let keys = [
        "read",
        "exposures",
        "conversions",
        "purchases",
        "other_events",
        "bad",
        "duplicate_purchases",
        "stray_variations",
        "unattributed_conversions",
    ];
    assert_eq!(counts(&report, &keys), [41, 21, 2, 14, 1, 3, 4, 1, 0]);
    let err = String::from_utf8_lossy(&run(&["tests/fixtures/ab_store_purchases.jsonl"]).stderr)
        .into_owned();
    for want in [
        "line 37: purchase: value is above 1e15, the largest number accepted; skipped",
        "line 38: `checkout` (or `data.checkout`), the Shopify checkout, is missing; skipped",
        "line 39: `value` must be a number from 0 to 1e15; skipped",
        "line 40: experiment checkout-test has no variation 99 (it has 2, named from 0 up without a gap; give the experiment in --config for more); skipped",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
}

/// A store's log as the issue found it: 2,000 exposed visitors, 120 GA4 purchases.
#[test]
fn two_thousand_exposures_and_120_ga4_purchases_give_120_conversions() {
    let mut log = String::new();
    let t0 = 1_767_225_600_000u64;
    for i in 0..2000u64 {
        let arm = u64::from(i >= 400); // 400 control, 1,600 treatment: the 20/80 holdout
        log += &format!(
            "{{\"event\":\"experiment_viewed\",\"experiment_id\":\"shopper-intent-nudges\",\"variation_id\":\"{arm}\",\"visitor\":\"v{i}\",\"time\":{}}}\n",
            t0 + i * 1000
        );
    }
    // Every 20th control visitor and every 16th treatment visitor buys, a day later; 10 more
    // purchases come before their buyer's exposure and do not count.
    let buyers: Vec<u64> = (0..400)
        .step_by(20)
        .chain((400..2000).step_by(16))
        .collect();
    assert_eq!(buyers.len(), 120);
    for (n, i) in buyers.iter().enumerate() {
        log += &format!(
            "{{\"event\":\"purchase\",\"visitor\":\"v{i}\",\"time\":{},\"ecommerce\":{{\"transaction_id\":\"T{n}\",\"value\":50,\"currency\":\"EUR\"}}}}\n",
            t0 + 86_400_000
        );
    }
    for i in 1000..1010u64 {
        log += &format!(
            "{{\"event\":\"purchase\",\"visitor\":\"v{i}\",\"time\":{},\"ecommerce\":{{\"transaction_id\":\"E{i}\",\"value\":50}}}}\n",
            t0
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("store.jsonl");
    std::fs::write(&file, log).expect("write");
    let report = json(&[file.to_str().expect("UTF-8 path")]);
    let e = &report["experiments"][0];
    assert_eq!(arm(e, 0), (400, 20, 1000.0));
    assert_eq!(arm(e, 1), (1600, 100, 5000.0));
    // 5 % against 6.25 %: a lift of +25 %.
    close(&e["comparisons"][0]["lift"]["estimate"], 0.25);
    assert_eq!(
        counts(&report, &["purchases", "duplicate_purchases"]),
        [130, 0]
    );
}

#[test]
fn beacon_bodies_as_a_collector_writes_them_are_read() {
    // One `sendBeacon` body per line, CRLF-terminated: the dataLayer push plus visitor and time.
    let report = json(&["tests/fixtures/ab_beacons.jsonl"]);
    let e = &report["experiments"][0];
    assert_eq!(e["experiment"], "shopper-intent-nudges");
    assert_eq!(arm(e, 0), (2, 1, 30.0));
    // The third visitor's second visit is one more exposure, not one more visitor.
    assert_eq!(arm(e, 1), (8, 2, 57.5));
    let keys = [
        "read",
        "exposures",
        "conversions",
        "bad",
        "unattributed_conversions",
    ];
    assert_eq!(counts(&report, &keys), [15, 11, 4, 0, 1]);
}

#[test]
fn what_cannot_be_analysed_is_left_out_not_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.json");
    // A weight of 0 is a valid config, but an arm with visitors and no weight cannot be tested.
    std::fs::write(
        &config,
        r#"{"experiments": {"broken": {"weights": [1, 0]}}}"#,
    )
    .expect("write");
    let line = |event: &str, exp: &str, var: &str, visitor: &str, extra: &str| {
        format!("{{\"event\":\"{event}\",\"experiment_id\":\"{exp}\",\"variation_id\":\"{var}\",\"visitor\":\"{visitor}\",\"time\":1767225600000{extra}}}\n")
    };
    let mut log = String::new();
    for (var, visitor) in [("0", "a"), ("1", "b"), ("0", "c"), ("1", "d")] {
        log += &line("experiment_viewed", "healthy", var, visitor, "");
        log += &line("experiment_viewed", "broken", var, visitor, "");
    }
    log += &line(
        "experiment_conversion",
        "healthy",
        "1",
        "b",
        ",\"value\":1e308",
    );
    log += &line(
        "experiment_conversion",
        "healthy",
        "1",
        "d",
        ",\"value\":1e308",
    );
    log += &line(
        "experiment_conversion",
        "healthy",
        "0",
        "a",
        ",\"value\":12.5",
    );
    log += &line("experiment_viewed", "healthy", "99", "e", "");
    let file = dir.path().join("log.jsonl");
    std::fs::write(&file, log).expect("write");
    let args = [
        "--config",
        config.to_str().expect("UTF-8"),
        file.to_str().expect("UTF-8"),
    ];
    let report = json(&args);
    assert_eq!(report["experiments"].as_array().map(Vec::len), Some(1));
    let e = &report["experiments"][0];
    assert_eq!(e["experiment"], "healthy");
    assert_eq!(e["variations"].as_array().map(Vec::len), Some(2));
    assert_eq!(arm(e, 0), (2, 1, 12.5));
    assert_eq!(arm(e, 1), (2, 0, 0.0));
    assert_eq!(report["refused"][0]["experiment"], "broken");
    assert_eq!(
        report["refused"][0]["reason"],
        "variation 1: weight must be a finite number above 0"
    );
    assert_eq!(counts(&report, &["bad", "stray_variations"]), [2, 1]);
    let out = run(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 9: `value` must be a number from 0 to 1e15; skipped"),
        "{err}"
    );
    assert!(err.contains("experiment broken: variation 1: weight must be a finite number above 0; left out of the report"), "{err}");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(
            "experiment broken: not analysed: variation 1: weight must be a finite number above 0"
        ),
        "{table}"
    );
}
