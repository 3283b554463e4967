//! The model the engine runs on: every weight, limit, window, threshold and page type resolved,
//! and the nudge rules and experiments compiled. It depends on nothing that reads a config:
//! reading and validating one is [`super::config`]'s job, and the browser gets a model already
//! compiled ([`super::compiled`]), so it links only this and the engine.

use super::experiment::Experiment;
use alloc::string::String;
use alloc::vec::Vec;

/// Lead stage, from the first article's thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Stage {
    /// Below warm.
    Cold,
    /// Warm lead.
    Warm,
    /// Marketing qualified.
    Mql,
    /// Sales qualified.
    Sql,
}

impl Stage {
    /// All stages, lowest first.
    pub const ALL: [Stage; 4] = [Stage::Cold, Stage::Warm, Stage::Mql, Stage::Sql];

    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Cold => "cold",
            Stage::Warm => "warm",
            Stage::Mql => "mql",
            Stage::Sql => "sql",
        }
    }
}

/// Intent tier, from the second article's categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
pub enum Intent {
    /// No event in the intent window.
    None,
    /// Browsing.
    Low,
    /// Evaluating.
    Mid,
    /// Deciding.
    High,
}

impl Intent {
    /// All tiers, lowest first.
    pub const ALL: [Intent; 4] = [Intent::None, Intent::Low, Intent::Mid, Intent::High];

    /// The tier's name.
    pub fn name(self) -> &'static str {
        match self {
            Intent::None => "none",
            Intent::Low => "low",
            Intent::Mid => "mid",
            Intent::High => "high",
        }
    }
}

/// One day in milliseconds.
pub const DAY_MS: f64 = 86_400_000.0;

macro_rules! rule_ids {
    ($($variant:ident = $name:literal: $doc:literal),* $(,)?) => {
        /// The scoring rules, in a fixed order (the index is used in stored state).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(not(target_arch = "wasm32"), serde(rename_all = "snake_case"))]
        pub enum RuleId { $(#[doc = $doc] $variant),* }

        impl RuleId {
            /// Every rule, in index order.
            pub const ALL: [RuleId; 17] = [$(RuleId::$variant),*];

            /// The rule's name in configs and reports.
            pub fn name(self) -> &'static str {
                // The names as one string (no table of pointers in the wasm): rule names are
                // for reports and `state()`, not for every event.
                const NAMES: &str = concat!($($name, " "),*);
                super::text::words(NAMES).nth(self as usize).unwrap_or_default()
            }
        }
    };
}

rule_ids! {
    SiteVisit = "site_visit": "First event of every visit.",
    ReturnVisit = "return_visit": "First event of a visit that starts soon after the previous one ended.",
    ProductView = "product_view": "A `view_item`.",
    RepeatProductView = "repeat_product_view": "The n-th view of the same item within a window.",
    AddToCart = "add_to_cart": "An `add_to_cart`.",
    BeginCheckout = "begin_checkout": "A `begin_checkout`.",
    WishlistAdd = "wishlist_add": "An `add_to_wishlist`.",
    EmailClickThrough = "email_click_through": "A visit from email that contains a `view_item`.",
    QuizComplete = "quiz_complete": "A `quiz_complete`.",
    EmailOpen = "email_open": "An `email_open`.",
    SmsOptIn = "sms_opt_in": "An `sms_opt_in`.",
    SocialFollow = "social_follow": "A `social_follow`.",
    ReviewEngagement = "review_engagement": "A `review_engagement`.",
    EmailUnsubscribe = "email_unsubscribe": "An `email_unsubscribe`.",
    EmailBounce = "email_bounce": "An `email_bounce`.",
    NoSiteVisit30d = "no_site_visit_30d": "Condition: no on-site event for a while.",
    NoEmailOpens30d = "no_email_opens_30d": "Condition: no email opened for a while.",
}

/// Number of event rules (the condition rules follow them in [`RuleId`]).
pub const EVENT_RULES: usize = 15;

impl RuleId {
    /// The rule with this name.
    pub fn from_name(name: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The rule at `index` (stored state); the last rule for an index out of range.
    pub fn from_index(index: u8) -> RuleId {
        RuleId::ALL[(index as usize).min(RuleId::ALL.len() - 1)]
    }
}

/// What a rule's `max` counts over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
#[cfg_attr(not(target_arch = "wasm32"), serde(rename_all = "snake_case"))]
pub enum Per {
    /// No limit.
    None,
    /// Per visit.
    Visit,
    /// Per item per visit.
    ItemVisit,
    /// Per visitor, ever.
    Ever,
    /// Per rolling window of `days`.
    Days,
    /// Per item per rolling window of `days`.
    ItemDays,
}

impl Per {
    /// Every limit kind, in the order of their codes.
    pub const ALL: [Per; 6] = [
        Per::None,
        Per::Visit,
        Per::ItemVisit,
        Per::Ever,
        Per::Days,
        Per::ItemDays,
    ];
}

/// A resolved scoring rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    /// Points per firing.
    pub points: f64,
    /// What `max` counts over.
    pub per: Per,
    /// Firings allowed per `per`.
    pub max: u32,
    /// Window for `Days`/`ItemDays`, and the span of condition rules, in ms.
    pub window_ms: u64,
}

/// What a page type means to the engine, beyond its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageRole {
    /// A page type of the store's own, or one the engine gives no meaning.
    Plain,
    /// A product list: with a product view after it, mid intent.
    Collection,
    /// The shipping policy.
    Shipping,
    /// The returns policy.
    Returns,
    /// The FAQ.
    Faq,
    /// The size guide.
    SizeGuide,
    /// Pricing: high intent.
    Pricing,
    /// The checkout's shipping step.
    CheckoutShipping,
    /// The checkout's payment step.
    CheckoutPayment,
}

