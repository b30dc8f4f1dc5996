//! The affected subscribers of an incident, exactly: the send log filtered to the mistaken
//! send, addresses normalized, malformed ones counted and dropped, every suppressed address
//! removed, the rest de-duplicated. The definition of correct is the shared `reference.py`;
//! the comments here say where its rules show.
//!
//! The files come through the input layer (`crate::input`): any ESP's export, with its preset.
//! The send log is streamed ([`sends`]): memory grows with the distinct affected addresses and
//! the lists of addresses left out ([`lists`], [`set`]), never with the log. Nothing here
//! prints or writes files; the command does that with [`Audience::write_csv`].

mod filter;
mod lists;
mod recipients;
mod scan;
mod sends;
mod set;
pub mod sql;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub use filter::Query;
pub use lists::ListRead;
pub use recipients::read_list;
pub use sends::SendsRead;

use crate::config::Outcome;
use crate::error::{Error, Result};
use crate::incident::MalformedReason;
use crate::input::Preset;
use crate::input::csv::CsvReader;
use lists::List;
use scan::{Peer, Scan, Shard, Tally, Worker};
use set::SortedAddresses;

/// A send log at least this large is read by two threads.
const SPLIT_FROM_BYTES: u64 = 64 << 20;
/// They read it in pieces of about this many bytes.
const PIECE_BYTES: u64 = 8 << 20;

/// One file to read, with the preset to read it by.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// The path as named, or `-` for standard input.
    pub path: PathBuf,
    pub preset: Preset,
}

/// The files to read.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The ESP's send log.
    pub sends: InputFile,
    /// Unsubscribes, bounces, complaints, old suppression lists: anything with an address.
    pub suppressions: Vec<InputFile>,
    /// The people the campaign was meant for (the intended segment's export): left out of the
    /// affected, counted apart from the suppressed.
    pub excludes: Vec<InputFile>,
}

impl Inputs {
    /// The bytes there are to read, for a progress bar (0 for a file that cannot be read yet:
    /// the reading reports that properly).
    pub fn total_bytes(&self) -> u64 {
        std::iter::once(&self.sends)
            .chain(&self.suppressions)
            .chain(&self.excludes)
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum()
    }
}

/// The result: the distinct affected addresses and the counts.
pub struct Audience {
    /// The addresses, in sorted shards; no address is in two.
    addresses: Vec<SortedAddresses>,
    /// How many, kept once they are freed.
    affected: u64,
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
    /// Distinct addresses that passed the filter but an `--exclude` file lists.
    pub excluded: u64,
    /// Distinct addresses over all `--exclude` files.
    pub exclude_addresses: u64,
    /// Distinct addresses that passed the filter but unsubscribed or complained in the log.
    pub opted_out: u64,
    /// Rows of the campaign and segments per outcome of their status.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Rows of the campaign and segments whose status the vocabulary does not know.
    pub unknown_statuses: BTreeMap<String, u64>,
    /// Rows whose time carried no zone (read in the preset's or the workspace's).
    pub local_times: u64,
    /// How the send log was read.
    pub sends: SendsRead,
    /// How each suppression file, then each exclude file, was read.
    pub lists: Vec<ListRead>,
}

impl Audience {
    /// Distinct affected addresses.
    pub fn affected(&self) -> u64 {
        self.affected
    }

    /// Free the addresses, once the list is written, on a thread of their own: giving back a
    /// large incident's memory takes milliseconds that putting the list and the record in
    /// place (mostly waiting for the disk) need not wait for. The counts stay.
    pub fn free_addresses(&mut self) {
        let addresses = std::mem::take(&mut self.addresses);
        // Should no thread start, the closure and the addresses are dropped right here.
        let _ = std::thread::Builder::new().spawn(move || drop(addresses));
    }

    /// Malformed rows, all reasons together.
    pub fn malformed_rows(&self) -> u64 {
        self.malformed.values().sum()
    }

