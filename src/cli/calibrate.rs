//! `shopper-intent calibrate`: learns a scorecard from a store's history and writes a config the
//! browser loads unchanged, when (and only when) it beats the current config out of sample.
//!
//! 1. Replay the history with the current config to each visitor's cut-off (as `evaluate`, with
//!    its `--protocol`); keep per scored moment the characteristics (`core::characteristics`),
//!    the label and the current score.
//! 2. Build a card (`build`): forward selection of characteristics by inner-CV AUC (3 inner
//!    folds by visitor), each binned supervised for what it adds to the card so far
//!    (`binning`): at most 4 bins, each with ≥ 1 % of the visitors and ≥ 10 buyers, each bin
//!    (or cell) beyond the first paying 2 ln(cuts searched) of likelihood, monotone unless a
//!    peak wins in inner CV; up to 30 rows. Then at most 2 crossed tables (2 or 3 bins
//!    a side), each only if it gains in inner CV. Then L2 logistic regression (`logistic`) with
//!    C chosen by inner-CV log-loss.
//! 3. Points = round(β × PDO / ln 2), each characteristic's (or table's) lowest bin at 0, and the
//!    intercept refitted to the rounded points: that is the points → probability map.
//! 4. Validate: 5-fold CV by visitor × 5 seeds, the whole of step 2–3 inside each fold; the AUC
//!    of the card and of the current config on each test fold, their paired difference, and
//!    how many folds the card wins. The config is written only when it wins ≥ 80 % of the folds
//!    (or with `--force`).
//! 5. Stages from the out-of-fold probabilities, at the target conversions (default 2, 4 and 8
//!    times the base odds), each stage with ≥ 20 buyers and ≥ 2 % of the visitors; a stage the
//!    data cannot separate from the one above merges into it, and the report says so.
//! 6. Event rules: those the card's characteristics carry, and that fired, are replaced by it
//!    (0 points); those that fired but no characteristic carries are left out; those that never
//!    fired are rescaled by the current score's measured log-odds per point, or left out when
//!    the current score does not predict. All are reported; none keeps points on another scale.
//! 7. The written config is read back as the browser reads it, and the history replayed under
//!    it: the core's scores must equal the card's.

