//! The visitor profile: fixed-size plain data, bounded whatever the number of events.
//!
//! Every field is a number or a fixed array of numbers (`bytemuck::Pod`: any bit pattern is a
//! valid profile), so the profile needs no codec: it is stored as its own bytes, packed
//! ([`super::pack`]), and read back by copying them. That keeps the wasm small, and one visitor
//! fits in a few contiguous kilobytes, which the native replay of millions of visitors needs.
//!
//! Lists are fixed arrays with a length byte; removing an element zeroes the freed slot, so two
//! profiles that hold the same facts have the same bytes. Item ids and categories are kept as
//! 64-bit hashes; text only where the visitor is shown it (a few item names for nudges) or where
//! a report prints it (recent purchases, the landing path).

use super::characteristics::Characteristics;
use super::error::{Error, Kind, Stored};
use super::experiment::fnv32a;
use super::model::{RuleId, EVENT_RULES};
use super::text::put;
use super::visit::Channel;
use bytemuck::{Pod, Zeroable};

/// Format version of the stored profile. Bump it when the layout changes.
pub const VERSION: u8 = 6;
/// Items remembered (the least recently seen is forgotten first).
pub const MAX_ITEMS: usize = 32;
/// View times kept per item: the most `repeat_product_view.views` may ask for.
pub const MAX_VIEWS: usize = 8;
/// `view_item` times kept for rapid-view intent: the most `rapid_views` may ask for.
pub const MAX_RAPID: usize = 16;
/// Cart lines remembered.
pub const MAX_CART: usize = 24;
/// Signals kept for display (the score itself keeps all of them, decayed).
pub const MAX_SIGNALS: usize = 32;
/// Purchases remembered for the recent-purchase exclusion.
pub const MAX_PURCHASES: usize = 8;
/// Firing times of window-limited rules kept.
pub const MAX_WINDOW_FIRES: usize = 48;
/// Exact per-item-per-visit counts kept; later items of a visit go to the visit's filter.
pub const MAX_ITEM_FIRES: usize = 48;
/// Bounce times kept (the most `bounces_to_suppress` may ask for).
pub const MAX_BOUNCES: usize = 16;
/// Item names kept for nudges: those of the most viewed items.
pub const MAX_NAMES: usize = 8;
/// Bytes of an item name, id or category kept (cut at a word boundary, with "…").
pub const NAME_BYTES: usize = 64;
/// Bytes of the landing path kept.
pub const LANDING_BYTES: usize = 96;
/// Bytes of the visitor id kept.
pub const ID_BYTES: usize = 64;
/// Words of the per-visit item filter (4096 bits: a visit of 1,000 distinct items loses about a
/// tenth of their first adds to false positives; one of 100, none).
pub const FILTER_WORDS: usize = 64;
/// `page_type` when the current page has none.
pub const NO_PAGE: u8 = u8::MAX;

/// Fixed-capacity UTF-8 text of at most `N` bytes (zero-padded).
pub type Text<const N: usize> = [u8; N];

/// `text` cut to fit `N` bytes: whole when it fits, else at a word boundary (or a character
/// boundary for scripts without spaces) with "…" appended. Returns the bytes and their length.
pub fn fit<const N: usize>(text: &str) -> (Text<N>, u8) {
    const ELLIPSIS: &[u8] = "\u{2026}".as_bytes();
    let bytes = text.as_bytes();
    let mut out = [0u8; N];
    if bytes.len() <= N {
        let n = put(&mut out, bytes);
        return (out, n as u8);
    }
    let mut end = N - ELLIPSIS.len();
    while end > 0 && byte(bytes, end) & 0xc0 == 0x80 {
        end -= 1;
    }
    // Back to the last space (unless the cut already falls on one, or going back loses most of
    // the text: one long word), and without the punctuation before it.
    if byte(bytes, end) != b' ' {
        let mut i = end;
        while i > end / 2 {
            i -= 1;
            if byte(bytes, i) == b' ' {
                end = i;
                break;
            }
        }
    }
    while end > 0 && matches!(byte(bytes, end - 1), b' ' | b',' | b';' | b':') {
        end -= 1;
    }
    let n = put(&mut out, bytes.get(..end).unwrap_or_default());
    let n = n + put(out.get_mut(n..).unwrap_or_default(), ELLIPSIS);
    (out, n as u8)
}