    /// Write `recipients.csv` into `file`: header `email`, the addresses sorted by code point,
    /// LF line ends, quoted only where CSV needs it. Byte for byte what the reference writes.
    ///
    /// The shards are sorted but hash-disjoint, so writing is a merge of them. Two threads
    /// share it without a second copy of the list: the list is cut at the middle address of
    /// the first shard; one thread merges the part before it forwards from the header on, the
    /// other merges the rest backwards from the end of the file, whose size the shards know.
    /// Each writes at its own offsets, and they meet at the cut.
    pub fn write_csv(&self, file: &File) -> std::io::Result<()> {
        const HEADER: &[u8] = b"email\n";
        file.write_all_at(HEADER, 0)?;
        let start = HEADER.len() as u64;
        let end = start
            + self
                .addresses
                .iter()
                .map(SortedAddresses::size)
                .sum::<u64>();
        let cut: Vec<usize> = match self.addresses.first() {
            Some(first) if first.len() > 0 => {
                let pivot = first.get(first.len() / 2);
                self.addresses.iter().map(|a| a.rank(pivot)).collect()
            }
            _ => vec![0; self.addresses.len()],
        };
        let before: Vec<Range<usize>> = cut.iter().map(|&c| 0..c).collect();
        let after: Vec<Range<usize>> = cut
            .iter()
            .zip(&self.addresses)
            .map(|(&c, a)| c..a.len())
            .collect();
        let (met_forwards, met_backwards) = std::thread::scope(|threads| {
            let backwards = threads.spawn(|| self.write_backwards(file, after, end));
            let forwards = self.write_forwards(file, before, start);
            let backwards = backwards
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (forwards, backwards)
        });
        if met_forwards? != met_backwards? {
            return Err(std::io::Error::other(
                "the two halves of the list did not meet",
            ));
        }
        Ok(())
    }

    /// Write the addresses of `parts` in order from `at` on; where the writing ended.
    fn write_forwards(
        &self,
        file: &File,
        parts: Vec<Range<usize>>,
        at: u64,
    ) -> std::io::Result<u64> {
        let mut out = std::io::BufWriter::with_capacity(WRITE_BUFFER, At { file, at });
        merge(&self.addresses, parts, false, |email| {
            write_field(&mut out, email)
        })?;
        out.flush()?;
        Ok(out.get_ref().at)
    }

    /// Write the addresses of `parts` in order so that they end at `end`, from the last one
    /// back; where the writing began. Each address is written into the buffer from its end
    /// backwards as the merge hands it out, while its bytes are still in the cache.
    fn write_backwards(
        &self,
        file: &File,
        parts: Vec<Range<usize>>,
        mut end: u64,
    ) -> std::io::Result<u64> {
        let mut buffer = vec![0; WRITE_BUFFER];
        // The buffer holds the bytes from `free` on, which end at `end`.
        let mut free = buffer.len();
        merge(&self.addresses, parts, true, |email| {
            let size = field_size(email) as usize;
            if size > free {
                end -= (buffer.len() - free) as u64;
                file.write_all_at(&buffer[free..], end)?;
                free = buffer.len();
                if size > free {
                    // An address longer than the buffer, written on its own.
                    let mut long = Vec::with_capacity(size);
                    write_field(&mut long, email)?;
                    end -= size as u64;
                    return file.write_all_at(&long, end);
                }
            }
            write_field(&mut &mut buffer[free - size..free], email)?;
            free -= size;
            Ok(())
        })?;
        end -= (buffer.len() - free) as u64;
        file.write_all_at(&buffer[free..], end)?;
        Ok(end)
    }
}

/// Bytes buffered before each write of the list.
const WRITE_BUFFER: usize = 1 << 20;

/// A file written at an offset that moves with each write.
struct At<'a> {
    file: &'a File,
    at: u64,
}

