//! Records on disk: one YAML file per incident under `incidents/`, changed only under one
//! workspace lock so concurrent invocations never lose an update or share an ID. Every file the
//! tool writes goes through the guarded writer ([`writer`]): inside the workspace, never
//! through a symbolic link, atomically, with the mode its kind needs. Files that change with a
//! record (the recipient list, the apology) commit with it as one set ([`set`]), and what a
//! killed writer left is finished or undone, and swept, by the next command that takes the lock
//! ([`sweep`]). A record that does not parse is reported and never overwritten; a record from
//! a newer version of the tool is refused.

mod audit;
mod folder;
mod index;
mod out;
mod set;
mod sweep;
#[cfg(test)]
mod tests;
mod writer;

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::incident::{Incident, IncidentId, Opening, SCHEMA_VERSION};
use crate::limits::{MAX_RECORD_BYTES, mebibytes};
use crate::workspace::Workspace;
use crate::yaml_lines::{error_line, error_message};

pub use audit::Audit;
pub use folder::Entry;
#[cfg(test)]
pub use set::faults;
pub use sweep::{Leftover, LeftoverKind};
pub use writer::{Mode, Staged};

use folder::Folder;
use writer::Guard;

/// Held while a record is read, changed and written; released on drop.
pub struct WorkspaceLock {
    _file: File,
}

/// Access to the records of a workspace, and the one way to write any file in it.
pub struct Store<'a> {
    workspace: &'a Workspace,
    /// The workspace root as first opened: every later guard starts from it rather than
    /// resolving the root's path again (`check` opens five a record).
    root: OnceLock<Guard>,
}

impl<'a> Store<'a> {
    /// The records of `workspace`.
    pub fn new(workspace: &'a Workspace) -> Self {
        Store {
            workspace,
            root: OnceLock::new(),
        }
    }

    fn guard(&self) -> Result<Guard> {
        if let Some(root) = self.root.get() {
            return root.try_clone();
        }
        let guard = Guard::open(&self.workspace.root)?;
        // Another thread may have opened it meanwhile: either serves.
        let _ = self.root.set(guard.try_clone()?);
        Ok(guard)
    }

    /// `incidents/`, created when missing and `create`.
    fn incidents(&self, guard: &Guard, create: bool) -> Result<Option<Folder>> {
        guard.folder(&self.workspace.incidents_dir(), create)
    }

    /// Take the workspace lock, waiting for other invocations to finish their write. Holding
    /// it, finish or undo any set a killed writer left and remove its temporary files.
    pub fn lock(&self) -> Result<WorkspaceLock> {
        let (incidents, file) = self.lock_file()?;
        file.lock()
            .map_err(|e| Error::io("cannot lock", self.workspace.lock_path(), e))?;
        set::recover(&incidents)?;
        sweep::sweep(&incidents);
        Ok(WorkspaceLock { _file: file })
    }

    /// The lock shared with other writers that are only preparing files, so that none of
    /// their new temporary files is taken for a leftover by a sweep.
    fn lock_shared(&self) -> Result<WorkspaceLock> {
        let (_, file) = self.lock_file()?;
        file.lock_shared()
            .map_err(|e| Error::io("cannot lock", self.workspace.lock_path(), e))?;
        Ok(WorkspaceLock { _file: file })
    }

    fn lock_file(&self) -> Result<(Folder, File)> {
        let guard = self.guard()?;
        let incidents = self.incidents(&guard, true)?.ok_or_else(|| {
            Error::io(
                "cannot create",
                self.workspace.incidents_dir(),
                std::io::ErrorKind::NotFound.into(),
            )
        })?;
        let lock = self.workspace.lock_path();
        let name = lock.file_name().unwrap_or(OsStr::new(".lock"));
        let file = incidents.open_lock(name)?;
        Ok((incidents, file))
    }

    /// Read one record. A set of files left half-committed by a killed writer is finished or
    /// undone first, and a set being committed is waited for, so what is read matches the
    /// files beside it.
    pub fn load(&self, id: &IncidentId) -> Result<Incident> {
        self.recover_interrupted(id)?;
        let _reading = self.read_lock();
        self.load_unlocked(id)
    }

    /// A record and the distinct addresses of its recipient list, read as one: never a list
    /// of one commit beside the record of another.
    pub fn load_with_recipients(&self, id: &IncidentId) -> Result<(Incident, Option<u64>)> {
        self.recover_interrupted(id)?;
        let _reading = self.read_lock();
        Ok((self.load_unlocked(id)?, self.recipients(id)?))
    }

    /// Finish or undo the set a killed writer left for `id`, if it left one.
    fn recover_interrupted(&self, id: &IncidentId) -> Result<()> {
        let journal = self
            .workspace
            .incidents_dir()
            .join(format!(".{id}.yaml{}", set::JOURNAL_SUFFIX));
        if self.guard()?.entry(&journal)? == Entry::File {
            drop(self.lock()?);
        }
        Ok(())
    }

