// The one script tag in real Chromium (playwright-core, /usr/bin/chromium), on a small
// GA4-instrumented shop under tests/e2e/pages/ that never calls the scorer itself.
//
//   make build && cd tests && node --test e2e/runtime.test.mjs
//
// Also prints the performance figures: median track() cost and the time to `shopper-intent:ready`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';
import { start as serve } from '../../www/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PAGES = path.join(HERE, 'pages');
const KEY = 'shopper-intent';

let server;
let browser;

before(async () => {
  assertBuilt();
  server = await serve({ port: 0, root: PAGES, pkg: path.join(ROOT, 'pkg') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (p) => new URL(p, server.url).href;

/** A fresh visitor: a new context (own storage), console messages collected. */
async function visitor() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  return { context, page, logs };
}

/** Opens `p` and waits until the scorer is ready. */
async function open(page, p, options = {}) {
  await page.goto(url(p), options);
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state() !== null);
}

const state = (page) => page.evaluate(() => window.shopperIntent.state());
const stored = (page) => page.evaluate((k) => localStorage.getItem(k), KEY);
/** Leaving the page: pagehide saves; then the next navigation reads it back. */
const rules = (s) => s.signals.map((x) => x.rule);

async function acceptCookies(page) {
  await page.click('#accept');
}

test('a GA4 journey ends in the right stage and intent, with no call to track', async () => {
  const shop = fs.readdirSync(PAGES, { recursive: true })
    .filter((f) => /\.(html|js)$/.test(f))
    .map((f) => fs.readFileSync(path.join(PAGES, f), 'utf8'));
  assert.ok(shop.every((text) => !text.includes('.track(')), 'the shop never calls track()');

  const { context, page, logs } = await visitor();
  // Landing from a Google search result.
  await open(page, '/', { referer: 'https://www.google.com/' });
  await acceptCookies(page);
  await page.evaluate(() => {
    window.__stages = [];
    window.shopperIntent.on('stage', (d) => window.__stages.push(d.stage));
  });
  let s = await state(page);
  assert.equal(s.visit.channel, 'organic');
  assert.equal(s.visit.landing, '/');

  for (let i = 0; i < 3; i++) await open(page, '/products/coat/');
  await page.click('#add');
  s = await state(page);
  assert.equal(s.stage, 'warm');
  await open(page, '/checkout/');
  s = await state(page);
  // site_visit 2 + product_view 2×3 + repeat_product_view 5 + add_to_cart 15 + begin_checkout 25.
  assert.equal(s.score, 53);
  assert.equal(s.stage, 'mql');
  assert.equal(s.intent, 'high');
  assert.equal(s.value, 149);
  assert.equal(s.highValue, false);
  assert.equal(s.visit.index, 1);
  assert.equal(s.visit.pageViews, 5, 'one per page, the GA4 page_view pushes not counted again');
  assert.equal(s.visit.landing, '/', 'the landing page of the visit, kept across pages');
  assert.deepEqual(rules(s), ['site_visit', 'product_view', 'product_view', 'product_view',
    'repeat_product_view', 'add_to_cart', 'begin_checkout']);
  assert.equal(s.storage, 'local');
  // The stage change of this page went back to the store's analytics.
  const pushed = await page.evaluate(() => dataLayer.filter((e) => e.event === 'intent_stage'));
  assert.deepEqual(pushed, [{ event: 'intent_stage', intent_stage: 'mql', intent_score: 53, intent_tier: 'high' }]);
  assert.deepEqual(logs.filter((l) => /^(error|warning|pageerror)/.test(l)), []);
  await context.close();
});

test('a reload and a second tab keep the visitor and the visit', async () => {
  const { context, page } = await visitor();
  await open(page, '/products/coat/');
  await acceptCookies(page);
  await page.click('#add');
  const first = await state(page);
  await page.reload();
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state() !== null);
  const again = await state(page);
  assert.equal(again.visitorId, first.visitorId);
  assert.equal(again.visit.id, first.visit.id);
  assert.equal(again.visit.pageViews, 2);
  assert.equal(again.score, first.score + 2 - 0, 'the reload is one more product view');

  // A second tab of the same store.
  const tab = await context.newPage();
  await open(tab, '/policies/shipping-policy/');
  const other = await state(tab);
  assert.equal(other.visitorId, first.visitorId);
  assert.equal(other.visit.id, first.visit.id);
  assert.equal(other.visit.pageViews, 3);
  // What one tab learns, the other hears about (the storage event), once saved.
  await tab.evaluate(() => dataLayer.push({ event: 'begin_checkout', ecommerce: { items: [] } }));
  await page.waitForFunction(() => window.shopperIntent.state().stage === 'mql', null, { timeout: 5000 });
  const joined = await state(page);
  assert.equal(joined.score, (await state(tab)).score);
  assert.equal(rules(joined).filter((r) => r === 'begin_checkout').length, 1);
  await context.close();
});

test('a new visit after 30 minutes of inactivity (controlled clock)', async () => {
  const { context, page } = await visitor();
  await page.clock.install({ time: new Date('2026-03-02T10:00:00Z') });
  await open(page, '/products/coat/');
  await acceptCookies(page);
  await page.clock.runFor(500); // the save delay passes
  assert.ok(await stored(page), 'saved after the delay, without a reload');
  let s = await state(page);
  assert.equal(s.visit.index, 1);
  // The fake clock started at 10:00 and runs on (the page took a moment to load).
  const t0 = Date.parse('2026-03-02T10:00:00Z');
  assert.ok(s.visit.startedAt >= t0 && s.visit.startedAt < t0 + 10_000, `started at ${s.visit.startedAt}`);

  // 20 minutes later: the same visit.
  await page.clock.fastForward('20:00');
  await open(page, '/products/coat/');
  s = await state(page);
  assert.equal(s.visit.index, 1);

  // 31 minutes without anything: a new visit, and a return visit.
  await page.clock.fastForward('31:00');
  await open(page, '/');
  s = await state(page);
  assert.equal(s.visit.index, 2);
  assert.ok(s.visit.startedAt >= t0 + 51 * 60_000 && s.visit.startedAt < t0 + 51 * 60_000 + 20_000);
  assert.deepEqual(rules(s).slice(-2), ['site_visit', 'return_visit']);
  await context.close();
});

test('without consent nothing reaches localStorage and nothing survives a reload', async () => {
  const { context, page } = await visitor();
  await open(page, '/products/coat/');
  await page.click('#decline');
  await page.click('#add');
  const s = await state(page);
  assert.equal(s.stage, 'cold');
  assert.equal(s.intent, 'high', 'scoring works for the page');
  assert.equal(s.storage, 'memory');
  await page.reload();
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state() !== null);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(keys, ['cmp'], 'only the shop\'s own consent choice');
  const after = await state(page);
  assert.notEqual(after.visitorId, s.visitorId);
  assert.deepEqual(rules(after), ['site_visit', 'product_view']);

  // Accepting, then withdrawing, deletes what was stored at once.
  await page.click('#accept');
  await page.waitForFunction((k) => localStorage.getItem(k) !== null, KEY);
  await page.click('#decline');
  assert.equal(await stored(page), null);
  await context.close();
});

