//! What the record says about a marketing mistake, for the apology to say it: what the email
//! showed, how it was wrong, how often it arrived, whether anyone else's details were in it.
//! Each field is empty (or null) when its question is unanswered, so the templates leave the
//! sentence out rather than guess. The wrong subject and what the greeting showed are quoted
//! as they were sent, so the language check does not judge them.

use serde::Serialize;

use crate::incident::Incident;
use crate::incident::known;

/// The facts of the mistake, from the own, stop and assess answers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MistakeView {
    /// What subscribers saw instead of their name (`own.what_rendered`).
    pub what_rendered: String,
    /// The wrong subject line as sent (`own.subject_as_sent`).
    pub subject_as_sent: String,
    /// The subject it should have had (`assess.correct_subject`).
    pub correct_subject: String,
    /// What was wrong with a malformed message (`assess.problem_type`): `rendering`,
    /// `missing-images`, `broken-links`, `wrong-price-or-offer`, `wrong-content`, `tracking`.
    pub problem: String,
    /// How many copies reached someone, when more than one (`assess.max_copies`).
    pub copies: Option<u64>,
    /// Whether another subscriber's data was in it (`assess.pii_exposed`).
    pub others_data: Option<bool>,
    /// Whether the addresses mailed by mistake are suppressed again (`stop.resuppressed`).
    pub resuppressed: Option<bool>,
}

impl MistakeView {
    /// The facts the record holds.
    pub fn of(incident: &Incident) -> MistakeView {
        let text = |q: known::KnownQuestion| {
            q.text(incident)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        MistakeView {
            what_rendered: text(known::WHAT_RENDERED),
            subject_as_sent: text(known::SUBJECT_AS_SENT),
            correct_subject: text(known::CORRECT_SUBJECT),
            problem: text(known::PROBLEM_TYPE),
            copies: known::MAX_COPIES
                .number(incident)
                .filter(|n| *n >= 2.0 && n.fract() == 0.0)
                .map(|n| n as u64),
            others_data: known::PII_EXPOSED.flag(incident),
            resuppressed: known::RESUPPRESSED.flag(incident),
        }
    }
}
