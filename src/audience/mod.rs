//! The affected subscribers of an incident, exactly: the send log filtered to the mistaken
//! send, addresses normalized, malformed ones counted and dropped, every suppressed address
//! removed, the rest de-duplicated. The definition of correct is the shared `reference.py`;
//! the comments here say where its rules show.
//!
//! The send log is streamed ([`reader`]): memory grows with the distinct affected addresses
//! and the suppression lists ([`set`]), never with the log. Nothing here prints or writes
//! files; the command does that with [`Audience::write_csv`].

mod filter;
mod reader;
mod scan;
mod set;
mod text;
mod time;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

pub use filter::Query;
pub use time::Instant;

use crate::error::{Error, Result};
use crate::incident::MalformedReason;
use filter::{Columns, Header};
use reader::CsvReader;
use scan::{Peer, SHARDS, Scan, Shard, Worker, check_width};
use set::{AddressMap, SortedAddresses};

/// A send log at least this large is read by two threads, each taking half.
const SPLIT_FROM_BYTES: u64 = 64 << 20;

/// The files to read.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The ESP's send log.
    pub sends: PathBuf,
    /// Unsubscribes, bounces, complaints, old suppression lists: anything with an `email`.
    pub suppressions: Vec<PathBuf>,
}

impl Inputs {
    /// The bytes there are to read, for a progress bar (0 for a file that cannot be read yet:
    /// the reading reports that properly).
    pub fn total_bytes(&self) -> u64 {
        std::iter::once(&self.sends)
            .chain(&self.suppressions)
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }
}

/// The result: the distinct affected addresses and the counts.
pub struct Audience {
    /// The addresses, in sorted shards; no address is in two.
    addresses: Vec<SortedAddresses>,
    /// Distinct affected addresses per segment.
    pub segments: BTreeMap<String, u64>,
    /// Distinct addresses that passed the filter but are suppressed.
    pub suppressed: u64,
    /// Malformed rows that passed the filter, by reason.
    pub malformed: BTreeMap<MalformedReason, u64>,
    /// Rows of the send log.
    pub rows_read: u64,
    /// Rows of the send log that passed the filter.
    pub rows_matched: u64,
    /// Distinct addresses over all suppression files.
    pub suppression_addresses: u64,
}

impl Audience {
    /// Distinct affected addresses.
    pub fn affected(&self) -> u64 {
        self.addresses.iter().map(|set| set.len() as u64).sum()
    }

    /// Malformed rows, all reasons together.
    pub fn malformed_rows(&self) -> u64 {
        self.malformed.values().sum()
    }

    /// Write `recipients.csv`: header `email`, the addresses sorted by code point, LF line
    /// ends, quoted only where CSV needs it. Byte for byte what the reference writes.
    pub fn write_csv(&self, out: &mut impl Write) -> std::io::Result<()> {
        out.write_all(b"email\n")?;
        // The shards are sorted; merge them.
        let mut heads = vec![0u32; self.addresses.len()];
        loop {
            let mut next: Option<(usize, &[u8])> = None;
            for (shard, &head) in heads.iter().enumerate() {
                let addresses = &self.addresses[shard];
                if (head as usize) < addresses.len() {
                    let email = addresses.get(head);
                    if next.is_none_or(|(_, best)| email < best) {
                        next = Some((shard, email));
                    }
                }
            }
            let Some((shard, email)) = next else {
                return Ok(());
            };
            heads[shard] += 1;
            write_field(out, email)?;
        }
    }
}

/// One address as Python's csv writer (QUOTE_MINIMAL, line terminator "\n") writes it: quoted
/// when it holds a comma, a quote or a line feed (a well-formed address holds no line feed).
fn write_field(out: &mut impl Write, email: &[u8]) -> std::io::Result<()> {
    if !email.iter().any(|&b| matches!(b, b',' | b'"' | b'\n')) {
        out.write_all(email)?;
        return out.write_all(b"\n");
    }
    out.write_all(b"\"")?;
    for part in email.split_inclusive(|&b| b == b'"') {
        out.write_all(part)?;
        if part.last() == Some(&b'"') {
            out.write_all(b"\"")?;
        }
    }
    out.write_all(b"\"\n")
}

