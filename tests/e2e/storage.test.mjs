// On-device memory in Chromium: saved debounced and on pagehide (never per event), bounded, read
// back on the next page; disabled, full (and freed again), corrupt or foreign storage; two tabs
// sharing one visitor without lost updates; another tab's reset or logout; a clock that ran ahead.
import { test } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { useBrowser, visitor, open, NO_CONSENT, KEY, state, track, warnings, warningsOnce, stored, rules, pagehide, item } from './support.mjs';

useBrowser();

const countWrites = `window.__writes = 0; (function () { const real = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) { window.__writes++; return real.call(this, k, v); }; })();`;
const writes = (page) => page.evaluate(() => window.__writes);
const count = (s, rule) => rules(s).filter((r) => r === rule).length;

test('saved on pagehide, never per event, and read back on the next page', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: countWrites });
  await page.evaluate(() => {
    for (let i = 0; i < 20; i++) window.shopperIntent.track('view_item', { items: [{ item_id: 'P' + i, price: 10 + i }] });
    window.shopperIntent.track('add_to_cart', { items: [{ item_id: 'P3', price: 13 }] });
  });
  assert.equal(await writes(page), 0, 'nothing written per event');
  assert.equal(await stored(page), null);
  await pagehide(page);
  assert.equal(await writes(page), 1);
  await pagehide(page);
  assert.equal(await writes(page), 1, 'nothing changed, nothing written');
  const before = await state(page);
  // The next page of the same visit: same visitor and visit, one more page view.
  const next = await v.tab('/t/next.html', { config: NO_CONSENT });
  const s = await state(next);
  assert.equal(s.visitorId, before.visitorId);
  assert.equal(s.visit.index, 1);
  assert.equal(s.visit.pageViews, 2);
  assert.ok(Math.abs(s.score - before.score) < 0.01);
  assert.equal(s.storage, 'local');
  await v.context.close();
});

test('saved once after the delay, for a burst', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: { runtime: { require_consent: false, save_delay_ms: 30 } }, head: countWrites });
  // The page load's own save first.
  await page.waitForTimeout(100);
  await page.evaluate(() => { window.__writes = 0; });
  // In one task: the delay may run out between two round trips to a loaded machine.
  const during = await page.evaluate(([a, b]) => {
    window.shopperIntent.track('view_item', a);
    window.shopperIntent.track('view_item', b);
    return window.__writes;
  }, [item('A', 1), item('B', 1)]);
  assert.equal(during, 0, 'no write per event');
  await page.waitForTimeout(100);
  assert.equal(await writes(page), 1, 'one write for the burst');
  await track(page, 'view_item', item('C', 1));
  await page.waitForTimeout(100);
  assert.equal(await writes(page), 2);
  await v.context.close();
});

test('a stream of events is saved after its last change, and at the latest five delays after its first', async () => {
  const v = await visitor();
  const DELAY = 300;
  const logWrites = `window.__writeTimes = []; (function () { const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) { window.__writeTimes.push(performance.now()); return real.call(this, k, v); }; })();`;
  const page = await v.tab('/t/p.html', { config: { runtime: { require_consent: false, save_delay_ms: DELAY } }, head: logWrites });
  await page.waitForTimeout(2 * DELAY); // the page load's own save
  // Events every 60 ms for 2.4 s (8 delays), then quiet: the times of the events and of the writes.
  const { events, saved } = await page.evaluate(async (delay) => {
    window.__writeTimes = [];
    const events = [];
    for (let i = 0; i < 40; i++) {
      window.shopperIntent.track('view_item', { items: [{ item_id: 'S' + i, price: 5 }] });
      events.push(performance.now());
      await new Promise((r) => setTimeout(r, 60));
    }
    await new Promise((r) => setTimeout(r, 3 * delay));
    return { events, saved: window.__writeTimes };
  }, DELAY);
  const last = events[events.length - 1];
  // The rule, whatever a loaded machine does to the timers: every write comes a delay after the
  // last event before it, or five delays after the first event it is the first write for.
  let first = events[0];
  for (const w of saved) {
    const before = events.filter((t) => t < w);
    const quiet = w - before[before.length - 1];
    assert.ok(quiet >= DELAY - 5 || w - first >= 5 * DELAY - 5, `a write ${Math.round(quiet)} ms after an event, ${Math.round(w - first)} ms after the first unsaved one`);
    first = events.find((t) => t > w) ?? Infinity;
  }
  // A stream longer than five delays is written before it ends, and once more after it.
  assert.ok(saved.some((w) => w < last), `written during the stream: ${saved.map((w) => Math.round(w - events[0]))}`);
  assert.equal(saved.filter((w) => w > last).length, 1, 'one write after the stream');
  assert.ok(saved.length <= 4, `${saved.length} writes for 40 events`);
  await v.context.close();
});

