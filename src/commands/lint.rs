//! `incident lint FILE`: read a draft, run the apology's checks on it (against an incident's
//! record with `--incident`), print the findings, and fail on an error. It writes nothing.

use crate::cli::{LintArgs, LintFormat};
use crate::email::{self, Against, DraftFile, LintOptions};
use crate::error::{Error, Result};
use crate::incident::Incident;
use crate::present::{LintView, lint_text};
use crate::runbook::Catalog;
use crate::store::Store;

use super::{Context, parse_id};

/// `incident lint`.
pub fn run(ctx: &Context, args: LintArgs) -> Result<()> {
    let mut draft = email::draft::read(&args.file)?;
    complete(&mut draft, &args)?;
    let incident = match &args.incident {
        Some(id) => Some(Store::new(&ctx.workspace).load(&parse_id(id)?)?),
        None => None,
    };
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let kind = args
        .kind
        .clone()
        .or_else(|| incident.as_ref().map(|i| i.kind.clone()));
    let flagged = args.kind.is_some();
    let runbook = kind
        .as_deref()
        .map(|k| {
            catalog
                .get(k)
                .map_err(|e| if flagged { e.as_flag() } else { e })
        })
        .transpose()?;
    let recipients = match &incident {
        Some(i) => crate::audience::count_recipients(&ctx.workspace.recipients_path(&i.id))?,
        None => None,
    };
    let clocks = incident
        .as_ref()
        .map(|i| ctx.clocks(&catalog, i))
        .unwrap_or_default();
    let linted = email::lint(
        &draft,
        &LintOptions {
            kind: kind.as_deref().zip(runbook),
            locale: args.locale.map(|l| l.code()),
            against: incident.as_ref().map(|incident: &Incident| Against {
                incident,
                brand: &ctx.workspace.config.brand,
                recipients,
                clocks: &clocks,
                now: ctx.clock.now(),
            }),
        },
    );
    let view = LintView::of(args.file.display().to_string(), &linted);
    match args.format {
        LintFormat::Json => crate::outln!("{}", crate::format::json(&view, "the findings")?)?,
        LintFormat::Text => crate::outln!("{}", lint_text(&view).trim_end())?,
    }
    if view.errors > 0 {
        return Err(Error::State {
            message: format!("{} fails {} check(s)", args.file.display(), view.errors),
            hint: "fix what the errors name; warnings are advice, and what your ESP adds when it sends is one".into(),
        });
    }
    Ok(())
}

/// What the command line gives that the file does not: a subject, a From, a Reply-To. Each is
/// one line of text, and the addresses must parse.
fn complete(draft: &mut DraftFile, args: &LintArgs) -> Result<()> {
    if let Some(subject) = &args.subject {
        crate::text::check_text(subject, false).map_err(|message| Error::Usage {
            message: format!("--subject {message}"),
            hint: "give --subject as one line of plain text".into(),
        })?;
        draft.subject = Some(subject.trim().to_string());
    }
    if let Some(from) = &args.from {
        let mailbox: lettre::message::Mailbox = from.parse().map_err(|_| Error::Usage {
            message: format!("--from {from:?} is not a mailbox"),
            hint: "give --from as \"Name <address>\" or an address".into(),
        })?;
        draft.from = Some((mailbox.name.unwrap_or_default(), mailbox.email.to_string()));
    }
    if let Some(reply_to) = &args.reply_to {
        let address: lettre::Address = reply_to.trim().parse().map_err(|_| Error::Usage {
            message: format!("--reply-to {reply_to:?} is not an email address"),
            hint: "give --reply-to as an address, e.g. care@shop.nl".into(),
        })?;
        draft.reply_to = Some(address.to_string());
    }
    Ok(())
}
