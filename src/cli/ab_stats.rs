//! Frequentist statistics for the `ab-report` CLI: per-arm rates, relative lift with a 95% CI,
//! a two-proportion z-test, and a sample-ratio-mismatch (SRM) check.
//!
//! Native only, so it leans on `statrs` for the normal and chi-square tails rather than
//! hand-rolled special functions. Undefined statistics (no visitors, a control that never
//! converts, no variance) come back as `None` rather than NaN, so the report can say why.

use std::fmt;

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::erf::erfc;

/// Two-sided 95% normal quantile, Φ⁻¹(0.975).
pub const Z_95: f64 = 1.959_963_984_540_054;

/// SRM is flagged below this p-value: strict, because a real mismatch is a bug, not noise.
pub const SRM_ALPHA: f64 = 0.001;

/// What one variation saw over the experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArmTotals {
    /// Visitors exposed to the variation.
    pub visitors: u64,
    /// Exposed visitors who converted at least once (so at most `visitors`).
    pub conversions: u64,
    /// Total revenue from those visitors, in the store's currency.
    pub revenue: f64,
}

/// Rates for one variation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ArmSummary {
    /// Visitors exposed.
    pub visitors: u64,
    /// Visitors who converted.
    pub conversions: u64,
    /// `conversions / visitors`; `None` without visitors.
    pub conversion_rate: Option<f64>,
    /// `revenue / visitors`; `None` without visitors.
    pub revenue_per_visitor: Option<f64>,
}

/// Relative lift `(p_t - p_c) / p_c` with its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Lift {
    /// Point estimate, e.g. 0.2 for +20%.
    pub estimate: f64,
    /// Lower end of the 95% interval.
    pub ci_low: f64,
    /// Upper end of the 95% interval.
    pub ci_high: f64,
}

/// Two-sided two-proportion z-test with pooled standard error.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ZTest {
    /// `(p_t - p_c) / se_pooled`; positive when the treatment converts more.
    pub z: f64,
    /// Two-sided p-value, `2 (1 - Φ(|z|))`.
    pub p_value: f64,
}

/// One treatment against the control (variation 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Index of the treatment variation (1 and up).
    pub variation: usize,
    /// `None` when either arm has no visitors or the control never converted.
    pub lift: Option<Lift>,
    /// `None` when either arm has no visitors or nobody (or everybody) converted.
    pub z_test: Option<ZTest>,
}

/// Chi-square goodness of fit of visitor counts against the configured weights.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SampleRatio {
    /// Σ (observed − expected)² / expected.
    pub chi_square: f64,
    /// Number of variations minus one.
    pub degrees_of_freedom: usize,
    /// Probability of a split at least this uneven if assignment works as configured.
    pub p_value: f64,
    /// True when `p_value < SRM_ALPHA`: the split is broken and the lifts are not to be trusted.
    pub mismatch: bool,
}

/// Everything `ab-report` prints for one experiment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AbReport {
    /// One summary per variation, control first.
    pub arms: Vec<ArmSummary>,
    /// One comparison per treatment, against the control.
    pub comparisons: Vec<Comparison>,
    /// The SRM check over all variations.
    pub sample_ratio: SampleRatio,
}

/// Why the totals cannot be analysed.
#[derive(Clone, Debug, PartialEq)]
pub enum AbStatsError {
    /// Fewer than two variations were given.
    TooFewArms(usize),
    /// The weights do not match the variations one for one.
    WeightCount {
        /// Number of variations.
        arms: usize,
        /// Number of weights.
        weights: usize,
    },
    /// A weight is not a finite positive number; holds the variation index.
    BadWeight(usize),
    /// A variation reports more converting visitors than visitors; holds the variation index.
    ConversionsExceedVisitors(usize),
    /// A variation's revenue is NaN or infinite; holds the variation index.
    RevenueNotFinite(usize),
}

impl fmt::Display for AbStatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbStatsError::TooFewArms(n) => {
                write!(f, "an A/B report needs at least 2 variations, got {n}")
            }
            AbStatsError::WeightCount { arms, weights } => write!(
                f,
                "{weights} weights for {arms} variations; give one weight per variation"
            ),
            AbStatsError::BadWeight(i) => {
                write!(f, "variation {i}: weight must be a finite number above 0")
            }
            AbStatsError::ConversionsExceedVisitors(i) => write!(
                f,
                "variation {i}: more conversions than visitors; count converting visitors, not orders"
            ),
            AbStatsError::RevenueNotFinite(i) => {
                write!(f, "variation {i}: revenue is not a finite number")
            }
        }
    }
}

