//! `incident runbooks`: the kinds, one runbook in full, its JSON form for scripts, or a
//! commented answers-file skeleton.

use crate::cli::{RunbooksArgs, RunbooksFormat};
use crate::error::{Error, Result};
use crate::format::json;
use crate::present::{RunbookView, answers_template, runbook_text, runbooks_table};
use crate::runbook::Catalog;

use super::Context;

/// `incident runbooks`.
pub fn run(ctx: &Context, args: RunbooksArgs) -> Result<()> {
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if args.kind.is_none() {
        super::warn_broken_runbooks(ctx, &catalog);
    }
    match (&args.kind, args.answers_template, args.format) {
        (Some(kind), true, _) => crate::out!(
            "{}",
            answers_template(catalog.get(kind).map_err(Error::as_flag)?)
        )?,
        (Some(kind), false, RunbooksFormat::Json) => {
            let view = RunbookView::of(catalog.get(kind).map_err(Error::as_flag)?);
            crate::outln!("{}", json(&view, "the runbook")?)?;
        }
        (Some(kind), false, RunbooksFormat::Text) => {
            let entry = catalog.entry(kind).map_err(Error::as_flag)?;
            crate::out!(
                "{}",
                runbook_text(&entry.runbook, &entry.source, &ctx.workspace)
            )?;
        }
        (None, _, RunbooksFormat::Json) => {
            let all: Vec<RunbookView> = catalog
                .entries()
                .map(|e| RunbookView::of(&e.runbook))
                .collect();
            crate::outln!("{}", json(&all, "the runbooks")?)?;
        }
        (None, _, RunbooksFormat::Text) => {
            crate::outln!("{}", runbooks_table(&catalog))?;
            ctx.status("`incident runbooks KIND` shows one in full.");
        }
    }
    Ok(())
}
