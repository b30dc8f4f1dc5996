//! How the email sounds: it says sorry, and it is plain — no jokes, no hedging, no evasive
//! passive, no generic greeting, no pressure on the reader. The words are judged in the
//! writer's own voice: what the email quotes (the wrong subject, a customer's reply) is left
//! out.

use std::sync::LazyLock;

use regex::Regex;

use super::words::{contains_word, is_emoji, phrases, whole_words};
use super::{
    APOLOGY_MISSING, Finding, GREETING_GENERIC, TONE_HEDGING, TONE_HUMOUR, TONE_PASSIVE, URGENCY,
    View,
};
use crate::email::checks::vocab::Vocabulary;

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
        .in_part(part)
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
    if let Some(emoji) = view.everything.chars().find(|c| is_emoji(*c)) {
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

/// `tone-passive`: "mistakes were made", "data was exposed" — the passive of what went wrong
/// with nobody doing it. With an agent ("was accessed by an attacker") or denied ("was not
/// shared") it hides nobody.
pub fn passive(view: &View<'_>) -> Vec<Finding> {
    let mut passive = phrases(view.v.passive, &view.everything)
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    for found in evasive_passives(view.v, &view.everything) {
        if !passive
            .iter()
            .any(|p| p.contains(&found) || found.contains(p.as_str()))
        {
            passive.push(found);
        }
    }
    let shown: Vec<&str> = passive.iter().map(String::as_str).collect();
    listed(&TONE_PASSIVE, "evasive passive", &shown)
}

/// The passives of a text built from the vocabulary's auxiliaries and participles, at most
/// three words apart, not denied, and with no agent in the four words after.
fn evasive_passives(v: &Vocabulary, text: &str) -> Vec<String> {
    let pattern = PASSIVE.iter().find(|(locale, _)| *locale == v.locale);
    let Some((_, re)) = pattern else {
        return Vec::new();
    };
    re.find_iter(text)
        .filter(|m| {
            let after: Vec<&str> = text[m.end()..].split_whitespace().take(4).collect();
            let denied = m
                .as_str()
                .split_whitespace()
                .any(|w| v.negations.iter().any(|n| w.ends_with(n)));
            !after.contains(&v.agent) && !denied
        })
        .map(|m| m.as_str().split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The passive pattern of each vocabulary.
static PASSIVE: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    ["en", "nl"]
        .map(super::vocab::for_locale)
        .into_iter()
        .filter_map(|v| {
            let pattern = format!(
                r"\b(?:{})\b(?:\s+[\p{{L}}-]+){{0,3}}?\s+(?:{})\b",
                v.passive_auxiliaries.join("|"),
                v.passive_participles.join("|")
            );
            Regex::new(&pattern).ok().map(|re| (v.locale, re))
        })
        .collect()
});

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

/// `urgency`: what phishing sounds like — pressure anywhere, and a deadline in a sentence that
/// asks something of the reader. "We immediately disabled sharing" reports; "Reset your
/// password immediately" presses.
pub fn urgency(view: &View<'_>) -> Vec<Finding> {
    let v = view.v;
    let mut urgent: Vec<&str> = phrases(v.pressure, &view.everything);
    for sentence in view.everything.split(['.', '!', '?', '\n', ';']) {
        let sentence = sentence.trim();
        let first = sentence.split_whitespace().next().unwrap_or_default();
        let about_us = v.we.contains(&first);
        let to_reader = v.you.iter().any(|w| contains_word(sentence, w));
        if about_us || !to_reader {
            continue;
        }
        for deadline in v.deadlines {
            if contains_word(sentence, deadline) && !urgent.contains(deadline) {
                urgent.push(deadline);
            }
        }
    }
    listed(&URGENCY, "urgency", &urgent)
}

/// One finding listing what was found, or none.
fn listed(rule: &super::Rule, what: &str, found: &[&str]) -> Vec<Finding> {
    if found.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(rule, format!("{what}: {}", found.join(", ")))]
}
