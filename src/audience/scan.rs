//! The rows of the send log, one by one: filtered, the address normalized and checked, then
//! filed in the [`Shard`] its hash picks. A shard holds every address of its part of the hash
//! space: the suppressed ones (read first) and the affected ones, each once, each with a mark.
//! So a row costs one look-up, which both says whether the address is suppressed and
//! de-duplicates it.
//!
//! A large log is read by two [`Worker`]s, each reading half of it and owning one shard; a row
//! whose address belongs to the other worker's shard travels there in a batch. Every address
//! is filed exactly once, and the two shards never need merging.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::mpsc::{Receiver, Sender};

use super::filter::{Columns, Query};
use super::reader::{CsvReader, Record, line_of};
use super::set::AddressMap;
use super::text;
use crate::error::{Error, Result};
use crate::incident::MalformedReason;

/// How many shards: one per core of the machines this runs on.
pub const SHARDS: usize = 2;

/// The mark of a suppressed address no row has reached yet.
const SUPPRESSED: u32 = u32::MAX;
/// The mark of a suppressed address that a row passing the filter reached.
const SUPPRESSED_HIT: u32 = u32::MAX - 1;
// Any other mark is the first segment (its id in the shard) of an affected address.

/// Rows bound for the other worker are sent in batches of about this many bytes.
const BATCH: usize = 64 << 10;

/// The addresses of one part of the hash space, with their marks and segments.
#[derive(Default)]
pub struct Shard {
    addresses: AddressMap,
    segment_names: Vec<String>,
    segment_ids: HashMap<String, u32, foldhash::fast::FixedState>,
    /// (address, segment) for an address's segments beyond the first (the mark).
    more_segments: hashbrown::HashSet<(u32, u32), foldhash::fast::FixedState>,
}

impl Shard {
    /// File a suppressed address.
    pub fn suppress(&mut self, key: &[u8], hash: u64) -> Result<()> {
        self.addresses
            .entry(key, hash, SUPPRESSED)
            .ok_or_else(too_many)?;
        Ok(())
    }

    /// File an address from a row that passed the filter, in `segment`.
    fn add(&mut self, key: &[u8], hash: u64, segment: &str) -> Result<()> {
        let segment = self.segment_id(segment)?;
        let (address, mark, new) = self
            .addresses
            .entry(key, hash, segment)
            .ok_or_else(too_many)?;
        match *mark {
            _ if new => {}
            SUPPRESSED | SUPPRESSED_HIT => *mark = SUPPRESSED_HIT,
            first if first != segment => {
                self.more_segments.insert((address, segment));
            }
            _ => {}
        }
        Ok(())
    }

    fn segment_id(&mut self, name: &str) -> Result<u32> {
        if let Some(&id) = self.segment_ids.get(name) {
            return Ok(id);
        }
        let id = u32::try_from(self.segment_names.len())
            .ok()
            .filter(|&id| id < SUPPRESSED_HIT)
            .ok_or_else(too_many)?;
        self.segment_names.push(name.to_string());
        self.segment_ids.insert(name.to_string(), id);
        Ok(id)
    }

    /// Distinct addresses of the shard, suppressed or not.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    /// Distinct suppressed addresses that a row passing the filter reached.
    pub fn suppressed(&self) -> u64 {
        self.addresses
            .marks()
            .filter(|&m| m == SUPPRESSED_HIT)
            .count() as u64
    }

    /// Distinct affected addresses per segment, added into `counts`.
    pub fn count_segments(&self, counts: &mut BTreeMap<String, u64>) {
        let mut by_id = vec![0u64; self.segment_names.len()];
        let firsts = self.addresses.marks().filter(|&m| m < SUPPRESSED_HIT);
        for id in firsts.chain(self.more_segments.iter().map(|&(_, id)| id)) {
            by_id[id as usize] += 1;
        }
        for (name, n) in self.segment_names.iter().zip(by_id) {
            *counts.entry(name.clone()).or_insert(0) += n;
        }
    }

    /// The affected addresses, sorted.
    pub fn into_sorted(self) -> super::set::SortedAddresses {
        self.addresses.into_sorted(|mark| mark < SUPPRESSED_HIT)
    }
}

/// What every worker needs to judge a row.
pub struct Scan<'a> {
    pub query: &'a Query,
    pub columns: Columns,
    /// Fields per row: the header's.
    pub width: usize,
    pub path: &'a Path,
}

/// The counts of the rows a worker read.
#[derive(Default)]
pub struct Counts {
    /// Malformed rows by reason, indexed like [`MalformedReason::ALL`].
    malformed: [u64; MalformedReason::ALL.len()],
    pub rows_read: u64,
    pub rows_matched: u64,
}

impl Counts {
    /// Add `other`'s counts.
    pub fn add(&mut self, other: &Counts) {
        self.rows_read += other.rows_read;
        self.rows_matched += other.rows_matched;
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
pub struct Worker<'a> {
    scan: &'a Scan<'a>,
    /// The shards this worker owns, by number; `None` for the other worker's.
    pub shards: Vec<Option<Shard>>,
    pub counts: Counts,
    peer: Option<Peer>,
    outbox: Vec<u8>,
    email: String,
}

impl<'a> Worker<'a> {
    /// A worker owning `shards` (one per shard number, `None` where `peer` owns it).
    pub fn new(scan: &'a Scan<'a>, shards: Vec<Option<Shard>>, peer: Option<Peer>) -> Self {
        Worker {
            scan,
            shards,
            counts: Counts::default(),
            peer,
            outbox: Vec::new(),
            email: String::new(),
        }
    }

