//! The subject line: there, short, plain and about the mistake.

use super::words::is_invisible;
use super::{
    Finding, SUBJECT_ALL_CAPS, SUBJECT_EMPTY, SUBJECT_FAKE_REPLY, SUBJECT_LONG, SUBJECT_TOO_LONG,
    SUBJECT_VAGUE, View,
};

/// The subject, trimmed, when it shows something; the other subject rules judge only that.
fn shown<'a>(view: &View<'a>) -> Option<&'a str> {
    let subject = view.d.subject?.trim();
    let blank = subject
        .chars()
        .all(|c| c.is_whitespace() || is_invisible(c));
    (!blank).then_some(subject)
}

/// `subject-empty`: nothing to read, or only what takes no space.
pub fn empty(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = view.d.subject else {
        return Vec::new();
    };
    if shown(view).is_some() {
        return Vec::new();
    }
    let subject = subject.trim();
    let message = if subject.is_empty() {
        "the subject is empty".to_string()
    } else {
        format!("the subject {subject:?} shows nothing")
    };
    vec![Finding::new(&SUBJECT_EMPTY, message).in_part("subject")]
}

/// `subject-too-long`: past the 78 characters of a header line.
pub fn too_long(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = shown(view) else {
        return Vec::new();
    };
    let chars = subject.chars().count();
    if chars <= 78 {
        return Vec::new();
    }
    vec![
        Finding::new(
            &SUBJECT_TOO_LONG,
            format!("the subject has {chars} characters"),
        )
        .in_part("subject"),
    ]
}

/// `subject-long`: more than a phone shows whole (and not already too long).
pub fn long(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = shown(view) else {
        return Vec::new();
    };
    let chars = subject.chars().count();
    let words = subject.split_whitespace().count();
    if chars > 78 || (chars <= 50 && words <= 9) {
        return Vec::new();
    }
    vec![
        Finding::new(
            &SUBJECT_LONG,
            format!("the subject has {chars} characters and {words} words"),
        )
        .in_part("subject"),
    ]
}

/// `subject-vague`: the first 40 characters do not name what happened.
pub fn vague(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = shown(view) else {
        return Vec::new();
    };
    // The first 40 characters, and the rest of a word they cut: a word that starts up front
    // is read up front.
    let head: String = view
        .subject_lower
        .chars()
        .enumerate()
        .take_while(|(at, c)| *at < 40 || c.is_alphanumeric() || *c == '\'')
        .map(|(_, c)| c)
        .collect();
    if view.v.subject_words.iter().any(|w| head.contains(w)) {
        return Vec::new();
    }
    vec![
        Finding::new(
            &SUBJECT_VAGUE,
            format!("{subject:?} does not say up front what happened"),
        )
        .in_part("subject"),
    ]
}

/// `subject-fake-reply`: "Re:", "Fwd:" and their translations.
pub fn fake_reply(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = shown(view) else {
        return Vec::new();
    };
    let prefix = view
        .subject_lower
        .split(':')
        .next()
        .unwrap_or_default()
        .trim();
    if !(subject.contains(':') && ["re", "fw", "fwd", "aw", "antw", "tr", "wg"].contains(&prefix)) {
        return Vec::new();
    }
    vec![
        Finding::new(
            &SUBJECT_FAKE_REPLY,
            format!("{subject:?} starts with {prefix:?}"),
        )
        .in_part("subject"),
    ]
}

/// `subject-all-caps`: shouting.
pub fn all_caps(view: &View<'_>) -> Vec<Finding> {
    let Some(subject) = shown(view) else {
        return Vec::new();
    };
    let letters: Vec<char> = subject.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 5 || !letters.iter().all(|c| c.is_uppercase()) {
        return Vec::new();
    }
    vec![Finding::new(&SUBJECT_ALL_CAPS, format!("{subject:?} is in capitals")).in_part("subject")]
}
