//! `Config::read` + `compile` over the default config with arbitrary edits: a model or an error
//! naming a field, never a panic. A model that compiles writes a config that compiles back to the
//! same model (what `calibrate` relies on), compiles to bytes that load back as the same model
//! (what the browser loads), and scores to finite numbers.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use shopper_intent::core::{Config, Model};
use shopper_intent_fuzz::{json, play};
use std::sync::OnceLock;

/// The default config, and every key it has (the edits use them).
fn defaults() -> &'static (Value, Vec<&'static str>) {
    static DEFAULTS: OnceLock<(Value, Vec<&'static str>)> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let value = serde_json::to_value(Model::default().to_config()).expect("serializes");
        let mut keys = Vec::new();
        collect_keys(&value, &mut keys);
        keys.sort();
        keys.dedup();
        let keys = keys
            .into_iter()
            .map(|k| &*Box::leak(k.into_boxed_str()))
            .collect();
        (value, keys)
    })
}

fn collect_keys(v: &Value, keys: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                keys.push(k.clone());
                collect_keys(x, keys);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_keys(x, keys)),
        _ => {}
    }
}

/// One edit somewhere in `v`: replace a value, remove a field, or add one.
fn edit(u: &mut Unstructured, v: &mut Value, keys: &[&str]) -> arbitrary::Result<()> {
    match v {
        Value::Object(m) if !m.is_empty() && u.ratio(3, 4)? => {
            let i = u.choose_index(m.len())?;
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            match u.int_in_range(0..=5)? {
                0 => {
                    m.remove(&key);
                }
                1 => {
                    let value = json(u, keys, 3)?;
                    m.insert((*u.choose(keys)?).to_string(), value);
                }
                _ => {
                    if let Some(child) = m.get_mut(&key) {
                        edit(u, child, keys)?;
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() && u.ratio(3, 4)? => {
            let i = u.choose_index(a.len())?;
            if u.ratio(1, 4)? {
                a.remove(i);
            } else {
                edit(u, &mut a[i], keys)?;
            }
        }
        _ => *v = json(u, keys, 3)?,
    }
    Ok(())
}

/// Numbers equal to 1e-9 relative: days and minutes are kept in ms, which may move an ulp.
fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 1e-9 * x.abs().max(y.abs())
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| close(v, w))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let (base, keys) = defaults();
    let mut u = Unstructured::new(data);
    let mut config = if u.ratio(1, 8).unwrap_or(false) {
        json(&mut u, keys, 4).unwrap_or(Value::Null)
    } else {
        base.clone()
    };
    for _ in 0..u.int_in_range(1..=8).unwrap_or(1) {
        if edit(&mut u, &mut config, keys).is_err() {
            break;
        }
    }
    let Ok(model) = Config::read(&config).and_then(|c| c.compile()) else {
        return;
    };
    let written = serde_json::to_value(model.to_config()).expect("serializes");
    let again = Config::read(&written)
        .and_then(|c| c.compile())
        .unwrap_or_else(|e| panic!("the written config does not load: {e}\n{written}"));
    let rewritten = serde_json::to_value(again.to_config()).expect("serializes");
    assert!(close(&written, &rewritten), "{written}\n{rewritten}");
    // The compiled form the browser loads reads back as the same model.
    assert_eq!(Model::from_bytes(&model.to_bytes()).as_ref(), Some(&model));

    play(&mut u, &model);
});