test('the entry stays under 8 KB for a busy visitor with long CJK and emoji names', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  await page.evaluate(() => {
    // Names in a script of 3- and 4-byte characters: the bound is in bytes, not characters.
    const name = '漢字の長い商品名😀'.repeat(12);
    for (let i = 0; i < 300; i++) {
      const params = { items: [{ item_id: 'SKU-' + i + '-' + name, item_name: name + ' ' + i, item_category: name, price: i }], coupon: 'SAVE' + i };
      for (const kind of ['view_item', 'add_to_cart', 'add_to_wishlist', 'purchase', 'begin_checkout']) window.shopperIntent.track(kind, params);
    }
  });
  await pagehide(page);
  const entry = await stored(page);
  assert.ok(entry.length <= 8 * 1024, `entry is ${entry.length} bytes`);
  const again = await v.tab('/t/again.html', { config: NO_CONSENT });
  assert.equal((await state(again)).visitorId, (await state(page)).visitorId, 'and it reads back');
  await v.context.close();
});

test('disabled storage falls back to memory', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {
    config: NO_CONSENT,
    head: `Object.defineProperty(window, 'localStorage', {configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }});`,
  });
  assert.equal(await track(page, 'view_item', item('A', 5)), 1);
  await pagehide(page);
  const s = await state(page);
  assert.equal(s.storage, 'memory');
  assert.equal(s.score, 4);
  assert.deepEqual(await warningsOnce(page), ['shopper-intent: localStorage is unavailable; this visitor is remembered for this page only']);
  await v.context.close();
});

test('a full storage is logged once, and saving succeeds once space is freed', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {
    config: NO_CONSENT,
    head: `window.__full = true; (function () { const real = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (window.__full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return real.call(this, k, v);
      }; })();`,
  });
  await track(page, 'view_item', item('A', 5));
  await pagehide(page);
  await track(page, 'view_item', item('B', 5));
  await pagehide(page);
  assert.equal(await stored(page), null);
  assert.equal((await state(page)).score, 6);
  const w = await warningsOnce(page);
  assert.equal(w.length, 1, JSON.stringify(w));
  assert.ok(w[0].includes('refused the profile'));
  // The store frees some space: the next save goes through.
  await page.evaluate(() => { window.__full = false; });
  await track(page, 'view_item', item('C', 5));
  await pagehide(page);
  assert.ok(await stored(page), 'saved again');
  assert.equal((await state(page)).storage, 'local');
  await v.context.close();
});

test('corrupt or foreign entries start fresh, say why, and are replaced', async () => {
  for (const [entry, why] of [
    ['not|a profile at all', 'not base64'],
    ['ab12:3|BgID', 'corrupt'], // version 6, a body cut short
    ['AA', 'older, unsupported'],
    ['CQ', 'newer version'],
  ]) {
    const v = await visitor();
    v.serve('/t/p.html', { config: NO_CONSENT, head: `localStorage.setItem('${KEY}', ${JSON.stringify(entry)});` });
    const page = await v.tab('/t/p.html');
    assert.deepEqual(rules(await state(page)), ['site_visit'], `fresh start for ${entry}`);
    const w = await warningsOnce(page);
    assert.ok(w.length === 1 && w[0].includes(why), `${entry}: ${JSON.stringify(w)}`);
    await pagehide(page);
    assert.notEqual(await stored(page), entry);
    await v.context.close();
  }
});

