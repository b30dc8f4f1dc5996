//! Don't bury the lede: each part's first paragraph, and the preview an inbox shows beside
//! the subject, say what happened.

use super::words::first_paragraph;
use super::{Finding, LEDE_UNCLEAR, PREHEADER_UNCLEAR, View};
use crate::email::esp::without_tags;

/// `lede-unclear`: a first paragraph without a word of what happened.
pub fn unclear(view: &View<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    for (part, text) in &view.parts {
        // The text part separates paragraphs with a blank line, the HTML text with a line break.
        let separator = if *part == "HTML part" { "\n" } else { "\n\n" };
        let lede = first_paragraph(text, separator);
        let head: String = lede.to_lowercase().chars().take(300).collect();
        if says_what_happened(view, &head) {
            continue;
        }
        let quoted: String = lede.chars().take(120).collect();
        let more = if lede.chars().count() > 120 {
            "…"
        } else {
            ""
        };
        found.push(
            Finding::new(
                &LEDE_UNCLEAR,
                format!("the first paragraph of the {part}: {quoted:?}{more}"),
            )
            .in_part(part),
        );
    }
    found
}

/// Whether a lowercased text has a word of what happened: of a mistake, and in a breach
/// notice of the breach ("exposed", "accessed", "security incident").
fn says_what_happened(view: &View<'_>, lower: &str) -> bool {
    let v = view.v;
    v.lede_words.iter().any(|w| lower.contains(w))
        || (view.d.breach && v.breach_words.iter().any(|w| lower.contains(w)))
}

/// How much of the preview inboxes show beside the subject.
const PREVIEW: usize = 140;

/// `preheader-unclear`: the inbox preview — the HTML's preheader, else its first words past
/// the "view in your browser" line and the greeting — says nothing of what happened. A
/// preheader the ESP fills at send time (`*|MC_PREVIEW_TEXT|*`) is not judged.
pub fn preheader(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    if html
        .preheader
        .as_deref()
        .is_some_and(|p| !p.trim().is_empty() && without_tags(p).trim().is_empty())
    {
        return Vec::new();
    }
    let preview = match html.preheader.as_deref().map(without_tags) {
        Some(preheader) if !preheader.trim().is_empty() => preheader,
        _ => first_words(view, &without_tags(&html.text)),
    };
    let preview: String = preview.chars().take(PREVIEW).collect();
    let lower = preview.to_lowercase();
    if preview.trim().is_empty() || says_what_happened(view, &lower) {
        return Vec::new();
    }
    vec![
        Finding::new(
            &PREHEADER_UNCLEAR,
            format!("inboxes show {:?} beside the subject", preview.trim()),
        )
        .in_part("HTML part"),
    ]
}

/// The first words of a text as an inbox previews it: past the lines that are no message
/// ("View this email in your browser") and a short greeting.
fn first_words(view: &View<'_>, text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| {
            let lower = line.to_lowercase();
            let boilerplate =
                line.chars().count() < 80 && view.v.boilerplate.iter().any(|b| lower.contains(b));
            let greeting = line.chars().count() <= 40 && line.ends_with([',', ':']);
            !line.is_empty() && !boilerplate && !greeting
        })
        .collect();
    lines.join(" ")
}
