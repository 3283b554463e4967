#!/usr/bin/env node
// The browser half of `make bench`: one headless Chromium loads the same minimal product page with
// shopper-intent (the real tag, installed by its one script tag) and with each peer (GrowthBook,
// Snowplow, posthog-js, Segment), and prints ONE table of medians (min–max) with our ratio beside
// each peer; then ours loaded with the scorer and the model preloaded beside the tag (the same
// rounds), and our cost per event as one visitor grows to 1,000,000 events. Raw figures go to
// tests/bench/results.json.
//
//   node tests/bench/run.mjs          (after `make build`; `make bench` runs cargo bench, then this)
//   BENCH_RUNS=3 BENCH_EVENT_RUNS=1 BENCH_GROWTH_RUNS=0 BENCH_PROFILE=0 node tests/bench/run.mjs   (quick)
//
// How each figure is measured. Every page load is a fresh browser context (empty cache, storage
// and cookies; every response is `no-store`), the libraries taken in turn so that drift on a
// shared machine spreads evenly over them. "Script start" is the end of the bench's inline script
// (harness.js), just before the library's tag: performance.mark 'bench:t0:<load>'. "Ready" is the
// library's own signal, marked 'bench:ready:<load>': ours, the `shopper-intent:ready` event;
// GrowthBook, `init()` resolving; Snowplow, right after `newTracker` and `trackPageView` (both
// synchronous); posthog, `loaded`; Segment, `analytics.ready`. Node hears of ready from a console
// message, so it never polls the page while it loads.
// - Bytes loaded at start: every response to a request the page sent before ready, as Chromium's
//   network log has it (CDP Network; bodies from Network.getResponseBody), each body `gzip -9 -n`;
//   not the page itself, nor the browser's favicon request. Requests: how many. Round trips: the
//   longest chain of those requests each sent after the previous one's body arrived (among those
//   finished before ready), so fetches in parallel count once. The inline snippet (what the store
//   pastes into its page, gzip -9) is a row of its own.
// - Script start → ready, main thread: Chromium's trace (TRACE_CATEGORIES; one trace per round of
//   loads, since stopping a trace costs seconds), the time the page's main thread was busy (the
//   union of its trace slices) between the two marks; median of BENCH_RUNS loads. "Less the page's
//   own parse, style, layout, paint": minus the self time of those slices (measure.mjs RENDERING),
//   which fall inside the window of any library that is ready after the first layout. Wall:
//   performance.now() between the marks. Long tasks: PerformanceObserver('longtask') until
//   LOAD_SETTLE_MS after ready; "ready + LOAD_SETTLE_MS": the trace's busy time until then.
// - Per event: three loops, each on BENCH_EVENT_RUNS fresh loads of its own (nothing one loop
//   queued weighs on another), after the load has settled: BENCH_EVENTS in one synchronous loop,
//   BENCH_EVENTS in tasks of BENCH_BATCH (a MessageChannel task between batches, no timer clamp),
//   and BENCH_LONE lone calls, each alone in a timer task after BENCH_IDLE_MS of idle. "The call":
//   performance.now() around the calls inside the page (the median call for lone events). "Incl.
//   deferred work": Chromium's main-thread task time (CDP Performance.getMetrics TaskDuration)
//   from just before the loop until the library's sends have settled (its microtasks, timers,
//   storage writes, sends), less the same loop on a blank page (the harness's own tasks), per
//   event. A loop stops after BENCH_LOOP_MAX_MS of calls (cell marked *: the figure is over the
//   events sent); "≥" marks a figure whose sends were still going on SETTLE_MAX_MS after the loop.
//   An adapter's `syncEvents` caps its burst in one task (Snowplow's: see adapters.mjs).
// - Our start as a CPU profile: BENCH_PROFILE more loads of ours under CDP Profiler (50 µs
//   sampling, console.profile from script start to the first task after ready): time per script
//   file, callees included, and self time per function under our files.
// - Growth (ours only): one visitor tracks 1,000,000 events (GROWTH_FILL per task); after 10, 1,000,
//   100,000 and 1,000,000 the next 1,000 calls are timed and the stored profile's size is read.
// The machine's load average is printed at the start and the end: on a shared machine every time
// is inflated, ours and the peers' alike.
//
// Environment: BENCH_RUNS (15), BENCH_EVENT_RUNS (3), BENCH_EVENTS (10000), BENCH_BATCH (10),
// BENCH_LONE (30), BENCH_IDLE_MS (50), BENCH_LOOP_MAX_MS (2000), BENCH_PROFILE (3; 0 skips),
// BENCH_GROWTH_RUNS (1; 0 skips), BENCH_PKG (the build to measure, pkg/), BENCH_ONLY
// (comma-separated peer ids to run beside ours: growthbook, snowplow, posthog-js, segment).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, launchChromium } from '../chromium.mjs';
import * as adapters from './adapters.mjs';
import { startServer } from './server.mjs';
import { TRACE_CATEGORIES, busyUs, cell, gzipSize, mainThread, num, profileTimes, ratio, renderingUs, recordNetwork, responseBody, roundTrips, selfTimes, stats, table } from './measure.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, 'pkg'));
const NM = path.join(ROOT, 'tests', 'node_modules');
const RESULTS = path.join(HERE, 'results.json');

