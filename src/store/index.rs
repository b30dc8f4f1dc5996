//! The index of the records (`incidents/.index`): the [`Brief`] of every record that `list` and
//! `report --summary` read, in ID order, each kept with the size, modification and change times and
//! inode its record file had when it was read, encoded with postcard (serde's compact binary form,
//! a third of the size of JSON and faster to decode: only the tool reads it). It is a cache, never
//! trusted over a record: a record whose file no longer has those is read again, a new one is read,
//! a removed one dropped, and an index that is missing, unreadable, of another version or a link is
//! as if empty. Writing it is best effort (a read-only workspace is listed without it), through the
//! guarded writer, atomically; two commands writing at once leave one whole index or the other.
//!
//! A record changed within [`RACY_NANOS`] of the index being written may have been changed
//! again in the same tick of the file system's clock, keeping its size and times: it is read
//! again until the index is written later than that. This is git's "racy git" rule
//! (Documentation/technical/racy-git.txt in git's sources: an entry whose mtime is not older
//! than the index file's is not trusted), with a margin for file systems that keep times in
//! whole seconds or two (FAT) and for clocks that differ between the writer and a file server.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::folder::Folder;
use super::writer::{Guard, Mode, read_all};
use super::{Store, parse_named};
use crate::error::Result;
use crate::incident::{Brief, IncidentId};
use crate::limits::{MAX_INDEX_BYTES, MAX_RECORD_BYTES};

/// The layout of the index this build writes; another one is rebuilt.
const FORMAT: u32 = 3;

/// From how many records the files are looked at on two threads, and how many at a time.
const THREADED_FROM: usize = 256;

/// How close to the index's own time a record's change makes it untrusted, in nanoseconds.
const RACY_NANOS: i64 = 2_000_000_000;

/// The `.gitignore` written beside the index when there is none.
const GITIGNORE: &str =
    "# Written by `incident`: its index of the records is a cache, rebuilt from them.\n.index\n";

/// The index as it is on disk: read into a map of owned records, written from borrowed ones.
#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile<Records> {
    format: u32,
    /// The version of the tool that wrote it: what a brief holds may change with it.
    tool: String,
    /// In ID order.
    records: Records,
}

/// The records of an index as read.
type Records = Vec<Cached>;

/// Record files by ID and file name.
type RecordFiles = Vec<(IncidentId, String)>;

/// One record in the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cached {
    stamp: Stamp,
    brief: Brief,
}

/// What a record file's status says of its content: any write changes one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    modified: i64,
    changed: i64,
    inode: u64,
}

impl Stamp {
    // The status fields' types differ between targets.
    #[allow(clippy::unnecessary_cast)]
    fn of(stat: &rustix::fs::Stat) -> Stamp {
        let nanos = |seconds: i64, nanos: i64| seconds.saturating_mul(1_000_000_000) + nanos;
        Stamp {
            size: stat.st_size as u64,
            modified: nanos(stat.st_mtime as i64, stat.st_mtime_nsec as i64),
            changed: nanos(stat.st_ctime as i64, stat.st_ctime_nsec as i64),
            inode: stat.st_ino as u64,
        }
    }

    /// Whether the file was changed too close to `at` (nanoseconds since the epoch, on the
    /// file system's clock) for its status to tell a later change in the same tick apart.
    fn racy(&self, at: i64) -> bool {
        self.modified.max(self.changed) > at.saturating_sub(RACY_NANOS)
    }
}

