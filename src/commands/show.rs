//! `incident show`: one incident as text, YAML or JSON, with durations and deadlines.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::cli::{ShowArgs, ShowFormat};
use crate::error::Result;
use crate::incident::{Incident, Step, human_duration, rfc3339};
use crate::monitor::thousands;
use crate::runbook::Catalog;
use crate::store::Store;

use super::view::{clock_json, clock_phrase, clocks};
use super::{Context, parse_id};

/// `incident show`.
pub fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let incident = Store::new(&ctx.workspace).load(&id)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    match args.format {
        // The record's own fields, then what is derived from them; `cat incidents/ID.yaml`
        // shows the record alone.
        ShowFormat::Yaml => crate::out!(
            "{}",
            serde_yaml::to_string(&as_json(ctx, &catalog, &incident)).unwrap_or_default()
        )?,
        ShowFormat::Json => {
            let value = as_json(ctx, &catalog, &incident);
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )?;
        }
        ShowFormat::Text => crate::out!("{}", as_text(ctx, &catalog, &incident))?,
    }
    Ok(())
}

fn as_json(ctx: &Context, catalog: &Catalog, incident: &Incident) -> Value {
    let now = ctx.clock.now();
    let mut value = serde_json::to_value(incident).unwrap_or(Value::Null);
    let durations: serde_json::Map<String, Value> = incident
        .durations()
        .labelled()
        .iter()
        .map(|(name, d)| (format!("{name}_seconds"), json!(d.map(|d| d.num_seconds()))))
        .collect();
    let legal: Vec<Value> = clocks(&ctx.workspace, catalog, incident, now)
        .iter()
        .map(clock_json)
        .collect();
    if let Value::Object(map) = &mut value {
        map.insert(
            "discovered_at".into(),
            json!(incident.discovered_at().map(rfc3339)),
        );
        map.insert("durations".into(), Value::Object(durations));
        map.insert("legal_clocks".into(), Value::Array(legal));
    }
    value
}

fn as_text(ctx: &Context, catalog: &Catalog, inc: &Incident) -> String {
    let ws = &ctx.workspace;
    let now = ctx.clock.now();
    let mut out = String::new();
    let drill = if inc.drill {
        "  [DRILL — practice incident]"
    } else {
        ""
    };
    let _ = writeln!(out, "{}{drill}", inc.id);
    let _ = writeln!(out, "Title:       {}", inc.title);
    let kind_title = catalog
        .get(&inc.kind)
        .map(|r| format!(" — {}", r.title))
        .unwrap_or_default();
    let _ = writeln!(out, "Kind:        {}{kind_title}", inc.kind);
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
        inc.opened_by
    );
    if let Some(at) = inc.discovered_at() {
        let _ = writeln!(out, "Discovered:  {}", ws.local_time(at));
    }
    if let Some(at) = inc.closed_at {
        let by = inc.closed_by.as_deref().unwrap_or("?");
        let _ = writeln!(out, "Closed:      {} by {by}", ws.local_time(at));
    }
    if let Some(resolution) = &inc.resolution {
        let _ = writeln!(out, "Resolution:  {resolution}");
    }

    let _ = writeln!(out, "\nDurations (from discovery)");
    for (label, duration) in [
        ("Time to acknowledge", inc.durations().acknowledge),
        ("Time to stop", inc.durations().stop),
        ("Time to inform", inc.durations().inform),
    ] {
        let shown = duration.map(human_duration).unwrap_or_else(|| "—".into());
        let _ = writeln!(out, "  {label:<20} {shown}");
    }

    let states = clocks(ws, catalog, inc, now);
    if !states.is_empty() {
        let _ = writeln!(
            out,
            "\nLegal clocks (record a notification with `incident note {} \"…\" --notified CLOCK`)",
            inc.id
        );
        for s in &states {
            let deadline = s
                .deadline
                .map(|d| format!("by {} ({})", ws.local_time(d), s.deadline_text))
                .unwrap_or_else(|| s.deadline_text.to_string());
            let _ = writeln!(
                out,
                "  {:<22} {:<26} {}, {deadline} — {}",
                s.id,
                s.law,
                s.notify,
                clock_phrase(s, now)
            );
        }
    }

    let _ = writeln!(out, "\nSteps");
    let runbook = catalog.get(&inc.kind).ok();
    let today = ws.local_date(now);
    let mut action_number = 0;
    for step in Step::ALL {
        let section = inc.steps.get(step);
        let state = match (section.completed_at, &section.by) {
            (Some(at), Some(by)) => format!("done {} by {by}", ws.local_time(at)),
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
            let prompt = runbook
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
                        item.action_type, item.what, item.owner, item.due
                    );
                }
                continue;
            }
            let text = answer.to_string().replace('\n', "\n       ");
            let _ = writeln!(out, "       {prompt}: {text}");
        }
        if let Some(a) = section.audience.as_ref().filter(|_| step == Step::Assess) {
            let segments: Vec<String> = a
                .segments
                .iter()
                .map(|(name, n)| {
                    let name = if name.is_empty() {
                        "(no segment)"
                    } else {
                        name
                    };
                    format!("{name} {}", thousands(*n))
                })
                .collect();
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
    }

    let _ = writeln!(out, "\nTimeline ({})", ws.tz);
    for entry in &inc.timeline {
        let what = entry
            .message
            .clone()
            .unwrap_or_else(|| format!("{:?}", entry.event).to_lowercase());
        let clock = entry
            .clock
            .as_ref()
            .map(|c| format!(" [notified: {c}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}  {:<12} {what}{clock}",
            ws.local_time(entry.at),
            entry.by
        );
    }
    out
}
