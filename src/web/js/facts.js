// identify(profile): the argument read and checked here, where the store calls it; the engine
// applies the facts idempotently (src/core/identify.rs). Messages name the field, as the core's
// config errors do.

import { kind } from './consent.js';
import { isObject, wire } from './wire.js';

const FIELDS = ['emailOpens30d', 'lastEmailOpen', 'emailSubscribed', 'unsubscribed', 'bounced',
  'spamComplaint', 'smsOptIn', 'lastPurchase'];
const YES_NO = ['emailSubscribed', 'unsubscribed', 'spamComplaint', 'smsOptIn'];

class Bad {
  constructor(message) {
    this.message = message;
  }
}

function field(name, why) {
  return new Bad('identify: field `' + name + '`: ' + why);
}

const given = (v) => v !== undefined && v !== null;

function time(v, name) {
  if (!given(v)) return -1;
  if (typeof v !== 'number' || !isFinite(v)) throw field(name, 'must be a finite number, not ' + kind(v));
  if (!(v >= 0 && v < 9e15)) throw field(name, 'must be a time in ms since 1970, as Date.now() gives it');
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
    if (!isObject(p)) {
      throw new Bad('identify: the argument must be an object, not ' + kind(p));
    }
    const bad = Object.keys(p).find((k) => FIELDS.indexOf(k) < 0);
    if (bad !== undefined) throw field(bad, 'unknown field; expected one of ' + FIELDS.join(', '));
    const opens = p.emailOpens30d;
    if (given(opens) && !whole(opens)) throw field('emailOpens30d', 'must be a whole number of 0 or more, not ' + kind(opens));
    let yesNo = 0;
    YES_NO.forEach((name, i) => {
      const v = p[name];
      if (!given(v)) return;
      if (typeof v !== 'boolean') throw field(name, 'must be true or false, not ' + kind(v));
      yesNo |= (v ? 2 : 1) << (2 * i);
    });
    const b = p.bounced;
    let bounced = -1;
    if (given(b)) {
      if (b === true) bounced = -2;
      else if (b === false) bounced = 0;
      else if (whole(b)) bounced = b;
      else throw field('bounced', 'must be true, false or a whole number of bounces');
    }
    const lp = p.lastPurchase;
    let purchase = null;
    let purchaseTime = -1;
    if (given(lp)) {
      if (!isObject(lp)) throw field('lastPurchase', 'must be an object, not ' + kind(lp));
      purchaseTime = time(lp.time, 'lastPurchase.time');
      if (purchaseTime < 0) throw field('lastPurchase.time', "is missing; it is the purchase's time in ms");
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
    return { error: e instanceof Bad ? e.message : 'identify: the argument could not be read (' + e + ')' };
  }
}
