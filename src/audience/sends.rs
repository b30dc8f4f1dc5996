//! Reading the send log: its columns (or JSON paths) mapped to the fields the query reads, then
//! every row judged and filed. A large plain CSV file is split between two workers; a stream
//! (standard input, gzip) and a JSON file are read by one.

use std::path::{Path, PathBuf};

use super::filter::Query;
use super::scan::{Columns, Counts, Paths, Scan, Shard, Worker};
use super::{InputFile, Log, in_pieces};
use crate::config::{Field, FileFormat};
use crate::error::{Error, Result};
use crate::input::csv::{CsvReader, Header};
use crate::input::mapping::{self, Mapped, Need};
use crate::input::status::Vocabulary;
use crate::input::{json, source};

/// What was learned of the send log besides its rows.
#[derive(Debug, Clone)]
pub struct SendsRead {
    /// The send log, as named.
    pub name: PathBuf,
    pub format: FileFormat,
    pub gzip: bool,
    /// `email ← "Email Address"`, one per field read.
    pub mapping: Vec<String>,
}

/// A send log read: the counts, the shards filled, and what was learned of the file.
pub type Filled = (Counts, Vec<Option<Shard>>, SendsRead);

/// The fields the query reads, and how much each is needed.
fn wants(query: &Query) -> Vec<(Field, Need)> {
    let need = |asked: bool, why: &'static str| {
        if asked {
            Need::Required(why)
        } else {
            Need::Optional
        }
    };
    let mut wants = vec![(Field::Email, Need::Required("the send log lists addresses"))];
    if query.campaign.is_some() {
        wants.push((
            Field::CampaignId,
            Need::Required("--campaign filters on it"),
        ));
    }
    wants.push((
        Field::Segment,
        need(!query.segments.is_empty(), "--segment filters on it"),
    ));
    wants.push((
        Field::Status,
        need(!query.statuses.is_empty(), "--status filters on it"),
    ));
    wants.push((
        Field::SentAt,
        need(query.has_window(), "--from/--until filters on it"),
    ));
    wants
}

/// The header row of a CSV file; an empty file is an error.
pub fn header(reader: &mut CsvReader, name: &Path, what: &str) -> Result<Header> {
    match reader.header()? {
        Some(header) => Ok(header),
        None => Err(Error::Invalid {
            path: name.to_path_buf(),
            line: None,
            message: format!("the {what} is empty: no header row"),
            hint: "export it again with its header row (email,…) and at least the header".into(),
        }),
    }
}

/// Everything the send log needs to be read: the query, the shards to file into, progress.
pub struct Reading<'a> {
    pub query: &'a Query,
    pub split_from: u64,
    /// The size of the pieces a split log is read in.
    pub piece_bytes: u64,
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// Read the send log into the shards. `None` when a split between two workers turned out to
/// cut a record: read it again with one.
pub fn read(file: &InputFile, shards: Vec<Shard>, reading: &Reading<'_>) -> Result<Option<Filled>> {
    let opened = source::open(&file.path, "export the send log from the ESP first")?;
    let format = opened.format;
    let read = SendsRead {
        name: opened.name.clone(),
        format,
        gzip: opened.gzip,
        mapping: Vec::new(),
    };
    let vocabulary = file
        .preset
        .vocabulary
        .clone()
        .unwrap_or_else(Vocabulary::common);
    if format == FileFormat::Csv {
        read_csv(file, opened, shards, reading, &vocabulary, read)
    } else {
        read_json(file, opened, shards, reading, &vocabulary, read).map(Some)
    }
}

fn read_csv(
    file: &InputFile,
    opened: source::Opened,
    shards: Vec<Shard>,
    reading: &Reading<'_>,
    vocabulary: &Vocabulary,
    mut read: SendsRead,
) -> Result<Option<Filled>> {
    let plain = opened.file.clone();
    let size = opened.size.unwrap_or(0);
    let mut sends = CsvReader::new(opened, file.preset.delimiter);
    let header = header(&mut sends, &read.name, "send log")?;
    let wants = wants(reading.query);
    let mapped = mapping::columns(&read.name, header.line, &header.names, &file.preset, &wants)?;
    read.mapping = mapped.iter().map(Mapped::describe).collect();
    let scan = Scan {
        query: reading.query,
        columns: columns(&mapped),
        paths: Paths::default(),
        width: header.names.len(),
        path: &read.name,
        vocabulary,
        times: &file.preset.times,
    };
    let (counts, shards) = match &plain {
        Some(path) if size >= reading.split_from => {
            let log = Log {
                path,
                size,
                delimiter: file.preset.delimiter,
                piece: reading.piece_bytes,
            };
            match in_pieces(&scan, sends, &log, shards, reading.progress)? {
                Some(done) => done,
                None => return Ok(None),
            }
        }
        _ => {
            let mut alone = Worker::new(shards.into_iter().map(Some).collect(), None);
            alone.run(&scan, &mut sends, reading.progress)?;
            alone.finish()?;
            (alone.counts, alone.shards)
        }
    };
    Ok(Some((counts, shards, read)))
}

