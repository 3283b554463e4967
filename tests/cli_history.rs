//! The history commands end to end on small fixtures (tests/fixtures/): readers, evaluate,
//! calibrate, channels, the HTML report and the UCI mapping. Nothing here reads ../shared.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/cli.rs"]
mod cli;

use cli::{fixture, run, stderr};
use serde_json::Value;
use shopper_intent::cli::history::{replay, Cutoff};
use shopper_intent::cli::read::{Detail, Format, Reader};
use shopper_intent::core::{Config, Model};
use std::path::Path;
use std::process::Output;

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

fn evaluate_json(extra: &[&str], file: &str) -> (Value, String) {
    let path = fixture(file);
    let mut args = vec!["evaluate", "--json"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let o = run(&args);
    (json(&o), stderr(&o))
}

fn group<'a>(report: &'a Value, table: &str, name: &str) -> &'a Value {
    report[table]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap()
}

#[test]
fn four_visitors_give_an_auc_of_three_quarters() {
    // Buyers a (19 points) and c (4); non-buyers b (6) and d (2): 3 of 4 pairs are in order.
    let (r, _) = evaluate_json(&[], "four_visitors.jsonl");
    assert_eq!(r["format"], "jsonl");
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(r["roc_auc"].as_f64(), Some(0.75));
    let ap = r["pr_auc"].as_f64().unwrap();
    assert!((ap - 5.0 / 6.0).abs() < 1e-9, "{ap}");
    // Youden's J ties at 0.5 for ≥ 19 and ≥ 4: the higher threshold is reported.
    assert_eq!(r["best_threshold"]["threshold"].as_f64(), Some(19.0));
    assert_eq!(group(&r, "by_stage", "cold")["visitors"].as_u64(), Some(4));
    assert_eq!(group(&r, "by_intent", "high")["buyers"].as_u64(), Some(1));
    // Low intent: b, c and d, of whom c bought: 1/3 against a base rate of 1/2.
    assert_eq!(
        group(&r, "by_intent", "low")["lift"].as_f64(),
        Some(1.0 / 3.0 / 0.5)
    );
    assert_eq!(r["base_rate"].as_f64(), Some(0.5));
}

#[test]
fn the_cut_off_keeps_the_purchase_own_add_to_cart_and_nothing_after() {
    let model = Model::default();
    let h = replay(
        &fixture("four_visitors.jsonl"),
        None,
        &model,
        Cutoff::FirstPurchase { horizon_ms: 0 },
        &mut |e| panic!("{e}"),
    )
    .unwrap();
    let a = h.outcomes.iter().find(|o| o.visitor == "a").unwrap();
    // view 4 + add_to_cart 15 before the purchase; the add_to_cart after it is not seen.
    assert_eq!(a.snapshot.score, 19.0);
    assert!(a.bought);
    let c = h.outcomes.iter().find(|o| o.visitor == "c").unwrap();
    assert_eq!(
        c.snapshot.score, 4.0,
        "begin_checkout after the purchase leaked"
    );
    // Signals are per rule: a fired site_visit, product_view and add_to_cart once each.
    assert_eq!(a.signals[0].round(), 1.0);
    assert_eq!(a.signals[4].round(), 1.0);
    assert_eq!(a.signals[5], 0.0);
}

