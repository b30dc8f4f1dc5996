//! A recipient list computed elsewhere (a warehouse query's result, as any client exports it
//! to CSV): read and held to the rules of the list computed here. Every address is normalized
//! and must be well formed, as the query's own rule makes them; a repeat is kept once; the
//! list is sorted by code point, as recipients.csv is.

use std::path::Path;

use crate::config::FileFormat;
use crate::error::{Error, Result};
use crate::input::{source, text};

/// The distinct addresses of a CSV file with an `email` column (`-`: standard input), sorted.
pub fn read_list(path: &Path) -> Result<Vec<String>> {
    let hint_export = "export the query's result as CSV with its header, e.g. bq query --format=csv, psql --csv, duckdb -csv";
    let opened = source::open(path, hint_export)?;
    let name = opened.name.clone();
    let invalid = |line: Option<u64>, message: String, hint: &str| Error::Invalid {
        path: name.clone(),
        line: line.and_then(|l| usize::try_from(l).ok()),
        message,
        hint: hint.to_string(),
    };
    if opened.format != FileFormat::Csv {
        return Err(invalid(
            None,
            format!("this is {}, not CSV", opened.format),
            hint_export,
        ));
    }
    let csv_error = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(io) => crate::limits::line_error(&name, io),
        _ => invalid(e.position().map(|p| p.line()), e.to_string(), hint_export),
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(crate::limits::LineCapped::new(opened.reader));
    let headers = reader.headers().map_err(csv_error)?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
        return Err(invalid(
            None,
            "the file is empty: no header row".into(),
            hint_export,
        ));
    }
    let column = headers
        .iter()
        .position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("email")
        })
        .ok_or_else(|| {
            invalid(
                Some(1),
                format!(
                    "the header has no email column (it has {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
                "run the query `incident audience --emit-sql` prints: its one column is email",
            )
        })?;
    let mut list = Vec::new();
    let mut email = String::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map(|p| p.line());
        if let Some(reason) =
            text::normalize_checked(record.get(column).unwrap_or_default(), &mut email)
        {
            return Err(invalid(
                line,
                format!(
                    "{:?} is not a well-formed address ({reason})",
                    crate::text::printable(&email)
                ),
                "the query keeps only well-formed addresses: record its result unchanged, not a list edited by hand",
            ));
        }
        list.push(email.clone());
    }
    if list.is_empty() {
        return Err(invalid(
            None,
            "the list has a header but no address".into(),
            "a query that matches nobody points at the filters or the table: check --campaign, --segment, the window and --sends-table with --emit-sql --counts",
        ));
    }
    list.sort_unstable();
    list.dedup();
    Ok(list)
}
