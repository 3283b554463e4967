// Inlined as the first script of every bench page, before the library's tag: it marks "script
// start" (for the trace and the page clock), logs long tasks, and runs the timed event loops
// inside the page (node only reads the results and Chromium's own counters).
(() => {
  // The load's id (?load=…) names its marks: one trace holds several loads.
  const id = new URLSearchParams(location.search).get('load') || '';
  const b = (window.__bench = {
    t0: null, // "script start", at the end of this script: the library's tag comes right after it
    readyAt: null,
    errors: [],
    longtasks: [],
    trackOne: null, // set by the adapter: (i) => one tracked event for event number i
    stateSize: null, // set by our adapter: async () => what the page can tell about our state
  });
  // ?profile: the CPU profile of script start → ready (CDP Profiler.consoleProfileFinished).
  const profile = new URLSearchParams(location.search).has('profile');
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    b.errors.push('longtask observer: ' + e);
  }
  b.ready = () => {
    if (b.readyAt !== null) return;
    b.readyAt = performance.now();
    performance.mark('bench:ready:' + id);
    // Stopped in a task of its own: stopping inside the library's call stack (this runs from its
    // ready event) would count the profiler's own work as the library's.
    if (profile) setTimeout(() => console.profileEnd('bench'), 0);
    // Tells node (a console message), which then need not poll the page while it loads.
    console.debug('bench:ready:' + id);
  };
  const note = (e) => b.errors.push(String((e && (e.stack || e.message)) || e));
  addEventListener('error', (e) => note(e.error || e.message));
  addEventListener('unhandledrejection', (e) => note(e.reason));

  // A new macrotask without setTimeout's 4 ms clamp on nested timers; the library's own timers
  // still run when they are due.
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()();
  const task = () => new Promise((resolve) => (waiting.push(resolve), channel.port2.postMessage(0)));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Each loop stops early once it has run `maxMs` (a library whose cost grows with its queue):
  // it returns how many events it sent, so the per-event figures stay honest.

  /** `n` events in one synchronous loop (one task). */
  b.sync = async (n, maxMs) => {
    await task();
    const t = performance.now();
    let i = 0;
    for (; i < n; i++) {
      b.trackOne(i);
      if ((i & 63) === 63 && performance.now() - t > maxMs) {
        i++;
        break;
      }
    }
    return { events: i, ms: performance.now() - t };
  };

  /** `n` events, `batch` per task; the ms of each task's loop. */
  b.batches = async (n, batch, maxMs) => {
    const start = performance.now();
    const times = [];
    let i = 0;
    while (i < n && performance.now() - start < maxMs) {
      await task();
      const len = Math.min(batch, n - i);
      const t = performance.now();
      for (let k = 0; k < len; k++) b.trackOne(i + k);
      times.push(performance.now() - t);
      i += len;
    }
    return { events: i, ms: times.reduce((x, y) => x + y, 0), times };
  };

  /** `n` lone events, each alone in a timer task after `idleMs` of idle; the ms of each call. */
  b.lone = async (n, idleMs) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      await sleep(idleMs);
      const t = performance.now();
      b.trackOne(i);
      times.push(performance.now() - t);
    }
    return { events: n, ms: times.reduce((x, y) => x + y, 0), times };
  };

  // One visitor's events up to each point; after reaching point p (p events tracked), times the
  // next `batch` events (fewer if the next point comes first) and reads the state size.
  b.growth = async (points, batch, fill) => {
    const out = [];
    let i = 0;
    for (let p = 0; p < points.length; p++) {
      const at = points[p];
      while (i < at) {
        const end = Math.min(at, i + fill);
        while (i < end) b.trackOne(i++);
        await task();
      }
      const len = Math.min(batch, (points[p + 1] ?? Infinity) - at);
      await task();
      const t = performance.now();
      for (let k = 0; k < len; k++) b.trackOne(i + k);
      const ms = performance.now() - t;
      i += len;
      out.push({ at, events: len, usPerEvent: (ms * 1000) / len, state: b.stateSize ? await b.stateSize() : null });
    }
    return out;
  };

  // Script start: last, so that none of the harness's own setup counts.
  if (profile) console.profile('bench');
  b.t0 = performance.now();
  performance.mark('bench:t0:' + id);
})();
