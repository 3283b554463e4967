//! Reading event logs: files or stdin, line by line, with times in RFC 3339 or epoch ms.
//!
//! Every input goes through [`Lines`], which caps what one file can cost: a line longer than
//! `--max-line-bytes` is reported and skipped without being held in memory, and reading stops,
//! with an error naming the limit, after `--max-input-bytes` (counted after decompression, so a
//! gzip bomb is stopped too). Bytes that are not UTF-8, a read error or a corrupt gzip stream
//! cost one reported line, never the run.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// Earliest accepted time: the Unix epoch.
pub const MIN_TIME_MS: u64 = 0;
/// Latest accepted time: 9999-12-31T23:59:59.999Z, the last instant RFC 3339 can write.
pub const MAX_TIME_MS: u64 = 253_402_300_799_999;

/// What one input may cost. Global flags of every command.
#[derive(clap::Args, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest line accepted, in bytes (K, M, G: powers of 1024); a longer line is reported and
    /// skipped, without being held in memory.
    #[arg(long, global = true, value_name = "SIZE", default_value = "1M", value_parser = parse_size)]
    pub max_line_bytes: u64,
    /// Most bytes read from one input, counted after decompression; reading stops there with an
    /// error, and what was read is reported.
    #[arg(long, global = true, value_name = "SIZE", default_value = "16G", value_parser = parse_size)]
    pub max_input_bytes: u64,
}

impl Limits {
    /// The defaults: lines of at most 1 MiB, at most 16 GiB per input.
    pub const DEFAULT: Limits = Limits {
        max_line_bytes: 1 << 20,
        max_input_bytes: 16 << 30,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits of every input this process opens; the first call wins.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// The limits in force: those set by [`set_limits`], else [`Limits::DEFAULT`].
pub fn limits() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// A size such as `1048576`, `512K`, `1M`, `16G` or `1T` (powers of 1024; a `B`, `iB` is allowed).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    let unit = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, shift) = match unit.char_indices().last() {
        Some((i, 'K')) => (&unit[..i], 10),
        Some((i, 'M')) => (&unit[..i], 20),
        Some((i, 'G')) => (&unit[..i], 30),
        Some((i, 'T')) => (&unit[..i], 40),
        _ => (unit, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n > 0)
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("{text:?} is not a size like 1048576, 512K, 1M or 16G"))
}

