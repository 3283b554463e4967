// window.shopperIntent in Chromium: config errors (logged, never thrown), track(), state()'s shape,
// the change events (and callbacks that call back in), identify(), reset(), the clock (never
// backwards; a new visit after 30 minutes), a calibrated config, a scorecard model (the scorer with
// scorecards), calls made before ready, and the engine's memory growing under a large event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../chromium.mjs';
import { useBrowser, visitor, open, NO_CONSENT, state, track, warnings, warningsOnce, errors, errorsOnce, events, stored, rules, pagehide, settle, item } from './support.mjs';

useBrowser();

test('a bad config is logged with the field at fault, and every call still takes anything', async () => {
  for (const [config, message] of [
    [{ runtime: { requireConsent: false } }, 'config field `runtime.requireConsent`: unknown field; expected one of require_consent, '
      + 'global_privacy_control, storage_key, save_delay_ms, data_layer, stage_to_data_layer, shopify, spa, clicks, beacon_url, debug, stylesheet'],
    [{ stages: { sql: 10, mql: 20 } }, 'config field `stages`: thresholds must rise from warm to mql to sql'],
    [[1, 2], 'config field `(the config)`: must be an object, not an array'],
    [{ runtime: { data_layer: 'data layer' } }, 'config field `runtime.data_layer`: must be the name of a JavaScript global, such as dataLayer'],
    // The same limits as the CLI's (one validator): a 9,000-character message.
    [{ actions: { rules: { hello: { message: 'x'.repeat(9000), when: {} } } } },
      'config field `actions.rules.hello.message`: must be a string of at most 1000 characters, not 9000'],
  ]) {
    const v = await visitor();
    const page = await v.tab('/t/bad.html', { config });
    assert.deepEqual(await errorsOnce(page), ['shopper-intent: ' + message + ' (not started)']);
    await v.context.close();
  }
  const v = await visitor();
  const page = await v.tab('/t/ok.html', {});
  const got = await page.evaluate(() => {
    const si = window.shopperIntent;
    return [si.track(42), si.track('view_item', 'nope'), si.identify(null), si.consent(undefined), si.track('page_view')];
  });
  assert.deepEqual(got, [-1, -1, -1, undefined, 0]);
  assert.deepEqual(v.logs, []);
  await v.context.close();
});

test('data-config takes a model file or a JSON config; an old JSON model or anything else is logged, not started', async () => {
  const model = fs.readFileSync(path.join(ROOT, 'pkg', 'shopper-intent.model.bin'));
  const files = {
    '/m/model.bin': model,
    '/m/config.json': JSON.stringify({ stages: { sql: 70 } }),
    '/m/old.json': JSON.stringify({ format: 'shopper-intent/model', version: 1, runtime: {}, summary: {}, model: 'AQ' }),
    '/m/text.txt': 'hello',
    '/m/damaged.bin': Buffer.concat([model.subarray(0, 8), Buffer.from('{"format"')]),
    '/m/other.bin': Buffer.concat([model.subarray(0, 8 + model.readUInt32LE(4)), Buffer.from([255, 1, 2])]),
  };
  const cases = [
    ['/m/model.bin', 61],
    ['/m/config.json', 70],
    ['/m/old.json', 'config /m/old.json is a model file of an older version: compile it again'],
    ['/m/text.txt', 'config /m/text.txt is neither a model file (shopper-intent compile) nor JSON: '],
    ['/m/damaged.bin', 'config /m/damaged.bin: a damaged model file'],
    ['/m/other.bin', 'the model does not read (compiled by another version?)'],
  ];
  for (const [file, message] of cases) {
    const v = await visitor();
    await v.context.route('**/m/*', (route) => route.fulfill({ contentType: 'application/octet-stream', body: files[new URL(route.request().url()).pathname] }));
    const page = await v.tab('/t/file.html', { tag: ` data-config="${file}"` });
    // Started: the model's SQL threshold (the default's, or the config's).
    const started = await page.evaluate(async () => (await window.shopperIntent.ready) !== null && window.shopperIntent.model.stages.sql);
    const logged = typeof message === 'number' ? await errors(page) : await errorsOnce(page);
    if (typeof message === 'number') {
      assert.deepEqual([started, logged], [message, []], file);
    } else {
      assert.equal(started, false, file);
      assert.equal(logged.length, 1, file);
      assert.ok(logged[0].startsWith('shopper-intent: ' + message), file + ': ' + logged[0]);
      assert.ok(logged[0].endsWith(' (not started)'), logged[0]);
    }
    await v.context.close();
  }
});

