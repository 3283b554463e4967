// Compiles a plain JSON config in the browser: the config reader and validator, with its
// field-naming errors, in a module of its own that only pages serving a plain config load.
// A store that serves `shopper-intent compile`'s output never loads this. `npx
// shopper-intent-compile` (compile-cli.js) runs the same compiler through `run`.

import { initSync } from 'shopper-intent-compiler';

/** The record the compiler instance `w` left, copied out of its memory. */
export const record = (w) => new Uint8Array(w.memory.buffer, w.si_out_ptr() >>> 0, w.si_out_len() >>> 0).slice();

/**
 * Compiles config text `text` with compiler instance `w` (src/web/compiler.rs, `si_compile`):
 * [1, the model file's bytes], [2, the same for a model with a scorecard], or [0, the error's UTF-8].
 */
export function run(w, text) {
  const bytes = new TextEncoder().encode(text);
  const p = w.si_input(bytes.length) >>> 0;
  new Uint8Array(w.memory.buffer, p, bytes.length).set(bytes);
  const answer = w.si_compile();
  return [answer, record(w)];
}

/** The model file's bytes for `config`; throws the validator's message for an invalid one. */
export async function compile(config, wasmUrl) {
  const r = await fetch(wasmUrl);
  if (!r.ok) throw new Error('the config compiler ' + wasmUrl + ': HTTP ' + r.status);
  const w = initSync({ module: await WebAssembly.compile(await r.arrayBuffer()) });
  const [answer, out] = run(w, JSON.stringify(config));
  if (!answer) throw new Error(new TextDecoder().decode(out));
  return out;
}
