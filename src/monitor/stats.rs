//! Reading an ESP's stats into checkpoints: the canonical CSV (`date,sent,delivered,bounces,
//! complaints[,unsubscribes][,inbox_placement][,spam_rate]`), or any export a preset reads
//! (Mailchimp's campaign report, SendGrid's and SES's stats, Google Postmaster Tools' spam
//! rate). Counts may carry thousands separators (`42,752`); a file without deliveries or
//! unsubscribes leaves them unknown, and one with only a spam rate gives rate-only
//! checkpoints. Every problem is an error naming the file, line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{Aggregate, Field, FileFormat, RateScale};
use crate::error::{Error, Result};
use crate::incident::{CANONICAL, Checkpoint, CheckpointDate};
use crate::input::csv::{CsvReader, Header, Record};
use crate::input::mapping::{self, Mapped, Need};
use crate::input::{Preset, TimeFormat, json, source};

/// The columns a canonical stats CSV must have, in any order (unless it holds only a spam
/// rate).
pub const REQUIRED_COLUMNS: [&str; 4] = ["date", "sent", "bounces", "complaints"];

/// The optional column: the share of delivered mail that reached the inbox, in percent.
pub const INBOX_PLACEMENT: &str = "inbox_placement";

/// The stats fields, in the order checkpoints list them.
const FIELDS: [Field; 8] = [
    Field::Date,
    Field::Sent,
    Field::Delivered,
    Field::Bounces,
    Field::Complaints,
    Field::Unsubscribes,
    Field::InboxPlacement,
    Field::SpamRate,
];

/// A stats file with the preset to read it by.
#[derive(Debug, Clone)]
pub struct StatsFile {
    pub path: PathBuf,
    pub preset: Preset,
}

/// What a stats file gave.
#[derive(Debug, Clone)]
pub struct StatsRead {
    pub checkpoints: Vec<Checkpoint>,
    /// `sent ← "requests"`, one per field read.
    pub mapping: Vec<String>,
    /// The source the checkpoints are stored under: the preset, or `csv`.
    pub source: String,
}

/// Read a stats file.
pub fn read(file: &StatsFile) -> Result<StatsRead> {
    let opened = source::open(
        &file.path,
        "export the campaign or daily stats from the ESP first",
    )?;
    let format = opened.format;
    let source = file.preset.name.clone().unwrap_or_else(|| CANONICAL.into());
    let (rows, mapping) = if format == FileFormat::Csv {
        read_csv(opened, &file.preset)?
    } else {
        read_json(opened, &file.preset)?
    };
    let checkpoints = assemble(&file.path, rows, &file.preset, &source)?;
    Ok(StatsRead {
        checkpoints,
        mapping,
        source,
    })
}

/// One row's figures, with where it is for errors.
struct Row {
    place: String,
    line: Option<usize>,
    date_column: usize,
    figures: Figures,
}

/// The figures of a row, each when the file gives it.
#[derive(Default, Clone, Copy)]
struct Figures {
    date: Option<CheckpointDate>,
    counts: [Option<u64>; 5],
    inbox_placement: Option<f64>,
    spam_rate: Option<f64>,
}

/// The counts, in the order of [`Figures::counts`].
const COUNTS: [Field; 5] = [
    Field::Sent,
    Field::Delivered,
    Field::Bounces,
    Field::Complaints,
    Field::Unsubscribes,
];

fn read_csv(opened: source::Opened, preset: &Preset) -> Result<(Vec<Row>, Vec<String>)> {
    let name = opened.name.clone();
    let mut reader = CsvReader::new(opened, preset.delimiter);
    let Some(header) = reader.header()? else {
        return Err(Error::Invalid {
            path: name,
            line: Some(1),
            message: "is empty: there is no header line".into(),
            hint: header_hint(),
        });
    };
    let mapped = csv_mapping(&name, &header, preset)?;
    let mut rows = Vec::new();
    let width = header.names.len();
    reader.for_each(
        |record| {
            rows.push(csv_row(&name, &record, width, &mapped, preset)?);
            Ok(true)
        },
        |_| {},
    )?;
    Ok((rows, mapped.iter().map(Mapped::describe).collect()))
}