const envInt = (name, dflt, min = 0) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${name} must be a whole number ≥ ${min}, found '${v}'`);
  return Number(v);
};
const RUNS = envInt('BENCH_RUNS', 15, 1);
const EVENT_RUNS = envInt('BENCH_EVENT_RUNS', 3, 1);
const EVENTS = envInt('BENCH_EVENTS', 10_000, 1);
const BATCH = envInt('BENCH_BATCH', 10, 1);
const LONE = envInt('BENCH_LONE', 30, 1);
const IDLE_MS = envInt('BENCH_IDLE_MS', 50);
const LOOP_MAX_MS = envInt('BENCH_LOOP_MAX_MS', 2000, 1);
const GROWTH_RUNS = envInt('BENCH_GROWTH_RUNS', 1);
const PROFILE_RUNS = envInt('BENCH_PROFILE', 3);
const GROWTH_POINTS = [10, 1000, 100_000, 1_000_000];
const GROWTH_BATCH = 1000;
const GROWTH_FILL = 10_000;
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const PEERS = adapters.peers.filter((a) => !ONLY || ONLY.includes(a.id));
if (ONLY) for (const id of ONLY) if (!adapters.peers.some((a) => a.id === id)) throw new Error(`BENCH_ONLY: no peer '${id}' (${adapters.peers.map((a) => a.id).join(', ')})`);
const OURS = adapters.shopperIntent;
// Our files' names in a CPU profile: the tag and the engine.
const OUR_FILES = ['shopper-intent.js', 'shopper_intent_bg.wasm'];
const LIBS = [OURS, ...PEERS];
// Ours again with the start's files preloaded: in the load rounds only (per event it is the same tag).
const PRELOADED = adapters.shopperIntentPreloaded;
const LOADED = [...LIBS, PRELOADED];

const READY_TIMEOUT_MS = 20_000;
const LOAD_SETTLE_MS = 500; // after ready: what the init scheduled still counts as load
const SINK_QUIET_MS = 300;
const SETTLE_MAX_MS = 4000;
// Nothing may leave the machine: every host but the bench server's fails to resolve, so a peer
// that calls home gets an error, not a network request.
const CHROMIUM_EXTRA = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

const harness = fs.readFileSync(path.join(HERE, 'harness.js'), 'utf8');
const pageHtml = (a) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench: ${a.label}</title>
<script>${harness}</script>${a.load}
</head><body><main><h1>Linen shirt</h1><p>Washed linen, relaxed fit.</p><p>$10.00</p><button type="button">Add to cart</button></main></body></html>`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
}

/** Waits `minMs`, then until the sink has been quiet for SINK_QUIET_MS; false if it was still
 * busy after SETTLE_MAX_MS. */
async function settle(sink, minMs) {
  const start = Date.now();
  await sleep(minMs);
  while (Date.now() - sink.lastAt < SINK_QUIET_MS) {
    if (Date.now() - start > SETTLE_MAX_MS) return false;
    await sleep(50);
  }
  return true;
}

