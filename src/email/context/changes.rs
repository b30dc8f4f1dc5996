//! What we did and what we are changing, as the record says it: the stop step's state of the
//! campaign, and the plan's actions with their real state. A done action is said as done
//! ("we have …", with its day), an open one as planned ("we are …, by" its due day); an open
//! action past its due day is left out, since its date is no longer a promise anyone keeps.

use chrono::NaiveDate;
use serde::Serialize;

use super::Omission;
use super::day::Day;
use crate::incident::known::{self, KnownQuestion};
use crate::incident::{ActionItem, ActionType, Incident};

/// The plan's actions the email names, in the record's order.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// The stop step's `campaign_state` when it says the send is stopped: `paused` or
    /// `cancelled`; empty otherwise (fully sent, still sending, unanswered).
    pub stopped: String,
    /// Done, with the day each was done.
    pub done: Vec<Change>,
    /// Open, with the day each is due.
    pub planned: Vec<Change>,
}

/// One action of the plan, as the email names it.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The action as the plan words it.
    pub what: String,
    /// The day it was done, or is due.
    pub day: Day,
}

impl Changes {
    /// The changes of `questions` (the plan's actions questions the email names), with what is
    /// left out for being overdue.
    pub fn of(
        incident: &Incident,
        questions: &[KnownQuestion],
        locale: &str,
        today: NaiveDate,
        omitted: &mut Vec<Omission>,
    ) -> Changes {
        let stopped = known::CAMPAIGN_STATE
            .text(incident)
            .filter(|state| matches!(*state, "paused" | "cancelled"))
            .unwrap_or_default()
            .to_string();
        let mut changes = Changes {
            stopped,
            done: Vec::new(),
            planned: Vec::new(),
        };
        for question in questions {
            for item in question.actions(incident) {
                changes.add(&item, question, locale, today, omitted);
            }
        }
        changes
    }

    fn add(
        &mut self,
        item: &ActionItem,
        question: &KnownQuestion,
        locale: &str,
        today: NaiveDate,
        omitted: &mut Vec<Omission>,
    ) {
        let what = item.what.trim().trim_end_matches('.').to_string();
        match item.done {
            Some(done) => self.done.push(Change {
                what,
                day: Day::of_date(done, locale),
            }),
            None if item.due < today => omitted.push(Omission {
                question: question.name(),
                message: format!(
                    "the {} action {what:?} is left out: it was due {} and is not done (mark it done with `incident note ID \"…\" --action-done N`, or give it a new due date)",
                    type_name(item.action_type),
                    item.due
                ),
            }),
            None => self.planned.push(Change {
                what,
                day: Day::of_date(item.due, locale),
            }),
        }
    }

    /// Whether the email has anything to say about what was done or changes.
    pub fn is_empty(&self) -> bool {
        self.stopped.is_empty() && self.done.is_empty() && self.planned.is_empty()
    }

    /// Every action the email quotes, for the language check.
    pub fn quoted(&self) -> String {
        let all: Vec<&str> = self
            .done
            .iter()
            .chain(&self.planned)
            .map(|c| c.what.as_str())
            .collect();
        all.join(". ")
    }
}

fn type_name(action_type: ActionType) -> &'static str {
    match action_type {
        ActionType::Mitigate => "mitigation",
        ActionType::Prevent => "prevention",
        ActionType::Process => "process",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Answer, Step};
    use chrono::{DateTime, Utc};

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn item(what: &str, due: &str, done: Option<&str>) -> ActionItem {
        ActionItem {
            what: what.into(),
            owner: "Lena".into(),
            due: day(due),
            action_type: ActionType::Prevent,
            done: done.map(day),
        }
    }

    #[test]
    fn done_planned_and_overdue_actions_are_said_as_they_stand() {
        let mut incident = Incident::example(DateTime::<Utc>::UNIX_EPOCH);
        let plan = &mut incident.steps.get_mut(Step::Plan).answers;
        plan.insert(
            "preventions".into(),
            Answer::Actions(vec![
                item("Check the audience size.", "2026-12-10", None),
                item("Remove the default list", "2026-12-05", Some("2026-11-30")),
                item("Review every segment", "2026-11-20", None),
            ]),
        );
        incident
            .steps
            .get_mut(Step::Stop)
            .answers
            .insert("campaign_state".into(), Answer::Text("fully-sent".into()));
        let mut omitted = Vec::new();
        let changes = Changes::of(
            &incident,
            &[known::PREVENTIONS],
            "en",
            day("2026-11-26"),
            &mut omitted,
        );
        assert_eq!(changes.stopped, "", "a fully sent campaign was not stopped");
        assert_eq!(changes.planned[0].what, "Check the audience size");
        assert_eq!(changes.planned[0].day.spelled, "10 December 2026");
        assert_eq!(changes.done[0].day.spelled, "30 November 2026");
        assert_eq!(omitted.len(), 1);
        assert!(
            omitted[0]
                .message
                .contains("\"Review every segment\" is left out: it was due 2026-11-20"),
            "{:?}",
            omitted[0]
        );
    }
}