/// `text` cut to at most `N` bytes at a character boundary (for paths: no ellipsis).
pub fn cut<const N: usize>(text: &str) -> (Text<N>, u8) {
    let mut out = [0u8; N];
    let n = put(&mut out, head(text, N).as_bytes());
    (out, n as u8)
}

/// The longest start of `text` of at most `max` bytes that ends at a character boundary.
pub fn head(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// Byte `i` of `bytes`, 0 past the end (the callers stay in range; this keeps panics out).
fn byte(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

/// The first `len` bytes of `text` as a string ("" if they are not UTF-8, which `fit` never writes).
pub fn text_of(text: &[u8], len: u8) -> &str {
    let bytes = text.get(..len as usize).unwrap_or_default();
    super::text::utf8(bytes).unwrap_or_default()
}

/// The live part `slots[..len]` of a fixed list (all of it when a stored length is too big).
pub(crate) fn live<T>(slots: &[T], len: u8) -> &[T] {
    &slots[..(len as usize).min(slots.len())]
}

/// [`live`], mutable.
pub(crate) fn live_mut<T>(slots: &mut [T], len: u8) -> &mut [T] {
    let n = (len as usize).min(slots.len());
    &mut slots[..n]
}

/// Appends `value` to the list `slots[..*len]`; when full, it replaces element `evict`.
/// Returns where it went.
pub(crate) fn push<T: Copy>(slots: &mut [T], len: &mut u8, value: T, evict: usize) -> usize {
    let n = (*len as usize).min(slots.len());
    let at = if n < slots.len() {
        *len = n as u8 + 1;
        n
    } else {
        evict
    };
    if let Some(slot) = slots.get_mut(at) {
        *slot = value;
    }
    at
}

/// Moves the last `n` elements of `list[..end]` to the start of `list` and zeroes the rest.
pub(crate) fn keep_last(list: &mut [u64], end: usize, n: usize) {
    let from = end.saturating_sub(n);
    for i in 0..list.len() {
        list[i] = match i < n {
            true => list.get(i + from).copied().unwrap_or(0),
            false => 0,
        };
    }
}

/// The index of the element with the smallest `time` (the first of equals; 0 when empty).
pub(crate) fn oldest<T>(all: &[T], time: impl Fn(&T) -> u64) -> usize {
    let (mut at, mut min) = (0, u64::MAX);
    for (i, x) in all.iter().enumerate() {
        let t = time(x);
        if t < min {
            (at, min) = (i, t);
        }
    }
    at
}

/// Removes element `at` of `slots[..*len]`, keeping order, and zeroes the freed slot.
pub(crate) fn remove<T: Copy + Zeroable>(slots: &mut [T], len: &mut u8, at: usize) {
    let n = (*len as usize).min(slots.len());
    if at >= n {
        return;
    }
    for i in at + 1..n {
        slots[i - 1] = slots[i];
    }
    slots[n - 1] = T::zeroed();
    *len = n as u8 - 1;
}

/// How far a checkout got (stored as one byte).
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Pod, Zeroable)]
pub struct CheckoutStep(pub u8);

#[allow(non_upper_case_globals)]
impl CheckoutStep {
    /// Not started.
    pub const None: CheckoutStep = CheckoutStep(0);
    /// Contact details or account creation (after `begin_checkout`).
    pub const Account: CheckoutStep = CheckoutStep(1);
    /// Shipping method.
    pub const Shipping: CheckoutStep = CheckoutStep(2);
    /// Payment.
    pub const Payment: CheckoutStep = CheckoutStep(3);
    /// The steps after `None`, in order.
    pub const STEPS: [CheckoutStep; 3] = [Self::Account, Self::Shipping, Self::Payment];

    /// The step's name.
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "account",
            2 => "shipping",
            3 => "payment",
            _ => "none",
        }
    }
}

/// One scoring signal: a rule that fired, its points and when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Signal {
    /// The rule.
    pub rule: RuleId,
    /// Points at the time it fired (before decay).
    pub points: f64,
    /// When, ms.
    pub time_ms: u64,
}

/// A signal as stored.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub(crate) struct StoredSignal {
    pub points: f64,
    pub time_ms: u64,
    pub rule: u8,
    pub _pad: [u8; 7],
}