impl std::error::Error for AbStatsError {}

/// Analyses all variations against variation 0 and checks the split against `weights`.
///
/// # Errors
/// Fewer than 2 arms, weights that do not match the arms or are not positive, more
/// conversions than visitors, or a non-finite revenue.
pub fn analyze(arms: &[ArmTotals], weights: &[f64]) -> Result<AbReport, AbStatsError> {
    if arms.len() < 2 {
        return Err(AbStatsError::TooFewArms(arms.len()));
    }
    for (i, arm) in arms.iter().enumerate() {
        if arm.conversions > arm.visitors {
            return Err(AbStatsError::ConversionsExceedVisitors(i));
        }
        if !arm.revenue.is_finite() {
            return Err(AbStatsError::RevenueNotFinite(i));
        }
    }
    let visitors: Vec<u64> = arms.iter().map(|arm| arm.visitors).collect();
    let sample_ratio = sample_ratio_mismatch(&visitors, weights)?;
    let control = arms[0];
    let comparisons = arms
        .iter()
        .enumerate()
        .skip(1)
        .map(|(variation, &treatment)| Comparison {
            variation,
            lift: relative_lift(control, treatment),
            z_test: two_proportion_z_test(control, treatment),
        })
        .collect();
    Ok(AbReport {
        arms: arms.iter().map(|&arm| summarize(arm)).collect(),
        comparisons,
        sample_ratio,
    })
}

/// Rates for one arm.
pub fn summarize(arm: ArmTotals) -> ArmSummary {
    ArmSummary {
        visitors: arm.visitors,
        conversions: arm.conversions,
        conversion_rate: rate(arm),
        revenue_per_visitor: (arm.visitors > 0).then(|| arm.revenue / arm.visitors as f64),
    }
}

fn rate(arm: ArmTotals) -> Option<f64> {
    (arm.visitors > 0).then(|| arm.conversions as f64 / arm.visitors as f64)
}

/// Relative lift of `treatment` over `control` with a 95% CI by the delta method.
///
/// With `R = p_t / p_c` and binomial variances `v = p (1 - p) / n`, the first-order (delta
/// method) variance of the ratio is `v_t / p_c² + p_t² v_c / p_c⁴`, and the interval is
/// `(R - 1) ± Z_95 · √Var`. This is the interval GrowthBook's frequentist engine reports, so
/// our numbers line up with theirs. It is symmetric and, for tiny samples, can dip below
/// −100%; a log-ratio interval would not, but would be undefined when the treatment has no
/// conversions. `None` when either arm has no visitors or the control rate is 0.
pub fn relative_lift(control: ArmTotals, treatment: ArmTotals) -> Option<Lift> {
    let (p_c, p_t) = (rate(control)?, rate(treatment)?);
    if p_c <= 0.0 {
        return None;
    }
    let var_c = p_c * (1.0 - p_c) / control.visitors as f64;
    let var_t = p_t * (1.0 - p_t) / treatment.visitors as f64;
    let variance = var_t / (p_c * p_c) + p_t * p_t * var_c / (p_c * p_c * p_c * p_c);
    let estimate = (p_t - p_c) / p_c;
    let half_width = Z_95 * variance.sqrt();
    Some(Lift {
        estimate,
        ci_low: estimate - half_width,
        ci_high: estimate + half_width,
    })
}

/// Two-sided two-proportion z-test with the pooled standard error.
///
/// `se = √(p (1 - p) (1/n_c + 1/n_t))` with `p` the pooled rate, which is the standard error
/// under the null of equal rates. `None` when either arm has no visitors or the pooled rate is
/// 0 or 1 (no variance, so no test).
pub fn two_proportion_z_test(control: ArmTotals, treatment: ArmTotals) -> Option<ZTest> {
    let (p_c, p_t) = (rate(control)?, rate(treatment)?);
    let (n_c, n_t) = (control.visitors as f64, treatment.visitors as f64);
    let pooled = (control.conversions + treatment.conversions) as f64 / (n_c + n_t);
    if pooled <= 0.0 || pooled >= 1.0 {
        return None;
    }
    let se = (pooled * (1.0 - pooled) * (1.0 / n_c + 1.0 / n_t)).sqrt();
    let z = (p_t - p_c) / se;
    // 2 (1 - Φ(|z|)) = erfc(|z| / √2), computed without cancellation in the far tail.
    let p_value = erfc(z.abs() / std::f64::consts::SQRT_2);
    Some(ZTest { z, p_value })
}

