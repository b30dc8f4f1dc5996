//! From an incident record to a [`Report`]: one function per section, each taking the answers
//! it shows through [`Answers`], which remembers them; the answers no section takes go to the
//! appendix, so the report never drops a fact. The sections run in a fixed order: a section
//! that lists "the rest of a step" shows what the sections before it did not.

mod impact;
mod outcome;
mod people;
mod story;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{Fact, Report, StepAnswers};
use crate::config::{Role, Thresholds};
use crate::format::{thousands, utc};
use crate::incident::known::{self, KnownQuestion};
use crate::incident::legal::ClockState;
use crate::incident::{Answer, Incident, Step, parse_rfc3339};
use crate::runbook::{QuestionType, Runbook};

/// Everything a report is made from besides the record.
pub struct Inputs<'a> {
    pub incident: &'a Incident,
    /// The kind's runbook, for question prompts, the apology policy and escalation; a record
    /// whose runbook is gone still reports, with question ids for prompts.
    pub runbook: Option<&'a Runbook>,
    /// Names and contacts per role, from `incident.toml`.
    pub roles: &'a BTreeMap<Role, String>,
    pub thresholds: &'a Thresholds,
    /// The legal clocks evaluated at `now`, each with its phrase; empty when the kind has none.
    pub clocks: Vec<(ClockState, String)>,
    /// Whether the kind has legal clocks at all.
    pub legal_clocks: bool,
    pub now: DateTime<Utc>,
}

/// Make the report of one incident.
pub fn build(inputs: &Inputs<'_>) -> Report {
    let mut answers = Answers {
        inputs,
        used: BTreeSet::new(),
    };
    answers.mark(known::DISCOVERED_AT);
    let header = story::header(inputs);
    let audience = impact::audience_of(inputs.incident);
    let impact = impact::impact(&mut answers, audience.as_ref());
    let cause = story::cause(&mut answers);
    // The problem began when the breach began, or when the mistaken email went out.
    let started = answers
        .instant(known::BREACH_START)
        .or_else(|| answers.instant(known::SENT_AT));
    let detection = story::detection(&mut answers, started);
    let response = story::response(&mut answers);
    let timeline = story::timeline(&mut answers, started, &detection);
    let steps = people::steps(inputs);
    let responders = people::responders(inputs);
    let decisions = outcome::decisions(&mut answers);
    let communications = outcome::communications(&mut answers);
    let lessons = outcome::lessons(&mut answers);
    let actions = outcome::actions(&mut answers);
    let deliverability = outcome::deliverability(&mut answers);
    let legal = outcome::legal(inputs);
    let durations = outcome::durations(inputs, started);
    let missing = outcome::missing(inputs, &lessons);
    let summary = story::overview(inputs, &impact, audience.is_some(), &detection);
    Report {
        generated_at: utc(inputs.now),
        header,
        summary,
        impact,
        cause,
        detection,
        response,
        timeline,
        steps,
        responders,
        decisions,
        communications,
        lessons,
        actions,
        deliverability,
        legal,
        durations,
        missing,
        other_answers: other_answers(inputs, &answers.used),
    }
}

/// A choice key as prose: `subscriber-reply` → `subscriber reply`.
fn prose(key: &str) -> String {
    key.replace(['-', '_'], " ")
}

/// Reads a step's answers and remembers which ones a section showed.
struct Answers<'a> {
    inputs: &'a Inputs<'a>,
    used: BTreeSet<(Step, String)>,
}

impl<'a> Answers<'a> {
    /// Count an answer as shown without reading it.
    fn mark(&mut self, q: KnownQuestion) {
        self.used.insert((q.step, q.id.to_string()));
    }

    fn get_id(&mut self, step: Step, id: &str) -> Option<&'a Answer> {
        let answer = self.inputs.incident.steps.get(step).answers.get(id)?;
        self.used.insert((step, id.to_string()));
        Some(answer)
    }

    fn get(&mut self, q: KnownQuestion) -> Option<&'a Answer> {
        self.get_id(q.step, q.id)
    }

    /// Any answer as text, as the report shows it.
    fn text_id(&mut self, step: Step, id: &str) -> Option<String> {
        self.get_id(step, id)
            .map(|a| self.inputs.show(step, id, a))
            .filter(|s| !s.is_empty())
    }

    fn text(&mut self, q: KnownQuestion) -> Option<String> {
        self.text_id(q.step, q.id)
    }

    fn list(&mut self, q: KnownQuestion) -> Vec<String> {
        match self.get(q) {
            Some(Answer::List(items)) => items.clone(),
            Some(other) => vec![other.to_string()],
            None => Vec::new(),
        }
    }

    fn number(&mut self, q: KnownQuestion) -> Option<f64> {
        self.get(q).and_then(Answer::as_number)
    }

    fn instant(&mut self, q: KnownQuestion) -> Option<DateTime<Utc>> {
        self.get(q)
            .and_then(Answer::as_text)
            .and_then(parse_rfc3339)
    }

    /// Every answer of a step as facts, except the ones named and those already shown.
    fn facts(&mut self, step: Step, except: &[KnownQuestion]) -> Vec<Fact> {
        let section = self.inputs.incident.steps.get(step);
        let mut facts = Vec::new();
        for (id, answer) in &section.answers {
            let excepted = except.iter().any(|q| q.id == id.as_str());
            if excepted || self.used.contains(&(step, id.clone())) {
                continue;
            }
            self.used.insert((step, id.clone()));
            facts.push(Fact {
                label: self.inputs.prompt(step, id),
                value: self.inputs.show(step, id, answer),
            });
        }
        facts
    }
}

impl Inputs<'_> {
    fn question_type(&self, step: Step, id: &str) -> Option<QuestionType> {
        self.runbook
            .and_then(|r| r.steps.get(step).question(id))
            .map(|q| q.kind)
    }

    fn prompt(&self, step: Step, id: &str) -> String {
        if id == known::DISCOVERED_AT.id {
            return "When did the team become aware?".into();
        }
        self.runbook
            .and_then(|r| r.steps.get(step).question(id))
            .map(|q| q.prompt.clone())
            .unwrap_or_else(|| prose(id))
    }

    /// An answer as text: date-times in UTC, choices as prose, numbers grouped.
    fn show(&self, step: Step, id: &str, answer: &Answer) -> String {
        match (self.question_type(step, id), answer) {
            (Some(QuestionType::Datetime), Answer::Text(text)) => {
                parse_rfc3339(text).map(utc).unwrap_or_else(|| text.clone())
            }
            (Some(QuestionType::Choice), Answer::Text(text)) => prose(text),
            (_, Answer::Integer(n)) if *n >= 0 => thousands(*n as u64),
            _ => answer.to_string(),
        }
    }
}

/// Every answer no section showed, by step.
fn other_answers(inputs: &Inputs<'_>, used: &BTreeSet<(Step, String)>) -> Vec<StepAnswers> {
    Step::ALL
        .iter()
        .filter_map(|&step| {
            let facts: Vec<Fact> = inputs
                .incident
                .steps
                .get(step)
                .answers
                .iter()
                .filter(|(id, _)| !used.contains(&(step, (*id).clone())))
                .map(|(id, answer)| Fact {
                    label: inputs.prompt(step, id),
                    value: inputs.show(step, id, answer),
                })
                .collect();
            (!facts.is_empty()).then(|| StepAnswers {
                step: format!("{}. {}", step.number(), step.title()),
                answers: facts,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_keys_read_as_prose() {
        assert_eq!(prose("subscriber-reply"), "subscriber reply");
        assert_eq!(prose("went_well"), "went well");
    }
}
