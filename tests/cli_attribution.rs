//! `channels`, `accelerators` and `tiers` on a store's log with known campaigns, costs and
//! touchpoints (tests/fixtures/attribution/, its README lists every visitor's points). The
//! fixture's config turns decay off, so every score is a sum of points and every figure below
//! is worked out by hand from the journeys. The HTML reports are opened in headless Chromium.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/cli.rs"]
mod cli;

use cli::{run, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DAY_MS: f64 = 86_400_000.0;
const MIN_MS: f64 = 60_000.0;

fn path(name: &str) -> String {
    cli::fixture(&format!("attribution/{name}"))
        .to_str()
        .unwrap()
        .to_string()
}

/// Runs `args` on the fixture's log, with its config.
fn on_store(args: &[&str]) -> Output {
    let (config, store) = (path("config.json"), path("store.jsonl"));
    let mut all = args.to_vec();
    all.extend(["--config", &config, &store]);
    run(&all)
}

/// `channels --by campaign --spend spend.csv` on the fixture, with `extra`.
fn campaigns_with_spend(extra: &[&str]) -> Output {
    let spend = path("spend.csv");
    let mut args = vec!["channels", "--by", "campaign", "--spend", &spend];
    args.extend_from_slice(extra);
    on_store(&args)
}

/// Runs a command on the fixture; its JSON report.
fn report(command: &str, extra: &[&str]) -> (Value, String) {
    let mut args = vec![command, "--json"];
    args.extend_from_slice(extra);
    let o = on_store(&args);
    assert!(o.status.success(), "{command} failed: {}", stderr(&o));
    (
        serde_json::from_slice(&o.stdout).expect("JSON on stdout"),
        stderr(&o),
    )
}

fn close(got: &Value, want: f64, what: &str) {
    near(got, want, 1e-4, what);
}

fn near(got: &Value, want: f64, tolerance: f64, what: &str) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
    assert!((got - want).abs() < tolerance, "{what}: {got}, want {want}");
}

fn row<'a>(rows: &'a Value, key: &str, name: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == name)
        .unwrap_or_else(|| panic!("no row {name:?} in {rows}"))
}

fn names(rows: &Value, key: &str) -> Vec<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap().to_string())
        .collect()
}

/// One row's expected figures, every column of the table.
struct Want {
    name: &'static str,
    visitors: u64,
    average_score: f64,
    sqls: u64,
    interval: (f64, f64),
    median_days: Option<f64>,
    still_cold: f64,
    sql_conversion: Option<f64>,
    other_conversion: Option<f64>,
    buyers: u64,
    revenue_per_visitor: f64,
    cost: Option<f64>,
    cpa_sql: Option<f64>,
    cost_per_purchase: Option<f64>,
}

fn check(rows: &Value, w: &Want) {
    let r = row(rows, "name", w.name);
    let what = |c: &str| format!("{} {c}", w.name);
    assert_eq!(
        r["visitors"].as_u64(),
        Some(w.visitors),
        "{}",
        what("visitors")
    );
    close(&r["average_score"], w.average_score, &what("average_score"));
    assert_eq!(r["sqls"].as_u64(), Some(w.sqls), "{}", what("sqls"));
    close(
        &r["sql_rate"],
        w.sqls as f64 / w.visitors as f64,
        &what("sql_rate"),
    );
    close(
        &r["sql_rate_interval"][0],
        w.interval.0,
        &what("interval low"),
    );
    close(
        &r["sql_rate_interval"][1],
        w.interval.1,
        &what("interval high"),
    );
    let opt = |v: &Value, want: Option<f64>, c: &str| match want {
        Some(x) => close(v, x, &what(c)),
        None => assert!(v.is_null(), "{}: {v}", what(c)),
    };
    opt(&r["median_days_to_sql"], w.median_days, "median days");
    close(&r["still_cold"], w.still_cold, &what("still_cold"));
    opt(&r["sql_conversion"], w.sql_conversion, "sql_conversion");
    opt(
        &r["other_conversion"],
        w.other_conversion,
        "other_conversion",
    );
    assert_eq!(r["buyers"].as_u64(), Some(w.buyers), "{}", what("buyers"));
    close(
        &r["revenue_per_visitor"],
        w.revenue_per_visitor,
        &what("revenue/visitor"),
    );
    opt(&r["cost"], w.cost, "cost");
    opt(&r["cpa_sql"], w.cpa_sql, "cpa_sql");
    opt(
        &r["cost_per_purchase"],
        w.cost_per_purchase,
        "cost/purchase",
    );
}

