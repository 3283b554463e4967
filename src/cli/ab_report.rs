//! `shopper-intent ab-report`: the lift of each experiment, GrowthBook warehouse style, from a log
//! of the exposures our tag pushes (or beacons) and the store's own purchases, each line with the
//! visitor and time.
//!
//! Lines: `experiment_viewed` and `experiment_conversion` (`experiment_id`, `variation_id`,
//! `value`?, `transaction_id`?), the store's GA4 `purchase` (`value` or its items,
//! `transaction_id`, at the top level or in `ecommerce`) and Shopify `checkout_completed`
//! (`checkout.totalPrice.amount`, `checkout.order.id`, at the top level or in `data`), either
//! flat with `visitor` and `time` added, as a beacon body or a collector writes them, or as
//! recorded dataLayer pushes `{"visitor", "time", "push": {...}}`.
//!
//! A visitor counts once per experiment, in the variation of their exposures. A purchase counts
//! for each experiment the visitor was exposed to at or before its time, in that variation; the
//! revenue of all such purchases is summed. One purchase counts once: lines with the same
//! `transaction_id`, or an id-less line within [`SAME_PURCHASE_MS`] of another of that visitor
//! (an `experiment_conversion` beside the store's `purchase`, a GA4 `purchase` beside Shopify's
//! `checkout_completed`), are one purchase, worth the largest value among them. Visitors seen in
//! more than one variation of an experiment (a changed config, a shared device) are left out, as
//! GrowthBook does. What cannot be trusted is left out and said, never the whole report: a bad
//! line, a variation the experiment does not have, an experiment whose totals cannot be analysed.

use super::ab_stats::{self, ArmTotals, Comparison, SampleRatio};
use super::input;
use crate::core::actions::{CONVERSION_EVENT, EXPOSURE_EVENT};
use crate::core::event::MAX_NUMBER;
use crate::core::experiment::get_equal_weights;
use crate::core::{Event, Model};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Purchase lines of one visitor this close in time are one purchase unless their
/// `transaction_id`s differ: our conversion push and the store's own event of the same order.
pub const SAME_PURCHASE_MS: u64 = 10 * 60_000;

/// The store's own purchase events.
const STORE_PURCHASES: [&str; 2] = ["purchase", "checkout_completed"];

/// Arguments of `ab-report`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A config whose `experiments` give the variation names and weights; the defaults without it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// JSON Lines of exposures, conversions and the store's purchases, with `visitor` and `time`.
    file: Option<PathBuf>,
}

/// What the input held besides the experiments.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Lines {
    /// Non-empty lines read.
    pub read: u64,
    /// Exposure lines.
    pub exposures: u64,
    /// `experiment_conversion` lines.
    pub conversions: u64,
    /// The store's `purchase` and `checkout_completed` lines.
    pub purchases: u64,
    /// Lines of other events, ignored.
    pub other_events: u64,
    /// Unreadable lines, skipped (each is named on stderr).
    pub bad: u64,
    /// Purchase or conversion lines that repeat a purchase already counted.
    pub duplicate_purchases: u64,
    /// Exposures and conversions naming a variation their experiment does not have, skipped.
    pub stray_variations: u64,
    /// Conversions of visitors not (yet) exposed to their experiment, not counted.
    pub unattributed_conversions: u64,
    /// Conversions whose variation differs from the visitor's exposures, not counted.
    pub mismatched_conversions: u64,
    /// Visitors exposed to more than one variation of an experiment, left out.
    pub excluded_visitors: u64,
}

/// One variation's totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variation {
    /// Index (0 is the control).
    pub variation: usize,
    /// Name from the config, or the index.
    pub name: String,
    /// Exposed visitors.
    pub visitors: u64,
    /// Exposed visitors who converted.
    pub conversions: u64,
    /// `conversions / visitors`.
    pub conversion_rate: Option<f64>,
    /// Revenue of their purchases.
    pub revenue: f64,
    /// `revenue / visitors`.
    pub revenue_per_visitor: Option<f64>,
}

/// One experiment's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Experiment {
    /// The key.
    pub experiment: String,
    /// The configured weights the split is checked against.
    pub weights: Vec<f64>,
    /// The variations, control first.
    pub variations: Vec<Variation>,
    /// Each treatment against the control.
    pub comparisons: Vec<Comparison>,
    /// The split against the weights.
    pub sample_ratio: SampleRatio,
}

