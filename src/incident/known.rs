//! The questions the apology and the post-mortem read from a record, declared once, by step,
//! id and type. A workspace runbook that drops or retypes one would silently empty a sentence
//! of the apology or a section of the report; `incident check` reports it.

use chrono::{DateTime, Utc};

use super::answer::{ActionItem, Answer, QuestionType};
use super::clock::parse_rfc3339;
use super::record::Incident;
use super::step::Step;

/// A question whose answer the product reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownQuestion {
    pub step: Step,
    pub id: &'static str,
    pub kind: QuestionType,
    /// What reads it, for messages: "the apology's first paragraph".
    pub read_by: &'static str,
}

impl KnownQuestion {
    /// The answer, when the record has one.
    pub fn answer<'a>(&self, incident: &'a Incident) -> Option<&'a Answer> {
        incident.steps.get(self.step).answers.get(self.id)
    }

    /// The answer of a text, choice or date-time question.
    pub fn text<'a>(&self, incident: &'a Incident) -> Option<&'a str> {
        self.answer(incident).and_then(Answer::as_text)
    }

    /// The items of a list question; none when unanswered.
    pub fn list(&self, incident: &Incident) -> Vec<String> {
        match self.answer(incident) {
            Some(Answer::List(items)) => items.clone(),
            _ => Vec::new(),
        }
    }

    /// The answer of a yes/no question.
    pub fn flag(&self, incident: &Incident) -> Option<bool> {
        match self.answer(incident) {
            Some(Answer::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// The answer of a number question.
    pub fn number(&self, incident: &Incident) -> Option<f64> {
        self.answer(incident).and_then(Answer::as_number)
    }

    /// The items of an actions question; none when unanswered.
    pub fn actions(&self, incident: &Incident) -> Vec<ActionItem> {
        self.answer(incident)
            .and_then(Answer::as_actions)
            .map(<[ActionItem]>::to_vec)
            .unwrap_or_default()
    }

    /// Whether the record holds an answer to it.
    pub fn is_answered(&self, incident: &Incident) -> bool {
        self.answer(incident).is_some()
    }

    /// Its `step.id` name, as messages name a question.
    pub fn name(&self) -> String {
        format!("{}.{}", self.step, self.id)
    }

    /// The answer of a date-time question, as an instant.
    pub fn instant(&self, incident: &Incident) -> Option<DateTime<Utc>> {
        self.text(incident).and_then(parse_rfc3339)
    }
}

macro_rules! known {
    ($($name:ident = $step:ident, $id:literal, $kind:ident, $read_by:literal;)*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $read_by, ".")]
            pub const $name: KnownQuestion = KnownQuestion {
                step: Step::$step,
                id: $id,
                kind: QuestionType::$kind,
                read_by: $read_by,
            };
        )*
        /// Every known question, in step order.
        pub const ALL: &[KnownQuestion] = &[$($name),*];
    };
}

