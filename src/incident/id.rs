//! Incident IDs: `INC-YYYYMMDD-NNN`, validated before they ever touch a path. The sequence has
//! at least three digits and widens as it grows (`-999`, `-1000`, …, `-1000000`): every ID
//! written can be read back, and each has one spelling.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// A validated incident ID. Only ASCII letters, digits and dashes in a fixed shape, so it is
/// always safe as a file name inside the workspace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IncidentId {
    date: NaiveDate,
    sequence: u32,
}

impl IncidentId {
    /// The ID for the `sequence`th incident opened on `date`.
    pub fn new(date: NaiveDate, sequence: u32) -> Self {
        IncidentId { date, sequence }
    }

    /// The ID after sequence `last` on `date`; `None` once the sequence is used up.
    pub fn after(date: NaiveDate, last: u32) -> Option<Self> {
        last.checked_add(1)
            .map(|sequence| IncidentId { date, sequence })
    }

    /// The day the incident was opened.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The sequence number within the day, from 1.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike as _;
        let (year, month, day) = (self.date.year(), self.date.month(), self.date.day());
        // Written by hand: this is on every row of every listing, and chrono's formatter is
        // several times slower. Years outside four digits are chrono's to spell.
        if (0..=9999).contains(&year) {
            write!(f, "INC-{year:04}{month:02}{day:02}-{:03}", self.sequence)
        } else {
            write!(f, "INC-{}-{:03}", self.date.format("%Y%m%d"), self.sequence)
        }
    }
}

impl FromStr for IncidentId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || Error::InvalidId(s.to_string());
        let rest = s.strip_prefix("INC-").ok_or_else(invalid)?;
        let (date, seq) = rest.split_once('-').ok_or_else(invalid)?;
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        // u32::MAX has ten digits; more cannot be a sequence, and is not parsed.
        if date.len() != 8
            || !all_digits(date)
            || !(3..=10).contains(&seq.len())
            || !all_digits(seq)
        {
            return Err(invalid());
        }
        let number = |digits: &str| digits.parse::<u32>().map_err(|_| invalid());
        let (year, month, day) = (
            number(&date[..4])?,
            number(&date[4..6])?,
            number(&date[6..])?,
        );
        let date = i32::try_from(year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, month, day))
            .ok_or_else(invalid)?;
        let sequence = number(seq)?;
        // One spelling per incident: INC-20261126-0001 is not another name for -001, nor
        // INC-20261126-01000 for -1000 (three digits, or more without a leading zero).
        if sequence == 0 || (seq.len() > 3 && seq.starts_with('0')) {
            return Err(invalid());
        }
        Ok(IncidentId { date, sequence })
    }
}

impl Serialize for IncidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IncidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
        let id = IncidentId::new(date, 7);
        assert_eq!(id.to_string(), "INC-20261126-007");
        assert_eq!("INC-20261126-007".parse::<IncidentId>().ok(), Some(id));
        assert_eq!(
            "INC-20261126-1234"
                .parse::<IncidentId>()
                .map(|i| i.sequence())
                .ok(),
            Some(1234)
        );
    }

    #[test]
    fn every_id_reads_back_across_the_widths_and_the_sequence_ends() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
        for last in [
            998,
            999,
            9_999,
            999_999,
            9_999_999,
            999_999_999,
            u32::MAX - 1,
        ] {
            let next = IncidentId::after(date, last).expect("an ID left");
            assert_eq!(next.sequence(), last + 1);
            let text = next.to_string();
            assert_eq!(
                text.parse::<IncidentId>().ok(),
                Some(next.clone()),
                "{text}"
            );
            assert!(IncidentId::new(date, last) < next, "sorts after {last}");
        }
        assert_eq!(
            IncidentId::after(date, 999_999).map(|i| i.to_string()),
            Some("INC-20261126-1000000".to_string())
        );
        assert_eq!(IncidentId::after(date, u32::MAX), None);
        for other_spelling in [
            "INC-20261126-01000",
            "INC-20261126-0001000000",
            "INC-20261126-4294967296",
        ] {
            assert!(
                other_spelling.parse::<IncidentId>().is_err(),
                "{other_spelling}"
            );
        }
    }

    #[test]
    fn refuses_anything_that_could_escape_the_workspace_or_is_ambiguous() {
        for hostile in [
            "../../x",
            "INC-20261126-001/../../etc",
            "INC-20261126-001.yaml",
            "inc-20261126-001",
            "INC-20261326-001",
            "INC-20261126-000",
            "INC-20261126-0001",
            "INC-2026112-001",
            "INC-20261126-01",
            "INC-20261126-001\n",
            "",
            "/etc/passwd",
        ] {
            assert!(
                hostile.parse::<IncidentId>().is_err(),
                "{hostile:?} accepted"
            );
        }
    }
}
