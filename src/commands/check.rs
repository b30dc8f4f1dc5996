//! `incident check`: validate a workspace for CI — `incident.toml`, every runbook and every
//! record — and list every problem, not just the first.

use std::path::Path;

use crate::error::{Error, Result};
use crate::runbook::Catalog;
use crate::store::{Store, load_path};
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
            ws
        }
        Err(err) => {
            report(Err(err))?;
            // Records are still checked, with the default configuration.
            Workspace::with_defaults(root)
        }
    };

    for path in yaml_files(&ws.runbooks_dir())? {
        let outcome = std::fs::read_to_string(&path)
            .map_err(|e| Error::io("cannot read", &path, e))
            .and_then(|text| crate::runbook::parse(&path, &text))
            .map(|rb| format!("{} (runbook {})", path.display(), rb.kind));
        report(outcome)?;
    }
    let catalog = Catalog::load(&ws.runbooks_dir()).ok();

    // Templates: they compile, and each names only variables its family is given.
    match crate::templates::Templates::load(&ws.templates_dir()) {
        Err(err) => report(Err(err))?,
        Ok(templates) => {
            let mut built_in = 0;
            for (name, origin) in templates.origins() {
                let outcome = check_template(&templates, name, origin)
                    .and_then(|ok| check_fields(&templates, name, origin).map(|()| ok))
                    .and_then(|ok| check_overrides(&templates, name, origin).map(|()| ok));
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

/// One template: its variables, checked against its family's list when there is one.
fn check_template(
    templates: &crate::templates::Templates,
    name: &str,
    origin: &crate::templates::Origin,
) -> std::result::Result<String, Error> {
    let path = template_path(name, origin);
    let variables = templates.variables(name)?;
    let Some(known) = crate::templates::known_variables(name) else {
        return Ok(path.display().to_string());
    };
    let unknown: Vec<&str> = variables
        .iter()
        .map(String::as_str)
        .filter(|v| !known.contains(v))
        .collect();
    if unknown.is_empty() {
        return Ok(format!("{} (template)", path.display()));
    }
    Err(Error::Invalid {
        path,
        line: None,
        message: format!(
            "the template names unknown variable(s): {}",
            unknown.join(", ")
        ),
        hint: format!(
            "templates in {}/ can use: {}",
            name.split('/').next().unwrap_or_default(),
            known.join(", ")
        ),
    })
}

fn template_path(name: &str, origin: &crate::templates::Origin) -> std::path::PathBuf {
    match origin {
        crate::templates::Origin::Workspace(path) => path.clone(),
        crate::templates::Origin::BuiltIn => Path::new("templates").join(name),
    }
}

/// The fields a template reads of the variables that are objects (`brand.name`), each checked
/// against the fields that variable has: Tera lists only the variables themselves.
fn check_fields(
    templates: &crate::templates::Templates,
    name: &str,
    origin: &crate::templates::Origin,
) -> std::result::Result<(), Error> {
    static TAG: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#"(?s)\{\{.*?\}\}|\{%.*?%\}"#).ok());
    static STRING: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r#""[^"]*"|'[^']*'"#).ok());
    static PATH: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+").ok()
    });
    let known = crate::templates::known_fields(name);
    let (Some(source), Some(tag), Some(string), Some(path)) = (
        templates.source(name),
        TAG.as_ref(),
        STRING.as_ref(),
        PATH.as_ref(),
    ) else {
        return Ok(());
    };
    for found in tag.find_iter(source) {
        let code = string.replace_all(found.as_str(), "\"\"");
        for dotted in path.find_iter(&code) {
            let parts: Vec<&str> = dotted.as_str().split('.').collect();
            for depth in 1..parts.len() {
                let parent = parts[..depth].join(".");
                let Some((_, fields)) = known.iter().find(|(p, _)| *p == parent) else {
                    break;
                };
                if !fields.contains(&parts[depth]) {
                    let line = source[..found.start()].matches('\n').count() + 1;
                    return Err(Error::Invalid {
                        path: template_path(name, origin),
                        line: Some(line),
                        message: format!(
                            "the template names the unknown field {parent}.{}",
                            parts[depth]
                        ),
                        hint: format!("{parent} has: {}", fields.join(", ")),
                    });
                }
            }
        }
    }
    Ok(())
}

/// A workspace template only takes effect under a name the product renders: a built-in's, a
/// body or part for another locale, or one another template includes. Any other name (a
/// typo such as `mistak.en.html`) would silently change nothing.
fn check_overrides(
    templates: &crate::templates::Templates,
    name: &str,
    origin: &crate::templates::Origin,
) -> std::result::Result<(), Error> {
    if *origin == crate::templates::Origin::BuiltIn {
        return Ok(());
    }
    let built_in: Vec<&str> = crate::templates::BUILT_IN.iter().map(|(n, _)| *n).collect();
    // Another locale's file: the built-in name with its locale swapped.
    let as_english = name.rsplitn(3, '.').collect::<Vec<_>>();
    let other_locale = match as_english.as_slice() {
        [ext, locale, stem] => {
            crate::email::is_locale(locale)
                && built_in.contains(&format!("{stem}.en.{ext}").as_str())
        }
        _ => false,
    };
    let included = templates
        .origins()
        .keys()
        .filter(|other| other.as_str() != name)
        .filter_map(|other| templates.source(other))
        .any(|text| text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'")));
    if built_in.contains(&name) || other_locale || included {
        return Ok(());
    }
    let closest = built_in
        .iter()
        .min_by_key(|b| edit_distance(b, name))
        .map(|b| format!("did you mean templates/{b}? "))
        .unwrap_or_default();
    Err(Error::Invalid {
        path: template_path(name, origin),
        line: None,
        message: "this template overrides nothing: no built-in template has this name, and no template includes it".into(),
        hint: format!(
            "{closest}a workspace template replaces the built-in one of the same name (`incident init` copies them)"
        ),
    })
}

/// The Levenshtein distance between two names, to suggest the one meant.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
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
