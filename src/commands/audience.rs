//! `incident audience`: the exact list of affected subscribers, written to
//! `incidents/ID/recipients.csv` (mode 0600) with the counts kept in the record's `assess` step.
//! Either both are written or neither is: the list is prepared first and put in place under
//! the workspace lock in the same update that changes the record.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audience::{self, Audience, InputFile, Inputs, Query};
use crate::cli::{AudienceArgs, AudienceFormat};
use crate::config::Outcome;
use crate::error::{Error, Result};
use crate::incident::{AudienceSummary, Incident, IncidentId, InputUsed};
use crate::input::{Instant, Preset, TimeFormat, Times};
use crate::present::{audience_json, audience_text};
use crate::store::{Mode, Store};

use super::{Context, actor_on, output, parse_id};
use crate::format::thousands;

/// Inputs smaller than this finish before a progress bar would be worth drawing.
const PROGRESS_FROM_BYTES: u64 = 32 << 20;

/// `incident audience`.
pub fn run(ctx: &Context, args: AudienceArgs) -> Result<()> {
    if args.warehouse.emit_sql.is_some() || args.warehouse.recipients.is_some() {
        return super::warehouse::run(ctx, &args);
    }
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // The incident must exist (and parse) before minutes are spent on the send log.
    let incident = store.load(&id)?;
    let inputs = inputs(ctx, &args)?;
    let query = query(ctx, &args, &inputs.sends.preset)?;
    let by = actor_on(args.by.as_deref(), &incident)?;

    let bar = progress_bar(ctx, &inputs);
    let computed = audience::compute(&query, &inputs, &|n| bar.inc(n));
    bar.finish_and_clear();
    let mut audience = computed?;

    let summary = summary(ctx, &id, &by, &query, &inputs, &audience);
    warn(ctx, &incident, &summary, &audience, &args);
    if !args.dry_run {
        let path = ctx.workspace.recipients_path(&id);
        save(&store, &id, &summary, &path, |out| {
            let written = audience.write_csv(out);
            audience.free_addresses();
            written
        })?;
    }
    match args.format {
        AudienceFormat::Json => {
            crate::outln!("{}", audience_json(&id, &summary, &audience, args.dry_run)?)?
        }
        AudienceFormat::Text if ctx.quiet => crate::outln!("{}", summary.affected)?,
        AudienceFormat::Text => crate::out!(
            "{}",
            output::for_stdout(&audience_text(
                &ctx.workspace,
                &id,
                &summary,
                &audience,
                args.dry_run
            ))
        )?,
    }
    if args.dry_run {
        ctx.status("dry run: nothing was written");
    }
    Ok(())
}

/// The files, each with its preset: `--preset`, or the one a `PRESET:FILE` names.
fn inputs(ctx: &Context, args: &AudienceArgs) -> Result<Inputs> {
    let presets = super::presets(ctx);
    let flags = super::overrides(&args.input);
    let file = |path: &Path| -> Result<InputFile> {
        let (named, path) = super::split_preset(path, &presets.names());
        let name = named.as_deref().or(args.input.preset.as_deref());
        Ok(InputFile {
            path,
            preset: presets.resolve(name, &flags)?,
        })
    };
    Ok(Inputs {
        sends: file(args.sends.as_deref().unwrap_or(Path::new("-")))?,
        suppressions: args
            .suppressions
            .iter()
            .map(|p| file(p))
            .collect::<Result<_>>()?,
        excludes: args
            .excludes
            .iter()
            .map(|p| file(p))
            .collect::<Result<_>>()?,
    })
}

