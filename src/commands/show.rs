//! `incident show`: one incident as text, YAML or JSON, with durations and deadlines.

use crate::cli::{ShowArgs, ShowFormat};
use crate::error::{Error, Result};
use crate::present::{ShowContext, ShowView, show_text};
use crate::runbook::Catalog;
use crate::store::Store;

use super::{Context, parse_id};

/// `incident show`.
pub fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let incident = Store::new(&ctx.workspace).load(&id)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let clocks = ctx.clocks(&catalog, &incident);
    let view = ShowView::of(&incident, &clocks);
    match args.format {
        // The record's own fields, then what is derived from them; `cat incidents/ID.yaml`
        // shows the record alone.
        ShowFormat::Yaml => {
            let value = serde_json::to_value(&view).map_err(|e| Error::encode("the record", e))?;
            let yaml = serde_yaml::to_string(&value).map_err(|e| Error::encode("the record", e))?;
            crate::out!("{yaml}")?
        }
        ShowFormat::Json => crate::outln!("{}", crate::format::json(&view, "the record")?)?,
        ShowFormat::Text => {
            let shown = ShowContext {
                workspace: &ctx.workspace,
                runbook: catalog.get(&incident.kind).ok(),
                clocks: &clocks,
                now: ctx.clock.now(),
            };
            crate::out!("{}", show_text(&shown, &incident))?
        }
    }
    Ok(())
}
