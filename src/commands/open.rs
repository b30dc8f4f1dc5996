//! `incident open` and `incident resume`: the six-step walk, at the terminal or scripted.

use crate::cli::{OpenArgs, ResumeArgs, WalkArgs};
use crate::error::{Error, Result};
use crate::incident::{Incident, Opening, Severity, Status};
use crate::runbook::Catalog;
use crate::store::Store;
use crate::walk::{AnswersFile, TerminalPrompter};

use super::walk::{WalkMode, install_interrupt_handler, report_end, typed_answers, walk_pending};
use super::{Context, actor, checked_line, is_interactive, parse_id};

fn read_answers(args: &WalkArgs) -> Result<Option<AnswersFile>> {
    args.answers.as_deref().map(AnswersFile::read).transpose()
}

fn from_stdin(args: &WalkArgs) -> bool {
    args.answers.as_deref() == Some(std::path::Path::new("-"))
}

/// `incident open`.
pub fn run(ctx: &Context, args: OpenArgs) -> Result<()> {
    let answers = read_answers(&args.walk)?;
    let interactive = is_interactive(args.walk.non_interactive, from_stdin(&args.walk));
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if args.kind.is_none() {
        super::warn_broken_runbooks(ctx, &catalog);
    }
    let now = ctx.clock.now();
    if interactive {
        install_interrupt_handler();
    }
    let prompter =
        interactive.then(|| TerminalPrompter::new(ctx.color, ctx.workspace.tz, ctx.clock));
    let file = answers.as_ref();

    let kind = match args
        .kind
        .clone()
        .or_else(|| file.and_then(|f| f.kind.clone()))
    {
        Some(kind) => kind,
        None => match &prompter {
            Some(p) => {
                let items: Vec<String> = catalog
                    .entries()
                    .map(|e| format!("{:<24} {}", e.runbook.kind, e.runbook.title))
                    .collect();
                let picked = p.select("What went wrong?", &items, 0)?;
                catalog.kinds()[picked].to_string()
            }
            None => return Err(missing("kind", "--kind KIND", &catalog.kinds().join(", "))),
        },
    };
    let runbook = catalog.get(&kind)?;

    let title = match args
        .title
        .clone()
        .or_else(|| file.and_then(|f| f.title.clone()))
    {
        Some(title) => title,
        None => match &prompter {
            Some(p) => p.text("Title (one line: what went wrong)", None, false)?,
            None => return Err(missing("title", "--title \"…\"", "a one-line description")),
        },
    };
    let title = checked_line("the title", &title)?;

    let severity = match args.severity.or_else(|| file.and_then(|f| f.severity)) {
        Some(severity) => severity,
        None => match &prompter {
            Some(p) => {
                let items: Vec<String> = Severity::ALL
                    .iter()
                    .map(|s| format!("{s}  {}", s.meaning()))
                    .collect();
                Severity::ALL[p.select("Severity", &items, runbook.default_severity as usize)?]
            }
            None => runbook.default_severity,
        },
    };

    let known_by = actor(args.walk.by.as_deref(), file.and_then(|f| f.by.as_deref()));
    let by = match (&prompter, known_by) {
        (Some(p), default) if args.walk.by.is_none() => p.text(
            "Your name (owner of this incident)",
            default.as_deref(),
            false,
        )?,
        (_, Some(by)) => by,
        (_, None) => return Err(missing("by", "--by NAME", "who owns the incident")),
    };
    let by = checked_line("--by", &by)?;

    let opening = Opening {
        title,
        kind: kind.clone(),
        severity,
        by: by.clone(),
        drill: args.drill,
        at: now,
    };
    let mode = WalkMode {
        answers: file,
        interactive,
        dry_run: args.walk.dry_run,
        by: &by,
    };
    let given = typed_answers(ctx, runbook, &mode)?;
    let store = Store::new(&ctx.workspace);
    let draft = Incident::open(store.next_id(now)?, opening.clone());

    if args.walk.dry_run {
        let (incident, end) = walk_pending(ctx, runbook, draft, &mode, &given)?;
        report_end(ctx, &incident, end, true)?;
        return Ok(());
    }
    if !interactive {
        // Walk in memory first: a missing or wrong answer fails before anything is written.
        let check = WalkMode {
            dry_run: true,
            ..mode
        };
        walk_pending(ctx, runbook, draft, &check, &given)?;
    }
    let incident = store.create(opening)?;
    ctx.status(&format!(
        "Opened {}{}: {} ({}, {})",
        incident.id,
        if incident.drill { " [DRILL]" } else { "" },
        incident.title,
        incident.kind,
        incident.severity
    ));
    let (incident, end) = walk_pending(ctx, runbook, incident, &mode, &given)?;
    report_end(ctx, &incident, end, false)?;
    Ok(())
}

/// `incident resume`.
pub fn resume(ctx: &Context, args: ResumeArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let answers = read_answers(&args.walk)?;
    let interactive = is_interactive(args.walk.non_interactive, from_stdin(&args.walk));
    let store = Store::new(&ctx.workspace);
    let incident = store.load(&id)?;
    if incident.status == Status::Closed {
        return Err(Error::State {
            message: format!("{id} is closed"),
            hint: format!("`incident show {id}` shows it; open a new incident for a new problem"),
        });
    }
    if incident.next_step().is_none() {
        return Err(Error::State {
            message: format!("{id} has all six steps done; there is nothing to resume"),
            hint: format!("close it with `incident close {id} --resolution \"…\"`"),
        });
    }
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    let runbook = catalog.get(&incident.kind)?;
    let file = answers.as_ref();
    if interactive {
        install_interrupt_handler();
    }
    let known_by = actor(args.walk.by.as_deref(), file.and_then(|f| f.by.as_deref()));
    let by = match known_by {
        Some(by) if args.walk.by.is_some() || !interactive => by,
        default if interactive => TerminalPrompter::new(ctx.color, ctx.workspace.tz, ctx.clock)
            .text("Your name", default.as_deref(), false)?,
        _ => return Err(missing("by", "--by NAME", "who is working the incident")),
    };
    let by = checked_line("--by", &by)?;
    let mode = WalkMode {
        answers: file,
        interactive,
        dry_run: args.walk.dry_run,
        by: &by,
    };
    let given = typed_answers(ctx, runbook, &mode)?;
    for step in crate::incident::Step::ALL {
        if incident.steps.get(step).is_done() && file.is_some_and(|f| f.has_step(step)) {
            ctx.status(&format!(
                "{step}: already done; its answers in the file are ignored"
            ));
        }
    }
    if !interactive && !args.walk.dry_run {
        let check = WalkMode {
            dry_run: true,
            ..mode
        };
        walk_pending(ctx, runbook, incident.clone(), &check, &given)?;
    }
    ctx.status(&format!(
        "Resuming {}: {} ({}/6 steps done)",
        incident.id,
        incident.title,
        incident.steps_done()
    ));
    let (incident, end) = walk_pending(ctx, runbook, incident, &mode, &given)?;
    report_end(ctx, &incident, end, args.walk.dry_run)?;
    Ok(())
}

fn missing(field: &str, flag: &str, what: &str) -> Error {
    Error::Usage {
        message: format!("no {field} given and no terminal to ask on"),
        hint: format!("pass {flag} or set `{field}:` in the answers file ({what})"),
    }
}
