//! The history commands end to end on small fixtures (tests/fixtures/): readers, evaluate,
//! calibrate, channels, the HTML report and the UCI mapping. Nothing here reads ../shared.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/cli.rs"]
mod cli;

use cli::{fixture, run, stderr};
use serde_json::Value;
use shopper_intent::cli::history::{replay, Cutoff};
use shopper_intent::cli::read::{Detail, Format, Reader};
use shopper_intent::core::characteristics;
use shopper_intent::core::{Config, Model};
use std::path::{Path, PathBuf};
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
    // Rules fired before the cut-off: site_visit, product_view and add_to_cart, not c's checkout.
    let fired = |o: &shopper_intent::cli::history::Outcome, rule: &str| {
        o.fired & (1 << shopper_intent::core::RuleId::from_name(rule).unwrap() as u32) != 0
    };
    assert!(fired(a, "site_visit") && fired(a, "product_view") && fired(a, "add_to_cart"));
    assert!(!fired(c, "begin_checkout"));
    // The characteristics at the cut-off: one cart, one view, 10 s on the product page.
    let value = |o: &shopper_intent::cli::history::Outcome, name: &str| {
        o.values[characteristics::index_of(name).unwrap()]
    };
    assert_eq!(value(a, "cart_adds"), 1.0);
    assert_eq!(value(a, "views_visit"), 1.0);
    assert!((value(a, "product_minutes_visit") - 10.0 / 60.0).abs() < 1e-12);
    assert_eq!(value(c, "cart_adds"), 0.0);
}

/// Writes `lines` to a file in a new temporary directory.
fn temp_log(name: &str, lines: &[String]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    (dir, path)
}

fn jsonl(visitor: &str, time: &str, event: &str, item: &str) -> String {
    format!(
        r#"{{"visitor":"{visitor}","time":"{time}","event":"{event}","items":[{{"item_id":"{item}","price":10}}]}}"#
    )
}

