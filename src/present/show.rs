//! What `incident show` shows: one incident as text for people, or its record with what is
//! derived from it (discovery, durations, legal clocks) for scripts.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::clocks::{ClockView, clock_phrase};
use crate::format::{human_duration, thousands};
use crate::incident::legal::ClockState;
use crate::incident::{Incident, Step, rfc3339};
use crate::runbook::Runbook;
use crate::text::{printable, printable_lines};
use crate::workspace::Workspace;

/// The record's own fields, then what is derived from them.
#[derive(Debug, Serialize)]
pub struct ShowView<'a> {
    #[serde(flatten)]
    pub incident: &'a Incident,
    pub discovered_at: Option<String>,
    pub durations: DurationsView,
    pub legal_clocks: Vec<ClockView>,
}

/// The key durations in seconds.
#[derive(Debug, Serialize)]
pub struct DurationsView {
    pub time_to_acknowledge_seconds: Option<i64>,
    pub time_to_stop_seconds: Option<i64>,
    pub time_to_inform_seconds: Option<i64>,
}

impl<'a> ShowView<'a> {
    /// The view of an incident with its clocks.
    pub fn of(incident: &'a Incident, clocks: &[ClockState]) -> ShowView<'a> {
        let d = incident.durations();
        let seconds = |d: Option<chrono::Duration>| d.map(|d| d.num_seconds());
        ShowView {
            incident,
            discovered_at: incident.discovered_at().map(rfc3339),
            durations: DurationsView {
                time_to_acknowledge_seconds: seconds(d.acknowledge),
                time_to_stop_seconds: seconds(d.stop),
                time_to_inform_seconds: seconds(d.inform),
            },
            legal_clocks: clocks.iter().map(ClockView::of).collect(),
        }
    }
}

/// Everything `show` needs besides the record.
pub struct ShowContext<'a> {
    pub workspace: &'a Workspace,
    /// The kind's runbook, for its title and question prompts; `None` when it is gone.
    pub runbook: Option<&'a Runbook>,
    pub clocks: &'a [ClockState],
    pub now: DateTime<Utc>,
}

/// The incident for people: header, durations, legal clocks, steps with answers, timeline.
/// Nothing from the record reaches the terminal raw: one-line fields are escaped where they
/// are shown, and every control character left but a line feed or tab is escaped at the end.
pub fn show_text(c: &ShowContext<'_>, inc: &Incident) -> String {
    let mut out = String::new();
    header(&mut out, c, inc);
    durations(&mut out, inc);
    clocks(&mut out, c, inc);
    steps(&mut out, c, inc);
    timeline(&mut out, c, inc);
    printable_lines(&out)
}

fn header(out: &mut String, c: &ShowContext<'_>, inc: &Incident) {
    let ws = c.workspace;
    let drill = if inc.drill {
        "  [DRILL — practice incident]"
    } else {
        ""
    };
    let _ = writeln!(out, "{}{drill}", inc.id);
    let _ = writeln!(out, "Title:       {}", printable(&inc.title));
    let kind_title = c
        .runbook
        .map(|r| format!(" — {}", r.title))
        .unwrap_or_default();
    let _ = writeln!(out, "Kind:        {}{kind_title}", printable(&inc.kind));
    let _ = writeln!(out, "Severity:    {}", inc.severity);
    let progress = match inc.next_step() {
        Some(step) => format!("{}/6 steps done, next: {step}", inc.steps_done()),
        None => "6/6 steps done".into(),
    };
    let _ = writeln!(out, "Status:      {} ({progress})", inc.status);
    let _ = writeln!(
        out,
        "Opened:      {} by {}",
        ws.local_time(inc.opened_at),
        printable(&inc.opened_by)
    );
    if let Some(at) = inc.discovered_at() {
        let _ = writeln!(out, "Discovered:  {}", ws.local_time(at));
    }
    if let Some(at) = inc.closed_at {
        let by = printable(inc.closed_by.as_deref().unwrap_or("?"));
        let _ = writeln!(out, "Closed:      {} by {by}", ws.local_time(at));
    }
    if let Some(resolution) = &inc.resolution {
        let _ = writeln!(out, "Resolution:  {}", printable(resolution));
    }
}

fn durations(out: &mut String, inc: &Incident) {
    let _ = writeln!(out, "\nDurations (from discovery)");
    let d = inc.durations();
    for (label, duration) in [
        ("Time to acknowledge", d.acknowledge),
        ("Time to stop", d.stop),
        ("Time to inform", d.inform),
    ] {
        let shown = duration.map(human_duration).unwrap_or_else(|| "—".into());
        let _ = writeln!(out, "  {label:<20} {shown}");
    }
}

