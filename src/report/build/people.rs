//! The six steps with who did them and when, and everyone the record names.

use std::collections::BTreeMap;

use super::Inputs;
use crate::config::Role;
use crate::format::{human_duration, utc};
use crate::incident::{Answer, Event, Step, known, rfc3339};
use crate::report::{Fact, Responders, RoleRow, StepRow};

/// The six-step table.
pub fn steps(inputs: &Inputs<'_>) -> Vec<StepRow> {
    let inc = inputs.incident;
    let start = inc.discovered_at().unwrap_or(inc.opened_at);
    Step::ALL
        .iter()
        .map(|&step| {
            let section = inc.steps.get(step);
            let completed = inc.step_completed_at(step).or(section.completed_at);
            StepRow {
                number: step.number(),
                key: step.key().to_string(),
                title: step.title().to_string(),
                done: section.is_done(),
                status: if section.is_done() { "done" } else { "pending" }.to_string(),
                responsible: step.responsibility().to_string(),
                by: section.by.clone(),
                completed_at: completed.map(utc),
                completed_at_rfc3339: completed.map(rfc3339),
                since_discovery: completed.map(|at| human_duration(at - start)),
            }
        })
        .collect()
}

/// Everyone the record names, with what they did, and the roles of `incident.toml`.
pub fn responders(inputs: &Inputs<'_>) -> Responders {
    Responders {
        people: people(inputs)
            .into_iter()
            .map(|(name, what)| Fact {
                label: name,
                value: what.join("; "),
            })
            .collect(),
        roles: roles(inputs),
    }
}

fn people(inputs: &Inputs<'_>) -> Vec<(String, Vec<String>)> {
    let inc = inputs.incident;
    let mut people: Vec<(String, Vec<String>)> = Vec::new();
    let mut did = |name: &str, what: String| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        match people.iter_mut().find(|(n, _)| n == name) {
            Some((_, list)) => {
                if !list.contains(&what) {
                    list.push(what);
                }
            }
            None => people.push((name.to_string(), vec![what])),
        }
    };
    did(&inc.opened_by, "opened the incident".into());
    for step in Step::ALL {
        if let Some(by) = &inc.steps.get(step).by {
            did(
                by,
                format!("completed step {} ({})", step.number(), step.key()),
            );
        }
    }
    for (q, role) in [
        (known::SECURITY_LEAD, "leads for IT/Security"),
        (known::SIGN_OFF_BY, "approved the apology"),
        (known::WATCH_OWNER, "watches deliverability"),
    ] {
        if let Some(Answer::Text(name)) = q.answer(inc) {
            did(name, role.to_string());
        }
    }
    for entry in &inc.timeline {
        let what = match entry.event {
            Event::Note => "added notes",
            Event::Notified => "recorded legal notifications",
            Event::EmailRendered => "rendered the apology",
            Event::PolicyOverride => "overrode the apology policy",
            Event::MetricsImported => "imported deliverability stats",
            Event::Closed => "closed the incident",
            _ => continue,
        };
        did(&entry.by, what.to_string());
    }
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for item in inc.action_items() {
        *owners.entry(item.owner.as_str()).or_default() += 1;
    }
    for (owner, n) in owners {
        did(owner, format!("owns {n} action item(s)"));
    }
    people
}

/// The roles configured, escalated at this severity, or taking charge.
fn roles(inputs: &Inputs<'_>) -> Vec<RoleRow> {
    let escalated: Vec<Role> = inputs
        .runbook
        .map(|r| r.escalation.for_severity(inputs.incident.severity).to_vec())
        .unwrap_or_default();
    let lead = inputs.runbook.and_then(|r| r.escalation.lead);
    Role::ALL
        .iter()
        .filter(|role| {
            inputs.roles.contains_key(role) || escalated.contains(role) || lead == Some(**role)
        })
        .map(|role| RoleRow {
            role: role.label().to_string(),
            contact: inputs.roles.get(role).cloned(),
            escalated: escalated.contains(role),
            lead: lead == Some(*role),
        })
        .collect()
}
