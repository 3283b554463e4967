//! The `scorecard` section of a config: points for bins of characteristics, and for a few
//! crossed bins of two (`super::super::scorecard`). Empty by default.
//!
//! ```json
//! "scorecard": {
//!   "bins": { "distinct_items_visit": { "edges": [2, 3, 5], "points": [8, 3, 5, 0] } },
//!   "crossed": [ { "rows": "product_minutes_visit", "row_edges": [3],
//!                  "columns": "month", "column_edges": [11], "points": [0, 6,
//!                                                                        4, 13] } ],
//!   "odds": { "pdo": 10, "zero_points": 0.011 }
//! }
//! ```
//!
//! `edges` split a characteristic into bins: below the first edge, then from each edge (included)
//! to the next. A crossed table's `points` go row by row. `odds` records what calibration
//! measured, the probability of buying at 0 points and the points that double the odds; the
//! score does not use it, reports do.

use super::super::characteristics;
use super::super::error::Error;
use super::super::event::Params;
use super::super::fields::Fields;
use super::super::scorecard::{Binned, Crossed, Odds, Scorecard};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Fields of the `scorecard` section.
pub const FIELDS: &[&str] = &["bins", "crossed", "odds"];
const BIN_FIELDS: &[&str] = &["edges", "points"];
const CROSSED_FIELDS: &[&str] = &["rows", "row_edges", "columns", "column_edges", "points"];
const ODDS_FIELDS: &[&str] = &["pdo", "zero_points"];
/// Most edges of one characteristic (so at most 9 bins).
const MAX_EDGES: usize = 8;
/// Most crossed tables in one scorecard.
const MAX_CROSSED: usize = 4;

/// Points by bin of one characteristic, as written in a config.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct BinsConfig {
    /// Rising bin edges.
    pub edges: Vec<f64>,
    /// Points per bin: one more than the edges.
    pub points: Vec<f64>,
}

/// Points by crossed bins of two characteristics, as written in a config.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct CrossedConfig {
    /// The characteristic of the rows.
    pub rows: String,
    /// Its rising bin edges.
    pub row_edges: Vec<f64>,
    /// The characteristic of the columns.
    pub columns: String,
    /// Its rising bin edges.
    pub column_edges: Vec<f64>,
    /// Points per cell, row by row (one row per row bin, one number per column bin).
    pub points: Vec<f64>,
}

/// The `scorecard` section as written; empty by default.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct ScorecardConfig {
    /// Bins by characteristic name.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(
            serialize_with = "super::named_map",
            skip_serializing_if = "Vec::is_empty"
        )
    )]
    pub bins: Vec<(String, BinsConfig)>,
    /// Crossed tables.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Vec::is_empty")
    )]
    pub crossed: Vec<CrossedConfig>,
    /// The measured probability map.
    #[cfg_attr(
        not(target_arch = "wasm32"),
        serde(skip_serializing_if = "Option::is_none")
    )]
    pub odds: Option<Odds>,
}

impl ScorecardConfig {
    /// Nothing configured.
    pub fn is_empty(&self) -> bool {
        self.bins.is_empty() && self.crossed.is_empty() && self.odds.is_none()
    }

    /// Reads the section; errors name the field.
    pub fn read<P: Params>(f: &Fields<P>) -> Result<ScorecardConfig, Error> {
        let mut config = ScorecardConfig::default();
        if let Some(bins) = f.object("bins", Some(&characteristics::NAMES))? {
            for name in bins.keys() {
                let Some(b) = bins.object(&name, Some(BIN_FIELDS))? else {
                    continue;
                };
                let bin = BinsConfig {
                    edges: numbers(&b, "edges")?,
                    points: numbers(&b, "points")?,
                };
                super::set_named(&mut config.bins, name, bin);
            }
        }
        if let Some(tables) = f.list("crossed")? {
            for (i, (table, _)) in tables.into_iter().enumerate() {
                let path = [f.path("crossed"), "[".into(), i.to_string(), "]".into()].concat();
                let c = Fields::open(table, &path, Some(CROSSED_FIELDS))?;
                config.crossed.push(CrossedConfig {
                    rows: text(&c, "rows")?,
                    row_edges: numbers(&c, "row_edges")?,
                    columns: text(&c, "columns")?,
                    column_edges: numbers(&c, "column_edges")?,
                    points: numbers(&c, "points")?,
                });
            }
        }
        if let Some(o) = f.object("odds", Some(ODDS_FIELDS))? {
            let number = |key: &str| {
                o.number(key)?
                    .ok_or_else(|| Error::config(o.path(key), "is required"))
            };
            config.odds = Some(Odds {
                pdo: number("pdo")?,
                zero_points: number("zero_points")?,
            });
        }
        Ok(config)
    }

