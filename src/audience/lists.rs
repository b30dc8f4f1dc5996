//! Lists of addresses to leave out: suppression lists (unsubscribes, bounces, complaints, an
//! old list) and the intended audience (`--exclude`: the people the campaign was meant for).
//! Each is read through the input layer — any ESP export with an address column — and filed
//! in the shards before the send log is read, as the reference reads them first.

use super::InputFile;
use super::scan::{PREFETCH, SHARDS, Shard, check_width};
use super::set::AddressMap;
use crate::config::{Field, FileFormat};
use crate::error::Result;
use crate::input::csv::CsvReader;
use crate::input::mapping::{self, Need};
use crate::input::preset::Condition;
use crate::input::{json, source, text};

/// Which list a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Suppression,
    Exclude,
}

impl List {
    fn what(self) -> &'static str {
        match self {
            List::Suppression => "a suppression file lists addresses",
            List::Exclude => "an --exclude file lists the addresses to leave out",
        }
    }
}

/// What reading one list found.
#[derive(Debug, Clone)]
pub struct ListRead {
    /// `email ← "Email Address"`.
    pub mapping: Vec<String>,
    pub format: FileFormat,
    pub gzip: bool,
    /// Rows that listed an address but do not suppress it (a HubSpot contact opted out of one
    /// email type only, a Mailgun unsubscribe from one tag).
    pub not_suppressing: u64,
}

/// An opened list, checked and ready to file.
pub struct Opened {
    file: InputFile,
    list: List,
    reader: Reader,
    pub read: ListRead,
}

enum Reader {
    Csv {
        reader: CsvReader,
        width: usize,
        email: usize,
        conditions: Vec<(usize, Condition)>,
    },
    Json(source::Opened),
}

