//! What a data-breach notice must carry (GDPR Art. 34, Cal. Civ. Code 1798.82): the headings
//! in order, something under each section the record fills (what happened, the information,
//! the likely consequences, the measures), the dates, a contact point, and each protective
//! step the data involved calls for; and what it must not: login links, promotion, small
//! type. Each part is judged on its own.

use super::words::{dates, font_size_px, whole_words};
use super::{
    BREACH_LEGAL_ELEMENTS, BREACH_LOGIN_LINK, BREACH_PROMOTIONAL, BREACH_PROTECTIVE_STEPS,
    BREACH_SMALL_TYPE, Finding, View,
};
use crate::email::checks::vocab::{Protects, Vocabulary};

/// The sections of a notice, by the place of their heading in [`Vocabulary::headings`].
const HAPPENED: usize = 0;
const INVOLVED: usize = 1;
const MEANS: usize = 2;
const DOING: usize = 3;
const CAN_DO: usize = 4;
const MORE: usize = 5;

/// A part of a notice split at the legal headings.
struct Sections {
    lower: String,
    lines: Vec<String>,
    /// The line of each heading of the vocabulary, in its order; `None` when missing.
    found: Vec<Option<usize>>,
}

impl Sections {
    fn of(v: &Vocabulary, text: &str) -> Sections {
        let lower = text.to_lowercase();
        let lines: Vec<String> = lower.lines().map(|l| l.trim().to_string()).collect();
        let found = v
            .headings
            .iter()
            .map(|h| {
                let wanted = h.to_lowercase();
                lines.iter().position(|line| *line == wanted)
            })
            .collect();
        Sections {
            lower,
            lines,
            found,
        }
    }

    /// The text under heading `index`, up to the next heading (or the end).
    fn section(&self, index: usize) -> Option<String> {
        let start = self.found[index]? + 1;
        let end = self
            .found
            .iter()
            .flatten()
            .copied()
            .filter(|&at| at >= start)
            .min()
            .unwrap_or(self.lines.len());
        Some(self.lines[start..end].join("\n"))
    }
}

/// `breach-legal-elements`: each missing element of each part, reported on its own.
pub fn legal_elements(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (part, text) in view.parts {
        for message in missing_elements(view, part, &Sections::of(view.v, text)) {
            found.push(Finding::new(&BREACH_LEGAL_ELEMENTS, message));
        }
    }
    found
}

fn missing_elements(view: &View<'_>, part: &str, s: &Sections) -> Vec<String> {
    let v = view.v;
    let mut missing = Vec::new();
    let mut after = 0;
    for (heading, at) in v.headings.iter().zip(&s.found) {
        match at {
            None => missing.push(format!(
                "the heading {heading:?} is missing from the {part}"
            )),
            Some(at) if *at < after => missing.push(format!(
                "the heading {heading:?} is out of order in the {part}"
            )),
            Some(at) => after = *at,
        }
    }
    // The sections the record fills each need something under them: what happened, the
    // information, the likely consequences, the measures; the last two are checked for what
    // they must hold (the steps to take, a contact point).
    for index in [HAPPENED, INVOLVED, MEANS, DOING] {
        if s.section(index).is_some_and(|b| b.trim().is_empty()) {
            missing.push(format!(
                "nothing is said under {:?} in the {part}",
                v.headings[index]
            ));
        }
    }
    if view.d.record.is_some_and(|r| !r.nature) {
        missing.push(format!(
            "the {part} does not say what happened: inform.what_happened is not answered, and own.breach_type names no kind the notice can word"
        ));
    }
    let happened = s.section(HAPPENED);
    let more = s.section(MORE);
    let notice = view.d.notice_date;
    let said = dates(v, happened.as_deref().unwrap_or(&s.lower));
    match view.d.record.map(|r| r.breach_start) {
        // Checked against the record: the day the breach began, which the assess step gives.
        Some(Some(start)) if !said.contains(&start) => missing.push(format!(
            "the day the breach began ({start}) is not in the {part}"
        )),
        Some(Some(_)) => {}
        Some(None) => missing.push(format!(
            "no date of the breach is given in the {part}: assess.breach_start is not answered"
        )),
        // A draft on its own: the notice names its own date once; the breach's date is any
        // other date, or the notice's date named again (a breach that began that day).
        None => {
            let mut breach_dates = said;
            if let Some(own) = breach_dates.iter().position(|d| *d == notice) {
                breach_dates.remove(own);
            }
            if breach_dates.is_empty() {
                missing.push(format!("no date of the breach is given in the {part}"));
            }
        }
    }
    if !dates(v, &s.lower).contains(&notice) {
        missing.push(format!(
            "the date of the notice ({notice}) is not in the {part}"
        ));
    }
    let contact = more.as_deref().unwrap_or(&s.lower);
    if !v.contact.iter().any(|w| contact.contains(w)) && !contact.contains('@') {
        missing.push(format!("no contact point is given in the {part}"));
    }
    missing
}

