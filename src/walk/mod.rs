//! The six-step walk. For each pending step, in order, the answers come from the answers file
//! and, where it is silent, from a [`Prompter`]: a person at a terminal, or nobody (scripted),
//! in which case a missing required answer is an error. The walk never touches the disk; it
//! hands each finished step to a `save` callback, so the record is saved after every step.

mod answers;
mod terminal;

pub use answers::{AnswersFile, StepAnswers};
pub use terminal::TerminalPrompter;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;

use crate::error::{Error, Result};
use crate::incident::{Answer, Incident, Step};
use crate::runbook::{LOCALE, Question, QuestionType, Runbook, SUBJECT, StepGuide};
use crate::workspace::Workspace;

/// Something that can answer questions: a person at a terminal.
pub trait Prompter {
    /// Show what the step is for, who carries it, the guidance and the checklist.
    fn begin_step(&mut self, brief: &StepBrief<'_>) -> Result<()>;

    /// Show an answer taken from the answers file instead of asking.
    fn given(&mut self, question: &Question, answer: &Answer) -> Result<()>;

    /// Ask one question; `None` leaves an optional question unanswered.
    fn ask(&mut self, question: &Question, default: Option<&Answer>) -> Result<Option<Answer>>;
}

/// What is shown at the start of a step.
pub struct StepBrief<'a> {
    pub step: Step,
    pub guide: &'a StepGuide,
    /// "Marketing (Dana Smit) + Leadership".
    pub responsible: String,
    /// Roles to bring in at this severity, and who takes charge (stop step only).
    pub escalation: Option<String>,
}

/// A step with its answers, ready to be saved.
pub type CompletedStep = (Step, IndexMap<String, Answer>);

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkEnd {
    /// All six steps are done.
    Finished,
    /// Scripted, and the answers file has nothing for this step: continue with `resume`.
    StoppedBefore(Step),
}

/// Everything a walk needs besides the record.
pub struct Walk<'a> {
    pub runbook: &'a Runbook,
    pub workspace: &'a Workspace,
    pub given: &'a StepAnswers,
    /// Which steps the answers file has a section for (a section may be empty).
    pub sections: Vec<Step>,
    pub now: DateTime<Utc>,
    /// The affected subscribers counted by `incident audience`, when it ran: the default of
    /// the question `affected_count`, so the record and `recipients.csv` agree.
    pub audience_affected: Option<u64>,
}

