//! `incident monitor`: import an ESP's stats CSV (and a pre-incident baseline) into the
//! record's `monitor` step, and show every checkpoint's rates flagged against the thresholds.
//! Exits with an error when the newest data is critical, so a CI job can watch.

use crate::cli::{MonitorArgs, MonitorFormat};
use crate::error::{Error, Result};
use crate::incident::{Baseline, CANONICAL, Deliverability, Incident, IncidentId, known};
use std::path::Path;

use crate::monitor::{self, Judged, Level, StatsFile, StatsRead};
use crate::present::{BaselineView, MonitorView, monitor_table};
use crate::store::Store;

use super::{Context, actor_on, parse_id};

/// A stats file read with its preset: `--preset`, or the one a `PRESET:FILE` names.
fn read(ctx: &Context, args: &MonitorArgs, path: &Path) -> Result<StatsRead> {
    let presets = super::presets(ctx);
    let (named, path) = super::split_preset(path, &presets.names());
    let name = named.as_deref().or(args.input.preset.as_deref());
    let preset = presets.resolve(name, &super::overrides(&args.input))?;
    monitor::read(&StatsFile { path, preset })
}

/// `incident monitor`.
pub fn run(ctx: &Context, args: MonitorArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // Both files are read and checked before the record is touched.
    let imported = args
        .metrics
        .as_deref()
        .map(|p| read(ctx, &args, p))
        .transpose()?;
    let baseline = match args.baseline.as_deref() {
        None => None,
        Some(path) => {
            let read = read(ctx, &args, path)?;
            Baseline::of(&read.checkpoints, &path.display().to_string())?
        }
    };
    // How an ESP's export was read, so a wrong column shows before it is trusted.
    if let Some(read) = imported.as_ref().filter(|r| r.source != CANONICAL) {
        ctx.status(&format!(
            "Read as {}: {}",
            read.source,
            read.mapping.join(", ")
        ));
    }
    let incident = if imported.is_none() && baseline.is_none() {
        store.load(&id)?
    } else {
        import(ctx, &args, &store, &id, imported.as_ref(), baseline)?
    };
    if let Some(read) = &imported {
        warn_if_before(ctx, &incident, read);
    }

    let section = &incident.steps.monitor;
    let thresholds = &ctx.workspace.config.thresholds;
    let judged: Vec<Judged> = section
        .checkpoints
        .iter()
        .map(|c| monitor::judge(c, section.baseline.as_ref(), thresholds))
        .collect();
    let watched = watched(&judged, imported.as_ref());
    match args.format {
        MonitorFormat::Json => {
            let view = MonitorView {
                id: id.to_string(),
                thresholds,
                baseline: section.baseline.as_ref().map(BaselineView::of),
                checkpoints: &judged,
                level: watched.iter().map(|j| j.level).max().unwrap_or(Level::Ok),
            };
            crate::outln!("{}", crate::format::json(&view, "the checkpoints")?)?;
        }
        MonitorFormat::Table if ctx.quiet => {}
        MonitorFormat::Table => crate::out!("{}", monitor_table(&incident, &judged))?,
    }
    critical(&id.to_string(), &watched)
}

/// Store what was read on the record's monitor step, and say what changed.
fn import(
    ctx: &Context,
    args: &MonitorArgs,
    store: &Store<'_>,
    id: &IncidentId,
    imported: Option<&StatsRead>,
    baseline: Option<Baseline>,
) -> Result<Incident> {
    let by = actor_on(args.by.as_deref(), &store.load(id)?)?;
    let now = ctx.clock.now();
    let source = args.metrics.as_ref().map(|p| p.display().to_string());
    let import = Deliverability {
        checkpoints: imported
            .map(|r| r.checkpoints.as_slice())
            .zip(source.as_deref()),
        baseline,
    };
    let (incident, message) = store.update(id, |incident| {
        Ok(incident.import_deliverability(import, &by, now))
    })?;
    ctx.status(&format!("{id}: {message}"));
    Ok(incident)
}

/// Figures that all come from before the incident (the send, else its discovery) say nothing
/// about its aftermath: say so, and what they are good for.
fn warn_if_before(ctx: &Context, incident: &Incident, read: &StatsRead) {
    let start = known::SENT_AT
        .instant(incident)
        .or_else(|| known::DISCOVERED_AT.instant(incident));
    let Some(start) = start else { return };
    let before =
        !read.checkpoints.is_empty() && read.checkpoints.iter().all(|c| c.date.ends_before(start));
    if before {
        ctx.warn(&format!(
            "warning: every checkpoint imported is from before the incident ({}): they show the normal period, not its aftermath\n  hint: import them with --baseline instead, and the ESP's figures since {} with --metrics",
            ctx.workspace.local_time(start),
            ctx.workspace.local_date(start)
        ));
    }
}

/// The checkpoints the exit status follows: what this run imported, or else the latest stored
/// one. An old critical day that has since recovered does not fail CI forever.
fn watched<'a>(judged: &'a [Judged], imported: Option<&StatsRead>) -> Vec<&'a Judged> {
    match imported {
        Some(read) => judged
            .iter()
            .filter(|j| read.checkpoints.contains(&j.checkpoint))
            .collect(),
        None => judged.last().into_iter().collect(),
    }
}

/// An error naming each critical checkpoint among those watched, so CI can fail on it.
fn critical(id: &str, watched: &[&Judged]) -> Result<()> {
    // Each checkpoint names its source when any watched one came from an ESP's own export.
    let labelled = watched.iter().any(|j| j.checkpoint.source != CANONICAL);
    let critical: Vec<String> = watched
        .iter()
        .filter(|j| j.level == Level::Critical)
        .map(|j| {
            let what: Vec<&str> = j
                .flags
                .iter()
                .filter(|f| f.level == Level::Critical)
                .map(|f| f.message.as_str())
                .collect();
            let source = if labelled {
                format!(" ({})", j.checkpoint.source)
            } else {
                String::new()
            };
            format!("{}{source}: {}", j.checkpoint.date, what.join(", "))
        })
        .collect();
    if critical.is_empty() {
        return Ok(());
    }
    Err(Error::State {
        message: format!(
            "{id}: deliverability is critical on {} checkpoint(s) — {}",
            critical.len(),
            critical.join("; ")
        ),
        hint: "the checkpoints are saved; send only to engaged subscribers, find the cause (list source, content, authentication) and check Google Postmaster Tools before the next send".into(),
    })
}
