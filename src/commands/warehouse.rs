//! `incident audience --emit-sql` and `--recipients`: the warehouse path (docs/scale.md).
//! The first prints the query that computes the audience where the send log lives; the
//! second records the list that query returned, held to the same rules, with the query's
//! dialect and SHA-256 in the record so a post-mortem can tell which query it was.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::audience::sql::{self, Dialect, Spec, Statement};
use crate::cli::{AudienceArgs, AudienceFormat};
use crate::error::{Error, Result};
use crate::format::thousands;
use crate::incident::{AudienceSummary, Warehouse};
use crate::store::Store;

use super::audience::{display, query, save};
use super::{Context, actor_on, parse_id};

/// `incident audience ID --emit-sql D` or `--recipients FILE --dialect D`.
pub fn run(ctx: &Context, args: &AudienceArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    let incident = store.load(&id)?;
    let flags = &args.warehouse;
    let dialect = flags
        .emit_sql
        .or(flags.dialect)
        .ok_or_else(|| Error::Usage {
            message: "--recipients needs the --dialect of the query".into(),
            hint: "pass --dialect duckdb, bigquery, snowflake or postgres".into(),
        })?;
    let statement = if flags.counts {
        Statement::Counts
    } else {
        Statement::Recipients
    };
    let preset = super::presets(ctx)
        .resolve(args.input.preset.as_deref(), &super::overrides(&args.input))?;
    let query = query(ctx, args, &preset)?;
    let spec = spec(args, dialect, &query, &preset)?;
    let text = sql::emit(&spec, statement)?;
    let Some(result) = &flags.recipients else {
        return crate::out!("{text}");
    };

    let list = crate::audience::read_list(result)?;
    let by = actor_on(args.by.as_deref(), &incident)?;
    let summary = AudienceSummary {
        computed_at: ctx.clock.now(),
        by,
        affected: list.len() as u64,
        segments: Default::default(),
        suppressed: 0,
        malformed_rows: 0,
        malformed: Default::default(),
        rows_read: 0,
        rows_matched: 0,
        filter: query.to_record(),
        sends: format!("warehouse table {}", spec.sends.name),
        suppressions: spec.suppressions.iter().map(|t| t.name.clone()).collect(),
        excluded: 0,
        exclude: spec.excludes.iter().map(|t| t.name.clone()).collect(),
        opted_out: 0,
        input: None,
        outcomes: Default::default(),
        unknown_statuses: Default::default(),
        recipients: ctx.workspace.recipients_relative(&id),
        warehouse: Some(Warehouse {
            dialect: dialect.name().into(),
            sql_sha256: sha256_hex(&text),
            result: display(result),
        }),
    };
    let path = ctx.workspace.recipients_path(&id);
    save(&store, &id, &summary, &path, |file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        crate::audience::write_list(&mut out, &list)?;
        std::io::Write::flush(&mut out)
    })?;
    print(ctx, &id.to_string(), &summary, args.format)
}

/// The tables, checked and quoted.
fn spec<'a>(
    args: &AudienceArgs,
    dialect: Dialect,
    query: &'a crate::audience::Query,
    preset: &'a crate::input::Preset,
) -> Result<Spec<'a>> {
    let flags = &args.warehouse;
    let sends = flags.sends_table.as_deref().ok_or_else(|| Error::Usage {
        message: "the warehouse path needs the send log's table".into(),
        hint: "name it with --sends-table, e.g. --sends-table analytics.esp_sends".into(),
    })?;
    let tables = |flag: &str, names: &[String]| -> Result<Vec<sql::Table>> {
        names.iter().map(|n| sql::table(dialect, flag, n)).collect()
    };
    Ok(Spec {
        dialect,
        query,
        preset,
        sends: sql::table(dialect, "--sends-table", sends)?,
        suppressions: tables("--suppressions-table", &flags.suppressions_tables)?,
        excludes: tables("--exclude-table", &flags.exclude_tables)?,
    })
}

/// The SHA-256 of the query's text, in hex.
fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn print(ctx: &Context, id: &str, summary: &AudienceSummary, format: AudienceFormat) -> Result<()> {
    let Some(w) = &summary.warehouse else {
        return Ok(());
    };
    match format {
        AudienceFormat::Json => {
            let json = serde_json::json!({
                "id": id,
                "affected": summary.affected,
                "recipients": summary.recipients,
                "warehouse": w,
            });
            crate::outln!("{json:#}")
        }
        AudienceFormat::Text if ctx.quiet => crate::outln!("{}", summary.affected),
        AudienceFormat::Text => crate::outln!(
            "{id}: {} affected, from the {} query (sha256 {}) on {}\nlist: {}",
            thousands(summary.affected),
            w.dialect,
            w.sql_sha256,
            summary.sends,
            Path::new(&summary.recipients).display()
        ),
    }
}
