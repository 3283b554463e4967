//! The browser adapter: the only code that uses wasm-bindgen, web-sys and js-sys.
//!
//! One scorer per page lives behind a thread-local handle; the functions exported here are the
//! module API that the loader (`src/web/loader.js`, shipped as `pkg/shopper-intent.js`) wraps
//! into `window.shopperIntent`. Only [`start`] throws (with the config error, which names the
//! field); every later call catches everything, logs once per kind with
//! `console.warn("shopper-intent: …")` and carries on. The clock is read here, never in the core.

mod clicks;
mod consent;
mod datalayer;
mod dispatch;
mod log;
mod navigation;
pub mod nudges;
mod params;
pub mod render;
mod scorer;
mod shopify;
mod storage;
pub mod triggers;

use crate::core::identify::Facts;
use crate::core::{Config, Error, Event, EventKind, Params, Value};
use dispatch::{set, Outbox};
use js_sys::{Array, Object};
use log::Warn;
use scorer::{Scorer, Source};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
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
  /** Save this long after a change, ms (default 1000, at most 60000). */
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
  /** Also send each exposure and conversion with `navigator.sendBeacon` to this URL (default none). */
  beacon_url?: string;
}

/** The config file: the scoring model (see SCORING.md) plus `runtime`. */
export interface ShopperIntentConfig {
  runtime?: RuntimeOptions;
  [field: string]: unknown;
}

/** `window.shopperIntent`. No method throws. */
export interface ShopperIntent {
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

/** The JS helpers the loader lends the scorer (they need `arguments` and `this`). */
export interface LoaderShims {
  watchDataLayer(dataLayer: unknown[], ingest: (entry: unknown, isArguments: boolean) => void): void;
  watchHistory(history: History, notify: (method: string) => void): void;
}

declare global {
  interface Window {
    shopperIntent?: ShopperIntent;
  }
  interface WindowEventMap {
    "shopper-intent:ready": CustomEvent<{ loadMs: number }>;
    "shopper-intent:score": CustomEvent<ChangeDetail>;
    "shopper-intent:stage": CustomEvent<ChangeDetail>;
    "shopper-intent:intent": CustomEvent<ChangeDetail>;
    "shopper-intent:action": CustomEvent<ActionDetail>;
  }
}
"#;

thread_local! {
    static SCORER: RefCell<Option<Scorer>> = const { RefCell::new(None) };
    /// Counts `start()` calls: listeners and hooks of an earlier start stay inert.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// The clock, read only here (core functions take the time as a parameter).
pub(crate) fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// True while the scorer started as `gen` is the current one.
pub(crate) fn current(gen: u32) -> bool {
    GENERATION.with(|g| g.get() == gen)
}

/// Runs `f` on the scorer; `None` before `start`, or when called from inside the scorer.
pub(crate) fn with<R>(f: impl FnOnce(&mut Scorer) -> R) -> Option<R> {
    let result = SCORER.with(|cell| cell.try_borrow_mut().map(|mut s| s.as_mut().map(f)));
    match result {
        Ok(r) => r,
        Err(_) => {
            log::warn(Warn::Busy, "a call from inside the scorer was skipped");
            None
        }
    }
}

/// Runs `f` on the scorer, then sends what it queued (notices, warnings, the save timer).
pub(crate) fn act<R>(f: impl FnOnce(&mut Scorer, &mut Outbox) -> R) -> Option<R> {
    let mut out = Outbox::default();
    let result = with(|s| f(s, &mut out));
    out.send();
    result
}

/// [`act`] on the scorer of start `gen` only.
pub(crate) fn act_in<R>(gen: u32, f: impl FnOnce(&mut Scorer, &mut Outbox) -> R) -> Option<R> {
    act(|s, out| (s.gen == gen).then(|| f(s, out))).flatten()
}

/// Adds an event listener for the life of the page; it does nothing after a restart.
pub(crate) fn listen(
    target: &web_sys::EventTarget,
    name: &str,
    gen: u32,
    handler: impl Fn(&web_sys::Event) + 'static,
) {
    add_listener(target, name, gen, handler, false);
}

/// [`listen`] in the capture phase.
pub(crate) fn listen_capture(
    target: &web_sys::EventTarget,
    name: &str,
    gen: u32,
    handler: impl Fn(&web_sys::Event) + 'static,
) {
    add_listener(target, name, gen, handler, true);
}

fn add_listener(
    target: &web_sys::EventTarget,
    name: &str,
    gen: u32,
    handler: impl Fn(&web_sys::Event) + 'static,
    capture: bool,
) {
    let f = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if current(gen) {
            handler(&e);
        }
    });
    let _ =
        target.add_event_listener_with_callback_and_bool(name, f.as_ref().unchecked_ref(), capture);
    f.forget();
}