/// The columns of each stats field; the required ones must be there.
fn csv_mapping(name: &Path, header: &Header, preset: &Preset) -> Result<Vec<Mapped>> {
    let wants: Vec<(Field, Need)> = FIELDS.iter().map(|f| (*f, Need::Optional)).collect();
    let mapped = mapping::columns(name, header.line, &header.names, preset, &wants)?;
    let line = header.line;
    let header = &header.names;
    let has = |field: Field| mapped.iter().any(|m| m.field == field);
    let rate_only = has(Field::SpamRate) && !has(Field::Sent);
    let required: &[Field] = if rate_only {
        &[Field::Date]
    } else {
        &[Field::Date, Field::Sent, Field::Bounces, Field::Complaints]
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|f| !has(**f))
        .map(|f| format!("`{f}`"))
        .collect();
    if missing.is_empty() {
        return Ok(mapped);
    }
    let found: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    Err(Error::Invalid {
        path: name.to_path_buf(),
        line,
        message: format!(
            "the header has no {} column{} (found: {})",
            missing.join(", "),
            if missing.len() == 1 { "" } else { "s" },
            found.join(", ")
        ),
        hint: match mapping::looks_like_preset(header) {
            Some(esp) if preset.name.is_none() => {
                format!(
                    "this looks like a {esp} export: pass --preset {esp}-stats or --map FIELD=COLUMN"
                )
            }
            _ => format!(
                "{}; or name the columns with --map FIELD=COLUMN, or use the ESP's --preset",
                header_hint()
            ),
        },
    })
}

fn header_hint() -> String {
    format!(
        "the first line must name the columns {} in any order (optional: delivered, unsubscribes, {INBOX_PLACEMENT}, spam_rate)",
        REQUIRED_COLUMNS.join(", ")
    )
}

fn csv_row(
    name: &Path,
    record: &Record<'_>,
    width: usize,
    mapped: &[Mapped],
    preset: &Preset,
) -> Result<Row> {
    let line = record.line(name).unwrap_or(0);
    let at = |column: usize, message: String, hint: &str| Error::InvalidAt {
        path: name.to_path_buf(),
        line,
        column: column + 1,
        message,
        hint: hint.into(),
    };
    if record.len() != width {
        return Err(at(
            record.len().min(width),
            format!(
                "the row has {} field(s) where the header has {width}",
                record.len()
            ),
            "every row needs a value (maybe empty) for every column; quote values that hold commas",
        ));
    }
    let mut figures = Figures::default();
    let mut date_column = 0;
    for m in mapped {
        let cells: Vec<&str> = m.columns.iter().map(|&c| record.get(c).trim()).collect();
        let column = m.columns[0];
        let value = Value {
            field: m.field,
            cells: &cells,
            signs: &m.signs,
        };
        value
            .fill(&mut figures, preset)
            .map_err(|(message, hint)| at(column, message, &hint))?;
        if m.field == Field::Date {
            date_column = column;
        }
    }
    Ok(Row {
        place: String::new(),
        line: Some(line),
        date_column,
        figures,
    })
}

/// The cells a field is read from, with the sign of each (a sum or difference of columns).
struct Value<'a> {
    field: Field,
    cells: &'a [&'a str],
    signs: &'a [i8],
}

