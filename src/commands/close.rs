//! `incident close`: the end of an incident, with its resolution.

use crate::cli::CloseArgs;
use crate::error::{Error, Result};
use crate::incident::legal::ClockStatus;
use crate::incident::{Status, already_closed};
use crate::present::clock_phrase;
use crate::runbook::Catalog;
use crate::store::Store;
use crate::walk;

use super::{Context, actor_on, checked_line, is_interactive, parse_id};

/// `incident close`.
pub fn run(ctx: &Context, args: CloseArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // Fail on a bad ID or a closed incident before asking anything.
    let current = store.load(&id)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if current.status == Status::Closed {
        return Err(already_closed(&id.to_string()));
    }
    let resolution = match args.resolution {
        Some(text) => text,
        None => walk::prompter(
            is_interactive(false, false),
            &ctx.workspace,
            ctx.color,
            ctx.clock,
        )
        .line("Resolution (how did it end?)", None)?
        .ok_or_else(|| Error::Usage {
            message: "no resolution given and no terminal to ask on".into(),
            hint: format!(
                "pass --resolution \"…\", e.g. incident close {id} --resolution \"Apology sent; filter fixed\""
            ),
        })?,
    };
    let resolution = checked_line("the resolution", &resolution)?;
    let by = actor_on(args.by.as_deref(), &current)?;
    let now = ctx.clock.now();
    let (incident, pending) =
        store.update(&id, |incident| incident.close(&resolution, &by, now))?;
    if !pending.is_empty() {
        let keys: Vec<_> = pending.iter().map(|s| s.key()).collect();
        ctx.status(&format!(
            "warning: closed with steps pending: {}",
            keys.join(", ")
        ));
    }
    for state in ctx.clocks(&catalog, &incident) {
        let unrecorded = state.status == ClockStatus::Missed && state.notified_at.is_none();
        if state.is_open() || unrecorded {
            ctx.status(&format!(
                "warning: legal clock {} ({}) {}",
                state.id,
                state.notify,
                clock_phrase(&state, now)
            ));
        }
    }
    ctx.status(&format!("{} closed.", incident.id));
    Ok(())
}
