//! One pass over a stretch of the send log: each row filtered, its address normalized, checked
//! and counted into a [`Partial`]. Two threads each scan half of a large log into their own
//! `Partial`, and the two are merged.
//!
//! The distinct addresses are kept in [`SHARDS`] shards, picked by their hash, so that merging
//! two `Partial`s and sorting the result run shard by shard, one thread each.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::filter::{Columns, Query};
use super::reader::{CsvReader, Record, line_of};
use super::set::AddressSet;
use super::text;
use crate::error::{Error, Result};
use crate::incident::MalformedReason;

/// How many shards: one per core of the machines this runs on.
pub const SHARDS: usize = 2;

/// The distinct affected addresses of one shard, with their segments.
#[derive(Default)]
pub struct Shard {
    pub addresses: AddressSet,
    pub segments: Segments,
}

/// What a scan found.
pub struct Partial {
    pub shards: [Shard; SHARDS],
    /// Malformed rows by reason, indexed like [`MalformedReason::ALL`].
    malformed: [u64; MalformedReason::ALL.len()],
    /// Which suppressed addresses (by their index in the suppression set) passed the filter.
    hits: Vec<bool>,
    pub rows_read: u64,
    pub rows_matched: u64,
}

impl Partial {
    /// An empty result, for a suppression set of `suppressed` addresses.
    pub fn new(suppressed: usize) -> Partial {
        Partial {
            shards: Default::default(),
            malformed: [0; MalformedReason::ALL.len()],
            hits: vec![false; suppressed],
            rows_read: 0,
            rows_matched: 0,
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

    /// Distinct suppressed addresses that passed the filter.
    pub fn suppressed(&self) -> u64 {
        self.hits.iter().filter(|&&hit| hit).count() as u64
    }

    /// Fold `other` in: what either found. The shards merge in parallel.
    pub fn merge(&mut self, other: Partial) -> Result<()> {
        self.rows_read += other.rows_read;
        self.rows_matched += other.rows_matched;
        for (mine, theirs) in self.malformed.iter_mut().zip(other.malformed) {
            *mine += theirs;
        }
        for (mine, theirs) in self.hits.iter_mut().zip(other.hits) {
            *mine |= theirs;
        }
        std::thread::scope(|scope| {
            let merging: Vec<_> = self
                .shards
                .iter_mut()
                .zip(other.shards)
                .map(|(mine, theirs)| scope.spawn(move || mine.merge(theirs)))
                .collect();
            merging.into_iter().try_for_each(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
        })
    }
}

impl Shard {
    /// Add every address of `other`, with all its segments.
    fn merge(&mut self, other: Shard) -> Result<()> {
        let segment_ids: Vec<u32> = other
            .segments
            .names
            .iter()
            .map(|name| self.segments.intern(name))
            .collect();
        let mut new_index = Vec::with_capacity(other.addresses.len());
        for i in 0..other.addresses.len() as u32 {
            let (index, new) = self
                .addresses
                .insert(other.addresses.get(i))
                .ok_or_else(too_many)?;
            let segment = segment_ids[other.segments.first[i as usize] as usize];
            self.segments.add(index, new, segment);
            new_index.push(index);
        }
        for &(address, segment) in &other.segments.more {
            self.segments.add(
                new_index[address as usize],
                false,
                segment_ids[segment as usize],
            );
        }
        Ok(())
    }
}

/// The distinct segments of each address of a shard. Most addresses are in one segment, so
/// the first is kept in a plain vector and only further ones go into a set of pairs.
#[derive(Default)]
pub struct Segments {
    names: Vec<String>,
    ids: HashMap<String, u32, foldhash::fast::FixedState>,
    /// The first segment of address `i`.
    first: Vec<u32>,
    /// (address, segment) beyond the first.
    more: hashbrown::HashSet<(u32, u32), foldhash::fast::FixedState>,
}

impl Segments {
    /// The id of segment `name`, added when new.
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// Address `address` (just added to the shard when `new_address`) is in segment `id`.
    fn add(&mut self, address: u32, new_address: bool, id: u32) {
        if new_address {
            self.first.push(id);
        } else if self.first[address as usize] != id {
            self.more.insert((address, id));
        }
    }

    /// Distinct addresses per segment name.
    pub fn counts(&self) -> impl Iterator<Item = (&str, u64)> {
        let mut counts = vec![0u64; self.names.len()];
        for &id in self.first.iter().chain(self.more.iter().map(|(_, id)| id)) {
            counts[id as usize] += 1;
        }
        self.names.iter().map(String::as_str).zip(counts)
    }
}

/// The row-by-row work, shared by the threads.
pub struct Scan<'a> {
    pub query: &'a Query,
    pub columns: Columns,
    /// Fields per row: the header's.
    pub width: usize,
    pub suppressed: &'a AddressSet,
    pub path: &'a Path,
}

impl Scan<'_> {
    /// Scan what `reader` has left into `partial`.
    pub fn run(
        &self,
        reader: &mut CsvReader,
        partial: &mut Partial,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<()> {
        let mut email = String::new();
        reader.for_each(
            |row| {
                self.row(&row, partial, &mut email)?;
                Ok(true)
            },
            progress,
        )
    }

    /// One row, as the reference treats it.
    #[inline]
    fn row(&self, row: &Record<'_>, out: &mut Partial, email: &mut String) -> Result<()> {
        let (query, columns) = (self.query, &self.columns);
        out.rows_read += 1;
        check_width(self.path, row, self.width)?;
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
            let at = super::parse_time(cell).ok_or_else(|| bad_time(self.path, row, cell))?;
            if !query.in_window(at) {
                return Ok(());
            }
        }
        out.rows_matched += 1;
        text::normalize_email(row.get(columns.email), email);
        if let Some(reason) = text::malformed(email) {
            out.malformed[reason as usize] += 1;
            return Ok(());
        }
        let key = email.as_bytes();
        let hash = AddressSet::hash(key);
        if let Some(i) = self.suppressed.find_hashed(key, hash) {
            out.hits[i as usize] = true;
            return Ok(());
        }
        let shard = &mut out.shards[(hash as usize) % SHARDS];
        let (address, new) = shard
            .addresses
            .insert_hashed(key, hash)
            .ok_or_else(too_many)?;
        let segment = shard.segments.intern(segment);
        shard.segments.add(address, new, segment);
        Ok(())
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
        message: "more than four billion distinct addresses".into(),
        hint: "split the send log by campaign first".into(),
    }
}
