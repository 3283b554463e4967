//! Characteristics: what a visitor has done so far, as uncapped numbers a scorecard can bin
//! (`src/core/scorecard.rs`). One [`Characteristics`] per profile is updated by every on-site
//! event, and [`Characteristics::values`] reads them at any time T, identically in the browser
//! and natively.
//!
//! The state is plain fixed-size data (`bytemuck::Pod`, as the profile it is part of), bounded
//! whatever the number of events. The
//! one approximation: a visit remembers [`VISIT_ITEMS`] items; past that, the item with the
//! fewest views this visit is forgotten, so a later view of it counts as a new distinct item.
//!
//! "This visit" means the current visit, or the last one when T is after it (as `Profile::visit`).

use super::event::{Event, EventKind};
use super::model::{Model, PageRole};
use super::scorecard::Scorecard;
use super::text::key_of;
use bytemuck::{Pod, Zeroable};

/// Items remembered per visit for the item characteristics.
pub const VISIT_ITEMS: usize = 16;

/// The characteristics, in the order of [`Characteristics::values`].
pub const NAMES: [&str; COUNT] = [
    "cart_adds",
    "cart_value",
    "current_item_views_visit",
    "distinct_items_visit",
    "top_item_views_visit",
    "views_visit",
    "views",
    "earlier_visits",
    "days_since_last_visit",
    "previous_gap_minutes",
    "visit_minutes",
    "product_minutes_visit",
    "info_pages_visit",
    "info_minutes_visit",
    "other_pages_visit",
    "other_minutes_visit",
    "mean_price_visit",
    "shipping_views_visit",
    "returns_views_visit",
    "size_guide_views_visit",
    "faq_views_visit",
    "checkout_step_visit",
    "month",
];

/// How many characteristics there are.
pub const COUNT: usize = 23;

/// The index of the characteristic called `name`.
pub fn index_of(name: &str) -> Option<usize> {
    NAMES.iter().position(|n| *n == name)
}

/// What page the visitor is on, for the time-on-page characteristics (`page_class`).
const PRODUCT: u8 = 1;
const INFO: u8 = 2;
const OTHER: u8 = 3;

/// The info page roles, in the order of `page_counts_visit`; pricing counts only as info.
const INFO_ROLES: [PageRole; 5] = [
    PageRole::Shipping,
    PageRole::Returns,
    PageRole::SizeGuide,
    PageRole::Faq,
    PageRole::Pricing,
];

/// The characteristics' state: numbers and fixed arrays of numbers, widest first (no padding).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Pod, Zeroable)]
pub struct Characteristics {
    /// First on-site event of this visit, ms.
    pub visit_start_ms: u64,
    /// Latest on-site event, ms.
    pub last_site_ms: u64,
    /// From the previous on-site event to the latest one, ms.
    pub previous_gap_ms: u64,
    /// From the end of the previous visit to the start of this one, ms (0 with no earlier visit).
    pub last_visit_gap_ms: u64,
    /// Σ price × quantity added to the cart minus removed, since the last purchase.
    pub cart_value: f64,
    /// Σ price of the items viewed this visit that had one.
    pub price_sum_visit: f64,
    /// Keys of the items viewed this visit (0 = empty slot).
    pub item_keys: [u64; VISIT_ITEMS],
    /// Time on product, info and other pages this visit, ms.
    pub class_ms: [u64; 3],
    /// Visits begun, the current one included.
    pub visits: u32,
    /// `add_to_cart` events since the last purchase.
    pub cart_adds: u32,
    /// `view_item` events ever.
    pub views: u32,
    /// `view_item` events this visit.
    pub views_visit: u32,
    /// Distinct items viewed this visit.
    pub distinct_items_visit: u32,
    /// Views this visit of the latest viewed item.
    pub current_item_views: u32,
    /// Info pages (shipping, returns, size guide, faq, pricing) viewed this visit.
    pub info_pages_visit: u32,
    /// Other pages viewed this visit (not product, not info).
    pub other_pages_visit: u32,
    /// Items viewed this visit that had a price.
    pub priced_views_visit: u32,
    /// Views of each remembered item this visit.
    pub item_views: [u32; VISIT_ITEMS],
    /// Views this visit of the shipping, returns, size-guide and faq pages.
    pub page_counts_visit: [u32; 4],
    /// The page the visitor is on: 0 none yet, 1 product, 2 info, 3 other.
    pub page_class: u8,
    /// Furthest checkout step this visit: 0 none, 1 begun, 2 shipping, 3 payment.
    pub checkout_step_visit: u8,
    /// Padding to a multiple of 8 bytes.
    pub _pad: [u8; 2],
}