test('state() has the documented shape', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  await track(page, 'view_item', item('A', 149));
  const s = await state(page);
  assert.deepEqual(Object.keys(s), ['score', 'stage', 'intent', 'suppressed', 'suppression', 'value', 'highValue', 'visitorId',
    'visit', 'signals', 'experiments', 'storage']);
  assert.deepEqual(Object.keys(s.visit), ['id', 'index', 'startedAt', 'pageViews', 'landing', 'channel']);
  assert.equal(s.score, 4);
  assert.equal(s.stage, 'cold');
  assert.equal(s.intent, 'low');
  assert.equal(s.suppressed, false);
  assert.deepEqual(s.suppression, []);
  assert.equal(s.value, 149);
  assert.equal(s.highValue, false);
  assert.match(s.visitorId, /^[0-9a-f]{32}$/);
  assert.equal(s.visit.id, s.visitorId + '-1');
  assert.ok(Math.abs(Date.now() - s.visit.startedAt) < 60000);
  assert.equal(s.visit.landing, '/t/p.html');
  assert.equal(s.visit.channel, 'direct');
  assert.deepEqual(Object.keys(s.signals[1]), ['rule', 'points', 'time']);
  assert.equal(s.signals[1].points, 2);
  // Every visitor has an arm in the default holdout (sticky: a hash of the visitor id).
  assert.deepEqual(Object.keys(s.experiments), ['shopper-intent-nudges']);
  assert.deepEqual(Object.keys(s.experiments['shopper-intent-nudges']), ['variant', 'variation']);
  assert.equal(s.storage, 'local');
  await v.context.close();
});

test('track() reports what it did; a refusal is logged once, with the reason', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  assert.equal(await track(page, 'view_item', item('A', 1)), 1);
  assert.equal(await track(page, 'my_custom_event', {}), 0, 'unknown: ignored');
  assert.equal(await track(page, 'add_to_cart', { items: [] }), -1, 'refused');
  assert.equal(await track(page, 'add_to_cart', { items: [{ price: 1 }] }), -1);
  assert.deepEqual(await warningsOnce(page), ['shopper-intent: add_to_cart: items is missing or empty; this event needs at least one item']);
  assert.equal(await page.evaluate(() => window.shopperIntent.track('view_item')), -1);
  await v.context.close();
});

test('changes are announced once per burst, and listeners may call back in (or throw)', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  const result = await page.evaluate(async () => {
    window.__events = [];
    window.__nested = null;
    const onStage = (e) => {
      window.__nested = [e.detail.stage, window.shopperIntent.track('view_item', { items: [{ item_id: 'N' }] })];
      throw new Error('a buggy store listener');
    };
    addEventListener('shopper-intent:stage', onStage);
    const si = window.shopperIntent;
    si.track('add_to_cart', { items: [{ item_id: 'A', item_name: 'Item A', price: 10 }] });
    await 0;
    si.track('begin_checkout', {});
    await new Promise((r) => setTimeout(r, 0));
    removeEventListener('shopper-intent:stage', onStage);
    const seen = window.__events.map(([t, d]) => t + ':' + d.previous);
    window.__events = [];
    si.state();
    si.track('my_custom_event', {});
    await new Promise((r) => setTimeout(r, 0));
    return { seen, nested: window.__nested, score: si.state().score, after: window.__events.length };
  });
  // The stage listener's nested track is announced in its own burst, after the stage.
  assert.deepEqual(result.seen, ['score:2', 'intent:low', 'score:17', 'stage:cold', 'score:42']);
  assert.deepEqual(result.nested, ['mql', 1]);
  assert.equal(result.score, 44);
  assert.equal(result.after, 0, 'nothing changed, nothing dispatched');
  await v.context.close();
});

test('identify() applies what the server knows, once', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  const report = { emailOpens30d: 3, smsOptIn: true };
  const identify = (p, r) => p.evaluate((x) => window.shopperIntent.identify(x), r);
  assert.equal(await identify(page, report), 4);
  const score = (await state(page)).score;
  assert.equal(score, 2 + 3 + 5);
  // Every page load reports the same facts: no more points.
  assert.equal(await identify(page, report), 0);
  await pagehide(page);
  const next = await v.tab('/t/p.html');
  assert.equal(await identify(next, report), 0);
  assert.equal((await state(next)).score, score);
  assert.equal(await identify(next, { unsubscribed: true }), 1);
  const s = await state(next);
  assert.equal(s.suppressed, true);
  assert.deepEqual(s.suppression, ['opted_out']);
  assert.equal(await identify(next, { email: 'me@example.com' }), -1);
  assert.match((await warningsOnce(next))[0], /^shopper-intent: identify: field `email`: unknown field/);
  await v.context.close();
});

