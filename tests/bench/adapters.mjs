// One adapter per library: `load` is the HTML a store would paste (with every network send pointed
// at the bench server: /sink/ swallows sends, /seg/ stands in for Segment's CDN), and calls
// `__bench.ready()` when the library says it is ready; `trackOne` is the source of `(i) => …`, one
// tracked event for event number i, installed once the page is ready. The same 'view_item' with
// one item (a different id each time) goes to each. `settleMs`: how long its deferred work (timers,
// flushes, sends) may take after the last event.
//
// Paths: /pkg/ is the build being measured (pkg/), /nm/ is tests/node_modules/.

const item = `{ items: [{ item_id: 'SKU' + i, price: 10 }] }`;

/** Ours, the real one-tag install: one script tag; it fetches the engine and the model itself. */
export const shopperIntent = {
  id: 'shopper-intent',
  label: 'shopper-intent',
  api: "<script type=module src=/pkg/shopper-intent.js>, shopperIntent.track('view_item', …)",
  // The runtime saves its profile 1 s after a change (runtime.save_delay_ms): let that write land.
  settleMs: 1500,
  load: `
<script>
  // Consent granted up front (Google Consent Mode), so the profile is stored, as on most pages.
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('consent', 'default', { analytics_storage: 'granted', ad_storage: 'granted' });
  addEventListener('shopper-intent:ready', () => __bench.ready());
  __bench.stateSize = async () => {
    // The profile is written a moment after a change, never per event: wait for the write (≤ 3 s).
    const read = () => localStorage.getItem('shopper-intent');
    const before = read();
    const t = performance.now();
    while (performance.now() - t < 3000 && read() === before) await new Promise((r) => setTimeout(r, 50));
    const stored = read();
    return { storedBytes: stored === null ? null : stored.length, signals: shopperIntent.state().signals.length };
  };
</script>
<script type="module" src="/pkg/shopper-intent.js"></script>`,
  trackOne: `(i) => shopperIntent.track('view_item', ${item})`,
};

/** The two preload hints the README suggests beside the tag: the scorer and the default model. */
export const PRELOAD_HINTS = `
<link rel="preload" href="/pkg/shopper_intent_bg.wasm" as="fetch" crossorigin>
<link rel="preload" href="/pkg/shopper-intent.model.bin" as="fetch" crossorigin>`;

/** Ours after PRELOAD_HINTS: the scorer and the model are fetched with the tag, not after it has
 * run (one round trip fewer). Loads only: per event it is the same tag. */
export const shopperIntentPreloaded = {
  ...shopperIntent,
  id: 'shopper-intent-preloaded',
  label: 'shopper-intent, preloaded',
  api: shopperIntent.api + ', after <link rel=preload as=fetch crossorigin> of the scorer and the model',
  load: PRELOAD_HINTS + shopperIntent.load,
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
  label: 'Snowplow',
  api: "@snowplow/browser-tracker dist/index.umd.min.js + newTracker('sp', sink) + trackPageView(); trackSelfDescribingEvent({schema, data})",
  settleMs: 1000,
  // Each queued event rewrites its whole localStorage queue (JSON.stringify of up to 1,000
  // events, ~880 KB here): measured here, 500 events in one task keep the main thread busy ~2 s
  // after the loop, 2,000 ~30 s, 5,000 ~65 s, and 10,000 crashed the tab.
  syncEvents: 500,
  syncWhy: 'each event it queues rewrites its whole localStorage queue (JSON of up to 1,000 events, ~880 KB), so a burst queues faster than it sends: 2,000 in one task kept the main thread busy ~30 s after the loop here, and 10,000 crashed the tab',
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
  label: 'GrowthBook',
  api: "@growthbook/growthbook dist/bundles/index.min.js + new GrowthBook() + init({payload}) (inline features); gb.isOn('nudge-k') (feature evaluation)",
  settleMs: 300, // no network at all
  load: `
<script src="/nm/@growthbook/growthbook/dist/bundles/index.min.js"></script>
<script>
  window.gb = new growthbook.GrowthBook({ attributes: { id: 'visitor-1' }, trackingCallback: () => {} });
  gb.init({ payload: { features: ${JSON.stringify(features)} } }).then(() => __bench.ready(), (e) => __bench.errors.push(String(e)));
</script>`,
  trackOne: `(i) => gb.isOn('nudge-' + (i % 10))`,
};

/**
 * Segment's analytics.js as a store installs it: the snippet from the source's settings page,
 * which loads `<cdn>/analytics.js/v1/<write key>/analytics.min.js`. That file is Analytics 2.0
 * (@segment/analytics-next, its standalone build; every new source uses it, and analytics.js-core,
 * the classic build, is archived): it fetches the source's settings from the CDN, then its bundles.
 * The bench server plays the CDN under /seg/ (see SEGMENT_WRITE_KEY in run.mjs).
 */
export const segment = {
  id: 'segment',
  label: 'Segment',
  api: "the analytics.js snippet (Analytics 2.0, @segment/analytics-next dist/umd/standalone.js) + analytics.page(); analytics.track('view_item', …)",
  // Each track() is its own fetch (the standard delivery); let the last ones land.
  settleMs: 1000,
  load: `
<script>
  // The snippet: a stub that queues calls, then the async script tag (analytics.load).
  !function () {
    var a = (window.analytics = window.analytics || []);
    if (a.initialize || a.invoked) return;
    a.invoked = true;
    a.methods = ['trackSubmit', 'trackClick', 'trackLink', 'trackForm', 'pageview', 'identify', 'reset', 'group', 'track', 'ready', 'alias', 'debug', 'page', 'screen', 'once', 'off', 'on', 'addSourceMiddleware', 'addIntegrationMiddleware', 'setAnonymousId', 'addDestinationMiddleware', 'register'];
    a.factory = function (m) {
      return function () {
        var args = Array.prototype.slice.call(arguments);
        args.unshift(m);
        a.push(args);
        return a;
      };
    };
    for (var i = 0; i < a.methods.length; i++) a[a.methods[i]] = a.factory(a.methods[i]);
    a.load = function (key, options) {
      var t = document.createElement('script');
      t.type = 'text/javascript';
      t.async = true;
      t.src = a._cdn + '/analytics.js/v1/' + key + '/analytics.min.js';
      var first = document.getElementsByTagName('script')[0];
      first.parentNode.insertBefore(t, first);
      a._loadOptions = options;
    };
    a._writeKey = 'bench';
    a._cdn = location.origin + '/seg'; // the snippet's "host" option: where its CDN is
    a.SNIPPET_VERSION = '5.2.0';
    a.load('bench');
    a.page();
  }();
  analytics.ready(() => __bench.ready());
</script>`,
  trackOne: `(i) => analytics.track('view_item', ${item})`,
};

export const peers = [growthbook, snowplow, posthog, segment];

/** No library: the harness's own cost per event (its loops and tasks), taken off every figure
 * that includes deferred work. */
export const blank = {
  id: 'blank',
  label: 'blank page',
  api: 'no library; trackOne does nothing',
  settleMs: 300,
  load: `<script>__bench.ready();</script>`,
  trackOne: `(i) => {}`,
};