// The event loops, each run in the page (harness.js) with its arguments.
const LOOPS = {
  lone: [([n, idle]) => __bench.lone(n, idle), () => [LONE, IDLE_MS]],
  batches: [([n, k, max]) => __bench.batches(n, k, max), () => [EVENTS, BATCH, LOOP_MAX_MS]],
  sync: [([n, max]) => __bench.sync(n, max), (a) => [Math.min(EVENTS, a.syncEvents || Infinity), LOOP_MAX_MS]],
};

/**
 * Loop `k` on a ready page: the call's own time, and the main-thread task time from just before it
 * until the library's sends settle (at most SETTLE_MAX_MS: `settled` false when work was still
 * going on, so `totalUs` is then a lower bound).
 */
async function timeLoop(page, cdp, sink, a, k) {
  const [fn, args] = LOOPS[k];
  const sentBefore = sink.count;
  const before = await taskMs(cdp);
  const r = await page.evaluate(fn, args(a));
  const settled = await settle(sink, a.settleMs);
  const totalMs = (await taskMs(cdp)) - before;
  const out = { events: r.events, callUs: (r.ms * 1000) / r.events, totalUs: (totalMs * 1000) / r.events, sends: sink.count - sentBefore, settled };
  if (k === 'lone') out.medianCallUs = stats(r.times).median * 1000;
  return out;
}

/** A fresh context and page, `a`'s bench page navigated to (load `id`) and ready. */
async function open(browser, srv, a, id, onCdp, query = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const messages = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const extra = onCdp ? await onCdp(cdp) : null;
  const url = `${srv.base}bench/${a.id}.html?load=${id}${query}`;
  // The page says when it is ready (harness.js): polling it would put our own scripts on its main
  // thread while the library loads.
  const ready = page.waitForEvent('console', { predicate: (m) => m.text() === `bench:ready:${id}`, timeout: READY_TIMEOUT_MS });
  try {
    await page.goto(url);
    await ready;
  } catch (e) {
    ready.catch(() => {});
    const errors = await page.evaluate(() => window.__bench && window.__bench.errors).catch(() => null);
    await context.close();
    const why = [...(errors || []), ...messages].slice(0, 5).join('\n    ') || e.message.split('\n')[0];
    throw new Error(`${a.label}: not ready after ${READY_TIMEOUT_MS / 1000} s:\n    ${why}`);
  }
  return { context, page, cdp, url, messages, extra };
}

/**
 * One traced load of `a` (the caller traces): the network log, with every body it received, and
 * what the page saw; the trace's figures are added by `fromTrace` once the trace is read.
 */
async function loadRun(browser, srv, a, id) {
  const { context, page, cdp, url, messages, extra: requests } = await open(browser, srv, a, id, async (c) => {
    await c.send('Network.enable');
    return recordNetwork(c);
  });
  try {
    await page.waitForTimeout(LOAD_SETTLE_MS);
    const b = await page.evaluate(() => ({ t0: __bench.t0, readyAt: __bench.readyAt, longtasks: __bench.longtasks, errors: __bench.errors, isolated: crossOriginIsolated }));
    // Every request but the page itself and the browser's favicon; those sent before ready are
    // picked once the trace tells when ready was.
    const sent = [];
    for (const r of requests.values()) {
      if (r.url === url || r.url.endsWith('/favicon.ico')) continue;
      const body = r.done !== null && !r.failed ? await responseBody(cdp, r.id) : null;
      sent.push({ ...r, url: r.url.replace(srv.base, '/'), raw: body ? body.length : 0, gzip: body && body.length ? gzipSize(body) : 0 });
    }
    const longLoad = b.longtasks.filter((t) => t.start < b.readyAt + LOAD_SETTLE_MS);
    return {
      id,
      sent,
      readyWallMs: b.readyAt - b.t0,
      longTasksLoad: longLoad.length,
      longTasksLoadMs: longLoad.reduce((x, t) => x + t.duration, 0),
      crossOriginIsolated: b.isolated,
      pageErrors: [...b.errors, ...messages].slice(0, 10),
    };
  } finally {
    await context.close();
  }
}

