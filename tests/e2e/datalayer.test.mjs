// The GA4 data layer in Chromium: replayed, then watched (push still returns its result, also
// after GTM replaces it), gtag Arguments, hostile entries (never thrown, never fatal: 100,000
// entries whose reads throw leave the scorer alive and memory flat), the stage pushed back and not
// read again, a renamed data layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, visitor, NO_CONSENT, state, warnings, warningsOnce, rules, pagehide, heap } from './support.mjs';

useBrowser();

const DEBUG = { runtime: { require_consent: false, debug: true } };
const score = async (page) => (await state(page)).score;
const run = (page, body) => page.evaluate(body);

test('replays what was pushed before the scorer loaded', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {
    config: NO_CONSENT,
    head: `window.dataLayer = [];
      function gtag() { dataLayer.push(arguments); }
      gtag('js', new Date());
      gtag('config', 'G-TEST');
      dataLayer.push({'gtm.start': Date.now(), event: 'gtm.js'});
      dataLayer.push({ecommerce: null});
      dataLayer.push({event: 'view_item', ecommerce: {currency: 'USD', value: 149,
        items: [{item_id: 'A', item_name: 'Coat', price: 149}]}});
      dataLayer.push({ecommerce: null});
      dataLayer.push({event: 'add_to_cart', ecommerce: {currency: 'USD', value: 149,
        items: [{item_id: 'A', price: '149.00', quantity: '1'}]}});
      gtag('event', 'begin_checkout', {value: 149, items: [{item_id: 'A', price: 149}]});`,
  });
  const s = await state(page);
  // site_visit 2 + product_view 2 + add_to_cart 15 + begin_checkout 25.
  assert.deepEqual([s.score, s.stage, s.intent, s.value], [44, 'mql', 'high', 149]);
  assert.deepEqual(rules(s), ['site_visit', 'product_view', 'add_to_cart', 'begin_checkout']);
  await v.context.close();
});

test('later pushes are read, and push still returns its result', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: "window.dataLayer = [{event: 'gtm.js'}];" });
  const before = await score(page);
  const got = await run(page, () => [
    window.dataLayer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'B', price: 30 }] } }),
    window.dataLayer[1].event,
  ]);
  // Array.prototype.push's result: the new length, and the entry is in the array.
  assert.deepEqual(got, [2, 'view_item']);
  assert.equal(await score(page), before + 2);
  // Several entries in one push are all read.
  await run(page, () => window.dataLayer.push({ event: 'add_to_wishlist', items: [{ item_id: 'B' }] },
    { event: 'add_to_cart', items: [{ item_id: 'B', price: 30 }] }));
  assert.equal(await score(page), before + 2 + 8 + 15);
  await v.context.close();
});

test('survives GTM replacing push, with or without chaining', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' });
  const base = await score(page);
  // GTM's way: keep the old push, call it, process, return.
  const r = await run(page, () => {
    window.__gtmSaw = 0;
    const old = window.dataLayer.push;
    window.dataLayer.push = function () {
      const x = old.apply(window.dataLayer, arguments);
      window.__gtmSaw += arguments.length;
      return x + 1000;
    };
    return [window.dataLayer.push({ event: 'view_item', items: [{ item_id: 'C', price: 10 }] }), window.__gtmSaw, window.dataLayer.length];
  });
  assert.deepEqual(r, [1001, 1, 1], "GTM's result is returned");
  assert.equal(await score(page), base + 2, 'read once, not once per wrapper');
  // A replacement that does not chain to the old push: still seen.
  const mine = await run(page, () => {
    window.dataLayer.push = function (x) { Array.prototype.push.call(window.dataLayer, x); return 'mine'; };
    return window.dataLayer.push({ event: 'add_to_cart', items: [{ item_id: 'C', price: 10 }] });
  });
  assert.equal(mine, 'mine');
  assert.equal(await score(page), base + 2 + 15);
  // An exception in the store's push still reaches the store, and the scorer carries on.
  const threw = await run(page, () => {
    window.dataLayer.push = function () { throw new Error('store bug'); };
    try {
      window.dataLayer.push({ event: 'view_item', items: [{ item_id: 'D' }] });
      return false;
    } catch (e) {
      return e.message === 'store bug';
    }
  });
  assert.equal(threw, true);
  await v.context.close();
});

