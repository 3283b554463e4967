//! The engine hands stage, intent, channel and suppression to the tag as indices or bits (`src/web/mod.rs`,
//! `si_score` and `si_state`), and the tag names them from its own lists in
//! `src/web/js/engine.js`: those lists must be the core's names, in the core's order.
#![cfg(not(target_arch = "wasm32"))]

use shopper_intent::core::visit::Channel;
use shopper_intent::core::{Intent, Stage, Suppression};

/// The quoted names of `const NAME = ['a', 'b'];` in engine.js.
fn js_list(name: &str) -> Vec<String> {
    let js = include_str!("../src/web/js/engine.js");
    let start = format!("const {name} = [");
    let line = js
        .lines()
        .find(|l| l.starts_with(&start))
        .unwrap_or_else(|| panic!("engine.js has no `{start}`"));
    line[start.len()..]
        .trim_end_matches("];")
        .split(',')
        .map(|s| s.trim().trim_matches('\'').to_string())
        .collect()
}

#[test]
fn the_tag_names_stages_intents_channels_and_suppression_as_the_core_does() {
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        js_list("STAGES"),
        names(Stage::ALL.map(|s| s.name()).to_vec())
    );
    assert_eq!(
        js_list("INTENTS"),
        names(Intent::ALL.map(|i| i.name()).to_vec())
    );
    assert_eq!(
        js_list("CHANNELS"),
        names(Channel::ALL.map(|c| c.name()).to_vec())
    );
    // Bit i of `si_state`'s suppression byte is reason i.
    let all = Suppression {
        opted_out: true,
        bounced: true,
    };
    assert_eq!(js_list("SUPPRESSION"), names(all.reasons().collect()));
}