/** Runs the Shopify custom pixel with a fake Web Pixels API; returns a function to fire events. */
function shopifyPixel() {
  const storage = new Map();
  const handlers = {};
  const sandbox = {
    analytics: { subscribe: (name, cb) => { handlers[name] = cb; } },
    browser: {
      localStorage: {
        getItem: async (k) => storage.get(k) ?? null,
        setItem: async (k, v) => { storage.set(k, v); },
      },
    },
  };
  vm.runInNewContext(fs.readFileSync(path.join(ROOT, 'www/integrations/shopify-pixel.js'), 'utf8'), sandbox);
  return {
    subscribed: Object.keys(handlers),
    fire: (name, data) => handlers[name]({ name, data, timestamp: new Date().toISOString() }),
    inbox: () => storage.get('shopper-intent:inbox'),
  };
}

const CHECKOUT = {
  currencyCode: 'USD',
  totalPrice: { amount: 149, currencyCode: 'USD' },
  email: 'someone@example.com',
  lineItems: [{ quantity: 1, variant: { id: '9001', price: { amount: 149, currencyCode: 'USD' },
    product: { id: 'SKU-COAT', title: 'Wool coat', type: 'Coats' } } }],
};

test('the Shopify pixel hands checkout events to the next storefront page', async () => {
  const pixel = shopifyPixel();
  assert.deepEqual(pixel.subscribed.sort(),
    ['checkout_completed', 'checkout_shipping_info_submitted', 'checkout_started', 'payment_info_submitted']);
  const { context, page } = await visitor();
  // A Shopify storefront (the inbox is read only where a Shopify pixel can have written it).
  await page.addInitScript(() => { window.Shopify = { shop: 'test.myshopify.com' }; });
  await open(page, '/products/coat/');
  await acceptCookies(page);
  await page.click('#add');
  await page.click('#add');
  assert.equal((await state(page)).value, 298, 'two coats in the cart');

  // The checkout (Shopify's pages, where only the pixel runs): started, shipping given, left.
  await pixel.fire('checkout_started', { checkout: CHECKOUT });
  await pixel.fire('checkout_shipping_info_submitted', { checkout: CHECKOUT });
  const inbox = pixel.inbox();
  assert.ok(!inbox.includes('someone@example.com'), 'no personal data forwarded');
  assert.deepEqual(JSON.parse(inbox).map((e) => e.name), ['begin_checkout', 'add_shipping_info']);
  await page.evaluate((text) => localStorage.setItem('shopper-intent:inbox', text), inbox);

  await open(page, '/');
  let s = await state(page);
  assert.deepEqual(rules(s), ['site_visit', 'product_view', 'add_to_cart', 'begin_checkout']);
  assert.equal(s.stage, 'mql');
  assert.equal(s.value, 298, 'not bought yet');
  assert.equal(await page.evaluate(() => localStorage.getItem('shopper-intent:inbox')), null, 'taken');

  // The order goes through: the cart is settled.
  await pixel.fire('checkout_completed', { checkout: { ...CHECKOUT, order: { id: 'gid://shopify/OrderIdentity/1' } } });
  await page.evaluate((text) => localStorage.setItem('shopper-intent:inbox', text), pixel.inbox());
  await open(page, '/');
  s = await state(page);
  assert.equal(s.value, 149, 'the cart is empty: value falls back to the viewed price');
  await context.close();
});

