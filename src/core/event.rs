//! Canonical events: GA4's e-commerce vocabulary plus the extra events of the scoring model,
//! and their validation. Parameters may sit at the top level or inside `ecommerce`.

use super::error::{Error, Problem, Type};
use alloc::string::String;
use alloc::vec::Vec;

/// GA4 allows at most 200 items per event.
pub const MAX_ITEMS: usize = 200;
/// Longest item id, name or category we keep, in characters.
pub const MAX_TEXT: usize = 500;
/// Longest `page_location` or `page_referrer`, in characters.
pub const MAX_URL: usize = 8192;
/// Largest price, quantity or value accepted: sums of any number of them stay finite.
pub const MAX_NUMBER: f64 = 1e15;

macro_rules! event_kinds {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// Every event the model understands, named as GA4 and `SCORING.md` name them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EventKind { $($variant),* }

        impl EventKind {
            /// All kinds, in declaration order.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),*];

            /// The kind with this GA4 or model name; `None` for an unknown event.
            pub fn from_name(name: &str) -> Option<EventKind> {
                // A scan of the name table: a `match` on strings compiles to a comparison per
                // name, several times larger in the wasm.
                EventKind::ALL.iter().copied().find(|k| k.name() == name)
            }

            /// The canonical name. (A table, not a scan of one string: every event asks, twice.)
            pub fn name(self) -> &'static str {
                match self { $(EventKind::$variant => $name),* }
            }
        }
    };
}

event_kinds! {
    PageView = "page_view",
    ViewItemList = "view_item_list",
    SelectItem = "select_item",
    ViewItem = "view_item",
    AddToWishlist = "add_to_wishlist",
    AddToCart = "add_to_cart",
    RemoveFromCart = "remove_from_cart",
    ViewCart = "view_cart",
    BeginCheckout = "begin_checkout",
    AddShippingInfo = "add_shipping_info",
    AddPaymentInfo = "add_payment_info",
    Purchase = "purchase",
    Refund = "refund",
    Search = "search",
    SignUp = "sign_up",
    Login = "login",
    GenerateLead = "generate_lead",
    ViewShippingPolicy = "view_shipping_policy",
    ViewReturnsPolicy = "view_returns_policy",
    ViewFaq = "view_faq",
    ViewSizeGuide = "view_size_guide",
    ViewPricing = "view_pricing",
    SelectVariant = "select_variant",
    ApplyCoupon = "apply_coupon",
    QuizComplete = "quiz_complete",
    ReviewEngagement = "review_engagement",
    EmailOpen = "email_open",
    EmailSubscribe = "email_subscribe",
    EmailUnsubscribe = "email_unsubscribe",
    EmailBounce = "email_bounce",
    SpamComplaint = "spam_complaint",
    SmsOptIn = "sms_opt_in",
    SmsOptOut = "sms_opt_out",
    OptOut = "opt_out",
    SocialFollow = "social_follow",
}

impl EventKind {
    /// Events from the store's email or SMS platform: they neither start nor extend a visit.
    pub fn is_off_site(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            EmailOpen
                | EmailSubscribe
                | EmailUnsubscribe
                | EmailBounce
                | SpamComplaint
                | SmsOptIn
                | SmsOptOut
                | OptOut
                | SocialFollow
        )
    }

    /// Events whose rules key on an item, so at least one item with an id is required.
    fn needs_item(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            ViewItem | AddToWishlist | AddToCart | RemoveFromCart | SelectVariant
        )
    }
}

/// One product line of an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// `item_id`, falling back to `item_name`.
    pub id: String,
    /// `item_name`, when given.
    pub name: Option<String>,
    /// `item_category`, when given.
    pub category: Option<String>,
    /// Unit price; `None` when absent.
    pub price: Option<f64>,
    /// Quantity, 1 when absent.
    pub quantity: f64,
}

/// A validated event at a point in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// When, in ms since the Unix epoch.
    pub time_ms: u64,
    /// The items, in order (at most [`MAX_ITEMS`]).
    pub items: Vec<Item>,
    /// Full URL of the page, when given.
    pub page_location: Option<String>,
    /// Referrer of the page, when given.
    pub page_referrer: Option<String>,
    /// Event-level `value`.
    pub value: Option<f64>,
    /// A non-empty `coupon` at event level or on any item.
    pub coupon: bool,
}

impl Event {
    /// An event with no parameters.
    pub fn new(kind: EventKind, time_ms: u64) -> Event {
        Event {
            kind,
            time_ms,
            items: Vec::new(),
            page_location: None,
            page_referrer: None,
            value: None,
            coupon: false,
        }
    }