impl Value<'_> {
    /// Put the field's value in `figures`; an error is a message and a hint.
    fn fill(
        &self,
        figures: &mut Figures,
        preset: &Preset,
    ) -> std::result::Result<(), (String, String)> {
        let field = self.field;
        let text = self.cells.first().copied().unwrap_or_default();
        match field {
            Field::Date => {
                figures.date = Some(date(text, preset).ok_or_else(|| {
                    (
                        format!("`date` is {text:?}, not a date"),
                        "write the date as YYYY-MM-DD (one row per day) or an RFC 3339 date-time such as 2026-11-27T08:00:00Z (one row per send), or pass --time-format".to_string(),
                    )
                })?);
            }
            Field::InboxPlacement => {
                figures.inbox_placement = percentage(field, text, RateScale::Percent)?
            }
            Field::SpamRate => figures.spam_rate = percentage(field, text, preset.spam_rate)?,
            _ => {
                let slot = COUNTS.iter().position(|f| *f == field).unwrap_or(0);
                figures.counts[slot] = self.count()?;
            }
        }
        Ok(())
    }

    /// A count: the sum (or difference) of the cells, each a whole number; empty cells are
    /// no count.
    fn count(&self) -> std::result::Result<Option<u64>, (String, String)> {
        let field = self.field;
        if self.cells.iter().all(|c| c.is_empty()) {
            return Ok(None);
        }
        let mut total: i128 = 0;
        for (cell, sign) in self.cells.iter().zip(self.signs) {
            let n = whole_number(cell).ok_or_else(|| {
                let what = if cell.is_empty() {
                    format!("`{field}` is empty")
                } else {
                    format!("`{field}` is {cell:?}, not a whole number")
                };
                (
                    what,
                    "counts are whole numbers of 0 or more, written 12500 or 12,500".to_string(),
                )
            })?;
            total += i128::from(*sign) * i128::from(n);
        }
        u64::try_from(total).map(Some).map_err(|_| {
            (
                format!("`{field}` comes to {total}, below zero"),
                "check the columns the preset or --map adds up".to_string(),
            )
        })
    }
}

/// A whole number, with or without thousands separators (`42,752`, `42.752`, `42 752`).
fn whole_number(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u64>() {
        return Some(n);
    }
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, ',' | '.' | ' ' | '\u{a0}' | '\'' | '_') {
        return None;
    }
    let groups: Vec<&str> = text.split(separator).collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    grouped.then(|| groups.concat().parse().ok()).flatten()
}