/// A decoded event from any adapter, into the scorer. Returns what `track()` returns.
pub(crate) fn ingest(decoded: Result<Option<Event>, Error>, source: Source) -> i32 {
    match decoded {
        Ok(Some(mut event)) => {
            if event.kind == EventKind::PageView && event.page_location.is_none() {
                event.page_location = navigation::href();
            }
            act(|s, out| s.apply(event, source, out)).unwrap_or(0)
        }
        Ok(None) => {
            with(Scorer::unknown);
            0
        }
        Err(e) => {
            if !log::warned(Warn::Event) {
                log::warn(Warn::Event, &e.to_string());
            }
            -1
        }
    }
}

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Starts the page's one scorer (a second call replaces the first). Used by the loader.
///
/// Throws, with a message naming the field, only when the config is invalid.
#[wasm_bindgen]
pub fn start(
    #[wasm_bindgen(unchecked_param_type = "LoaderShims")] shims: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ShopperIntentConfig")] config: JsValue,
) -> Result<(), JsError> {
    let config = if config.is_undefined() || config.is_null() {
        Config::default()
    } else {
        Config::read(config).map_err(js_error)?
    };
    let model = config.compile().map_err(js_error)?;
    let runtime = config.runtime.resolve().map_err(js_error)?;
    log::reset();
    let gen = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    let now = now_ms();
    let referrer = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.referrer())
        .unwrap_or_default();
    let mut out = Outbox::default();
    let mut scorer = Scorer::new(model, runtime, gen, referrer, &mut out);
    scorer.shims = shims.clone();
    let (spa, clicks, shopify) = (
        scorer.runtime.spa,
        scorer.runtime.clicks,
        scorer.runtime.shopify,
    );
    let gpc = scorer.runtime.global_privacy_control && consent::global_privacy_control();
    let shopify_says = if shopify {
        consent::shopify_now()
    } else {
        None
    };
    let previous = SCORER
        .with(|cell| cell.try_borrow_mut().map(|mut s| s.replace(scorer)))
        .map_err(|_| {
            JsError::new("shopper-intent: start() cannot be called from a scorer callback")
        })?;
    // The previous scorer (and its save timer) goes with nothing borrowed.
    drop(previous);
    out.send();

    act(|s, out| {
        s.consent_changed(
            |c| {
                c.gpc = gpc;
                c.shopify = shopify_says;
                shopify_says.is_some_and(|say| say.granted)
            },
            now,
            out,
        )
    });
    // Checkout events a Shopify pixel saw since the last storefront page came before this page.
    if let Some(inbox) = with(|s| s.store.take_inbox()).flatten() {
        for entry in inbox.iter() {
            let (Some(Value::Text(name)), Some(Value::Number(time))) = (
                entry.get("name").map(|v| v.value()),
                entry.get("time").map(|v| v.value()),
            ) else {
                continue;
            };
            let params = entry.get("params").unwrap_or_default();
            let time = (time.max(0.0) as u64).min(now);
            ingest(Event::decode(&name, time, &params), Source::Pixel);
        }
    }
    navigation::page_view(Source::Page);
    // The data layer's replay may carry consent commands: read storage after it.
    datalayer::watch(gen);
    act(|s, out| s.load(now, out));
    if spa {
        navigation::listen(gen, &shims);
    }
    if clicks {
        clicks::listen(gen);
    }
    if shopify {
        shopify::listen(gen);
        if shopify_says.is_none() {
            consent::watch_shopify(gen);
        }
    }
    storage::listen(gen);
    let now = now_ms();
    act(|s, out| s.started(now, out));
    nudges::start(gen);
    Ok(())
}

/// Tracks any GA4-style event; returns the signals it fired, 0 if ignored, -1 if refused.
#[wasm_bindgen]
pub fn track(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EventParams")] params: JsValue,
) -> i32 {
    let Value::Text(name) = name.value() else {
        log::warn(
            Warn::Name,
            "track(name, params): the name must be a short string",
        );
        return -1;
    };
    ingest(Event::decode(&name, now_ms(), &params), Source::Api)
}