use super::binning::{self, Limits, Stats};
use super::history::{Outcome, Protocol, Source};
use super::logistic::{self, Design, Fit};
use super::metrics::{self, Sample};
use super::table;
use crate::core::characteristics::{self, COUNT};
use crate::core::config::scorecard::{BinsConfig, CrossedConfig, ScorecardConfig};
use crate::core::model::EVENT_RULES;
use crate::core::scorecard::{self, Odds};
use crate::core::{Config, Model, RuleId};
use std::collections::HashMap;
use std::f64::consts::LN_2;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `calibrate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    source: Source,
    /// Conversion rate that SQLs (score at or above the sql threshold) should reach, e.g. 0.4.
    #[arg(long)]
    target_sql: Option<f64>,
    /// Conversion rate at or above the mql threshold.
    #[arg(long)]
    target_mql: Option<f64>,
    /// Conversion rate at or above the warm threshold.
    #[arg(long)]
    target_warm: Option<f64>,
    /// Points to double the odds.
    #[arg(long, default_value_t = 10.0)]
    pdo: f64,
    /// Seed of the cross-validation folds by visitor.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the config even when the card does not win 80 % of the folds.
    #[arg(long)]
    force: bool,
    /// Also write an HTML report (the card, the folds, the reliability chart).
    #[arg(long)]
    html: Option<PathBuf>,
    /// Where to write the new config (JSON).
    #[arg(long)]
    out: PathBuf,
}

/// Folds, and seeds of the fold split, of the validation.
pub const FOLDS: usize = 5;
/// Seeds of the validation.
pub const SEEDS: usize = 5;
/// Share of folds the card must win for the config to be written.
pub const WIN_SHARE: f64 = 0.8;
const INNER_FOLDS: usize = 3;
/// Most rows (bins and table cells) of a card.
pub const MAX_ROWS: usize = 30;
const MAX_CROSSED: usize = 2;
/// Least inner-CV AUC a new row set must add.
const MIN_GAIN: f64 = 0.001;
/// Characteristics whose binnings go to inner CV at each step (the best by likelihood gain).
const SHORTLIST: usize = 6;
/// Candidate cuts per characteristic, and per side of a crossed table.
const CUTS: usize = 63;
const CROSSED_CUTS: usize = 8;
/// The log-likelihood gain (in deviance units, as `binning` measures it) that each bin or
/// crossed cell beyond the first must pay: the risk inflation criterion's 2 ln p (Foster and
/// George, 1994), p the candidate cuts searched. A cut picked as the best of that many fits
/// noise by about that much, so a bin only earns its place when it gains more; without it,
/// cards on a few hundred buyers took 4 bins and 3 × 3 tables that did not hold out of fold.
fn cut_penalty() -> f64 {
    2.0 * ((COUNT * CUTS) as f64).ln()
}
/// The C of the selection steps, and the grid C is then chosen from.
const SELECTION_C: f64 = 1.0;
const C_GRID: [f64; 7] = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
/// Least buyers and share of visitors per stage.
const STAGE_BUYERS: f64 = 20.0;
const STAGE_SHARE: f64 = 0.02;

/// One scored moment: a visitor at the cut-off, or after one event with `--protocol prefix`.
#[derive(Clone, Debug)]
pub struct Row {
    /// Index of the visitor.
    pub visitor: u32,
    /// 1, or 1/n for each of a visitor's n prefix moments.
    pub weight: f64,
    /// The visitor bought.
    pub bought: bool,
    /// Characteristics.
    pub values: [f64; COUNT],
    /// Score under the current config.
    pub current: f64,
}

/// The scored moments of a replayed history, in visitor order.
pub fn rows(outcomes: &[Outcome], protocol: Protocol) -> Vec<Row> {
    let (visitor, _) = super::history::visitors(outcomes);
    let mut out = Vec::new();
    for (i, o) in outcomes.iter().enumerate() {
        let row = |weight, values, current| Row {
            visitor: visitor[i],
            weight,
            bought: o.bought,
            values,
            current,
        };
        match protocol {
            Protocol::Prefix if !o.prefix.is_empty() => {
                let w = 1.0 / o.prefix.len() as f64;
                out.extend(
                    o.prefix
                        .iter()
                        .map(|(score, values)| row(w, *values, *score)),
                );
            }
            _ => out.push(row(1.0, o.values, o.snapshot.score)),
        }
    }
    out
}

/// A row set of the card: the bins of one characteristic, or a crossed table of two.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// Bins of one characteristic.
    Bins {
        /// Index in `characteristics::NAMES`.
        characteristic: usize,
        /// Rising edges.
        edges: Vec<f64>,
    },
    /// A crossed table.
    Crossed {
        /// The rows' characteristic.
        rows: usize,
        /// Its edges.
        row_edges: Vec<f64>,
        /// The columns' characteristic.
        columns: usize,
        /// Its edges.
        column_edges: Vec<f64>,
    },
}

impl Term {
    /// Bins, or cells.
    pub fn cells(&self) -> usize {
        match self {
            Term::Bins { edges, .. } => edges.len() + 1,
            Term::Crossed {
                row_edges,
                column_edges,
                ..
            } => (row_edges.len() + 1) * (column_edges.len() + 1),
        }
    }

    /// The bin, or row-major cell, of `values`.
    pub fn cell(&self, values: &[f64; COUNT]) -> usize {
        match self {
            Term::Bins {
                characteristic,
                edges,
            } => scorecard::bin_of(edges, values[*characteristic]),
            Term::Crossed {
                rows,
                row_edges,
                columns,
                column_edges,
            } => {
                scorecard::bin_of(row_edges, values[*rows]) * (column_edges.len() + 1)
                    + scorecard::bin_of(column_edges, values[*columns])
            }
        }
    }

    fn main(&self) -> Option<usize> {
        match self {
            Term::Bins { characteristic, .. } => Some(*characteristic),
            Term::Crossed { .. } => None,
        }
    }
}

/// A fitted card: its terms, whole points per cell, and the log-odds at 0 points.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// Row sets.
    pub terms: Vec<Term>,
    /// Points per term, per cell.
    pub points: Vec<Vec<f64>>,
    /// Log-odds of buying at a score of 0.
    pub zero_log_odds: f64,
    /// Points to double the odds.
    pub pdo: f64,
    /// The C chosen.
    pub c: f64,
}

impl Card {
    /// The points of `values` (what the core adds at snapshot time).
    pub fn score(&self, values: &[f64; COUNT]) -> f64 {
        self.terms
            .iter()
            .zip(&self.points)
            .map(|(t, p)| p[t.cell(values)])
            .sum()
    }

    /// The log-odds of buying at `score`.
    pub fn log_odds(&self, score: f64) -> f64 {
        self.zero_log_odds + score * LN_2 / self.pdo
    }

    /// Rows of the card (bins and cells).
    pub fn rows(&self) -> usize {
        self.terms.iter().map(Term::cells).sum()
    }

    /// The `scorecard` config section.
    pub fn section(&self) -> ScorecardConfig {
        let name = |i: usize| characteristics::NAMES[i].to_string();
        let mut section = ScorecardConfig {
            odds: Some(Odds {
                pdo: self.pdo,
                zero_points: sigmoid(self.zero_log_odds),
            }),
            ..ScorecardConfig::default()
        };
        for (t, p) in self.terms.iter().zip(&self.points) {
            match t {
                Term::Bins {
                    characteristic,
                    edges,
                } => section.bins.push((
                    name(*characteristic),
                    BinsConfig {
                        edges: edges.clone(),
                        points: p.clone(),
                    },
                )),
                Term::Crossed {
                    rows,
                    row_edges,
                    columns,
                    column_edges,
                } => section.crossed.push(CrossedConfig {
                    rows: name(*rows),
                    row_edges: row_edges.clone(),
                    columns: name(*columns),
                    column_edges: column_edges.clone(),
                    points: p.clone(),
                }),
            }
        }
        section
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn fold_of(seed: &str, id: &str, folds: usize) -> usize {
    let h = crate::core::experiment::hash(seed, id, 2).unwrap_or(0.0);
    ((h * folds as f64) as usize).min(folds - 1)
}

/// Which training rows to use, by index.
type Keep<'a> = &'a dyn Fn(usize) -> bool;
/// Residuals per row.
type Residuals<'a> = &'a [(f64, f64)];
/// Makes a term from some rows and their residuals (`None` when they cannot be binned).
type MakeTerm<'a> = &'a dyn Fn(Residuals, Keep) -> Option<Term>;

/// A card's cells packed into one key (4 bits a term: at most 9 cells, at most 16 terms).
type Key = u64;

/// The training rows of one card, with what every step needs precomputed.
struct Builder<'a> {
    rows: Vec<&'a Row>,
    inner: Vec<u8>,
    /// Per characteristic: candidate cuts, and each row's segment among them.
    cuts: Vec<Vec<f64>>,
    segments: Vec<Vec<u16>>,
    /// The same on the coarse grid of crossed tables.
    coarse: Vec<Vec<f64>>,
    coarse_segments: Vec<Vec<u16>>,
    limits: Limits,
    pdo: f64,
}

impl<'a> Builder<'a> {
    fn new(rows: Vec<&'a Row>, ids: &[&str], seed: &str, pdo: f64) -> Builder<'a> {
        let inner_seed = format!("inner-{seed}");
        let inner = rows
            .iter()
            .map(|r| fold_of(&inner_seed, ids[r.visitor as usize], INNER_FOLDS) as u8)
            .collect();
        let total: f64 = rows.iter().map(|r| r.weight).sum();
        let mut cuts = Vec::with_capacity(COUNT);
        let mut segments = Vec::with_capacity(COUNT);
        let mut coarse = Vec::with_capacity(COUNT);
        let mut coarse_segments = Vec::with_capacity(COUNT);
        for c in 0..COUNT {
            let values: Vec<(f64, f64)> = rows.iter().map(|r| (r.values[c], r.weight)).collect();
            // Candidate cuts, and each row's segment among them.
            let grid = |most: usize| {
                let cuts = binning::candidates(&values, most);
                let of: Vec<u16> = rows
                    .iter()
                    .map(|r| binning::segment(&cuts, r.values[c]) as u16)
                    .collect();
                (cuts, of)
            };
            let (fine, of) = grid(CUTS);
            cuts.push(fine);
            segments.push(of);
            let (crossed, of) = grid(CROSSED_CUTS);
            coarse.push(crossed);
            coarse_segments.push(of);
        }
        Builder {
            rows,
            inner,
            cuts,
            segments,
            coarse,
            coarse_segments,
            limits: Limits {
                weight: 0.01 * total,
                buyers: 10.0,
                bins: 4,
                ridge: 1e-6,
                penalty: cut_penalty(),
            },
            pdo,
        }
    }

    fn key(terms: &[Term], values: &[f64; COUNT]) -> Key {
        terms
            .iter()
            .enumerate()
            .fold(0, |k, (i, t)| k | (t.cell(values) as Key) << (4 * i))
    }

    fn active(terms: &[Term], key: Key) -> Vec<u32> {
        let mut offset = 0;
        terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let column = offset + ((key >> (4 * i)) & 15) as u32;
                offset += t.cells() as u32;
                column
            })
            .collect()
    }

    /// The rows `keep` takes, merged by cells, as a design.
    fn design(&self, terms: &[Term], keep: impl Fn(usize) -> bool) -> Design {
        let mut map: HashMap<Key, (f64, f64)> = HashMap::new();
        for (i, r) in self.rows.iter().enumerate() {
            if keep(i) {
                let slot = map.entry(Self::key(terms, &r.values)).or_default();
                if r.bought {
                    slot.0 += r.weight;
                } else {
                    slot.1 += r.weight;
                }
            }
        }
        let mut groups: Vec<(Key, (f64, f64))> = map.into_iter().collect();
        // A fixed order: the fit's sums, and so the card, do not depend on hashing.
        groups.sort_by_key(|g| g.0);
        let mut d = Design {
            columns: terms.iter().map(Term::cells).sum(),
            terms: terms.len(),
            ..Design::default()
        };
        for (key, (pos, neg)) in groups {
            d.active.extend(Self::active(terms, key));
            d.pos.push(pos);
            d.neg.push(neg);
        }
        d
    }

    /// Every row's log-odds under `fit`.
    fn eta(&self, terms: &[Term], fit: &Fit) -> Vec<f64> {
        self.rows
            .iter()
            .map(|r| fit.eta(&Self::active(terms, Self::key(terms, &r.values))))
            .collect()
    }

    /// The fit on every training row, and each row's log-odds under it.
    fn fit_all(&self, terms: &[Term], c: f64, start: Option<&Fit>) -> (Fit, Vec<f64>) {
        let fit = logistic::fit(&self.design(terms, |_| true), c, start);
        let eta = self.eta(terms, &fit);
        (fit, eta)
    }

    /// Per inner fold: `terms` fitted without it, and every row's log-odds under that fit.
    fn inner_fits(&self, terms: &[Term], c: f64) -> Vec<(Fit, Vec<f64>)> {
        (0..INNER_FOLDS)
            .map(|f| {
                let fit = logistic::fit(
                    &self.design(terms, |i| self.inner[i] as usize != f),
                    c,
                    None,
                );
                let eta = self.eta(terms, &fit);
                (fit, eta)
            })
            .collect()
    }

    /// Inner-CV AUC of `terms` plus a term that `make` bins anew inside each inner fold, from
    /// that fold's training rows and their residuals (so that a binning is judged on rows it was
    /// not chosen on). `None` when some fold cannot bin it.
    fn trial(
        &self,
        terms: &[Term],
        inner: &[(Fit, Vec<f64>)],
        make: MakeTerm,
    ) -> Option<(f64, f64)> {
        let mut pooled = Vec::with_capacity(self.rows.len());
        let mut loss = 0.0;
        for (f, (fit, eta)) in inner.iter().enumerate() {
            let train = |i: usize| self.inner[i] as usize != f;
            let term = make(&self.residuals(eta), &train)?;
            let mut trial = terms.to_vec();
            trial.push(term);
            let fit = logistic::fit(&self.design(&trial, train), SELECTION_C, Some(fit));
            for (i, r) in self.rows.iter().enumerate() {
                if !train(i) {
                    let eta = fit.eta(&Self::active(&trial, Self::key(&trial, &r.values)));
                    let y = if r.bought { r.weight } else { 0.0 };
                    pooled.push((eta, y, r.weight - y));
                    loss += logistic::log_loss(y, r.weight - y, eta);
                }
            }
        }
        Some((metrics::grouped_auc(&mut pooled)?, loss))
    }

    /// Inner-CV AUC and log-loss of a card of `terms` fitted with `c`.
    fn inner_cv(&self, terms: &[Term], c: f64) -> (f64, f64) {
        let mut pooled = Vec::with_capacity(self.rows.len());
        let mut loss = 0.0;
        for (f, (_, eta)) in self.inner_fits(terms, c).iter().enumerate() {
            for (i, r) in self.rows.iter().enumerate() {
                if self.inner[i] as usize == f {
                    let y = if r.bought { r.weight } else { 0.0 };
                    pooled.push((eta[i], y, r.weight - y));
                    loss += logistic::log_loss(y, r.weight - y, eta[i]);
                }
            }
        }
        (metrics::grouped_auc(&mut pooled).unwrap_or(0.5), loss)
    }

    /// Per row, the log-loss gradient and curvature under log-odds `eta`.
    fn residuals(&self, eta: &[f64]) -> Vec<(f64, f64)> {
        self.rows
            .iter()
            .zip(eta)
            .map(|(r, &e)| {
                let p = sigmoid(e);
                let y = f64::from(u8::from(r.bought));
                (r.weight * (y - p), r.weight * p * (1.0 - p))
            })
            .collect()
    }

    fn stats(&self, i: usize, residual: (f64, f64)) -> Stats {
        let r = self.rows[i];
        Stats {
            weight: r.weight,
            buyers: if r.bought { r.weight } else { 0.0 },
            g: residual.0,
            h: residual.1,
        }
    }

    /// The monotone binning of characteristic `c` for what it adds to `residuals` over the rows
    /// `keep` takes, and the free one when it differs.
    fn binnings(
        &self,
        c: usize,
        residuals: &[(f64, f64)],
        keep: Keep,
    ) -> [Option<binning::Binning>; 2] {
        let mut segments = vec![Stats::default(); self.cuts[c].len() + 1];
        let mut weight = 0.0;
        for (i, &s) in self.segments[c].iter().enumerate() {
            if keep(i) {
                let st = self.stats(i, residuals[i]);
                weight += st.weight;
                segments[s as usize].add(&st);
            }
        }
        let limits = Limits {
            weight: 0.01 * weight,
            ..self.limits
        };
        let monotone = binning::best(&segments, &self.cuts[c], &limits, true);
        let free = binning::best(&segments, &self.cuts[c], &limits, false)
            .filter(|f| monotone.as_ref().is_none_or(|m| m.edges != f.edges));
        [monotone, free]
    }

    fn crossed(
        &self,
        a: usize,
        b: usize,
        residuals: &[(f64, f64)],
        keep: Keep,
    ) -> Option<(Term, f64)> {
        let (na, nb) = (self.coarse[a].len() + 1, self.coarse[b].len() + 1);
        if na < 2 || nb < 2 {
            return None;
        }
        let mut grid = vec![vec![Stats::default(); nb]; na];
        let mut weight = 0.0;
        for (i, &res) in residuals.iter().enumerate() {
            if keep(i) {
                let st = self.stats(i, res);
                weight += st.weight;
                grid[self.coarse_segments[a][i] as usize][self.coarse_segments[b][i] as usize]
                    .add(&st);
            }
        }
        let limits = Limits {
            weight: 0.01 * weight,
            ..self.limits
        };
        let (row_edges, column_edges, gain) =
            binning::best_crossed(&grid, &self.coarse[a], &self.coarse[b], &limits)?;
        Some((
            Term::Crossed {
                rows: a,
                row_edges,
                columns: b,
                column_edges,
            },
            gain,
        ))
    }

    /// Steps 2 and 3: selection, crossed tables, C, points.
    fn build(&self) -> Card {
        let all = |_: usize| true;
        let mut terms: Vec<Term> = Vec::new();
        let (mut fit, mut eta) = self.fit_all(&terms, SELECTION_C, None);
        // Additive rows, then crossed tables, one at a time while inner CV gains.
        let mut adding_bins = true;
        let mut crossed = 0;
        loop {
            let rows: usize = terms.iter().map(Term::cells).sum();
            let residuals = self.residuals(&eta);
            let baseline = self.inner_cv(&terms, SELECTION_C);
            let inner = self.inner_fits(&terms, SELECTION_C);
            let mut best: Option<((f64, f64), Term)> = None;
            if adding_bins {
                let mut shortlist: Vec<(usize, f64)> = (0..COUNT)
                    .filter(|c| !terms.iter().any(|t| t.main() == Some(*c)))
                    .filter_map(|c| {
                        let [m, f] = self.binnings(c, &residuals, &all);
                        let gain = m.or(f)?.gain;
                        Some((c, gain))
                    })
                    .collect();
                shortlist.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                shortlist.truncate(SHORTLIST);
                for (c, _) in shortlist {
                    // Monotone first; a peak replaces it only if it does better in inner CV.
                    let mut own: Option<(f64, f64)> = None;
                    let mut shape = 0;
                    for s in 0..2 {
                        let make = |res: &[(f64, f64)], keep: Keep| {
                            let b = self.binnings(c, res, keep)[s].clone()?;
                            let term = Term::Bins {
                                characteristic: c,
                                edges: b.edges,
                            };
                            (rows + term.cells() <= MAX_ROWS).then_some(term)
                        };
                        if let Some(a) = self.trial(&terms, &inner, &make) {
                            if own.is_none_or(|o| a.0 > o.0) {
                                own = Some(a);
                                shape = s;
                            }
                        }
                    }
                    let Some(a) = own else { continue };
                    if best.as_ref().is_some_and(|b| b.0 .0 >= a.0) {
                        continue;
                    }
                    // The term itself is binned on all the training rows.
                    if let Some(b) = self.binnings(c, &residuals, &all)[shape].clone() {
                        let term = Term::Bins {
                            characteristic: c,
                            edges: b.edges,
                        };
                        if rows + term.cells() <= MAX_ROWS {
                            best = Some((a, term));
                        }
                    }
                }
            } else {
                let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
                for a in 0..COUNT {
                    for b in a + 1..COUNT {
                        if let Some((term, gain)) = self.crossed(a, b, &residuals, &all) {
                            if rows + term.cells() <= MAX_ROWS && !terms.contains(&term) {
                                pairs.push((a, b, gain));
                            }
                        }
                    }
                }
                pairs.sort_by(|x, y| y.2.total_cmp(&x.2));
                pairs.truncate(SHORTLIST);
                for (a, b, _) in pairs {
                    let make = |res: &[(f64, f64)], keep: Keep| {
                        let (term, _) = self.crossed(a, b, res, keep)?;
                        (rows + term.cells() <= MAX_ROWS).then_some(term)
                    };
                    let Some(auc) = self.trial(&terms, &inner, &make) else {
                        continue;
                    };
                    if best.as_ref().is_some_and(|b| b.0 .0 >= auc.0) {
                        continue;
                    }
                    if let Some((term, _)) = self.crossed(a, b, &residuals, &all) {
                        best = Some((auc, term));
                    }
                }
            }
            match best {
                // Only while inner-CV AUC rises and log-loss falls: a row set that only
                // reorders noise raises the one as often as the other.
                Some((a, term)) if a.0 >= baseline.0 + MIN_GAIN && a.1 < baseline.1 => {
                    crossed += usize::from(!adding_bins);
                    terms.push(term);
                    (fit, eta) = self.fit_all(&terms, SELECTION_C, Some(&fit));
                    if crossed >= MAX_CROSSED {
                        break;
                    }
                }
                _ if adding_bins => adding_bins = false,
                _ => break,
            }
        }
        // C by inner-CV log-loss, then the final fit.
        let c = C_GRID
            .iter()
            .copied()
            .map(|c| (c, self.inner_cv(&terms, c).1))
            .fold(
                (SELECTION_C, f64::INFINITY),
                |b, x| if x.1 < b.1 { x } else { b },
            )
            .0;
        let (fit, _) = self.fit_all(&terms, c, Some(&fit));
        self.points(terms, &fit, c)
    }

    /// Whole points per cell, each term's lowest cell at 0, and the intercept refitted.
    fn points(&self, terms: Vec<Term>, fit: &Fit, c: f64) -> Card {
        let scale = self.pdo / LN_2;
        let mut points = Vec::with_capacity(terms.len());
        let mut offset = 0;
        for t in &terms {
            let mut reached = vec![false; t.cells()];
            for r in &self.rows {
                reached[t.cell(&r.values)] = true;
            }
            let beta = &fit.beta[offset..offset + t.cells()];
            offset += t.cells();
            let low = beta
                .iter()
                .zip(&reached)
                .filter(|x| *x.1)
                .map(|x| *x.0)
                .fold(f64::INFINITY, f64::min);
            // A cell no training row reached gets the lowest points.
            points.push(
                beta.iter()
                    .zip(&reached)
                    .map(|(b, &r)| {
                        if r {
                            ((b - low) * scale).round() + 0.0
                        } else {
                            0.0
                        }
                    })
                    .collect::<Vec<f64>>(),
            );
        }
        let mut card = Card {
            terms,
            points,
            zero_log_odds: 0.0,
            pdo: self.pdo,
            c,
        };
        let offsets: Vec<(f64, f64, bool)> = self
            .rows
            .iter()
            .map(|r| (card.score(&r.values) / scale, r.weight, r.bought))
            .collect();
        card.zero_log_odds = logistic::intercept_for(&offsets);
        card
    }
}

/// Builds a card on `rows` (step 2–3); `ids` are the visitors' ids, for the inner folds.
pub fn build(rows: Vec<&Row>, ids: &[&str], seed: &str, pdo: f64) -> Card {
    Builder::new(rows, ids, seed, pdo).build()
}

/// The rows as scored samples under `score`.
fn samples<R: std::borrow::Borrow<Row>>(rows: &[R], score: impl Fn(&Row) -> f64) -> Vec<Sample> {
    rows.iter()
        .map(|r| {
            let r = r.borrow();
            Sample {
                visitor: r.visitor,
                weight: r.weight,
                score: score(r),
                bought: r.bought,
            }
        })
        .collect()
}

/// One fold of the validation.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Fold {
    /// Seed of the split (1-based).
    pub seed: usize,
    /// The fold.
    pub fold: usize,
    /// Test-fold AUC of the card.
    pub card: f64,
    /// Test-fold AUC of the current config.
    pub current: f64,
    /// Test-fold AUC of the written card's characteristics and bins, with points refitted on
    /// the training folds (optimistic: those bins were chosen on every fold).
    pub fixed: f64,
    /// Rows of the fold's card.
    pub rows: usize,
}

/// The validation: every fold, and each test row's out-of-fold log-odds (one per seed).
pub struct Validation {
    /// The folds.
    pub folds: Vec<Fold>,
    /// (row index, out-of-fold log-odds), SEEDS per row.
    pub out_of_fold: Vec<(usize, f64)>,
}

/// Step 4: 5 folds by visitor × 5 seeds, a card built inside each; and, on the same folds,
/// the points of `card`'s terms refitted.
pub fn validate(rows: &[Row], ids: &[&str], seed: u64, card: &Card) -> Validation {
    let pdo = card.pdo;
    let mut folds = Vec::new();
    let mut out_of_fold = Vec::with_capacity(rows.len() * SEEDS);
    for s in 1..=SEEDS {
        let split = format!("{seed}-{s}");
        let fold: Vec<usize> = ids.iter().map(|id| fold_of(&split, id, FOLDS)).collect();
        for f in 0..FOLDS {
            let train: Vec<&Row> = rows
                .iter()
                .filter(|r| fold[r.visitor as usize] != f)
                .collect();
            let builder = Builder::new(train, ids, &split, pdo);
            let (fit, _) = builder.fit_all(&card.terms, card.c, None);
            let refitted = builder.points(card.terms.clone(), &fit, card.c);
            let card = builder.build();
            let test: Vec<(usize, &Row)> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| fold[r.visitor as usize] == f)
                .collect();
            let test_rows: Vec<&Row> = test.iter().map(|t| t.1).collect();
            let auc_of = |score: &dyn Fn(&Row) -> f64| {
                metrics::auc(&samples(&test_rows, score)).map_or(0.5, |a| a.auc)
            };
            folds.push(Fold {
                seed: s,
                fold: f + 1,
                card: auc_of(&|r| card.score(&r.values)),
                current: auc_of(&|r| r.current),
                fixed: auc_of(&|r| refitted.score(&r.values)),
                rows: card.rows(),
            });
            out_of_fold.extend(
                test.iter()
                    .map(|(i, r)| (*i, card.log_odds(card.score(&r.values)))),
            );
        }
    }
    Validation { folds, out_of_fold }
}

/// What became of one event rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleFate {
    /// The rule.
    pub rule: RuleId,
    /// Points before.
    pub old: f64,
    /// Points after.
    pub new: f64,
    /// Why, in a few words.
    pub why: String,
}

/// Rules whose signal a characteristic carries.
fn carried(rule: RuleId) -> bool {
    matches!(
        rule,
        RuleId::SiteVisit
            | RuleId::ReturnVisit
            | RuleId::ProductView
            | RuleId::RepeatProductView
            | RuleId::AddToCart
            | RuleId::BeginCheckout
    )
}

/// Step 6: each rule replaced, left out or rescaled by `factor` (points per current point).
pub fn rule_fates(model: &Model, outcomes: &[Outcome], factor: Option<f64>) -> Vec<RuleFate> {
    RuleId::ALL
        .iter()
        .map(|&rule| {
            let old = model.rule(rule).points;
            let fired = outcomes
                .iter()
                .filter(|o| o.fired & (1 << rule as u32) != 0)
                .count();
            let verb = if rule as usize >= EVENT_RULES {
                "held"
            } else {
                "fired"
            };
            let (new, why) = match (fired, factor) {
                (0, Some(f)) => (
                    (old * f).round() + 0.0,
                    format!("never {verb} here; rescaled ×{f:.2} (the current score's log-odds per point)"),
                ),
                (0, None) => (
                    0.0,
                    format!("never {verb} here, and the current score does not predict buying, so no scale carries it over; left out"),
                ),
                (n, _) if carried(rule) => (0.0, format!("{verb} for {n} visitors; replaced by the card's characteristics")),
                (n, _) => (
                    0.0,
                    format!("{verb} for {n} visitors, but no characteristic carries it; left out"),
                ),
            };
            RuleFate {
                rule,
                old,
                new,
                why,
            }
        })
        .collect()
}

/// The stage thresholds (sql, mql, warm) and what was said about them.
#[derive(Clone, Debug, PartialEq)]
pub struct Stages {
    /// Thresholds: sql, mql, warm.
    pub thresholds: [f64; 3],
    /// Notes: merged stages, unreachable targets, the first article's check.
    pub notes: Vec<String>,
}

/// Step 5: thresholds on the card's points, from out-of-fold `(points, weight, bought)`.
pub fn stages(scored: &[(f64, f64, bool)], targets: [f64; 3], top: f64) -> Stages {
    let total: f64 = scored.iter().map(|s| s.1).sum();
    let buyers_all: f64 = scored.iter().filter(|s| s.2).map(|s| s.1).sum();
    let at_or_above = |t: f64| {
        scored.iter().filter(|s| s.0 >= t).fold((0.0, 0.0), |a, s| {
            (a.0 + s.1, a.1 + if s.2 { s.1 } else { 0.0 })
        })
    };
    let band = |lo: f64, hi: f64| {
        let (w, b) = at_or_above(lo);
        let (w2, b2) = at_or_above(hi);
        (w - w2, b - b2)
    };
    let names = ["sql", "mql", "warm"];
    let mut notes = Vec::new();
    let mut thresholds = [0.0; 3];
    let mut above = f64::INFINITY;
    let highest = top.max(0.0).floor() as i64;
    for (i, &target) in targets.iter().enumerate() {
        let found = (1..=highest).map(|t| t as f64).find(|&t| {
            let (w, b) = at_or_above(t);
            let (bw, bb) = band(t, above);
            t < above
                && w > 0.0
                && b / w >= target
                && bb >= STAGE_BUYERS
                && bw >= STAGE_SHARE * total
        });
        thresholds[i] = match (found, i) {
            (Some(t), _) => t,
            (None, 0) => {
                notes.push(format!(
                    "no score reaches the sql target ({}) with {STAGE_BUYERS} buyers and {} of the visitors; sql is set above every score ({})",
                    table::percent(Some(target)),
                    table::percent(Some(STAGE_SHARE)),
                    highest + 1
                ));
                (highest + 1) as f64
            }
            (None, _) => {
                // Merge into the stage above: a threshold no whole score falls under.
                let t = above - 0.5 / i as f64;
                notes.push(format!(
                    "{} merges into {}: no lower score reaches its target ({}) with {STAGE_BUYERS} buyers and {} of the visitors in between; {} is set at {t} so that no score falls in it",
                    names[i],
                    names[i - 1],
                    table::percent(Some(target)),
                    table::percent(Some(STAGE_SHARE)),
                    names[i]
                ));
                t
            }
        };
        above = thresholds[i];
    }
    // The first article's check: most first-time buyers above SQL.
    let (_, b_sql) = at_or_above(thresholds[0]);
    if buyers_all > 0.0 && b_sql / buyers_all < 0.5 {
        let mut t50 = 0.0;
        for t in (0..=highest).rev() {
            if at_or_above(t as f64).1 >= 0.5 * buyers_all {
                t50 = t as f64;
                break;
            }
        }
        let (w50, b50) = at_or_above(t50);
        let base = buyers_all / total;
        let odds = |p: f64| p / (1.0 - p);
        notes.push(format!(
            "\"most buyers above SQL\" (the first article's check) and SQL at {} conversion cannot both hold at this store's base rate of {}: SQL holds {} of the buyers; to hold most of them SQL would start at {t50} points, where {} convert ({:.1}× the base odds)",
            table::percent(Some(targets[0])),
            table::percent(Some(base)),
            table::percent(Some(b_sql / buyers_all)),
            table::percent(Some(b50 / w50)),
            odds(b50 / w50) / odds(base)
        ));
    }
    Stages { thresholds, notes }
}

/// Default targets: 8, 4 and 2 times the base odds (sql, mql, warm).
fn default_targets(base: f64) -> [f64; 3] {
    let odds = base / (1.0 - base);
    [8.0, 4.0, 2.0].map(|k| {
        let o = odds * k;
        o / (1.0 + o)
    })
}

/// The written config: the current one with the card, the rules' fates and the stages.
pub fn config(model: &Model, card: &Card, fates: &[RuleFate], thresholds: [f64; 3]) -> Config {
    let mut config = model.to_config();
    for f in fates {
        if let Some((_, rc)) = config.rules.iter_mut().find(|(n, _)| n == f.rule.name()) {
            rc.points = Some(f.new);
        }
    }
    config.stages.sql = Some(thresholds[0]);
    config.stages.mql = Some(thresholds[1]);
    config.stages.warm = Some(thresholds[2]);
    config.scorecard = card.section();
    config
}

/// Reads a written config back exactly as the browser does: `Config::read`, then `compile`.
pub fn load_back(text: &str) -> Result<Model, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    Config::read(&json)
        .and_then(|c| c.compile())
        .map_err(|e| e.to_string())
}

/// Characteristics that only take whole values (counts, the checkout step, the month).
fn whole_valued(c: usize) -> bool {
    let name = characteristics::NAMES[c];
    !name.contains("minutes")
        && !matches!(
            name,
            "cart_value" | "days_since_last_visit" | "mean_price_visit"
        )
}

/// A bin's range for reports: `1`, `2–4`, `5+` for whole-valued characteristics with whole
/// edges; `< 3.4`, `3.4 to < 10`, `≥ 10` otherwise.
pub fn range(edges: &[f64], bin: usize, whole_valued: bool) -> String {
    let whole = whole_valued && edges.iter().all(|e| e.fract() == 0.0);
    let lo = bin.checked_sub(1).map(|i| edges[i]);
    let hi = edges.get(bin).copied();
    match (lo, hi, whole) {
        (None, Some(h), true) => format!("≤ {}", h - 1.0),
        (Some(l), Some(h), true) if h - l == 1.0 => format!("{l}"),
        (Some(l), Some(h), true) => format!("{l}–{}", h - 1.0),
        (Some(l), None, true) => format!("{l}+"),
        (None, Some(h), false) => format!("< {h}"),
        (Some(l), Some(h), false) => format!("{l} to < {h}"),
        (Some(l), None, false) => format!("≥ {l}"),
        (None, None, _) => "all".into(),
    }
}

/// The card as terminal tables: one row per bin, one grid per crossed table, with each bin's
/// share of the visitors and conversion.
pub fn render_card(card: &Card, rows: &[Row]) -> String {
    let total: f64 = rows.iter().map(|r| r.weight).sum();
    let stats = |t: &Term, cell: usize| {
        rows.iter()
            .filter(|r| t.cell(&r.values) == cell)
            .fold((0.0, 0.0), |a, r| {
                (a.0 + r.weight, a.1 + if r.bought { r.weight } else { 0.0 })
            })
    };
    let mut out = String::new();
    let mut lines = Vec::new();
    for (t, points) in card.terms.iter().zip(&card.points) {
        if let Term::Bins {
            characteristic,
            edges,
        } = t
        {
            for (bin, p) in points.iter().enumerate() {
                let (w, b) = stats(t, bin);
                lines.push(vec![
                    characteristics::NAMES[*characteristic].to_string(),
                    range(edges, bin, whole_valued(*characteristic)),
                    format!("{p:+}"),
                    table::percent(Some(w / total)),
                    table::percent((w > 0.0).then(|| b / w)),
                ]);
            }
        }
    }
    out.push_str(&table::render(
        &["characteristic", "bin", "points", "visitors", "bought"],
        &lines,
    ));
    for (t, points) in card.terms.iter().zip(&card.points) {
        if let Term::Crossed {
            rows: r,
            row_edges,
            columns,
            column_edges,
        } = t
        {
            out.push_str(&format!(
                "\n{} (rows) × {} (columns): points (visitors, bought)\n",
                characteristics::NAMES[*r],
                characteristics::NAMES[*columns]
            ));
            let width = column_edges.len() + 1;
            let mut header = vec![String::new()];
            header.extend((0..width).map(|k| range(column_edges, k, whole_valued(*columns))));
            let grid: Vec<Vec<String>> = (0..=row_edges.len())
                .map(|i| {
                    let mut line = vec![range(row_edges, i, whole_valued(*r))];
                    for k in 0..width {
                        let (w, b) = stats(t, i * width + k);
                        line.push(if w > 0.0 {
                            format!(
                                "{:+} ({}, {})",
                                points[i * width + k],
                                table::percent(Some(w / total)),
                                table::percent(Some(b / w))
                            )
                        } else {
                            format!("{:+} (nobody)", points[i * width + k])
                        });
                    }
                    line
                })
                .collect();
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            out.push_str(&table::render(&header, &grid));
        }
    }
    out
}

/// Runs `calibrate`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let started = std::time::Instant::now();
    for (flag, t) in [
        ("--target-sql", args.target_sql),
        ("--target-mql", args.target_mql),
        ("--target-warm", args.target_warm),
    ] {
        if t.is_some_and(|t| !(t > 0.0 && t < 1.0)) {
            return Err(format!("{flag} must be a conversion rate between 0 and 1"));
        }
    }
    if !(args.pdo.is_finite() && args.pdo > 0.0) {
        return Err("--pdo must be a number of points above 0".into());
    }
    let cutoff = args.source.cutoff()?;
    let protocol = args.source.protocol;
    let (model, history) = args.source.replay(cutoff)?;
    let outcomes = &history.outcomes;
    let buyers = outcomes.iter().filter(|o| o.bought).count();
    if buyers < 2 * FOLDS || outcomes.len() - buyers < 2 * FOLDS {
        return Err(format!(
            "{} visitors of whom {buyers} bought: calibrate needs at least {} of each to validate",
            outcomes.len(),
            2 * FOLDS
        ));
    }
    let (_, ids) = super::history::visitors(outcomes);
    let rows = rows(outcomes, protocol);
    let seed = args.seed.to_string();
    let card = build(rows.iter().collect(), &ids, &seed, args.pdo);
    let validation = validate(&rows, &ids, args.seed, &card);

    // Stages from the out-of-fold log-odds, on the final card's points.
    let scale = args.pdo / LN_2;
    let oof: Vec<(f64, f64, bool)> = validation
        .out_of_fold
        .iter()
        .map(|&(i, eta)| {
            (
                (eta - card.zero_log_odds) * scale,
                rows[i].weight / SEEDS as f64,
                rows[i].bought,
            )
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.weight).sum();
    let base = rows
        .iter()
        .filter(|r| r.bought)
        .map(|r| r.weight)
        .sum::<f64>()
        / total;
    let defaults = default_targets(base);
    let targets = [
        args.target_sql.unwrap_or(defaults[0]),
        args.target_mql.unwrap_or(defaults[1]),
        args.target_warm.unwrap_or(defaults[2]),
    ];
    let top = rows
        .iter()
        .map(|r| card.score(&r.values))
        .fold(0.0, f64::max);
    let stages = stages(&oof, targets, top);

    // The current score's log-odds per point, the scale rules that never fired are carried on,
    // when the current score predicts buying here (its AUC's interval above 0.5).
    let current: Vec<(f64, f64, bool)> = rows
        .iter()
        .map(|r| (r.current, r.weight, r.bought))
        .collect();
    let predicts = metrics::auc(&samples(&rows, |r| r.current)).is_some_and(|a| a.low > 0.5);
    let per_point = logistic::slope(&current);
    let factor = (predicts && per_point > 0.0).then_some(per_point * scale);
    let fates = rule_fates(&model, outcomes, factor);
    let config = config(&model, &card, &fates, stages.thresholds);
    let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())? + "\n";
    let new_model =
        load_back(&text).map_err(|e| format!("the fitted config does not load: {e}"))?;

    // The core under the written config must give the card's scores.
    let replayed = args.source.replay_with(&new_model, cutoff)?;
    let differ = replayed
        .outcomes
        .iter()
        .filter(|o| (o.snapshot.score - card.score(&o.values)).abs() > 0.005)
        .count();

    let wins = validation
        .folds
        .iter()
        .filter(|f| f.card > f.current)
        .count();
    let needed = (WIN_SHARE * validation.folds.len() as f64).ceil() as usize;
    let write = wins >= needed || args.force;

    let mut out = String::new();
    let t = &history.totals;
    let units = cutoff.units();
    out.push_str(&format!(
        "{}: {} {units} scored, {buyers} bought ({}); {} left out with no event before their cut-off ({} of them buyers)\n",
        args.source.log.file.display(),
        outcomes.len(),
        table::percent(Some(buyers as f64 / outcomes.len() as f64)),
        t.left_out,
        t.left_out_buyers
    ));
    out.push_str(&format!(
        "cut-off: {}; protocol: {}\n\n",
        cutoff.describe(),
        protocol.describe()
    ));
    out.push_str(&format!(
        "the card ({} rows; L2 logistic regression, C = {}; {} points double the odds):\n",
        card.rows(),
        card.c,
        card.pdo
    ));
    out.push_str(&render_card(&card, &rows));
    out.push_str(&format!(
        "\npoints → probability of buying (+{} points double the odds):",
        card.pdo
    ));
    let mut step = 0.0;
    while step <= top + card.pdo {
        out.push_str(&format!(
            " {step} → {}",
            table::percent(Some(sigmoid(card.log_odds(step))))
        ));
        step += card.pdo;
    }
    out.push('\n');

    let stat =
        |f: &dyn Fn(&Fold) -> f64| mean_sd(&validation.folds.iter().map(f).collect::<Vec<f64>>());
    let (m, sd) = stat(&|f| f.card);
    let (mc, sdc) = stat(&|f| f.current);
    let (md, sdd) = stat(&|f| f.card - f.current);
    let (mf, sdf) = stat(&|f| f.fixed);
    let (mfd, sdfd) = stat(&|f| f.fixed - f.current);
    let fixed_wins = validation
        .folds
        .iter()
        .filter(|f| f.fixed > f.current)
        .count();
    out.push_str(&format!(
        "\nvalidation: {FOLDS}-fold CV by visitor × {SEEDS} seeds (seed {}), the whole fit inside each fold:\n",
        args.seed
    ));
    out.push_str(&table::render(
        &["ROC AUC on the test folds", "mean", "sd"],
        &[
            vec!["card".into(), format!("{m:.3}"), format!("{sd:.3}")],
            vec![
                "current config".into(),
                format!("{mc:.3}"),
                format!("{sdc:.3}"),
            ],
            vec![
                "card − current (paired)".into(),
                format!("{md:+.3}"),
                format!("{sdd:.3}"),
            ],
            vec![
                "this card's bins, points refitted".into(),
                format!("{mf:.3}"),
                format!("{sdf:.3}"),
            ],
            vec![
                "  − current (paired)".into(),
                format!("{mfd:+.3}"),
                format!("{sdfd:.3}"),
            ],
        ],
    ));
    out.push_str(&format!(
        "the card wins {wins} of {} folds (it must win {needed} to be written); this card's bins with refitted points win {fixed_wins} (optimistic: its bins were chosen on every fold)\n",
        validation.folds.len()
    ));

    let probabilities: Vec<(f64, f64, bool)> = validation
        .out_of_fold
        .iter()
        .map(|&(i, eta)| (sigmoid(eta), rows[i].weight / SEEDS as f64, rows[i].bought))
        .collect();
    let calibration = metrics::calibration(&probabilities);
    if let Some(c) = &calibration {
        out.push_str(&format!(
            "\nout-of-fold probabilities: Brier {:.4} against {:.4} for the base rate (skill {:.2}); calibration slope {:.2}\n",
            c.brier, c.base_brier, c.skill, c.slope
        ));
        out.push_str(&super::evaluate::render_deciles(&c.deciles));
    }

    out.push('\n');
    let names = ["sql", "mql", "warm"];
    let stage_rows: Vec<Vec<String>> = (0..3)
        .map(|i| {
            let hi = if i == 0 {
                f64::INFINITY
            } else {
                stages.thresholds[i - 1]
            };
            let lo = stages.thresholds[i];
            let (w, b) = oof
                .iter()
                .filter(|s| s.0 >= lo && s.0 < hi)
                .fold((0.0, 0.0), |a, s| {
                    (a.0 + s.1, a.1 + if s.2 { s.1 } else { 0.0 })
                });
            let (wa, ba) = oof.iter().filter(|s| s.0 >= lo).fold((0.0, 0.0), |a, s| {
                (a.0 + s.1, a.1 + if s.2 { s.1 } else { 0.0 })
            });
            vec![
                names[i].to_string(),
                format!("{}", model.stages[i]),
                format!("{lo}"),
                table::percent(Some(targets[i])),
                table::percent((wa > 0.0).then(|| ba / wa)),
                format!("{:.0} / {}", b, table::percent(Some(w / total))),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &[
            "stage",
            "old threshold",
            "new threshold",
            "target",
            "out-of-fold conversion at or above",
            "buyers / visitors in the stage",
        ],
        &stage_rows,
    ));
    for n in &stages.notes {
        out.push_str(&format!("note: {n}\n"));
    }

    out.push('\n');
    let fate_rows: Vec<Vec<String>> = fates
        .iter()
        .map(|f| {
            vec![
                f.rule.name().to_string(),
                format!("{}", f.old),
                format!("{}", f.new),
                f.why.clone(),
            ]
        })
        .collect();
    out.push_str(&table::render(
        &["rule", "old points", "new points", "why"],
        &fate_rows,
    ));
    out.push_str(&format!(
        "\nreplayed under the new config, the core's scores equal the card's for {} of {} {units}\n",
        replayed.outcomes.len() - differ,
        replayed.outcomes.len()
    ));
    if differ > 0 {
        return Err(format!(
            "{differ} visitors score differently in the core than on the card; the config is not written"
        ));
    }
    if let Some(path) = &args.html {
        let file = args.source.log.file.display().to_string();
        let page = super::report_html::calibration_page(&file, &out, calibration.as_ref());
        super::write_page(path, &page)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    if write {
        std::fs::write(&args.out, &text)
            .map_err(|e| format!("cannot write {}: {e}", args.out.display()))?;
        out.push_str(&format!(
            "wrote {}{} (it loads and compiles as the browser reads it); {elapsed:.1} s\n",
            args.out.display(),
            if wins < needed { ", forced" } else { "" }
        ));
        print!("{out}");
        Ok(ExitCode::SUCCESS)
    } else {
        out.push_str(&format!(
            "not written: the card wins {wins} of {} folds, fewer than {needed} (--force writes it anyway); {elapsed:.1} s\n",
            validation.folds.len()
        ));
        print!("{out}");
        Ok(ExitCode::from(1))
    }
}

/// Mean and sample standard deviation.
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_targets_double_the_odds_per_stage() {
        let [sql, mql, warm] = default_targets(0.2);
        // Base odds 0.25: warm 0.5 → 1/3, mql 1 → 1/2, sql 2 → 2/3.
        assert!((warm - 1.0 / 3.0).abs() < 1e-12);
        assert!((mql - 0.5).abs() < 1e-12);
        assert!((sql - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn ranges_read_as_whole_numbers_or_bounds() {
        assert_eq!(range(&[2.0, 3.0, 5.0], 0, true), "≤ 1");
        assert_eq!(range(&[2.0, 3.0, 5.0], 1, true), "2");
        assert_eq!(range(&[2.0, 3.0, 5.0], 2, true), "3–4");
        assert_eq!(range(&[2.0, 3.0, 5.0], 3, true), "5+");
        assert_eq!(range(&[3.4, 10.0], 1, true), "3.4 to < 10");
        assert_eq!(range(&[3.4], 1, true), "≥ 3.4");
        // A price between whole edges is not a count: 99.5 is below 100, not "≤ 99".
        assert_eq!(range(&[100.0, 210.0], 0, false), "< 100");
        let price = characteristics::index_of("mean_price_visit").unwrap();
        assert!(!whole_valued(price));
        assert!(whole_valued(
            characteristics::index_of("views_visit").unwrap()
        ));
    }

    /// `n` visitors scoring `score`, `buyers` of whom bought.
    fn group(score: f64, n: usize, buyers: usize) -> Vec<(f64, f64, bool)> {
        (0..n).map(|i| (score, 1.0, i < buyers)).collect()
    }

    #[test]
    fn stages_rise_from_above_zero_and_merge_when_targets_share_a_score() {
        // 1,000 at 0 points (2 % buy), 200 at 10 (10 %), 100 at 30 (40 %).
        let mut scored = group(0.0, 1000, 20);
        scored.extend(group(10.0, 200, 20));
        scored.extend(group(30.0, 100, 40));
        let s = stages(&scored, [0.35, 0.2, 0.08], 30.0);
        // sql at 30 (40 %); mql: from 11 to 30 nobody is in between, and at 10 the band has 20
        // buyers and 15 % of visitors at (40 + 20) / 300 = 20 %.
        assert_eq!(s.thresholds[0], 11.0, "the lowest score meeting the target");
        assert_eq!(s.thresholds[1], 1.0);
        // Warm cannot have a band below mql above 0: it merges.
        assert_eq!(s.thresholds[2], 0.75);
        assert!(
            s.notes
                .iter()
                .any(|n| n.starts_with("warm merges into mql")),
            "{:?}",
            s.notes
        );
        assert!(s.thresholds[0] > s.thresholds[1] && s.thresholds[1] > s.thresholds[2]);
        assert!(s.thresholds[2] > 0.0);
    }

    #[test]
    fn an_unreachable_sql_target_and_the_first_articles_check_are_said() {
        let mut scored = group(0.0, 1000, 40);
        scored.extend(group(10.0, 100, 30));
        let s = stages(&scored, [0.9, 0.2, 0.05], 10.0);
        assert_eq!(s.thresholds[0], 11.0);
        assert!(
            s.notes[0].starts_with("no score reaches the sql target (90.0%)"),
            "{:?}",
            s.notes
        );
        assert!(
            s.notes.iter().any(|n| n.contains("cannot both hold")),
            "{:?}",
            s.notes
        );
    }
}
