// Which of the tag's code a first visit runs: Chromium's precise JS coverage of pkg/shopper-intent.js
// on the demo store's home page, its cookie banner accepted (Google consent mode), five product
// views and an add to cart, then the save. Prints the characters run and never run, and the
// gzip -9 of each set alone (a guide to what could leave the start, not a size: each set is
// compressed without the other). `--dump FILE` writes the code never run, to read.
//
//   node tests/bench/tag-coverage.mjs [--dump FILE]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';
import { start as serve } from '../../www/serve.mjs';

assertBuilt();
const dump = process.argv.indexOf('--dump') > 0 ? process.argv[process.argv.indexOf('--dump') + 1] : null;
const server = await serve({ port: 0, root: path.join(ROOT, 'www'), pkg: path.join(ROOT, 'pkg') });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Debugger.enable'); // for the script's source
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  await page.goto(new URL('/', server.url).href);
  await page.evaluate(async () => {
    await window.shopperIntent.ready;
    window.gtag('consent', 'update', { analytics_storage: 'granted' }); // the demo's banner, accepted
    for (let i = 0; i < 5; i++) window.dataLayer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'sku' + i, price: 10 }] } });
    window.dataLayer.push({ event: 'add_to_cart', ecommerce: { value: 10, items: [{ item_id: 'sku1', price: 10 }] } });
    window.shopperIntent.state();
    await window.shopperIntent.settled();
  });
  await page.waitForTimeout(1500); // the save, after save_delay_ms
  const { result } = await cdp.send('Profiler.takePreciseCoverage');
  const tag = result.find((s) => new URL(s.url || 'about:blank').pathname === '/pkg/shopper-intent.js');
  if (!tag) throw new Error('no coverage for /pkg/shopper-intent.js');
  const { scriptSource: src } = await cdp.send('Debugger.getScriptSource', { scriptId: tag.scriptId });
  // Ranges nest, outer first: an inner range's count overrides its function's.
  const run = new Uint8Array(src.length);
  for (const f of tag.functions) for (const r of f.ranges) run.fill(r.count > 0 ? 1 : 0, r.startOffset, r.endOffset);
  let ran = '';
  let idle = '';
  for (let i = 0; i < src.length; i++) run[i] ? (ran += src[i]) : (idle += src[i]);
  const gz = (t) => zlib.gzipSync(t, { level: 9 }).length;
  const pct = (n) => ((100 * n) / src.length).toFixed(1);
  console.log(`the tag: ${src.length} characters, gzip -9 ${gz(src)}`);
  console.log(`  run on a first visit:  ${ran.length} (${pct(ran.length)} %), alone gzip -9 ${gz(ran)}`);
  console.log(`  never run:             ${idle.length} (${pct(idle.length)} %), alone gzip -9 ${gz(idle)}`);
  if (dump) fs.writeFileSync(dump, idle);
} finally {
  await browser.close();
  await server.close();
}
