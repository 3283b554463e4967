// shopper-intent, the one tag:
//   <script type="module" src="/pkg/shopper-intent.js" data-config="/intent-model.bin"></script>
// Config: data-config (a URL), else <script type="application/json" id="shopper-intent-config">,
// else the default model. data-scorecard: the model has a scorecard (`shopper-intent compile`
// says so), so the scorer with scorecards is fetched at once rather than after the model. A model file (`shopper-intent compile`, bytes: see `model_file` in src/core/config/mod.rs)
// starts at once; a plain JSON config is compiled first by a module loaded only then. A config
// that cannot be read or is invalid is logged (console.error) and the scorer is not started: the
// page works as without it.
//
// Start-up fetches the engine and the config in parallel, as soon as this module runs; calls made
// before the scorer is ready are queued and replayed (window.shopperIntent is there at once).

import { Engine, compileWasm, decoder, fetchBytes, instantiate } from './engine.js';
import { Scorer, PREFIX, Words, say } from './runtime.js';
import { randomHex } from './storage.js';
import { isObject } from './wire.js';

const T0 = performance.now();
const STARTED = '__shopperIntentStarted';
const TYPES = ['stage', 'intent', 'score', 'action'];
const MODEL_FORMAT = 'shopper-intent/model';
const here = (file) => new URL(file, import.meta.url);

const MAGIC = '\0sim';

function parse(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Words('notModelFile', what, e.message);
  }
}

/** The model in model file `b` (`model_file`, src/core/config/mod.rs): {format, version, runtime, summary, bytes}; null
 * when `b` does not start as one. */
function readFile(b, what) {
  if (decoder.decode(b.subarray(0, 4)) !== MAGIC) return null;
  const end = 8 + (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24));
  let model;
  try {
    model = JSON.parse(decoder.decode(b.subarray(8, end)));
  } catch (e) {
    /* damaged */
  }
  if (!model || model.format !== MODEL_FORMAT || !model.runtime) throw new Words('damaged', what);
  model.bytes = b.subarray(end);
  return model;
}

/** The model at `url`: a model file, or a JSON config compiled first. */
function load(url, what) {
  return fetchBytes(url, what).then((buffer) => {
    const b = new Uint8Array(buffer);
    return readFile(b, what) || compiled(parse(decoder.decode(b), what), what);
  });
}

const defaultModel = () => load(here('shopper-intent.model.bin'), 'the default model');

/** The model for config `c` (parsed JSON): the default one for `{}`, else `c` compiled by the
 * compiler, loaded for it only. */
function compiled(c, what) {
  if (c?.format === MODEL_FORMAT) {
    throw new Words('oldModel', what);
  }
  if (isObject(c) && Object.keys(c).length === 0) return defaultModel();
  return import('./compiler.js').then((m) => m.compile(c, here('shopper_intent_compiler_bg.wasm')))
    .then((b) => readFile(b, what));
}

/** The compiled model the page asks for (see the header). */
function readModel(tag) {
  const url = tag.getAttribute('data-config');
  const inline = document.getElementById('shopper-intent-config');
  if (url) return load(url, 'config ' + url);
  if (inline) return Promise.resolve().then(() => compiled(parse(inline.textContent, 'inline config'), 'inline config'));
  return defaultModel();
}

/** The nudge chunk and the engine with nudges, fetched in parallel: [chunk, the engine's exports]. */
function nudgeEngine() {
  return Promise.all([import('./nudges.js'), compileWasm(here('shopper_intent_nudges_bg.wasm'))])
    .then(([chunk, module]) => [chunk, instantiate(module)]);
}