/// An experiment left out of the report, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Refused {
    /// The key.
    pub experiment: String,
    /// Why its totals cannot be analysed.
    pub reason: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Experiments in key order.
    pub experiments: Vec<Experiment>,
    /// Experiments that could not be analysed.
    pub refused: Vec<Refused>,
    /// Line counts.
    pub lines: Lines,
}

/// A line that matters to the report.
enum Push {
    Exposure {
        experiment: String,
        variation: usize,
    },
    Conversion {
        experiment: String,
        variation: usize,
        sale: Sale,
    },
    Purchase(Sale),
}

/// A purchase as one line tells it.
#[derive(Clone)]
struct Sale {
    time_ms: u64,
    value: f64,
    transaction: Option<String>,
}

/// Parses one line: visitor, time and what it is; `None` for an event the report does not use.
fn parse_line(text: &str) -> Result<Option<(String, u64, Push)>, String> {
    let mut line: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = line.as_object_mut().ok_or("not a JSON object")?;
    let pushed = match obj.remove("push") {
        Some(push) => match super::read::push_event(push)? {
            Some(event) => Some(event),
            None => return Ok(None),
        },
        None => None,
    };
    let name = match &pushed {
        Some((name, _)) => name.as_str(),
        None => obj.get("event").and_then(Value::as_str).unwrap_or(""),
    };
    let conversion = name == CONVERSION_EVENT;
    if name != EXPOSURE_EVENT && !conversion && !STORE_PURCHASES.contains(&name) {
        return Ok(None);
    }
    let name = name.to_string();
    let (visitor, time_ms) = input::visitor_and_time(obj)?;
    let params = match &pushed {
        Some((_, params)) => params,
        None => &line,
    };
    let push = if name == EXPOSURE_EVENT || conversion {
        let (experiment, variation) = experiment_and_variation(params)?;
        if conversion {
            let sale = Sale {
                time_ms,
                value: amount(params.get("value"), "value")?,
                transaction: transaction(params.get("transaction_id"), "transaction_id")?,
            };
            Push::Conversion {
                experiment,
                variation,
                sale,
            }
        } else {
            Push::Exposure {
                experiment,
                variation,
            }
        }
    } else if name == "purchase" {
        let event = Event::decode(&name, time_ms, &params)
            .map_err(|e| e.to_string())?
            .ok_or("`purchase` is not an event the model knows")?;
        let id = params
            .get("ecommerce")
            .and_then(|e| e.get("transaction_id"))
            .or_else(|| params.get("transaction_id"));
        Push::Purchase(Sale {
            time_ms,
            value: event.value_or_items(),
            transaction: transaction(id, "transaction_id")?,
        })
    } else {
        let checkout = params
            .get("data")
            .and_then(|d| d.get("checkout"))
            .or_else(|| params.get("checkout"))
            .filter(|c| c.is_object())
            .ok_or("`checkout` (or `data.checkout`), the Shopify checkout, is missing")?;
        let total = checkout.get("totalPrice").and_then(|t| t.get("amount"));
        let order = checkout.get("order").and_then(|o| o.get("id"));
        Push::Purchase(Sale {
            time_ms,
            value: amount(total, "checkout.totalPrice.amount")?,
            transaction: transaction(order, "checkout.order.id")?,
        })
    };
    Ok(Some((visitor, time_ms, push)))
}

fn experiment_and_variation(params: &Value) -> Result<(String, usize), String> {
    let experiment = match params.get("experiment_id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err("`experiment_id` is missing or not a non-empty string".into()),
    };
    // GrowthBook's `variation_id` is the variation key: the index as text by default.
    let variation = match params.get("variation_id") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .and_then(|v| usize::try_from(v).ok())
    .filter(|&v| v < 100)
    .ok_or("`variation_id` must be a variation index (0 for the control), as a number or text")?;
    Ok((experiment, variation))
}

/// A money amount: absent is 0; a number or numeric text from 0 to [`MAX_NUMBER`].
fn amount(value: Option<&Value>, field: &str) -> Result<f64, String> {
    let n = match value {
        None | Some(Value::Null) => return Ok(0.0),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
        Some(_) => None,
    };
    n.filter(|n| (0.0..=MAX_NUMBER).contains(n))
        .ok_or_else(|| format!("`{field}` must be a number from 0 to 1e15"))
}

/// An order id: text or an integer; absent or empty is none.
fn transaction(value: Option<&Value>, field: &str) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Ok(Some(n.to_string())),
        Some(_) => Err(format!("`{field}` must be text or an integer")),
    }
}

/// One visitor's exposures to one experiment: each variation with its first exposure.
#[derive(Default)]
struct Exposed {
    variations: Vec<(usize, u64)>,
}