known! {
    DISCOVERED_AT = Own, "discovered_at", Datetime, "legal clocks and the key durations";
    HOW_FOUND = Own, "how_found", Choice, "the report's detection section";
    FIRST_REPORT = Own, "first_report", Text, "the report's detection section";
    SECURITY_LEAD = Own, "security_lead", Text, "the report's responders";
    WHAT_RENDERED = Own, "what_rendered", Text, "the apology's first paragraph (what the greeting showed)";
    SUBJECT_AS_SENT = Own, "subject_as_sent", Text, "the apology's first paragraph (the wrong subject)";
    BREACH_TYPE = Own, "breach_type", Choice, "the breach notice's What Happened";
    CAMPAIGN_STATE = Stop, "campaign_state", Choice, "the apology's account of what we did";
    RESUPPRESSED = Stop, "resuppressed", Bool, "the apology's account of what we did";
    CONTAINED = Stop, "contained", Bool, "the breach notice's measures";
    SENT_AT = Assess, "sent_at", Datetime, "the apology's first paragraph (when the email went out)";
    AFFECTED_COUNT = Assess, "affected_count", Number, "the report's impact and the audience check";
    PROBLEM_TYPE = Assess, "problem_type", Choice, "the apology's first paragraph (what was wrong)";
    CORRECT_SUBJECT = Assess, "correct_subject", Text, "the apology's second paragraph (the right subject)";
    MAX_COPIES = Assess, "max_copies", Number, "the apology's first paragraph (how many copies)";
    DATA_ACCESSED = Assess, "data_accessed", Choice, "the breach notice's What Happened (whether anyone saw the data)";
    SEGMENTS = Assess, "segments", List, "the report's impact";
    DATA_CATEGORIES = Assess, "data_categories", List, "the breach notice's information involved";
    CREDENTIALS_INVOLVED = Assess, "credentials_involved", Bool, "the breach notice's information involved";
    PAYMENT_DATA_INVOLVED = Assess, "payment_data_involved", Bool, "the breach notice's information involved";
    PII_EXPOSED = Assess, "pii_exposed", Bool, "the report's impact and the apology's second paragraph";
    BREACH_START = Assess, "breach_start", Datetime, "the breach notice's dates and the report's detection";
    BREACH_END = Assess, "breach_end", Datetime, "the breach notice's dates and the report's timeline";
    CAUSE = Assess, "cause", Text, "the report's trigger";
    COST_ESTIMATE = Assess, "cost_estimate", Money, "the report's costs";
    SUBSCRIBER_STEPS = Plan, "subscriber_steps", List, "the breach notice's steps to take";
    NOTIFY_AUTHORITY = Plan, "notify_authority", Choice, "the breach notice and the report's decisions";
    AUTHORITY_REASON = Plan, "authority_reason", Text, "the report's decisions";
    COMPENSATION = Plan, "compensation", Choice, "the apology's compensation and the report's costs";
    COMPENSATION_TO = Plan, "compensation_to", Text, "the report's costs";
    COMPENSATION_COST = Plan, "compensation_cost", Money, "the report's costs";
    MITIGATIONS = Plan, "mitigations", Actions, "the breach notice's What We Are Doing and the report's actions";
    PREVENTIONS = Plan, "preventions", Actions, "the email's account of what changes, and the report's actions";
    PROCESS_CHANGES = Plan, "process_changes", Actions, "the email's account of what changes, and the report's actions";
    ROOT_CAUSE = Plan, "root_cause", Text, "the report's root cause";
    CONTRIBUTING_FACTORS = Plan, "contributing_factors", List, "the report's root cause";
    SUBJECT = Inform, "subject", Text, "the apology's subject";
    LOCALE = Inform, "locale", Choice, "the apology's language";
    SIGN_OFF_BY = Inform, "sign_off_by", Text, "the report's responders";
    WHAT_HAPPENED = Inform, "what_happened", Text, "the apology's first paragraph";
    WHAT_IT_MEANS = Inform, "what_it_means", Text, "the apology's second paragraph";
    MEASURES = Inform, "measures", List, "the breach notice's measures";
    CONSEQUENCES = Inform, "consequences", Text, "the breach notice's likely consequences";
    CONTACT_POINT = Inform, "contact_point", Text, "the breach notice's contact point";
    WATCH_OWNER = Monitor, "watch_owner", Text, "the report's recovery";
    WATCH_UNTIL = Monitor, "watch_until", Datetime, "the report's recovery";
    WENT_WELL = Monitor, "went_well", List, "the report's lessons";
    WENT_WRONG = Monitor, "went_wrong", List, "the report's lessons";
    LUCKY = Monitor, "lucky", List, "the report's lessons";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_question_is_declared_once() {
        let mut keys: Vec<(Step, &str)> = ALL.iter().map(|q| (q.step, q.id)).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before);
        assert_eq!(DISCOVERED_AT.id, crate::incident::DISCOVERED_AT);
    }
}
