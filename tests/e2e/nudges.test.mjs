// Nudges in Chromium: a decision in the treatment arm is dispatched (shopper-intent:action) and
// rendered unless a listener calls preventDefault(); the control arm only logs the exposure;
// exposures go to the data layer once per visit and conversions after a purchase; dwell, idle and
// exit-intent triggers; every timer stops on navigation, reset() and consent withdrawal;
// opted-out visitors get nothing promotional; names stay text. And the renderer and the triggers
// on their own (src/web/js/render.js, triggers.js, the dwell timer of nudger.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, visitor, track, state, settle, rules } from './support.mjs';

useBrowser();

const EXPERIMENT = 'shopper-intent-nudges';
// High-priority test rules, so the default rules (which wait for seconds of dwell) stay out.
const RULES = {
  test_chat: { kind: 'chat', priority: 1000, promotional: true, message: 'Questions about {product}?', when: [{ viewed: ['product'] }] },
  test_help: { kind: 'banner', priority: 900, message: 'Free returns, always.', when: [{ viewed: ['product'] }] },
};
const TIMED = {
  test_dwell: { priority: 1000, message: 'Still deciding?', when: [{ page_types: ['product'], dwell_s: 0.3 }] },
  test_idle: { trigger: 'idle', idle_s: 600, message: 'Still there?', when: [{}] },
  test_exit: { trigger: 'exit_intent', message: 'Before you go', when: [{}] },
};
/** A config with the holdout forced to `arm` (0 control, 1 treatment) and `rules`. */
const config = (arm, rules, extra = {}) => ({
  runtime: Object.assign({ require_consent: false }, extra),
  experiments: { [EXPERIMENT]: { force: arm } },
  actions: { rules },
});
const RECORD = `window.__actions = []; window.__at = []; window.__prevent = false; window.dataLayer = [];
  addEventListener('shopper-intent:action', (e) => { window.__actions.push(e.detail); window.__at.push(Date.now()); if (window.__prevent) e.preventDefault(); });`;

const actions = (page) => page.evaluate(() => window.__actions.map((a) => a.action));
const lastAction = (page) => page.evaluate(() => window.__actions[window.__actions.length - 1]);
const entries = (page) => page.evaluate(() => window.dataLayer.filter((e) => e && typeof e.event === 'string'
  && e.event.startsWith('experiment_')).map((e) => [e.event, e.experiment_id, e.variation_id].join('/')));
const NUDGE = '#shopper-intent-nudge';
const shown = async (page) => (await page.$(NUDGE)) !== null;
async function viewProduct(page, name) {
  assert.equal(await track(page, 'view_item', { items: [{ item_id: 'P-' + name, item_name: name, price: 40 }] }), 1);
  await settle(page);
}
async function pageView(page, p) {
  await track(page, 'page_view', { page_location: 'https://shop.example' + p });
  await settle(page);
}
async function nudgePage(cfg, head = '') {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: cfg, head: RECORD + head });
  return [v, page];
}

test('the treatment arm dispatches the action, and the built-in renderer shows it', async () => {
  const [v, page] = await nudgePage(config(1, RULES));
  await viewProduct(page, 'Coat');
  assert.deepEqual(await actions(page), ['test_chat']);
  const d = await lastAction(page);
  assert.deepEqual([d.kind, d.rule, d.experiment, d.variant, d.product, d.message],
    ['chat', 'test_chat', EXPERIMENT, 'treatment', 'Coat', 'Questions about Coat?']);
  assert.ok(d.reason.length > 0);
  const bubble = page.locator(NUDGE);
  await bubble.waitFor();
  assert.equal(await bubble.getAttribute('role'), 'dialog');
  assert.ok((await bubble.textContent()).startsWith('Questions about Coat?'));
  // One nudge at a time: another event while it is shown changes nothing.
  await viewProduct(page, 'Hat');
  assert.deepEqual(await actions(page), ['test_chat']);
  assert.deepEqual(await entries(page), [`experiment_viewed/${EXPERIMENT}/1`]);
  assert.deepEqual((await state(page)).experiments[EXPERIMENT], { variant: 'treatment', variation: 1 });
  await v.context.close();
});

test('preventDefault() keeps the built-in renderer away', async () => {
  const [v, page] = await nudgePage(config(1, RULES), 'window.__prevent = true;');
  await viewProduct(page, 'Coat');
  assert.deepEqual(await actions(page), ['test_chat'], 'dispatched');
  await page.waitForTimeout(100);
  assert.equal(await shown(page), false, 'the store rendered it: not us');
  // Nor was the renderer fetched at all.
  assert.equal(await page.evaluate(() => performance.getEntriesByType('resource').some((r) => /render-/.test(r.name))), false);
  await v.context.close();
});