/// Flags of [`Visit::flags`].
pub mod flag {
    /// A `view_item` happened.
    pub const VIEWED_ITEM: u16 = 1;
    /// A list or collection was viewed.
    pub const VIEWED_LIST: u16 = 1 << 1;
    /// The shipping policy was viewed.
    pub const VIEWED_SHIPPING: u16 = 1 << 2;
    /// The returns policy was viewed.
    pub const VIEWED_RETURNS: u16 = 1 << 3;
    /// The FAQ was viewed.
    pub const VIEWED_FAQ: u16 = 1 << 4;
    /// The size guide was viewed.
    pub const VIEWED_SIZE_GUIDE: u16 = 1 << 5;
    /// The pricing page was viewed.
    pub const VIEWED_PRICING: u16 = 1 << 6;
    /// A purchase completed.
    pub const PURCHASED: u16 = 1 << 7;
    /// The cart was viewed.
    pub const VIEWED_CART: u16 = 1 << 8;
    /// Landed from an email link.
    pub const FROM_EMAIL: u16 = 1 << 9;
    /// The landing page is known.
    pub const LANDED: u16 = 1 << 10;
}

/// Names of the flags a `viewed` condition can test, with their bits.
pub const VIEWED: &[(&str, u16)] = &[
    ("product", flag::VIEWED_ITEM),
    ("collection", flag::VIEWED_LIST),
    ("cart", flag::VIEWED_CART),
    ("shipping", flag::VIEWED_SHIPPING),
    ("returns", flag::VIEWED_RETURNS),
    ("faq", flag::VIEWED_FAQ),
    ("size_guide", flag::VIEWED_SIZE_GUIDE),
    ("pricing", flag::VIEWED_PRICING),
];

/// The current (or last) visit.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Visit {
    /// First event, ms.
    pub started_ms: u64,
    /// Last on-site event, ms.
    pub last_ms: u64,
    /// When the current page was entered, ms.
    pub page_started_ms: u64,
    /// Items of the exact per-item-per-visit counts.
    pub(crate) item_keys: [u64; MAX_ITEM_FIRES],
    /// Items whose per-item-per-visit rules fired once the exact counts were full: a Bloom
    /// filter, so a limit holds however many items a visit touches (it may refuse, never repeat).
    pub(crate) item_filter: [u64; FILTER_WORDS],
    /// 1 for the first visit; 0 before any on-site event.
    pub index: u32,
    /// Page views in this visit.
    pub page_views: u32,
    /// Page-type, funnel and landing flags of this visit (see [`flag`]).
    pub flags: u16,
    /// `select_variant` events.
    pub variant_switches: u16,
    /// Current page type (index into the model's page types), or [`NO_PAGE`].
    pub page_type: u8,
    /// Acquisition channel (see [`Visit::channel`]).
    pub(crate) channel: u8,
    /// Furthest checkout step reached.
    pub checkout: CheckoutStep,
    pub(crate) n_item_counts: u8,
    /// Firings of per-visit rules, by rule index.
    pub(crate) counts: [u8; EVENT_RULES],
    pub(crate) landing_len: u8,
    /// Rule and count of each entry of `item_keys`.
    pub(crate) item_rules: [u8; MAX_ITEM_FIRES],
    pub(crate) item_counts: [u8; MAX_ITEM_FIRES],
    pub(crate) landing: Text<LANDING_BYTES>,
}

impl Default for Visit {
    fn default() -> Visit {
        Visit {
            page_type: NO_PAGE,
            ..Zeroable::zeroed()
        }
    }
}

impl Visit {
    /// Acquisition channel.
    pub fn channel(&self) -> Channel {
        Channel::from_index(self.channel)
    }

    /// Landing path (no query), once known.
    pub fn landing(&self) -> Option<&str> {
        (self.flags & flag::LANDED != 0).then(|| text_of(&self.landing, self.landing_len))
    }

    /// Landed from an email link.
    pub fn from_email(&self) -> bool {
        self.flags & flag::FROM_EMAIL != 0
    }

    /// Current page type, if it has one.
    pub fn page_type(&self) -> Option<u8> {
        (self.page_type != NO_PAGE).then_some(self.page_type)
    }
}

/// What is remembered of one item (its key is in [`Profile::item_keys`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct ItemMemo {
    /// Category hash, for the recent-purchase exclusion (0: none).
    pub category: u64,
    /// Last known unit price (NaN: none).
    pub price: f64,
    /// Last view or cart change, ms (for forgetting).
    pub last_seen_ms: u64,
    /// Most recent view times, oldest first (as many as the repeat rule needs).
    pub(crate) views: [u64; MAX_VIEWS],
    /// Total views (saturating).
    pub view_count: u32,
    /// Index of the last visit it was viewed in.
    pub last_visit: u32,
    /// Distinct visits it was viewed in (saturating).
    pub visit_count: u16,
    pub(crate) n_views: u8,
    pub(crate) _pad: [u8; 5],
}

