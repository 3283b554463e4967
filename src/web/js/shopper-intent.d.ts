// Types of the shopper-intent tag (pkg/shopper-intent.js): window.shopperIntent and its events.
/** Lead stage, from the score: cold < 21 ≤ warm < 41 ≤ mql < 61 ≤ sql (defaults). */
export type Stage = "cold" | "warm" | "mql" | "sql";
/** Intent tier over the last 7 days. */
export type IntentTier = "none" | "low" | "mid" | "high";
/** How the visit reached the store. */
export type Channel = "direct" | "email" | "sms" | "paid_search" | "paid_social" | "organic" | "referral";
/** Why a visitor gets no promotional nudges. */
export type SuppressionReason = "opted_out" | "bounced";

/** A GA4 item. `item_id` or `item_name` is required; numbers may be numeric strings. */
export interface GA4Item {
  item_id?: string | number;
  item_name?: string;
  item_category?: string;
  price?: number | string;
  quantity?: number | string;
  coupon?: string;
  [param: string]: unknown;
}

/** GA4 event parameters, at the top level or inside `ecommerce` (as GTM pushes them). */
export interface EventParams {
  items?: GA4Item[];
  value?: number | string;
  currency?: string;
  coupon?: string;
  page_location?: string;
  page_referrer?: string;
  ecommerce?: EventParams | null;
  [param: string]: unknown;
}

/** One scoring signal: the rule that fired, its points (before decay) and when (ms). */
export interface Signal {
  rule: string;
  points: number;
  time: number;
}

/** The current (or last) visit. */
export interface VisitState {
  /** `<visitorId>-<index>`. */
  id: string;
  /** 1 for the first visit this device remembers (on Safari: "unknown", not "new"). */
  index: number;
  /** ms since 1970. */
  startedAt: number;
  pageViews: number;
  /** Landing path, without the query string. */
  landing: string | null;
  channel: Channel;
}

/** What `shopperIntent.state()` returns. */
export interface ShopperIntentState {
  score: number;
  stage: Stage;
  intent: IntentTier;
  suppressed: boolean;
  suppression: SuppressionReason[];
  /** Cart value, or the highest viewed price when the cart is empty. */
  value: number;
  highValue: boolean;
  /** Random, first-party, stored with the profile. */
  visitorId: string;
  visit: VisitState;
  /** The most recent signals, oldest first. */
  signals: Signal[];
  /** Experiment id → this visitor's arm: variant name and variation index. */
  experiments: Record<string, { variant: string; variation: number }>;
  /** `"local"`: kept on this device; `"memory"`: this page only (no consent, or no storage). */
  storage: "local" | "memory";
}

/** What the store's server knows (e.g. from its email platform); all fields optional. */
export interface IdentifyProfile {
  /** Emails opened in the last 30 days. */
  emailOpens30d?: number;
  /** When the last email was opened, ms since 1970. */
  lastEmailOpen?: number;
  emailSubscribed?: boolean;
  /** Unsubscribed from email: suppresses promotional nudges. */
  unsubscribed?: boolean;
  /** `true` for an address marked as bouncing, or the number of bounces in 30 days. */
  bounced?: boolean | number;
  spamComplaint?: boolean;
  /** Opted in to SMS; a later `false` is an opt-out. */
  smsOptIn?: boolean;
  /** The last purchase: GA4 `purchase` parameters plus its `time` (ms). */
  lastPurchase?: EventParams & { time: number };
}

/** The store's own consent choice. */
export interface ConsentChoice {
  analytics: boolean;
}

/** `detail` of `shopper-intent:score|stage|intent` events and `on()` callbacks. */
export interface ChangeDetail {
  score: number;
  stage: Stage;
  intent: IntentTier;
  /** The score, stage or intent tier before the change. */
  previous: number | string;
}

/** `detail` of `shopper-intent:action` (the on-page nudges). The event is cancelable: a listener
 * that renders the nudge itself calls `preventDefault()`, and the built-in banner/bubble stays away. */
export interface ActionDetail {
  action: string;
  /** How a generic renderer shows it. */
  kind: "chat" | "banner";
  rule: string;
  experiment: string | null;
  variant: string | null;
  message: string;
  product: string | null;
  reason: string;
}