test('the control arm only logs the exposure', async () => {
  const [v, page] = await nudgePage(config(0, RULES));
  await viewProduct(page, 'Coat');
  await viewProduct(page, 'Hat');
  assert.deepEqual(await actions(page), [], 'nothing dispatched');
  assert.equal(await shown(page), false, 'nothing rendered');
  assert.deepEqual(await entries(page), [`experiment_viewed/${EXPERIMENT}/0`]);
  assert.equal((await state(page)).experiments[EXPERIMENT].variant, 'control');
  await v.context.close();
});

test('the exposure is pushed once per visit, and closing lets the next nudge come', async () => {
  const [v, page] = await nudgePage(config(1, RULES));
  await viewProduct(page, 'Coat');
  assert.deepEqual(await actions(page), ['test_chat']);
  // The visitor closes the bubble: the next rule that holds comes at once, same experiment.
  await page.click(NUDGE + ' button');
  await settle(page);
  assert.deepEqual(await actions(page), ['test_chat', 'test_help']);
  await page.waitForFunction(() => document.querySelector('#shopper-intent-nudge[role=status]'));
  assert.deepEqual(await entries(page), [`experiment_viewed/${EXPERIMENT}/1`], 'one exposure per visit and experiment');
  await v.context.close();
});

test('a purchase after an exposure pushes the conversion', async () => {
  const [v, page] = await nudgePage(config(1, RULES));
  const purchase = { transaction_id: 'T-1', value: 99, currency: 'USD', items: [{ item_id: 'P-Coat', price: 99 }] };
  await track(page, 'purchase', purchase);
  assert.deepEqual(await entries(page), [], 'not exposed yet');
  await viewProduct(page, 'Coat');
  await track(page, 'purchase', Object.assign({}, purchase, { transaction_id: 'T-2' }));
  assert.deepEqual(await entries(page), [`experiment_viewed/${EXPERIMENT}/1`, `experiment_conversion/${EXPERIMENT}/1`]);
  assert.equal(await page.evaluate(() => window.dataLayer.filter((e) => e.event === 'experiment_conversion')[0].value), 99);
  // Our own pushes are not read back as events.
  assert.ok(!rules(await state(page)).some((r) => r.startsWith('experiment')));
  await v.context.close();
});

test('a dwell rule fires when its timer does; navigation cancels it and hides the nudge', async () => {
  const [v, page] = await nudgePage(config(1, TIMED));
  const viewed = await page.evaluate(() => Date.now());
  await pageView(page, '/products/coat');
  await page.waitForFunction(() => window.__actions.length > 0);
  assert.deepEqual(await actions(page), ['test_dwell']);
  // Not before its 0.3 s (measured in the page, so a slow machine cannot make it look early).
  const fired = await page.evaluate(() => window.__at[0]);
  assert.ok(fired - viewed >= 300, `fired ${fired - viewed} ms after the page view`);
  await page.locator(NUDGE).waitFor();
  // A nudge on screen goes with its page, and a new page's timer is its own.
  await pageView(page, '/collections/all');
  assert.equal(await shown(page), false);
  await pageView(page, '/products/coat');
  await pageView(page, '/pages/about');
  await page.waitForTimeout(600);
  assert.deepEqual(await actions(page), ['test_dwell'], "the old page's timer never fired");
  await v.context.close();
});

test('idle and exit intent fire their rules; reset() stops every timer and watcher', async () => {
  const v = await visitor();
  v.serve('/t/p.html', { config: config(1, TIMED), head: RECORD });
  const page = await v.context.newPage();
  await page.clock.install();
  await page.goto(new URL('/t/p.html', (await import('./support.mjs')).url('/')).href);
  await page.evaluate(() => window.shopperIntent.ready);
  // Exit intent: the pointer leaves through the top.
  await page.evaluate(() => document.dispatchEvent(new MouseEvent('mouseout', { clientY: -3, bubbles: true })));
  await settle(page); // the nudge engine loads on this first nudge that could be decided
  assert.deepEqual(await actions(page), ['test_exit']);
  await page.click(NUDGE + ' button');
  // Idle: ten minutes without activity.
  await page.clock.runFor(601_000);
  assert.deepEqual(await actions(page), ['test_exit', 'test_idle']);
  await page.click(NUDGE + ' button');
  // After reset(), nothing fires any more.
  await page.evaluate(() => window.shopperIntent.reset());
  await pageView(page, '/products/coat');
  await page.evaluate(() => window.shopperIntent.reset());
  await page.evaluate(() => document.dispatchEvent(new MouseEvent('mouseout', { clientY: -3, bubbles: true })));
  await page.clock.runFor(1_300_000);
  assert.deepEqual(await actions(page), ['test_exit', 'test_idle']);
  await v.context.close();
});

