//! Supervised binning of one characteristic, or of two crossed, for `calibrate`'s scorecard.
//!
//! The data arrive as segments: the samples between consecutive candidate cuts, each with its
//! weight, its buyers' weight, and the gradient and curvature of the log-loss of the model so far
//! (`g = Σ w (y − p)`, `h = Σ w p (1 − p)`). A binning groups segments into bins; its gain is the
//! log-likelihood one Newton step on the bins' points would add, `Σ g²/(h + r) − g_all²/(h_all + r)`,
//! so a characteristic is binned for what it adds to the card so far, not on its own. Every bin
//! must hold at least a share of the visitors AND a number of buyers: rare strong events (2 % of
//! sessions with a cart) need buyers, not a large share, to earn a bin.

/// Sums over a run of samples.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    /// Weight (visitors).
    pub weight: f64,
    /// Buyers' weight.
    pub buyers: f64,
    /// Σ w (y − p).
    pub g: f64,
    /// Σ w p (1 − p).
    pub h: f64,
}

impl Stats {
    /// Adds `o` to these sums.
    pub fn add(&mut self, o: &Stats) {
        self.weight += o.weight;
        self.buyers += o.buyers;
        self.g += o.g;
        self.h += o.h;
    }

    fn minus(&self, o: &Stats) -> Stats {
        Stats {
            weight: self.weight - o.weight,
            buyers: self.buyers - o.buyers,
            g: self.g - o.g,
            h: self.h - o.h,
        }
    }
}

/// What every bin (or non-empty cell) must hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Least weight.
    pub weight: f64,
    /// Least buyers' weight.
    pub buyers: f64,
    /// Most bins of one characteristic.
    pub bins: usize,
    /// Ridge added to each bin's curvature.
    pub ridge: f64,
    /// Gain a bin (or cell) beyond the first must pay for.
    pub penalty: f64,
}

impl Limits {
    fn admits(&self, s: &Stats) -> bool {
        s.weight >= self.weight && s.buyers >= self.buyers
    }

    fn gain(&self, s: &Stats) -> f64 {
        s.g * s.g / (s.h + self.ridge)
    }

    fn effect(&self, s: &Stats) -> f64 {
        s.g / (s.h + self.ridge)
    }
}

/// Rounds to two significant digits, so that edges read well in a config ("3.4 minutes") and
/// survive a round trip through JSON exactly (1.4, not 14 × 0.1 = 1.4000000000000001, which a
/// parser may read back one bit off and so bin a value of 1.4 differently).
pub fn round2(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 1 - x.abs().log10().floor() as i32;
    if digits > 0 {
        let scale = 10f64.powi(digits);
        (x * scale).round() / scale
    } else {
        let scale = 10f64.powi(-digits);
        (x / scale).round() * scale
    }
}

/// A short number in `(lo, hi]` to cut between two values: `hi` to two significant digits when
/// that stays above `lo`, else their midpoint so rounded, else `hi` itself.
fn nice(lo: f64, hi: f64) -> f64 {
    [round2(hi), round2(0.5 * (lo + hi))]
        .into_iter()
        .find(|&c| c > lo && c <= hi)
        .unwrap_or(hi)
}

/// Candidate cuts of `(value, weight)` samples: between consecutive distinct values when there
/// are at most `most + 1`, else at weighted quantiles; each a short number (see [`round2`]).
/// A cut `c` splits "below c" from "c and above".
pub fn candidates(samples: &[(f64, f64)], most: usize) -> Vec<f64> {
    let mut sorted: Vec<(f64, f64)> = samples.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut distinct: Vec<f64> = sorted.iter().map(|s| s.0).collect();
    distinct.dedup();
    if distinct.len() <= most + 1 {
        return distinct.windows(2).map(|w| nice(w[0], w[1])).collect();
    }
    let total: f64 = sorted.iter().map(|s| s.1).sum();
    let mut cuts = Vec::new();
    let mut acc = 0.0;
    let mut next = 1;
    for s in &sorted {
        acc += s.1;
        while next <= most && acc >= total * next as f64 / (most + 1) as f64 {
            cuts.push(round2(s.0));
            next += 1;
        }
    }
    let lowest = sorted[0].0;
    cuts.retain(|&c| c > lowest);
    // The first value above the lowest always splits: "none" from "some" of a rare event.
    cuts.push(nice(lowest, distinct[1]));
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    cuts
}

/// The segment of `value` among `cuts`: how many cuts are at or below it.
pub fn segment(cuts: &[f64], value: f64) -> usize {
    cuts.partition_point(|&c| c <= value)
}

