//! `ab-report` on arbitrary bytes (its line parsing and the whole analysis): a report whose
//! numbers hold together, never a panic or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::cli::ab_report::report;
use shopper_intent::cli::input::{self, Limits};

fuzz_target!(|data: &[u8]| {
    input::set_limits(Limits {
        max_line_bytes: 4096,
        max_input_bytes: 1 << 20,
    });
    let model = shopper_intent_fuzz::default_model();
    let r = report(data, model, &mut std::io::sink()).expect("a report, whatever the input");
    let l = &r.lines;
    assert!(l.exposures + l.conversions + l.purchases + l.other_events + l.bad <= l.read);
    for e in &r.experiments {
        assert!(e.variations.len() >= 2 && e.variations.len() <= 100);
        assert_eq!(e.weights.len(), e.variations.len());
        for v in &e.variations {
            assert!(v.conversions <= v.visitors, "{v:?}");
            assert!(v.revenue.is_finite() && v.revenue >= 0.0, "{v:?}");
        }
        for c in &e.comparisons {
            if let Some(lift) = c.lift {
                assert!(
                    lift.estimate.is_finite() && lift.ci_low <= lift.ci_high,
                    "{c:?}"
                );
            }
            if let Some(z) = c.z_test {
                assert!((0.0..=1.0).contains(&z.p_value), "{c:?}");
            }
        }
        assert!((0.0..=1.0).contains(&e.sample_ratio.p_value));
    }
});
