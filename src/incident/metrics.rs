//! Deliverability checkpoints, as kept on the record's `monitor` step: the counts an ESP reports
//! for one day or one send, and the pre-incident baseline they are compared with. Only counts
//! are stored; rates are derived whenever they are shown, so a corrected count can never leave a
//! stale rate behind.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::clock::{parse_rfc3339, rfc3339};
use crate::error::{Error, Result};

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

    /// Whether the whole checkpoint lies before `at` (a day ends at the next midnight UTC).
    pub fn ends_before(&self, at: DateTime<Utc>) -> bool {
        match self {
            CheckpointDate::Day(day) => day
                .succ_opt()
                .is_some_and(|next| next.and_time(chrono::NaiveTime::MIN).and_utc() <= at),
            CheckpointDate::At(sent) => *sent < at,
        }
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

/// The source of checkpoints read from the canonical stats CSV.
pub const CANONICAL: &str = "csv";

fn canonical() -> String {
    CANONICAL.to_string()
}

fn is_canonical(source: &str) -> bool {
    source == CANONICAL
}

/// The counts an ESP reports for one day or one send, each when it reports it: SES counts no
/// deliveries and no unsubscribes, Google Postmaster Tools only a spam rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub date: CheckpointDate,
    /// What reported it: the preset (`postmaster`), or `csv` for the canonical stats CSV. A
    /// date is stored once per source, so one ESP's figures never replace another's.
    #[serde(default = "canonical", skip_serializing_if = "is_canonical")]
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounces: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaints: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribes: Option<u64>,
    /// Share of the delivered mail that reached the inbox, in percent, when measured (seed
    /// tests or the ESP's placement report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_placement: Option<f64>,
    /// The spam rate a mailbox provider reports, in percent (Gmail's user-reported spam rate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam_rate: Option<f64>,
}

impl Checkpoint {
    /// The rates of this checkpoint.
    pub fn rates(&self) -> Rates {
        Rates::of(&Counts {
            sent: self.sent,
            delivered: self.delivered,
            bounces: self.bounces,
            complaints: self.complaints,
            unsubscribes: self.unsubscribes,
            inbox_placement: self.inbox_placement,
            spam_rate: self.spam_rate,
        })
    }

    /// The figures that differ between two checkpoints of one date and source, as
    /// `sent 100 → 200`.
    pub fn changes_from(&self, old: &Checkpoint) -> Vec<String> {
        let mut changes = Vec::new();
        let counts = [
            ("sent", old.sent, self.sent),
            ("delivered", old.delivered, self.delivered),
            ("bounces", old.bounces, self.bounces),
            ("complaints", old.complaints, self.complaints),
            ("unsubscribes", old.unsubscribes, self.unsubscribes),
        ];
        let shown = |n: Option<u64>| n.map_or("—".to_string(), |n| n.to_string());
        for (name, was, now) in counts {
            if was != now {
                changes.push(format!("{name} {} → {}", shown(was), shown(now)));
            }
        }
        let rate = |r: Option<f64>| r.map_or("—".to_string(), |r| format!("{r}"));
        for (name, was, now) in [
            ("inbox_placement", old.inbox_placement, self.inbox_placement),
            ("spam_rate", old.spam_rate, self.spam_rate),
        ] {
            if was != now {
                changes.push(format!("{name} {} → {}", rate(was), rate(now)));
            }
        }
        changes
    }
}

/// Counts and measured rates, each when known.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub sent: Option<u64>,
    pub delivered: Option<u64>,
    pub bounces: Option<u64>,
    pub complaints: Option<u64>,
    pub unsubscribes: Option<u64>,
    pub inbox_placement: Option<f64>,
    pub spam_rate: Option<f64>,
}

/// The pre-incident baseline: the checkpoints of a normal period, added up. A count is kept
/// only when every checkpoint has it: a sum over some days would skew its rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The first and last checkpoint of the period.
    pub from: CheckpointDate,
    pub until: CheckpointDate,
    /// How many checkpoints were added up.
    pub checkpoints: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounces: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaints: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribes: Option<u64>,
    /// Mean inbox placement of the checkpoints that measured it, weighted by mail delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inbox_placement: Option<f64>,
    /// Mean spam rate of the checkpoints that measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spam_rate: Option<f64>,
    /// The file it was read from, as named on the command line.
    pub source: String,
}

impl Baseline {
    /// Add up the checkpoints of a normal period; `None` when there are none. A count is
    /// kept only when every checkpoint has it; counts that add up past what 64 bits hold are an
    /// error naming the column, never a sum that wrapped.
    pub fn of(checkpoints: &[Checkpoint], source: &str) -> Result<Option<Baseline>> {
        let (Some(from), Some(until)) = (
            checkpoints.iter().map(|c| c.date).min(),
            checkpoints.iter().map(|c| c.date).max(),
        ) else {
            return Ok(None);
        };
        let sum = |column: &str, f: fn(&Checkpoint) -> Option<u64>| -> Result<Option<u64>> {
            let mut total: u64 = 0;
            for c in checkpoints {
                let Some(n) = f(c) else { return Ok(None) };
                total = total.checked_add(n).ok_or_else(|| Error::Invalid {
                    path: source.into(),
                    line: None,
                    message: format!(
                        "the `{column}` counts add up past {}, more than any baseline can hold",
                        u64::MAX
                    ),
                    hint: "check the column: counts are per day or send, not running totals".into(),
                })?;
            }
            Ok(Some(total))
        };
        Ok(Some(Baseline {
            from,
            until,
            checkpoints: checkpoints.len() as u64,
            sent: sum("sent", |c| c.sent)?,
            delivered: sum("delivered", |c| c.delivered)?,
            bounces: sum("bounces", |c| c.bounces)?,
            complaints: sum("complaints", |c| c.complaints)?,
            unsubscribes: sum("unsubscribes", |c| c.unsubscribes)?,
            inbox_placement: mean_placement(checkpoints),
            spam_rate: mean(checkpoints.iter().filter_map(|c| c.spam_rate)),
            source: source.to_string(),
        }))
    }

