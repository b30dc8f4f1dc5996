//! Proceed carefully: reading an ESP's stats CSV into checkpoints, the `[thresholds]` of
//! `incident.toml`, and judging each checkpoint against them and against the pre-incident
//! baseline. Nothing here prints or writes; `commands::monitor` does.
//!
//! The defaults are the mailbox providers' and ESPs' own limits (see EMAIL-RULES.md, "After
//! sending"): a spam-complaint rate of 0.1 % is a warning and 0.3 % critical (Gmail and Yahoo
//! bulk-sender rules); a bounce rate of 2 % a warning and 5 % critical (AWS SES); inbox
//! placement under 90 % a warning. A threshold is reached *at* its value: exactly 0.3 % is
//! critical.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

pub use crate::config::Thresholds;

use crate::error::{Error, Result};
use crate::incident::{Baseline, Checkpoint, CheckpointDate};

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

/// Floating-point slack in threshold comparisons: 3 complaints of 1,000 delivered is exactly
/// 0.3 % and must count as reaching 0.3 %, whatever the last bit of the division says.
const EPSILON: f64 = 1e-9;

/// How a checkpoint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Ok,
    Warning,
    Critical,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so a width in the format string lines levels up.
        f.pad(match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Critical => "critical",
        })
    }
}

/// One reason a checkpoint is not ok.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub level: Level,
    /// What was measured: `complaint-rate`, `bounce-rate`, `inbox-placement`,
    /// `inbox-placement-vs-baseline` or `delivery-rate-vs-baseline`.
    pub signal: &'static str,
    /// One phrase: "complaint rate 0.42 % ≥ 0.30 % (critical)".
    pub message: String,
}

/// A checkpoint with its rates and flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub checkpoint: Checkpoint,
    pub rates: crate::incident::Rates,
    pub level: Level,
    pub flags: Vec<Flag>,
}

/// A rate as shown: two decimals and a percent sign, or a dash when there is none.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{rate:.2} %"),
        None => "—".into(),
    }
}

/// A count with its thousands grouped: `212,400`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Judge one checkpoint against the thresholds and, when there is one, the baseline.
pub fn judge(checkpoint: &Checkpoint, baseline: Option<&Baseline>, t: &Thresholds) -> Judged {
    let rates = checkpoint.rates();
    let mut flags = Vec::new();
    let mut at_or_above =
        |signal: &'static str, name: &str, rate: Option<f64>, warning: f64, critical: f64| {
            let Some(rate) = rate else { return };
            let (level, limit) = if rate + EPSILON >= critical {
                (Level::Critical, critical)
            } else if rate + EPSILON >= warning {
                (Level::Warning, warning)
            } else {
                return;
            };
            flags.push(Flag {
                level,
                signal,
                message: format!(
                    "{name} {} ≥ {} ({level})",
                    percent(Some(rate)),
                    percent(Some(limit))
                ),
            });
        };
    at_or_above(
        "complaint-rate",
        "complaint rate",
        rates.complaint,
        t.complaint_warning,
        t.complaint_critical,
    );
    at_or_above(
        "bounce-rate",
        "bounce rate",
        rates.bounce,
        t.bounce_warning,
        t.bounce_critical,
    );
    if let Some(placement) = rates.inbox_placement
        && placement + EPSILON < t.inbox_placement_warning
    {
        flags.push(Flag {
            level: Level::Warning,
            signal: "inbox-placement",
            message: format!(
                "inbox placement {} < {} (warning)",
                percent(Some(placement)),
                percent(Some(t.inbox_placement_warning))
            ),
        });
    }
    if let Some(base) = baseline.map(Baseline::rates) {
        for (signal, name, now, then) in [
            (
                "inbox-placement-vs-baseline",
                "inbox placement",
                rates.inbox_placement,
                base.inbox_placement,
            ),
            (
                "delivery-rate-vs-baseline",
                "delivery rate",
                rates.delivery,
                base.delivery,
            ),
        ] {
            let (Some(now), Some(then)) = (now, then) else {
                continue;
            };
            if then <= 0.0 {
                continue;
            }
            let drop = (then - now) * 100.0 / then;
            if drop + EPSILON >= t.baseline_drop {
                flags.push(Flag {
                    level: Level::Warning,
                    signal,
                    message: format!(
                        "{name} {} is {drop:.1} % below the baseline {} (warning)",
                        percent(Some(now)),
                        percent(Some(then))
                    ),
                });
            }
        }
    }
    let level = flags.iter().map(|f| f.level).max().unwrap_or(Level::Ok);
    Judged {
        checkpoint: checkpoint.clone(),
        rates,
        level,
        flags,
    }
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Merged {
    pub added: usize,
    pub replaced: usize,
}

