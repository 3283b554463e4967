//! The visitor profile: compact, bounded whatever the number of events, and versioned.
//!
//! Item ids are kept as 64-bit hashes; names only for the few items a nudge may mention.
//! Stored as a `VERSION` byte and the fields in `codec`'s format, base64-encoded for `localStorage`.

use super::codec::{self, stored, stored_enum, Reader, Stored};
use super::error::{Error, Kind};
use super::model::RuleId;
use super::visit::Channel;
use std::string::String;
use std::vec::Vec;

/// Format version of [`Profile::encode`]. Bump it, and add a migration, when the layout changes.
pub const VERSION: u8 = 5;
/// Items remembered (least recently seen are forgotten first).
pub const MAX_ITEMS: usize = 24;
/// Cart lines remembered.
pub const MAX_CART: usize = 24;
/// Signals kept for display (the score itself keeps all of them, decayed).
pub const MAX_SIGNALS: usize = 32;
/// Purchases remembered for the recent-purchase exclusion.
pub const MAX_PURCHASES: usize = 8;
/// Per-item limit records kept.
pub const MAX_ITEM_FIRES: usize = 48;
/// Bytes kept of an item name, id or category (cut at a character boundary): a byte bound,
/// so that the encoded profile stays under 8 KB whatever the script of the store.
pub const MAX_NAME: usize = 60;

/// `text` cut to at most [`MAX_NAME`] bytes, at a character boundary.
pub fn short(text: &str) -> String {
    let mut end = text.len().min(MAX_NAME);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].into()
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

/// How far a checkout got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckoutStep {
    /// Not started.
    #[default]
    None,
    /// Contact details or account creation (after `begin_checkout`).
    Account,
    /// Shipping method.
    Shipping,
    /// Payment.
    Payment,
}

impl CheckoutStep {
    /// The step's name.
    pub fn name(self) -> &'static str {
        match self {
            CheckoutStep::None => "none",
            CheckoutStep::Account => "account",
            CheckoutStep::Shipping => "shipping",
            CheckoutStep::Payment => "payment",
        }
    }
}

/// The current (or last) visit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Visit {
    /// 1 for the first visit; 0 before any on-site event.
    pub index: u32,
    /// First event, ms.
    pub started_ms: u64,
    /// Last on-site event, ms.
    pub last_ms: u64,
    /// Page views in this visit.
    pub page_views: u32,
    /// Landing path (no query).
    pub landing: Option<String>,
    /// Acquisition channel.
    pub channel: Channel,
    /// Landed from an email link.
    pub from_email: bool,
    /// Current page type (index into the model's page types).
    pub page_type: Option<u8>,
    /// When the current page was entered, ms.
    pub page_started_ms: u64,
    /// Firings of per-visit rules, by rule index.
    pub(crate) counts: [u8; super::model::EVENT_RULES],
    /// Firings of per-item-per-visit rules: (rule, item key, count).
    pub(crate) item_counts: Vec<(RuleId, u64, u8)>,
    /// Page-type and funnel flags of this visit (see `flag`).
    pub flags: u16,
    /// Furthest checkout step reached.
    pub checkout: CheckoutStep,
    /// `select_variant` events.
    pub variant_switches: u16,
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
}

/// What is remembered of one item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemMemo {
    /// Hash of the item id.
    pub key: u64,
    /// Name, shortened, for nudges ("you've been looking at …").
    pub name: Option<String>,
    /// Category hash, for the recent-purchase exclusion.
    pub category: Option<u64>,
    /// Last known unit price.
    pub price: Option<f64>,
    /// Most recent view times, oldest first (as many as the repeat rule needs).
    pub views: Vec<u64>,
    /// Total views (saturating).
    pub view_count: u32,
    /// Distinct visits it was viewed in (saturating).
    pub visit_count: u16,
    /// Index of the last visit it was viewed in.
    pub last_visit: u32,
    /// Last view or cart change, ms (for forgetting).
    pub last_seen_ms: u64,
}

/// A cart line.
#[derive(Clone, Debug, PartialEq)]
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

/// A purchased item, excluded from promotional nudges for a while.
#[derive(Clone, Debug, PartialEq)]
pub struct PurchaseMemo {
    /// Item id, shortened (reported as `recent_purchases`).
    pub item: String,
    /// Hash of the whole item id: the exclusion must not depend on the shortened text.
    pub key: u64,
    /// Category, shortened.
    pub category: Option<String>,
    /// Hash of the whole category.
    pub category_key: Option<u64>,
    /// When, ms.
    pub time_ms: u64,
}

/// Points decayed to a reference time: `value × 0.5^((T − at)/half_life)` is the score part at T.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Decayed {
    /// Points at `at_ms`.
    pub value: f64,
    /// Reference time, ms.
    pub at_ms: u64,
}

