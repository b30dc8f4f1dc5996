//! A folder held open by its file descriptor, and everything the guarded writer does in it
//! relative to that descriptor: open a sub-folder or a file without following a symbolic link,
//! create a temporary file, rename, link, remove. Because every step starts from a folder that
//! is already open, a link swapped in along the path cannot redirect a write.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::error::{Error, Result};

/// Temporary files end with this: a file being written, not yet in place.
pub const TEMP_SUFFIX: &str = ".incident-tmp";

/// The old version of a file, kept while a set of files is replaced, ends with this.
pub const BACKUP_SUFFIX: &str = ".incident-old";

/// What is at a name in a folder, looked at without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Missing,
    File,
    Folder,
    Link,
    /// A FIFO, a device or a socket.
    Other,
}

/// An open folder, with the path it was reached by (for messages).
#[derive(Debug)]
pub struct Folder {
    fd: OwnedFd,
    path: PathBuf,
}

impl Folder {
    /// Open the folder at `path`, following links: the workspace root, or a folder outside
    /// the workspace that the user named.
    pub fn open(path: &Path) -> Result<Folder> {
        let fd = rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| Error::io("cannot open", path, e.into()))?;
        Ok(Folder {
            fd,
            path: path.to_path_buf(),
        })
    }

    /// The path this folder was reached by.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second handle on the same folder.
    pub fn try_clone(&self) -> Result<Folder> {
        Ok(Folder {
            fd: self
                .fd
                .try_clone()
                .map_err(|e| Error::io("cannot open", &self.path, e))?,
            path: self.path.clone(),
        })
    }

    /// What is at `name`, without following a link.
    pub fn entry(&self, name: &OsStr) -> Result<Entry> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(match FileType::from_raw_mode(stat.st_mode) {
                FileType::RegularFile => Entry::File,
                FileType::Directory => Entry::Folder,
                FileType::Symlink => Entry::Link,
                _ => Entry::Other,
            }),
            Err(Errno::NOENT) => Ok(Entry::Missing),
            Err(e) => Err(Error::io("cannot look at", self.path.join(name), e.into())),
        }
    }

    /// The sub-folder `name`, never through a link; created when missing and `create`.
    /// `None` when it is missing and not created.
    pub fn child(&self, name: &OsStr, create: bool) -> Result<Option<Folder>> {
        let path = self.path.join(name);
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        loop {
            match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
                Ok(fd) => return Ok(Some(Folder { fd, path })),
                Err(Errno::NOENT) if create => {
                    match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o777)) {
                        // Made meanwhile by another writer: open it on the next turn.
                        Ok(()) | Err(Errno::EXIST) => continue,
                        Err(e) => return Err(Error::io("cannot create", &path, e.into())),
                    }
                }
                Err(Errno::NOENT) => return Ok(None),
                Err(e) => {
                    return Err(match self.entry(name)? {
                        Entry::Link => refused(&path, "is a symbolic link"),
                        Entry::File | Entry::Other => refused(&path, "is not a folder"),
                        Entry::Folder | Entry::Missing => Error::io("cannot open", &path, e.into()),
                    });
                }
            }
        }
    }

    /// The status of `name`, without following a link; `None` when it is missing.
    pub fn stat(&self, name: &OsStr) -> Result<Option<rustix::fs::Stat>> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(stat)),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(Error::io("cannot look at", self.path.join(name), e.into())),
        }
    }

    /// Open the regular file `name` to read, never through a link; `None` when missing. A
    /// FIFO or device is refused rather than read, so a name cannot make the tool hang or read
    /// forever.
    pub fn open_file(&self, name: &OsStr) -> Result<Option<File>> {
        let path = self.path.join(name);
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(Errno::LOOP) => return Err(refused(&path, "is a symbolic link")),
            Err(e) => return Err(Error::io("cannot read", &path, e.into())),
        };
        let stat = rustix::fs::fstat(&fd).map_err(|e| Error::io("cannot read", &path, e.into()))?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(refused(&path, "is not a regular file"));
        }
        Ok(Some(File::from(fd)))
    }

    /// Open (or create) the file `name` to read and write, never through a link, without
    /// changing what it holds: the workspace lock.
    pub fn open_lock(&self, name: &OsStr) -> Result<File> {
        let path = self.path.join(name);
        let flags =
            OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666)) {
            Ok(fd) => fd,
            Err(Errno::LOOP) => return Err(refused(&path, "is a symbolic link")),
            Err(e) => return Err(Error::io("cannot open lock file", &path, e.into())),
        };
        let stat = rustix::fs::fstat(&fd)
            .map_err(|e| Error::io("cannot open lock file", &path, e.into()))?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(refused(&path, "is not a regular file"));
        }
        Ok(File::from(fd))
    }

    /// Create a new temporary file for `target` in this folder, with `mode` before the umask.
    /// Returns the file and its name.
    pub fn create_temp(&self, target: &OsStr, mode: u32) -> Result<(File, OsString)> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        loop {
            let name = hidden_name(target, TEMP_SUFFIX);
            match rustix::fs::openat(&self.fd, &name, flags, Mode::from_raw_mode(mode)) {
                Ok(fd) => return Ok((File::from(fd), name)),
                Err(Errno::EXIST) => continue,
                Err(e) => {
                    return Err(Error::io("cannot write", self.path.join(target), e.into()));
                }
            }
        }
    }

    /// A free name for the old version of `target` while it is being replaced.
    pub fn backup_name(target: &OsStr) -> OsString {
        hidden_name(target, BACKUP_SUFFIX)
    }

    /// Rename `from` to `to` in this folder, replacing `to` (never following it if it is a link).
    pub fn rename(&self, from: &OsStr, to: &OsStr) -> Result<()> {
        rustix::fs::renameat(&self.fd, from, &self.fd, to)
            .map_err(|e| Error::io("cannot write", self.path.join(to), e.into()))
    }

    /// Give the file `from` the name `to` as well, only if nothing is at `to`: `Ok(false)`
    /// when something is.
    pub fn link_new(&self, from: &OsStr, to: &OsStr) -> Result<bool> {
        match rustix::fs::linkat(&self.fd, from, &self.fd, to, AtFlags::empty()) {
            Ok(()) => Ok(true),
            Err(Errno::EXIST) => Ok(false),
            Err(e) => Err(Error::io("cannot create", self.path.join(to), e.into())),
        }
    }

    /// Remove the file `name`; a missing one is fine.
    pub fn remove(&self, name: &OsStr) -> Result<()> {
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(Error::io("cannot remove", self.path.join(name), e.into())),
        }
    }

    /// Make the folder's entries durable: a rename is not on disk until its folder is synced.
    pub fn sync(&self) -> Result<()> {
        rustix::fs::fsync(&self.fd).map_err(|e| Error::io("cannot sync", &self.path, e.into()))
    }

    /// The names in this folder, `.` and `..` left out.
    pub fn names(&self) -> Result<Vec<OsString>> {
        let listing = rustix::fs::Dir::read_from(&self.fd)
            .map_err(|e| Error::io("cannot list", &self.path, e.into()))?;
        let mut names = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|e| Error::io("cannot list", &self.path, e.into()))?;
            let name = OsStr::from_bytes(entry.file_name().to_bytes());
            if name != "." && name != ".." {
                names.push(name.to_os_string());
            }
        }
        Ok(names)
    }
}

impl AsFd for Folder {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// The error for a path the tool will not read or write through.
pub fn refused(path: &Path, what: &str) -> Error {
    Error::Unsafe {
        path: path.to_path_buf(),
        message: format!("{what}; incident never reads or writes through one"),
        hint: "put a real folder or file there (or remove it) and run again; `incident check` lists such paths"
            .into(),
    }
}

/// `.NAME.PID-N.SUFFIX`: hidden, unique in this process and across processes, and long names
/// cut so the result stays a legal file name.
fn hidden_name(target: &OsStr, suffix: &str) -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let bytes = target.as_bytes();
    let base = if bytes.len() <= 100 {
        bytes
    } else {
        &bytes[..100]
    };
    let mut name = b".".to_vec();
    name.extend_from_slice(base);
    name.extend_from_slice(format!(".{}-{n}-{nanos:x}{suffix}", std::process::id()).as_bytes());
    OsStr::from_bytes(&name).to_os_string()
}
