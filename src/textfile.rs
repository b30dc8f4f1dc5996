//! Text files the tool reads whole — an answers file, `incident.toml`, a runbook, a template,
//! a record — read the same way everywhere: at most a limit of bytes (so a pipe, `/dev/zero` or
//! a huge file cannot exhaust memory), a UTF-8 byte order mark dropped, and text that is not
//! UTF-8 refused with the line and column of the first bad byte.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::limits::{MAX_TEXT_FILE_BYTES, mebibytes, read_at_most};

/// The UTF-8 byte order mark some editors put first.
const BOM: &str = "\u{feff}";

/// Read the text file at `path` (a FIFO or device too, as `--answers <(…)` gives); a missing
/// file is `Ok(None)`.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::File::open(path) {
        Ok(file) => read_file(path, file).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("cannot read", path, e)),
    }
}

/// Read the text file at `path`, which must exist.
pub fn read(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, e))?;
    read_file(path, file)
}

fn read_file(path: &Path, file: std::fs::File) -> Result<String> {
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: "is a folder, not a file".into(),
            hint: "name the file itself".into(),
        });
    }
    from_reader(path, file, MAX_TEXT_FILE_BYTES)
}

/// Read text from any reader (standard input, an open file) up to `limit` bytes; `path`
/// names it in errors.
pub fn from_reader(path: &Path, input: impl Read, limit: usize) -> Result<String> {
    let bytes = read_at_most(input, limit)
        .map_err(|e| Error::io("cannot read", path, e))?
        .ok_or_else(|| Error::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: format!("is larger than {}", mebibytes(limit)),
            hint: "this is not a file the tool wrote or an export it reads; check the path".into(),
        })?;
    decode(path, bytes)
}

/// Bytes as text: a leading byte order mark dropped, invalid UTF-8 an error at its line and
/// column (counted in characters, from 1).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match text.strip_prefix(BOM) {
            Some(rest) => rest.to_string(),
            None => text,
        }),
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // Everything before the first bad byte is valid, so it can be counted as text.
            let before = std::str::from_utf8(&bytes[..bad]).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[line_start..].chars().count() + 1;
            Err(Error::InvalidAt {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("not UTF-8 text (byte 0x{:02X})", bytes[bad]),
                hint: "save the file as UTF-8 (most editors: File → Save with Encoding → UTF-8)"
                    .into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Result<String> {
        decode(Path::new("answers.yaml"), bytes.to_vec())
    }

    #[test]
    fn a_byte_order_mark_is_dropped_only_at_the_start() {
        assert_eq!(text(b"\xEF\xBB\xBFkind: x\n").expect("text"), "kind: x\n");
        assert_eq!(text("a\u{feff}b".as_bytes()).expect("text"), "a\u{feff}b");
    }

    #[test]
    fn invalid_utf8_names_its_line_and_column() {
        let err = text(b"kind: x\ntitle: caf\xE9 \xE9\n").expect_err("refused");
        assert_eq!(
            err.to_string(),
            "answers.yaml:2:11: not UTF-8 text (byte 0xE9)"
        );
        let err = text(&["é\n\nüx".as_bytes(), b"\xFF"].concat()).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "answers.yaml:3:3: not UTF-8 text (byte 0xFF)"
        );
    }

    #[test]
    fn an_endless_input_is_refused_without_reading_it_all() {
        let err =
            from_reader(Path::new("/dev/zero"), std::io::repeat(0), 1 << 10).expect_err("refused");
        assert!(err.to_string().contains("is larger than"), "{err}");
    }
}
