// Shared helpers of the browser tests (tests/e2e/*.test.mjs): a test server for pkg/, test pages
// made on the fly with the one tag and an inline config, and readers of what the page saw.
//
// A test page records, before the tag runs, every console.warn / console.error and every
// shopper-intent:* event (window.__warnings, window.__errors, window.__events), so a test can
// check what a store's page would see.
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';
import { start as serve } from '../../www/serve.mjs';

export const KEY = 'shopper-intent';
export const NO_CONSENT = { runtime: { require_consent: false } };

let server;
let browser;

/** Starts the server and Chromium for the calling test file. */
export function useBrowser() {
  before(async () => {
    assertBuilt();
    server = await serve({ port: 0, root: path.join(ROOT, 'tests', 'e2e', 'pages'), pkg: path.join(ROOT, 'pkg') });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

export const url = (p) => new URL(p, server.url).href;

const RECORD = `
window.__warnings = []; window.__errors = []; window.__infos = []; window.__events = [];
(function () {
  const warn = console.warn, error = console.error, info = console.info;
  console.info = function (m) { window.__infos.push(String(m)); return info.apply(this, arguments); };
  console.warn = function (m) { window.__warnings.push(String(m)); return warn.apply(this, arguments); };
  console.error = function (m) { window.__errors.push(String(m)); return error.apply(this, arguments); };
  for (const t of ['score', 'stage', 'intent', 'action']) {
    addEventListener('shopper-intent:' + t, (e) => window.__events.push([t, e.detail]));
  }
})();`;

/** The HTML of a test page: `head` runs before the tag; `config` is inline (or `tag` attributes). */
export function html({ config, head = '', body = '', tag = '', noTag = false } = {}) {
  const inline = config === undefined ? '' : `<script type="application/json" id="shopper-intent-config">${JSON.stringify(config)}</script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>test page</title>
<script>${RECORD}\n${head}</script>${inline}
${noTag ? '' : `<script type="module" src="/pkg/shopper-intent.js"${tag}></script>`}</head>
<body><h1 id="title">test page</h1>${body}</body></html>`;
}

/** A fresh visitor (own storage), with pages served from `pages`: path -> html options. */
export async function visitor(options = {}) {
  const context = await browser.newContext(options);
  const pages = new Map();
  // Test pages: any path registered with serve(), and everything under /t/.
  await context.route((u) => pages.has(u.pathname) || u.pathname.startsWith('/t/'), (route) => {
    const p = new URL(route.request().url()).pathname;
    const page = pages.get(p) || pages.get('*');
    if (!page) return route.fulfill({ status: 404, body: 'no test page ' + p });
    return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html(page) });
  });
  // The runtime's own modules, for tests of one of them (src/web/js/*.js at /js/).
  await context.route('**/js/*.js', (route) => {
    const file = path.join(ROOT, 'src', 'web', 'js', path.basename(new URL(route.request().url()).pathname));
    return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(file, 'utf8') });
  });
  const logs = [];
  return {
    context,
    logs,
    /** Serves a test page made with `page` (see html()) at path `p` (`*`: every /t/ path). */
    serve(p, page) {
      pages.set(p, page);
    },
    /** A new tab on `p` (a /t/ path served with `page`), waiting until the scorer is ready. */
    async tab(p = '/t/page.html', page = undefined, goto = {}) {
      if (page) pages.set(new URL(p, 'http://x').pathname, page);
      const tab = await context.newPage();
      tab.on('pageerror', (e) => logs.push('pageerror: ' + e.message));
      await open(tab, p, goto);
      return tab;
    },
  };
}

/** Navigates `page` to `p` and waits until the scorer is ready (or failed to start). */
export async function open(page, p, goto = {}) {
  await page.goto(url(p), goto);
  await ready(page);
}

export const ready = (page) => page.evaluate(() => window.shopperIntent && window.shopperIntent.ready);

/** The JS heap in use after a full collection, bytes. */
export async function heap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

export const state = (page) => page.evaluate(() => window.shopperIntent.state());
export const track = (page, name, params) => page.evaluate(([n, p]) => window.shopperIntent.track(n, p), [name, params]);
export const warnings = (page) => page.evaluate(() => window.__warnings);
export const errors = (page) => page.evaluate(() => window.__errors);
/** What console[kind] logged (`__warnings` or `__errors`), once there are `n` lines: their words
 * come a moment later (errors.js loads on the first). */
async function logged(page, list, n) {
  await page.waitForFunction(([l, k]) => window[l].length >= k, [list, n]);
  return page.evaluate((l) => window[l], list);
}
export const warningsOnce = (page, n = 1) => logged(page, '__warnings', n);
export const errorsOnce = (page, n = 1) => logged(page, '__errors', n);
export const events = (page) => page.evaluate(() => window.__events);
export const stored = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
export const rules = (s) => s.signals.map((x) => x.rule);
/** The page is being left: the scorer saves now. */
export const pagehide = (page) => page.evaluate(() => dispatchEvent(new Event('pagehide')));
/** A microtask later: after the burst of calls, when changes are announced and nudges decided. */
/** Waits for the work the page's calls started (shopperIntent.settled(), else one task). */
export const settle = (page) => page.evaluate(() => (window.shopperIntent && window.shopperIntent.settled
  ? window.shopperIntent.settled() : new Promise((r) => setTimeout(r, 0))));

/** A GA4 `view_item` / `add_to_cart` params object for item `id` at `price`. */
export const item = (id, price) => ({ items: [{ item_id: id, item_name: 'Item ' + id, price }] });
