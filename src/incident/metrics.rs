//! Deliverability checkpoints, as kept on the record's `monitor` step: the counts an ESP reports
//! for one day or one send, and the pre-incident baseline they are compared with. Only counts
//! are stored; rates are derived whenever they are shown, so a corrected count can never leave a
//! stale rate behind.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::clock::{parse_rfc3339, rfc3339};

/// When a checkpoint was measured: a whole day (`2026-11-27`) or the instant of one send
/// (`2026-11-27T08:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckpointDate {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

impl CheckpointDate {
    /// A `YYYY-MM-DD` date or an RFC 3339 date-time.
    pub fn parse(text: &str) -> Option<CheckpointDate> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Some(CheckpointDate::Day(day));
        }
        parse_rfc3339(text).map(CheckpointDate::At)
    }

    /// The instant the checkpoint starts: midnight UTC for a day.
    pub fn start(&self) -> DateTime<Utc> {
        match self {
            CheckpointDate::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
            CheckpointDate::At(at) => *at,
        }
    }
}

impl Ord for CheckpointDate {
    fn cmp(&self, other: &Self) -> Ordering {
        // A day sorts before a send on the same midnight, so the order is total and stable.
        let rank = |d: &CheckpointDate| matches!(d, CheckpointDate::At(_));
        (self.start(), rank(self)).cmp(&(other.start(), rank(other)))
    }
}

impl PartialOrd for CheckpointDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for CheckpointDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckpointDate::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            CheckpointDate::At(at) => f.write_str(&rfc3339(*at)),
        }
    }
}

impl Serialize for CheckpointDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CheckpointDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CheckpointDate::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 date-time"
            ))
        })
    }
}

/// The counts an ESP reports for one day or one send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub date: CheckpointDate,
    pub sent: u64,
    pub delivered: u64,
    pub bounces: u64,
    pub complaints: u64,
    pub unsubscribes: u64,
    /// Share of the delivered mail that reached the inbox, in percent, when measured (seed
    /// tests or the ESP's placement report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_placement: Option<f64>,
}

impl Checkpoint {
    /// The rates of this checkpoint.
    pub fn rates(&self) -> Rates {
        Rates::of(
            self.sent,
            self.delivered,
            self.bounces,
            self.complaints,
            self.unsubscribes,
            self.inbox_placement,
        )
    }
}

/// The pre-incident baseline: the checkpoints of a normal period, added up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The first and last checkpoint of the period.
    pub from: CheckpointDate,
    pub until: CheckpointDate,
    /// How many checkpoints were added up.
    pub checkpoints: u64,
    pub sent: u64,
    pub delivered: u64,
    pub bounces: u64,
    pub complaints: u64,
    pub unsubscribes: u64,
    /// Mean inbox placement of the checkpoints that measured it, weighted by mail delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_placement: Option<f64>,
    /// The file it was read from, as named on the command line.
    pub source: String,
}

impl Baseline {
    /// Add up the checkpoints of a normal period; `None` when there are none.
    pub fn of(checkpoints: &[Checkpoint], source: &str) -> Option<Baseline> {
        let from = checkpoints.iter().map(|c| c.date).min()?;
        let until = checkpoints.iter().map(|c| c.date).max()?;
        let sum = |f: fn(&Checkpoint) -> u64| checkpoints.iter().map(f).sum::<u64>();
        let placed: Vec<(f64, f64)> = checkpoints
            .iter()
            .filter_map(|c| c.inbox_placement.map(|p| (p, c.delivered as f64)))
            .collect();
        let weight: f64 = placed.iter().map(|(_, w)| w).sum();
        let mean = if placed.is_empty() {
            None
        } else if weight > 0.0 {
            Some(placed.iter().map(|(p, w)| p * w).sum::<f64>() / weight)
        } else {
            Some(placed.iter().map(|(p, _)| p).sum::<f64>() / placed.len() as f64)
        };
        // Two decimals are all a placement test measures; more would only clutter the record.
        let inbox_placement = mean.map(|m| (m * 100.0).round() / 100.0);
        Some(Baseline {
            from,
            until,
            checkpoints: checkpoints.len() as u64,
            sent: sum(|c| c.sent),
            delivered: sum(|c| c.delivered),
            bounces: sum(|c| c.bounces),
            complaints: sum(|c| c.complaints),
            unsubscribes: sum(|c| c.unsubscribes),
            inbox_placement,
            source: source.to_string(),
        })
    }