#[test]
fn a_horizon_leaves_out_visitors_not_yet_seen() {
    // Every fixture visitor is younger than one day at their cut-off.
    let path = fixture("four_visitors.jsonl");
    let o = run(&[
        "evaluate",
        "--json",
        "--horizon",
        "1d",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["totals"]["left_out"].as_u64(), Some(4));
    // 20 seconds: a (seen 40 s before buying), b (20 s of history) and c (30 s before buying)
    // are scoreable; d's one event leaves no history 20 s before its end.
    let (r, _) = evaluate_json(&["--horizon", "20s"], "four_visitors.jsonl");
    assert_eq!(r["visitors"].as_u64(), Some(3));
    assert_eq!(r["totals"]["left_out"].as_u64(), Some(1));
    // a at 10:00:20 has its view and cart (19); b at 10:00:00 only its first view (4).
    assert_eq!(r["best_threshold"]["threshold"].as_f64(), Some(19.0));
    assert_eq!(r["roc_auc"].as_f64(), Some(0.75));
}

#[test]
fn fixed_time_labels_purchases_in_the_window() {
    // At 10:00:35 everyone but nobody-yet is seen; a buys 5 s later, c 25 s later.
    let (r, _) = evaluate_json(
        &["--at", "2024-03-01T10:00:35Z", "--label-days", "0.0003"],
        "four_visitors.jsonl",
    );
    // 0.0003 days = 25.92 s: both a (+5 s) and c (+25 s) are in the window.
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(4), Some(2))
    );
    let (r, _) = evaluate_json(
        &["--at", "2024-03-01T10:00:35Z", "--label-days", "0.0001"],
        "four_visitors.jsonl",
    );
    assert_eq!(r["buyers"].as_u64(), Some(1), "only a buys within 8.64 s");
}

#[test]
fn rees46_rows_map_to_ga4_and_bad_rows_name_line_and_column() {
    let (r, err) = evaluate_json(&["--format", "rees46"], "rees46_small.csv");
    assert!(
        err.contains("line 4, column price: \"abc\" is not a number; skipped"),
        "{err}"
    );
    assert!(err.contains("line 12, column event_time:"), "{err}");
    let t = &r["totals"];
    assert_eq!(t["bad_rows"].as_u64(), Some(2));
    assert_eq!(t["unknown"].as_u64(), Some(1), "the `wave` event");
    assert_eq!(t["events"].as_u64(), Some(9));
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(3), Some(1))
    );
    // The buyer: view 4 + cart 15 (the second cart of the same item in the visit adds nothing).
    assert_eq!(r["roc_auc"].as_f64(), Some(1.0));
    assert_eq!(r["best_threshold"]["threshold"].as_f64(), Some(19.0));
}

#[test]
fn the_reader_streams_rees46_events_with_items_and_prices() {
    let mut reader = Reader::open(Some(&fixture("rees46_small.csv")), None, Detail::Full).unwrap();
    assert_eq!(reader.format(), Format::Rees46);
    let first = reader.next().unwrap().unwrap();
    assert_eq!((first.line, first.visitor), (2, "7"));
    let event = first.event.unwrap();
    assert_eq!(event.kind.name(), "view_item");
    assert_eq!(event.items[0].id, "100");
    assert_eq!(
        event.items[0].category.as_deref(),
        Some("electronics.smartphone")
    );
    assert_eq!(event.items[0].price, Some(250.0));
    assert_eq!(event.time_ms, 1_569_888_000_000);
    let second = reader.next().unwrap().unwrap();
    assert_eq!(
        second.event.unwrap().items[0].category,
        None,
        "empty category_code"
    );
    let bad = reader.next().unwrap().unwrap_err();
    assert_eq!((bad.line, bad.column.as_deref()), (4, Some("price")));
}

#[test]
fn taobao_events_out_of_order_within_a_user_are_sorted() {
    let model = Model::default();
    let mut bad = Vec::new();
    let h = replay(
        &fixture("taobao_small.csv"),
        Some(Format::Taobao),
        &model,
        Cutoff::FirstPurchase { horizon_ms: 0 },
        &mut |e| bad.push(e.to_string()),
    )
    .unwrap();
    assert_eq!(
        bad,
        ["line 9, column timestamp: \"yesterday\" is not Unix seconds"]
    );
    assert_eq!(h.totals.reordered_visitors, 1);
    assert_eq!(h.totals.peak_held_events, 5);
    assert_eq!(h.totals.out_of_order, 0);
    let u1 = h.outcomes.iter().find(|o| o.visitor == "1").unwrap();
    // Sorted: a visit 27.8 h earlier (4 points, decayed), then a return visit 2 + 5 + 2,
    // fav 8, cart 15; the buy is the cut-off.
    let early = 4.0 * 0.5f64.powf(100_300.0 / (14.0 * 86_400.0));
    let expected =
        ((early + 9.0 * 0.5f64.powf(300.0 / (14.0 * 86_400.0)) + 23.0) * 100.0).round() / 100.0;
    assert!(
        (u1.snapshot.score - expected).abs() < 0.011,
        "{} vs {expected}",
        u1.snapshot.score
    );
    assert!(u1.bought);
    assert_eq!(u1.signals[1].round(), 1.0, "the return visit fired");
    assert_eq!(h.outcomes.len(), 3);
}

