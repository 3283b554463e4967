// On-device memory: one localStorage entry per visitor, `<clock>|<Profile::encode()>`.
//
// The clock lists, per tab, the sequence number of that tab's last operation included in the
// profile (`a1b2c3d4:17,…`, at most 8 tabs). It lets a tab that finds another tab's newer profile
// re-apply exactly its own operations that are missing from it (see Scorer.adopt).
//
// Missing, disabled or full storage falls back to memory; nothing here throws.

const MAX_TABS = 8;

export class Store {
  constructor(key, warn) {
    this.key = key;
    this.warn = warn;
    // `opened`, on first use: localStorage, or null when it is unavailable.
  }

  /** localStorage, opened on first use: the first access is a blocking call to the browser (the
   * largest part of our start, measured), and a page without consent never needs it. */
  get area() {
    if (!this.opened) {
      this.opened = true;
      try {
        // `window.localStorage` throws when storage is disabled (e.g. cookies blocked).
        this.opened = window.localStorage || null;
      } catch (e) {
        this.opened = null;
      }
      if (!this.opened) this.warn('storage', ['noStorage']);
    }
    return this.opened;
  }

  read() {
    try {
      return this.area?.getItem(this.key) ?? null;
    } catch (e) {
      return null;
    }
  }

  /** Stores `text`; false when the browser refuses (full). The next save tries again. */
  write(text) {
    if (!this.area) return false;
    try {
      this.area.setItem(this.key, text);
      return true;
    } catch (e) {
      this.warn('full', ['full']);
      return false;
    }
  }

  remove() {
    try {
      if (this.area) {
        this.area.removeItem(this.key);
        this.area.removeItem(this.key + ':inbox');
      }
    } catch (e) {
      /* nothing to delete then */
    }
  }

  /** Takes the events a Shopify custom pixel left in `<key>:inbox` (checkout events no storefront
   * page sees; see www/integrations/shopify-pixel.js): `[{name, time, params}]`, removed once read. */
  takeInbox() {
    try {
      const key = this.key + ':inbox';
      const text = this.area?.getItem(key);
      if (!text) return [];
      this.area.removeItem(key);
      const list = JSON.parse(text);
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }
}

/** Per tab, the last of its operations included in a stored profile. */
export function parseEntry(entry) {
  const bar = entry.indexOf('|');
  const clock = new Map();
  if (bar < 0) return [clock, entry];
  entry.slice(0, bar).split(',').slice(0, MAX_TABS).forEach((pair) => {
    const [tab, seq] = pair.split(':');
    const n = Number(seq);
    if (tab && Number.isInteger(n)) clock.set(tab, n);
  });
  return [clock, entry.slice(bar + 1)];
}

/** Records `seq` for `tab`, forgetting the least recently written tab when full. */
export function setClock(clock, tab, seq) {
  clock.delete(tab);
  if (clock.size >= MAX_TABS) clock.delete(clock.keys().next().value);
  clock.set(tab, seq);
}

export function joinEntry(clock, body) {
  return Array.from(clock, ([t, s]) => t + ':' + s).join(',') + '|' + body;
}

/** Random lowercase hex of `bytes` bytes (crypto.getRandomValues; Math.random without it). */
export function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  try {
    crypto.getRandomValues(a);
  } catch (e) {
    for (let i = 0; i < bytes; i++) a[i] = (Math.random() * 256) | 0;
  }
  return Array.from(a, (b) => (b + 256).toString(16).slice(1)).join('');
}