test('a profile the core stored natively reads in the browser (tests/fixtures/stored-profile.json)', async () => {
  // The core writes it (tests/state.rs); base64 is the tag's own here (atob), and the text unpadded.
  const f = JSON.parse(fs.readFileSync(new URL('../fixtures/stored-profile.json', import.meta.url), 'utf8'));
  const v = await visitor();
  v.serve('/t/p.html', { config: NO_CONSENT, head: `localStorage.setItem('${KEY}', ${JSON.stringify('ab12:1|' + f.text)});` });
  const page = await v.tab('/t/p.html');
  const s = await state(page);
  assert.equal(s.visitorId, f.visitor_id);
  assert.equal(s.visit.index, f.visit_index + 1, 'a new visit on top of the stored one');
  assert.deepEqual(rules(s).slice(0, f.rules.length), f.rules);
  assert.deepEqual(await warnings(page), []);
  await v.context.close();
});

test('two tabs share one visitor, without lost updates', async () => {
  const v = await visitor();
  v.serve('/t/p.html', { config: NO_CONSENT });
  const a = await v.tab('/t/p.html');
  await track(a, 'view_item', item('A', 100));
  await pagehide(a);
  const b = await v.tab('/t/p.html');
  const visitorId = (await state(a)).visitorId;
  assert.equal((await state(b)).visitorId, visitorId, 'the second tab reads the first one\'s visitor');
  // B adds to the cart and saves; A hears of it through the storage event.
  await track(b, 'add_to_cart', item('B', 100));
  await pagehide(b);
  await a.waitForFunction(() => window.shopperIntent.state().signals.some((s) => s.rule === 'add_to_cart'));
  let s = await state(a);
  assert.equal(count(s, 'add_to_cart'), 1, 'their event is here');
  assert.equal(count(s, 'product_view'), 1, 'ours is not counted twice');
  assert.equal(s.value, 100);
  // A race: A views C (not saved yet) while B writes a profile without it.
  await track(a, 'view_item', item('C', 100));
  await track(b, 'add_to_wishlist', item('D', 100));
  await pagehide(b);
  await a.waitForFunction(() => window.shopperIntent.state().signals.some((s) => s.rule === 'wishlist_add'));
  s = await state(a);
  assert.equal(count(s, 'wishlist_add'), 1, 'their event is here');
  assert.equal(count(s, 'product_view'), 2, 'ours was re-applied on top');
  await pagehide(a);
  const c = await v.tab('/t/p.html');
  assert.deepEqual(rules(await state(c)).filter((r) => r !== 'site_visit'),
    ['product_view', 'add_to_cart', 'wishlist_add', 'product_view'], 'both tabs\' events are stored, once each');
  await v.context.close();
});

test('a write another tab made unnoticed is merged when saving', async () => {
  const v = await visitor();
  v.serve('/t/p.html', { config: NO_CONSENT });
  const a = await v.tab('/t/p.html');
  await track(a, 'view_item', item('A', 100));
  await pagehide(a);
  await track(a, 'add_to_cart', item('A', 100));
  // Another tab writes, and this tab is not told (no storage event, as for a tab frozen in the
  // background): the event is stopped before the scorer's listener.
  await a.evaluate(() => addEventListener('storage', (e) => e.stopImmediatePropagation(), true));
  const b = await v.tab('/t/p.html');
  await track(b, 'add_to_wishlist', item('Z', 100));
  await pagehide(b);
  // Tabs in other processes see a write a moment later: A saves once B's write reached it.
  const written = await stored(b);
  await a.waitForFunction(([k, x]) => localStorage.getItem(k) === x, [KEY, written]);
  await pagehide(a);
  const c = await v.tab('/t/p.html');
  const merged = await stored(a);
  if ((await stored(c)) !== merged) {
    await c.waitForFunction(([k, x]) => localStorage.getItem(k) === x, [KEY, merged]);
    await c.reload();
  }
  const kept = rules(await state(c)).filter((r) => r !== 'site_visit');
  // A's add_to_cart, which B's profile lacked, is on top of it; nothing twice.
  assert.deepEqual(kept.sort(), ['add_to_cart', 'product_view', 'wishlist_add']);
  await v.context.close();
});

