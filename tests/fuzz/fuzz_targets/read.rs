//! Every CLI line reader (`cli::read::Reader`, each format, gzip or not) on arbitrary bytes:
//! records and row errors, never a panic; line numbers never go back; times are in range; the
//! reader ends. Small limits, so that the line and size caps are reached too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shopper_intent::cli::input::{self, Limits, MAX_TIME_MS};
use shopper_intent::cli::read::{Detail, Format, Reader};
use std::io::Write;

const FORMATS: [Option<Format>; 9] = [
    None,
    Some(Format::Jsonl),
    Some(Format::Datalayer),
    Some(Format::Ga4),
    Some(Format::Shopify),
    Some(Format::Segment),
    Some(Format::Rees46),
    Some(Format::Taobao),
    Some(Format::Uci),
];

fuzz_target!(|data: &[u8]| {
    input::set_limits(Limits {
        max_line_bytes: 4096,
        max_input_bytes: 1 << 20,
    });
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(selector & 0x3f) % FORMATS.len()];
    let detail = if selector & 0x40 == 0 {
        Detail::Full
    } else {
        Detail::Outline
    };
    let bytes = if selector & 0x80 == 0 {
        body.to_vec()
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(body).expect("in memory");
        gz.finish().expect("in memory")
    };
    let raw: Box<dyn std::io::Read> = Box::new(std::io::Cursor::new(bytes));
    let Ok(input) = input::decompress(raw) else {
        return;
    };
    let Ok(mut reader) = Reader::from_input(input, format, detail) else {
        return;
    };
    let mut last_line = 0;
    let mut rows = 0usize;
    // A UCI session makes at most a few hundred thousand events; anything more is a runaway.
    let bound = 64 + body.len() * 2 + (body.len() / 16 + 1) * 30_002;
    while let Some(row) = reader.next() {
        rows += 1;
        assert!(rows <= bound, "the reader does not end");
        let line = match row {
            Ok(r) => {
                assert!(r.time_ms <= MAX_TIME_MS, "time {} out of range", r.time_ms);
                assert!(!r.visitor.is_empty(), "empty visitor on line {}", r.line);
                if let Some(e) = &r.event {
                    assert_eq!(Some(e.kind), r.kind);
                    assert_eq!(e.time_ms, r.time_ms);
                }
                r.line
            }
            Err(e) => e.line,
        };
        assert!(line >= last_line, "line {line} after line {last_line}");
        last_line = line;
    }
});
