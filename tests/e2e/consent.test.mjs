// Consent in Chromium: nothing is read or written until a signal allows it (scoring stays in
// memory), Google Consent Mode, Shopify's customer privacy API, Global Privacy Control and
// consent(); the most restrictive wins, a refusal deletes what was stored at once, and consent
// given late keeps every event of the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, visitor, NO_CONSENT, state, track, warnings, warningsOnce, stored, pagehide, item } from './support.mjs';

useBrowser();

const GTAG = `window.dataLayer = window.dataLayer || [];
  window.gtag = function () { dataLayer.push(arguments); };`;
const gtag = (page, command, kind, analytics) => page.evaluate(([c, k, a]) => {
  window.gtag(c, k, { ad_storage: 'denied', analytics_storage: a });
}, [command, kind, analytics]);
const consent = (page, choice) => page.evaluate((c) => window.shopperIntent.consent(c), choice);

/** A returning visitor's stored entry, written by a page with consent. */
async function returning(v, events = 1) {
  const page = await v.tab('/t/first.html', { config: NO_CONSENT });
  for (let i = 0; i < events; i++) await track(page, 'view_item', item('R' + i, 10));
  await pagehide(page);
  const entry = await stored(page);
  const id = (await state(page)).visitorId;
  await page.close();
  return { entry, id };
}

test('without consent nothing is written and scoring stays in memory', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {});
  assert.equal(await track(page, 'view_item', item('A', 50)), 1);
  assert.equal(await track(page, 'add_to_cart', item('A', 50)), 1);
  await pagehide(page);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  const s = await state(page);
  assert.equal(s.score, 19);
  assert.equal(s.storage, 'memory');
  await v.context.close();
});

test('Consent Mode: a grant stores, a withdrawal deletes at once', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { head: GTAG + "gtag('consent', 'default', {analytics_storage: 'denied'});" });
  await track(page, 'view_item', item('A', 50));
  await pagehide(page);
  assert.equal(await stored(page), null);
  // The visitor accepts in the cookie banner (the CMP sends an update).
  await gtag(page, 'consent', 'update', 'granted');
  await pagehide(page);
  assert.ok((await stored(page)).includes('|'));
  assert.equal((await state(page)).storage, 'local');
  // ... and withdraws: deleted at once, not at the next save.
  await gtag(page, 'consent', 'update', 'denied');
  assert.equal(await stored(page), null);
  await track(page, 'add_to_cart', item('A', 50));
  await pagehide(page);
  assert.equal(await stored(page), null);
  assert.equal((await state(page)).score, 19, 'scoring carries on in memory');
  await v.context.close();
});

test('consent given late joins the stored profile, with every event of the page', async () => {
  const v = await visitor();
  const { entry, id } = await returning(v);
  const page = await v.tab('/t/p.html', { head: GTAG + "gtag('consent', 'default', {analytics_storage: 'denied'});" });
  assert.notEqual((await state(page)).visitorId, id, 'not read without consent');
  // 6,000 events before the visitor consents, none of which may be lost: 3,000 email opens (+1
  // each, no limit) between events the model does not know, of every length. Their bytes, kept
  // to be re-applied, span several of the tag's 64 KB blocks (engine.js, encode).
  await page.evaluate(() => {
    for (let i = 0; i < 6000; i++) {
      if (i % 2) window.shopperIntent.track('noise_' + i, { page_location: 'x'.repeat(i % 97) });
      else window.shopperIntent.track('email_open');
    }
  });
  await gtag(page, 'consent', 'update', 'granted');
  const s = await state(page);
  assert.equal(s.visitorId, id);
  // The stored profile's 4 points (site_visit, product_view) and all 3,000 opens: the same
  // visit, so this page view adds none.
  assert.ok(Math.abs(s.score - (2 + 2 + 3000)) < 0.05, `score ${s.score}`);
  await pagehide(page);
  assert.ok((await stored(page)) !== entry);
  await v.context.close();
});

test('consent() grants and refuses; a malformed choice names the field', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {});
  await consent(page, { analytics: true });
  await pagehide(page);
  assert.ok(await stored(page));
  await consent(page, { analytics: false });
  assert.equal(await stored(page), null);
  await consent(page, { analytics: 'yes' });
  await consent(page, { marketing: true });
  assert.deepEqual(await warningsOnce(page), ['shopper-intent: consent: field `analytics`: must be true or false, not a string']);
  await pagehide(page);
  assert.equal(await stored(page), null);
  await v.context.close();
});

