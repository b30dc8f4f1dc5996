//! Temporary files a killed writer left behind in `incidents/` and the incidents' folders:
//! found for `incident check`, removed by the next command that takes the workspace lock. A
//! temporary file still locked belongs to a writer that is alive, and is left alone.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use super::folder::{BACKUP_SUFFIX, Entry, Folder, TEMP_SUFFIX};
use super::set::is_journal;
use crate::incident::IncidentId;

/// Something an interrupted write left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub path: PathBuf,
    pub kind: LeftoverKind,
}

/// What a leftover is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftoverKind {
    /// A file written and never put in place.
    Temporary,
    /// The old version of a file, kept while a set was replaced.
    Backup,
    /// The journal of a set whose commit did not finish.
    Journal,
}

/// Every leftover in `incidents` and its incidents' folders, journals first.
pub fn find(incidents: &Folder) -> Vec<Leftover> {
    let mut found = Vec::new();
    for folder in folders(incidents) {
        let Ok(names) = folder.names() else { continue };
        for name in names {
            let kind = if is_journal(&name) {
                LeftoverKind::Journal
            } else if is_backup(&name) {
                LeftoverKind::Backup
            } else if is_temporary(&name) && !in_use(&folder, &name) {
                LeftoverKind::Temporary
            } else {
                continue;
            };
            found.push(Leftover {
                path: folder.path().join(&name),
                kind,
            });
        }
    }
    found.sort_by_key(|l| (l.kind != LeftoverKind::Journal, l.path.clone()));
    found
}

/// Remove the temporary files no living writer holds, and the backups once no journal is left
/// to need them. Best effort: a leftover harms nothing, and `check` names it.
pub fn sweep(incidents: &Folder) {
    let leftovers = find(incidents);
    let journals = leftovers.iter().any(|l| l.kind == LeftoverKind::Journal);
    for folder in folders(incidents) {
        let Ok(names) = folder.names() else { continue };
        for name in names {
            let gone =
                (is_temporary(&name) && !in_use(&folder, &name)) || (is_backup(&name) && !journals);
            if gone {
                let _ = folder.remove(&name);
            }
        }
    }
}

/// `incidents` and every incident's folder in it (a link is skipped, never followed).
fn folders(incidents: &Folder) -> Vec<Folder> {
    let mut folders = Vec::new();
    if let Ok(names) = incidents.names() {
        for name in names {
            let is_incident = name
                .to_str()
                .is_some_and(|n| n.parse::<IncidentId>().is_ok());
            if is_incident
                && incidents.entry(&name).ok() == Some(Entry::Folder)
                && let Ok(Some(folder)) = incidents.child(&name, false)
            {
                folders.push(folder);
            }
        }
    }
    if let Ok(me) = incidents.try_clone() {
        folders.insert(0, me);
    }
    folders
}

/// A temporary file: `.NAME.….incident-tmp`, or `.NAME.XXXXXX` as earlier versions named
/// theirs (six letters or digits after a file name the tool writes).
pub fn is_temporary(name: &OsStr) -> bool {
    let Some(name) = name.to_str().and_then(|n| n.strip_prefix('.')) else {
        return false;
    };
    if name.ends_with(TEMP_SUFFIX) {
        return true;
    }
    let Some((base, suffix)) = name.rsplit_once('.') else {
        return false;
    };
    let random = suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric());
    let written_by_the_tool = base
        .strip_suffix(".yaml")
        .is_some_and(|id| id.parse::<IncidentId>().is_ok())
        || crate::workspace::ARTIFACTS.contains(&base)
        || base.starts_with("report.")
        || base.starts_with("summary.");
    random && written_by_the_tool
}

fn is_backup(name: &OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.ends_with(BACKUP_SUFFIX))
}

/// Whether a living writer holds the temporary file `name`.
fn in_use(folder: &Folder, name: &OsString) -> bool {
    match folder.open_file(name) {
        Ok(Some(file)) => match file.try_lock() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(_)) => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_the_tools_own() {
        for name in [
            ".INC-20261126-001.yaml.12-0-ab.incident-tmp",
            ".recipients.csv.1-2-3.incident-tmp",
            ".INC-20261126-001.yaml.Ab3dE9",
            ".email.eml.x1y2z3",
        ] {
            assert!(is_temporary(OsStr::new(name)), "{name}");
        }
        for name in [
            ".lock",
            "INC-20261126-001.yaml",
            ".notes.md.Ab3dE9",
            ".INC-20261126-001.yaml.toolong7",
            ".INC-20261126-001.yaml.1-2.incident-journal",
        ] {
            assert!(!is_temporary(OsStr::new(name)), "{name}");
        }
    }
}
