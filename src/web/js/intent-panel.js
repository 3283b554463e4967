// Shopper-intent debug panel (pkg/intent-panel.js; optional, never part of the store bundle).
//
// The tag loads it only when asked: `?intent-debug` in the URL, or `runtime.debug` in the config;
// a page may also import it and call open(). It draws the live model's stage thresholds and
// half-life (the model file's `summary`), reads the scorer through its PUBLIC API only
// (`window.shopperIntent.state()`) and re-renders on the shopper-intent:score|stage|intent|action
// events. All DOM is built with createElement/createElementNS + textContent: no innerHTML.

const SVG = 'http://www.w3.org/2000/svg';
// The live model's, set by open(); these are the defaults (SCORING.md).
let THRESHOLDS = [['cold', -Infinity], ['warm', 21], ['MQL', 41], ['SQL', 61]];
const ZONE_COLOURS = { cold: '#5f7fa0', warm: '#c9a86a', MQL: '#db8a3a', SQL: '#4aa36c' };
const INTENT_COLOURS = { none: '#596168', low: '#5f7fa0', mid: '#c9a86a', high: '#4aa36c' };
// Display-only: the chart re-derives the score between signals with the model's half-life.
// The big number and the "now" dot are the scorer's own.
let HALF_LIFE_MS = 14 * 86400000;
const MAX_POINTS = 26;
const MIN_DX = 13;
const SESSION_GAP_MS = 30 * 60000;
const BREAK_PX = 26;
const LIVE_EVENTS = ['shopper-intent:score', 'shopper-intent:stage', 'shopper-intent:intent', 'shopper-intent:action'];

const CSS = `
#intent-panel{position:fixed;top:16px;right:16px;z-index:2147483000;width:420px;max-width:calc(100vw - 32px);
  max-height:calc(100vh - 32px);overflow:auto;background:#15191b;color:#e6e9e3;border-radius:14px;
  box-shadow:0 18px 50px rgba(0,0,0,.35);font:13px/1.45 ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
  border:1px solid #2b3236}
#intent-panel *{box-sizing:border-box}
#intent-panel .sip-head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;border-bottom:1px solid #2b3236;position:sticky;top:0;background:#15191b;z-index:1}
#intent-panel .sip-title{margin:0;font-family:inherit;font-size:12px;font-weight:700;line-height:1.2;letter-spacing:.1em;text-transform:uppercase;color:#9fb0a5}
#intent-panel .sip-close{border:0;background:transparent;color:#c9cdc6;font-size:20px;line-height:1;width:28px;height:28px;border-radius:50%;cursor:pointer}
#intent-panel .sip-close:hover{background:#262d30}
#intent-panel .sip-close:focus-visible{outline:2px solid #c9a86a}
#intent-panel section{padding:12px 14px;border-bottom:1px solid #232a2d}
#intent-panel section:last-child{border-bottom:0}
#intent-panel h3{margin:0 0 8px;font-family:inherit;font-size:11px;font-weight:600;line-height:1.2;letter-spacing:.1em;text-transform:uppercase;color:#7f8c85}
#intent-panel .sip-score{display:flex;align-items:baseline;gap:10px;flex-wrap:wrap;margin-bottom:6px}
#intent-panel .sip-big{font:600 30px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#fff}
#intent-panel .sip-badges{display:flex;gap:6px;flex-wrap:wrap}
#intent-panel .sip-badge{display:inline-block;padding:2px 8px;border-radius:999px;font-size:11px;font-weight:600;letter-spacing:.04em;color:#10140f;background:#9aa198}
#intent-panel .sip-badge.off{background:#2b3236;color:#aab3ad}
#intent-panel .sip-badge.bad{background:#d9624a;color:#fff}
#intent-panel .sip-badge.hv{background:#e3c35a;color:#231d05}
#intent-panel dl{display:grid;grid-template-columns:88px 1fr;gap:4px 10px;margin:0}
#intent-panel dt{color:#7f8c85}
#intent-panel dd{margin:0;word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
#intent-panel svg{display:block;width:100%;height:auto;overflow:visible}
#intent-panel svg text{font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
#intent-panel .sip-muted{color:#7f8c85;margin:0}
#intent-panel table{width:100%;border-collapse:collapse;font-size:12px}
#intent-panel td,#intent-panel th{text-align:left;padding:4px 6px 4px 0;border-bottom:1px solid #232a2d;font-weight:400}
#intent-panel th{color:#7f8c85}
#intent-panel code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;color:#f0e0b8}
`;

