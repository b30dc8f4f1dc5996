//! What a breach notice says, from the record: the kind of breach and whether anyone saw the
//! data, the dates, the data involved, and the protective advice that follows from it —
//! passwords only when credentials were involved, card advice only for payment data, phishing
//! advice when contact details leaked. Nothing the record does not say.

use serde::Serialize;

use super::day::Day;
pub use crate::email::checks::Advice;
use crate::incident::Incident;
use crate::incident::known;

/// The breach notice's facts, from the own, stop, assess, plan and inform answers.
#[derive(Debug, Clone, Serialize)]
pub struct BreachView {
    /// The kind of breach (`own.breach_type`): `list-export-leaked`, `others-data-in-email`,
    /// `account-compromised`, `open-access`, `lost-device`, `other`; empty when unanswered.
    pub nature: String,
    /// Whether the data was seen (`assess.data_accessed`): `confirmed`, `likely`, `unknown`,
    /// `no-evidence`; empty when unanswered, and then the notice claims no access.
    pub accessed: String,
    pub start: Option<Day>,
    pub end: Option<Day>,
    /// Whether the inform step's `what_happened` already names the start (and end) date, so
    /// the dates sentence would only repeat it.
    pub dates_said: bool,
    pub data_categories: Vec<String>,
    /// Whether passwords or other credentials were involved; null when unanswered.
    pub credentials: Option<bool>,
    /// Whether payment data was involved; null when unanswered.
    pub payment: Option<bool>,
    /// Contact details (email address, phone number, postal address) among the data: what
    /// phishing uses.
    pub contact_details: bool,
    /// The protective steps that follow from the data involved.
    pub advice: Advice,
    pub measures: Vec<String>,
    /// The inform step's `consequences`; empty when unanswered.
    pub consequences: String,
    pub steps: Vec<String>,
    pub contact_point: String,
    /// Unanswered stays null, so the notice claims nothing the record does not say.
    pub contained: Option<bool>,
    pub authority: String,
}

impl BreachView {
    /// The notice's facts; `lede` is the inform step's `what_happened`.
    pub fn of(incident: &Incident, locale: &str, lede: &str) -> BreachView {
        let text = |q: known::KnownQuestion| {
            q.text(incident)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        let start = known::BREACH_START.instant(incident);
        let end = known::BREACH_END.instant(incident);
        let named = crate::email::checks::dates_in(locale, lede);
        let dates_said = start.is_some_and(|s| named.contains(&s.date_naive()))
            && end.is_none_or(|e| named.contains(&e.date_naive()));
        let data_categories = known::DATA_CATEGORIES.list(incident);
        let credentials = known::CREDENTIALS_INVOLVED.flag(incident);
        let payment = known::PAYMENT_DATA_INVOLVED.flag(incident);
        let contact_details = data_categories.iter().any(|c| is_contact_detail(c));
        BreachView {
            nature: text(known::BREACH_TYPE),
            accessed: text(known::DATA_ACCESSED),
            start: start.map(|s| Day::of(s, locale)),
            // A breach that ended the day it began is said as one day.
            end: end
                .filter(|e| start.is_none_or(|s| s.date_naive() != e.date_naive()))
                .map(|e| Day::of(e, locale)),
            dates_said,
            advice: Advice {
                password: credentials == Some(true),
                phishing: contact_details || credentials == Some(true),
                card: payment == Some(true),
            },
            data_categories,
            credentials,
            payment,
            contact_details,
            measures: known::MEASURES.list(incident),
            consequences: text(known::CONSEQUENCES),
            steps: known::SUBSCRIBER_STEPS.list(incident),
            // The template ends the sentence itself.
            contact_point: text(known::CONTACT_POINT).trim_end_matches('.').to_string(),
            contained: known::CONTAINED.flag(incident),
            authority: text(known::NOTIFY_AUTHORITY),
        }
    }

    /// Whether the notice can say what the consequences are likely to be: the answer, or the
    /// data involved (the templates word what follows from it).
    pub fn has_consequences(&self) -> bool {
        !self.consequences.is_empty() || self.advice != Advice::default()
    }
}

/// Whether a data category names a way to reach the person: an email address, a phone number
/// or a postal address, in English or Dutch.
fn is_contact_detail(category: &str) -> bool {
    let lower = category.to_lowercase();
    [
        "mail", "phone", "address", "adres", "telefoon", "mobile", "mobiel",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_told_from_other_data() {
        for contact in [
            "email address",
            "E-mailadres",
            "phone number",
            "postal address",
            "adres",
        ] {
            assert!(is_contact_detail(contact), "{contact}");
        }
        for other in ["name", "date of birth", "order history", "geboortedatum"] {
            assert!(!is_contact_detail(other), "{other}");
        }
    }
}
