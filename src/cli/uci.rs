//! The UCI Online Shoppers Intention data set (Sakar et al., 2019; CC BY 4.0): one row per
//! session, aggregate counts and durations, `Revenue` as the outcome. Each session is turned into
//! the events a browser would have seen, so the same core scores it:
//!
//! - `VisitorType` = `Returning_Visitor`: an earlier visit 3 days before (GA only says "returning";
//!   we assume the previous visit fell within the 7-day return window);
//! - `Administrative` and `Informational` pages: plain `page_view`s;
//! - `ProductRelated` pages: `view_item` of distinct items (the data does not say which product,
//!   so no repeat views are invented);
//! - the three durations: the spacing of those pages (the time on each page, capped below the
//!   30-minute visit timeout, since GA sessions do not time out inside themselves), which is what
//!   decides rapid-view intent;
//! - `Revenue` = TRUE: a `purchase` after the last page, the outcome.
//!
//! `PageValues` is NOT used: Google Analytics computes it from the transactions that followed a
//! page, so it leaks the outcome. `BounceRates`, `ExitRates`, `SpecialDay`, `Month`, the
//! technical columns and `Weekend` have no counterpart among the model's signals.

use super::metrics;
use crate::core::{Event, EventKind, Item};

/// Base time of every session (sessions are independent visitors; the date is arbitrary).
const SESSION_START_MS: u64 = 1_500_000_000_000;
/// The earlier visit of a returning visitor, before the session.
const RETURN_GAP_MS: u64 = 3 * 86_400_000;
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

/// The events of the session on line `line`, for visitor `uci-<line>`.
pub(crate) fn session(
    row: &csv::ByteRecord,
    line: u64,
) -> Result<Vec<(String, Event)>, (&'static str, String)> {
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
    let bought = revenue(row)?;
    let visitor = format!("uci-{line}");
    let mut events = Vec::new();
    if returning {
        events.push(Event::new(
            EventKind::PageView,
            SESSION_START_MS - RETURN_GAP_MS,
        ));
    }
    let mut t = SESSION_START_MS as f64;
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
    if events.len() == usize::from(returning) {
        // A session with no page counted still had a hit.
        events.push(Event::new(EventKind::PageView, SESSION_START_MS));
    }
    if bought {
        events.push(Event::new(EventKind::Purchase, t as u64 + 1000));
    }
    Ok(events.into_iter().map(|e| (visitor.clone(), e)).collect())
}

/// ROC AUC of `PageValues` alone for `Revenue` (a reference for how much it leaks; not a model
/// input). `None` when the file has no usable row of either class.
pub fn page_values_auc(path: &std::path::Path) -> Result<Option<f64>, String> {
    // The replay reports the file's bad lines; here they are only left out.
    let (mut csv, _) = super::read::csv_reader(super::input::Lines::open(Some(path))?, true);
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
