//! `incident monitor`: import an ESP's stats CSV (and a pre-incident baseline) into the
//! record's `monitor` step, and show every checkpoint's rates flagged against the thresholds.
//! Exits with an error when the newest data is critical, so a CI job can watch.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::json;

use crate::cli::{MonitorArgs, MonitorFormat};
use crate::error::{Error, Result};
use crate::incident::{Baseline, CheckpointDate, Event, Incident, Rates, TimelineEntry};
use crate::monitor::{self, Judged, Level, percent, thousands};
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
        let (incident, message) = store.update(&id, |incident| {
            let section = &mut incident.steps.monitor;
            let mut parts = Vec::new();
            if let (Some(rows), Some(source)) = (&imported, &source) {
                let merged = monitor::merge(&mut section.checkpoints, rows);
                parts.push(format!(
                    "{} checkpoint(s) from {source} ({}): {} new, {} replaced",
                    rows.len(),
                    span(rows.iter().map(|c| c.date)),
                    merged.added,
                    merged.replaced
                ));
            }
            if let Some(base) = &baseline {
                parts.push(format!(
                    "baseline from {} ({} checkpoint(s), {} to {})",
                    base.source, base.checkpoints, base.from, base.until
                ));
                section.baseline = Some(base.clone());
            }
            let message = format!("Deliverability imported: {}", parts.join("; "));
            let mut entry = TimelineEntry::new(now, &by, Event::MetricsImported);
            entry.message = Some(message.clone());
            incident.timeline.push(entry);
            Ok(message)
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
            let value = json!({
                "id": id.to_string(),
                "thresholds": thresholds,
                "baseline": section.baseline.as_ref().map(|b| json!({
                    "baseline": b,
                    "rates": b.rates(),
                })),
                "checkpoints": judged,
                "level": watched.iter().map(|j| j.level).max().unwrap_or(Level::Ok),
            });
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )?;
        }
        MonitorFormat::Table if ctx.quiet => {}
        MonitorFormat::Table => print_table(&incident, &judged)?,
    }

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
    if !critical.is_empty() {
        return Err(Error::State {
            message: format!(
                "{id}: deliverability is critical on {} checkpoint(s) — {}",
                critical.len(),
                critical.join("; ")
            ),
            hint: "the checkpoints are saved; send only to engaged subscribers, find the cause (list source, content, authentication) and check Google Postmaster Tools before the next send".into(),
        });
    }
    Ok(())
}

/// "2026-11-27" or "2026-11-27 to 2026-11-30".
fn span(dates: impl Iterator<Item = CheckpointDate>) -> String {
    let dates: Vec<CheckpointDate> = dates.collect();
    match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) if first != last => format!("{first} to {last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}

fn print_table(incident: &Incident, judged: &[Judged]) -> Result<()> {
    let section = &incident.steps.monitor;
    if judged.is_empty() && section.baseline.is_none() {
        crate::outln!(
            "{}: no checkpoints yet. Import the ESP's stats with `incident monitor {} --metrics stats.csv`.",
            incident.id,
            incident.id
        )?;
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "Checkpoint",
            "Sent",
            "Delivered",
            "Bounce",
            "Complaint",
            "Unsub.",
            "Inbox",
            "Status",
        ]);
    let mut row = |label: String, c: (u64, u64), rates: Rates, status: String| {
        table.add_row([
            label,
            thousands(c.0),
            thousands(c.1),
            percent(rates.bounce),
            percent(rates.complaint),
            percent(rates.unsubscribe),
            percent(rates.inbox_placement),
            status,
        ]);
    };
    if let Some(base) = &section.baseline {
        row(
            format!("baseline {} to {}", base.from, base.until),
            (base.sent, base.delivered),
            base.rates(),
            "—".into(),
        );
    }
    for j in judged {
        row(
            j.checkpoint.date.to_string(),
            (j.checkpoint.sent, j.checkpoint.delivered),
            j.rates,
            j.level.to_string(),
        );
    }
    for column in 1..7 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    crate::outln!("{table}")?;
    for j in judged {
        for flag in &j.flags {
            let style = match flag.level {
                Level::Critical => anstyle::AnsiColor::Red.on_default().bold(),
                _ => anstyle::AnsiColor::Yellow.on_default(),
            };
            crate::outln!(
                "{style}{:<9}{style:#} {}  {}",
                flag.level,
                j.checkpoint.date,
                flag.message
            )?;
        }
    }
    Ok(())
}