test('a new data layer array is picked up on page activity', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' });
  const base = await score(page);
  await run(page, () => { window.dataLayer = [{ event: 'view_item', items: [{ item_id: 'E', price: 5 }] }]; });
  // The next page activity (here a hidden page) looks again and replays the new array.
  await pagehide(page);
  assert.equal(await score(page), base + 2);
  await run(page, () => window.dataLayer.push({ event: 'add_to_cart', items: [{ item_id: 'E', price: 5 }] }));
  assert.equal(await score(page), base + 17);
  await v.context.close();
});

test('hostile entries never throw and are refused or ignored', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' });
  const base = await score(page);
  const ok = await run(page, () => {
    const big = 'x'.repeat(1 << 20);
    const cyclic = { event: 'view_item', items: [{ item_id: 'F', price: 1 }] };
    cyclic.self = cyclic;
    cyclic.items[0].parent = cyclic;
    const many = { event: 'view_item', items: Array.from({ length: 10000 }, (_, i) => ({ item_id: 'i' + i })) };
    const getter = { get event() { throw new Error('getter'); } };
    const proxy = new Proxy({}, { get() { throw new Error('proxy'); }, ownKeys() { throw new Error('keys'); } });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const entries = [
      function () { this.set('x', 1); }, // GTM lets pages push functions
      ['event', 'view_item'], // an array, not Arguments: ignored like gtag does
      null, undefined, 42, 'view_item', Symbol('s'),
      { event: big }, { event: 'view_item', page_location: big, items: [{ item_id: 'G' }] },
      { event: 'view_item', items: [{ item_id: big }] },
      many, cyclic, getter, proxy, revoked.proxy,
      { event: 'view_item', items: 'not a list' },
      { event: 'view_item', ecommerce: { items: [{ item_id: 'H', price: -5 }] } },
      { event: 'view_item', get ecommerce() { throw new Error('boom'); } },
      { event: 'gtm.click' }, { ecommerce: null }, { event: 'custom_thing', x: 1 },
    ];
    for (const e of entries) window.dataLayer.push(e);
    (function () { window.dataLayer.push(arguments); })('event', big, {});
    (function () { window.dataLayer.push(arguments); })(big);
    (function () { window.dataLayer.push(arguments); })();
    return true;
  });
  assert.equal(ok, true);
  // Only the cyclic entry was a valid view_item (the others were refused or ignored).
  assert.equal(await score(page), base + 2);
  const warned = await warningsOnce(page);
  assert.ok(warned.some((w) => w.startsWith('shopper-intent: view_item: ')), JSON.stringify(warned));
  assert.ok(warned.every((w) => /^shopper-intent: view_item: /.test(w)), JSON.stringify(warned));
  assert.ok(warned.length <= 2, 'once per kind of problem: ' + JSON.stringify(warned));
  // And the scorer still works.
  await run(page, () => window.dataLayer.push({ event: 'add_to_cart', items: [{ item_id: 'F', price: 1 }] }));
  assert.equal(await score(page), base + 17);
  assert.deepEqual(v.logs, []);
  await v.context.close();
});

