//! Reading event logs: files or stdin, line by line, with times in RFC 3339 or epoch ms.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Opens `path` for line reading (`-` or none is stdin); gzip input is detected by its magic bytes.
pub fn open(path: Option<&Path>) -> Result<Box<dyn BufRead>, String> {
    let raw: Box<dyn Read> = match path {
        None => Box::new(io::stdin()),
        Some(p) if p == Path::new("-") => Box::new(io::stdin()),
        Some(p) => Box::new(
            std::fs::File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?,
        ),
    };
    let mut reader = BufReader::with_capacity(1 << 16, raw);
    let head = reader
        .fill_buf()
        .map_err(|e| format!("cannot read input: {e}"))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(reader),
        )))
    } else {
        Ok(Box::new(reader))
    }
}

/// The files of an input: `-` (stdin) or a file as given; a folder's files in name order
/// (hidden files and names starting with `_`, such as Spark's `_SUCCESS`, left out); or the
/// files a glob matches, in name order. An input that names nothing is an error.
pub fn paths(input: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    if input == Path::new("-") || input.is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    let mut files: Vec<std::path::PathBuf> = if input.is_dir() {
        std::fs::read_dir(input)
            .map_err(|e| format!("cannot list {}: {e}", input.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                p.is_file() && !name.starts_with('.') && !name.starts_with('_')
            })
            .collect()
    } else {
        let text = input.to_string_lossy();
        if !text.contains(['*', '?', '[']) {
            return Err(format!(
                "cannot open {}: no such file or folder",
                input.display()
            ));
        }
        glob::glob(&text)
            .map_err(|e| format!("bad glob {text:?}: {e}"))?
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect()
    };
    if files.is_empty() {
        return Err(format!("{} names no file", input.display()));
    }
    files.sort();
    Ok(files)
}

/// Whether `path` is a Parquet file (its magic bytes `PAR1`); stdin never is.
pub fn is_parquet(path: &Path) -> Result<bool, String> {
    if path == Path::new("-") {
        return Ok(false);
    }
    let mut magic = [0u8; 4];
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let n = file
        .read(&mut magic)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(n == 4 && &magic == b"PAR1")
}

/// Parses a time: epoch milliseconds (number or digits) or RFC 3339 / `YYYY-MM-DD HH:MM:SS UTC`.
pub fn parse_time(value: &serde_json::Value) -> Result<u64, String> {
    match value {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(ms) if ms.is_finite() && ms >= 0.0 => Ok(ms as u64),
            _ => Err(format!(
                "time {n} is not a non-negative number of milliseconds"
            )),
        },
        serde_json::Value::String(s) => parse_time_text(s),
        other => Err(format!(
            "time must be RFC 3339 text or epoch milliseconds, not {other}"
        )),
    }
}

/// Parses a time given as text.
pub fn parse_time_text(s: &str) -> Result<u64, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map_err(|_| format!("time {s:?} is out of range"));
    }
    let parsed = chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp_millis())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(s.trim_end_matches(" UTC"), "%Y-%m-%d %H:%M:%S")
                .map(|d| d.and_utc().timestamp_millis())
        })
        .map_err(|_| format!("time {s:?} is neither RFC 3339 nor epoch milliseconds"))?;
    u64::try_from(parsed).map_err(|_| format!("time {s:?} is before 1970"))
}

/// A time for reports: `YYYY-MM-DD HH:MM:SS UTC`.
pub fn format_time(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(
            || format!("{ms} ms"),
            |d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        )
}

/// The `visitor` and `time` every log line carries, with the reason when either is bad.
pub fn visitor_and_time(
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<(String, u64), String> {
    let visitor = match obj.get("visitor") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => return Err("`visitor` must be a non-empty string or a number".into()),
        None => return Err("`visitor` is missing".into()),
    };
    let time_ms = parse_time(obj.get("time").ok_or("`time` is missing")?)?;
    Ok((visitor, time_ms))
}

/// The non-blank lines of a log with their 1-based numbers; a read error ends the input.
pub fn numbered_lines(
    reader: impl BufRead,
) -> impl Iterator<Item = Result<(usize, String), String>> {
    reader
        .lines()
        .enumerate()
        .map(|(n, line)| {
            line.map(|l| (n + 1, l))
                .map_err(|e| format!("line {}: cannot read: {e}", n + 1))
        })
        .filter(|r| r.as_ref().map_or(true, |(_, l)| !l.trim().is_empty()))
}
