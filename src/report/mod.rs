//! The post-mortem: everything an incident record says, arranged in the sections the best
//! post-mortem templates share (Google SRE, PagerDuty, Atlassian) — header, summary, impact,
//! trigger and root cause, detection, response, timeline, the six steps, responders, decisions,
//! communications, lessons, action items, deliverability, legal clocks and the key durations —
//! and what is still missing when steps are open.
//!
//! [`build`] turns a record into a [`Report`]: plain data, every value already formatted for
//! people (Tera 2 has no date or number filters) next to the raw numbers scripts want. Each
//! output format is one file behind [`Renderer`]: Markdown and HTML through the overridable
//! templates under `templates/report/`, JSON straight from the data.

mod build;
mod chart;
mod html;
mod json;
mod markdown;
mod summary;

pub use build::{Inputs, build};
pub use chart::{Chart, chart};
pub use summary::{Summary, summarize};

use serde::Serialize;

use crate::error::Result;
use crate::incident::Incident;
use crate::templates::Templates;

/// What the report templates (`templates/report/`) are given, for `incident check`: the
/// fields of a [`Report`] of an incident with no answers, of a [`Summary`] of no incidents,
/// and the HTML chart.
pub fn schema() -> serde_json::Value {
    use crate::incident::{IncidentId, Opening, Severity};
    let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let incident = Incident::open(
        IncidentId::new(chrono::NaiveDate::MIN, 1),
        Opening {
            title: String::new(),
            kind: String::new(),
            severity: Severity::Sev4,
            by: String::new(),
            drill: false,
            at: epoch,
        },
    );
    let report = build(&Inputs {
        incident: &incident,
        runbook: None,
        roles: &Default::default(),
        thresholds: &Default::default(),
        clocks: Vec::new(),
        legal_clocks: false,
        now: epoch,
    });
    let mut schema = serde_json::to_value(&report).unwrap_or_default();
    let summary = summarize(&[], &Default::default(), epoch);
    if let (Some(map), Ok(serde_json::Value::Object(more))) =
        (schema.as_object_mut(), serde_json::to_value(&summary))
    {
        map.extend(more);
        map.insert(
            "chart".into(),
            serde_json::to_value(chart(&report)).unwrap_or_default(),
        );
    }
    schema
}

/// An output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// Renders a report or a summary in one format.
pub trait Renderer {
    /// One incident's post-mortem.
    fn report(&self, report: &Report, templates: &Templates) -> Result<String>;
    /// The trend across incidents; the summary is taken to be freed as soon as its values are
    /// in the template's context, whose rendering then reuses its memory.
    fn summary(&self, summary: Summary, templates: &Templates) -> Result<String>;
}

/// The renderer of a format.
pub fn renderer(format: Format) -> Box<dyn Renderer> {
    match format {
        Format::Markdown => Box::new(markdown::Markdown),
        Format::Html => Box::new(html::Html),
        Format::Json => Box::new(json::Json),
    }
}

/// A question and its answer as shown: `("Was the exposure stopped?", "yes")`.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One incident's post-mortem, every section ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When the report was made (the injectable clock), as `2026-11-26 10:00 UTC`.
    pub generated_at: String,
    pub header: Header,
    pub summary: Overview,
    pub impact: Impact,
    pub cause: Cause,
    pub detection: Detection,
    pub response: Response,
    /// Every event, in time order, in UTC.
    pub timeline: Vec<TimelineRow>,
    /// The six steps in order.
    pub steps: Vec<StepRow>,
    pub responders: Responders,
    pub decisions: Vec<Decision>,
    pub communications: Communications,
    pub lessons: Lessons,
    /// Every action item of the plan step, earliest due first.
    pub actions: Vec<ActionRow>,
    pub deliverability: Deliverability,
    pub legal: Legal,
    pub durations: Vec<DurationRow>,
    /// What the record does not say yet, each with the command that fills it in.
    pub missing: Vec<Missing>,
    /// Answers no section above shows, by step, so nothing in the record is left out.
    pub other_answers: Vec<StepAnswers>,
}

