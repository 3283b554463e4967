//! `shopper-intent compile` through the real binary: the model file the tag loads (magic, header,
//! the model's bytes; see `core::config::model_file`), the same on standard output and with --out.
#![cfg(not(target_arch = "wasm32"))]

use shopper_intent::core::{Config, Model};
use std::process::{Command, Output};

fn compile(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shopper-intent"))
        .arg("compile")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// [header, model bytes] of a model file.
fn parts(file: &[u8]) -> (serde_json::Value, &[u8]) {
    assert_eq!(&file[..4], b"\0sim", "the magic");
    let n = u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize;
    let header = serde_json::from_slice(&file[8..8 + n]).expect("the header is JSON");
    (header, &file[8 + n..])
}

#[test]
fn a_config_compiles_to_its_model_s_bytes_after_a_json_header() {
    let dir = tempfile::tempdir().unwrap();
    let config = serde_json::json!({"stages": {"sql": 70}, "runtime": {"storage_key": "store-x"}});
    let path = dir.path().join("config.json");
    std::fs::write(&path, config.to_string()).unwrap();
    let out = dir.path().join("model.bin");
    let written = compile(&[path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let file = std::fs::read(&out).unwrap();
    // Standard output is the same file.
    let printed = compile(&[path.to_str().unwrap()]);
    assert_eq!(printed.stdout, file);

    let (header, bytes) = parts(&file);
    assert_eq!(header["format"], "shopper-intent/model");
    assert_eq!(header["summary"]["stages"]["sql"], 70.0);
    assert_eq!(header["runtime"]["storage_key"], "store-x");
    assert!(
        header.get("model").is_none(),
        "the model is not in the header"
    );
    let model = Config::read(&config).unwrap().compile().unwrap();
    assert_eq!(bytes, model.to_bytes().as_slice());
    assert_eq!(Model::from_bytes(bytes), Some(model));
}

#[test]
fn without_a_config_it_is_the_default_model() {
    let printed = compile(&[]);
    assert!(printed.status.success());
    let (header, bytes) = parts(&printed.stdout);
    assert_eq!(header["summary"]["stages"]["sql"], 61.0);
    assert_eq!(Model::from_bytes(bytes), Some(Model::default()));
}

#[test]
fn an_invalid_config_names_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.json");
    std::fs::write(&path, r#"{"stages": {"sql": 10, "mql": 20}}"#).unwrap();
    let out = dir.path().join("model.bin");
    let refused = compile(&[path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("`stages`"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_model_with_a_scorecard_says_so_and_names_the_tag_s_data_scorecard() {
    let dir = tempfile::tempdir().unwrap();
    let vectors: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/scorecard.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let path = dir.path().join("card.json");
    std::fs::write(&path, vectors["cases"][0]["config"].to_string()).unwrap();
    let card = compile(&[path.to_str().unwrap()]);
    assert!(card.status.success());
    assert_eq!(parts(&card.stdout).0["summary"]["scorecard"], true);
    let note = String::from_utf8(card.stderr).unwrap();
    assert!(
        note.starts_with("note: ") && note.contains(" data-scorecard>"),
        "{note}"
    );
    // The core's words, which the compiler wasm gives npx shopper-intent-compile too
    // (`si_scorecard_note`; tests/e2e/package.test.mjs runs it).
    assert_eq!(
        note.trim_end(),
        shopper_intent::core::config::SCORECARD_NOTE
    );

    let plain = compile(&[]);
    assert_eq!(parts(&plain.stdout).0["summary"]["scorecard"], false);
    assert!(plain.stderr.is_empty(), "no note without a scorecard");
}