/** Adds to load run `run` what its trace and its network log say, now that ready is known. */
function fromTrace(run, events, label) {
  const thread = mainThread(events, run.id);
  if (!thread || thread.ready === null) throw new Error(`${label}: the trace has no bench:t0/bench:ready marks for load ${run.id}`);
  const early = run.sent.filter((r) => r.sent < thread.ready);
  run.files = early.map((r) => ({ url: r.url, status: r.status, failed: r.failed, raw: r.raw, gzip: r.gzip, ms: r.done === null ? null : (r.done - r.sent) / 1000 }));
  run.bytesGzip = early.reduce((x, r) => x + r.gzip, 0);
  run.requests = early.length;
  run.roundTrips = roundTrips(early, thread.ready);
  run.readyMainMs = busyUs(thread, thread.t0, thread.ready) / 1000;
  run.loadMainMs = busyUs(thread, thread.t0, thread.ready + LOAD_SETTLE_MS * 1000) / 1000;
  run.startSelfUs = selfTimes(thread, thread.t0, thread.ready);
  run.readyScriptMs = run.readyMainMs - renderingUs(run.startSelfUs) / 1000;
  delete run.sent;
}

/** A fresh load of `a` (untraced), settled, then event loop `k`; `{ failed }` when the tab
 * crashed or the loop threw. */
async function eventRun(browser, srv, a, k, id) {
  const { context, page, cdp, messages } = await open(browser, srv, a, id);
  try {
    await settle(srv.sink, LOAD_SETTLE_MS);
    await page.evaluate(`window.__bench.trackOne = ${a.trackOne}`);
    const longBefore = await page.evaluate(() => __bench.longtasks.length);
    const run = await timeLoop(page, cdp, srv.sink, a, k);
    run.longTasks = (await page.evaluate(() => __bench.longtasks.length)) - longBefore;
    run.pageErrors = [...(await page.evaluate(() => __bench.errors)), ...messages].slice(0, 10);
    return run;
  } catch (e) {
    return { failed: e.message.split('\n')[0], pageErrors: messages.slice(0, 10) };
  } finally {
    await context.close().catch(() => {});
  }
}

/** One visitor of ours growing to 1,000,000 events: µs per event and the stored profile's size. */
async function growthRun(browser, srv, id) {
  const { context, page } = await open(browser, srv, OURS, id);
  try {
    await page.evaluate(`window.__bench.trackOne = ${OURS.trackOne}`);
    return await page.evaluate(([pts, b, f]) => __bench.growth(pts, b, f), [GROWTH_POINTS, GROWTH_BATCH, GROWTH_FILL]);
  } finally {
    await context.close();
  }
}

/** Our script start → ready as a CPU profile (sampled every 50 µs): self time per function. */
async function profileRun(browser, srv, id) {
  let done;
  const finished = new Promise((r) => (done = r));
  const { context } = await open(browser, srv, OURS, id, async (c) => {
    await c.send('Profiler.enable');
    await c.send('Profiler.setSamplingInterval', { interval: 50 });
    c.on('Profiler.consoleProfileFinished', (e) => done(e.profile));
  }, '&profile');
  try {
    const profile = await Promise.race([finished, sleep(5000).then(() => null)]);
    if (!profile) throw new Error('no CPU profile of the start came back');
    return { ...profileTimes(profile, OUR_FILES), totalUs: profile.endTime - profile.startTime };
  } finally {
    await context.close();
  }
}

// ---- the report ------------------------------------------------------------------------------------

