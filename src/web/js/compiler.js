// Compiles a plain JSON config in the browser: the config reader and validator, with its
// field-naming errors, in a module of its own that only pages serving a plain config load.
// A store that serves `shopper-intent compile`'s output never loads this.

import { initSync } from 'shopper-intent-compiler';
import { modelFile } from './model-file.js';

/** The model file's bytes for `config` (model-file.js); throws the validator's message for an invalid one. */
export async function compile(config, wasmUrl) {
  const r = await fetch(wasmUrl);
  if (!r.ok) throw new Error('the config compiler ' + wasmUrl + ': HTTP ' + r.status);
  const w = initSync({ module: await WebAssembly.compile(await r.arrayBuffer()) });
  const bytes = new TextEncoder().encode(JSON.stringify(config));
  const p = w.si_input(bytes.length) >>> 0;
  new Uint8Array(w.memory.buffer, p, bytes.length).set(bytes);
  const ok = w.si_compile() === 1;
  const out = new TextDecoder().decode(new Uint8Array(w.memory.buffer, w.si_out_ptr() >>> 0, w.si_out_len() >>> 0));
  if (!ok) throw new Error(out);
  return modelFile(out);
}