/// Everything one visitor did that the report uses.
#[derive(Default)]
struct VisitorLog {
    exposed: BTreeMap<String, Exposed>,
    /// (experiment, variation, sale)
    conversions: Vec<(String, usize, Sale)>,
    purchases: Vec<Sale>,
}

/// A variation seen in the log: how many lines named it, and the first of them.
#[derive(Clone, Copy)]
struct Seen {
    lines: u64,
    first_line: u64,
}

/// Reads the pushes and computes the report; bad lines are named on `err` and skipped.
pub fn report(reader: impl BufRead, model: &Model, err: &mut impl Write) -> Result<Report, String> {
    let mut lines = Lines::default();
    let mut visitors: HashMap<String, VisitorLog> = HashMap::new();
    // Per experiment, the variations its exposures and conversions name.
    let mut seen: BTreeMap<String, BTreeMap<usize, Seen>> = BTreeMap::new();
    let mut note = |experiment: &str, variation: usize, line: u64| {
        let s = seen
            .entry(experiment.to_string())
            .or_default()
            .entry(variation)
            .or_insert(Seen {
                lines: 0,
                first_line: line,
            });
        s.lines += 1;
    };
    let mut input = input::Lines::new(reader, input::limits());
    let counted = input::each_line(&mut input, err, |line, text, _| {
        let Some((visitor, time_ms, push)) = parse_line(text)? else {
            lines.other_events += 1;
            return Ok(());
        };
        let log = visitors.entry(visitor).or_default();
        match push {
            Push::Exposure {
                experiment,
                variation,
            } => {
                lines.exposures += 1;
                note(&experiment, variation, line);
                let exposed = log.exposed.entry(experiment).or_default();
                match exposed.variations.iter_mut().find(|(v, _)| *v == variation) {
                    Some((_, first)) => *first = (*first).min(time_ms),
                    None => exposed.variations.push((variation, time_ms)),
                }
            }
            Push::Conversion {
                experiment,
                variation,
                sale,
            } => {
                lines.conversions += 1;
                note(&experiment, variation, line);
                log.conversions.push((experiment, variation, sale));
            }
            Push::Purchase(sale) => {
                lines.purchases += 1;
                log.purchases.push(sale);
            }
        }
        Ok(())
    });
    (lines.read, lines.bad) = (counted.lines, counted.bad);
    Ok(analyse(model, visitors, seen, lines, err))
}

/// A purchase, once the lines that tell it are merged.
struct Order {
    time_ms: u64,
    value: f64,
    transaction: Option<String>,
}

impl Order {
    /// Whether `sale` tells this purchase: the same id, or close in time when either has none.
    fn told_by(&self, sale: &Sale) -> bool {
        match (&self.transaction, &sale.transaction) {
            (Some(a), Some(b)) => a == b,
            _ => self.time_ms.abs_diff(sale.time_ms) <= SAME_PURCHASE_MS,
        }
    }
}

/// The order among `orders` (those not `taken`) that `sale` repeats: the one with its id, else
/// the nearest in time.
fn repeated(orders: &[Order], taken: &[bool], sale: &Sale) -> Option<usize> {
    (0..orders.len())
        .filter(|&i| !taken.get(i).copied().unwrap_or(false) && orders[i].told_by(sale))
        .min_by_key(|&i| {
            let by_id = orders[i].transaction.is_some() && sale.transaction.is_some();
            (!by_id, orders[i].time_ms.abs_diff(sale.time_ms))
        })
}

/// The store's purchase lines of one visitor as orders, each purchase once.
fn store_orders(mut sales: Vec<Sale>, lines: &mut Lines) -> Vec<Order> {
    sales.sort_by_key(|s| s.time_ms);
    let mut orders: Vec<Order> = Vec::new();
    for sale in sales {
        match repeated(&orders, &[], &sale) {
            Some(i) => {
                lines.duplicate_purchases += 1;
                let order = &mut orders[i];
                order.value = order.value.max(sale.value);
                order.transaction = order.transaction.take().or(sale.transaction);
            }
            None => orders.push(Order {
                time_ms: sale.time_ms,
                value: sale.value,
                transaction: sale.transaction,
            }),
        }
    }
    orders
}

