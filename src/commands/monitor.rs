//! `incident monitor`: import an ESP's stats CSV (and a pre-incident baseline) into the
//! record's `monitor` step, and show every checkpoint's rates flagged against the thresholds.
//! Exits with an error when the newest data is critical, so a CI job can watch.

use crate::cli::{MonitorArgs, MonitorFormat};
use crate::error::{Error, Result};
use crate::incident::{Baseline, Deliverability};
use crate::monitor::{self, Judged, Level};
use crate::present::{BaselineView, MonitorView, monitor_table};
use crate::store::Store;

use super::{Context, actor_on, parse_id};

/// `incident monitor`.
pub fn run(ctx: &Context, args: MonitorArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // Both files are read and checked before the record is touched.
    let imported = args.metrics.as_deref().map(monitor::read_csv).transpose()?;
    let baseline = match args.baseline.as_deref() {
        None => None,
        Some(path) => {
            let rows = monitor::read_csv(path)?;
            Baseline::of(&rows, &path.display().to_string())
        }
    };

    let incident = if imported.is_none() && baseline.is_none() {
        store.load(&id)?
    } else {
        let by = actor_on(args.by.as_deref(), &store.load(&id)?)?;
        let now = ctx.clock.now();
        let source = args.metrics.as_ref().map(|p| p.display().to_string());
        let import = Deliverability {
            checkpoints: imported.as_deref().zip(source.as_deref()),
            baseline,
        };
        let (incident, message) = store.update(&id, |incident| {
            Ok(incident.import_deliverability(import, &by, now))
        })?;
        ctx.status(&format!("{id}: {message}"));
        incident
    };

    let section = &incident.steps.monitor;
    let thresholds = &ctx.workspace.config.thresholds;
    let judged: Vec<Judged> = section
        .checkpoints
        .iter()
        .map(|c| monitor::judge(c, section.baseline.as_ref(), thresholds))
        .collect();
    // The exit status follows the newest data: what this run imported, or else the latest
    // stored checkpoint. An old critical day that has since recovered does not fail CI forever.
    let watched: Vec<&Judged> = match &imported {
        Some(rows) => judged
            .iter()
            .filter(|j| rows.iter().any(|r| r.date == j.checkpoint.date))
            .collect(),
        None => judged.last().into_iter().collect(),
    };

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

/// An error naming each critical checkpoint among those watched, so CI can fail on it.
fn critical(id: &str, watched: &[&Judged]) -> Result<()> {
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
            format!("{}: {}", j.checkpoint.date, what.join(", "))
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