/// The number of distinct addresses in a recipient list such as `recipients.csv` (a header
/// with an `email` column), or `None` when the file does not exist. Blank cells and repeats
/// do not count: a hand-edited list must not pass for the audience it no longer is.
pub fn count_recipients(path: &std::path::Path) -> Result<Option<u64>> {
    use std::hash::BuildHasher;
    let invalid = |line: Option<u64>, message: String| {
        Error::Invalid {
        path: path.to_path_buf(),
        line: line.and_then(|l| usize::try_from(l).ok()),
        message,
        hint: "recipients.csv is written by `incident audience`; run it again rather than editing the list".into(),
    }
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("cannot read", path, e)),
    };
    let csv_error = |e: csv::Error| invalid(e.position().map(|p| p.line()), e.to_string());
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let column = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case("email"))
        .ok_or_else(|| invalid(Some(1), "the header has no email column".into()))?;
    // Two 64-bit hashes per address keep the set small for millions of addresses; a collision
    // of both is beyond any list's size.
    let (first, second) = (
        foldhash::fast::FixedState::with_seed(1),
        foldhash::fast::FixedState::with_seed(2),
    );
    let mut seen = hashbrown::HashSet::<(u64, u64), foldhash::fast::FixedState>::default();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let email = record.get(column).unwrap_or_default().trim().to_lowercase();
        if !email.is_empty() {
            seen.insert((first.hash_one(&email), second.hash_one(&email)));
        }
    }
    Ok(Some(seen.len() as u64))
}

/// Parse an RFC 3339 date-time, white space around it ignored, as the reference reads both
/// the window's bounds and `sent_at`.
pub fn parse_time(text: &str) -> Option<Instant> {
    time::parse_instant(text::strip(text))
}

