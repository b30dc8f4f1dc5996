//! The rows of the send log, one by one: filtered, the address normalized and checked, then
//! filed in the [`Shard`] its hash picks. A shard holds every address of its part of the hash
//! space: the suppressed ones (read first) and the affected ones, each once, each with a mark.
//! So a row costs one look-up, which both says whether the address is suppressed and
//! de-duplicates it.
//!
//! A large log is read by two [`Worker`]s, each reading pieces of it and owning one shard; a row
//! whose address belongs to the other worker's shard travels there in a batch. Every address
//! is filed exactly once, and the two shards never need merging.
//!
//! A CSV row is read in place ([`Worker::row`]); a JSON record ([`Worker::record`]) is read
//! field by field through its paths. Both are judged by the same [`Worker::judge`].

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};

use super::filter::Query;
use super::set::AddressMap;
use crate::config::Outcome;
use crate::error::{Error, Result};
use crate::incident::MalformedReason;
use crate::input::csv::{CsvReader, Record};
use crate::input::status::{Seen, Vocabulary};
use crate::input::{Times, json, text};

/// How many shards: one per core of the machines this runs on.
pub const SHARDS: usize = 2;

/// The mark of a suppressed address no row has reached yet.
const SUPPRESSED: u32 = u32::MAX;
/// The mark of a suppressed address that a row passing the filter reached.
const SUPPRESSED_HIT: u32 = u32::MAX - 1;
/// The mark of an address an `--exclude` file lists, no row has reached yet.
const EXCLUDED: u32 = u32::MAX - 2;
/// The mark of an excluded address a row passing the filter reached.
const EXCLUDED_HIT: u32 = u32::MAX - 3;
/// The mark of an address that unsubscribed or complained in the send log itself, no row
/// passing the filter reached yet.
const OPTED_OUT: u32 = u32::MAX - 4;
/// The mark of an address that opted out in the log and that a row passing the filter reached.
const OPTED_OUT_HIT: u32 = u32::MAX - 5;
/// Marks from here up are not segments.
const FIRST_MARK: u32 = OPTED_OUT_HIT;
// Any other mark is the first segment (its id in the shard) of an affected address.

/// Rows bound for the other worker are sent in batches of about this many bytes.
const BATCH: usize = 64 << 10;
/// Rows for a worker's own shard are filed in batches of about this many bytes.
const OWN_BATCH: usize = 16 << 10;
/// Rows of a batch whose look-ups are started together.
pub const PREFETCH: usize = 128;
/// Up to this many segments a shard finds a segment's id by looking through their names.
const FEW_SEGMENTS: usize = 8;

/// The addresses of one part of the hash space, with their marks and segments.
#[derive(Default)]
pub struct Shard {
    addresses: AddressMap,
    segment_names: Vec<String>,
    segment_ids: HashMap<Vec<u8>, u32, foldhash::fast::FixedState>,
    /// (address, segment) for an address's segments beyond the first (the mark).
    more_segments: hashbrown::HashSet<(u32, u32), foldhash::fast::FixedState>,
    /// Addresses that opted out after a row had filed them in segments.
    opted_out_late: hashbrown::HashSet<u32, foldhash::fast::FixedState>,
    /// Distinct addresses an `--exclude` file listed and no suppression file did.
    exclude_list: u64,
}

/// What a shard found, once the send log is read.
pub struct Tally {
    /// The affected addresses, sorted.
    pub sorted: super::set::SortedAddresses,
    /// Distinct affected addresses per segment.
    pub segments: BTreeMap<String, u64>,
    /// Distinct suppressed addresses that a row passing the filter reached.
    pub suppressed: u64,
    /// Distinct excluded addresses that a row passing the filter reached.
    pub excluded: u64,
    /// Distinct addresses that opted out in the log and that a row passing the filter reached.
    pub opted_out: u64,
}

impl Shard {
    /// File a suppressed address.
    pub fn suppress(&mut self, key: &[u8], hash: u64) -> Result<()> {
        self.addresses
            .entry(key, hash, SUPPRESSED)
            .ok_or_else(too_many)?;
        Ok(())
    }

