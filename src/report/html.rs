//! The report as one self-contained HTML file (inline CSS and SVG, nothing fetched), from
//! `templates/report/report.html`, with the deliverability chart drawn by
//! `templates/report/chart.html`.

use super::{Renderer, Report, Summary, chart, context, render_summary};
use crate::error::Result;
use crate::templates::Templates;

/// HTML: for reading in a browser, printing, or attaching to a ticket.
pub struct Html;

impl Renderer for Html {
    fn report(&self, report: &Report, templates: &Templates) -> Result<String> {
        let mut ctx = context(report)?;
        ctx.insert("chart", &chart(report));
        templates.render("report/report.html", &ctx)
    }

    fn summary(&self, summary: Summary, templates: &Templates) -> Result<String> {
        render_summary(templates, "report/summary.html", summary)
    }
}
