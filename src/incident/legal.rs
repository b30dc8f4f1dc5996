//! Legal clocks for data breaches: who must be told, by when, counted from the moment the team
//! became aware (`discovered_at`). A clock is met when a `notified` timeline entry names it.
//! Sources: GDPR Art. 33/34, UK GDPR, the Dutch DPA, California Civ. Code 1798.82 (SB 446),
//! New York GBL 899-aa, Australia's Privacy Act s 26WK.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::config::Jurisdiction;

use super::clock::timestamp;
use super::record::{Event, Incident, Status};

/// One notification duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalClock {
    /// Stable ID, used with `incident note --notified`.
    pub id: &'static str,
    pub jurisdiction: Jurisdiction,
    /// Who must be told.
    pub notify: &'static str,
    /// The law that sets the clock.
    pub law: &'static str,
    /// Time allowed from awareness; `None` for "without undue delay" duties.
    pub within: Option<Duration>,
    /// The deadline in words.
    pub deadline_text: &'static str,
    /// Whether it is the duty to tell the people affected, which the notice itself meets.
    pub individuals: bool,
}

/// Every clock the tool knows, in the order they are shown.
pub fn all_clocks() -> Vec<LegalClock> {
    use Jurisdiction::*;
    let hours = Duration::hours;
    let days = Duration::days;
    vec![
        LegalClock {
            id: "gdpr-authority",
            jurisdiction: Eu,
            notify: "the supervisory authority",
            law: "GDPR Art. 33",
            within: Some(hours(72)),
            individuals: false,
            deadline_text: "72 hours, weekends included",
        },
        LegalClock {
            id: "gdpr-individuals",
            jurisdiction: Eu,
            notify: "the people affected (when high risk)",
            law: "GDPR Art. 34",
            within: None,
            individuals: true,
            deadline_text: "without undue delay",
        },
        LegalClock {
            id: "nl-ap",
            jurisdiction: Netherlands,
            notify: "the Autoriteit Persoonsgegevens (online form)",
            law: "AVG/GDPR Art. 33",
            within: Some(hours(72)),
            individuals: false,
            deadline_text: "72 hours",
        },
        LegalClock {
            id: "uk-ico",
            jurisdiction: Uk,
            notify: "the ICO",
            law: "UK GDPR Art. 33",
            within: Some(hours(72)),
            individuals: false,
            deadline_text: "72 hours (24 hours for telecoms under PECR)",
        },
        LegalClock {
            id: "california-residents",
            jurisdiction: California,
            notify: "California residents affected",
            law: "Cal. Civ. Code 1798.82 (SB 446)",
            within: Some(days(30)),
            individuals: true,
            deadline_text: "30 calendar days",
        },
        LegalClock {
            id: "california-ag",
            jurisdiction: California,
            notify: "the Attorney General, with a sample notice (more than 500 residents)",
            law: "Cal. Civ. Code 1798.82(f)",
            within: Some(days(45)),
            individuals: false,
            deadline_text: "15 days after notifying residents",
        },
        LegalClock {
            id: "new-york-residents",
            jurisdiction: NewYork,
            notify: "New York residents affected",
            law: "NY GBL 899-aa",
            within: Some(days(30)),
            individuals: true,
            deadline_text: "30 days",
        },
        LegalClock {
            id: "australia-assessment",
            jurisdiction: Australia,
            notify: "(assessment) whether the breach is notifiable",
            law: "Privacy Act s 26WH",
            within: Some(days(30)),
            individuals: false,
            deadline_text: "assess within 30 days",
        },
        LegalClock {
            id: "australia-oaic",
            jurisdiction: Australia,
            notify: "the OAIC and the individuals at risk",
            law: "Privacy Act s 26WK/26WL",
            within: None,
            individuals: true,
            deadline_text: "as soon as practicable",
        },
    ]
}