/// Title, severity, status, owner and dates.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub kind_title: String,
    pub severity: String,
    pub status: String,
    pub drill: bool,
    /// Who opened the incident and owns the record.
    pub owner: String,
    /// The role that takes charge (IT/Security for a breach), with its configured contact.
    pub lead: Option<String>,
    pub opened_at: String,
    pub discovered_at: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub steps_done: usize,
}

/// The summary section.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    /// A paragraph made from the record.
    pub text: String,
    pub first_report: Option<String>,
    pub resolution: Option<String>,
}

/// Who and what was hit, and what it cost.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    /// Affected subscribers as shown (`212,400`), and as a number.
    pub affected: Option<String>,
    pub affected_count: Option<u64>,
    /// Where the number comes from: counted from the send log, or the assess step's estimate.
    pub affected_source: Option<String>,
    /// Affected per segment; a count when `incident audience` computed it.
    pub segments: Vec<Fact>,
    /// Counted by `incident audience`: suppressed and malformed addresses left out.
    pub excluded: Vec<Fact>,
    /// Which personal data was exposed, when any.
    pub data_exposed: Vec<String>,
    /// Cost estimate, compensation and their total.
    pub costs: Vec<Fact>,
    pub total_cost: Option<String>,
}

/// Trigger, root cause and contributing factors.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub trigger: Option<String>,
    pub root_cause: Option<String>,
    pub contributing_factors: Vec<String>,
}

/// How and when it was found.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    pub how_found: Option<String>,
    pub first_report: Option<String>,
    /// When the problem started, when the record says (e.g. a breach's start).
    pub started_at: Option<String>,
    pub discovered_at: Option<String>,
    pub opened_at: String,
    /// From the start to discovery.
    pub time_to_detect: Option<String>,
    /// From discovery to opening the incident.
    pub time_to_open: Option<String>,
}

/// How the fire was put out and the recovery watched.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// The stop step's answers.
    pub containment: Vec<Fact>,
    pub time_to_stop: Option<String>,
    /// Who watches, until when.
    pub recovery: Vec<Fact>,
    pub resolution: Option<String>,
    pub closed_at: Option<String>,
}

/// One line of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    /// As shown: `2026-11-26 09:40 UTC`.
    pub at: String,
    /// For scripts: RFC 3339.
    pub at_rfc3339: String,
    pub by: String,
    pub event: String,
    pub text: String,
}

/// One row of the six-step table.
#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    pub number: usize,
    pub key: String,
    pub title: String,
    pub done: bool,
    pub status: String,
    pub responsible: String,
    pub by: Option<String>,
    pub completed_at: Option<String>,
    pub completed_at_rfc3339: Option<String>,
    /// Time from discovery to completion.
    pub since_discovery: Option<String>,
}

/// The people and the roles.
#[derive(Debug, Clone, Serialize)]
pub struct Responders {
    /// Everyone the record names, with what they did.
    pub people: Vec<Fact>,
    /// The roles, their configured contacts, and whether this severity brings them in.
    pub roles: Vec<RoleRow>,
}

/// One role of `incident.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleRow {
    pub role: String,
    pub contact: Option<String>,
    pub escalated: bool,
    pub lead: bool,
}

/// A decision taken, or a policy overridden.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub topic: String,
    pub decision: String,
    pub reason: Option<String>,
    /// "by NAME at TIME", when the record says.
    pub when: Option<String>,
    pub override_: bool,
}

/// What was said to whom.
#[derive(Debug, Clone, Serialize)]
pub struct Communications {
    /// The apology as rendered by `incident email`.
    pub email: Option<EmailRow>,
    /// The inform step's answers (subject, sign-off, channels, …).
    pub inform: Vec<Fact>,
    /// Legal notifications recorded with `incident note --notified`.
    pub notifications: Vec<TimelineRow>,
}

/// The rendered apology.
#[derive(Debug, Clone, Serialize)]
pub struct EmailRow {
    pub subject: String,
    pub locale: String,
    pub template: String,
    pub recipients: Option<String>,
    pub rendered_at: String,
    pub checks_passed: Vec<String>,
    pub warnings: Vec<String>,
    pub policy_override: Option<String>,
}

/// Lessons learned.
#[derive(Debug, Clone, Serialize)]
pub struct Lessons {
    pub went_well: Vec<String>,
    pub went_wrong: Vec<String>,
    pub lucky: Vec<String>,
    pub recorded: bool,
}

