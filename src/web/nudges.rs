//! The nudge exports, in the engine with nudges only (see the parent module).

use super::{begin, clock, engine, finish, ms, Out};
use crate::core::actions::{self, Context, Decision, Trigger};

/// A decision's record: its rule index and fields, the exposure to log, and the next deadline.
fn write_decision(out: &mut Out, d: Option<&Decision>) {
    let Some(d) = d else {
        out.u8(0);
        return;
    };
    out.u8(1)
        .u32(d.rule_index as u32)
        .str(d.action)
        .str(d.kind.name())
        .str(d.rule);
    out.opt(d.experiment).opt(d.variant);
    out.u32(d.variation.map_or(u32::MAX, |v| v as u32));
    out.str(&d.message)
        .opt(d.product.as_deref())
        .str(&d.reason)
        .u8(u8::from(d.show));
    match &d.exposure {
        Some(x) => out.u8(1).str(x.experiment_id).str(&x.variation_id),
        None => out.u8(0),
    };
}

/// Decides on a nudge now, woken by `trigger` (0 event, 1 dwell, 2 idle for `idle_ms`, 3 exit
/// intent), and records the decision in both arms. The record: the decision (see
/// `write_decision`), then the next deadline (`f64`, -1 for none).
///
/// A visitor who cannot be remembered (`remembered` 0: no consent, or no storage) gets no
/// nudge: caps and arms could not hold from one page to the next.
#[no_mangle]
pub extern "C" fn si_nudge(now: f64, trigger: u32, idle_ms: f64, remembered: u32) {
    begin();
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return;
    };
    let t = clock(e, now);
    let trigger = match trigger {
        1 => Trigger::Dwell,
        2 => Trigger::Idle {
            idle_ms: ms(idle_ms),
        },
        3 => Trigger::ExitIntent,
        _ => Trigger::Event,
    };
    let mut out = Out::default();
    if remembered == 0 {
        write_decision(&mut out, None);
        out.f64(-1.0);
        finish(e, out);
        return;
    }
    let decision = actions::decide(&e.profile, model, &Context { now_ms: t, trigger });
    write_decision(&mut out, decision.as_ref());
    if let Some(d) = &decision {
        actions::record(&mut e.profile, model, d, t);
    }
    let deadline = actions::next_deadline(&e.profile, model, t);
    out.f64(deadline.map_or(-1.0, |d| d as f64));
    finish(e, out);
}

/// Records again a decision of this tab on another tab's profile (the tab's own operations are
/// re-applied when it adopts a newer stored profile). `variation` is -1 outside an experiment.
#[no_mangle]
pub extern "C" fn si_record(rule: u32, variation: i32, at: f64) {
    begin();
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return;
    };
    let Some(r) = model.actions.rules.get(rule as usize) else {
        return;
    };
    let experiment = r.experiment.and_then(|x| model.experiments.get(x));
    let arm = experiment
        .map(|x| x.key.as_str())
        .zip(usize::try_from(variation).ok());
    actions::record_rule(&mut e.profile, model, rule as usize, arm, ms(at));
}

/// The visitor closed the nudge.
#[no_mangle]
pub extern "C" fn si_dismiss() {
    actions::dismiss(&mut engine().profile);
}
