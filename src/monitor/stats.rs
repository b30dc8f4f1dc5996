//! Reading an ESP's stats CSV into checkpoints: one row per day or send, counts checked
//! against each other, every problem an error naming the file, line and column.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::incident::{Checkpoint, CheckpointDate};

/// The columns a stats CSV must have, in any order.
pub const REQUIRED_COLUMNS: [&str; 6] = [
    "date",
    "sent",
    "delivered",
    "bounces",
    "complaints",
    "unsubscribes",
];

/// The optional column: the share of delivered mail that reached the inbox, in percent.
pub const INBOX_PLACEMENT: &str = "inbox_placement";

/// Read an ESP stats CSV: a header naming [`REQUIRED_COLUMNS`] in any order (and optionally
/// [`INBOX_PLACEMENT`]; other columns are ignored), then one row per day or send. Every
/// problem is an error naming the file, line and column.
pub fn read_csv(path: &Path) -> Result<Vec<Checkpoint>> {
    let file = crate::input::open(
        path,
        "export the campaign or daily stats from the ESP as CSV",
    )?;
    parse_csv(path, file)
}

/// Parse stats CSV text from any reader; `path` names it in errors.
pub fn parse_csv(path: &Path, input: impl std::io::Read) -> Result<Vec<Checkpoint>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_error(path, &e))?
        .clone();
    let columns = Columns::find(path, &headers)?;
    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    let mut seen: HashMap<CheckpointDate, usize> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let row = Row {
            path,
            line: record.position().map_or(0, |p| p.line() as usize),
            record: &record,
        };
        if record.len() != headers.len() {
            return Err(row.error(
                record.len().min(headers.len()),
                format!(
                    "the row has {} field(s) where the header has {}",
                    record.len(),
                    headers.len()
                ),
                "every row needs a value (maybe empty) for every column; quote values that hold commas",
            ));
        }
        let checkpoint = row.checkpoint(&columns)?;
        if let Some(first) = seen.insert(checkpoint.date, row.line) {
            return Err(row.error(
                columns.date,
                format!(
                    "the date {} appears again (first on line {first})",
                    checkpoint.date
                ),
                "keep one row per day or send; add the numbers up, or give each send its own time",
            ));
        }
        if let Some((name, message)) = inconsistency(&checkpoint) {
            return Err(row.error(
                columns.of(name),
                message,
                "check that the columns are not swapped and that the row counts one day or send",
            ));
        }
        checkpoints.push(checkpoint);
    }
    if checkpoints.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: Some(2),
            message: "has a header but no rows".into(),
            hint: "export at least one day or send from the ESP".into(),
        });
    }
    checkpoints.sort_by_key(|c| c.date);
    Ok(checkpoints)
}

/// Where each figure is in the stats file.
struct Columns {
    date: usize,
    counts: [usize; 5],
    inbox: Option<usize>,
}

/// The count columns, in the order of [`Columns::counts`].
const COUNTS: [&str; 5] = ["sent", "delivered", "bounces", "complaints", "unsubscribes"];

impl Columns {
    /// Find the columns by name (any case, white space and a BOM around ignored); a column
    /// named twice, or a required one missing, is an error naming them.
    fn find(path: &Path, headers: &csv::ByteRecord) -> Result<Columns> {
        let header_hint = format!(
            "the first line must name the columns {} in any order (optional: {INBOX_PLACEMENT})",
            REQUIRED_COLUMNS.join(", ")
        );
        if headers.is_empty() || headers.iter().all(<[u8]>::is_empty) {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: Some(1),
                message: "is empty: there is no header line".into(),
                hint: header_hint,
            });
        }
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (i, name) in headers.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            let name = name
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase();
            if let Some(first) = by_name.insert(name.clone(), i) {
                return Err(Error::InvalidAt {
                    path: path.to_path_buf(),
                    line: 1,
                    column: i + 1,
                    message: format!(
                        "the column {name:?} appears twice (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                    hint: "keep one column of each name".into(),
                });
            }
        }
        let missing: Vec<String> = REQUIRED_COLUMNS
            .iter()
            .filter(|c| !by_name.contains_key(**c))
            .map(|m| format!("`{m}`"))
            .collect();
        if !missing.is_empty() {
            let found: Vec<String> = headers
                .iter()
                .map(|h| String::from_utf8_lossy(h).trim().to_string())
                .collect();
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                line: Some(1),
                message: format!(
                    "the header has no {} column{} (found: {})",
                    missing.join(", "),
                    if missing.len() == 1 { "" } else { "s" },
                    found.join(", ")
                ),
                hint: header_hint,
            });
        }
        let col = |name: &str| by_name.get(name).copied().unwrap_or(0);
        Ok(Columns {
            date: col("date"),
            counts: COUNTS.map(col),
            inbox: by_name.get(INBOX_PLACEMENT).copied(),
        })
    }

    /// The column of a count.
    fn of(&self, name: &str) -> usize {
        COUNTS
            .iter()
            .position(|c| *c == name)
            .map_or(self.date, |i| self.counts[i])
    }
}

/// One row of the file, to read figures from and name in errors.
struct Row<'a> {
    path: &'a Path,
    line: usize,
    record: &'a csv::ByteRecord,
}

