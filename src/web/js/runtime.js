// The page's one scorer: the engine, the visitor's profile kept in step with storage and with
// other tabs, consent, the page's sources, and nudges. Every entry point catches what it meets:
// nothing here throws into the store's page.
//
// Multi-tab: every operation of this tab gets a sequence number and stays in `pending` until a
// stored profile is known to include it. When another tab's profile turns up (the `storage`
// event, or a read before writing), this tab adopts it and re-applies the operations the other
// tab's clock says it lacks. The engine is deterministic and on-site times never run backwards,
// so nothing is lost or counted twice. The same re-application keeps every event of the page when
// consent arrives late.

import { Consent, googleSay, shopifyNow, globalPrivacyControl, readChoice } from './consent.js';
import { DataLayer } from './datalayer.js';
import { href, pathOf, listenNavigation, listenClicks } from './page.js';
import { Store, parseEntry, joinEntry, setClock, randomHex } from './storage.js';
import { readFacts } from './facts.js';

export const PREFIX = 'shopper-intent:';
/** Operations of this page kept for re-applying, at least (far beyond what a page sends; up to
 * twice as many are kept, at most about 8 MB). */
const MAX_PENDING = 20000;
/** A Shopify event this close (ms) to a data-layer event of the same kind is one action seen twice. */
const SAME_ACTION_MS = 2000;
/** A profile changing all the time is still saved this many save delays after its first change. */
const SAVE_MAX_WAIT = 5;

/**
 * Writes warning `w` to console[level] after `prefix`: a text, or words to look up (a key and
 * its arguments, or an engine refusal's parts) in errors.js, a chunk loaded on the first. A page
 * that broke its console cannot make us throw.
 */
export function say(level, w, prefix = '') {
  if (typeof w !== 'string') {
    import('./errors.js').then((m) => m.message(w), () => JSON.stringify(w)).then((t) => say(level, t, prefix));
    return;
  }
  try {
    console[level]('shopper-intent: ' + prefix + w);
  } catch (e) {
    /* nothing to do */
  }
}

/** An error whose message is words for errors.js: a key and its arguments. */
export class Words extends Error {
  constructor(...words) {
    super(words.join(' '));
    this.words = words;
  }
}

export class Scorer {
  /**
   * `engine`: an initialized Engine; `rt`: the model's runtime section; `opts.render`: loads the
   * built-in renderer on the first nudge the page does not render itself; `opts.nudges`: loads
   * the nudge chunk and the engine with nudges ([chunk, its wasm exports]) when a nudge could
   * first be decided; `opts.shopify`: the Shopify adapter (shopify.js), loaded on a Shopify
   * storefront only ({failed: why} when it could not be); `opts.triggers`: the idle and
   * exit-intent watchers (triggers.js), loaded only for a model with rules on those triggers
   * ({failed: why} when it could not be).
   */
  constructor(engine, rt, opts) {
    this.engine = engine;
    this.rt = rt;
    this.opts = opts;
    this.debug = opts.debug;
    this.work = new Set();
    this.warned = {};
    this.consent = new Consent(rt.require_consent);
    this.store = new Store(rt.storage_key, (k, m) => this.warn(k, m));
    this.layer = new DataLayer(this, rt.data_layer);
    this.triggers = opts.triggers?.Triggers ? new opts.triggers.Triggers() : null;
    this.tab = randomHex(4);
    this.seq = 0;
    this.pending = [];
    this.clock = new Map();
    this.referrer = document.referrer || null;
    this.recent = [];
    this.starting = true;
    this.last = engine.verdict(0);
    // Set later, undefined until then: synced and syncedOurs (the entry last read or written, and
    // whether we wrote it), writtenSeq, dirty, saveTimer, changedAt, lastPath, queued, pageChanged, and
    // nudger (the nudge half, nudger.js, once the nudge chunk is loaded).
  }

  /** Logs problem `w` (see `say`) once per kind (every one with the debug switch), to the console only. */
  warn(kind, w) {
    if (this.warned[kind] && !this.debug) return;
    this.warned[kind] = 1;
    say('warn', w);
  }

  /** The debug switch's log of decisions and refusals. */
  log(message, detail) {
    if (!this.debug) return;
    try {
      console.info('shopper-intent: ' + message, detail === undefined ? '' : detail);
    } catch (e) {
      /* as in say */
    }
  }

