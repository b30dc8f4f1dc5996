//! Where an input's bytes come from: a file, standard input (`-`), or either gzip-compressed
//! (told by its magic bytes, not its name), decompressed on a thread of its own so that
//! reading and parsing run side by side. What the first bytes say is checked before anything
//! is parsed: a ZIP archive, UTF-16 text or JSON get a sentence naming the real format.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use flate2::read::MultiGzDecoder;

use crate::config::FileFormat;
use crate::error::{Error, Result};

/// Bytes looked at to tell the format: enough for the first line of JSON lines that hold
/// large events or whole API pages.
const HEAD: usize = 1 << 20;

/// Decompressed bytes handed from the decompressing thread at a time.
const CHUNK: usize = 1 << 20;

/// An input, opened and recognized.
pub struct Opened {
    /// The path as named, or `standard input`.
    pub name: PathBuf,
    /// The file on disk when it is a plain (uncompressed) file: it can be read again (for the
    /// line of an error) and split between threads.
    pub file: Option<PathBuf>,
    pub gzip: bool,
    /// What the content looks like: CSV unless it starts like JSON.
    pub format: FileFormat,
    /// The content, decompressed, from its first byte.
    pub reader: Box<dyn Read + Send>,
    /// Bytes on disk, for a progress bar.
    pub size: Option<u64>,
}

/// Open `path` (`-` for standard input). `export_hint` says where such a file comes from, for
/// a path that does not exist.
pub fn open(path: &Path, export_hint: &str) -> Result<Opened> {
    if path == Path::new("-") {
        return open_stream(
            PathBuf::from("standard input"),
            Box::new(std::io::stdin()),
            None,
        );
    }
    let mut file = super::open(path, export_hint)?;
    let size = file.metadata().ok().map(|m| m.len());
    let io = |e| Error::io("cannot read", path, e);
    let head = read_head(&mut file).map_err(io)?;
    if is_gzip(&head) {
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut opened = open_stream(path.to_path_buf(), decompress(file), size)?;
        opened.gzip = true;
        return Ok(opened);
    }
    refuse_foreign(path, &head)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(Opened {
        name: path.to_path_buf(),
        file: Some(path.to_path_buf()),
        gzip: false,
        format: looks_like(&head),
        reader: Box::new(file),
        size,
    })
}

/// A stream that cannot be read twice: its head is read, looked at, then put back in front.
fn open_stream(
    name: PathBuf,
    mut stream: Box<dyn Read + Send>,
    size: Option<u64>,
) -> Result<Opened> {
    let head = read_head(&mut stream).map_err(|e| Error::io("cannot read", &name, e))?;
    if is_gzip(&head) {
        let rest = std::io::Cursor::new(head).chain(stream);
        return open_stream(name, decompress(rest), size).map(|mut o| {
            o.gzip = true;
            o
        });
    }
    refuse_foreign(&name, &head)?;
    Ok(Opened {
        format: looks_like(&head),
        reader: Box::new(std::io::Cursor::new(head).chain(stream)),
        name,
        file: None,
        gzip: false,
        size,
    })
}

fn read_head(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD);
    input.take(HEAD as u64).read_to_end(&mut head)?;
    Ok(head)
}

fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// CSV, unless the first character (after a byte order mark and white space) opens JSON.
fn looks_like(head: &[u8]) -> FileFormat {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') if first_line_is_json(text) => FileFormat::Jsonl,
        Some(b'{' | b'[') => FileFormat::Json,
        _ => FileFormat::Csv,
    }
}

/// Whether the first line is a whole JSON object and another line follows: then the file is
/// JSON lines. A document on one line (an API page saved as is) is read as a document.
fn first_line_is_json(text: &[u8]) -> bool {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let mut lines = text[start..].splitn(2, |b| *b == b'\n');
    let line = lines.next().unwrap_or_default();
    let more = lines
        .next()
        .is_some_and(|rest| rest.iter().any(|b| !b.is_ascii_whitespace()));
    more && serde_json::from_slice::<serde_json::Value>(line).is_ok_and(|v| v.is_object())
}