test('the idle and exit-intent watchers load only for a model with rules on them; a failed load is said and the scorer goes on', async () => {
  const fetched = (page) => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /\/triggers-[^/]*\.js$/.test(r.name)));
  const [v, page] = await nudgePage(config(1, RULES));
  await viewProduct(page, 'Coat');
  assert.equal(await fetched(page), false, 'no idle or exit rule: not fetched');
  await v.context.close();
  const [w, timed] = await nudgePage(config(1, TIMED));
  assert.equal(await fetched(timed), true, 'fetched before ready');
  assert.deepEqual(await timed.evaluate(() => window.__warnings), []);
  await w.context.close();
  // The chunk cannot be fetched: the scorer starts without the watchers and says why.
  const x = await visitor();
  await x.context.route(/\/triggers-[^/]*\.js$/, (route) => route.abort());
  const broken = await x.tab('/t/p.html', { config: config(1, TIMED), head: RECORD });
  // (A warning is worded by the words chunk, which loads on the first one.)
  await broken.waitForFunction(() => window.__warnings.length > 0);
  const warnings = await broken.evaluate(() => window.__warnings);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^shopper-intent: the idle and exit-intent watchers could not be loaded: those rules do not fire on this page \(TypeError/);
  await broken.evaluate(() => document.dispatchEvent(new MouseEvent('mouseout', { clientY: -3, bubbles: true })));
  await settle(broken);
  assert.deepEqual(await actions(broken), [], 'no exit intent without the watchers');
  await viewProduct(broken, 'Coat'); // tracked: it fired a signal
  await x.context.close();
});

test('reset() and a consent withdrawal hide a nudge on screen', async () => {
  for (const stop of ['reset', 'withdraw']) {
    const [v, page] = await nudgePage(config(1, RULES, { require_consent: true }));
    await page.evaluate(() => window.shopperIntent.consent({ analytics: true }));
    await viewProduct(page, 'Coat');
    await page.locator(NUDGE).waitFor();
    if (stop === 'reset') await page.evaluate(() => window.shopperIntent.reset());
    else await page.evaluate(() => window.shopperIntent.consent({ analytics: false }));
    assert.equal(await shown(page), false, stop);
    await v.context.close();
  }
});

test('an opted-out visitor gets nothing promotional', async () => {
  const [v, page] = await nudgePage(config(1, RULES));
  assert.ok((await page.evaluate(() => window.shopperIntent.identify({ unsubscribed: true }))) >= 0);
  assert.equal((await state(page)).suppressed, true);
  await viewProduct(page, 'Coat');
  // The promotional chat is skipped; the non-promotional help is not.
  assert.deepEqual(await actions(page), ['test_help']);
  assert.equal(await page.evaluate(() => window.__actions.some((a) => a.message.includes('Coat'))), false);
  await v.context.close();
});

test('a product name from the data layer arrives as inert text', async () => {
  const [v, page] = await nudgePage(config(1, RULES), 'window.__xss = false;');
  const name = '<img src=x onerror="window.__xss=true">';
  await page.evaluate((n) => window.dataLayer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'X-1', item_name: n, price: 20 }] } }), name);
  await settle(page);
  assert.deepEqual(await actions(page), ['test_chat']);
  const d = await lastAction(page);
  assert.equal(d.message, `Questions about ${name}?`);
  assert.equal(d.product, name);
  await page.locator(NUDGE).waitFor();
  assert.equal(await page.locator(NUDGE + ' img').count(), 0);
  assert.equal(await page.locator(NUDGE + ' p').textContent(), `Questions about ${name}?`);
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__xss), false);
  await v.context.close();
});