test('a second copy of the tag does not start a second scorer', async () => {
  const { context, page, logs } = await visitor();
  await page.addInitScript(() => {
    window.__ready = 0;
    addEventListener('shopper-intent:ready', () => window.__ready++);
  });
  await open(page, '/two-tags.html');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__ready), 1);
  assert.equal((await state(page)).visit.pageViews, 1);
  assert.deepEqual(logs.filter((l) => /^(error|warning)/.test(l)), []);
  await context.close();
});

test('a broken config is logged once and leaves the page alone', async () => {
  for (const [p, message] of [
    ['/bad-config.html', 'shopper-intent: config field `runtime.requireConsent`: unknown field; expected one of '
      + 'require_consent, global_privacy_control, storage_key, save_delay_ms, data_layer, stage_to_data_layer, '
      + 'shopify, spa, clicks, beacon_url, debug, stylesheet (not started)'],
    ['/missing-config.html', 'shopper-intent: config /no-such-config.json: HTTP 404 (not started)'],
  ]) {
    const { context, page, logs } = await visitor();
    await page.goto(url(p));
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.waitForTimeout(300);
    // The API stays (calls a page queued must not throw), but nothing runs behind it.
    assert.deepEqual(await page.evaluate(async () => [await window.shopperIntent.ready, window.shopperIntent.state(),
      window.shopperIntent.track('view_item', { items: [{ item_id: 'A' }] })]), [null, null, -1]);
    const errors = logs.filter((l) => l.startsWith('error: shopper-intent'));
    assert.deepEqual(errors, [`error: ${message}`]);
    assert.deepEqual(logs.filter((l) => l.startsWith('pageerror')), []);
    if (p === '/bad-config.html') {
      assert.equal(await page.textContent('#title'), 'The page still works');
    }
    await context.close();
  }
});

