//! The rules of the streaming path as SQL expressions: trimming as Python's `str.strip()`
//! does, an address normalized and judged well formed exactly as `input::text` does, and a
//! status word read through the vocabulary as `input::status` does.

use super::dialect::Dialect;
use crate::config::Outcome;
use crate::input::status::{StatusQuery, Vocabulary};
use crate::input::text::PYTHON_SPACE;

/// Expressions in one dialect.
#[derive(Debug, Clone, Copy)]
pub struct Expr {
    pub dialect: Dialect,
}

impl Expr {
    /// The `space` table: one row, whose `chars` are the characters `str.strip()` trims.
    /// Every query that strips or judges an address joins it.
    pub fn space_table(self) -> String {
        let points: Vec<u32> = PYTHON_SPACE.iter().map(|&c| u32::from(c)).collect();
        format!(
            "space AS (\n  SELECT {} AS chars\n)",
            self.dialect.chars(&points)
        )
    }

    /// The characters `str.strip()` trims, from the `space` table.
    fn spaces(self) -> &'static str {
        "space.chars"
    }

    /// A column's text trimmed of white space; an absent value is empty, as an empty cell is.
    pub fn strip(self, column: &str) -> String {
        let text = format!("COALESCE({}, '')", self.dialect.text(column));
        self.dialect.trim(&text, self.spaces())
    }

    /// An address normalized: spaces and tabs (only those) trimmed, then lowercased.
    pub fn address(self, column: &str) -> String {
        let text = self.dialect.text(column);
        format!(
            "LOWER({})",
            self.dialect.trim(&text, &self.dialect.chars(&[32, 9]))
        )
    }

    /// Whether a normalized address is well formed: exactly one `@`, something on each side
    /// of it, and no white space anywhere (TRANSLATE deletes the characters that have no
    /// counterpart).
    pub fn well_formed(self, email: &str) -> String {
        format!(
            "LENGTH({email}) - LENGTH(REPLACE({email}, '@', '')) = 1\n    \
             AND LENGTH(TRANSLATE({email}, {}, '')) = LENGTH({email})\n    \
             AND {email} NOT LIKE '@%' AND {email} NOT LIKE '%@'",
            self.spaces()
        )
    }

    /// The status key of a row: each status column trimmed and lowercased, joined with `/`,
    /// trailing `/` dropped (`bounce/blocked`, `delivered`).
    pub fn status_key(self, columns: &[String]) -> String {
        let parts: Vec<String> = columns
            .iter()
            .map(|c| format!("LOWER({})", self.strip(c)))
            .collect();
        format!("RTRIM({}, '/')", parts.join(" || '/' || "))
    }

    /// The `i`th `/`-separated part of the key (from 0); no part is NULL or empty, which
    /// no pattern's word equals.
    fn part(self, key: &str, i: usize) -> String {
        match self.dialect {
            Dialect::Bigquery => format!("SPLIT({key}, '/')[SAFE_OFFSET({i})]"),
            _ => format!("SPLIT_PART({key}, '/', {})", i + 1),
        }
    }

    /// The outcome of a key, by the vocabulary's most specific matching pattern; `''` for a
    /// word it does not know.
    pub fn outcome(self, key: &str, vocabulary: &Vocabulary) -> String {
        let mut case = String::from("CASE");
        for (pattern, outcome) in vocabulary.patterns() {
            let tests: Vec<String> = pattern
                .iter()
                .enumerate()
                .filter(|(_, word)| *word != "*")
                .map(|(i, word)| format!("{} = {}", self.part(key, i), self.dialect.string(word)))
                .collect();
            let test = if tests.is_empty() {
                "TRUE".to_string()
            } else {
                tests.join(" AND ")
            };
            case.push_str(&format!(" WHEN {test} THEN '{}'", outcome.key()));
        }
        case.push_str(" ELSE '' END");
        case
    }

    /// Whether a row with this key and outcome passes `--status`.
    pub fn passes(self, key: &str, outcome: &str, statuses: &StatusQuery) -> String {
        let mut tests = Vec::new();
        if !statuses.words.is_empty() {
            tests.push(format!("{key} IN ({})", self.list(&statuses.words)));
        }
        let covered: Vec<String> = statuses
            .covered()
            .iter()
            .map(|o| o.key().to_string())
            .collect();
        if !covered.is_empty() {
            tests.push(format!("{outcome} IN ({})", self.list(&covered)));
        }
        format!("({})", tests.join(" OR "))
    }

    /// Whether a row's outcome takes its address out of the audience.
    pub fn opts_out(self, outcome: &str) -> String {
        let words = [Outcome::Unsubscribed.key(), Outcome::Complained.key()].map(String::from);
        format!("{outcome} IN ({})", self.list(&words))
    }

    /// String literals, comma-separated.
    pub fn list(self, values: &[String]) -> String {
        let quoted: Vec<String> = values.iter().map(|v| self.dialect.string(v)).collect();
        quoted.join(", ")
    }
}