/// A percentage from 0 to 100 (`93.5`, `93,5`, `93.5 %`); a ratio when the preset says so.
fn percentage(
    field: Field,
    text: &str,
    scale: RateScale,
) -> std::result::Result<Option<f64>, (String, String)> {
    let number = text.trim_end_matches('%').trim();
    if number.is_empty() {
        return Ok(None);
    }
    let decimal = if number.contains(',') && !number.contains('.') {
        number.replace(',', ".")
    } else {
        number.to_string()
    };
    let value = decimal.parse::<f64>().ok().map(|v| match scale {
        RateScale::Ratio => v * 100.0,
        RateScale::Percent => v,
    });
    match value {
        Some(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok(Some(p)),
        _ => Err((
            format!("`{field}` is {text:?}, not a percentage from 0 to 100"),
            format!("write {field} in percent, e.g. 93.5, or leave it empty when not measured"),
        )),
    }
}

/// A checkpoint's date: a day (`2026-11-27`), a send's instant, or what the preset's time
/// format reads; a path ending in `|last` takes the text after the last `/`.
fn date(text: &str, preset: &Preset) -> Option<CheckpointDate> {
    if let Some(date) = CheckpointDate::parse(text) {
        return Some(day_of(date, preset));
    }
    // A pattern with no time of day gives a day; one with a time, an instant.
    if let TimeFormat::Pattern(pattern) = &preset.times.format
        && chrono::NaiveDateTime::parse_from_str(text, pattern).is_err()
        && chrono::DateTime::parse_from_str(text, pattern).is_err()
        && let Ok(day) = chrono::NaiveDate::parse_from_str(text, pattern)
    {
        return Some(CheckpointDate::Day(day));
    }
    let read = preset.times.read(text)?;
    Some(day_of(CheckpointDate::At(read.at.to_utc()), preset))
}

/// With `aggregate = "day"`, an instant becomes its day in the preset's zone.
fn day_of(date: CheckpointDate, preset: &Preset) -> CheckpointDate {
    match (date, preset.aggregate) {
        (CheckpointDate::At(at), Some(Aggregate::Day)) => {
            CheckpointDate::Day(at.with_timezone(&preset.times.zone).date_naive())
        }
        (other, _) => other,
    }
}

fn read_json(opened: source::Opened, preset: &Preset) -> Result<(Vec<Row>, Vec<String>)> {
    let name = opened.name.clone();
    let mut paths: Option<Vec<(Field, Vec<String>)>> = None;
    let mut rows = Vec::new();
    json::for_each(opened, &preset.records, |record| {
        if paths.is_none() {
            paths = Some(json_paths(&name, record, preset)?);
        }
        let place = record.place.to_string();
        let mut figures = Figures::default();
        for (field, candidates) in paths.iter().flatten() {
            json_field(record, *field, candidates, preset, &mut figures).map_err(
                |(message, hint)| Error::Invalid {
                    path: name.clone(),
                    line: record.place.line(),
                    message: format!("{}{message}", record.place.prefix()),
                    hint,
                },
            )?;
        }
        rows.push(Row {
            place,
            line: None,
            date_column: 0,
            figures,
        });
        Ok(true)
    })?;
    let mapping = paths
        .unwrap_or_default()
        .iter()
        .map(|(field, candidates)| format!("{field} ← {}", candidates.join(" or ")))
        .collect();
    Ok((rows, mapping))
}

/// The paths of each stats field: the preset's, or a top-level key named for it.
fn json_paths(
    name: &Path,
    first: &json::Record<'_>,
    preset: &Preset,
) -> Result<Vec<(Field, Vec<String>)>> {
    let keys = first.keys();
    if preset.name.is_none()
        && let Some((esp, what)) = stats_export(&keys)
    {
        return Err(Error::Invalid {
            path: name.to_path_buf(),
            line: None,
            message: format!(
                "this is {what}, and read without its preset its figures would be misread"
            ),
            hint: format!("pass --preset {esp}"),
        });
    }
    let mut paths = Vec::new();
    for field in FIELDS {
        let found = mapping::paths(name, &keys, preset, field)?;
        if !found.is_empty() {
            paths.push((field, found));
        }
    }
    if !paths.iter().any(|(f, _)| *f == Field::Date) {
        return Err(Error::Invalid {
            path: name.to_path_buf(),
            line: None,
            message: format!("no date in the records; the first record has {}", keys.join(", ")),
            hint: "pass the ESP's stats --preset (mailchimp-report, sendgrid-stats, ses-stats, postmaster), or --map date=PATH".into(),
        });
    }
    Ok(paths)
}

/// The ESP stats export a JSON record's keys belong to, by the keys only it has.
fn stats_export(keys: &[String]) -> Option<(&'static str, &'static str)> {
    let has = |k: &str| keys.iter().any(|key| mapping::normalize(key) == k);
    [
        (
            "ses-stats",
            "Amazon SES's sending statistics",
            "deliveryattempts",
        ),
        (
            "postmaster",
            "Google Postmaster Tools' traffic stats",
            "userreportedspamratio",
        ),
        ("sendgrid-stats", "SendGrid's stats", "stats"),
        (
            "mailchimp-report",
            "a Mailchimp campaign report",
            "abusereports",
        ),
    ]
    .into_iter()
    .find(|(_, _, key)| has(key))
    .map(|(esp, what, _)| (esp, what))
}

/// One field of a JSON record: the first candidate whose terms the record has. Numbers at a
/// path through an array are added up (SendGrid's stats per category).
fn json_field(
    record: &json::Record<'_>,
    field: Field,
    candidates: &[String],
    preset: &Preset,
    figures: &mut Figures,
) -> std::result::Result<(), (String, String)> {
    for candidate in candidates {
        let (path, last) = match candidate.strip_suffix("|last") {
            Some(path) => (path, true),
            None => (candidate.as_str(), false),
        };
        let terms = mapping::terms(path);
        let values: Vec<Vec<String>> = terms.iter().map(|(_, p)| record.texts(p)).collect();
        if values.iter().any(Vec::is_empty) {
            continue;
        }
        if field == Field::Date
            || !matches!(
                field,
                Field::Sent
                    | Field::Delivered
                    | Field::Bounces
                    | Field::Complaints
                    | Field::Unsubscribes
            )
        {
            let text = &values[0][0];
            let text = if last {
                text.rsplit('/').next().unwrap_or(text)
            } else {
                text
            };
            let cells = [text];
            return Value {
                field,
                cells: &cells,
                signs: &[1],
            }
            .fill(figures, preset);
        }
        // A count: each term's numbers added up, then the terms with their signs.
        let sums: Vec<String> = values
            .iter()
            .map(|v| {
                v.iter()
                    .map(|t| whole_number(t).unwrap_or(u64::MAX))
                    .try_fold(0u64, |a, b| {
                        (b != u64::MAX).then(|| a.checked_add(b)).flatten()
                    })
                    .map_or_else(|| v.join("+"), |n| n.to_string())
            })
            .collect();
        let cells: Vec<&str> = sums.iter().map(String::as_str).collect();
        let signs: Vec<i8> = terms.iter().map(|(s, _)| *s).collect();
        return Value {
            field,
            cells: &cells,
            signs: &signs,
        }
        .fill(figures, preset);
    }
    Ok(())
}

/// Checkpoints from rows: a day given twice is an error, unless the preset adds rows up per
/// day; the counts must fit together.
fn assemble(path: &Path, rows: Vec<Row>, preset: &Preset, source: &str) -> Result<Vec<Checkpoint>> {
    if rows.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: Some(2),
            message: "has a header but no rows".into(),
            hint: "export at least one day or send from the ESP".into(),
        });
    }
    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    let mut seen: HashMap<CheckpointDate, (usize, String)> = HashMap::new();
    for row in rows {
        let error = |message: String, hint: &str| match row.line {
            Some(line) => Error::InvalidAt {
                path: path.to_path_buf(),
                line,
                column: row.date_column + 1,
                message,
                hint: hint.into(),
            },
            None => Error::Invalid {
                path: path.to_path_buf(),
                line: None,
                message: format!("{}: {message}", row.place),
                hint: hint.into(),
            },
        };
        let f = row.figures;
        let Some(date) = f.date else {
            return Err(error("no date".into(), "every row needs its date"));
        };
        let checkpoint = Checkpoint {
            date,
            source: source.to_string(),
            sent: f.counts[0],
            delivered: f.counts[1],
            bounces: f.counts[2],
            complaints: f.counts[3],
            unsubscribes: f.counts[4],
            inbox_placement: f.inbox_placement,
            spam_rate: f.spam_rate,
        };
        let here = row.line.map_or(row.place.clone(), |l| l.to_string());
        match seen.get(&date) {
            Some((at, _)) if preset.aggregate == Some(Aggregate::Day) => {
                let stored = &mut checkpoints[*at];
                add_to(stored, &checkpoint)
                    .map_err(|m| error(m, "the counts are too large to add up"))?;
            }
            Some((_, first)) => {
                return Err(error(
                    format!("the date {date} appears again (first on line {first})"),
                    "keep one row per day or send; add the numbers up, or give each send its own time",
                ));
            }
            None => {
                seen.insert(date, (checkpoints.len(), here));
                checkpoints.push(checkpoint);
            }
        }
    }
    for (i, c) in checkpoints.iter().enumerate() {
        if let Some(message) = inconsistency(c) {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: None,
                message: format!("{}: {message}", c.date),
                hint: format!(
                    "check that the columns are not swapped and that the row counts one day or send (checkpoint {})",
                    i + 1
                ),
            });
        }
    }
    checkpoints.sort_by_key(|c| c.date);
    Ok(checkpoints)
}

