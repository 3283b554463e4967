//! How well a score separates buyers from the others: ROC AUC, PR AUC (average precision), the
//! ROC curve, the best cut (Youden's J), and conversion by group with lift over the base rate.
//!
//! Every function takes `(score, bought)` pairs; ties are handled as one threshold, so results do
//! not depend on input order.

use serde::Serialize;

/// Distinct thresholds, highest first, with the buyers and others scoring at or above each.
fn cumulative(scored: &[(f64, bool)]) -> Vec<(f64, u64, u64)> {
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<(f64, u64, u64)> = Vec::new();
    let (mut tp, mut fp) = (0, 0);
    for (i, &(score, bought)) in sorted.iter().enumerate() {
        if bought {
            tp += 1;
        } else {
            fp += 1;
        }
        if sorted.get(i + 1).is_none_or(|next| next.0 != score) {
            out.push((score, tp, fp));
        }
    }
    out
}

fn classes(scored: &[(f64, bool)]) -> Option<(u64, u64)> {
    let p = scored.iter().filter(|s| s.1).count() as u64;
    let n = scored.len() as u64 - p;
    (p > 0 && n > 0).then_some((p, n))
}

/// Probability that a random buyer scores above a random non-buyer (ties count half).
pub fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let (p, n) = classes(scored)?;
    // Mann-Whitney U from the cumulative counts: each tie group contributes half its pairs.
    let mut above_fp = 0u64;
    let mut u = 0.0;
    let mut prev = (0u64, 0u64);
    for (_, tp, fp) in cumulative(scored) {
        let (dtp, dfp) = (tp - prev.0, fp - prev.1);
        u += dtp as f64 * (n - above_fp - dfp) as f64 + 0.5 * (dtp * dfp) as f64;
        above_fp += dfp;
        prev = (tp, fp);
    }
    Some(u / (p * n) as f64)
}

/// Average precision: Σ (recall step) × precision over the distinct thresholds.
pub fn pr_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let (p, _) = classes(scored)?;
    let mut ap = 0.0;
    let mut prev_tp = 0;
    for (_, tp, fp) in cumulative(scored) {
        ap += (tp - prev_tp) as f64 / p as f64 * (tp as f64 / (tp + fp) as f64);
        prev_tp = tp;
    }
    Some(ap)
}

/// One point of the ROC curve: the threshold and the rates at or above it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cut {
    /// Score at or above which a visitor is predicted to buy.
    pub threshold: f64,
    /// Share of buyers at or above (recall).
    pub tpr: f64,
    /// Share of non-buyers at or above.
    pub fpr: f64,
    /// Share of buyers among those at or above.
    pub precision: f64,
}

impl Cut {
    /// Youden's J: TPR − FPR.
    pub fn j(&self) -> f64 {
        self.tpr - self.fpr
    }
}

/// The ROC curve, from the highest threshold down; empty without both classes.
pub fn roc_curve(scored: &[(f64, bool)]) -> Vec<Cut> {
    let Some((p, n)) = classes(scored) else {
        return Vec::new();
    };
    cumulative(scored)
        .into_iter()
        .map(|(threshold, tp, fp)| Cut {
            threshold,
            tpr: tp as f64 / p as f64,
            fpr: fp as f64 / n as f64,
            precision: tp as f64 / (tp + fp) as f64,
        })
        .collect()
}

/// The threshold with the largest TPR − FPR (the highest such threshold on a tie).
pub fn best_cut(scored: &[(f64, bool)]) -> Option<Cut> {
    roc_curve(scored)
        .into_iter()
        .fold(None, |best: Option<Cut>, c| match best {
            Some(b) if b.j() >= c.j() => Some(b),
            _ => Some(c),
        })
}

/// The rates at or above a given threshold.
pub fn at_or_above(scored: &[(f64, bool)], threshold: f64) -> Cut {
    let (mut tp, mut fp, mut p, mut n) = (0u64, 0u64, 0u64, 0u64);
    for &(s, bought) in scored {
        match (bought, s >= threshold) {
            (true, above) => {
                p += 1;
                tp += u64::from(above);
            }
            (false, above) => {
                n += 1;
                fp += u64::from(above);
            }
        }
    }
    let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Cut {
        threshold,
        tpr: ratio(tp, p),
        fpr: ratio(fp, n),
        precision: ratio(tp, tp + fp),
    }
}