impl Characteristics {
    /// Updates the state with one event; `new_visit` says the event started a visit, and `page`
    /// is the type of the page a `page_view` shows (as the visit found it: `Visit::page_type`).
    /// Off-site events (email, SMS) are not site activity and change nothing.
    pub fn observe(&mut self, model: &Model, event: &Event, new_visit: bool, page: Option<u8>) {
        use EventKind::*;
        if event.kind.is_off_site() {
            return;
        }
        let t = event.time_ms;
        let gap = t.saturating_sub(self.last_site_ms);
        if new_visit {
            if self.visits > 0 {
                self.last_visit_gap_ms = gap;
            }
            *self = Characteristics {
                visits: self.visits.saturating_add(1),
                visit_start_ms: t,
                last_visit_gap_ms: self.last_visit_gap_ms,
                cart_adds: self.cart_adds,
                cart_value: self.cart_value,
                views: self.views,
                ..Characteristics::default()
            };
        } else if let Some(slot) = self
            .class_ms
            .get_mut(usize::from(self.page_class).wrapping_sub(1))
        {
            // The time since the last event goes to the page it was on (none before the first).
            *slot = slot.saturating_add(gap);
        }
        self.previous_gap_ms = if self.visits > 1 || !new_visit {
            gap
        } else {
            0
        };
        self.last_site_ms = t;
        match event.kind {
            ViewItem => self.view_item(event),
            PageView => match page {
                // The product page's view_item counts the view.
                Some(i) if model.page_type_name(i) == "product" => self.page_class = PRODUCT,
                Some(i) => {
                    let role = model.page_role(i);
                    match role {
                        PageRole::CheckoutShipping => self.reach(2),
                        PageRole::CheckoutPayment => self.reach(3),
                        _ => {}
                    }
                    self.page(role)
                }
                None => self.page(PageRole::Plain),
            },
            ViewShippingPolicy => self.page(PageRole::Shipping),
            ViewReturnsPolicy => self.page(PageRole::Returns),
            ViewSizeGuide => self.page(PageRole::SizeGuide),
            ViewFaq => self.page(PageRole::Faq),
            ViewPricing => self.page(PageRole::Pricing),
            AddToCart => {
                for item in &event.items {
                    self.cart_adds = self.cart_adds.saturating_add(1);
                    self.cart_value += item.price.unwrap_or(0.0) * item.quantity;
                }
            }
            RemoveFromCart => {
                let mut removed = 0.0;
                for item in &event.items {
                    removed += item.price.unwrap_or(0.0) * item.quantity;
                }
                self.cart_value = (self.cart_value - removed).max(0.0);
            }
            Purchase => {
                self.cart_adds = 0;
                self.cart_value = 0.0;
            }
            BeginCheckout => self.reach(1),
            AddShippingInfo | AddPaymentInfo => self.reach(3),
            _ => {}
        }
    }

    fn reach(&mut self, step: u8) {
        self.checkout_step_visit = self.checkout_step_visit.max(step);
    }

    /// A page view of a page with `role` (`Plain` when untyped).
    fn page(&mut self, role: PageRole) {
        match INFO_ROLES.iter().position(|r| *r == role) {
            Some(i) => {
                self.page_class = INFO;
                self.info_pages_visit = self.info_pages_visit.saturating_add(1);
                if let Some(count) = self.page_counts_visit.get_mut(i) {
                    *count = count.saturating_add(1);
                }
            }
            None => {
                self.page_class = OTHER;
                self.other_pages_visit = self.other_pages_visit.saturating_add(1);
            }
        }
    }

