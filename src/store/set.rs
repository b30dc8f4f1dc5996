//! Files that change together with a record, committed together: `recipients.csv` with the
//! audience in the record, the three parts of the apology with the email summary. The new files
//! are written first, then the record; the record's rename is the moment the set changes.
//!
//! Before the first rename a journal (`incidents/.ID.…incident-journal`) names every file, its
//! temporary file and the backup its old version is moved to. A failure before the record is in
//! place puts every old file back and removes every new one; a process killed meanwhile leaves
//! the journal, and the next command that takes the workspace lock does the same from it (when
//! the record's temporary file is still there) or finishes the set (when it is gone). So no
//! reader after that command sees a new list beside an old count, or a new HTML part beside an
//! old `.eml`.

use std::ffi::{OsStr, OsString};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::folder::{BACKUP_SUFFIX, Entry, Folder, TEMP_SUFFIX};
use super::writer::Staged;
use crate::error::{Error, Result};
use crate::incident::IncidentId;
use crate::workspace::ARTIFACTS;

/// A journal's name ends with this.
pub const JOURNAL_SUFFIX: &str = ".incident-journal";

/// What a set commit does, written down before it starts.
#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    /// The record's file name and its temporary file, in `incidents/`.
    record: String,
    record_temp: String,
    files: Vec<JournalFile>,
}

/// One file of the set, in a folder directly under `incidents/`.
#[derive(Debug, Serialize, Deserialize)]
struct JournalFile {
    folder: String,
    name: String,
    temp: String,
    backup: String,
    /// Whether there was an old version to move to `backup`.
    had_old: bool,
}

/// Commit `files` (each in a folder directly under `incidents`) and then `record` (in
/// `incidents` itself) as one change. On error every file is as it was.
pub fn commit(incidents: &Folder, mut files: Vec<Staged>, mut record: Staged) -> Result<()> {
    let mut entries = Vec::new();
    for file in &files {
        let had_old = file.check_target()? == Entry::File;
        file.sync()?;
        entries.push(JournalFile {
            folder: folder_name(incidents, file.folder())?,
            name: text(file.name())?,
            temp: text(file.temp())?,
            backup: text(&Folder::backup_name(file.name()))?,
            had_old,
        });
    }
    record.check_target()?;
    record.sync()?;
    let journal = Journal {
        record: text(record.name())?,
        record_temp: text(record.temp())?,
        files: entries,
    };
    let journal_name = write_journal(incidents, &journal)?;
    // From here on the journal says what to do with every temporary file.
    for file in &mut files {
        file.release();
    }
    record.release();
    let folders: Vec<&Folder> = files.iter().map(Staged::folder).collect();
    let outcome = journal.apply(incidents, &folders);
    if faults::crashed() {
        // A test's stand-in for a process killed here: nothing more happens.
        return outcome;
    }
    let tidied = match &outcome {
        // The record is in place: the set has changed. What is left is tidying up, which the
        // next command finishes from the journal if it fails here.
        Ok(()) => journal.finish(&folders),
        Err(_) => journal.roll_back(incidents, &folders),
    };
    if faults::crashed() {
        return outcome;
    }
    if tidied.is_ok() {
        let _ = incidents
            .remove(&journal_name)
            .and_then(|()| incidents.sync());
    }
    outcome
}

/// Finish or undo every set a killed process left, from its journal. Called with the
/// workspace lock held, before anything else is read or written.
pub fn recover(incidents: &Folder) -> Result<()> {
    for name in incidents.names()? {
        if !is_journal(&name) {
            continue;
        }
        let Some(file) = incidents.open_file(&name)? else {
            continue;
        };
        let path = incidents.path().join(&name);
        let bytes = crate::limits::read_at_most(file, 1 << 20)
            .map_err(|e| Error::io("cannot read", &path, e))?
            .unwrap_or_default();
        let mut journal: Journal = serde_json::from_slice(&bytes).map_err(|e| Error::Invalid {
            path: path.clone(),
            line: Some(e.line()),
            message: format!("an interrupted write left a journal that does not parse: {e}"),
            hint: "restore incidents/ from git, then remove the journal".into(),
        })?;
        if !journal.names_only_the_tools_files() {
            return Err(Error::Invalid {
                path,
                line: None,
                message: "a journal names files the tool does not write".into(),
                hint: "remove the journal; incident recovers only the sets it wrote".into(),
            });
        }
        // A folder removed since holds nothing to put back or remove.
        let mut opened = Vec::new();
        let mut present = Vec::new();
        for file in std::mem::take(&mut journal.files) {
            if let Some(folder) = incidents.child(OsStr::new(&file.folder), false)? {
                opened.push(folder);
                present.push(file);
            }
        }
        journal.files = present;
        let folders: Vec<&Folder> = opened.iter().collect();
        let record_written = incidents.entry(OsStr::new(&journal.record_temp))? == Entry::Missing;
        if record_written {
            journal.finish(&folders)?;
        } else {
            journal.roll_back(incidents, &folders)?;
        }
        incidents.remove(&name)?;
        incidents.sync()?;
    }
    Ok(())
}

/// Whether `name` is a journal.
pub fn is_journal(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.ends_with(JOURNAL_SUFFIX))
}