impl PageRole {
    /// The role of the page type named `name` (roles go by the default types' names).
    pub fn of(name: &str) -> PageRole {
        match name {
            "collection" => PageRole::Collection,
            "shipping" => PageRole::Shipping,
            "returns" => PageRole::Returns,
            "faq" => PageRole::Faq,
            "size_guide" => PageRole::SizeGuide,
            "pricing" => PageRole::Pricing,
            "checkout_shipping" => PageRole::CheckoutShipping,
            "checkout_payment" => PageRole::CheckoutPayment,
            _ => PageRole::Plain,
        }
    }
}

/// A page type: its name and path patterns (lowercase; `=` starts an exact path).
#[derive(Clone, Debug, PartialEq)]
pub struct PageType {
    /// Its name.
    pub name: String,
    /// Path substrings, lowercase; a pattern starting with `=` is an exact path.
    pub patterns: Vec<String>,
    /// What it means to the engine.
    pub role: PageRole,
}

/// Most page types a model may have: a page type is one byte of the profile.
pub const MAX_PAGE_TYPES: usize = 64;

/// How a generic renderer shows a nudge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A chat invitation (a chat widget, or the built-in bubble).
    Chat,
    /// An informational banner.
    Banner,
}

impl Kind {
    /// The kind's name, as in configs and events.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chat => "chat",
            Kind::Banner => "banner",
        }
    }
}

/// What may fire a nudge rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// Any evaluation: after events, and dwell timers.
    Page,
    /// Only an idle trigger of at least this many ms.
    Idle(u64),
    /// Only an exit-intent trigger.
    ExitIntent,
}

