//! Hostile events and broken configs: specific errors, word for word, and nothing changed.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::{json, Value};
use shopper_intent::core::{Config, Event, Model, Profile};

fn decode(name: &str, params: Value) -> Result<Option<Event>, String> {
    Event::decode(name, 1_767_571_200_000, &&params).map_err(|e| e.to_string())
}

fn config_error(config: Value) -> String {
    match Config::read(&config).and_then(|c| c.compile()) {
        Ok(_) => panic!("config {config} was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_10000_item_array_is_refused() {
    let items: Vec<Value> = (0..10_000)
        .map(|i| json!({"item_id": format!("SKU{i}")}))
        .collect();
    assert_eq!(
        decode("view_item", json!({"items": items})).unwrap_err(),
        "view_item: items has 10000 elements; GA4 allows at most 200"
    );
}

#[test]
fn a_1_mb_string_is_refused_without_being_kept() {
    let long = "x".repeat(1 << 20);
    assert_eq!(
        decode("view_item", json!({"items": [{"item_id": long}]})).unwrap_err(),
        "view_item: items[0].item_id is 1048576 characters long; the limit is 500"
    );
    assert_eq!(
        decode(
            "page_view",
            json!({"page_location": "https://s.example/?q=".to_string() + &long})
        )
        .unwrap_err(),
        "page_view: page_location is 1048597 characters long; the limit is 8192"
    );
}

#[test]
fn deep_nesting_outside_the_read_fields_is_harmless_and_inside_them_is_a_type_error() {
    let mut deep = json!("leaf");
    for _ in 0..100 {
        deep = json!({ "n": deep });
    }
    let ok = decode(
        "view_item",
        json!({"items": [{"item_id": "A", "extra": deep.clone()}]}),
    )
    .unwrap();
    assert_eq!(ok.unwrap().items[0].id, "A");
    assert_eq!(
        decode("view_item", json!({"items": [{"item_id": deep}]})).unwrap_err(),
        "view_item: items[0].item_id must be a string, not an object"
    );
}

#[test]
fn numeric_item_ids_are_accepted_as_text_and_fractions_are_not() {
    let ok = decode(
        "view_item",
        json!({"items": [{"item_id": 43751530397931_u64}]}),
    )
    .unwrap()
    .unwrap();
    assert_eq!(ok.items[0].id, "43751530397931");
    assert_eq!(
        decode("view_item", json!({"items": [{"item_id": 1.5}]})).unwrap_err(),
        "view_item: items[0].item_id must be a string or an integer, not a fractional or non-finite number"
    );
}

#[test]
fn unknown_events_are_not_errors() {
    assert_eq!(decode("gtm.dom", json!({})).unwrap(), None);
    assert_eq!(
        decode("dl_view_item", json!({"items": "garbage"})).unwrap(),
        None
    );
}

#[test]
fn an_out_of_order_on_site_event_is_refused_and_changes_nothing() {
    let model = Model::default();
    let mut p = Profile::new("v");
    let at = |ms: u64, name: &str| Event::decode(name, ms, &&json!({})).unwrap().unwrap();
    p.track(&model, &at(2_000_000, "page_view")).unwrap();
    let before = p;
    let err = p.track(&model, &at(1_000_000, "page_view")).unwrap_err();
    assert!(err.is_out_of_order());
    assert_eq!(
        err.to_string(),
        "event at 1000000 ms is earlier than this visitor's previous event at 2000000 ms; \
         events of one visitor must come in time order"
    );
    assert_eq!(p, before);
    // Off-site events come from other systems and may arrive late.
    assert_eq!(p.track(&model, &at(1_000_000, "email_open")).unwrap(), 1);
}

#[test]
fn config_errors_name_the_field_and_why() {
    assert_eq!(
        config_error(json!({"stagez": {}})),
        "config field `stagez`: unknown field; expected one of session_timeout_min, decay_half_life_days, \
         intent_window_days, rapid_views, rapid_views_min, repeat_item_visits, bounces_to_suppress, \
         bounce_window_days, recent_purchase_days, value_window_days, high_value_threshold, stages, rules, \
         page_types, email_mediums, email_click_ids, actions, experiments, runtime, scorecard"
    );
    assert_eq!(
        config_error(json!({"rules": {"product_view": {"points": "two"}}})),
        "config field `rules.product_view.points`: must be a finite number, not a string"
    );
    assert!(config_error(json!({"rules": {"prodct_view": {}}})).starts_with(
        "config field `rules.prodct_view`: unknown field; expected one of site_visit, return_visit, product_view"
    ));
    assert_eq!(
        config_error(json!({"rules": {"add_to_cart": {"per": "session"}}})),
        "config field `rules.add_to_cart.per`: must be one of none, visit, item_visit, ever, days, item_days"
    );
    assert_eq!(
        config_error(json!({"rules": {"no_site_visit_30d": {"max": 2}}})),
        "config field `rules.no_site_visit_30d.max`: condition rules hold while true and take no limit"
    );
    assert_eq!(
        config_error(json!({"stages": {"sql": 30, "mql": 40}})),
        "config field `stages`: thresholds must rise from warm to mql to sql"
    );
    assert_eq!(
        config_error(json!({"decay_half_life_days": -1})),
        "config field `decay_half_life_days`: must be a number of days from 0 to 3650"
    );
    assert_eq!(
        config_error(json!({"session_timeout_min": 0})),
        "config field `session_timeout_min`: must be a number above 0"
    );
    assert_eq!(
        config_error(json!({"page_types": {"lookbook": ["/lookbook", 7]}})),
        "config field `page_types.lookbook[1]`: must be a string, not a number"
    );
    assert_eq!(
        config_error(json!([1, 2])),
        "config field `(the config)`: must be an object, not an array"
    );
}

#[test]
fn every_default_can_be_overridden_and_page_types_extended() {
    let config = json!({
        "session_timeout_min": 45, "decay_half_life_days": 7, "intent_window_days": 3,
        "rules": {"add_to_cart": {"points": 20, "per": "visit", "max": 2}, "repeat_product_view": {"views": 4}},
        "page_types": {"lookbook": ["/lookbook"], "faq": ["/hilfe"]},
        "email_click_ids": ["_ke"]
    });
    let model = Config::read(&config).unwrap().compile().unwrap();
    assert_eq!(model.session_timeout_ms, 45 * 60_000);
    assert_eq!(model.rules[4].points, 20.0);
    assert_eq!(model.repeat_views, 4);
    let lookbook = model.page_type("https://s.example/lookbook/fall").unwrap();
    assert_eq!(model.page_type_name(lookbook), "lookbook");
    assert_eq!(model.page_type("https://s.example/pages/faq"), None);
    assert_eq!(model.email_click_ids, ["_ke"]);
}

#[test]
fn the_printed_default_config_reads_back_to_the_default_model() {
    let text = serde_json::to_string_pretty(&Model::default().to_config()).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        Config::read(&value).unwrap().compile().unwrap(),
        Model::default()
    );
}

#[test]
fn the_beacon_url_is_optional_and_checked() {
    let runtime = |v: Value| Config::read(&v).and_then(|c| c.runtime.resolve());
    assert_eq!(runtime(json!({})).unwrap().beacon_url, None);
    assert_eq!(
        runtime(json!({"runtime": {"beacon_url": "/collect"}}))
            .unwrap()
            .beacon_url
            .as_deref(),
        Some("/collect")
    );
    for bad in ["", "https://x.example/a b"] {
        assert_eq!(
            runtime(json!({"runtime": {"beacon_url": bad}}))
                .unwrap_err()
                .to_string(),
            "config field `runtime.beacon_url`: must be a URL of 1 to 2048 characters, without spaces"
        );
    }
    assert_eq!(
        runtime(json!({"runtime": {"beacon_url": 1}}))
            .unwrap_err()
            .to_string(),
        "config field `runtime.beacon_url`: must be a string, not a number"
    );
}

/// Config limits are one set, checked the same way here and in the browser's compiler (the same
/// code: `tests/e2e/api.test.mjs` checks the messages in Chromium).
#[test]
fn config_limits_name_the_limit() {
    let long = "x".repeat(9_000);
    assert_eq!(
        config_error(json!({"actions": {"rules": {"hello": {"message": long, "when": {}}}}})),
        "config field `actions.rules.hello.message`: must be a string of at most 1000 characters, not 9000"
    );
    // A string too long even to copy is reported the same way, not as "a string, not a string".
    let huge = "y".repeat(40_000);
    assert_eq!(
        config_error(json!({"page_types": {"lookbook": [huge]}})),
        "config field `page_types.lookbook[0]`: must be a string of at most 1000 characters, not 40000"
    );
    // More page types than a profile can tell apart are refused, before anything is merged.
    let many: serde_json::Map<String, Value> = (0..20_000)
        .map(|i| (format!("type{i}"), json!([format!("/t{i}")])))
        .collect();
    let started = std::time::Instant::now();
    assert_eq!(
        config_error(json!({ "page_types": many })),
        "config field `page_types`: allows at most 64 page types, defaults included; this config has 20000"
    );
    assert!(started.elapsed().as_secs() < 2, "refused at once");
    let fifty_two: serde_json::Map<String, Value> = (0..52)
        .map(|i| (format!("type{i}"), json!([format!("/t{i}")])))
        .collect();
    assert_eq!(
        config_error(json!({ "page_types": fifty_two })),
        "config field `page_types`: allows at most 64 page types, defaults included; this config has 65"
    );
    assert_eq!(
        config_error(json!({"rules": {"repeat_product_view": {"views": 9}}})),
        "config field `rules.repeat_product_view.views`: must be at most 8"
    );
    assert_eq!(
        config_error(json!({"rapid_views": 17})),
        "config field `rapid_views`: must be at most 16"
    );
}

/// Found by `make fuzz` (config): `1e-300` days compiled to a 0 ms window, which the written
/// config then refused; a 1 ms window did not read back as 1 ms.
#[test]
fn durations_are_whole_milliseconds_and_the_written_config_reads_back() {
    assert_eq!(
        config_error(json!({"intent_window_days": 1e-300})),
        "config field `intent_window_days`: must be at least 1 ms"
    );
    assert_eq!(
        config_error(json!({"rules": {"return_visit": {"within_days": 1e-12}}})),
        "config field `rules.return_visit.within_days`: must be at least 1 ms"
    );
    assert_eq!(
        config_error(json!({"session_timeout_min": 1e-9})),
        "config field `session_timeout_min`: must be at least 1 ms"
    );
    assert_eq!(
        config_error(json!({"actions": {"attribution_days": 1e-10}})),
        "config field `actions.attribution_days`: must be at least 1 ms"
    );
    let one_ms = 1.0 / 86_400_000.0;
    let config = json!({
        "intent_window_days": one_ms,
        "actions": {"attribution_days": 2.0 * one_ms},
        "rules": {"return_visit": {"within_days": 3.0 * one_ms}, "repeat_product_view": {"days": 0.5}},
        "rapid_views_min": 1.0 / 60_000.0,
    });
    let model = Config::read(&config)
        .and_then(|c| c.compile())
        .expect("compiles");
    let written = serde_json::to_value(model.to_config()).expect("serializes");
    let again = Config::read(&written)
        .and_then(|c| c.compile())
        .expect("the written config loads");
    assert_eq!(
        serde_json::to_value(again.to_config()).expect("serializes"),
        written
    );
    assert_eq!(again.intent_window_ms, 1);
    assert_eq!(again.return_within_ms, 3);
    assert_eq!(again.rapid_views_ms, 1);
}

/// Points are bounded, so that no number of signals overflows a score (found by `make fuzz`:
/// a stored score near f64::MAX printed as infinity).
#[test]
fn rule_points_are_bounded() {
    assert_eq!(
        config_error(json!({"rules": {"email_open": {"points": 1e308}}})),
        "config field `rules.email_open.points`: must be a number from -1000000 to 1000000"
    );
    let model = Config::read(&json!({"rules": {"email_open": {"points": -1e6}}}))
        .and_then(|c| c.compile())
        .expect("the bound itself is allowed");
    assert_eq!(
        model.rule(shopper_intent::core::RuleId::EmailOpen).points,
        -1e6
    );
}

/// Found by `make fuzz` (compiled_model): a compiled model with a rule worth f64::MAX points
/// loaded, and scored infinity; one with NaN, NaN.
#[test]
fn a_compiled_model_with_numbers_a_config_refuses_is_refused() {
    let bytes = Model::default().to_bytes();
    // The format byte, then the first rule's points.
    assert_eq!(f64::from_le_bytes(bytes[1..9].try_into().unwrap()), 2.0);
    let with = |points: f64| {
        let mut b = bytes.clone();
        b[1..9].copy_from_slice(&points.to_le_bytes());
        Model::from_bytes(&b)
    };
    assert!(with(5.0).is_some());
    for bad in [f64::MAX, 1e6 + 1.0, f64::NAN, f64::INFINITY] {
        assert!(with(bad).is_none(), "{bad}");
    }
}
