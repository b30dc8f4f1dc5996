//! `incident list`: open incidents (and closed ones with a legal clock still running, or all),
//! with progress and where their legal clocks stand.

use crate::cli::{ListArgs, ListFormat};
use crate::error::{Error, Result};
use crate::incident::Status;
use crate::present::{ListRow, Listed, list_table};
use crate::runbook::Catalog;
use crate::store::Store;

use super::Context;

/// `incident list`.
pub fn run(ctx: &Context, args: ListArgs) -> Result<()> {
    let store = Store::new(&ctx.workspace);
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let mut unreadable = 0;
    let mut incidents: Vec<Listed> = Vec::new();
    for (_, record) in store.briefs()? {
        match record {
            Ok(brief) => {
                let states = ctx.clocks_on(&catalog, &brief.kind, &brief.clocks);
                incidents.push((brief, states));
            }
            Err(err) => {
                unreadable += 1;
                anstream::eprintln!("error: {err}");
            }
        }
    }
    // A closed incident whose legal clock still runs needs attention too.
    incidents.retain(|(i, states)| {
        args.all || i.status == Status::Open || states.iter().any(|c| c.is_open())
    });

    match args.format {
        ListFormat::Json => {
            let rows: Vec<ListRow> = incidents.iter().map(ListRow::of).collect();
            // Freed first: the text reuses the memory instead of faulting in more.
            drop(incidents);
            let mut json = crate::format::json(&rows, "the list")?;
            json.push('\n');
            super::output::print(&json)?;
        }
        ListFormat::Table if incidents.is_empty() => {
            ctx.status(if args.all {
                "No incidents yet. Open one with `incident open`."
            } else {
                "No open incidents and no legal clock running. `incident list --all` includes closed ones."
            });
        }
        ListFormat::Table => {
            let mut table = list_table(&incidents, ctx.clock.now());
            table.push('\n');
            super::output::print(&table)?;
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