// Published 95% Wilson intervals.
const W_2_5: (f64, f64) = (0.117_62, 0.769_27);
const W_1_5: (f64, f64) = (0.036_22, 0.624_46);
const W_2_4: (f64, f64) = (0.150_03, 0.849_97);
const W_0_2: (f64, f64) = (0.0, 0.657_62);

#[test]
fn channels_by_campaign_with_spend_reproduce_the_articles_table() {
    let spend = path("spend.csv");
    let (r, err) = report("channels", &["--by", "campaign", "--spend", &spend]);
    let rows = &r["rows"];
    // Most visitors first, then by name.
    assert_eq!(
        names(rows, "name"),
        [
            "google-nonbrand",
            "meta-prospecting",
            "(organic)",
            "welcome-popup",
            "(direct)"
        ]
    );
    // g1 68 (SQL 5 min in, bought 120), g2 68 (SQL on its day-3 return), g3 6, g4 30, g5 4.
    // Spend 20 + 20 + 16 ("Google-NonBrand"), the February row is outside the log.
    check(
        rows,
        &Want {
            name: "google-nonbrand",
            visitors: 5,
            average_score: (68.0 + 68.0 + 6.0 + 30.0 + 4.0) / 5.0,
            sqls: 2,
            interval: W_2_5,
            median_days: Some((5.0 * MIN_MS + 3.0 * DAY_MS + MIN_MS) / 2.0 / DAY_MS),
            still_cold: 2.0 / 5.0,
            sql_conversion: Some(0.5),
            other_conversion: Some(0.0),
            buyers: 1,
            revenue_per_visitor: 120.0 / 5.0,
            cost: Some(56.0),
            cpa_sql: Some(28.0),
            cost_per_purchase: Some(56.0),
        },
    );
    // m1 76 (SQL on day 5 through an email, bought 90), m2 28, m3 6, m4 4, m5 44 (bought 60 on
    // day 20: after day 14, still a conversion).
    check(
        rows,
        &Want {
            name: "meta-prospecting",
            visitors: 5,
            average_score: (76.0 + 28.0 + 6.0 + 4.0 + 44.0) / 5.0,
            sqls: 1,
            interval: W_1_5,
            median_days: Some(5.0),
            still_cold: 2.0 / 5.0,
            sql_conversion: Some(1.0),
            other_conversion: Some(0.25),
            buyers: 2,
            revenue_per_visitor: (90.0 + 60.0) / 5.0,
            cost: Some(42.0),
            cpa_sql: Some(42.0),
            cost_per_purchase: Some(21.0),
        },
    );
    // o1 68 (SQL 6 min in, bought 150), o2 63 (SQL after the quiz, 1 day 3 min in), o3 4, o4 21.
    check(
        rows,
        &Want {
            name: "(organic)",
            visitors: 4,
            average_score: (68.0 + 63.0 + 4.0 + 21.0) / 4.0,
            sqls: 2,
            interval: W_2_4,
            median_days: Some((6.0 * MIN_MS + DAY_MS + 3.0 * MIN_MS) / 2.0 / DAY_MS),
            still_cold: 1.0 / 4.0,
            sql_conversion: Some(0.5),
            other_conversion: Some(0.0),
            buyers: 1,
            revenue_per_visitor: 150.0 / 4.0,
            cost: None,
            cpa_sql: None,
            cost_per_purchase: None,
        },
    );
    // e1 63 (SQL on its day-2 email return, bought 80), e2 70 (SQL after the quiz, 2 days 4 min
    // in), e3 9, e4 24; email visits add the click-through's 5 points.
    check(
        rows,
        &Want {
            name: "welcome-popup",
            visitors: 4,
            average_score: (63.0 + 70.0 + 9.0 + 24.0) / 4.0,
            sqls: 2,
            interval: W_2_4,
            median_days: Some((2.0 * DAY_MS + 2.0 * DAY_MS + 4.0 * MIN_MS) / 2.0 / DAY_MS),
            still_cold: 1.0 / 4.0,
            sql_conversion: Some(0.5),
            other_conversion: Some(0.0),
            buyers: 1,
            revenue_per_visitor: 80.0 / 4.0,
            cost: Some(16.0),
            cpa_sql: Some(8.0),
            cost_per_purchase: Some(16.0),
        },
    );
    check(
        rows,
        &Want {
            name: "(direct)",
            visitors: 2,
            average_score: (4.0 + 6.0) / 2.0,
            sqls: 0,
            interval: W_0_2,
            median_days: None,
            still_cold: 1.0,
            sql_conversion: None,
            other_conversion: Some(0.0),
            buyers: 0,
            revenue_per_visitor: 0.0,
            cost: None,
            cpa_sql: None,
            cost_per_purchase: None,
        },
    );
    // CPA at the ends of the SQL rate's interval: 56 / (5 × 0.769) and 56 / (5 × 0.118).
    let g = row(rows, "name", "google-nonbrand");
    // (The published intervals have five decimals, which the division magnifies.)
    near(
        &g["cpa_sql_interval"][0],
        56.0 / (5.0 * W_2_5.1),
        0.01,
        "CPA low",
    );
    near(
        &g["cpa_sql_interval"][1],
        56.0 / (5.0 * W_2_5.0),
        0.05,
        "CPA high",
    );
    // Scores by day: all five at 4 after their first event; a day later g1 68, g2 44, g3 6,
    // g4 21, g5 4; on day 14 the table's average.
    let days = g["average_score_by_day"].as_array().unwrap();
    assert_eq!(days.len(), 15);
    close(&days[0], 4.0, "day 0");
    close(&days[1], (68.0 + 44.0 + 6.0 + 21.0 + 4.0) / 5.0, "day 1");
    close(&days[14], 35.2, "day 14");
    // What the spend file did not cover, and its bad row.
    assert_eq!(r["no_cost"], serde_json::json!(["(organic)", "(direct)"]));
    assert_eq!(
        r["unmatched_spend"],
        serde_json::json!([["brand-search", 30.0]])
    );
    assert_eq!(r["spend_rows_outside"].as_u64(), Some(1));
    assert!(
        err.contains("spend.csv, line 7, column cost: \"abc\" is not a number; skipped"),
        "{err}"
    );
    assert_eq!(r["visitors"].as_u64(), Some(20));
    assert_eq!(r["totals"]["events"].as_u64(), Some(77));
}