    /// File an address an `--exclude` file lists. A suppressed address stays
    /// suppressed.
    pub fn exclude(&mut self, key: &[u8], hash: u64) -> Result<()> {
        let (_, _, new) = self
            .addresses
            .entry(key, hash, EXCLUDED)
            .ok_or_else(too_many)?;
        self.exclude_list += u64::from(new);
        Ok(())
    }

    /// File a judged row's address.
    fn file(&mut self, key: &[u8], hash: u64, segment: &[u8], verdict: Verdict) -> Result<()> {
        match verdict {
            Verdict::OptOut => self.opt_out(key, hash),
            _ => self.add(key, hash, segment),
        }
    }

    /// File an address that unsubscribed or complained in the send log: it leaves the
    /// audience, whichever row comes first. A suppressed or excluded address stays so.
    fn opt_out(&mut self, key: &[u8], hash: u64) -> Result<()> {
        let (address, mark, new) = self
            .addresses
            .entry(key, hash, OPTED_OUT)
            .ok_or_else(too_many)?;
        if !new && mark < FIRST_MARK {
            self.addresses.set_mark(address, OPTED_OUT_HIT);
            self.opted_out_late.insert(address);
        }
        Ok(())
    }

    /// File an address from a row that passed the filter, in `segment`.
    fn add(&mut self, key: &[u8], hash: u64, segment: &[u8]) -> Result<()> {
        let segment = self.segment_id(segment)?;
        let (address, mark, new) = self
            .addresses
            .entry(key, hash, segment)
            .ok_or_else(too_many)?;
        let hit = match mark {
            _ if new => return Ok(()),
            SUPPRESSED => SUPPRESSED_HIT,
            EXCLUDED => EXCLUDED_HIT,
            OPTED_OUT => OPTED_OUT_HIT,
            first if first < FIRST_MARK && first != segment => {
                self.more_segments.insert((address, segment));
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.addresses.set_mark(address, hit);
        Ok(())
    }

    /// Start loading what filing `hashes` will read (see [`AddressMap::prefetch`]).
    pub fn prefetch(&self, hashes: &[u64]) {
        let mut slots = [0u64; PREFETCH];
        for (slot, &hash) in slots.iter_mut().zip(hashes) {
            *slot = self.addresses.prefetch(hash, None);
        }
        let mut sum = slots.iter().fold(0, |a, &b| a ^ b);
        for (&slot, &hash) in slots.iter().zip(hashes) {
            sum ^= self.addresses.prefetch(hash, Some(slot));
        }
        std::hint::black_box(sum);
    }

    /// The id of the segment `name` (UTF-8: a row's segment cell).
    fn segment_id(&mut self, name: &[u8]) -> Result<u32> {
        // A log has a handful of segments: looking through them costs less than hashing.
        if self.segment_names.len() <= FEW_SEGMENTS {
            let found = self
                .segment_names
                .iter()
                .position(|s| text::same(s.as_bytes(), name));
            if let Some(id) = found {
                return Ok(id as u32);
            }
        } else if let Some(&id) = self.segment_ids.get(name) {
            return Ok(id);
        }
        let id = u32::try_from(self.segment_names.len())
            .ok()
            .filter(|&id| id < FIRST_MARK)
            .ok_or_else(too_many)?;
        self.segment_names
            .push(String::from_utf8_lossy(name).into_owned());
        self.segment_ids.insert(name.to_vec(), id);
        Ok(id)
    }

    /// Distinct addresses of the shard, suppressed or not.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    /// Distinct addresses marked excluded, reached or not.
    pub fn exclude_list(&self) -> u64 {
        self.exclude_list
    }

    /// The counts of the marks and the sorted affected addresses, in one pass over the shard.
    pub fn tally(self) -> Tally {
        let mut by_id = vec![0u64; self.segment_names.len()];
        let (mut suppressed, mut excluded, mut opted_out) = (0, 0, 0);
        for (_, mark) in self.addresses.marks() {
            match mark {
                SUPPRESSED_HIT => suppressed += 1,
                EXCLUDED_HIT => excluded += 1,
                OPTED_OUT_HIT => opted_out += 1,
                first if first < FIRST_MARK => by_id[first as usize] += 1,
                _ => {}
            }
        }
        let kept = by_id.iter().sum::<u64>() as usize;
        let more = self
            .more_segments
            .iter()
            .filter(|(address, _)| !self.opted_out_late.contains(address));
        for &(_, id) in more {
            by_id[id as usize] += 1;
        }
        let segments = self.segment_names.into_iter().zip(by_id).collect();
        Tally {
            sorted: self
                .addresses
                .into_sorted(|mark| mark < FIRST_MARK, super::field_size, kept),
            segments,
            suppressed,
            excluded,
            opted_out,
        }
    }
}

/// Where a CSV send log keeps the fields the query reads.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub email: usize,
    pub campaign: Option<usize>,
    pub segment: Option<usize>,
    pub sent_at: Option<usize>,
    /// One or more columns, joined with `/` into the status word.
    pub status: Vec<usize>,
}

/// Where a JSON send log keeps them: candidate paths, the first holding a value wins (for the
/// status, every path, joined).
#[derive(Debug, Clone, Default)]
pub struct Paths {
    pub email: Vec<String>,
    pub campaign: Vec<String>,
    pub segment: Vec<String>,
    pub sent_at: Vec<String>,
    pub status: Vec<String>,
}

/// What every worker needs to judge a row.
pub struct Scan<'a> {
    pub query: &'a Query,
    pub columns: Columns,
    pub paths: Paths,
    /// Fields per row: the header's (CSV).
    pub width: usize,
    pub path: &'a Path,
    pub vocabulary: &'a Vocabulary,
    pub times: &'a Times,
}

