//! What a runbook says: per incident kind, the guidance, checklist and typed questions of each
//! of the six steps, who to escalate to, and the apology policy.

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use crate::incident::QuestionType;
use crate::incident::{ActionType, Answer, PerStep, Role, Severity};

/// One incident kind's runbook, as written in `runbooks/KIND.yaml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// The kind's name, equal to the file stem: `wrong-segment`.
    pub kind: String,
    /// What the incident is, in a few words.
    pub title: String,
    /// One or two sentences telling an on-call marketer when this kind applies.
    pub summary: String,
    pub default_severity: Severity,
    /// Whether data-breach notification clocks run for this kind.
    #[serde(default)]
    pub legal_clocks: bool,
    pub apology: Apology,
    pub escalation: Escalation,
    pub email: EmailGuide,
    pub steps: RunbookSteps,
}

/// Whether to apologize at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApologyPolicy {
    Required,
    Recommended,
    Never,
}

impl fmt::Display for ApologyPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ApologyPolicy::Required => "required",
            ApologyPolicy::Recommended => "recommended",
            ApologyPolicy::Never => "never",
        })
    }
}

/// The apology policy with the reason behind it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apology {
    pub policy: ApologyPolicy,
    pub reason: String,
}

/// Who to bring in, by severity, and who takes charge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// The role that takes charge of the incident (IT/Security for a breach).
    #[serde(default)]
    pub lead: Option<Role>,
    #[serde(default)]
    pub sev1: Vec<Role>,
    #[serde(default)]
    pub sev2: Vec<Role>,
    #[serde(default)]
    pub sev3: Vec<Role>,
    #[serde(default)]
    pub sev4: Vec<Role>,
}

impl Escalation {
    /// The roles to bring in at a severity.
    pub fn for_severity(&self, severity: Severity) -> &[Role] {
        match severity {
            Severity::Sev1 => &self.sev1,
            Severity::Sev2 => &self.sev2,
            Severity::Sev3 => &self.sev3,
            Severity::Sev4 => &self.sev4,
        }
    }
}

/// The email body family and the subject suggestions per locale.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailGuide {
    /// The body template family: `mistake` or `breach`.
    pub template: String,
    /// Suggested subjects, best first, per locale (`en`, `nl`).
    pub subjects: BTreeMap<String, Vec<String>>,
}

/// The six step guides.
pub type RunbookSteps = PerStep<StepGuide>;

/// What one step of a runbook tells and asks.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepGuide {
    /// What to do, in plain words.
    pub guidance: String,
    #[serde(default)]
    pub checklist: Vec<String>,
    #[serde(default)]
    pub questions: Vec<Question>,
}

impl StepGuide {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Whether `question` is skipped given the step's answers so far (its `skip_if`).
    pub fn is_skipped(&self, question: &Question, answers: &IndexMap<String, Answer>) -> bool {
        !question.skip_if.is_empty()
            && question.skip_if.iter().all(|(id, value)| {
                let expected = self
                    .question(id)
                    .and_then(|q| q.parse_value(value, DateTime::<Utc>::UNIX_EPOCH).ok());
                expected.is_some() && answers.get(id) == expected.as_ref()
            })
    }
}

/// One typed question.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Snake-case key, used in answers files and the record.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The question as asked.
    pub prompt: String,
    /// A longer explanation shown under the prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// A default answer; `now` for a date-time question means the current time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_yaml::Value>,
    /// The allowed answers of a `choice` question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// For `actions`: the type given to items that do not name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<ActionType>,
    /// For `number`: only whole numbers (a count of people, orders, copies).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    /// Not asked when earlier questions of the step got these answers, e.g.
    /// `skip_if: {compensation: none}`: no one asks who receives no compensation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skip_if: BTreeMap<String, serde_yaml::Value>,
    /// Asked by `incident close`, not during the walk: a lesson or a date that only the end of
    /// the incident can tell (`went_well`, `watch_until`). An answers file may still give it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_close: bool,
    /// For `text`: one line only, because it becomes a header (the apology's subject). Set by
    /// the catalog, not written in runbooks.
    #[serde(skip)]
    pub single_line: bool,
}
