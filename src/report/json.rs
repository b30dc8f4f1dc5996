//! The report as JSON: the same data the templates see, for scripts and dashboards.

use serde::Serialize;

use super::{Renderer, Report, Summary};
use crate::error::Result;
use crate::templates::Templates;

/// JSON: every section, with raw numbers next to the formatted ones.
pub struct Json;

fn pretty<T: Serialize>(value: &T) -> String {
    // Plain data structures always serialize.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

impl Renderer for Json {
    fn report(&self, report: &Report, _: &Templates) -> Result<String> {
        Ok(pretty(report))
    }

    fn summary(&self, summary: &Summary, _: &Templates) -> Result<String> {
        Ok(pretty(summary))
    }
}
