//! What `incident list` shows: one row per incident, as a table or as JSON.

use chrono::{DateTime, Utc};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use super::clocks::{ClockView, clocks_cell, next_deadline};
use crate::incident::legal::ClockState;
use crate::incident::{Brief, Severity, Status, Step, rfc3339};
use crate::limits::MAX_SHORT_CHARS;
use crate::text::printable;

/// An incident with its legal clocks evaluated now.
pub type Listed = (Brief, Vec<ClockState>);

/// One incident as scripts read it.
#[derive(Debug, Serialize)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub severity: Severity,
    pub status: Status,
    pub drill: bool,
    pub opened_at: String,
    pub steps_done: usize,
    pub next_step: Option<Step>,
    /// The clock needing attention first.
    pub next_deadline: Option<ClockView>,
    pub legal_clocks: Vec<ClockView>,
}

impl ListRow {
    /// The row of one incident.
    pub fn of((inc, states): &Listed) -> ListRow {
        ListRow {
            id: inc.id.to_string(),
            title: inc.title.clone(),
            kind: inc.kind.clone(),
            severity: inc.severity,
            status: inc.status,
            drill: inc.drill,
            opened_at: rfc3339(inc.opened_at),
            steps_done: inc.steps_done,
            next_step: inc.next_step,
            next_deadline: next_deadline(states).map(ClockView::of),
            legal_clocks: states.iter().map(ClockView::of).collect(),
        }
    }
}

/// A cell's text cut to [`MAX_SHORT_CHARS`]: laying out a cell takes time that grows faster
/// than its length, and a record edited by hand may hold a title of megabytes.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(MAX_SHORT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The incidents as a table for people.
pub fn list_table(incidents: &[Listed], now: DateTime<Utc>) -> String {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "ID",
            "Sev",
            "Kind",
            "Title",
            "Steps",
            "Status",
            "Legal clocks",
        ]);
    for (inc, states) in incidents {
        let steps = match inc.next_step {
            Some(step) => format!("{}/6, next {step}", inc.steps_done),
            None => "6/6".into(),
        };
        let title = format!(
            "{}{}",
            if inc.drill { "[DRILL] " } else { "" },
            shortened(&printable(&inc.title))
        );
        table.add_row([
            inc.id.to_string(),
            inc.severity.to_string(),
            shortened(&printable(&inc.kind)),
            title,
            steps,
            inc.status.to_string(),
            clocks_cell(states, now),
        ]);
    }
    table.to_string()
}
