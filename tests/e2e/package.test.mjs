// The npm package a store installs instead of building: `npm pack` of pkg/, installed into a
// throwaway project with no Rust, its config compiled with `npx shopper-intent-compile`, and the
// installed files served and loaded in Chromium by the one tag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.json': 'application/json', '.html': 'text/html', '.css': 'text/css' };

/** A model file's parts (src/core/config/mod.rs, `model_file`): [header, model bytes]. */
function readModelFile(b) {
  assert.deepEqual([...b.subarray(0, 4)], [0, 115, 105, 109], 'a model file starts with "\\0sim"');
  const n = b.readUInt32LE(4);
  return [JSON.parse(b.subarray(8, 8 + n).toString('utf8')), b.subarray(8 + n)];
}

test('the packed tarball installs, compiles a config and runs in a page', async () => {
  assertBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'si-package-'));
  const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = npm(['pack', path.join(ROOT, 'pkg'), '--pack-destination', dir, '--silent'], dir).trim().split('\n').pop();
  const project = path.join(dir, 'store');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-store', private: true }));
  npm(['install', '--offline', '--no-audit', '--no-fund', path.join(dir, tarball)], project);
  const installed = path.join(project, 'node_modules', 'shopper-intent');
  for (const f of ['shopper-intent.js', 'shopper_intent_bg.wasm', 'shopper_intent_card_bg.wasm', 'shopper_intent_nudges_bg.wasm', 'shopper-intent.model.bin', 'shopper-intent.d.ts', 'compile.mjs']) {
    assert.ok(fs.existsSync(path.join(installed, f)), `${f} is in the package`);
  }
  // The store's config, compiled without Rust.
  fs.writeFileSync(path.join(project, 'intent-config.json'), JSON.stringify({ stages: { sql: 70 }, rules: { add_to_cart: { points: 30 } } }));
  const compile = (file) => execFileSync('npx', ['--no-install', 'shopper-intent-compile', file], { cwd: project });
  const model = compile('intent-config.json');
  fs.writeFileSync(path.join(project, 'intent-model.bin'), model);
  assert.equal(readModelFile(model)[0].summary.stages.sql, 70);
  // The package's compiler and the CLI's (which wrote the default model) write the same file.
  fs.writeFileSync(path.join(project, 'empty.json'), '{}');
  const [header, bytes] = readModelFile(compile('empty.json'));
  const [cliHeader, cliBytes] = readModelFile(fs.readFileSync(path.join(installed, 'shopper-intent.model.bin')));
  assert.deepEqual(header, cliHeader);
  assert.ok(bytes.equals(cliBytes), 'the same model bytes');
  // A model with a scorecard: the compiler names the tag's data-scorecard.
  const card = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'scorecard.json'), 'utf8')).cases[0].config;
  fs.writeFileSync(path.join(project, 'card.json'), JSON.stringify(card));
  const carded = spawnSync('npx', ['--no-install', 'shopper-intent-compile', 'card.json'], { cwd: project, encoding: 'utf8' });
  assert.equal(carded.status, 0, carded.stderr);
  assert.match(carded.stderr, / data-scorecard>/);
  assert.equal(spawnSync('npx', ['--no-install', 'shopper-intent-compile', 'empty.json'], { cwd: project, encoding: 'utf8' }).stderr, '', 'no note without one');
  fs.writeFileSync(path.join(project, 'index.html'), `<!doctype html><title>store</title><link rel="icon" href="data:,">
    <script>window.dataLayer = [{event: 'view_item', items: [{item_id: 'A', price: 10}]}];</script>
    <script type="module" src="/node_modules/shopper-intent/shopper-intent.js" data-config="/intent-model.bin"></script>`);
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(project, p === '/' ? 'index.html' : p);
    if (!file.startsWith(project) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const s = await page.evaluate(async () => {
      const api = await window.shopperIntent.ready;
      api.track('add_to_cart', { items: [{ item_id: 'A', price: 10 }] });
      return api.state();
    });
    // The store's points: site_visit 2 + product_view 2 + add_to_cart 30.
    assert.equal(s.score, 34);
    assert.equal(s.stage, 'warm', 'its own thresholds (warm 21, sql 70)');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// scripts/panic-data.mjs: the engines the tag instantiates leave out what only a panic message
// reads; the compiler, run through wasm-bindgen's glue, prints numbers and keeps core's table.
test('the engines the tag loads hold no panic-only text; the compiler keeps its digits', () => {
  assertBuilt();
  const digits = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join('');
  const text = (f) => fs.readFileSync(path.join(ROOT, 'pkg', f)).toString('latin1');
  for (const f of ['shopper_intent_bg.wasm', 'shopper_intent_card_bg.wasm', 'shopper_intent_nudges_bg.wasm']) {
    const wasm = text(f);
    for (const piece of ['/rustc/', 'memory allocation of', 'capacity overflow', digits]) {
      assert.ok(!wasm.includes(piece), `${f} holds ${JSON.stringify(piece.slice(0, 24))}`);
    }
  }
  assert.ok(text('shopper_intent_compiler_bg.wasm').includes(digits), 'the compiler formats numbers with core::fmt');
});