    /// The rates of the whole period.
    pub fn rates(&self) -> Rates {
        Rates::of(
            self.sent,
            self.delivered,
            self.bounces,
            self.complaints,
            self.unsubscribes,
            self.inbox_placement,
        )
    }
}

/// Rates in percent, each `None` when its denominator is zero or it was not measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rates {
    /// Delivered of sent.
    pub delivery: Option<f64>,
    /// Bounces of sent: the measure ESPs (and AWS SES) act on.
    pub bounce: Option<f64>,
    /// Spam complaints of delivered: the measure of the Gmail and Yahoo bulk-sender rules.
    pub complaint: Option<f64>,
    /// Unsubscribes of delivered.
    pub unsubscribe: Option<f64>,
    pub inbox_placement: Option<f64>,
}

impl Rates {
    /// The rates of a set of counts.
    pub fn of(
        sent: u64,
        delivered: u64,
        bounces: u64,
        complaints: u64,
        unsubscribes: u64,
        inbox_placement: Option<f64>,
    ) -> Rates {
        let pct = |part: u64, whole: u64| (whole > 0).then(|| part as f64 * 100.0 / whole as f64);
        Rates {
            delivery: pct(delivered, sent),
            bounce: pct(bounces, sent),
            complaint: pct(complaints, delivered),
            unsubscribe: pct(unsubscribes, delivered),
            inbox_placement,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> CheckpointDate {
        CheckpointDate::parse(text).expect("valid date")
    }

    fn cp(date: &str, sent: u64, delivered: u64, inbox: Option<f64>) -> Checkpoint {
        Checkpoint {
            date: day(date),
            sent,
            delivered,
            bounces: sent - delivered,
            complaints: 1,
            unsubscribes: 2,
            inbox_placement: inbox,
        }
    }

    #[test]
    fn dates_are_days_or_instants_and_sort_in_time() {
        assert_eq!(day("2026-11-27").to_string(), "2026-11-27");
        assert_eq!(
            day("2026-11-27T09:00:00+01:00").to_string(),
            "2026-11-27T08:00:00Z"
        );
        assert!(day("2026-11-27") < day("2026-11-27T00:00:00Z"));
        assert!(day("2026-11-27T23:00:00Z") < day("2026-11-28"));
        assert_eq!(CheckpointDate::parse("27/11/2026"), None);
        assert_eq!(CheckpointDate::parse("2026-02-30"), None);
    }

    #[test]
    fn rates_are_derived_from_counts() {
        let rates = cp("2026-11-27", 10_000, 9_800, Some(93.0)).rates();
        assert_eq!(rates.bounce, Some(2.0));
        assert_eq!(rates.delivery, Some(98.0));
        assert!((rates.complaint.expect("rate") - 100.0 / 9_800.0).abs() < 1e-12);
        assert_eq!(rates.inbox_placement, Some(93.0));
        let none = cp("2026-11-27", 0, 0, None).rates();
        assert_eq!((none.bounce, none.complaint), (None, None));
    }

    #[test]
    fn a_baseline_adds_up_its_period() {
        let rows = [
            cp("2026-11-02", 1_000, 990, Some(96.0)),
            cp("2026-11-01", 3_000, 2_970, Some(92.0)),
            cp("2026-11-03", 500, 495, None),
        ];
        let base = Baseline::of(&rows, "base.csv").expect("rows");
        assert_eq!(
            (base.from, base.until),
            (day("2026-11-01"), day("2026-11-03"))
        );
        assert_eq!(
            (base.checkpoints, base.sent, base.complaints),
            (3, 4_500, 3)
        );
        // Weighted by delivered: (96 * 990 + 92 * 2970) / 3960 = 93.
        assert!((base.inbox_placement.expect("placement") - 93.0).abs() < 1e-9);
        assert_eq!(Baseline::of(&[], "x"), None);
    }

    #[test]
    fn checkpoints_round_trip_through_yaml() {
        let rows = vec![
            cp("2026-11-27", 10, 9, Some(91.5)),
            cp("2026-11-27T08:00:00Z", 10, 9, None),
        ];
        let yaml = serde_yaml::to_string(&rows).expect("serializes");
        assert!(yaml.contains("date: 2026-11-27\n"), "{yaml}");
        let back: Vec<Checkpoint> = serde_yaml::from_str(&yaml).expect("parses");
        assert_eq!(back, rows);
    }
}
