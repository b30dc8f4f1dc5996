//! The limits on what the tool reads and writes, in one place: docs/answers.md and
//! docs/reliability.md name these figures. Each one bounds memory or time on hostile input (a
//! file with no line break, `/dev/zero`, a title of megabytes) and is refused with an error
//! naming the file or field, never cut silently.

use std::io::{self, Read};

/// The longest line of a CSV file the tool reads (a send log's record, a stats row, a
/// recipient). A real row is a few hundred bytes; past this, reading on would only hold the
/// rest of the file in memory.
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// The largest text file read whole: an answers file, `incident.toml`, a runbook, a template.
pub const MAX_TEXT_FILE_BYTES: usize = 16 << 20;

/// The largest incident record read or written. The tool refuses to write a record it could
/// not read back.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

/// The largest index of the records read (`incidents/.index`, a few hundred bytes a record):
/// one larger is not read but rebuilt.
pub const MAX_INDEX_BYTES: usize = 256 << 20;

/// The longest title, subject or name of a person or brand, in characters.
pub const MAX_SHORT_CHARS: usize = 200;

/// The longest other one-line value (a resolution, a reason, a one-line answer), in characters.
pub const MAX_LINE_CHARS: usize = 1_000;

/// The longest multi-line text (a note, a free-text answer), in characters.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// Read at most `limit` bytes of `input`, whatever it is (a pipe, a device, a huge file):
/// `Ok(None)` when there is more than that.
pub fn read_at_most(input: impl Read, limit: usize) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    input.take(cap).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// "16 MiB": a limit in bytes as the errors name it.
pub fn mebibytes(bytes: usize) -> String {
    format!("{} MiB", bytes >> 20)
}

/// A line longer than [`MAX_LINE_BYTES`] in a CSV file, as the reader's I/O error carries it.
#[derive(Debug)]
pub struct LineTooLong {
    /// The 1-based line that runs on.
    pub line: u64,
    pub limit: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} runs on for more than {} without a line break",
            self.line,
            mebibytes(self.limit)
        )
    }
}

impl std::error::Error for LineTooLong {}

impl LineTooLong {
    /// The [`LineTooLong`] inside an I/O error, if that is what it is.
    pub fn within(err: &io::Error) -> Option<&LineTooLong> {
        err.get_ref()?.downcast_ref::<LineTooLong>()
    }
}

/// The error for a CSV reader's I/O error: a line too long, at its line, or the I/O error.
pub fn line_error(path: &std::path::Path, err: &io::Error) -> crate::error::Error {
    match LineTooLong::within(err) {
        Some(long) => crate::error::Error::Invalid {
            path: path.to_path_buf(),
            line: usize::try_from(long.line).ok(),
            message: long.to_string(),
            hint: "this is not a CSV export: check the path (a CSV row is a few hundred bytes)"
                .into(),
        },
        None => crate::error::Error::io(
            "cannot read",
            path,
            io::Error::new(err.kind(), err.to_string()),
        ),
    }
}

/// A reader that fails with [`LineTooLong`] once a line runs past its limit, so that a CSV
/// parser above it (which grows its record buffer for as long as a line goes on) stays within
/// bounded memory on a file with no line break, such as `/dev/zero`.
pub struct LineCapped<R> {
    inner: R,
    limit: usize,
    /// Bytes since the last line break.
    run: usize,
    /// The line being read, from 1.
    line: u64,
}

impl<R: Read> LineCapped<R> {
    /// `inner`, with lines of at most [`MAX_LINE_BYTES`].
    pub fn new(inner: R) -> Self {
        Self::with_limit(inner, MAX_LINE_BYTES)
    }

    /// `inner`, with lines of at most `limit` bytes.
    pub fn with_limit(inner: R, limit: usize) -> Self {
        LineCapped {
            inner,
            limit,
            run: 0,
            line: 1,
        }
    }
}

impl<R: Read> Read for LineCapped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Never hand out more than the rest of the allowance, so the error comes before the
        // parser has buffered a byte past it.
        let room = self.limit.saturating_sub(self.run).saturating_add(1);
        let want = buf.len().min(room);
        let n = self.inner.read(&mut buf[..want])?;
        for &b in &buf[..n] {
            if b == b'\n' || b == b'\r' {
                self.line += u64::from(b == b'\n');
                self.run = 0;
            } else {
                self.run += 1;
            }
        }
        if self.run > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong {
                    line: self.line,
                    limit: self.limit,
                },
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_limit_fails_with_its_number() {
        let mut out = Vec::new();
        let err = LineCapped::with_limit(&b"ab\ncd\r\nefghij\n"[..], 4)
            .read_to_end(&mut out)
            .expect_err("too long");
        let long = LineTooLong::within(&err).expect("a LineTooLong");
        assert_eq!(long.line, 3);
        assert!(out.len() <= 12, "read past the limit: {}", out.len());
        let mut ok = Vec::new();
        LineCapped::with_limit(&b"abcd\nabcd"[..], 4)
            .read_to_end(&mut ok)
            .expect("lines of the limit pass");
        assert_eq!(ok, b"abcd\nabcd");
    }

    #[test]
    fn an_endless_input_is_cut_at_the_limit() {
        let endless = std::io::repeat(0);
        assert_eq!(read_at_most(endless, 1000).expect("reads"), None);
        assert_eq!(
            read_at_most(&b"12345"[..], 5).expect("reads"),
            Some(b"12345".to_vec())
        );
    }
}
