//! A breach notice split at its headings. A rendering uses the template's headings, word for
//! word and in order; a draft may word them as notices do ("What this means for you", "Wat
//! is er gebeurd?"), in any order.

use crate::email::checks::vocab::Vocabulary;

/// The sections of a notice, by the place of their heading in [`Vocabulary::headings`].
pub const HAPPENED: usize = 0;
pub const INVOLVED: usize = 1;
pub const MEANS: usize = 2;
pub const DOING: usize = 3;
pub const CAN_DO: usize = 4;
pub const MORE: usize = 5;

/// The longest line read as a heading.
const HEADING_MAX: usize = 60;

/// A part of a notice split at the legal headings.
pub struct Sections {
    pub lower: String,
    lines: Vec<String>,
    /// The line of each heading of the vocabulary, in its order; `None` when missing.
    pub found: Vec<Option<usize>>,
}

impl Sections {
    /// The template's headings, as lines of their own.
    pub fn exact(v: &Vocabulary, text: &str) -> Sections {
        Sections::split(text, |line, index| {
            *line == v.headings[index].to_lowercase()
        })
    }

    /// Any of the ways notices write each heading, at the start of a short line.
    pub fn worded(v: &Vocabulary, text: &str) -> Sections {
        Sections::split(text, |line, index| {
            let bare = line.trim_end_matches(['?', ':', '.', ' ']);
            line.chars().count() <= HEADING_MAX
                && v.heading_variants[index]
                    .iter()
                    .any(|h| bare.starts_with(h))
        })
    }

    fn split(text: &str, is_heading: impl Fn(&String, usize) -> bool) -> Sections {
        let lower = text.to_lowercase();
        let lines: Vec<String> = lower.lines().map(|l| l.trim().to_string()).collect();
        let mut found: Vec<Option<usize>> = Vec::new();
        for index in 0..6 {
            // A line is one heading: the first whose words it has.
            let at = lines
                .iter()
                .enumerate()
                .position(|(at, line)| is_heading(line, index) && !found.contains(&Some(at)));
            found.push(at);
        }
        Sections {
            lower,
            lines,
            found,
        }
    }

    /// The text under heading `index`, up to the next heading (or the end).
    pub fn section(&self, index: usize) -> Option<String> {
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

    /// The section under heading `index`, or the whole part when there is no such heading.
    pub fn section_or_all(&self, index: usize) -> String {
        self.section(index).unwrap_or_else(|| self.lower.clone())
    }
}
