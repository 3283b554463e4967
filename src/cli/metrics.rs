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

/// One scored moment of a visitor: whose, its weight (a visitor's moments weigh 1 in all), its
/// score and the visitor's label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// The visitor's index (moments of one visitor are not independent).
    pub visitor: u32,
    /// Its weight.
    pub weight: f64,
    /// Its score.
    pub score: f64,
    /// The visitor bought.
    pub bought: bool,
}

/// ROC AUC with a 95 % confidence interval (DeLong), and how much of it is ties.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Auc {
    /// The (weighted) AUC: ties count half.
    pub auc: f64,
    /// Its standard error.
    pub se: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// Share of buyer / non-buyer pairs with equal scores (each counts half in the AUC).
    pub tied_pairs: f64,
    /// Share of all weight on the single most common score.
    pub largest_tie: f64,
}

/// Weighted AUC with DeLong's variance at the visitor level: each visitor's placement is the
/// weighted mean over its moments of the share of the other class it outranks (ties half), so
/// several moments of one visitor count as one observation. `None` without both classes.
pub fn auc(samples: &[Sample]) -> Option<Auc> {
    let mut sorted: Vec<Sample> = samples.iter().copied().filter(|s| s.weight > 0.0).collect();
    sorted.sort_by(|a, b| a.score.total_cmp(&b.score));
    let (w_pos, w_neg) = sorted.iter().fold((0.0, 0.0), |(p, n), s| {
        if s.bought {
            (p + s.weight, n)
        } else {
            (p, n + s.weight)
        }
    });
    if w_pos <= 0.0 || w_neg <= 0.0 {
        return None;
    }
    // Per visitor: Σ weight × placement, Σ weight, label; indexed by visitor, so that sums run
    // in one order whatever the input's (the interval must not depend on thread counts).
    let visitors = sorted
        .iter()
        .map(|s| s.visitor as usize + 1)
        .max()
        .unwrap_or(0);
    let mut per: Vec<(f64, f64, bool)> = vec![(0.0, 0.0, false); visitors];
    let (mut below_pos, mut below_neg) = (0.0, 0.0);
    let (mut tied, mut largest) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        let (mut g_pos, mut g_neg) = (0.0, 0.0);
        while j < sorted.len() && sorted[j].score == sorted[i].score {
            if sorted[j].bought {
                g_pos += sorted[j].weight;
            } else {
                g_neg += sorted[j].weight;
            }
            j += 1;
        }
        tied += g_pos * g_neg;
        largest = largest.max(g_pos + g_neg);
        for s in &sorted[i..j] {
            let placement = if s.bought {
                (below_neg + 0.5 * g_neg) / w_neg
            } else {
                (w_pos - below_pos - g_pos + 0.5 * g_pos) / w_pos
            };
            let e = &mut per[s.visitor as usize];
            e.0 += s.weight * placement;
            e.1 += s.weight;
            e.2 = s.bought;
        }
        below_pos += g_pos;
        below_neg += g_neg;
        i = j;
    }
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for (sum, weight, bought) in per.into_iter().filter(|p| p.1 > 0.0) {
        if bought {
            pos.push((sum / weight, weight));
        } else {
            neg.push((sum / weight, weight));
        }
    }
    let mean = |v: &[(f64, f64)]| {
        let w: f64 = v.iter().map(|x| x.1).sum();
        v.iter().map(|x| x.0 * x.1).sum::<f64>() / w
    };
    let auc = mean(&pos);
    let var = |v: &[(f64, f64)], centre: f64| {
        if v.len() < 2 {
            0.0
        } else {
            v.iter().map(|x| (x.0 - centre).powi(2)).sum::<f64>()
                / (v.len() - 1) as f64
                / v.len() as f64
        }
    };
    // Both classes' placements average the AUC.
    let se = (var(&pos, auc) + var(&neg, auc)).sqrt();
    Some(Auc {
        auc,
        se,
        low: (auc - 1.96 * se).max(0.0),
        high: (auc + 1.96 * se).min(1.0),
        tied_pairs: tied / (w_pos * w_neg),
        largest_tie: largest / (w_pos + w_neg),
    })
}

/// AUC of merged rows `(score, buyers' weight, others' weight)`, ties half; the fast form the
/// calibration's inner folds use (no interval). Sorts `groups`.
pub fn grouped_auc(groups: &mut [(f64, f64, f64)]) -> Option<f64> {
    groups.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (w_pos, w_neg) = groups
        .iter()
        .fold((0.0, 0.0), |a, g| (a.0 + g.1, a.1 + g.2));
    if w_pos <= 0.0 || w_neg <= 0.0 {
        return None;
    }
    let (mut below_neg, mut u) = (0.0, 0.0);
    let mut i = 0;
    while i < groups.len() {
        let (mut pos, mut neg) = (0.0, 0.0);
        let mut j = i;
        while j < groups.len() && groups[j].0 == groups[i].0 {
            pos += groups[j].1;
            neg += groups[j].2;
            j += 1;
        }
        u += pos * (below_neg + 0.5 * neg);
        below_neg += neg;
        i = j;
    }
    Some(u / (w_pos * w_neg))
}

/// The probability of buying at `score` under a scorecard's measured map.
pub fn probability(odds: &crate::core::scorecard::Odds, score: f64) -> f64 {
    let zero = (odds.zero_points / (1.0 - odds.zero_points)).ln();
    1.0 / (1.0 + (-(zero + score * std::f64::consts::LN_2 / odds.pdo)).exp())
}