    /// Validates the section and compiles it.
    pub fn compile(&self) -> Result<Scorecard, Error> {
        let mut bins = Vec::with_capacity(self.bins.len());
        for (name, b) in &self.bins {
            let path = ["scorecard.bins.", name.as_str()].concat();
            let characteristic = characteristic(&path, name)?;
            edges(&[path.as_str(), ".edges"].concat(), &b.edges)?;
            if b.points.len() != b.edges.len() + 1 {
                return Err(Error::config(
                    [path.as_str(), ".points"].concat(),
                    "must have one more entry than `edges` (one per bin)",
                ));
            }
            bins.push(Binned {
                characteristic,
                edges: b.edges.clone(),
                points: b.points.clone(),
            });
        }
        if self.crossed.len() > MAX_CROSSED {
            return Err(Error::config(
                "scorecard.crossed",
                ["at most ", &MAX_CROSSED.to_string(), " tables"].concat(),
            ));
        }
        let mut crossed = Vec::with_capacity(self.crossed.len());
        for (i, c) in self.crossed.iter().enumerate() {
            let path = ["scorecard.crossed[", &i.to_string(), "]"].concat();
            let field = |f: &str| [path.as_str(), ".", f].concat();
            let rows = characteristic(&field("rows"), &c.rows)?;
            let columns = characteristic(&field("columns"), &c.columns)?;
            if rows == columns {
                return Err(Error::config(
                    field("columns"),
                    "must be another characteristic than `rows`",
                ));
            }
            edges(&field("row_edges"), &c.row_edges)?;
            edges(&field("column_edges"), &c.column_edges)?;
            if c.points.len() != (c.row_edges.len() + 1) * (c.column_edges.len() + 1) {
                return Err(Error::config(
                    field("points"),
                    "must have one number per cell: row bins × column bins, row by row",
                ));
            }
            crossed.push(Crossed {
                rows,
                row_edges: c.row_edges.clone(),
                columns,
                column_edges: c.column_edges.clone(),
                points: c.points.clone(),
            });
        }
        if let Some(o) = self.odds {
            if o.pdo.partial_cmp(&0.0) != Some(core::cmp::Ordering::Greater) {
                return Err(Error::config(
                    "scorecard.odds.pdo",
                    "must be a number of points above 0",
                ));
            }
            if !(o.zero_points > 0.0 && o.zero_points < 1.0) {
                return Err(Error::config(
                    "scorecard.odds.zero_points",
                    "must be a probability between 0 and 1",
                ));
            }
        }
        Ok(Scorecard {
            bins,
            crossed,
            odds: self.odds,
        })
    }
}

// One instance of each reader, however many fields use it: the wasm is size-budgeted.
#[inline(never)]
fn numbers<P: Params>(f: &Fields<P>, key: &str) -> Result<Vec<f64>, Error> {
    f.numbers(key)?
        .ok_or_else(|| Error::config(f.path(key), "is required"))
}

#[inline(never)]
fn text<P: Params>(f: &Fields<P>, key: &str) -> Result<String, Error> {
    f.text(key)?
        .ok_or_else(|| Error::config(f.path(key), "is required"))
}

fn characteristic(field: &str, name: &str) -> Result<u8, Error> {
    characteristics::index_of(name)
        .map(|i| i as u8)
        .ok_or_else(|| {
            Error::config(
                field,
                [
                    "unknown characteristic; expected one of ",
                    &characteristics::NAMES.join(", "),
                ]
                .concat(),
            )
        })
}

fn edges(field: &str, edges: &[f64]) -> Result<(), Error> {
    if edges.is_empty() || edges.len() > MAX_EDGES {
        return Err(Error::config(
            field,
            ["must have 1 to ", &MAX_EDGES.to_string(), " edges"].concat(),
        ));
    }
    if edges
        .windows(2)
        .any(|w| w[0].partial_cmp(&w[1]) != Some(core::cmp::Ordering::Less))
    {
        return Err(Error::config(field, "edges must rise"));
    }
    Ok(())
}

