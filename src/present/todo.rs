//! What is really left of an incident, in the order it is done: the steps, the audience, the
//! apology and its sending, the legal notifications, the action items, deliverability, and
//! the close. Each item carries the command that does it, with the incident's real ID. The walk
//! ends on this list, and `show` prints it.

use crate::incident::legal::ClockState;
use crate::incident::{Incident, Status};
use crate::runbook::ApologyPolicy;

/// One thing left to do, and the command that does it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Todo {
    pub what: String,
    pub command: String,
}

/// Everything the record says is left, in order; empty for a closed incident.
pub fn left_to_do(incident: &Incident, clocks: &[ClockState], policy: ApologyPolicy) -> Vec<Todo> {
    if incident.status == Status::Closed {
        return Vec::new();
    }
    let id = incident.id.to_string();
    let todo = |what: String, command: String| Todo { what, command };
    let mut left = Vec::new();
    if let Some(next) = incident.next_step() {
        left.push(todo(
            format!(
                "{}/6 steps done; next: {}. {}",
                incident.steps_done(),
                next.number(),
                next.title()
            ),
            format!("incident resume {id}"),
        ));
    }
    if incident.steps.assess.audience.is_none() {
        left.push(todo(
            "the affected subscribers are not computed from the send log".into(),
            format!(
                "incident audience {id} --sends SEND-LOG --suppressions LIST --campaign {}",
                campaign(incident)
            ),
        ));
    }
    left.extend(apology(incident, policy));
    for clock in clocks.iter().filter(|c| c.is_open()) {
        left.push(todo(
            format!(
                "legal clock {}: notify {} ({})",
                clock.id, clock.notify, clock.status
            ),
            format!("incident note {id} \"Notified …\" --notified {}", clock.id),
        ));
    }
    let open: Vec<usize> = incident
        .action_items()
        .enumerate()
        .filter(|(_, a)| a.done.is_none())
        .map(|(i, _)| i + 1)
        .collect();
    if let Some(first) = open.first() {
        left.push(todo(
            format!(
                "{} action item(s) open (numbers {})",
                open.len(),
                join(&open)
            ),
            format!("incident note {id} \"Done: …\" --action-done {first}"),
        ));
    }
    if incident.steps.monitor.checkpoints.is_empty() {
        left.push(todo(
            "no deliverability figures imported yet".into(),
            format!("incident monitor {id} --metrics STATS --preset ESP-stats"),
        ));
    }
    left.push(todo(
        "close it, with what went well and wrong for the post-mortem".into(),
        format!("incident close {id}"),
    ));
    left
}

/// The apology's part: render it, then record that it went out.
fn apology(incident: &Incident, policy: ApologyPolicy) -> Option<Todo> {
    let id = incident.id.to_string();
    let inform = &incident.steps.inform;
    if policy == ApologyPolicy::Never && inform.email.is_none() {
        return None;
    }
    match (&inform.email, inform.sent_at) {
        (None, _) => Some(Todo {
            what: "the apology is not rendered and checked".into(),
            command: format!("incident email {id}"),
        }),
        (Some(_), None) => Some(Todo {
            what: "the apology is rendered; once it has gone out, record when".into(),
            command: format!("incident note {id} \"Sent from the ESP\" --sent"),
        }),
        (Some(_), Some(_)) => None,
    }
}

/// The campaign the stop step names, for the audience's command.
fn campaign(incident: &Incident) -> String {
    incident
        .steps
        .stop
        .answers
        .get("campaign_id")
        .and_then(|a| a.as_text())
        .unwrap_or("CAMPAIGN")
        .to_string()
}

fn join(numbers: &[usize]) -> String {
    numbers
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The list as lines for a terminal.
pub fn todo_text(left: &[Todo]) -> String {
    let mut out = String::new();
    for (i, item) in left.iter().enumerate() {
        out.push_str(&format!(
            "  {}. {}\n       {}\n",
            i + 1,
            item.what,
            item.command
        ));
    }
    out
}