/// The column of each field, from the mapping.
fn columns(mapped: &[Mapped]) -> Columns {
    let column = |field: Field| {
        mapped
            .iter()
            .find(|m| m.field == field)
            .and_then(|m| m.columns.first().copied())
    };
    Columns {
        email: column(Field::Email).unwrap_or(0),
        campaign: column(Field::CampaignId),
        segment: column(Field::Segment),
        sent_at: column(Field::SentAt),
        status: mapped
            .iter()
            .find(|m| m.field == Field::Status)
            .map(|m| m.columns.clone())
            .unwrap_or_default(),
    }
}

fn read_json(
    file: &InputFile,
    opened: source::Opened,
    shards: Vec<Shard>,
    reading: &Reading<'_>,
    vocabulary: &Vocabulary,
    mut read: SendsRead,
) -> Result<(Counts, Vec<Option<Shard>>, SendsRead)> {
    let wants = wants(reading.query);
    let name = read.name.clone();
    let mut scan: Option<Scan<'_>> = None;
    let mut worker = Worker::new(shards.into_iter().map(Some).collect(), None);
    json::for_each(opened, &file.preset.records, |record| {
        if scan.is_none() {
            let (paths, mapping) = json_paths(&name, record, &file.preset, &wants)?;
            read.mapping = mapping;
            scan = Some(Scan {
                query: reading.query,
                columns: Columns::default(),
                paths,
                width: 0,
                path: &name,
                vocabulary,
                times: &file.preset.times,
            });
        }
        if let Some(scan) = &scan {
            worker.record(scan, record)?;
        }
        Ok(true)
    })?;
    worker.finish()?;
    Ok((worker.counts, worker.shards, read))
}

/// The paths of each field of a JSON send log: the preset's candidates, or a top-level key of
/// the first record whose name says what it is.
fn json_paths(
    name: &Path,
    first: &json::Record<'_>,
    preset: &crate::input::Preset,
    wants: &[(Field, Need)],
) -> Result<(Paths, Vec<String>)> {
    let keys = first.keys();
    let mut paths = Paths::default();
    let mut mapping = Vec::new();
    for &(field, need) in wants {
        let found: Vec<String> = mapping::paths(name, &keys, preset, field)?;
        if found.is_empty() {
            if let Need::Required(why) = need {
                return Err(json_missing(name, field, why, &keys, preset));
            }
            continue;
        }
        let joiner = if field == Field::Status {
            " + "
        } else {
            " or "
        };
        mapping.push(format!("{field} ← {}", found.join(joiner)));
        match field {
            Field::Email => paths.email = found,
            Field::CampaignId => paths.campaign = found,
            Field::Segment => paths.segment = found,
            Field::SentAt => paths.sent_at = found,
            Field::Status => paths.status = found,
            _ => {}
        }
    }
    Ok((paths, mapping))
}

fn json_missing(
    name: &Path,
    field: Field,
    why: &str,
    keys: &[String],
    preset: &crate::input::Preset,
) -> Error {
    // An example path of the field's kind, as SES nests it.
    let example = match field {
        Field::Email => "mail.destination",
        Field::SentAt => "mail.timestamp",
        Field::Status => "eventType",
        _ => "mail.tags.campaign",
    };
    let hint = match (&preset.name, mapping::looks_like_preset(keys)) {
        (None, Some(esp)) => format!("this looks like {esp} JSON: pass --preset {esp}"),
        (Some(p), _) => format!(
            "the {p} preset has no {field} for this export; name it with --map {field}=PATH (a dotted path such as {example})"
        ),
        _ => format!(
            "name it with --map {field}=PATH (a dotted path such as {example}), or use the ESP's --preset"
        ),
    };
    Error::Invalid {
        path: name.to_path_buf(),
        line: None,
        message: format!(
            "no {field} in the records ({why}); the first record has {}",
            keys.join(", ")
        ),
        hint,
    }
}