/// The query. With a preset and no `--status`, the people the email reached: `delivered`.
pub(super) fn query(ctx: &Context, args: &AudienceArgs, preset: &Preset) -> Result<Query> {
    let bound = |flag: &str, text: &Option<String>| -> Result<Option<Instant>> {
        let Some(text) = text else { return Ok(None) };
        let times = Times {
            format: TimeFormat::Auto,
            zone: ctx.workspace.tz,
        };
        times.read(text).map(|r| Some(r.at)).ok_or_else(|| Error::BadFlag {
            message: format!("{flag} {text:?} is not a time"),
            hint: format!(
                "write it as 2026-11-20T09:00:00Z, 2026-11-20 10:00 (in {}) or a date such as 2026-11-20",
                ctx.workspace.tz
            ),
        })
    };
    let mut statuses = args.statuses.clone();
    if statuses.is_empty() && preset.name.is_some() {
        statuses.push("delivered".into());
    }
    let query = Query::new(
        args.campaign.clone(),
        args.segments.clone(),
        statuses,
        bound("--from", &args.from)?,
        bound("--until", &args.until)?,
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
    Ok(query)
}

/// What the record keeps of the run.
fn summary(
    ctx: &Context,
    id: &IncidentId,
    by: &str,
    query: &Query,
    inputs: &Inputs,
    audience: &Audience,
) -> AudienceSummary {
    let preset = &inputs.sends.preset;
    AudienceSummary {
        computed_at: ctx.clock.now(),
        by: by.to_string(),
        affected: audience.affected(),
        segments: audience.segments.clone(),
        suppressed: audience.suppressed,
        malformed_rows: audience.malformed_rows(),
        malformed: audience.malformed.clone(),
        rows_read: audience.rows_read,
        rows_matched: audience.rows_matched,
        filter: query.to_record(),
        sends: display(&inputs.sends.path),
        suppressions: inputs
            .suppressions
            .iter()
            .map(|f| display(&f.path))
            .collect(),
        excluded: audience.excluded,
        exclude: inputs.excludes.iter().map(|f| display(&f.path)).collect(),
        opted_out: audience.opted_out,
        input: Some(InputUsed {
            preset: preset.name.clone(),
            format: audience.sends.format.to_string(),
            gzip: audience.sends.gzip,
            columns: audience.sends.mapping.clone(),
            zone_assumed: (audience.local_times > 0).then(|| preset.times.zone.to_string()),
        }),
        outcomes: audience.outcomes.clone(),
        unknown_statuses: audience.unknown_statuses.clone(),
        recipients: ctx.workspace.recipients_relative(id),
        warehouse: None,
    }
}

/// What the user should know about a run that succeeded: a count gone to zero, status words
/// nobody knows, mail that was never delivered counted because no status was asked for.
fn warn(
    ctx: &Context,
    incident: &Incident,
    summary: &AudienceSummary,
    audience: &Audience,
    args: &AudienceArgs,
) {
    let previous = incident.steps.assess.audience.as_ref().map(|a| a.affected);
    if let Some(previous) = previous.filter(|n| *n > 0 && summary.affected == 0) {
        ctx.status(&format!(
            "warning: no subscriber matched, where the previous run found {}; check --campaign, --segment and the window",
            thousands(previous)
        ));
    }
    if !audience.unknown_statuses.is_empty() {
        let words: Vec<String> = audience
            .unknown_statuses
            .iter()
            .map(|(w, n)| format!("{w:?} {}", thousands(*n)))
            .collect();
        ctx.status(&format!(
            "warning: status words this log's vocabulary does not know: {}; --status by outcome leaves those rows out; say what they mean in [input.presets.NAME].statuses of incident.toml",
            words.join(", ")
        ));
    }
    let not_reached: u64 = audience
        .outcomes
        .iter()
        .filter(|(o, _)| !matches!(o, Outcome::Delivered | Outcome::Engaged))
        .map(|(_, n)| n)
        .sum();
    if summary.filter.statuses.is_empty() && not_reached > 0 {
        ctx.status(&format!(
            "warning: no --status: every row counts, {} of them bounced, dropped or never confirmed delivered; pass --status delivered to count the people the email reached",
            thousands(not_reached)
        ));
    }
    if args.input.preset.is_none() && summary.input.as_ref().is_some_and(|i| i.format != "CSV") {
        ctx.status("note: read as JSON without a preset: the keys named the fields; a --preset knows the ESP's statuses");
    }
}

/// Write the list and record the summary, together: the list is streamed into a private
/// temporary file first, then put in place with the record's update, under the lock. On any
/// error neither changes, and a folder made for the list is removed again.
pub(super) fn save(
    store: &Store<'_>,
    id: &IncidentId,
    summary: &AudienceSummary,
    path: &Path,
    write: impl FnOnce(&std::fs::File) -> std::io::Result<()>,
) -> Result<Incident> {
    let folder = path.parent().map(Path::to_path_buf);
    let made_folder = folder.as_ref().is_some_and(|f| !f.exists());
    let result = (|| {
        let mut file = store.stage(path, Mode::Private)?;
        write(file.writer()).map_err(|e| Error::io("cannot write", path, e))?;
        let (incident, ()) = store.update_with(id, vec![file], |incident| {
            incident.record_audience(summary.clone());
            Ok(())
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
pub(super) fn display(path: &Path) -> String {
    if path == Path::new("-") {
        return "standard input".into();
    }
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