/// The counts of the rows a worker read.
#[derive(Default)]
pub struct Counts {
    /// Malformed rows by reason, indexed like [`MalformedReason::ALL`].
    malformed: [u64; MalformedReason::ALL.len()],
    pub rows_read: u64,
    pub rows_matched: u64,
    /// The status words of the rows of the campaign and segments, before the other filters.
    pub statuses: Seen,
    /// Rows whose time was written without a zone, read in the given one.
    pub local_times: u64,
}

impl Counts {
    /// Add `other`'s counts.
    pub fn add(&mut self, other: &Counts) {
        self.rows_read += other.rows_read;
        self.rows_matched += other.rows_matched;
        self.local_times += other.local_times;
        self.statuses.add(&other.statuses);
        for (mine, theirs) in self.malformed.iter_mut().zip(other.malformed) {
            *mine += theirs;
        }
    }

    /// Malformed rows by reason, the reasons that occurred only.
    pub fn malformed(&self) -> BTreeMap<MalformedReason, u64> {
        MalformedReason::ALL
            .into_iter()
            .zip(self.malformed)
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// The other worker: where to send its rows, and where its rows for us arrive.
pub struct Peer {
    pub to: Sender<Vec<u8>>,
    pub from: Receiver<Vec<u8>>,
}

/// Reads rows and files them: in its own shards, or, for a shard another worker owns, in a
/// batch for that worker.
pub struct Worker {
    /// The shards this worker owns, by number; `None` for the other worker's.
    pub shards: Vec<Option<Shard>>,
    pub counts: Counts,
    peer: Option<Peer>,
    /// Rows waiting to be filed, per shard: in a batch for the other worker, or for this one's
    /// own shard, whose look-ups are started together.
    outboxes: Vec<Vec<u8>>,
    email: String,
    /// The status word of the row.
    status: StatusWord,
}

impl Worker {
    /// A worker owning `shards` (one per shard number, `None` where `peer` owns it).
    pub fn new(shards: Vec<Option<Shard>>, peer: Option<Peer>) -> Self {
        Worker {
            outboxes: vec![Vec::new(); shards.len()],
            shards,
            counts: Counts::default(),
            peer,
            email: String::new(),
            status: StatusWord::default(),
        }
    }

    /// Read what `reader` has left.
    pub fn run(
        &mut self,
        scan: &Scan<'_>,
        reader: &mut CsvReader,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<()> {
        reader.for_each(
            |row| {
                self.row(scan, &row)?;
                if self.counts.rows_read.is_multiple_of(4096) {
                    self.receive()?;
                }
                Ok(true)
            },
            progress,
        )
    }

    /// After the last row: file what is left for this worker's shards, send what is left for
    /// the other worker, then file what it sends until it is done too.
    pub fn finish(&mut self) -> Result<()> {
        self.flush()?;
        if let Some(peer) = self.peer.take() {
            // Dropping our sender tells the other worker that nothing more will come.
            drop(peer.to);
            for batch in peer.from.iter() {
                self.file_batch(&batch)?;
            }
        }
        Ok(())
    }

    /// Stop talking to the other worker (after an error, so that it does not wait for us).
    pub fn take_peer(&mut self) -> Option<Peer> {
        self.peer.take()
    }

    /// One CSV row, as the reference treats it.
    #[inline]
    fn row(&mut self, scan: &Scan<'_>, row: &Record<'_>) -> Result<()> {
        let columns = &scan.columns;
        self.counts.rows_read += 1;
        check_width(scan.path, row, scan.width)?;
        let fields = Fields {
            campaign: columns.campaign.map(|c| row.get(c)),
            segment: columns.segment.map_or("", |c| text::strip(row.get(c))),
            has_status: !columns.status.is_empty(),
            sent_at: columns.sent_at.map(|c| row.get(c)),
        };
        let status = |word: &mut StatusWord| word.read(columns.status.iter().map(|&c| row.get(c)));
        let verdict = self.judge(scan, &fields, status, || row.line(scan.path))?;
        if verdict == Verdict::Skip {
            return Ok(());
        }
        self.file(row.get(columns.email), fields.segment, verdict)
    }

    /// One JSON record: read through its paths, judged like a CSV row. A record that names
    /// several addresses (SES's destinations) files each; a list of campaigns, segments or
    /// tags matches when any of them is the one asked for.
    pub fn record(&mut self, scan: &Scan<'_>, record: &json::Record<'_>) -> Result<()> {
        let paths = &scan.paths;
        self.counts.rows_read += 1;
        let values = |candidates: &[String]| {
            candidates
                .iter()
                .map(|p| record.texts(p))
                .find(|found| !found.is_empty())
                .unwrap_or_default()
        };
        let campaigns = values(&paths.campaign);
        let campaign = match &scan.query.campaign {
            Some(wanted) => campaigns.iter().find(|c| text::strip(c) == wanted),
            None => None,
        }
        .or(campaigns.first());
        // Several segments (tags): the one asked for, else the first.
        let segments = values(&paths.segment);
        let segment = segments
            .iter()
            .find(|s| scan.query.segments.iter().any(|q| q == text::strip(s)))
            .or(segments.first())
            .cloned()
            .unwrap_or_default();
        let sent_at = values(&paths.sent_at).into_iter().next();
        let status = |word: &mut StatusWord| {
            let words: Vec<String> = paths
                .status
                .iter()
                .map(|p| record.text(p).unwrap_or_default())
                .collect();
            word.read(words.iter().map(String::as_str));
        };
        let fields = Fields {
            campaign: campaign.map(String::as_str),
            segment: text::strip(&segment),
            has_status: !paths.status.is_empty(),
            sent_at: sent_at.as_deref(),
        };
        let place = record.place;
        let verdict = self.judge(scan, &fields, status, || place.line())?;
        if verdict == Verdict::Skip {
            return Ok(());
        }
        let emails = values(&paths.email);
        if emails.is_empty() && verdict == Verdict::Take {
            return Err(no_address(scan.path, place, &paths.email, record));
        }
        for (i, email) in emails.iter().enumerate() {
            if i > 0 {
                // Each further address is a row of its own, as in the canonical send log.
                self.counts.rows_read += 1;
                self.counts.rows_matched += u64::from(verdict == Verdict::Take);
            }
            self.file(email, fields.segment, verdict)?;
        }
        Ok(())
    }

    /// Whether a row passes the filters, in the reference's order: campaign, segment, status,
    /// window. Its status word (put in `self.status` by `status`, only for a row that gets that
    /// far) is counted for the rows of the campaign and segments; its time is checked on every row that gets that far, window or not: a log
    /// with unreadable times is not one to trust without a look. A row of the
    /// campaign that records an unsubscribe or a complaint takes its address out, whenever it
    /// happened: the ESP will not mail that person again, and neither should the apology.
    #[inline]
    fn judge(
        &mut self,
        scan: &Scan<'_>,
        f: &Fields<'_>,
        status: impl FnOnce(&mut StatusWord),
        line: impl Fn() -> Option<usize>,
    ) -> Result<Verdict> {
        let Scan {
            query,
            path,
            vocabulary,
            times,
            ..
        } = scan;
        // A record with no campaign at all is not of the campaign asked for.
        if let Some(wanted) = &query.campaign
            && f.campaign
                .is_none_or(|c| !text::same(text::strip(c).as_bytes(), wanted.as_bytes()))
        {
            return Ok(Verdict::Skip);
        }
        if !query.segments.is_empty()
            && !query
                .segments
                .iter()
                .any(|s| text::same(s.as_bytes(), f.segment.as_bytes()))
        {
            return Ok(Verdict::Skip);
        }
        if f.has_status {
            status(&mut self.status);
            let key = &self.status.key;
            let outcome = self.counts.statuses.count(key, vocabulary);
            if !query.statuses.is_empty() && !query.statuses.passes(key, outcome) {
                let opted_out =
                    matches!(outcome, Some(Outcome::Unsubscribed | Outcome::Complained));
                return Ok(if opted_out {
                    Verdict::OptOut
                } else {
                    Verdict::Skip
                });
            }
        }
        if query.has_window() && f.sent_at.is_none() {
            // Only a JSON record can lack the field: a CSV window needs the column.
            return Err(bad_time(path, line(), "", times));
        }
        if let Some(cell) = f.sent_at {
            let read = times
                .read(text::strip(cell))
                .ok_or_else(|| bad_time(path, line(), cell, times))?;
            self.counts.local_times += u64::from(read.local);
            if !query.in_window(read.at) {
                return Ok(Verdict::Skip);
            }
        }
        self.counts.rows_matched += 1;
        Ok(Verdict::Take)
    }

    /// A judged row's address: normalized, checked, and put in the batch of its shard. A
    /// malformed address counts only on a matching row.
    #[inline]
    fn file(&mut self, email: &str, segment: &str, verdict: Verdict) -> Result<()> {
        if let Some(reason) = text::normalize_checked(email, &mut self.email) {
            if verdict == Verdict::Take {
                self.counts.malformed[reason as usize] += 1;
            }
            return Ok(());
        }
        let key = self.email.as_bytes();
        let hash = AddressMap::hash(key);
        let shard = hash as usize % SHARDS;
        // Verdict, hash, segment and address, lengths first.
        let outbox = &mut self.outboxes[shard];
        outbox.push(verdict as u8);
        outbox.extend_from_slice(&hash.to_le_bytes());
        for part in [segment.as_bytes(), key] {
            outbox.extend_from_slice(&(part.len() as u64).to_le_bytes());
            outbox.extend_from_slice(part);
        }
        let full = outbox.len();
        match &self.shards[shard] {
            Some(_) if full >= OWN_BATCH => {
                let batch = std::mem::take(&mut self.outboxes[shard]);
                self.file_batch(&batch)?;
                self.outboxes[shard] = recycle(batch);
            }
            None if full >= BATCH => self.send(shard),
            _ => {}
        }
        Ok(())
    }

    /// File what waits for this worker's own shards, and send the rest.
    fn flush(&mut self) -> Result<()> {
        for shard in 0..self.shards.len() {
            if self.shards[shard].is_some() {
                let batch = std::mem::take(&mut self.outboxes[shard]);
                self.file_batch(&batch)?;
            } else {
                self.send(shard);
            }
        }
        Ok(())
    }

    fn send(&mut self, shard: usize) {
        if let Some(peer) = &self.peer
            && !self.outboxes[shard].is_empty()
        {
            // The other worker only stops listening when it failed, and then so does the
            // whole computation: nothing is lost by dropping the batch.
            let _ = peer.to.send(std::mem::take(&mut self.outboxes[shard]));
        }
    }

    /// File the batches that arrived, without waiting for more.
    fn receive(&mut self) -> Result<()> {
        let batches: Vec<Vec<u8>> = match &self.peer {
            Some(peer) => peer.from.try_iter().collect(),
            None => return Ok(()),
        };
        for batch in batches {
            self.file_batch(&batch)?;
        }
        Ok(())
    }

    /// File a batch of rows, [`PREFETCH`] at a time: their look-ups are started together, so
    /// that their cache misses overlap instead of following one another.
    fn file_batch(&mut self, mut batch: &[u8]) -> Result<()> {
        let mut rows: Vec<Pending<'_>> = Vec::with_capacity(PREFETCH);
        loop {
            rows.clear();
            while rows.len() < PREFETCH
                && let Some((row, rest)) = Pending::read(batch)
            {
                rows.push(row);
                batch = rest;
            }
            let Some(first) = rows.first() else {
                return Ok(());
            };
            let Some(shard) = &mut self.shards[first.hash as usize % SHARDS] else {
                return Ok(());
            };
            let mut hashes = [0u64; PREFETCH];
            for (hash, row) in hashes.iter_mut().zip(&rows) {
                *hash = row.hash;
            }
            shard.prefetch(&hashes[..rows.len()]);
            for row in &rows {
                shard.file(row.key, row.hash, row.segment, row.verdict)?;
            }
        }
    }
}

/// An emptied batch's buffer, kept for the next batch.
fn recycle(mut batch: Vec<u8>) -> Vec<u8> {
    batch.clear();
    batch
}

/// A row in a batch, to be filed.
struct Pending<'a> {
    verdict: Verdict,
    hash: u64,
    /// UTF-8: written from a `&str` by this program.
    segment: &'a [u8],
    key: &'a [u8],
}

impl<'a> Pending<'a> {
    /// The first row of `batch`, and the rest; `None` at its end.
    fn read(batch: &'a [u8]) -> Option<(Pending<'a>, &'a [u8])> {
        let (&verdict, rest) = batch.split_first()?;
        let (hash, rest) = rest.split_first_chunk::<8>()?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let (segment, rest) = rest.split_at_checked(u64::from_le_bytes(*len) as usize)?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let (key, rest) = rest.split_at_checked(u64::from_le_bytes(*len) as usize)?;
        let row = Pending {
            verdict: if verdict == Verdict::OptOut as u8 {
                Verdict::OptOut
            } else {
                Verdict::Take
            },
            hash: u64::from_le_bytes(*hash),
            segment,
            key,
        };
        Some((row, rest))
    }
}

/// What a row does to the audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Verdict {
    /// Nothing: it does not pass the filters.
    Skip,
    /// Its address is affected.
    Take,
    /// Its address unsubscribed or complained: it leaves the audience.
    OptOut,
}

/// The fields of a row the filters read.
struct Fields<'a> {
    campaign: Option<&'a str>,
    segment: &'a str,
    has_status: bool,
    sent_at: Option<&'a str>,
}

