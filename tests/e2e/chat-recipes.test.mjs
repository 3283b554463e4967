// The chat recipes against small fakes of the widgets' public APIs (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectChat, recipes } from '../../www/integrations/chat-recipes.js';

const XSS = '<img src=x onerror=alert(1)>';

function fakeWindow() {
  const w = new EventTarget();
  w.document = new EventTarget();
  return w;
}

function nudge(overrides = {}) {
  return {
    action: 'proactive_chat',
    kind: 'chat',
    rule: 'proactive_chat',
    experiment: 'shopper-intent-nudges',
    variant: 'treatment',
    message: `I noticed you've been looking at ${XSS}. Can I help with any questions?`,
    product: XSS,
    reason: 'stage sql, on a product page, return visit, 10 s on the page',
    ...overrides,
  };
}

/** Dispatches a nudge as the scorer does; true when a recipe handled it. */
function fire(w, detail = nudge()) {
  const event = new CustomEvent('shopper-intent:action', { detail, cancelable: true });
  return w.dispatchEvent(event) === false;
}

function recorder() {
  const calls = [];
  const fn = (...args) => { calls.push(args); };
  return { calls, fn };
}

test('intercom tracks the nudge and opens the messenger without putting our words in the visitor\'s mouth', () => {
  const w = fakeWindow();
  const intercom = recorder();
  w.Intercom = intercom.fn;
  connectChat('intercom', { target: w });
  assert.equal(fire(w), true);
  assert.deepEqual(intercom.calls, [
    ['trackEvent', 'shopper-intent-nudge', { action: 'proactive_chat', rule: 'proactive_chat', product: XSS }],
    ['showNewMessage'],
  ]);

  const w2 = fakeWindow();
  const prefilled = recorder();
  w2.Intercom = prefilled.fn;
  connectChat('intercom', { target: w2, intercomPrefill: (d) => `Hi, a question about ${d.product}` });
  fire(w2);
  assert.deepEqual(prefilled.calls[1], ['showNewMessage', `Hi, a question about ${XSS}`]);
});

test('zendesk tags the conversation and opens the messenger', () => {
  const w = fakeWindow();
  const zE = recorder();
  w.zE = zE.fn;
  connectChat('zendesk', { target: w });
  assert.equal(fire(w), true);
  assert.deepEqual(zE.calls, [
    ['messenger:set', 'conversationTags', ['shopper-intent', 'proactive_chat']],
    ['messenger', 'open'],
  ]);
});

test('tidio shows the message as the operator, as plain text', () => {
  const w = fakeWindow();
  const shown = recorder();
  w.tidioChatApi = { messageFromOperator: shown.fn, open() {} };
  connectChat('tidio', { target: w });
  assert.equal(fire(w), true);
  assert.deepEqual(shown.calls, [[nudge().message]]);
});

test('tidio still loading: the latest nudge waits for tidioChat-ready', () => {
  const w = fakeWindow();
  connectChat('tidio', { target: w });
  assert.equal(fire(w, nudge({ message: 'first' })), true);
  assert.equal(fire(w, nudge({ message: 'second' })), true);
  const shown = recorder();
  w.tidioChatApi = { messageFromOperator: shown.fn };
  w.document.dispatchEvent(new Event('tidioChat-ready'));
  w.document.dispatchEvent(new Event('tidioChat-ready'));
  assert.deepEqual(shown.calls, [['second']]);
});

test('crisp queues the operator message and opens the box', () => {
  const w = fakeWindow();
  w.$crisp = []; // Crisp's snippet defines the queue before the widget loads
  connectChat('crisp', { target: w });
  assert.equal(fire(w), true);
  assert.deepEqual(w.$crisp, [
    ['do', 'message:show', ['text', nudge().message]],
    ['do', 'chat:open'],
  ]);
});

test('banners are left to the page unless asked for, and actions can be filtered', () => {
  const w = fakeWindow();
  w.$crisp = [];
  const off = connectChat('crisp', { target: w });
  assert.equal(fire(w, nudge({ kind: 'banner', action: 'shipping_reassurance' })), false);
  assert.equal(w.$crisp.length, 0);
  off();

  connectChat('crisp', { target: w, kinds: ['chat', 'banner'], actions: ['shipping_reassurance'] });
  assert.equal(fire(w), false, 'proactive_chat is filtered out');
  assert.equal(fire(w, nudge({ kind: 'banner', action: 'shipping_reassurance', message: 'Delivery info' })), true);
  assert.deepEqual(w.$crisp[0], ['do', 'message:show', ['text', 'Delivery info']]);
});

test('a missing widget leaves the nudge to the built-in bubble and warns once', () => {
  const w = fakeWindow();
  const warnings = [];
  connectChat('intercom', { target: w, warn: (m) => warnings.push(m) });
  assert.equal(fire(w), false);
  assert.equal(fire(w), false);
  assert.deepEqual(warnings, [
    'shopper-intent: the intercom chat widget is not on this page; showing the built-in invitation instead',
  ]);
});

test('the generic callback gets the detail; false or a throw leaves the nudge to the page', () => {
  const w = fakeWindow();
  const seen = [];
  const off = connectChat((detail) => { seen.push(detail.message); }, { target: w });
  assert.equal(fire(w), true);
  assert.deepEqual(seen, [nudge().message]);
  off();
  assert.equal(fire(w), false, 'disconnected');
  assert.equal(seen.length, 1);

  connectChat(() => false, { target: w });
  assert.equal(fire(w), false);

  const w2 = fakeWindow();
  const warnings = [];
  connectChat(() => { throw new Error('widget exploded'); }, { target: w2, warn: (m) => warnings.push(m) });
  assert.doesNotThrow(() => fire(w2));
  assert.equal(fire(w2), false);
  assert.deepEqual(warnings, ['shopper-intent: the callback chat recipe failed: Error: widget exploded']);
});

test('an unknown recipe name is reported, not thrown', () => {
  const warnings = [];
  const off = connectChat('drift', { target: fakeWindow(), warn: (m) => warnings.push(m) });
  assert.equal(typeof off, 'function');
  assert.deepEqual(warnings, ['shopper-intent: no chat recipe named "drift"; the recipes are intercom, zendesk, tidio, crisp']);
  assert.deepEqual(Object.keys(recipes), ['intercom', 'zendesk', 'tidio', 'crisp']);
});