test('exposures and conversions also go to the beacon URL, with the visitor and the time', async () => {
  const BEACON = `window.__beacons = []; Object.defineProperty(navigator, 'sendBeacon', {configurable: true, writable: true,
    value: (url, body) => { window.__beacons.push([url, JSON.parse(body)]); return true; }});`;
  const [v, page] = await nudgePage(config(1, RULES, { beacon_url: '/collect' }), BEACON);
  await viewProduct(page, 'Coat');
  await track(page, 'purchase', { transaction_id: 'T-9', value: 40, items: [{ item_id: 'P-Coat', price: 40 }] });
  const sent = await page.evaluate(() => window.__beacons);
  const visitorId = (await state(page)).visitorId;
  assert.deepEqual(sent.map(([u, b]) => [u, b.event, b.experiment_id, b.variation_id, b.visitor].join(' ')), [
    `/collect experiment_viewed ${EXPERIMENT} 1 ${visitorId}`,
    `/collect experiment_conversion ${EXPERIMENT} 1 ${visitorId}`,
  ]);
  assert.ok(sent.every(([, b]) => Math.abs(b.time - Date.now()) < 60000));
  assert.equal(sent[1][1].value, 40);
  // Without the option, nothing is sent.
  const [w, plain] = await nudgePage(config(1, RULES), BEACON);
  await viewProduct(plain, 'Coat');
  assert.equal(await plain.evaluate(() => window.__beacons.length), 0);
  await v.context.close();
  await w.context.close();
});

test('a burst of events is decided once, after the store\'s call', async () => {
  const [v, page] = await nudgePage(config(1, RULES));
  const during = await page.evaluate(() => {
    const seen = [];
    for (const name of ['Coat', 'Hat', 'Scarf']) {
      window.shopperIntent.track('view_item', { items: [{ item_id: 'P-' + name, item_name: name }] });
      seen.push(window.__actions.length);
    }
    return seen;
  });
  assert.deepEqual(during, [0, 0, 0], 'nothing is decided inside track()');
  await settle(page);
  assert.deepEqual(await actions(page), ['test_chat'], 'one decision for the burst');
  assert.equal((await lastAction(page)).product, 'Scarf');
  await v.context.close();
});

// ---- the renderer and the triggers, on their own ------------------------------------------------

async function modulePage() {
  const v = await visitor();
  const page = await v.tab('/t/m.html', { noTag: true });
  return [v, page];
}

test('the renderer sets text, never HTML, and is accessible', async () => {
  const [v, page] = await modulePage();
  const r = await page.evaluate(async () => {
    const render = await import('/js/render.js');
    window.__siXss = false;
    const name = '<img src=x onerror="window.__siXss=true">';
    const message = "I noticed you've been looking at " + name + '. Can I help?';
    render.show('chat', message, () => {});
    const root = document.getElementById('shopper-intent-nudge');
    const out = { text: root.textContent, img: root.querySelector('img') === null, html: root.innerHTML.includes('&lt;img src=x') };
    await new Promise((r) => setTimeout(r, 50));
    out.xss = window.__siXss;
    render.show('banner', 'Free returns within 30 days.', () => {});
    const b = document.getElementById('shopper-intent-nudge');
    const close = b.querySelector('button');
    out.banner = [b.getAttribute('role'), b.getAttribute('aria-live'), b.getAttribute('tabindex'), b.classList.contains('si-banner'),
      close.getAttribute('aria-label'), close.getAttribute('type'), document.activeElement !== b];
    b.focus();
    out.focusable = document.activeElement === b;
    render.show('chat', 'Can I help?', () => {});
    const c = document.getElementById('shopper-intent-nudge');
    out.one = document.querySelectorAll('#shopper-intent-nudge').length;
    out.chat = [c.getAttribute('role'), c.getAttribute('aria-modal'), c.getAttribute('aria-label'), c.classList.contains('si-chat')];
    const css = document.getElementById('shopper-intent-style').textContent;
    out.reduced = css.split('@media (prefers-reduced-motion: reduce)')[1].includes('animation:none');
    const style = getComputedStyle(c);
    out.style = [style.animationName, style.position];
    render.hide();
    return out;
  });
  assert.equal(r.text, "I noticed you've been looking at <img src=x onerror=\"window.__siXss=true\">. Can I help?×");
  assert.deepEqual([r.img, r.html, r.xss], [true, true, false]);
  assert.deepEqual(r.banner, ['status', 'polite', '0', true, 'Close', 'button', true]);
  assert.equal(r.focusable, true);
  assert.equal(r.one, 1, 'one nudge at a time');
  assert.deepEqual(r.chat, ['dialog', 'false', 'Chat invitation', true]);
  assert.equal(r.reduced, true);
  assert.deepEqual(r.style, ['si-in', 'fixed']);
  await v.context.close();
});

