//! The browser boundary: the engine behind numbers and one byte buffer per call.
//!
//! The loader's JavaScript (`src/web/js/`) does everything that touches the page: it reads the
//! store's objects (catching what they throw), listens to the page, owns storage, consent,
//! timers and rendering. It writes an event or an argument into the buffer [`si_input`] returns,
//! in the wire format of [`crate::core::wire`], and calls one of these exports; results come
//! back as numbers, and anything longer as a record it reads at [`si_out_ptr`]; a refusal's
//! reason is its parts (`Out::why`, `Error::parts`), which the tag words. No JS object is
//! held here and no JS function is called but `Math.pow`, so nothing the page does can throw
//! through wasm frames.
//!
//! The clock is the caller's: every export that needs the time takes it.
//!
//! The exports are plain `extern "C"` functions of numbers: the loader calls the instance's
//! exports directly, so `#[wasm_bindgen]` on them would only add its per-export argument shims
//! (476 bytes of the gzipped wasm, measured). wasm-bindgen still processes the module and names
//! its one import, `Math.pow` (declared in `core::math`); the tag instantiates the scorer and the
//! engine with nudges itself (`src/web/js/engine.js`, `instantiate`), without the glue
//! wasm-bindgen writes.
//!
//! Two builds: the scorer the tag loads at start (feature `bundle`), and the engine with nudges
//! (`bundle` + `nudges`: [`si_nudge`], [`si_record`], [`si_dismiss`]), which the loader fetches
//! the first time [`si_score`] says a nudge could be decided, and moves the profile into.

#[cfg(feature = "bundle")]
mod heap;
mod out;

#[cfg(feature = "compiler")]
mod compiler;
#[cfg(any(feature = "nudges", not(feature = "bundle")))]
mod nudges;

use crate::core::actions;
use crate::core::event::{Event, EventKind};
use crate::core::identify::{Bounced, Facts};
use crate::core::wire::Wire;
use crate::core::{Model, Profile, Snapshot};
use alloc::vec::Vec;
use core::cell::UnsafeCell;
use out::Out;

/// The page's one engine: a model and the visitor's profile.
struct Engine {
    model: Option<Model>,
    profile: Profile,
    /// The input buffer of the current call.
    input: (*mut u8, usize),
    /// The record of the last call.
    out: (*const u8, usize),
    #[cfg(not(feature = "bundle"))]
    kept: Vec<Vec<u8>>,
}

struct Global(UnsafeCell<Option<Engine>>);

// wasm32-unknown-unknown has one thread, and exports do not re-enter (no callbacks into JS).
unsafe impl Sync for Global {}

static ENGINE: Global = Global(UnsafeCell::new(None));

fn engine() -> &'static mut Engine {
    // SAFETY: single-threaded and not re-entrant: one `&mut` at a time.
    let slot = unsafe { &mut *ENGINE.0.get() };
    slot.get_or_insert_with(|| Engine {
        model: None,
        profile: Profile::default(),
        input: (core::ptr::null_mut(), 0),
        out: (core::ptr::null(), 0),
        #[cfg(not(feature = "bundle"))]
        kept: Vec::new(),
    })
}

/// Starts a call: what the previous call allocated is released.
fn begin() {
    #[cfg(feature = "bundle")]
    heap::reset();
}

/// Hands `out` to the loader until the next call.
fn finish(e: &mut Engine, out: Out) {
    let bytes = out.0;
    e.out = (bytes.as_ptr(), bytes.len());
    // Under the bump allocator the next call releases it; with std's (tests) keep the last one.
    #[cfg(feature = "bundle")]
    core::mem::forget(bytes);
    #[cfg(not(feature = "bundle"))]
    {
        e.kept.clear();
        e.kept.push(bytes);
    }
}

