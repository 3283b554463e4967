// Pages and clicks in Chromium: the page load is one view with its landing page and channel, SPA
// navigations and back-forward restores count once each, data-intent clicks become events, and
// Shopify's storefront events become GA4 events (the same action from both counts once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, visitor, NO_CONSENT, state, track, warnings, warningsOnce, rules, item } from './support.mjs';

useBrowser();

const views = async (page) => (await state(page)).visit.pageViews;
const run = (page, body, arg) => page.evaluate(body, arg);
/** Dispatches a Shopify storefront event with its payload on the event object. */
const shopify = (page, name, payload) => page.evaluate(([n, p]) => {
  const e = new Event(n, { bubbles: true });
  Object.assign(e, p);
  document.body.dispatchEvent(e);
}, [name, payload]);

test('the page load is one view, with its landing page (no query) and channel', async () => {
  const v = await visitor();
  const path = '/products/coat';
  // The store's own GA4 page_view for the same page, already in the data layer.
  v.serve(path, { config: NO_CONSENT, head: "window.dataLayer = [{event: 'page_view', page_location: location.href, page_title: 'Coat'}];" });
  const page = await v.tab(path + '?utm_medium=email&utm_source=klaviyo&email=a%40b.c');
  const s = await state(page);
  assert.equal(s.visit.pageViews, 1);
  assert.equal(s.visit.landing, '/products/coat', 'no query kept');
  assert.equal(s.visit.channel, 'email');
  assert.equal(s.visit.index, 1);
  // A product view in a visit from email: the email click-through signal.
  await track(page, 'view_item', item('coat', 250));
  assert.deepEqual(rules(await state(page)), ['site_visit', 'product_view', 'email_click_through']);
  await v.context.close();
});

test('SPA navigations count once each; so does a back-forward restore', async () => {
  const v = await visitor();
  const page = await v.tab('/t/spa.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' });
  assert.equal(await views(page), 1);
  await run(page, () => history.pushState({}, '', '/t/policies/shipping-policy'));
  assert.equal(await views(page), 2);
  // The SPA's own GA4 page_view for the same page (gtag fills page_location itself): not again.
  await run(page, () => {
    (function () { window.dataLayer.push(arguments); })('event', 'page_view');
    window.dataLayer.push({ event: 'page_view', page_location: location.origin + location.pathname });
    // replaceState to the same path (routers store state this way), a hash change: not views.
    history.replaceState({ s: 1 }, '', location.pathname + '?sort=price');
    history.pushState({}, '', location.pathname + '#returns');
  });
  assert.equal(await views(page), 2);
  await run(page, () => history.replaceState({}, '', '/t/policies/refund-policy'));
  assert.equal(await views(page), 3);
  // Shipping and returns pages in one visit: high intent (the page types came from the URL).
  assert.equal((await state(page)).intent, 'high');
  // Back button: the URL changes, then popstate.
  await run(page, () => {
    History.prototype.pushState.call(history, null, '', '/t/collections/all');
    dispatchEvent(new PopStateEvent('popstate', { state: null }));
  });
  assert.equal(await views(page), 4);
  // A back-forward cache restore counts even on the same path; a plain pageshow does not.
  await run(page, () => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })));
  assert.equal(await views(page), 4);
  await run(page, () => dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  assert.equal(await views(page), 5);
  await v.context.close();
});

test('the SPA hooks can be switched off', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: { runtime: { require_consent: false, spa: false } } });
  await run(page, () => history.pushState({}, '', '/t/cart'));
  assert.equal(await views(page), 1);
  await v.context.close();
});

test('data-intent clicks become events, even when a handler stops the click', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', {
    config: NO_CONSENT,
    body: `<div id="di">
      <button id="sg" data-intent="size_guide">Size guide</button>
      <a id="wl" href="#" data-intent="wishlist" data-intent-item="SKU-1" data-intent-price="40"><span id="heart">♥</span></a>
      <button id="junk" data-intent="no_such_event">?</button>
      <button id="bad" data-intent="wishlist">no item</button>
    </div>
    <script>
      document.getElementById('sg').addEventListener('click', (e) => e.stopPropagation());
      document.getElementById('wl').addEventListener('click', (e) => e.preventDefault());
    </script>`,
  });
  await page.click('#sg');
  assert.equal(await views(page), 2, 'a size-guide view counts as a page of that type');
  assert.equal((await state(page)).intent, 'mid');
  await page.click('#heart');
  const s = await state(page);
  assert.equal(rules(s).at(-1), 'wishlist_add');
  assert.equal(s.value, 0, 'a wishlist add is not a cart');
  await page.click('#junk');
  await page.click('#bad');
  assert.equal(rules(await state(page)).length, 2);
  assert.ok((await warningsOnce(page))[0].includes('add_to_wishlist: items is missing'));
  await v.context.close();
});

// A Shopify storefront: its theme script sets window.Shopify before the tag runs.
const SHOPIFY = "window.Shopify = {shop: 'test.myshopify.com'};";