impl Walk<'_> {
    /// Scripted: compute every step's answers up front, so that a missing or wrong answer fails
    /// before anything is written. Returns the steps to complete, in order.
    pub fn plan_scripted(&self, incident: &Incident) -> Result<(Vec<CompletedStep>, WalkEnd)> {
        let pending: Vec<Step> = Step::ALL
            .into_iter()
            .filter(|s| !incident.steps.get(*s).is_done())
            .collect();
        let mut planned = Vec::new();
        let mut end = WalkEnd::Finished;
        for step in pending {
            if !self.sections.contains(&step) {
                end = WalkEnd::StoppedBefore(step);
                break;
            }
            planned.push((step, self.scripted_step(step)?));
        }
        if let WalkEnd::StoppedBefore(gap) = end
            && planned.is_empty()
        {
            // A scripted walk that records nothing is a forgotten or empty answers file, not a
            // pause: name the first answer it needs.
            self.scripted_step(gap)?;
            return Err(Error::Answer {
                source_name: None,
                message: format!("no answers for step {gap}: the walk would record nothing"),
                hint: format!(
                    "pass --answers FILE with a `{gap}:` section (it may be empty when {gap} needs no answers)"
                ),
            });
        }
        if let WalkEnd::StoppedBefore(gap) = end
            && let Some(later) = self.sections.iter().find(|s| **s > gap)
        {
            return Err(Error::Answer {
                source_name: None,
                message: format!(
                    "the answers have a section for {later} but none for {gap}; steps are walked in order"
                ),
                hint: format!(
                    "add a `{gap}:` section (it may be empty when {gap} needs no answers)"
                ),
            });
        }
        Ok((planned, end))
    }

    fn scripted_step(&self, step: Step) -> Result<IndexMap<String, Answer>> {
        let guide = self.runbook.steps.get(step);
        let given = self.given.get(&step);
        let mut answers = IndexMap::new();
        for question in &guide.questions {
            if let Some(answer) = given.and_then(|g| g.get(&question.id)) {
                answers.insert(question.id.clone(), answer.clone());
            } else if guide.is_skipped(question, &answers) {
                continue;
            } else if let Some(default) = self.default_for(question) {
                if question.required {
                    answers.insert(question.id.clone(), default);
                }
            } else if question.required {
                return Err(Error::Answer {
                    source_name: None,
                    message: format!(
                        "missing required answer: step {step}, question {:?} ({})",
                        question.id, question.prompt
                    ),
                    hint: format!(
                        "add `{}: {}` under `{step}:` in the answers file ({} expected)",
                        question.id,
                        question.kind.example(),
                        question.kind.expected()
                    ),
                });
            }
        }
        Ok(answers)
    }

    /// Interactive: walk one step, asking what the answers file does not answer.
    pub fn ask_step(
        &self,
        step: Step,
        severity: crate::incident::Severity,
        prompter: &mut dyn Prompter,
    ) -> Result<IndexMap<String, Answer>> {
        let guide = self.runbook.steps.get(step);
        prompter.begin_step(&StepBrief {
            step,
            guide,
            responsible: step
                .responsible()
                .iter()
                .map(|r| self.workspace.role_label(*r))
                .collect::<Vec<_>>()
                .join(" + "),
            escalation: (step == Step::Stop).then(|| self.escalation(severity)),
        })?;
        let given = self.given.get(&step);
        let mut answers = IndexMap::new();
        for question in &guide.questions {
            if let Some(answer) = given.and_then(|g| g.get(&question.id)) {
                prompter.given(question, answer)?;
                answers.insert(question.id.clone(), answer.clone());
                continue;
            }
            if guide.is_skipped(question, &answers) {
                continue;
            }
            let default = self.default_for(question);
            if let Some(answer) = prompter.ask(question, default.as_ref())? {
                answers.insert(question.id.clone(), answer);
            }
        }
        Ok(answers)
    }

    fn escalation(&self, severity: crate::incident::Severity) -> String {
        let esc = &self.runbook.escalation;
        let roles = esc.for_severity(severity);
        let mut text = if roles.is_empty() {
            format!("At {severity}: no escalation needed beyond the step's owners.")
        } else {
            format!(
                "At {severity}, bring in: {}.",
                roles
                    .iter()
                    .map(|r| self.workspace.role_label(*r))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let Some(lead) = esc.lead {
            text.push_str(&format!(
                " {} takes charge.",
                self.workspace.role_label(lead)
            ));
        }
        text
    }

    /// The runbook's default for a question, typed; `now` resolved by the clock.
    pub fn default_for(&self, question: &Question) -> Option<Answer> {
        if question.id == "affected_count"
            && question.kind == QuestionType::Number
            && let Some(affected) = self.audience_affected
        {
            return Some(Answer::number(affected as f64));
        }
        // A workspace that writes in another language (incident.toml `locale`) is offered the
        // apology in that language: its locale, and the runbook's subject for it.
        if let Some(locale) = self.workspace.config.locale.as_deref() {
            if question.id == SUBJECT
                && let Some(subject) = self
                    .runbook
                    .email
                    .subjects
                    .get(locale)
                    .and_then(|s| s.first())
            {
                return Some(Answer::Text(subject.clone()));
            }
            if question.id == LOCALE && question.choices.iter().any(|c| c == locale) {
                return Some(Answer::Text(locale.to_string()));
            }
        }
        let value = question.default.as_ref()?;
        question.parse_value(value, self.now).ok()
    }
}
