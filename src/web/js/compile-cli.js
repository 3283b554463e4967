// shopper-intent-compile: the config compiler of the npm package, for stores without Rust.
//   npx shopper-intent-compile intent-config.json > intent-model.bin
// The same validator and compiler as the `shopper-intent compile` CLI and the browser's lazily
// loaded compiler (the shopper_intent_compiler_bg.wasm shipped beside this file).
import fs from 'node:fs';
import { initSync } from 'shopper-intent-compiler';
import { modelFile } from './model-file.js';

const [file] = process.argv.slice(2);
if (!file || file === '--help' || file === '-h') {
  process.stderr.write('usage: shopper-intent-compile CONFIG.json > MODEL.bin   (an empty file or {} is the default model)\n');
  process.exit(file ? 0 : 2);
}
let text;
try {
  text = fs.readFileSync(file, 'utf8').trim() || '{}';
} catch (e) {
  process.stderr.write(`shopper-intent-compile: cannot read ${file}: ${e.message}\n`);
  process.exit(2);
}
const w = initSync({ module: fs.readFileSync(new URL('./shopper_intent_compiler_bg.wasm', import.meta.url)) });
const bytes = new TextEncoder().encode(text);
const p = w.si_input(bytes.length) >>> 0;
new Uint8Array(w.memory.buffer, p, bytes.length).set(bytes);
const ok = w.si_compile() === 1;
const out = new TextDecoder().decode(new Uint8Array(w.memory.buffer, w.si_out_ptr() >>> 0, w.si_out_len() >>> 0));
if (!ok) {
  process.stderr.write(`shopper-intent-compile: ${file}: ${out}\n`);
  process.exit(1);
}
process.stdout.write(modelFile(out));
// As `shopper-intent compile` says it (SCORECARD_NOTE in src/cli/mod.rs).
if (JSON.parse(out).summary.scorecard) {
  process.stderr.write('note: this model has a scorecard: add data-scorecard to the script tag (<script type="module" src="/pkg/shopper-intent.js" data-config="..." data-scorecard>), so that it fetches the scorer with scorecards at once, not one round trip later\n');
}
