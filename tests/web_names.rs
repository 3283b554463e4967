//! The engine hands stage, intent, channel and suppression to the tag as indices or bits (`src/web/mod.rs`,
//! `si_score` and `si_state`), and the tag names them from its own lists in
//! `src/web/js/engine.js`: those lists must be the core's names, in the core's order. So must the
//! few constants and words the tag holds itself.
#![cfg(not(target_arch = "wasm32"))]

use shopper_intent::core::visit::Channel;
use shopper_intent::core::{Intent, Stage, Suppression};

/// The quoted names of `const NAME = ['a', 'b'];` in a tag source.
fn js_list(js: &str, name: &str) -> Vec<String> {
    let start = format!("const {name} = ['");
    let line = js
        .lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no `{start}`"));
    line[start.len()..]
        .trim_end_matches("'];")
        .split("', '")
        .map(String::from)
        .collect()
}

const ENGINE: &str = include_str!("../src/web/js/engine.js");
const ERRORS: &str = include_str!("../src/web/js/errors.js");

#[test]
fn the_tag_names_stages_intents_channels_and_suppression_as_the_core_does() {
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        js_list(ENGINE, "STAGES"),
        names(Stage::ALL.map(|s| s.name()).to_vec())
    );
    assert_eq!(
        js_list(ENGINE, "INTENTS"),
        names(Intent::ALL.map(|i| i.name()).to_vec())
    );
    assert_eq!(
        js_list(ENGINE, "CHANNELS"),
        names(Channel::ALL.map(|c| c.name()).to_vec())
    );
    // Bit i of `si_state`'s suppression byte is reason i.
    let all = Suppression {
        opted_out: true,
        bounced: true,
    };
    assert_eq!(
        js_list(ENGINE, "SUPPRESSION"),
        names(all.reasons().collect())
    );
}

/// `const NAME = '…';` in a tag source, as written there (escapes included).
fn js_string(js: &str, name: &str) -> String {
    let start = format!("const {name} = '");
    let line = js
        .lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("no `{start}`"));
    line[start.len()..].trim_end_matches("';").to_string()
}

/// What the tag must say or read as the core does, where it cannot ask the engine: the model
/// file's magic and format (index.js reads the file before any engine runs), and the words for a
/// stored profile that is not base64 (errors.js; base64 is the browser's own).
#[test]
fn the_tag_reads_the_model_file_and_words_bad_base64_as_the_core_does() {
    use shopper_intent::core::config::{MODEL_FILE_FORMAT, MODEL_MAGIC};
    use shopper_intent::core::Profile;
    let index = include_str!("../src/web/js/index.js");
    let magic = std::str::from_utf8(MODEL_MAGIC)
        .unwrap()
        .replace('\0', "\\0");
    assert_eq!(js_string(index, "MAGIC"), magic);
    assert_eq!(js_string(index, "MODEL_FORMAT"), MODEL_FILE_FORMAT);
    use shopper_intent::core::error::{Stored, STORED};
    let why = Profile::decode("not|base64").unwrap_err().message();
    let at = Stored::NotBase64 as usize;
    assert_eq!(why, format!("stored state: {}", STORED[at]));
    let words = format!("'notBase64': () => 'stored state: ' + STORED[{at}],");
    assert!(ERRORS.contains(&words), "errors.js should have {words}");
}

/// A refusal hands a type or a stored profile's problem over as an index: errors.js words each
/// as the core does, in the core's order; the types the tag names itself (`kind()` in
/// consent.js, for identify's and consent's arguments) are indices of the same words.
#[test]
fn the_tag_words_types_and_stored_problems_as_the_core_does() {
    use shopper_intent::core::error::{Type, STORED, TYPES};
    use shopper_intent::core::Value;
    assert_eq!(js_list(ERRORS, "TYPES"), TYPES);
    assert_eq!(js_list(ERRORS, "STORED"), STORED);
    for (kind, value) in [
        ("undefined", Value::Missing),
        ("null", Value::Null),
        ("boolean", Value::Bool(true)),
        ("number", Value::Number(1.0)),
        ("string", Value::Text("x".into())),
        ("array", Value::List(0)),
        ("object", Value::Map),
    ] {
        let entry = format!("{kind}: {}", value.kind() as u8);
        assert!(
            ERRORS.contains(&entry),
            "errors.js KINDS should have {entry}"
        );
    }
    assert_eq!(Value::Other.kind(), Type::Unsupported);
    let other = format!("TYPES[KINDS[k] ?? {}]", Type::Unsupported as u8);
    assert!(
        ERRORS.contains(&other),
        "errors.js should word any other type {other}"
    );
}