/// A binning of one characteristic: its edges and its gain.
#[derive(Clone, Debug, PartialEq)]
pub struct Binning {
    /// Rising edges (a subset of the candidate cuts).
    pub edges: Vec<f64>,
    /// Log-likelihood gain.
    pub gain: f64,
}

/// The best binning of `segments` (one per candidate cut, plus the one below the first) into
/// 2 to `limits.bins` bins, every bin within `limits`; `monotone` requires the bins' effects
/// to rise or fall throughout. `None` when no split keeps every bin within the limits.
pub fn best(segments: &[Stats], cuts: &[f64], limits: &Limits, monotone: bool) -> Option<Binning> {
    let n = segments.len();
    let mut prefix = vec![Stats::default(); n + 1];
    for (i, s) in segments.iter().enumerate() {
        prefix[i + 1] = prefix[i];
        prefix[i + 1].add(s);
    }
    let all = prefix[n];
    let base = limits.gain(&all);
    let mut best: Option<(f64, Vec<usize>)> = None;
    // Bins end at segment boundaries 1..n; choose up to bins − 1 inner boundaries.
    let mut bounds = Vec::with_capacity(limits.bins + 1);
    let mut consider = |inner: &[usize]| {
        bounds.clear();
        bounds.push(0);
        bounds.extend_from_slice(inner);
        bounds.push(n);
        let mut gain = 0.0;
        let mut previous: Option<f64> = None;
        let mut direction = 0i8;
        for w in bounds.windows(2) {
            let s = prefix[w[1]].minus(&prefix[w[0]]);
            if !limits.admits(&s) {
                return;
            }
            let e = limits.effect(&s);
            if let (true, Some(p)) = (monotone, previous) {
                let d = if e > p { 1 } else { -1 };
                if direction != 0 && d != direction {
                    return;
                }
                direction = d;
            }
            previous = Some(e);
            gain += limits.gain(&s);
        }
        gain -= limits.penalty * inner.len() as f64;
        if best.as_ref().is_none_or(|b| gain > b.0 + 1e-12) {
            best = Some((gain, inner.to_vec()));
        }
    };
    for a in 1..n {
        consider(&[a]);
        if limits.bins >= 3 {
            for b in a + 1..n {
                consider(&[a, b]);
                if limits.bins >= 4 {
                    for c in b + 1..n {
                        consider(&[a, b, c]);
                    }
                }
            }
        }
    }
    best.map(|(gain, inner)| Binning {
        // Boundary k is the start of segment k, which begins at cut k − 1.
        edges: inner.iter().map(|&k| cuts[k - 1]).collect(),
        gain: gain - base,
    })
}