/// Compute the audience. `progress` is told how many more bytes were read, as reading goes.
pub fn compute(
    query: &Query,
    inputs: &Inputs,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Audience> {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    let split_from = if two_cores {
        SPLIT_FROM_BYTES
    } else {
        u64::MAX
    };
    compute_with(query, inputs, progress, split_from)
}

/// [`compute`], splitting the send log between two threads from `split_from` bytes on.
fn compute_with(
    query: &Query,
    inputs: &Inputs,
    progress: &(dyn Fn(u64) + Sync),
    split_from: u64,
) -> Result<Audience> {
    // Every header first, so a wrong file fails before minutes of reading.
    let mut suppression_files = Vec::new();
    for path in &inputs.suppressions {
        let mut reader = CsvReader::open(path)?;
        let header = Header::read(&mut reader, "suppression file")?;
        let email = header.require(&reader, "email", "a suppression file lists addresses")?;
        suppression_files.push((reader, header.width(), email));
    }
    let mut sends = CsvReader::open(&inputs.sends)?;
    let header = Header::read(&mut sends, "send log")?;
    let columns = Columns::resolve(&header, &sends, query)?;

    // The reference reads the suppression files first, then the send log.
    let mut shards: Vec<Shard> = (0..SHARDS).map(|_| Shard::default()).collect();
    for (reader, width, column) in suppression_files {
        suppress(reader, width, column, &mut shards, progress)?;
    }
    let suppression_addresses = shards.iter().map(|s| s.len() as u64).sum();

    let scan = Scan {
        query,
        columns,
        width: header.width(),
        path: &inputs.sends,
    };
    let size = std::fs::metadata(&inputs.sends).map_or(0, |m| m.len());
    let second_half = if size >= split_from {
        CsvReader::open_at(&inputs.sends, size / 2)?
    } else {
        None
    };
    let (counts, shards) = match second_half {
        None => {
            let mut alone = Worker::new(&scan, shards.into_iter().map(Some).collect(), None);
            alone.run(&mut sends, progress)?;
            (alone.counts, alone.shards)
        }
        Some((rest, split)) => match in_two(&scan, (sends, rest, split), shards, progress)? {
            Some(done) => done,
            None => return compute_with(query, inputs, progress, u64::MAX),
        },
    };

    let shards: Vec<Shard> = shards.into_iter().flatten().collect();
    let mut segments = BTreeMap::new();
    for shard in &shards {
        shard.count_segments(&mut segments);
    }
    Ok(Audience {
        segments,
        suppressed: shards.iter().map(Shard::suppressed).sum(),
        malformed: counts.malformed(),
        suppression_addresses,
        rows_read: counts.rows_read,
        rows_matched: counts.rows_matched,
        addresses: sort_shards(shards),
    })
}

/// What the workers found: the counts of the rows, and the shards they filled.
type Scanned = (scan::Counts, Vec<Option<Shard>>);

/// File every address of one suppression file in its shard.
fn suppress(
    mut reader: CsvReader,
    width: usize,
    column: usize,
    shards: &mut [Shard],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<()> {
    let path = reader.path().to_path_buf();
    let mut email = String::new();
    reader.for_each(
        |row| {
            check_width(&path, &row, width)?;
            text::normalize_email(row.get(column), &mut email);
            let key = email.as_bytes();
            let hash = AddressMap::hash(key);
            shards[hash as usize % SHARDS].suppress(key, hash)?;
            Ok(true)
        },
        progress,
    )
}

/// The send log read by two workers, each from one half, each owning one shard. The second
/// starts after the first line break past the middle, betting that it ends a record; the
/// first reads up to there and knows whether it does: a quoted field holding a line break can
/// straddle it. `None` for a lost bet, which is rare and costs only time: everything is then
/// read again by one worker.
fn in_two(
    scan: &Scan<'_>,
    (mut sends, mut rest, split): (CsvReader, CsvReader, u64),
    shards: Vec<Shard>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Option<Scanned>> {
    sends.until(split);
    let (to_second, from_first) = std::sync::mpsc::channel();
    let (to_first, from_second) = std::sync::mpsc::channel();
    let mut owned = shards.into_iter();
    let (zero, one) = (owned.next(), owned.next());
    let mut first = Worker::new(
        scan,
        vec![zero, None],
        Some(Peer {
            to: to_second,
            from: from_second,
        }),
    );
    let mut second = Worker::new(
        scan,
        vec![None, one],
        Some(Peer {
            to: to_first,
            from: from_first,
        }),
    );
    let (first_done, second_done) = std::thread::scope(|threads| {
        // Each worker hangs up when it is done, or fails: the other then stops waiting for
        // its batches.
        let second_done = threads.spawn(|| {
            let done = second
                .run(&mut rest, progress)
                .and_then(|()| second.finish());
            drop(second.take_peer());
            done
        });
        let first_done = first
            .run(&mut sends, progress)
            .and_then(|()| first.finish());
        drop(first.take_peer());
        let second_done = second_done
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (first_done, second_done)
    });
    // The first half's error comes first in the file, as the reference reports it.
    first_done?;
    if !sends.clean_split() {
        return Ok(None);
    }
    second_done?;
    first.counts.add(&second.counts);
    let shards = first
        .shards
        .into_iter()
        .zip(second.shards)
        .map(|(mine, theirs)| mine.or(theirs))
        .collect();
    Ok(Some((first.counts, shards)))
}

/// Sort each shard on its own thread.
fn sort_shards(shards: Vec<Shard>) -> Vec<SortedAddresses> {
    std::thread::scope(|scope| {
        let sorting: Vec<_> = shards
            .into_iter()
            .map(|shard| scope.spawn(|| shard.into_sorted()))
            .collect();
        sorting
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;
    use std::path::Path;

    /// The list, the counts, or the error message: everything a run produces.
    fn run(sends: &Path, query: &Query, split_from: u64) -> std::result::Result<String, String> {
        let inputs = Inputs {
            sends: sends.to_path_buf(),
            suppressions: vec![],
        };
        let audience =
            compute_with(query, &inputs, &|_| {}, split_from).map_err(|e| e.to_string())?;
        let mut csv = Vec::new();
        audience.write_csv(&mut csv).map_err(|e| e.to_string())?;
        Ok(format!(
            "{}{:?}{:?}{}/{}",
            String::from_utf8_lossy(&csv),
            audience.segments,
            audience.malformed,
            audience.rows_read,
            audience.rows_matched
        ))
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("write");
        file
    }

    /// A log whose every other row has a quoted note with line breaks, so that wherever the
    /// middle falls, some sizes put it inside a quoted field.
    fn log(rows: usize) -> String {
        let mut text = String::from("email,segment,note,status\n");
        for i in 0..rows {
            let note = if i % 2 == 0 {
                "\"a\nb,\r\nc\""
            } else {
                "plain"
            };
            let _ = writeln!(
                text,
                "User{}@Example.com,seg{},{note},delivered",
                i % 97,
                i % 5
            );
        }
        text
    }

    #[test]
    fn two_threads_find_what_one_finds_wherever_the_middle_falls() {
        let query = Query::new(None, vec![], vec!["delivered".into()], None, None);
        for rows in 40..90 {
            let sends = file(&log(rows));
            let alone = run(sends.path(), &query, u64::MAX);
            assert!(alone.is_ok(), "{alone:?}");
            assert_eq!(run(sends.path(), &query, 0), alone, "{rows} rows");
        }
    }

    #[test]
    fn two_threads_report_the_first_error_in_the_file() {
        let query = Query::default();
        // An error late in the file only: the second thread finds it.
        let sends = file(&(log(60) + "x@y.z,seg,note\n"));
        let alone = run(sends.path(), &query, u64::MAX);
        assert!(
            alone
                .as_ref()
                .is_err_and(|e| e.contains(":122: expected 4 fields, found 3"))
        );
        assert_eq!(run(sends.path(), &query, 0), alone);
        // Errors in both halves: the first one in the file wins.
        let text = log(60).replacen("\n", "\nbad,row\n", 1) + "x@y.z,seg,note\n";
        let sends = file(&text);
        let alone = run(sends.path(), &query, u64::MAX);
        assert!(
            alone
                .as_ref()
                .is_err_and(|e| e.contains(":2: expected 4 fields, found 2"))
        );
        assert_eq!(run(sends.path(), &query, 0), alone);
    }
}