test('another tab forgetting the visitor (reset, logout) makes this tab forget too, and go on saving', async () => {
  const v = await visitor();
  v.serve('/t/p.html', { config: NO_CONSENT });
  const a = await v.tab('/t/p.html');
  await track(a, 'add_to_cart', item('A', 100));
  await pagehide(a);
  const visitorId = (await state(a)).visitorId;
  const b = await v.tab('/t/p.html');
  // The store's logout clears localStorage in the other tab.
  await b.evaluate(() => localStorage.clear());
  await a.waitForFunction((id) => window.shopperIntent.state().visitorId !== id, visitorId);
  const s = await state(a);
  assert.equal(s.score, 0);
  await a.waitForFunction(() => window.__warnings.some((w) => w.includes('another tab deleted the stored profile')));
  // The old visitor is not written back; the new one is stored on its next change.
  await track(a, 'view_item', item('B', 1));
  await pagehide(a);
  const c = await v.tab('/t/p.html');
  assert.equal((await state(c)).visitorId, s.visitorId);
  assert.notEqual(s.visitorId, visitorId);
  await v.context.close();
});

test('saved when the page is hidden', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  await track(page, 'view_item', item('A', 1));
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
    delete document.hidden;
  });
  assert.ok(await stored(page));
  await v.context.close();
});

test('a clock that ran ahead does not freeze visits and decay', async () => {
  const DAY = 86400000;
  const now = Date.UTC(2026, 0, 5, 10);
  const v = await visitor();
  v.serve('/t/p.html', { config: NO_CONSENT });
  // One page with the device clock 30 days ahead.
  const ahead = await v.context.newPage();
  await ahead.clock.install({ time: now + 30 * DAY });
  await open(ahead, '/t/p.html');
  await track(ahead, 'add_to_cart', item('A', 100));
  await pagehide(ahead);
  await ahead.close();
  // The clock is right again.
  const page = await v.context.newPage();
  await page.clock.install({ time: now });
  await open(page, '/t/p.html');
  let s = await state(page);
  assert.equal(s.visit.index, 1, 'the stored visit, brought back to now');
  // 31 minutes later: a new visit (frozen, it would wait 30 days).
  await page.clock.setSystemTime(now + 31 * 60000);
  await track(page, 'view_item', item('B', 1));
  s = await state(page);
  assert.equal(s.visit.index, 2);
  // And the score decays from now: 14 days later, half of it is left.
  const score = s.score;
  await page.clock.setSystemTime(now + 31 * 60000 + 14 * DAY);
  assert.ok(Math.abs((await state(page)).score - score / 2) < 0.5, `${(await state(page)).score} vs ${score}`);
  await v.context.close();
});

test("the pixel's inbox is read only with consent, and goes with a withdrawal", async () => {
  const v = await visitor();
  const inbox = JSON.stringify([{ name: 'begin_checkout', time: Date.now() - 60000, params: {} }]);
  const GTAG = "window.Shopify = {shop: 'test.myshopify.com'}; window.dataLayer = []; window.gtag = function () { dataLayer.push(arguments); };";
  const page = await v.tab('/t/p.html', { head: GTAG + `localStorage.setItem('${KEY}:inbox', ${JSON.stringify(inbox)});` });
  assert.deepEqual(rules(await state(page)), ['site_visit'], 'not read without consent');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k + ':inbox'), KEY), inbox);
  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'granted' }));
  assert.ok(rules(await state(page)).includes('begin_checkout'), 'read once consent is given');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k + ':inbox'), KEY), null);
  // A new one arrives, then the visitor withdraws: it goes with the profile.
  await page.evaluate(([k, x]) => localStorage.setItem(k + ':inbox', x), [KEY, inbox]);
  await page.evaluate(() => window.gtag('consent', 'update', { analytics_storage: 'denied' }));
  assert.equal(await page.evaluate((k) => localStorage.getItem(k + ':inbox'), KEY), null);
  await v.context.close();
});