/// One action item.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// Its number in the record, as `incident note --action-done N` takes it.
    pub number: usize,
    pub what: String,
    pub owner: String,
    #[serde(rename = "type")]
    pub action_type: String,
    pub due: String,
    /// The day it was done, when it was.
    pub done: Option<String>,
    /// Still open after its due day.
    pub overdue: bool,
}

/// Deliverability: the checkpoints imported, judged.
#[derive(Debug, Clone, Serialize)]
pub struct Deliverability {
    pub checkpoints: Vec<CheckpointRow>,
    pub baseline: Option<BaselineRow>,
    /// The thresholds as shown: `0.10 %`.
    pub thresholds: Vec<Fact>,
    /// The same thresholds as numbers, in percent.
    pub limits: crate::config::Thresholds,
    /// The worst level of any checkpoint: `ok`, `warning`, `critical`, or `none`.
    pub worst: String,
    /// Whether a mailbox provider reported a spam rate, so the tables show its column.
    pub spam: bool,
    /// The monitor step's other answers about deliverability (owner, until, blocklists…).
    pub watch: Vec<Fact>,
}

/// One checkpoint with its rates and flags.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointRow {
    pub date: String,
    /// What reported it: `csv`, or the preset of the ESP's export.
    pub source: String,
    pub sent: String,
    pub delivered: String,
    pub bounce: String,
    pub complaint: String,
    pub unsubscribe: String,
    pub inbox_placement: String,
    pub spam_rate: String,
    pub level: String,
    pub flags: Vec<String>,
    /// The raw rates in percent, for scripts and the chart.
    pub rates: crate::incident::Rates,
}

/// The baseline as shown.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineRow {
    pub period: String,
    pub checkpoints: u64,
    pub sent: String,
    pub delivered: String,
    pub bounce: String,
    pub complaint: String,
    pub unsubscribe: String,
    pub inbox_placement: String,
    pub spam_rate: String,
    pub source: String,
}

/// The legal clocks, when the kind has them.
#[derive(Debug, Clone, Serialize)]
pub struct Legal {
    pub applies: bool,
    pub clocks: Vec<ClockRow>,
}

/// One legal clock's state.
#[derive(Debug, Clone, Serialize)]
pub struct ClockRow {
    pub id: String,
    pub notify: String,
    pub law: String,
    /// As shown: the deadline and the rule, `2026-11-29 06:50 UTC, 72 hours`.
    pub deadline: String,
    pub deadline_rfc3339: Option<String>,
    pub status: String,
    /// "met", "missed by 2h 05m", "due in 1d 4h", "OVERDUE by 3h 10m".
    pub phrase: String,
    pub notified_at: Option<String>,
    pub notified_at_rfc3339: Option<String>,
}

/// Something the record does not say yet.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub text: String,
    /// The command that fills it in, when there is one.
    pub command: Option<String>,
}

impl Missing {
    /// A gap no single command fills.
    pub fn text(text: impl Into<String>) -> Self {
        Missing {
            text: text.into(),
            command: None,
        }
    }

    /// A gap and the command that fills it.
    pub fn with(text: impl Into<String>, command: String) -> Self {
        Missing {
            text: text.into(),
            command: Some(command),
        }
    }
}

/// One of the key durations.
#[derive(Debug, Clone, Serialize)]
pub struct DurationRow {
    pub label: String,
    pub value: Option<String>,
    pub seconds: Option<i64>,
}

/// One step's answers that no section shows.
#[derive(Debug, Clone, Serialize)]
pub struct StepAnswers {
    pub step: String,
    pub answers: Vec<Fact>,
}

/// Render the summary with template `name`, the summary freed once its values are in the
/// context (see [`Renderer::summary`]).
fn render_summary(templates: &Templates, name: &str, summary: Summary) -> Result<String> {
    let context = context(&summary)?;
    drop(summary);
    templates.render(name, &context)
}

/// Tera's context from any serializable value whose fields become the top-level variables.
fn context<T: Serialize>(value: &T) -> Result<tera::Context> {
    tera::Context::from_serialize(value).map_err(|e| crate::error::Error::State {
        message: format!("cannot prepare the report for its template: {e}"),
        hint: "this is a bug in incident; please report it".into(),
    })
}
