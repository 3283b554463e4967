//! Runs the JSON test vectors of `tests/vectors/` against the core. Shared by the native test
//! and the browser test: it touches no files, and event decoding is passed in, so the browser run
//! decodes real JS objects and the native run decodes JSON.
//!
//! A vector file is `{"description", "cases": [{"name", "config"?, "events": [...], "checks"?: [...]}]}`.
//! Each event is a canonical line (`{"t": "d2 10:07", "event": NAME, ...GA4 params}`) with an
//! optional `"expect"`, checked right after it; `checks` are `{"t", "expect"}` at later times.
//! Times are `dN HH:MM[:SS]`: day N after 2026-01-05 00:00 UTC.

use serde_json::Value;
use shopper_intent::core::{characteristics, Config, Error, Event, Model, Profile};

/// 2026-01-05T00:00:00Z.
pub const BASE_MS: u64 = 1_767_571_200_000;

/// How a runner turns JSON text into core inputs.
pub trait Decoder {
    /// Decodes event `name` at `time_ms` from the JSON text of its params.
    fn event(&self, json: &str, name: &str, time_ms: u64) -> Result<Option<Event>, Error>;
    /// Reads a config from its JSON text.
    fn config(&self, json: &str) -> Result<Config, Error>;
}

/// Every vector file, embedded.
pub const VECTORS: &[(&str, &str)] = &[
    (
        "worked_example",
        include_str!("../vectors/worked_example.json"),
    ),
    ("event_rules", include_str!("../vectors/event_rules.json")),
    (
        "off_site_rules",
        include_str!("../vectors/off_site_rules.json"),
    ),
    (
        "conditions_and_decay",
        include_str!("../vectors/conditions_and_decay.json"),
    ),
    ("stages", include_str!("../vectors/stages.json")),
    ("intent", include_str!("../vectors/intent.json")),
    ("suppression", include_str!("../vectors/suppression.json")),
    ("value", include_str!("../vectors/value.json")),
    ("visits", include_str!("../vectors/visits.json")),
    ("malformed", include_str!("../vectors/malformed.json")),
    ("scorecard", include_str!("../vectors/scorecard.json")),
];