/** window.shopperIntent: usable at once, queuing until ready; no method ever throws. */
function api() {
  let live = null;
  let resolve;
  const queue = [];
  const ready = new Promise((r) => (resolve = r));
  const warned = {};
  const call = (name, fallback) => function () {
    const args = arguments;
    if (!live) {
      // Before ready: queued and replayed in order (what they return is not known yet).
      if (name !== 'state' && queue.length < 1000) queue.push([name, args]);
      return fallback;
    }
    try {
      return live[name].apply(live, args);
    } catch (e) {
      if (!warned[name]) {
        warned[name] = 1;
        say('warn', ['failed', name + '()', String(e)]);
      }
      return fallback;
    }
  };
  const si = {
    track: call('track', -1),
    identify: call('identify', -1),
    consent: call('consent'),
    reset: call('reset'),
    state: call('state', null),
    on(type, callback) {
      if (TYPES.indexOf(type) < 0 || typeof callback !== 'function') {
        say('warn', ['badOn', TYPES.join(', ')]);
        return () => {};
      }
      const listener = (e) => callback(e.detail);
      addEventListener(PREFIX + type, listener);
      return () => removeEventListener(PREFIX + type, listener);
    },
    ready,
    settled: () => ready.then(() => live?.settled()),
  };
  const start = (impl) => {
    live = impl;
    queue.splice(0).forEach(([name, args]) => call(name)(...args));
    resolve(Object.freeze(si));
  };
  const fail = () => resolve(null);
  return [si, start, fail];
}

function boot(tag) {
  window[STARTED] = true;
  const [si, start, fail] = api();
  // Calls a page made before the tag ran: `(window.shopperIntentQ = window.shopperIntentQ || []).push(['identify', {...}])`.
  const early = Array.isArray(window.shopperIntentQ) ? window.shopperIntentQ : [];
  window.shopperIntent = si;
  // The scorer without scorecards, unless the tag says the model has one (data-scorecard): a model
  // with one that the first scorer refuses (2) gets the other, one round trip later.
  const card = () => compileWasm(here('shopper_intent_card_bg.wasm'));
  // The Shopify adapter only on a Shopify storefront (its theme script sets window.Shopify before
  // this module runs), fetched beside the engine and the model; if it fails to load, the scorer
  // starts without it and says so.
  const shopify = window.Shopify ? import('./shopify.js').catch((e) => ({ failed: String(e) })) : null;
  // The scorer starts on the engine, initialized with the model.
  const go = (engine, model, shopify, triggers, t) => {
    const debug = !!model.runtime.debug || /[?&#]intent-debug\b/.test(location.href);
    const render = () => import('./render.js');
    const scorer = new Scorer(engine, model.runtime, { render, nudges: nudgeEngine, debug, shopify, triggers });
    scorer.start();
    si.model = model.summary;
    start({
      track: (name, params) => scorer.track(name, params, 'api'),
      identify: (p) => scorer.identify(p),
      consent: (c) => scorer.consentApi(c),
      reset: () => scorer.reset(),
      state: () => scorer.state(),
      settled: () => scorer.settled(),
    });
    early.forEach((entry) => Array.isArray(entry) && typeof si[entry[0]] === 'function' && si[entry[0]](...entry.slice(1)));
    // The panel is a file of its own, not a chunk: a page may also import it (pkg/intent-panel.js).
    if (debug) import(here('intent-panel.js').href).then((m) => m.open(si, model.summary)).catch(() => {});
    const end = performance.now();
    dispatchEvent(new CustomEvent(PREFIX + 'ready', { detail: { loadMs: end - T0, startMs: end - t } }));
  };
  Promise.all([tag.hasAttribute('data-scorecard') ? card() : compileWasm(here('shopper_intent_bg.wasm')), readModel(tag), shopify])
    .then(function begin([module, model, shopify], carded) {
      const t = performance.now();
      const engine = new Engine(instantiate(module));
      const read = engine.init(model.bytes, randomHex(16));
      if (read === 2 && !carded) return card().then((m) => begin([m, model, shopify], true));
      if (read !== 1) throw new Words('unreadModel');
      // The idle and exit-intent watchers only for a model with rules on those triggers (the
      // default model has none): fetched now, and the scorer starts once they are here (if they
      // fail to load, it starts without them and says so; `startMs` then counts that start).
      const [idle, exit] = engine.triggers();
      if (idle < 0 && !exit) return go(engine, model, shopify, null, t);
      return import('./triggers.js')
        .catch((e) => ({ failed: String(e) }))
        .then((triggers) => go(engine, model, shopify, triggers, performance.now()));
    })
    .catch((e) => {
      fail();
      say('error', ['notStarted', e?.words || String(e?.message || e)]);
    });
}

// Only the tag starts the scorer (importing this module does not), once per page.
const scripts = [...document.querySelectorAll('script[src]')];
const tag = scripts.find((s) => s.src === import.meta.url) || scripts.find((s) => /\/shopper-intent\.js([?#]|$)/.test(s.src));
if (tag && !window[STARTED]) boot(tag);
