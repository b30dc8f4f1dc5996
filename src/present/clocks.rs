//! Legal clocks as people and scripts read them: short phrases for deadlines, one table cell
//! per incident, and the JSON form `show`, `list` and `report` share.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::format::human_duration;
use crate::incident::legal::{ClockState, ClockStatus};
use crate::incident::rfc3339;

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
#[derive(Debug, Clone, Serialize)]
pub struct ClockView {
    pub clock: &'static str,
    pub notify: &'static str,
    pub law: &'static str,
    pub deadline: Option<String>,
    pub deadline_text: &'static str,
    pub notified_at: Option<String>,
    pub status: ClockStatus,
}

impl ClockView {
    /// The view of one clock's state.
    pub fn of(state: &ClockState) -> ClockView {
        ClockView {
            clock: state.id,
            notify: state.notify,
            law: state.law,
            deadline: state.deadline.map(rfc3339),
            deadline_text: state.deadline_text,
            notified_at: state.notified_at.map(rfc3339),
            status: state.status,
        }
    }
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