let root = null;
let body = null;
let api = null;
let lastAction = null;
let frame = 0;
let timer = 0;

/* ------------------------------------------------------------------- helpers */

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v; else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return node;
}
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, String(v));
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return node;
}
const num = (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const fmt2 = (v) => num(v).toFixed(2);
const money = (v) => '$' + num(v).toFixed(2);
function stageOf(score) {
  let name = 'cold';
  for (const [n, t] of THRESHOLDS) if (score >= t) name = n;
  return name;
}
function timeLabel(ms, spanMs) {
  const d = new Date(ms);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return spanMs < 86400000 ? hm : d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + hm;
}
function safeState() {
  try {
    return api && typeof api.state === 'function' ? api.state() || {} : null;
  } catch (err) {
    return { error: String(err && err.message || err) };
  }
}

/* ------------------------------------------------------------------- gauge */

function gauge(score) {
  const W = 392, H = 70, L = 6, R = 6, top = 18, barH = 14;
  const lo = Math.min(0, Math.floor(score / 10) * 10);
  const hi = Math.max(100, Math.ceil(score / 10) * 10);
  const x = (v) => L + ((v - lo) / (hi - lo)) * (W - L - R);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Score ${fmt2(score)}, stage ${stageOf(score)}` });
  const [w, m, q] = THRESHOLDS.slice(1).map((t) => t[1]);
  const zones = [['cold', lo, w], ['warm', w, m], ['MQL', m, q], ['SQL', q, hi]];
  for (const [name, a, b] of zones) {
    const active = stageOf(score) === name;
    g.append(svg('rect', { x: x(a), y: top, width: Math.max(0, x(b) - x(a)), height: barH, fill: ZONE_COLOURS[name], opacity: active ? 1 : 0.35 }));
    g.append(svg('text', { x: (x(a) + x(b)) / 2, y: top - 6, 'text-anchor': 'middle', 'font-size': 10, fill: active ? '#fff' : '#8c9891', 'font-weight': active ? 700 : 400 }, name));
  }
  for (const t of [w, m, q]) {
    g.append(svg('line', { x1: x(t), x2: x(t), y1: top - 2, y2: top + barH + 4, stroke: '#15191b', 'stroke-width': 2 }));
    g.append(svg('text', { x: x(t), y: top + barH + 15, 'text-anchor': 'middle', 'font-size': 10, fill: '#8c9891' }, t));
  }
  g.append(svg('text', { x: x(lo), y: top + barH + 15, 'text-anchor': 'start', 'font-size': 10, fill: '#5d6963' }, lo));
  g.append(svg('text', { x: x(hi), y: top + barH + 15, 'text-anchor': 'end', 'font-size': 10, fill: '#5d6963' }, hi));
  const mx = x(Math.max(lo, Math.min(hi, score)));
  g.append(svg('line', { x1: mx, x2: mx, y1: top - 3, y2: top + barH + 3, stroke: '#fff', 'stroke-width': 3 }));
  g.append(svg('path', { d: `M${mx - 6} ${top + barH + 26} L${mx + 6} ${top + barH + 26} L${mx} ${top + barH + 19} Z`, fill: '#fff' }));
  return g;
}

/* ---------------------------------------------------------------- timeline */

function timeline(signals, score, now) {
  const sorted = (Array.isArray(signals) ? signals : [])
    .filter((s) => s && Number.isFinite(Number(s.time)))
    .map((s) => ({ rule: String(s.rule ?? '?'), points: num(Number(s.points)), time: Number(s.time) }))
    .sort((a, b) => a.time - b.time);
  if (sorted.length === 0) return el('p', { class: 'sip-muted' }, 'No signals yet.');

  // Group signals that fire at the same instant (e.g. site_visit + product_view).
  const groups = [];
  for (const s of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.time === s.time) last.signals.push(s);
    else groups.push({ time: s.time, signals: [s] });
  }
  const decayed = (t, upto) => {
    let v = 0;
    for (const s of sorted) if (s.time <= upto) v += s.points * Math.pow(0.5, (t - s.time) / HALF_LIFE_MS);
    return v;
  };
  const hidden = Math.max(0, groups.length - MAX_POINTS);
  const shown = groups.slice(hidden);
  for (const g of shown) g.value = decayed(g.time, g.time);
  const t1 = Math.max(now, shown[shown.length - 1].time);

  const W = 392, L = 30, R = 16, T = 14, CH = 150, LABELS = 150;
  const H = T + CH + LABELS;

  // x = time, piecewise: linear within a visit, a fixed-width break across gaps longer
  // than the 30-minute session timeout, and never closer than MIN_DX between two points
  // (so every point keeps a readable label). Order in time is always preserved.
  const anchors = shown.map((g) => g.time).concat(t1 > shown[shown.length - 1].time ? [t1] : []);
  const breaks = [];
  const raw = [0];
  for (let i = 1; i < anchors.length; i++) {
    const gap = anchors[i] - anchors[i - 1];
    if (gap > SESSION_GAP_MS) breaks.push(i);
    raw.push(raw[i - 1] + (gap > SESSION_GAP_MS ? 0 : gap));
  }
  const usable = W - L - R;
  const linear = usable - breaks.length * BREAK_PX;
  const span = raw[raw.length - 1] || 1;
  let xs = raw.map((r, i) => (r / span) * linear + breaks.filter((b) => b <= i).length * BREAK_PX);
  for (let i = 1; i < xs.length; i++) xs[i] = Math.max(xs[i], xs[i - 1] + MIN_DX);
  const squeeze = xs[xs.length - 1] > usable ? usable / xs[xs.length - 1] : 1;
  xs = xs.map((v) => L + v * squeeze);
  if (anchors.length === 1) xs = [L + usable / 2];
  const x = (t) => {
    if (t <= anchors[0]) return xs[0];
    for (let i = 1; i < anchors.length; i++) {
      if (t <= anchors[i]) return xs[i - 1] + ((t - anchors[i - 1]) / (anchors[i] - anchors[i - 1])) * (xs[i] - xs[i - 1]);
    }
    return xs[xs.length - 1];
  };

  const values = shown.map((g) => g.value).concat([score, 0, 70]);
  const vlo = Math.min(...values), vhi = Math.max(...values) + 4;
  const y = (v) => T + CH - ((v - vlo) / (vhi - vlo)) * CH;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Score timeline over ${sorted.length} signals` });

  // Stage thresholds.
  for (const [name, t] of THRESHOLDS.slice(1)) {
    if (t < vlo || t > vhi) continue;
    chart.append(svg('line', { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: ZONE_COLOURS[name], 'stroke-dasharray': '3 4', opacity: 0.7 }));
    chart.append(svg('text', { x: L - 4, y: y(t) + 3, 'text-anchor': 'end', 'font-size': 9, fill: ZONE_COLOURS[name] }, t));
    chart.append(svg('text', { x: L + 2, y: y(t) - 3, 'font-size': 9, fill: ZONE_COLOURS[name] }, name));
  }
  chart.append(svg('text', { x: L - 4, y: y(0) + 3, 'text-anchor': 'end', 'font-size': 9, fill: '#6c7872' }, 0));

  // Visit breaks: a shaded gap labelled with the real time that passed.
  for (const i of breaks) {
    const a = xs[i - 1], b = xs[i];
    const mid = (a + b) / 2;
    chart.append(svg('rect', { x: mid - 3, y: T, width: 6, height: CH, fill: '#262d30' }));
    chart.append(svg('text', { x: mid, y: T - 4, 'text-anchor': 'middle', 'font-size': 8, fill: '#7f8c85' }, '+' + duration(anchors[i] - anchors[i - 1])));
  }

  // Step line: jump at each signal, decay in between, then on to "now".
  let d = `M${x(shown[0].time)} ${y(hidden ? decayed(shown[0].time, shown[0].time - 1) : 0)}`;
  shown.forEach((g, i) => {
    d += ` L${x(g.time)} ${y(g.value)}`;
    const next = i + 1 < shown.length ? shown[i + 1].time : t1;
    const steps = 10;
    for (let k = 1; k <= steps; k++) {
      const t = g.time + ((next - g.time) * k) / steps;
      d += ` L${x(t)} ${y(decayed(t, g.time))}`;
    }
  });
  chart.append(svg('path', { d, fill: 'none', stroke: '#e6e9e3', 'stroke-width': 1.8, 'stroke-linejoin': 'round' }));

  // Points with rule labels (rotated below the axis) and a leader line.
  const axisY = T + CH;
  chart.append(svg('line', { x1: L, x2: W - R, y1: axisY, y2: axisY, stroke: '#3a4347' }));
  for (const g of shown) {
    const label = g.signals.map((s) => `${s.rule} ${s.points >= 0 ? '+' : ''}${fmt2(s.points).replace(/\.00$/, '')}`).join(', ');
    const px = x(g.time), py = y(g.value);
    const colour = g.signals.some((s) => s.points < 0) ? '#d9624a' : ZONE_COLOURS[stageOf(g.value)];
    chart.append(svg('line', { x1: px, x2: px, y1: py, y2: axisY, stroke: '#2f373b', 'stroke-width': 1 }));
    chart.append(svg('circle', { cx: px, cy: py, r: 3.5, fill: colour, stroke: '#15191b', 'stroke-width': 1.5 },
      svg('title', null, `${timeLabel(g.time, 0)}: ${label} → ${fmt2(g.value)}`)));
    chart.append(svg('text', {
      x: px + 3, y: axisY + 6, 'font-size': 9, fill: '#aeb8b2', 'text-anchor': 'end',
      transform: `rotate(-90 ${px + 3} ${axisY + 6})`,
    }, label.length > 28 ? label.slice(0, 27) + '…' : label));
  }
  // The scorer's own current score (includes condition rules) at "now".
  chart.append(svg('circle', { cx: x(t1), cy: y(score), r: 5, fill: 'none', stroke: '#fff', 'stroke-width': 2 },
    svg('title', null, `now: ${fmt2(score)}`)));
  chart.append(svg('text', { x: x(t1), y: y(score) - 9, 'text-anchor': 'end', 'font-size': 10, fill: '#fff', 'font-weight': 700 }, `now ${fmt2(score)}`));

  const whole = t1 - shown[0].time;
  return el('div', null, chart,
    el('p', { class: 'sip-muted', style: 'display:flex;justify-content:space-between;font-size:11px' },
      el('span', null, timeLabel(shown[0].time, whole)),
      el('span', null, `${sorted.length} signals${hidden ? ` (${hidden} earlier groups not drawn)` : ''}`),
      el('span', null, 'now ' + timeLabel(t1, whole))));
}

