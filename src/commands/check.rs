//! `incident check`: validate a workspace for CI — `incident.toml`, every runbook, every
//! template and every record with the files beside it — and list every problem, not just the
//! first. A record is checked for what the tool would never have written (steps out of order,
//! instants in the future, answers its runbook does not ask or of the wrong type, control
//! characters in one-line fields) and against its recipient list and apology; what an
//! interrupted write left behind is listed too.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::incident::IncidentId;
use crate::runbook::Catalog;
use crate::store::{Audit, Entry, LeftoverKind, Store};
use crate::templates::Schema;
use crate::workspace::Workspace;

/// Counts the problems as they are printed.
struct Report {
    quiet: bool,
    problems: usize,
}

impl Report {
    fn ok(&self, line: &str) -> Result<()> {
        if self.quiet {
            return Ok(());
        }
        crate::outln!("ok     {line}")
    }

    fn problem(&mut self, err: &Error) -> Result<()> {
        self.problems += 1;
        crate::outln!("error  {err}")?;
        match err.hint() {
            Some(hint) => crate::outln!("       hint: {hint}"),
            None => Ok(()),
        }
    }

    fn outcome(&mut self, outcome: Result<String>) -> Result<()> {
        match outcome {
            Ok(line) => self.ok(&line),
            Err(err) => self.problem(&err),
        }
    }
}

/// `incident check` in `root`, with instants compared to `now`.
pub fn run(root: &Path, quiet: bool, now: DateTime<Utc>) -> Result<()> {
    let mut report = Report { quiet, problems: 0 };
    let ws = match Workspace::open(root) {
        Ok(ws) => {
            let config = ws.config_path();
            report.ok(&if config.exists() {
                config.display().to_string()
            } else {
                format!("{} (absent: defaults apply)", config.display())
            })?;
            warn_example_brand(&ws)?;
            ws
        }
        Err(err) => {
            report.problem(&err)?;
            // Records are still checked, with the default configuration.
            Workspace::with_defaults(root)
        }
    };
    presets(&ws, &mut report)?;
    runbooks(&ws, &mut report)?;
    templates(&ws, &mut report)?;
    records(&ws, now, &mut report)?;
    if report.problems > 0 {
        return Err(Error::CheckFailed(report.problems));
    }
    if !quiet {
        crate::outln!("workspace {} is valid", root.display())?;
    }
    Ok(())
}

/// Workspace presets: each resolves, from its base, to a preset a file can be read by.
fn presets(ws: &Workspace, report: &mut Report) -> Result<()> {
    let presets = crate::input::Presets {
        workspace: &ws.config.input.presets,
        zone: ws.tz,
    };
    for name in ws.config.input.presets.keys() {
        let outcome = presets
            .resolve(Some(name), &Default::default())
            .map(|preset| {
                let about = preset.about.unwrap_or_else(|| "a workspace preset".into());
                format!("[input.presets.{name}] {about}")
            })
            .map_err(|err| Error::Invalid {
                path: ws.config_path(),
                line: None,
                message: format!("[input.presets.{name}]: {err}"),
                hint: err.hint().unwrap_or_default(),
            });
        report.outcome(outcome)?;
    }
    Ok(())
}

/// Every workspace runbook loads and keeps the questions the apology and report read.
fn runbooks(ws: &Workspace, report: &mut Report) -> Result<()> {
    let built_in = crate::runbook::built_in_runbooks()?;
    for path in yaml_files(&ws.runbooks_dir())? {
        let loaded = crate::textfile::read(&path)
            .and_then(|text| crate::runbook::parse(&path, &text).map(|rb| (rb, text)));
        let (runbook, text) = match loaded {
            Ok(loaded) => loaded,
            Err(err) => {
                report.problem(&err)?;
                continue;
            }
        };
        let problems = crate::runbook::known_question_problems(&path, &text, &runbook, &built_in);
        if problems.is_empty() {
            report.ok(&format!("{} (runbook {})", path.display(), runbook.kind))?;
        }
        for problem in problems {
            report.problem(&problem)?;
        }
    }
    Ok(())
}

/// Templates compile, and each names only variables its family is given.
fn templates(ws: &Workspace, report: &mut Report) -> Result<()> {
    let email_schema = Schema(crate::email::EmailContext::schema());
    let report_schema = Schema(crate::report::schema());
    let templates = match crate::templates::Templates::load(&ws.templates_dir()) {
        Ok(templates) => templates,
        Err(err) => return report.problem(&err),
    };
    let mut built_in = 0;
    for (name, origin) in templates.origins() {
        let schema = match name.split_once('/').map(|(family, _)| family) {
            Some("email") => Some(&email_schema),
            Some("report") => Some(&report_schema),
            _ => None,
        };
        let outcome = templates.lint(name, schema);
        match (&outcome, origin) {
            (Ok(_), crate::templates::Origin::BuiltIn) => built_in += 1,
            _ => report.outcome(outcome)?,
        }
    }
    report.ok(&format!(
        "{built_in} built-in template(s) compile and name known variables"
    ))
}