/// A size for messages: `1 MiB`, `16 GiB`, or bytes when it is not a whole unit.
pub fn size_text(bytes: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Opens `path` for line reading (`-` or none is stdin); gzip input is detected by its magic bytes.
pub fn open(path: Option<&Path>) -> Result<Box<dyn BufRead>, String> {
    let raw: Box<dyn Read> = match path {
        None => Box::new(io::stdin()),
        Some(p) if p == Path::new("-") => Box::new(io::stdin()),
        Some(p) => Box::new(
            std::fs::File::open(p).map_err(|e| format!("cannot open {}: {e}", p.display()))?,
        ),
    };
    decompress(raw)
}

/// `raw`, decompressed when it starts with the gzip magic bytes.
pub fn decompress(raw: Box<dyn Read>) -> Result<Box<dyn BufRead>, String> {
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
    // Anything that is not a folder reads as a file: devices and pipes too (`<(zcat log.gz)`).
    if input == Path::new("-") || (input.exists() && !input.is_dir()) {
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

/// Whether `path` is a Parquet file (its magic bytes `PAR1`); stdin, pipes and devices never are.
pub fn is_parquet(path: &Path) -> Result<bool, String> {
    // Parquet is read by seeking, so only a regular file can be; a pipe must not lose 4 bytes.
    if path == Path::new("-") || !path.is_file() {
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

/// A line that could not be read: its number and why. `ends` when nothing after it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// The input stops here (a read error or the size limit); otherwise only this line is lost.
    pub ends: bool,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The lines of an input, within [`Limits`].
pub struct Lines<R> {
    inner: R,
    limits: Limits,
    /// The current line, with its line ending (empty when it was too long).
    buf: Vec<u8>,
    line: u64,
    /// Bytes consumed so far.
    total: u64,
    done: bool,
}

impl Lines<Box<dyn BufRead>> {
    /// [`open`]s `path` with the process's [`limits`].
    pub fn open(path: Option<&Path>) -> Result<Self, String> {
        Ok(Lines::new(open(path)?, limits()))
    }
}

impl<R: BufRead> Lines<R> {
    /// Lines of `inner`, within `limits`.
    pub fn new(inner: R, limits: Limits) -> Self {
        Lines {
            inner,
            limits,
            buf: Vec::new(),
            line: 0,
            total: 0,
            done: false,
        }
    }

    fn error(&mut self, message: String, ends: bool) -> LineError {
        self.done |= ends;
        LineError {
            line: self.line,
            message,
            ends,
        }
    }

    /// Reads the next line into the buffer; `None` at the end of the input.
    fn advance(&mut self) -> Option<Result<(), LineError>> {
        if self.done {
            return None;
        }
        self.buf.clear();
        self.line += 1;
        let max_line = usize::try_from(self.limits.max_line_bytes).unwrap_or(usize::MAX);
        // Room for the line ending, so that a line of exactly the limit fits.
        let keep = max_line.saturating_add(2);
        let mut len = 0usize;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let message = format!("cannot read: {e}: reading stops here");
                    return Some(Err(self.error(message, true)));
                }
            };
            if chunk.is_empty() {
                if len == 0 {
                    self.done = true;
                    return None;
                }
                break;
            }
            let (take, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if self.total.saturating_add(take as u64) > self.limits.max_input_bytes {
                let message = format!(
                    "the input passes the {} limit (--max-input-bytes, counted after \
                     decompression): reading stops here",
                    size_text(self.limits.max_input_bytes)
                );
                return Some(Err(self.error(message, true)));
            }
            if len.saturating_add(take) <= keep {
                self.buf.extend_from_slice(&chunk[..take]);
            }
            len = len.saturating_add(take);
            self.total += take as u64;
            self.inner.consume(take);
            if end {
                break;
            }
        }
        let content = len - eol_len(&self.buf);
        if len > keep || content > max_line {
            self.buf.clear();
            let message = format!(
                "longer than the {} line limit (--max-line-bytes)",
                size_text(self.limits.max_line_bytes)
            );
            return Some(Err(self.error(message, false)));
        }
        if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.buf.drain(..3);
        }
        Some(Ok(()))
    }

    /// The next line as bytes, without its line ending, with its 1-based number.
    pub fn next_bytes(&mut self) -> Option<Result<(u64, &[u8]), LineError>> {
        if let Err(e) = self.advance()? {
            return Some(Err(e));
        }
        let end = self.buf.len() - eol_len(&self.buf);
        Some(Ok((self.line, &self.buf[..end])))
    }

    /// The next non-blank line as text, without its line ending, with its 1-based number.
    pub fn next_text(&mut self) -> Option<Result<(u64, &str), LineError>> {
        let end = loop {
            if let Err(e) = self.advance()? {
                return Some(Err(e));
            }
            let end = self.buf.len() - eol_len(&self.buf);
            if !self.buf[..end].iter().all(u8::is_ascii_whitespace) {
                break end;
            }
        };
        Some(match std::str::from_utf8(&self.buf[..end]) {
            Ok(text) => Ok((self.line, text)),
            Err(e) => Err(LineError {
                line: self.line,
                message: format!(
                    "not UTF-8 (an invalid byte at column {})",
                    e.valid_up_to() + 1
                ),
                ends: false,
            }),
        })
    }
}

/// Lines read and lines skipped by [`each_line`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// Non-blank lines, read or not.
    pub lines: u64,
    /// Lines skipped: unreadable, or refused by the caller.
    pub bad: u64,
}

/// Hands each non-blank line of `lines` to `each` with its number and `err`; a line that cannot
/// be read, or that `each` refuses, is named on `err` and skipped.
pub fn each_line<R: BufRead, W: Write>(
    lines: &mut Lines<R>,
    err: &mut W,
    mut each: impl FnMut(u64, &str, &mut W) -> Result<(), String>,
) -> Counted {
    let mut counted = Counted::default();
    while let Some(line) = lines.next_text() {
        counted.lines += 1;
        let refused = match line {
            Ok((n, text)) => each(n, text, err).map_err(|why| format!("line {n}: {why}")),
            Err(e) => Err(e.to_string()),
        };
        if let Err(why) = refused {
            counted.bad += 1;
            let _ = writeln!(err, "{why}; skipped");
        }
    }
    counted
}

/// Length of the line ending at the end of `line`: `\n`, `\r\n` or nothing.
fn eol_len(line: &[u8]) -> usize {
    match line {
        [.., b'\r', b'\n'] => 2,
        [.., b'\n'] => 1,
        _ => 0,
    }
}

/// Lines the [`Feed`] could not pass on, for its reader to report.
pub type Problems = Arc<Mutex<VecDeque<LineError>>>;

/// The lines of an input as a byte stream, for a CSV parser: the same limits as [`Lines`], each
/// refused line replaced by an empty one (so line numbers hold) and queued in [`Problems`].
pub struct Feed {
    lines: Lines<Box<dyn BufRead>>,
    pos: usize,
    problems: Problems,
}

impl Feed {
    /// A feed of `lines` and the queue of the lines it refuses.
    pub fn new(lines: Lines<Box<dyn BufRead>>) -> (Feed, Problems) {
        let problems = Problems::default();
        let feed = Feed {
            lines,
            pos: 0,
            problems: Arc::clone(&problems),
        };
        (feed, problems)
    }
}

/// The oldest line the feed refused and nobody has reported yet.
pub fn take_problem(problems: &Problems) -> Option<LineError> {
    problems
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .pop_front()
}

impl Read for Feed {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let chunk = self.fill_buf()?;
        let n = chunk.len().min(out.len());
        out[..n].copy_from_slice(&chunk[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Feed {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.lines.buf.len() {
            self.pos = 0;
            match self.lines.advance() {
                None => return Ok(&[]),
                Some(Ok(())) => {}
                Some(Err(e)) => {
                    let ends = e.ends;
                    self.problems
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push_back(e);
                    if ends {
                        return Ok(&[]);
                    }
                    self.lines.buf.push(b'\n');
                }
            }
        }
        Ok(&self.lines.buf[self.pos..])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
    }
}

/// Parses a time: epoch milliseconds (number or digits) or RFC 3339 / `YYYY-MM-DD HH:MM:SS UTC`,
/// from 1970 to the end of year 9999.
pub fn parse_time(value: &serde_json::Value) -> Result<u64, String> {
    match value {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(ms) if ms.is_finite() && ms >= 0.0 => check_time(ms as u64, &n.to_string()),
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
        return check_time(s.parse::<u64>().unwrap_or(u64::MAX), s);
    }
    let parsed = chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.timestamp_millis())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(s.trim_end_matches(" UTC"), "%Y-%m-%d %H:%M:%S")
                .map(|d| d.and_utc().timestamp_millis())
        })
        .map_err(|_| format!("time {s:?} is neither RFC 3339 nor epoch milliseconds"))?;
    match u64::try_from(parsed) {
        Ok(ms) => check_time(ms, s),
        Err(_) => Err(format!("time {s:?} is before 1970")),
    }
}

