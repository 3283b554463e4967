// One adapter per library: `load` is the HTML a store would paste (with every network send pointed
// at the bench server's sink), and calls `__bench.ready()` when the library says it is ready;
// `trackOne` is the source of `(i) => …`, one tracked event for event number i, installed once the
// page is ready. The same 'view_item' with one item (a different id each time) goes to each.
//
// Paths: /pkg/ is the repo's pkg/, /nm/ is tests/node_modules/, /sink/ swallows every send.

const item = `{ items: [{ item_id: 'SKU' + i, price: 10 }] }`;

/** Ours, the real one-tag install: the loader finds its glue and wasm and announces itself. */
export const shopperIntentTag = {
  id: 'shopper-intent',
  label: 'shopper-intent',
  api: "one-tag: <script type=module src=/pkg/shopper-intent.js>, window.shopperIntent.track('view_item', …)",
  // The runtime saves its profile after a delay (never per event): give that write time to land.
  settleMs: 1500,
  load: `
<script>
  // Consent granted up front (Google Consent Mode), so the profile may be stored and measured.
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('consent', 'default', { analytics_storage: 'granted', ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted' });
  addEventListener('shopper-intent:ready', () => __bench.ready());
  document.addEventListener('shopper-intent:ready', () => __bench.ready());
</script>
<script type="module" src="/pkg/shopper-intent.js"></script>
<script type="module">
  if (window.shopperIntent && window.shopperIntent.ready && window.shopperIntent.ready.then) shopperIntent.ready.then(() => __bench.ready());
  __bench.stateSize = async () => {
    const read = () => {
      const o = {};
      for (let k = 0; k < localStorage.length; k++) o[localStorage.key(k)] = localStorage.getItem(localStorage.key(k)).length;
      return o;
    };
    // The profile is written after a delay, never per event: wait for the write (at most 3 s).
    const before = JSON.stringify(read());
    const t = performance.now();
    while (performance.now() - t < 3000 && JSON.stringify(read()) === before) await new Promise((r) => setTimeout(r, 50));
    const entries = read();
    let state = null;
    try { state = JSON.parse(JSON.stringify(window.shopperIntent.state())); } catch (e) { state = String(e); }
    const sizes = Object.values(entries);
    return { encodedBytes: sizes.length ? Math.max(...sizes) : null, storageEntries: entries, state };
  };
</script>`,
  trackOne: `(i) => shopperIntent.track('view_item', ${item})`,
};

/** Ours before the runtime lands: the wasm-bindgen glue and `Scorer`, the same core and wasm. */
export const shopperIntentScorer = {
  id: 'shopper-intent',
  label: 'shopper-intent',
  api: "wasm-bindgen glue: import init, {Scorer} from /pkg/shopper_intent.js; scorer.track('view_item', …, Date.now())",
  settleMs: 300, // sends nothing, saves nothing
  load: `
<script type="module">
  import init, { Scorer } from '/pkg/shopper_intent.js';
  const wasm = await init();
  window.__si = { scorer: new Scorer(undefined), memory: wasm.memory, refused: 0 };
  // The same calls on another visitor, to warm the code before the growth measurement.
  const spare = new Scorer(undefined);
  __bench.warm = (from, n) => {
    for (let i = from; i < from + n; i++) spare.track('view_item', { items: [{ item_id: 'W' + i, price: 10 }] }, Date.now());
  };
  // Scorer exposes no encoded profile; the wasm linear memory shows whether the state grows.
  __bench.stateSize = async () => ({ encodedBytes: null, wasmMemoryBytes: __si.memory.buffer.byteLength, refused: __si.refused });
  __bench.ready();
</script>`,
  trackOne: `(i) => { if (__si.scorer.track('view_item', ${item}, Date.now()) < 0) __si.refused++; }`,
};

/** PostHog's CDN build (the file its snippet loads), captures batched to the sink. */
export const posthog = {
  id: 'posthog-js',
  label: 'posthog-js',
  api: "dist/array.js + posthog.init(token, {api_host: sink}); posthog.capture('view_item', …)",
  // Captures are queued and flushed every 3 s (DEFAULT_FLUSH_INTERVAL_MS): wait for that flush.
  settleMs: 3500,
  load: `
<script src="/nm/posthog-js/dist/array.js"></script>
<script>
  posthog.init('phc_bench', {
    api_host: location.origin + '/sink/ph',
    // Its client-side limiter drops bursts past 100 events; lifted so every capture is processed.
    rate_limiting: { events_per_second: 1e6, events_burst_limit: 1e7 },
    // It drops every event from an automated browser (navigator.webdriver); its switch for tests.
    opt_out_useragent_filter: true,
    loaded: () => __bench.ready(),
  });
</script>`,
  trackOne: `(i) => posthog.capture('view_item', ${item})`,
};

/** Snowplow's browser tracker (its npm UMD bundle, dependencies included), the standard tag. */
export const snowplow = {
  id: 'snowplow',
  label: '@snowplow/browser-tracker',
  api: "dist/index.umd.min.js + newTracker('sp', sink) + trackPageView(); trackSelfDescribingEvent({schema, data})",
  settleMs: 1000,
  load: `
<script src="/nm/@snowplow/browser-tracker/dist/index.umd.min.js"></script>
<script>
  snowplowBrowserTracking.newTracker('sp', location.origin + '/sink/sp', { appId: 'bench' });
  snowplowBrowserTracking.trackPageView();
  __bench.ready();
</script>`,
  trackOne: `(i) => snowplowBrowserTracking.trackSelfDescribingEvent({ event: { schema: 'iglu:com.example/view_item/jsonschema/1-0-0', data: ${item} } })`,
};

// Ten features, each a 50/50 experiment on the visitor id, the nearest thing to our nudge holdouts.
const features = Object.fromEntries(
  Array.from({ length: 10 }, (_, k) => [
    `nudge-${k}`,
    { defaultValue: false, rules: [{ key: `nudge-${k}`, variations: [false, true], weights: [0.5, 0.5], hashAttribute: 'id', coverage: 1 }] },
  ]),
);

/** GrowthBook's script-tag bundle with inline features: no network at all. */
export const growthbook = {
  id: 'growthbook',
  label: '@growthbook/growthbook',
  api: "dist/bundles/index.min.js + new GrowthBook() + init({payload}) (inline features); gb.isOn('nudge-k') (feature evaluation)",
  settleMs: 300, // no network at all
  load: `
<script src="/nm/@growthbook/growthbook/dist/bundles/index.min.js"></script>
<script>
  window.gb = new growthbook.GrowthBook({ attributes: { id: 'visitor-1' }, trackingCallback: () => {} });
  gb.init({ payload: { features: ${JSON.stringify(features)} } }).then(() => __bench.ready(), (e) => __bench.errors.push(String(e)));
</script>`,
  trackOne: `(i) => gb.isOn('nudge-' + (i % 10))`,
};

export const peers = [posthog, snowplow, growthbook];

/** No library: the harness's own cost per event (its loops and pacing tasks), subtracted from the
 * "incl. deferred work" figures. */
export const blank = {
  id: 'blank',
  label: 'blank page',
  api: 'no library; trackOne does nothing',
  settleMs: 300,
  load: `<script>__bench.ready();</script>`,
  trackOne: `(i) => {}`,
};
