// The GA4 data layer: entries already in window.dataLayer are replayed, then `push` is watched.
// Plain objects with an `event`, `{ecommerce: null}` clears (ignored), and gtag's `Arguments`
// (`event` and `consent` commands; `js`, `config`, `set` ignored). Nothing we do throws into the
// store's code: every entry is read inside `try`.

import { isObject } from './wire.js';

const isArguments = (x) => Object.prototype.toString.call(x) === '[object Arguments]';

/**
 * Replays `layer` into `ingest(entry, isArguments)`, then sees every push: `push` becomes an
 * accessor whose wrapper calls the previous push and returns its result; a push assigned later
 * (GTM's) goes in front of the chain, so entries still arrive, once.
 */
export function watchDataLayer(layer, ingest) {
  const feed = (x) => {
    try {
      ingest(x, isArguments(x));
    } catch (e) {
      /* an entry we cannot read is skipped (the scorer logs refusals itself) */
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
  for (let i = 0; i < layer.length; i++) feed(layer[i]);
}

/** The data layer adapter of one scorer. */
export class DataLayer {
  constructor(scorer, name) {
    this.s = scorer;
    this.name = name;
    // Set later: watched (the array watched), own (our own push is in progress).
  }

  /** `window[name]`, created empty when absent; null (and a warning) when something else holds it. */
  array() {
    const current = window[this.name];
    if (Array.isArray(current)) return current;
    if (current === undefined) return (window[this.name] = []);
    this.s.warn('layer', ['notArray', this.name]);
    return null;
  }

  /** The consent commands already in the data layer, before anything else is read: storage is
   * read (or not) by what they say, before this page's events. */
  peekConsent() {
    const layer = window[this.name];
    if (!Array.isArray(layer)) return;
    for (let i = 0; i < layer.length; i++) {
      try {
        const e = layer[i];
        if (isArguments(e) && e[0] === 'consent') this.read(e, true);
      } catch (err) {
        /* read again, and skipped again, by the replay */
      }
    }
  }

  watch() {
    const layer = this.array();
    if (!layer) return;
    this.watched = layer;
    watchDataLayer(layer, (entry, args) => {
      if (!this.own) this.read(entry, args);
    });
  }

  /** On page activity: the page replaced the array (`dataLayer = []`); replay and watch the new one. */
  recheck() {
    const current = window[this.name];
    if (this.watched && current !== this.watched && Array.isArray(current)) this.watch();
  }

  read(entry, args) {
    if (args) {
      // gtag('event', name, params) / gtag('consent', 'default' | 'update', params).
      const command = entry[0];
      const what = entry[1];
      // GA4 names are at most 40 characters: anything far longer is not an event.
      if (typeof command !== 'string' || typeof what !== 'string' || what.length > 100) return;
      if (command === 'event') this.s.track(what, entry[2], 'layer');
      else if (command === 'consent') this.s.googleConsent(what, entry[2]);
      return;
    }
    // GTM pushes plain objects; arrays and functions are GTM commands, not events.
    if (!isObject(entry)) return;
    const name = entry.event;
    if (typeof name === 'string' && name.length <= 100 && name.slice(0, 4) !== 'gtm.') this.s.track(name, entry, 'layer');
  }

  /** Pushes our own entry (exposures, stage feedback) through the page's push, not read back. */
  push(entry) {
    const layer = this.array();
    if (!layer) return;
    this.own = true;
    try {
      layer.push(entry);
    } catch (e) {
      /* the page's push failed; nothing of ours to undo */
    } finally {
      this.own = false;
    }
  }
}
