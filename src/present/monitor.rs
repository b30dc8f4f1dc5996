//! What `incident monitor` shows: the checkpoints with their rates and flags, as a table or
//! as JSON.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::config::Thresholds;
use crate::format::{percent, thousands};
use crate::incident::{Baseline, Incident, Rates};
use crate::monitor::{Judged, Level};

/// The checkpoints as scripts read them.
#[derive(Debug, Serialize)]
pub struct MonitorView<'a> {
    pub id: String,
    pub thresholds: &'a Thresholds,
    pub baseline: Option<BaselineView<'a>>,
    pub checkpoints: &'a [Judged],
    /// The worst level of the checkpoints watched (just imported, or else the latest).
    pub level: Level,
}

/// The baseline with its rates.
#[derive(Debug, Serialize)]
pub struct BaselineView<'a> {
    pub baseline: &'a Baseline,
    pub rates: Rates,
}

impl<'a> BaselineView<'a> {
    /// The view of a baseline.
    pub fn of(baseline: &'a Baseline) -> BaselineView<'a> {
        BaselineView {
            baseline,
            rates: baseline.rates(),
        }
    }
}

/// The checkpoints as a table, then one line per flag (coloured; the output strips colour
/// where it does not belong).
pub fn monitor_table(incident: &Incident, judged: &[Judged]) -> String {
    let section = &incident.steps.monitor;
    if judged.is_empty() && section.baseline.is_none() {
        return format!(
            "{}: no checkpoints yet. Import the ESP's stats with `incident monitor {} --metrics stats.csv`.\n",
            incident.id, incident.id
        );
    }
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "Checkpoint",
            "Sent",
            "Delivered",
            "Bounce",
            "Complaint",
            "Unsub.",
            "Inbox",
            "Status",
        ]);
    let mut row = |label: String, c: (u64, u64), rates: Rates, status: String| {
        table.add_row([
            label,
            thousands(c.0),
            thousands(c.1),
            percent(rates.bounce),
            percent(rates.complaint),
            percent(rates.unsubscribe),
            percent(rates.inbox_placement),
            status,
        ]);
    };
    if let Some(base) = &section.baseline {
        row(
            format!("baseline {} to {}", base.from, base.until),
            (base.sent, base.delivered),
            base.rates(),
            "—".into(),
        );
    }
    for j in judged {
        row(
            j.checkpoint.date.to_string(),
            (j.checkpoint.sent, j.checkpoint.delivered),
            j.rates,
            j.level.to_string(),
        );
    }
    for column in 1..7 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!("{table}\n");
    for j in judged {
        for flag in &j.flags {
            let style = match flag.level {
                Level::Critical => anstyle::AnsiColor::Red.on_default().bold(),
                _ => anstyle::AnsiColor::Yellow.on_default(),
            };
            out.push_str(&format!(
                "{style}{:<9}{style:#} {}  {}\n",
                flag.level, j.checkpoint.date, flag.message
            ));
        }
    }
    out
}