/// The clocks for the chosen jurisdictions.
pub fn clocks_for(jurisdictions: &[Jurisdiction]) -> Vec<LegalClock> {
    all_clocks()
        .into_iter()
        .filter(|c| jurisdictions.contains(&c.jurisdiction))
        .collect()
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockStatus {
    /// Discovery time not known yet: the clock cannot start.
    NotStarted,
    /// Not notified, deadline ahead (or no fixed deadline).
    Due,
    /// Not notified, deadline passed.
    Overdue,
    /// Notified on time.
    Met,
    /// Notified late, or closed without notifying (after the deadline, or for a duty without one).
    Missed,
}

impl fmt::Display for ClockStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClockStatus::NotStarted => "not started",
            ClockStatus::Due => "due",
            ClockStatus::Overdue => "overdue",
            ClockStatus::Met => "met",
            ClockStatus::Missed => "missed",
        })
    }
}

/// A clock applied to one incident at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct ClockState {
    pub id: &'static str,
    pub notify: &'static str,
    pub law: &'static str,
    pub deadline_text: &'static str,
    /// The duty to tell the people affected: what a breach notice meets.
    #[serde(skip)]
    pub individuals: bool,
    pub deadline: Option<DateTime<Utc>>,
    pub notified_at: Option<DateTime<Utc>>,
    pub status: ClockStatus,
}

impl ClockState {
    /// Whether the clock still asks for action.
    pub fn is_open(&self) -> bool {
        matches!(self.status, ClockStatus::Due | ClockStatus::Overdue)
    }
}

/// What of an incident its legal clocks are evaluated on: when the team became aware, the
/// first notification recorded for each clock, and whether it is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockFacts {
    #[serde(with = "timestamp::option")]
    pub discovered_at: Option<DateTime<Utc>>,
    /// The earliest `notified` entry of each clock, in timeline order.
    pub notified: Vec<Notified>,
    pub closed: bool,
}

/// When a clock's duty was first recorded as met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notified {
    pub clock: String,
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
}

impl ClockFacts {
    /// The facts of `incident`.
    pub fn of(incident: &Incident) -> ClockFacts {
        let mut notified: Vec<Notified> = Vec::new();
        let notifications = incident
            .timeline
            .iter()
            .filter(|e| e.event == Event::Notified);
        for (clock, at) in notifications.filter_map(|e| Some((e.clock.as_deref()?, e.at))) {
            match notified.iter_mut().find(|n| n.clock == clock) {
                Some(first) => first.at = first.at.min(at),
                None => notified.push(Notified {
                    clock: clock.to_string(),
                    at,
                }),
            }
        }
        ClockFacts {
            discovered_at: incident.discovered_at(),
            notified,
            closed: incident.status == Status::Closed,
        }
    }
}