impl ItemMemo {
    /// The unit price, when known.
    pub fn price(&self) -> Option<f64> {
        (!self.price.is_nan()).then_some(self.price)
    }

    /// The view times kept, oldest first.
    pub fn views(&self) -> &[u64] {
        live(&self.views, self.n_views)
    }
}

/// An item's name, kept for nudges ("you've been looking at …").
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub(crate) struct NameMemo {
    pub key: u64,
    pub len: u8,
    pub text: Text<NAME_BYTES>,
    pub _pad: [u8; 7],
}

/// A cart line.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct CartLine {
    /// Item hash.
    pub key: u64,
    /// Unit price (0 when unknown).
    pub price: f64,
    /// Quantity.
    pub quantity: f64,
    /// Last add, ms.
    pub added_ms: u64,
}

/// A firing of a window-limited rule.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub(crate) struct WindowFire {
    /// Item key, or 0 for a rule not per item.
    pub key: u64,
    pub time_ms: u64,
    pub rule: u8,
    pub _pad: [u8; 7],
}

/// A purchased item, excluded from promotional nudges for a while.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct PurchaseMemo {
    /// Hash of the whole item id: the exclusion must not depend on the shortened text.
    pub key: u64,
    /// Hash of the whole category (0: none).
    pub category_key: u64,
    /// When, ms.
    pub time_ms: u64,
    pub(crate) item_len: u8,
    pub(crate) category_len: u8,
    pub(crate) item: Text<NAME_BYTES>,
    pub(crate) category: Text<NAME_BYTES>,
    pub(crate) _pad: [u8; 6],
}

impl PurchaseMemo {
    /// Item id, shortened (reported as `recent_purchases`).
    pub fn item(&self) -> &str {
        text_of(&self.item, self.item_len)
    }

    /// Category, shortened.
    pub fn category(&self) -> Option<&str> {
        (self.category_key != 0).then(|| text_of(&self.category, self.category_len))
    }
}

/// Where a profile keeps times (ms): `runs` runs of `len` consecutive 64-bit words, `stride`
/// words apart, from word `at` of the profile. Clamping times (`Profile::forget_future`) walks
/// this table instead of naming every field: a few bytes of data instead of a kilobyte of code.
/// (16-bit fields: the table is data in the wasm.)
#[derive(Clone, Copy)]
pub(crate) struct Times {
    pub at: u16,
    pub runs: u16,
    pub stride: u16,
    pub len: u16,
}

impl Times {
    /// `len` words at byte offset `at`.
    pub const fn at(at: usize, len: usize) -> Times {
        Times {
            at: (at / 8) as u16,
            runs: 1,
            stride: 0,
            len: len as u16,
        }
    }

    /// Field `field` (`len` words) of each of the `runs` elements of a list of `T` at `at`.
    pub const fn each<T>(at: usize, runs: usize, field: usize, len: usize) -> Times {
        Times {
            at: ((at + field) / 8) as u16,
            runs: runs as u16,
            stride: (core::mem::size_of::<T>() / 8) as u16,
            len: len as u16,
        }
    }

    /// The same times, in a struct at byte offset `by`.
    pub const fn within(self, by: usize) -> Times {
        Times {
            at: self.at + (by / 8) as u16,
            ..self
        }
    }
}

/// Rules remembered in [`NudgeMemory`] (the least recently shown is forgotten first).
pub const MAX_RULE_MEMOS: usize = 32;
/// Experiments remembered in [`NudgeMemory`].
pub const MAX_EXPOSURES: usize = 16;
/// Largest `max_per_day`: that many show times are kept per rule.
pub const MAX_PER_DAY: u32 = 8;

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub(crate) struct RuleMemo {
    pub(crate) last_ms: u64,
    /// Latest show times, as many as `max_per_day` needs (`n_recent` of them).
    pub(crate) recent: [u64; MAX_PER_DAY as usize],
    pub(crate) key: u32,
    /// Visit of `in_visit`.
    pub(crate) visit: u32,
    pub(crate) in_visit: u16,
    pub(crate) total: u16,
    pub(crate) n_recent: u8,
    pub(crate) _pad: [u8; 3],
}