/// Open a list and map its address column: a wrong file fails before minutes of reading.
pub fn open(file: &InputFile, list: List) -> Result<Opened> {
    let opened = source::open(&file.path, "export the list from the ESP first")?;
    let format = opened.format;
    let gzip = opened.gzip;
    let read = |mapping| ListRead {
        mapping,
        format,
        gzip,
        not_suppressing: 0,
    };
    if format != FileFormat::Csv {
        // The paths are known once the first record is read.
        return Ok(Opened {
            file: file.clone(),
            list,
            reader: Reader::Json(opened),
            read: read(Vec::new()),
        });
    }
    let name = opened.name.clone();
    let mut reader = CsvReader::new(opened, file.preset.delimiter);
    let header = super::sends::header(&mut reader, &name, "list")?;
    let mapped = mapping::columns(
        &name,
        header.line,
        &header.names,
        &file.preset,
        &[(Field::Email, Need::Required(list.what()))],
    )?;
    let email = mapped[0].columns[0];
    let keys: Vec<String> = header.names.iter().map(|h| mapping::normalize(h)).collect();
    let conditions = if list == List::Suppression {
        file.preset
            .suppress_when
            .iter()
            .filter_map(|c| {
                let at = keys
                    .iter()
                    .position(|k| *k == mapping::normalize(c.column()))?;
                Some((at, c.clone()))
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Opened {
        file: file.clone(),
        list,
        reader: Reader::Csv {
            reader,
            width: header.names.len(),
            email,
            conditions,
        },
        read: read(mapped.iter().map(|m| m.describe()).collect()),
    })
}

impl Opened {
    /// File every address the list holds in its shard, as suppressed or excluded.
    pub fn file_into(
        self,
        shards: &mut [Shard],
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ListRead> {
        let Opened {
            file,
            list,
            reader,
            mut read,
        } = self;
        let mut filer = Filer {
            list,
            shards,
            email: String::new(),
            waiting: Default::default(),
        };
        match reader {
            Reader::Csv {
                mut reader,
                width,
                email,
                conditions,
            } => {
                let path = reader.path().to_path_buf();
                reader.for_each(
                    |row| {
                        check_width(&path, &row, width)?;
                        let holds = conditions.is_empty()
                            || conditions.iter().any(|(at, c)| matches(c, row.get(*at)));
                        if holds {
                            filer.put(row.get(email))?;
                        } else {
                            read.not_suppressing += 1;
                        }
                        Ok(true)
                    },
                    progress,
                )?;
            }
            Reader::Json(opened) => file_json(&file, opened, &mut filer, &mut read)?,
        }
        filer.flush()?;
        Ok(read)
    }
}

/// Files addresses in their shards, as the list says, [`PREFETCH`] at a time per shard: their
/// look-ups are started together, so that their cache misses overlap.
struct Filer<'a> {
    list: List,
    shards: &'a mut [Shard],
    email: String,
    waiting: [Waiting; SHARDS],
}

/// Normalized addresses waiting to be filed in one shard: their bytes back to back, and each
/// one's hash and end.
#[derive(Default)]
struct Waiting {
    bytes: Vec<u8>,
    rows: Vec<(u64, usize)>,
}

impl Filer<'_> {
    fn put(&mut self, raw: &str) -> Result<()> {
        text::normalize_email(raw, &mut self.email);
        let key = self.email.as_bytes();
        let hash = AddressMap::hash(key);
        let shard = hash as usize % SHARDS;
        let waiting = &mut self.waiting[shard];
        waiting.bytes.extend_from_slice(key);
        waiting.rows.push((hash, waiting.bytes.len()));
        if waiting.rows.len() == PREFETCH {
            self.file(shard)?;
        }
        Ok(())
    }

    /// File what waits for `shard`.
    fn file(&mut self, shard: usize) -> Result<()> {
        let Waiting { bytes, rows } = &mut self.waiting[shard];
        let target = &mut self.shards[shard];
        let mut hashes = [0; PREFETCH];
        for (hash, &(row, _)) in hashes.iter_mut().zip(rows.iter()) {
            *hash = row;
        }
        target.prefetch(&hashes[..rows.len()]);
        let mut start = 0;
        for &(hash, end) in rows.iter() {
            let key = &bytes[start..end];
            match self.list {
                List::Suppression => target.suppress(key, hash)?,
                List::Exclude => target.exclude(key, hash)?,
            }
            start = end;
        }
        bytes.clear();
        rows.clear();
        Ok(())
    }

    /// File everything still waiting.
    fn flush(&mut self) -> Result<()> {
        (0..SHARDS).try_for_each(|shard| self.file(shard))
    }
}

/// A JSON list: the address paths come from the preset, else from the first record's keys; a
/// record without an address is an error, never a silently shorter list.
fn file_json(
    file: &InputFile,
    opened: source::Opened,
    filer: &mut Filer<'_>,
    read: &mut ListRead,
) -> Result<()> {
    let name = opened.name.clone();
    let conditions = match filer.list {
        List::Suppression => file.preset.suppress_when.clone(),
        List::Exclude => Vec::new(),
    };
    let mut paths: Vec<String> = Vec::new();
    let mut used: Vec<bool> = Vec::new();
    json::for_each(opened, &file.preset.records, |record| {
        if used.is_empty() {
            paths = mapping::paths(&name, &record.keys(), &file.preset, Field::Email)?;
            used = vec![false; paths.len().max(1)];
        }
        let Some((at, addresses)) = paths
            .iter()
            .map(|p| record.texts(p))
            .enumerate()
            .find(|(_, found)| !found.is_empty())
        else {
            return Err(super::scan::no_address(&name, record.place, &paths, record));
        };
        used[at] = true;
        if suppresses(record, &conditions) {
            for address in addresses {
                filer.put(&address)?;
            }
        } else {
            read.not_suppressing += 1;
        }
        Ok(true)
    })?;
    // The paths that gave addresses, not every one the preset knows.
    let given: Vec<&str> = paths
        .iter()
        .zip(&used)
        .filter(|(_, used)| **used)
        .map(|(p, _)| p.as_str())
        .collect();
    read.mapping = vec![format!("email ← {}", given.join(" or "))];
    Ok(())
}

/// Whether a JSON record suppresses: a condition holds, or it has none of their fields.
fn suppresses(record: &json::Record<'_>, conditions: &[Condition]) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let present: Vec<&Condition> = conditions
        .iter()
        .filter(|c| record.exists(c.column()))
        .collect();
    present.is_empty()
        || present.iter().any(|c| match c {
            Condition::True(path) => record.holds(path),
            Condition::Equals(path, value) => record.texts(path).iter().any(|t| t == value),
        })
}

/// Whether a CSV cell meets a condition.
fn matches(condition: &Condition, cell: &str) -> bool {
    match condition {
        Condition::True(_) => crate::input::is_true(cell),
        Condition::Equals(_, value) => cell.trim() == value,
    }
}