function duration(ms) {
  const m = Math.round(ms / 60000);
  if (m < 60) return m + 'm';
  const h = Math.round(m / 60);
  if (h < 48) return h + 'h';
  return Math.round(h / 24) + 'd';
}

/* ------------------------------------------------------------------ render */

function section(title, ...children) {
  return el('section', null, el('h3', null, title), ...children);
}

function render() {
  frame = 0;
  if (!root) return;
  const s = safeState();
  const parts = [];
  if (!s) {
    parts.push(section('Scorer', el('p', { class: 'sip-muted' },
      'Waiting for the scorer… (window.shopperIntent appears after the shopper-intent:ready event; is /pkg/shopper-intent.js loading?)')));
  } else if (s.error) {
    parts.push(section('Scorer', el('p', { class: 'sip-muted' }, 'state() threw: ' + s.error)));
  } else {
    const score = num(s.score);
    const stage = String(s.stage || stageOf(score));
    const intent = String(s.intent || 'none');
    const suppression = Array.isArray(s.suppression) ? s.suppression : [];
    parts.push(section('Score',
      el('div', { class: 'sip-score' },
        el('span', { class: 'sip-big', id: 'intent-panel-score' }, fmt2(score)),
        el('span', { class: 'sip-badges' },
          el('span', { class: 'sip-badge', style: `background:${ZONE_COLOURS[stage === 'mql' ? 'MQL' : stage === 'sql' ? 'SQL' : stage] || '#9aa198'}` }, 'stage ' + stage),
          el('span', { class: 'sip-badge', style: `background:${INTENT_COLOURS[intent] || '#9aa198'}` }, 'intent ' + intent),
          s.suppressed
            ? el('span', { class: 'sip-badge bad' }, 'suppressed' + (suppression.length ? ': ' + suppression.join(', ') : ''))
            : el('span', { class: 'sip-badge off' }, 'not suppressed'))),
      gauge(score)));

    const visit = s.visit || {};
    parts.push(section('Visitor',
      el('dl', null,
        el('dt', null, 'value'),
        el('dd', null, money(s.value), ' ', s.highValue ? el('span', { class: 'sip-badge hv' }, 'HIGH VALUE') : el('span', { class: 'sip-badge off' }, 'under threshold')),
        el('dt', null, 'visit'), el('dd', null, `#${visit.index ?? '?'} · ${visit.pageViews ?? '?'} page views`),
        el('dt', null, 'channel'), el('dd', null, String(visit.channel ?? '—')),
        el('dt', null, 'landing'), el('dd', null, String(visit.landing ?? '—')),
        el('dt', null, 'started'), el('dd', null, visit.startedAt ? new Date(visit.startedAt).toLocaleString() : '—'),
        el('dt', null, 'visitor id'), el('dd', null, String(s.visitorId ?? '—')))));

    parts.push(section('Timeline', timeline(s.signals, score, Date.now())));

    const exps = Object.entries(s.experiments && typeof s.experiments === 'object' ? s.experiments : {});
    parts.push(section('Experiments', exps.length === 0
      ? el('p', { class: 'sip-muted' }, 'No experiments running.')
      : el('table', null,
        el('thead', null, el('tr', null, el('th', null, 'key'), el('th', null, 'variant'), el('th', null, 'variation'))),
        el('tbody', null, exps.map(([key, arm]) => el('tr', null,
          el('td', null, el('code', null, key)),
          el('td', null, String(arm && arm.variant != null ? (typeof arm.variant === 'object' ? JSON.stringify(arm.variant) : arm.variant) : '—')),
          el('td', null, String(arm && arm.variation != null ? arm.variation : '—'))))))));

    parts.push(section('Last action', lastAction
      ? el('dl', null,
        ...['action', 'rule', 'experiment', 'variant', 'reason', 'product', 'message']
          .filter((k) => lastAction[k] != null && lastAction[k] !== '')
          .flatMap((k) => [el('dt', null, k), el('dd', null, typeof lastAction[k] === 'object' ? JSON.stringify(lastAction[k]) : String(lastAction[k]))]))
      : el('p', { class: 'sip-muted' }, 'No action on this page yet.')));
  }
  body.replaceChildren(...parts);
}