/// Merge imported checkpoints into the stored ones: a checkpoint of a date already stored
/// replaces it (an ESP export is re-run as numbers settle), never duplicates it. Keeps date
/// order.
pub fn merge(stored: &mut Vec<Checkpoint>, imported: &[Checkpoint]) -> Merged {
    let mut merged = Merged::default();
    for checkpoint in imported {
        match stored.iter_mut().find(|c| c.date == checkpoint.date) {
            Some(existing) => {
                *existing = checkpoint.clone();
                merged.replaced += 1;
            }
            None => {
                stored.push(checkpoint.clone());
                merged.added += 1;
            }
        }
    }
    stored.sort_by_key(|c| c.date);
    merged
}

/// Read an ESP stats CSV: a header naming [`REQUIRED_COLUMNS`] in any order (and optionally
/// [`INBOX_PLACEMENT`]; other columns are ignored), then one row per day or send. Every
/// problem is an error naming the file, line and column.
pub fn read_csv(path: &Path) -> Result<Vec<Checkpoint>> {
    let file = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Invalid {
            path: path.to_path_buf(),
            line: None,
            message: "no such file".into(),
            hint: "check the path; export the campaign or daily stats from the ESP as CSV".into(),
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
    parse_csv(path, file)
}

/// Parse stats CSV text from any reader; `path` names it in errors.
pub fn parse_csv(path: &Path, input: impl std::io::Read) -> Result<Vec<Checkpoint>> {
    let header_hint = format!(
        "the first line must name the columns {} in any order (optional: {INBOX_PLACEMENT})",
        REQUIRED_COLUMNS.join(", ")
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .byte_headers()
        .map_err(|e| csv_error(path, &e))?
        .clone();
    if headers.is_empty() || headers.iter().all(<[u8]>::is_empty) {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            line: Some(1),
            message: "is empty: there is no header line".into(),
            hint: header_hint,
        });
    }
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = String::from_utf8_lossy(name);
        let name = name
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        if let Some(first) = columns.insert(name.clone(), i) {
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
    let missing: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .copied()
        .filter(|c| !columns.contains_key(*c))
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
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if missing.len() == 1 { "" } else { "s" },
                found.join(", ")
            ),
            hint: header_hint,
        });
    }
    let col = |name: &str| columns.get(name).copied().unwrap_or(0);
    let inbox = columns.get(INBOX_PLACEMENT).copied();

    let mut checkpoints: Vec<Checkpoint> = Vec::new();
    let mut seen: HashMap<CheckpointDate, usize> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, &e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() != headers.len() {
            return Err(Error::InvalidAt {
                path: path.to_path_buf(),
                line,
                column: record.len().min(headers.len()) + 1,
                message: format!(
                    "the row has {} field(s) where the header has {}",
                    record.len(),
                    headers.len()
                ),
                hint: "every row needs a value (maybe empty) for every column; quote values that hold commas".into(),
            });
        }
        let at = |column: usize, message: String, hint: &str| Error::InvalidAt {
            path: path.to_path_buf(),
            line,
            column: column + 1,
            message,
            hint: hint.into(),
        };
        let text = |column: usize| String::from_utf8_lossy(&record[column]).into_owned();
        let date_col = col("date");
        let date_text = text(date_col);
        let date = CheckpointDate::parse(&date_text).ok_or_else(|| {
            at(
                date_col,
                format!("`date` is {date_text:?}, not a date"),
                "write the date as YYYY-MM-DD (one row per day) or an RFC 3339 date-time such as 2026-11-27T08:00:00Z (one row per send)",
            )
        })?;
        if let Some(first) = seen.insert(date, line) {
            return Err(at(
                date_col,
                format!("the date {date} appears again (first on line {first})"),
                "keep one row per day or send; add the numbers up, or give each send its own time",
            ));
        }
        let count = |name: &'static str| -> Result<u64> {
            let column = col(name);
            let value = text(column);
            value.parse::<u64>().map_err(|_| {
                let what = if value.is_empty() {
                    format!("`{name}` is empty")
                } else {
                    format!("`{name}` is {value:?}, not a whole number")
                };
                at(
                    column,
                    what,
                    "counts are whole numbers of 0 or more, with no separators: 12500",
                )
            })
        };
        let checkpoint = Checkpoint {
            date,
            sent: count("sent")?,
            delivered: count("delivered")?,
            bounces: count("bounces")?,
            complaints: count("complaints")?,
            unsubscribes: count("unsubscribes")?,
            inbox_placement: match inbox {
                None => None,
                Some(column) => {
                    let value = text(column);
                    let number = value.trim_end_matches('%').trim();
                    if number.is_empty() {
                        None
                    } else {
                        match number.parse::<f64>() {
                            Ok(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Some(p),
                            _ => {
                                return Err(at(
                                    column,
                                    format!(
                                        "`{INBOX_PLACEMENT}` is {value:?}, not a percentage from 0 to 100"
                                    ),
                                    "write inbox placement in percent, e.g. 93.5, or leave it empty when not measured",
                                ));
                            }
                        }
                    }
                }
            },
        };
        // The counts must fit together, or every rate derived from them is wrong.
        let consistency = [
            // Each on its own: a soft bounce retried and then delivered counts in both, so
            // their sum may pass `sent`.
            (
                "delivered",
                checkpoint.delivered > checkpoint.sent,
                format!(
                    "delivered ({}) is more than sent ({})",
                    checkpoint.delivered, checkpoint.sent
                ),
            ),
            (
                "bounces",
                checkpoint.bounces > checkpoint.sent,
                format!(
                    "bounces ({}) are more than sent ({})",
                    checkpoint.bounces, checkpoint.sent
                ),
            ),
            (
                "complaints",
                checkpoint.complaints > checkpoint.delivered,
                format!(
                    "complaints ({}) are more than delivered ({})",
                    checkpoint.complaints, checkpoint.delivered
                ),
            ),
            (
                "unsubscribes",
                checkpoint.unsubscribes > checkpoint.delivered,
                format!(
                    "unsubscribes ({}) are more than delivered ({})",
                    checkpoint.unsubscribes, checkpoint.delivered
                ),
            ),
        ];
        if let Some((name, _, message)) = consistency.into_iter().find(|(_, bad, _)| *bad) {
            return Err(at(
                col(name),
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

    fn one(sent: u64, delivered: u64, bounces: u64, complaints: u64) -> Checkpoint {
        let text = format!("{HEADER}2026-11-27,{sent},{delivered},{bounces},{complaints},0\n");
        parse(&text).expect("parses").remove(0)
    }

    fn level(c: &Checkpoint) -> Level {
        judge(c, None, &Thresholds::default()).level
    }

    #[test]
    fn complaint_rate_edges_are_reached_at_their_value() {
        // Complaints are counted against delivered mail.
        assert_eq!(level(&one(1_000, 1_000, 0, 0)), Level::Ok);
        assert_eq!(level(&one(10_000, 10_000, 0, 9)), Level::Ok, "0.09 %");
        assert_eq!(level(&one(1_000, 1_000, 0, 1)), Level::Warning, "0.1 %");
        assert_eq!(
            level(&one(100_000, 100_000, 0, 299)),
            Level::Warning,
            "0.299 %"
        );
        assert_eq!(level(&one(1_000, 1_000, 0, 3)), Level::Critical, "0.3 %");
        assert_eq!(level(&one(7_000, 7_000, 0, 21)), Level::Critical, "0.3 %");
    }

    #[test]
    fn bounce_rate_edges_are_reached_at_their_value() {
        // Bounces are counted against sent mail.
        assert_eq!(level(&one(1_000, 981, 19, 0)), Level::Ok, "1.9 %");
        assert_eq!(level(&one(1_000, 980, 20, 0)), Level::Warning, "2 %");
        assert_eq!(level(&one(1_000, 951, 49, 0)), Level::Warning, "4.9 %");
        assert_eq!(level(&one(1_000, 950, 50, 0)), Level::Critical, "5 %");
        assert_eq!(level(&one(300, 285, 15, 0)), Level::Critical, "5 %");
    }

    #[test]
    fn inbox_placement_warns_under_its_threshold_and_against_the_baseline() {
        let text = format!(
            "{},inbox_placement\n2026-11-27,100,100,0,0,0,90\n2026-11-28,100,100,0,0,0,89.9%\n",
            HEADER.trim_end()
        );
        let rows = parse(&text).expect("parses");
        assert_eq!(level(&rows[0]), Level::Ok, "exactly 90 % is not under 90 %");
        assert_eq!(level(&rows[1]), Level::Warning);
        let base_rows = parse(&format!(
            "{},inbox_placement\n2026-11-01,100,100,0,0,0,100\n",
            HEADER.trim_end()
        ))
        .expect("parses");
        let base = Baseline::of(&base_rows, "base.csv").expect("baseline");
        // A drop of exactly `baseline_drop` (10 %) is reached.
        let judged = judge(&rows[0], Some(&base), &Thresholds::default());
        assert_eq!(judged.level, Level::Warning);
        assert_eq!(judged.flags[0].signal, "inbox-placement-vs-baseline");
        assert!(
            judged.flags[0]
                .message
                .contains("10.0 % below the baseline 100.00 %"),
            "{}",
            judged.flags[0].message
        );
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

    #[test]
    fn a_reimport_replaces_the_same_dates_and_keeps_date_order() {
        let mut stored = parse(&format!(
            "{HEADER}2026-11-28,100,90,10,1,0\n2026-11-27,100,90,10,1,0\n"
        ))
        .expect("parses");
        let again = parse(&format!(
            "{HEADER}2026-11-28,200,190,10,1,0\n2026-11-29,5,5,0,0,0\n"
        ))
        .expect("parses");
        let merged = merge(&mut stored, &again);
        assert_eq!(
            merged,
            Merged {
                added: 1,
                replaced: 1
            }
        );
        let dates: Vec<String> = stored.iter().map(|c| c.date.to_string()).collect();
        assert_eq!(dates, ["2026-11-27", "2026-11-28", "2026-11-29"]);
        assert_eq!(stored[1].sent, 200);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(212_400), "212,400");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn thresholds_are_validated() {
        assert!(Thresholds::default().validate().is_ok());
        let swapped = Thresholds {
            complaint_warning: 0.3,
            complaint_critical: 0.1,
            ..Thresholds::default()
        };
        assert_eq!(
            swapped.validate().map_err(|e| e.0),
            Err("complaint_warning")
        );
        let fraction = Thresholds {
            bounce_critical: 500.0,
            ..Thresholds::default()
        };
        assert_eq!(fraction.validate().map_err(|e| e.0), Err("bounce_critical"));
    }
}