impl Write for At<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write_at(bytes, self.at)?;
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The addresses of `parts` of the sorted `shards` in order (from the last when `backwards`),
/// each given to `each`. They lie at random in memory: the next ones of each shard are loaded
/// together, ahead of the merge, so that their misses overlap.
fn merge<'a>(
    shards: &'a [SortedAddresses],
    mut parts: Vec<Range<usize>>,
    backwards: bool,
    mut each: impl FnMut(&'a [u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    const AHEAD: usize = 128;
    // How far each part is loaded: from its start forwards, from its end backwards.
    let mut loaded: Vec<usize> = parts
        .iter()
        .map(|p| if backwards { p.end } else { p.start })
        .collect();
    loop {
        let mut next: Option<(usize, &[u8])> = None;
        for (shard, part) in parts.iter().enumerate() {
            let addresses = &shards[shard];
            if backwards {
                while loaded[shard] + AHEAD >= part.end && loaded[shard] > part.start {
                    let to = loaded[shard];
                    loaded[shard] = to.saturating_sub(AHEAD).max(part.start);
                    std::hint::black_box(addresses.prefetch(loaded[shard]..to));
                }
            } else {
                while part.start + AHEAD >= loaded[shard] && loaded[shard] < part.end {
                    let from = loaded[shard];
                    loaded[shard] = (from + AHEAD).min(part.end);
                    std::hint::black_box(addresses.prefetch(from..loaded[shard]));
                }
            }
            if part.is_empty() {
                continue;
            }
            let email = addresses.get(if backwards { part.end - 1 } else { part.start });
            let better = |best: &[u8]| {
                let order = byte_order(email, best);
                if backwards {
                    order.is_gt()
                } else {
                    order.is_lt()
                }
            };
            if next.is_none_or(|(_, best)| better(best)) {
                next = Some((shard, email));
            }
        }
        let Some((shard, email)) = next else {
            return Ok(());
        };
        if backwards {
            parts[shard].end -= 1;
        } else {
            parts[shard].start += 1;
        }
        each(email)?;
    }
}

/// `a` against `b` in byte order, the first 16 bytes compared as one integer when both have
/// them: neighbouring addresses of the two shards mostly differ there, and a call to `memcmp`
/// costs more than such a comparison.
#[inline]
fn byte_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    match (a.first_chunk::<16>(), b.first_chunk::<16>()) {
        (Some(x), Some(y)) if x != y => u128::from_be_bytes(*x).cmp(&u128::from_be_bytes(*y)),
        _ => a.cmp(b),
    }
}

/// The bytes [`write_field`] writes for `email`.
fn field_size(email: &[u8]) -> u64 {
    // One pass with no early exit, which the compiler turns into vector code.
    let (quotes, separator) = email.iter().fold((0, false), |(quotes, separator), &b| {
        (
            quotes + usize::from(b == b'"'),
            separator | (b == b',') | (b == b'\n'),
        )
    });
    let quoted = quotes > 0 || separator;
    (email.len() + quotes + 1 + if quoted { 2 } else { 0 }) as u64
}

/// Write a list that is already distinct and sorted exactly as [`Audience::write_csv`] writes
/// the computed one.
pub fn write_list(out: &mut impl Write, list: &[String]) -> std::io::Result<()> {
    out.write_all(b"email\n")?;
    for email in list {
        write_field(out, email.as_bytes())?;
    }
    Ok(())
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
    let csv_error = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(io) => crate::limits::line_error(path, io),
        _ => invalid(e.position().map(|p| p.line()), e.to_string()),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(crate::limits::LineCapped::new(file));
    let column = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("email")
        })
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
    compute_with(query, inputs, progress, (split_from, PIECE_BYTES))
}

