#!/usr/bin/env node
// Ready with and without the preload hints of the README's "Getting started", under emulated
// network latency (which `make bench`, on localhost, does not have): the same page with the tag
// alone, and with PRELOAD_HINTS (adapters.mjs) before it, loaded in turn in fresh contexts from
// the bench's server; prints the median time from navigation start to `shopper-intent:ready` and
// the requests made to pkg/ (the same three: a preload is used, not fetched twice).
//
//   node tests/bench/preload-latency.mjs            (after `make build`)
//   LATENCY_MS=100 LOADS=8 node tests/bench/preload-latency.mjs
import path from 'node:path';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';
import { PRELOAD_HINTS } from './adapters.mjs';
import { startServer } from './server.mjs';

const LATENCY_MS = Number(process.env.LATENCY_MS || 100);
const LOADS = Number(process.env.LOADS || 8);
const page = (hints) => `<!doctype html><html><head>${hints}<script type="module" src="/pkg/shopper-intent.js"></script></head><body><h1>Linen shirt</h1></body></html>`;
const KINDS = { plain: page(''), preloaded: page(PRELOAD_HINTS) };

assertBuilt();
const srv = await startServer({ mounts: [['/pkg/', path.join(ROOT, 'pkg')]], pages: new Map(Object.entries(KINDS)) });
const browser = await launchChromium();
const ready = { plain: [], preloaded: [] };
const requests = { plain: new Set(), preloaded: new Set() };
try {
  for (let i = 0; i < LOADS; i++) {
    for (const kind of Object.keys(KINDS)) {
      const context = await browser.newContext();
      const p = await context.newPage();
      const cdp = await context.newCDPSession(p);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: -1, uploadThroughput: -1 });
      let n = 0;
      p.on('request', (q) => { if (q.url().includes('/pkg/')) n++; });
      await p.addInitScript(() => addEventListener('shopper-intent:ready', () => (window.__readyAt = performance.now())));
      await p.goto(`${srv.base}bench/${kind}.html`);
      await p.waitForFunction(() => window.__readyAt, null, { timeout: 20000 });
      ready[kind].push(await p.evaluate(() => window.__readyAt));
      requests[kind].add(n);
      await context.close();
    }
  }
} finally {
  await browser.close();
  srv.close();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${LATENCY_MS} ms of latency per request, ${LOADS} loads each: navigation start → ready, median`);
for (const kind of Object.keys(KINDS)) {
  console.log(`  ${kind.padEnd(10)} ${median(ready[kind]).toFixed(1)} ms (requests to pkg/: ${[...requests[kind]].join(', ')})`);
}
