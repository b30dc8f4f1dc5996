//! `incident check`: validate a workspace for CI — `incident.toml`, every runbook and every
//! record — and list every problem, not just the first.

use std::path::Path;

use crate::error::{Error, Result};
use crate::runbook::Catalog;
use crate::store::{Store, load_path};
use crate::templates::Schema;
use crate::workspace::Workspace;

/// `incident check` in `root`.
pub fn run(root: &Path, quiet: bool) -> Result<()> {
    let mut problems = 0;
    let mut report = |outcome: std::result::Result<String, Error>| -> Result<()> {
        match outcome {
            Ok(line) if !quiet => crate::outln!("ok     {line}"),
            Ok(_) => Ok(()),
            Err(err) => {
                problems += 1;
                crate::outln!("error  {err}")?;
                match err.hint() {
                    Some(hint) => crate::outln!("       hint: {hint}"),
                    None => Ok(()),
                }
            }
        }
    };

    let ws = match Workspace::open(root) {
        Ok(ws) => {
            let config = ws.config_path();
            report(Ok(if config.exists() {
                config.display().to_string()
            } else {
                format!("{} (absent: defaults apply)", config.display())
            }))?;
            warn_example_brand(&ws)?;
            ws
        }
        Err(err) => {
            report(Err(err))?;
            // Records are still checked, with the default configuration.
            Workspace::with_defaults(root)
        }
    };

    // Workspace presets: each resolves, from its base, to a preset a file can be read by.
    let presets = crate::input::Presets {
        workspace: &ws.config.input.presets,
        zone: ws.tz,
    };
    for name in ws.config.input.presets.keys() {
        let outcome = presets
            .resolve(Some(name), &Default::default())
            .map_err(|err| Error::Invalid {
                path: ws.config_path(),
                line: None,
                message: format!("[input.presets.{name}]: {err}"),
                hint: err.hint().unwrap_or_default(),
            });
        report(outcome.map(|preset| {
            let about = preset.about.unwrap_or_else(|| "a workspace preset".into());
            format!("[input.presets.{name}] {about}")
        }))?;
    }

    let built_in = crate::runbook::built_in_runbooks()?;
    for path in yaml_files(&ws.runbooks_dir())? {
        let loaded = std::fs::read_to_string(&path)
            .map_err(|e| Error::io("cannot read", &path, e))
            .and_then(|text| crate::runbook::parse(&path, &text).map(|rb| (rb, text)));
        let (runbook, text) = match loaded {
            Ok(loaded) => loaded,
            Err(err) => {
                report(Err(err))?;
                continue;
            }
        };
        let problems = crate::runbook::known_question_problems(&path, &text, &runbook, &built_in);
        if problems.is_empty() {
            report(Ok(format!("{} (runbook {})", path.display(), runbook.kind)))?;
        }
        for problem in problems {
            report(Err(problem))?;
        }
    }
    let catalog = Catalog::load(&ws.runbooks_dir()).ok();

    // Templates: they compile, and each names only variables its family is given.
    let email_schema = Schema(crate::email::EmailContext::schema());
    let report_schema = Schema(crate::report::schema());
    match crate::templates::Templates::load(&ws.templates_dir()) {
        Err(err) => report(Err(err))?,
        Ok(templates) => {
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
                    _ => report(outcome)?,
                }
            }
            report(Ok(format!(
                "{built_in} built-in template(s) compile and name known variables"
            )))?;
        }
    }

    {
        let store = Store::new(&ws);
        for id in store.ids()? {
            let path = ws.record_path(&id);
            let outcome = store.load(&id).and_then(|inc| match &catalog {
                Some(catalog) => match catalog.get(&inc.kind) {
                    Ok(_) => Ok(format!("{} ({}, {})", path.display(), inc.kind, inc.status)),
                    // A broken runbook is reported on its own; here the record is the subject.
                    Err(err) => Err(Error::Invalid {
                        path: path.clone(),
                        line: None,
                        message: format!("kind {:?}: {err}", inc.kind),
                        hint: "restore the kind's runbook in runbooks/, or fix it".into(),
                    }),
                },
                None => Ok(path.display().to_string()),
            });
            report(outcome)?;
        }
        for stray in stray_records(&ws.incidents_dir())? {
            let outcome = load_path(&stray).and(Err(Error::Invalid {
                path: stray.clone(),
                line: None,
                message: "this file is not named like an incident record (INC-YYYYMMDD-NNN.yaml)"
                    .into(),
                hint: "records are found by file name; rename it to its id".into(),
            }));
            report(outcome)?;
        }
    }
    if problems > 0 {
        return Err(Error::CheckFailed(problems));
    }
    if !quiet {
        crate::outln!("workspace {} is valid", root.display())?;
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
