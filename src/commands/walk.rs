//! Walking the pending steps of a record, shared by `open` and `resume`: scripted (all answers
//! checked first, then saved step by step) or at the terminal (saved after every step).

use crate::error::{Error, Result};
use crate::incident::{Incident, Step};
use crate::runbook::Runbook;
use crate::store::{Store, to_yaml};
use crate::walk::{AnswersFile, Prompter, StepAnswers, TerminalPrompter, Walk, WalkEnd};

use super::Context;

/// How the answers come in.
pub struct WalkMode<'a> {
    pub answers: Option<&'a AnswersFile>,
    pub interactive: bool,
    pub dry_run: bool,
    pub by: &'a str,
}

/// The answers file checked against the runbook: unknown keys and wrong types fail here.
pub fn typed_answers(ctx: &Context, runbook: &Runbook, mode: &WalkMode<'_>) -> Result<StepAnswers> {
    match mode.answers {
        Some(file) => file.typed(runbook, ctx.clock.now()),
        None => Ok(StepAnswers::new()),
    }
}

/// Walk the record's pending steps, saving each one (unless dry run). Returns the record as it
/// ends up and how the walk ended.
pub fn walk_pending(
    ctx: &Context,
    runbook: &Runbook,
    mut incident: Incident,
    mode: &WalkMode<'_>,
    given: &StepAnswers,
) -> Result<(Incident, WalkEnd)> {
    let now = ctx.clock.now();
    let walk = Walk {
        runbook,
        workspace: &ctx.workspace,
        given,
        sections: Step::ALL
            .into_iter()
            .filter(|s| mode.answers.is_some_and(|f| f.has_step(*s)))
            .collect(),
        now,
        audience_affected: incident.steps.assess.audience.as_ref().map(|a| a.affected),
    };
    let store = Store::new(&ctx.workspace);
    let save = |incident: &mut Incident, step: Step, answers| -> Result<()> {
        if mode.dry_run {
            incident.complete_step(step, answers, mode.by, now);
            return Ok(());
        }
        let (saved, ()) = store.update(&incident.id, |fresh| {
            if fresh.steps.get(step).is_done() {
                return Err(Error::State {
                    message: format!(
                        "step {step} of {} was completed meanwhile by {}",
                        fresh.id,
                        fresh
                            .steps
                            .get(step)
                            .by
                            .as_deref()
                            .unwrap_or("someone else")
                    ),
                    hint: format!("`incident show {}` shows the record as it is now", fresh.id),
                });
            }
            fresh.complete_step(step, answers, mode.by, now);
            Ok(())
        })?;
        *incident = saved;
        Ok(())
    };

    if !mode.interactive {
        let (planned, end) = walk.plan_scripted(&incident)?;
        for (step, answers) in planned {
            save(&mut incident, step, answers)?;
        }
        return Ok((incident, end));
    }

    let mut prompter = TerminalPrompter::new(ctx.color, ctx.workspace.tz, ctx.clock);
    while let Some(step) = incident.next_step() {
        let answers = walk
            .ask_step(step, incident.severity, &mut prompter as &mut dyn Prompter)
            .map_err(|err| match err {
                Error::Interrupted { .. } if mode.dry_run => Error::Interrupted {
                    message: "Dry run: nothing was written.".into(),
                    hint: String::new(),
                },
                Error::Interrupted { .. } => Error::Interrupted {
                    message: format!(
                        "{} keeps every finished step ({}/6 done).",
                        incident.id,
                        incident.steps_done()
                    ),
                    hint: format!("continue with `incident resume {}`", incident.id),
                },
                other => other,
            })?;
        save(&mut incident, step, answers)?;
        prompter.say(&format!(
            "✓ {}. {} saved{}",
            step.number(),
            step.title(),
            if mode.dry_run {
                " (dry run: not written)"
            } else {
                ""
            }
        ))?;
    }
    Ok((incident, WalkEnd::Finished))
}

/// Tell the user where the walk ended and what comes next.
pub fn report_end(ctx: &Context, incident: &Incident, end: WalkEnd, dry_run: bool) -> Result<()> {
    if dry_run {
        crate::out!("{}", to_yaml(incident))?;
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

/// Ctrl-C at a prompt arrives as an interrupted read, which the walk turns into a message
/// saying what was kept. The handler only gives the cursor back, which a prompt may have hidden;
/// it never exits, so the prompt's own error path always gets to speak.
pub fn install_interrupt_handler() {
    // Only one handler can be installed per process; a second call keeps the first.
    let _ = ctrlc::set_handler(|| {
        let _ = dialoguer::console::Term::stderr().show_cursor();
    });
}
