//! `incident email`: render the branded apology (HTML, text, .eml), run the checks, and write
//! it to `incidents/ID/` only when no check fails.

use crate::cli::{EmailArgs, EmailFormat};
use crate::email::{self, Level, Options, Rendered};
use crate::error::{Error, Result};
use crate::incident::{Incident, IncidentId};
use crate::present::{EmailView, findings_text};
use crate::runbook::{ApologyPolicy, Catalog, Runbook};
use crate::store::{Mode, Staged, Store};
use crate::templates::Templates;

use super::{Context, actor_on, checked_line, output, parse_id};

/// `incident email`.
pub fn run(ctx: &Context, args: EmailArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    let (incident, recipients) = store.load_with_recipients(&id)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let runbook = catalog.get(&incident.kind)?;
    let policy_override = policy_override(&args, &incident, runbook)?;
    let templates = Templates::load_family(&ctx.workspace.templates_dir(), "email")?;
    let now = ctx.clock.now();
    let rendered = email::render(
        &templates,
        &email::Inputs {
            incident: &incident,
            runbook,
            brand: &ctx.workspace.config.brand,
            default_locale: ctx.workspace.config.locale.as_deref(),
            recipients,
            clocks: &ctx.clocks(&catalog, &incident),
            now,
        },
        &Options {
            locale: args.locale.clone(),
            subject: subject_flag(&args)?,
            policy_override: policy_override.clone(),
            dry_run: args.dry_run,
        },
    )?;

    if args.format == EmailFormat::Json {
        let view = EmailView::of(
            id.to_string(),
            &rendered,
            recipients,
            args.check || args.dry_run,
        );
        crate::outln!("{}", crate::format::json(&view, "the findings")?)?;
    } else {
        anstream::eprint!("{}", output::for_stderr(&findings_text(&rendered.findings)));
    }
    let errors = rendered
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    if errors > 0 {
        return Err(Error::State {
            message: format!("the apology for {id} fails {errors} check(s); nothing was written"),
            hint: "fix what the checks name (answers: `incident resume`, brand: incident.toml, wording: templates/)".into(),
        });
    }
    if args.check {
        ctx.status(&format!(
            "{id}: the apology passes every check ({} warning(s)); nothing written (--check)",
            rendered.findings.len()
        ));
        return Ok(());
    }
    if args.dry_run {
        return tell_rehearsed(ctx, &id, &rendered, args.format);
    }
    let by = actor_on(args.by.as_deref(), &incident)?;
    let files = stage_files(ctx, &store, &id, &rendered)?;
    let summary = email::summary(&rendered, recipients, policy_override.as_deref(), now);
    let policy = runbook.apology.policy.to_string();
    store.update_with(&id, files, |incident| {
        incident.record_email(summary, &policy, &by, now);
        Ok(())
    })?;
    tell_written(ctx, &id, &rendered, recipients)
}

/// `--override-policy`, which only a kind whose policy is never to apologize takes, and such
/// a kind needs.
fn policy_override(
    args: &EmailArgs,
    incident: &Incident,
    runbook: &Runbook,
) -> Result<Option<String>> {
    let id = &incident.id;
    let reason = args
        .override_policy
        .as_deref()
        .map(|reason| checked_line("the --override-policy reason", reason))
        .transpose()?;
    let never = runbook.apology.policy == ApologyPolicy::Never;
    // An override is a written exception to a "never" policy; anywhere else it would put a
    // decision nobody took into the timeline.
    if !never && reason.is_some() {
        return Err(Error::Usage {
            message: format!(
                "--override-policy only applies to a kind whose apology policy is never; {} is {}",
                incident.kind, runbook.apology.policy
            ),
            hint: format!("leave out --override-policy: an apology for {id} needs no override"),
        });
    }
    if never && reason.is_none() {
        return Err(Error::State {
            message: format!(
                "{id} is a {} incident: the policy is never to send an apology. {}",
                incident.kind,
                runbook.apology.reason.trim()
            ),
            hint: "if you must send one anyway, pass --override-policy \"why\"; the reason, who and when go into the timeline".into(),
        });
    }
    Ok(reason)
}

/// `--subject`. A blank one is rendered and reported as `subject-empty` with the other
/// findings; only what could forge a header is refused here.
fn subject_flag(args: &EmailArgs) -> Result<Option<String>> {
    args.subject
        .as_deref()
        .map(|s| {
            crate::text::check_text(s, false)
                .map(|()| s.trim().to_string())
                .map_err(|message| Error::Usage {
                    message: format!("--subject {message}"),
                    hint: "give --subject as one line of plain text".into(),
                })
        })
        .transpose()
}

/// `email.html`, `email.txt` and `email.eml`, prepared to replace the old ones together with
/// the record's summary.
fn stage_files(
    ctx: &Context,
    store: &Store<'_>,
    id: &IncidentId,
    rendered: &Rendered,
) -> Result<Vec<Staged>> {
    let paths = ctx.workspace.email_paths(id);
    let files = [
        (&paths.html, rendered.html.as_bytes()),
        (&paths.text, rendered.text.as_bytes()),
        (&paths.eml, rendered.eml.as_slice()),
    ];
    let mut staged = Vec::new();
    for (path, bytes) in files {
        let mut file = store.stage(path, Mode::Shared)?;
        file.write_all(bytes)?;
        staged.push(file);
    }
    Ok(staged)
}

/// A dry run: what would be written, and the text part as a reader sees it.
fn tell_rehearsed(
    ctx: &Context,
    id: &IncidentId,
    rendered: &Rendered,
    format: EmailFormat,
) -> Result<()> {
    ctx.status(&format!(
        "{id}: dry run, nothing written; it would write {}/email.html, email.txt and email.eml ({}, {:?})",
        ctx.workspace.incident_dir(id).display(),
        rendered.locale,
        rendered.subject
    ));
    if format == EmailFormat::Text {
        crate::outln!("{}", rendered.text.trim_end())?;
    }
    Ok(())
}

/// Say what was written and to whom it goes.
fn tell_written(
    ctx: &Context,
    id: &IncidentId,
    rendered: &Rendered,
    recipients: Option<u64>,
) -> Result<()> {
    if ctx.quiet {
        return crate::outln!("{}", ctx.workspace.email_paths(id).eml.display());
    }
    let wrote = format!(
        "Wrote {0}/email.html, {0}/email.txt and {0}/email.eml ({1}, {2:?}).",
        ctx.workspace.incident_dir(id).display(),
        rendered.locale,
        rendered.subject
    );
    crate::outln!("{}", output::for_stdout(&wrote))?;
    match recipients {
        Some(n) => crate::outln!(
            "Send it to the {n} addresses in {} only.",
            ctx.workspace.recipients_path(id).display()
        ),
        None => crate::outln!(
            "Send it to the affected subscribers only: `incident audience {id} --sends FILE` lists them."
        ),
    }
}
