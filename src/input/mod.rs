//! Reading the outside world's files: the ESP exports `audience` and `monitor` take. A file is
//! opened once here ([`source`]: a path or `-`, gzip told by its bytes), recognized as CSV,
//! JSON lines or a JSON document, and read with a [`preset`]'s column map, time format and
//! status vocabulary, or with the columns its header names ([`mapping`]). Every refusal is one
//! sentence naming the file, the line or column, what was expected, and what to do.

pub mod csv;
pub mod json;
pub mod mapping;
pub mod preset;
pub mod source;
pub mod status;
pub mod text;
pub mod time;

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

pub use preset::{Overrides, Preset, Presets};
pub use source::Opened;
pub use time::{Instant, TimeFormat, Times};

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

/// Whether a cell says yes: `TRUE`, `true`, `yes`, `1`, `y`, `x`.
pub fn is_true(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "y" | "1" | "x"
    )
}
