//! What `list`, `show` and other commands compute for display: legal clock states and short
//! phrases for deadlines.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::incident::legal::{ClockState, ClockStatus, evaluate};
use crate::incident::{Incident, human_duration, rfc3339};
use crate::runbook::Catalog;
use crate::workspace::Workspace;

/// The legal clocks of an incident, when its kind has them.
pub fn clocks(
    workspace: &Workspace,
    catalog: &Catalog,
    incident: &Incident,
    now: DateTime<Utc>,
) -> Vec<ClockState> {
    let applies = catalog.get(&incident.kind).is_ok_and(|r| r.legal_clocks);
    if !applies {
        return Vec::new();
    }
    evaluate(incident, &workspace.legal_clocks(), now)
}

/// "due in 5h 10m", "overdue by 2h", "met", "missed by 1d 2h", "without undue delay".
pub fn clock_phrase(state: &ClockState, now: DateTime<Utc>) -> String {
    match (state.status, state.deadline, state.notified_at) {
        (ClockStatus::NotStarted, _, _) => "not started (discovery time not recorded)".into(),
        (ClockStatus::Due, Some(d), _) => format!("due in {}", human_duration(d - now)),
        (ClockStatus::Due, None, _) => "due".into(),
        (ClockStatus::Overdue, Some(d), _) => format!("OVERDUE by {}", human_duration(now - d)),
        (ClockStatus::Met, _, _) => "met".into(),
        (ClockStatus::Missed, Some(d), Some(n)) => format!("missed by {}", human_duration(n - d)),
        (ClockStatus::Missed, _, None) => "missed: closed without a recorded notification".into(),
        (ClockStatus::Missed, None, Some(_)) | (ClockStatus::Overdue, None, _) => "missed".into(),
    }
}

/// A clock as scripts read it (`show`, `list` and `report` in JSON).
pub fn clock_json(state: &ClockState) -> Value {
    json!({
        "clock": state.id,
        "notify": state.notify,
        "law": state.law,
        "deadline": state.deadline.map(rfc3339),
        "deadline_text": state.deadline_text,
        "notified_at": state.notified_at.map(rfc3339),
        "status": state.status,
    })
}

/// One cell for a table row: the clock needing attention first, then how many are met or missed,
/// e.g. "gdpr-individuals due · 1 met · 1 missed".
pub fn clocks_cell(states: &[ClockState], now: DateTime<Utc>) -> String {
    let mut parts = Vec::new();
    if let Some(next) = next_deadline(states) {
        parts.push(format!("{} {}", next.id, clock_phrase(next, now)));
        let more = states.iter().filter(|s| s.is_open()).count() - 1;
        if more > 0 {
            parts.push(format!("{more} more open"));
        }
    }
    for (status, word) in [(ClockStatus::Met, "met"), (ClockStatus::Missed, "missed")] {
        let count = states.iter().filter(|s| s.status == status).count();
        if count > 0 {
            parts.push(format!("{count} {word}"));
        }
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(" · ")
    }
}

/// The clock needing attention first: overdue before due, earliest deadline first.
pub fn next_deadline(states: &[ClockState]) -> Option<&ClockState> {
    states.iter().filter(|s| s.is_open()).min_by_key(|s| {
        (
            s.status != ClockStatus::Overdue,
            s.deadline.is_none(),
            s.deadline,
        )
    })
}
