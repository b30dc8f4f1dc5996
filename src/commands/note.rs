//! `incident note`: a line in the timeline, or the record of a legal notification.

use crate::cli::NoteArgs;
use crate::error::{Error, Result};
use crate::incident::legal::all_clocks;
use crate::incident::{Event, Incident, TimelineEntry, rfc3339};
use crate::runbook::Catalog;
use crate::store::Store;

use super::view::clocks;
use super::{Context, actor_on, parse_id};

/// `incident note`.
pub fn run(ctx: &Context, args: NoteArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let message = args.message.trim().to_string();
    if message.is_empty() {
        return Err(Error::Usage {
            message: "the note is empty".into(),
            hint: "say what happened, e.g. incident note ID \"Campaign paused in the ESP\"".into(),
        });
    }
    crate::text::check_text(&message, true).map_err(|m| Error::Usage {
        message: format!("the note {m}"),
        hint: "write plain text".into(),
    })?;
    let now = ctx.clock.now();
    let at = args.at.unwrap_or(now);
    if at > now {
        return Err(Error::Usage {
            message: format!("--at {} is in the future", rfc3339(at)),
            hint: "record what has happened; leave out --at for now".into(),
        });
    }
    let store = Store::new(&ctx.workspace);
    let by = actor_on(args.by.as_deref(), &store.load(&id)?)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let (incident, clock) = store.update(&id, |incident| {
        let clock = match &args.notified {
            None => None,
            Some(clock) => Some(applicable_clock(ctx, &catalog, incident, clock)?),
        };
        if let (Some(clock), Some(discovered)) = (&clock, incident.discovered_at())
            && at < discovered
        {
            return Err(Error::Usage {
                message: format!(
                    "--at {} is before the team became aware ({}): a notification for {clock} cannot come first",
                    rfc3339(at),
                    rfc3339(discovered)
                ),
                hint: "check the time and its offset".into(),
            });
        }
        let message = match args.action_done {
            None => message.clone(),
            Some(number) => mark_done(incident, number, ctx.workspace.local_date(at), &message)?,
        };
        let event = if clock.is_some() {
            Event::Notified
        } else {
            Event::Note
        };
        let mut entry = TimelineEntry::new(at, &by, event);
        entry.clock = clock.clone();
        entry.message = Some(message);
        incident.timeline.push(entry);
        // Keep the timeline in time order even when --at names an earlier moment.
        incident.timeline.sort_by_key(|e| e.at);
        Ok(clock)
    })?;
    match clock {
        Some(clock) => ctx.status(&format!(
            "{}: notification recorded for {clock}",
            incident.id
        )),
        None => ctx.status(&format!("{}: note added", incident.id)),
    }
    Ok(())
}

/// The clock `--notified` names, when this incident has it.
fn applicable_clock(
    ctx: &Context,
    catalog: &Catalog,
    incident: &Incident,
    clock: &str,
) -> Result<String> {
    let states = clocks(&ctx.workspace, catalog, incident, ctx.clock.now());
    if states.iter().any(|s| s.id == clock) {
        return Ok(clock.to_string());
    }
    let hint = if states.is_empty() {
        format!(
            "a {} incident has no legal clocks; record the message as a plain note",
            incident.kind
        )
    } else {
        let ids: Vec<_> = states.iter().map(|s| s.id).collect();
        format!(
            "this incident's clocks: {} (jurisdictions come from incident.toml [legal])",
            ids.join(", ")
        )
    };
    let known = all_clocks().iter().any(|c| c.id == clock);
    Err(Error::Usage {
        message: if known {
            format!(
                "--notified {clock}: that clock does not apply to {}",
                incident.id
            )
        } else {
            format!("--notified {clock:?} is not a legal clock")
        },
        hint,
    })
}

/// Mark action item `number` done on `day`; the timeline line says which one.
fn mark_done(
    incident: &mut Incident,
    number: usize,
    day: chrono::NaiveDate,
    message: &str,
) -> Result<String> {
    let count = incident.action_items().count();
    let id = incident.id.to_string();
    let item = incident
        .action_item_mut(number)
        .ok_or_else(|| Error::Usage {
            message: format!("--action-done {number}: {id} has {count} action item(s)"),
            hint: format!("`incident show {id}` numbers them"),
        })?;
    if let Some(done) = item.done {
        return Err(Error::State {
            message: format!("action item {number} ({}) was done on {done}", item.what),
            hint: "nothing to change".into(),
        });
    }
    item.done = Some(day);
    Ok(format!(
        "Action item {number} done ({}): {message}",
        item.what
    ))
}