    /// The rates of the whole period.
    pub fn rates(&self) -> Rates {
        Rates::of(&Counts {
            sent: self.sent,
            delivered: self.delivered,
            bounces: self.bounces,
            complaints: self.complaints,
            unsubscribes: self.unsubscribes,
            inbox_placement: self.inbox_placement,
            spam_rate: self.spam_rate,
        })
    }
}

/// Inbox placement weighted by mail delivered, to two decimals (all a placement test
/// measures); unweighted when no delivered counts are known.
fn mean_placement(checkpoints: &[Checkpoint]) -> Option<f64> {
    let placed: Vec<(f64, f64)> = checkpoints
        .iter()
        .filter_map(|c| {
            c.inbox_placement
                .map(|p| (p, c.delivered.unwrap_or(0) as f64))
        })
        .collect();
    if placed.is_empty() {
        return None;
    }
    let weight: f64 = placed.iter().map(|(_, w)| w).sum();
    let m = if weight > 0.0 {
        placed.iter().map(|(p, w)| p * w).sum::<f64>() / weight
    } else {
        placed.iter().map(|(p, _)| p).sum::<f64>() / placed.len() as f64
    };
    Some((m * 100.0).round() / 100.0)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let values: Vec<f64> = values.collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Rates in percent, each `None` when its counts are not known or its denominator is zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rates {
    /// Delivered of sent.
    pub delivery: Option<f64>,
    /// Bounces of sent: the measure ESPs (and AWS SES) act on.
    pub bounce: Option<f64>,
    /// Spam complaints of delivered (the measure of the Gmail and Yahoo bulk-sender rules),
    /// or of sent when the ESP counts no deliveries (SES).
    pub complaint: Option<f64>,
    /// Whether the complaint rate is of sent, for want of a delivered count.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub complaint_of_sent: bool,
    /// Unsubscribes of delivered.
    pub unsubscribe: Option<f64>,
    pub inbox_placement: Option<f64>,
    /// As the mailbox provider reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spam_rate: Option<f64>,
}

impl Rates {
    /// The rates of a set of counts.
    pub fn of(c: &Counts) -> Rates {
        let pct = |part: Option<u64>, whole: Option<u64>| match (part, whole) {
            (Some(part), Some(whole)) if whole > 0 => Some(part as f64 * 100.0 / whole as f64),
            _ => None,
        };
        let complaint_of_sent = c.delivered.is_none() && c.complaints.is_some();
        Rates {
            delivery: pct(c.delivered, c.sent),
            bounce: pct(c.bounces, c.sent),
            complaint: pct(c.complaints, c.delivered.or(c.sent)),
            complaint_of_sent,
            unsubscribe: pct(c.unsubscribes, c.delivered),
            inbox_placement: c.inbox_placement,
            spam_rate: c.spam_rate,
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
            source: CANONICAL.into(),
            sent: Some(sent),
            delivered: Some(delivered),
            bounces: Some(sent - delivered),
            complaints: Some(1),
            unsubscribes: Some(2),
            inbox_placement: inbox,
            spam_rate: None,
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
        // SES counts no deliveries: the complaint rate is of sent, and says so.
        let ses = Checkpoint {
            delivered: None,
            ..cp("2026-11-27", 1_000, 0, None)
        }
        .rates();
        assert_eq!(ses.complaint, Some(0.1));
        assert!(ses.complaint_of_sent);
    }

    #[test]
    fn a_baseline_adds_up_its_period() {
        let rows = [
            cp("2026-11-02", 1_000, 990, Some(96.0)),
            cp("2026-11-01", 3_000, 2_970, Some(92.0)),
            cp("2026-11-03", 500, 495, None),
        ];
        let base = Baseline::of(&rows, "base.csv")
            .expect("adds up")
            .expect("rows");
        assert_eq!(
            (base.from, base.until),
            (day("2026-11-01"), day("2026-11-03"))
        );
        assert_eq!(
            (base.checkpoints, base.sent, base.complaints),
            (3, Some(4_500), Some(3))
        );
        // Weighted by delivered: (96 * 990 + 92 * 2970) / 3960 = 93.
        assert!((base.inbox_placement.expect("placement") - 93.0).abs() < 1e-9);
        assert_eq!(Baseline::of(&[], "x").expect("adds up"), None);
    }

    #[test]
    fn a_baseline_that_would_wrap_is_refused() {
        let half = u64::MAX / 2 + 1;
        let rows = [
            cp("2026-11-01", half, 0, None),
            cp("2026-11-02", half, 0, None),
        ];
        let err = Baseline::of(&rows, "base.csv").expect_err("refused");
        assert_eq!(
            err.to_string(),
            "base.csv: the `sent` counts add up past 18446744073709551615, more than any baseline can hold"
        );
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
