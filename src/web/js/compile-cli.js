// shopper-intent-compile: the config compiler of the npm package, for stores without Rust.
//   npx shopper-intent-compile intent-config.json > intent-model.bin
// The same validator and compiler as the `shopper-intent compile` CLI and the browser's lazily
// loaded compiler (the shopper_intent_compiler_bg.wasm shipped beside this file).
import fs from 'node:fs';
import { initSync } from 'shopper-intent-compiler';
import { record, run } from './compiler.js';

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
const [answer, out] = run(w, text);
if (!answer) {
  process.stderr.write(`shopper-intent-compile: ${file}: ${new TextDecoder().decode(out)}\n`);
  process.exit(1);
}
process.stdout.write(out);
if (answer === 2) {
  w.si_scorecard_note();
  process.stderr.write(new TextDecoder().decode(record(w)) + '\n');
}
