// What the bench reads of Chromium, as plain functions: the network log of one load (CDP Network
// events), its main-thread trace (Chromium's tracing), gzip -9 sizes, and the table's arithmetic.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import zlib from 'node:zlib';

/** Trace categories: main-thread tasks (RunTask) and what runs in them (scripts, V8's lazy
 * JavaScript compiles, wasm compiles); not `toplevel`, which makes every process's trace several
 * times larger. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-v8.compile', 'v8.wasm'];

/**
 * Records the requests of one page from its CDP session: url, type, when it was sent and when its
 * body finished, on Chromium's monotonic clock in µs (the clock of trace events).
 */
export function recordNetwork(cdp) {
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (requests.has(e.requestId) || e.request.url.startsWith('data:')) return; // a redirect keeps its id
    requests.set(e.requestId, { id: e.requestId, url: e.request.url, type: e.type, sent: e.timestamp * 1e6, done: null, failed: null, status: null });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.status = e.response.status;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.done = e.timestamp * 1e6;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) (r.done = e.timestamp * 1e6), (r.failed = e.errorText);
  });
  return requests;
}

/** The body Chromium received for request `id`, as bytes (null when it kept none). */
export async function responseBody(cdp, id) {
  try {
    const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: id });
    return Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
  } catch {
    return null;
  }
}

const gzipCache = new Map();
/** Size of `bytes` after `gzip -9` (as scripts/sizes.sh counts; zlib level 9 if gzip is missing). */
export function gzipSize(bytes) {
  const key = crypto.createHash('sha1').update(bytes).digest('hex');
  if (!gzipCache.has(key)) {
    let n;
    try {
      n = execFileSync('gzip', ['-9', '-n', '-c'], { input: bytes, maxBuffer: 64 << 20 }).length;
    } catch {
      n = zlib.gzipSync(bytes, { level: 9 }).length;
    }
    gzipCache.set(key, n);
  }
  return gzipCache.get(key);
}

/**
 * Round trips to ready: the longest chain of requests each sent after the previous one's body
 * had arrived, among the requests that finished before `ready`. A request sent while another was
 * still in flight does not wait for it, so parallel fetches are one round trip.
 */
export function roundTrips(requests, ready) {
  const done = requests.filter((r) => r.done !== null && r.done <= ready).sort((a, b) => a.sent - b.sent);
  const depth = new Map();
  for (const r of done) {
    let d = 1;
    for (const q of done) if (q.done <= r.sent && depth.has(q)) d = Math.max(d, depth.get(q) + 1);
    depth.set(r, d);
  }
  return Math.max(0, ...depth.values());
}

/** The main thread of load `id`'s renderer in `events` (the thread that marked `bench:t0:<id>`). */
export function mainThread(events, id) {
  const t0 = events.find((e) => e.name === `bench:t0:${id}` && e.cat === 'blink.user_timing');
  if (!t0) return null;
  const ready = events.find((e) => e.name === `bench:ready:${id}` && e.cat === 'blink.user_timing' && e.pid === t0.pid);
  const slices = events.filter((e) => e.ph === 'X' && e.pid === t0.pid && e.tid === t0.tid && e.dur > 0).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  return { t0: t0.ts, ready: ready ? ready.ts : null, slices };
}

/** µs the thread was busy in [from, to]: the union of its slices (tasks and what they run). */
export function busyUs(thread, from, to) {
  let busy = 0;
  let end = from;
  for (const s of thread.slices) {
    const a = Math.max(s.ts, end);
    const b = Math.min(s.ts + s.dur, to);
    if (b > a) busy += b - a;
    end = Math.max(end, Math.min(s.ts + s.dur, to));
    if (s.ts >= to) break;
  }
  return busy;
}

/**
 * Self time per kind of slice in [from, to] (µs): where the main thread's time went. A slice's
 * kind is its name, with the script's file for script slices.
 */
export function selfTimes(thread, from, to) {
  const clip = (s) => Math.max(0, Math.min(s.ts + s.dur, to) - Math.max(s.ts, from));
  const out = {};
  const stack = [];
  const close = (upTo) => {
    while (stack.length && stack.at(-1).end <= upTo) {
      const f = stack.pop();
      out[f.kind] = (out[f.kind] || 0) + f.self;
    }
  };
  for (const s of thread.slices) {
    if (s.ts >= to) break;
    close(s.ts);
    const mine = clip(s);
    if (stack.length) stack.at(-1).self -= mine;
    const d = (s.args && s.args.data) || {};
    const file = d.url ? d.url.split(/[?#]/)[0].split('/').pop() : '';
    stack.push({ end: s.ts + s.dur, self: mine, kind: file ? `${s.name} (${file})` : s.name });
  }
  close(Infinity);
  return out;
}

/** Trace slices of the page's own rendering: HTML parsing (its scripts are slices of their own),
 * style, layout, paint, compositing. Any page pays them; a library whose ready comes after the
 * first layout has them inside its script start → ready. */
export const RENDERING = new Set(['ParseHTML', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'HitTest', 'ScheduleStyleRecalculation', 'InvalidateLayout', 'CompositeLayers', 'RasterTask']);

/** µs of `selfTimes` output spent in the page's own rendering. */
export function renderingUs(self) {
  return Object.entries(self).reduce((x, [k, us]) => x + (RENDERING.has(k) ? us : 0), 0);
}

// ---- the table's arithmetic ------------------------------------------------------------------

export function stats(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s.at(-1), n: s.length };
}

export const num = (v, digits) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** "median (min–max)", or the median alone when the spread does not show at `digits`. */
export function cell(st, digits) {
  if (!st) return 'n/a';
  const m = num(st.median, digits);
  return num(st.min, digits) === num(st.max, digits) ? m : `${m} (${num(st.min, digits)}–${num(st.max, digits)})`;
}

/** ours/theirs of two medians. */
export function ratio(ours, theirs) {
  if (!ours || !theirs) return 'n/a';
  if (theirs.median === 0) return ours.median === 0 ? '–' : 'n/a';
  const r = ours.median / theirs.median;
  return r === 0 ? '0×' : `${r < 0.1 ? r.toFixed(3) : r.toFixed(2)}×`;
}

/** A Markdown table, the first column left-aligned and the others right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/**
 * A CPU profile (CDP Profiler.Profile) summed up: `inclusive`, µs per script file with a frame of
 * that file anywhere on the stack; `self`, µs per function, keyed `name (file:line:column)`
 * (builtins by name: fetch, addEventListener), of the samples with a frame of one of the files
 * `mine` on the stack.
 */
export function profileTimes(profile, mine) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const fileOf = (f) => (f.url ? f.url.split(/[?#]/)[0].split('/').pop() : '');
  const self = {};
  const inclusive = {};
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0; // a sample lasts until the next one
    const files = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const g = fileOf(byId.get(id).callFrame);
      if (g) files.add(g);
    }
    for (const g of files) inclusive[g] = (inclusive[g] || 0) + dt;
    if (!mine.some((g) => files.has(g))) continue;
    const f = byId.get(profile.samples[i]).callFrame;
    const file = fileOf(f);
    const key = file ? `${f.functionName || '(anonymous)'} (${file}:${f.lineNumber + 1}:${f.columnNumber + 1})` : f.functionName || '(anonymous)';
    self[key] = (self[key] || 0) + dt;
  }
  return { self, inclusive };
}