    fn view_item(&mut self, event: &Event) {
        self.page_class = PRODUCT;
        self.views = self.views.saturating_add(1);
        self.views_visit = self.views_visit.saturating_add(1);
        let mut first = true;
        for item in &event.items {
            // Key 0 marks an empty slot; an item hashing to 0 shares key 1.
            let key = key_of(&item.id).max(1);
            // The item's slot; else an empty one, else the one with the fewest views (the first).
            let (mut slot, mut fewest) = (None, (true, u32::MAX));
            let mut free = 0;
            for (i, (&k, &views)) in self.item_keys.iter().zip(&self.item_views).enumerate() {
                if k == key {
                    slot = Some(i);
                    break;
                }
                if (k != 0, views) < fewest {
                    (free, fewest) = (i, (k != 0, views));
                }
            }
            let slot = slot.unwrap_or_else(|| {
                self.distinct_items_visit = self.distinct_items_visit.saturating_add(1);
                if let Some(k) = self.item_keys.get_mut(free) {
                    *k = key;
                }
                if let Some(v) = self.item_views.get_mut(free) {
                    *v = 0;
                }
                free
            });
            if let Some(views) = self.item_views.get_mut(slot) {
                *views = views.saturating_add(1);
                if first {
                    self.current_item_views = *views;
                }
            }
            first = false;
            if let Some(price) = item.price {
                self.price_sum_visit += price;
                self.priced_views_visit = self.priced_views_visit.saturating_add(1);
            }
        }
    }

    /// The points `card` gives these characteristics at `t_ms` (0 without a scorecard).
    pub fn points(&self, card: &Scorecard, t_ms: u64) -> f64 {
        if card.is_empty() {
            return 0.0;
        }
        card.points_of(&self.values(t_ms))
    }

    /// The characteristics at `t_ms`, in the order of [`NAMES`].
    pub fn values(&self, t_ms: u64) -> [f64; COUNT] {
        let minutes = |ms: u64| ms as f64 / 60_000.0;
        let top = self.item_views.iter().copied().max().unwrap_or(0);
        let mean_price = if self.priced_views_visit > 0 {
            self.price_sum_visit / f64::from(self.priced_views_visit)
        } else {
            0.0
        };
        let days_since_last_visit = if self.visits > 1 {
            self.last_visit_gap_ms as f64 / 86_400_000.0
        } else {
            -1.0
        };
        [
            f64::from(self.cart_adds),
            self.cart_value,
            f64::from(self.current_item_views),
            f64::from(self.distinct_items_visit),
            f64::from(top),
            f64::from(self.views_visit),
            f64::from(self.views),
            f64::from(self.visits.saturating_sub(1)),
            days_since_last_visit,
            minutes(self.previous_gap_ms),
            minutes(self.last_site_ms.saturating_sub(self.visit_start_ms)),
            minutes(self.class_ms[0]),
            f64::from(self.info_pages_visit),
            minutes(self.class_ms[1]),
            f64::from(self.other_pages_visit),
            minutes(self.class_ms[2]),
            mean_price,
            f64::from(self.page_counts_visit[0]),
            f64::from(self.page_counts_visit[1]),
            f64::from(self.page_counts_visit[2]),
            f64::from(self.page_counts_visit[3]),
            f64::from(self.checkout_step_visit),
            f64::from(month_of(t_ms)),
        ]
    }
}