/// The section as written, for writing out and editing.
pub fn to_config(s: &Scorecard) -> ScorecardConfig {
    let name = |i: u8| characteristics::NAMES[i as usize].to_string();
    ScorecardConfig {
        bins: s
            .bins
            .iter()
            .map(|b| {
                (
                    name(b.characteristic),
                    BinsConfig {
                        edges: b.edges.clone(),
                        points: b.points.clone(),
                    },
                )
            })
            .collect(),
        crossed: s
            .crossed
            .iter()
            .map(|c| CrossedConfig {
                rows: name(c.rows),
                row_edges: c.row_edges.clone(),
                columns: name(c.columns),
                column_edges: c.column_edges.clone(),
                points: c.points.clone(),
            })
            .collect(),
        odds: s.odds,
    }
}

// The cases are JSON, which is a native-only `Params` source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use crate::core::Config;
    use serde_json::json;

    fn compile(v: serde_json::Value) -> Result<crate::core::Model, String> {
        Config::read(&v)
            .and_then(|c| c.compile())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn bins_and_crossed_tables_add_their_points() {
        let m = compile(json!({"scorecard": {
            "bins": {"views_visit": {"edges": [2, 5], "points": [8, 0, 3]}},
            "crossed": [{"rows": "cart_adds", "row_edges": [1], "columns": "earlier_visits",
                         "column_edges": [1], "points": [0, 2, 40, 45]}]
        }}))
        .unwrap();
        let mut values = [0.0; crate::core::characteristics::COUNT];
        let at = |n: &str| crate::core::characteristics::index_of(n).unwrap();
        values[at("views_visit")] = 1.0;
        assert_eq!(m.scorecard.points_of(&values), 8.0);
        values[at("views_visit")] = 2.0;
        values[at("cart_adds")] = 1.0;
        assert_eq!(m.scorecard.points_of(&values), 40.0);
        values[at("views_visit")] = 7.0;
        values[at("earlier_visits")] = 3.0;
        assert_eq!(m.scorecard.points_of(&values), 48.0);
        // Written out and read back unchanged.
        let text = serde_json::to_value(m.to_config()).unwrap();
        assert_eq!(compile(text).unwrap(), m);
    }

    #[test]
    fn bad_sections_name_the_field() {
        let msg = |v| compile(v).unwrap_err();
        assert_eq!(
            msg(
                json!({"scorecard": {"bins": {"views_visit": {"edges": [2, 2], "points": [1, 2, 3]}}}})
            ),
            "config field `scorecard.bins.views_visit.edges`: edges must rise"
        );
        assert_eq!(
            msg(json!({"scorecard": {"bins": {"views_visit": {"edges": [2], "points": [1]}}}})),
            "config field `scorecard.bins.views_visit.points`: must have one more entry than `edges` (one per bin)"
        );
        assert!(msg(json!({"scorecard": {"bins": {"view": {"edges": [1], "points": [0, 1]}}}}))
            .starts_with("config field `scorecard.bins.view`: unknown field; expected one of cart_adds, cart_value,"));
        assert_eq!(
            msg(json!({"scorecard": {"bins": {"views_visit": {"points": [1]}}}})),
            "config field `scorecard.bins.views_visit.edges`: is required"
        );
        assert_eq!(
            msg(json!({"scorecard": {"crossed": [{"rows": "month", "row_edges": [6], "columns": "month",
                "column_edges": [3], "points": [0, 1, 2, 3]}]}})),
            "config field `scorecard.crossed[0].columns`: must be another characteristic than `rows`"
        );
        assert_eq!(
            msg(
                json!({"scorecard": {"crossed": [{"rows": "month", "row_edges": [6], "columns": "views",
                "column_edges": [3], "points": [0, 1, 2, "x"]}]}})
            ),
            "config field `scorecard.crossed[0].points[3]`: must be a finite number, not a string"
        );
        assert_eq!(
            msg(json!({"scorecard": {"crossed": [{"rows": "month", "row_edges": [6], "columns": "views",
                "column_edges": [3], "points": [0, 1, 2]}]}})),
            "config field `scorecard.crossed[0].points`: must have one number per cell: row bins × column bins, row by row"
        );
        assert!(msg(json!({"scorecard": {"crossed": [{"rows": "mnth", "row_edges": [6], "columns": "views",
                "column_edges": [3], "points": [0, 1, 2, 3]}]}}))
            .starts_with("config field `scorecard.crossed[0].rows`: unknown characteristic; expected one of cart_adds,"));
        assert_eq!(
            msg(json!({"scorecard": {"odds": {"pdo": 10, "zero_points": 1.5}}})),
            "config field `scorecard.odds.zero_points`: must be a probability between 0 and 1"
        );
        assert_eq!(
            msg(json!({"scorecard": {"cards": {}}})),
            "config field `scorecard.cards`: unknown field; expected one of bins, crossed, odds"
        );
    }
}
