//! `incident init`: a commented `incident.toml` and copies of the built-in runbooks and
//! templates, ready to customize. Never overwrites a file.

use std::path::Path;

use crate::error::{Error, Result};
use crate::runbook::BUILT_IN;
use crate::workspace::Workspace;

/// The commented configuration `init` writes.
pub const CONFIG_TEMPLATE: &str = include_str!("../../incident.example.toml");

/// `incident init` in `root`.
pub fn run(root: &Path, quiet: bool) -> Result<()> {
    let ws = Workspace::with_defaults(root);
    let mut files: Vec<(std::path::PathBuf, &str)> = vec![(ws.config_path(), CONFIG_TEMPLATE)];
    for (name, text) in BUILT_IN {
        files.push((ws.runbooks_dir().join(name), text));
    }
    for (name, text) in crate::templates::BUILT_IN {
        files.push((ws.templates_dir().join(name), text));
    }
    let (mut written, mut kept) = (0, 0);
    for (path, text) in files {
        if path.exists() {
            kept += 1;
            if !quiet {
                anstream::eprintln!("kept     {} (already there)", path.display());
            }
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create", dir, e))?;
        }
        // create_new: even a file that appears meanwhile is never overwritten.
        let mut file = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io("cannot create", &path, e))?;
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| Error::io("cannot write", &path, e))?;
        written += 1;
        if !quiet {
            anstream::eprintln!("wrote    {}", path.display());
        }
    }
    if !quiet {
        crate::outln!(
            "{written} file(s) written, {kept} kept. Edit incident.toml, then run `incident check`."
        )?;
    }
    Ok(())
}