fn clocks(out: &mut String, c: &ShowContext<'_>, inc: &Incident) {
    if c.clocks.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nLegal clocks (record a notification with `incident note {} \"…\" --notified CLOCK`)",
        inc.id
    );
    for s in c.clocks {
        let deadline = s
            .deadline
            .map(|d| format!("by {} ({})", c.workspace.local_time(d), s.deadline_text))
            .unwrap_or_else(|| s.deadline_text.to_string());
        let _ = writeln!(
            out,
            "  {:<22} {:<26} {}, {deadline} — {}",
            s.id,
            s.law,
            s.notify,
            clock_phrase(s, c.now)
        );
    }
}

fn steps(out: &mut String, c: &ShowContext<'_>, inc: &Incident) {
    let ws = c.workspace;
    let _ = writeln!(out, "\nSteps");
    let today = ws.local_date(c.now);
    let mut action_number = 0;
    for step in Step::ALL {
        let section = inc.steps.get(step);
        let state = match (section.completed_at, &section.by) {
            (Some(at), Some(by)) => format!("done {} by {}", ws.local_time(at), printable(by)),
            _ => "pending".into(),
        };
        let _ = writeln!(
            out,
            "  {}. {:<22} {:<28} {}",
            step.number(),
            step.title(),
            step.responsibility(),
            state
        );
        for (id, answer) in &section.answers {
            let prompt = c
                .runbook
                .and_then(|r| r.steps.get(step).question(id))
                .map(|q| q.prompt.as_str())
                .unwrap_or(id);
            if let Some(items) = answer.as_actions().filter(|items| !items.is_empty()) {
                // Numbered across the plan, as `incident note --action-done N` takes them.
                let _ = writeln!(out, "       {prompt}:");
                for item in items {
                    action_number += 1;
                    let state = match item.done {
                        Some(day) => format!("done {day}"),
                        None if item.is_overdue(today) => "OVERDUE".into(),
                        None => "open".into(),
                    };
                    let _ = writeln!(
                        out,
                        "         {action_number}. [{}] {} (owner {}, due {}) — {state}",
                        item.action_type,
                        printable(&item.what),
                        printable(&item.owner),
                        item.due
                    );
                }
                continue;
            }
            let text = answer.to_string().replace('\n', "\n       ");
            let _ = writeln!(out, "       {prompt}: {text}");
        }
        if step == Step::Assess {
            audience(out, ws, inc);
        }
    }
}

fn audience(out: &mut String, ws: &Workspace, inc: &Incident) {
    let Some(a) = &inc.steps.assess.audience else {
        return;
    };
    // A log that names no segment has one count, the affected: nothing to list.
    let named = a.segments.keys().any(|name| !name.is_empty());
    let segments: Vec<String> = a
        .segments
        .iter()
        .filter(|_| named)
        .map(|(name, n)| {
            let name = if name.is_empty() {
                "(no segment)"
            } else {
                name
            };
            format!("{name} {}", thousands(*n))
        })
        .collect();
    if let Some(w) = &a.warehouse {
        let _ = writeln!(
            out,
            "       Audience (incident audience --recipients, {} by {}): {} affected, from the {} query (sha256 {}) on {}; list {}",
            ws.local_time(a.computed_at),
            a.by,
            thousands(a.affected),
            w.dialect,
            w.sql_sha256,
            a.sends,
            a.recipients
        );
        return;
    }
    let _ = writeln!(
        out,
        "       Audience (incident audience, {} by {}): {} affected{}; {} suppressed, {} malformed row(s) left out; list {}",
        ws.local_time(a.computed_at),
        a.by,
        thousands(a.affected),
        if segments.is_empty() {
            String::new()
        } else {
            format!(" ({})", segments.join(", "))
        },
        thousands(a.suppressed),
        thousands(a.malformed_rows),
        a.recipients
    );
}

fn timeline(out: &mut String, c: &ShowContext<'_>, inc: &Incident) {
    let _ = writeln!(out, "\nTimeline ({})", c.workspace.tz);
    for entry in &inc.timeline {
        let what = entry
            .message
            .clone()
            .unwrap_or_else(|| format!("{:?}", entry.event).to_lowercase());
        let clock = entry
            .clock
            .as_ref()
            .map(|c| format!(" [notified: {}]", printable(c)))
            .unwrap_or_default();
        let what = what.replace('\n', "\n                                     ");
        let _ = writeln!(
            out,
            "  {}  {:<12} {what}{clock}",
            c.workspace.local_time(entry.at),
            printable(&entry.by)
        );
    }
}
