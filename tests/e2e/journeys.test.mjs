// Visitor journeys through the REAL demo store (www/) in real Chromium: the store's own GA4
// events → the scorer → stage and intent → a nudge on screen (through www/assets/nudges.js, the
// recipe the README quotes), inside the default holdout.
//
//   make build && cd tests && node --test e2e/journeys.test.mjs
//
// Time is Playwright's fake clock (page.clock): a 10 s dwell or a 31 min absence takes no real
// time. Arms are forced through the config (`experiments.<key>.force`), served in place of
// www/intent-config.json for that visitor only. Screenshots go to tests/e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, assertBuilt, launchChromium } from '../chromium.mjs';
import { start as serve } from '../../www/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(HERE, 'screenshots');
const EXPERIMENT = 'shopper-intent-nudges';
const TREATMENT = 1;
const CONTROL = 0;
const PROMOTIONAL = ['proactive_chat', 'free_shipping_offer', 'cart_reminder'];
/** Monday 2 March 2026, 10:00 UTC: every visitor starts here on the fake clock. */
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MINUTE = 60_000;

let server;
let browser;

before(async () => {
  assertBuilt();
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await serve({ port: 0 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const url = (p) => new URL(p, server.url).href;

/**
 * A fresh visitor (own context and storage) on the fake clock. `force` pins the arm of the
 * default holdout. Every page records, in sessionStorage (per tab, survives navigations), the
 * `shopper-intent:action` details and our `experiment_*` data layer entries.
 */
async function visitor({ force } = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  if (force !== undefined) {
    const config = { experiments: { [EXPERIMENT]: { force } } };
    await context.route('**/intent-config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  }
  await context.addInitScript(() => {
    const log = (key, entry) => {
      const list = JSON.parse(sessionStorage.getItem(key) || '[]');
      list.push(entry);
      sessionStorage.setItem(key, JSON.stringify(list));
    };
    addEventListener('shopper-intent:action', (e) => log('test-actions', e.detail));
    // The page's own `dataLayer = dataLayer || []` keeps this array; the scorer chains to its push.
    const layer = (window.dataLayer = []);
    const push = layer.push;
    layer.push = function (...entries) {
      for (const e of entries) {
        if (e && typeof e.event === 'string' && e.event.startsWith('experiment_')) log('test-experiments', e);
      }
      return push.apply(this, entries);
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.clock.install({ time: T0 });
  return { context, page, errors };
}

/** Waits for the scorer, then for what it started (the nudge engine, loaded on real time while
 * the test's fake clock only moves when told). */
async function ready(page) {
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state());
  await page.evaluate(() => window.shopperIntent.settled());
}

/** Opens `p` and waits for the scorer. */
async function open(page, p) {
  await page.goto(url(p));
  await ready(page);
}

/** Clicks `selector`, which makes the store navigate, and waits for the scorer on the next page. */
async function clickTo(page, selector, next) {
  await Promise.all([page.waitForURL(url(next)), page.click(selector)]);
  await ready(page);
}

/** Leaves the store (the profile is saved on pagehide) and comes back `minutes` later. */
async function away(page, minutes) {
  await page.goto('about:blank');
  await page.clock.fastForward(minutes * MINUTE);
}

const state = (page) => page.evaluate(() => window.shopperIntent.state());
const actions = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('test-actions') || '[]'));
const experimentLog = (page) =>
  page.evaluate(() => JSON.parse(sessionStorage.getItem('test-experiments') || '[]'));
const ours = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('shopper-intent')));

/** Dwell on the page: runs the fake clock, firing the scorer's timers. */
const dwell = (page, ms) => page.clock.runFor(ms);

async function shot(page, name) {
  // Finite CSS animations (the invite's fade-in) run on real time: show their end state.
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** Views the Wool Overcoat 3 times, adds it to the cart, starts checkout: consent accepted. */
async function highIntentVisit(page) {
  await open(page, '/products/wool-overcoat/');
  await page.click('#nw-consent-accept');
  await open(page, '/products/wool-overcoat/');
  await open(page, '/products/wool-overcoat/');
  await page.click('#add-to-cart');
  await open(page, '/checkout/');
}

test('browsing the blog and home only: stays cold, low intent, no nudge', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await open(page, '/');
  await page.click('#nw-consent-accept');
  await open(page, '/blogs/news/');
  await open(page, '/blogs/news/how-to-choose-a-coat/');
  await dwell(page, 2 * MINUTE);
  await open(page, '/');
  await dwell(page, 2 * MINUTE);
  const s = await state(page);
  assert.equal(s.stage, 'cold');
  assert.equal(s.intent, 'low');
  assert.ok(s.score < 21, `score ${s.score}`);
  assert.equal(s.visit.pageViews, 4);
  assert.deepEqual(await actions(page), []);
  assert.deepEqual(await experimentLog(page), [], 'no decision, so no exposure either');
  assert.equal(await page.locator('#nw-banner').count(), 0);
  assert.equal(await page.locator('#nw-chat-invite').isVisible(), false);
  assert.equal(await page.locator('#shopper-intent-nudge').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('high intent, leave, return 31 min later: sql and a chat invite (treatment)', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await highIntentVisit(page);
  const first = await state(page);
  assert.equal(first.intent, 'high');
  await away(page, 31);
  await open(page, '/products/wool-overcoat/');
  const s = await state(page);
  assert.equal(s.stage, 'sql');
  assert.equal(s.intent, 'high');
  assert.equal(s.visit.index, 2, 'a return visit');
  assert.deepEqual(s.experiments[EXPERIMENT], { variant: 'treatment', variation: 1 });
  // The chat waits for 10 s of dwell; lower rules (guest checkout, cart reminder) wait for it.
  await dwell(page, 9_000);
  assert.deepEqual(await actions(page), []);
  assert.equal(await page.locator('#nw-chat-invite').isVisible(), false);
  await dwell(page, 1_500);
  const fired = await actions(page);
  assert.equal(fired.length, 1, JSON.stringify(fired));
  assert.equal(fired[0].action, 'proactive_chat');
  assert.equal(fired[0].kind, 'chat');
  assert.equal(fired[0].variant, 'treatment');
  assert.equal(fired[0].product, 'Wool Overcoat');
  const invite = page.locator('#nw-chat-invite');
  assert.equal(await invite.isVisible(), true);
  assert.equal(await page.locator('#nw-chat-invite-text').textContent(),
    "I noticed you've been looking at Wool Overcoat. Can I help with any questions?");
  // nudges.js rendered it and called preventDefault(): the built-in bubble stays away.
  assert.equal(await page.locator('#shopper-intent-nudge').count(), 0);
  assert.deepEqual(await experimentLog(page),
    [{ event: 'experiment_viewed', experiment_id: EXPERIMENT, variation_id: '1' }]);
  await shot(page, 'chat-invite');
  // The intent panel, on the same visitor.
  await page.setViewportSize({ width: 1024, height: 880 });
  await open(page, '/products/wool-overcoat/?intent-debug');
  await page.locator('#intent-panel').waitFor({ state: 'visible' });
  await page.locator('#intent-panel svg').first().waitFor({ state: 'visible' });
  assert.match(await page.locator('#intent-panel-score').textContent(), /\d/);
  await shot(page, 'intent-panel');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the same journey in the control arm: an exposure, no invite', async () => {
  const { context, page, errors } = await visitor({ force: CONTROL });
  await highIntentVisit(page);
  await away(page, 31);
  await open(page, '/products/wool-overcoat/');
  const s = await state(page);
  assert.equal(s.stage, 'sql');
  assert.deepEqual(s.experiments[EXPERIMENT], { variant: 'control', variation: 0 });
  await dwell(page, 15_000);
  assert.deepEqual(await experimentLog(page),
    [{ event: 'experiment_viewed', experiment_id: EXPERIMENT, variation_id: '0' }]);
  assert.deepEqual(await actions(page), [], 'the control arm dispatches nothing');
  assert.equal(await page.locator('#nw-chat-invite').isVisible(), false);
  assert.equal(await page.locator('#nw-banner').count(), 0);
  assert.equal(await page.locator('#shopper-intent-nudge').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('shipping and returns pages, then a product: the reassurance banner', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await open(page, '/');
  await page.click('#nw-consent-accept');
  await open(page, '/policies/shipping-policy/');
  await open(page, '/policies/refund-policy/');
  await open(page, '/products/linen-shirt/');
  await dwell(page, 4_000);
  assert.equal(await page.locator('#nw-banner').count(), 0, 'waits for 5 s on the page');
  await dwell(page, 1_500);
  const fired = await actions(page);
  assert.deepEqual(fired.map((a) => a.action), ['shipping_reassurance']);
  assert.equal(fired[0].kind, 'banner');
  const banner = page.locator('#nw-banner');
  assert.equal(await banner.isVisible(), true);
  assert.equal(await banner.getAttribute('data-action'), 'shipping_reassurance');
  assert.match(await banner.locator('.nudge-text').textContent(), /shipping page/);
  assert.equal(await page.locator('#shopper-intent-nudge').count(), 0);
  await shot(page, 'reassurance-banner');
  assert.deepEqual(errors, []);
  await context.close();
});

test('checkout abandoned at the shipping step, then a return: the free-shipping offer', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await open(page, '/products/canvas-tote/');
  await page.click('#nw-consent-accept');
  await page.click('#add-to-cart');
  await open(page, '/checkout/');
  await page.fill('#email', 'shopper@example.com');
  await clickTo(page, '#to-shipping', '/checkout/shipping/');
  await away(page, 45);
  await open(page, '/');
  const s = await state(page);
  assert.equal(s.visit.index, 2);
  await dwell(page, 5_500);
  const fired = await actions(page);
  assert.deepEqual(fired.map((a) => a.action), ['free_shipping_offer']);
  const banner = page.locator('#nw-banner');
  assert.equal(await banner.isVisible(), true);
  assert.equal(await banner.getAttribute('data-action'), 'free_shipping_offer');
  assert.match(await banner.locator('.nudge-text').textContent(), /free shipping/);
  await shot(page, 'free-shipping-offer');
  assert.deepEqual(errors, []);
  await context.close();
});

test('consent declined: nothing stored, scoring works for the page, nothing survives a reload', async () => {
  const { context, page, errors } = await visitor();
  await open(page, '/products/merino-sweater/');
  await page.click('#nw-consent-decline');
  await page.click('#add-to-cart');
  await dwell(page, 3_000);
  const s = await state(page);
  assert.ok(s.score > 0, `score ${s.score}`);
  assert.equal(s.storage, 'memory');
  assert.ok(s.signals.some((x) => x.rule === 'add_to_cart'), JSON.stringify(s.signals));
  assert.deepEqual(await ours(page), []);
  await page.reload();
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state());
  await dwell(page, 3_000);
  const again = await state(page);
  assert.notEqual(again.visitorId, s.visitorId, 'a new visitor each page');
  assert.equal(again.visit.pageViews, 1);
  assert.ok(!again.signals.some((x) => x.rule === 'add_to_cart'));
  assert.deepEqual(await ours(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('consent accepted: the same visitor and visit after a reload and in a second tab', async () => {
  const { context, page, errors } = await visitor();
  await open(page, '/collections/all/');
  await page.click('#nw-consent-accept');
  await dwell(page, 2_000);
  const s = await state(page);
  assert.equal(s.storage, 'local');
  assert.deepEqual(await ours(page), ['shopper-intent']);
  await page.reload();
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state());
  const reloaded = await state(page);
  assert.equal(reloaded.visitorId, s.visitorId);
  assert.equal(reloaded.visit.id, s.visit.id);
  await dwell(page, 1_500); // the save delay: the reload's page view is stored
  const tab = await context.newPage();
  await open(tab, '/products/chore-jacket/');
  const second = await state(tab);
  assert.equal(second.visitorId, s.visitorId);
  assert.equal(second.visit.id, s.visit.id);
  assert.ok(second.visit.pageViews >= 3, `page views ${second.visit.pageViews}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a purchase: the conversion is recorded, and no further nudges for that product', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await highIntentVisit(page);
  // On the checkout page with high intent: the reassurance banner (an exposure) after 5 s.
  await dwell(page, 5_500);
  assert.deepEqual((await actions(page)).map((a) => a.action), ['shipping_reassurance']);
  await page.fill('#email', 'shopper@example.com');
  await clickTo(page, '#to-shipping', '/checkout/shipping/');
  await page.click('#to-payment');
  await page.clock.runFor(500);
  await page.waitForURL(url('/checkout/payment/'));
  await page.waitForFunction(() => window.shopperIntent && window.shopperIntent.state());
  await page.click('#place-order');
  await page.clock.runFor(500);
  await page.waitForURL(url('/checkout/thank-you/'));
  const log = await experimentLog(page);
  const conversions = log.filter((e) => e.event === 'experiment_conversion');
  assert.equal(conversions.length, 1, JSON.stringify(log));
  assert.equal(conversions[0].experiment_id, EXPERIMENT);
  assert.equal(conversions[0].variation_id, '1');
  assert.equal(conversions[0].value, 280);
  // Back a while later on the product just bought: the chat that the same journey gets
  // without a purchase (test 2) does not come, nor any message naming the product. Help that
  // is not promotional (returns, shipping) may still come.
  const before = (await actions(page)).length;
  await away(page, 60);
  await open(page, '/products/wool-overcoat/');
  await dwell(page, 15_000);
  const later = (await actions(page)).slice(before);
  assert.ok(!later.some((a) => PROMOTIONAL.includes(a.action)), JSON.stringify(later));
  assert.ok(!later.some((a) => a.message.includes('Wool Overcoat')), JSON.stringify(later));
  assert.equal(await page.locator('#nw-chat-invite').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an opted-out visitor gets no promotional nudge', async () => {
  const { context, page, errors } = await visitor({ force: TREATMENT });
  await open(page, '/products/wool-overcoat/');
  await page.click('#nw-consent-accept');
  await page.evaluate(() => window.shopperIntent.identify({ unsubscribed: true }));
  await open(page, '/products/wool-overcoat/');
  await open(page, '/products/wool-overcoat/');
  await page.click('#add-to-cart');
  await open(page, '/checkout/');
  await away(page, 31);
  await open(page, '/products/wool-overcoat/');
  const s = await state(page);
  assert.equal(s.suppressed, true);
  assert.ok(s.suppression.includes('opted_out'));
  await dwell(page, 30_000);
  const fired = await actions(page);
  assert.ok(!fired.some((a) => PROMOTIONAL.includes(a.action)), JSON.stringify(fired));
  assert.equal(await page.locator('#nw-chat-invite').isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});
