//! Where a document the user asked for (`incident report --out`) may be written. Inside the
//! workspace it goes through the guard like every other file, and never over a file the tool
//! owns — a record, the lock, a recipient list, the apology, the configuration, a runbook or
//! template. Outside the workspace it is written only as a new file, at a path the user named:
//! the tool does not replace files it knows nothing about.

use std::path::{Component, Path, PathBuf};

use super::folder::{Folder, refused};
use super::writer::{Guard, Mode, Staged};
use crate::error::{Error, Result};
use crate::workspace::{Workspace, owner_of};

/// Refuse `path` before anything is made: a file the tool owns, or an existing file outside
/// the workspace. [`write`] holds to the same rules when it writes.
pub fn check(workspace: &Workspace, path: &Path) -> Result<()> {
    match inside(workspace, path)? {
        Some(relative) => owned(path, &relative),
        None if std::fs::symlink_metadata(path).is_ok() => Err(exists_outside(path)),
        None => Ok(()),
    }
}

/// Write `bytes` to `path` (as the user or the default named it, relative to the current
/// folder).
pub fn write(workspace: &Workspace, guard: &Guard, path: &Path, bytes: &[u8]) -> Result<()> {
    match inside(workspace, path)? {
        Some(relative) => {
            owned(path, &relative)?;
            guard.replace(&workspace.root.join(relative), bytes, Mode::Shared)
        }
        None => write_outside(path, bytes),
    }
}

/// A file the tool owns is never replaced by a report.
fn owned(path: &Path, relative: &Path) -> Result<()> {
    match owner_of(relative) {
        Some(owner) => Err(Error::Unsafe {
            path: path.to_path_buf(),
            message: format!("is {owner}; a report never replaces it"),
            hint: "name another file, e.g. --out postmortem.md (into the incident's folder) or --out ./postmortem.md".into(),
        }),
        None => Ok(()),
    }
}

fn exists_outside(path: &Path) -> Error {
    Error::Unsafe {
        path: path.to_path_buf(),
        message: "exists and is outside the workspace; a report replaces no file there".into(),
        hint: "name a new file, remove the old one first, or write inside the workspace".into(),
    }
}

/// A new file outside the workspace, in a folder the user named (made when missing).
fn write_outside(path: &Path, bytes: &[u8]) -> Result<()> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(refused(path, "is not a file"));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
    let folder = Folder::open(parent)?;
    let mut staged = Staged::create(folder, name.to_os_string(), path, Mode::Shared)?;
    staged.write_all(bytes)?;
    if staged.commit_new()? {
        return Ok(());
    }
    Err(exists_outside(path))
}

/// `path` relative to the workspace root when it is inside the workspace: as spelled (from
/// the current folder), or once the folders that exist along it are resolved.
fn inside(workspace: &Workspace, path: &Path) -> Result<Option<PathBuf>> {
    let here = std::env::current_dir().map_err(|e| Error::io("cannot read", ".", e))?;
    let root = normalize(&here.join(&workspace.root));
    let spelled = normalize(&here.join(path));
    if let Ok(relative) = spelled.strip_prefix(&root) {
        return Ok(Some(relative.to_path_buf()));
    }
    // Spelled from elsewhere, it may still lead inside, through a link the user made.
    let real_root = std::fs::canonicalize(&workspace.root)
        .map_err(|e| Error::io("cannot open", &workspace.root, e))?;
    let mut existing = spelled.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            return Ok(None);
        };
        rest.push(name);
        existing = parent;
    }
    let mut real = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    real.extend(rest.iter().rev());
    Ok(real.strip_prefix(&real_root).ok().map(Path::to_path_buf))
}

/// `path` with `.` and `..` worked out as written, without looking at the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::Path;

    #[test]
    fn dots_are_worked_out_as_written() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("/a/b/../../..")), Path::new("/"));
    }
}
