//! `incident init`: a commented `incident.toml` and copies of the built-in runbooks and
//! templates, ready to customize. Never overwrites a file.

use std::path::Path;

use crate::error::{Error, Result};
use crate::runbook::BUILT_IN;
use crate::store::{Entry, Store};
use crate::workspace::Workspace;

/// The commented configuration `init` writes.
pub const CONFIG_TEMPLATE: &str = include_str!("../../incident.example.toml");

/// `incident init` in `root`. Every target is looked at before anything is written, so a
/// symbolic link on the way stops `init` with nothing written.
pub fn run(root: &Path, quiet: bool) -> Result<()> {
    let ws = Workspace::with_defaults(root);
    let store = Store::new(&ws);
    let mut files: Vec<(std::path::PathBuf, &str)> = vec![(ws.config_path(), CONFIG_TEMPLATE)];
    for (name, text) in BUILT_IN {
        files.push((ws.runbooks_dir().join(name), text));
    }
    for (name, text) in crate::templates::BUILT_IN {
        files.push((ws.templates_dir().join(name), text));
    }
    let total = files.len();
    let mut missing = Vec::new();
    for (path, text) in files {
        match store.entry(&path)? {
            Entry::Missing => missing.push((path, text)),
            Entry::Link => return Err(refused_link(&path)),
            _ => {
                if !quiet {
                    anstream::eprintln!("kept     {} (already there)", path.display());
                }
            }
        }
    }
    let mut written = 0;
    for (path, text) in &missing {
        // Never overwritten, even by a file that appears meanwhile.
        if store.create_file(path, text.as_bytes())? {
            written += 1;
            if !quiet {
                anstream::eprintln!("wrote    {}", path.display());
            }
        }
    }
    let kept = total - written;
    if !quiet {
        crate::outln!(
            "{written} file(s) written, {kept} kept. Edit incident.toml, then run `incident check`."
        )?;
    }
    Ok(())
}

fn refused_link(path: &Path) -> Error {
    Error::Unsafe {
        path: path.to_path_buf(),
        message: "is a symbolic link; incident init writes through none, and wrote nothing".into(),
        hint: "remove the link (or put a real file there) and run `incident init` again".into(),
    }
}