/// The visitor's score, stage, intent, value, visit and recent signals; `null` before start.
#[wasm_bindgen(unchecked_return_type = "ShopperIntentState")]
pub fn state() -> JsValue {
    let now = now_ms();
    let Some(view) = with(|s| View::of(s, now)) else {
        return JsValue::NULL;
    };
    view.to_js()
}

/// Applies what the store's server knows; returns the signals fired, -1 if refused.
#[wasm_bindgen]
pub fn identify(#[wasm_bindgen(unchecked_param_type = "IdentifyProfile")] profile: JsValue) -> i32 {
    match Facts::read(profile) {
        Ok(facts) => {
            let now = now_ms();
            act(|s, out| s.identify(facts, now, out)).unwrap_or(0)
        }
        Err(e) => {
            log::warn(Warn::Identify, &e.to_string());
            -1
        }
    }
}

/// The store's own consent choice: `{analytics: true}` allows storage, `false` deletes it.
#[wasm_bindgen]
pub fn consent(#[wasm_bindgen(unchecked_param_type = "ConsentChoice")] choice: JsValue) {
    match consent::read_choice(choice) {
        Ok(granted) => {
            let now = now_ms();
            act(|s, out| {
                s.consent_changed(
                    |c| {
                        c.api = Some(granted);
                        granted
                    },
                    now,
                    out,
                )
            });
        }
        Err(e) => log::warn(Warn::Consent, &e.to_string()),
    }
}

/// Forgets this visitor: a new visitor id, no history, and nothing left in storage.
#[wasm_bindgen]
pub fn reset() {
    let now = now_ms();
    act(|s, out| s.reset(now, out));
}

/// What `state()` reports, copied out of the scorer so the JS object is built with it free.
struct View {
    snapshot: crate::core::Snapshot,
    visitor_id: String,
    visit: crate::core::state::Visit,
    signals: Vec<crate::core::Signal>,
    /// `(experiment, variant, variation)` of each experiment the visitor is in.
    arms: Vec<(String, String, usize)>,
    local: bool,
}

impl View {
    fn of(s: &Scorer, now: u64) -> View {
        View {
            snapshot: s.profile.snapshot(&s.model, s.clamp(now)),
            visitor_id: s.profile.visitor_id.clone(),
            visit: s.profile.visit.clone(),
            signals: s.profile.signals().to_vec(),
            arms: crate::core::actions::arms(&s.profile, &s.model, s.clamp(now))
                .into_iter()
                .map(|a| (a.experiment.into(), a.variant.into(), a.variation))
                .collect(),
            local: s.persists(),
        }
    }

    fn to_js(&self) -> JsValue {
        let s = &self.snapshot;
        let o = Object::new();
        set(&o, "score", &s.score.into());
        set(&o, "stage", &s.stage.name().into());
        set(&o, "intent", &s.intent.name().into());
        set(&o, "suppressed", &s.suppressed().into());
        let reasons: Array = s.suppression.reasons().map(JsValue::from).collect();
        set(&o, "suppression", &reasons);
        set(&o, "value", &s.value.into());
        set(&o, "highValue", &s.high_value.into());
        set(&o, "visitorId", &self.visitor_id.as_str().into());
        let v = &self.visit;
        let visit = Object::new();
        let index = v.index.to_string();
        set(
            &visit,
            "id",
            &[self.visitor_id.as_str(), "-", &index].concat().into(),
        );
        set(&visit, "index", &v.index.into());
        set(&visit, "startedAt", &(v.started_ms as f64).into());
        set(&visit, "pageViews", &v.page_views.into());
        set(
            &visit,
            "landing",
            &v.landing.as_deref().map_or(JsValue::NULL, JsValue::from),
        );
        set(&visit, "channel", &v.channel.name().into());
        set(&o, "visit", &visit);
        let signals: Array = self
            .signals
            .iter()
            .map(|sig| {
                let entry = Object::new();
                set(&entry, "rule", &sig.rule.name().into());
                set(&entry, "points", &sig.points.into());
                set(&entry, "time", &(sig.time_ms as f64).into());
                JsValue::from(entry)
            })
            .collect();
        set(&o, "signals", &signals);
        let experiments = Object::new();
        for (key, variant, variation) in &self.arms {
            let arm = Object::new();
            set(&arm, "variant", &variant.as_str().into());
            set(&arm, "variation", &(*variation as u32).into());
            set(&experiments, key, &arm);
        }
        set(&o, "experiments", &experiments);
        set(
            &o,
            "storage",
            &(if self.local { "local" } else { "memory" }).into(),
        );
        o.into()
    }
}