test('the most restrictive signal wins', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { head: 'window.Shopify = {customerPrivacy: {analyticsProcessingAllowed: () => true}};' + GTAG });
  await pagehide(page);
  assert.ok(await stored(page), 'Shopify allows it');
  // Consent Mode says granted, Shopify's banner now says no: nothing stored, deleted.
  await gtag(page, 'consent', 'update', 'granted');
  await page.evaluate(() => document.dispatchEvent(new CustomEvent('visitorConsentCollected',
    { detail: { analyticsAllowed: false, marketingAllowed: false } })));
  assert.equal(await stored(page), null);
  await consent(page, { analytics: true });
  await track(page, 'view_item', item('A', 1));
  await pagehide(page);
  assert.equal(await stored(page), null);
  assert.equal((await state(page)).storage, 'memory');
  await v.context.close();
});

test('Global Privacy Control refuses storage unless the config ignores it', async () => {
  const GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {configurable: true, get: () => true});";
  const v = await visitor();
  const { entry } = await returning(v);
  assert.ok(entry);
  const page = await v.tab('/t/gpc.html', { head: GPC + GTAG + "gtag('consent', 'update', {analytics_storage: 'granted'});" });
  assert.equal(await stored(page), null, 'what was stored is deleted');
  await consent(page, { analytics: true });
  await pagehide(page);
  assert.equal(await stored(page), null);
  const ignoring = await v.tab('/t/gpc-off.html', {
    config: { runtime: { global_privacy_control: false } },
    head: GPC + GTAG + "gtag('consent', 'update', {analytics_storage: 'granted'});",
  });
  await pagehide(ignoring);
  assert.ok(await stored(ignoring));
  await v.context.close();
});

test('a denial by default is not a refusal: nothing stored, nothing deleted', async () => {
  const v = await visitor();
  const { entry, id } = await returning(v);
  // Even when the config does not require consent, a denial by default stops storage...
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: GTAG + "gtag('consent', 'default', {analytics_storage: 'denied'});" });
  await track(page, 'view_item', item('A', 1));
  await pagehide(page);
  // ... without deleting what the visitor agreed to on an earlier page.
  assert.equal(await stored(page), entry);
  assert.notEqual((await state(page)).visitorId, id);
  await v.context.close();
});

test('a Shopify privacy API that loads late is asked again', async () => {
  const v = await visitor();
  const { id } = await returning(v);
  const page = await v.tab('/t/p.html', { head: "window.Shopify = {shop: 'test.myshopify.com'};" });
  assert.notEqual((await state(page)).visitorId, id, 'not read before consent');
  // Shopify.loadFeatures finishes: the visitor had consented on an earlier page.
  await page.evaluate(() => { window.Shopify.customerPrivacy = { analyticsProcessingAllowed: () => true }; });
  await page.waitForTimeout(700);
  const s = await state(page);
  assert.equal(s.visitorId, id);
  assert.equal(s.storage, 'local');
  await v.context.close();
});

test('without storage a visitor is not enrolled: no nudge, no exposure, the same on every page', async () => {
  // Policy: a visitor who cannot be remembered gets no experiment and no nudge (caps and arms
  // could not hold from one page to the next), and no exposure reaches the analytics.
  const rule = { actions: { rules: { hello: { message: 'Hello', when: {}, experiment: '' } } } };
  const v = await visitor();
  const pages = [];
  for (let i = 0; i < 5; i++) {
    const page = await v.tab('/t/p.html', { config: rule, head: GTAG + "gtag('consent', 'default', {analytics_storage: 'denied'});" });
    await track(page, 'view_item', item('A', 1));
    await page.waitForTimeout(50);
    pages.push(await page.evaluate(() => ({
      actions: window.__events.filter(([t]) => t === 'action').length,
      exposures: window.dataLayer.filter((e) => e && e.event === 'experiment_viewed').length,
      nudge: !!document.getElementById('shopper-intent-nudge'),
    })));
  }
  assert.deepEqual(pages, Array(5).fill({ actions: 0, exposures: 0, nudge: false }));
  // With consent the same rule shows once per visit, as its caps say.
  const ok = await v.tab('/t/ok.html', { config: rule, head: GTAG + "gtag('consent', 'default', {analytics_storage: 'granted'});" });
  await track(ok, 'view_item', item('A', 1));
  await ok.waitForTimeout(50);
  assert.equal(await ok.evaluate(() => window.__events.filter(([t]) => t === 'action').length), 1);
  await pagehide(ok);
  const again = await v.tab('/t/ok.html');
  await again.waitForTimeout(50);
  assert.equal(await again.evaluate(() => window.__events.filter(([t]) => t === 'action').length), 0, 'once per visit');
  await v.context.close();
});
