//! `incident list`: open incidents (and closed ones with a legal clock still running, or all),
//! with progress and where their legal clocks stand.

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use crate::cli::{ListArgs, ListFormat};
use crate::error::{Error, Result};
use crate::incident::{Incident, Status, rfc3339};
use crate::runbook::Catalog;
use crate::store::Store;

use super::Context;
use super::view::{clock_json, clocks, clocks_cell, next_deadline};

/// `incident list`.
pub fn run(ctx: &Context, args: ListArgs) -> Result<()> {
    let store = Store::new(&ctx.workspace);
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let now = ctx.clock.now();
    let mut unreadable = 0;
    let mut incidents: Vec<Incident> = Vec::new();
    for (_, record) in store.load_all()? {
        match record {
            Ok(incident) => incidents.push(incident),
            Err(err) => {
                unreadable += 1;
                anstream::eprintln!("error: {err}");
            }
        }
    }
    // A closed incident whose legal clock still runs needs attention too.
    incidents.retain(|i| {
        args.all
            || i.status == Status::Open
            || clocks(&ctx.workspace, &catalog, i, now)
                .iter()
                .any(|c| c.is_open())
    });

    match args.format {
        ListFormat::Json => {
            let rows: Vec<_> = incidents
                .iter()
                .map(|inc| {
                    let states = clocks(&ctx.workspace, &catalog, inc, now);
                    let deadline = next_deadline(&states).map(clock_json);
                    json!({
                        "id": inc.id.to_string(),
                        "title": inc.title,
                        "kind": inc.kind,
                        "severity": inc.severity,
                        "status": inc.status,
                        "drill": inc.drill,
                        "opened_at": rfc3339(inc.opened_at),
                        "steps_done": inc.steps_done(),
                        "next_step": inc.next_step(),
                        "next_deadline": deadline,
                        "legal_clocks": states.iter().map(clock_json).collect::<Vec<_>>(),
                    })
                })
                .collect();
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            )?;
        }
        ListFormat::Table if incidents.is_empty() => {
            ctx.status(if args.all {
                "No incidents yet. Open one with `incident open`."
            } else {
                "No open incidents and no legal clock running. `incident list --all` includes closed ones."
            });
        }
        ListFormat::Table => {
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
            for inc in &incidents {
                let deadline = clocks_cell(&clocks(&ctx.workspace, &catalog, inc, now), now);
                let steps = match inc.next_step() {
                    Some(step) => format!("{}/6, next {step}", inc.steps_done()),
                    None => "6/6".into(),
                };
                let title = if inc.drill {
                    format!("[DRILL] {}", inc.title)
                } else {
                    inc.title.clone()
                };
                table.add_row([
                    inc.id.to_string(),
                    inc.severity.to_string(),
                    inc.kind.clone(),
                    title,
                    steps,
                    inc.status.to_string(),
                    deadline,
                ]);
            }
            crate::outln!("{table}")?;
        }
    }
    if unreadable > 0 {
        return Err(Error::State {
            message: format!("{unreadable} record(s) could not be read"),
            hint: "the errors above name file and line; `incident check` lists every problem"
                .into(),
        });
    }
    Ok(())
}
