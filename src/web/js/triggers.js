// The triggers of nudges watched from the start: an idle watcher and exit intent, a chunk the tag
// loads at start only for a model with rules on them (index.js). The engine says which; this
// only waits and calls back, and the scorer decides whether a nudge could follow (the
// dwell timer comes with the nudge chunk, nudger.js). Both stop in one call (reset(), consent
// withdrawn).

const ACTIVITY = ['pointermove', 'pointerdown', 'keydown', 'scroll', 'wheel', 'touchstart'];
// The longest timer browsers keep (2^31 - 1 ms); later deadlines are re-armed on the next check.
const MAX_DELAY = 2147483647;

/** `idle` and `exit`: the functions that stop each watcher, while it watches. */
export class Triggers {
  /** Calls `fn(idleMs)` after `ms` without pointer, key, scroll or touch activity; then again only
   * after new activity and another `ms` of quiet. Activity only stamps the time: one timer checks. */
  watchIdle(ms, fn) {
    this.idle?.();
    let last = Date.now();
    let fired = false;
    let timer = 0;
    const check = () => {
      const quiet = Date.now() - last;
      if (quiet >= ms) {
        fired = true;
        fn(quiet);
      } else timer = setTimeout(check, ms - quiet);
    };
    const onActivity = () => {
      last = Date.now();
      if (fired) {
        fired = false;
        timer = setTimeout(check, ms);
      }
    };
    ACTIVITY.forEach((k) => addEventListener(k, onActivity, { passive: true }));
    timer = setTimeout(check, Math.min(ms, MAX_DELAY));
    this.idle = () => {
      clearTimeout(timer);
      ACTIVITY.forEach((k) => removeEventListener(k, onActivity));
    };
  }

  /** Calls `fn` when the pointer leaves through the top of the viewport (a mouse on a desktop). */
  watchExit(fn) {
    this.exit?.();
    const onOut = (e) => {
      if (!e.relatedTarget && e.clientY <= 0) fn();
    };
    document.addEventListener('mouseout', onOut, { passive: true });
    this.exit = () => document.removeEventListener('mouseout', onOut);
  }

  cancelAll() {
    this.idle?.();
    this.exit?.();
    this.idle = this.exit = null;
  }

  /** [idle watched, exit intent watched] (for tests). */
  armed() {
    return [!!this.idle, !!this.exit];
  }
}
