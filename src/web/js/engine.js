// The engine behind its narrow boundary (src/web/mod.rs): bytes in, numbers and one record out.

import { Buf, writeEvent } from './wire.js';

/** The tag's one UTF-8 decoder (records, the model file). */
export const decoder = new TextDecoder();

/** A reader of the record a call left (src/web/out.rs). */
class Out {
  constructor(w) {
    const p = w.si_out_ptr() >>> 0;
    this.n = w.si_out_len() >>> 0;
    this.dv = new DataView(w.memory.buffer, p, this.n);
    this.u8 = new Uint8Array(w.memory.buffer, p, this.n);
    this.at = 0;
  }
  u8b() {
    return this.u8[this.at++];
  }
  u32() {
    const v = this.dv.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  f64() {
    const v = this.dv.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }
  str() {
    const n = this.u32();
    const s = decoder.decode(this.u8.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  opt() {
    return this.u8b() ? this.str() : null;
  }
}

const STAGES = ['cold', 'warm', 'mql', 'sql'];
const INTENTS = ['none', 'low', 'mid', 'high'];
// src/core/visit.rs `Channel`, in its order.
const CHANNELS = ['direct', 'email', 'sms', 'paid_search', 'paid_social', 'organic', 'referral'];
// src/core/score.rs `Suppression::reasons`, one bit each.
const SUPPRESSION = ['opted_out', 'bounced'];

/** The bytes at `url` (fetch's default credentials: same-origin); an HTTP error names `what`. */
export function fetchBytes(url, what) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(what + ': HTTP ' + r.status);
    return r.arrayBuffer();
  });
}

/**
 * The compiled module at `url`. Streaming compiles while the bytes arrive; servers that do not
 * send application/wasm get the plain path.
 */
export function compileWasm(url) {
  const bytes = () => fetchBytes(url, url).then((b) => WebAssembly.compile(b));
  return WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(url)).catch(bytes) : bytes();
}

/**
 * An instance of engine `module` (the scorer, or the engine with nudges), without
 * wasm-bindgen's glue: its one import is `Math.pow` (src/web/mod.rs); the build drops
 * wasm-bindgen's start and externref table, which only its glue uses (scripts/wasm.sh). Any
 * other import is refused by name, so a wasm-bindgen that changes them fails the tests, not a page.
 */
export function instantiate(module) {
  const imports = {};
  WebAssembly.Module.imports(module).forEach((i) => {
    if (!/^__wbg_pow_/.test(i.name)) throw new Error('the engine imports ' + i.name + ', which this tag does not provide');
    (imports[i.module] = imports[i.module] || {})[i.name] = Math.pow;
  });
  return new WebAssembly.Instance(module, imports).exports;
}

/** One wasm instance: the model and the visitor's profile. */
export class Engine {
  constructor(w) {
    this.w = w;
    this.buf = new Buf();
  }

  /** Copies `bytes` into the engine's input buffer (a new call starts). */
  input(bytes, n) {
    const p = this.w.si_input(n) >>> 0;
    // One view of the memory, made again only when the memory grew (its buffer changes).
    let mem = this.mem;
    if (!mem || mem.buffer !== this.w.memory.buffer) mem = this.mem = new Uint8Array(this.w.memory.buffer);
    mem.set(n === bytes.length ? bytes : bytes.subarray(0, n), p);
  }

  out() {
    return new Out(this.w);
  }

  /** Copies `head` (bytes, or none) then the UTF-8 of `s` into the engine's input buffer. */
  inputText(s, head) {
    const b = this.buf;
    b.n = 0;
    if (head) {
      b.room(head.length);
      b.u8.set(head, 0);
      b.n = head.length;
    }
    b.text(s);
    this.input(b.u8, b.n);
  }

  /** Loads compiled model bytes; a new visitor with `id`. 1 when the model reads, 0 when it does not,
   * 2 when it has a scorecard and this scorer has none (si_init). */
  init(model, id) {
    this.model = model;
    this.inputText(id, model);
    return this.w.si_init(model.length);
  }

  fresh(id) {
    this.inputText(id);
    this.w.si_fresh();
  }