fn input(e: &Engine) -> &'static [u8] {
    let (ptr, len) = e.input;
    if ptr.is_null() {
        return &[];
    }
    // SAFETY: `si_input` reserved `len` bytes at `ptr` for this call, and the loader filled them.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

fn ms(t: f64) -> u64 {
    if t > 0.0 {
        t as u64
    } else {
        0
    }
}

/// The caller's time `t` (ms), never before the visitor's last on-site event (two tabs, a
/// late inbox entry: the clock never runs backwards for this visitor).
fn clock(e: &Engine, t: f64) -> u64 {
    ms(t).max(e.profile.last_site_ms().unwrap_or(0))
}

/// A buffer of `len` bytes for the next call's input (a new call starts here).
#[no_mangle]
pub extern "C" fn si_input(len: u32) -> *mut u8 {
    begin();
    let e = engine();
    let mut buf: Vec<u8> = alloc::vec![0; len as usize];
    let ptr = buf.as_mut_ptr();
    e.input = (ptr, len as usize);
    #[cfg(feature = "bundle")]
    core::mem::forget(buf);
    #[cfg(not(feature = "bundle"))]
    e.kept.push(buf);
    ptr
}

/// Where the last call's record starts.
#[no_mangle]
pub extern "C" fn si_out_ptr() -> *const u8 {
    engine().out.0
}

/// How long the last call's record is.
#[no_mangle]
pub extern "C" fn si_out_len() -> u32 {
    engine().out.1 as u32
}

/// Loads a compiled model (the input); 1 when it reads whole, 0 when it does not, 2 when it has
/// a scorecard and this is the scorer without scorecards (the tag then loads the one with them:
/// `compiled::Unread::Scorecard`). The visitor
/// becomes a new one with the id that follows the model in the input (`model_len` bytes of
/// model, then the id).
#[no_mangle]
pub extern "C" fn si_init(model_len: u32) -> u32 {
    let e = engine();
    let bytes = input(e);
    let split = (model_len as usize).min(bytes.len());
    let (model, id) = (
        bytes.get(..split).unwrap_or_default(),
        bytes.get(split..).unwrap_or_default(),
    );
    e.profile = Profile::new(crate::core::text::utf8(id).unwrap_or_default());
    // A model loaded before stays below the mark, unused: loading another is for tests.
    if let Some(old) = e.model.take() {
        core::mem::forget(old);
    }
    let read = Model::read(model);
    let answer = match read {
        Ok(_) => 1,
        Err(crate::core::compiled::Unread::Damaged) => 0,
        Err(crate::core::compiled::Unread::Scorecard) => 2,
    };
    e.model = read.ok();
    // The model lives on across calls; so does this call's input, which costs a few KB once.
    #[cfg(feature = "bundle")]
    heap::keep();
    answer
}

/// The profile becomes a new visitor with the id in the input.
#[no_mangle]
pub extern "C" fn si_fresh() {
    let e = engine();
    let id = crate::core::text::utf8(input(e)).unwrap_or_default();
    e.profile = Profile::new(id);
}

/// Loads a stored profile (the input: the bytes `Profile::to_stored` wrote, which the tag keeps
/// in base64). 1 when it reads back; 0 when it does not (the reason is the record), and the
/// profile is then left as it was. Times stored from the future (the device clock ran ahead)
/// are brought back to `now`.
#[no_mangle]
pub extern "C" fn si_load(now: f64) -> i32 {
    let e = engine();
    match Profile::from_stored(input(e)) {
        Ok(mut p) => {
            p.forget_future(ms(now));
            e.profile = p;
            finish(e, Out::default());
            1
        }
        Err(why) => {
            let mut out = Out::default();
            out.why(&why);
            finish(e, out);
            0
        }
    }
}

/// The profile's stored bytes (`Profile::to_stored`) as the record; returns their length.
#[no_mangle]
pub extern "C" fn si_save() -> u32 {
    begin();
    let e = engine();
    let out = Out(e.profile.to_stored());
    let n = out.0.len() as u32;
    finish(e, out);
    n
}

