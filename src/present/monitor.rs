//! What `incident monitor` shows: the checkpoints with their rates and flags, as a table or
//! as JSON.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use crate::config::Thresholds;
use crate::format::{count, percent};
use crate::incident::{Baseline, CANONICAL, Incident, Rates};
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
    // A spam-rate column only when a provider reported one; the source beside the date only
    // when some checkpoint came from an ESP's own export.
    let spam = judged.iter().any(|j| j.rates.spam_rate.is_some())
        || section
            .baseline
            .as_ref()
            .is_some_and(|b| b.spam_rate.is_some());
    let labelled = judged.iter().any(|j| j.checkpoint.source != CANONICAL);
    let label = |j: &Judged| {
        if labelled {
            format!("{} {}", j.checkpoint.date, j.checkpoint.source)
        } else {
            j.checkpoint.date.to_string()
        }
    };
    let mut rows = Vec::new();
    if let Some(base) = &section.baseline {
        let label = format!("baseline {} to {}", base.from, base.until);
        rows.push(cells(
            label,
            (base.sent, base.delivered),
            &base.rates(),
            "—",
            spam,
        ));
    }
    for j in judged {
        let counts = (j.checkpoint.sent, j.checkpoint.delivered);
        rows.push(cells(
            label(j),
            counts,
            &j.rates,
            &j.level.to_string(),
            spam,
        ));
    }
    let mut out = format!("{}\n", table(rows, spam));
    for j in judged {
        for flag in &j.flags {
            let style = match flag.level {
                Level::Critical => anstyle::AnsiColor::Red.on_default().bold(),
                _ => anstyle::AnsiColor::Yellow.on_default(),
            };
            out.push_str(&format!(
                "{style}{:<9}{style:#} {}  {}\n",
                flag.level,
                label(j),
                flag.message
            ));
        }
    }
    out
}

/// One row of the table: the label, sent and delivered, the rates, the status.
fn cells(
    label: String,
    (sent, delivered): (Option<u64>, Option<u64>),
    rates: &Rates,
    status: &str,
    spam: bool,
) -> Vec<String> {
    let complaint = match (rates.complaint, rates.complaint_of_sent) {
        (Some(_), true) => format!("{} of sent", percent(rates.complaint)),
        _ => percent(rates.complaint),
    };
    let mut cells = vec![
        label,
        count(sent),
        count(delivered),
        percent(rates.bounce),
        complaint,
        percent(rates.unsubscribe),
        percent(rates.inbox_placement),
    ];
    if spam {
        cells.push(percent(rates.spam_rate));
    }
    cells.push(status.to_string());
    cells
}

/// The rows under their header, the figures aligned right.
fn table(rows: Vec<Vec<String>>, spam: bool) -> Table {
    let mut header = vec![
        "Checkpoint",
        "Sent",
        "Delivered",
        "Bounce",
        "Complaint",
        "Unsub.",
        "Inbox",
    ];
    if spam {
        header.push("Spam");
    }
    header.push("Status");
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(&header);
    for row in rows {
        table.add_row(row);
    }
    for column in 1..header.len() - 1 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
