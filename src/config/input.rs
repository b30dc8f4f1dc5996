//! `[input.presets.NAME]` of `incident.toml`: how to read one ESP's exports — which column or
//! JSON path holds each field, the file's format, separator, time format and zone, and which of
//! its status words mean delivered, bounced, not sent… The built-in presets (`presets/*.toml`)
//! are written in the same schema.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The `[input]` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Presets by name, usable with `--preset NAME` like the built-in ones.
    #[serde(default)]
    pub presets: BTreeMap<String, PresetSpec>,
}

/// One preset, as written in TOML.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresetSpec {
    /// What the preset reads, in a few words (for `--help` texts and docs).
    #[serde(default)]
    pub about: Option<String>,
    /// A preset this one starts from; its own keys win.
    #[serde(default)]
    pub base: Option<String>,
    /// JSON: the dotted path of the array holding an API page's records, or a list of
    /// candidates; the first a page has wins, and a value with none is one record.
    #[serde(default)]
    pub records: Option<Sources>,
    /// CSV: the separator, one character (`,`, `;`, `\t` or `tab`).
    #[serde(default)]
    pub delimiter: Option<String>,
    /// `auto`, `rfc3339`, `epoch`, `epoch-ms`, or a strftime pattern such as `%d-%m-%Y %H:%M`.
    #[serde(default)]
    pub time_format: Option<String>,
    /// The IANA zone of times written without one (default: the workspace's `timezone`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Where each field is: a column name or a dotted JSON path, or a list of them (the first
    /// that exists, or for JSON the first that holds a value, wins). Status may name several
    /// columns, joined with `/` into the word the vocabulary reads (`bounce/blocked`).
    #[serde(default)]
    pub map: BTreeMap<Field, Sources>,
    /// Which status words (or `/`-joined words, `*` for any) mean what.
    #[serde(default)]
    pub statuses: BTreeMap<Outcome, Vec<String>>,
    /// Suppression files: a row suppresses its address only when one of these holds, e.g.
    /// `Portal Bounce` (the column is true) or `tag=*` (the column has that value). A file that
    /// has none of the columns suppresses every address it lists.
    #[serde(default)]
    pub suppress_when: Vec<String>,
    /// Stats: `day` adds up the rows of each day (for exports with one row per hour or less).
    #[serde(default)]
    pub aggregate: Option<Aggregate>,
    /// Stats: whether `spam_rate` is a ratio (0.001) or a percentage (0.1).
    #[serde(default)]
    pub spam_rate: Option<RateScale>,
}

/// Formats an input file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// One JSON document: an array of records, or an object holding one.
    Json,
}

impl fmt::Display for FileFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileFormat::Csv => "CSV",
            FileFormat::Jsonl => "JSON lines",
            FileFormat::Json => "JSON",
        })
    }
}

/// How stats rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    Day,
}

/// How a rate is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RateScale {
    Ratio,
    Percent,
}

/// One column or path, or several candidates.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Sources {
    One(String),
    Many(Vec<String>),
}

impl Sources {
    /// The candidates, in order.
    pub fn list(&self) -> Vec<String> {
        match self {
            Sources::One(one) => vec![one.clone()],
            Sources::Many(many) => many.clone(),
        }
    }
}

macro_rules! fields {
    ($($variant:ident = $key:literal, $what:literal;)*) => {
        /// A field the input layer fills from a file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Field {
            $(#[doc = $what] $variant,)*
        }

        impl Field {
            /// Every field.
            pub const ALL: &[Field] = &[$(Field::$variant),*];

            /// The key used in `--map` and presets.
            pub fn key(self) -> &'static str {
                match self {
                    $(Field::$variant => $key,)*
                }
            }
        }
    };
}

fields! {
    Email = "email", "The recipient's address.";
    CampaignId = "campaign_id", "The campaign (or send job, or tag) a row belongs to.";
    Segment = "segment", "The segment or list.";
    SentAt = "sent_at", "When the email was sent (or the event happened).";
    Status = "status", "What happened to the email.";
    SubscriberId = "subscriber_id", "The ESP's id of the subscriber.";
    Date = "date", "Stats: the day or send the counts are for.";
    Sent = "sent", "Stats: emails sent.";
    Delivered = "delivered", "Stats: emails delivered.";
    Bounces = "bounces", "Stats: bounces.";
    Complaints = "complaints", "Stats: spam complaints.";
    Unsubscribes = "unsubscribes", "Stats: unsubscribes.";
    InboxPlacement = "inbox_placement", "Stats: the share delivered to the inbox, in percent.";
    SpamRate = "spam_rate", "Stats: the spam rate a mailbox provider reports.";
}

impl Field {
    /// Parse a `--map` field name.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    /// Whether the field belongs to a stats file.
    pub fn is_stat(self) -> bool {
        !matches!(
            self,
            Field::Email
                | Field::CampaignId
                | Field::Segment
                | Field::SentAt
                | Field::Status
                | Field::SubscriberId
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a status word says happened to an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The receiving server accepted it.
    Delivered,
    /// Opened or clicked: only a delivered email can be.
    Engaged,
    /// Handed to the sending system; no outcome known yet.
    Sent,
    /// Delayed; may still be delivered.
    Deferred,
    /// Refused by the receiving server.
    Bounced,
    /// Never sent: suppressed, invalid, rejected.
    Dropped,
    /// Reported as spam.
    Complained,
    /// The recipient unsubscribed.
    Unsubscribed,
    /// Known, but none of the above (a resubscribe, an auto-reply).
    Other,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 9] = [
        Outcome::Delivered,
        Outcome::Engaged,
        Outcome::Sent,
        Outcome::Deferred,
        Outcome::Bounced,
        Outcome::Dropped,
        Outcome::Complained,
        Outcome::Unsubscribed,
        Outcome::Other,
    ];

    /// The key used in presets, `--status` and the record.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Engaged => "engaged",
            Outcome::Sent => "sent",
            Outcome::Deferred => "deferred",
            Outcome::Bounced => "bounced",
            Outcome::Dropped => "dropped",
            Outcome::Complained => "complained",
            Outcome::Unsubscribed => "unsubscribed",
            Outcome::Other => "other",
        }
    }

    /// Parse an outcome's key.
    pub fn from_key(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
