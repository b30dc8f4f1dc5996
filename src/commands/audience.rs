//! `incident audience`: the exact list of affected subscribers, written to
//! `incidents/ID/recipients.csv` (mode 0600) with the counts kept in the record's `assess` step.
//! Either both are written or neither is: the list is prepared first and put in place under
//! the workspace lock in the same update that changes the record.

use std::fmt::Write as _;
use std::io::{BufWriter, IsTerminal, Write as _};
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audience::{self, Audience, Inputs, Query};
use crate::cli::{AudienceArgs, AudienceFormat};
use crate::error::{Error, Result};
use crate::incident::{AudienceSummary, Event, Incident, IncidentId, Step, TimelineEntry};
use crate::store::{PrivateFile, Store};

use super::{Context, actor_on, parse_id};

/// Inputs smaller than this finish before a progress bar would be worth drawing.
const PROGRESS_FROM_BYTES: u64 = 32 << 20;

/// `incident audience`.
pub fn run(ctx: &Context, args: AudienceArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // The incident must exist (and parse) before minutes are spent on the send log.
    let incident = store.load(&id)?;
    let query = Query::new(
        args.campaign.clone(),
        args.segments.clone(),
        args.statuses.clone(),
        args.from,
        args.until,
    );
    if let (Some(from), Some(until)) = (query.from, query.until)
        && from >= until
    {
        // Such a window matches nothing, and would replace a good list with an empty one.
        return Err(Error::Usage {
            message: "--from is not before --until, so no send can match".into(),
            hint: "the window is --from (included) to --until (excluded); swap them or fix the day"
                .into(),
        });
    }
    let by = actor_on(args.by.as_deref(), &incident)?;
    let inputs = Inputs {
        sends: args.sends.clone(),
        suppressions: args.suppressions.clone(),
    };

    let bar = progress_bar(ctx, &inputs);
    let computed = audience::compute(&query, &inputs, &|n| bar.inc(n));
    bar.finish_and_clear();
    let audience = computed?;

    let relative = ctx.workspace.recipients_relative(&id);
    let summary = AudienceSummary {
        computed_at: ctx.clock.now(),
        by: by.clone(),
        affected: audience.affected(),
        segments: audience.segments.clone(),
        suppressed: audience.suppressed,
        malformed_rows: audience.malformed_rows(),
        malformed: audience.malformed.clone(),
        rows_read: audience.rows_read,
        rows_matched: audience.rows_matched,
        filter: query.to_record(),
        sends: display(&inputs.sends),
        suppressions: inputs.suppressions.iter().map(|p| display(p)).collect(),
        recipients: relative.clone(),
    };
    let previous = incident.steps.assess.audience.as_ref().map(|a| a.affected);
    if let Some(previous) = previous.filter(|n| *n > 0 && summary.affected == 0) {
        ctx.status(&format!(
            "warning: no subscriber matched, where the previous run found {}; check --campaign, --segment and the window",
            thousands(previous)
        ));
    }
    if !args.dry_run {
        let path = ctx.workspace.recipients_path(&id);
        save(&store, &id, &audience, &summary, &path)?;
    }
    match args.format {
        AudienceFormat::Json => {
            crate::outln!("{}", as_json(&id, &summary, &audience, args.dry_run))?
        }
        AudienceFormat::Text if ctx.quiet => crate::outln!("{}", summary.affected)?,
        AudienceFormat::Text => {
            crate::out!("{}", as_text(ctx, &id, &summary, &audience, args.dry_run))?
        }
    }
    if args.dry_run {
        ctx.status("dry run: nothing was written");
    }
    Ok(())
}

/// Write the list and record the summary, together: the list is streamed into a private
/// temporary file first, then put in place inside the record's update, under the lock. On
/// any error neither appears, and a folder made for the list is removed again.
fn save(
    store: &Store<'_>,
    id: &IncidentId,
    audience: &Audience,
    summary: &AudienceSummary,
    path: &Path,
) -> Result<Incident> {
    let folder = path.parent().map(Path::to_path_buf);
    let made_folder = folder.as_ref().is_some_and(|f| !f.exists());
    let result = (|| {
        let mut file = PrivateFile::create(path)?;
        let mut out = BufWriter::with_capacity(1 << 20, file.writer());
        audience
            .write_csv(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Error::io("cannot write", path, e))?;
        drop(out);
        let (incident, ()) = store.update(id, |incident| {
            let mut entry =
                TimelineEntry::new(summary.computed_at, &summary.by, Event::AudienceComputed);
            entry.step = Some(Step::Assess);
            entry.message = Some(timeline_message(summary));
            incident.steps.assess.audience = Some(summary.clone());
            incident.timeline.push(entry);
            file.commit()
        })?;
        Ok(incident)
    })();
    if result.is_err()
        && made_folder
        && let Some(folder) = folder
    {
        // Only an empty folder goes: remove_dir refuses anything else.
        let _ = std::fs::remove_dir(folder);
    }
    result
}

