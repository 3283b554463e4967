//! The UCI Online Shoppers Intention data set (Sakar et al., 2019; CC BY 4.0): one row per
//! session, aggregate counts and durations, `Revenue` as the outcome.
//!
//! Each row maps directly to the characteristics it states (`core::characteristics`), which a
//! scorecard bins: product pages → `views_visit` and `distinct_items_visit` (the data does not
//! say which product, so no repeat views are invented), their duration → `product_minutes_visit`;
//! Informational pages and time → `info_pages_visit`, `info_minutes_visit`; Administrative →
//! `other_pages_visit`, `other_minutes_visit`; all three durations → `visit_minutes`;
//! `VisitorType` = `Returning_Visitor` → `earlier_visits` 1 (how long ago is unknown: 0 days);
//! `Month` → `month` (the session is dated the 15th of that month, 2017: the year is not given).
//!
//! For the event rules, the row is also turned into the events a browser would have seen, in
//! one visit: `page_view`s for Administrative and Informational pages, `view_item`s of distinct
//! items for product pages, spaced by the durations (each page's time, capped below the 30-minute
//! visit timeout), then `Revenue` = TRUE as a `purchase`, the outcome. No earlier visit is
//! invented for returning visitors: GA only says "returning".
//!
//! `PageValues` is NOT used: Google Analytics computes it from the transactions that followed a
//! page, so it leaks the outcome. `BounceRates` and `ExitRates` (Google Analytics statistics of
//! the pages, over all their visitors), `SpecialDay`, `Weekend` and the technical columns have no
//! counterpart among what a browser observes of one visitor.

use super::super::metrics;
use crate::core::characteristics::Characteristics;
use crate::core::{Event, EventKind, Item};

/// The year sessions are dated in (the data gives only the month).
const YEAR: i32 = 2017;
/// Longest gap between two pages of one session: under the 30-minute timeout.
const MAX_PAGE_MS: f64 = 29.0 * 60_000.0;

/// The columns the mapping reads, by index.
const ADMIN: usize = 0;
const ADMIN_S: usize = 1;
const INFO: usize = 2;
const INFO_S: usize = 3;
const PRODUCT: usize = 4;
const PRODUCT_S: usize = 5;
const PAGE_VALUES: usize = 8;
const MONTH: usize = 10;
const VISITOR_TYPE: usize = 15;
const REVENUE: usize = 17;

const NAMES: [&str; 18] = [
    "Administrative",
    "Administrative_Duration",
    "Informational",
    "Informational_Duration",
    "ProductRelated",
    "ProductRelated_Duration",
    "BounceRates",
    "ExitRates",
    "PageValues",
    "SpecialDay",
    "Month",
    "OperatingSystems",
    "Browser",
    "Region",
    "TrafficType",
    "VisitorType",
    "Weekend",
    "Revenue",
];

fn text(row: &csv::ByteRecord, i: usize) -> Result<&str, (&'static str, String)> {
    let raw = row.get(i).ok_or_else(|| {
        (
            NAMES[i],
            format!("is missing (the row has {} of 18 columns)", row.len()),
        )
    })?;
    std::str::from_utf8(raw).map_err(|_| (NAMES[i], "is not UTF-8".to_string()))
}

/// Most pages of one kind in a session: the data set's largest is 705; a row claiming more
/// would expand into that many events.
const MAX_PAGES: u32 = 10_000;

fn count(row: &csv::ByteRecord, i: usize) -> Result<u32, (&'static str, String)> {
    let t = text(row, i)?;
    match t.trim().parse::<u32>() {
        Ok(n) if n <= MAX_PAGES => Ok(n),
        Ok(_) => Err((
            NAMES[i],
            format!("{t:?} pages is more than the {MAX_PAGES} a session is allowed"),
        )),
        Err(_) => Err((NAMES[i], format!("{t:?} is not a page count"))),
    }
}

fn seconds(row: &csv::ByteRecord, i: usize) -> Result<f64, (&'static str, String)> {
    let t = text(row, i)?;
    match t.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
        _ => Err((
            NAMES[i],
            format!("{t:?} is not a non-negative number of seconds"),
        )),
    }
}

fn revenue(row: &csv::ByteRecord) -> Result<bool, (&'static str, String)> {
    match text(row, REVENUE)?.trim() {
        "TRUE" | "True" | "true" | "1" => Ok(true),
        "FALSE" | "False" | "false" | "0" => Ok(false),
        other => Err(("Revenue", format!("{other:?} is neither TRUE nor FALSE"))),
    }
}