/// `breach-protective-steps`: a protective step on a line of its own words, under "What You
/// Can Do", where people look for it; and each step the data involved calls for (passwords,
/// contact details, payment data), as the record says.
pub fn protective_steps(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let advice = view.d.record.map(|r| r.advice).unwrap_or_default();
    let called_for = |protects: Protects| match protects {
        Protects::Account => advice.password,
        Protects::Phishing => advice.phishing,
        Protects::Payment => advice.card,
    };
    let mut found = Vec::new();
    for (part, text) in view.parts {
        let s = Sections::of(view.v, text);
        let can_do = s.section(CAN_DO);
        let steps = can_do.as_deref().unwrap_or(&s.lower);
        let given = |ways: &[&[&str]]| {
            steps.lines().any(|line| {
                ways.iter()
                    .any(|words| words.iter().all(|w| line.contains(w)))
            })
        };
        let missing: Vec<&str> = view
            .v
            .protective
            .iter()
            .filter(|(protects, _, ways)| called_for(*protects) && !given(ways))
            .map(|(_, name, _)| *name)
            .collect();
        let none = !view.v.protective.iter().any(|(_, _, ways)| given(ways));
        let message = if !missing.is_empty() {
            format!("missing from the {part}: {}", missing.join(", "))
        } else if none {
            format!("the {part} gives no protective step at all")
        } else {
            continue;
        };
        found.push(Finding::new(&BREACH_PROTECTIVE_STEPS, message));
    }
    found
}

/// `breach-login-link`: a link (or an address written out) to a login, reset or verify page.
pub fn login_link(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let mut found = Vec::new();
    for target in &view.targets {
        let said = format!("{} {}", target.url, target.text).to_lowercase();
        if let Some(word) = LOGIN_WORDS.iter().find(|w| said.contains(*w)) {
            found.push(Finding::new(
                &BREACH_LOGIN_LINK,
                format!("{} links to a {word} page", target.url),
            ));
        }
    }
    found
}

/// `breach-promotional`: offers in a notice that must be dedicated to the breach.
pub fn promotional(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let promo = whole_words(view.v.promotional, &view.body_lower);
    if promo.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        &BREACH_PROMOTIONAL,
        format!("promotional words: {}", promo.join(", ")),
    )]
}

/// `breach-small-type`: the first style under 10 points.
pub fn small_type(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    view.d
        .html
        .styles
        .iter()
        .find_map(|style| font_size_px(style).filter(|px| *px < 13.0))
        .map(|px| Finding::new(&BREACH_SMALL_TYPE, format!("font-size {px}px")))
        .into_iter()
        .collect()
}

/// Words that mark a login, reset or verify page, in a URL or its link text.
const LOGIN_WORDS: &[&str] = &[
    "login",
    "log-in",
    "log in",
    "signin",
    "sign-in",
    "sign in",
    "reset",
    "password",
    "verify",
    "account",
    "inloggen",
    "wachtwoord",
    "/auth",
];
