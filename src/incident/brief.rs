//! What `incident list` and `report --summary` read of a record, and nothing more: small enough
//! to keep for every record in the workspace's index, derived from the record by the same
//! functions that read the record itself, so a brief never says what its record would not.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::clock::timestamp;
use super::id::IncidentId;
use super::legal::ClockFacts;
use super::record::{Durations, Incident, Status};
use super::severity::Severity;
use super::step::Step;

/// One record in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Brief {
    pub id: IncidentId,
    pub title: String,
    pub kind: String,
    pub severity: Severity,
    pub status: Status,
    pub drill: bool,
    #[serde(with = "timestamp")]
    pub opened_at: DateTime<Utc>,
    pub steps_done: usize,
    pub next_step: Option<Step>,
    #[serde(with = "durations")]
    pub durations: Durations,
    /// What the legal clocks are evaluated on.
    pub clocks: ClockFacts,
}

impl Brief {
    /// The brief of `incident`.
    pub fn of(incident: &Incident) -> Brief {
        Brief {
            id: incident.id.clone(),
            title: incident.title.clone(),
            kind: incident.kind.clone(),
            severity: incident.severity,
            status: incident.status,
            drill: incident.drill,
            opened_at: incident.opened_at,
            steps_done: incident.steps_done(),
            next_step: incident.next_step(),
            durations: incident.durations(),
            clocks: ClockFacts::of(incident),
        }
    }
}

/// [`Durations`] as seconds and nanoseconds, exactly.
mod durations {
    use super::*;

    /// Whole seconds and the rest in nanoseconds, both of the duration's sign.
    type Parts = [Option<(i64, i32)>; 3];

    fn parts(d: Option<Duration>) -> Option<(i64, i32)> {
        d.map(|d| (d.num_seconds(), d.subsec_nanos()))
    }

    fn duration(parts: Option<(i64, i32)>) -> Option<Duration> {
        let (seconds, nanos) = parts?;
        Some(Duration::try_seconds(seconds)? + Duration::nanoseconds(i64::from(nanos)))
    }

    pub fn serialize<S: serde::Serializer>(d: &Durations, s: S) -> Result<S::Ok, S::Error> {
        let parts: Parts = [parts(d.acknowledge), parts(d.stop), parts(d.inform)];
        parts.serialize(s)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Durations, D::Error> {
        let [acknowledge, stop, inform] = Parts::deserialize(d)?;
        Ok(Durations {
            acknowledge: duration(acknowledge),
            stop: duration(stop),
            inform: duration(inform),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Answer, DISCOVERED_AT, Event, Opening, TimelineEntry};
    use chrono::TimeZone;
    use indexmap::IndexMap;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, s)
            .single()
            .expect("valid time")
    }

    #[test]
    fn a_brief_round_trips_and_says_what_the_record_says() {
        let id: IncidentId = "INC-20261126-001".parse().expect("valid id");
        let mut inc = Incident::open(
            id,
            Opening {
                title: "VIP offer sent to all".into(),
                kind: "wrong-segment".into(),
                severity: Severity::Sev2,
                by: "dana".into(),
                drill: false,
                at: at(10, 0, 0),
            },
        );
        let mut own = IndexMap::new();
        own.insert(
            DISCOVERED_AT.into(),
            Answer::Text("2026-11-26T09:40:00.250Z".into()),
        );
        inc.complete_step(Step::Own, own, "dana", at(10, 5, 0));
        // Completed before discovery, as a hand edit may say: a negative duration.
        inc.complete_step(Step::Stop, IndexMap::new(), "dana", at(9, 0, 0));
        let mut notified = TimelineEntry::new(at(11, 0, 0), "dana", Event::Notified);
        notified.clock = Some("gdpr-authority".into());
        inc.timeline.push(notified);

        let brief = Brief::of(&inc);
        assert_eq!(brief.steps_done, 2);
        assert_eq!(brief.next_step, Some(Step::Assess));
        assert_eq!(brief.durations, inc.durations());
        let json = serde_json::to_string(&brief).expect("serializes");
        let back: Brief = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, brief, "{json}");
        assert_eq!(
            back.durations.stop,
            Some(Duration::minutes(-40) - Duration::milliseconds(250))
        );
    }
}