/// [`compute`], splitting the send log between two threads from `split_from` bytes on, in
/// pieces of about `piece_bytes`.
fn compute_with(
    query: &Query,
    inputs: &Inputs,
    progress: &(dyn Fn(u64) + Sync),
    (split_from, piece_bytes): (u64, u64),
) -> Result<Audience> {
    // Every list's header first, so a wrong file fails before minutes of reading.
    let mut opened = Vec::new();
    for file in &inputs.suppressions {
        opened.push(lists::open(file, List::Suppression)?);
    }
    for file in &inputs.excludes {
        opened.push(lists::open(file, List::Exclude)?);
    }
    // The reference reads the suppression files first, then the send log.
    let mut shards: Vec<Shard> = (0..scan::SHARDS).map(|_| Shard::default()).collect();
    let mut read_lists = Vec::new();
    let mut suppression_addresses = 0;
    for (i, list) in opened.into_iter().enumerate() {
        read_lists.push(list.file_into(&mut shards, progress)?);
        if i + 1 == inputs.suppressions.len() {
            suppression_addresses = shards.iter().map(|s| s.len() as u64).sum();
        }
    }
    let exclude_addresses = shards.iter().map(Shard::exclude_list).sum();
    let reading = sends::Reading {
        query,
        split_from,
        piece_bytes,
        progress,
    };
    let Some((counts, shards, sends_read)) = sends::read(&inputs.sends, shards, &reading)? else {
        return compute_with(query, inputs, progress, (u64::MAX, piece_bytes));
    };
    let tallies = tally_shards(shards.into_iter().flatten().collect());
    let mut segments = BTreeMap::new();
    for (name, n) in tallies.iter().flat_map(|t| &t.segments) {
        *segments.entry(name.clone()).or_insert(0) += n;
    }
    let audience = Audience {
        segments,
        suppressed: tallies.iter().map(|t| t.suppressed).sum(),
        excluded: tallies.iter().map(|t| t.excluded).sum(),
        opted_out: tallies.iter().map(|t| t.opted_out).sum(),
        malformed: counts.malformed(),
        suppression_addresses,
        exclude_addresses,
        rows_read: counts.rows_read,
        rows_matched: counts.rows_matched,
        outcomes: counts.statuses.outcomes(),
        unknown_statuses: counts.statuses.unknown(),
        local_times: counts.local_times,
        sends: sends_read,
        lists: read_lists,
        affected: tallies.iter().map(|t| t.sorted.len() as u64).sum(),
        addresses: tallies.into_iter().map(|t| t.sorted).collect(),
    };
    check_delivery(query, &audience)?;
    Ok(audience)
}

/// `--status delivered` on a log that records what was handed over and never what was
/// delivered would give an empty list, or another file's idea of delivered: say so.
fn check_delivery(query: &Query, audience: &Audience) -> Result<()> {
    let count = |o: Outcome| audience.outcomes.get(&o).copied().unwrap_or(0);
    let delivered = count(Outcome::Delivered) + count(Outcome::Engaged);
    let sent = count(Outcome::Sent);
    if !query.statuses.wants_delivered() || delivered > 0 || sent == 0 {
        return Ok(());
    }
    Err(Error::State {
        message: format!(
            "{}: the send log holds no delivery events, only {sent} row(s) of mail handed over for sending (sent, processed, accepted), so --status delivered matches nobody",
            audience.sends.name.display()
        ),
        hint: "subtract what was not delivered with --exclude (the ESP's bounces and not-sent exports) and ask for --status sent; or, if another column holds the delivery outcome, name it with --map status=COLUMN".into(),
    })
}

/// What the workers found: the counts of the rows, and the shards they filled.
type Scanned = (scan::Counts, Vec<Option<Shard>>);

/// A plain send log file to read in pieces.
pub struct Log<'a> {
    pub path: &'a Path,
    pub size: u64,
    pub delimiter: u8,
    /// About how many bytes a piece holds.
    pub piece: u64,
}

/// How each piece of a split log went: what reading it gave, and whether it ended where the
/// next one starts.
type Outcomes = Vec<Option<(Result<()>, bool)>>;

