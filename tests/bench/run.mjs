#!/usr/bin/env node
// The browser half of `make bench`: the same minimal page loaded in one headless Chromium with each
// of shopper-intent, posthog-js, @snowplow/browser-tracker and @growthbook/growthbook; one table of
// medians (min–max) with our ratio beside each peer, then our cost per event and state size as one
// visitor grows to 1,000,000 events. Raw figures go to tests/bench/results.json.
//
//   node tests/bench/run.mjs            (after `make wasm-pkg`; `make bench` does both)
//
// Environment: BENCH_RUNS (page loads per library, 7), BENCH_EVENT_RUNS (how many of those also
// track the events, 3), BENCH_EVENTS (10000), BENCH_BATCH (events per task, 10), BENCH_GROWTH_RUNS
// (visitors grown to 1,000,000 events, 3; 0 skips), BENCH_OURS (auto | tag | scorer: which
// shopper-intent API; auto prefers the one-tag install), BENCH_PKG (the build to measure, pkg/),
// BENCH_ONLY (comma-separated peer ids to run).
//
// Every time is taken inside the page (performance.now() around synchronous loops; the page is
// cross-origin isolated so the clock resolves 5 µs, not 100 µs). "Incl. deferred work" is
// Chromium's own count of main-thread task time (CDP Performance.getMetrics TaskDuration) across
// the events and the library's flush window afterwards, less the same on a blank page (the
// harness's own loops and pacing). Each load is a fresh browser context; peers' sends go to /sink/.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, ROOT, launchChromium } from '../chromium.mjs';
import * as adapters from './adapters.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// BENCH_PKG: another build to measure as ours (e.g. a worktree's pkg/); the repo's pkg/ by default.
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, 'pkg'));
const MOUNTS = [
  ['/pkg/', PKG],
  ['/nm/', path.join(ROOT, 'tests', 'node_modules')],
];
const POSTHOG_DIST = path.join(ROOT, 'tests', 'node_modules', 'posthog-js', 'dist');
const RESULTS = path.join(HERE, 'results.json');

const envInt = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, found '${v}'`);
  return Number(v);
};
const RUNS = Math.max(1, envInt('BENCH_RUNS', 7));
const EVENTS = Math.max(1, envInt('BENCH_EVENTS', 10_000));
const EVENT_RUNS = Math.min(RUNS, envInt('BENCH_EVENT_RUNS', 3));
// Events per macrotask. Trackers queue and send asynchronously: between batches their timers and
// sends run. Bigger bursts make Snowplow's localStorage queue re-serialize itself per event
// (quadratic: at 100 per task its deferred work passes 10 ms per event, minutes per load).
const BATCH = Math.max(1, envInt('BENCH_BATCH', 10));
const GROWTH_BATCH = 1000;
const GROWTH_WARM = 20_000; // events on a throwaway visitor first, where the adapter has one
const GROWTH_RUNS = envInt('BENCH_GROWTH_RUNS', 3);
const GROWTH_POINTS = [10, 1000, 100_000, 1_000_000];
const GROWTH_FILL = 10_000; // untimed events per macrotask while a visitor grows to the next point
const OURS = process.env.BENCH_OURS || 'auto';
// Peers to run (comma-separated ids), for working on one of them; all by default.
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const PEERS = adapters.peers.filter((a) => !ONLY || ONLY.includes(a.id));
if (!['auto', 'tag', 'scorer'].includes(OURS)) throw new Error(`BENCH_OURS must be auto, tag or scorer, found '${OURS}'`);
const READY_TIMEOUT_MS = 15_000;
const LOAD_SETTLE_MS = 300; // after ready: tasks the init scheduled still count as "load"
const SINK_QUIET_MS = 300;
const SETTLE_MAX_MS = 6000;

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html; charset=utf-8' };
// Cross-origin isolation gives performance.now() 5 µs resolution; everything here is same-origin.
const HEADERS = {
  'Cache-Control': 'no-store',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// ---- the server: bench pages, pkg/, node_modules/, and the sink -----------------------------------

const harness = fs.readFileSync(path.join(HERE, 'harness.js'), 'utf8');
const pages = new Map(); // id -> html
const pageHtml = (a) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench: ${a.label}</title>
<script>${harness}</script>${a.load}
</head><body><main><h1>Linen shirt</h1><p>Washed linen, relaxed fit.</p><p>$10.00</p><button type="button">Add to cart</button></main></body></html>`;

