//! The story of the incident: header, cause, detection, response, the timeline, and the
//! summary paragraph made from them.

use chrono::{DateTime, Utc};

use super::{Answers, Inputs, prose};
use crate::format::{human_duration, utc};
use crate::incident::{Status, known, rfc3339};
use crate::report::{Cause, Detection, Fact, Header, Impact, Overview, Response, TimelineRow};

/// Title, severity, status, owner and dates.
pub fn header(inputs: &Inputs<'_>) -> Header {
    let inc = inputs.incident;
    let lead =
        inputs
            .runbook
            .and_then(|r| r.escalation.lead)
            .map(|role| match inputs.roles.get(&role) {
                Some(name) => format!("{} ({name})", role.label()),
                None => role.label().to_string(),
            });
    Header {
        id: inc.id.to_string(),
        title: inc.title.clone(),
        kind: inc.kind.clone(),
        kind_title: kind_title(inputs),
        severity: inc.severity.to_string(),
        status: inc.status.to_string(),
        drill: inc.drill,
        owner: inc.opened_by.clone(),
        lead,
        opened_at: utc(inc.opened_at),
        discovered_at: inc.discovered_at().map(utc),
        closed_at: inc.closed_at.map(utc),
        closed_by: inc.closed_by.clone(),
        steps_done: inc.steps_done(),
    }
}

fn kind_title(inputs: &Inputs<'_>) -> String {
    inputs
        .runbook
        .map(|r| r.title.clone())
        .unwrap_or_else(|| inputs.incident.kind.clone())
}

/// Trigger, root cause and contributing factors.
pub fn cause(answers: &mut Answers<'_>) -> Cause {
    Cause {
        trigger: answers.text(known::CAUSE),
        root_cause: answers.text(known::ROOT_CAUSE),
        contributing_factors: answers.list(known::CONTRIBUTING_FACTORS),
    }
}

/// How and when it was found; `started` is when the problem began, when the record says.
pub fn detection(answers: &mut Answers<'_>, started: Option<DateTime<Utc>>) -> Detection {
    let inc = answers.inputs.incident;
    let discovered = inc.discovered_at();
    let first_report = answers.text(known::FIRST_REPORT);
    Detection {
        how_found: answers.text(known::HOW_FOUND),
        first_report,
        started_at: started.map(utc),
        discovered_at: discovered.map(utc),
        opened_at: utc(inc.opened_at),
        time_to_detect: started.zip(discovered).map(|(s, d)| human_duration(d - s)),
        time_to_open: discovered.map(|d| human_duration(inc.opened_at - d)),
    }
}

/// How the fire was put out and the recovery watched.
pub fn response(answers: &mut Answers<'_>) -> Response {
    let inputs = answers.inputs;
    let inc = inputs.incident;
    let recovery: Vec<Fact> = [known::WATCH_OWNER, known::WATCH_UNTIL]
        .into_iter()
        .filter_map(|q| {
            let value = answers.text(q)?;
            Some(Fact {
                label: inputs.prompt(q.step, q.id),
                value,
            })
        })
        .collect();
    Response {
        containment: answers.facts(crate::incident::Step::Stop, &[]),
        time_to_stop: inc.durations().stop.map(human_duration),
        recovery,
        resolution: inc.resolution.clone(),
        closed_at: inc.closed_at.map(utc),
    }
}

/// A moment the answers know of, as a timeline row with no one behind it.
fn moment(at: DateTime<Utc>, event: &str, text: String) -> (DateTime<Utc>, TimelineRow) {
    let row = TimelineRow {
        at: utc(at),
        at_rfc3339: rfc3339(at),
        by: "—".into(),
        event: event.into(),
        text,
    };
    (at, row)
}

/// Every event in time order: the moments the answers know of, and the record's timeline.
pub fn timeline(
    answers: &mut Answers<'_>,
    started: Option<DateTime<Utc>>,
    detection: &Detection,
) -> Vec<TimelineRow> {
    let inc = answers.inputs.incident;
    let mut moments = Vec::new();
    if let Some(at) = started {
        let what = if answers.instant(known::BREACH_START).is_some() {
            "The problem started (best estimate)"
        } else {
            "The email went out"
        };
        moments.push(moment(at, "started", what.into()));
    }
    if let Some(at) = answers.instant(known::BREACH_END) {
        moments.push(moment(at, "ended", "The exposure ended".into()));
    }
    if let Some(at) = inc.discovered_at() {
        let text = match &detection.how_found {
            Some(how) => format!("The team became aware ({how})"),
            None => "The team became aware".into(),
        };
        moments.push(moment(at, "discovered", text));
    }
    for entry in &inc.timeline {
        let event = serde_json::to_value(entry.event)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut text = entry.message.clone().unwrap_or_else(|| prose(&event));
        if let Some(clock) = &entry.clock {
            text.push_str(&format!(" [notified: {clock}]"));
        }
        let row = TimelineRow {
            at: utc(entry.at),
            at_rfc3339: rfc3339(entry.at),
            by: entry.by.clone(),
            event,
            text,
        };
        moments.push((entry.at, row));
    }
    // A stable sort keeps the record's order for events of the same minute.
    moments.sort_by_key(|(at, _)| *at);
    moments.into_iter().map(|(_, row)| row).collect()
}

/// The summary paragraph, made from the sections above.
pub fn overview(
    inputs: &Inputs<'_>,
    impact: &Impact,
    counted: bool,
    detection: &Detection,
) -> Overview {
    let inc = inputs.incident;
    let mut text = format!(
        "{}. {}, severity {}",
        inc.title.trim_end_matches('.'),
        kind_title(inputs),
        inc.severity
    );
    if let Some(at) = inc.discovered_at() {
        text.push_str(&format!(", discovered on {}", utc(at)));
        if let Some(how) = &detection.how_found {
            text.push_str(&format!(" via {how}"));
        }
    }
    text.push('.');
    if let Some(n) = &impact.affected {
        let estimate = if counted { "" } else { " (estimate)" };
        text.push_str(&format!(" {n} subscribers were affected{estimate}."));
    }
    let durations = inc.durations();
    if let Some(d) = durations.stop {
        text.push_str(&format!(
            " The harm was stopped {} after discovery",
            human_duration(d)
        ));
        match durations.inform {
            Some(i) => text.push_str(&format!(
                " and the people affected were informed after {}.",
                human_duration(i)
            )),
            None => text.push('.'),
        }
    }
    match (inc.status, inc.next_step()) {
        (Status::Closed, _) => text.push_str(&format!(
            " Closed on {}.",
            inc.closed_at.map(utc).unwrap_or_default()
        )),
        (Status::Open, None) => text.push_str(" All six steps are done; the incident is open."),
        (Status::Open, Some(next)) => text.push_str(&format!(
            " Still open: {} of 6 steps done, next: {}.",
            inc.steps_done(),
            next.title().to_lowercase()
        )),
    }
    if inc.drill {
        text.insert_str(0, "Drill (practice incident). ");
    }
    Overview {
        text,
        first_report: detection.first_report.clone(),
        resolution: inc.resolution.clone(),
    }
}