/// Each experiment's number of variations: the configured ones, else those named from 0 up
/// without a gap (at least 2). Lines naming any other variation are reported and skipped.
fn variation_counts(
    model: &Model,
    seen: &BTreeMap<String, BTreeMap<usize, Seen>>,
    lines: &mut Lines,
    err: &mut impl Write,
) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for (key, variations) in seen {
        let configured = model.experiments.iter().find(|e| e.key == *key);
        let (count, source) = match configured {
            Some(c) => (c.variations.len(), "in the config"),
            None => (
                (0..)
                    .take_while(|v| variations.contains_key(v))
                    .count()
                    .max(2),
                "named from 0 up without a gap; give the experiment in --config for more",
            ),
        };
        for (variation, s) in variations.range(count..) {
            lines.stray_variations += s.lines;
            let more = match s.lines {
                1 => String::new(),
                n => format!(", with the {} other lines naming it", n - 1),
            };
            let _ = writeln!(
                err,
                "line {}: experiment {key} has no variation {variation} (it has {count}, {source}); skipped{more}",
                s.first_line
            );
        }
        counts.insert(key.clone(), count);
    }
    counts
}

/// Totals per experiment and variation from each visitor's log, then the statistics.
fn analyse(
    model: &Model,
    visitors: HashMap<String, VisitorLog>,
    seen: BTreeMap<String, BTreeMap<usize, Seen>>,
    mut lines: Lines,
    err: &mut impl Write,
) -> Report {
    let counts = variation_counts(model, &seen, &mut lines, err);
    let zero = ArmTotals {
        visitors: 0,
        conversions: 0,
        revenue: 0.0,
    };
    let mut totals: BTreeMap<&str, Vec<ArmTotals>> = BTreeMap::new();
    for log in visitors.into_values() {
        let orders = store_orders(log.purchases, &mut lines);
        let mut conversions: BTreeMap<&str, Vec<(usize, &Sale)>> = BTreeMap::new();
        for (experiment, variation, sale) in &log.conversions {
            if *variation < counts[experiment] {
                let list = conversions.entry(experiment.as_str()).or_default();
                list.push((*variation, sale));
            }
        }
        for (experiment, exposed) in &log.exposed {
            let (key, &count) = counts.get_key_value(experiment).expect("noted");
            let convs = conversions.remove(key.as_str()).unwrap_or_default();
            let valid: Vec<(usize, u64)> = exposed
                .variations
                .iter()
                .copied()
                .filter(|&(v, _)| v < count)
                .collect();
            let [(variation, first_ms)] = valid[..] else {
                if valid.len() > 1 {
                    lines.excluded_visitors += 1;
                } else {
                    lines.unattributed_conversions += convs.len() as u64;
                }
                continue;
            };
            let arms = totals.entry(key).or_insert_with(|| vec![zero; count]);
            let arm = &mut arms[variation];
            arm.visitors += 1;
            // Our conversions that repeat a store purchase are that purchase; the others are
            // purchases the store's log lacks.
            let mut worth: Vec<f64> = orders.iter().map(|o| o.value).collect();
            let mut taken = vec![false; orders.len()];
            let mut own = Vec::new();
            for (v, sale) in convs {
                match repeated(&orders, &taken, sale) {
                    Some(i) => {
                        lines.duplicate_purchases += 1;
                        taken[i] = true;
                        worth[i] = worth[i].max(sale.value);
                    }
                    None => own.push((v, sale)),
                }
            }
            let mut converted = false;
            for (order, value) in orders.iter().zip(worth) {
                if order.time_ms >= first_ms {
                    converted = true;
                    arm.revenue += value;
                }
            }
            for (v, sale) in own {
                if sale.time_ms < first_ms {
                    lines.unattributed_conversions += 1;
                } else if v != variation {
                    lines.mismatched_conversions += 1;
                } else {
                    converted = true;
                    arm.revenue += sale.value;
                }
            }
            arm.conversions += u64::from(converted);
        }
        // Conversions of experiments this visitor was never exposed to.
        lines.unattributed_conversions += conversions.values().map(|c| c.len() as u64).sum::<u64>();
    }

    let mut experiments = Vec::new();
    let mut refused = Vec::new();
    for (key, arms) in totals {
        let config = model.experiments.iter().find(|e| e.key == key);
        let weights = match config.and_then(|c| c.weights.clone()) {
            Some(w) if w.len() == arms.len() => w,
            _ => get_equal_weights(arms.len()),
        };
        let stats = match ab_stats::analyze(&arms, &weights) {
            Ok(stats) => stats,
            Err(e) => {
                let _ = writeln!(err, "experiment {key}: {e}; left out of the report");
                refused.push(Refused {
                    experiment: key.to_string(),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let variations = arms
            .iter()
            .zip(&stats.arms)
            .enumerate()
            .map(|(i, (t, s))| Variation {
                variation: i,
                name: config
                    .and_then(|c| c.variations.get(i).cloned())
                    .unwrap_or_else(|| i.to_string()),
                visitors: t.visitors,
                conversions: t.conversions,
                conversion_rate: s.conversion_rate,
                revenue: t.revenue,
                revenue_per_visitor: s.revenue_per_visitor,
            })
            .collect();
        experiments.push(Experiment {
            experiment: key.to_string(),
            weights,
            variations,
            comparisons: stats.comparisons,
            sample_ratio: stats.sample_ratio,
        });
    }
    Report {
        experiments,
        refused,
        lines,
    }
}

fn percent(x: f64) -> String {
    format!("{:+.2}%", x * 100.0)
}

/// A p-value: 4 decimals, or scientific when that would print 0.
fn p_value(p: f64) -> String {
    if p < 1e-4 {
        format!("{p:.2e}")
    } else {
        format!("{p:.4}")
    }
}

/// "1 treatment", or "1" when the name is the index.
fn label(v: &Variation) -> String {
    if v.name == v.variation.to_string() {
        v.name.clone()
    } else {
        format!("{} {}", v.variation, v.name)
    }
}

/// The report as a terminal table.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    for e in &report.experiments {
        let weights: Vec<String> = e.weights.iter().map(|w| format!("{w}")).collect();
        let _ = writeln!(
            out,
            "experiment {}  (weights {})",
            e.experiment,
            weights.join(" / ")
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>9} {:>12} {:>11} {:>16}",
            "variation", "visitors", "conversions", "conv. rate", "revenue/visitor"
        );
        for v in &e.variations {
            let name = label(v);
            let rate = v
                .conversion_rate
                .map_or("-".into(), |r| format!("{:.2}%", r * 100.0));
            let rpv = v
                .revenue_per_visitor
                .map_or("-".into(), |r| format!("{r:.2}"));
            let _ = writeln!(
                out,
                "  {name:<16} {:>9} {:>12} {rate:>11} {rpv:>16}",
                v.visitors, v.conversions
            );
        }
        for c in &e.comparisons {
            let name = |i: usize| e.variations.get(i).map_or(String::new(), label);
            let lift = c
                .lift
                .map_or("lift n/a (no control conversions)".into(), |l| {
                    format!(
                        "lift {} (95% CI {} to {})",
                        percent(l.estimate),
                        percent(l.ci_low),
                        percent(l.ci_high)
                    )
                });
            let test = c.z_test.map_or("z-test n/a".into(), |z| {
                format!("z = {:.3}, p = {}", z.z, p_value(z.p_value))
            });
            let _ = writeln!(
                out,
                "  {} vs {}: {lift}, {test}",
                name(c.variation),
                name(0)
            );
        }
        let srm = &e.sample_ratio;
        let verdict = if srm.mismatch {
            "SAMPLE RATIO MISMATCH (p < 0.001): the split is broken; do not trust the lift"
        } else {
            "ok"
        };
        let _ = writeln!(
            out,
            "  sample ratio: chi-square {:.3}, df {}, p = {}: {verdict}",
            srm.chi_square,
            srm.degrees_of_freedom,
            p_value(srm.p_value)
        );
        out.push('\n');
    }
    for r in &report.refused {
        let _ = writeln!(
            out,
            "experiment {}: not analysed: {}\n",
            r.experiment, r.reason
        );
    }
    let l = &report.lines;
    let _ = writeln!(
        out,
        "{} lines: {} exposures, {} conversions, {} store purchases, {} other events ignored, \
         {} bad lines skipped; {} lines repeating a purchase counted once; {} lines naming a \
         variation their experiment does not have skipped; {} conversions without an earlier \
         exposure and {} in another variation not counted; {} visitors in several variations left out",
        l.read,
        l.exposures,
        l.conversions,
        l.purchases,
        l.other_events,
        l.bad,
        l.duplicate_purchases,
        l.stray_variations,
        l.unattributed_conversions,
        l.mismatched_conversions,
        l.excluded_visitors
    );
    out
}

/// Runs `ab-report`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let model = super::load_model(args.config.as_deref())?;
    let reader = input::open(args.file.as_deref())?;
    let stderr = std::io::stderr();
    let report = report(reader, &model, &mut stderr.lock())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        out.write_all(table(&report).as_bytes())
            .map_err(|e| e.to_string())?;
    }
    if report.experiments.is_empty() {
        eprintln!(
            "shopper-intent: {}",
            if report.refused.is_empty() {
                "no experiment_viewed event found"
            } else {
                "no experiment could be analysed"
            }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