/// The best crossed binning of two characteristics: `grid[i][j]` holds the samples in segment
/// `i` of the rows' cuts and `j` of the columns'; each axis gets 2 or 3 bins. Cells no sample
/// reaches are allowed (a structurally empty cell); every other cell must be within `limits`.
pub fn best_crossed(
    grid: &[Vec<Stats>],
    row_cuts: &[f64],
    column_cuts: &[f64],
    limits: &Limits,
) -> Option<(Vec<f64>, Vec<f64>, f64)> {
    let (n, m) = (row_cuts.len() + 1, column_cuts.len() + 1);
    // Summed-area table.
    let mut sum = vec![vec![Stats::default(); m + 1]; n + 1];
    for i in 0..n {
        for j in 0..m {
            let mut s = grid[i][j];
            s.add(&sum[i][j + 1]);
            s.add(&sum[i + 1][j]);
            sum[i + 1][j + 1] = s.minus(&sum[i][j]);
        }
    }
    let rect = |i0: usize, i1: usize, j0: usize, j1: usize| {
        let mut s = sum[i1][j1];
        s = s.minus(&sum[i0][j1]);
        s = s.minus(&sum[i1][j0]);
        s.add(&sum[i0][j0]);
        s
    };
    let splits = |len: usize| {
        let mut out: Vec<Vec<usize>> = (1..len).map(|a| vec![a]).collect();
        for a in 1..len {
            for b in a + 1..len {
                out.push(vec![a, b]);
            }
        }
        out
    };
    let base = limits.gain(&sum[n][m]);
    let mut best: Option<(f64, Vec<usize>, Vec<usize>)> = None;
    for rows in splits(n) {
        let rb: Vec<usize> = [0]
            .into_iter()
            .chain(rows.iter().copied())
            .chain([n])
            .collect();
        'columns: for columns in splits(m) {
            let cb: Vec<usize> = [0]
                .into_iter()
                .chain(columns.iter().copied())
                .chain([m])
                .collect();
            let mut gain = limits.penalty;
            for r in rb.windows(2) {
                for c in cb.windows(2) {
                    let s = rect(r[0], r[1], c[0], c[1]);
                    if s.weight <= 0.0 {
                        continue;
                    }
                    if !limits.admits(&s) {
                        continue 'columns;
                    }
                    gain += limits.gain(&s) - limits.penalty;
                }
            }
            if best.as_ref().is_none_or(|b| gain > b.0 + 1e-12) {
                best = Some((gain, rows.clone(), columns));
            }
        }
    }
    best.map(|(gain, rows, columns)| {
        (
            rows.iter().map(|&k| row_cuts[k - 1]).collect(),
            columns.iter().map(|&k| column_cuts[k - 1]).collect(),
            gain - base,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(weight: f64, buyers: f64, rate: f64) -> Stats {
        // Residuals against a flat model predicting `rate`.
        Stats {
            weight,
            buyers,
            g: buyers - weight * rate,
            h: weight * rate * (1.0 - rate),
        }
    }

    const LIMITS: Limits = Limits {
        weight: 10.0,
        buyers: 10.0,
        bins: 4,
        ridge: 1e-6,
        penalty: 0.0,
    };

    #[test]
    fn a_rare_strong_segment_gets_its_own_bin_when_it_has_the_buyers() {
        // 1,000 visitors at 4 %, then 25 (2.4 %) of whom 14 bought: rate 0.053 overall.
        let segments = [seg(1000.0, 40.0, 0.053), seg(25.0, 14.0, 0.053)];
        let b = best(&segments, &[1.0], &LIMITS, true).unwrap();
        assert_eq!(b.edges, vec![1.0]);
        assert!(b.gain > 0.0);
        // With 9 buyers it may not.
        let segments = [seg(1000.0, 40.0, 0.053), seg(25.0, 9.0, 0.053)];
        assert_eq!(best(&segments, &[1.0], &LIMITS, true), None);
    }

    #[test]
    fn monotone_binnings_skip_a_peak_that_free_ones_take() {
        let segments = [
            seg(500.0, 20.0, 0.06),
            seg(500.0, 60.0, 0.06),
            seg(500.0, 10.0, 0.06),
        ];
        let cuts = [2.0, 5.0];
        let free = best(&segments, &cuts, &LIMITS, false).unwrap();
        assert_eq!(free.edges, vec![2.0, 5.0]);
        let monotone = best(&segments, &cuts, &LIMITS, true).unwrap();
        assert_eq!(monotone.edges.len(), 1, "{monotone:?}");
        assert!(monotone.gain < free.gain);
    }

    #[test]
    fn candidates_are_distinct_values_or_rounded_quantiles() {
        let few: Vec<(f64, f64)> = [1.0, 1.0, 2.0, 5.0].iter().map(|&v| (v, 1.0)).collect();
        assert_eq!(candidates(&few, 8), vec![2.0, 5.0]);
        let many: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64 * 0.0137, 1.0)).collect();
        let cuts = candidates(&many, 3);
        assert_eq!(cuts, vec![0.0069, 3.4, 6.8, 10.0]);
        // One second in minutes, after 0: a short cut at or below it.
        assert_eq!(nice(0.0, 1.0 / 60.0), 0.0083);
        assert_eq!(nice(1.0, 2.0), 2.0);
        // A rare event (1 % non-zero) still gets its cut.
        let rare: Vec<(f64, f64)> = (0..1000)
            .map(|i| (f64::from(u8::from(i % 100 == 0)) * (i as f64), 1.0))
            .collect();
        assert_eq!(candidates(&rare, 3)[0], 100.0);
        assert_eq!(segment(&cuts, 3.4), 2);
        assert_eq!(round2(0.012345), 0.012);
        assert_eq!(round2(1.4 + 1e-9).to_string(), "1.4");
        assert_eq!(round2(7.8).to_string(), "7.8");
        assert_eq!(round2(1234.0), 1200.0);
    }

    #[test]
    fn a_crossed_binning_finds_the_interaction_and_allows_empty_cells() {
        // Rows: one view vs more; columns: the current item seen once vs again. "One view and
        // seen again" cannot happen.
        let grid = vec![
            vec![seg(1700.0, 80.0, 0.043), Stats::default()],
            vec![seg(1500.0, 32.0, 0.043), seg(1200.0, 78.0, 0.043)],
        ];
        let (rows, columns, gain) = best_crossed(&grid, &[2.0], &[2.0], &LIMITS).unwrap();
        assert_eq!((rows, columns), (vec![2.0], vec![2.0]));
        assert!(gain > 0.0);
    }
}