// The table's rows: `load` reads a figure of one load run; `loop` + `key` one of an event loop's
// runs, `less` taking the harness's own cost (the blank page's) off. A loop figure whose work had
// not settled in some run is a lower bound (≥).
const ROWS = [
  { id: 'bytes', label: 'bytes loaded at start (gzip -9, from the network)', digits: 0, load: (r) => r.bytesGzip },
  { id: 'requests', label: 'requests before ready', digits: 0, load: (r) => r.requests },
  { id: 'roundTrips', label: 'round trips before ready', digits: 0, load: (r) => r.roundTrips },
  { id: 'snippet', label: 'inline snippet in the page (gzip -9)', digits: 0, load: (r) => r.snippetGzip },
  { id: 'readyMain', label: 'script start → ready, main-thread ms', digits: 1, load: (r) => r.readyMainMs },
  { id: 'readyScript', label: "  the same, less the page's own parse, style, layout, paint", digits: 1, load: (r) => r.readyScriptMs },
  { id: 'readyWall', label: 'script start → ready, wall ms', digits: 1, load: (r) => r.readyWallMs },
  { id: 'syncCall', label: `per event, ${num(EVENTS, 0)} in one task: the call, µs`, digits: 2, loop: 'sync', key: 'callUs' },
  { id: 'syncTotal', label: `per event, ${num(EVENTS, 0)} in one task: incl. deferred work, µs`, digits: 2, loop: 'sync', key: 'totalUs', less: true },
  { id: 'batchCall', label: `per event, ${BATCH} per task: the call, µs`, digits: 2, loop: 'batches', key: 'callUs' },
  { id: 'batchTotal', label: `per event, ${BATCH} per task: incl. deferred work, µs`, digits: 2, loop: 'batches', key: 'totalUs', less: true },
  { id: 'loneCall', label: `lone event after ${IDLE_MS} ms idle: the call (median), µs`, digits: 1, loop: 'lone', key: 'medianCallUs' },
  { id: 'loneTotal', label: `lone event after ${IDLE_MS} ms idle: incl. deferred work, µs`, digits: 1, loop: 'lone', key: 'totalUs', less: true },
  { id: 'longTasks', label: 'long tasks > 50 ms during load', digits: 0, load: (r) => r.longTasksLoad },
  { id: 'loadMain', label: `main thread, script start → ready + ${LOAD_SETTLE_MS} ms, ms`, digits: 1, load: (r) => r.loadMainMs },
];

/** Each row's stats for one library: its load runs `runs`, its loop runs `loops`, `base` the
 * harness's own cost per loop. */
function summarize(runs, loops, base) {
  return Object.fromEntries(ROWS.map((row) => {
    const done = row.loop ? loops[row.loop].filter((r) => !r.failed) : [];
    const xs = row.load ? runs.map(row.load) : done.map((r) => r[row.key] - (row.less ? base[row.loop] : 0));
    const st = stats(xs);
    const nominal = row.loop === 'lone' ? LONE : EVENTS;
    return [row.id, st && { ...st, bound: done.some((r) => !r.settled), fewer: done.some((r) => r.events < nominal) }];
  }));
}

const gz = (s) => gzipSize(Buffer.from(s));

function loadAverage() {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return os.loadavg().map((x) => x.toFixed(2)).join(' ');
  }
}

