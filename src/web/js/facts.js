// identify(profile): the argument read and checked here, where the store calls it; the engine
// applies the facts idempotently (src/core/identify.rs). Errors are words for errors.js, which
// names the field as the core's config errors do.

import { kind } from './consent.js';
import { isObject, wire } from './wire.js';

const FIELDS = ['emailOpens30d', 'lastEmailOpen', 'emailSubscribed', 'unsubscribed', 'bounced',
  'spamComplaint', 'smsOptIn', 'lastPurchase'];
const YES_NO = ['emailSubscribed', 'unsubscribed', 'spamComplaint', 'smsOptIn'];

class Bad {
  constructor(words) {
    this.words = words;
  }
}

/** Field `name` is wrong: `key` of errors.js's words, with value `v`. */
function field(key, name, v) {
  return new Bad([key, 'identify', name, v]);
}

const given = (v) => v !== undefined && v !== null;

function time(v, name) {
  if (!given(v)) return -1;
  if (typeof v !== 'number' || !isFinite(v)) throw field('finite', name, kind(v));
  if (!(v >= 0 && v < 9e15)) throw field('time', name);
  return Math.floor(v);
}

const whole = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4294967295;

/**
 * The facts for the engine (see Engine.identify; the purchase already in the wire format), or
 * `{error}`. Reading the argument may throw
 * (a hostile getter): the caller catches that too.
 */
export function readFacts(p) {
  try {
    if (!isObject(p)) throw field('object', null, kind(p));
    const bad = Object.keys(p).find((k) => FIELDS.indexOf(k) < 0);
    if (bad !== undefined) throw field('unknown', bad, FIELDS.join(', '));
    const opens = p.emailOpens30d;
    if (given(opens) && !whole(opens)) throw field('whole', 'emailOpens30d', kind(opens));
    let yesNo = 0;
    YES_NO.forEach((name, i) => {
      const v = p[name];
      if (!given(v)) return;
      if (typeof v !== 'boolean') throw field('trueFalse', name, kind(v));
      yesNo |= (v ? 2 : 1) << (2 * i);
    });
    const b = p.bounced;
    let bounced = -1;
    if (given(b)) {
      if (b === true) bounced = -2;
      else if (b === false) bounced = 0;
      else if (whole(b)) bounced = b;
      else throw field('bounces', 'bounced');
    }
    const lp = p.lastPurchase;
    let purchase = null;
    let purchaseTime = -1;
    if (given(lp)) {
      if (!isObject(lp)) throw field('object', 'lastPurchase', kind(lp));
      purchaseTime = time(lp.time, 'lastPurchase.time');
      if (purchaseTime < 0) throw field('noTime', 'lastPurchase.time');
      purchase = wire(lp, true);
    }
    return {
      opens: given(opens) ? opens : -1,
      lastOpen: time(p.lastEmailOpen, 'lastEmailOpen'),
      yesNo,
      bounced,
      purchase,
      purchaseTime,
    };
  } catch (e) {
    return { error: e instanceof Bad ? e.words : ['unread', 'identify', null, String(e)] };
  }
}