impl RuleMemo {
    pub(crate) fn recent(&self) -> &[u64] {
        &self.recent[..(self.n_recent as usize).min(self.recent.len())]
    }
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub(crate) struct ExposureMemo {
    pub(crate) last_ms: u64,
    /// Hash of the experiment key.
    pub(crate) key: u32,
    /// Visit of the last exposure.
    pub(crate) visit: u32,
    pub(crate) variation: u8,
    pub(crate) _pad: [u8; 7],
}

/// What the nudges (`super::actions`) remember of one visitor: caps, cooldowns, the active nudge,
/// exposures. Bounded: at most [`MAX_RULE_MEMOS`] rules (with at most [`MAX_PER_DAY`] times
/// each) and [`MAX_EXPOSURES`] experiments.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct NudgeMemory {
    pub(crate) rules: [RuleMemo; MAX_RULE_MEMOS],
    pub(crate) exposures: [ExposureMemo; MAX_EXPOSURES],
    /// The active nudge: its page (entry time), rule key and visit (with `has_active`).
    pub(crate) active_page_ms: u64,
    pub(crate) active_rule: u32,
    pub(crate) active_visit: u32,
    /// Visit of `shown_in_visit`.
    pub(crate) visit: u32,
    pub(crate) shown_in_visit: u16,
    pub(crate) n_rules: u8,
    pub(crate) n_exposures: u8,
    pub(crate) has_active: u8,
    pub(crate) _pad: [u8; 7],
}

impl NudgeMemory {
    /// Its times one by one (the oracle of the `TIMES` test).
    #[cfg(test)]
    pub(crate) fn clamp_times_by_name(&mut self, clamp: &mut impl FnMut(&mut u64)) {
        for m in self.rules.iter_mut() {
            clamp(&mut m.last_ms);
            m.recent.iter_mut().for_each(&mut *clamp);
        }
        self.exposures
            .iter_mut()
            .for_each(|m| clamp(&mut m.last_ms));
        clamp(&mut self.active_page_ms);
    }

    /// Its times, for [`TIMES`].
    pub(crate) const TIMES: [Times; 4] = {
        use core::mem::offset_of as at;
        let rules = at!(NudgeMemory, rules);
        [
            Times::each::<RuleMemo>(rules, MAX_RULE_MEMOS, at!(RuleMemo, last_ms), 1),
            Times::each::<RuleMemo>(
                rules,
                MAX_RULE_MEMOS,
                at!(RuleMemo, recent),
                MAX_PER_DAY as usize,
            ),
            Times::each::<ExposureMemo>(
                at!(NudgeMemory, exposures),
                MAX_EXPOSURES,
                at!(ExposureMemo, last_ms),
                1,
            ),
            Times::at(at!(NudgeMemory, active_page_ms), 1),
        ]
    };

    pub(crate) fn rules(&self) -> &[RuleMemo] {
        &self.rules[..(self.n_rules as usize).min(MAX_RULE_MEMOS)]
    }

    pub(crate) fn exposures(&self) -> &[ExposureMemo] {
        &self.exposures[..(self.n_exposures as usize).min(MAX_EXPOSURES)]
    }

    pub(crate) fn rule(&self, key: u32) -> Option<&RuleMemo> {
        self.rules().iter().find(|m| m.key == key)
    }

    pub(crate) fn exposure(&self, key: u32) -> Option<&ExposureMemo> {
        self.exposures().iter().find(|m| m.key == key)
    }

    /// Name-hash of the nudge active on the visitor's current page, if any.
    pub(crate) fn active_on(&self, profile: &Profile) -> Option<u32> {
        (self.has_active != 0
            && self.active_visit == profile.visit.index
            && self.active_page_ms == profile.visit.page_started_ms)
            .then_some(self.active_rule)
    }

    /// Times `rule` was shown (or would have been, in a control arm) to this visitor.
    pub fn shown(&self, rule: &str) -> u32 {
        self.rule(fnv32a(rule)).map_or(0, |m| u32::from(m.total))
    }
}

/// What `identify()` (`super::identify`) has applied so far: the watermarks of its reports,
/// stored in [`Profile::identified`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct ReportMemory {
    /// Time of the last `emailOpens30d` report.
    pub(crate) opens_ms: u64,
    /// Time of the last `bounced` report.
    pub(crate) bounces_ms: u64,
    /// The newest server-reported purchase applied, ms.
    pub(crate) purchase_ms: u64,
    /// `emailOpens30d` of the last report.
    pub(crate) opens: u32,
    /// Bounces of the last report.
    pub(crate) bounces: u32,
    /// Yes/no facts already applied (`super::identify`'s `flag` bits).
    pub(crate) flags: u8,
    pub(crate) _pad: [u8; 7],
}

