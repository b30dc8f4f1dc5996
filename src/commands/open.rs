//! `incident open` and `incident resume`: the six-step walk, at the terminal or scripted.

use crate::cli::{OpenArgs, ResumeArgs, WalkArgs};
use crate::error::{Error, Result};
use crate::incident::{Incident, Opening, Severity, Status, Step};
use crate::present::{left_to_do, todo_text};
use crate::runbook::{Catalog, Runbook};
use crate::store::{Store, to_yaml};
use crate::walk::{self, AnswersFile, Prompter, Session, StepAnswers, Walk, WalkEnd};

use super::on_the_spot::OnTheSpot;

use super::{Context, actor, checked_short, is_interactive, parse_id};

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
        tasks: &'a dyn walk::Tasks,
    ) -> Walk<'a> {
        Walk {
            runbook,
            workspace: &ctx.workspace,
            given,
            sections: Step::ALL
                .into_iter()
                .filter(|s| self.answers.as_ref().is_some_and(|f| f.has_step(*s)))
                .collect(),
            clock: ctx.clock,
            tasks: self.interactive.then_some(tasks),
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
    let store = Store::new(&ctx.workspace);
    if !args.walk.dry_run {
        // An unwritable workspace fails now, not after the questions.
        writable(&ctx.workspace.incidents_dir())?;
    }
    let mut prompter = walk::prompter(inputs.interactive, &ctx.workspace, ctx.color, ctx.clock);
    let opening = opening(ctx, &args, file, &catalog, &store, prompter.as_mut())?;
    let runbook = catalog.get(&opening.kind)?;
    let given = inputs.typed(ctx, runbook)?;
    let draft = Incident::open(store.next_id(opening.at)?, opening.clone());
    let tasks = OnTheSpot::new(ctx, &opening.by);
    let walk = inputs.walk(ctx, runbook, &given, &tasks);
    let session = Session {
        store: &store,
        by: &opening.by,
        dry_run: args.walk.dry_run,
    };
    if args.walk.dry_run {
        let (incident, end) = walk::run(&walk, &session, draft, prompter.as_mut())?;
        return report_end(ctx, &catalog, &incident, end, true);
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
    report_end(ctx, &catalog, &incident, end, false)
}

/// What the incident is opened with: flags first, then the answers file, then the prompter.
fn opening(
    ctx: &Context,
    args: &OpenArgs,
    file: Option<&AnswersFile>,
    catalog: &Catalog,
    store: &Store<'_>,
    prompter: &mut dyn Prompter,
) -> Result<Opening> {
    let kind = match args
        .kind
        .clone()
        .or_else(|| file.and_then(|f| f.kind.clone()))
    {
        Some(kind) => kind,
        None => pick_kind(catalog, prompter)?,
    };
    // A kind typed on the command line that no runbook has is a usage error.
    let runbook = catalog
        .get(&kind)
        .map_err(|e| if args.kind.is_some() { e.as_flag() } else { e })?;
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
    let title = checked_short("the title", &title)?;
    let severity = match args.severity.or_else(|| file.and_then(|f| f.severity)) {
        Some(severity) => severity,
        None => pick_severity(runbook.default_severity, prompter)?,
    };
    let by = owner(args, file, store, prompter)?;
    Ok(Opening {
        title,
        kind,
        severity,
        by,
        drill: args.drill,
        at: ctx.clock.now(),
    })
}

/// The kind, picked from the commonest first, filtered by typing.
fn pick_kind(catalog: &Catalog, prompter: &mut dyn Prompter) -> Result<String> {
    let kinds = catalog.kinds_commonest_first();
    let items: Vec<String> = kinds
        .iter()
        .filter_map(|k| catalog.get(k).ok())
        .map(|r| format!("{:<24} {}", r.kind, r.title))
        .collect();
    match prompter.find("What went wrong?", &items, 0)? {
        Some(picked) => Ok(kinds[picked].to_string()),
        None => Err(missing("kind", "--kind KIND", &catalog.kinds().join(", "))),
    }
}

/// The severity, picked with the runbook's as the default.
fn pick_severity(default: Severity, prompter: &mut dyn Prompter) -> Result<Severity> {
    let items: Vec<String> = Severity::ALL
        .iter()
        .map(|s| format!("{s}  {}", s.meaning()))
        .collect();
    Ok(prompter
        .pick("Severity", &items, default as usize)?
        .map_or(default, |i| Severity::ALL[i]))
}

/// The incident's owner: `--by` or the file's `by`; at a terminal the name offered is the
/// last one used in this workspace, else git's.
fn owner(
    args: &OpenArgs,
    file: Option<&AnswersFile>,
    store: &Store<'_>,
    prompter: &mut dyn Prompter,
) -> Result<String> {
    let interactive = prompter.is_interactive();
    let known = args
        .walk
        .by
        .clone()
        .or_else(|| file.and_then(|f| f.by.clone()))
        .or_else(|| interactive.then(|| last_operator(store)).flatten())
        .or_else(|| interactive.then(git_user_name).flatten())
        .or_else(|| actor(None, None));
    who(
        args.walk.by.as_deref(),
        known,
        "Your name (owner of this incident)",
        "who owns the incident",
        prompter,
    )
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
    checked_short("--by", &by)
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
    if !args.walk.dry_run {
        writable(&ctx.workspace.incidents_dir())?;
    }
    let mut prompter = walk::prompter(inputs.interactive, &ctx.workspace, ctx.color, ctx.clock);
    // Whoever worked it last goes on, unless someone else says who they are.
    let by = args
        .walk
        .by
        .clone()
        .or_else(|| file.and_then(|f| f.by.clone()))
        .unwrap_or_else(|| last_actor(&incident));
    let by = checked_short("--by", &by)?;
    let given = inputs.typed(ctx, runbook)?;
    for step in Step::ALL {
        if incident.steps.get(step).is_done() && file.is_some_and(|f| f.has_step(step)) {
            ctx.status(&format!(
                "{step}: already done; its answers in the file are ignored"
            ));
        }
    }
    let tasks = OnTheSpot::new(ctx, &by);
    let walk = inputs.walk(ctx, runbook, &given, &tasks);
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
    report_end(ctx, &catalog, &incident, end, args.walk.dry_run)
}

/// The name of whoever last acted on the newest incident of the workspace.
fn last_operator(store: &Store<'_>) -> Option<String> {
    let newest = store.ids().ok()?.into_iter().max()?;
    store
        .load(&newest)
        .ok()
        .map(|incident| last_actor(&incident))
}

/// Who acted last on an incident: the newest timeline entry's name, else its owner.
fn last_actor(incident: &Incident) -> String {
    incident
        .timeline
        .iter()
        .max_by_key(|e| e.at)
        .map_or_else(|| incident.opened_by.clone(), |e| e.by.clone())
}

/// git's `user.name`, when git is there and knows one.
fn git_user_name() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["config", "--get", "user.name"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

/// Refuse a workspace where records cannot be written, before anything is asked.
fn writable(dir: &std::path::Path) -> Result<()> {
    let probe = dir.join(format!(".write-check-{}", std::process::id()));
    let made = std::fs::create_dir_all(dir).and_then(|()| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
    });
    match made {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(Error::State {
            message: if dir.exists() && !dir.is_dir() {
                format!("cannot write incident records in {}: it is a file, not a folder", dir.display())
            } else {
                format!("cannot write incident records in {}: {e}", dir.display())
            },
            hint: "run it in a folder you can write to, or pass --dir PATH (INCIDENT_DIR) for the team's workspace".into(),
        }),
    }
}

/// Tell the user where the walk ended and what is really left, each with its command.
fn report_end(
    ctx: &Context,
    catalog: &Catalog,
    incident: &Incident,
    end: WalkEnd,
    dry_run: bool,
) -> Result<()> {
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
    let id = &incident.id;
    let path = ctx.workspace.record_path(id);
    let done = incident.steps_done();
    let headline = match end {
        WalkEnd::Finished => format!("{id} — all six steps done. Record: {}", path.display()),
        WalkEnd::StoppedBefore(step) => format!(
            "{id} — {done}/6 steps done; stopped before {step} (no answers for it). Record: {}",
            path.display()
        ),
        WalkEnd::Paused(step) => format!(
            "{id} — {done}/6 steps done and saved; stopped before {step}. Record: {}",
            path.display()
        ),
    };
    let policy = catalog
        .get(&incident.kind)
        .map_or(crate::runbook::ApologyPolicy::Recommended, |r| {
            r.apology.policy
        });
    let left = left_to_do(incident, &ctx.clocks(catalog, incident), policy);
    let end = format!(
        "{headline}\nWhat is left, in order:\n{}",
        todo_text(&left).trim_end()
    );
    crate::outln!("{}", super::output::for_stdout(&end))
}

fn missing(field: &str, flag: &str, what: &str) -> Error {
    Error::Usage {
        message: format!("no {field} given and no terminal to ask on"),
        hint: format!("pass {flag} or set `{field}:` in the answers file ({what})"),
    }
}