async function main() {
  for (const f of ['shopper-intent.js', 'shopper_intent_bg.wasm', 'shopper-intent.model.bin']) {
    if (!fs.existsSync(path.join(PKG, f))) throw new Error(`${path.join(PKG, f)} is missing: run 'make build' first`);
  }
  const pages = new Map([...LOADED, adapters.blank].map((a) => [a.id, pageHtml(a)]));
  const srv = await startServer({
    mounts: [['/pkg/', PKG], ['/nm/', NM]],
    pages,
    segmentDist: path.join(NM, '@segment', 'analytics-next', 'dist', 'umd'),
    posthogDist: path.join(NM, 'posthog-js', 'dist'),
  });
  const browser = await launchChromium(CHROMIUM_EXTRA);
  const started = Date.now();
  const loadBefore = loadAverage();
  try {
    console.error(`bench: ${LIBS.length} libraries × ${RUNS} loads (${EVENT_RUNS} with events), Chromium ${browser.version()}, load average ${loadBefore}`);
    // Loads, round-robin so that drift on a shared machine spreads evenly; one trace per round
    // (stopping a trace costs seconds: once per round, not per load).
    const runs = Object.fromEntries(LOADED.map((a) => [a.id, []]));
    for (let i = 0; i < RUNS; i++) {
      await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
      const round = [];
      try {
        for (const a of LOADED) {
          round.push([a, await loadRun(browser, srv, a, `${i}-${a.id}`)]);
          process.stderr.write('.');
        }
      } finally {
        const events = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
        for (const [a, run] of round) fromTrace(run, events, a.label);
      }
      for (const [a, run] of round) runs[a.id].push(run);
    }
    process.stderr.write(` loads: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    // Event loops: each on a fresh page of its own, so nothing one loop queued weighs on another.
    const loops = Object.fromEntries([...LIBS, adapters.blank].map((a) => [a.id, Object.fromEntries(Object.keys(LOOPS).map((k) => [k, []]))]));
    for (let i = 0; i < EVENT_RUNS; i++) {
      for (const k of Object.keys(LOOPS)) {
        for (const a of [...LIBS, adapters.blank]) {
          loops[a.id][k].push(await eventRun(browser, srv, a, k, `e${i}-${k}-${a.id}`));
          process.stderr.write(k[0]);
        }
      }
    }
    process.stderr.write(` events: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const profiles = [];
    for (let i = 0; i < PROFILE_RUNS; i++) {
      profiles.push(await profileRun(browser, srv, `p${i}`));
      process.stderr.write('p');
    }
    const growth = [];
    for (let i = 0; i < GROWTH_RUNS; i++) {
      growth.push(await growthRun(browser, srv, `g${i}`));
      process.stderr.write('g');
    }
    if (GROWTH_RUNS) process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const loadAfter = loadAverage();

    // The harness's own cost per event in each loop (median of the blank page's runs).
    const base = Object.fromEntries(Object.keys(LOOPS).map((k) => [k, stats(loops.blank[k].filter((r) => !r.failed).map((r) => r.totalUs)).median]));
    for (const a of LOADED) for (const r of runs[a.id]) r.snippetGzip = gz(a.load);
    const summary = Object.fromEntries(LIBS.map((a) => [a.id, summarize(runs[a.id], loops[a.id], base)]));

    const head = ['', OURS.label];
    for (const a of PEERS) head.push(a.label, 'ours/theirs');
    const rows = [head];
    for (const row of ROWS) {
      const at = (a) => {
        const st = summary[a.id][row.id];
        return (st && st.bound ? '≥ ' : '') + cell(st, row.digits) + (st && st.fewer ? ' *' : '');
      };
      rows.push([row.label, at(OURS), ...PEERS.flatMap((a) => [at(a), ratio(summary[OURS.id][row.id], summary[a.id][row.id])])]);
    }

    const cpu = os.cpus();
    const machine = `${cpu[0] ? cpu[0].model.trim() : 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`;
    const isolated = LIBS.every((a) => runs[a.id].every((r) => r.crossOriginIsolated));
    console.log(`\n## Side by side: median (min–max) of ${RUNS} fresh loads per library; per-event rows: ${EVENT_RUNS} fresh loads per loop\n`);
    console.log(table(rows));
    console.log(`\nChromium ${browser.version()} headless; ${machine}; node ${process.version}; load average (1, 5, 15 min) ${loadBefore} at the start, ${loadAfter} at the end.${isolated ? '' : ' WARNING: pages were not cross-origin isolated: the page clock resolves only 100 µs.'}`);

    // Goals (issue 10).
    const o = summary[OURS.id];
    const goal = (ok, text) => console.log(`- ${ok ? 'met' : 'MISSED'}: ${text}`);
    console.log('\nGoals:');
    goal(o.readyMain.median <= 5, `ready ≤ 5 ms of main-thread time: ${num(o.readyMain.median, 1)} ms (${num(o.readyScript.median, 1)} ms less the page's own rendering)`);
    goal(o.syncTotal.median <= 2, `track() ≤ 2 µs, ${num(EVENTS, 0)} in one task: ${num(o.syncTotal.median, 2)} µs incl. deferred work (the call: ${num(o.syncCall.median, 2)} µs)`);
    goal(o.batchTotal.median <= 2, `track() ≤ 2 µs, ${BATCH} per task: ${num(o.batchTotal.median, 2)} µs incl. deferred work (the call: ${num(o.batchCall.median, 2)} µs)`);
    const lone = (a) => `${a.label} ${num(summary[a.id].loneTotal.median, 1)} (the call ${num(summary[a.id].loneCall.median, 1)})`;
    if (PEERS.includes(adapters.growthbook)) goal(o.loneTotal.median < summary.growthbook.loneTotal.median, `the lone event below GrowthBook's, incl. deferred work: ${lone(OURS)} µs against ${lone(adapters.growthbook)} µs`);
    goal(PEERS.every((a) => o.loneTotal.median < summary[a.id].loneTotal.median), `the lone event below every peer's: ${PEERS.map(lone).join(', ')} µs`);

    // Ours with the scorer and the model preloaded beside the tag (the README's optional hints).
    const noLoops = Object.fromEntries(Object.keys(LOOPS).map((k) => [k, []]));
    const pre = summarize(runs[PRELOADED.id], noLoops, base);
    const preRows = [['', OURS.label, PRELOADED.label, 'preloaded/plain']];
    for (const row of ROWS.filter((r) => r.load)) {
      preRows.push([row.label, cell(summary[OURS.id][row.id], row.digits), cell(pre[row.id], row.digits), ratio(pre[row.id], summary[OURS.id][row.id])]);
    }
    console.log(`\n## Ours with the start's files preloaded (two <link rel=preload> beside the tag), the same ${RUNS} rounds\n`);
    console.log(table(preRows));

    console.log('\nWhat each library loaded before ready (gzip -9 bytes, first load):');
    for (const a of LIBS) {
      const r = runs[a.id][0];
      console.log(`- ${a.label} (${a.api}): ${r.files.map((f) => `${f.url} ${num(f.gzip, 0)}${f.failed ? ` (${f.failed})` : ''}`).join(', ') || 'nothing'}.`);
    }
    const perLoop = (a, f) => Object.keys(LOOPS).map((k) => f(loops[a.id][k])).join(' / ');
    const sendsOf = (rs) => {
      const st = stats(rs.filter((r) => !r.failed).map((r) => r.sends));
      return st ? num(st.median, 0) : '–';
    };
    console.log(`Requests to the sink per loop (lone / ${BATCH} per task / one task, median): ${LIBS.map((a) => `${a.label} ${perLoop(a, sendsOf)}`).join('; ')}.`);
    if (LIBS.some((a) => ROWS.some((row) => summary[a.id][row.id] && summary[a.id][row.id].bound))) console.log(`≥: that library's sends were still going on ${num(SETTLE_MAX_MS, 0)} ms after the loop in some loads: its deferred work is counted until then only.`);
    const failed = LIBS.flatMap((a) => Object.entries(loops[a.id]).flatMap(([k, rs]) => rs.filter((r) => r.failed).map((r) => `${a.label} ${k}: ${r.failed}`)));
    if (failed.length) console.log(`Loops that failed (left out of the figures): ${failed.join('; ')}.`);
    const cut = LIBS.flatMap((a) => ['batches', 'sync'].flatMap((k) => {
      const sent = stats(loops[a.id][k].filter((r) => !r.failed && r.events < EVENTS).map((r) => r.events));
      return sent ? [`${a.label} ${k === 'sync' ? 'in one task' : `${BATCH} per task`} ${num(sent.min, 0)}–${num(sent.max, 0)}`] : [];
    }));
    if (cut.length) console.log(`*: fewer than ${num(EVENTS, 0)} events, the per-event figure is over those sent (a loop stops after BENCH_LOOP_MAX_MS, ${num(LOOP_MAX_MS, 0)} ms, of calls): ${cut.join(', ')}.`);
    for (const a of LIBS) if (a.syncEvents && a.syncEvents < EVENTS) console.log(`${a.label}: at most ${num(a.syncEvents, 0)} events in one task: ${a.syncWhy}.`);
    console.log(`The harness's own cost per event, taken off "incl. deferred work" (blank page): lone ${num(base.lone, 1)} µs, ${BATCH} per task ${num(base.batches, 2)} µs, one task ${num(base.sync, 2)} µs.`);
    const errors = LIBS.flatMap((a) => [...runs[a.id], ...Object.values(loops[a.id]).flat()].flatMap((r) => r.pageErrors.map((e) => `${a.label}: ${e}`)));
    if (errors.length) console.log(`Page errors and warnings (${errors.length}; first ones): ${[...new Set(errors)].slice(0, 6).join(' | ')}`);

    // Where our start → ready main-thread time goes: self time per kind of trace slice.
    const kinds = {};
    for (const r of runs[OURS.id]) for (const [k, us] of Object.entries(r.startSelfUs)) kinds[k] = (kinds[k] || 0) + us / runs[OURS.id].length;
    const top = Object.entries(kinds).sort((x, y) => y[1] - x[1]).slice(0, 10);
    console.log(`\nOur script start → ready on the main thread, by trace slice (self time, mean of ${RUNS} loads): ${top.map(([k, us]) => `${k} ${num(us / 1000, 2)} ms`).join(', ')}.`);

    if (profiles.length) {
      const mean = (key) => {
        const m = {};
        for (const p of profiles) for (const [k, us] of Object.entries(p[key])) m[k] = (m[k] || 0) + us / profiles.length;
        return Object.entries(m).sort((x, y) => y[1] - x[1]);
      };
      const ms = ([k, us]) => `${k} ${num(us / 1000, 2)} ms`;
      const total = stats(profiles.map((p) => p.totalUs)).median;
      console.log(`\nOur start as a CPU profile (CDP Profiler, 50 µs sampling, script start → ready, mean of ${profiles.length} loads, ${num(total / 1000, 1)} ms median wall): by script file, callees included: ${mean('inclusive').slice(0, 6).map(ms).join(', ')}; under our files, by function, self time: ${mean('self').slice(0, 12).map(ms).join(', ')}.`);
    }

    let growthSummary = null;
    if (growth.length) {
      const growthRows = [['events already tracked', 'events timed', `µs per event, median (min–max) of ${growth.length} visitor(s)`, 'stored profile, bytes']];
      growthSummary = GROWTH_POINTS.map((p, k) => {
        const pts = growth.map((g) => g[k]);
        const us = stats(pts.map((x) => x.usPerEvent));
        const stored = stats(pts.map((x) => x.state && x.state.storedBytes));
        growthRows.push([num(p, 0), num(pts[0].events, 0), cell(us, 3), cell(stored, 0)]);
        return { at: p, events: pts[0].events, usPerEvent: us, storedBytes: stored };
      });
      console.log(`\n## Growth: one visitor, shopper-intent track() from 10 to ${num(GROWTH_POINTS.at(-1), 0)} events (a new item id every event; ${num(GROWTH_FILL, 0)} untimed events per task between points)\n`);
      console.log(table(growthRows));
    }

    const seconds = (Date.now() - started) / 1000;
    const results = {
      date: new Date().toISOString(),
      command: 'node tests/bench/run.mjs',
      machine,
      loadAverage: { start: loadBefore, end: loadAfter },
      chromium: browser.version(),
      node: process.version,
      settings: { runs: RUNS, eventRuns: EVENT_RUNS, events: EVENTS, batch: BATCH, lone: LONE, idleMs: IDLE_MS, loopMaxMs: LOOP_MAX_MS, growthRuns: GROWTH_RUNS, growthPoints: GROWTH_POINTS },
      rows: ROWS.map((row) => ({ id: row.id, label: row.label })),
      libraries: Object.fromEntries(LIBS.map((a) => [a.id, { label: a.label, api: a.api, trackOne: a.trackOne, summary: summary[a.id], runs: runs[a.id], loops: loops[a.id] }])),
      preloaded: { label: PRELOADED.label, api: PRELOADED.api, summary: pre, runs: runs[PRELOADED.id] },
      harness: { perEventUs: base, loops: loops.blank },
      growth: { summary: growthSummary, runs: growth },
      profiles,
      seconds,
    };
    fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nRaw results: ${path.relative(process.cwd(), RESULTS)} (${seconds.toFixed(0)} s).`);
  } finally {
    await browser.close();
    srv.close();
  }
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