/// Every record (read from its file, never from the index), every file in `incidents/` that is
/// not named like one, what interrupted writes left, and an index that cannot be used.
fn records(ws: &Workspace, now: DateTime<Utc>, report: &mut Report) -> Result<()> {
    let catalog = Catalog::load(&ws.runbooks_dir()).ok();
    let store = Store::new(ws);
    let ids = match store.ids() {
        Ok(ids) => ids,
        Err(err) => return report.problem(&err),
    };
    for (id, audit) in ids
        .iter()
        .zip(audit_all(&store, &ids, catalog.as_ref(), now))
    {
        match (&audit.incident, audit.problems.is_empty()) {
            (Some(inc), true) => report.ok(&format!(
                "{} ({}, {})",
                ws.record_path(id).display(),
                inc.kind,
                inc.status
            ))?,
            _ => {
                for problem in &audit.problems {
                    report.problem(problem)?;
                }
            }
        }
    }
    for stray in stray_records(&ws.incidents_dir())? {
        let outcome = store.load_file(&stray).and(Err(Error::Invalid {
            path: stray.clone(),
            line: None,
            message: "this file is not named like an incident record (INC-YYYYMMDD-NNN.yaml)"
                .into(),
            hint: "records are found by file name; rename it to its id".into(),
        }));
        report.outcome(outcome)?;
    }
    leftovers(&store, report)?;
    index(ws, &store, report)
}

/// Audit every record, in order, on two threads when there are many: each audit reads and
/// parses one whole record, and parsing YAML is most of `check`'s time.
fn audit_all(
    store: &Store<'_>,
    ids: &[IncidentId],
    catalog: Option<&Catalog>,
    now: DateTime<Utc>,
) -> Vec<Audit> {
    const ALONE_UP_TO: usize = 64;
    let audit = |id: &IncidentId| store.audit(id, catalog, now);
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    if ids.len() <= ALONE_UP_TO || !two_cores {
        return ids.iter().map(audit).collect();
    }
    crate::parallel::map_in_two(ids, ids.len() / 2, audit)
}

/// The index of the records is a cache that `check` never reads (it reads every record), but
/// one that is a link or not a file is never used, and every listing then reads every record.
fn index(ws: &Workspace, store: &Store<'_>, report: &mut Report) -> Result<()> {
    let path = ws.index_path();
    let what = match store.entry(&path) {
        Ok(Entry::Link) => "is a symbolic link",
        Ok(Entry::Folder | Entry::Other) => "is not a regular file",
        Ok(Entry::File | Entry::Missing) => return Ok(()),
        Err(err) => return report.problem(&err),
    };
    report.problem(&Error::Unsafe {
        path,
        message: format!(
            "{what}; incident never reads or writes through one, so the index of the records is not kept"
        ),
        hint: "remove it: the next `incident list` writes the index anew".into(),
    })
}

/// What interrupted writes left: the next command that takes the lock clears it.
fn leftovers(store: &Store<'_>, report: &mut Report) -> Result<()> {
    let found = match store.leftovers() {
        Ok(found) => found,
        Err(err) => return report.problem(&err),
    };
    for leftover in found {
        let (message, hint) = match leftover.kind {
            LeftoverKind::Journal => (
                "an interrupted write of a record and the files beside it",
                "the next command on that incident finishes or undoes it (`incident show ID`)",
            ),
            LeftoverKind::Temporary => (
                "a temporary file left by an interrupted write",
                "the next command that changes a record removes it, or delete it",
            ),
            LeftoverKind::Backup => (
                "an old version kept by an interrupted write",
                "the next command that changes a record removes it, or delete it",
            ),
        };
        report.problem(&Error::Invalid {
            path: leftover.path,
            line: None,
            message: message.into(),
            hint: hint.into(),
        })?;
    }
    Ok(())
}

/// A warning, not a problem: a workspace may rehearse with the example brand, but a real
/// incident's email cannot go out under it (`brand-unset`).
fn warn_example_brand(ws: &Workspace) -> Result<()> {
    let keys = ws.config.brand.example_keys();
    if keys.is_empty() {
        return Ok(());
    }
    crate::outln!(
        "warn   {}: [brand] is still the example brand: {}",
        ws.config_path().display(),
        keys.join(", ")
    )?;
    crate::outln!(
        "       hint: {}; until then `incident email` refuses a real incident (a drill or --dry-run may use it)",
        crate::email::checks::BRAND_UNSET.hint
    )
}

fn yaml_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot list", dir, e)),
    };
    let mut files: Vec<_> = listing
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    Ok(files)
}

fn stray_records(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    Ok(yaml_files(dir)?
        .into_iter()
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            stem.parse::<crate::incident::IncidentId>().is_err()
                || p.extension().and_then(|e| e.to_str()) != Some("yaml")
        })
        .collect())
}