test('Esc or the close button dismiss it once; hide() is not a dismissal', async () => {
  const [v, page] = await modulePage();
  const r = await page.evaluate(async () => {
    const render = await import('/js/render.js');
    const key = (k) => document.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
    let closed = 0;
    render.show('chat', 'Can I help?', () => closed++);
    key('Enter');
    const afterEnter = render.isShown();
    key('Escape');
    const afterEsc = [render.isShown(), closed];
    key('Escape');
    const again = closed;
    let closed2 = 0;
    render.show('banner', 'Hello', () => closed2++);
    document.querySelector('#shopper-intent-nudge button').click();
    const clicked = [render.isShown(), closed2];
    let closed3 = 0;
    render.show('banner', 'Hello', () => closed3++);
    render.hide();
    key('Escape');
    return { afterEnter, afterEsc, again, clicked, closed3 };
  });
  assert.deepEqual(r, { afterEnter: true, afterEsc: [false, 1], again: 1, clicked: [false, 1], closed3: 0 });
  await v.context.close();
});

test('a strict CSP: the nonce of the tag, or the store\'s stylesheet', async () => {
  const [v, page] = await modulePage();
  const r = await page.evaluate(async () => {
    const render = await import('/js/render.js');
    const tag = document.createElement('script');
    tag.src = '/pkg/shopper-intent.js?unused';
    tag.type = 'text/plain';
    tag.setAttribute('nonce', 'abc123');
    document.head.append(tag);
    render.show('banner', 'Hi', () => {});
    const style = document.getElementById('shopper-intent-style');
    const out = [style.tagName, style.nonce];
    render.hide();
    style.remove();
    render.show('banner', 'Hi', () => {}, { stylesheet: '/pkg/shopper-intent.css' });
    const link = document.getElementById('shopper-intent-style');
    out.push(link.tagName, link.getAttribute('href'));
    render.hide();
    return out;
  });
  assert.deepEqual(r, ['STYLE', 'abc123', 'LINK', '/pkg/shopper-intent.css']);
  await v.context.close();
});

test('the triggers: dwell re-arms and cancels, exit intent is the top edge, idle waits for quiet, cancelAll stops both', async () => {
  const [v, page] = await modulePage();
  const r = await page.evaluate(async () => {
    const { Triggers } = await import('/js/triggers.js');
    const { Dwell } = await import('/js/nudger.js');
    const wait = (ms) => new Promise((res) => setTimeout(res, ms));
    const out = {};
    const t = new Triggers();
    const dwell = new Dwell();
    let first = 0, second = 0;
    dwell.armAt(1_000_020, 1_000_000, () => first++);
    dwell.armAt(1_000_030, 1_000_000, () => second++); // replaces the first
    await wait(120);
    out.dwell = [first, second];
    const exits = [];
    t.watchExit(() => exits.push(1));
    const out_ = (y, leaving) => document.dispatchEvent(new MouseEvent('mouseout', { clientY: y, bubbles: true, relatedTarget: leaving ? null : document.body }));
    out_(300, true);
    out_(-3, false);
    out_(-3, true);
    out_(0, true);
    out.exits = exits.length;
    const idle = [];
    t.watchIdle(150, (q) => idle.push(q));
    await wait(100);
    dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    await wait(100);
    out.postponed = idle.length;
    await wait(200);
    out.once = idle.length === 1 && idle[0] >= 150;
    await wait(250);
    out.still = idle.length;
    dispatchEvent(new KeyboardEvent('keydown', { key: 'b' }));
    await wait(350);
    out.again = idle.length;
    let d = 0;
    dwell.armAt(20, 0, () => d++);
    dwell.cancel();
    t.cancelAll();
    out.armed = [!!dwell.timer, ...t.armed()];
    out_(-3, true);
    await wait(200);
    out.after = [d, exits.length, idle.length];
    return out;
  });
  assert.deepEqual(r, { dwell: [0, 1], exits: 2, postponed: 0, once: true, still: 1, again: 2, armed: [false, false, false], after: [0, 2, 2] });
  await v.context.close();
});

