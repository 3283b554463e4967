// shopper-intent loader: <script type="module" src="/pkg/shopper-intent.js" data-config="/intent-config.json">
// Config: data-config (a URL), else <script type="application/json" id="shopper-intent-config">,
// else the defaults. A config that cannot be read or is invalid is logged (console.error) and the
// scorer is not started: the page works as without the tag.

const T0 = performance.now();
const PREFIX = 'shopper-intent:';
const TYPES = ['stage', 'intent', 'score', 'action'];
const STARTED = '__shopperIntentStarted';

const isArguments = (x) => Object.prototype.toString.call(x) === '[object Arguments]';

/**
 * Replays `layer` into `ingest(entry, isArguments)`, then sees every push: `push` becomes an
 * accessor whose wrapper calls the previous push and returns its result; a push assigned later
 * (GTM's) goes in front of the chain, so entries still arrive, once. Nothing we throw reaches the store.
 */
export function watchDataLayer(layer, ingest) {
  const feed = (x) => {
    try {
      ingest(x, isArguments(x));
    } catch (e) {
      /* the scorer logs its own problems */
    }
  };
  const chain = [layer.push];
  let depth = 0;
  function push() {
    // A push assigned after ours usually calls ours again: each level calls the next one down.
    const next = chain[depth] || Array.prototype.push;
    const outer = depth++ === 0;
    try {
      return next.apply(this, arguments);
    } finally {
      depth--;
      if (outer) for (let i = 0; i < arguments.length; i++) feed(arguments[i]);
    }
  }
  try {
    Object.defineProperty(layer, 'push', {
      configurable: true,
      get: () => push,
      set: (fn) => {
        if (typeof fn === 'function' && fn !== push) chain.unshift(fn);
      },
    });
  } catch (e) {
    layer.push = push; // a sealed array: a plain wrapper still sees what goes through it
  }
  Array.prototype.slice.call(layer).forEach(feed);
}

/** Calls `notify(method)` after each `history.pushState` / `replaceState`. */
export function watchHistory(history, notify) {
  ['pushState', 'replaceState'].forEach((method) => {
    const original = history[method];
    if (typeof original !== 'function') return;
    history[method] = function () {
      const result = original.apply(this, arguments);
      try {
        notify(method);
      } catch (e) {
        /* the scorer logs its own problems */
      }
      return result;
    };
  });
}

/** The helpers lent to the scorer's `start()`. */
export function shims() {
  return { watchDataLayer, watchHistory };
}

function readConfig(tag) {
  const url = tag.getAttribute('data-config');
  if (url) {
    return fetch(url, { credentials: 'same-origin' })
      .then((r) => {
        if (!r.ok) throw new Error('config ' + url + ': HTTP ' + r.status);
        return r.text();
      })
      .then((text) => parse(text, 'config ' + url));
  }
  const inline = document.getElementById('shopper-intent-config');
  return Promise.resolve(inline ? parse(inline.textContent, 'inline config') : undefined);
}

function parse(text, what) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(what + ' is not JSON: ' + e.message);
  }
}

/** window.shopperIntent: no method throws into the page. */
function api(si) {
  const warned = {};
  const warnOnce = (name, message) => {
    if (warned[name]) return;
    warned[name] = 1;
    console.warn('shopper-intent: ' + message);
  };
  const safe = (name, fallback) =>
    function () {
      try {
        return si[name].apply(null, arguments);
      } catch (e) {
        warnOnce(name, name + '() failed: ' + e);
        return fallback;
      }
    };
  return Object.freeze({
    track: safe('track', -1),
    state: safe('state', null),
    identify: safe('identify', -1),
    consent: safe('consent'),
    reset: safe('reset'),
    on(type, callback) {
      if (TYPES.indexOf(type) < 0 || typeof callback !== 'function') {
        warnOnce('on', 'on(type, callback): type is one of ' + TYPES.join(', ') + ', callback a function');
        return () => {};
      }
      const listener = (e) => callback(e.detail);
      addEventListener(PREFIX + type, listener);
      return () => removeEventListener(PREFIX + type, listener);
    },
  });
}

function boot(tag) {
  window[STARTED] = true;
  const scorer = import('./shopper_intent.js').then((m) => m.default().then(() => m));
  Promise.all([scorer, readConfig(tag)])
    .then(([si, config]) => {
      si.start(shims(), config); // throws only for an invalid config
      window.shopperIntent = api(si);
      dispatchEvent(new CustomEvent(PREFIX + 'ready', { detail: { loadMs: performance.now() - T0 } }));
    })
    .catch((e) => console.error('shopper-intent: ' + ((e && e.message) || e) + ' (not started)'));
}

// Only the tag starts the scorer (importing this module does not), once per page.
const scripts = Array.prototype.slice.call(document.querySelectorAll('script[src]'));
const tag =
  scripts.find((s) => s.src === import.meta.url) ||
  scripts.find((s) => /\/shopper-intent\.js([?#]|$)/.test(s.src));
if (tag && !window[STARTED]) boot(tag);
