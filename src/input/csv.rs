//! Streaming CSV with the parsing rules of Python's `csv` module (the `excel` dialect over a
//! file opened with `newline=""` and `encoding="utf-8-sig"`), which is how the reference reads.
//!
//! The file is read in blocks into one reused buffer, so memory does not grow with the input.
//! Each block is checked as UTF-8 and then split into records in place: a field is a slice of
//! the block, except the rare quoted field holding `""`, which is unescaped into a scratch
//! string. The rules, as Python applies them:
//! - a UTF-8 byte order mark at the very start is skipped;
//! - `\n`, `\r\n` and a lone `\r` end a record outside quotes; blank lines are skipped;
//! - a field that starts with `"` is quoted: it runs to the next lone `"`, `""` inside stands
//!   for one `"`, and it may hold commas and line breaks; text after the closing quote is kept
//!   (`"ab"c` reads `abc`);
//! - a `"` inside an unquoted field is an ordinary character (`ab"c` reads `ab"c`).
//!
//! One difference, on purpose: a quoted field still open at the end of the file is refused
//! (Python keeps everything up to the end as that field), because it always means a broken
//! export, and silently swallowing the rest of a send log is the worst way to find out.
//!
//! The separator is a comma unless a preset or `--delimiter` says `;` or a tab. A plain file
//! is read again to find the line of an error (the fast path never counts lines); a stream
//! (standard input, a gzip file) counts its lines as it goes, since it cannot be read twice.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::source::Opened;
use crate::error::{Error, Result};

/// Bytes read at a time. A record longer than this grows the buffer.
const BLOCK: usize = 1 << 20;

/// The longest record accepted. A send-log row is a few hundred bytes; a record this long is a
/// quote that is never closed, and reading on would hold the rest of the file in memory.
const MAX_RECORD: usize = crate::limits::MAX_LINE_BYTES;

/// The UTF-8 byte order mark some exports start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a field's text is: a slice of the block, or of the scratch string when it had to be
/// unescaped.
#[derive(Debug, Clone, Copy)]
struct Field {
    start: usize,
    end: usize,
    unescaped: bool,
}

/// One record, borrowed from the reader's buffer until the next one is read.
pub struct Record<'a> {
    text: &'a str,
    scratch: &'a str,
    fields: &'a [Field],
    offset: u64,
    /// For a stream: the file offset of `text`, and the lines counted before it.
    counted: Option<(u64, Lines)>,
}

impl<'a> Record<'a> {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Field `i`, unquoted and unescaped; empty when there is no such field.
    pub fn get(&self, i: usize) -> &'a str {
        match self.fields.get(i) {
            // Fields start and end at ASCII delimiters or at the ends of the text, so these
            // are character boundaries and the slicing cannot fail.
            Some(f) if f.unescaped => self.scratch.get(f.start..f.end).unwrap_or_default(),
            Some(f) => self.text.get(f.start..f.end).unwrap_or_default(),
            None => "",
        }
    }

    /// The byte offset in the file where the record starts.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The 1-based line the record starts on, for an error: counted for a stream, read again
    /// from `path` for a file.
    pub fn line(&self, path: &Path) -> Option<usize> {
        match self.counted {
            Some((base, mut lines)) => {
                let upto = usize::try_from(self.offset - base).ok()?;
                lines.count(self.text.as_bytes().get(..upto)?);
                Some(lines.done + 1)
            }
            None => line_of(path, self.offset),
        }
    }
}

/// A file's header row: the column names and its line (after any blank lines before it).
#[derive(Debug, Clone)]
pub struct Header {
    pub names: Vec<String>,
    pub line: Option<usize>,
}

/// Line breaks counted as Python counts them: `\n`, `\r\n` and a lone `\r` each end one.
#[derive(Debug, Clone, Copy, Default)]
struct Lines {
    done: usize,
    after_cr: bool,
}

impl Lines {
    fn count(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                if !self.after_cr {
                    self.done += 1;
                }
            } else if b == b'\r' {
                self.done += 1;
            }
            self.after_cr = b == b'\r';
        }
    }
}

