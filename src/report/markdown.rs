//! The report as Markdown, from `templates/report/report.md` and `report/summary.md`.

use super::{Renderer, Report, Summary, context, render_summary};
use crate::error::Result;
use crate::templates::Templates;

/// Markdown: the default format, for a wiki, a pull request or the terminal.
pub struct Markdown;

impl Renderer for Markdown {
    fn report(&self, report: &Report, templates: &Templates) -> Result<String> {
        templates.render("report/report.md", &context(report)?)
    }

    fn summary(&self, summary: Summary, templates: &Templates) -> Result<String> {
        render_summary(templates, "report/summary.md", summary)
    }
}
