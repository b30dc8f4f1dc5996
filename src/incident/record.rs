//! The incident record: one YAML file per incident, the source of truth.

use chrono::{DateTime, Duration, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::fmt;

use super::answer::{ActionItem, Answer};
use super::audience::AudienceSummary;
use super::clock::parse_rfc3339;
use super::id::IncidentId;
use super::metrics::{Baseline, Checkpoint};
use super::per_step::PerStep;
use super::severity::Severity;
use super::step::Step;

/// The record layout this build writes and the newest it reads. Version 2 added the
/// apology's `sent_at`, money answers with their currency, the audience's sources and
/// opt-outs and checkpoints per source; a version 1 record reads as is (every addition is
/// optional), while a build that knows only version 1 refuses a version 2 record by name
/// instead of failing on a field it does not know.
pub const SCHEMA_VERSION: u32 = 2;

/// The question every `own` step asks: when the team became aware. Legal clocks and durations
/// run from it.
pub const DISCOVERED_AT: &str = "discovered_at";

/// Whether the incident is still being worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Open,
    Closed,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Open => "open",
            Status::Closed => "closed",
        })
    }
}

/// Where one step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    Pending,
    Done,
}

/// One step's section of the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    pub status: StepStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default)]
    pub answers: IndexMap<String, Answer>,
    /// `inform` only: the apology as last rendered by `incident email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailSummary>,
    /// `inform` only: when the rendered apology went out, as recorded with `incident note ID
    /// … --sent`. The people affected count as informed from then, not from the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// `monitor` only: the deliverability checkpoints imported by `incident monitor`, one per
    /// day or send, in date order. Rates are derived from these counts, never stored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkpoints: Vec<Checkpoint>,
    /// `monitor` only: the pre-incident baseline the checkpoints are compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// `assess` only: the affected subscribers as last computed by `incident audience`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<AudienceSummary>,
}

/// What `incident email` rendered, kept for the post-mortem's communications section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSummary {
    pub rendered_at: DateTime<Utc>,
    pub subject: String,
    pub locale: String,
    /// The email body family: `mistake` or `breach`.
    pub template: String,
    /// Recipients, from the assessed audience when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<u64>,
    /// Codes of the checks that passed, and of the warnings that were raised.
    pub checks_passed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The reason given to override the apology policy, when it was overridden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_override: Option<String>,
}

impl StepRecord {
    fn pending() -> Self {
        StepRecord {
            status: StepStatus::Pending,
            completed_at: None,
            by: None,
            answers: IndexMap::new(),
            email: None,
            sent_at: None,
            checkpoints: Vec::new(),
            baseline: None,
            audience: None,
        }
    }

    /// Whether the step has been completed.
    pub fn is_done(&self) -> bool {
        self.status == StepStatus::Done
    }
}

/// The six step sections, in walking order.
pub type Steps = PerStep<StepRecord>;

/// What happened, in the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    Opened,
    StepCompleted,
    Note,
    Notified,
    /// The apology was rendered (`incident email`).
    EmailRendered,
    /// The apology went out to the people affected (`incident note ID … --sent`).
    ApologySent,
    /// An operator overrode the apology policy, with a written reason.
    PolicyOverride,
    /// Deliverability checkpoints (or a baseline) were imported (`incident monitor`).
    MetricsImported,
    /// The affected subscribers were computed from the send log (`incident audience`).
    AudienceComputed,
    Closed,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub by: String,
    pub event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
    /// For `notified`: the legal clock the notification satisfies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl TimelineEntry {
    /// A plain entry with no step, clock or message.
    pub fn new(at: DateTime<Utc>, by: &str, event: Event) -> Self {
        TimelineEntry {
            at,
            by: by.to_string(),
            event,
            step: None,
            clock: None,
            message: None,
        }
    }
}

/// The whole incident record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    pub schema_version: u32,
    pub id: IncidentId,
    pub title: String,
    pub kind: String,
    pub severity: Severity,
    pub status: Status,
    /// A practice incident: marked everywhere and kept out of the metrics.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drill: bool,
    pub opened_at: DateTime<Utc>,
    pub opened_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    pub steps: Steps,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

/// What a new incident is opened with.
#[derive(Debug, Clone)]
pub struct Opening {
    pub title: String,
    pub kind: String,
    pub severity: Severity,
    pub by: String,
    pub drill: bool,
    pub at: DateTime<Utc>,
}