/// Tracks an event. The input is `u16 name length`, the name, then its parameters in the wire
/// format. Returns the signals fired, -2 for an unknown event (counted, ignored), -1 when refused
/// (the reason is the record). A purchase's record lists the experiment conversions it makes:
/// `u8 count`, then per conversion `experiment_id`, `variation_id`, `f64 value`.
#[no_mangle]
pub extern "C" fn si_track(time: f64) -> i32 {
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return -1;
    };
    let bytes = input(e);
    let name_len = match bytes {
        [a, b, ..] => u16::from_le_bytes([*a, *b]) as usize,
        _ => 0,
    };
    let name = bytes
        .get(2..2 + name_len)
        .and_then(crate::core::text::utf8)
        .unwrap_or_default();
    let params = Wire::new(bytes.get(2 + name_len..).unwrap_or_default());
    let t = clock(e, time);
    let mut out = Out::default();
    let fired = match Event::decode(name, t, &params) {
        Ok(None) => {
            e.profile.count_unknown();
            -2
        }
        Ok(Some(event)) => match e.profile.track(model, &event) {
            Ok(fired) => {
                if event.kind == EventKind::Purchase {
                    write_conversions(&mut out, &e.profile, model, &event);
                }
                fired as i32
            }
            Err(why) => {
                out.why(&why);
                -1
            }
        },
        Err(why) => {
            out.why(&why);
            -1
        }
    };
    finish(e, out);
    fired
}

/// Applies an `identify()` report at `now`, as the loader validated it: `opens` and
/// `last_open` (-1 when not given), `yes_no` two bits per fact (0 not given, 1 false, 2 true:
/// subscribed, unsubscribed, spam complaint, SMS opt-in, from the low bits), `bounced` (-1 not
/// given, -2 marked as bouncing, else a count), and a last purchase at `purchase_time` (-1: none)
/// whose parameters are the input, in the wire format. Returns the signals fired, or -1 when the
/// purchase is malformed (the reason is the record); the record is otherwise one byte, 1 when the
/// report changed anything.
#[no_mangle]
pub extern "C" fn si_identify(
    now: f64,
    opens: f64,
    last_open: f64,
    yes_no: u32,
    bounced: f64,
    purchase_time: f64,
) -> i32 {
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return -1;
    };
    let t = clock(e, now);
    let given = |x: f64| (x >= 0.0).then(|| ms(x));
    let fact = |i: u32| match (yes_no >> (2 * i)) & 3 {
        0 => None,
        v => Some(v == 2),
    };
    let mut out = Out::default();
    let last_purchase = match given(purchase_time) {
        None => None,
        Some(pt) => match Event::decode(EventKind::Purchase.name(), pt, &Wire::new(input(e))) {
            Ok(event) => event,
            Err(why) => {
                out.why(&why);
                finish(e, out);
                return -1;
            }
        },
    };
    let facts = Facts {
        email_opens_30d: given(opens).map(|n| n.min(u32::MAX as u64) as u32),
        last_email_open_ms: given(last_open),
        email_subscribed: fact(0),
        unsubscribed: fact(1),
        bounced: match bounced {
            -2.0 => Some(Bounced::Marked),
            b if b >= 0.0 => Some(Bounced::Count(ms(b).min(u32::MAX as u64) as u32)),
            _ => None,
        },
        spam_complaint: fact(2),
        sms_opt_in: fact(3),
        last_purchase,
    };
    let before = e.profile.identified;
    let fired = e.profile.identify(model, &facts, t) as i32;
    out.u8(u8::from(fired > 0 || e.profile.identified != before));
    finish(e, out);
    fired
}