  /** Runs `fn`, catching and logging anything it throws. */
  guard(what, fn) {
    try {
      return fn();
    } catch (e) {
      this.warn('failed:' + what, ['failed', what, String(e)]);
    }
  }

  /** Adds a listener for the life of the page. */
  listen(target, name, fn, capture) {
    target.addEventListener(name, (e) => this.guard(name, () => fn(e)), capture);
  }

  /** The profile is kept on the device (consent, storage available). */
  persists() {
    return this.consent.allowed() && !!this.store.area;
  }

  // ---------------------------------------------------------------------------------------
  // Start.

  start() {
    const rt = this.rt;
    this.consent.gpc = rt.global_privacy_control && globalPrivacyControl();
    const shopifySays = rt.shopify ? shopifyNow() : null;
    if (shopifySays) this.consent.shopify = shopifySays;
    this.consentChanged(() => {});
    // Consent first (what the data layer already says), then the stored profile and the pixel's
    // checkout events, then this page's view, then the data layer's events.
    this.layer.peekConsent();
    const known = this.consent.allowed();
    if (known) this.loadWithInbox();
    this.pageView('page');
    this.layer.watch();
    // Granted only now (a consent update among the replayed entries): the page's events so far
    // are re-applied on the stored profile.
    if (!known) this.loadWithInbox();
    if (rt.spa) listenNavigation(this);
    if (rt.clicks) listenClicks(this);
    if (this.opts.triggers?.failed) this.warn('triggers', ['noTriggers', this.opts.triggers.failed]);
    if (rt.shopify) {
      const adapter = this.opts.shopify;
      if (adapter?.failed) this.warn('shopify', ['noShopify', adapter.failed]);
      else adapter?.listenShopify(this);
      if (!shopifySays && window.Shopify) {
        [500, 2000, 6000].forEach((ms) => setTimeout(() => this.guard('consent', () => this.recheckShopify()), ms));
      }
    }
    this.listen(window, 'pagehide', () => this.saveNow());
    this.listen(document, 'visibilitychange', () => document.hidden && this.saveNow());
    this.listen(window, 'storage', (e) => {
      // `key` is null when another tab cleared the whole storage.
      if (e.storageArea === this.store.area && (e.key === null || e.key === this.store.key)) {
        this.otherTabWrote(e.newValue);
      }
    });
    this.starting = false;
    this.announce();
    this.watchTriggers();
    this.run('event');
  }