/// One compiled alternative of a nudge rule's `when`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions {
    /// Stages allowed, a bit per [`Stage`] (0: any).
    pub stages: u8,
    /// Intent tiers allowed, a bit per [`Intent`] (0: any).
    pub intents: u8,
    /// Required suppression state.
    pub suppressed: Option<bool>,
    /// Page types allowed (empty: any).
    pub pages: Vec<u8>,
    /// Page types refused.
    pub not_pages: Vec<u8>,
    /// Visit flags, any of which must be set (0: no condition).
    pub viewed: u16,
    /// Abandoned checkout steps allowed, a bit per step after `None` (0: no condition).
    pub abandoned: u8,
    /// Minimum variant switches this visit.
    pub variant_switches: u16,
    /// Required cart state.
    pub cart: Option<bool>,
    /// Required `high_value`.
    pub high_value: Option<bool>,
    /// Minimum `value`.
    pub min_value: Option<f64>,
    /// Required return-visit state.
    pub return_visit: Option<bool>,
    /// Minimum time on the current page, ms.
    pub dwell_ms: u64,
}

/// A compiled nudge rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Nudge {
    /// Its name.
    pub name: String,
    /// Hash of the name, its key in the profile's nudge memory.
    pub key: u32,
    /// Off when false.
    pub enabled: bool,
    /// The move it makes (the rule's name unless configured).
    pub action: String,
    /// How a generic renderer shows it.
    pub kind: Kind,
    /// Message template; `{product}` is replaced by the visitor's most viewed item.
    pub message: String,
    /// Promotional (never for suppressed visitors, never about recent purchases).
    pub promotional: bool,
    /// Higher wins.
    pub priority: u32,
    /// Index into [`Model::experiments`].
    pub experiment: Option<usize>,
    /// What may fire it.
    pub on: On,
    /// Per-visit cap (0: none).
    pub max_per_visit: u32,
    /// Per-24-hours cap (0: none).
    pub max_per_day: u32,
    /// Per-visitor cap (0: none).
    pub max_per_visitor: u32,
    /// Cooldown after a showing, ms.
    pub cooldown_ms: u64,
    /// Alternatives; the rule holds when any does.
    pub when: Vec<Conditions>,
}

/// The default rules' messages, by rule name (`config::actions::default_rules` takes its own from
/// here). A compiled model leaves out a message that is its rule's default and the engines that
/// show messages put it back (`compiled.rs`), so the model file the tag loads at start carries no
/// copy that only the lazily loaded nudge engine shows. Neutral on purpose: they make no offer a
/// store has not made.
pub const DEFAULT_MESSAGES: [(&str, &str); 9] = [
    (
        "proactive_chat",
        "I noticed you've been looking at {product}. Can I help with any questions?",
    ),
    (
        "free_shipping_offer",
        "Welcome back! Ask us about free shipping on your order today.",
    ),
    (
        "payment_options",
        "Welcome back! Questions about paying? We can walk you through the payment options.",
    ),
    (
        "guest_checkout",
        "Welcome back! No account needed: you can check out as a guest.",
    ),
    (
        "cart_reminder",
        "Welcome back! Your cart is still saved for you.",
    ),
    (
        "size_help",
        "Not sure about the size? We're happy to help you find the right fit.",
    ),
    (
        "shipping_reassurance",
        "Wondering about delivery? Our shipping page lists the costs and delivery times.",
    ),
    (
        "returns_reassurance",
        "Not sure yet? Our returns policy explains how to send items back.",
    ),
    (
        "comparison_help",
        "Comparing options? We can help you pick the right one.",
    ),
];

/// The default message of the rule named `name`, if it is a default rule.
pub fn default_message(name: &str) -> Option<&'static str> {
    DEFAULT_MESSAGES
        .iter()
        .find(|(rule, _)| *rule == name)
        .map(|(_, message)| *message)
}

/// The compiled `actions` section.
#[derive(Clone, Debug, PartialEq)]
pub struct Actions {
    /// Off when false.
    pub enabled: bool,
    /// Nudges per visit over all rules (0: none).
    pub max_per_visit: u32,
    /// Attribution window of conversions, ms.
    pub attribution_ms: u64,
    /// Rules, highest priority first (ties by name).
    pub rules: Vec<Nudge>,
}

