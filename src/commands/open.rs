//! `incident open` and `incident resume`: the six-step walk, at the terminal or scripted.

use crate::cli::{OpenArgs, ResumeArgs, WalkArgs};
use crate::error::{Error, Result};
use crate::incident::{Incident, Opening, Severity, Status, Step};
use crate::runbook::{Catalog, Runbook};
use crate::store::{Store, to_yaml};
use crate::walk::{self, AnswersFile, Prompter, Session, StepAnswers, Walk, WalkEnd};

use super::{Context, actor, checked_line, is_interactive, parse_id};

/// How a walk's answers come in, from the flags.
struct Inputs {
    answers: Option<AnswersFile>,
    interactive: bool,
}

impl Inputs {
    fn read(args: &WalkArgs) -> Result<Inputs> {
        let from_stdin = args.answers.as_deref() == Some(std::path::Path::new("-"));
        Ok(Inputs {
            answers: args.answers.as_deref().map(AnswersFile::read).transpose()?,
            interactive: is_interactive(args.non_interactive, from_stdin),
        })
    }

    /// The answers file checked against the runbook: unknown keys and wrong types fail here.
    fn typed(&self, ctx: &Context, runbook: &Runbook) -> Result<StepAnswers> {
        match &self.answers {
            Some(file) => file.typed(runbook, ctx.clock.now()),
            None => Ok(StepAnswers::new()),
        }
    }

    fn walk<'a>(
        &self,
        ctx: &'a Context,
        runbook: &'a Runbook,
        given: &'a StepAnswers,
        incident: &Incident,
    ) -> Walk<'a> {
        Walk {
            runbook,
            workspace: &ctx.workspace,
            given,
            sections: Step::ALL
                .into_iter()
                .filter(|s| self.answers.as_ref().is_some_and(|f| f.has_step(*s)))
                .collect(),
            now: ctx.clock.now(),
            audience_affected: incident.steps.assess.audience.as_ref().map(|a| a.affected),
        }
    }
}

/// `incident open`.
pub fn run(ctx: &Context, args: OpenArgs) -> Result<()> {
    let inputs = Inputs::read(&args.walk)?;
    let file = inputs.answers.as_ref();
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if args.kind.is_none() {
        super::warn_broken_runbooks(ctx, &catalog);
    }
    let mut prompter = walk::prompter(inputs.interactive, &ctx.workspace, ctx.color, ctx.clock);
    let opening = opening(ctx, &args, file, &catalog, prompter.as_mut())?;
    let runbook = catalog.get(&opening.kind)?;
    let given = inputs.typed(ctx, runbook)?;
    let store = Store::new(&ctx.workspace);
    let draft = Incident::open(store.next_id(opening.at)?, opening.clone());
    let walk = inputs.walk(ctx, runbook, &given, &draft);
    let session = Session {
        store: &store,
        by: &opening.by,
        dry_run: args.walk.dry_run,
    };
    if args.walk.dry_run {
        let (incident, end) = walk::run(&walk, &session, draft, prompter.as_mut())?;
        return report_end(ctx, &incident, end, true);
    }
    if !inputs.interactive {
        // Answer every step first: a missing or wrong answer fails before anything is written.
        walk.plan_scripted(&draft)?;
    }
    let incident = store.create(opening.clone())?;
    ctx.status(&format!(
        "Opened {}{}: {} ({}, {})",
        incident.id,
        if incident.drill { " [DRILL]" } else { "" },
        incident.title,
        incident.kind,
        incident.severity
    ));
    let (incident, end) = walk::run(&walk, &session, incident, prompter.as_mut())?;
    report_end(ctx, &incident, end, false)
}

