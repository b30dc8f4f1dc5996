//! `incident note`: a line in the timeline, or the record of a legal notification.

use crate::cli::NoteArgs;
use crate::error::{Error, Result};
use crate::incident::legal::all_clocks;
use crate::incident::{Event, TimelineEntry, parse_rfc3339};
use crate::store::Store;

use super::{Context, actor, parse_id};

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
    let clock = match &args.notified {
        None => None,
        Some(clock) => {
            let known: Vec<_> = all_clocks().iter().map(|c| c.id).collect();
            if !known.contains(&clock.as_str()) {
                return Err(Error::Usage {
                    message: format!("--notified {clock:?} is not a legal clock"),
                    hint: format!("known clocks: {}", known.join(", ")),
                });
            }
            Some(clock.clone())
        }
    };
    let at = match &args.at {
        None => ctx.clock.now(),
        Some(text) => parse_rfc3339(text).ok_or_else(|| Error::Usage {
            message: format!("--at {text:?} is not an RFC 3339 date-time"),
            hint: "e.g. --at 2026-11-26T14:05:00+01:00".into(),
        })?,
    };
    let by = actor(args.by.as_deref(), None).ok_or_else(|| Error::Usage {
        message: "no author for the note".into(),
        hint: "pass --by NAME or set INCIDENT_BY".into(),
    })?;
    let by = super::checked_line("--by", &by)?;
    let store = Store::new(&ctx.workspace);
    let (incident, ()) = store.update(&id, |incident| {
        let event = if clock.is_some() {
            Event::Notified
        } else {
            Event::Note
        };
        let mut entry = TimelineEntry::new(at, &by, event);
        entry.clock = clock.clone();
        entry.message = Some(message.clone());
        incident.timeline.push(entry);
        // Keep the timeline in time order even when --at names an earlier moment.
        incident.timeline.sort_by_key(|e| e.at);
        Ok(())
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