/// The status word of a row: its status cells, trimmed and lowercased, joined with `/`, empty
/// trailing ones left out (`bounce/blocked`, `delivered`). Most rows carry the status of the
/// row before (a log is mostly `delivered`): a single cell equal to the last one keeps its word.
#[derive(Default)]
struct StatusWord {
    key: String,
    /// The one cell `key` was made from, when it was made from one.
    cell: Option<String>,
}

impl StatusWord {
    #[inline]
    fn read<'a>(&mut self, mut cells: impl ExactSizeIterator<Item = &'a str>) {
        if cells.len() == 1 {
            let cell = cells.next().unwrap_or_default();
            match &mut self.cell {
                Some(last) if text::same(last.as_bytes(), cell.as_bytes()) => return,
                Some(last) => {
                    last.clear();
                    last.push_str(cell);
                }
                None => self.cell = Some(cell.to_string()),
            }
            self.key.clear();
            text::lower_into(text::strip(cell), &mut self.key);
        } else {
            self.cell = None;
            self.key.clear();
            for (i, cell) in cells.enumerate() {
                if i > 0 {
                    self.key.push('/');
                }
                text::lower_into(text::strip(cell), &mut self.key);
            }
        }
        let kept = self.key.trim_end_matches('/').len();
        self.key.truncate(kept);
    }
}

