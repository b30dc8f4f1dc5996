//! Records on disk: one YAML file per incident under `incidents/`, written atomically (temporary
//! file, fsync, rename), changed only under one workspace lock so concurrent invocations never
//! lose an update or share an ID. A record that does not parse is reported and never
//! overwritten; a record from a newer version of the tool is refused.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::incident::{Incident, IncidentId, Opening, SCHEMA_VERSION};
use crate::workspace::Workspace;
use crate::yaml_lines::{error_line, error_message};

/// Held while a record is read, changed and written; released on drop.
pub struct WorkspaceLock {
    _file: File,
}

/// Access to the records of a workspace.
pub struct Store<'a> {
    workspace: &'a Workspace,
}

impl<'a> Store<'a> {
    /// The records of `workspace`.
    pub fn new(workspace: &'a Workspace) -> Self {
        Store { workspace }
    }

    /// Take the workspace lock, waiting for other invocations to finish their write.
    pub fn lock(&self) -> Result<WorkspaceLock> {
        let dir = self.workspace.incidents_dir();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
        let path = self.workspace.lock_path();
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("cannot open lock file", &path, e))?;
        file.lock()
            .map_err(|e| Error::io("cannot lock", &path, e))?;
        sweep_orphaned_temp_files(&dir);
        Ok(WorkspaceLock { _file: file })
    }

    /// Read one record.
    pub fn load(&self, id: &IncidentId) -> Result<Incident> {
        let path = self.workspace.record_path(id);
        if !path.exists() {
            return Err(Error::NotFound {
                id: id.to_string(),
                dir: self.workspace.incidents_dir(),
            });
        }
        let incident = load_path(&path)?;
        if &incident.id != id {
            return Err(Error::Invalid {
                path,
                line: crate::yaml_lines::locate(&read(&self.workspace.record_path(id))?, &["id"]),
                message: format!(
                    "the record's id {} does not match its file name",
                    incident.id
                ),
                hint: "rename the file or correct the id; `incident check` lists such problems"
                    .into(),
            });
        }
        Ok(incident)
    }

    /// The IDs of every record file, sorted, whether or not it parses.
    pub fn ids(&self) -> Result<Vec<IncidentId>> {
        let dir = self.workspace.incidents_dir();
        let listing = match std::fs::read_dir(&dir) {
            Ok(listing) => listing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("cannot list", dir, e)),
        };
        let mut ids = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|e| Error::io("cannot list", &dir, e))?;
            let name = entry.file_name();
            let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".yaml")) else {
                continue;
            };
            if let Ok(id) = stem.parse::<IncidentId>() {
                ids.push(id);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Every record, each loaded or with the error that stopped it.
    pub fn load_all(&self) -> Result<Vec<(IncidentId, Result<Incident>)>> {
        Ok(self
            .ids()?
            .into_iter()
            .map(|id| {
                let record = self.load(&id);
                (id, record)
            })
            .collect())
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
        Ok(IncidentId::new(date, last + 1))
    }

    /// Open a new incident: allocate its ID and write its record, both under the lock.
    pub fn create(&self, opening: Opening) -> Result<Incident> {
        let _lock = self.lock()?;
        let id = self.next_id(opening.at)?;
        let incident = Incident::open(id, opening);
        self.write(&incident)?;
        Ok(incident)
    }

    /// Change a record under the lock: read it fresh, apply `change`, write it back. Nothing is
    /// written when `change` fails.
    pub fn update<T>(
        &self,
        id: &IncidentId,
        change: impl FnOnce(&mut Incident) -> Result<T>,
    ) -> Result<(Incident, T)> {
        let _lock = self.lock()?;
        let mut incident = self.load(id)?;
        let out = change(&mut incident)?;
        self.write(&incident)?;
        Ok((incident, out))
    }

    /// Write a record atomically: a reader or a crash sees the old file or the new one, never
    /// a part of one.
    fn write(&self, incident: &Incident) -> Result<()> {
        let path = self.workspace.record_path(&incident.id);
        let yaml = to_yaml(incident)?;
        write_atomic(&path, yaml.as_bytes())
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

/// Write `bytes` to `path` through a temporary file in the same folder, fsync, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
    }
    let mut file = atomic_write_file::AtomicWriteFile::open(path)
        .map_err(|e| Error::io("cannot write", path, e))?;
    file.write_all(bytes)
        .map_err(|e| Error::io("cannot write", path, e))?;
    file.commit()
        .map_err(|e| Error::io("cannot write", path, e))
}

/// A file written atomically and readable by its owner only (mode 0600), for lists of
/// people's addresses: nothing appears at the path until [`PrivateFile::commit`], and a file
/// dropped uncommitted leaves no trace. Large outputs stream into it instead of being built
/// in memory first.
pub struct PrivateFile {
    path: PathBuf,
    file: atomic_write_file::AtomicWriteFile,
}

impl PrivateFile {
    /// Start writing `path`, creating its folder when needed.
    pub fn create(path: &Path) -> Result<PrivateFile> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        let mut options = atomic_write_file::AtomicWriteFile::options();
        #[cfg(unix)]
        {
            use atomic_write_file::unix::OpenOptionsExt as _;
            use std::os::unix::fs::OpenOptionsExt as _;
            // Never inherit a wider mode from the file being replaced.
            options.preserve_mode(false).mode(0o600);
        }
        let file = options
            .open(path)
            .map_err(|e| Error::io("cannot write", path, e))?;
        #[cfg(unix)]
        {
            // Set explicitly, before the first byte: the mode above is subject to the umask.
            use std::os::unix::fs::PermissionsExt as _;
            file.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io("cannot write", path, e))?;
        }
        Ok(PrivateFile {
            path: path.to_path_buf(),
            file,
        })
    }

    /// The file to write into (buffer it: every call is a system call).
    pub fn writer(&mut self) -> &mut impl std::io::Write {
        &mut self.file
    }

    /// Make the file appear at its path, replacing any old one in one step.
    pub fn commit(self) -> Result<()> {
        self.file
            .commit()
            .map_err(|e| Error::io("cannot write", &self.path, e))
    }
}

/// Every write happens under the lock, so a temporary file found while holding it belongs to
/// a writer that was killed mid-commit: remove it. Best effort; a leftover harms nothing.
fn sweep_orphaned_temp_files(dir: &Path) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in listing.flatten() {
        let name = entry.file_name();
        let orphan = name
            .to_str()
            .is_some_and(|n| n.starts_with(".INC-") && n.contains(".yaml."));
        if orphan {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))
}

/// Read and check one record file.
pub fn load_path(path: &Path) -> Result<Incident> {
    #[derive(Deserialize)]
    struct Version {
        schema_version: Option<u32>,
    }
    let text = read(path)?;
    let invalid = |e: serde_yaml::Error| {
        Error::Invalid {
        path: PathBuf::from(path),
        line: error_line(&e),
        message: error_message(&e),
        hint: "the record was left untouched; fix it by hand (git diff shows what changed) and run `incident check`"
            .into(),
    }
    };
    let version: Version = serde_yaml::from_str(&text).map_err(invalid)?;
    match version.schema_version {
        Some(found) if found > SCHEMA_VERSION => {
            return Err(Error::SchemaTooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        _ => {}
    }
    serde_yaml::from_str(&text).map_err(invalid)
}