  /**
   * Loads a stored profile (base64 text, as `save` wrote it); `null` when it read, else why not
   * (the engine's parts, as `why`, or the tag's words for text that is not base64).
   * Base64 is the browser's own (`atob`, `btoa`): the engine sees only the stored bytes.
   */
  load(text, now) {
    let bytes;
    try {
      bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    } catch (e) {
      return ['notBase64'];
    }
    this.input(bytes, bytes.length);
    return this.w.si_load(now) === 1 ? null : this.why();
  }

  /** The profile as stored text: its bytes in base64, unpadded as `Profile::encode` writes it natively. */
  save() {
    this.w.si_save();
    return btoa(String.fromCharCode.apply(null, this.out().u8)).replace(/=+$/, '');
  }

  /**
   * Writes event `name` with `params` into the scratch buffer: the bytes `track` sends. Throws
   * when reading `params` throws (a hostile getter): the caller refuses the event.
   */
  encode(name, params) {
    // Written into blocks the bytes then stay in, for the runtime to re-apply: a copy of its own
    // per event (`slice`, a new ArrayBuffer) was two thirds of encode()'s time (measured in V8).
    let b = this.kept;
    if (!b || b.u8.length - b.n < 4096) b = this.kept = new Buf(65536);
    const start = b.n;
    b.u16(0);
    b.dv.setUint16(start, b.text(name), true);
    writeEvent(b, params);
    return b.u8.subarray(start, b.n);
  }

  /** Tracks encoded event `bytes` at `time`: the signals fired, -1 refused, -2 not an event the model knows. */
  track(bytes, time) {
    this.input(bytes, bytes.length);
    return this.w.si_track(time);
  }

  /** The conversions a tracked purchase made. */
  conversions() {
    const r = this.out();
    if (r.n === 0) return [];
    const list = [];
    for (let n = r.u8b(); n > 0; n--) list.push({ experiment_id: r.str(), variation_id: r.str(), value: r.f64() });
    return list;
  }

  /** The last call's refusal: its parts (`Error::parts`), which errors.js words. */
  why() {
    const r = this.out();
    return { c: r.u8b(), t: [r.str(), r.str()], n: [r.f64(), r.f64(), r.f64()] };
  }

  /** Applies a validated identify() report; see src/web/mod.rs `si_identify`. */
  identify(f, now) {
    const bytes = f.purchase || new Uint8Array(0);
    this.input(bytes, bytes.length);
    const fired = this.w.si_identify(now, f.opens, f.lastOpen, f.yesNo, f.bounced, f.purchaseTime);
    const changed = fired >= 0 && this.out().u8b() === 1;
    return [fired, changed];
  }

  /** Score, stage and intent at `now`, and whether a nudge could be decided then: until it
   * could, the engine with nudges is not needed. */
  verdict(now) {
    const score = this.w.si_score(now);
    const r = this.out();
    return [score, STAGES[r.u8b()], INTENTS[r.u8b()], r.u8b() === 1];
  }

  /** The visitor's state at `now` (without the fields the runtime adds). */
  state(now) {
    this.w.si_state(now);
    const r = this.out();
    const s = { score: r.f64(), stage: STAGES[r.u8b()], intent: INTENTS[r.u8b()] };
    const bits = r.u8b();
    const suppression = SUPPRESSION.filter((_, i) => bits >> i & 1);
    s.suppressed = suppression.length > 0;
    s.suppression = suppression;
    s.value = r.f64();
    s.highValue = r.u8b() === 1;
    s.visitorId = r.str();
    const index = r.u32();
    s.visit = { id: s.visitorId + '-' + index, index, startedAt: r.f64(), pageViews: r.u32(), landing: r.opt(), channel: CHANNELS[r.u8b()] };
    const signals = [];
    for (let n = r.u8b(); n > 0; n--) signals.push({ rule: r.str(), points: r.f64(), time: r.f64() });
    s.signals = signals;
    s.experiments = {};
    for (let n = r.u8b(); n > 0; n--) {
      const key = r.str();
      s.experiments[key] = { variant: r.str(), variation: r.u32() };
    }
    return s;
  }

  /** [idle ms or -1, exit intent wanted]. */
  triggers() {
    return [this.w.si_idle_ms(), this.w.si_wants_exit() === 1];
  }
}
