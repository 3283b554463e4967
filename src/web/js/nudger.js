// The nudge half of the scorer, loaded with the engine with nudges (the chunk of nudges.js): it
// decides (and records, in both arms), delivers, arms the dwell deadline, and hears the built-in
// nudge closed. The tag's start carries none of it: until a nudge could be decided, the scorer
// only watches the triggers and asks the engine whether to load this (runtime.js, run()).

// Nothing of the start is imported (it comes through the scorer): a module shared with the tag
// would make esbuild split it into a third file that the tag loads at start. (errors.js is not
// of the start: the tag loads it on the first refusal.)

import { message } from './errors.js';

const TRIGGER = { event: 0, dwell: 1, idle: 2, exit: 3 };
// The longest timer browsers keep (2^31 - 1 ms); later deadlines are re-armed on the next check.
const MAX_DELAY = 2147483647;

/**
 * An engine on instance `w` (the one with nudges) holding `engine`'s model and profile, byte for
 * byte (a stored profile read back with no time in the future).
 */
export function moveTo(engine, w) {
  const e = new engine.constructor(w);
  if (e.init(engine.model, '') !== 1) throw new Error('the model does not read in the nudge engine');
  const why = e.load(engine.save(), Infinity);
  if (why !== null) throw new Error('the profile does not move to the nudge engine: ' + message(why));
  return e;
}

/** Decides on a nudge and records it: [decision or null, next deadline or -1]. */
function decide(engine, now, trigger, idleMs, remembered) {
  engine.w.si_nudge(now, trigger, idleMs, remembered ? 1 : 0);
  const r = engine.out();
  if (r.n === 0) return [null, -1];
  let d = null;
  if (r.u8b() === 1) {
    d = {
      index: r.u32(),
      action: r.str(),
      kind: r.str(),
      rule: r.str(),
      experiment: r.opt(),
      variant: r.opt(),
      variation: r.u32(),
      message: r.str(),
      product: r.opt(),
      reason: r.str(),
      show: r.u8b() === 1,
      exposure: null,
    };
    if (d.variation === 0xffffffff) d.variation = -1;
    if (r.u8b() === 1) d.exposure = { experiment_id: r.str(), variation_id: r.str() };
  }
  return [d, r.f64()];
}

/** A dwell timer: `fn` once at `deadline` on the page's clock (`now` is that clock now). */
export class Dwell {
  constructor() {
    this.timer = 0;
  }

  armAt(deadline, now, fn) {
    this.cancel();
    this.timer = setTimeout(fn, Math.min(Math.max(deadline - now, 0), MAX_DELAY));
  }

  cancel() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = 0;
  }
}

export class Nudger {
  /** `s`: the Scorer (runtime.js), its engine already moved to the engine with nudges. */
  constructor(s) {
    this.s = s;
    this.dwell = new Dwell();
    this.shown = null;
  }

  /** Decides (and records, in both arms), delivers, and arms the next dwell deadline. */
  run(trigger, idleMs) {
    const s = this.s;
    const t = Date.now();
    const [d, deadline] = decide(s.engine, t, TRIGGER[trigger], idleMs || 0, s.persists());
    if (d) {
      s.log('decision', d);
      if (d.exposure) s.send({ event: 'experiment_viewed', ...d.exposure }, t);
      s.op({ t: 'n', rule: d.index, variation: d.variation, time: t });
      s.dirty = true;
      s.scheduleSave();
      if (d.show) this.deliver(d);
    }
    if (deadline >= 0) this.dwell.armAt(deadline, t, () => s.guard('dwell', () => this.run('dwell')));
    else this.dwell.cancel();
  }

  deliver(d) {
    const s = this.s;
    const detail = {
      action: d.action, kind: d.kind, rule: d.rule, experiment: d.experiment, variant: d.variant,
      message: d.message, product: d.product, reason: d.reason,
    };
    if (!s.emit('action', detail, true)) return;
    const shown = (this.shown = {});
    s.inFlight(s.opts.render()).then((render) => {
      if (this.shown !== shown) return;
      shown.hide = render.show(d.kind, d.message, () => s.guard('dismiss', () => this.dismissed()), s.rt);
    }).catch((e) => s.warn('render', ['noRender', String(e)]));
  }

  /** The visitor closed the built-in nudge: another may follow. */
  dismissed() {
    const s = this.s;
    this.shown = null;
    s.engine.w.si_dismiss();
    s.op({ t: 'd' });
    s.dirty = true;
    s.scheduleSave();
    s.run('event');
  }

  /** A new page, reset() or consent withdrawn: the nudge shown goes, and the dwell timer. */
  stop() {
    const shown = this.shown;
    this.shown = null;
    shown?.hide?.();
    this.dwell.cancel();
  }
}