/// Visitors and buyers of one group (a stage, an intent tier, a channel).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// Visitors in it.
    pub visitors: u64,
    /// Of whom bought.
    pub buyers: u64,
    /// `buyers / visitors`; `None` when empty.
    pub conversion: Option<f64>,
    /// Conversion over the base rate of everyone; `None` when undefined.
    pub lift: Option<f64>,
}

/// Conversion and lift by group, in the order of `names`.
pub fn groups<'a>(
    names: impl IntoIterator<Item = &'a str>,
    members: impl Iterator<Item = (&'a str, bool)> + Clone,
) -> Vec<Group> {
    let (all, buyers) = members.clone().fold((0u64, 0u64), |(a, b), (_, bought)| {
        (a + 1, b + u64::from(bought))
    });
    let base = (all > 0).then(|| buyers as f64 / all as f64);
    names
        .into_iter()
        .map(|name| {
            let (v, b) = members
                .clone()
                .filter(|m| m.0 == name)
                .fold((0u64, 0u64), |(a, b), (_, bought)| {
                    (a + 1, b + u64::from(bought))
                });
            let conversion = (v > 0).then(|| b as f64 / v as f64);
            Group {
                name: name.to_string(),
                visitors: v,
                buyers: b,
                conversion,
                lift: match (conversion, base) {
                    (Some(c), Some(base)) if base > 0.0 => Some(c / base),
                    _ => None,
                },
            }
        })
        .collect()
}

/// The 95% Wilson score interval of `k` successes in `n` trials (better than the normal
/// interval for the small counts and rates near 0 a campaign row has); `None` when `n` is 0.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (n, p, z) = (n as f64, k as f64 / n as f64, super::ab_stats::Z_95);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The median; `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Buyers score 3 and 1, non-buyers 2 and 0: 3 of the 4 buyer/non-buyer pairs are ordered.
    const FOUR: [(f64, bool); 4] = [(3.0, true), (2.0, false), (1.0, true), (0.0, false)];

    #[test]
    fn auc_of_four_visitors_is_three_quarters() {
        assert_eq!(roc_auc(&FOUR), Some(0.75));
        // AP = 1/2 × 1 + 1/2 × 2/3.
        let ap = pr_auc(&FOUR).unwrap();
        assert!((ap - (0.5 + 1.0 / 3.0)).abs() < 1e-12, "{ap}");
    }

    #[test]
    fn ties_count_half_and_order_does_not_matter() {
        let tied = [(1.0, true), (1.0, false)];
        assert_eq!(roc_auc(&tied), Some(0.5));
        let mut shuffled = FOUR;
        shuffled.reverse();
        assert_eq!(roc_auc(&shuffled), Some(0.75));
        assert_eq!(roc_auc(&[(1.0, true)]), None);
    }

    #[test]
    fn youden_picks_the_separating_threshold() {
        let best = best_cut(&FOUR).unwrap();
        // At ≥ 3: TPR ½, FPR 0 (J ½); at ≥ 1: TPR 1, FPR ½ (J ½): the higher threshold wins the tie.
        assert_eq!(best.threshold, 3.0);
        assert_eq!(best.j(), 0.5);
        let all = at_or_above(&FOUR, 1.0);
        assert_eq!((all.tpr, all.fpr), (1.0, 0.5));
        assert!((all.precision - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn groups_report_lift_over_the_base_rate() {
        let members = [("a", true), ("a", false), ("b", false), ("b", false)];
        let g = groups(["a", "b", "c"], members.iter().copied());
        assert_eq!(g[0].conversion, Some(0.5));
        assert_eq!(g[0].lift, Some(2.0));
        assert_eq!(g[1].lift, Some(0.0));
        assert_eq!((g[2].visitors, g[2].conversion), (0, None));
    }
    #[test]
    fn wilson_intervals_match_the_published_formula() {
        // 3 of 25: centre (0.12 + 1.92/50) / 1.1537, half-width 1.96/1.1537 × √(0.12·0.88/25 + 3.84/2500).
        let (lo, hi) = wilson(3, 25).unwrap();
        assert!(
            (lo - 0.041_67).abs() < 1e-4 && (hi - 0.299_56).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.277_5).abs() < 1e-4, "{hi}");
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(5, 5).unwrap().1, 1.0);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