test('identify() names the field at fault', async () => {
  const v = await visitor();
  // The debug switch logs every refusal, not one per kind.
  const page = await v.tab('/t/p.html', { config: { runtime: { require_consent: false, debug: true } } });
  const got = await page.evaluate(async () => {
    const out = [];
    for (const report of [
      { emailOpens: 3 },
      { emailOpens30d: -1 },
      { bounced: 'yes' },
      { lastPurchase: { items: [] } },
      'me@example.com',
      { lastPurchase: { time: 1, items: [{ price: 3 }] } },
      { lastEmailOpen: 'yesterday' },
      { smsOptIn: 'yes' },
      Object.defineProperty({}, 'emailOpens30d', { enumerable: true, get() { throw new Error('boom'); } }),
    ]) {
      window.__warnings = [];
      const fired = window.shopperIntent.identify(report);
      // The engine's refusals are worded a moment later (errors.js).
      for (let i = 0; i < 200 && !window.__warnings.length; i++) await new Promise((r) => setTimeout(r, 10));
      out.push([fired, window.__warnings.join(' | ')]);
    }
    return out;
  });
  const f = (name, why) => 'shopper-intent: identify: field `' + name + '`: ' + why;
  assert.deepEqual(got, [
    [-1, f('emailOpens', 'unknown field; expected one of emailOpens30d, lastEmailOpen, emailSubscribed, unsubscribed, '
      + 'bounced, spamComplaint, smsOptIn, lastPurchase')],
    [-1, f('emailOpens30d', 'must be a whole number of 0 or more, not a number')],
    [-1, f('bounced', 'must be true, false or a whole number of bounces')],
    [-1, f('lastPurchase.time', "is missing; it is the purchase's time in ms")],
    [-1, 'shopper-intent: identify: the argument must be an object, not a string'],
    [-1, 'shopper-intent: purchase: items[0] has neither item_id nor item_name'],
    [-1, f('lastEmailOpen', 'must be a finite number, not a string')],
    [-1, f('smsOptIn', 'must be true or false, not a string')],
    [-1, 'shopper-intent: identify: the argument could not be read (Error: boom)'],
  ]);
  await v.context.close();
});

test('reset() forgets the visitor everywhere', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  await track(page, 'add_to_cart', item('A', 300));
  await pagehide(page);
  const visitorId = (await state(page)).visitorId;
  assert.ok(await stored(page));
  await page.evaluate(() => window.shopperIntent.reset());
  assert.equal(await stored(page), null);
  const s = await state(page);
  assert.notEqual(s.visitorId, visitorId);
  assert.deepEqual([s.score, s.value, s.stage], [0, 0, 'cold']);
  await v.context.close();
});

test('the clock never runs backwards, and 30 minutes start a new visit', async () => {
  const v = await visitor();
  v.serve('/t/clock.html', { config: NO_CONSENT });
  const page = await v.context.newPage();
  await page.clock.install({ time: Date.UTC(2026, 0, 5, 10) });
  await open(page, '/t/clock.html');
  await track(page, 'view_item', item('A', 1));
  // The device clock jumps back an hour: events are clamped, not refused.
  await page.clock.setSystemTime(Date.UTC(2026, 0, 5, 9));
  assert.equal(await track(page, 'view_item', item('B', 1)), 1);
  assert.equal((await state(page)).visit.index, 1);
  // 31 minutes of inactivity: a new visit, and a return visit.
  await page.clock.setSystemTime(Date.UTC(2026, 0, 5, 10, 31));
  await track(page, 'view_item', item('C', 1));
  const s = await state(page);
  assert.equal(s.visit.index, 2);
  assert.ok(rules(s).includes('return_visit'));
  await v.context.close();
});

test('a calibrated config loads unchanged and is the model that scores', async () => {
  // What `shopper-intent calibrate` wrote for the REES46 sample: add_to_cart 14, site_visit 5, SQL from 16.9.
  const calibrated = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'calibrated-rees46.json'), 'utf8'));
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: calibrated });
  assert.deepEqual(rules(await state(page)), ['site_visit']);
  assert.ok((await track(page, 'add_to_cart', item('SKU-1', 49))) > 0);
  const s = await state(page);
  assert.deepEqual(rules(s), ['site_visit', 'add_to_cart']);
  // Under the default model this visitor has 2 + 15 = 17 points and is cold.
  assert.ok(Math.abs(s.score - 19) < 0.05, `score ${s.score}`);
  assert.equal(s.stage, 'sql');
  await v.context.close();
});