#[test]
fn gzip_input_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("four.jsonl.gz");
    let raw = std::fs::read(fixture("four_visitors.jsonl")).unwrap();
    let mut enc = flate2_writer(&gz);
    std::io::Write::write_all(&mut enc, &raw).unwrap();
    enc.finish().unwrap();
    let o = run(&["evaluate", "--json", gz.to_str().unwrap()]);
    assert_eq!(json(&o)["roc_auc"].as_f64(), Some(0.75));
}

fn flate2_writer(path: &Path) -> flate2::write::GzEncoder<std::fs::File> {
    flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::default(),
    )
}

#[test]
fn the_html_report_is_one_page_with_three_svg_charts() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let path = fixture("four_visitors.jsonl");
    let o = run(&[
        "evaluate",
        "--html",
        html.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert_eq!(page.matches("<svg").count(), 3, "three charts");
    assert!(page.contains("ROC curve (AUC 0.750)"));
    assert!(page.contains("Score at the cut-off: buyers vs others"));
    assert!(page.contains("Conversion by stage"));
    assert!(!page.contains("<script"), "self-contained, no script");
    assert!(!page.contains("chart not drawn"));
    // The terminal report prints too.
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ROC AUC 0.750"), "{text}");
}

#[test]
fn calibrate_writes_a_config_that_loads_and_compiles() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.json");
    let path = fixture("uci/online_shoppers_intention.csv.gz");
    let o = run(&[
        "calibrate",
        "--format",
        "uci",
        "--seed",
        "7",
        "--out",
        out.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    // As the browser reads it: Config::read over the JSON, then compile.
    let value: Value = serde_json::from_str(&text).unwrap();
    let model = Config::read(&value).unwrap().compile().unwrap();
    let default = Model::default();
    assert_ne!(model.rules, default.rules, "points were fitted");
    assert!(model.stages[0] > model.stages[1] && model.stages[1] > model.stages[2]);
    // Rules the sessions never fire keep their points.
    let r = |m: &Model, name: &str| {
        m.rules[shopper_intent::core::RuleId::from_name(name).unwrap() as usize].points
    };
    assert_eq!(r(&model, "begin_checkout"), r(&default, "begin_checkout"));
    // Product views predict buying in this data; returning visitors buy less.
    assert!(r(&model, "product_view") > 0.0);
    assert!(r(&model, "return_visit") <= 0.0);
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(report.contains("held out"), "{report}");
    assert!(report.contains("old points  new points"), "{report}");
    // The same seed gives the same config.
    let again = dir.path().join("again.json");
    let o = run(&[
        "calibrate",
        "--seed",
        "7",
        "--out",
        again.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn calibrated_scores_equal_the_engine_scores() {
    // Σ points × decayed signals must be the core's own score under any points table.
    use shopper_intent::cli::calibrate::score;
    let model = Model::default();
    let h = replay(
        &fixture("taobao_small.csv"),
        None,
        &model,
        Cutoff::FirstPurchase { horizon_ms: 0 },
        &mut |_| {},
    )
    .unwrap();
    let mut points = [0.0; 17];
    for (i, r) in model.rules.iter().enumerate() {
        points[i] = r.points;
    }
    for o in &h.outcomes {
        assert!(
            (score(&points, o) - o.snapshot.score).abs() < 0.011,
            "{}",
            o.visitor
        );
    }
}

#[test]
fn channels_report_first_touch_from_utm_and_referrer() {
    let path = fixture("channels.datalayer.jsonl");
    let o = run(&["channels", "--json", path.to_str().unwrap()]);
    let report = json(&o);
    assert!(
        stderr(&o).contains("line 14: add_to_cart: items is missing or empty"),
        "{}",
        stderr(&o)
    );
    let rows = &report["rows"];
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    let email = row("Email");
    // view 4 + email click-through 5 + two carts 30 + checkout 25 = 64: SQL before buying.
    assert_eq!(email["sql_rate"].as_f64(), Some(1.0));
    assert_eq!(email["sql_conversion"].as_f64(), Some(1.0));
    assert!((email["average_score"].as_f64().unwrap() - 32.0).abs() < 0.01);
    assert_eq!(email["revenue_per_visitor"].as_f64(), Some(170.0));
    let ads = row("Paid Search");
    assert_eq!(
        (ads["sql_rate"].as_f64(), ads["other_conversion"].as_f64()),
        (Some(0.0), Some(0.0))
    );
    // The organic visitor buys on day 19: after day 14, still a conversion.
    let organic = row("Organic Search");
    assert_eq!(organic["other_conversion"].as_f64(), Some(1.0));
    assert!((organic["average_score"].as_f64().unwrap() - 2.0).abs() < 0.01);
    assert_eq!(
        row("(no landing page)")["visitors"].as_u64(),
        Some(1),
        "no page_location"
    );
    assert_eq!(rows.as_array().unwrap().len(), 4);
}

#[test]
fn channels_say_when_a_format_has_no_channel_data() {
    let path = fixture("rees46_small.csv");
    let o = run(&["channels", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("rees46 logs carry no page_location or referrer"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn uci_sessions_map_to_model_signals() {
    let (r, err) = evaluate_json(&[], "uci/sessions.csv");
    assert_eq!(r["format"], "uci");
    assert!(
        err.contains("line 5, column ProductRelated: \"x\" is not a page count"),
        "{err}"
    );
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(r["roc_auc"].as_f64(), Some(1.0));
    // PageValues is only reported as a reference: 30.5 for the buyer, 0 for the others.
    assert_eq!(r["page_values_auc"].as_f64(), Some(1.0));
    let model = Model::default();
    let h = replay(
        &fixture("uci/sessions.csv"),
        None,
        &model,
        Cutoff::FirstPurchase { horizon_ms: 0 },
        &mut |_| {},
    )
    .unwrap();
    let score = |v: &str| h.outcomes.iter().find(|o| o.visitor == v).unwrap().snapshot;
    // New visitor, 3 product pages 20 minutes apart: site_visit 2 + 3 × 2, barely decayed.
    assert_eq!(score("uci-2").score, 7.99);
    // Returning: the earlier visit (2, decayed 3 days) + site_visit 2 + return_visit 5 + 5 views × 2.
    let earlier = 2.0 * 0.5f64.powf(3.0 / 14.0);
    assert!(
        (score("uci-3").score - (earlier + 17.0)).abs() < 0.01,
        "{}",
        score("uci-3").score
    );
    assert_eq!(
        score("uci-3").intent.name(),
        "high",
        "5 product views in 50 s"
    );
    assert_eq!(
        score("uci-4").score,
        2.0,
        "a session with no page counted still had a hit"
    );
}

#[test]
fn the_full_uci_file_ships_gzipped_and_reads_whole() {
    let (r, err) = evaluate_json(&[], "uci/online_shoppers_intention.csv.gz");
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(12_330), Some(1_908))
    );
    assert_eq!(r["totals"]["bad_rows"].as_u64(), Some(0));
}

#[test]
fn a_bad_format_or_stdin_gets_a_clear_error() {
    let path = fixture("uci/sessions.csv");
    let o = run(&["evaluate", "--format", "taobao", path.to_str().unwrap()]);
    // Every row fails as Taobao: named, skipped, and no visitor left.
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 2: the row has 18 columns; taobao rows have 5; skipped"),
        "{}",
        stderr(&o)
    );
    let o = run(&["evaluate", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("give a file, not stdin"),
        "{}",
        stderr(&o)
    );
}
