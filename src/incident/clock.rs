//! The one clock. Every timestamp the tool writes comes from here, so `--now` / `INCIDENT_NOW`
//! makes records, reports and tests reproducible.

use chrono::{DateTime, SecondsFormat, Utc};

/// Either the system clock or a fixed instant.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The real time.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// Always the given instant.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock { fixed: Some(at) }
    }

    /// The current instant, to the second.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.fixed.unwrap_or_else(Utc::now);
        // Records store whole seconds: sub-second noise only makes diffs harder to read.
        now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()))
    }
}

/// Format an instant as stored in records: RFC 3339, UTC, whole seconds.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parse an RFC 3339 instant into UTC.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An instant as seconds and nanoseconds since the epoch, exactly: what a cache stores, read
/// back without parsing text (`#[serde(with = "timestamp")]`).
pub mod timestamp {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Write `at`.
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        (at.timestamp(), at.timestamp_subsec_nanos()).serialize(s)
    }

    /// Read an instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let (seconds, nanos) = <(i64, u32)>::deserialize(d)?;
        DateTime::from_timestamp(seconds, nanos)
            .ok_or_else(|| serde::de::Error::custom("an instant out of range"))
    }

    /// The same for an optional instant.
    pub mod option {
        use super::*;

        /// Write `at`.
        pub fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            at.map(|at| (at.timestamp(), at.timestamp_subsec_nanos()))
                .serialize(s)
        }

        /// Read an optional instant.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<(i64, u32)>::deserialize(d)? {
                Some((seconds, nanos)) => DateTime::from_timestamp(seconds, nanos)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("an instant out of range")),
                None => Ok(None),
            }
        }
    }
}