test('the debug switch logs every decision and refusal; ?intent-debug opens the panel on the live model', async () => {
  const v = await visitor();
  // A store's own thresholds: the panel must draw these, not the defaults.
  const cfg = Object.assign(config(1, RULES), { stages: { warm: 10, mql: 20, sql: 30 } });
  v.serve('/t/debug.html', { config: cfg, head: RECORD });
  const page = await v.context.newPage();
  await (await import('./support.mjs')).open(page, '/t/debug.html?intent-debug');
  await page.locator('#intent-panel svg').first().waitFor();
  const labels = await page.locator('#intent-panel svg text').allTextContents();
  for (const t of ['10', '20', '30']) assert.ok(labels.includes(t), `threshold ${t} drawn: ${labels}`);
  assert.ok(!labels.includes('61'), 'not the default thresholds');
  await viewProduct(page, 'Coat');
  await track(page, 'add_to_cart', { items: [] });
  await track(page, 'add_to_cart', { items: [{ price: 1 }] });
  // Refusals are worded a moment later (errors.js loads on the first).
  await page.waitForFunction(() => window.__infos.filter((m) => m.startsWith('shopper-intent: refused')).length >= 2);
  const infos = await page.evaluate(() => window.__infos);
  assert.ok(infos.some((m) => m.startsWith('shopper-intent: decision')), JSON.stringify(infos));
  assert.equal(infos.filter((m) => m.startsWith('shopper-intent: refused')).length, 2, 'every refusal, not one per kind');
  assert.ok(infos.includes('shopper-intent: refused: add_to_cart: items[0] has neither item_id nor item_name'), JSON.stringify(infos));
  await v.context.close();
});

// The nudge engine (pkg/shopper_intent_nudges_bg.wasm) is loaded only when a nudge could be
// decided, once per page, and takes over the visitor's profile exactly.
const fetched = (page, file) => page.evaluate((f) => performance.getEntriesByType('resource')
  .filter((e) => e.name.endsWith('/' + f)).length, file);
const NUDGE_WASM = 'shopper_intent_nudges_bg.wasm';

test('the nudge engine is not loaded while no nudge could be decided, nor without consent', async () => {
  // A rule for visitors who viewed the size guide (the defaults wait for more): a product view
  // alone qualifies for none.
  const sizeOnly = { test_size: { priority: 1000, message: 'Need a size?', when: [{ viewed: ['size_guide'] }] } };
  const [v, page] = await nudgePage(config(1, sizeOnly));
  await viewProduct(page, 'Coat');
  await pageView(page, '/collections/all');
  assert.equal(await fetched(page, NUDGE_WASM), 0);
  assert.deepEqual(await actions(page), []);
  await pageView(page, '/size-guide');
  assert.deepEqual(await actions(page), ['test_size']);
  await pageView(page, '/size-guide');
  assert.equal(await fetched(page, NUDGE_WASM), 1, 'fetched once');
  await v.context.close();
  // A visitor who cannot be remembered gets no nudge, so the engine is not fetched for one.
  const [w, other] = await nudgePage(config(1, RULES, { require_consent: true }));
  await viewProduct(other, 'Coat');
  assert.equal(await fetched(other, NUDGE_WASM), 0);
  await other.evaluate(() => window.shopperIntent.consent({ analytics: true }));
  await viewProduct(other, 'Coat');
  assert.deepEqual(await actions(other), ['test_chat']);
  await w.context.close();
});

test('the profile moves to the nudge engine unchanged', async () => {
  // The same journey with and without nudges: the engine with nudges loads after the first
  // product view in one, never in the other; the scores, signals and visit agree at the end.
  const journey = async (cfg) => {
    const [v, page] = await nudgePage(cfg);
    await viewProduct(page, 'Coat');
    await track(page, 'add_to_cart', { items: [{ item_id: 'P-Coat', item_name: 'Coat', price: 40 }] });
    await pageView(page, '/cart');
    await track(page, 'begin_checkout', { value: 40, currency: 'EUR', items: [{ item_id: 'P-Coat', price: 40 }] });
    await settle(page);
    const s = await state(page);
    const loaded = await fetched(page, NUDGE_WASM);
    await v.context.close();
    return [loaded, { score: s.score, stage: s.stage, intent: s.intent, value: s.value, pageViews: s.visit.pageViews, signals: s.signals.map((x) => [x.rule, x.points]) }];
  };
  const [withNudges, a] = await journey(config(1, RULES));
  const off = config(1, RULES);
  off.actions.enabled = false;
  const [without, b] = await journey(off);
  assert.deepEqual([withNudges, without], [1, 0]);
  assert.ok(a.signals.length >= 3, JSON.stringify(a));
  assert.deepEqual(a, b);
});