/// What the incident is opened with: flags first, then the answers file, then the prompter.
fn opening(
    ctx: &Context,
    args: &OpenArgs,
    file: Option<&AnswersFile>,
    catalog: &Catalog,
    prompter: &mut dyn Prompter,
) -> Result<Opening> {
    let kind = match args
        .kind
        .clone()
        .or_else(|| file.and_then(|f| f.kind.clone()))
    {
        Some(kind) => kind,
        None => {
            let items: Vec<String> = catalog
                .entries()
                .map(|e| format!("{:<24} {}", e.runbook.kind, e.runbook.title))
                .collect();
            match prompter.pick("What went wrong?", &items, 0)? {
                Some(picked) => catalog.kinds()[picked].to_string(),
                None => return Err(missing("kind", "--kind KIND", &catalog.kinds().join(", "))),
            }
        }
    };
    let runbook = catalog.get(&kind)?;
    let title = match args
        .title
        .clone()
        .or_else(|| file.and_then(|f| f.title.clone()))
    {
        Some(title) => title,
        None => prompter
            .line("Title (one line: what went wrong)", None)?
            .ok_or_else(|| missing("title", "--title \"…\"", "a one-line description"))?,
    };
    let title = checked_line("the title", &title)?;
    let severity = match args.severity.or_else(|| file.and_then(|f| f.severity)) {
        Some(severity) => severity,
        None => {
            let items: Vec<String> = Severity::ALL
                .iter()
                .map(|s| format!("{s}  {}", s.meaning()))
                .collect();
            let default = runbook.default_severity as usize;
            prompter
                .pick("Severity", &items, default)?
                .map_or(runbook.default_severity, |i| Severity::ALL[i])
        }
    };
    let known = actor(args.walk.by.as_deref(), file.and_then(|f| f.by.as_deref()));
    let by = who(
        args.walk.by.as_deref(),
        known,
        "Your name (owner of this incident)",
        "who owns the incident",
        prompter,
    )?;
    Ok(Opening {
        title,
        kind,
        severity,
        by,
        drill: args.drill,
        at: ctx.clock.now(),
    })
}

/// Who is walking: `--by`, else asked (offering what is known), else what is known.
fn who(
    flag: Option<&str>,
    known: Option<String>,
    prompt: &str,
    what: &str,
    prompter: &mut dyn Prompter,
) -> Result<String> {
    let typed = match flag {
        Some(_) => None,
        None => prompter.line(prompt, known.as_deref())?,
    };
    let by = typed
        .or(known)
        .ok_or_else(|| missing("by", "--by NAME", what))?;
    checked_line("--by", &by)
}

/// `incident resume`.
pub fn resume(ctx: &Context, args: ResumeArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let inputs = Inputs::read(&args.walk)?;
    let file = inputs.answers.as_ref();
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
    let mut prompter = walk::prompter(inputs.interactive, &ctx.workspace, ctx.color, ctx.clock);
    let known = actor(args.walk.by.as_deref(), file.and_then(|f| f.by.as_deref()));
    let by = who(
        args.walk.by.as_deref(),
        known,
        "Your name",
        "who is working the incident",
        prompter.as_mut(),
    )?;
    let given = inputs.typed(ctx, runbook)?;
    for step in Step::ALL {
        if incident.steps.get(step).is_done() && file.is_some_and(|f| f.has_step(step)) {
            ctx.status(&format!(
                "{step}: already done; its answers in the file are ignored"
            ));
        }
    }
    let walk = inputs.walk(ctx, runbook, &given, &incident);
    if !inputs.interactive && !args.walk.dry_run {
        walk.plan_scripted(&incident)?;
    }
    ctx.status(&format!(
        "Resuming {}: {} ({}/6 steps done)",
        incident.id,
        incident.title,
        incident.steps_done()
    ));
    let session = Session {
        store: &store,
        by: &by,
        dry_run: args.walk.dry_run,
    };
    let (incident, end) = walk::run(&walk, &session, incident, prompter.as_mut())?;
    report_end(ctx, &incident, end, args.walk.dry_run)
}

/// Tell the user where the walk ended and what comes next.
fn report_end(ctx: &Context, incident: &Incident, end: WalkEnd, dry_run: bool) -> Result<()> {
    if dry_run {
        crate::out!("{}", to_yaml(incident)?)?;
        ctx.status(&format!(
            "dry run: {} checked, {}/6 steps would be done; nothing was written",
            incident.id,
            incident.steps_done()
        ));
        return Ok(());
    }
    if ctx.quiet {
        return crate::outln!("{}", incident.id);
    }
    let path = ctx.workspace.record_path(&incident.id);
    match end {
        WalkEnd::Finished => crate::outln!(
            "{} — all six steps done. Record: {}\nNext: `incident show {}`, then `incident close {} --resolution \"…\"`.",
            incident.id,
            path.display(),
            incident.id,
            incident.id
        ),
        WalkEnd::StoppedBefore(step) => crate::outln!(
            "{} — {}/6 steps done; stopped before {step} (no answers for it). Record: {}\nContinue with `incident resume {}`.",
            incident.id,
            incident.steps_done(),
            path.display(),
            incident.id
        ),
    }
}

fn missing(field: &str, flag: &str, what: &str) -> Error {
    Error::Usage {
        message: format!("no {field} given and no terminal to ask on"),
        hint: format!("pass {flag} or set `{field}:` in the answers file ({what})"),
    }
}
