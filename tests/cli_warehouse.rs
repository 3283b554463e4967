//! The warehouse readers end to end on fixtures written from the public specs
//! (tests/fixtures/warehouse/): the same three visitors' journeys as canonical JSON Lines, as
//! GA4's BigQuery export (two daily files, one gzipped; and as Parquet), as Shopify Web Pixels
//! events and as Segment calls, each with its own unknown events and bad rows.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::path::{Path, PathBuf};

#[path = "support/cli.rs"]
mod support;
use support::{run, stderr};

/// Stdout of a run that succeeded.
fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    support::stdout(o)
}

fn fixture(name: &str) -> PathBuf {
    support::fixture(&format!("warehouse/{name}"))
}

/// The GA4 fixture as one Parquet file, written by `synth --ga4-json` with BigQuery's schema.
fn ga4_parquet(dir: &Path) -> PathBuf {
    let day1 = std::fs::read_to_string(fixture("ga4/events_20240501.json")).unwrap();
    let mut day2 = String::new();
    let gz = std::fs::File::open(fixture("ga4/events_20240502.json.gz")).unwrap();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut day2).unwrap();
    let json = dir.join("ga4.json");
    std::fs::write(&json, day1 + &day2).unwrap();
    let parquet = dir.join("events_20240501.parquet");
    let o = run(&[
        "synth",
        "--ga4-json",
        json.to_str().unwrap(),
        "--parquet",
        parquet.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The one row the export's schema cannot hold (a text timestamp) is reported and skipped.
    assert!(stderr(&o).contains("line 6: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("wrote"), "{}", stderr(&o));
    parquet
}

#[test]
fn every_format_gives_the_canonical_scores() {
    let want = ok(&run(&[
        "score",
        fixture("journeys.jsonl").to_str().unwrap(),
    ]));
    assert_eq!(want.lines().count(), 3);
    let dir = tempfile::tempdir().unwrap();
    let parquet = ga4_parquet(dir.path());
    let glob = fixture("ga4").join("events_2024050*");
    for input in [
        fixture("ga4"),
        glob,
        parquet,
        fixture("shopify.jsonl"),
        fixture("segment.jsonl"),
    ] {
        // No --format: each is told from its first record.
        let got = ok(&run(&["score", input.to_str().unwrap()]));
        assert_eq!(got, want, "{}", input.display());
    }
}

#[test]
fn bad_rows_name_their_file_and_line_and_are_skipped() {
    let o = run(&["score", fixture("ga4").to_str().unwrap()]);
    let err = stderr(&o);
    let day1 = fixture("ga4/events_20240501.json");
    let day1 = day1.display();
    for expected in [
        format!("{day1}: line 6: `event_timestamp` must be microseconds since the epoch (an integer or its string); skipped"),
        format!("{day1}: line 9: view_item: items is missing or empty; this event needs at least one item; skipped"),
        format!("{day1}: line 10: neither `user_pseudo_id` nor `user_id` is set; skipped"),
        "read 18 lines: 11 events scored for 3 visitors; 4 unknown events ignored; 3 bad lines and 0 out-of-order events skipped".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\n in\n{err}");
    }

    let dir = tempfile::tempdir().unwrap();
    let err = stderr(&run(&["score", ga4_parquet(dir.path()).to_str().unwrap()]));
    assert!(
        err.contains("row 8: view_item: items is missing or empty"),
        "{err}"
    );
    assert!(
        err.contains("row 9: neither `user_pseudo_id` nor `user_id` is set; skipped"),
        "{err}"
    );

    for (file, expected) in [
        (
            "shopify.jsonl",
            [
                "line 6: view_item: items is missing or empty",
                "line 7: `clientId` is missing or not a non-empty string; skipped",
                "1 unknown events ignored; 2 bad lines",
            ],
        ),
        (
            "segment.jsonl",
            [
                "line 7: add_to_cart: items[0].price must be a number, not a string; skipped",
                "line 9: neither `anonymousId` nor `userId` is set; skipped",
                "2 unknown events ignored; 2 bad lines",
            ],
        ),
    ] {
        let err = stderr(&run(&["score", fixture(file).to_str().unwrap()]));
        for e in expected {
            assert!(err.contains(e), "{file}: {e}\n in\n{err}");
        }
    }
}

#[test]
fn campaigns_beside_the_url_reach_the_channel() {
    let table = |input: &Path| -> Value {
        let o = run(&["channels", "--json", input.to_str().unwrap()]);
        let mut t: Value = serde_json::from_str(&ok(&o)).unwrap();
        // What was read differs (each format has its own bad rows and unknown events).
        t.as_object_mut()
            .unwrap()
            .retain(|k, _| k != "file" && k != "totals");
        t
    };
    let want = table(&fixture("journeys.jsonl"));
    let channels: Vec<&str> = want["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    // GA4's collected_traffic_source and Segment's context.campaign become utm_* on the landing.
    assert_eq!(channels, ["Paid Search", "Organic Search", "Email"]);
    for input in ["ga4", "shopify.jsonl", "segment.jsonl"] {
        assert_eq!(table(&fixture(input)), want, "{input}");
    }
}

#[test]
fn evaluate_reads_a_glob_of_daily_files_and_a_wrong_format_is_refused() {
    let glob = fixture("ga4").join("events_*.json*");
    let o = run(&[
        "evaluate",
        "--json",
        "--format",
        "ga4",
        glob.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_str(&ok(&o)).unwrap();
    assert_eq!(report["format"], "ga4");
    assert_eq!(
        (report["visitors"].as_u64(), report["buyers"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(report["totals"]["bad_rows"].as_u64(), Some(3));
    assert_eq!(report["totals"]["unknown"].as_u64(), Some(4));

    let none = fixture("ga4").join("events_1999*");
    let o = run(&["score", none.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("names no file"), "{}", stderr(&o));

    // Shopify events read as Segment calls: every row is bad, and says why.
    let o = run(&[
        "score",
        "--format",
        "segment",
        fixture("shopify.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 1: neither `anonymousId` nor `userId` is set; skipped"),
        "{}",
        stderr(&o)
    );
}

/// The lines of `file` cut into files of uneven sizes in a new folder, so that a reader of the
/// folder ends its chunks elsewhere than a reader of the file.
fn split(file: &Path, folder: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::create_dir(folder).unwrap();
    let mut rest = &lines[..];
    for (n, size) in [1, 7_919, 13, 10_007, usize::MAX].into_iter().enumerate() {
        let (part, after) = rest.split_at(size.min(rest.len()));
        std::fs::write(
            folder.join(format!("part-{n}.jsonl")),
            part.join("\n") + "\n",
        )
        .unwrap();
        rest = after;
    }
}

/// A JSON report without its `file`, which names the input.
fn without_file(report: &str) -> Value {
    let mut r: Value = serde_json::from_str(report).unwrap();
    r.as_object_mut().unwrap().remove("file");
    r
}

#[test]
fn every_replay_gives_the_one_thread_results_for_any_threads_and_chunking() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let o = run(&[
        "synth",
        "--events",
        "30000",
        "--visitors",
        "400",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // calibrate fits a card in folds, slow in the debug build: a smaller log.
    let small = dir.path().join("small");
    let o = run(&[
        "synth",
        "--events",
        "10000",
        "--visitors",
        "300",
        "--out",
        small.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let small = small.join("events.jsonl");
    let taobao = support::fixture("taobao_small.csv");
    let jsonl = dir.path().join("events.jsonl");
    let parquet = dir.path().join("events.parquet");
    // A store with campaigns, content and weeks, for the attribution players.
    let store = support::fixture("attribution/store.jsonl");
    let config = support::fixture("attribution/config.json");
    let config = config.to_str().unwrap();
    let calibrated = dir.path().join("calibrated.json");
    let calibrated = calibrated.to_str().unwrap();
    let cases: [(&str, &[&str], &Path); 9] = [
        ("evaluate", &[], &jsonl),
        // Out of order within users: held, sorted, and the peak held counted exactly.
        ("evaluate", &[], &taobao),
        ("channels", &[], &parquet),
        ("tiers", &[], &jsonl),
        // Two replays (current model, then the fitted one on the held-out visitors).
        ("calibrate", &["--out", calibrated], &small),
        (
            "channels",
            &["--by", "campaign", "--config", config],
            &store,
        ),
        (
            "accelerators",
            &["--min-visitors", "1", "--config", config],
            &store,
        ),
        ("tiers", &["--config", config], &store),
        ("evaluate", &["--horizon", "1h", "--config", config], &store),
    ];
    for (command, args, input) in cases {
        let at = |threads: &str| {
            let mut all = vec![command, "--threads", threads];
            all.extend_from_slice(args);
            if command != "calibrate" {
                all.push("--json");
            }
            all.push(input.to_str().unwrap());
            let mut report = ok(&run(&all));
            if command == "calibrate" {
                // Its last line ends with how long it took.
                let end = report.trim_end().rfind("; ").unwrap();
                report.truncate(end);
                report += &std::fs::read_to_string(calibrated).unwrap();
            }
            report
        };
        let one = at("1");
        assert!(one.len() > 200, "{one}");
        for threads in ["2", "3", "8"] {
            assert_eq!(
                at(threads),
                one,
                "{command} {args:?} {} with {threads} threads",
                input.display()
            );
        }
    }
    // The same log as one file and as a folder of unevenly cut files: other chunks, same results.
    let folder = dir.path().join("split");
    split(&jsonl, &folder);
    for command in ["evaluate", "channels", "tiers"] {
        let report = |input: &Path, threads: &str| {
            let o = run(&[
                command,
                "--json",
                "--threads",
                threads,
                input.to_str().unwrap(),
            ]);
            without_file(&ok(&o))
        };
        assert_eq!(
            report(&folder, "3"),
            report(&jsonl, "1"),
            "{command} of the split log"
        );
    }
    // The same events as JSON Lines and as GA4 Parquet evaluate alike.
    let report = |input: &Path| -> Value {
        let mut r: Value =
            serde_json::from_str(&ok(&run(&["evaluate", "--json", input.to_str().unwrap()])))
                .unwrap();
        r.as_object_mut()
            .unwrap()
            .retain(|k, _| k != "file" && k != "format");
        r
    };
    assert_eq!(report(&jsonl), report(&parquet));
}
