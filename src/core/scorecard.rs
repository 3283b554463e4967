//! A scorecard: points for bins of characteristics (`super::characteristics`, which sums a
//! visitor's with [`Scorecard::points_of`]) and for a few
//! crossed bins of two, added to the score at snapshot time alongside the event rules. The
//! config's `scorecard` section compiles into it (`super::config::scorecard`); empty by default,
//! so the default model is unchanged until a store calibrates one.

use alloc::vec::Vec;

/// Points by bin of one characteristic.
#[derive(Clone, Debug, PartialEq)]
pub struct Binned {
    /// Index in `characteristics::NAMES`.
    pub characteristic: u8,
    /// Rising edges: bin k holds values from edge k − 1 (included) to edge k.
    pub edges: Vec<f64>,
    /// Points per bin (one more than the edges).
    pub points: Vec<f64>,
}

/// Points by crossed bins of two characteristics.
#[derive(Clone, Debug, PartialEq)]
pub struct Crossed {
    /// The rows' characteristic.
    pub rows: u8,
    /// Its rising edges.
    pub row_edges: Vec<f64>,
    /// The columns' characteristic.
    pub columns: u8,
    /// Its rising edges.
    pub column_edges: Vec<f64>,
    /// Points per cell, row by row.
    pub points: Vec<f64>,
}

/// What calibration measured: the probability at 0 points, and the points that double the odds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize))]
pub struct Odds {
    /// Points to double the odds.
    pub pdo: f64,
    /// Probability of buying at a score of 0.
    pub zero_points: f64,
}

/// The scorecard of a model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scorecard {
    /// Bins, one characteristic each.
    pub bins: Vec<Binned>,
    /// Crossed tables.
    pub crossed: Vec<Crossed>,
    /// The measured probability map, when calibration wrote one (reports use it, the score not).
    pub odds: Option<Odds>,
}

/// The bin of `value`: the number of edges at or below it (the edges rise).
pub fn bin_of(edges: &[f64], value: f64) -> usize {
    // A count, not a binary search: at most 8 edges, and less code in the wasm.
    let mut bin = 0;
    for &e in edges {
        bin += usize::from(e <= value);
    }
    bin
}

impl Scorecard {
    /// No bins and no crossed tables: the score is the event rules' alone.
    pub fn is_empty(&self) -> bool {
        self.bins.is_empty() && self.crossed.is_empty()
    }

    /// The points of the characteristics `values`, by index (a bin or cell without points
    /// counts 0: the model's reader refuses those). A visitor's: `Characteristics::points`.
    pub fn points_of(&self, values: &[f64]) -> f64 {
        let value = |c: u8| values.get(usize::from(c)).copied().unwrap_or(0.0);
        let (mut binned, mut crossed) = (0.0, 0.0);
        for b in &self.bins {
            let bin = bin_of(&b.edges, value(b.characteristic));
            binned += b.points.get(bin).copied().unwrap_or(0.0);
        }
        for c in &self.crossed {
            let row = bin_of(&c.row_edges, value(c.rows));
            let cell = row * (c.column_edges.len() + 1) + bin_of(&c.column_edges, value(c.columns));
            crossed += c.points.get(cell).copied().unwrap_or(0.0);
        }
        binned + crossed
    }
}
