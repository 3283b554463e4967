// The wire format of src/core/wire.rs: what the loader read of the store's objects, flat.
// Reading happens here, in JS, where a throwing getter or a revoked Proxy is caught; the engine
// only ever sees bytes.

const MAX_URL = 8192; // longer strings go as their length only (the core refuses them)
const MAX_LIST = 256; // elements copied of a longer list (the core refuses > 200 items)

/** Keys the core reads of event parameters, at any depth (params, ecommerce, items). */
export const EVENT_KEYS = [
  'ecommerce', 'items', 'value', 'coupon', 'page_location', 'page_referrer',
  'item_id', 'item_name', 'item_category', 'price', 'quantity',
];

const encoder = new TextEncoder();

/** A growable byte buffer, reused from call to call. */
export class Buf {
  constructor() {
    this.u8 = new Uint8Array(1024);
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
  /** UTF-8 of `s`; returns the byte length. */
  text(s) {
    this.room(s.length * 3);
    const n = encoder.encodeInto(s, this.u8.subarray(this.n)).written;
    this.n += n;
    return n;
  }
}

/** `Number(s)` as the core's numeric-text rule wants it: blank is not a number, "NaN" is. */
function numeric(s) {
  const t = s.trim();
  const n = Number(t);
  return t !== '' && (n === n || t === 'NaN') ? n : undefined;
}

/**
 * Writes `v`. `keys` limits the object keys written (at every depth); `depth` stops cycles.
 * Property reads may throw: the caller catches, and the whole value is refused.
 */
export function writeValue(b, v, keys, depth) {
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
  b.byte(list ? 7 : 8);
  const countAt = b.n;
  b.u32(0);
  const sizeAt = b.n;
  b.u32(0);
  let count = 0;
  if (list) {
    count = v.length;
    for (let i = 0; i < count && i < MAX_LIST; i++) writeValue(b, v[i], keys, depth + 1);
  } else {
    const names = keys || Object.keys(v);
    for (let i = 0; i < names.length; i++) {
      const k = names[i];
      const x = v[k];
      if (x === undefined || k.length > 200) continue;
      b.u16(0);
      const kAt = b.n - 2;
      b.dv.setUint16(kAt, b.text(k), true);
      writeValue(b, x, keys, depth + 1);
      count++;
    }
  }
  b.u32(count, countAt);
  b.u32(b.n - sizeAt - 4, sizeAt);
}

/** Writes `value` alone into a fresh buffer and returns its bytes (for the browser tests). */
export function wire(value, eventKeys) {
  const b = new Buf();
  writeValue(b, value, eventKeys ? EVENT_KEYS : null, 0);
  return b.u8.slice(0, b.n);
}