test('100,000 entries whose reads throw, among real events: alive, correct, memory flat', async () => {
  const hostile = (withApi) => {
    const si = window.shopperIntent;
    let refused = 0;
    for (let i = 0; i < 100000; i++) {
      // A getter that throws, and a revoked proxy, as dataLayer entries and as track() params.
      window.dataLayer.push(Object.defineProperty({ event: 'view_item' }, 'ecommerce',
        { get() { throw new Error('boom'); }, enumerable: true }));
      if (withApi && i % 10 === 0) {
        const r = Proxy.revocable({}, {});
        r.revoke();
        if (si.track('view_item', r.proxy) === -1) refused++;
      }
      if (i % 1000 === 0) window.dataLayer.push({ event: 'view_item', items: [{ item_id: 'REAL' + (i / 1000) }] });
    }
    return withApi ? { refused, ok: si.track('add_to_cart', { items: [{ item_id: 'OK', price: 1 }] }) } : null;
  };
  const v = await visitor();
  // The page's own data layer keeps its 100,000 entries: the same page without the tag is the baseline.
  const bare = await v.tab('/t/bare.html', { noTag: true, head: 'window.dataLayer = [];' });
  const bareBefore = await heap(bare);
  await bare.evaluate(hostile, false);
  const bareGrowth = (await heap(bare)) - bareBefore;
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' });
  const before = await heap(page);
  const result = await page.evaluate(hostile, true);
  const growth = (await heap(page)) - before;
  assert.equal(result.refused, 10000, 'every unreadable event is refused, not fatal');
  assert.equal(result.ok, 1, 'a real event after them is scored');
  const s = await state(page);
  // site_visit, 5 product views (the per-visit limit) of the 100 real ones, and the cart.
  assert.deepEqual([s.score, rules(s).filter((r) => r === 'product_view').length], [2 + 5 * 2 + 15, 5]);
  assert.ok(growth - bareGrowth < 2 * 1024 * 1024, `the heap grew by ${growth} bytes, ${bareGrowth} without the tag`);
  assert.deepEqual(v.logs, []);
  await v.context.close();
});

test('stage changes are pushed back, and not read again', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: DEBUG, head: 'window.dataLayer = [];' });
  await run(page, () => {
    window.dataLayer.push({ event: 'add_to_cart', items: [{ item_id: 'J', price: 20 }] });
    window.dataLayer.push({ event: 'begin_checkout', items: [{ item_id: 'J', price: 20 }] });
  });
  await run(page, () => new Promise((r) => setTimeout(r, 0)));
  const pushed = await run(page, () => window.dataLayer.filter((e) => e.event === 'intent_stage'));
  // 2 + 15 = 17 is cold; 17 + 25 = 42 is mql.
  assert.deepEqual(pushed, [{ event: 'intent_stage', intent_stage: 'mql', intent_score: 42, intent_tier: 'high' }]);
  // The debug log says every event it ignored: our own push is not one of them.
  const infos = await run(page, () => window.__infos);
  assert.ok(!infos.some((m) => m.includes('intent_stage')), JSON.stringify(infos));
  // Switched off in the config: nothing pushed.
  const off = await v.tab('/t/off.html', { config: { runtime: { require_consent: false, stage_to_data_layer: false } }, head: 'window.dataLayer = [];' });
  await run(off, () => window.dataLayer.push({ event: 'begin_checkout' }, { event: 'add_to_cart', items: [{ item_id: 'K', price: 1 }] }));
  await run(off, () => new Promise((r) => setTimeout(r, 0)));
  assert.equal((await state(off)).stage, 'mql');
  assert.equal(await run(off, () => window.dataLayer.filter((e) => e.event === 'intent_stage').length), 0);
  await v.context.close();
});

test('a renamed data layer is followed; a name that holds something else is reported', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {
    config: { runtime: { require_consent: false, data_layer: 'shopLayer' } },
    head: "window.shopLayer = [{event: 'view_item', items: [{item_id: 'L', price: 3}]}];",
  });
  assert.deepEqual(rules(await state(page)), ['site_visit', 'product_view']);
  const wrong = await v.tab('/t/wrong.html', {
    config: { runtime: { require_consent: false, data_layer: 'shopLayer' } },
    head: "window.shopLayer = {push() {}};",
  });
  assert.deepEqual(await warningsOnce(wrong), ['shopper-intent: runtime.data_layer: window.shopLayer is not an array; the data layer is not watched']);
  await v.context.close();
});