/// Evaluate each clock on an incident's [`ClockFacts`] at `now`.
pub fn evaluate(facts: &ClockFacts, clocks: &[LegalClock], now: DateTime<Utc>) -> Vec<ClockState> {
    let discovered = facts.discovered_at;
    clocks
        .iter()
        .map(|clock| {
            let deadline = discovered.zip(clock.within).map(|(d, w)| d + w);
            let notified_at = facts
                .notified
                .iter()
                .find(|n| n.clock == clock.id)
                .map(|n| n.at);
            let closed = facts.closed;
            let status = match (discovered, notified_at, deadline) {
                (None, None, _) => ClockStatus::NotStarted,
                (_, Some(n), Some(d)) if n > d => ClockStatus::Missed,
                (_, Some(_), _) => ClockStatus::Met,
                (_, None, Some(d)) if now > d && closed => ClockStatus::Missed,
                (_, None, Some(d)) if now > d => ClockStatus::Overdue,
                // A fixed deadline still ahead binds after closing too; "without undue delay"
                // cannot be met once the incident is closed.
                (_, None, None) if closed => ClockStatus::Missed,
                (_, None, _) => ClockStatus::Due,
            };
            ClockState {
                id: clock.id,
                notify: clock.notify,
                law: clock.law,
                deadline_text: clock.deadline_text,
                individuals: clock.individuals,
                deadline,
                notified_at,
                status,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{
        Answer, DISCOVERED_AT, IncidentId, Opening, Severity, Step, TimelineEntry,
    };
    use chrono::TimeZone;
    use indexmap::IndexMap;

    fn t(day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, h, 0, 0)
            .single()
            .expect("valid time")
    }

    fn breach(discovered: DateTime<Utc>) -> Incident {
        let id: IncidentId = "INC-20261120-001".parse().expect("valid id");
        let mut inc = Incident::open(
            id,
            Opening {
                title: "Breach".into(),
                kind: "data-breach".into(),
                severity: Severity::Sev1,
                by: "sam".into(),
                drill: false,
                at: discovered,
            },
        );
        let mut own = IndexMap::new();
        own.insert(
            DISCOVERED_AT.into(),
            Answer::Text(crate::incident::rfc3339(discovered)),
        );
        inc.complete_step(Step::Own, own, "sam", discovered);
        inc
    }

    fn gdpr(inc: &Incident, now: DateTime<Utc>) -> ClockState {
        evaluate(&ClockFacts::of(inc), &clocks_for(&[Jurisdiction::Eu]), now).remove(0)
    }

    #[test]
    fn the_72_hour_clock_is_due_then_overdue() {
        let inc = breach(t(20, 9));
        let state = gdpr(&inc, t(22, 9));
        assert_eq!(state.deadline, Some(t(23, 9)));
        assert_eq!(state.status, ClockStatus::Due);
        assert_eq!(
            gdpr(&inc, t(23, 9)).status,
            ClockStatus::Due,
            "the deadline itself is on time"
        );
        assert_eq!(gdpr(&inc, t(23, 10)).status, ClockStatus::Overdue);
    }

    #[test]
    fn a_notification_meets_or_misses_the_clock() {
        let mut inc = breach(t(20, 9));
        let mut note = TimelineEntry::new(t(22, 9), "sam", Event::Notified);
        note.clock = Some("gdpr-authority".into());
        inc.timeline.push(note.clone());
        assert_eq!(gdpr(&inc, t(25, 0)).status, ClockStatus::Met);
        inc.timeline.pop();
        note.at = t(24, 9);
        inc.timeline.push(note);
        assert_eq!(gdpr(&inc, t(25, 0)).status, ClockStatus::Missed);
    }

    #[test]
    fn closing_without_notifying_misses_a_passed_deadline_or_an_undue_delay_duty() {
        let mut inc = breach(t(20, 9));
        inc.status = Status::Closed;
        assert_eq!(gdpr(&inc, t(26, 0)).status, ClockStatus::Missed);
        assert_eq!(
            gdpr(&inc, t(21, 0)).status,
            ClockStatus::Due,
            "the law's deadline still runs after closing"
        );
        let individuals = evaluate(
            &ClockFacts::of(&inc),
            &clocks_for(&[Jurisdiction::Eu]),
            t(21, 0),
        )
        .remove(1);
        assert_eq!(individuals.id, "gdpr-individuals");
        assert_eq!(individuals.status, ClockStatus::Missed);
    }

    #[test]
    fn every_jurisdiction_has_its_clocks_counted_from_discovery() {
        let inc = breach(t(20, 9));
        let states = evaluate(
            &ClockFacts::of(&inc),
            &clocks_for(&Jurisdiction::ALL),
            t(20, 10),
        );
        let deadlines: Vec<(&str, Option<DateTime<Utc>>)> =
            states.iter().map(|s| (s.id, s.deadline)).collect();
        let hours = |h| Some(t(20, 9) + Duration::hours(h));
        assert_eq!(
            deadlines,
            [
                ("gdpr-authority", hours(72)),
                ("gdpr-individuals", None),
                ("nl-ap", hours(72)),
                ("uk-ico", hours(72)),
                ("california-residents", hours(30 * 24)),
                ("california-ag", hours(45 * 24)),
                ("new-york-residents", hours(30 * 24)),
                ("australia-assessment", hours(30 * 24)),
                ("australia-oaic", None),
            ]
        );
        assert!(states.iter().all(|s| s.status == ClockStatus::Due));
    }

    #[test]
    fn jurisdictions_choose_the_clocks() {
        let ids: Vec<_> = clocks_for(&[Jurisdiction::Netherlands, Jurisdiction::California])
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["nl-ap", "california-residents", "california-ag"]);
    }
}