/// Runs every vector file; panics with every mismatch, or when a file checks nothing.
pub fn run_all(decoder: &dyn Decoder) {
    let mut failures = Vec::new();
    let mut checks = 0;
    for (file, text) in VECTORS {
        let (f, n) = run(file, text, decoder);
        assert!(n > 0, "{file}: no checks ran");
        failures.extend(f);
        checks += n;
    }
    assert!(
        failures.is_empty(),
        "{} of {checks} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The strings of a JSON array (an expected list of rule names, reasons or items).
fn strings(list: &Value) -> Vec<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// Parses `dN HH:MM[:SS]` into epoch ms.
pub fn time_of(t: &str) -> u64 {
    let (day, clock) = t
        .split_once(' ')
        .unwrap_or_else(|| panic!("time {t:?}: want `dN HH:MM`"));
    let day: u64 = day
        .trim_start_matches('d')
        .parse()
        .unwrap_or_else(|_| panic!("time {t:?}: bad day"));
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| {
            p.parse()
                .unwrap_or_else(|_| panic!("time {t:?}: bad clock"))
        })
        .collect();
    let secs = parts[0] * 3600 + parts[1] * 60 + parts.get(2).copied().unwrap_or(0);
    BASE_MS + day * 86_400_000 + secs * 1000
}

/// Runs every case of one vector file; returns one line per mismatch and the number of checks made.
pub fn run(file: &str, text: &str, decoder: &dyn Decoder) -> (Vec<String>, usize) {
    let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: not JSON: {e}"));
    let cases = doc["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no cases"));
    let mut failures = Vec::new();
    let mut checks = 0;
    for case in cases {
        let name = format!("{file}/{}", case["name"].as_str().unwrap_or("?"));
        let model = match case.get("config") {
            Some(c) => match decoder.config(&c.to_string()).and_then(|c| c.compile()) {
                Ok(m) => m,
                Err(e) => {
                    failures.push(format!("{name}: config refused: {e}"));
                    continue;
                }
            },
            None => Model::default(),
        };
        // The model as the browser gets it: compiled to bytes and read back.
        let Some(model) = Model::from_bytes(&model.to_bytes()).filter(|m| *m == model) else {
            failures.push(format!(
                "{name}: the compiled model does not read back the same"
            ));
            continue;
        };
        let mut profile = Profile::new("vector");
        for (i, ev) in case["events"].as_array().into_iter().flatten().enumerate() {
            let t = time_of(
                ev["t"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: event {i} has no t")),
            );
            let kind = ev["event"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: event {i} has no event"));
            let at = format!("{name} #{i} ({} {kind})", ev["t"].as_str().unwrap_or(""));
            let before = profile;
            let fired = match decoder.event(&ev.to_string(), kind, t) {
                Ok(Some(event)) => match profile.track(&model, &event) {
                    Ok(n) => Ok(n as usize),
                    Err(e) => Err(e.to_string()),
                },
                Ok(None) => {
                    profile.count_unknown();
                    Ok(0)
                }
                Err(e) => Err(e.to_string()),
            };
            let Some(expect) = ev.get("expect") else {
                if let Err(e) = fired {
                    failures.push(format!("{at}: unexpected error: {e}"));
                }
                continue;
            };
            match (&fired, expect.get("error")) {
                (Err(got), Some(want)) => {
                    checks += 1;
                    if got != want.as_str().unwrap_or("") {
                        failures.push(format!("{at}: error {got:?}, expected {want}"));
                    }
                    if profile != before {
                        failures.push(format!("{at}: a refused event changed the state"));
                    }
                }
                (Err(got), None) => failures.push(format!("{at}: unexpected error: {got}")),
                (Ok(_), Some(want)) => {
                    failures.push(format!("{at}: accepted, expected error {want}"))
                }
                (Ok(n), None) => {
                    if let Some(want) = expect.get("fired") {
                        checks += 1;
                        let signals: Vec<_> = profile.signals().collect();
                        let got: Vec<&str> = signals[signals.len() - n..]
                            .iter()
                            .map(|s| s.rule.name())
                            .collect();
                        let want: Vec<&str> = strings(want);
                        if got != want {
                            failures.push(format!("{at}: fired {got:?}, expected {want:?}"));
                        }
                    }
                }
            }
            checks += compare(&at, &model, &profile, t, expect, &mut failures);
        }
        for check in case["checks"].as_array().into_iter().flatten() {
            let t = time_of(
                check["t"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: check has no t")),
            );
            let at = format!("{name} check at {}", check["t"].as_str().unwrap_or(""));
            checks += compare(&at, &model, &profile, t, &check["expect"], &mut failures);
        }
    }
    (failures, checks)
}

/// Compares a snapshot with the expected fields present; returns how many were compared.
fn compare(
    at: &str,
    model: &Model,
    profile: &Profile,
    t: u64,
    expect: &Value,
    failures: &mut Vec<String>,
) -> usize {
    let s = profile.snapshot(model, t);
    let mut n = 0;
    let mut check = |field: &str, ok: bool, got: String| {
        n += 1;
        if !ok {
            failures.push(format!(
                "{at}: {field} is {got}, expected {}",
                expect[field]
            ));
        }
    };
    for (field, want) in expect.as_object().into_iter().flatten() {
        match field.as_str() {
            "score" => check(
                field,
                (s.score - want.as_f64().unwrap_or(f64::NAN)).abs() <= 0.05,
                format!("{:.2}", s.score),
            ),
            "value" => check(
                field,
                (s.value - want.as_f64().unwrap_or(f64::NAN)).abs() <= 0.005,
                format!("{:.2}", s.value),
            ),
            "stage" => check(field, want == s.stage.name(), s.stage.name().into()),
            "intent" => check(field, want == s.intent.name(), s.intent.name().into()),
            "suppressed" => check(
                field,
                want.as_bool() == Some(s.suppressed()),
                s.suppressed().to_string(),
            ),
            "high_value" => check(
                field,
                want.as_bool() == Some(s.high_value),
                s.high_value.to_string(),
            ),
            "visits" => check(
                field,
                want.as_u64() == Some(s.visits as u64),
                s.visits.to_string(),
            ),
            "suppression" => {
                let got: Vec<&str> = s.suppression.reasons().collect();
                let want: Vec<&str> = strings(want);
                check(field, got == want, format!("{got:?}"));
            }
            "recent_purchases" => {
                let got: Vec<&str> = profile
                    .recent_purchases(model, t)
                    .map(|p| p.item())
                    .collect();
                let want: Vec<&str> = strings(want);
                check(field, got == want, format!("{got:?}"));
            }
            "channel" => check(
                field,
                want == profile.visit.channel().name(),
                profile.visit.channel().name().into(),
            ),
            "landing" => check(
                field,
                want.as_str() == profile.visit.landing(),
                format!("{:?}", profile.visit.landing()),
            ),
            "unknown_events" => check(
                field,
                want.as_u64() == Some(profile.unknown_events as u64),
                profile.unknown_events.to_string(),
            ),
            "characteristics" => {
                let values = profile.characteristics.values(t);
                for (name, want) in want.as_object().into_iter().flatten() {
                    let i = characteristics::index_of(name)
                        .unwrap_or_else(|| panic!("{at}: unknown characteristic {name:?}"));
                    let ok = (values[i] - want.as_f64().unwrap_or(f64::NAN)).abs() <= 1e-9;
                    check(field, ok, format!("{name} = {}", values[i]));
                }
            }
            "fired" | "error" => {}
            other => panic!("{at}: unknown expectation {other:?} (a mistake in the vector)"),
        }
    }
    n
}