function schedule() {
  if (!frame) frame = requestAnimationFrame(render);
}

function onLive(e) {
  if (e.type === 'shopper-intent:action') lastAction = e.detail || null;
  schedule();
}
function onReady() {
  api = window.shopperIntent || api;
  schedule();
}

/* --------------------------------------------------------------- lifecycle */

/** Opens the panel; `summary` is the model file's (stages, half-life), else the defaults. */
export function open(liveApi, summary) {
  api = liveApi || window.shopperIntent || null;
  summary = summary || (api && api.model);
  if (summary && summary.stages) {
    const st = summary.stages;
    THRESHOLDS = [['cold', -Infinity], ['warm', st.warm], ['MQL', st.mql], ['SQL', st.sql]];
  }
  if (summary && summary.decay_half_life_days > 0) HALF_LIFE_MS = summary.decay_half_life_days * 86400000;
  if (root) return root;
  if (!document.getElementById('intent-panel-style')) {
    const style = document.createElement('style');
    style.id = 'intent-panel-style';
    style.textContent = CSS;
    document.head.append(style);
  }
  const close = el('button', { type: 'button', class: 'sip-close', 'aria-label': 'Close intent panel' }, '×');
  close.addEventListener('click', () => closePanel());
  body = el('div', { class: 'sip-body' });
  root = el('aside', { id: 'intent-panel', role: 'complementary', 'aria-label': 'Shopper intent (debug)' },
    el('div', { class: 'sip-head' }, el('h2', { class: 'sip-title' }, 'Shopper intent'), close),
    body);
  root.addEventListener('keydown', (e) => { if (e.key === 'Escape') closePanel(); });
  document.body.append(root);
  for (const type of LIVE_EVENTS) window.addEventListener(type, onLive);
  window.addEventListener('shopper-intent:ready', onReady);
  timer = setInterval(schedule, 30000); // decay moves the score even without events
  render();
  return root;
}

export function closePanel() {
  if (!root) return;
  for (const type of LIVE_EVENTS) window.removeEventListener(type, onLive);
  window.removeEventListener('shopper-intent:ready', onReady);
  clearInterval(timer);
  if (frame) cancelAnimationFrame(frame);
  frame = 0;
  root.remove();
  root = null;
  body = null;
}
export { closePanel as close };

export function toggle() {
  if (root) closePanel(); else open();
}
