//! `breach-legal-elements`: what a breach notice must say (GDPR Art. 34(2) with 33(3)(b)–(d);
//! Cal. Civ. Code 1798.82(d)): what happened, the data involved, the likely consequences, the
//! measures, a contact point, the dates. A rendering is held to its template's headings in
//! order and to what the record gives; a draft to the elements themselves, under a heading
//! as notices word it or in what it says, and to California's headings only when the record
//! says California residents are affected.

use super::sections::{DOING, HAPPENED, INVOLVED, MEANS, MORE, Sections};
use crate::email::checks::words::{dates, names_a_day};
use crate::email::checks::{BREACH_LEGAL_ELEMENTS, Finding, Level, View};

/// Each missing element of each part, reported on its own. A draft without the likely
/// consequences is warned, not failed, unless the record says GDPR applies: California's
/// notice does not ask for them.
pub fn legal_elements(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (part, text) in &view.parts {
        for message in missing(view, part, text) {
            let advice = message.ends_with(CONSEQUENCES)
                && view.d.is_file()
                && !view.d.record.is_some_and(|r| r.gdpr);
            let finding = Finding::new(&BREACH_LEGAL_ELEMENTS, message).in_part(part);
            found.push(if advice {
                Finding {
                    level: Level::Warning,
                    ..finding
                }
            } else {
                finding
            });
        }
    }
    found
}

/// How a missing consequences element is said.
const CONSEQUENCES: &str = "the likely consequences";

fn missing(view: &View<'_>, part: &str, text: &str) -> Vec<String> {
    let d = view.d;
    let strict = !d.is_file() || d.record.is_some_and(|r| r.california);
    let s = if d.is_file() {
        Sections::worded(view.v, text)
    } else {
        Sections::exact(view.v, text)
    };
    let mut missing = Vec::new();
    if strict {
        missing.extend(headings(view, part, &s));
    }
    if d.is_file() {
        missing.extend(elements(view, part, &s));
    } else {
        // The sections the record fills each need something under them; the steps and the
        // contact point are checked for what they hold.
        for index in [HAPPENED, INVOLVED, MEANS, DOING] {
            if s.section(index).is_some_and(|b| b.trim().is_empty()) {
                missing.push(format!(
                    "nothing is said under {:?} in the {part}",
                    view.v.headings[index]
                ));
            }
        }
    }
    // What the record cannot word is the rendering's to miss; a draft says it in its own.
    if !d.is_file() && d.record.is_some_and(|r| !r.nature) {
        missing.push(format!(
            "the {part} does not say what happened: inform.what_happened is not answered, and own.breach_type names no kind the notice can word"
        ));
    }
    missing.extend(breach_date(view, part, &s));
    missing.extend(notice_date(view, part, &s));
    let contact = s.section_or_all(MORE);
    let reachable = view.v.contact.iter().any(|w| contact.contains(w))
        || contact.contains('@')
        || PHONE.is_match(&contact);
    if !reachable {
        missing.push(format!("no contact point is given in the {part}"));
    }
    missing
}

/// The template's headings, each there and in order.
fn headings(view: &View<'_>, part: &str, s: &Sections) -> Vec<String> {
    let mut missing = Vec::new();
    let mut after = 0;
    for (heading, at) in view.v.headings.iter().zip(&s.found) {
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
    missing
}

/// A draft's elements: each under its heading, or said in the notice's words.
fn elements(view: &View<'_>, part: &str, s: &Sections) -> Vec<String> {
    let v = view.v;
    let said = |index: usize, words: &[&str]| match s.section(index) {
        Some(section) => !section.trim().is_empty(),
        None => words.iter().any(|w| s.lower.contains(w)),
    };
    [
        (HAPPENED, v.breach_words, "what happened"),
        (INVOLVED, v.data_words, "which information was involved"),
        (MEANS, v.risk_words, CONSEQUENCES),
        (DOING, v.measure_words, "what is being done about it"),
    ]
    .into_iter()
    .filter(|(index, words, _)| !said(*index, words))
    .map(|(_, _, element)| format!("the {part} does not say {element}"))
    .collect()
}

/// The date of the breach. Against the record, the day it began; in a draft on its own, any
/// date but the notice's own (or the notice's named twice: a breach that began that day).
fn breach_date(view: &View<'_>, part: &str, s: &Sections) -> Option<String> {
    let v = view.v;
    let said = dates(v, &s.section_or_all(HAPPENED));
    match view.d.record.map(|r| r.breach_start) {
        Some(Some(start)) => (!said.contains(&start)).then(|| {
            format!("the day the breach began ({start}, as the record says) is not in the {part}")
        }),
        Some(None) if !view.d.is_file() => Some(format!(
            "no date of the breach is given in the {part}: assess.breach_start is not answered"
        )),
        _ => {
            let mut breach_dates = dates(v, &s.lower);
            if let Some(own) = view
                .d
                .notice_date
                .and_then(|n| breach_dates.iter().position(|d| *d == n))
            {
                breach_dates.remove(own);
            }
            // A day named without its year ("on 3 May") dates the breach too.
            let day_named = breach_dates.is_empty() && names_a_day(v, &s.section_or_all(HAPPENED));
            (breach_dates.is_empty() && !day_named)
                .then(|| format!("no date of the breach is given in the {part}"))
        }
    }
}

/// The date of the notice, which California asks for: in every rendering, and in a draft
/// checked against a record with California residents when the draft is dated (an .eml's
/// Date: an .html or .txt draft is not sent yet).
fn notice_date(view: &View<'_>, part: &str, s: &Sections) -> Option<String> {
    let d = view.d;
    let asked = !d.is_file() || d.record.is_some_and(|r| r.california);
    let notice = d.notice_date.filter(|_| asked)?;
    (!dates(view.v, &s.lower).contains(&notice))
        .then(|| format!("the date of the notice ({notice}) is not in the {part}"))
}

/// A phone number as notices write it: at least eight digits, with spaces, dashes or a +.
static PHONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\+?\(?\d[\d\s().-]{6,}\d")
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});
