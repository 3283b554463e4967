// Where `track()`'s time goes: `track('view_item', …)` in a loop (a new item id each call) on a page
// with the tag, the default model and consent granted: N calls timed alone, then N more under
// Chromium's CPU profiler (CDP, 50 µs sampling), whose self time per function it prints, the
// largest first. Warm by default (the page has tracked WARM events before); with WARM=0 the timed
// loop is a fresh page's, as in the side-by-side bench's loops. Wasm functions are named by index:
// `wasm-opt -g` on the module wasm-bindgen wrote (target/web/bundle/) keeps the names, in the
// same order. Not part of `make test` or `make bench`: a tool for finding where to look.
//
//   node tests/bench/track-profile.mjs                   # 100,000 calls after 20,000
//   N=10000 WARM=0 node tests/bench/track-profile.mjs    # a fresh page's first 10,000
//   BENCH_PKG=/some/pkg node tests/bench/track-profile.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.resolve(process.env.BENCH_PKG || path.join(ROOT, 'pkg'));
const envInt = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, found '${v}'`);
  return Number(v);
};
const N = envInt('N', 100_000);
const WARM = envInt('WARM', 20_000);
const TOP = envInt('TOP', 25);

const PAGE = `<!doctype html><meta charset=utf-8><body><script>
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('consent', 'default', { analytics_storage: 'granted', ad_storage: 'granted' });
</script><script type="module" src="/pkg/shopper-intent.js"></script>`;

/** `n` calls from event number `from`; resolves to µs per call. */
const loop = (page, from, n) => page.evaluate(([from, n]) => {
  const t = performance.now();
  for (let i = from; i < from + n; i++) shopperIntent.track('view_item', { items: [{ item_id: 'SKU' + i, price: 10 }] });
  return ((performance.now() - t) * 1000) / n;
}, [from, n]);

const srv = await startServer({ mounts: [['/pkg/', PKG]], pages: new Map([['track', PAGE]]), segmentDist: PKG, posthogDist: PKG });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('page:', m.text()));
  await page.goto(srv.base + 'bench/track.html');
  if (!(await page.evaluate(() => shopperIntent.ready))) throw new Error('the tag did not start (see the page errors above)');
  if (WARM > 0) await loop(page, 0, WARM);
  const timed = await loop(page, WARM, N);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  await loop(page, WARM + N, N);
  const { profile } = await cdp.send('Profiler.stop');
  const node = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = node.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url) || ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i] || 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`track(): ${timed.toFixed(2)} µs per call over ${N.toLocaleString('en')} calls, after ${WARM.toLocaleString('en')} (${PKG})`);
  console.log(`self time under the profiler (${(total / 1000).toFixed(1)} ms in all):`);
  [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)
    .forEach(([k, us]) => console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`));
} finally {
  await browser.close();
  srv.close();
}
