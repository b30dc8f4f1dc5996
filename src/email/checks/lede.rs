//! Don't bury the lede: each part's first paragraph says what happened.

use super::words::first_paragraph;
use super::{Finding, LEDE_UNCLEAR, View};

/// `lede-unclear`: a first paragraph without a word of what happened.
pub fn unclear(view: &View<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    for (part, text) in view.parts {
        // The text part separates paragraphs with a blank line, the HTML text with a line break.
        let separator = if part == "HTML part" { "\n" } else { "\n\n" };
        let lede = first_paragraph(text, separator);
        let head: String = lede.to_lowercase().chars().take(300).collect();
        if view.v.lede_words.iter().any(|w| head.contains(w)) {
            continue;
        }
        let quoted: String = lede.chars().take(120).collect();
        let more = if lede.chars().count() > 120 {
            "…"
        } else {
            ""
        };
        found.push(Finding::new(
            &LEDE_UNCLEAR,
            format!("the first paragraph of the {part}: {quoted:?}{more}"),
        ));
    }
    found
}