impl ReportMemory {
    /// Its times, for [`TIMES`].
    pub(crate) const TIMES: [Times; 3] = {
        use core::mem::offset_of as at;
        [
            Times::at(at!(ReportMemory, opens_ms), 1),
            Times::at(at!(ReportMemory, bounces_ms), 1),
            Times::at(at!(ReportMemory, purchase_ms), 1),
        ]
    };
}

/// Every time of the profile (the nudge and `identify` memories declare their own).
pub(crate) const TIMES: [Times; 24] = {
    use core::mem::offset_of as at;
    let visit = at!(Profile, visit);
    let nudges = at!(Profile, nudges);
    let ids = at!(Profile, identified);
    let ch = at!(Profile, characteristics);
    let [rules, rule_recent, exposures, active] = NudgeMemory::TIMES;
    let [opens, bounces, purchase] = ReportMemory::TIMES;
    [
        Times::at(at!(Profile, last_ms), 1),
        Times::at(at!(Profile, last_site_ms), 1),
        Times::at(at!(Profile, last_email_open_ms), 1),
        Times::at(at!(Profile, intent_ms), 3),
        Times::at(visit + at!(Visit, started_ms), 1),
        Times::at(visit + at!(Visit, last_ms), 1),
        Times::at(visit + at!(Visit, page_started_ms), 1),
        Times::each::<ItemMemo>(
            at!(Profile, items),
            MAX_ITEMS,
            at!(ItemMemo, last_seen_ms),
            1,
        ),
        Times::each::<ItemMemo>(
            at!(Profile, items),
            MAX_ITEMS,
            at!(ItemMemo, views),
            MAX_VIEWS,
        ),
        Times::each::<CartLine>(at!(Profile, cart), MAX_CART, at!(CartLine, added_ms), 1),
        Times::at(at!(Profile, rapid), MAX_RAPID),
        Times::at(at!(Profile, bounces), MAX_BOUNCES),
        Times::each::<WindowFire>(
            at!(Profile, window_fires),
            MAX_WINDOW_FIRES,
            at!(WindowFire, time_ms),
            1,
        ),
        Times::each::<PurchaseMemo>(
            at!(Profile, purchases),
            MAX_PURCHASES,
            at!(PurchaseMemo, time_ms),
            1,
        ),
        Times::each::<StoredSignal>(
            at!(Profile, signals),
            MAX_SIGNALS,
            at!(StoredSignal, time_ms),
            1,
        ),
        rules.within(nudges),
        rule_recent.within(nudges),
        exposures.within(nudges),
        active.within(nudges),
        opens.within(ids),
        bounces.within(ids),
        purchase.within(ids),
        Times::at(ch + at!(Characteristics, visit_start_ms), 1),
        Times::at(ch + at!(Characteristics, last_site_ms), 1),
    ]
};

/// Bits of [`Profile::set`].
pub(crate) mod has {
    pub const SITE_EVENT: u8 = 1;
    pub const EMAIL_OPEN: u8 = 1 << 1;
    pub const OPTED_OUT: u8 = 1 << 2;
    pub const SPAM_COMPLAINT: u8 = 1 << 3;
    pub const EMAIL_ENGAGED: u8 = 1 << 4;
}

