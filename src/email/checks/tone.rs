//! How the email sounds: it says sorry, and it is plain — no jokes, no hedging, no evasive
//! passive, no generic greeting, no urgency.

use super::words::{is_emoji, phrases, whole_words};
use super::{
    APOLOGY_MISSING, Finding, GREETING_GENERIC, TONE_HEDGING, TONE_HUMOUR, TONE_PASSIVE, URGENCY,
    View,
};

/// `apology-missing`: a part that never says sorry.
pub fn apology_missing(view: &View<'_>) -> Vec<Finding> {
    let words = view.v.apology;
    let part = view.lacking(|text| {
        let lower = text.to_lowercase();
        words.iter().any(|w| lower.contains(w))
    });
    part.map(|part| {
        Finding::new(
            &APOLOGY_MISSING,
            format!("no {} in the {part}", words.join(" / ")),
        )
    })
    .into_iter()
    .collect()
}

/// `tone-humour`: jokes and winks in the subject or body, then any emoji.
pub fn humour(view: &View<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    let jokes = whole_words(view.v.humour, &view.everything);
    if !jokes.is_empty() {
        found.push(Finding::new(
            &TONE_HUMOUR,
            format!("humour: {}", jokes.join(", ")),
        ));
    }
    let d = view.d;
    let body = format!("{}\n{}", d.text, d.html.text);
    if let Some(emoji) = d.subject.chars().chain(body.chars()).find(|c| is_emoji(*c)) {
        found.push(Finding::new(
            &TONE_HUMOUR,
            format!("an emoji ({emoji}) in the subject or body"),
        ));
    }
    found
}

/// `tone-hedging`: weasel words.
pub fn hedging(view: &View<'_>) -> Vec<Finding> {
    let hedges = whole_words(view.v.hedging, &view.everything);
    listed(&TONE_HEDGING, "hedging", &hedges)
}

/// `tone-passive`: "mistakes were made".
pub fn passive(view: &View<'_>) -> Vec<Finding> {
    let passive = phrases(view.v.passive, &view.everything);
    listed(&TONE_PASSIVE, "evasive passive", &passive)
}

/// `greeting-generic`: "Dear Customer".
pub fn greeting(view: &View<'_>) -> Vec<Finding> {
    view.v
        .generic_greetings
        .iter()
        .find(|g| view.body_lower.contains(*g))
        .map(|greeting| Finding::new(&GREETING_GENERIC, format!("the greeting {greeting:?}")))
        .into_iter()
        .collect()
}

/// `urgency`: what phishing sounds like.
pub fn urgency(view: &View<'_>) -> Vec<Finding> {
    let urgent = phrases(view.v.urgency, &view.everything);
    listed(&URGENCY, "urgency", &urgent)
}

/// One finding listing what was found, or none.
fn listed(rule: &super::Rule, what: &str, found: &[&str]) -> Vec<Finding> {
    if found.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(rule, format!("{what}: {}", found.join(", ")))]
}