impl Journal {
    /// Whether every name is one the tool writes, a plain name in its folder: a journal
    /// edited by hand must not make recovery rename anything else.
    fn names_only_the_tools_files(&self) -> bool {
        let plain = |n: &str| !n.is_empty() && n != "." && n != ".." && !n.contains('/');
        let hidden = |n: &str, suffix: &str| plain(n) && n.starts_with('.') && n.ends_with(suffix);
        let record = self
            .record
            .strip_suffix(".yaml")
            .is_some_and(|id| id.parse::<IncidentId>().is_ok());
        record
            && hidden(&self.record_temp, TEMP_SUFFIX)
            && self.files.iter().all(|f| {
                f.folder.parse::<IncidentId>().is_ok()
                    && ARTIFACTS.contains(&f.name.as_str())
                    && hidden(&f.temp, TEMP_SUFFIX)
                    && hidden(&f.backup, BACKUP_SUFFIX)
            })
    }

    /// Move each old file aside, put each new one in place, then the record.
    fn apply(&self, incidents: &Folder, folders: &[&Folder]) -> Result<()> {
        for (i, (file, folder)) in self.files.iter().zip(folders).enumerate() {
            if file.had_old {
                faults::hit("backup", i).and_then(|()| {
                    folder.rename(OsStr::new(&file.name), OsStr::new(&file.backup))
                })?;
            }
            faults::hit("file", i)
                .and_then(|()| folder.rename(OsStr::new(&file.temp), OsStr::new(&file.name)))?;
        }
        for folder in folders {
            folder.sync()?;
        }
        faults::hit("record", 0).and_then(|()| {
            incidents.rename(OsStr::new(&self.record_temp), OsStr::new(&self.record))
        })?;
        incidents.sync()
    }

    /// Undo [`Journal::apply`] up to wherever it got: old files back, new ones removed.
    fn roll_back(&self, incidents: &Folder, folders: &[&Folder]) -> Result<()> {
        for (file, folder) in self.files.iter().zip(folders).rev() {
            let name = OsStr::new(&file.name);
            if folder.entry(OsStr::new(&file.backup))? == Entry::File {
                folder.rename(OsStr::new(&file.backup), name)?;
            } else if !file.had_old {
                folder.remove(name)?;
            }
            folder.remove(OsStr::new(&file.temp))?;
            folder.sync()?;
        }
        incidents.remove(OsStr::new(&self.record_temp))
    }

    /// The record is in place: remove the old versions and any temporary file left.
    fn finish(&self, folders: &[&Folder]) -> Result<()> {
        for (i, (file, folder)) in self.files.iter().zip(folders).enumerate() {
            faults::hit("tidy", i)?;
            folder.remove(OsStr::new(&file.backup))?;
            folder.remove(OsStr::new(&file.temp))?;
            folder.sync()?;
        }
        Ok(())
    }
}

/// Write the journal atomically; returns its name.
fn write_journal(incidents: &Folder, journal: &Journal) -> Result<OsString> {
    let json = serde_json::to_vec(journal).map_err(|e| Error::encode("the journal", e))?;
    let name = OsString::from(format!(".{}{JOURNAL_SUFFIX}", journal.record));
    let path = incidents.path().join(&name);
    let mut staged = Staged::create(
        incidents.try_clone()?,
        name.clone(),
        &path,
        super::writer::Mode::Shared,
    )?;
    staged.write_all(&json)?;
    staged.commit()?;
    Ok(name)
}

/// The name of `folder` under `incidents`, from the path it was reached by.
fn folder_name(incidents: &Folder, folder: &Folder) -> Result<String> {
    let relative = folder
        .path()
        .strip_prefix(incidents.path())
        .ok()
        .filter(|r| r.components().count() == 1)
        .ok_or_else(|| super::folder::refused(folder.path(), "is not an incident's folder"))?;
    text(relative.as_os_str())
}

fn text(name: &OsStr) -> Result<String> {
    name.to_str()
        .map(str::to_string)
        .ok_or_else(|| super::folder::refused(Path::new(name), "is not a UTF-8 file name"))
}

/// Failures injected at each step of a set commit, to test that every step can fail, or the
/// process die there, without leaving a mixed set. Only test builds have them.
#[cfg(test)]
pub mod faults {
    use std::cell::Cell;

    thread_local! {
        static AT: Cell<Option<(&'static str, usize, bool)>> = const { Cell::new(None) };
        static CRASHED: Cell<bool> = const { Cell::new(false) };
    }

    /// Make the `n`th step named `point` (`backup`, `file`, `record` or `tidy`) fail once, with
    /// ENOSPC, on this thread.
    pub fn fail_at(point: &'static str, n: usize) {
        AT.with(|at| at.set(Some((point, n, false))));
    }

    /// Make the commit stop dead at the `n`th step named `point`, as a killed process would.
    pub fn crash_at(point: &'static str, n: usize) {
        AT.with(|at| at.set(Some((point, n, true))));
    }

    pub(super) fn hit(point: &'static str, n: usize) -> crate::error::Result<()> {
        let Some((at, i, crash)) = AT.with(Cell::get) else {
            return Ok(());
        };
        if (at, i) != (point, n) {
            return Ok(());
        }
        AT.with(|at| at.set(None));
        CRASHED.with(|c| c.set(crash));
        Err(crate::error::Error::io(
            "cannot write",
            format!("({point} {n})"),
            std::io::Error::from(std::io::ErrorKind::StorageFull),
        ))
    }

    /// Whether the last hit was a crash (and forget it).
    pub(super) fn crashed() -> bool {
        CRASHED.with(|c| c.replace(false))
    }
}

#[cfg(not(test))]
mod faults {
    #[inline(always)]
    pub(super) fn hit(_: &'static str, _: usize) -> crate::error::Result<()> {
        Ok(())
    }

    #[inline(always)]
    pub(super) fn crashed() -> bool {
        false
    }
}
