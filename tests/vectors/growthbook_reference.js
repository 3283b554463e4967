// Reference values for the non-ASCII unit tests in src/experiment.rs.
// A verbatim transcription of GrowthBook sdk-js `hashFnv32a` / `hash` (src/util.ts):
// FNV-1a over UTF-16 code units (`charCodeAt`), as every browser computes it.
// Run: node tests/vectors/js_reference.js
function fnv32a(str) {
  let hval = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    hval ^= str.charCodeAt(i);
    hval += (hval << 1) + (hval << 4) + (hval << 7) + (hval << 8) + (hval << 24);
  }
  return hval >>> 0;
}
function hash(seed, value, version) {
  if (version === 2) return (fnv32a(fnv32a(seed + value) + "") % 10000) / 10000;
  if (version === 1) return (fnv32a(value + seed) % 1000) / 1000;
  return null;
}
const strings = ["", "a", "é", "café", "日本", "😀", "u😀x", "\u{10FFFF}"];
for (const s of strings) {
  console.log(JSON.stringify({ s, units: s.length, fnv32a: fnv32a(s) }));
}
const pairs = [["exp", "visitor-é"], ["日本", "訪問者"], ["checkout-nudge", "😀-42"], ["é", "a"]];
for (const [seed, value] of pairs) {
  console.log(JSON.stringify({ seed, value, v1: hash(seed, value, 1), v2: hash(seed, value, 2) }));
}
// Namespace hash: inNamespace uses hash("__" + id, visitor, 1).
for (const v of ["é", "日本", "😀"]) {
  console.log(JSON.stringify({ ns: "nudges", visitor: v, n: hash("__nudges", v, 1) }));
}

// Assignment reference: the subset of sdk-js `runExperiment` (src/core.ts) that
// `Experiment::assign` implements, transcribed step for step.
function getBucketRanges(numVariations, coverage, weights) {
  coverage = Math.min(Math.max(coverage, 0), 1);
  const equal = numVariations <= 0 ? [] : new Array(numVariations).fill(1 / numVariations);
  weights = weights || equal;
  if (weights.length !== numVariations) weights = equal;
  const total = weights.reduce((w, sum) => sum + w, 0);
  if (total < 0.99 || total > 1.01) weights = equal;
  let cumulative = 0;
  return weights.map((w) => { const start = cumulative; cumulative += w; return [start, start + coverage * w]; });
}
function run(exp, id) {
  if (exp.variations.length < 2 || !id) return null;
  if (exp.namespace) {
    const n = hash("__" + exp.namespace[0], id, 1);
    if (!(n >= exp.namespace[1] && n < exp.namespace[2])) return null;
  }
  const n = hash(exp.seed || exp.key, id, exp.hashVersion || 1);
  if (n === null) return null;
  const ranges = getBucketRanges(exp.variations.length, exp.coverage ?? 1, exp.weights);
  const assigned = ranges.findIndex((r) => n >= r[0] && n < r[1]);
  return assigned < 0 ? null : { variation: assigned, hash: n };
}
const experiments = {
  plain: { key: "checkout-nudge", variations: ["control", "treatment"], hashVersion: 2 },
  weighted: { key: "free-shipping", seed: "fs-2024", variations: ["control", "banner", "modal"],
    weights: [0.5, 0.25, 0.25], coverage: 0.4, hashVersion: 1 },
  namespaced: { key: "checkout-nudge", variations: ["control", "treatment"], hashVersion: 2,
    namespace: ["nudges", 0, 0.5] },
};
const visitors = ["v-1", "v-2", "v-3", "v-4", "v-5", "v-6", "v-7", "v-8", "v-9", "v-10", "é-visitor", "日本-1", "😀"];
for (const [name, exp] of Object.entries(experiments)) {
  for (const id of visitors) console.log(JSON.stringify({ exp: name, id, result: run(exp, id) }));
}
