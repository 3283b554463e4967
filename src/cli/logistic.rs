//! L2-regularised logistic regression by Newton's method (IRLS), on weighted rows of a one-hot
//! design: each row has exactly one active column per term (a bin of a characteristic, or a
//! cell of a crossed table). Rows with the same columns are merged beforehand, with their
//! buyers' and others' weights, so a fit costs the number of distinct rows, not of visitors.
//!
//! Our own rather than `linfa-logistic`, which takes neither sample weights (the prefix protocol
//! weighs each visitor's moments to 1 in all; merged rows carry counts) nor a warm start.
//! The loss is scikit-learn's: C × Σ weighted log-loss + ½‖β‖², the intercept unpenalised.

/// Merged rows: `terms` active columns each, with buyers' and others' weights.
#[derive(Clone, Debug, Default)]
pub struct Design {
    /// Columns in all.
    pub columns: usize,
    /// Active columns per row.
    pub terms: usize,
    /// Row-major active columns, `terms` per row.
    pub active: Vec<u32>,
    /// Buyers' weight per row.
    pub pos: Vec<f64>,
    /// Others' weight per row.
    pub neg: Vec<f64>,
}

impl Design {
    /// Rows in the design.
    pub fn rows(&self) -> usize {
        self.pos.len()
    }

    /// The active columns of row `r`.
    pub fn row(&self, r: usize) -> &[u32] {
        &self.active[r * self.terms..(r + 1) * self.terms]
    }
}

/// A fitted model: the intercept and one coefficient per column.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// Log-odds with every coefficient at 0.
    pub intercept: f64,
    /// Log-odds per column.
    pub beta: Vec<f64>,
}

