//! What `incident email` shows: the findings of the checks, for people (on stderr) or as JSON.

use serde::Serialize;

use crate::email::{Finding, Level, Rendered};

/// The outcome of `incident email` for scripts.
#[derive(Debug, Serialize)]
pub struct EmailView<'a> {
    pub id: String,
    pub subject: &'a str,
    pub locale: &'a str,
    pub template: &'a str,
    pub recipients: Option<u64>,
    pub findings: &'a [Finding],
    /// No error-level finding.
    pub ok: bool,
    /// Whether the files were written (not with --check, not with an error).
    pub written: bool,
}

impl<'a> EmailView<'a> {
    /// The view of one rendering.
    pub fn of(id: String, rendered: &'a Rendered, recipients: Option<u64>, check: bool) -> Self {
        EmailView {
            id,
            subject: &rendered.subject,
            locale: &rendered.locale,
            template: &rendered.template,
            recipients,
            findings: &rendered.findings,
            ok: !rendered.has_errors(),
            written: !check && !rendered.has_errors(),
        }
    }
}

/// The findings for people, errors first: `error[code]: message` and its hint.
pub fn findings_text(findings: &[Finding]) -> String {
    let mut sorted = findings.to_vec();
    sorted.sort_by_key(|f| (f.level != Level::Error, f.code));
    let mut out = String::new();
    for finding in sorted {
        let level = match finding.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        out.push_str(&format!(
            "{level}[{}]: {}\n  hint: {}\n",
            finding.code, finding.message, finding.hint
        ));
    }
    out
}