test('on() calls back on changes and unsubscribes; CustomEvents go to window', async () => {
  const { context, page, logs } = await visitor();
  await open(page, '/');
  const result = await page.evaluate(async () => {
    const seen = [];
    const events = [];
    addEventListener('shopper-intent:intent', (e) => events.push(e.detail.intent));
    const off = window.shopperIntent.on('score', (d) => seen.push(d.score));
    // Changes are announced once per burst of calls, right after the store's code returns.
    window.shopperIntent.track('view_item', { items: [{ item_id: 'A', price: 10 }] });
    await 0;
    off();
    window.shopperIntent.track('add_to_cart', { items: [{ item_id: 'A', price: 10 }] });
    await 0;
    const bogus = window.shopperIntent.on('everything', () => {});
    return { seen, events, bogus: typeof bogus, score: window.shopperIntent.state().score };
  });
  assert.deepEqual(result.seen, [4]);
  assert.deepEqual(result.events, ['high']);
  assert.equal(result.bogus, 'function');
  assert.equal(result.score, 19);
  // Worded a moment later (errors.js loads on the first warning).
  for (let i = 0; i < 100 && !logs.some((l) => l.includes('on(type, callback)')); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(logs.filter((l) => l.includes('on(type, callback)')).length, 1);
  await context.close();
});

test('the shipped .d.ts carries real types', () => {
  const dts = fs.readFileSync(path.join(ROOT, 'pkg', 'shopper-intent.d.ts'), 'utf8');
  for (const signature of [
    'track(name: string, params?: EventParams): number;',
    'state(): ShopperIntentState;',
    'identify(profile: IdentifyProfile): number;',
    'consent(choice: ConsentChoice): void;',
    'ready: Promise<ShopperIntent | null>;',
    'export interface ShopperIntent {',
    'shopperIntent?: ShopperIntent;',
    '"shopper-intent:action": CustomEvent<ActionDetail>;',
  ]) {
    assert.ok(dts.includes(signature), `missing: ${signature}`);
  }
  assert.deepEqual(dts.split('\n').filter((l) => /:\s*any\b/.test(l)), []);
});

test('performance: track() cost and time to ready', async () => {
  const { context, page } = await visitor();
  await page.addInitScript(() => {
    addEventListener('shopper-intent:ready', (e) => {
      window.__readyAt = performance.now();
      window.__loadMs = e.detail.loadMs;
    });
  });
  await open(page, '/');
  const timing = await page.evaluate(() => ({ loadMs: window.__loadMs, readyAt: window.__readyAt }));
  const perEvent = await page.evaluate(() => {
    const si = window.shopperIntent;
    const params = [];
    for (let i = 0; i < 50; i++) {
      params.push({ items: [{ item_id: 'SKU-' + i, item_name: 'Product ' + i, item_category: 'Coats', price: 10 + i, quantity: 1 }] });
    }
    const kinds = ['view_item', 'add_to_wishlist', 'view_item_list', 'select_item'];
    for (let i = 0; i < 2000; i++) si.track(kinds[i % 4], params[i % 50]); // warm up
    // performance.now() is coarse (100 µs without cross-origin isolation): time batches of 1000.
    const batches = [];
    for (let b = 0; b < 50; b++) {
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) si.track(kinds[i % 4], params[(b + i) % 50]);
      batches.push(((performance.now() - t0) * 1000) / 1000);
    }
    batches.sort((a, b) => a - b);
    return { median: batches[batches.length >> 1], best: batches[0] };
  });
  console.log(`# track(): median ${perEvent.median.toFixed(2)} µs per event, best batch ${perEvent.best.toFixed(2)} µs `
    + '(GA4 event with one item, 50 batches of 1000)');
  console.log(`# ready: ${timing.loadMs.toFixed(1)} ms from script start, ${timing.readyAt.toFixed(1)} ms after navigation start`);
  assert.ok(perEvent.median < 50, `track() median ${perEvent.median} µs`);
  assert.ok(timing.loadMs > 0 && timing.loadMs < 5000);
  await context.close();
});