/// A record of the campaign with no address at any of the paths: the list would silently be
/// shorter than the truth.
pub fn no_address(
    path: &Path,
    place: json::Place,
    paths: &[String],
    record: &json::Record<'_>,
) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line: place.line(),
        message: format!(
            "{}no address at {}",
            place.prefix(),
            if paths.is_empty() {
                "any key".to_string()
            } else {
                paths.join(" or ")
            }
        ),
        hint: format!(
            "the record has {}; name the address with --map email=PATH, or use the ESP's --preset",
            record.keys().join(", ")
        ),
    }
}

/// A row with another number of fields than the header: the reference's own error.
pub fn check_width(path: &Path, row: &Record<'_>, width: usize) -> Result<()> {
    if row.len() == width {
        return Ok(());
    }
    Err(Error::Invalid {
        path: path.to_path_buf(),
        line: row.line(path),
        message: format!("expected {width} fields, found {}", row.len()),
        hint: "a value holding a comma or a line break must be quoted (\"loyalty, gold\"); check the ESP's export settings".into(),
    })
}

fn bad_time(path: &Path, line: Option<usize>, cell: &str, times: &Times) -> Error {
    use crate::input::TimeFormat;
    let hint = match &times.format {
        TimeFormat::Auto => format!(
            "times are read as RFC 3339 (2026-11-20T09:30:00Z), 2026-11-20 09:30:00 (in {}), epoch seconds or milliseconds; for another spelling pass --time-format, e.g. --time-format '%m/%d/%Y %I:%M:%S %p'",
            times.zone
        ),
        other => format!(
            "this file's times are read as {}; pass --time-format to read them otherwise",
            other.describe()
        ),
    };
    Error::Invalid {
        path: path.to_path_buf(),
        line,
        message: if cell.trim().is_empty() {
            "the row has no sent_at time".to_string()
        } else {
            format!("sent_at {cell:?} is not a time")
        },
        hint,
    }
}

/// Past `u32` indices: no memory holds that many addresses, but say so rather than wrap.
pub fn too_many() -> Error {
    Error::Usage {
        message: "more than four billion distinct addresses or segments".into(),
        hint: "split the send log by campaign first".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_word_is_made_anew_whenever_its_cell_changes() {
        let mut word = StatusWord::default();
        let mut read = |cells: &[&str]| {
            word.read(cells.iter().copied());
            word.key.clone()
        };
        assert_eq!(read(&["Delivered"]), "delivered");
        assert_eq!(read(&["Delivered"]), "delivered");
        assert_eq!(read(&[" Bounce/ "]), "bounce");
        assert_eq!(read(&["bounce", "Blocked"]), "bounce/blocked");
        assert_eq!(read(&["bounce", ""]), "bounce");
        assert_eq!(read(&["bounce"]), "bounce");
        assert_eq!(read(&["DELIVERED "]), "delivered");
        assert_eq!(read(&[""]), "");
    }
}