/// The send log read by two workers, each owning one shard, in pieces: each worker takes the
/// next piece when it is done with one, so that a worker the machine's other work slows down
/// reads fewer. A piece after the first starts after the first line break past its share of
/// the file, betting that it ends a record; the reader of the piece before reads up to there
/// and knows whether it does: a quoted field holding a line break can straddle it. `None` for
/// a lost bet, which is rare and costs only time: everything is then read again by one
/// worker. The first error in the file is the one reported, as the reference reports it.
fn in_pieces(
    scan: &Scan<'_>,
    sends: CsvReader,
    log: &Log<'_>,
    shards: Vec<Shard>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Option<Scanned>> {
    let count = (log.size / log.piece.max(1)).max(2);
    let mut starts = Vec::new();
    for i in 1..count {
        match CsvReader::record_start(log.path, log.size / count * i)? {
            Some(start) if starts.last().is_none_or(|&last| last < start) => starts.push(start),
            _ => {}
        }
    }
    let first = std::sync::Mutex::new(Some(sends));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = std::sync::Mutex::new((0..=starts.len()).map(|_| None).collect::<Outcomes>());
    // The reader of piece `i`, stopping where the next piece starts.
    let piece = |i: usize, buffer: Option<Vec<u8>>| -> Result<CsvReader> {
        let mut reader = match i.checked_sub(1) {
            None => first
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .ok_or_else(|| Error::Usage {
                    message: "the send log's first piece was read twice".into(),
                    hint: "report this as a bug".into(),
                })?,
            Some(before) => CsvReader::open_from(log.path, starts[before], log.delimiter, buffer)?,
        };
        if let Some(&end) = starts.get(i) {
            reader.until(end);
        }
        Ok(reader)
    };
    // Take pieces until none is left or one went wrong; then file what the other worker
    // sends until it hangs up, unless this one failed.
    let work = |worker: &mut Worker| {
        let mut failed = false;
        let mut buffer = None;
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i > starts.len() {
                break;
            }
            let (done, clean) = match piece(i, buffer.take()) {
                Ok(mut reader) => {
                    let done = worker.run(scan, &mut reader, progress);
                    let clean = i == starts.len() || reader.clean_split();
                    buffer = Some(reader.into_buffer());
                    (done, clean)
                }
                Err(e) => (Err(e), true),
            };
            let stop = done.is_err() || !clean;
            outcomes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some((done, clean));
            if stop {
                // No other piece is taken: those before this one are all taken already.
                next.fetch_max(usize::MAX / 2, std::sync::atomic::Ordering::Relaxed);
                failed = true;
                break;
            }
        }
        // Filing what the other worker sent can fail only past four billion addresses.
        let finished = if failed { Ok(()) } else { worker.finish() };
        drop(worker.take_peer());
        finished
    };
    let (to_second, from_first) = std::sync::mpsc::channel();
    let (to_first, from_second) = std::sync::mpsc::channel();
    let mut owned = shards.into_iter();
    let (zero, one) = (owned.next(), owned.next());
    let mut first_worker = Worker::new(
        vec![zero, None],
        Some(Peer {
            to: to_second,
            from: from_second,
        }),
    );
    let mut second_worker = Worker::new(
        vec![None, one],
        Some(Peer {
            to: to_first,
            from: from_first,
        }),
    );
    let finished = std::thread::scope(|threads| {
        let second = threads.spawn(|| work(&mut second_worker));
        let first = work(&mut first_worker);
        let second = second
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        first.and(second)
    });
    for outcome in outcomes
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        match outcome {
            Some((done, clean)) => {
                done?;
                if !clean {
                    return Ok(None);
                }
            }
            // Not read, after a piece that went wrong: read everything with one worker.
            None => return Ok(None),
        }
    }
    finished?;
    first_worker.counts.add(&second_worker.counts);
    let shards = first_worker
        .shards
        .into_iter()
        .zip(second_worker.shards)
        .map(|(mine, theirs)| mine.or(theirs))
        .collect();
    Ok(Some((first_worker.counts, shards)))
}

