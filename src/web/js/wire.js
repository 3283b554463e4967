// The wire format of src/core/wire.rs: what the loader read of the store's objects, flat.
// Reading happens here, in JS, where a throwing getter or a revoked Proxy is caught; the engine
// only ever sees bytes.

const MAX_URL = 8192; // longer strings go as their length only (the core refuses them)
const MAX_LIST = 256; // elements copied of a longer list (the core refuses > 200 items)

const encoder = new TextEncoder();

/** A growable byte buffer. */
export class Buf {
  constructor(size = 1024) {
    this.u8 = new Uint8Array(size);
    this.dv = new DataView(this.u8.buffer);
    this.n = 0;
  }
  room(k) {
    if (this.n + k <= this.u8.length) return;
    const u8 = new Uint8Array(Math.max(this.u8.length * 2, this.n + k));
    u8.set(this.u8.subarray(0, this.n));
    this.u8 = u8;
    this.dv = new DataView(u8.buffer);
  }
  byte(b) {
    this.room(1);
    this.u8[this.n++] = b;
  }
  u16(v) {
    this.room(2);
    this.dv.setUint16(this.n, v, true);
    this.n += 2;
  }
  u32(v, at) {
    if (at !== undefined) return this.dv.setUint32(at, v, true);
    this.room(4);
    this.dv.setUint32(this.n, v, true);
    this.n += 4;
  }
  f64(v) {
    this.room(8);
    this.dv.setFloat64(this.n, v, true);
    this.n += 8;
  }
  /** UTF-8 of `s`; returns the byte length. ASCII, the usual case, is copied by hand: the
   * encoder's call costs more than the copy for short strings (measured: a quarter of track()). */
  text(s) {
    const len = s.length;
    this.room(len * 3);
    const u8 = this.u8;
    const start = this.n;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) {
        const n = encoder.encodeInto(s, u8.subarray(start)).written;
        this.n = start + n;
        return n;
      }
      u8[start + i] = c;
    }
    this.n = start + len;
    return len;
  }
}

/** `Number(s)` as the core's numeric-text rule wants it: blank is not a number, "NaN" is. */
function numeric(s) {
  const t = s.trim();
  const n = Number(t);
  return t !== '' && (n === n || t === 'NaN') ? n : undefined;
}

/**
 * Writes `v` with every own enumerable key of its objects; `depth` stops cycles. Property reads
 * may throw: the caller catches, and the whole value is refused.
 */
export function writeValue(b, v, depth) {
  if (v === undefined) return b.byte(0);
  if (v === null) return b.byte(1);
  const t = typeof v;
  if (t === 'boolean') return b.byte(v ? 3 : 2);
  if (t === 'number') {
    b.byte(4);
    return b.f64(v);
  }
  if (t === 'string') {
    if (v.length > MAX_URL) {
      b.byte(6);
      return b.u32(v.length);
    }
    b.byte(5);
    const at = b.n;
    b.u32(0);
    b.u32(b.text(v), at);
    const n = numeric(v);
    b.byte(n === undefined ? 0 : 1);
    return b.f64(n === undefined ? 0 : n);
  }
  if (t !== 'object' || depth > 6) return b.byte(9);
  const list = Array.isArray(v);
  const at = open(b, list ? 7 : 8);
  let count = 0;
  if (list) {
    count = v.length;
    for (let i = 0; i < count && i < MAX_LIST; i++) writeValue(b, v[i], depth + 1);
  } else {
    const names = Object.keys(v);
    for (let i = 0; i < names.length; i++) {
      const k = names[i];
      const x = v[k];
      if (x === undefined || k.length > 200) continue;
      b.u16(0);
      const kAt = b.n - 2;
      b.dv.setUint16(kAt, b.text(k), true);
      writeValue(b, x, depth + 1);
      count++;
    }
  }
  close(b, at, count);
}

/** A map entry `key` (ASCII): `x`, unless `x` is undefined, written by `write` (a plain value without). */
function entry(b, key, x, write) {
  if (x === undefined) return 0;
  b.u16(key.length);
  b.text(key);
  if (write) write(b, x);
  else writeValue(b, x, 6);
  return 1;
}

/** A list (7) or map (8) header, its count and size filled in by close(); returns where its body starts. */
function open(b, tag) {
  b.byte(tag);
  b.u32(0);
  b.u32(0);
  return b.n;
}

function close(b, at, count) {
  b.u32(count, at - 8);
  b.u32(b.n - at, at - 4);
}

/** A plain object or the like: not null, not an array. */
export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function item(b, v) {
  if (!isObject(v)) return writeValue(b, v, 6);
  const at = open(b, 8);
  const n = entry(b, 'item_id', v.item_id) + entry(b, 'item_name', v.item_name) + entry(b, 'item_category', v.item_category)
    + entry(b, 'price', v.price) + entry(b, 'quantity', v.quantity) + entry(b, 'coupon', v.coupon);
  close(b, at, n);
}

function items(b, v) {
  if (!Array.isArray(v)) return writeValue(b, v, 6);
  const at = open(b, 7);
  for (let i = 0; i < v.length && i < MAX_LIST; i++) item(b, v[i]);
  close(b, at, v.length);
}

function ecommerce(b, v) {
  if (!isObject(v)) return writeValue(b, v, 6);
  const at = open(b, 8);
  close(b, at, entry(b, 'items', v.items, items) + entry(b, 'value', v.value) + entry(b, 'coupon', v.coupon));
}

/**
 * Writes an event's parameters: exactly the fields the core's decoder reads (src/core/event.rs),
 * each by its name. Static reads keep this fast (a generic walk over the keys was a quarter of
 * track(), measured).
 */
export function writeEvent(b, v) {
  if (!isObject(v)) return writeValue(b, v, 6);
  const at = open(b, 8);
  const n = entry(b, 'ecommerce', v.ecommerce, ecommerce) + entry(b, 'items', v.items, items)
    + entry(b, 'value', v.value) + entry(b, 'coupon', v.coupon)
    + entry(b, 'page_location', v.page_location) + entry(b, 'page_referrer', v.page_referrer);
  close(b, at, n);
}

/** Writes `value` alone into a fresh buffer and returns its bytes (for the browser tests). */
export function wire(value, eventKeys) {
  const b = new Buf();
  if (eventKeys) writeEvent(b, value);
  else writeValue(b, value, 0);
  return b.u8.slice(0, b.n);
}