impl Store<'_> {
    /// Every record in brief, sorted by ID, each with the error that stopped it instead when
    /// it does not read. Briefs come from the index where the record is unchanged, else from
    /// the record, and the index is brought up to date when it can be.
    pub fn briefs(&self) -> Result<Vec<(IncidentId, Result<Brief>)>> {
        let guard = self.guard()?;
        let Some((incidents, records)) = self.record_files(&guard)? else {
            return Ok(Vec::new());
        };
        let _reading = self.read_lock();
        let ((index, written_at), stamps) = self.index_and_stamps(&incidents, &records);
        let mut index = index.into_iter().peekable();
        let now = file_system_now();
        let mut changed = false;
        let mut entries = Vec::with_capacity(records.len());
        for ((id, name), stamp) in records.into_iter().zip(stamps) {
            // Both in ID order: what the index has before this record is of records gone.
            while index.next_if(|c| c.brief.id < id).is_some() {
                changed = true;
            }
            let cached = index.next_if(|c| c.brief.id == id);
            let (entry, differs) =
                self.refreshed(&incidents, &id, &name, (cached, stamp), written_at, now);
            changed |= differs;
            entries.push((id, entry));
        }
        if changed || index.peek().is_some() {
            let records = entries
                .iter()
                .filter_map(|(_, e)| e.as_ref().ok())
                .collect();
            // A cache: a workspace that cannot be written is listed without it.
            let _ = self.write_index(&guard, records);
        }
        Ok(entries
            .into_iter()
            .map(|(id, entry)| (id, entry.map(|cached| cached.brief)))
            .collect())
    }

    /// `incidents/` and its record files by ID, in ID order; `None` when there is no folder.
    /// What a killed writer left is finished or undone first.
    fn record_files(&self, guard: &Guard) -> Result<Option<(Folder, RecordFiles)>> {
        let Some(mut incidents) = self.incidents(guard, false)? else {
            return Ok(None);
        };
        let mut names = incidents.names()?;
        if names.iter().any(|name| super::set::is_journal(name)) {
            drop(self.lock()?);
            incidents = self.incidents(guard, false)?.unwrap_or(incidents);
            names = incidents.names()?;
        }
        let mut records: RecordFiles = names
            .into_iter()
            .filter_map(|name| {
                let name = name.into_string().ok()?;
                let id = name.strip_suffix(".yaml")?.parse().ok()?;
                Some((id, name))
            })
            .collect();
        records.sort();
        Ok(Some((incidents, records)))
    }

    /// The index (see [`Self::read_index`]) and the stamp of every record file, `None` for one
    /// that cannot be looked at. In a large workspace a second thread looks at the files while
    /// the index is read, and the first joins it once done: the files are taken
    /// [`THREADED_FROM`] at a time by whichever thread is free.
    fn index_and_stamps(
        &self,
        incidents: &Folder,
        records: &RecordFiles,
    ) -> ((Records, Option<i64>), Vec<Option<Stamp>>) {
        let stamp = |(_, name): &(IncidentId, String)| {
            let stat = incidents.stat(OsStr::new(name)).ok().flatten();
            stat.map(|stat| Stamp::of(&stat))
        };
        if records.len() < THREADED_FROM {
            return (
                self.read_index(incidents),
                records.iter().map(stamp).collect(),
            );
        }
        let pieces: Vec<_> = records.chunks(THREADED_FROM).collect();
        let taken = AtomicUsize::new(0);
        let stamp_pieces = || {
            let mut stamped = Vec::new();
            loop {
                let at = taken.fetch_add(1, Ordering::Relaxed);
                let Some(piece) = pieces.get(at) else {
                    return stamped;
                };
                stamped.push((at, piece.iter().map(stamp).collect::<Vec<_>>()));
            }
        };
        std::thread::scope(|threads| {
            let helper = threads.spawn(stamp_pieces);
            let index = self.read_index(incidents);
            let mut stamped = stamp_pieces();
            stamped.extend(
                helper
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
            stamped.sort_unstable_by_key(|(at, _)| *at);
            (index, stamped.into_iter().flat_map(|(_, s)| s).collect())
        })
    }

    /// Record `id`'s entry: `cached` when its file is unchanged since (`stamp`) and the index
    /// was written late enough to trust it, else read from the file; and whether the index
    /// must change. A record that cannot be looked at is read, and says why it cannot be.
    fn refreshed(
        &self,
        incidents: &Folder,
        id: &IncidentId,
        name: &str,
        (cached, stamp): (Option<Cached>, Option<Stamp>),
        written_at: Option<i64>,
        now: i64,
    ) -> (Result<Cached>, bool) {
        let listed = cached.is_some();
        let unchanged = cached.filter(|c| Some(c.stamp) == stamp);
        match unchanged {
            Some(cached) if written_at.is_some_and(|at| !cached.stamp.racy(at)) => {
                (Ok(cached), false)
            }
            unchanged => {
                let read = self.read_brief(incidents, id, name);
                let differs = match (&read, unchanged) {
                    // Read again only for being racy: once it no longer is, a rewrite lets
                    // the next command trust it.
                    (Ok(read), Some(old)) => *read != old || !read.stamp.racy(now),
                    (Err(_), None) => listed,
                    _ => true,
                };
                (read, differs)
            }
        }
    }

    /// A record's brief, with its stamp taken before it is read so that a change while reading
    /// shows.
    fn read_brief(&self, incidents: &Folder, id: &IncidentId, name: &str) -> Result<Cached> {
        let path = self.workspace.record_path(id);
        let file = incidents.open_file(OsStr::new(name))?.ok_or_else(|| {
            crate::error::Error::io("cannot read", &path, std::io::ErrorKind::NotFound.into())
        })?;
        let stat = rustix::fs::fstat(&file)
            .map_err(|e| crate::error::Error::io("cannot read", &path, e.into()))?;
        let text = crate::textfile::decode(&path, read_all(file, &path, MAX_RECORD_BYTES)?)?;
        let incident = parse_named(id, &path, &text)?;
        Ok(Cached {
            stamp: Stamp::of(&stat),
            brief: Brief::of(&incident),
        })
    }

    /// The index's records, in ID order, and when it was written (its modification time, on the file
    /// system's clock); empty when it is missing or unusable.
    fn read_index(&self, incidents: &Folder) -> (Records, Option<i64>) {
        let name = self.workspace.index_path();
        let read = || -> Option<(IndexFile<Records>, i64)> {
            let file = incidents.open_file(name.file_name()?).ok()??;
            let written = Stamp::of(&rustix::fs::fstat(&file).ok()?).modified;
            let bytes = read_all(file, &name, MAX_INDEX_BYTES).ok()?;
            Some((postcard::from_bytes(&bytes).ok()?, written))
        };
        match read() {
            Some((mut index, written))
                if index.format == FORMAT && index.tool == env!("CARGO_PKG_VERSION") =>
            {
                // As written, unless edited by hand: then sorted, and one entry an ID.
                index.records.sort_by(|a, b| a.brief.id.cmp(&b.brief.id));
                index.records.dedup_by(|a, b| a.brief.id == b.brief.id);
                (index.records, Some(written))
            }
            _ => (Records::new(), None),
        }
    }

    /// Replace the index with `records`, and make sure git leaves it out.
    fn write_index(&self, guard: &Guard, records: Vec<&Cached>) -> Result<()> {
        let index = IndexFile {
            format: FORMAT,
            tool: env!("CARGO_PKG_VERSION").into(),
            records,
        };
        let bytes = postcard::to_allocvec(&index)
            .map_err(|e| crate::error::Error::encode("the index", e))?;
        guard.replace_cache(&self.workspace.index_path(), &bytes)?;
        ignore_index(guard, &self.workspace.gitignore_path())
    }
}

/// Name the index in `incidents/.gitignore`: written when missing, the line added when the
/// team's own file lacks it.
fn ignore_index(guard: &Guard, path: &Path) -> Result<()> {
    match guard.read(path, MAX_RECORD_BYTES)? {
        None => guard
            .create_new(path, GITIGNORE.as_bytes(), Mode::Shared)
            .map(drop),
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            if text
                .lines()
                .any(|l| matches!(l.trim(), ".index" | "/.index"))
            {
                return Ok(());
            }
            let separator = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            let text = format!("{text}{separator}.index\n");
            guard.replace(path, text.as_bytes(), Mode::Shared)
        }
    }
}

/// Now on the clock the file system stamps files with, in nanoseconds since the epoch. Not the
/// incident clock (`--now`): this is compared with real files' times.
fn file_system_now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests;