    /// The lock shared with other readers, held while files that change together are read.
    /// Best effort: a workspace without records, or one that cannot be locked (read-only), is
    /// read as it is.
    fn read_lock(&self) -> Option<WorkspaceLock> {
        let guard = self.guard().ok()?;
        let incidents = self.incidents(&guard, false).ok()??;
        let lock = self.workspace.lock_path();
        let file = incidents
            .open_lock(lock.file_name().unwrap_or(OsStr::new(".lock")))
            .ok()?;
        file.lock_shared().ok()?;
        Some(WorkspaceLock { _file: file })
    }

    /// Read one record, whatever state the files beside it are in.
    fn load_unlocked(&self, id: &IncidentId) -> Result<Incident> {
        let path = self.workspace.record_path(id);
        let Some(text) = self.read_text(&path)? else {
            return Err(Error::NotFound {
                id: id.to_string(),
                dir: self.workspace.incidents_dir(),
            });
        };
        parse_named(id, &path, &text)
    }

    /// The text of a file in the workspace, read through the guard; `None` when missing.
    pub fn read_text(&self, path: &Path) -> Result<Option<String>> {
        match self.guard()?.read(path, MAX_RECORD_BYTES)? {
            Some(bytes) => crate::textfile::decode(path, bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Read and check a record file by its path (one not named like a record, too).
    pub fn load_file(&self, path: &Path) -> Result<Incident> {
        let text = self
            .read_text(path)?
            .ok_or_else(|| Error::io("cannot read", path, std::io::ErrorKind::NotFound.into()))?;
        parse_record(path, &text)
    }

    /// The IDs of every record file, sorted, whether or not it parses.
    pub fn ids(&self) -> Result<Vec<IncidentId>> {
        let Some(incidents) = self.incidents(&self.guard()?, false)? else {
            return Ok(Vec::new());
        };
        let mut ids: Vec<IncidentId> = incidents
            .names()?
            .iter()
            .filter_map(|name| name.to_str()?.strip_suffix(".yaml")?.parse().ok())
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The ID the next incident opened at `at` gets: the day is the workspace's local date, the
    /// one the team sees on its calendar.
    pub fn next_id(&self, at: DateTime<Utc>) -> Result<IncidentId> {
        let date = self.workspace.local_date(at);
        let last = self
            .ids()?
            .into_iter()
            .filter(|id| id.date() == date)
            .map(|id| id.sequence())
            .max()
            .unwrap_or(0);
        IncidentId::after(date, last).ok_or_else(|| Error::State {
            message: format!("the workspace has no incident ID left for {date}"),
            hint: "open it with another --now day, or in another workspace".into(),
        })
    }

    /// Open a new incident: allocate its ID and write its record, both under the lock. An ID
    /// whose file exists, readable or not, is never reused.
    pub fn create(&self, opening: Opening) -> Result<Incident> {
        let _lock = self.lock()?;
        let id = self.next_id(opening.at)?;
        let incident = Incident::open(id, opening);
        let path = self.workspace.record_path(&incident.id);
        let bytes = self.record_bytes(&incident)?;
        if !self.guard()?.create_new(&path, &bytes, Mode::Shared)? {
            return Err(Error::State {
                message: format!(
                    "{} exists already but cannot be read as a record",
                    path.display()
                ),
                hint: "`incident check` says what is wrong with it".into(),
            });
        }
        Ok(incident)
    }

    /// Change a record under the lock: read it fresh, apply `change`, write it back. Nothing is
    /// written when `change` fails.
    pub fn update<T>(
        &self,
        id: &IncidentId,
        change: impl FnOnce(&mut Incident) -> Result<T>,
    ) -> Result<(Incident, T)> {
        self.update_with(id, Vec::new(), change)
    }

    /// [`Store::update`] with files that change together with the record (each in the
    /// incident's folder, prepared with [`Store::stage`]): all of them and the record, or
    /// none. On any error every file is as it was.
    pub fn update_with<T>(
        &self,
        id: &IncidentId,
        files: Vec<Staged>,
        change: impl FnOnce(&mut Incident) -> Result<T>,
    ) -> Result<(Incident, T)> {
        let _lock = self.lock()?;
        let mut incident = self.load_unlocked(id)?;
        let out = change(&mut incident)?;
        let guard = self.guard()?;
        let mut record = guard.stage(&self.workspace.record_path(id), Mode::Shared)?;
        record.write_all(&self.record_bytes(&incident)?)?;
        if files.is_empty() {
            record.commit()?;
        } else {
            let incidents = self.incidents(&guard, false)?.ok_or_else(|| {
                Error::io(
                    "cannot open",
                    self.workspace.incidents_dir(),
                    std::io::ErrorKind::NotFound.into(),
                )
            })?;
            set::commit(&incidents, files, record)?;
        }
        Ok((incident, out))
    }

    /// Start writing a file that will change together with a record (see
    /// [`Store::update_with`]): a temporary file beside `path`, which nothing else removes
    /// meanwhile. Call it before the update, not inside it.
    pub fn stage(&self, path: &Path, mode: Mode) -> Result<Staged> {
        let _shared = self.lock_shared()?;
        self.guard()?.stage(path, mode)
    }

    /// Write a file that only `incident init` makes, only if nothing is at `path`:
    /// `Ok(false)` when something is (it is never replaced).
    pub fn create_file(&self, path: &Path, bytes: &[u8]) -> Result<bool> {
        self.guard()?.create_new(path, bytes, Mode::Shared)
    }

    /// What is at `path` in the workspace, checked on the way: a link in a folder of the path
    /// is an error, a link at the end an [`Entry::Link`].
    pub fn entry(&self, path: &Path) -> Result<Entry> {
        self.guard()?.entry(path)
    }

    /// Refuse a `--out` path before the report is made (see [`out::check`]).
    pub fn check_out(&self, path: &Path) -> Result<()> {
        out::check(self.workspace, path)
    }

    /// Write a document (`incident report --out`) to `path`: inside the workspace through the
    /// guard and never over a file the tool owns; outside it only as a new file.
    pub fn write_out(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        out::write(self.workspace, &self.guard()?, path, bytes)
    }

    /// The distinct addresses in an incident's `recipients.csv`, `None` when there is none.
    /// A link or anything but a regular file there is refused, not read.
    pub fn recipients(&self, id: &IncidentId) -> Result<Option<u64>> {
        let path = self.workspace.recipients_path(id);
        match self.entry(&path)? {
            Entry::Missing => Ok(None),
            Entry::File => crate::audience::count_recipients(&path),
            Entry::Link => Err(folder::refused(&path, "is a symbolic link")),
            Entry::Folder | Entry::Other => Err(folder::refused(&path, "is not a regular file")),
        }
    }

    /// What interrupted writes left, for `incident check`.
    pub fn leftovers(&self) -> Result<Vec<Leftover>> {
        match self.incidents(&self.guard()?, false)? {
            Some(incidents) => Ok(sweep::find(&incidents)),
            None => Ok(Vec::new()),
        }
    }

    /// A record as bytes, refused when it would be too large to read back.
    fn record_bytes(&self, incident: &Incident) -> Result<Vec<u8>> {
        let yaml = to_yaml(incident)?;
        if yaml.len() > MAX_RECORD_BYTES {
            return Err(Error::State {
                message: format!(
                    "{}'s record would be larger than {}; nothing was written",
                    incident.id,
                    mebibytes(MAX_RECORD_BYTES)
                ),
                hint: "shorten the notes or answers, or split the incident".into(),
            });
        }
        Ok(yaml.into_bytes())
    }
}

/// A record as it is written to disk. A failure stops the write: nothing half-made replaces a
/// record.
pub fn to_yaml(incident: &Incident) -> Result<String> {
    let body = serde_yaml::to_string(incident).map_err(|e| Error::encode("the record", e))?;
    Ok(format!(
        "# Incident record written by `incident`. Plain YAML, safe to keep in git;\n\
         # change it with the incident commands, and run `incident check` after a hand edit.\n{body}"
    ))
}

/// Parse the text of record `id`, whose file must be named by its id.
fn parse_named(id: &IncidentId, path: &Path, text: &str) -> Result<Incident> {
    let incident = parse_record(path, text)?;
    if &incident.id != id {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: crate::yaml_lines::locate(text, &["id"]),
            message: format!(
                "the record's id {} does not match its file name",
                incident.id
            ),
            hint: "rename the file or correct the id; `incident check` lists such problems".into(),
        });
    }
    Ok(incident)
}

/// Parse and check the text of one record file; `path` names it in errors.
pub fn parse_record(path: &Path, text: &str) -> Result<Incident> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: Option<u32>,
    }
    let invalid = |e: serde_yaml::Error| {
        Error::Invalid {
        path: PathBuf::from(path),
        line: error_line(&e),
        message: error_message(&e),
        hint: "the record was left untouched; fix it by hand (git diff shows what changed) and run `incident check`"
            .into(),
    }
    };
    // Parsed once; the version is looked at alone only to explain a failure, or a record that
    // parses but is newer than this build.
    let too_new = |found: Option<u32>| match found {
        Some(found) if found > SCHEMA_VERSION => Some(Error::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }),
        _ => None,
    };
    match serde_yaml::from_str::<Incident>(text) {
        Ok(mut incident) => match too_new(Some(incident.schema_version)) {
            Some(err) => Err(err),
            None => {
                // An older layout reads as the current one (each addition is optional), and
                // is written back as it.
                incident.schema_version = SCHEMA_VERSION;
                Ok(incident)
            }
        },
        Err(err) => {
            let version: Version = serde_yaml::from_str(text).map_err(invalid)?;
            Err(too_new(version.schema_version).unwrap_or_else(|| invalid(err)))
        }
    }
}