/// Everything the scorer knows of one visitor. Bounded: see the `MAX_*` constants.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Pod, Zeroable)]
pub struct Profile {
    /// Last event of any kind, ms.
    pub(crate) last_ms: u64,
    /// Last on-site event, ms (with `has::SITE_EVENT`).
    pub(crate) last_site_ms: u64,
    pub(crate) last_email_open_ms: u64,
    /// Points decayed to `points_at_ms`: `points × 0.5^((T − at)/half_life)` is the score part at T.
    pub(crate) points: f64,
    pub(crate) points_at_ms: u64,
    /// Revenue ever (sum of purchase values).
    pub revenue: f64,
    /// Last time of a low, mid and high intent signal (with the bits of `intent_set`).
    pub(crate) intent_ms: [u64; 3],
    /// The current or last visit.
    pub visit: Visit,
    pub(crate) item_keys: [u64; MAX_ITEMS],
    pub(crate) items: [ItemMemo; MAX_ITEMS],
    pub(crate) names: [NameMemo; MAX_NAMES],
    pub(crate) cart: [CartLine; MAX_CART],
    /// Times of the most recent `view_item` events, for rapid-view intent.
    pub(crate) rapid: [u64; MAX_RAPID],
    pub(crate) bounces: [u64; MAX_BOUNCES],
    pub(crate) window_fires: [WindowFire; MAX_WINDOW_FIRES],
    pub(crate) purchases: [PurchaseMemo; MAX_PURCHASES],
    pub(crate) signals: [StoredSignal; MAX_SIGNALS],
    /// Nudge caps, cooldowns, the active nudge and experiment exposures.
    pub nudges: NudgeMemory,
    /// What `identify()` reports have been applied.
    pub identified: ReportMemory,
    /// What scorecards bin (added in version 6): see [`super::characteristics`].
    pub characteristics: Characteristics,
    /// Purchases ever.
    pub conversions: u32,
    /// Signals fired ever.
    pub signals_fired: u32,
    /// Unknown events seen (ignored).
    pub unknown_events: u32,
    /// Firings of once-ever rules, by rule index.
    pub(crate) ever: [u16; EVENT_RULES],
    /// Checkout abandoned in an earlier visit, and at which step.
    pub abandoned: CheckoutStep,
    pub(crate) set: u8,
    pub(crate) intent_set: u8,
    pub(crate) n_items: u8,
    pub(crate) n_names: u8,
    pub(crate) n_cart: u8,
    pub(crate) n_rapid: u8,
    pub(crate) n_bounces: u8,
    pub(crate) n_window: u8,
    pub(crate) n_purchases: u8,
    pub(crate) n_signals: u8,
    /// Oldest slot of the signal ring.
    pub(crate) signal_head: u8,
    pub(crate) id_len: u8,
    pub(crate) visitor_id: Text<ID_BYTES>,
    pub(crate) _pad: [u8; 1],
}

impl Default for Profile {
    fn default() -> Profile {
        let mut p: Profile = Zeroable::zeroed();
        p.visit = Visit::default();
        p
    }
}

impl Profile {
    /// A new visitor. The id (random and first-party in the browser; never personal data) is
    /// what experiments hash; ids longer than [`ID_BYTES`] bytes are cut.
    pub fn new(visitor_id: impl AsRef<str>) -> Profile {
        let mut p = Profile::default();
        p.set_visitor_id(visitor_id.as_ref());
        p
    }

    /// The visitor id.
    pub fn visitor_id(&self) -> &str {
        text_of(&self.visitor_id, self.id_len)
    }

    /// Replaces the visitor id (cut at a character boundary to [`ID_BYTES`] bytes).
    pub fn set_visitor_id(&mut self, id: &str) {
        let (text, len) = cut::<ID_BYTES>(id);
        self.visitor_id = text;
        self.id_len = len;
    }

    /// Time of the last event, ms (0 before any).
    pub fn last_event_ms(&self) -> u64 {
        self.last_ms
    }

    /// Time of the last on-site event, if any.
    pub fn last_site_ms(&self) -> Option<u64> {
        (self.set & has::SITE_EVENT != 0).then_some(self.last_site_ms)
    }

