// The tag words the engine's refusals itself (src/web/js/errors.js, loaded on the first one):
// for every kind of error in tests/fixtures/errors.json, which the core writes with its own
// message (src/core/error.rs, `the_fixture_holds_every_kind_with_its_message`), the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { message } from '../../src/web/js/errors.js';

const cases = JSON.parse(fs.readFileSync(new URL('../fixtures/errors.json', import.meta.url), 'utf8'));

test('errors.js words every kind of refusal as the core does', () => {
  assert.deepEqual([...new Set(cases.map((c) => c.parts.c))].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the fixture holds every code');
  for (const { parts, message: expected } of cases) assert.equal(message(parts), expected, JSON.stringify(parts));
});

test('an unknown code still says it was refused', () => {
  assert.equal(message({ c: 99, t: ['', '', '', ''], n: [-1, 0, 0] }), 'refused (error 99)');
});

test("the tag's own warnings are worded from their key and arguments", () => {
  const cases = [
    [['badName'], 'track(name, params): the name must be a short string'],
    [['unreadable', 'view_item', 'Error: boom'], 'view_item: its parameters could not be read (Error: boom); refused'],
    [['tooMany', 2000], 'more than 2000 events on one page: the oldest are no longer re-applied when consent arrives or another tab writes'],
    [['noNudges', 'Error: HTTP 404'], 'the nudge engine could not be loaded: Error: HTTP 404'],
    [['noRender', 'Error: x'], 'the built-in nudge could not be shown: Error: x'],
    [['noTriggers', 'TypeError: x'], 'the idle and exit-intent watchers could not be loaded: those rules do not fire on this page (TypeError: x)'],
    [['noShopify', 'TypeError: x'], "the Shopify adapter could not be loaded: Shopify's storefront events are not read on this page (TypeError: x)"],
    [['replaced', stateParts()], 'the stored profile was replaced: stored state: corrupt; its fields do not decode'],
    [['cleared'], 'another tab deleted the stored profile; this tab goes on as a new visitor'],
    [['failed', 'save', 'Error: x'], 'save failed: Error: x'],
    [['noStorage'], 'localStorage is unavailable; this visitor is remembered for this page only'],
    [['full'], 'localStorage refused the profile (full?); kept in memory, and saving is retried'],
    [['notArray', 'shopLayer'], 'runtime.data_layer: window.shopLayer is not an array; the data layer is not watched'],
    [['object', 'identify', null, 'string'], 'identify: the argument must be an object, not a string'],
    [['object', 'identify', 'lastPurchase', 'array'], 'identify: field `lastPurchase`: must be an object, not an array'],
    [['unknown', 'consent', 'ads', 'analytics'], 'consent: field `ads`: unknown field; expected one of analytics'],
    [['whole', 'identify', 'emailOpens30d', 'number'], 'identify: field `emailOpens30d`: must be a whole number of 0 or more, not a number'],
    [['trueFalse', 'identify', 'smsOptIn', 'string'], 'identify: field `smsOptIn`: must be true or false, not a string'],
    [['bounces', 'identify', 'bounced'], 'identify: field `bounced`: must be true, false or a whole number of bounces'],
    [['finite', 'identify', 'lastEmailOpen', 'string'], 'identify: field `lastEmailOpen`: must be a finite number, not a string'],
    // kind()'s other types (consent.js), worded as the core words them.
    [['finite', 'identify', 'lastEmailOpen', 'undefined'], 'identify: field `lastEmailOpen`: must be a finite number, not missing'],
    [['finite', 'identify', 'lastEmailOpen', 'null'], 'identify: field `lastEmailOpen`: must be a finite number, not null'],
    [['finite', 'identify', 'lastEmailOpen', 'boolean'], 'identify: field `lastEmailOpen`: must be a finite number, not a boolean'],
    [['trueFalse', 'consent', 'analytics', 'object'], 'consent: field `analytics`: must be true or false, not an object'],
    [['trueFalse', 'consent', 'analytics', 'function'], 'consent: field `analytics`: must be true or false, not an unsupported value'],
    [['time', 'identify', 'lastEmailOpen'], 'identify: field `lastEmailOpen`: must be a time in ms since 1970, as Date.now() gives it'],
    [['noTime', 'identify', 'lastPurchase.time'], "identify: field `lastPurchase.time`: is missing; it is the purchase's time in ms"],
    [['noChoice', 'consent', 'analytics'], 'consent: field `analytics`: is missing; pass {analytics: true} or {analytics: false}'],
    [['unread', 'identify', null, 'Error: boom'], 'identify: the argument could not be read (Error: boom)'],
    [['badOn', 'score, stage'], 'on(type, callback): type is one of score, stage, callback a function'],
    [['notModelFile', 'config /c.json', 'Unexpected token'], 'config /c.json is neither a model file (shopper-intent compile) nor JSON: Unexpected token'],
    [['damaged', 'config /m.bin'], 'config /m.bin: a damaged model file'],
    [['oldModel', 'inline config'], 'inline config is a model file of an older version: compile it again'],
    [['unreadModel'], 'the model does not read (compiled by another version?)'],
    [['notStarted', ['damaged', 'config /m.bin']], 'config /m.bin: a damaged model file (not started)'],
    [['notStarted', 'config /x.json: HTTP 404'], 'config /x.json: HTTP 404 (not started)'],
  ];
  for (const [words, expected] of cases) assert.equal(message(words), expected, JSON.stringify(words));
  // A key this version does not know is still shown, not lost.
  assert.equal(message(['someday', 1]), 'someday 1');
});

/** The parts of a stored-state refusal, as the fixture holds them. */
function stateParts() {
  return cases.find((c) => c.parts.c === 9).parts;
}
