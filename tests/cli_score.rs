//! `shopper-intent score` through the real binary.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn score(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopper-intent"))
        .arg("score")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("it finishes")
}

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

const WORKED: &str = "tests/fixtures/worked_example.jsonl";

#[test]
fn the_worked_example_gives_scoring_md_s_table() {
    // Row by row: score, stage and intent after each event of SCORING.md's table.
    let text = std::fs::read_to_string(WORKED).expect("fixture");
    let rows: Vec<&str> = text.lines().collect();
    let expected = [
        (4.0, "cold", "low"),
        (6.0, "cold", "low"),
        (13.0, "cold", "high"),
        (28.0, "warm", "high"),
        (53.0, "mql", "high"),
        (57.0, "mql", "high"),
        (65.0, "sql", "high"),
    ];
    for (n, (want, stage, intent)) in expected.iter().enumerate() {
        let input = rows[..=n].join("\n");
        let out = score(&[], &input);
        assert!(out.status.success());
        let v = &lines(&out)[0];
        assert!(
            (v["score"].as_f64().unwrap() - want).abs() <= 0.05,
            "row {n}: {v}"
        );
        assert_eq!(
            (v["stage"].as_str().unwrap(), v["intent"].as_str().unwrap()),
            (*stage, *intent),
            "row {n}"
        );
    }
    let out = score(&[WORKED], "");
    let v = &lines(&out)[0];
    assert_eq!(v["visitor"], "w");
    assert_eq!(v["value"], 149.0);
    assert_eq!(v["high_value"], false);
    assert_eq!(v["visits"], 2);
    assert_eq!(v["signals"].as_array().unwrap().len(), 11);
    assert_eq!(v["signals"][4]["rule"], "repeat_product_view");
}

#[test]
fn at_scores_at_a_later_time() {
    let out = score(&["--at", "2026-02-14T10:08:00Z", WORKED], "");
    let v = &lines(&out)[0];
    assert_eq!(
        (
            v["score"].as_f64().unwrap(),
            v["stage"].as_str().unwrap(),
            v["intent"].as_str().unwrap()
        ),
        (-5.1, "cold", "none")
    );
}

#[test]
fn bad_lines_are_reported_with_their_number_and_skipped() {
    let input = [
        r#"{"visitor":"a","time":1767607200000,"event":"page_view","page_location":"https://s.example/"}"#,
        r#"not json"#,
        r#"{"visitor":"a","time":"yesterday","event":"page_view"}"#,
        r#"{"visitor":"a","time":1767607260000,"event":"add_to_cart","items":[{"item_id":"A","price":-3}]}"#,
        r#"{"visitor":"a","time":1767600000000,"event":"page_view"}"#,
        r#"{"visitor":"b","time":1767607200000,"event":"gtm.js"}"#,
        r#"{"time":1767607200000,"event":"page_view"}"#,
    ]
    .join("\n");
    let out = score(&[], &input);
    assert!(
        out.status.success(),
        "bad lines alone do not fail without --strict"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2: not JSON:"), "{err}");
    assert!(
        err.contains(
            r#"line 3: time "yesterday" is neither RFC 3339 nor epoch milliseconds; skipped"#
        ),
        "{err}"
    );
    assert!(
        err.contains("line 4: add_to_cart: items[0].price is negative; skipped"),
        "{err}"
    );
    assert!(
        err.contains(
            "line 5: event at 1767600000000 ms is earlier than this visitor's previous event"
        ),
        "{err}"
    );
    assert!(
        err.contains("line 7: `visitor` is missing; skipped"),
        "{err}"
    );
    assert!(err.contains("read 7 lines: 1 events scored for 2 visitors; 1 unknown events ignored; 4 bad lines and 1 out-of-order events skipped"), "{err}");
    let out_lines = lines(&out);
    assert_eq!(out_lines.len(), 2);
    assert_eq!(
        out_lines[0]["score"], 2.0,
        "the bad add_to_cart left no trace"
    );

    let strict = score(&["--strict"], &input);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn no_readable_event_is_a_failure() {
    let out = score(&[], "garbage\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no event could be read"));
}

#[test]
fn visitors_may_interleave_and_gzip_is_read() {
    let text = std::fs::read_to_string(WORKED).expect("fixture");
    let mut mixed = String::new();
    for (i, line) in text.lines().enumerate() {
        mixed.push_str(line);
        mixed.push('\n');
        mixed.push_str(&format!("{{\"visitor\":\"other\",\"time\":{},\"event\":\"view_item\",\"items\":[{{\"item_id\":\"Z{i}\"}}]}}\n", 1_767_607_200_000_u64 + i as u64));
    }
    let path = std::env::temp_dir().join(format!("si-mixed-{}.jsonl.gz", std::process::id()));
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(mixed.as_bytes()).unwrap();
    gz.finish().unwrap();
    let out = score(&[path.to_str().unwrap()], "");
    std::fs::remove_file(&path).ok();
    let v = lines(&out);
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[0]["visitor"].as_str(), v[0]["score"].as_f64()),
        (Some("w"), Some(65.0))
    );
    assert_eq!(v[1]["visitor"], "other");
}

#[test]
fn a_bad_config_is_a_clear_error() {
    let path = std::env::temp_dir().join(format!("si-bad-config-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"stages": {"sql": "high"}}"#).unwrap();
    let out = score(&["--config", path.to_str().unwrap(), WORKED], "");
    std::fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config field `stages.sql`: must be a finite number, not a string"),
        "{err}"
    );
}
