//! `score`'s line parser on arbitrary text: a visitor, a time in range and an event, or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::cli::input::MAX_TIME_MS;
use shopper_intent::cli::score::parse_line;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = parse_line(text) {
        assert!(!parsed.visitor.is_empty());
        assert!(parsed.time_ms <= MAX_TIME_MS);
        if let Some(event) = parsed.event {
            assert_eq!(event.time_ms, parsed.time_ms);
        }
    }
});
