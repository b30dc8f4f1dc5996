//! What `incident audience` shows: the summary as text, or as JSON for scripts.

use std::fmt::Write as _;

use crate::audience::{Audience, ListRead};
use crate::error::{Error, Result};
use crate::format::{counted, json, thousands};
use crate::incident::{AudienceSummary, IncidentId};
use crate::text::printable;
use crate::workspace::Workspace;

/// The summary for people: the count, where it came from, what was left out, by segment.
pub fn audience_text(
    workspace: &Workspace,
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
    let affected = counted(s.affected, "affected subscriber", "affected subscribers");
    let _ = writeln!(out, "{id}: {affected} {target}");
    read_from(&mut out, s);
    let _ = writeln!(
        out,
        "  filter       {}",
        // A bound with seconds is shown exactly: edges are what a narrowed window is about.
        s.filter.describe(|at| {
            if at.timestamp().rem_euclid(60) == 0 && at.timestamp_subsec_nanos() == 0 {
                workspace.local_time(at)
            } else {
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            }
        })
    );
    left_out(&mut out, s, a);
    if let Some(zone) = s.input.as_ref().and_then(|i| i.zone_assumed.as_ref()) {
        let _ = writeln!(
            out,
            "  times        {} gave no zone: read as {zone} time (--time-zone to change)",
            counted(a.local_times, "row", "rows")
        );
    }
    segments(&mut out, s);
    out
}

/// The send log, how it was read, and its rows by outcome.
fn read_from(out: &mut String, s: &AudienceSummary) {
    let _ = writeln!(
        out,
        "  send log     {}: {}, {} matched",
        s.sends,
        counted(s.rows_read, "row", "rows"),
        thousands(s.rows_matched)
    );
    if let Some(input) = &s.input {
        let how = match &input.preset {
            Some(preset) => format!("{preset} preset, {}", input.format),
            None => input.format.clone(),
        };
        let gzip = if input.gzip { ", gzip" } else { "" };
        let _ = writeln!(
            out,
            "  read as      {how}{gzip}: {}",
            input.columns.join(", ")
        );
    }
    if !s.outcomes.is_empty() {
        let outcomes: Vec<String> = s
            .outcomes
            .iter()
            .map(|(o, n)| format!("{o} {}", thousands(*n)))
            .collect();
        let _ = writeln!(out, "  statuses     {}", outcomes.join(", "));
    }
}

/// Who the count leaves out: the suppressed, the opted out, the excluded, the malformed.
fn left_out(out: &mut String, s: &AudienceSummary, a: &Audience) {
    let files =
        |n: usize, kind: &str| counted(n as u64, &format!("{kind} file"), &format!("{kind} files"));
    let _ = writeln!(
        out,
        "  suppressed   {} (on {}, {} in all)",
        counted(s.suppressed, "address", "addresses"),
        files(s.suppressions.len(), "suppression"),
        counted(a.suppression_addresses, "address", "addresses")
    );
    let (suppressions, excludes) = a.lists.split_at(s.suppressions.len().min(a.lists.len()));
    lists(out, &s.suppressions, suppressions);
    if s.opted_out > 0 {
        let _ = writeln!(
            out,
            "  opted out    {} unsubscribed or complained in the send log itself",
            counted(s.opted_out, "address", "addresses")
        );
    }
    if !s.exclude.is_empty() {
        let _ = writeln!(
            out,
            "  excluded     {} (on {}, {} in all)",
            counted(s.excluded, "address", "addresses"),
            files(s.exclude.len(), "exclude"),
            counted(a.exclude_addresses, "address", "addresses")
        );
        lists(out, &s.exclude, excludes);
    }
    let reasons: Vec<String> = s
        .malformed
        .iter()
        .map(|(reason, n)| format!("{reason} {}", thousands(*n)))
        .collect();
    let _ = writeln!(
        out,
        "  malformed    {}{}",
        counted(s.malformed_rows, "row", "rows"),
        if reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", reasons.join(", "))
        }
    );
}

/// How each list file was read, when that was more than an `email` column: the mapping, and
/// the rows that name an address without suppressing it.
fn lists(out: &mut String, names: &[String], lists: &[ListRead]) {
    let plain = |l: &ListRead| l.mapping == ["email ← \"email\""] && l.not_suppressing == 0;
    if lists.iter().all(plain) {
        return;
    }
    for (name, list) in names.iter().zip(lists) {
        let file = std::path::Path::new(name)
            .file_name()
            .map_or(name.clone(), |f| f.to_string_lossy().into_owned());
        let mut line = format!("    {}: {}", printable(&file), list.mapping.join(", "));
        if list.not_suppressing > 0 {
            line += &format!(
                "; {} of one email type or tag only, not counted",
                counted(list.not_suppressing, "row opts out", "rows opt out")
            );
        }
        let _ = writeln!(out, "{line}");
    }
}

fn segments(out: &mut String, s: &AudienceSummary) {
    if s.segments.is_empty() {
        return;
    }
    if s.segments.keys().all(String::is_empty) {
        let _ = writeln!(out, "  segments     none named in the send log");
        return;
    }
    let _ = writeln!(out, "  segments");
    let width = s
        .segments
        .keys()
        .map(|k| printable(k).chars().count())
        .max()
        .unwrap_or(0);
    for (segment, n) in &s.segments {
        let name = if segment.is_empty() {
            "(no segment)".to_string()
        } else {
            printable(segment)
        };
        let _ = writeln!(out, "    {name:<width$}  {:>11}", thousands(*n));
    }
}

/// The summary for scripts: the record's summary with the ID, whether it was a dry run (then
/// no list was written) and the suppression lists' size.
pub fn audience_json(
    id: &IncidentId,
    s: &AudienceSummary,
    a: &Audience,
    dry_run: bool,
) -> Result<String> {
    let mut value = serde_json::to_value(s).map_err(|e| Error::encode("the audience", e))?;
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("id".into(), id.to_string().into());
        map.insert("dry_run".into(), dry_run.into());
        map.insert(
            "suppression_addresses".into(),
            a.suppression_addresses.into(),
        );
        let lists: Vec<serde_json::Value> = s
            .suppressions
            .iter()
            .chain(&s.exclude)
            .zip(&a.lists)
            .map(|(file, list)| {
                serde_json::json!({
                    "file": file,
                    "columns": list.mapping,
                    "not_suppressing": list.not_suppressing,
                })
            })
            .collect();
        map.insert("lists".into(), lists.into());
        if dry_run {
            map.insert("recipients".into(), serde_json::Value::Null);
        }
    }
    json(&value, "the audience")
}
