//! Reading the outside world's files: the ESP exports `audience` and `monitor` take. One place
//! opens them, so a missing file, a folder or an unreadable file reads the same everywhere.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// Open an input file; `export_hint` says where such a file comes from, for a path that does
/// not exist.
pub fn open(path: &Path, export_hint: &str) -> Result<File> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: "no such file".into(),
            hint: format!("check the path; {export_hint}"),
        },
        _ => Error::io("cannot read", path, e),
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: "is a folder, not a CSV file".into(),
            hint: "name the CSV file itself".into(),
        });
    }
    Ok(file)
}
