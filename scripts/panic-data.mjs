// Zeroes, in place, the data of a wasm engine that only a panic message would read:
//
//   node scripts/panic-data.mjs MODULE.wasm
//
// liballoc's allocation-failure panics link their message pieces, its source paths and
// core::fmt's two-digit table into the data; the engines' panic handler (src/web/heap.rs) never
// reads its argument, and wasm-opt then drops the formatting code, but no pass can drop data.
// Zeroed here (the bytes keep their places, so no address moves), `wasm-opt --memory-packing`
// leaves them out of the file: the scorer 262 B gzip less. No binaryen pass or crate does this.
// The digit table is zeroed only if no code names its address, that is, if no integer
// formatting of core's is left; otherwise the table stays and the script says so on stderr.
import { readFileSync, writeFileSync } from 'node:fs';

const PIECES = ['memory allocation of ', ' bytes failed', 'capacity overflow'];
const PATH = /\/rustc\/[0-9a-f]{40}\/library\/[a-z_/]+\.rs/g;
const DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join('');

const file = process.argv[2];
const wasm = readFileSync(file);

function uleb(at) {
    let value = 0, shift = 0, byte;
    do {
        byte = wasm[at++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
    } while (byte & 0x80);
    return [value, at];
}

function leb(value, signed) {
    const out = [];
    for (;;) {
        const byte = value & 0x7f;
        value = Math.floor(value / 128);
        const done = signed ? value === 0 && !(byte & 0x40) : value === 0;
        out.push(done ? byte : byte | 0x80);
        if (done) return Buffer.from(out);
    }
}

// The sections' bodies by id (code is 10, data is 11).
const sections = new Map();
for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [size, body] = uleb(at + 1);
    sections.set(id, wasm.subarray(body, body + size));
    at = body + size;
}
const code = sections.get(10), data = sections.get(11);
if (!code || !data) throw new Error(`${file}: no code or data section`);

// Each active segment's bytes with the memory address they start at.
const segments = [];
let [count, at] = uleb(data.byteOffset - wasm.byteOffset);
for (; count > 0; count--) {
    let flags;
    [flags, at] = uleb(at);
    if (flags === 2) [, at] = uleb(at);
    let address = null;
    if (flags !== 1) {
        if (wasm[at] !== 0x41) throw new Error(`${file}: a data segment's offset is not an i32.const`);
        [address, at] = uleb(at + 1); // the engines' addresses are below 2^31: sleb reads as uleb
        at++; // end
    }
    let size;
    [size, at] = uleb(at);
    if (address !== null) segments.push({ address, bytes: wasm.subarray(at, at + size) });
    at += size;
}

let zeroed = 0;
function zero(text, guarded) {
    const needle = Buffer.from(text);
    for (const { address, bytes } of segments) {
        for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + 1)) {
            const named = [leb(address + i, true), leb(address + i, false)].some((n) => code.includes(n));
            if (guarded && named) {
                console.error(`${file}: core's digit table is still read by code; left as it was`);
                continue;
            }
            bytes.fill(0, i, i + needle.length);
            zeroed += needle.length;
        }
    }
}

const texts = new Set(PIECES);
for (const { bytes } of segments) for (const path of bytes.toString('latin1').match(PATH) ?? []) texts.add(path);
for (const text of texts) zero(text, false);
zero(DIGITS, true);
writeFileSync(file, wasm);
console.log(`${file}: ${zeroed} bytes of panic-only data zeroed`);
