//! The one guarded writer every file of the tool goes through. A target is resolved from the
//! workspace root one folder at a time, each opened relative to the one before and never
//! through a symbolic link; the file is written to a temporary file beside it, synced, and
//! renamed into place, so a reader or a crash sees the old file or the new one. The mode is the
//! kind of file's, never inherited from what is replaced: records and reports as the umask
//! makes new files (0644 under the usual 022), lists of people's addresses 0600.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::folder::{Entry, Folder, refused};
use crate::error::{Error, Result};
use crate::limits::mebibytes;

/// Who may read a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Whoever the umask lets: records, the apology, reports, copied templates.
    Shared,
    /// The owner only (0600): lists of people's addresses.
    Private,
}

impl Mode {
    /// The mode a new file is created with, before the umask.
    fn bits(self) -> u32 {
        match self {
            Mode::Shared => 0o666,
            Mode::Private => 0o600,
        }
    }
}

/// The workspace, opened for guarded reads and writes.
pub struct Guard {
    root: Folder,
}

impl Guard {
    /// Open the workspace at `root`. The root itself may be reached through a link (the user
    /// chose it); nothing below it is.
    pub fn open(root: &Path) -> Result<Guard> {
        Ok(Guard {
            root: Folder::open(root)?,
        })
    }

    /// Another guard on the same opened root.
    pub fn try_clone(&self) -> Result<Guard> {
        Ok(Guard {
            root: self.root.try_clone()?,
        })
    }

    /// The folder at `path` (the workspace root joined with plain names), never through a
    /// link: created when missing and `create`, else `None` when missing.
    pub fn folder(&self, path: &Path, create: bool) -> Result<Option<Folder>> {
        let mut folder = self.root.try_clone()?;
        for name in self.names(path)? {
            match folder.child(name, create)? {
                Some(child) => folder = child,
                None => return Ok(None),
            }
        }
        Ok(Some(folder))
    }

    /// The folder that holds the file at `path`, and the file's name.
    pub fn parent(&self, path: &Path, create: bool) -> Result<Option<(Folder, OsString)>> {
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(refused(path, "is not a file in the workspace"));
        };
        Ok(self
            .folder(folder, create)?
            .map(|folder| (folder, name.to_os_string())))
    }

    /// What is at `path`, its folders checked on the way: `Missing` when a folder is.
    pub fn entry(&self, path: &Path) -> Result<Entry> {
        match self.parent(path, false)? {
            Some((folder, name)) => folder.entry(&name),
            None => Ok(Entry::Missing),
        }
    }

    /// The bytes of the regular file at `path`, at most `limit`; `None` when it is missing.
    pub fn read(&self, path: &Path, limit: usize) -> Result<Option<Vec<u8>>> {
        let Some((folder, name)) = self.parent(path, false)? else {
            return Ok(None);
        };
        match folder.open_file(&name)? {
            Some(file) => read_all(file, path, limit).map(Some),
            None => Ok(None),
        }
    }

    /// Start writing the file at `path`: a temporary file beside it, locked so that no other
    /// invocation removes it as a leftover, folders made as needed.
    pub fn stage(&self, path: &Path, mode: Mode) -> Result<Staged> {
        let Some((folder, name)) = self.parent(path, true)? else {
            return Err(refused(path, "has no folder"));
        };
        Staged::create(folder, name, path, mode)
    }

    /// Replace the file at `path` with `bytes`, atomically.
    pub fn replace(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
        let mut staged = self.stage(path, mode)?;
        staged.write_all(bytes)?;
        staged.commit()
    }

    /// Replace a cache at `path` with `bytes`, atomically but not durably: a crash may lose it
    /// or leave it torn, which its reader takes for a cache to rebuild. Not syncing spares a
    /// read-only command the wait for the disk.
    pub fn replace_cache(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let mut staged = self.stage(path, Mode::Shared)?;
        staged.write_all(bytes)?;
        staged.check_target()?;
        staged.folder.rename(&staged.temp, &staged.name)?;
        staged.handed_over = true;
        Ok(())
    }

    /// Write `bytes` to `path` only if nothing is there: `Ok(false)` when something is.
    pub fn create_new(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<bool> {
        let mut staged = self.stage(path, mode)?;
        staged.write_all(bytes)?;
        staged.commit_new()
    }

    /// The plain names that lead from the root to `path`, which must be the root joined with
    /// them (as every [`Workspace`](crate::workspace::Workspace) path is).
    fn names<'p>(&self, path: &'p Path) -> Result<Vec<&'p OsStr>> {
        let relative = path
            .strip_prefix(self.root.path())
            .map_err(|_| refused(path, "is outside the workspace"))?;
        relative
            .components()
            .filter(|c| *c != Component::CurDir)
            .map(|c| match c {
                Component::Normal(name) => Ok(name),
                _ => Err(refused(path, "is not a plain path inside the workspace")),
            })
            .collect()
    }
}

