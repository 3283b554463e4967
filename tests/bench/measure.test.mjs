// The bench's arithmetic on hand-made network logs, traces and profiles (no browser).
import assert from 'node:assert/strict';
import test from 'node:test';
import { busyUs, cell, gzipSize, mainThread, profileTimes, ratio, renderingUs, roundTrips, selfTimes, stats } from './measure.mjs';

const req = (sent, done) => ({ sent, done });

test('round trips: a chain counts each hop, parallel fetches once', () => {
  const tag = req(0, 10);
  const wasm = req(12, 30);
  const model = req(13, 25);
  assert.equal(roundTrips([tag, wasm, model], 100), 2);
  const settings = req(12, 20);
  const bundle = req(21, 40);
  assert.equal(roundTrips([tag, settings, bundle], 100), 3);
});

test('round trips: only requests finished before ready count', () => {
  assert.equal(roundTrips([req(0, 10), req(11, 50), req(51, 200)], 100), 2);
  assert.equal(roundTrips([req(0, 10), req(11, null)], 100), 1);
  assert.equal(roundTrips([], 100), 0);
});

const slice = (ts, dur, name = 'RunTask', url) => ({ ph: 'X', ts, dur, name, pid: 1, tid: 1, args: url ? { data: { url } } : {} });

test('busy time is the union of slices inside the window', () => {
  const thread = { slices: [slice(0, 10), slice(2, 3, 'Layout'), slice(20, 10), slice(25, 10), slice(50, 10)] };
  assert.equal(busyUs(thread, 0, 100), 10 + 15 + 10);
  assert.equal(busyUs(thread, 5, 55), 5 + 15 + 5);
  assert.equal(busyUs(thread, 11, 19), 0);
});

test('self time per kind of slice, children taken off their parents, clipped to the window', () => {
  const thread = { slices: [slice(0, 100), slice(10, 30, 'EvaluateScript', 'http://x/pkg/shopper-intent.js?v=1'), slice(15, 5, 'Layout'), slice(60, 20, 'Layout')] };
  assert.deepEqual(selfTimes(thread, 0, 100), { RunTask: 50, 'EvaluateScript (shopper-intent.js)': 25, Layout: 25 });
  assert.deepEqual(selfTimes(thread, 50, 70), { RunTask: 10, Layout: 10, 'EvaluateScript (shopper-intent.js)': 0 });
  assert.equal(renderingUs(selfTimes(thread, 0, 100)), 25);
});

test('the main thread is the one that marked the load, its slices in order', () => {
  const events = [
    { name: 'bench:t0:7', cat: 'blink.user_timing', ph: 'R', ts: 5, pid: 2, tid: 3 },
    { name: 'bench:ready:7', cat: 'blink.user_timing', ph: 'R', ts: 50, pid: 2, tid: 3 },
    { name: 'bench:t0:8', cat: 'blink.user_timing', ph: 'R', ts: 60, pid: 4, tid: 4 },
    { ...slice(30, 5), pid: 2, tid: 3 },
    { ...slice(10, 5), pid: 2, tid: 3 },
    { ...slice(10, 5), pid: 2, tid: 9 },
  ];
  const t = mainThread(events, '7');
  assert.equal(t.t0, 5);
  assert.equal(t.ready, 50);
  assert.deepEqual(t.slices.map((s) => s.ts), [10, 30]);
  assert.equal(mainThread(events, '8').ready, null);
  assert.equal(mainThread(events, '9'), null);
});

test('a CPU profile: inclusive per file, self per function under our files only', () => {
  const frame = (functionName, url = '', lineNumber = 0, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('boot', 'http://x/pkg/shopper-intent.js', 0, 99), children: [3] },
      { id: 3, callFrame: frame('fetch'), children: [4] },
      { id: 4, callFrame: frame('$f', 'wasm://x/shopper_intent_bg.wasm'), children: [] },
      { id: 5, callFrame: frame('other', 'http://x/page.html', 5, 1), children: [] },
    ],
    samples: [2, 3, 3, 4, 5, 1],
    timeDeltas: [0, 10, 20, 30, 40, 50],
  };
  const { inclusive, self } = profileTimes(profile, ['shopper-intent.js']);
  assert.deepEqual(inclusive, { 'shopper-intent.js': 10 + 20 + 30 + 40, 'shopper_intent_bg.wasm': 40, 'page.html': 50 });
  assert.deepEqual(self, { 'boot (shopper-intent.js:1:100)': 10, fetch: 50, '$f (shopper_intent_bg.wasm:1:1)': 40 });
});

test('medians, cells and ratios', () => {
  assert.deepEqual(stats([3, 1, 2, undefined, NaN]), { median: 2, min: 1, max: 3, n: 3 });
  assert.equal(stats([4, 1]).median, 2.5);
  assert.equal(stats([]), null);
  assert.equal(cell(stats([1.04, 1.01]), 1), '1.0');
  assert.equal(cell(stats([1, 2, 30]), 1), '2.0 (1.0–30.0)');
  assert.equal(ratio(stats([2]), stats([4])), '0.50×');
  assert.equal(ratio(stats([0.1]), stats([4])), '0.025×');
  assert.equal(ratio(stats([0]), stats([0])), '–');
  assert.equal(ratio(stats([1]), null), 'n/a');
});

test('gzip -9 sizes: compressible input shrinks, and the same bytes give the same size', () => {
  const text = Buffer.from('shopper-intent '.repeat(1000));
  assert.ok(gzipSize(text) < 200);
  assert.equal(gzipSize(Buffer.from(text)), gzipSize(text));
});