impl Fit {
    /// The log-odds of a row with these active columns.
    pub fn eta(&self, active: &[u32]) -> f64 {
        self.intercept + active.iter().map(|&j| self.beta[j as usize]).sum::<f64>()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Σ weighted log-loss (offset `eta`), the quantity the fit minimises without the penalty.
pub fn log_loss(pos: f64, neg: f64, eta: f64) -> f64 {
    // log(1 + e^x) computed without overflow.
    let softplus = |x: f64| x.max(0.0) + (-x.abs()).exp().ln_1p();
    pos * softplus(-eta) + neg * softplus(eta)
}

/// Fits `design` with inverse regularisation `c`, from `start` when given (columns it lacks
/// start at 0).
pub fn fit(design: &Design, c: f64, start: Option<&Fit>) -> Fit {
    let p = design.columns + 1;
    let lambda = 1.0 / c;
    let mut theta = vec![0.0; p];
    match start {
        Some(s) => {
            theta[0] = s.intercept;
            for (j, b) in s.beta.iter().enumerate().take(design.columns) {
                theta[j + 1] = *b;
            }
        }
        None => {
            let (pos, neg): (f64, f64) = (design.pos.iter().sum(), design.neg.iter().sum());
            theta[0] = ((pos + 0.5) / (neg + 0.5)).ln();
        }
    }
    let objective = |theta: &[f64]| -> f64 {
        let penalty: f64 = theta[1..].iter().map(|b| b * b).sum::<f64>() * 0.5 * lambda;
        (0..design.rows())
            .map(|r| {
                let eta = theta[0]
                    + design
                        .row(r)
                        .iter()
                        .map(|&j| theta[j as usize + 1])
                        .sum::<f64>();
                log_loss(design.pos[r], design.neg[r], eta)
            })
            .sum::<f64>()
            + penalty
    };
    let mut current = objective(&theta);
    let mut hessian = vec![0.0; p * p];
    let mut gradient = vec![0.0; p];
    let mut index = Vec::with_capacity(design.terms + 1);
    for _ in 0..100 {
        hessian.iter_mut().for_each(|h| *h = 0.0);
        for (j, g) in gradient.iter_mut().enumerate() {
            *g = if j == 0 { 0.0 } else { -lambda * theta[j] };
        }
        for j in 1..p {
            hessian[j * p + j] = lambda;
        }
        for r in 0..design.rows() {
            index.clear();
            index.push(0usize);
            index.extend(design.row(r).iter().map(|&j| j as usize + 1));
            let eta: f64 = index.iter().map(|&j| theta[j]).sum();
            let prob = sigmoid(eta);
            let n = design.pos[r] + design.neg[r];
            let residual = design.pos[r] - n * prob;
            let h = n * prob * (1.0 - prob);
            for &a in &index {
                gradient[a] += residual;
                for &b in &index {
                    hessian[a * p + b] += h;
                }
            }
        }
        let Some(step) = solve(&hessian, &gradient, p) else {
            break;
        };
        // Newton's step, halved until the objective does not rise.
        let mut scale = 1.0;
        let mut next = theta.clone();
        loop {
            for j in 0..p {
                next[j] = theta[j] + scale * step[j];
            }
            let value = objective(&next);
            if value <= current + 1e-12 || scale < 1e-4 {
                current = value;
                break;
            }
            scale *= 0.5;
        }
        let change = step.iter().map(|s| (s * scale).abs()).fold(0.0, f64::max);
        theta.clone_from(&next);
        if change < 1e-8 {
            break;
        }
    }
    Fit {
        intercept: theta[0],
        beta: theta[1..].to_vec(),
    }
}

/// Solves `a x = b` for a symmetric positive definite `a` (Cholesky); `None` when it is not.
fn solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if sum <= 0.0 {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let sum: f64 = (0..i).map(|k| l[i * n + k] * y[k]).sum();
        y[i] = (b[i] - sum) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let sum: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
        x[i] = (y[i] - sum) / l[i * n + i];
    }
    Some(x)
}

/// The intercept that best fits `(offset, weight, bought)` with the offsets' slope fixed at 1:
/// re-centres a card whose points were rounded. The score equation falls as the intercept
/// rises, so bisection finds its root whatever the offsets (Newton overshoots on large ones).
pub fn intercept_for(points: &[(f64, f64, bool)]) -> f64 {
    let gradient = |a: f64| -> f64 {
        points
            .iter()
            .map(|&(x, w, y)| w * (f64::from(u8::from(y)) - sigmoid(a + x)))
            .sum()
    };
    let (mut lo, mut hi) = (-60.0, 60.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if gradient(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The slope of an unpenalised logistic fit of the outcome on `x`, with an intercept:
/// the calibration slope when `x` is a predicted log-odds, the log-odds per point of a score.
/// Newton's method from a flat model, each step halved until the likelihood does not fall.
pub fn slope(points: &[(f64, f64, bool)]) -> f64 {
    let y = |b: bool| f64::from(u8::from(b));
    let loss = |a: f64, b: f64| -> f64 {
        points
            .iter()
            .map(|&(x, w, bought)| {
                let eta = a + b * x;
                if bought {
                    log_loss(w, 0.0, eta)
                } else {
                    log_loss(0.0, w, eta)
                }
            })
            .sum()
    };
    let (pos, all) = points
        .iter()
        .fold((0.0, 0.0), |t, p| (t.0 + p.1 * y(p.2), t.1 + p.1));
    let (mut a, mut b) = (((pos + 0.5) / (all - pos + 0.5)).ln(), 0.0);
    let mut current = loss(a, b);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &(x, w, bought) in points {
            let p = sigmoid(a + b * x);
            let r = w * (y(bought) - p);
            let h = w * p * (1.0 - p);
            ga += r;
            gb += r * x;
            haa += h;
            hab += h * x;
            hbb += h * x * x;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-12 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        let mut scale = 1.0;
        while scale > 1e-6 && loss(a + scale * da, b + scale * db) > current + 1e-12 {
            scale *= 0.5;
        }
        a += scale * da;
        b += scale * db;
        current = loss(a, b);
        if (scale * da).abs().max((scale * db).abs()) < 1e-10 {
            break;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_binary_column_recovers_the_log_odds_ratio() {
        // Column 0: 30 of 100 bought; column 1: 10 of 100. Unpenalised (huge C), the fit is exact.
        let d = Design {
            columns: 2,
            terms: 1,
            active: vec![0, 1],
            pos: vec![30.0, 10.0],
            neg: vec![70.0, 90.0],
        };
        let f = fit(&d, 1e9, None);
        let logit = |p: f64| (p / (1.0 - p)).ln();
        assert!((f.eta(&[0]) - logit(0.3)).abs() < 1e-6, "{f:?}");
        assert!((f.eta(&[1]) - logit(0.1)).abs() < 1e-6, "{f:?}");
        // A strong penalty pulls both toward the pooled rate.
        let g = fit(&d, 1e-4, None);
        assert!(g.beta.iter().all(|b| b.abs() < 0.01), "{g:?}");
        assert!((g.intercept - logit(0.2)).abs() < 0.01);
    }

    #[test]
    fn calibrated_log_odds_have_slope_one_and_the_intercept_recentres() {
        let logit = |p: f64| (p / (1.0 - p)).ln();
        let mut points = Vec::new();
        for (p, n, k) in [(0.1, 100.0, 10.0), (0.5, 100.0, 50.0), (0.8, 100.0, 80.0)] {
            points.push((logit(p), k, true));
            points.push((logit(p), n - k, false));
        }
        assert!((slope(&points) - 1.0).abs() < 1e-6);
        // On a points scale (log-odds / 0.1), the slope is 0.1 per point, from any offset.
        let scaled: Vec<_> = points
            .iter()
            .map(|&(x, w, y)| (x * 10.0 + 50.0, w, y))
            .collect();
        assert!((slope(&scaled) - 0.1).abs() < 1e-6, "{}", slope(&scaled));
        assert!(intercept_for(&points).abs() < 1e-6);
        let shifted: Vec<_> = points.iter().map(|&(x, w, y)| (x - 2.0, w, y)).collect();
        assert!((intercept_for(&shifted) - 2.0).abs() < 1e-6);
    }
}
