// Consent: Google Consent Mode's analytics_storage, Shopify's customer privacy API,
// navigator.globalPrivacyControl and shopperIntent.consent(). The most restrictive signal wins.
// Without consent (when the config requires it) nothing is read from or written to storage.

import { isObject } from './wire.js';

/** The consent signals seen on this page: gpc, google, shopify (each say is {granted, chosen})
 * and api (true or false), each undefined until seen. */
export class Consent {
  constructor(require) {
    this.require = require;
  }

  /** Storing is allowed: nothing refuses it, and something grants it when required. */
  allowed() {
    const says = [this.google?.granted, this.shopify?.granted, this.api];
    return !this.gpc && says.indexOf(false) < 0 && (!this.require || says.indexOf(true) >= 0);
  }

  /** The visitor refused storage (not merely a default): what was stored must go. */
  refused() {
    const no = (s) => s?.chosen && !s.granted;
    return this.gpc || no(this.google) || no(this.shopify) || this.api === false;
  }
}

/** analytics_storage of gtag('consent', 'default' | 'update', params). */
export function googleSay(command, params) {
  const chosen = command === 'update';
  if (!chosen && command !== 'default') return null;
  const v = params?.analytics_storage;
  return v === 'granted' || v === 'denied' ? { granted: v === 'granted', chosen } : null;
}

/** Shopify.customerPrivacy.analyticsProcessingAllowed(), when the API is loaded. It mixes region
 * defaults with the visitor's choice, so it never counts as a refusal by itself. */
export function shopifyNow() {
  try {
    const p = window.Shopify?.customerPrivacy;
    const f = p?.analyticsProcessingAllowed;
    if (typeof f !== 'function') return null;
    const granted = f.call(p);
    return typeof granted === 'boolean' ? { granted, chosen: false } : null;
  } catch (e) {
    return null;
  }
}

/** navigator.globalPrivacyControl === true. */
export function globalPrivacyControl() {
  try {
    return navigator.globalPrivacyControl === true;
  } catch (e) {
    return false;
  }
}

/** consent({analytics}): the store's own banner. Returns the choice, or the error's words (errors.js). */
export function readChoice(choice) {
  if (!isObject(choice)) return { error: ['object', 'consent', null, kind(choice)] };
  const bad = Object.keys(choice).find((k) => k !== 'analytics');
  if (bad !== undefined) return { error: ['unknown', 'consent', bad, 'analytics'] };
  const v = choice.analytics;
  if (v === undefined || v === null) return { error: ['noChoice', 'consent', 'analytics'] };
  if (typeof v !== 'boolean') return { error: ['trueFalse', 'consent', 'analytics', kind(v)] };
  return { granted: v };
}

/** A JS value's type, for the words errors.js gives it (as the core names types: `KINDS`). */
export function kind(v) {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