/// The validated model the engine runs on.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Rules, indexed by `RuleId as usize`.
    pub rules: [Rule; 17],
    /// Visit timeout, ms.
    pub session_timeout_ms: u64,
    /// Half-life of points, ms; 0 = no decay.
    pub half_life_ms: f64,
    /// Intent window, ms.
    pub intent_window_ms: u64,
    /// `view_item` count for rapid-view high intent.
    pub rapid_views: u32,
    /// Its window, ms.
    pub rapid_views_ms: u64,
    /// Distinct visits viewing one item for mid intent.
    pub repeat_item_visits: u32,
    /// Views of one item that fire `repeat_product_view`.
    pub repeat_views: u32,
    /// Longest gap for `return_visit`, ms.
    pub return_within_ms: u64,
    /// Bounces that suppress.
    pub bounces_to_suppress: u32,
    /// Their window, ms.
    pub bounce_window_ms: u64,
    /// Recent-purchase exclusion, ms.
    pub recent_purchase_ms: u64,
    /// Value window, ms.
    pub value_window_ms: u64,
    /// High-value threshold.
    pub high_value_threshold: f64,
    /// Stage thresholds: sql, mql, warm.
    pub stages: [f64; 3],
    /// Page types in match order.
    pub page_types: Vec<PageType>,
    /// Lowercase `utm_medium` values meaning email.
    pub email_mediums: Vec<String>,
    /// Email platform click ids.
    pub email_click_ids: Vec<String>,
    /// Nudge rules.
    pub actions: Actions,
    /// Experiments, by position (rules refer to them by index).
    pub experiments: Vec<Experiment>,
    /// Points for bins of characteristics, added at snapshot time (empty by default).
    pub scorecard: super::scorecard::Scorecard,
}

impl Model {
    /// The resolved rule.
    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.rules[id as usize]
    }

    /// The page type of a URL's path, by the first matching pattern; its index in `page_types`.
    pub fn page_type(&self, url: &str) -> Option<u8> {
        let path = super::url::path_of(url).to_ascii_lowercase();
        self.page_types
            .iter()
            .position(|t| {
                t.patterns.iter().any(|p| match p.as_bytes().first() {
                    Some(b'=') => path == super::text::from(p, 1),
                    _ => super::text::contains(&path, p),
                })
            })
            .map(|i| i as u8)
    }

    /// The first page type with `role`.
    pub fn page_of_role(&self, role: PageRole) -> Option<u8> {
        self.page_types
            .iter()
            .position(|t| t.role == role)
            .map(|i| i as u8)
    }

    /// The name of page type `index`.
    pub fn page_type_name(&self, index: u8) -> &str {
        self.page_types
            .get(index as usize)
            .map_or("", |t| t.name.as_str())
    }

    /// What page type `index` means to the engine.
    pub fn page_role(&self, index: u8) -> PageRole {
        self.page_types
            .get(index as usize)
            .map_or(PageRole::Plain, |t| t.role)
    }

    /// The stage of a (rounded) score.
    pub fn stage_of(&self, score: f64) -> Stage {
        match score {
            s if s >= self.stages[0] => Stage::Sql,
            s if s >= self.stages[1] => Stage::Mql,
            s if s >= self.stages[2] => Stage::Warm,
            _ => Stage::Cold,
        }
    }
}

/// A bit per level of `all` named in `names`, for stage and intent conditions.
pub fn level_bits<T: Copy>(names: &[String], all: &[T], name: fn(T) -> &'static str) -> Option<u8> {
    let mut mask = 0;
    for n in names {
        mask |= 1 << all.iter().position(|&l| name(l) == n)?;
    }
    Some(mask)
}

/// The levels of `all` whose bits are set in `mask`.
pub fn level_names<T: Copy>(mask: u8, all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter()
        .enumerate()
        .filter(|(i, _)| mask & 1 << i != 0)
        .map(|(_, &l)| name(l))
        .collect()
}

// `Intent` is only named by the docs of `Conditions::intents`.
#[allow(unused_imports)]
use Intent as _;