impl Incident {
    /// A freshly opened incident with every step pending.
    pub fn open(id: IncidentId, opening: Opening) -> Self {
        let mut opened = TimelineEntry::new(opening.at, &opening.by, Event::Opened);
        opened.message = Some(format!(
            "{} opened as {} ({}){}",
            id,
            opening.kind,
            opening.severity,
            if opening.drill { ", drill" } else { "" }
        ));
        Incident {
            schema_version: SCHEMA_VERSION,
            id,
            title: opening.title,
            kind: opening.kind,
            severity: opening.severity,
            status: Status::Open,
            drill: opening.drill,
            opened_at: opening.at,
            opened_by: opening.by,
            closed_at: None,
            closed_by: None,
            resolution: None,
            steps: Steps::from_fn(|_| StepRecord::pending()),
            timeline: vec![opened],
        }
    }

    /// The first step not yet done, if any.
    pub fn next_step(&self) -> Option<Step> {
        Step::ALL
            .into_iter()
            .find(|step| !self.steps.get(*step).is_done())
    }

    /// How many of the six steps are done.
    pub fn steps_done(&self) -> usize {
        Step::ALL
            .into_iter()
            .filter(|step| self.steps.get(*step).is_done())
            .count()
    }

    /// When the team became aware, from the `own` step's answer.
    pub fn discovered_at(&self) -> Option<DateTime<Utc>> {
        self.steps
            .own
            .answers
            .get(DISCOVERED_AT)
            .and_then(Answer::as_text)
            .and_then(parse_rfc3339)
    }

    /// The plan's action items in record order; `incident note --action-done N` and the
    /// report number them from 1 in this order.
    pub fn action_items(&self) -> impl Iterator<Item = &ActionItem> {
        self.steps
            .plan
            .answers
            .values()
            .filter_map(Answer::as_actions)
            .flatten()
    }

    /// Action item `number` (from 1), to mark it done.
    pub fn action_item_mut(&mut self, number: usize) -> Option<&mut ActionItem> {
        self.steps
            .plan
            .answers
            .values_mut()
            .filter_map(|answer| match answer {
                Answer::Actions(items) => Some(items),
                _ => None,
            })
            .flatten()
            .nth(number.checked_sub(1)?)
    }

    /// When a step was completed, read from the timeline.
    pub fn step_completed_at(&self, step: Step) -> Option<DateTime<Utc>> {
        self.timeline
            .iter()
            .find(|e| e.event == Event::StepCompleted && e.step == Some(step))
            .map(|e| e.at)
    }

    /// The key durations, derived from the timeline and never stored.
    pub fn durations(&self) -> Durations {
        let start = self.discovered_at().unwrap_or(self.opened_at);
        let since = |step| self.step_completed_at(step).map(|at| at - start);
        Durations {
            acknowledge: since(Step::Own),
            stop: since(Step::Stop),
            inform: self.steps.inform.sent_at.map(|at| at - start),
        }
    }
}

/// Time from discovery to the moments that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    pub acknowledge: Option<Duration>,
    pub stop: Option<Duration>,
    pub inform: Option<Duration>,
}

impl Durations {
    /// Each duration with its label, in order.
    pub fn labelled(&self) -> [(&'static str, Option<Duration>); 3] {
        [
            ("time_to_acknowledge", self.acknowledge),
            ("time_to_stop", self.stop),
            ("time_to_inform", self.inform),
        ]
    }
}

#[cfg(test)]
impl Incident {
    /// A wrong-segment incident, INC-20261126-001, opened by dana at `at`: the one unit
    /// tests start from.
    pub(crate) fn example(at: DateTime<Utc>) -> Incident {
        Incident::open(
            "INC-20261126-001".parse().expect("valid id"),
            Opening {
                title: "Wrong segment".into(),
                kind: "wrong-segment".into(),
                severity: Severity::Sev2,
                by: "dana".into(),
                drill: false,
                at,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
            .single()
            .expect("valid time")
    }

    fn incident() -> Incident {
        Incident::example(at(10, 0))
    }

    #[test]
    fn durations_run_from_discovery_through_the_timeline() {
        let mut inc = incident();
        let mut own = IndexMap::new();
        own.insert(
            DISCOVERED_AT.to_string(),
            Answer::Text("2026-11-26T09:30:00Z".into()),
        );
        inc.complete_step(Step::Own, own, "dana", at(10, 5));
        inc.complete_step(Step::Stop, IndexMap::new(), "dana", at(11, 0));
        let d = inc.durations();
        assert_eq!(d.acknowledge, Some(Duration::minutes(35)));
        assert_eq!(d.stop, Some(Duration::minutes(90)));
        assert_eq!(d.inform, None);
        assert_eq!(inc.next_step(), Some(Step::Assess));
        assert_eq!(inc.steps_done(), 2);
    }

    #[test]
    fn the_record_round_trips_through_yaml() {
        let inc = incident();
        let yaml = serde_yaml::to_string(&inc).expect("serializes");
        assert!(
            yaml.starts_with("schema_version: 2\nid: INC-20261126-001\n"),
            "{yaml}"
        );
        let back: Incident = serde_yaml::from_str(&yaml).expect("parses");
        assert_eq!(back, inc);
    }
}