test("Shopify's storefront events become GA4 events", async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: SHOPIFY });
  const product = { id: 'gid://shopify/Product/7', title: 'Wool overcoat' };
  const variant = { id: 'gid://shopify/ProductVariant/9', price: { amount: '280.00', currencyCode: 'USD' } };
  // A card in a collection grid is not a product view.
  await shopify(page, 'shopify:product:view', { context: 'collection', product, selectedVariant: null });
  assert.deepEqual(rules(await state(page)), ['site_visit']);
  await shopify(page, 'shopify:product:view', { context: 'page', product, selectedVariant: variant });
  let s = await state(page);
  assert.deepEqual(rules(s), ['site_visit', 'product_view']);
  assert.deepEqual([s.value, s.highValue], [280, true]);
  // A theme's CustomEvent with the payload in `detail`.
  await run(page, ([p, va]) => document.dispatchEvent(new CustomEvent('shopify:product:select',
    { detail: { context: 'page', product: p, selectedVariant: va } })), [product, variant]);
  assert.equal((await state(page)).intent, 'high', 'a variant switch is high intent');
  await shopify(page, 'shopify:cart:lines-update', { action: 'add', context: 'product',
    lines: [{ merchandise: { id: 'gid://shopify/ProductVariant/9', price: { amount: 280 }, product }, quantity: 2 }] });
  s = await state(page);
  assert.equal(rules(s).at(-1), 'add_to_cart');
  assert.equal(s.value, 560);
  await shopify(page, 'shopify:cart:lines-update', { action: 'remove', context: 'cart',
    lines: [{ merchandise: { id: 'gid://shopify/ProductVariant/9', product: { id: 'gid://shopify/Product/7' } }, quantity: 1 }] });
  assert.equal((await state(page)).value, 280);
  // An update gives the new quantity, not a change: ignored.
  await shopify(page, 'shopify:cart:lines-update', { action: 'update', context: 'cart', lines: [{ id: 'line-1', quantity: 5 }] });
  assert.equal((await state(page)).value, 280);
  // shopify:page:view for the current page is the page view already counted.
  await shopify(page, 'shopify:page:view', {});
  assert.equal(await views(page), 1);
  // A payload whose reads throw is skipped, never thrown into the page.
  await run(page, () => {
    const e = new Event('shopify:product:view', { bubbles: true });
    Object.defineProperty(e, 'product', { get() { throw new Error('theme bug'); } });
    document.body.dispatchEvent(e);
  });
  assert.deepEqual(v.logs, []);
  await v.context.close();
});

test('the same action reported by GA4 and by Shopify counts once', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT, head: 'window.dataLayer = [];' + SHOPIFY });
  await run(page, () => window.dataLayer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'SKU-7', price: 280 }] } }));
  await shopify(page, 'shopify:product:view', { context: 'page', product: { id: 'gid://shopify/Product/7', title: 'Coat' }, selectedVariant: null });
  assert.deepEqual(rules(await state(page)), ['site_visit', 'product_view']);
  // An add to cart, reported by both.
  await shopify(page, 'shopify:cart:lines-update', { action: 'add', lines: [{ merchandise: { id: '9', price: { amount: 280 }, product: { id: '7' } }, quantity: 1 }] });
  await run(page, () => window.dataLayer.push({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'SKU-7', price: 280 }] } }));
  assert.deepEqual(rules(await state(page)), ['site_visit', 'product_view', 'add_to_cart']);
  await v.context.close();
  // Shopify can be switched off. (A visitor of its own: a tab of the same one would read the
  // profile the first tab saves after its delay, with that tab's views and cart.)
  const w = await visitor();
  const off = await w.tab('/t/off.html', { config: { runtime: { require_consent: false, shopify: false } }, head: SHOPIFY });
  await shopify(off, 'shopify:product:view', { context: 'page', product: { id: '7', title: 'Coat' }, selectedVariant: null });
  assert.deepEqual(rules(await state(off)), ['site_visit']);
  await w.context.close();
  // Off a Shopify storefront the adapter is not even fetched, and such events are not read.
  const x = await visitor();
  const fetched = [];
  x.context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const plain = await x.tab('/t/plain.html', { config: { runtime: { require_consent: false } } });
  await shopify(plain, 'shopify:product:view', { context: 'page', product: { id: '7', title: 'Coat' }, selectedVariant: null });
  assert.deepEqual(rules(await state(plain)), ['site_visit']);
  assert.ok(!fetched.some((p) => /\/shopify-[^/]*\.js$/.test(p)), fetched.join(' '));
  assert.ok(fetched.some((p) => p.endsWith('/shopper-intent.js')), 'the request log saw the tag');
  await x.context.close();
  // A Shopify storefront whose adapter fails to load: the scorer starts without it, and says so.
  const y = await visitor();
  await y.context.route(/\/shopify-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
  const broken = await y.tab('/t/broken.html', { config: { runtime: { require_consent: false } }, head: SHOPIFY });
  await shopify(broken, 'shopify:product:view', { context: 'page', product: { id: '7', title: 'Coat' }, selectedVariant: null });
  assert.deepEqual(rules(await state(broken)), ['site_visit']);
  const said = await warningsOnce(broken);
  assert.equal(said.length, 1, said.join(' | '));
  assert.match(said[0], /^shopper-intent: the Shopify adapter could not be loaded: Shopify's storefront events are not read on this page \(/);
  assert.deepEqual(y.logs, []);
  await y.context.close();
});