/// The session on one row: its events (for visitor `uci-<line>`) and its characteristics.
pub(crate) struct Session {
    pub events: Vec<(String, Event)>,
    pub mapped: Box<Characteristics>,
}

/// The month of the `Month` column (GA writes `Jan` … `June` … `Dec`).
fn month(row: &csv::ByteRecord) -> Result<u32, (&'static str, String)> {
    let t = text(row, MONTH)?.trim();
    let lower = t.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|n| lower.len() >= 3 && lower.starts_with(n))
        .map(|i| i as u32 + 1)
        .ok_or_else(|| ("Month", format!("{t:?} is not a month name")))
}

/// The session on line `line`.
pub(crate) fn session(row: &csv::ByteRecord, line: u64) -> Result<Session, (&'static str, String)> {
    let groups = [
        (count(row, ADMIN)?, seconds(row, ADMIN_S)?, false),
        (count(row, INFO)?, seconds(row, INFO_S)?, false),
        (count(row, PRODUCT)?, seconds(row, PRODUCT_S)?, true),
    ];
    let returning = match text(row, VISITOR_TYPE)?.trim() {
        "Returning_Visitor" => true,
        "New_Visitor" | "Other" => false,
        other => {
            return Err((
                "VisitorType",
                format!("{other:?} is not Returning_Visitor, New_Visitor or Other"),
            ))
        }
    };
    let start_ms = chrono::NaiveDate::from_ymd_opt(YEAR, month(row)?, 15)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp_millis() as u64);
    let bought = revenue(row)?;
    let visitor = format!("uci-{line}");
    let mut events = Vec::new();
    let mut t = start_ms as f64;
    for (pages, duration_s, products) in groups {
        let gap = if pages == 0 {
            0.0
        } else {
            (duration_s * 1000.0 / f64::from(pages)).min(MAX_PAGE_MS)
        };
        for n in 0..pages {
            let at = t as u64;
            let event = if products {
                let mut e = Event::new(EventKind::ViewItem, at);
                e.items.push(Item {
                    id: format!("p{n}"),
                    name: None,
                    category: None,
                    price: None,
                    quantity: 1.0,
                });
                e
            } else {
                Event::new(EventKind::PageView, at)
            };
            events.push(event);
            t += gap;
        }
    }
    if events.is_empty() {
        // A session with no page counted still had a hit.
        events.push(Event::new(EventKind::PageView, start_ms));
    }
    if bought {
        events.push(Event::new(EventKind::Purchase, t as u64 + 1000));
    }
    let ms = |s: f64| (s * 1000.0) as u64;
    let [(admin, admin_s, _), (info, info_s, _), (views, views_s, _)] = groups;
    let mut mapped = Characteristics {
        visits: 1 + u32::from(returning),
        visit_start_ms: start_ms,
        last_site_ms: start_ms + ms(admin_s + info_s + views_s),
        views,
        views_visit: views,
        distinct_items_visit: views,
        current_item_views: views.min(1),
        page_class: 0,
        class_ms: [ms(views_s), ms(info_s), ms(admin_s)],
        info_pages_visit: info,
        other_pages_visit: admin,
        ..Characteristics::default()
    };
    mapped.item_views[0] = views.min(1);
    Ok(Session {
        events: events.into_iter().map(|e| (visitor.clone(), e)).collect(),
        mapped: Box::new(mapped),
    })
}

/// ROC AUC of `PageValues` alone for `Revenue` (a reference for how much it leaks; not a model
/// input). `None` when the file has no usable row of either class.
pub fn page_values_auc(path: &std::path::Path) -> Result<Option<f64>, String> {
    // The replay reports the file's bad lines; here they are only left out.
    let (mut csv, _) = super::csv_reader(super::super::input::Lines::open(Some(path))?, true);
    let mut scored = Vec::new();
    let mut row = csv::ByteRecord::new();
    while csv.read_byte_record(&mut row).unwrap_or(false) {
        let (Ok(values), Ok(bought)) = (seconds(&row, PAGE_VALUES), revenue(&row)) else {
            continue;
        };
        scored.push((values, bought));
    }
    Ok(metrics::roc_auc(&scored))
}