#[test]
fn buyers_with_nothing_before_the_purchase_are_left_out_and_both_classes_share_one_timing() {
    let (_dir, path) = temp_log(
        "log.jsonl",
        &[
            // A buyer whose first event is the purchase: nothing to score.
            jsonl("first", "2024-03-01T10:00:00Z", "purchase", "X"),
            // A buyer whose purchase comes 25 minutes after their one view, and a non-buyer.
            jsonl("late", "2024-03-01T10:00:00Z", "view_item", "Y"),
            jsonl("late", "2024-03-01T10:25:00Z", "purchase", "Y"),
            jsonl("other", "2024-03-01T10:00:00Z", "view_item", "Z"),
        ],
    );
    // A half-life of 0.01 days (14.4 minutes) would show any decay to the purchase time.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fast.json");
    std::fs::write(&config, r#"{"decay_half_life_days": 0.01}"#).unwrap();
    let o = run(&[
        "evaluate",
        "--json",
        "--config",
        config.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    let r = json(&o);
    assert_eq!(r["totals"]["left_out"].as_u64(), Some(1));
    assert_eq!(r["totals"]["left_out_buyers"].as_u64(), Some(1));
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(2), Some(1))
    );
    // Both score 4 right after their view: a tie, not a buyer decayed to 1.2 at the purchase.
    assert_eq!(r["roc_auc"].as_f64(), Some(0.5));
    assert_eq!(r["auc"]["tied_pairs"].as_f64(), Some(1.0));
    assert_eq!(r["auc"]["largest_tie"].as_f64(), Some(1.0));
    let text = run(&[
        "evaluate",
        "--config",
        config.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(
        text.contains("1 visitors with no event before their cut-off left out (1 of them buyers)"),
        "{text}"
    );
    assert!(
        text.contains("ties: 100.0% of buyer / non-buyer pairs score the same"),
        "{text}"
    );
}

#[test]
fn auc_comes_with_a_delong_interval_and_the_prefix_protocol_weighs_each_visitor_once() {
    let (r, _) = evaluate_json(&[], "four_visitors.jsonl");
    let auc = &r["auc"];
    assert_eq!(auc["auc"].as_f64(), Some(0.75));
    // Placements 1 and ½ for the buyers, ½ and 1 for the others: se = √(1/16 + 1/16).
    assert!((auc["se"].as_f64().unwrap() - 0.125f64.sqrt()).abs() < 1e-12);
    assert_eq!(auc["high"].as_f64(), Some(1.0), "clipped at 1");
    assert!(auc["low"].as_f64().unwrap() < 0.75);
    // Prefix: a at 4 and 19 points (½ each), b at 4 and 6 (½ each), c at 4, d at 2.
    // a outranks d and half of b's 4 (0.625), then everyone (1); c 0.625: (0.8125 + 0.625) / 2.
    let (r, _) = evaluate_json(&["--protocol", "prefix"], "four_visitors.jsonl");
    assert_eq!(r["prefix_auc"]["auc"].as_f64(), Some(0.71875));
    assert_eq!(
        r["roc_auc"].as_f64(),
        Some(0.75),
        "the cut-off AUC is still reported"
    );
    assert_eq!(r["protocol"], "prefix");
}

#[test]
fn each_visit_can_be_the_unit_with_the_visitors_earlier_history() {
    let (_dir, path) = temp_log(
        "visits.jsonl",
        &[
            jsonl("v", "2024-03-01T10:00:00Z", "view_item", "A"),
            jsonl("w", "2024-03-01T10:00:00Z", "view_item", "B"),
            jsonl("v", "2024-03-01T11:00:00Z", "view_item", "A"),
            jsonl("v", "2024-03-01T11:01:00Z", "purchase", "A"),
            jsonl("v", "2024-03-01T11:02:00Z", "view_item", "C"),
        ],
    );
    let model = Model::default();
    let h = replay(&path, None, &model, Cutoff::EachVisit, &mut |e| {
        panic!("{e}")
    })
    .unwrap();
    let units: Vec<(&str, u32, bool)> = h
        .outcomes
        .iter()
        .map(|o| (o.visitor.as_str(), o.visit, o.bought))
        .collect();
    assert_eq!(units, [("v", 1, false), ("v", 2, true), ("w", 1, false)]);
    // The second visit knows the first: a return visit within 7 days, and an earlier visit.
    let second = &h.outcomes[1];
    assert!(
        (second.snapshot.score - (4.0 + 9.0)).abs() < 0.01,
        "{}",
        second.snapshot.score
    );
    assert_eq!(
        second.values[characteristics::index_of("earlier_visits").unwrap()],
        1.0
    );
    // The view after the purchase is not part of the visit's verdict.
    assert_eq!(
        second.values[characteristics::index_of("views_visit").unwrap()],
        1.0
    );
    let o = run(&[
        "evaluate",
        "--json",
        "--unit",
        "visit",
        path.to_str().unwrap(),
    ]);
    let r = json(&o);
    assert_eq!(
        (r["visitors"].as_u64(), r["buyers"].as_u64()),
        (Some(3), Some(1))
    );
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
    let return_visit = shopper_intent::core::RuleId::ReturnVisit as u32;
    assert!(
        u1.fired & (1 << return_visit) != 0,
        "the return visit fired"
    );
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

/// A REES46 log of 600 visitors, one visit each, of 1 to 4 views. With `signal`, half of those
/// with one view buy and one in 11 of the others, which the default model (2 points a view)
/// ranks backwards; without, one in 7 of everyone buys.
fn shop_log(signal: bool) -> (tempfile::TempDir, PathBuf) {
    let mut lines = vec![
        "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"
            .to_string(),
    ];
    let time = |s: u64| {
        let (m, sec) = (s / 60, s % 60);
        format!("2019-10-01 {:02}:{:02}:{:02} UTC", m / 60, m % 60, sec)
    };
    for i in 0..600u64 {
        let views = i % 4 + 1;
        let mut t = i * 10;
        for v in 0..views {
            lines.push(format!(
                "{},view,{},1,,acme,20.00,{i},s{i}",
                time(t),
                100 + v
            ));
            t += 1;
        }
        let bought = if signal {
            (views == 1 && i % 8 == 0) || i % 11 == 1
        } else {
            i % 7 == 3
        };
        if bought {
            lines.push(format!(
                "{},purchase,100,1,,acme,20.00,{i},s{i}",
                time(t + 5)
            ));
        }
    }
    temp_log("shop.csv", &lines)
}

fn calibrate(path: &Path, out: &Path, extra: &[&str]) -> (Output, String) {
    let mut args = vec!["calibrate", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let o = run(&args);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    (o, text)
}

#[test]
fn calibrate_writes_a_scorecard_that_wins_its_folds_and_loads_in_the_core() {
    let (_dir, path) = shop_log(true);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.json");
    let (o, report) = calibrate(&path, &out, &[]);
    assert!(o.status.success(), "{report}{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    // As the browser reads it: Config::read over the JSON, then compile.
    let value: Value = serde_json::from_str(&text).unwrap();
    let model = Config::read(&value).unwrap().compile().unwrap();
    // One view carries the signal (as views_visit, or as an equivalent characteristic): in the
    // core, a visitor who has viewed one item outscores one who has viewed three.
    let score_after = |views: u64| {
        let mut p = shopper_intent::core::Profile::new("probe");
        for v in 0..views {
            let mut e = shopper_intent::core::Event::new(
                shopper_intent::core::EventKind::ViewItem,
                1_569_888_000_000 + v * 1000,
            );
            e.items.push(shopper_intent::core::Item {
                id: format!("{v}"),
                name: None,
                category: None,
                price: Some(20.0),
                quantity: 1.0,
            });
            p.track(&model, &e).unwrap();
        }
        p.snapshot(&model, 1_569_888_000_000 + views * 1000).score
    };
    assert!(
        score_after(1) >= score_after(3) + 20.0,
        "{} vs {}",
        score_after(1),
        score_after(3)
    );
    // Every row set's lowest bin is at 0 points.
    for (name, bins) in value["scorecard"]["bins"].as_object().unwrap() {
        let low = bins["points"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_f64)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(low, 0.0, "{name}");
    }
    let odds = &value["scorecard"]["odds"];
    assert_eq!(odds["pdo"].as_f64(), Some(10.0));
    assert!(odds["zero_points"].as_f64().unwrap() < 0.2);
    // Stages rise from above 0.
    assert!(model.stages[0] > model.stages[1] && model.stages[1] > model.stages[2]);
    assert!(model.stages[2] > 0.0);
    // Rules the card carries are replaced; rules that never fired are rescaled or left out,
    // never kept at their old points.
    let r = |name: &str| {
        model.rules[shopper_intent::core::RuleId::from_name(name).unwrap() as usize].points
    };
    assert_eq!((r("product_view"), r("site_visit")), (0.0, 0.0));
    assert!(
        report.contains("fired for 600 visitors; replaced by the card's characteristics"),
        "{report}"
    );
    // The default score ranks these visitors backwards: no scale to carry other rules over.
    assert_eq!(
        (r("add_to_cart"), r("begin_checkout")),
        (0.0, 0.0),
        "{report}"
    );
    assert!(
        report.contains("never fired here, and the current score does not predict buying"),
        "{report}"
    );
    assert!(
        report.contains("5-fold CV by visitor × 5 seeds"),
        "{report}"
    );
    let wins: usize = report
        .split("the card wins ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(wins >= 20, "{report}");
    assert!(
        report.contains("the core's scores equal the card's for 600 of 600 visitors"),
        "{report}"
    );
    assert!(
        report.contains("points → probability of buying (+10 points double the odds): 0 → "),
        "{report}"
    );
    assert!(report.contains("calibration slope"), "{report}");
    // The same seed gives the same config.
    let again = dir.path().join("again.json");
    let (o, _) = calibrate(&path, &again, &[]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // evaluate under the card: the card's probabilities are checked and charted.
    let html = dir.path().join("report.html");
    let o = run(&[
        "evaluate",
        "--json",
        "--config",
        out.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    let r = json(&o);
    let c = &r["calibration"];
    assert!(
        c["brier"].as_f64().unwrap() < c["base_brier"].as_f64().unwrap(),
        "{c}"
    );
    assert!(!c["deciles"].as_array().unwrap().is_empty());
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(
        page.matches("<svg").count(),
        4,
        "with the reliability chart"
    );
    assert!(page.contains("Reliability: predicted vs observed"));
}

#[test]
fn calibrate_does_not_write_a_card_that_does_not_win_unless_forced() {
    let (_dir, path) = shop_log(false);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("card.json");
    let (o, report) = calibrate(&path, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{report}{}", stderr(&o));
    assert!(report.contains("not written: the card wins"), "{report}");
    assert!(!out.exists());
    let html = dir.path().join("calibration.html");
    let (o, report) = calibrate(&path, &out, &["--force", "--html", html.to_str().unwrap()]);
    assert!(o.status.success(), "{report}");
    assert!(report.contains(", forced"), "{report}");
    assert!(load_model(&out).stages[2] > 0.0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("5-fold CV by visitor"));
}

fn load_model(path: &Path) -> Model {
    let value: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Config::read(&value).unwrap().compile().unwrap()
}

#[test]
fn drift_flags_a_characteristic_whose_distribution_moved() {
    let row = |t: u64, kind: &str, product: u64, user: u64| {
        format!(
            "2019-10-01 00:{:02}:{:02} UTC,{kind},{product},1,,acme,20.00,{user},s{user}",
            t / 60,
            t % 60
        )
    };
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session".to_string();
    // OLD: 40 visitors of one view each; NEW: 40 visitors of four views each.
    let mut old = vec![header.clone()];
    let mut new = vec![header];
    for u in 0..40 {
        old.push(row(u, "view", 100, u));
        for v in 0..4 {
            new.push(row(u * 4 + v, "view", 100 + v, u));
        }
    }
    let (_a, old_path) = temp_log("old.csv", &old);
    let (_b, new_path) = temp_log("new.csv", &new);
    let o = run(&[
        "drift",
        "--json",
        old_path.to_str().unwrap(),
        new_path.to_str().unwrap(),
    ]);
    let rows = json(&o);
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row("views_visit")["verdict"],
        "shifted",
        "{}",
        row("views_visit")
    );
    assert!(row("views_visit")["psi"].as_f64().unwrap() > 0.25);
    assert_eq!(row("cart_adds")["verdict"], "stable");
    assert_eq!(row("cart_adds")["psi"].as_f64(), Some(0.0));
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "score"));
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
fn uci_sessions_map_to_characteristics_and_events_without_an_invented_visit() {
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
    let get = |v: &str| h.outcomes.iter().find(|o| o.visitor == v).unwrap();
    let value = |v: &str, name: &str| get(v).values[characteristics::index_of(name).unwrap()];
    // New visitor, 3 product pages 20 minutes apart: site_visit 2 + 3 × 2, barely decayed.
    assert_eq!(get("uci-2").snapshot.score, 7.99);
    assert_eq!(value("uci-2", "views_visit"), 3.0);
    assert_eq!(value("uci-2", "product_minutes_visit"), 60.0);
    assert_eq!(value("uci-2", "month"), 2.0);
    assert_eq!(value("uci-2", "earlier_visits"), 0.0);
    // Returning: no earlier visit is invented (no return_visit points), but the row says it.
    assert!(
        (get("uci-3").snapshot.score - 12.0).abs() < 0.01,
        "{}",
        get("uci-3").snapshot.score
    );
    assert_eq!(value("uci-3", "earlier_visits"), 1.0);
    assert_eq!(value("uci-3", "other_pages_visit"), 2.0);
    assert_eq!(value("uci-3", "info_pages_visit"), 1.0);
    assert!((value("uci-3", "info_minutes_visit") - 10.0 / 60.0).abs() < 1e-12);
    assert!((value("uci-3", "visit_minutes") - 100.0 / 60.0).abs() < 1e-12);
    assert_eq!(value("uci-3", "month"), 11.0);
    assert_eq!(
        get("uci-3").snapshot.intent.name(),
        "high",
        "5 product views in 40 s"
    );
    assert_eq!(
        get("uci-4").snapshot.score,
        2.0,
        "a session with no page counted still had a hit"
    );
    // UCI rows have no events in between to score with the prefix protocol.
    let o = run(&[
        "evaluate",
        "--protocol",
        "prefix",
        fixture("uci/sessions.csv").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("UCI rows are session totals"),
        "{}",
        stderr(&o)
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