/// Everything the scorer knows of one visitor. Bounded: see the `MAX_*` constants.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// Random, first-party visitor id (set by the adapter; never personal data).
    pub visitor_id: String,
    /// Last event of any kind, ms.
    pub last_ms: u64,
    /// Last on-site event, ms.
    pub last_site_ms: Option<u64>,
    /// The current or last visit.
    pub visit: Visit,
    /// Checkout abandoned in an earlier visit, and at which step.
    pub abandoned: CheckoutStep,
    pub(crate) points: Decayed,
    pub(crate) ever: [u16; super::model::EVENT_RULES],
    /// Firing times of window-limited rules: (rule, item key or 0, time).
    pub(crate) window_fires: Vec<(RuleId, u64, u64)>,
    pub(crate) items: Vec<ItemMemo>,
    pub(crate) cart: Vec<CartLine>,
    /// Times of the most recent `view_item` events, for rapid-view intent.
    pub(crate) recent_views: Vec<u64>,
    /// Last time of a low, mid and high intent signal.
    pub(crate) intent_ms: [Option<u64>; 3],
    pub(crate) opted_out: bool,
    pub(crate) spam_complaint: bool,
    pub(crate) bounces: Vec<u64>,
    pub(crate) email_engaged: bool,
    pub(crate) last_email_open_ms: Option<u64>,
    pub(crate) purchases: Vec<PurchaseMemo>,
    /// Purchases ever.
    pub conversions: u32,
    /// Revenue ever (sum of purchase values).
    pub revenue: f64,
    pub(crate) signals: Vec<Signal>,
    /// Signals fired ever.
    pub signals_fired: u32,
    /// Unknown events seen (ignored).
    pub unknown_events: u32,
    /// Nudge caps, cooldowns, the active nudge and experiment exposures (added in version 2).
    pub nudges: super::actions::Memory,
    /// What `identify()` reports have been applied (added in version 3; kept last).
    pub identified: super::identify::Memory,
    /// What scorecards bin (added in version 5): plain fixed-size data, see `characteristics`.
    pub characteristics: super::characteristics::Characteristics,
}

impl Profile {
    /// A new visitor.
    pub fn new(visitor_id: impl Into<String>) -> Profile {
        Profile {
            visitor_id: visitor_id.into(),
            ..Profile::default()
        }
    }

    /// Time of the last event, ms (0 before any).
    pub fn last_event_ms(&self) -> u64 {
        self.last_ms
    }

    /// The most recent signals, oldest first (at most [`MAX_SIGNALS`]).
    pub fn signals(&self) -> &[Signal] {
        &self.signals
    }

    /// Serializes to a compact, versioned string for storage.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(1024);
        bytes.push(VERSION);
        self.put(&mut bytes);
        codec::to_base64(&bytes)
    }

    /// Reads back what [`Profile::encode`] wrote; anything else is an error with a reason.
    ///
    /// Versions 1 to 3 were an earlier format that never shipped; they start fresh.
    pub fn decode(text: &str) -> Result<Profile, Error> {
        let bytes = codec::from_base64(text).ok_or(Error(Kind::State(
            "not base64; it was not written by this library",
        )))?;
        match bytes.split_first() {
            Some((&VERSION, body)) => {
                let mut r = Reader::new(body);
                match Profile::take(&mut r) {
                    Some(profile) if r.is_empty() => Ok(profile),
                    _ => Err(Error(Kind::State("corrupt; its fields do not decode"))),
                }
            }
            Some((v, _)) if *v > VERSION => Err(Error(Kind::State(
                "written by a newer version of this library",
            ))),
            Some(_) => Err(Error(Kind::State(
                "written by an older, unsupported version",
            ))),
            None => Err(Error(Kind::State("empty"))),
        }
    }
}

impl CheckoutStep {
    const ALL: [CheckoutStep; 4] = [
        CheckoutStep::None,
        CheckoutStep::Account,
        CheckoutStep::Shipping,
        CheckoutStep::Payment,
    ];
}

stored_enum!(CheckoutStep, CheckoutStep::ALL);
stored_enum!(Channel, Channel::ALL);
stored_enum!(RuleId, RuleId::ALL);
stored!(Signal {
    rule,
    points,
    time_ms
});
stored!(Visit {
    index,
    started_ms,
    last_ms,
    page_views,
    landing,
    channel,
    from_email,
    page_type,
    page_started_ms,
    counts,
    item_counts,
    flags,
    checkout,
    variant_switches,
});
stored!(ItemMemo {
    key,
    name,
    category,
    price,
    views,
    view_count,
    visit_count,
    last_visit,
    last_seen_ms
});
stored!(CartLine {
    key,
    price,
    quantity,
    added_ms
});
stored!(PurchaseMemo {
    item,
    key,
    category,
    category_key,
    time_ms
});
stored!(Decayed { value, at_ms });
stored!(Profile {
    visitor_id,
    last_ms,
    last_site_ms,
    visit,
    abandoned,
    points,
    ever,
    window_fires,
    items,
    cart,
    recent_views,
    intent_ms,
    opted_out,
    spam_complaint,
    bounces,
    email_engaged,
    last_email_open_ms,
    purchases,
    conversions,
    revenue,
    signals,
    signals_fired,
    unknown_events,
    nudges,
    identified,
    characteristics,
});