impl Row<'_> {
    fn error(&self, column: usize, message: String, hint: &str) -> Error {
        Error::InvalidAt {
            path: self.path.to_path_buf(),
            line: self.line,
            column: column + 1,
            message,
            hint: hint.into(),
        }
    }

    fn text(&self, column: usize) -> String {
        String::from_utf8_lossy(&self.record[column]).into_owned()
    }

    /// The row as a checkpoint: its date, counts and inbox placement.
    fn checkpoint(&self, columns: &Columns) -> Result<Checkpoint> {
        let date_text = self.text(columns.date);
        let date = CheckpointDate::parse(&date_text).ok_or_else(|| {
            self.error(
                columns.date,
                format!("`date` is {date_text:?}, not a date"),
                "write the date as YYYY-MM-DD (one row per day) or an RFC 3339 date-time such as 2026-11-27T08:00:00Z (one row per send)",
            )
        })?;
        let mut counts = [0u64; 5];
        for (i, name) in COUNTS.iter().enumerate() {
            counts[i] = self.count(name, columns.counts[i])?;
        }
        let [sent, delivered, bounces, complaints, unsubscribes] = counts;
        Ok(Checkpoint {
            date,
            sent,
            delivered,
            bounces,
            complaints,
            unsubscribes,
            inbox_placement: match columns.inbox {
                None => None,
                Some(column) => self.placement(column)?,
            },
        })
    }

    fn count(&self, name: &str, column: usize) -> Result<u64> {
        let value = self.text(column);
        value.parse::<u64>().map_err(|_| {
            let what = if value.is_empty() {
                format!("`{name}` is empty")
            } else {
                format!("`{name}` is {value:?}, not a whole number")
            };
            self.error(
                column,
                what,
                "counts are whole numbers of 0 or more, with no separators: 12500",
            )
        })
    }

    /// Inbox placement in percent; empty when not measured.
    fn placement(&self, column: usize) -> Result<Option<f64>> {
        let value = self.text(column);
        let number = value.trim_end_matches('%').trim();
        if number.is_empty() {
            return Ok(None);
        }
        match number.parse::<f64>() {
            Ok(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok(Some(p)),
            _ => Err(self.error(
                column,
                format!("`{INBOX_PLACEMENT}` is {value:?}, not a percentage from 0 to 100"),
                "write inbox placement in percent, e.g. 93.5, or leave it empty when not measured",
            )),
        }
    }
}

/// The first count that cannot be true beside the others, or every rate derived from them is
/// wrong. Each is compared on its own: a soft bounce retried and then delivered counts in
/// both, so their sum may pass `sent`.
fn inconsistency(c: &Checkpoint) -> Option<(&'static str, String)> {
    let checks = [
        (
            "delivered",
            c.delivered > c.sent,
            format!("delivered ({}) is more than sent ({})", c.delivered, c.sent),
        ),
        (
            "bounces",
            c.bounces > c.sent,
            format!("bounces ({}) are more than sent ({})", c.bounces, c.sent),
        ),
        (
            "complaints",
            c.complaints > c.delivered,
            format!(
                "complaints ({}) are more than delivered ({})",
                c.complaints, c.delivered
            ),
        ),
        (
            "unsubscribes",
            c.unsubscribes > c.delivered,
            format!(
                "unsubscribes ({}) are more than delivered ({})",
                c.unsubscribes, c.delivered
            ),
        ),
    ];
    checks
        .into_iter()
        .find(|(_, bad, _)| *bad)
        .map(|(name, _, message)| (name, message))
}

fn csv_error(path: &Path, err: &csv::Error) -> Error {
    let position = err.position();
    let line = position.map_or(1, |p| p.line() as usize);
    let (column, message) = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => (err.field() + 1, "is not UTF-8 text".to_string()),
        csv::ErrorKind::Io(e) => return Error::io("cannot read", path, clone_io(e)),
        other => (1, format!("{other:?}")),
    };
    Error::InvalidAt {
        path: path.to_path_buf(),
        line,
        column,
        message,
        hint: "export the stats from the ESP as UTF-8 CSV".into(),
    }
}

fn clone_io(e: &std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "date,sent,delivered,bounces,complaints,unsubscribes\n";

    fn parse(text: &str) -> Result<Vec<Checkpoint>> {
        parse_csv(Path::new("stats.csv"), text.as_bytes())
    }

    #[test]
    fn columns_come_in_any_order_and_extra_ones_are_ignored() {
        let text = "Unsubscribes, Complaints,opens,DATE,bounces,delivered,sent\n3,1,500,2026-11-27,20,980,1000\n";
        let rows = parse(text).expect("parses");
        assert_eq!(
            rows[0],
            Checkpoint {
                date: CheckpointDate::parse("2026-11-27").expect("date"),
                sent: 1000,
                delivered: 980,
                bounces: 20,
                complaints: 1,
                unsubscribes: 3,
                inbox_placement: None,
            }
        );
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
                "stats.csv:2:3: delivered (101) is more than sent (100)",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,120,1,0\n"),
                "stats.csv:2:4: bounces (120) are more than sent (100)",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,10,1,0\n2026-11-27,1,1,0,0,0\n"),
                "stats.csv:3:1: the date 2026-11-27 appears again (first on line 2)",
            ),
            (
                format!("{HEADER}2026-11-27,100,90,10,,0\n"),
                "stats.csv:2:5: `complaints` is empty",
            ),
            (
                "date,sent,delivered,complaints\n".to_string(),
                "stats.csv:1: the header has no `bounces`, `unsubscribes` columns (found: date, sent, delivered, complaints)",
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
}
