//! `shopper-intent score`: each visitor's state at its last event, or at `--at`.

use super::input;
use super::read::{Detail, Format, Reader};
use crate::core::{Model, Profile};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `score`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A model config (JSON); the default model without it.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Score everyone at this time (RFC 3339 or epoch ms); events after it are left out.
    #[arg(long)]
    at: Option<String>,
    /// Exit non-zero when any line is bad.
    #[arg(long)]
    strict: bool,
    /// The log's layout; guessed from its first record when omitted.
    #[arg(long, value_enum)]
    format: Option<super::read::Format>,
    /// The event log: a file (gzip is detected), a folder, a glob, or `-` / nothing for stdin.
    file: Option<PathBuf>,
}

/// One visitor's line of output.
#[derive(Serialize)]
struct Line<'a> {
    visitor: &'a str,
    score: f64,
    stage: &'static str,
    intent: &'static str,
    suppressed: bool,
    suppression: Vec<&'static str>,
    value: f64,
    high_value: bool,
    visits: u32,
    signals: Vec<SignalOut>,
    recent_purchases: Vec<&'a str>,
}

#[derive(Serialize)]
struct SignalOut {
    rule: &'static str,
    points: f64,
    time: u64,
}

/// Counts for the closing summary.
#[derive(Default)]
struct Tally {
    lines: u64,
    scored: u64,
    unknown: u64,
    bad: u64,
    late: u64,
    after_at: u64,
}

/// Runs `score`.
pub fn run(args: Args) -> Result<ExitCode, String> {
    let model = super::load_model(args.config.as_deref())?;
    let at = args.at.as_deref().map(input::parse_time_text).transpose()?;
    // Canonical JSON Lines unless the first record says otherwise (a bad first line included).
    let mut reader = Reader::open_or(
        args.file.as_deref(),
        args.format,
        Some(Format::Jsonl),
        Detail::Full,
    )?;

    let mut index: HashMap<String, usize> = HashMap::new();
    let mut visitors: Vec<(String, Profile)> = Vec::new();
    let mut tally = Tally::default();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    while let Some(row) = reader.next() {
        tally.lines += 1;
        let r = match row {
            Ok(r) => r,
            Err(why) => {
                tally.bad += 1;
                let _ = writeln!(err, "{why}; skipped");
                continue;
            }
        };
        if at.is_some_and(|at| r.time_ms > at) {
            tally.after_at += 1;
            continue;
        }
        let slot = match index.get(r.visitor) {
            Some(&slot) => slot,
            None => {
                index.insert(r.visitor.to_string(), visitors.len());
                visitors.push((r.visitor.to_string(), Profile::new(r.visitor)));
                visitors.len() - 1
            }
        };
        let profile = &mut visitors[slot].1;
        match r.event {
            None => {
                profile.count_unknown();
                tally.unknown += 1;
            }
            Some(event) => match profile.track(&model, &event) {
                Ok(_) => tally.scored += 1,
                Err(e) => {
                    tally.late += 1;
                    let line = r.line;
                    let file = reader.file().map(|f| format!("{f}: ")).unwrap_or_default();
                    let _ = writeln!(err, "{file}line {line}: {e}; skipped");
                }
            },
        }
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (visitor, profile) in &visitors {
        let line = output(&model, visitor, profile, at);
        serde_json::to_writer(&mut out, &line).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;

    let _ = writeln!(
        err,
        "read {} lines: {} events scored for {} visitors; {} unknown events ignored; {} bad lines and {} out-of-order events skipped{}",
        tally.lines,
        tally.scored,
        visitors.len(),
        tally.unknown,
        tally.bad,
        tally.late,
        if tally.after_at > 0 { format!("; {} events after --at left out", tally.after_at) } else { String::new() }
    );
    if tally.scored == 0 && tally.unknown == 0 {
        let _ = writeln!(err, "shopper-intent: no event could be read");
        return Ok(ExitCode::from(1));
    }
    if args.strict && (tally.bad > 0 || tally.late > 0) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn output<'a>(model: &Model, visitor: &'a str, profile: &'a Profile, at: Option<u64>) -> Line<'a> {
    let t = at.unwrap_or_else(|| profile.last_event_ms());
    let s = profile.snapshot(model, t);
    Line {
        visitor,
        score: s.score,
        stage: s.stage.name(),
        intent: s.intent.name(),
        suppressed: s.suppressed(),
        suppression: s.suppression.reasons().collect(),
        value: round2(s.value),
        high_value: s.high_value,
        visits: s.visits,
        signals: profile
            .signals()
            .map(|g| SignalOut {
                rule: g.rule.name(),
                points: g.points,
                time: g.time_ms,
            })
            .collect(),
        recent_purchases: profile
            .recent_purchases(model, t)
            .map(|p| p.item())
            .collect(),
    }
}
