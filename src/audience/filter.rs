//! Which rows of the send log count: the query (campaign, segments, statuses, time window), the
//! columns it needs, and the test of one row, all as the reference defines them.

use std::collections::HashMap;

use super::reader::CsvReader;
use super::text::{lower, strip};
use super::time::Instant;
use crate::error::{Error, Result};
use crate::incident::AudienceFilter;

/// What to select from the send log. An empty list or `None` lets every row through.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// `campaign_id`, compared after trimming the cell (the value itself is taken as given).
    pub campaign: Option<String>,
    /// `segment`, compared after trimming the cell.
    pub segments: Vec<String>,
    /// `status`, compared after trimming and lowercasing both sides.
    pub statuses: Vec<String>,
    /// `sent_at` at or after this instant.
    pub from: Option<Instant>,
    /// `sent_at` before this instant.
    pub until: Option<Instant>,
}

impl Query {
    /// A query; the statuses are lowercased here, once, as the reference does.
    pub fn new(
        campaign: Option<String>,
        segments: Vec<String>,
        statuses: Vec<String>,
        from: Option<Instant>,
        until: Option<Instant>,
    ) -> Query {
        Query {
            campaign,
            segments,
            statuses: statuses.iter().map(|s| lower(s)).collect(),
            from,
            until,
        }
    }

    /// Whether a time window is asked for (then `sent_at` is read).
    pub fn has_window(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }

    /// Whether `at` lies in the half-open window `[from, until)`.
    pub fn in_window(&self, at: Instant) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }

    /// Whether a trimmed `status` cell is one of the statuses asked for.
    pub fn status_matches(&self, status: &str) -> bool {
        if status.is_ascii() {
            // An ASCII cell lowercases to ASCII; a non-ASCII one may not (the Kelvin sign
            // lowercases to `k`), so only the first takes the shortcut.
            self.statuses.iter().any(|s| status.eq_ignore_ascii_case(s))
        } else {
            let status = lower(status);
            self.statuses.contains(&status)
        }
    }

    /// The query as stored in the record.
    pub fn to_record(&self) -> AudienceFilter {
        AudienceFilter {
            campaign: self.campaign.clone(),
            segments: self.segments.clone(),
            statuses: self.statuses.clone(),
            from: self.from.map(Instant::to_utc),
            until: self.until.map(Instant::to_utc),
        }
    }
}

/// The header of a CSV file: where each column is, by its name trimmed and lowercased (when a
/// name repeats, the last column of that name wins, as in the reference).
pub struct Header {
    pub names: Vec<String>,
    by_key: HashMap<String, usize>,
    line: Option<usize>,
}

impl Header {
    /// Read the header row of `reader`; an empty file is an error.
    pub fn read(reader: &mut CsvReader, what: &str) -> Result<Header> {
        let Some((names, offset)) = reader.header()? else {
            return Err(Error::Invalid {
                path: reader.path().to_path_buf(),
                line: None,
                message: format!("the {what} is empty: no header row"),
                hint: "export it again with its header row (email,…) and at least the header"
                    .into(),
            });
        };
        let by_key = names
            .iter()
            .enumerate()
            .map(|(i, name)| (lower(strip(name)), i))
            .collect();
        let line = super::reader::line_of(reader.path(), offset);
        Ok(Header {
            names,
            by_key,
            line,
        })
    }

    /// The number of columns; every row must have exactly this many fields.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// The index of column `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<usize> {
        self.by_key.get(name).copied()
    }

    /// The index of column `name`, or an error naming the columns there are.
    pub fn require(&self, reader: &CsvReader, name: &str, why: &str) -> Result<usize> {
        self.get(name).ok_or_else(|| {
            let listed: Vec<String> = self
                .names
                .iter()
                .map(|n| format!("`{}`", n.escape_debug()))
                .collect();
            Error::Invalid {
                path: reader.path().to_path_buf(),
                line: self.line,
                message: format!(
                    "no `{name}` column ({why}); the columns are {}",
                    listed.join(", ")
                ),
                hint: match separator_guess(&self.names) {
                    Some(sep) => format!(
                        "the header looks separated by {sep}, not commas: export the file as comma-separated CSV (in a spreadsheet: Save As, CSV UTF-8)"
                    ),
                    None => format!(
                        "rename the column to `{name}` (any case, spaces around are ignored), or export it from the ESP"
                    ),
                },
            }
        })
    }
}

/// A single header cell holding semicolons or tabs: an export from a spreadsheet set up for a
/// locale that separates with `;` (Dutch, German) or a TSV file.
fn separator_guess(names: &[String]) -> Option<&'static str> {
    match names {
        [only] if only.contains(';') => Some("semicolons"),
        [only] if only.contains('\t') => Some("tabs"),
        _ => None,
    }
}

/// Where the columns the query needs are in the send log.
pub struct Columns {
    pub email: usize,
    pub campaign: Option<usize>,
    pub segment: Option<usize>,
    pub status: Option<usize>,
    pub sent_at: Option<usize>,
}

impl Columns {
    /// Find the columns; one the query needs and the header lacks is an error. `segment` is
    /// optional without a segment filter: the per-segment counts then have one segment, "".
    pub fn resolve(header: &Header, reader: &CsvReader, query: &Query) -> Result<Columns> {
        let email = header.require(reader, "email", "the send log lists addresses")?;
        let need = |name: &str, flag: &str, asked: bool| -> Result<Option<usize>> {
            if asked {
                let why = format!("{flag} filters on it");
                header.require(reader, name, &why).map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(Columns {
            email,
            campaign: need("campaign_id", "--campaign", query.campaign.is_some())?,
            segment: match need("segment", "--segment", !query.segments.is_empty())? {
                Some(column) => Some(column),
                None => header.get("segment"),
            },
            status: need("status", "--status", !query.statuses.is_empty())?,
            sent_at: need("sent_at", "--from/--until", query.has_window())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::time::parse_instant;

    fn at(text: &str) -> Instant {
        parse_instant(text).expect("valid")
    }

    #[test]
    fn the_window_is_half_open() {
        let q = Query::new(
            None,
            vec![],
            vec![],
            Some(at("2026-11-20T09:00:00Z")),
            Some(at("2026-11-20T13:00:00Z")),
        );
        assert!(q.in_window(at("2026-11-20T09:00:00Z")));
        assert!(q.in_window(at("2026-11-20T10:00:00+01:00")));
        assert!(q.in_window(at("2026-11-20T12:59:59.999999Z")));
        assert!(!q.in_window(at("2026-11-20T13:00:00Z")));
        assert!(!q.in_window(at("2026-11-20T08:59:59Z")));
        assert!(!q.in_window(at("2026-11-21T10:00:00Z")));
    }

    #[test]
    fn statuses_compare_lowercased() {
        let q = Query::new(
            None,
            vec![],
            vec!["Delivered".into(), "OK".into()],
            None,
            None,
        );
        assert!(q.status_matches("delivered"));
        assert!(q.status_matches("DELIVERED"));
        assert!(q.status_matches("o\u{212a}")); // the Kelvin sign lowercases to k
        assert!(!q.status_matches("bounced"));
    }
}