test('a model with a scorecard is scored by the scorer with scorecards: after the model, or at once with data-scorecard', async () => {
  // The first case of tests/vectors/scorecard.json: its rules at 0 points, bins that give 16 for one view.
  const card = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'scorecard.json'), 'utf8')).cases[0];
  for (const [tag, fetched] of [['', ['shopper_intent_bg.wasm', 'shopper_intent_card_bg.wasm']], [' data-scorecard', ['shopper_intent_card_bg.wasm']]]) {
    const v = await visitor();
    const wasm = [];
    v.context.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(path.basename(new URL(r.url()).pathname)));
    const page = await v.tab('/t/card.html', { config: card.config, tag });
    await track(page, 'view_item', { items: [{ item_id: 'A' }] });
    const s = await state(page);
    assert.equal(s.score, card.events[0].expect.score, tag);
    assert.equal(s.stage, 'cold', tag);
    await track(page, 'view_item', { items: [{ item_id: 'B' }] });
    await track(page, 'view_item', { items: [{ item_id: 'A' }] });
    assert.equal((await state(page)).score, card.events[2].expect.score, tag);
    // The config compiler, then the scorer(s): the one without scorecards is not fetched with the hint.
    assert.deepEqual(wasm.filter((f) => f !== 'shopper_intent_compiler_bg.wasm').sort(), fetched, tag);
    assert.deepEqual(v.logs, [], tag);
    await v.context.close();
  }
});

test('calls made before the scorer is ready are queued and replayed; ready resolves with the API', async () => {
  const v = await visitor();
  // identify() on DOMContentLoaded, and a queue filled before the tag even ran.
  const page = await v.tab('/t/early.html', {
    config: NO_CONSENT,
    head: `window.shopperIntentQ = [['track', 'view_item', {items: [{item_id: 'Q'}]}]];
      document.addEventListener('DOMContentLoaded', () => {
        window.__early = [window.shopperIntent.identify({emailOpens30d: 2}), window.shopperIntent.state()];
      });`,
  });
  const r = await page.evaluate(async () => {
    const api = await window.shopperIntent.ready;
    return { early: window.__early, same: api === window.shopperIntent, s: api.state() };
  });
  assert.deepEqual(r.early, [-1, null], 'before ready: queued, and no state yet');
  assert.equal(r.same, true);
  assert.deepEqual(rules(r.s), ['site_visit', 'email_open', 'email_open', 'product_view']);
  assert.deepEqual(v.logs, []);
  await v.context.close();
});

test('per-item limits hold for any number of items (10,000 adds over 1,000 SKUs)', async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  const r = await page.evaluate(() => {
    const si = window.shopperIntent;
    let fired = 0;
    for (let i = 0; i < 10000; i++) fired += si.track('add_to_cart', { items: [{ item_id: 'SKU-' + (i % 1000), price: 1 }] });
    const score = si.state().score;
    let again = 0;
    for (let i = 0; i < 1000; i++) again += si.track('add_to_cart', { items: [{ item_id: 'SKU-' + i, price: 1 }] });
    return { fired, score, again };
  });
  // At most once per item per visit, whatever the number of items; nothing grows without bound.
  assert.ok(r.fired <= 1000 && r.fired >= 800, `${r.fired} adds fired`);
  assert.ok(r.score <= 2 + 15 * 1000, `score ${r.score}`);
  assert.equal(r.again, 0);
  await v.context.close();
});

test("the engine's memory grows under a 2 MB event, and every record read after it is right", async () => {
  const v = await visitor();
  const page = await v.tab('/t/p.html', { config: NO_CONSENT });
  const r = await page.evaluate(() => {
    const si = window.shopperIntent;
    const first = si.track('view_item', { items: [{ item_id: 'A', price: 1 }] });
    // 250 items of 8,000-character names: 2 MB of input, more than the engine's memory holds, so
    // it grows (its old buffer is detached); the core refuses more than 200 items.
    const name = 'x'.repeat(8000);
    const big = si.track('add_to_cart', { items: Array.from({ length: 250 }, (_, i) => ({ item_id: 'B' + i, item_name: name, price: 1 })) });
    const after = si.track('add_to_cart', { items: [{ item_id: 'A', item_name: 'Linen shirt', price: 5 }] });
    return { first, big, after, state: si.state() };
  });
  assert.deepEqual([r.first, r.big, r.after], [1, -1, 1]);
  assert.deepEqual(await warningsOnce(page), ['shopper-intent: add_to_cart: items has 250 elements; GA4 allows at most 200']);
  assert.deepEqual(rules(r.state).sort(), ['add_to_cart', 'product_view', 'site_visit']);
  assert.equal(r.state.value, 5);
  await v.context.close();
});