/// `ms` when it lies in [`MIN_TIME_MS`, `MAX_TIME_MS`]; `shown` is how the input wrote it.
pub fn check_time(ms: u64, shown: &str) -> Result<u64, String> {
    if (MIN_TIME_MS..=MAX_TIME_MS).contains(&ms) {
        Ok(ms)
    } else {
        Err(format!(
            "time {shown} is after the year 9999, the latest accepted"
        ))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8], limits: Limits) -> Vec<Result<(u64, String), LineError>> {
        let mut lines = Lines::new(input, limits);
        let mut out = Vec::new();
        while let Some(l) = lines.next_text() {
            out.push(l.map(|(n, t)| (n, t.to_string())));
        }
        out
    }

    const SMALL: Limits = Limits {
        max_line_bytes: 4,
        max_input_bytes: 20,
    };

    #[test]
    fn a_line_of_exactly_the_limit_fits_and_one_byte_more_is_skipped() {
        let got = read_all(b"abcd\r\nabcde\n\nxy", SMALL);
        assert_eq!(got[0], Ok((1, "abcd".to_string())));
        let e = got[1].clone().unwrap_err();
        assert_eq!(
            (e.line, e.ends, e.to_string()),
            (
                2,
                false,
                "line 2: longer than the 4 bytes line limit (--max-line-bytes)".to_string()
            )
        );
        // Blank line 3 is skipped; the last line needs no line ending.
        assert_eq!(got[2], Ok((4, "xy".to_string())));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn reading_stops_at_the_input_limit() {
        let got = read_all(b"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", SMALL);
        assert_eq!(got.len(), 11);
        let e = got[10].clone().unwrap_err();
        assert!(e.ends && e.line == 11, "{e}");
        assert!(
            e.message.contains("the 20 bytes limit (--max-input-bytes"),
            "{e}"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_cost_their_line_only() {
        let got = read_all(b"ok\n\xff\xfe\nok", Limits::DEFAULT);
        assert_eq!(
            got[1].clone().unwrap_err().message,
            "not UTF-8 (an invalid byte at column 1)"
        );
        assert_eq!(got[2], Ok((3, "ok".to_string())));
    }

    #[test]
    fn sizes_read_and_print_in_powers_of_1024() {
        assert_eq!(parse_size("1M"), Ok(1 << 20));
        assert_eq!(parse_size("16GiB"), Ok(16 << 30));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err() && parse_size("1X").is_err());
        assert!(parse_size("99999999999T").is_err());
        assert_eq!(size_text(1 << 20), "1 MiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }

    #[test]
    fn times_beyond_year_9999_are_refused() {
        assert_eq!(parse_time_text("9999-12-31T23:59:59.999Z"), Ok(MAX_TIME_MS));
        assert!(parse_time(&serde_json::json!(MAX_TIME_MS + 1)).is_err());
        assert!(parse_time(&serde_json::json!(1e300)).is_err());
        assert!(parse_time_text("18446744073709551615").is_err());
        assert!(parse_time_text("99999999999999999999999").is_err());
    }
}
