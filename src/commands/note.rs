//! `incident note`: a line in the timeline, the record of a legal notification, or an action
//! item marked done.

use crate::cli::NoteArgs;
use crate::error::{Error, Result};
use crate::incident::rfc3339;
use crate::runbook::Catalog;
use crate::store::Store;

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
    let clocks = |kind: &str| {
        if catalog.has_legal_clocks(kind) {
            ctx.workspace.legal_clocks()
        } else {
            Vec::new()
        }
    };
    let (incident, ()) =
        store.update(&id, |incident| match (&args.notified, args.action_done) {
            _ if args.sent => incident.record_apology_sent(&message, &by, at),
            (Some(clock), _) => {
                let applicable = clocks(&incident.kind);
                incident.record_notification(clock, &applicable, &message, &by, at)
            }
            (None, Some(number)) => {
                let day = ctx.workspace.local_date(at);
                incident.mark_action_done(number, day, &message, &by, at)
            }
            (None, None) => {
                incident.add_note(&message, &by, at);
                Ok(())
            }
        })?;
    match &args.notified {
        _ if args.sent => ctx.status(&format!(
            "{}: the apology is recorded as sent at {}",
            incident.id,
            ctx.workspace.local_time(at)
        )),
        Some(clock) => ctx.status(&format!(
            "{}: notification recorded for {clock}",
            incident.id
        )),
        None => match args.action_done {
            Some(number) => ctx.status(&format!(
                "{}: action item {number} marked done",
                incident.id
            )),
            None => ctx.status(&format!("{}: note added", incident.id)),
        },
    }
    Ok(())
}