    /// The most recent signals, oldest first (at most [`MAX_SIGNALS`]).
    pub fn signals(&self) -> impl Iterator<Item = Signal> + '_ {
        let n = (self.n_signals as usize).min(MAX_SIGNALS);
        let head = self.signal_head as usize % MAX_SIGNALS;
        (0..n).map(move |i| {
            let s = &self.signals[(head + i) % MAX_SIGNALS];
            Signal {
                rule: RuleId::from_index(s.rule),
                points: s.points,
                time_ms: s.time_ms,
            }
        })
    }

    /// The items remembered, with their keys, most recently added last.
    pub fn items(&self) -> impl Iterator<Item = (u64, &ItemMemo)> {
        let keys = live(&self.item_keys, self.n_items);
        keys.iter().copied().zip(live(&self.items, self.n_items))
    }

    /// What is remembered of item `key`.
    pub fn item(&self, key: u64) -> Option<&ItemMemo> {
        self.items().find(|(k, _)| *k == key).map(|(_, m)| m)
    }

    /// The cart lines.
    pub fn cart(&self) -> &[CartLine] {
        live(&self.cart, self.n_cart)
    }

    /// The purchases remembered, oldest first.
    pub fn purchases(&self) -> &[PurchaseMemo] {
        live(&self.purchases, self.n_purchases)
    }

    /// The name kept for item `key`, if any.
    pub fn name_of(&self, key: u64) -> Option<&str> {
        live(&self.names, self.n_names)
            .iter()
            .find(|m| m.key == key)
            .map(|m| text_of(&m.text, m.len))
    }

    /// The profile's bytes (its in-memory layout; little-endian on every target we build).
    pub fn as_bytes(&self) -> &[u8] {
        bytemuck::bytes_of(self)
    }

    /// A profile from bytes of [`Profile::as_bytes`]; `None` when the length is wrong, or when
    /// a count or an amount is one tracking never writes (corrupt bytes).
    pub fn from_bytes(bytes: &[u8]) -> Option<Profile> {
        bytemuck::try_pod_read_unaligned(bytes)
            .ok()
            .filter(|p: &Profile| p.counts_hold() && p.amounts_hold())
    }

    /// Every count within its array and the signal ring's head inside it, as tracking keeps
    /// them; stored bytes that break this are corrupt (the engine slices by these counts).
    fn counts_hold(&self) -> bool {
        let fits = |n: u8, cap: usize| usize::from(n) <= cap;
        fits(self.n_items, MAX_ITEMS)
            && fits(self.n_names, MAX_NAMES)
            && fits(self.n_cart, MAX_CART)
            && fits(self.n_rapid, MAX_RAPID)
            && fits(self.n_bounces, MAX_BOUNCES)
            && fits(self.n_window, MAX_WINDOW_FIRES)
            && fits(self.n_purchases, MAX_PURCHASES)
            && fits(self.n_signals, MAX_SIGNALS)
            && usize::from(self.signal_head) < MAX_SIGNALS
            && fits(self.visit.n_item_counts, MAX_ITEM_FIRES)
            && self.items.iter().all(|m| fits(m.n_views, MAX_VIEWS))
    }

    /// Amounts as tracking keeps them, in every slot: points far from overflowing, revenue,
    /// prices and quantities finite and not negative (an item's NaN price is "none"), the cart's
    /// value finite. Stored bytes that break this are corrupt: they would score NaN or infinity.
    fn amounts_hold(&self) -> bool {
        let amount = |x: f64| (0.0..=f64::MAX).contains(&x);
        let mut cart = 0.0;
        for l in &self.cart {
            if !(amount(l.price) && amount(l.quantity)) {
                return false;
            }
            cart += l.price * l.quantity;
        }
        self.points.abs() <= super::event::MAX_NUMBER
            && amount(self.revenue)
            && amount(cart)
            && self
                .items
                .iter()
                .all(|m| m.price.is_nan() || amount(m.price))
            && self.signals.iter().all(|s| s.points.is_finite())
            && amount(self.characteristics.cart_value)
            && amount(self.characteristics.price_sum_visit)
    }

    /// The compact, versioned bytes stored for this profile (see [`super::pack`]).
    pub fn to_stored(&self) -> Vec<u8> {
        super::pack::seal(VERSION, self.as_bytes())
    }

    /// Serializes to a compact, versioned string for storage: [`Profile::to_stored`] in base64.
    pub fn encode(&self) -> String {
        super::pack::encode(VERSION, self.as_bytes())
    }

    /// Reads back what [`Profile::to_stored`] wrote; anything else is an error with a reason.
    ///
    /// Versions 1 to 5 were earlier layouts; they start fresh rather than migrate.
    pub fn from_stored(bytes: &[u8]) -> Result<Profile, Error> {
        let state = |why| Error::of(Kind::State(why));
        match super::pack::open(bytes, core::mem::size_of::<Profile>()) {
            (None, _) => Err(state(Stored::Empty)),
            (Some(VERSION), body) => body
                .as_deref()
                .and_then(Profile::from_bytes)
                .ok_or(state(Stored::Corrupt)),
            (Some(v), _) if v > VERSION => Err(state(Stored::Newer)),
            (Some(_), _) => Err(state(Stored::Older)),
        }
    }

    /// Reads back what [`Profile::encode`] wrote; anything else is an error with a reason.
    pub fn decode(text: &str) -> Result<Profile, Error> {
        let bytes =
            super::pack::from_base64(text).ok_or(Error::of(Kind::State(Stored::NotBase64)))?;
        Profile::from_stored(&bytes)
    }
}

use alloc::string::String;
use alloc::vec::Vec;