/// Chi-square goodness of fit of `visitors` per variation against the configured `weights`.
///
/// Expected counts are `N · w_i / Σw`, so weights that sum to 1 only approximately (e.g. three
/// times 0.3333) do not cause a false alarm. With no visitors at all there is nothing to test:
/// χ² = 0 and p = 1.
///
/// # Errors
/// Fewer than 2 arms, or weights that do not match the arms or are not positive.
pub fn sample_ratio_mismatch(
    visitors: &[u64],
    weights: &[f64],
) -> Result<SampleRatio, AbStatsError> {
    if visitors.len() < 2 {
        return Err(AbStatsError::TooFewArms(visitors.len()));
    }
    if weights.len() != visitors.len() {
        return Err(AbStatsError::WeightCount {
            arms: visitors.len(),
            weights: weights.len(),
        });
    }
    if let Some(i) = weights.iter().position(|w| !w.is_finite() || *w <= 0.0) {
        return Err(AbStatsError::BadWeight(i));
    }
    let degrees_of_freedom = visitors.len() - 1;
    let total = visitors.iter().sum::<u64>() as f64;
    let weight_sum: f64 = weights.iter().sum();
    let chi_square = if total > 0.0 {
        visitors
            .iter()
            .zip(weights)
            .map(|(&observed, &w)| {
                let expected = total * w / weight_sum;
                let diff = observed as f64 - expected;
                diff * diff / expected
            })
            .sum()
    } else {
        0.0
    };
    // df >= 1 here, and the only error `ChiSquared::new` has is df <= 0 or NaN.
    let p_value =
        ChiSquared::new(degrees_of_freedom as f64).map_or(f64::NAN, |dist| dist.sf(chi_square));
    Ok(SampleRatio {
        chi_square,
        degrees_of_freedom,
        p_value,
        mismatch: p_value < SRM_ALPHA,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(visitors: u64, conversions: u64, revenue: f64) -> ArmTotals {
        ArmTotals {
            visitors,
            conversions,
            revenue,
        }
    }

    #[track_caller]
    fn assert_close(got: f64, want: f64, tol: f64) {
        assert!(
            (got - want).abs() <= tol,
            "got {got:e}, want {want:e} ± {tol:e}"
        );
    }

    /// p-values are checked to 1e-9 relative: statrs 0.18 (and 0.19) `erfc` is good to about
    /// 1e-10 relative, its Boost-derived interval constants being truncated to 10 digits,
    /// while Python's `math.erfc` is correctly rounded. Far finer than any p-value we print.
    #[track_caller]
    fn assert_p_value(got: f64, want: f64) {
        assert_close(got, want, want * 1e-9);
    }

    #[test]
    fn srm_1000_vs_1200_at_50_50_is_flagged() {
        // N = 2200, expected 1100 each: χ² = (100² + 100²) / 1100 = 20000 / 1100 = 18.1818...
        // df = 1, so p = P(χ²₁ > 18.18) = erfc(√(18.18 / 2)) = erfc(3.0151) ≈ 2.0079e-5
        // (python3: math.erfc(math.sqrt(20000 / 1100 / 2)) = 2.007865612426481e-05).
        let srm = sample_ratio_mismatch(&[1000, 1200], &[0.5, 0.5]).expect("valid input");
        assert_close(srm.chi_square, 20000.0 / 1100.0, 1e-12);
        assert_p_value(srm.p_value, 2.007_865_612_426_481e-5);
        assert_eq!((srm.degrees_of_freedom, srm.mismatch), (1, true));
    }

    #[test]
    fn srm_three_arms_within_noise_is_not_flagged() {
        // Weights 0.5/0.25/0.25 over N = 10000: expected 5000, 2500, 2500.
        // χ² = 0²/5000 + 100²/2500 + 100²/2500 = 0 + 4 + 4 = 8, df = 2.
        // For df = 2 the survival function is exp(-x/2): p = exp(-4) = 0.0183156.
        let srm =
            sample_ratio_mismatch(&[5000, 2600, 2400], &[0.5, 0.25, 0.25]).expect("valid input");
        assert_close(srm.chi_square, 8.0, 1e-12);
        assert_p_value(srm.p_value, (-4.0f64).exp());
        assert_eq!((srm.degrees_of_freedom, srm.mismatch), (2, false));
    }

    #[test]
    fn srm_four_arms_df_3() {
        // Equal weights over N = 4000, expected 1000 each; observed 1060, 1000, 970, 970:
        // χ² = (60² + 0 + 30² + 30²) / 1000 = (3600 + 900 + 900) / 1000 = 5.4, df = 3.
        // For df = 3, sf(x) = erfc(√(x/2)) + √(2x/π)·exp(-x/2); python3 with math.erfc gives
        // 0.1447435794148558.
        let srm = sample_ratio_mismatch(&[1060, 1000, 970, 970], &[0.25; 4]).expect("valid");
        assert_close(srm.chi_square, 5.4, 1e-12);
        assert_p_value(srm.p_value, 0.144_743_579_414_855_8);
        assert_eq!((srm.degrees_of_freedom, srm.mismatch), (3, false));
    }

    #[test]
    fn srm_normalizes_weights_that_only_nearly_sum_to_one() {
        // 0.3333 × 3 sums to 0.9999; normalized, an exact 3000/3000/3000 split gives χ² = 0.
        let srm = sample_ratio_mismatch(&[3000, 3000, 3000], &[0.3333; 3]).expect("valid");
        assert_eq!((srm.chi_square, srm.p_value), (0.0, 1.0));
    }

    #[test]
    fn srm_without_visitors_is_not_flagged() {
        let srm = sample_ratio_mismatch(&[0, 0], &[0.5, 0.5]).expect("valid input");
        assert_eq!(
            (srm.chi_square, srm.p_value, srm.mismatch),
            (0.0, 1.0, false)
        );
    }

    #[test]
    fn srm_all_visitors_in_one_arm_is_flagged() {
        // χ² = 250²/250 + 250²/250 = 500.
        let srm = sample_ratio_mismatch(&[500, 0], &[0.5, 0.5]).expect("valid input");
        assert_eq!((srm.chi_square, srm.mismatch), (500.0, true));
    }

    #[test]
    fn z_test_and_lift_10_vs_12_percent() {
        // Control 100/1000 = 0.10, treatment 120/1000 = 0.12.
        // Pooled p = 220/2000 = 0.11; se = √(0.11 · 0.89 · (1/1000 + 1/1000)) = √0.0001958
        //   = 0.013992855; z = 0.02 / 0.013992855 = 1.429301.
        // p = erfc(1.429301 / √2) = 0.152918 (python3 math.erfc: 0.1529177818639462).
        let (control, treatment) = (arm(1000, 100, 0.0), arm(1000, 120, 0.0));
        let test = two_proportion_z_test(control, treatment).expect("defined");
        assert_close(test.z, 1.429_300_849_823_231_4, 1e-12);
        assert_p_value(test.p_value, 0.152_917_781_863_946_2);

        // Lift = 0.12 / 0.10 - 1 = 0.2.
        // v_t = 0.12 · 0.88 / 1000 = 1.056e-4, v_c = 0.1 · 0.9 / 1000 = 9e-5.
        // Var = v_t / 0.1² + 0.12² · v_c / 0.1⁴ = 0.01056 + 0.01296 = 0.02352; se = 0.1533623.
        // CI = 0.2 ± 1.959964 · 0.1533623 = 0.2 ± 0.3005846 = (-0.1005846, 0.5005846).
        let lift = relative_lift(control, treatment).expect("defined");
        assert_close(lift.estimate, 0.2, 1e-12);
        assert_close(lift.ci_low, -0.100_584_616_144_482_39, 1e-12);
        assert_close(lift.ci_high, 0.500_584_616_144_482_2, 1e-12);
    }

    #[test]
    fn z_test_significant_5_vs_6_percent() {
        // 500/10000 vs 600/10000: pooled 0.055, se = √(0.055 · 0.945 · 0.0002) = 0.0032241,
        // z = 0.01 / 0.0032241 = 3.101614, p = erfc(3.101614 / √2) = 0.0019247
        // (python3 math.erfc: 0.0019246872509622623).
        let test =
            two_proportion_z_test(arm(10_000, 500, 0.0), arm(10_000, 600, 0.0)).expect("defined");
        assert_close(test.z, 3.101_614_034_661_568, 1e-12);
        assert_p_value(test.p_value, 0.001_924_687_250_962_262_3);
    }

    #[test]
    fn negative_lift_has_negative_z_and_interval() {
        // 500/10000 = 5% vs 380/9000 = 4.222%: lift = 0.042222/0.05 - 1 = -0.155556,
        // z = -2.547025, p = 0.0108646, CI (-0.265596, -0.045515) (python3, same formulas).
        let (control, treatment) = (arm(10_000, 500, 0.0), arm(9_000, 380, 0.0));
        let test = two_proportion_z_test(control, treatment).expect("defined");
        assert_close(test.z, -2.547_024_679_073_907, 1e-12);
        assert_p_value(test.p_value, 0.010_864_574_940_039_902);
        let lift = relative_lift(control, treatment).expect("defined");
        assert_close(lift.estimate, -0.155_555_555_555_555_56, 1e-12);
        assert_close(lift.ci_low, -0.265_596_242_111_279_63, 1e-12);
        assert_close(lift.ci_high, -0.045_514_868_999_831_51, 1e-12);
    }

    #[test]
    fn undefined_statistics_are_none() {
        let empty = arm(0, 0, 0.0);
        let some = arm(100, 5, 10.0);
        assert_eq!(relative_lift(empty, some), None);
        assert_eq!(relative_lift(some, empty), None);
        // The control never converted: the relative lift is unbounded.
        assert_eq!(relative_lift(arm(100, 0, 0.0), some), None);
        // Nobody, or everybody, converted: no variance under the null.
        assert_eq!(
            two_proportion_z_test(arm(100, 0, 0.0), arm(100, 0, 0.0)),
            None
        );
        assert_eq!(
            two_proportion_z_test(arm(100, 100, 0.0), arm(50, 50, 0.0)),
            None
        );
        assert_eq!(two_proportion_z_test(empty, some), None);
        let summary = summarize(empty);
        assert_eq!(
            (summary.conversion_rate, summary.revenue_per_visitor),
            (None, None)
        );
    }

    #[test]
    fn analyze_report() {
        // SRM: 1000 vs 1200 at 50/50 as above. Revenue per visitor: 2500/1000 = 2.5 and
        // 3300/1200 = 2.75. Rates: 100/1000 = 0.1 and 144/1200 = 0.12, so lift = 0.2.
        let report = analyze(
            &[arm(1000, 100, 2500.0), arm(1200, 144, 3300.0)],
            &[0.5, 0.5],
        )
        .expect("valid totals");
        assert!(report.sample_ratio.mismatch);
        let rates: Vec<_> = report.arms.iter().map(|a| a.conversion_rate).collect();
        assert_eq!(rates, [Some(0.1), Some(0.12)]);
        let rpv: Vec<_> = report.arms.iter().map(|a| a.revenue_per_visitor).collect();
        assert_eq!(rpv, [Some(2.5), Some(2.75)]);
        let [comparison] = report.comparisons[..] else {
            panic!("one treatment, one comparison: {:?}", report.comparisons);
        };
        assert_eq!(comparison.variation, 1);
        assert_close(comparison.lift.expect("defined").estimate, 0.2, 1e-12);
        assert!(comparison.z_test.is_some());
    }

    #[test]
    fn analyze_refuses_bad_input_with_clear_messages() {
        let ok = arm(10, 1, 0.0);
        let cases: [(Vec<ArmTotals>, Vec<f64>, &str); 6] = [
            (
                vec![ok],
                vec![1.0],
                "an A/B report needs at least 2 variations, got 1",
            ),
            (
                vec![ok, ok],
                vec![1.0],
                "1 weights for 2 variations; give one weight per variation",
            ),
            (
                vec![ok, ok],
                vec![1.0, 0.0],
                "variation 1: weight must be a finite number above 0",
            ),
            (
                vec![ok, ok],
                vec![f64::NAN, 0.5],
                "variation 0: weight must be a finite number above 0",
            ),
            (
                vec![ok, arm(10, 11, 0.0)],
                vec![0.5, 0.5],
                "variation 1: more conversions than visitors; count converting visitors, not orders",
            ),
            (
                vec![arm(10, 1, f64::INFINITY), ok],
                vec![0.5, 0.5],
                "variation 0: revenue is not a finite number",
            ),
        ];
        for (arms, weights, message) in cases {
            let got = analyze(&arms, &weights).map_err(|e| e.to_string());
            assert_eq!(got.err().as_deref(), Some(message));
        }
    }
}
