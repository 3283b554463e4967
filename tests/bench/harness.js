// Inlined as the first script of every bench page, before the library's tag: it starts the clock,
// logs long tasks, and runs the timed event loops inside the page (node only reads the results).
(() => {
  const b = (window.__bench = {
    t0: performance.now(), // "script start": the library's tag comes right after this script
    readyAt: null,
    errors: [],
    longtasks: [],
    trackOne: null, // set by the adapter: (i) => one tracked event for event number i
    stateSize: null, // set by our adapters: async () => what the page can tell about our state
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    b.errors.push('longtask observer: ' + e);
  }
  b.ready = () => {
    if (b.readyAt === null) b.readyAt = performance.now();
  };
  const note = (e) => b.errors.push(String((e && (e.stack || e.message)) || e));
  addEventListener('error', (e) => note(e.error || e.message));
  addEventListener('unhandledrejection', (e) => note(e.reason));

  // One macrotask turn between batches, so a library's own timers and sends can run.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  // `n` events in batches of `batch`; each batch is one synchronous loop timed here. Returns ms
  // per batch.
  b.events = async (n, batch) => {
    const times = [];
    await tick();
    b.eventsStart = performance.now();
    for (let i = 0; i < n; ) {
      const len = Math.min(batch, n - i);
      const t = performance.now();
      for (let k = 0; k < len; k++) b.trackOne(i + k);
      times.push(performance.now() - t);
      i += len;
      await tick();
    }
    b.eventsEnd = performance.now();
    return times;
  };

  // One visitor's events up to each point; after reaching point p (p events tracked), times the
  // next `batch` events (fewer if the next point comes first) and reads the state size.
  b.growth = async (points, batch, fill, warm) => {
    // Warm the code (JIT, wasm tier-up) on a throwaway visitor where the adapter has one, so the
    // first points measure this visitor's state, not cold code.
    const warmed = Boolean(warm && b.warm);
    for (let i = 0; warmed && i < warm; i += fill) {
      b.warm(i, Math.min(fill, warm - i));
      await tick();
    }
    const out = { warmed, points: [] };
    let i = 0;
    for (let p = 0; p < points.length; p++) {
      const at = points[p];
      while (i < at) {
        const end = Math.min(at, i + fill);
        while (i < end) b.trackOne(i++);
        await tick();
      }
      const len = Math.min(batch, (points[p + 1] ?? Infinity) - at);
      await tick();
      const t = performance.now();
      for (let k = 0; k < len; k++) b.trackOne(i + k);
      const ms = performance.now() - t;
      i += len;
      out.points.push({ at, events: len, usPerEvent: (ms * 1000) / len, state: b.stateSize ? await b.stateSize() : null });
    }
    return out;
  };
})();