let rec = null; // what the current load fetched and sent
const record = () => (rec = { served: [], sink: [], lastSinkAt: Date.now() });

function resolveUnder(dir, rel) {
  const file = path.resolve(dir, '.' + path.posix.sep + rel);
  return file.startsWith(dir + path.sep) ? file : null;
}

function serveFile(res, file, urlPath) {
  fs.readFile(file, (err, body) => {
    if (err) return void (res.writeHead(404, HEADERS), res.end());
    if (rec && /\.(m?js|wasm)$/.test(file)) rec.served.push({ url: urlPath, file });
    res.writeHead(200, { ...HEADERS, 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
    res.end(body);
  });
}

function handle(req, res) {
  let p;
  try {
    p = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  } catch {
    return void (res.writeHead(400, HEADERS), res.end());
  }
  if (p.startsWith('/sink/')) {
    // PostHog loads its lazy extensions from `${api_host}/static/` as from its CDN: serve the real
    // files (and count their bytes) rather than pretend they are empty.
    const ext = /^\/sink\/ph\/static\/(?:[\d.]+\/)?([\w.-]+\.js)$/.exec(p);
    if (ext && fs.existsSync(path.join(POSTHOG_DIST, ext[1]))) return serveFile(res, path.join(POSTHOG_DIST, ext[1]), p);
    let bytes = 0;
    req.on('data', (c) => (bytes += c.length));
    req.on('end', () => {
      if (rec) {
        rec.sink.push({ method: req.method, path: p, bytes });
        rec.lastSinkAt = Date.now();
      }
      const js = p.endsWith('.js');
      res.writeHead(200, { ...HEADERS, 'Content-Type': js ? 'text/javascript' : 'application/json' });
      res.end(js ? '' : '{}');
    });
    return;
  }
  if (p === '/favicon.ico') return void (res.writeHead(204, HEADERS), res.end());
  const page = /^\/bench\/([\w-]+)\.html$/.exec(p);
  if (page && pages.has(page[1])) {
    res.writeHead(200, { ...HEADERS, 'Content-Type': MIME['.html'] });
    return void res.end(pages.get(page[1]));
  }
  for (const [prefix, dir] of MOUNTS) {
    if (!p.startsWith(prefix)) continue;
    const file = resolveUnder(dir, p.slice(prefix.length));
    if (file && !p.split('/').includes('..')) return serveFile(res, file, p);
  }
  res.writeHead(404, HEADERS);
  res.end();
}

// ---- measuring ------------------------------------------------------------------------------------

const gzCache = new Map();
/** gzip -9 size of a file, as scripts/sizes.sh counts it. */
function gzipSize(file) {
  if (!gzCache.has(file)) {
    let n;
    try {
      n = execFileSync('gzip', ['-9c', file], { maxBuffer: 64 << 20 }).length;
    } catch {
      n = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
    }
    gzCache.set(file, n);
  }
  return gzCache.get(file);
}

async function taskMs(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value * 1000;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits at least `minMs`, then until the sink has been quiet for a moment (at most SETTLE_MAX_MS). */
async function settle(r, minMs) {
  const start = Date.now();
  await sleep(minMs);
  while (Date.now() - r.lastSinkAt < SINK_QUIET_MS && Date.now() - start < SETTLE_MAX_MS) await sleep(50);
}

/** A fresh context and page with `adapter` loaded and ready; throws with the page's errors if not. */
async function open(browser, base, adapter, timeoutMs = READY_TIMEOUT_MS) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const messages = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const r = record();
  try {
    await page.goto(`${base}bench/${adapter.id}.html`);
    await page.waitForFunction(() => window.__bench.readyAt !== null, null, { timeout: timeoutMs });
  } catch (e) {
    const errors = await page.evaluate(() => window.__bench && window.__bench.errors).catch(() => null);
    await context.close();
    const why = [...(errors || []), ...messages].slice(0, 5).join('\n    ') || e.message.split('\n')[0];
    throw new Error(`${adapter.label}: not ready after ${timeoutMs / 1000} s:\n    ${why}`);
  }
  await page.evaluate(`window.__bench.trackOne = ${adapter.trackOne}`);
  return { context, page, cdp, rec: r, messages };
}

/** One fresh page load of `adapter`: bytes, ready time, long tasks; then, if `events`, the timed events. */
async function loadRun(browser, base, adapter, events) {
  const { context, page, cdp, rec: r, messages } = await open(browser, base, adapter);
  try {
    await page.waitForTimeout(LOAD_SETTLE_MS);
    const loadMs = await taskMs(cdp);
    let perEvent = {};
    if (events) {
      const batches = await page.evaluate(([n, b]) => window.__bench.events(n, b), [EVENTS, BATCH]);
      await settle(r, adapter.settleMs);
      const after = await taskMs(cdp);
      perEvent = {
        usPerEventSync: (batches.reduce((x, y) => x + y, 0) * 1000) / EVENTS,
        usPerEventTotal: ((after - loadMs) * 1000) / EVENTS,
        batchesMs: batches,
      };
    }
    const b = await page.evaluate(() => {
      const b = window.__bench;
      return { t0: b.t0, readyAt: b.readyAt, eventsStart: b.eventsStart ?? Infinity, longtasks: b.longtasks, errors: b.errors, isolated: crossOriginIsolated };
    });
    const files = [...new Map(r.served.map((s) => [s.file, s])).values()].map((s) => ({ url: s.url, gzip: gzipSize(s.file), raw: fs.statSync(s.file).size }));
    const loadLong = b.longtasks.filter((t) => t.start < b.eventsStart);
    return {
      bytesGzip: files.reduce((x, f) => x + f.gzip, 0),
      files,
      readyMs: b.readyAt - b.t0,
      loadMainThreadMs: loadMs,
      longTasksLoad: loadLong.length,
      longTasksLoadMs: loadLong.reduce((x, t) => x + t.duration, 0),
      longTasksEvents: b.longtasks.length - loadLong.length,
      ...perEvent,
      sinkRequests: r.sink.length,
      sinkBytes: r.sink.reduce((x, s) => x + s.bytes, 0),
      sinkPaths: [...new Set(r.sink.map((s) => s.path.replace(/\d+/g, 'N')))].slice(0, 20),
      crossOriginIsolated: b.isolated,
      pageErrors: [...b.errors, ...messages].slice(0, 10),
    };
  } finally {
    await context.close();
  }
}

/** One visitor growing to 1,000,000 events: µs per event and state size at each point. */
async function growthRun(browser, base, adapter) {
  const { context, page } = await open(browser, base, adapter);
  try {
    return await page.evaluate(([pts, b, f, w]) => window.__bench.growth(pts, b, f, w), [GROWTH_POINTS, GROWTH_BATCH, GROWTH_FILL, GROWTH_WARM]);
  } finally {
    await context.close();
  }
}

/** The one-tag install when pkg/ has it and it comes up; else the Scorer glue (said so in the output). */
async function chooseOurs(browser, base) {
  const loader = path.join(PKG, 'shopper-intent.js');
  if (OURS === 'scorer') return { adapter: adapters.shopperIntentScorer, note: 'BENCH_OURS=scorer' };
  if (!fs.existsSync(loader)) {
    if (OURS === 'tag') throw new Error('BENCH_OURS=tag but pkg/shopper-intent.js is missing: run make wasm-pkg');
    return { adapter: adapters.shopperIntentScorer, note: 'pkg/shopper-intent.js is not built yet: measured the Scorer glue (same core and wasm)' };
  }
  pages.set('shopper-intent', pageHtml(adapters.shopperIntentTag));
  try {
    const { context, page } = await open(browser, base, adapters.shopperIntentTag, 10_000);
    const ok = await page.evaluate(() => typeof (window.shopperIntent && window.shopperIntent.track) === 'function');
    await context.close();
    if (!ok) throw new Error('window.shopperIntent.track is not a function');
    return { adapter: adapters.shopperIntentTag, note: 'the one-tag install' };
  } catch (e) {
    if (OURS === 'tag') throw e;
    return { adapter: adapters.shopperIntentScorer, note: `the one-tag install did not come up (${e.message.split('\n')[0]}): measured the Scorer glue` };
  }
}

// ---- reporting ------------------------------------------------------------------------------------

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

const num = (v, digits) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
function cell(st, digits) {
  const m = num(st.median, digits);
  return num(st.min, digits) === num(st.max, digits) ? m : `${m} (${num(st.min, digits)}–${num(st.max, digits)})`;
}
function ratio(ours, theirs) {
  if (theirs === 0) return ours === 0 ? '–' : 'n/a';
  const r = ours / theirs;
  if (r === 0) return '0×';
  return `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`;
}

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

const METRICS = [
  ['bytes loaded: all JS + wasm, gzip -9', 'bytesGzip', 0],
  ['script start → ready, ms', 'readyMs', 1],
  ['main thread per event, µs (the call itself)', 'usPerEventSync', 2],
  ['main thread per event, µs (incl. deferred work)', 'usPerEventDeferred', 2],
  ['long tasks > 50 ms during load, count', 'longTasksLoad', 0],
  ['long tasks > 50 ms during load, total ms', 'longTasksLoadMs', 0],
  ['main thread busy during load, ms', 'loadMainThreadMs', 1],
];

// ---- main -----------------------------------------------------------------------------------------

async function main() {
  for (const f of ['shopper_intent.js', 'shopper_intent_bg.wasm']) {
    if (!fs.existsSync(path.join(PKG, f))) throw new Error(`${path.join(PKG, f)} is missing: run make wasm-pkg first`);
  }
  for (const a of [...PEERS, adapters.blank]) pages.set(a.id, pageHtml(a));

  const server = http.createServer(handle);
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launchChromium();
  const started = Date.now();
  try {
    const ours = await chooseOurs(browser, base);
    pages.set('shopper-intent', pageHtml(ours.adapter));
    const libs = [ours.adapter, ...PEERS];
    console.error(`bench: ${libs.length} libraries × ${RUNS} loads (${EVENT_RUNS} of them with ${EVENTS.toLocaleString('en-US')} events), in Chromium ${browser.version()}; shopper-intent: ${ours.note}`);

    // Round-robin, so drift on a shared machine spreads evenly over the libraries.
    const runs = Object.fromEntries(libs.map((a) => [a.id, []]));
    const blankRuns = [];
    for (let i = 0; i < RUNS; i++) {
      for (const a of libs) {
        runs[a.id].push(await loadRun(browser, base, a, i < EVENT_RUNS));
        process.stderr.write('.');
      }
      if (i < EVENT_RUNS) blankRuns.push(await loadRun(browser, base, adapters.blank, true));
    }
    // The harness's own main-thread time per event (loops, pacing tasks), taken off "incl. deferred".
    const harnessUs = stats(blankRuns.map((r) => r.usPerEventTotal));
    for (const a of libs) for (const r of runs[a.id]) if (r.usPerEventTotal !== undefined) r.usPerEventDeferred = r.usPerEventTotal - harnessUs.median;
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    const growthStarted = Date.now();
    if (GROWTH_RUNS) console.error(`bench: growth, ${GROWTH_RUNS} visitors × ${GROWTH_POINTS.at(-1).toLocaleString('en-US')} events`);
    const growth = [];
    for (let i = 0; i < GROWTH_RUNS; i++) {
      growth.push(await growthRun(browser, base, ours.adapter));
      process.stderr.write('.');
    }
    if (GROWTH_RUNS) process.stderr.write(` ${((Date.now() - growthStarted) / 1000).toFixed(0)} s\n`);

    const summary = Object.fromEntries(libs.map((a) => [a.id, Object.fromEntries(METRICS.map(([, key]) => [key, stats(runs[a.id].map((r) => r[key]).filter((v) => v !== undefined))]))]));
    const head = ['', ours.adapter.label];
    for (const a of PEERS) head.push(a.label, 'ours/theirs');
    const rows = [head];
    for (const [label, key, digits] of METRICS) {
      const o = summary[ours.adapter.id][key];
      const row = [label, cell(o, digits)];
      for (const a of PEERS) row.push(cell(summary[a.id][key], digits), ratio(o.median, summary[a.id][key].median));
      rows.push(row);
    }

    const cpu = os.cpus();
    const machine = `${cpu[0] ? cpu[0].model.trim() : 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`;
    const isolated = libs.every((a) => runs[a.id].every((r) => r.crossOriginIsolated));
    console.log(`\n## Side by side: median (min–max) of ${RUNS} fresh page loads per library; per-event rows: ${EVENT_RUNS} of those loads × ${EVENTS.toLocaleString('en-US')} events, ${BATCH} per task\n`);
    console.log(table(rows));
    console.log(`\nChromium ${browser.version()} headless; ${machine}; node ${process.version}.${isolated ? '' : ' WARNING: pages were not cross-origin isolated, the clock resolves only 100 µs.'}`);
    console.log(`shopper-intent: ${ours.note}.`);
    for (const a of libs) {
      const r = runs[a.id][0];
      const sink = stats(runs[a.id].map((x) => x.sinkRequests));
      console.log(`- ${a.label}: ${a.api}. Loaded: ${r.files.map((f) => `${f.url} ${f.gzip.toLocaleString('en-US')} B`).join(', ')}. Sends to the sink per load: ${cell(sink, 0)}.`);
    }
    console.log(`"The call itself": performance.now() around each loop of ${BATCH} calls, in the page, summed. "Incl. deferred work": Chromium's own main-thread task time (CDP Performance.getMetrics TaskDuration) from the first event until the library's sends have settled, per event, less the harness's own ${num(harnessUs.median, 2)} µs (a blank page, same loop). Ready: from the inline script just before the tag to the library's ready signal. Long tasks: PerformanceObserver('longtask') from navigation to the first event. Busy during load: TaskDuration from navigation to ${LOAD_SETTLE_MS} ms after ready.`);

    let growthSummary = null;
    if (growth.length) {
      const growthRows = [['events already tracked', 'events timed', `µs per event, median (min–max) of ${growth.length} visitors`, 'encoded state after the batch, bytes', 'wasm memory, bytes']];
      growthSummary = GROWTH_POINTS.map((at, p) => {
        const pts = growth.map((g) => g.points[p]);
        const us = stats(pts.map((x) => x.usPerEvent));
        const enc = pts.map((x) => x.state && x.state.encodedBytes).filter((v) => typeof v === 'number');
        const mem = pts.map((x) => x.state && x.state.wasmMemoryBytes).filter((v) => typeof v === 'number');
        const row = { at, events: pts[0].events, usPerEvent: us, encodedBytes: enc.length ? stats(enc) : null, wasmMemoryBytes: mem.length ? stats(mem) : null };
        growthRows.push([num(at, 0), num(row.events, 0), cell(us, 3), row.encodedBytes ? cell(row.encodedBytes, 0) : 'not exposed', row.wasmMemoryBytes ? cell(row.wasmMemoryBytes, 0) : 'not exposed']);
        return row;
      });
      const warmed = growth.every((g) => g.warmed) ? `code warmed first on a throwaway visitor (${GROWTH_WARM.toLocaleString('en-US')} events)` : 'cold code: the first point includes JIT and wasm tier-up';
      console.log(`\n## Growth: one visitor, shopper-intent track() from 10 to ${GROWTH_POINTS.at(-1).toLocaleString('en-US')} events (a new item id every event; ${warmed})\n`);
      console.log(table(growthRows));
      const flat = growthSummary.at(-1).usPerEvent.median / growthSummary[0].usPerEvent.median;
      console.log(`\nCost at ${GROWTH_POINTS.at(-1).toLocaleString('en-US')} events vs at 10: ${flat.toFixed(2)}×.`);
    }

    const results = {
      date: new Date().toISOString(),
      command: 'node tests/bench/run.mjs',
      machine,
      chromium: browser.version(),
      node: process.version,
      settings: { runs: RUNS, eventRuns: EVENT_RUNS, events: EVENTS, batch: BATCH, growthBatch: GROWTH_BATCH, growthRuns: GROWTH_RUNS, growthPoints: GROWTH_POINTS, chromiumArgs: CHROMIUM_ARGS },
      ours: { mode: ours.adapter === adapters.shopperIntentTag ? 'tag' : 'scorer', note: ours.note },
      libraries: Object.fromEntries(libs.map((a) => [a.id, { label: a.label, api: a.api, trackOne: a.trackOne, summary: summary[a.id], runs: runs[a.id] }])),
      ratios: Object.fromEntries(PEERS.map((a) => [a.id, Object.fromEntries(METRICS.map(([, k]) => [k, summary[a.id][k].median ? summary[ours.adapter.id][k].median / summary[a.id][k].median : null]))])),
      harness: { usPerEventTotal: harnessUs, runs: blankRuns },
      growth: { summary: growthSummary, runs: growth },
      seconds: (Date.now() - started) / 1000,
    };
    fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nRaw results: ${path.relative(process.cwd(), RESULTS)} (${results.seconds.toFixed(0)} s).`);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