/// Formats the product cannot read, each with a sentence saying what the file is.
fn refuse_foreign(name: &Path, head: &[u8]) -> Result<()> {
    let refuse = |message: &str, hint: &str| {
        Err(Error::Invalid {
            path: name.to_path_buf(),
            line: None,
            message: message.into(),
            hint: hint.into(),
        })
    };
    if head.starts_with(b"PK\x03\x04") {
        return refuse(
            "is a ZIP archive, not a CSV or JSON file",
            "unzip it first and name the file inside (`unzip -l FILE` lists them)",
        );
    }
    let nul_bytes = head.iter().take(64).filter(|b| **b == 0).count();
    if !head.is_empty() && nul_bytes == head.len().min(64) {
        return refuse(
            "starts with nothing but NUL bytes: binary data, not a CSV or JSON file",
            "name the CSV or JSON file your ESP exported (`file FILE` tells what a file holds)",
        );
    }
    let utf16 = head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || (head.len() >= 4 && nul_bytes * 4 >= head.len().min(64));
    if utf16 {
        return refuse(
            "is UTF-16 text, not UTF-8",
            "convert it first: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv (or export it from the ESP as UTF-8)",
        );
    }
    Ok(())
}

/// Decompress on a thread of its own, so that parsing never waits for more than a chunk.
fn decompress(compressed: impl Read + Send + 'static) -> Box<dyn Read + Send> {
    let (to_reader, chunks) = sync_channel::<std::io::Result<Vec<u8>>>(4);
    std::thread::spawn(move || pump(MultiGzDecoder::new(compressed), &to_reader));
    Box::new(Chunks {
        chunks,
        current: Vec::new(),
        at: 0,
    })
}

/// Read `input` to its end in chunks; stop early when the reader went away.
fn pump(mut input: impl Read, to_reader: &SyncSender<std::io::Result<Vec<u8>>>) {
    loop {
        let mut chunk = vec![0u8; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            match input.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = to_reader.send(Err(e));
                    return;
                }
            }
        }
        chunk.truncate(filled);
        if filled == 0 || to_reader.send(Ok(chunk)).is_err() {
            return;
        }
    }
}

/// The reading end of [`decompress`].
struct Chunks {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Read for Chunks {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.current.len() {
            match self.chunks.recv() {
                Ok(chunk) => {
                    self.current = chunk?;
                    self.at = 0;
                }
                // The decompressing thread is done: the end of the data.
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.current.len() - self.at);
        out[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Open an input whose format is known already, such as a plain file read again.
pub fn reopen(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| Error::io("cannot read", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn opened(bytes: &[u8]) -> Result<(FileFormat, bool, String)> {
        let mut file = tempfile::NamedTempFile::new().expect("temp");
        file.write_all(bytes).expect("write");
        let mut o = open(file.path(), "")?;
        let mut text = String::new();
        o.reader.read_to_string(&mut text).expect("read");
        Ok((o.format, o.gzip, text))
    }

    fn gzip(text: &str) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).expect("gzip");
        enc.finish().expect("gzip")
    }

    #[test]
    fn gzip_is_told_by_its_bytes_and_read_decompressed() {
        let (format, gz, text) = opened(&gzip("email\na@b.c\n")).expect("opens");
        assert_eq!(
            (format, gz, text.as_str()),
            (FileFormat::Csv, true, "email\na@b.c\n")
        );
        let (format, _, _) =
            opened(&gzip("{\"email\":\"a@b.c\"}\n{\"email\":\"d@e.f\"}\n")).expect("opens");
        assert_eq!(format, FileFormat::Jsonl);
    }

    #[test]
    fn json_lines_and_json_documents_are_told_apart() {
        assert_eq!(
            opened(b"{\"a\":1}\n{\"a\":2}\n").expect("ok").0,
            FileFormat::Jsonl
        );
        assert_eq!(
            opened(b"\xEF\xBB\xBF[{\"a\":1}]").expect("ok").0,
            FileFormat::Json
        );
        assert_eq!(
            opened(b"{\n  \"items\": []\n}\n").expect("ok").0,
            FileFormat::Json
        );
        assert_eq!(opened(b"email\n").expect("ok").0, FileFormat::Csv);
    }

    #[test]
    fn zip_and_utf16_are_named() {
        let zip = opened(b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(zip.contains("is a ZIP archive"), "{zip}");
        let utf16 = opened(b"\xFF\xFEe\0m\0a\0i\0l\0").unwrap_err().to_string();
        assert!(utf16.contains("is UTF-16 text"), "{utf16}");
    }
}