/// The outcome of parsing one record from a position in a block.
enum Parsed {
    /// A whole record, and the position just after it (at its line break or the end).
    Record(usize),
    /// The block ends inside the record: read more and parse it again.
    Incomplete,
    /// The file ends inside a quoted field.
    Unclosed,
}

/// A CSV file being read record by record.
pub struct CsvReader {
    path: PathBuf,
    input: Box<dyn Read + Send>,
    /// Whether `path` is a plain file that can be read again; else lines are counted here.
    is_file: bool,
    /// Lines before `buf[0]`, for a stream.
    lines: Lines,
    delimiter: u8,
    buf: Vec<u8>,
    /// Bytes `buf[pos..len]` are read but not parsed yet.
    pos: usize,
    len: usize,
    /// The file offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// Whether the start of the file was checked for a byte order mark.
    bom_checked: bool,
    /// Where the last record handed out (or skipped) ends, as a file offset.
    last_end: u64,
    /// Stop before the first record that starts at or after this file offset.
    limit: Option<u64>,
    fields: Vec<Field>,
    scratch: String,
}

impl CsvReader {
    /// Read an opened input, fields separated by `delimiter`.
    pub fn new(opened: Opened, delimiter: u8) -> CsvReader {
        Self::with_block(opened, delimiter, BLOCK)
    }

    fn with_block(opened: Opened, delimiter: u8, block: usize) -> CsvReader {
        Self::new_with(opened, delimiter, vec![0; block.max(1)])
    }

    /// A reader reading into `buf`, which is not empty.
    fn new_with(opened: Opened, delimiter: u8, buf: Vec<u8>) -> CsvReader {
        CsvReader {
            path: opened.name,
            input: opened.reader,
            is_file: opened.file.is_some(),
            lines: Lines::default(),
            delimiter,
            buf,
            pos: 0,
            len: 0,
            base: 0,
            eof: false,
            bom_checked: false,
            last_end: 0,
            limit: None,
            fields: Vec::new(),
            scratch: String::new(),
        }
    }

    /// The offset just past the first line break at or after file offset `offset` of `path`,
    /// where a part of a large file may start for another thread; `None` when no line break
    /// follows. That line break may turn out to be inside a quoted field: the reader of the
    /// part before knows, see [`CsvReader::until`].
    pub fn record_start(path: &Path, offset: u64) -> Result<Option<u64>> {
        let io = |e| Error::io("cannot read", path, e);
        let mut file = File::open(path).map_err(io)?;
        file.seek(SeekFrom::Start(offset)).map_err(io)?;
        let mut probe = vec![0u8; 64 << 10];
        let mut seen = offset;
        loop {
            let n = file.read(&mut probe).map_err(io)?;
            if n == 0 {
                return Ok(None);
            }
            if let Some(at) = memchr::memchr2(b'\r', b'\n', &probe[..n]) {
                return Ok(Some(seen + at as u64 + 1));
            }
            seen += n as u64;
        }
    }