    /// `value`, or else Σ price × quantity of the items (a purchase's worth).
    pub fn value_or_items(&self) -> f64 {
        self.value.unwrap_or_else(|| {
            self.items
                .iter()
                .map(|i| i.price.unwrap_or(0.0) * i.quantity)
                .sum()
        })
    }

    /// Decodes and validates the parameters of event `name`.
    ///
    /// `Ok(None)` means the name is not one the model knows: the caller ignores and counts it.
    pub fn decode<P: Params>(name: &str, time_ms: u64, params: &P) -> Result<Option<Event>, Error> {
        let Some(kind) = EventKind::from_name(name) else {
            return Ok(None);
        };
        let ev = kind.name();
        let ecommerce = params
            .get("ecommerce")
            .filter(|e| matches!(e.value(), Value::Map));
        // A parameter inside `ecommerce` wins over one at the top level, as GTM pushes nest them.
        let param = |key: &str| {
            ecommerce
                .as_ref()
                .and_then(|e| e.get(key))
                .or_else(|| params.get(key))
        };

        let mut event = Event::new(kind, time_ms);
        event.page_location = text(
            ev,
            &params.get("page_location"),
            "page_location",
            None,
            MAX_URL,
        )?;
        event.page_referrer = text(
            ev,
            &params.get("page_referrer"),
            "page_referrer",
            None,
            MAX_URL,
        )?;
        event.value = number(ev, &param("value"), "value", None)?;
        event.coupon =
            text(ev, &param("coupon"), "coupon", None, MAX_TEXT)?.is_some_and(|c| !c.is_empty());

        if let Some(items) = param("items") {
            let count = match items.value() {
                Value::List(n) => n,
                Value::Missing | Value::Null => 0,
                other => return Err(wrong_type(ev, "items", None, Type::Array, &other)),
            };
            if count > MAX_ITEMS {
                return Err(Error::event(
                    ev,
                    Problem::TooManyItems {
                        count,
                        max: MAX_ITEMS,
                    },
                ));
            }
            event.items.reserve(count);
            for i in 0..count {
                let Some(raw) = items.at(i) else { continue };
                match raw.value() {
                    Value::Map => {}
                    other => return Err(wrong_type(ev, "", Some(i), Type::Object, &other)),
                }
                event.items.push(item(ev, &raw, i, &mut event.coupon)?);
            }
        }
        if kind.needs_item() && event.items.is_empty() {
            return Err(Error::event(
                ev,
                Problem::Missing {
                    field: "items",
                    item: None,
                },
            ));
        }
        Ok(Some(event))
    }
}

fn item<P: Params>(ev: &'static str, raw: &P, i: usize, coupon: &mut bool) -> Result<Item, Error> {
    let id = id_text(ev, &raw.get("item_id"), "item_id", i)?;
    let name = text(ev, &raw.get("item_name"), "item_name", Some(i), MAX_TEXT)?;
    let Some(id) = id.or_else(|| name.clone()).filter(|s| !s.is_empty()) else {
        return Err(Error::event(
            ev,
            Problem::Missing {
                field: "item_id",
                item: Some(i),
            },
        ));
    };
    let category = text(
        ev,
        &raw.get("item_category"),
        "item_category",
        Some(i),
        MAX_TEXT,
    )?;
    let price = number(ev, &raw.get("price"), "price", Some(i))?;
    let quantity = number(ev, &raw.get("quantity"), "quantity", Some(i))?.unwrap_or(1.0);
    if text(ev, &raw.get("coupon"), "coupon", Some(i), MAX_TEXT)?.is_some_and(|c| !c.is_empty()) {
        *coupon = true;
    }
    Ok(Item {
        id,
        name,
        category,
        price,
        quantity,
    })
}

/// A parameter value as the decoder sees it, whatever the source (JSON or a JS object).
#[derive(Debug, PartialEq)]
pub enum Value {
    /// Absent or `undefined`.
    Missing,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string of acceptable length.
    Text(String),
    /// A string too long to copy; carries its length in characters.
    LongText(usize),
    /// An array of this length.
    List(usize),
    /// An object.
    Map,
    /// Anything else (a function, a symbol…).
    Other,
}

impl Value {
    /// This value's [`Type`], as a refusal names it.
    pub fn kind(&self) -> Type {
        match self {
            Value::Missing => Type::Missing,
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Boolean,
            Value::Number(_) => Type::Number,
            Value::Text(_) | Value::LongText(_) => Type::String,
            Value::List(_) => Type::Array,
            Value::Map => Type::Object,
            Value::Other => Type::Unsupported,
        }
    }

    /// How messages name this type ("a string", "missing").
    pub fn type_name(&self) -> &'static str {
        self.kind().word()
    }
}

