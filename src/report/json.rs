//! The report as JSON: the same data the templates see, for scripts and dashboards.

use super::{Renderer, Report, Summary};
use crate::error::Result;
use crate::templates::Templates;

/// JSON: every section, with raw numbers next to the formatted ones.
pub struct Json;

impl Renderer for Json {
    fn report(&self, report: &Report, _: &Templates) -> Result<String> {
        Ok(crate::format::json(report, "the report")? + "\n")
    }

    fn summary(&self, summary: Summary, _: &Templates) -> Result<String> {
        Ok(crate::format::json(&summary, "the summary")? + "\n")
    }
}