/** The browser runtime's options: the `runtime` section of the config. */
export interface RuntimeOptions {
  /** Store nothing until a consent signal grants analytics storage (default true). */
  require_consent?: boolean;
  /** Treat `navigator.globalPrivacyControl` as a refusal (default true). */
  global_privacy_control?: boolean;
  /** The localStorage key (default "shopper-intent"). */
  storage_key?: string;
  /** Save this long after the last change, ms, and at the latest 5 times as long after the first unsaved one (default 1000, at most 60000). */
  save_delay_ms?: number;
  /** The GA4/GTM data layer global (default "dataLayer"). */
  data_layer?: string;
  /** Push `{event: "intent_stage", …}` on each stage change (default true). */
  stage_to_data_layer?: boolean;
  /** Read Shopify's storefront events and customer privacy API (default true). */
  shopify?: boolean;
  /** Count SPA navigations and back-forward restores as page views (default true). */
  spa?: boolean;
  /** Turn clicks on `data-intent` elements into events (default true). */
  clicks?: boolean;
  /** Also send each exposure and conversion with `navigator.sendBeacon` to this URL (default none):
   * the data layer entry plus `visitor` and `time`, which `shopper-intent ab-report` reads. */
  beacon_url?: string;
  /** Log every refused event and every nudge decision (default false; also `?intent-debug`). */
  debug?: boolean;
  /** A stylesheet for the built-in nudge, linked instead of an inline style (strict CSP). */
  stylesheet?: string;
}

/** The config file: the scoring model (see SCORING.md) plus `runtime`. */
export interface ShopperIntentConfig {
  runtime?: RuntimeOptions;
  [field: string]: unknown;
}

/** The model's thresholds and half-life (the model file's `summary`), for the intent panel. */
export interface ModelSummary {
  stages: { sql: number; mql: number; warm: number };
  decay_half_life_days: number;
  intent_window_days: number;
}

/** `window.shopperIntent`, there as soon as the tag runs. No method throws. Calls made before the
 * scorer is ready are queued and replayed in order (they return -1 or undefined meanwhile), and
 * `state()` is `null` until then. */
export interface ShopperIntent {
  /** Resolves with the API once the scorer has started, or with `null` when it could not start
   * (the reason is on the console). */
  ready: Promise<ShopperIntent | null>;
  /** The live model's thresholds and half-life, once ready. */
  model?: ModelSummary;
  /** Resolves once the work earlier calls started is done: the nudge decision after a burst of
   * events, and the nudge engine or the renderer when one was being loaded. For tests: track,
   * `await settled()`, then look at the page. */
  settled(): Promise<void>;
  /** Tracks any GA4-style event; returns the signals it fired, 0 if ignored, -1 if refused. */
  track(name: string, params?: EventParams): number;
  state(): ShopperIntentState;
  /** Calls `callback` on each change; returns the function that unsubscribes. */
  on(type: "stage" | "intent" | "score", callback: (detail: ChangeDetail) => void): () => void;
  on(type: "action", callback: (detail: ActionDetail) => void): () => void;
  /** Applies what the store's server knows; repeating the same report changes nothing. */
  identify(profile: IdentifyProfile): number;
  consent(choice: ConsentChoice): void;
  /** Forgets this visitor and deletes what was stored. */
  reset(): void;
}

declare global {
  interface Window {
    shopperIntent?: ShopperIntent;
    /** Calls queued before the tag ran: `[method, ...args]` entries. */
    shopperIntentQ?: unknown[][];
  }
  interface WindowEventMap {
    /** `loadMs`: from the tag's start to ready; `startMs`: the synchronous start (main-thread). */
    "shopper-intent:ready": CustomEvent<{ loadMs: number; startMs: number }>;
    "shopper-intent:score": CustomEvent<ChangeDetail>;
    "shopper-intent:stage": CustomEvent<ChangeDetail>;
    "shopper-intent:intent": CustomEvent<ChangeDetail>;
    "shopper-intent:action": CustomEvent<ActionDetail>;
  }
}