#[test]
fn the_terminal_table_says_which_rows_had_no_cost() {
    let o = campaigns_with_spend(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line {name} in {text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    // name, visitors, score, SQL rate, CI, days, SQLs bought, others bought, rev/visitor, cost, CPA, cost/purchase.
    assert_eq!(
        line("google-nonbrand"),
        [
            "google-nonbrand",
            "5",
            "35.2",
            "40.0%",
            "11.8–76.9%",
            "1.5",
            "50.0%",
            "0.0%",
            "24.00",
            "56.00",
            "28.00",
            "56.00"
        ]
    );
    assert_eq!(line("(organic)")[9..], ["n/a", "n/a", "n/a"]);
    assert_eq!(line("welcome-popup")[10], "8.00");
    assert!(
        text.contains("no cost in") && text.contains("for: (organic), (direct) (CPA n/a)"),
        "{text}"
    );
    assert!(
        text.contains(
            "spend on campaign \"brand-search\" (30.00) matched no visitor's first touch"
        ),
        "{text}"
    );
    assert!(text.contains("1 spend rows dated outside the log's days were not counted"));
}

#[test]
fn channels_by_ga4_channel_and_by_source_medium() {
    let (r, _) = report("channels", &[]);
    // GA4's rule order.
    assert_eq!(
        names(&r["rows"], "name"),
        [
            "Direct",
            "Paid Search",
            "Paid Social",
            "Organic Search",
            "Email"
        ]
    );
    assert_eq!(
        row(&r["rows"], "name", "Paid Social")["sqls"].as_u64(),
        Some(1)
    );
    let (r, _) = report("channels", &["--by", "source-medium"]);
    assert_eq!(
        names(&r["rows"], "name"),
        [
            "facebook / paid_social",
            "google / cpc",
            "google / organic",
            "klaviyo / email",
            "(direct) / (none)"
        ]
    );
    close(
        &row(&r["rows"], "name", "google / organic")["average_score"],
        39.0,
        "organic",
    );
}

#[test]
fn last_non_direct_touch_moves_the_credit_to_later_campaigns() {
    let (r, _) = report("channels", &["--by", "campaign", "--touch", "last"]);
    let rows = &r["rows"];
    // g4 came back through meta-retargeting (30), m2 too (28); m1 last came through the
    // cart-reminder email (76, SQL); g2, o2 and e2 came back direct, which does not count.
    let retargeting = row(rows, "name", "meta-retargeting");
    assert_eq!(retargeting["visitors"].as_u64(), Some(2));
    close(
        &retargeting["average_score"],
        (30.0 + 28.0) / 2.0,
        "retargeting",
    );
    let reminder = row(rows, "name", "cart-reminder");
    assert_eq!(
        (reminder["visitors"].as_u64(), reminder["sqls"].as_u64()),
        (Some(1), Some(1))
    );
    let google = row(rows, "name", "google-nonbrand");
    assert_eq!(
        (google["visitors"].as_u64(), google["sqls"].as_u64()),
        (Some(4), Some(2))
    );
    close(
        &google["average_score"],
        (68.0 + 68.0 + 6.0 + 4.0) / 4.0,
        "google",
    );
    let prospecting = row(rows, "name", "meta-prospecting");
    close(
        &prospecting["average_score"],
        (6.0 + 4.0 + 44.0) / 3.0,
        "prospecting",
    );
    assert_eq!(
        row(rows, "name", "welcome-popup")["visitors"].as_u64(),
        Some(4)
    );
}

#[test]
fn audiences_rank_campaigns_and_sources_by_sql_rate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audiences.csv");
    let o = campaigns_with_spend(&["--out-audiences", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut csv = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        csv.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "kind",
            "name",
            "visitors",
            "sqls",
            "sql_rate",
            "sql_rate_low",
            "sql_rate_high",
            "vs_all",
            "still_cold",
            "buyers",
            "revenue_per_visitor",
            "cost",
            "cpa_sql"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let listed: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
    // 50 % ties break by visitors, then name; sources follow the campaigns.
    assert_eq!(
        listed,
        [
            ("campaign", "(organic)"),
            ("campaign", "welcome-popup"),
            ("campaign", "google-nonbrand"),
            ("campaign", "meta-prospecting"),
            ("campaign", "(direct)"),
            ("source_medium", "google / organic"),
            ("source_medium", "klaviyo / email"),
            ("source_medium", "google / cpc"),
            ("source_medium", "facebook / paid_social"),
            ("source_medium", "(direct) / (none)"),
        ]
    );
    let number = |r: &csv::StringRecord, i: usize| r[i].parse::<f64>().unwrap();
    let google = &rows[2];
    assert_eq!((&google[2], &google[3]), ("5", "2"));
    assert!(
        (number(google, 5) - W_2_5.0).abs() < 1e-4 && (number(google, 6) - W_2_5.1).abs() < 1e-4
    );
    // Everyone: 6 SQLs of 20 (30 %), inside every row's interval on so few visitors.
    assert!(rows.iter().all(|r| &r[7] == "not different"));
    assert_eq!(
        (&google[9], &google[11], &google[12]),
        ("1", "56.0", "28.0")
    );
    // Costs are by campaign, so source rows have none.
    assert_eq!((&rows[7][11], &rows[7][12]), ("", ""));
}

#[test]
fn spend_files_are_checked_against_the_grouping() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let by_campaign = path("spend.csv");
    let o = on_store(&["channels", "--spend", &by_campaign]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is by campaign (its header has `campaign`); run with --by campaign"),
        "{}",
        stderr(&o)
    );
    // GA4's cost import layout: separate source and medium columns.
    let split = write(
        "split.csv",
        "date,source,medium,cost\n2024-03-04,google,cpc,30\n2024-03-05,Google, CPC ,26\n2024-03-05,facebook,,9\n",
    );
    let o = on_store(&[
        "channels",
        "--json",
        "--by",
        "source-medium",
        "--spend",
        &split,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    close(
        &row(&r["rows"], "name", "google / cpc")["cost"],
        56.0,
        "google / cpc cost",
    );
    assert!(
        stderr(&o)
            .contains("line 4, column source: \"facebook /\" is not `source / medium`; skipped"),
        "{}",
        stderr(&o)
    );
    // Channels by GA4 name in any case; a name GA4 does not have is a bad row.
    let channels = write(
        "channels.csv",
        "Date,Channel,Cost\n2024-03-04,paid search,56\n2024-03-04,Paid Social,42\n2024-03-04,TV,100\n2024-03-04,Email,-1\n",
    );
    let o = on_store(&["channels", "--json", "--spend", &channels]);
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    close(
        &row(&r["rows"], "name", "Paid Search")["cpa_sql"],
        28.0,
        "paid search CPA",
    );
    close(
        &row(&r["rows"], "name", "Paid Social")["cost_per_purchase"],
        21.0,
        "paid social",
    );
    let err = stderr(&o);
    assert!(
        err.contains("line 4, column channel: \"TV\" is not a GA4 default channel group"),
        "{err}"
    );
    assert!(
        err.contains("line 5, column cost: \"-1\" is negative or not finite"),
        "{err}"
    );
    let missing = write("missing.csv", "day,campaign,cost\n");
    let o = on_store(&["channels", "--by", "campaign", "--spend", &missing]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("the header has no `date` column"),
        "{}",
        stderr(&o)
    );
}

/// One touchpoint's figures, every column of the table.
fn touch(
    r: &Value,
    name: &str,
    (visitors, compared): (u64, u64),
    (change, baseline): (f64, f64),
    (sql, base_sql): (f64, f64),
) {
    let a = row(&r["touchpoints"], "touchpoint", name);
    assert_eq!(a["visitors"].as_u64(), Some(visitors), "{name} visitors");
    assert_eq!(a["compared"].as_u64(), Some(compared), "{name} compared");
    close(&a["score_change"], change, &format!("{name} change"));
    close(&a["baseline_change"], baseline, &format!("{name} baseline"));
    close(
        &a["difference"],
        change - baseline,
        &format!("{name} difference"),
    );
    close(&a["sql_rate"], sql, &format!("{name} SQL rate"));
    close(
        &a["baseline_sql_rate"],
        base_sql,
        &format!("{name} baseline SQL rate"),
    );
}

#[test]
fn accelerators_compare_each_touchpoint_with_visits_at_the_same_stage() {
    let (r, _) = report("accelerators", &["--min-visitors", "1"]);
    // 28 visit starts before any purchase: 24 at cold, g4's return at warm, and the returns of
    // g2 (44), m1 (57) and e1 (49) at MQL. Cold ones (Δ over 7 days, ✓ reached SQL):
    // g1 68✓ g2 68✓ g3 6 g4 30 g5 4 | m1 76✓ 68✓ m2 28 24 m3 6 m4 4 m5 44 |
    // o1 68✓ o2 63✓ 44✓ o3 4 o4 21 | e1 63✓ e2 70✓ 59✓ e3 9 e4 24 | d1 4 d2 6: Σ 861, 10 ✓.
    assert_eq!(r["visit_starts"].as_u64(), Some(28));
    // (touchpoint, (visitors, compared), (change, baseline), (SQL rate, baseline SQL rate))
    let cases = [
        // The quiz page: o2 (cold at 19 → 63) and e2 (11 → 70), against the 20 cold starts of the
        // others: Σ 861 − 236 = 625, 6 reached SQL.
        (
            "page: /pages/fit-quiz",
            (2, 2),
            ((44.0 + 59.0) / 2.0, 625.0 / 20.0),
            (1.0, 6.0 / 20.0),
        ),
        // quiz_complete itself: o2 is warm by then (26 → 63), e2 cold (18 → 70). The only warm
        // start of the others is g4's return (+9, no SQL): the baseline weighs the two stages.
        (
            "event: quiz_complete",
            (2, 2),
            ((37.0 + 52.0) / 2.0, (9.0 + 625.0 / 20.0) / 2.0),
            (1.0, (0.0 + 6.0 / 20.0) / 2.0),
        ),
        // Retargeting: m1 (8 → 76) and m2 (4 → 28) at cold; g4's warm return has no warm baseline
        // of others, so it is not compared. Baseline: cold starts of all but g4, m1, m2.
        (
            "campaign: meta-retargeting",
            (3, 2),
            ((68.0 + 24.0) / 2.0, (861.0 - 226.0) / 19.0),
            (0.5, 8.0 / 19.0),
        ),
        // The buying guide: o1 68, o2 63, o3 4, each landing on it.
        (
            "page: /blogs/guides/linen-buying-guide",
            (3, 3),
            (45.0, (861.0 - 179.0) / 20.0),
            (2.0 / 3.0, 7.0 / 20.0),
        ),
        // Email click-throughs: e1–e4 at their first (cold) visit and m1's cart reminder at MQL
        // (57 → 76); baselines: 17 cold starts (Σ 492, 5 ✓) and g2's MQL return (+24 ✓).
        (
            "email click-through",
            (5, 5),
            ((166.0 + 19.0) / 5.0, (4.0 * 492.0 / 17.0 + 24.0) / 5.0),
            (3.0 / 5.0, (4.0 * 5.0 / 17.0 + 1.0) / 5.0),
        ),
        (
            "campaign: welcome-popup",
            (4, 4),
            (41.5, (861.0 - 225.0) / 19.0),
            (0.5, 7.0 / 19.0),
        ),
        (
            "campaign: cart-reminder",
            (1, 1),
            (19.0, (24.0 + 14.0) / 2.0),
            (1.0, 1.0),
        ),
        (
            "campaign: google-nonbrand",
            (5, 5),
            (35.2, (861.0 - 176.0) / 19.0),
            (0.4, 8.0 / 19.0),
        ),
        (
            "campaign: meta-prospecting",
            (5, 5),
            (31.6, (861.0 - 250.0) / 17.0),
            (0.2, 8.0 / 17.0),
        ),
        // g4 came through Facebook too, at warm: counted as a visitor, not compared.
        (
            "source / medium: facebook / paid_social",
            (6, 5),
            (31.6, (861.0 - 280.0) / 16.0),
            (0.2, 0.5),
        ),
        // The size guide, on g4's (4 → 30) and o4's (4 → 21) first visits.
        (
            "page: /pages/size-guide",
            (2, 2),
            ((26.0 + 17.0) / 2.0, (861.0 - 51.0) / 22.0),
            (0.0, 10.0 / 22.0),
        ),
    ];
    for (name, counts, changes, sqls) in cases {
        touch(&r, name, counts, changes, sqls);
    }
    // Ranked by difference.
    let ranked = names(&r["touchpoints"], "touchpoint");
    assert_eq!(
        &ranked[..3],
        [
            "event: quiz_complete",
            "page: /pages/fit-quiz",
            "campaign: meta-retargeting"
        ]
    );
    assert_eq!(ranked.last().unwrap(), "page: /pages/size-guide");
    assert_eq!(ranked.len(), 14);
    // The interval (where each group has two moments) brackets the difference.
    let quiz = row(&r["touchpoints"], "touchpoint", "page: /pages/fit-quiz");
    let (lo, hi) = (
        quiz["difference_interval"][0].as_f64().unwrap(),
        quiz["difference_interval"][1].as_f64().unwrap(),
    );
    assert!(lo < 20.25 && 20.25 < hi && hi - lo > 1.0, "{lo} {hi}");
    assert!(
        row(&r["touchpoints"], "touchpoint", "campaign: cart-reminder")["difference_interval"]
            .is_null()
    );
    assert!(r["limits"]
        .as_str()
        .unwrap()
        .starts_with("Observational, not a lift"));
}

#[test]
fn accelerators_leave_out_rare_touchpoints_and_say_what_the_comparison_is() {
    let o = on_store(&["accelerators", "--min-visitors", "5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("Observational, not a lift"), "{text}");
    // Had by 5 visitors or more: click-throughs, klaviyo / email, google-nonbrand, google / cpc,
    // meta-prospecting, facebook / paid_social.
    assert!(
        text.contains("6 touchpoints had by at least 5 visitors"),
        "{text}"
    );
    assert!(!text.contains("fit-quiz"));
    let o = on_store(&["accelerators", "--content", "blogs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("a path prefix starts with /"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn tiers_report_conversion_and_revenue_by_week() {
    let (r, _) = report("tiers", &[]);
    let rows = |key: &str| -> Vec<(String, String, u64, u64, f64)> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| {
                (
                    w["week"].as_str().unwrap().to_string(),
                    w["group"].as_str().unwrap().to_string(),
                    w["visitors"].as_u64().unwrap(),
                    w["buyers"].as_u64().unwrap(),
                    w["revenue"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let row =
        |w: &str, g: &str, v: u64, b: u64, rev: f64| (w.to_string(), g.to_string(), v, b, rev);
    // Week of 4 March: g1, m1, o1 and e1 bought (120 + 90 + 150 + 80), each scored just before
    // buying at SQL with a cart (high intent). m5 bought in the week of 25 March, 20 days after
    // its last visit: MQL (44), no event in the 7 days before, so intent none.
    assert_eq!(
        rows("by_stage"),
        [
            row("2024-03-04", "sql", 7, 4, 440.0),
            row("2024-03-04", "mql", 1, 0, 0.0),
            row("2024-03-04", "warm", 4, 0, 0.0),
            row("2024-03-04", "cold", 8, 0, 0.0),
            row("2024-03-25", "mql", 1, 1, 60.0),
        ]
    );
    assert_eq!(
        rows("by_intent"),
        [
            row("2024-03-04", "high", 12, 4, 440.0),
            row("2024-03-04", "low", 8, 0, 0.0),
            row("2024-03-25", "none", 1, 1, 60.0),
        ]
    );
    close(&r["by_stage"][0]["conversion"], 4.0 / 7.0, "sql conversion");
    close(
        &r["by_stage"][0]["revenue_per_visitor"],
        440.0 / 7.0,
        "sql revenue/visitor",
    );
}

/// Debian's Chromium, which `make test` installs; the test fails, not skips, without it.
fn chromium() -> PathBuf {
    let path =
        PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    assert!(
        path.exists(),
        "Chromium is not at {} (set CHROMIUM, or run `make install-deps`, which installs Debian's chromium)",
        path.display()
    );
    path
}

/// The page's DOM after Chromium has loaded and laid it out.
fn rendered(page: &Path) -> String {
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("Chromium starts");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(90) {
            let _ = child.kill();
            panic!("Chromium did not finish within 90 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    assert!(
        child.wait().unwrap().success(),
        "Chromium failed on {}",
        page.display()
    );
    out
}

/// The charts of a page as Chromium parsed them: each `<svg>` element's text.
fn charts(dom: &str) -> Vec<String> {
    dom.split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap().to_string())
        .collect()
}

#[test]
fn the_html_reports_render_their_charts_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("channels.html");
    let o = campaigns_with_spend(&["--html", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dom = rendered(&page);
    assert!(
        dom.contains("<h1>Leads by campaign"),
        "not the report: {}",
        &dom[..dom.len().min(400)]
    );
    let svgs = charts(&dom);
    assert_eq!(svgs.len(), 3, "SQL rate, CPA and score-by-day charts");
    assert!(svgs[0].contains("SQL rate by day 14 by campaign (95% interval)"));
    // One bar per campaign, each with its interval.
    for name in [
        "google-nonbrand (5)",
        "meta-prospecting (5)",
        "(organic) (4)",
        "welcome-popup (4)",
        "(direct) (2)",
    ] {
        assert!(svgs[0].contains(name), "{name} missing from the SQL chart");
    }
    assert!(svgs[0].matches("<rect").count() >= 5 && svgs[0].matches("<polyline").count() >= 5);
    assert!(svgs[1].contains("CPA for SQL by campaign"));
    assert!(svgs[1].contains("welcome-popup (2 SQLs)") && !svgs[1].contains("(organic)"));
    assert!(svgs[2].contains("Average score by day after the first event"));
    assert!(
        svgs[2].matches("<polyline").count() >= 5,
        "a line per campaign"
    );
    assert!(dom.contains("no cost in"));
    assert!(!dom.contains("chart not drawn"));

    let page = dir.path().join("accelerators.html");
    let o = on_store(&[
        "accelerators",
        "--min-visitors",
        "2",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dom = rendered(&page);
    let svgs = charts(&dom);
    assert_eq!(svgs.len(), 2, "score change and SQL charts");
    assert!(svgs[0].contains("Score change in 7 days: touchpoint minus same-stage baseline"));
    assert!(svgs[0].contains("page: /pages/fit-quiz (2)"));
    assert!(svgs[1].contains("Reached SQL in 7 days"));
    assert!(dom.contains("Observational, not a lift"));
    assert!(!dom.contains("chart not drawn"));
}