    /// Open `path` to read the records from file offset `start` on (one that
    /// [`CsvReader::record_start`] found), reading into `buffer` when given (one a reader
    /// before gave back with [`CsvReader::into_buffer`]): a thread reading many pieces of a
    /// file keeps one buffer, rather than mapping fresh pages for each piece and unmapping
    /// them, which interrupts the other core to flush its TLB.
    pub fn open_from(
        path: &Path,
        start: u64,
        delimiter: u8,
        buffer: Option<Vec<u8>>,
    ) -> Result<CsvReader> {
        let io = |e| Error::io("cannot read", path, e);
        let mut file = File::open(path).map_err(io)?;
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        let opened = Opened {
            name: path.to_path_buf(),
            file: Some(path.to_path_buf()),
            gzip: false,
            format: crate::config::FileFormat::Csv,
            reader: Box::new(file),
            size: None,
        };
        let buffer = buffer
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| vec![0; BLOCK]);
        let mut reader = Self::new_with(opened, delimiter, buffer);
        reader.base = start;
        reader.last_end = start;
        reader.bom_checked = true;
        Ok(reader)
    }

    /// The read buffer, for the reader of the next piece (see [`CsvReader::open_from`]).
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// Hand out only the records that start before file offset `limit` (from the next call
    /// of [`CsvReader::for_each`] on). After that call, [`CsvReader::clean_split`] says
    /// whether a reader started at `limit` saw exactly the records after these.
    pub fn until(&mut self, limit: u64) {
        self.limit = Some(limit);
    }

    /// Whether no record crosses the limit set with [`CsvReader::until`]: the last record
    /// before it ends at or before it, so the limit lies between records, among line breaks.
    pub fn clean_split(&self) -> bool {
        self.limit.is_some_and(|limit| self.last_end <= limit)
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first record, the header. `None` when the file holds no record at all (it is
    /// empty, or only blank lines).
    pub fn header(&mut self) -> Result<Option<Header>> {
        let mut header = None;
        let path = self.path.clone();
        self.for_each(
            |record| {
                let names = (0..record.len()).map(|i| record.get(i).to_string());
                header = Some(Header {
                    names: names.collect(),
                    line: record.line(&path),
                });
                Ok(false)
            },
            |_| {},
        )?;
        Ok(header)
    }

    /// Call `visit` on each record until it returns `Ok(false)` or the file ends; `progress`
    /// is told how many more bytes were consumed after each block.
    pub fn for_each(
        &mut self,
        mut visit: impl FnMut(Record<'_>) -> Result<bool>,
        mut progress: impl FnMut(u64),
    ) -> Result<()> {
        loop {
            self.fill()?;
            let (consumed, done) = self.parse_block(&mut visit)?;
            progress(consumed);
            if done {
                return Ok(());
            }
        }
    }

    /// Hand out every whole record in the buffer. Returns the bytes consumed, and whether
    /// reading is over (the visitor stopped, or the file ended).
    fn parse_block(
        &mut self,
        visit: &mut impl FnMut(Record<'_>) -> Result<bool>,
    ) -> Result<(u64, bool)> {
        let CsvReader {
            path,
            buf,
            pos,
            len,
            base,
            eof,
            bom_checked,
            last_end,
            limit,
            fields,
            scratch,
            is_file,
            lines,
            delimiter,
            ..
        } = self;
        let counted = (!*is_file).then_some((*base, *lines));
        let error_at = |at: u64, message: String, hint: &str| Error::Invalid {
            path: path.to_path_buf(),
            line: match counted {
                None => line_of(path, at),
                Some((base, mut lines)) => {
                    lines.count(&buf[..usize::try_from(at - base).unwrap_or(0).min(buf.len())]);
                    Some(lines.done + 1)
                }
            },
            message,
            hint: hint.into(),
        };
        // SIMD validation: the whole log is checked, and on ASCII text this is several times
        // faster than the standard library's.
        let text = match simdutf8::compat::from_utf8(&buf[..*len]) {
            Ok(text) => text,
            // A character cut by the end of the block: parse up to it, read the rest.
            Err(e) if e.error_len().is_none() && !*eof => {
                std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default()
            }
            Err(e) => {
                let byte = buf[e.valid_up_to()];
                return Err(error_at(
                    *base + e.valid_up_to() as u64,
                    format!("not UTF-8 text (byte 0x{byte:02X})"),
                    "this looks like Windows-1252 (Latin-1) text: export the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8), or convert it with iconv -f WINDOWS-1252 -t UTF-8",
                ));
            }
        };
        let at_eof = *eof && text.len() == *len;
        let start = *pos;
        if !*bom_checked {
            if text.len() < BOM.len() && !at_eof {
                return Ok((0, false));
            }
            if text.as_bytes().starts_with(BOM) {
                *pos = BOM.len();
            }
            *bom_checked = true;
        }
        let bytes = text.as_bytes();
        let mut p = *pos;
        let mut stopped = false;
        loop {
            while p < bytes.len() && matches!(bytes[p], b'\r' | b'\n') {
                p += 1;
            }
            if p == bytes.len() {
                break;
            }
            if limit.is_some_and(|limit| *base + p as u64 >= limit) {
                stopped = true;
                break;
            }
            match fast_record(text, p, at_eof, *delimiter, fields, scratch) {
                Parsed::Record(next) => {
                    *last_end = *base + next as u64;
                    let record = Record {
                        text,
                        scratch,
                        fields,
                        offset: *base + p as u64,
                        counted,
                    };
                    p = next;
                    // Python reads a line holding only `""` as one empty field, and the
                    // reference skips it like a blank line.
                    let blank = record.len() == 1 && record.get(0).is_empty();
                    if !blank && !visit(record)? {
                        stopped = true;
                        break;
                    }
                }
                Parsed::Incomplete => break,
                Parsed::Unclosed => {
                    return Err(error_at(
                        *base + p as u64,
                        "a quoted field that starts in this record is never closed".into(),
                        "a field that starts with \" must end with \"; a \" inside it is written \"\"",
                    ));
                }
            }
        }
        *pos = p;
        Ok(((p - start) as u64, stopped || (*eof && p == *len)))
    }

    /// A record longer than the limit: a line with no break at all, or a quote never closed.
    fn overlong(&self, line: Option<usize>) -> Error {
        let limit = MAX_RECORD >> 20;
        let (message, hint) = if memchr::memchr(b'\n', &self.buf[..self.len]).is_none() {
            (
                match line {
                    Some(n) => {
                        format!("line {n} runs on for more than {limit} MiB without a line break")
                    }
                    None => {
                        format!("a line runs on for more than {limit} MiB without a line break")
                    }
                },
                "this is not a line-by-line CSV or JSON export: name the file your ESP exported"
                    .to_string(),
            )
        } else {
            (
                format!(
                    "a record that starts here runs on for more than {limit} MiB: a quoted field is never closed"
                ),
                "a field that starts with \" must end with \"; a \" inside it is written \"\""
                    .to_string(),
            )
        };
        Error::Invalid {
            path: self.path.clone(),
            line,
            message,
            hint,
        }
    }

    /// Keep the unparsed tail at the front of the buffer and read more after it, growing the
    /// buffer when one record fills it.
    fn fill(&mut self) -> Result<()> {
        if self.pos > 0 {
            if !self.is_file {
                self.lines.count(&self.buf[..self.pos]);
            }
            self.buf.copy_within(self.pos..self.len, 0);
            self.base += self.pos as u64;
            self.len -= self.pos;
            self.pos = 0;
        }
        if self.len == self.buf.len() && !self.eof {
            if self.buf.len() >= MAX_RECORD {
                let line = if self.is_file {
                    line_of(&self.path, self.base)
                } else {
                    Some(self.lines.done + 1)
                };
                return Err(self.overlong(line));
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        while self.len < self.buf.len() && !self.eof {
            match self.input.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.len += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io("cannot read", &self.path, e)),
            }
        }
        Ok(())
    }
}

/// The 1-based line of file offset `at`, counting lines as Python does (`\n`, `\r\n` and a
/// lone `\r` each end one). Only errors need it, so it reads the file again rather than
/// counting on the fast path.
pub fn line_of(path: &Path, at: u64) -> Option<usize> {
    let mut file = File::open(path).ok()?;
    let mut buf = vec![0; BLOCK];
    let mut line = 1;
    let mut seen = 0u64;
    let mut after_cr = false;
    while seen < at {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        let take = n.min(usize::try_from(at - seen).unwrap_or(usize::MAX));
        for &b in &buf[..take] {
            if b == b'\n' {
                if !after_cr {
                    line += 1;
                }
            } else if b == b'\r' {
                line += 1;
            }
            after_cr = b == b'\r';
        }
        seen += take as u64;
    }
    Some(line)
}

/// The common record, with no quoted field, split at the three bytes that end an unquoted
/// field, found 16 bytes at a time ([`stops`]); a record with a field that starts with `"` goes
/// to [`parse_record`] instead. Both give the same fields: this is only faster.
#[inline]
fn fast_record(
    text: &str,
    start: usize,
    at_eof: bool,
    delimiter: u8,
    fields: &mut Vec<Field>,
    scratch: &mut String,
) -> Parsed {
    let b = text.as_bytes();
    if b[start] == b'"' {
        return parse_record(text, start, at_eof, delimiter, fields, scratch);
    }
    fields.clear();
    let mut field = start;
    // Each stop ends a field; `None` goes on to the next stop.
    let mut stop = |at: usize, fields: &mut Vec<Field>| {
        fields.push(Field {
            start: field,
            end: at,
            unescaped: false,
        });
        if b[at] != delimiter {
            return Some(false);
        }
        field = at + 1;
        (b.get(field) == Some(&b'"')).then_some(true)
    };
    let finish = |quoted: bool, at: usize, fields: &mut Vec<Field>, scratch: &mut String| {
        if quoted {
            parse_record(text, start, at_eof, delimiter, fields, scratch)
        } else {
            Parsed::Record(at)
        }
    };
    let mut chunk = start;
    while let Some(bytes) = b
        .get(chunk..chunk + 16)
        .and_then(|c| <&[u8; 16]>::try_from(c).ok())
    {
        let mut mask = stops(bytes, delimiter);
        while mask != 0 {
            let at = chunk + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            if let Some(quoted) = stop(at, fields) {
                return finish(quoted, at, fields, scratch);
            }
        }
        chunk += 16;
    }
    // The last bytes of the block.
    for at in memchr::memchr3_iter(delimiter, b'\r', b'\n', &b[chunk..]) {
        let at = chunk + at;
        if let Some(quoted) = stop(at, fields) {
            return finish(quoted, at, fields, scratch);
        }
    }
    if !at_eof {
        return Parsed::Incomplete;
    }
    fields.push(Field {
        start: field,
        end: b.len(),
        unescaped: false,
    });
    Parsed::Record(b.len())
}

/// The bytes of `chunk` that end an unquoted field (`delimiter`, `\r`, `\n`), as a bit mask:
/// bit `i` for byte `i`. On x86-64 three SSE2 comparisons do it; elsewhere a loop.
#[cfg(target_arch = "x86_64")]
#[inline]
fn stops(chunk: &[u8; 16], delimiter: u8) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86-64 baseline, so every x86-64 processor has these
    // instructions; the one load reads exactly the 16 bytes `chunk` borrows (an unaligned
    // load, so any address is fine). Measured in docs/benchmarks.md; tested against
    // `stops_scalar`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let hit = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
        let any = _mm_or_si128(_mm_or_si128(hit(delimiter), hit(b'\r')), hit(b'\n'));
        _mm_movemask_epi8(any) as u32 & 0xffff
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn stops(chunk: &[u8; 16], delimiter: u8) -> u32 {
    stops_scalar(chunk, delimiter)
}

/// [`stops`], one byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn stops_scalar(chunk: &[u8; 16], delimiter: u8) -> u32 {
    chunk
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c == delimiter || c == b'\r' || c == b'\n')
        .fold(0, |mask, (i, _)| mask | 1 << i)
}

/// Parse the record starting at `start` (not a line break) into `fields`. With `at_eof`,
/// the end of `text` is the end of the file; otherwise it is only the end of a block.
fn parse_record(
    text: &str,
    start: usize,
    at_eof: bool,
    delimiter: u8,
    fields: &mut Vec<Field>,
    scratch: &mut String,
) -> Parsed {
    let b = text.as_bytes();
    fields.clear();
    scratch.clear();
    let mut i = start;
    loop {
        if b.get(i) == Some(&b'"') {
            // A quoted field: runs to the next `"` that is not doubled. Delimiters are ASCII,
            // so every position sliced at below is a character boundary.
            let from = scratch.len();
            let mut piece = i + 1;
            let mut unescaped = false;
            loop {
                let Some(q) = memchr::memchr(b'"', &b[piece..]).map(|k| piece + k) else {
                    return if at_eof {
                        Parsed::Unclosed
                    } else {
                        Parsed::Incomplete
                    };
                };
                match b.get(q + 1) {
                    None if !at_eof => return Parsed::Incomplete,
                    Some(b'"') => {
                        // `""`: one quote, and the field goes on.
                        scratch.push_str(&text[piece..=q]);
                        unescaped = true;
                        piece = q + 2;
                    }
                    next if next.is_none_or(|&c| matches!(c, b'\r' | b'\n') || c == delimiter) => {
                        if unescaped {
                            scratch.push_str(&text[piece..q]);
                            fields.push(Field {
                                start: from,
                                end: scratch.len(),
                                unescaped: true,
                            });
                        } else {
                            fields.push(Field {
                                start: piece,
                                end: q,
                                unescaped: false,
                            });
                        }
                        i = q + 1;
                        break;
                    }
                    _ => {
                        // Text after the closing quote: Python keeps it, unquoted.
                        let end = unquoted_end(b, q + 1, delimiter);
                        if end == b.len() && !at_eof {
                            return Parsed::Incomplete;
                        }
                        scratch.push_str(&text[piece..q]);
                        scratch.push_str(&text[q + 1..end]);
                        fields.push(Field {
                            start: from,
                            end: scratch.len(),
                            unescaped: true,
                        });
                        i = end;
                        break;
                    }
                }
            }
        } else {
            let end = unquoted_end(b, i, delimiter);
            if end == b.len() && !at_eof {
                return Parsed::Incomplete;
            }
            fields.push(Field {
                start: i,
                end,
                unescaped: false,
            });
            i = end;
        }
        match b.get(i) {
            Some(&c) if c == delimiter => i += 1,
            _ => return Parsed::Record(i),
        }
    }
}

/// The end of an unquoted field starting at `i`: the next delimiter, `\r` or `\n`, or the
/// end.
#[inline]
fn unquoted_end(b: &[u8], mut i: usize, delimiter: u8) -> usize {
    while i < b.len() && !(matches!(b[i], b'\r' | b'\n') || b[i] == delimiter) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(reader: &mut CsvReader) -> Result<Vec<Vec<String>>> {
        let mut out = Vec::new();
        reader.for_each(
            |r| {
                out.push((0..r.len()).map(|i| r.get(i).to_string()).collect());
                Ok(true)
            },
            |_| {},
        )?;
        Ok(out)
    }

    /// A reader of `path` with blocks of `block` bytes; as a stream, it counts lines itself
    /// instead of reading the file again for an error.
    fn reader(path: &Path, block: usize, stream: bool) -> Result<CsvReader> {
        let mut opened = crate::input::source::open(path, "")?;
        if stream {
            opened.file = None;
        }
        Ok(CsvReader::with_block(opened, b',', block))
    }

    /// Every record of `data` as the reference sees them (blank records dropped); read again
    /// with tiny buffers, so that records and characters cross block boundaries, and as a
    /// stream, it must come out the same, errors and their lines included.
    fn records(data: &[u8]) -> Result<Vec<Vec<String>>> {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(data).expect("write");
        let whole = read_all(&mut reader(file.path(), BLOCK, false)?);
        for (block, stream) in [1, 2, 3, 5, 8, BLOCK]
            .into_iter()
            .flat_map(|b| [(b, false), (b, true)])
        {
            let small = read_all(&mut reader(file.path(), block, stream)?);
            match (&whole, &small) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "block size {block}, stream {stream}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "stream {stream}"),
                _ => panic!("block size {block}: {whole:?} vs {small:?}"),
            }
        }
        whole
    }

    #[test]
    fn semicolons_and_tabs_separate_when_asked() {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(b"email;segment\n\"a;b\"@x.y;vip\nc@d.e;\"x\"\"y\"\n")
            .expect("write");
        let opened = crate::input::source::open(file.path(), "").expect("opens");
        let rows = read_all(&mut CsvReader::new(opened, b';')).expect("reads");
        assert_eq!(
            rows,
            [
                v(&["email", "segment"]),
                v(&["a;b@x.y", "vip"]),
                v(&["c@d.e", "x\"y"])
            ]
        );
    }

    fn rows(data: &str) -> Vec<Vec<String>> {
        records(data.as_bytes()).expect("parses")
    }

    fn v(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_records_with_any_line_end() {
        assert_eq!(
            rows("a,b\nc,d\r\ne,f\rg,h"),
            [
                v(&["a", "b"]),
                v(&["c", "d"]),
                v(&["e", "f"]),
                v(&["g", "h"])
            ]
        );
    }

    #[test]
    fn blank_lines_and_a_bom_are_skipped() {
        assert_eq!(
            records(b"\xEF\xBB\xBFemail\n\n\r\nx@y.z\n\n").expect("parses"),
            [v(&["email"]), v(&["x@y.z"])]
        );
        // A BOM anywhere else is text.
        assert_eq!(
            records(b"a\n\xEF\xBB\xBFb\n").expect("parses"),
            [v(&["a"]), v(&["\u{feff}b"])]
        );
    }

    #[test]
    fn quoted_fields_follow_python() {
        // Cases checked against CPython 3.11's csv.reader.
        assert_eq!(
            rows("a,\"b\"c\"d,e\n\"x\"\"y\",z\nab\"c,d\n\"\"\n \n"),
            [
                v(&["a", "bc\"d", "e"]),
                v(&["x\"y", "z"]),
                v(&["ab\"c", "d"]),
                v(&[" "]),
            ]
        );
        assert_eq!(
            rows("\"loyalty, gold\",\"line\r\nbreak\",\"\"\"\",\n"),
            [v(&["loyalty, gold", "line\r\nbreak", "\"", ""])]
        );
        assert_eq!(
            rows("\"a\"\"b\"\"c\",\"d\"\"\"\n,\n"),
            [v(&["a\"b\"c", "d\""]), v(&["", ""])]
        );
        assert_eq!(rows("\"a\"x\"\"y,b"), [v(&["ax\"\"y", "b"])]);
    }

    #[test]
    fn an_unclosed_quote_is_refused_with_its_line() {
        let err = records(b"email,segment\nx@y.z,vip\n\"open,vip\nmore\n")
            .expect_err("refused")
            .to_string();
        assert!(err.contains(":3: a quoted field"), "{err}");
    }

    #[test]
    fn a_quote_left_open_is_refused_before_the_rest_of_the_file_is_held() {
        let mut data = b"email\n\"open@x.y,1\n".to_vec();
        // Past twice the limit, so that every buffer size in `records` reaches it.
        data.extend(b"a@b.c,2\n".repeat(MAX_RECORD / 4 + 1));
        let err = records(&data).unwrap_err().to_string();
        assert!(
            err.contains(":2: a record that starts here runs on for more than 16 MiB"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_line() {
        let err = records(b"email\r\nok@x.y\r\nbad\xE9@x.y\r\n")
            .expect_err("refused")
            .to_string();
        assert!(err.contains(":3: not UTF-8 text (byte 0xE9)"), "{err}");
        // A character cut by a block boundary is fine.
        assert_eq!(rows("é,ü\n"), [v(&["é", "ü"])]);
    }

    #[test]
    fn the_vector_stops_are_the_bytewise_ones() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for delimiter in [b',', b';', b'\t'] {
            for _ in 0..10_000 {
                let mut chunk = [0u8; 16];
                for byte in &mut chunk {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Mostly the bytes that matter, and some of every other value.
                    *byte = match state % 8 {
                        0 => b',',
                        1 => b'\r',
                        2 => b'\n',
                        3 => b';',
                        4 => b'\t',
                        _ => (state >> 8) as u8,
                    };
                }
                assert_eq!(stops(&chunk, delimiter), stops_scalar(&chunk, delimiter));
            }
        }
    }

    #[test]
    fn lines_are_counted_like_python() {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(b"a\r\nb\rc\nd").expect("write");
        let line = |at| line_of(file.path(), at);
        assert_eq!(line(0), Some(1));
        assert_eq!(line(3), Some(2));
        assert_eq!(line(5), Some(3));
        assert_eq!(line(7), Some(4));
    }
}