/// How well predicted probabilities match what happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Mean squared error of the probabilities.
    pub brier: f64,
    /// The Brier score of predicting the base rate for everyone.
    pub base_brier: f64,
    /// 1 − brier / base_brier.
    pub skill: f64,
    /// Slope of a logistic fit of the outcome on the predicted log-odds (1 = calibrated).
    pub slope: f64,
    /// By tenth of predicted probability: (mean predicted, observed rate, weight).
    pub deciles: Vec<(f64, f64, f64)>,
}

/// Brier score, calibration slope and a reliability table of `(probability, weight, bought)`.
pub fn calibration(predicted: &[(f64, f64, bool)]) -> Option<Calibration> {
    let total: f64 = predicted.iter().map(|p| p.1).sum();
    let bought: f64 = predicted.iter().filter(|p| p.2).map(|p| p.1).sum();
    if total <= 0.0 || bought <= 0.0 || bought >= total {
        return None;
    }
    let y = |b: bool| f64::from(u8::from(b));
    let brier = predicted
        .iter()
        .map(|p| p.1 * (p.0 - y(p.2)).powi(2))
        .sum::<f64>()
        / total;
    let base = bought / total;
    let base_brier = base * (1.0 - base);
    let mut sorted = predicted.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut deciles = Vec::new();
    let (mut acc, mut start) = (0.0, 0);
    for (i, p) in sorted.iter().enumerate() {
        acc += p.1;
        // A group closes at a tenth of the weight, never inside a run of equal probabilities.
        let last = i + 1 == sorted.len();
        let boundary = last || sorted[i + 1].0 != p.0;
        if boundary && (acc >= total * (deciles.len() + 1) as f64 / 10.0 - 1e-9 || last) {
            let group = &sorted[start..=i];
            let w: f64 = group.iter().map(|g| g.1).sum();
            if w > 0.0 {
                let mean = group.iter().map(|g| g.0 * g.1).sum::<f64>() / w;
                let rate = group.iter().filter(|g| g.2).map(|g| g.1).sum::<f64>() / w;
                deciles.push((mean, rate, w));
            }
            start = i + 1;
        }
    }
    let logit = |p: f64| {
        let p = p.clamp(1e-9, 1.0 - 1e-9);
        (p / (1.0 - p)).ln()
    };
    let points: Vec<(f64, f64, bool)> = predicted.iter().map(|p| (logit(p.0), p.1, p.2)).collect();
    let slope = super::logistic::slope(&points);
    Some(Calibration {
        brier,
        base_brier,
        skill: 1.0 - brier / base_brier,
        slope,
        deciles,
    })
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

    fn samples(scored: &[(f64, bool)]) -> Vec<Sample> {
        scored
            .iter()
            .enumerate()
            .map(|(i, &(score, bought))| Sample {
                visitor: i as u32,
                weight: 1.0,
                score,
                bought,
            })
            .collect()
    }

    #[test]
    fn delong_agrees_with_mann_whitney_and_weights_visitors_once() {
        let a = auc(&samples(&FOUR)).unwrap();
        assert_eq!(a.auc, 0.75);
        // Placements: buyers 1 and 1/2, non-buyers 1/2 and 1; variances 1/8 and 1/8, halved.
        assert!(
            (a.se - (0.125f64 / 2.0 + 0.125 / 2.0).sqrt()).abs() < 1e-12,
            "{a:?}"
        );
        assert_eq!((a.tied_pairs, a.largest_tie), (0.0, 0.25));
        let tied = auc(&samples(&[(1.0, true), (1.0, false), (0.0, false)])).unwrap();
        assert_eq!((tied.auc, tied.tied_pairs), (0.75, 0.5));
        // A visitor scored at three moments weighs as much as one scored once.
        let mut many = samples(&FOUR);
        many.retain(|s| s.visitor != 0);
        for score in [3.0, 3.0, -1.0] {
            many.push(Sample {
                visitor: 0,
                weight: 1.0 / 3.0,
                score,
                bought: true,
            });
        }
        // Visitor 0 outranks both non-buyers twice in three: placement 2/3.
        let m = auc(&many).unwrap();
        assert!((m.auc - (2.0 / 3.0 + 0.5) / 2.0).abs() < 1e-12, "{m:?}");
        let mut groups: Vec<(f64, f64, f64)> = FOUR
            .iter()
            .map(|&(s, b)| (s, f64::from(u8::from(b)), f64::from(u8::from(!b))))
            .collect();
        assert_eq!(grouped_auc(&mut groups), Some(0.75));
        assert_eq!(auc(&samples(&[(1.0, true)])), None);
    }

    #[test]
    fn odds_map_points_to_probabilities() {
        let o = crate::core::scorecard::Odds {
            pdo: 10.0,
            zero_points: 0.2,
        };
        assert!((probability(&o, 0.0) - 0.2).abs() < 1e-12);
        // +10 points double the odds: 0.25 → 0.5, so p = 1/3.
        assert!((probability(&o, 10.0) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn calibration_of_perfect_and_flat_probabilities() {
        // Ten visitors at 0.1 of whom one bought, ten at 0.9 of whom nine bought.
        let mut p: Vec<(f64, f64, bool)> = (0..10).map(|i| (0.1, 1.0, i == 0)).collect();
        p.extend((0..10).map(|i| (0.9, 1.0, i != 0)));
        let c = calibration(&p).unwrap();
        assert!((c.brier - 0.09).abs() < 1e-12);
        assert!((c.base_brier - 0.25).abs() < 1e-12);
        assert!((c.slope - 1.0).abs() < 1e-6, "{}", c.slope);
        assert_eq!(
            c.deciles.len(),
            2,
            "ties stay in one group: {:?}",
            c.deciles
        );
        assert!((c.deciles[1].1 - 0.9).abs() < 1e-12);
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