/// The bytes of an open `file` (at `path`), at most `limit`.
pub fn read_all(file: File, path: &Path, limit: usize) -> Result<Vec<u8>> {
    let bytes =
        crate::limits::read_at_most(file, limit).map_err(|e| Error::io("cannot read", path, e))?;
    bytes.ok_or_else(|| Error::Invalid {
        path: path.to_path_buf(),
        line: None,
        message: format!("is larger than {}", mebibytes(limit)),
        hint: "the tool never writes a file this large; restore it from git".into(),
    })
}

/// A file being written: a temporary file beside its target, removed again unless committed.
pub struct Staged {
    folder: Folder,
    temp: OsString,
    name: OsString,
    path: PathBuf,
    file: File,
    /// Whether the temporary file was handed over (renamed, or left to a journal).
    handed_over: bool,
}

impl Staged {
    /// A temporary file for `name` in `folder`.
    pub fn create(folder: Folder, name: OsString, path: &Path, mode: Mode) -> Result<Staged> {
        let (file, temp) = folder.create_temp(&name, mode.bits())?;
        let staged = Staged {
            folder,
            temp,
            name,
            path: path.to_path_buf(),
            file,
            handed_over: false,
        };
        if mode == Mode::Private {
            // Set explicitly: the mode given at creation is only an upper bound.
            use std::os::unix::fs::PermissionsExt as _;
            staged
                .file
                .set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|e| Error::io("cannot write", path, e))?;
        }
        staged
            .file
            .lock()
            .map_err(|e| Error::io("cannot lock", path, e))?;
        Ok(staged)
    }

    /// The file to write into (buffer it: every call is a system call).
    pub fn writer(&mut self) -> &mut File {
        &mut self.file
    }

    /// Write all of `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io("cannot write", &self.path, e))
    }

    /// The target path, as named.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Make what was written durable before it is put in place.
    pub(super) fn sync(&self) -> Result<()> {
        self.file
            .sync_all()
            .map_err(|e| Error::io("cannot write", &self.path, e))
    }

    /// The folder the file is written in.
    pub(super) fn folder(&self) -> &Folder {
        &self.folder
    }

    /// The target's name in its folder.
    pub(super) fn name(&self) -> &OsStr {
        &self.name
    }

    /// The temporary file's name in the same folder.
    pub(super) fn temp(&self) -> &OsStr {
        &self.temp
    }

    /// Leave the temporary file to whoever renames it: a journal now names it.
    pub(super) fn release(&mut self) {
        self.handed_over = true;
    }

    /// Refuse to replace a link, a folder or a device at the target.
    pub(super) fn check_target(&self) -> Result<Entry> {
        match self.folder.entry(&self.name)? {
            Entry::Link => Err(refused(&self.path, "is a symbolic link")),
            Entry::Folder => Err(refused(&self.path, "is a folder")),
            Entry::Other => Err(refused(&self.path, "is not a regular file")),
            found => Ok(found),
        }
    }

    /// Put the file in place alone, replacing what was there in one step.
    pub fn commit(mut self) -> Result<()> {
        self.sync()?;
        self.check_target()?;
        self.folder.rename(&self.temp, &self.name)?;
        self.handed_over = true;
        self.folder.sync()
    }

    /// Put the file in place only if nothing is at its path: `Ok(false)` when something is.
    pub fn commit_new(self) -> Result<bool> {
        self.sync()?;
        let linked = self.folder.link_new(&self.temp, &self.name)?;
        if linked {
            self.folder.sync()?;
        }
        // Drop removes the temporary name; the file lives on under its own.
        Ok(linked)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.handed_over {
            let _ = self.folder.remove(&self.temp);
        }
    }
}
