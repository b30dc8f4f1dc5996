//! `incident report`: the post-mortem of one incident, or the summary across incidents, as
//! Markdown (default), HTML or JSON, on stdout or into a file.
//!
//! Where `--out` writes: alone, `incidents/ID/report.EXT` (`incidents/summary.EXT` with
//! `--summary`); a bare file name, into that same folder; a path with a folder in it (`./x.md`,
//! `docs/x.md`, `/tmp/x.md`), exactly there, because the user spelled it out; `-`, stdout. So
//! nothing lands outside the workspace unless the user gave such a path, and then only as a new
//! file; inside, the store refuses any file the tool owns (a record, the lock, a recipient list).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{Error, Result};
use crate::incident::{Brief, IncidentId};
use crate::report::{self, Format, Inputs};
use crate::runbook::Catalog;
use crate::store::Store;
use crate::templates::Templates;

use super::{Context, parse_id};
use crate::present::clock_phrase;

/// `incident report`.
pub fn run(ctx: &Context, args: ReportArgs) -> Result<()> {
    let format = match args.format {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Json => Format::Json,
    };
    let id = match (&args.id, args.summary) {
        (Some(id), false) => Some(parse_id(id)?),
        (None, false) => {
            return Err(Error::BadFlag {
                message: "name the incident to report on".into(),
                hint: "incident report INC-… (`incident list` shows the IDs), or --summary for the trend across incidents".into(),
            });
        }
        // clap keeps an ID and --summary apart.
        (_, true) => None,
    };
    // Where it goes is settled, and refused, before anything is read or made.
    let (folder, stem) = match &id {
        Some(id) => (ctx.workspace.incident_dir(id), "report"),
        None => (ctx.workspace.incidents_dir(), "summary"),
    };
    let store = Store::new(&ctx.workspace);
    let target = destination(args.out.as_deref().map(Path::new), &folder, stem, format)?;
    if let Some(path) = &target {
        store.check_out(path)?;
    }
    let made = Made {
        ctx,
        store: &store,
        renderer: report::renderer(format),
        templates: report_templates(ctx, format)?,
        catalog: Catalog::load(&ctx.workspace.runbooks_dir())?,
    };
    let text = match &id {
        Some(id) => made.report(id)?,
        None => made.summary()?,
    };
    match target {
        // Printed as it is: a summary of thousands of incidents is not copied to be written.
        None => super::output::print(&text)?,
        Some(path) => {
            store.write_out(&path, text.as_bytes())?;
            crate::outln!("{}", path.display())?;
        }
    }
    Ok(())
}

/// The report templates `format` renders with: the Markdown ones, the HTML ones, or none.
fn report_templates(ctx: &Context, format: Format) -> Result<Templates> {
    let dir = ctx.workspace.templates_dir();
    match format {
        Format::Markdown => Templates::load_family_of(&dir, "report", true),
        Format::Html => Templates::load_family_of(&dir, "report", false),
        Format::Json => Ok(Templates::none()),
    }
}

/// What a report is made with.
struct Made<'a> {
    ctx: &'a Context,
    store: &'a Store<'a>,
    renderer: Box<dyn report::Renderer>,
    templates: Templates,
    catalog: Catalog,
}

impl Made<'_> {
    /// The summary across incidents; refused when a record cannot be read.
    fn summary(&self) -> Result<String> {
        let mut incidents: Vec<Brief> = Vec::new();
        let mut unreadable = 0;
        for (_, record) in self.store.briefs()? {
            match record {
                Ok(brief) => incidents.push(brief),
                Err(err) => {
                    unreadable += 1;
                    anstream::eprintln!("error: {err}");
                }
            }
        }
        if unreadable > 0 {
            return Err(Error::State {
                message: format!(
                    "{unreadable} record(s) could not be read; a summary without them would mislead"
                ),
                hint: "the errors above name file and line; `incident check` lists every problem"
                    .into(),
            });
        }
        let titles: BTreeMap<String, String> = self
            .catalog
            .entries()
            .map(|e| (e.runbook.kind.clone(), e.runbook.title.clone()))
            .collect();
        let summary = report::summarize(&incidents, &titles, self.ctx.clock.now());
        // Freed before the rendering, which reuses the memory instead of faulting in more.
        drop(incidents);
        self.renderer.summary(summary, &self.templates)
    }

    /// The post-mortem of one incident.
    fn report(&self, id: &IncidentId) -> Result<String> {
        let (ctx, now) = (self.ctx, self.ctx.clock.now());
        let incident = self.store.load(id)?;
        let runbook = self.catalog.get(&incident.kind).ok();
        let states = ctx
            .clocks(&self.catalog, &incident)
            .into_iter()
            .map(|state| {
                let phrase = clock_phrase(&state, now);
                (state, phrase)
            })
            .collect();
        let report = report::build(&Inputs {
            incident: &incident,
            runbook,
            roles: &ctx.workspace.config.roles,
            thresholds: &ctx.workspace.config.thresholds,
            clocks: states,
            legal_clocks: runbook.is_some_and(|r| r.legal_clocks),
            now,
        });
        self.renderer.report(&report, &self.templates)
    }
}

/// Where `--out` writes; `None` for stdout.
fn destination(
    out: Option<&Path>,
    folder: &Path,
    stem: &str,
    format: Format,
) -> Result<Option<PathBuf>> {
    let Some(out) = out else { return Ok(None) };
    if out.as_os_str().is_empty() {
        return Ok(Some(folder.join(format!("{stem}.{}", format.extension()))));
    }
    if out == Path::new("-") {
        return Ok(None);
    }
    let components: Vec<Component> = out.components().collect();
    match components.as_slice() {
        [Component::Normal(name)] => {
            let name = name.to_string_lossy();
            crate::text::check_line("the --out file name", &name).map_err(|message| {
                Error::Usage {
                    message,
                    hint: "give a plain file name such as postmortem.md".into(),
                }
            })?;
            Ok(Some(folder.join(out)))
        }
        [
            ..,
            Component::ParentDir | Component::CurDir | Component::RootDir,
        ]
        | [] => Err(Error::Usage {
            message: format!("--out {} names a folder, not a file", out.display()),
            hint: "end the path with a file name, e.g. --out ./postmortem.md".into(),
        }),
        // A path the user spelled out, folder and all: written exactly there.
        _ => Ok(Some(out.to_path_buf())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_alone_a_name_and_a_path() {
        let folder = Path::new("ws/incidents/INC-20261126-001");
        let dest = |out: &str| destination(Some(Path::new(out)), folder, "report", Format::Html);
        assert_eq!(
            dest("").expect("ok"),
            Some(folder.join("report.html")),
            "alone"
        );
        assert_eq!(
            dest("pm.html").expect("ok"),
            Some(folder.join("pm.html")),
            "a bare name stays in the incident's folder"
        );
        assert_eq!(
            dest("./pm.html").expect("ok"),
            Some(PathBuf::from("./pm.html")),
            "a path is taken as given"
        );
        assert_eq!(
            dest("/tmp/pm.html").expect("ok"),
            Some(PathBuf::from("/tmp/pm.html"))
        );
        assert_eq!(dest("-").expect("ok"), None, "- is stdout");
        assert!(dest("..").is_err());
        assert!(dest("docs/..").is_err());
        assert_eq!(
            destination(None, folder, "report", Format::Markdown).expect("ok"),
            None
        );
    }
}
