//! What `incident audience` found, as kept in the record's `assess` step: the counts, the
//! filter that produced them and the files they came from, so the post-mortem and the apology
//! can say how many people were affected and how that was established.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Outcome;
use crate::text::printable;

/// Why an address in the send log could not be used. The reasons are checked in this order,
/// and each malformed row is counted under the first that applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MalformedReason {
    /// Nothing left after trimming.
    Empty,
    /// No `@`.
    NoAt,
    /// More than one `@`.
    SeveralAt,
    /// White space inside the address.
    WhiteSpace,
    /// Nothing before the `@`.
    EmptyLocalPart,
    /// Nothing after the `@`.
    EmptyDomain,
}

impl MalformedReason {
    /// Every reason, in the order they are checked.
    pub const ALL: [MalformedReason; 6] = [
        MalformedReason::Empty,
        MalformedReason::NoAt,
        MalformedReason::SeveralAt,
        MalformedReason::WhiteSpace,
        MalformedReason::EmptyLocalPart,
        MalformedReason::EmptyDomain,
    ];

    /// The key used in records and JSON.
    pub fn key(self) -> &'static str {
        match self {
            MalformedReason::Empty => "empty",
            MalformedReason::NoAt => "no-at",
            MalformedReason::SeveralAt => "several-at",
            MalformedReason::WhiteSpace => "white-space",
            MalformedReason::EmptyLocalPart => "empty-local-part",
            MalformedReason::EmptyDomain => "empty-domain",
        }
    }
}

impl fmt::Display for MalformedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The filter the audience was computed with; an empty or absent part lets every row through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<String>,
    /// The window's start, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// The window's end, excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

impl AudienceFilter {
    /// The filter in words: "campaign C-1004, segment vip or gold, sent from … to before …";
    /// `time` formats the window's bounds.
    pub fn describe(&self, time: impl Fn(DateTime<Utc>) -> String) -> String {
        let mut parts = Vec::new();
        if let Some(campaign) = &self.campaign {
            parts.push(format!("campaign {}", printable(campaign)));
        }
        let any_of = |values: &[String]| {
            let names: Vec<String> = values.iter().map(|s| printable(s)).collect();
            names.join(" or ")
        };
        if !self.segments.is_empty() {
            parts.push(format!("segment {}", any_of(&self.segments)));
        }
        if !self.statuses.is_empty() {
            parts.push(format!("status {}", any_of(&self.statuses)));
        }
        match (self.from, self.until) {
            (Some(from), Some(until)) => parts.push(format!(
                "sent from {} to before {}",
                time(from),
                time(until)
            )),
            (Some(from), None) => parts.push(format!("sent from {}", time(from))),
            (None, Some(until)) => parts.push(format!("sent before {}", time(until))),
            (None, None) => {}
        }
        if parts.is_empty() {
            "every row".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The affected subscribers of an incident, as counted by `incident audience`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceSummary {
    pub computed_at: DateTime<Utc>,
    pub by: String,
    /// Distinct affected addresses: the lines of `recipients.csv`.
    pub affected: u64,
    /// Distinct affected addresses per segment; an address in two segments counts in both.
    #[serde(default)]
    pub segments: BTreeMap<String, u64>,
    /// Distinct addresses that passed the filter but are on a suppression list.
    pub suppressed: u64,
    /// Rows that passed the filter but whose address is malformed, in all.
    pub malformed_rows: u64,
    /// The same rows by reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub malformed: BTreeMap<MalformedReason, u64>,
    /// Rows of the send log read.
    pub rows_read: u64,
    /// Rows that passed the filter.
    pub rows_matched: u64,
    pub filter: AudienceFilter,
    /// The send log, as named on the command line.
    pub sends: String,
    /// The suppression files, as named on the command line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<String>,
    /// Distinct addresses that passed the filter but an `--exclude` file lists (the intended
    /// segment, or the ESP's bounces), left out like the suppressed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub excluded: u64,
    /// The `--exclude` files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Distinct addresses that passed the filter but unsubscribed or complained in the send
    /// log itself, left out like the suppressed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub opted_out: u64,
    /// How the send log was read: the preset, the format and the column of each field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<InputUsed>,
    /// Rows of the campaign and segments by the outcome their status means.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Rows of the campaign and segments whose status word the vocabulary does not know.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unknown_statuses: BTreeMap<String, u64>,
    /// Where the list was written, relative to the workspace.
    pub recipients: String,
    /// Set when the list is a warehouse query's result rather than a send log read here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<Warehouse>,
}

/// Where a list computed in a warehouse came from: enough for a post-mortem reader to
/// regenerate the query with the same flags (`incident audience --emit-sql`) and check that it
/// is the one that ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warehouse {
    /// `duckdb`, `bigquery`, `snowflake` or `postgres`.
    pub dialect: String,
    /// The SHA-256 of the query's text, as `--emit-sql` prints it, in hex.
    pub sql_sha256: String,
    /// The query's result file, as named (`standard input` for `-`).
    pub result: String,
}

/// How an input file was read, for the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputUsed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// `CSV`, `JSON lines` or `JSON`.
    pub format: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gzip: bool,
    /// `email ← "Email Address"`, one per field read.
    pub columns: Vec<String>,
    /// The zone times without one were read in, when there were such times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_assumed: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
