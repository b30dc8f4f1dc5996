//! What `incident lint` shows: the findings on a draft, for people or as JSON.

use serde::Serialize;

use super::findings_text;
use crate::email::{Finding, Level, Linted};

/// The outcome of `incident lint` for scripts.
#[derive(Debug, Serialize)]
pub struct LintView<'a> {
    pub file: String,
    /// The kind given, or `data-breach` when the text reads as a breach notice.
    pub kind: Option<&'a str>,
    pub locale: &'a str,
    pub findings: &'a [Finding],
    pub errors: usize,
    pub warnings: usize,
}

impl<'a> LintView<'a> {
    /// The view of one linted draft.
    pub fn of(file: String, linted: &'a Linted) -> Self {
        LintView {
            file,
            kind: linted.kind.as_deref(),
            locale: &linted.locale,
            findings: &linted.findings,
            errors: linted.count(Level::Error),
            warnings: linted.count(Level::Warning),
        }
    }
}

/// The findings for people: a line saying what was checked and what was found, then each
/// finding, errors first.
pub fn lint_text(view: &LintView<'_>) -> String {
    let kind = view.kind.unwrap_or("a marketing email");
    let verdict = match (view.errors, view.warnings) {
        (0, 0) => "passes every check".to_string(),
        (0, w) => format!("passes, with {w} warning(s)"),
        (e, w) => format!("{e} error(s), {w} warning(s)"),
    };
    format!(
        "{} ({kind}, {}): {verdict}\n{}",
        view.file,
        view.locale,
        findings_text(view.findings)
    )
}