/// A bar on stderr for long inputs, at a terminal, unless quiet; hidden otherwise.
fn progress_bar(ctx: &Context, inputs: &Inputs) -> ProgressBar {
    let total = inputs.total_bytes();
    if ctx.quiet || total < PROGRESS_FROM_BYTES || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} reading {bytes}/{total_bytes} [{wide_bar}] {binary_bytes_per_sec}, {eta} left",
    );
    if let Ok(style) = style {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// An input as the record keeps it: the full path, so the audit trail does not depend on the
/// folder the command ran in (as typed when it has none, like a pipe).
fn display(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// The one line the timeline keeps.
fn timeline_message(s: &AudienceSummary) -> String {
    format!(
        "Audience computed: {} affected ({}); {} suppressed, {} malformed rows; from {}",
        thousands(s.affected),
        filter_text(s, crate::incident::rfc3339),
        thousands(s.suppressed),
        thousands(s.malformed_rows),
        s.sends
    )
}

/// The filter in words; `time` formats the window's bounds.
fn filter_text(
    s: &AudienceSummary,
    time: impl Fn(chrono::DateTime<chrono::Utc>) -> String,
) -> String {
    let f = &s.filter;
    let mut parts = Vec::new();
    if let Some(campaign) = &f.campaign {
        parts.push(format!("campaign {}", printable(campaign)));
    }
    if !f.segments.is_empty() {
        let names: Vec<String> = f.segments.iter().map(|s| printable(s)).collect();
        parts.push(format!("segment {}", names.join(" or ")));
    }
    if !f.statuses.is_empty() {
        let names: Vec<String> = f.statuses.iter().map(|s| printable(s)).collect();
        parts.push(format!("status {}", names.join(" or ")));
    }
    match (f.from, f.until) {
        (Some(from), Some(until)) => parts.push(format!(
            "sent from {} to before {}",
            time(from),
            time(until)
        )),
        (Some(from), None) => parts.push(format!("sent from {}", time(from))),
        (None, Some(until)) => parts.push(format!("sent before {}", time(until))),
        (None, None) => {}
    }
    if parts.is_empty() {
        "every row".into()
    } else {
        parts.join(", ")
    }
}

fn as_text(
    ctx: &Context,
    id: &IncidentId,
    s: &AudienceSummary,
    a: &Audience,
    dry_run: bool,
) -> String {
    let mut out = String::new();
    let target = if dry_run {
        "(dry run: not written)".to_string()
    } else {
        format!("→ {}", s.recipients)
    };
    let _ = writeln!(
        out,
        "{id}: {} affected subscribers {target}",
        thousands(s.affected)
    );
    let _ = writeln!(
        out,
        "  send log     {}: {} rows, {} matched",
        s.sends,
        thousands(s.rows_read),
        thousands(s.rows_matched)
    );
    let _ = writeln!(
        out,
        "  filter       {}",
        // A bound with seconds is shown exactly: edges are what a narrowed window is about.
        filter_text(s, |at| {
            if at.timestamp().rem_euclid(60) == 0 && at.timestamp_subsec_nanos() == 0 {
                ctx.workspace.local_time(at)
            } else {
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            }
        })
    );
    let files = s.suppressions.len();
    let _ = writeln!(
        out,
        "  suppressed   {} addresses (on {} suppression file{}, {} addresses in all)",
        thousands(s.suppressed),
        files,
        if files == 1 { "" } else { "s" },
        thousands(a.suppression_addresses)
    );
    let reasons: Vec<String> = s
        .malformed
        .iter()
        .map(|(reason, n)| format!("{reason} {}", thousands(*n)))
        .collect();
    let _ = writeln!(
        out,
        "  malformed    {} rows{}",
        thousands(s.malformed_rows),
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        }
    );
    if !s.segments.is_empty() {
        let _ = writeln!(out, "  segments");
        let width = s
            .segments
            .keys()
            .map(|k| printable(k).chars().count())
            .max()
            .unwrap_or(0);
        for (segment, n) in &s.segments {
            let name = if segment.is_empty() {
                "(none)".to_string()
            } else {
                printable(segment)
            };
            let _ = writeln!(out, "    {name:<width$}  {:>11}", thousands(*n));
        }
    }
    out
}

fn as_json(id: &IncidentId, s: &AudienceSummary, a: &Audience, dry_run: bool) -> String {
    let mut value = serde_json::to_value(s).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("id".into(), id.to_string().into());
        map.insert("dry_run".into(), dry_run.into());
        map.insert(
            "suppression_addresses".into(),
            a.suppression_addresses.into(),
        );
        if dry_run {
            map.insert("recipients".into(), serde_json::Value::Null);
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// A value from the send log made safe for a terminal: control characters escaped.
fn printable(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_string()
    }
}

/// 1922479 → "1,922,479".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_922_479), "1,922,479");
    }
}