/// Count and sort each shard on its own thread.
fn tally_shards(shards: Vec<Shard>) -> Vec<Tally> {
    std::thread::scope(|scope| {
        let sorting: Vec<_> = shards
            .into_iter()
            .map(|shard| scope.spawn(|| shard.tally()))
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

    /// Read by one worker.
    const ALONE: (u64, u64) = (u64::MAX, 1);
    /// Read by two, in two pieces and in pieces of a few rows.
    const SPLITS: [(u64, u64); 3] = [(0, u64::MAX), (0, 97), (0, 31)];

    /// The list, the counts, or the error message: everything a run produces.
    fn run(sends: &Path, query: &Query, split: (u64, u64)) -> std::result::Result<String, String> {
        let inputs = Inputs {
            sends: InputFile {
                path: sends.to_path_buf(),
                preset: Preset::none(chrono_tz::Tz::UTC),
            },
            suppressions: vec![],
            excludes: vec![],
        };
        let audience = compute_with(query, &inputs, &|_| {}, split).map_err(|e| e.to_string())?;
        let out = tempfile::tempfile().map_err(|e| e.to_string())?;
        audience.write_csv(&out).map_err(|e| e.to_string())?;
        let mut csv = Vec::new();
        std::io::Read::read_to_end(&mut &out, &mut csv).map_err(|e| e.to_string())?;
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
            let alone = run(sends.path(), &query, ALONE);
            assert!(alone.is_ok(), "{alone:?}");
            for split in SPLITS {
                assert_eq!(
                    run(sends.path(), &query, split),
                    alone,
                    "{rows} rows, {split:?}"
                );
            }
        }
    }

    #[test]
    fn addresses_compare_in_byte_order() {
        let words = [
            "",
            "a",
            "user1963837@example.com",
            "user1963837@example.co",
            "user1963837@examplf",
            "user1963837@mail.example.org",
            "user1963840@corp.example.io",
            "user19638",
            "\u{e9}t\u{e9}@example.com",
            "\u{ff}@x",
            "user1963837@example.com\0",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    byte_order(a.as_bytes(), b.as_bytes()),
                    a.cmp(b),
                    "{a:?} {b:?}"
                );
            }
        }
    }

    #[test]
    fn the_list_is_written_sorted_and_quoted_from_both_ends() {
        let query = Query::default();
        let mut text = String::from("email,segment\n");
        let mut expected = Vec::new();
        for i in 0..500 {
            let email = match i % 5 {
                0 => format!("\"u{i},x\"@example.com"),
                1 => format!("\"u{i}\"\"q\"\"\"@example.com"),
                _ => format!("u{i}@example.com"),
            };
            let _ = writeln!(text, "{email},s");
            expected.push(match i % 5 {
                0 => format!("u{i},x@example.com"),
                1 => format!("u{i}\"q\"@example.com"),
                _ => email,
            });
        }
        expected.sort();
        let mut csv = String::from("email\n");
        for email in &expected {
            if email.contains([',', '"']) {
                let _ = writeln!(csv, "\"{}\"", email.replace('"', "\"\""));
            } else {
                let _ = writeln!(csv, "{email}");
            }
        }
        let sends = file(&text);
        let written = run(sends.path(), &query, ALONE).expect("computed");
        assert!(written.starts_with(&csv), "{written}");
        for split in SPLITS {
            assert_eq!(run(sends.path(), &query, split).expect("computed"), written);
        }
        let empty = file("email,segment\n");
        let written = run(empty.path(), &query, SPLITS[0]).expect("computed");
        assert!(written.starts_with("email\n{}"), "{written}");
    }

    #[test]
    fn two_threads_report_the_first_error_in_the_file() {
        let query = Query::default();
        // An error late in the file only: the second thread finds it.
        let sends = file(&(log(60) + "x@y.z,seg,note\n"));
        let alone = run(sends.path(), &query, ALONE);
        assert!(
            alone
                .as_ref()
                .is_err_and(|e| e.contains(":122: expected 4 fields, found 3"))
        );
        for split in SPLITS {
            assert_eq!(run(sends.path(), &query, split), alone, "{split:?}");
        }
        // Errors in both halves: the first one in the file wins.
        let text = log(60).replacen("\n", "\nbad,row\n", 1) + "x@y.z,seg,note\n";
        let sends = file(&text);
        let alone = run(sends.path(), &query, ALONE);
        assert!(
            alone
                .as_ref()
                .is_err_and(|e| e.contains(":2: expected 4 fields, found 2"))
        );
        for split in SPLITS {
            assert_eq!(run(sends.path(), &query, split), alone, "{split:?}");
        }
    }
}
