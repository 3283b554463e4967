//! The crate's dependencies point one way: `core` uses neither `web` nor `cli`, those two never
//! use each other, and no files import each other in a circle (a module may use its parent's
//! items, as Rust nests them; peers may not use each other both ways, directly or round a loop).
//! Read from the sources: every `crate::…` and `super::…` path outside a file's `mod tests`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`core::state`) → the source with comments and the tests module left out.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
                    .unwrap();
                let name = rel.with_extension("").to_string_lossy().replace('/', "::");
                let name = name.trim_end_matches("::mod").to_string();
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("\nmod tests {").next().unwrap();
                let code: String = code
                    .lines()
                    .map(|l| l.split("//").next().unwrap())
                    .collect::<Vec<_>>()
                    .join("\n");
                out.insert(name, code);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut out,
    );
    out
}

/// The module paths `code` (of module `module`) names.
fn paths(module: &str, code: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':')
            .collect::<String>()
            .trim_end_matches(':')
            .to_string()
    };
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        out.push(ident(&code[i + 7..]));
    }
    let parts: Vec<&str> = module.split("::").collect();
    let mut at = 0;
    while let Some(i) = code[at..].find("super::") {
        let start = at + i;
        let before = code[..start].chars().next_back();
        let mut rest = &code[start..];
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            ups += 1;
            rest = r;
        }
        at = start + (code[start..].len() - rest.len());
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // `super` of `a::b` is `a`, whether it is `a/b.rs` or `a/b/mod.rs`.
        let base = parts.len().saturating_sub(ups);
        let mut path: Vec<&str> = parts[..base].to_vec();
        let tail = ident(rest);
        if !tail.is_empty() {
            path.extend(tail.split("::"));
        }
        out.push(path.join("::"));
    }
    out
}

/// Module → the modules it uses (not itself, its ancestors or its descendants).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = sources();
    let names: BTreeSet<&str> = src.keys().map(String::as_str).collect();
    let resolve = |p: &str| -> Option<String> {
        let segs: Vec<&str> = p.split("::").collect();
        (1..=segs.len())
            .rev()
            .map(|n| segs[..n].join("::"))
            .find(|c| names.contains(c.as_str()))
    };
    let mut g = BTreeMap::new();
    for (m, code) in &src {
        let mut uses = BTreeSet::new();
        for p in paths(m, code) {
            if let Some(r) = resolve(&p) {
                let related =
                    r == *m || m.starts_with(&format!("{r}::")) || r.starts_with(&format!("{m}::"));
                if !related {
                    uses.insert(r);
                }
            }
        }
        g.insert(m.clone(), uses);
    }
    g
}

/// A cycle through the graph, as the modules round it, if there is one.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|s| s == next).unwrap();
                    let mut round = stack[from..].to_vec();
                    round.push(next.clone());
                    return Some(round);
                }
                0 => {
                    if let Some(c) = visit(next, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in g.keys() {
        if state.get(m.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(m, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_files_import_each_other_in_a_circle() {
    let g = graph();
    assert!(g.contains_key("core::state") && g.contains_key("cli::read::uci"));
    // The reader sees real edges (so an empty graph cannot pass).
    assert!(
        g["core::actions"].contains("core::state"),
        "{:?}",
        g["core::actions"]
    );
    assert!(g["cli::evaluate"].contains("cli::report_html"));
    if let Some(round) = cycle(&g) {
        panic!("a circle of imports: {}", round.join(" -> "));
    }
}

#[test]
fn the_layers_point_one_way() {
    for (m, uses) in graph() {
        let layer = |p: &str| p.split("::").next().unwrap().to_string();
        for u in uses {
            let (from, to) = (layer(&m), layer(&u));
            let allowed = from == to
                || (to == "core" && (from == "web" || from == "cli"))
                || from == "main"
                || from == "lib";
            assert!(allowed, "{m} uses {u}: {from} may not use {to}");
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_circle() {
    let mut g = BTreeMap::new();
    let set = |v: &[&str]| {
        v.iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<String>>()
    };
    g.insert("a".to_string(), set(&["b"]));
    g.insert("b".to_string(), set(&["c"]));
    g.insert("c".to_string(), set(&["a"]));
    g.insert("d".to_string(), set(&["a"]));
    assert_eq!(cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    g.insert("c".to_string(), set(&[]));
    assert_eq!(cycle(&g), None);
}