/// Add a row's counts to the day's checkpoint.
fn add_to(day: &mut Checkpoint, row: &Checkpoint) -> std::result::Result<(), String> {
    let add = |a: Option<u64>, b: Option<u64>| -> std::result::Result<Option<u64>, String> {
        match (a, b) {
            (Some(a), Some(b)) => a
                .checked_add(b)
                .map(Some)
                .ok_or_else(|| format!("a day's counts add up past {}", u64::MAX)),
            (a, b) => Ok(a.or(b)),
        }
    };
    day.sent = add(day.sent, row.sent)?;
    day.delivered = add(day.delivered, row.delivered)?;
    day.bounces = add(day.bounces, row.bounces)?;
    day.complaints = add(day.complaints, row.complaints)?;
    day.unsubscribes = add(day.unsubscribes, row.unsubscribes)?;
    Ok(())
}

/// The first count that cannot be true beside the others, or every rate derived from them is
/// wrong. Each is compared on its own: a soft bounce retried and then delivered counts in
/// both, so their sum may pass `sent`.
fn inconsistency(c: &Checkpoint) -> Option<String> {
    let more = |a: Option<u64>, b: Option<u64>| matches!((a, b), (Some(a), Some(b)) if a > b);
    let n = |v: Option<u64>| v.unwrap_or(0);
    if more(c.delivered, c.sent) {
        return Some(format!(
            "delivered ({}) is more than sent ({})",
            n(c.delivered),
            n(c.sent)
        ));
    }
    if more(c.bounces, c.sent) {
        return Some(format!(
            "bounces ({}) are more than sent ({})",
            n(c.bounces),
            n(c.sent)
        ));
    }
    if more(c.complaints, c.delivered.or(c.sent)) {
        return Some(format!(
            "complaints ({}) are more than delivered ({})",
            n(c.complaints),
            n(c.delivered.or(c.sent))
        ));
    }
    if more(c.unsubscribes, c.delivered) {
        return Some(format!(
            "unsubscribes ({}) are more than delivered ({})",
            n(c.unsubscribes),
            n(c.delivered)
        ));
    }
    None
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::io::Write;

    const HEADER: &str = "date,sent,delivered,bounces,complaints,unsubscribes\n";

    /// Parse stats text as the canonical CSV (or with a preset).
    pub fn parse_with(text: &str, preset: Option<&str>) -> Result<Vec<Checkpoint>> {
        let mut file = tempfile::NamedTempFile::new().expect("temp");
        file.write_all(text.as_bytes()).expect("write");
        let ws = Default::default();
        let presets = crate::input::Presets {
            workspace: &ws,
            zone: chrono_tz::Tz::UTC,
        };
        let preset = presets
            .resolve(preset, &crate::input::Overrides::default())
            .expect("preset");
        let read = super::read(&StatsFile {
            path: file.path().to_path_buf(),
            preset,
        });
        read.map(|r| r.checkpoints).map_err(|e| {
            // Name the file as the tests do.
            let text = e
                .to_string()
                .replace(&file.path().display().to_string(), "stats.csv");
            Error::Usage {
                message: text,
                hint: e.hint().unwrap_or_default(),
            }
        })
    }

    fn parse(text: &str) -> Result<Vec<Checkpoint>> {
        parse_with(text, None)
    }

    #[test]
    fn columns_come_in_any_order_and_extra_ones_are_ignored() {
        let text = "Unsubscribes, Complaints,opens,DATE,bounces,delivered,sent\n3,1,500,2026-11-27,20,980,1000\n";
        let rows = parse(text).expect("parses");
        assert_eq!(
            rows[0],
            Checkpoint {
                date: CheckpointDate::parse("2026-11-27").expect("date"),
                source: CANONICAL.into(),
                sent: Some(1000),
                delivered: Some(980),
                bounces: Some(20),
                complaints: Some(1),
                unsubscribes: Some(3),
                inbox_placement: None,
                spam_rate: None,
            }
        );
    }

    #[test]
    fn counts_with_separators_and_optional_columns_are_read() {
        let text = "date,sent,bounces,complaints\n2026-11-20,\"42,752\",457,61\n";
        let rows = parse(text).expect("parses");
        assert_eq!(
            (rows[0].sent, rows[0].delivered, rows[0].unsubscribes),
            (Some(42_752), None, None)
        );
        let rate_only =
            parse("date,spam_rate\n2026-11-20,0.42\n2026-11-21,\"0,31 %\"\n").expect("parses");
        assert_eq!(rate_only[1].spam_rate, Some(0.31));
        assert_eq!(rate_only[0].sent, None);
        assert_eq!(whole_number("1.922"), Some(1922));
        assert_eq!(whole_number("1,5"), None);
        assert_eq!(whole_number("12,34,567"), None);
    }

    #[test]
    fn bad_csv_names_line_and_column() {
        let cases = [
            (
                format!("{HEADER}2026-11-27,100,90,10,1,0\n2026-11-28,100,9x,1,0,0\n"),
                "stats.csv:3:3: `delivered` is \"9x\", not a whole number",
            ),
            (
                format!("{HEADER}27-11-2026,100,90,10,1,0\n"),
                "stats.csv:2:1: `date` is \"27-11-2026\", not a date",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,10,1\n"),
                "stats.csv:2:6: the row has 5 field(s) where the header has 6",
            ),
            (
                format!("{HEADER}2026-11-27,100,101,0,1,0\n"),
                "stats.csv: 2026-11-27: delivered (101) is more than sent (100)",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,120,1,0\n"),
                "stats.csv: 2026-11-27: bounces (120) are more than sent (100)",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,10,1,0\n2026-11-27,1,1,0,0,0\n"),
                "stats.csv:3:1: the date 2026-11-27 appears again (first on line 2)",
            ),
            (
                "date,sent,delivered,complaints\n".to_string(),
                "stats.csv:1: the header has no `bounces` column (found: date, sent, delivered, complaints)",
            ),
            (HEADER.to_string(), "stats.csv:2: has a header but no rows"),
            (
                String::new(),
                "stats.csv:1: is empty: there is no header line",
            ),
            (
                format!(
                    "{},inbox_placement\n2026-11-27,1,1,0,0,0,101\n",
                    HEADER.trim_end()
                ),
                "stats.csv:2:7: `inbox_placement` is \"101\", not a percentage from 0 to 100",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(&text).expect_err(expected);
            assert_eq!(err.to_string(), expected);
            assert!(err.hint().is_some(), "{expected}: a hint");
        }
        // Soft bounces retried and then delivered count twice: not an error.
        assert!(parse(&format!("{HEADER}2026-11-27,100,95,10,1,0\n")).is_ok());
    }

    #[test]
    fn a_preset_reads_an_esp_export_and_adds_up_a_day() {
        let ses = r#"{"SendDataPoints":[
            {"Timestamp":"2026-11-20T10:15:00Z","DeliveryAttempts":100,"Bounces":2,"Complaints":1,"Rejects":0},
            {"Timestamp":"2026-11-20T23:45:00Z","DeliveryAttempts":50,"Bounces":1,"Complaints":0,"Rejects":0},
            {"Timestamp":"2026-11-21T00:00:00Z","DeliveryAttempts":10,"Bounces":0,"Complaints":0,"Rejects":0}]}"#;
        let rows = parse_with(ses, Some("ses-stats")).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].sent, rows[0].bounces, rows[0].delivered),
            (Some(150), Some(3), None)
        );
        assert_eq!(rows[0].source, "ses-stats");
        let postmaster = r#"{"trafficStats":[{"name":"domains/example.com/trafficStats/20261120","userReportedSpamRatio":0.0042}]}"#;
        let rows = parse_with(postmaster, Some("postmaster")).expect("parses");
        assert_eq!(rows[0].date.to_string(), "2026-11-20");
        assert!((rows[0].spam_rate.expect("rate") - 0.42).abs() < 1e-9);
    }

    #[test]
    fn a_time_format_with_a_time_of_day_gives_a_send_not_a_day() {
        let mut file = tempfile::NamedTempFile::new().expect("temp");
        file.write_all(
            b"date,sent,bounces,complaints\n11/20/2026 10:00,100,1,0\n11/21/2026 00:00,50,0,0\n",
        )
        .expect("write");
        let ws = Default::default();
        let presets = crate::input::Presets {
            workspace: &ws,
            zone: chrono_tz::Tz::UTC,
        };
        let flags = crate::input::Overrides {
            time_format: Some("%m/%d/%Y %H:%M".into()),
            ..Default::default()
        };
        let preset = presets.resolve(None, &flags).expect("preset");
        let read = super::read(&StatsFile {
            path: file.path().to_path_buf(),
            preset,
        })
        .expect("reads");
        let dates: Vec<String> = read
            .checkpoints
            .iter()
            .map(|c| c.date.to_string())
            .collect();
        assert_eq!(dates, ["2026-11-20T10:00:00Z", "2026-11-21T00:00:00Z"]);
    }
}