/// The score at `now`; its record: the stage, the intent, and 1 when a nudge could be decided
/// ([`actions::may_nudge`]: until then the tag does not load the engine with nudges).
#[no_mangle]
pub extern "C" fn si_score(now: f64) -> f64 {
    begin();
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return 0.0;
    };
    let t = clock(e, now);
    let s = e.profile.snapshot(model, t);
    let mut out = Out::default();
    out.u8(s.stage as u8).u8(s.intent as u8);
    write_gate(&mut out, &e.profile, model, t, s);
    finish(e, out);
    s.score
}

/// The visitor's state at `now`, for `state()`: a record of score, stage, intent, suppression,
/// value, the visit, the recent signals and the experiment arms.
#[no_mangle]
pub extern "C" fn si_state(now: f64) {
    begin();
    let e = engine();
    let Some(model) = e.model.as_ref() else {
        return;
    };
    let t = clock(e, now);
    let p = &e.profile;
    let s = p.snapshot(model, t);
    let mut out = Out::default();
    // Stage, intent and channel as their index: the tag names them (engine.js, as for `si_score`).
    out.f64(s.score).u8(s.stage as u8).u8(s.intent as u8);
    // The suppression reasons as bits: 1 opted out, 2 bounced (the tag names them).
    out.u8(u8::from(s.suppression.opted_out) | u8::from(s.suppression.bounced) << 1);
    out.f64(s.value)
        .u8(u8::from(s.high_value))
        .str(p.visitor_id());
    let v = &p.visit;
    out.u32(v.index)
        .time(v.started_ms)
        .u32(v.page_views)
        .opt(v.landing());
    out.u8(v.channel().index());
    out.u8(p.signals().count() as u8);
    for sig in p.signals() {
        out.str(sig.rule.name()).f64(sig.points).time(sig.time_ms);
    }
    write_arms(&mut out, p, model, t);
    finish(e, out);
}

/// The experiment conversions a purchase makes, into its record (the nudge engine's part of
/// `si_track`).
fn write_conversions(out: &mut Out, profile: &Profile, model: &Model, purchase: &Event) {
    let conversions = actions::conversions(profile, model, purchase);
    out.u8(conversions.len() as u8);
    for c in &conversions {
        out.str(c.experiment_id).str(&c.variation_id).f64(c.value);
    }
}

/// 1 when a nudge could be decided at `t`, into the score's record (the nudge engine's part of
/// `si_score`).
fn write_gate(out: &mut Out, profile: &Profile, model: &Model, t: u64, s: Snapshot) {
    out.u8(u8::from(actions::may_nudge_at(profile, model, t, s)));
}

/// The visitor's experiment arms at `t`, into the state record (the nudge engine's part of
/// `si_state`).
fn write_arms(out: &mut Out, profile: &Profile, model: &Model, t: u64) {
    let arms = actions::arms(profile, model, t);
    out.u8(arms.len() as u8);
    for a in &arms {
        out.str(a.experiment).str(a.variant).u32(a.variation as u32);
    }
}

/// Which triggers the model's rules need: bit 0 exit intent; the idle time (ms) is returned by
/// [`si_idle_ms`].
#[no_mangle]
pub extern "C" fn si_wants_exit() -> u32 {
    engine()
        .model
        .as_ref()
        .is_some_and(actions::wants_exit_intent) as u32
}

/// The shortest idle time a rule waits for, ms; -1 for none.
#[no_mangle]
pub extern "C" fn si_idle_ms() -> f64 {
    engine()
        .model
        .as_ref()
        .and_then(actions::idle_after_ms)
        .map_or(-1.0, |ms| ms as f64)
}

/// Decodes the input as an event in the wire format and re-encodes it as text, for the browser
/// tests of the wire writer (the same decoder `si_track` uses).
#[cfg(not(feature = "bundle"))]
pub fn decode_wire(
    name: &str,
    time_ms: u64,
    bytes: &[u8],
) -> Result<Option<Event>, crate::core::Error> {
    Event::decode(name, time_ms, &Wire::new(bytes))
}
