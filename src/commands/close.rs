//! `incident close`: the end of an incident, with its resolution.

use crate::cli::CloseArgs;
use crate::error::{Error, Result};
use crate::incident::legal::ClockStatus;
use crate::incident::{Event, Status, Step, TimelineEntry};
use crate::runbook::Catalog;
use crate::store::Store;

use super::view::{clock_phrase, clocks};
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
        None if is_interactive(false, false) => {
            let prompter =
                crate::walk::TerminalPrompter::new(ctx.color, ctx.workspace.tz, ctx.clock);
            prompter.text("Resolution (how did it end?)", None, false)?
        }
        None => {
            return Err(Error::Usage {
                message: "no resolution given and no terminal to ask on".into(),
                hint: format!(
                    "pass --resolution \"…\", e.g. incident close {id} --resolution \"Apology sent; filter fixed\""
                ),
            });
        }
    };
    let resolution = checked_line("the resolution", &resolution)?;
    let by = actor_on(args.by.as_deref(), &current)?;
    let now = ctx.clock.now();
    let (incident, pending) = store.update(&id, |incident| {
        if incident.status == Status::Closed {
            return Err(already_closed(&incident.id.to_string()));
        }
        let pending: Vec<Step> = Step::ALL
            .into_iter()
            .filter(|s| !incident.steps.get(*s).is_done())
            .collect();
        incident.status = Status::Closed;
        incident.closed_at = Some(now);
        incident.closed_by = Some(by.clone());
        incident.resolution = Some(resolution.clone());
        let mut entry = TimelineEntry::new(now, &by, Event::Closed);
        entry.message = Some(if pending.is_empty() {
            format!("Closed: {resolution}")
        } else {
            let keys: Vec<_> = pending.iter().map(|s| s.key()).collect();
            format!(
                "Closed with steps pending ({}): {resolution}",
                keys.join(", ")
            )
        });
        incident.timeline.push(entry);
        Ok(pending)
    })?;
    if !pending.is_empty() {
        let keys: Vec<_> = pending.iter().map(|s| s.key()).collect();
        ctx.status(&format!(
            "warning: closed with steps pending: {}",
            keys.join(", ")
        ));
    }
    for state in clocks(&ctx.workspace, &catalog, &incident, now) {
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

fn already_closed(id: &str) -> Error {
    Error::State {
        message: format!("{id} is already closed"),
        hint: format!("`incident show {id}` shows its resolution"),
    }
}