  /** The stored profile, then the checkout events a Shopify pixel saw since the last storefront
   * page (they came before this page). Both only with consent. */
  loadWithInbox() {
    if (!this.consent.allowed()) return;
    this.load();
    // Only a Shopify pixel writes the inbox, and only on a Shopify store: elsewhere, no read at all.
    if (!this.rt.shopify || !window.Shopify) return;
    const now = Date.now();
    this.store.takeInbox().forEach((entry) => {
      if (typeof entry?.name === 'string' && typeof entry.time === 'number') {
        this.track(entry.name, entry.params, 'pixel', Math.min(Math.max(entry.time, 0), now));
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Events.

  /** A page view of the current location. */
  pageView(source) {
    return this.track('page_view', { page_location: href() }, source);
  }

  /**
   * Tracks event `name` from `source` (api, layer, shopify, page, restore, click, pixel). Returns
   * the signals fired, 0 when ignored, -1 when refused.
   */
  track(name, params, source, time) {
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
      this.warn('name', ['badName']);
      return -1;
    }
    const t = time === undefined ? Date.now() : time;
    if (name === 'page_view') {
      let location;
      try {
        location = params && params.page_location;
      } catch (e) {
        /* a throwing getter: left undefined, so the page's own location */
      }
      if (location === undefined || location === null) location = href();
      // One page view per path per navigation, whoever reports it (us, GA4, Shopify).
      const path = typeof location === 'string' ? pathOf(location) : null;
      if (source !== 'restore' && path !== null && path === this.lastPath) return 0;
      if (path !== null) this.lastPath = path;
      const extra = { page_location: location };
      if (this.referrer) {
        extra.page_referrer = this.referrer;
        this.referrer = null;
      }
      // Our additions over the store's own parameters (read through the prototype, not copied).
      params = Object.assign(Object.create(params && typeof params === 'object' ? params : null), extra);
      this.pageChanged = !this.starting;
    } else if (this.sameAction(name, source, t)) {
      return 0;
    }
    let bytes;
    try {
      bytes = this.engine.encode(name, params === undefined ? {} : params);
    } catch (e) {
      this.warn('read', ['unreadable', name, String(e)]);
      return -1;
    }
    return this.apply(bytes, t, name);
  }

  /** Applies an encoded event; logs it for re-application. */
  apply(bytes, t, name) {
    const fired = this.engine.track(bytes, t);
    if (fired === -2) {
      this.log('ignored (not an event the model knows)', name);
      this.op({ t: 'e', bytes, time: t });
      this.dirty = true;
      return 0;
    }
    if (fired < 0) {
      const why = this.engine.why();
      this.warn('event', why);
      if (this.debug) say('info', why, 'refused: ');
      return -1;
    }
    if (name === 'purchase') {
      this.engine.conversions().forEach((c) => this.send({ event: 'experiment_conversion', ...c }, t));
    }
    this.op({ t: 'e', bytes, time: t });
    this.changed();
    return fired;
  }

  /** True when the other adapter (data layer or Shopify) reported this kind just before. */
  sameAction(name, source, t) {
    const other = source === 'layer' ? 'shopify' : source === 'shopify' ? 'layer' : null;
    if (!other) return false;
    if (this.recent.some((r) => r[0] === name && r[1] === other && t - r[2] <= SAME_ACTION_MS)) return true;
    this.recent.push([name, source, t]);
    if (this.recent.length > 4) this.recent.shift();
    return false;
  }

  /** identify(profile): returns the signals fired, -1 when refused. */
  identify(profile) {
    const f = readFacts(profile);
    if (f.error) {
      this.warn('identify', f.error);
      return -1;
    }
    const t = Date.now();
    const [fired, changed] = this.engine.identify(f, t);
    if (fired < 0) {
      this.warn('identify', this.engine.why());
      return -1;
    }
    if (changed) {
      this.op({ t: 'i', facts: f, time: t });
      this.changed();
    }
    return fired;
  }

  op(o) {
    this.seq++;
    o.seq = this.seq;
    // Trimmed in halves: one shift per event would copy the whole log each time, and batches of
    // 1,000 were still 8 % of track() past the limit (Chromium's profiler).
    if (this.pending.length >= 2 * MAX_PENDING) {
      this.pending.splice(0, MAX_PENDING);
      this.warn('pending', ['tooMany', MAX_PENDING]);
    }
    this.pending.push(o);
  }

  /** After a change: a save is due, and after the burst, listeners hear of it and nudges decide. */
  changed() {
    this.dirty = true;
    this.scheduleSave();
    if (this.starting || this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.guard('announce', () => this.announce());
      if (this.pageChanged) {
        this.pageChanged = false;
        this.nudger?.stop();
        this.watchTriggers();
      }
      this.run('event');
    });
  }

  /** Dispatches shopper-intent:<kind>; false when a listener called preventDefault(). */
  emit(kind, detail, cancelable) {
    try {
      return dispatchEvent(new CustomEvent(PREFIX + kind, { detail, cancelable }));
    } catch (e) {
      return true;
    }
  }

  /** score, stage and intent events for what changed since they were last announced. */
  announce() {
    const now = this.engine.verdict(Date.now());
    const was = this.last;
    this.last = now;
    const [score, stage, intent] = now;
    const tell = (kind, previous) => this.emit(kind, { score, stage, intent, previous });
    if (score !== was[0]) tell('score', was[0]);
    if (stage !== was[1]) {
      tell('stage', was[1]);
      if (this.rt.stage_to_data_layer) {
        this.layer.push({ event: 'intent_stage', intent_stage: stage, intent_score: score, intent_tier: intent });
      }
    }
    if (intent !== was[2]) tell('intent', was[2]);
  }

  /** Our own entry (exposure, conversion) to the data layer, and to the beacon when configured. */
  send(entry, t) {
    this.layer.push(entry);
    const url = this.rt.beacon_url;
    if (!url) return;
    // What ab-report needs beside the data layer's convention: who, and when.
    const body = { ...entry, visitor: this.engine.state(Date.now()).visitorId, time: t };
    try {
      navigator.sendBeacon(url, JSON.stringify(body));
    } catch (e) {
      /* fire and forget */
    }
  }

  // ---------------------------------------------------------------------------------------
  // Nudges.

  watchTriggers() {
    if (!this.triggers) return;
    const [idle, exit] = this.engine.triggers();
    if (idle >= 0 && !this.triggers.idle) {
      this.triggers.watchIdle(idle, (ms) => this.guard('idle', () => this.run('idle', ms)));
    }
    if (exit && !this.triggers.exit) this.triggers.watchExit(() => this.guard('exit', () => this.run('exit')));
  }

  /**
   * Runs the nudge half on a trigger. The engine the tag starts with has no nudges: until one
   * could be decided (`verdict`), the engine with nudges would decide nothing and wait for
   * nothing, so it and the nudge chunk are loaded only then, once per page.
   */
  run(trigger, idleMs) {
    if (this.nudger) {
      this.nudger.run(trigger, idleMs);
      return;
    }
    // Triggers met while it loads are run, in order, once it is there (a failed load is not
    // tried again on this page).
    if (this.waiting) {
      if (this.waiting.length < 100 && !this.nudgesFailed) this.waiting.push([trigger, idleMs]);
    } else if (this.persists() && (trigger === 'event' ? this.last : this.engine.verdict(Date.now()))[3]) {
      // (An 'event' run follows an announcement, whose verdict holds the gate: no second call.)
      this.loadNudges([[trigger, idleMs]]);
    }
  }

  /** Counts `promise` as work in flight until it settles (see settled()). */
  inFlight(promise) {
    this.work.add(promise);
    const done = () => this.work.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Resolves once no burst, nudge engine load or renderer load is in flight. */
  async settled() {
    do {
      await new Promise((r) => setTimeout(r, 0));
      await Promise.allSettled(this.work);
    } while (this.work.size > 0);
  }

  loadNudges(waiting) {
    this.waiting = waiting;
    this.inFlight(this.opts.nudges().then(([chunk, w]) => {
      // Synchronously with the move, so no event falls between the two engines.
      this.engine = chunk.moveTo(this.engine, w);
      this.nudger = new chunk.Nudger(this);
      this.log('nudge engine loaded');
      waiting.forEach(([trigger, idleMs]) => this.guard('nudge', () => this.run(trigger, idleMs)));
    })).catch((e) => {
      this.nudgesFailed = true;
      this.warn('nudges', ['noNudges', String(e)]);
    });
  }

  /** reset() or consent withdrawn: the nudge goes, and every timer and watcher. */
  stop() {
    this.nudger?.stop();
    this.triggers?.cancelAll();
  }

  // ---------------------------------------------------------------------------------------
  // Storage and tabs.

  /**
   * Saves `save_delay_ms` after the last change, and at the latest SAVE_MAX_WAIT delays after the
   * first unsaved one: a burst, or a stream of lone events, is one write. Each save reads and
   * writes localStorage, which was the largest part of a lone event's deferred work (measured),
   * and the timer is re-armed per save, not per event.
   */
  scheduleSave() {
    if (!this.dirty) return;
    const now = Date.now();
    this.changedAt = now;
    // The timer first: persists() asks consent, too slow for every event.
    if (this.saveTimer || !this.persists()) return;
    const delay = this.rt.save_delay_ms;
    const latest = now + SAVE_MAX_WAIT * delay;
    const wait = (ms) => {
      this.saveTimer = setTimeout(() => {
        const quiet = Math.min(this.changedAt + delay, latest) - Date.now();
        if (quiet > 0) return wait(quiet);
        this.saveTimer = 0;
        this.guard('save', () => this.save());
      }, ms);
    };
    wait(delay);
  }

  saveNow() {
    this.recheck();
    this.save();
  }

  /** On page activity: a replaced data layer array, a late Shopify consent API. */
  recheck() {
    this.layer.recheck();
    this.recheckShopify();
  }

  /**
   * Builds on the profile in `entry` (another tab's, or this visitor's from an earlier page):
   * re-applies this tab's operations it lacks. An unreadable entry is replaced on the next save.
   */
  adopt(entry) {
    const now = Date.now();
    const [clock, body] = parseEntry(entry);
    const why = this.engine.load(body, now);
    if (why !== null) {
      this.warn('state', ['replaced', why]);
      this.dirty = true;
      return;
    }
    const included = clock.get(this.tab) || 0;
    this.pending = this.pending.filter((o) => o.seq > included);
    if (this.starting) this.last = this.engine.verdict(now);
    const e = this.engine;
    this.pending.forEach((o) => {
      if (o.t === 'e') e.track(o.bytes, o.time);
      else if (o.t === 'i') e.identify(o.facts, o.time);
      // Nudges and dismissals are logged only by the engine with nudges (nudger.js).
      else if (o.t === 'n') e.w.si_record(o.rule, o.variation, o.time);
      else if (o.t === 'd') e.w.si_dismiss();
    });
    this.dirty = this.pending.length > 0;
    this.clock = clock;
    this.synced = entry;
    this.syncedOurs = false;
    if (!this.starting) this.announce();
  }

  /** Reads the stored profile (consent just given, or a back-forward restore). */
  load() {
    if (!this.consent.allowed()) return;
    const entry = this.store.read();
    if (entry !== null && entry !== this.synced) this.adopt(entry);
    else if (entry === null) this.dirty = true;
    this.scheduleSave();
  }

  /** Writes the profile when it changed, on top of whatever another tab stored meanwhile. */
  save() {
    if (!this.persists()) return;
    const current = this.store.read();
    if (current !== null && current !== this.synced) this.adopt(current);
    else if (current !== null && this.syncedOurs) {
      // Our last write is still there after a save delay: it included these.
      const written = this.writtenSeq;
      this.pending = this.pending.filter((o) => o.seq > written);
    }
    if (!this.dirty) return;
    setClock(this.clock, this.tab, this.seq);
    const entry = joinEntry(this.clock, this.engine.save());
    if (this.store.write(entry)) {
      this.synced = entry;
      this.syncedOurs = true;
      this.writtenSeq = this.seq;
      this.dirty = false;
    }
  }

  /** The storage event: another tab wrote `value`, or deleted the entry (null). */
  otherTabWrote(value) {
    if (!this.consent.allowed()) return;
    if (value !== null) {
      if (value !== this.synced) {
        this.adopt(value);
        this.scheduleSave();
      }
      return;
    }
    // A reset, a consent withdrawal or a store's logout in another tab: forget the visitor here
    // too. A new visitor starts; it is stored on its next change, as any visitor is.
    this.warn('cleared', ['cleared']);
    this.forgetVisitor();
  }

  /** A new visitor here: nudges and watchers stop, listeners hear of the new verdict. */
  forgetVisitor() {
    this.engine.fresh(randomHex(16));
    this.pending = [];
    this.clock = new Map();
    this.synced = null;
    this.syncedOurs = false;
    this.dirty = false;
    this.stop();
    this.announce();
  }

  /** Applies a consent signal: reads storage when storing becomes allowed, and deletes the entry at
   * once on a refusal. */
  consentChanged(update) {
    const was = this.consent.allowed();
    const wasRefused = this.consent.refused();
    update(this.consent);
    if (this.consent.refused()) {
      // The stored entry (and the pixel's inbox) goes; the profile stays in memory for the page.
      this.store.remove();
      this.synced = null;
      this.syncedOurs = false;
      this.dirty = true;
      if (!wasRefused) this.stop();
    }
    if (this.consent.allowed() && !was && !this.starting) this.loadWithInbox();
  }

  googleConsent(command, params) {
    const say = googleSay(command, params);
    if (say) this.consentChanged((c) => (c.google = say));
  }

  /** Shopify loads its customer privacy API late: until it has answered, ask again now and then. */
  recheckShopify() {
    if (!this.rt.shopify || this.consent.shopify) return;
    const say = shopifyNow();
    if (say) this.consentChanged((c) => (c.shopify = c.shopify || say));
  }

  consentApi(choice) {
    const c = readChoice(choice);
    if (c.error) return this.warn('consent', c.error);
    this.consentChanged((k) => (k.api = c.granted));
  }

  /** reset(): forgets this visitor here and in storage. */
  reset() {
    this.store.remove();
    this.forgetVisitor();
  }

  /** state(): the engine's view, plus where the profile is kept. */
  state() {
    const s = this.engine.state(Date.now());
    s.storage = this.persists() ? 'local' : 'memory';
    return s;
  }
}