/// A source of event parameters: a JSON value natively, a JS object in the browser.
pub trait Params: Sized {
    /// The property `key` of an object; `None` when absent or when this is not an object.
    fn get(&self, key: &str) -> Option<Self>;
    /// This value; strings longer than `MAX_URL` may be reported as [`Value::LongText`].
    fn value(&self) -> Value;
    /// Element `index` of an array.
    fn at(&self, index: usize) -> Option<Self>;
    /// The keys of an object, in order; empty when this is not an object.
    fn keys(&self) -> Vec<String>;
    /// This value as a number when it is numeric text such as `"11.99"`; `None` otherwise.
    fn number_of(&self) -> Option<f64> {
        match self.value() {
            Value::Text(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
    }
}

fn wrong_type(
    ev: &'static str,
    field: &'static str,
    item: Option<usize>,
    expected: Type,
    found: &Value,
) -> Error {
    Error::event(
        ev,
        Problem::WrongType {
            field,
            item,
            expected,
            found: found.kind(),
        },
    )
}

fn text<P: Params>(
    ev: &'static str,
    raw: &Option<P>,
    field: &'static str,
    item: Option<usize>,
    max: usize,
) -> Result<Option<String>, Error> {
    let Some(raw) = raw else { return Ok(None) };
    match raw.value() {
        Value::Missing | Value::Null => Ok(None),
        Value::Text(s) => {
            // A string of at most `max` bytes has at most `max` characters: no need to count.
            let len = if s.len() <= max {
                s.len()
            } else {
                super::text::chars(&s)
            };
            if len > max {
                return Err(Error::event(
                    ev,
                    Problem::TooLong {
                        field,
                        item,
                        len,
                        max,
                    },
                ));
            }
            Ok(Some(s))
        }
        Value::LongText(len) => Err(Error::event(
            ev,
            Problem::TooLong {
                field,
                item,
                len,
                max,
            },
        )),
        other => Err(wrong_type(ev, field, item, Type::String, &other)),
    }
}

/// Item ids are often numeric (Shopify variant ids); numbers are accepted as text.
fn id_text<P: Params>(
    ev: &'static str,
    raw: &Option<P>,
    field: &'static str,
    i: usize,
) -> Result<Option<String>, Error> {
    if let Some(Value::Number(n)) = raw.as_ref().map(Params::value) {
        if super::decimal::is_whole(n) && n.abs() < 9.0e15 {
            let mut id = String::new();
            super::decimal::push_i64(&mut id, n as i64);
            return Ok(Some(id));
        }
        return Err(Error::event(
            ev,
            Problem::WrongType {
                field,
                item: Some(i),
                expected: Type::StringOrInteger,
                found: Type::Fractional,
            },
        ));
    }
    text(ev, raw, field, Some(i), MAX_TEXT)
}

/// Prices and quantities often arrive as strings (`"11.99"`); those are coerced.
fn number<P: Params>(
    ev: &'static str,
    raw: &Option<P>,
    field: &'static str,
    item: Option<usize>,
) -> Result<Option<f64>, Error> {
    let Some(raw) = raw else { return Ok(None) };
    let n = match raw.value() {
        Value::Missing | Value::Null => return Ok(None),
        Value::Number(n) => n,
        Value::Text(s) => match raw.number_of() {
            Some(n) => n,
            None => return Err(wrong_type(ev, field, item, Type::Number, &Value::Text(s))),
        },
        other => return Err(wrong_type(ev, field, item, Type::Number, &other)),
    };
    if !n.is_finite() {
        return Err(Error::event(ev, Problem::NotFinite { field, item }));
    }
    if n < 0.0 {
        return Err(Error::event(ev, Problem::Negative { field, item }));
    }
    if n > MAX_NUMBER {
        return Err(Error::event(ev, Problem::TooLarge { field, item }));
    }
    Ok(Some(n))
}

/// Natively, params come from JSON (the CLI and the test vectors); so do configs in the
/// browser's lazily loaded compiler.
#[cfg(any(not(target_arch = "wasm32"), feature = "compiler"))]
impl Params for &serde_json::Value {
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }
    fn value(&self) -> Value {
        match self {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => n.as_f64().map_or(Value::Other, Value::Number),
            serde_json::Value::String(s) if s.len() > MAX_URL * 4 => {
                Value::LongText(super::text::chars(s))
            }
            serde_json::Value::String(s) => Value::Text(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.len()),
            serde_json::Value::Object(_) => Value::Map,
        }
    }
    fn at(&self, index: usize) -> Option<Self> {
        self.as_array()?.get(index)
    }
    fn keys(&self) -> Vec<String> {
        self.as_object()
            .map_or_else(Vec::new, |o| o.keys().cloned().collect())
    }
}
