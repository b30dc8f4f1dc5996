//! `incident close`: the end of an incident. It asks the retrospective the walk left for the
//! end (what went well, what went wrong, where we got lucky, how long to watch), and closes
//! with care: a legal clock not met, an open action item or critical deliverability needs a
//! yes at a terminal, or `--force "reason"` in a script, and the reason is kept.

use indexmap::IndexMap;

use crate::cli::CloseArgs;
use crate::error::{Error, Result};
use crate::incident::legal::ClockStatus;
use crate::incident::{Answer, Incident, Status, Step, already_closed};
use crate::monitor::{self, Level};
use crate::present::clock_phrase;
use crate::runbook::{Catalog, Runbook};
use crate::store::Store;
use crate::walk::{self, AnswersFile, Prompter};

use super::{Context, actor_on, checked_line, is_interactive, parse_id};

/// `incident close`.
pub fn run(ctx: &Context, args: CloseArgs) -> Result<()> {
    let id = parse_id(&args.id)?;
    let store = Store::new(&ctx.workspace);
    // Fail on a bad ID or a closed incident before asking anything.
    let current = store.load(&id)?;
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if current.status == Status::Closed {
        return Err(already_closed(&id.to_string()));
    }
    let runbook = catalog.get(&current.kind)?;
    let from_stdin = args.answers.as_deref() == Some(std::path::Path::new("-"));
    let mut prompter = walk::prompter(
        is_interactive(false, from_stdin),
        &ctx.workspace,
        ctx.color,
        ctx.clock,
    );
    let concerns = concerns_of(ctx, &catalog, &current);
    let forced = confirm_close(ctx, &args, &current, &concerns, prompter.as_mut())?;
    let lessons = retrospective(ctx, &args, runbook, &current, prompter.as_mut())?;
    let resolution = resolution(&args, &current, prompter.as_mut())?;
    let by = actor_on(args.by.as_deref(), &current)?;
    let now = ctx.clock.now();
    let (incident, pending) = store.update(&id, |incident| {
        incident.record_retrospective(lessons, &by, now);
        if let Some(reason) = &forced {
            incident.record_forced_close(&concerns, reason, &by, now);
        }
        incident.close(&resolution, &by, now)
    })?;
    if !pending.is_empty() {
        let keys: Vec<_> = pending.iter().map(|s| s.key()).collect();
        ctx.warn(&format!(
            "warning: closed with steps pending: {}",
            keys.join(", ")
        ));
    }
    // As they stand now it is closed: a notification still owed is now missed.
    for concern in concerns_of(ctx, &catalog, &incident) {
        ctx.warn(&format!("warning: {concern}"));
    }
    ctx.status(&format!("{} closed.", incident.id));
    Ok(())
}

/// What should stop a close, each as a phrase: legal clocks not met, open action items, a
/// critical deliverability checkpoint.
fn concerns_of(ctx: &Context, catalog: &Catalog, incident: &Incident) -> Vec<String> {
    let now = ctx.clock.now();
    let mut concerns = Vec::new();
    for state in ctx.clocks(catalog, incident) {
        let unrecorded = state.status == ClockStatus::Missed && state.notified_at.is_none();
        if state.is_open() || unrecorded {
            concerns.push(format!(
                "legal clock {} ({}) {}",
                state.id,
                state.notify,
                clock_phrase(&state, now)
            ));
        }
    }
    let open = incident.action_items().filter(|a| a.done.is_none()).count();
    if open > 0 {
        concerns.push(format!("{open} action item(s) still open"));
    }
    let section = &incident.steps.monitor;
    let thresholds = &ctx.workspace.config.thresholds;
    if let Some(last) = section.checkpoints.last()
        && monitor::judge(last, section.baseline.as_ref(), thresholds).level == Level::Critical
    {
        concerns.push(format!(
            "deliverability critical at the latest checkpoint ({})",
            last.date
        ));
    }
    concerns
}

/// With concerns: a yes at the terminal, or `--force "reason"`. Returns the reason forced
/// with, if any.
fn confirm_close(
    ctx: &Context,
    args: &CloseArgs,
    incident: &Incident,
    concerns: &[String],
    prompter: &mut dyn Prompter,
) -> Result<Option<String>> {
    if concerns.is_empty() {
        return Ok(None);
    }
    if let Some(reason) = &args.force {
        return checked_line("--force", reason).map(Some);
    }
    let id = &incident.id;
    let refused = || Error::State {
        message: format!("{id} was not closed: {}", concerns.join("; ")),
        hint: format!(
            "deal with them first, or close anyway with `incident close {id} --force \"why\"` (the reason is kept)"
        ),
    };
    if !prompter.is_interactive() {
        return Err(refused());
    }
    for concern in concerns {
        ctx.warn(&format!("{id} has {concern}"));
    }
    match prompter.confirm("Close it anyway?", false)? {
        Some(true) => {
            let reason = prompter.line("Why close it now (kept in the record)?", None)?;
            reason
                .ok_or_else(refused)
                .and_then(|r| checked_line("the reason", &r))
                .map(Some)
        }
        _ => Err(refused()),
    }
}

/// The questions the runbook leaves for the end (`at_close`), not answered yet: from
/// `--answers` (its `monitor:` section), else asked at the terminal.
fn retrospective(
    ctx: &Context,
    args: &CloseArgs,
    runbook: &Runbook,
    incident: &Incident,
    prompter: &mut dyn Prompter,
) -> Result<IndexMap<String, Answer>> {
    let file = args.answers.as_deref().map(AnswersFile::read).transpose()?;
    let given = match &file {
        Some(file) => file.typed(runbook, ctx.clock.now())?,
        None => Default::default(),
    };
    let from_file = given.get(&Step::Monitor);
    let answered = &incident.steps.monitor.answers;
    let mut lessons = IndexMap::new();
    for question in runbook
        .steps
        .get(Step::Monitor)
        .questions
        .iter()
        .filter(|q| q.at_close)
    {
        if answered.contains_key(&question.id) {
            continue;
        }
        let answer = match from_file.and_then(|f| f.get(&question.id)) {
            Some(answer) => Some(answer.clone()),
            None => prompter.ask(Step::Monitor, question, None)?,
        };
        if let Some(answer) = answer {
            lessons.insert(question.id.clone(), answer);
        }
    }
    Ok(lessons)
}

/// How it ended: `--resolution`, else asked.
fn resolution(
    args: &CloseArgs,
    incident: &Incident,
    prompter: &mut dyn Prompter,
) -> Result<String> {
    let id = &incident.id;
    let text = match &args.resolution {
        Some(text) => text.clone(),
        None => prompter
            .line("Resolution (how did it end?)", None)?
            .ok_or_else(|| Error::Usage {
                message: "no resolution given and no terminal to ask on".into(),
                hint: format!(
                    "pass --resolution \"…\", e.g. incident close {id} --resolution \"Apology sent; filter fixed\""
                ),
            })?,
    };
    checked_line("the resolution", &text)
}