    /// Read what `reader` has left.
    pub fn run(&mut self, reader: &mut CsvReader, progress: &(dyn Fn(u64) + Sync)) -> Result<()> {
        reader.for_each(
            |row| {
                self.row(&row)?;
                if self.counts.rows_read.is_multiple_of(4096) {
                    self.receive()?;
                }
                Ok(true)
            },
            progress,
        )
    }

    /// After [`Worker::run`]: send what is left for the other worker, then file what it sends
    /// until it is done too.
    pub fn finish(&mut self) -> Result<()> {
        self.send();
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

    /// One row, as the reference treats it.
    #[inline]
    fn row(&mut self, row: &Record<'_>) -> Result<()> {
        let Scan {
            query,
            columns,
            width,
            path,
        } = self.scan;
        self.counts.rows_read += 1;
        check_width(path, row, *width)?;
        // The filters, in the reference's order: campaign, segment, status, window.
        if let (Some(column), Some(campaign)) = (columns.campaign, &query.campaign)
            && text::strip(row.get(column)) != campaign
        {
            return Ok(());
        }
        let segment = columns.segment.map_or("", |c| text::strip(row.get(c)));
        if !query.segments.is_empty() && !query.segments.iter().any(|s| s == segment) {
            return Ok(());
        }
        if let Some(column) = columns.status
            && !query.status_matches(text::strip(row.get(column)))
        {
            return Ok(());
        }
        if let Some(column) = columns.sent_at {
            let cell = row.get(column);
            let at = super::parse_time(cell).ok_or_else(|| bad_time(path, row, cell))?;
            if !query.in_window(at) {
                return Ok(());
            }
        }
        self.counts.rows_matched += 1;
        text::normalize_email(row.get(columns.email), &mut self.email);
        if let Some(reason) = text::malformed(&self.email) {
            self.counts.malformed[reason as usize] += 1;
            return Ok(());
        }
        let key = self.email.as_bytes();
        let hash = AddressMap::hash(key);
        match &mut self.shards[hash as usize % SHARDS] {
            Some(shard) => shard.add(key, hash, segment)?,
            None => {
                // For the other worker: hash, segment and address, lengths first.
                for part in [segment.as_bytes(), key] {
                    self.outbox
                        .extend_from_slice(&(part.len() as u64).to_le_bytes());
                    self.outbox.extend_from_slice(part);
                }
                self.outbox.extend_from_slice(&hash.to_le_bytes());
                if self.outbox.len() >= BATCH {
                    self.send();
                }
            }
        }
        Ok(())
    }

    fn send(&mut self) {
        if let Some(peer) = &self.peer
            && !self.outbox.is_empty()
        {
            // The other worker only stops listening when it failed, and then so does the
            // whole computation: nothing is lost by dropping the batch.
            let _ = peer.to.send(std::mem::take(&mut self.outbox));
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

    fn file_batch(&mut self, mut batch: &[u8]) -> Result<()> {
        let mut take = |n: usize| {
            let (head, rest) = batch.split_at(n.min(batch.len()));
            batch = rest;
            head
        };
        loop {
            let Ok(len) = take(8).try_into().map(u64::from_le_bytes) else {
                return Ok(());
            };
            let segment = std::str::from_utf8(take(len as usize)).unwrap_or_default();
            let len = take(8).try_into().map_or(0, u64::from_le_bytes);
            let key = take(len as usize);
            let hash = take(8).try_into().map_or(0, u64::from_le_bytes);
            if let Some(shard) = &mut self.shards[hash as usize % SHARDS] {
                shard.add(key, hash, segment)?;
            }
        }
    }
}

/// A row with another number of fields than the header: the reference's own error.
pub fn check_width(path: &Path, row: &Record<'_>, width: usize) -> Result<()> {
    if row.len() == width {
        return Ok(());
    }
    Err(Error::Invalid {
        path: path.to_path_buf(),
        line: line_of(path, row.offset()),
        message: format!("expected {width} fields, found {}", row.len()),
        hint: "a value holding a comma or a line break must be quoted (\"loyalty, gold\"); check the ESP's export settings".into(),
    })
}

fn bad_time(path: &Path, row: &Record<'_>, cell: &str) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line: line_of(path, row.offset()),
        message: format!("sent_at {cell:?} is not an RFC 3339 date-time"),
        hint: "sent_at needs a date, a time and a zone, e.g. 2026-11-20T09:30:00Z or 2026-11-20T10:30:00+01:00".into(),
    }
}

/// Past `u32` indices: no memory holds that many addresses, but say so rather than wrap.
pub fn too_many() -> Error {
    Error::Usage {
        message: "more than four billion distinct addresses or segments".into(),
        hint: "split the send log by campaign first".into(),
    }
}