/// The month (1–12, UTC) of a time in ms since the Unix epoch (Howard Hinnant's civil calendar).
pub fn month_of(t_ms: u64) -> u32 {
    let z = t_ms / 86_400_000 + 719_468;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    (if mp < 10 { mp + 3 } else { mp - 9 }) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Item;

    const T0: u64 = 1_767_571_200_000; // 2026-01-05 00:00 UTC
    const MIN: u64 = 60_000;

    fn view(id: &str, t: u64, price: Option<f64>) -> Event {
        let mut e = Event::new(EventKind::ViewItem, t);
        e.items.push(Item {
            id: id.into(),
            name: None,
            category: None,
            price,
            quantity: 1.0,
        });
        e
    }

    /// `observe`, with the page type the visit finds for a page view.
    fn see(c: &mut Characteristics, m: &Model, e: &Event, new_visit: bool) {
        let page = e.page_location.as_deref().and_then(|u| m.page_type(u));
        c.observe(m, e, new_visit, page);
    }

    fn value(c: &Characteristics, name: &str, t: u64) -> f64 {
        c.values(t)[index_of(name).unwrap()]
    }

    #[test]
    fn months_follow_the_civil_calendar() {
        assert_eq!(month_of(0), 1);
        assert_eq!(month_of(T0), 1);
        // 2024-02-29 12:00 and 2024-03-01 00:00 UTC.
        assert_eq!(month_of(1_709_208_000_000), 2);
        assert_eq!(month_of(1_709_251_200_000), 3);
        assert_eq!(month_of(1_735_689_599_000), 12, "2024-12-31 23:59:59");
    }

    #[test]
    fn item_views_count_back_to_an_item_and_distinct_items() {
        let m = Model::default();
        let mut c = Characteristics::default();
        see(&mut c, &m, &view("A", T0, Some(10.0)), true);
        see(&mut c, &m, &view("B", T0 + MIN, Some(30.0)), false);
        see(&mut c, &m, &view("A", T0 + 3 * MIN, None), false);
        let t = T0 + 3 * MIN;
        assert_eq!(value(&c, "current_item_views_visit", t), 2.0);
        assert_eq!(value(&c, "distinct_items_visit", t), 2.0);
        assert_eq!(value(&c, "top_item_views_visit", t), 2.0);
        assert_eq!(value(&c, "views_visit", t), 3.0);
        assert_eq!(value(&c, "mean_price_visit", t), 20.0);
        assert_eq!(value(&c, "product_minutes_visit", t), 3.0);
        assert_eq!(value(&c, "previous_gap_minutes", t), 2.0);
        assert_eq!(value(&c, "earlier_visits", t), 0.0);
        assert_eq!(value(&c, "days_since_last_visit", t), -1.0);
    }

    #[test]
    fn a_new_visit_resets_the_visit_and_keeps_the_visitor() {
        let m = Model::default();
        let mut c = Characteristics::default();
        see(&mut c, &m, &view("A", T0, None), true);
        let mut cart = view("A", T0 + MIN, Some(25.0));
        cart.kind = EventKind::AddToCart;
        cart.items[0].quantity = 2.0;
        see(&mut c, &m, &cart, false);
        let later = T0 + MIN + 2 * 86_400_000;
        see(&mut c, &m, &view("B", later, None), true);
        assert_eq!(value(&c, "earlier_visits", later), 1.0);
        assert_eq!(value(&c, "days_since_last_visit", later), 2.0);
        assert_eq!(value(&c, "views_visit", later), 1.0);
        assert_eq!(value(&c, "views", later), 2.0);
        assert_eq!(
            (
                value(&c, "cart_adds", later),
                value(&c, "cart_value", later)
            ),
            (1.0, 50.0)
        );
        assert_eq!(value(&c, "product_minutes_visit", later), 0.0);
    }

    #[test]
    fn pages_count_by_type_and_time_goes_to_the_page_left() {
        let m = Model::default();
        let mut c = Characteristics::default();
        let page = |url: &str, t: u64| {
            let mut e = Event::new(EventKind::PageView, t);
            e.page_location = Some(url.into());
            e
        };
        see(&mut c, &m, &page("https://s.example/", T0), true);
        see(
            &mut c,
            &m,
            &page("https://s.example/policies/shipping-policy", T0 + MIN),
            false,
        );
        see(
            &mut c,
            &m,
            &Event::new(EventKind::ViewFaq, T0 + 4 * MIN),
            false,
        );
        see(
            &mut c,
            &m,
            &page("https://s.example/checkout/shipping", T0 + 5 * MIN),
            false,
        );
        let t = T0 + 5 * MIN;
        assert_eq!(value(&c, "other_pages_visit", t), 2.0, "home and checkout");
        assert_eq!(value(&c, "info_pages_visit", t), 2.0);
        assert_eq!(value(&c, "shipping_views_visit", t), 1.0);
        assert_eq!(value(&c, "faq_views_visit", t), 1.0);
        assert_eq!(value(&c, "other_minutes_visit", t), 1.0);
        assert_eq!(value(&c, "info_minutes_visit", t), 4.0);
        assert_eq!(value(&c, "checkout_step_visit", t), 2.0);
        assert_eq!(value(&c, "visit_minutes", t), 5.0);
    }

    #[test]
    fn a_full_item_table_forgets_the_least_viewed_item() {
        let m = Model::default();
        let mut c = Characteristics::default();
        see(&mut c, &m, &view("A", T0, None), true);
        see(&mut c, &m, &view("A", T0 + 1, None), false);
        for i in 0..VISIT_ITEMS as u64 {
            see(
                &mut c,
                &m,
                &view(&alloc::format!("x{i}"), T0 + 2 + i, None),
                false,
            );
        }
        let t = T0 + 100;
        assert_eq!(
            value(&c, "distinct_items_visit", t),
            1.0 + VISIT_ITEMS as f64
        );
        // A, viewed twice, is still remembered.
        see(&mut c, &m, &view("A", t, None), false);
        assert_eq!(value(&c, "current_item_views_visit", t), 3.0);
        assert_eq!(
            value(&c, "distinct_items_visit", t),
            1.0 + VISIT_ITEMS as f64
        );
    }
}
