//! The six-step walk: one engine over a [`Prompter`]. For each pending step, in order, the
//! answers come from the answers file and, where it is silent, from the prompter: a person at
//! a terminal ([`TerminalPrompter`]) or nobody ([`ScriptedPrompter`]), in which case a
//! required answer without a default is an error. [`run`] saves the record after every step.

mod answers;
mod scripted;
mod terminal;

pub use answers::{AnswersFile, StepAnswers};
pub use scripted::ScriptedPrompter;
pub use terminal::{TerminalPrompter, install_interrupt_handler};

use chrono::{DateTime, Utc};
use indexmap::IndexMap;

use crate::error::{Error, Result};
use crate::incident::{Answer, Clock, Incident, Severity, Step};
use crate::runbook::{LOCALE, Question, QuestionType, Runbook, SUBJECT, StepGuide};
use crate::store::Store;
use crate::workspace::Workspace;

/// Something that can answer questions: a person at a terminal, or nobody.
pub trait Prompter {
    /// Whether a person answers (a walk then saves step by step as it goes).
    fn is_interactive(&self) -> bool;

    /// Show what the step is for, who carries it, the guidance and the checklist.
    fn begin_step(&mut self, brief: &StepBrief<'_>) -> Result<()>;

    /// Show an answer taken from the answers file instead of asking.
    fn given(&mut self, question: &Question, answer: &Answer) -> Result<()>;

    /// Ask one question of `step`; `None` leaves an optional question unanswered.
    fn ask(
        &mut self,
        step: Step,
        question: &Question,
        default: Option<&Answer>,
    ) -> Result<Option<Answer>>;

    /// Ask for one line of text outside the steps (a title, a name, a resolution); `None`
    /// when nobody is there to answer.
    fn line(&mut self, prompt: &str, default: Option<&str>) -> Result<Option<String>>;

    /// Ask for one line that may be left empty; `None` when it is, or nobody is there.
    fn optional_line(&mut self, prompt: &str) -> Result<Option<String>>;

    /// Pick one of `items`, `default` first; `None` when nobody is there to choose.
    fn pick(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>>;

    /// Pick one of many, narrowing the list as one types; `None` when nobody is there.
    fn find(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>> {
        self.pick(prompt, items, default)
    }

    /// Ask yes or no; `None` when nobody is there to answer.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<Option<bool>>;

    /// Tell the person something between prompts.
    fn say(&mut self, line: &str) -> Result<()>;
}

/// The prompter for this run: the terminal when a person is there, else nobody.
pub fn prompter(
    interactive: bool,
    workspace: &Workspace,
    color: bool,
    clock: crate::incident::Clock,
) -> Box<dyn Prompter> {
    if interactive {
        install_interrupt_handler();
        let locale = workspace.config.locale.as_deref().unwrap_or("en");
        Box::new(TerminalPrompter::new(color, workspace.tz, locale, clock))
    } else {
        Box::new(ScriptedPrompter)
    }
}

/// What is shown at the start of a step.
pub struct StepBrief<'a> {
    pub step: Step,
    pub guide: &'a StepGuide,
    /// The guidance and the checklist, with the incident's real ID in every command.
    pub guidance: String,
    pub checklist: Vec<String>,
    /// "Marketing (Dana Smit) + Leadership".
    pub responsible: String,
    /// Roles to bring in at this severity, and who takes charge (stop step only).
    pub escalation: Option<String>,
}

/// A step with its answers, ready to be saved.
pub type CompletedStep = (Step, IndexMap<String, Answer>);

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkEnd {
    /// All six steps are done.
    Finished,
    /// Scripted, and the answers file has nothing for this step: continue with `resume`.
    StoppedBefore(Step),
    /// The person chose to save and stop before this step.
    Paused(Step),
}

/// The work a walk offers to do on the spot, done by the commands that own it: computing the
/// affected audience at the assess step, rendering and checking the apology after inform.
pub trait Tasks {
    /// Offer to compute the audience now; the record as it is after, or `None` when skipped.
    fn audience(
        &self,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<Option<Incident>>;

    /// Offer to render and check the apology now; the record as it is after, or `None`.
    fn apology(&self, incident: &Incident, prompter: &mut dyn Prompter)
    -> Result<Option<Incident>>;
}

/// Everything a walk needs besides the record.
pub struct Walk<'a> {
    pub runbook: &'a Runbook,
    pub workspace: &'a Workspace,
    pub given: &'a StepAnswers,
    /// Which steps the answers file has a section for (a section may be empty).
    pub sections: Vec<Step>,
    /// Read at each step's end: a step is stamped when it is saved, not when the walk began.
    pub clock: Clock,
    /// What the walk can do on the spot; `None` in a scripted walk.
    pub tasks: Option<&'a dyn Tasks>,
}

impl Walk<'_> {
    /// Answer one step: its brief, then its questions.
    pub fn answer_step(
        &self,
        step: Step,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<IndexMap<String, Answer>> {
        self.brief(step, incident, prompter)?;
        self.questions(step, incident, prompter)
    }

    /// Show what the step is for, who carries it, the guidance and the checklist.
    fn brief(&self, step: Step, incident: &Incident, prompter: &mut dyn Prompter) -> Result<()> {
        let severity = incident.severity;
        let guide = self.runbook.steps.get(step);
        let with_id = |text: &str| with_id(text, &incident.id.to_string());
        prompter.begin_step(&StepBrief {
            step,
            guide,
            guidance: with_id(&guide.guidance),
            checklist: guide.checklist.iter().map(|c| with_id(c)).collect(),
            responsible: step
                .responsible()
                .iter()
                .map(|r| self.workspace.role_label(*r))
                .collect::<Vec<_>>()
                .join(" + "),
            escalation: (step == Step::Stop).then(|| self.escalation(severity)),
        })
    }

    /// A step's answers: from the answers file where it answers, else from the prompter.
    fn questions(
        &self,
        step: Step,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<IndexMap<String, Answer>> {
        let guide = self.runbook.steps.get(step);
        let given = self.given.get(&step);
        let mut answers = IndexMap::new();
        for question in &guide.questions {
            if let Some(answer) = given.and_then(|g| g.get(&question.id)) {
                prompter.given(question, answer)?;
                answers.insert(question.id.clone(), answer.clone());
                continue;
            }
            if question.at_close || guide.is_skipped(question, &answers) {
                continue;
            }
            let default = self.default_for(question, incident);
            if let Some(answer) = prompter.ask(step, question, default.as_ref())? {
                answers.insert(question.id.clone(), answer);
            }
        }
        self.with_currency(guide, &mut answers);
        Ok(answers)
    }

    /// Money given without a currency is in the brand's (`[brand] currency`), when it has one.
    fn with_currency(&self, guide: &StepGuide, answers: &mut IndexMap<String, Answer>) {
        let Some(currency) = &self.workspace.config.brand.currency else {
            return;
        };
        let money = guide
            .questions
            .iter()
            .filter(|q| q.kind == QuestionType::Money);
        for question in money {
            let Some(answer) = answers.get_mut(&question.id) else {
                continue;
            };
            if let Some(amount) = answer.as_number().filter(|_| answer.as_money().is_none()) {
                *answer = Answer::Money(crate::incident::Money {
                    amount,
                    currency: Some(currency.clone()),
                });
            }
        }
    }

    /// Scripted: answer every pending step up front, so that a missing or wrong answer fails
    /// before anything is written. Returns the steps to complete, in order.
    pub fn plan_scripted(&self, incident: &Incident) -> Result<(Vec<CompletedStep>, WalkEnd)> {
        let pending: Vec<Step> = Step::ALL
            .into_iter()
            .filter(|s| !incident.steps.get(*s).is_done())
            .collect();
        let mut nobody = ScriptedPrompter;
        let mut planned = Vec::new();
        let mut end = WalkEnd::Finished;
        for step in pending {
            if !self.sections.contains(&step) {
                end = WalkEnd::StoppedBefore(step);
                break;
            }
            planned.push((step, self.answer_step(step, incident, &mut nobody)?));
        }
        if let WalkEnd::StoppedBefore(gap) = end {
            self.check_gap(gap, planned.is_empty(), incident)?;
        }
        Ok((planned, end))
    }

    /// A scripted walk that stops before `gap`: fine as a pause, not when it records nothing
    /// (a forgotten or empty answers file) or skips a step the file answers later.
    fn check_gap(&self, gap: Step, recorded_nothing: bool, incident: &Incident) -> Result<()> {
        if recorded_nothing {
            // Name the first answer it needs.
            self.answer_step(gap, incident, &mut ScriptedPrompter)?;
            return Err(Error::Answer {
                source_name: None,
                message: format!("no answers for step {gap}: the walk would record nothing"),
                hint: format!(
                    "pass --answers FILE with a `{gap}:` section (it may be empty when {gap} needs no answers)"
                ),
            });
        }
        if let Some(later) = self.sections.iter().find(|s| **s > gap) {
            return Err(Error::Answer {
                source_name: None,
                message: format!(
                    "the answers have a section for {later} but none for {gap}; steps are walked in order"
                ),
                hint: format!(
                    "add a `{gap}:` section (it may be empty when {gap} needs no answers)"
                ),
            });
        }
        Ok(())
    }

    fn escalation(&self, severity: Severity) -> String {
        let esc = &self.runbook.escalation;
        let roles = esc.for_severity(severity);
        let mut text = if roles.is_empty() {
            format!("At {severity}: no escalation needed beyond the step's owners.")
        } else {
            format!(
                "At {severity}, bring in: {}.",
                roles
                    .iter()
                    .map(|r| self.workspace.role_label(*r))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let Some(lead) = esc.lead {
            text.push_str(&format!(
                " {} takes charge.",
                self.workspace.role_label(lead)
            ));
        }
        text
    }

    /// The runbook's default for a question, typed; `now` resolved by the clock. The
    /// affected subscribers counted by `incident audience` are the default of
    /// `affected_count`, so the record and `recipients.csv` agree.
    pub fn default_for(&self, question: &Question, incident: &Incident) -> Option<Answer> {
        if question.id == "affected_count"
            && question.kind == QuestionType::Number
            && let Some(audience) = &incident.steps.assess.audience
        {
            return Some(Answer::number(audience.affected as f64));
        }
        // A workspace that writes in another language (incident.toml `locale`) is offered the
        // apology in that language: its locale, and the runbook's subject for it.
        if let Some(locale) = self.workspace.config.locale.as_deref() {
            if question.id == SUBJECT
                && let Some(subject) = self
                    .runbook
                    .email
                    .subjects
                    .get(locale)
                    .and_then(|s| s.first())
            {
                return Some(Answer::Text(subject.clone()));
            }
            if question.id == LOCALE && question.choices.iter().any(|c| c == locale) {
                return Some(Answer::Text(locale.to_string()));
            }
        }
        let value = question.default.as_ref()?;
        question.parse_value(value, self.clock.now()).ok()
    }
}

/// A runbook's `incident email ID` with the real ID, so a command can be copied as shown.
fn with_id(text: &str, id: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("incident ") {
        let (before, command) = rest.split_at(at);
        out.push_str(before);
        // `incident` then one word (the command), then `ID` as a word of its own.
        let word_end = command["incident ".len()..]
            .find(|c: char| !c.is_ascii_lowercase())
            .map_or(command.len(), |e| e + "incident ".len());
        let (head, tail) = command.split_at(word_end);
        out.push_str(head);
        match tail.strip_prefix(" ID") {
            Some(after) if !after.starts_with(|c: char| c.is_alphanumeric() || c == '-') => {
                out.push(' ');
                out.push_str(id);
                rest = after;
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// How a walk is run: by whom, and whether anything is written.
pub struct Session<'a> {
    pub store: &'a Store<'a>,
    pub by: &'a str,
    pub dry_run: bool,
}

/// Walk the record's pending steps, saving each one (unless dry run). Scripted, every step is
/// answered before the first is saved; at the terminal, each is saved as soon as it is
/// answered. Returns the record as it ends up and how the walk ended.
pub fn run(
    walk: &Walk<'_>,
    session: &Session<'_>,
    mut incident: Incident,
    prompter: &mut dyn Prompter,
) -> Result<(Incident, WalkEnd)> {
    if !prompter.is_interactive() {
        let (planned, end) = walk.plan_scripted(&incident)?;
        for (step, answers) in planned {
            save(session, &mut incident, step, answers, walk.clock.now())?;
        }
        return Ok((incident, end));
    }
    let mut first = true;
    while let Some(step) = incident.next_step() {
        let kept = |err| interrupted(err, &incident, session.dry_run);
        // Every step after the first may wait: what is done is saved.
        if !first && !go_on(step, prompter).map_err(kept)? {
            return Ok((incident, WalkEnd::Paused(step)));
        }
        first = false;
        walk.brief(step, &incident, prompter).map_err(kept)?;
        if step == Step::Assess
            && incident.steps.assess.audience.is_none()
            && let Some(tasks) = walk.tasks.filter(|_| !session.dry_run)
            && let Some(updated) = tasks.audience(&incident, prompter).map_err(kept)?
        {
            incident = updated;
        }
        let answers = walk
            .questions(step, &incident, prompter)
            .map_err(|err| interrupted(err, &incident, session.dry_run))?;
        save(session, &mut incident, step, answers, walk.clock.now())?;
        let note = if session.dry_run {
            " (dry run: not written)"
        } else {
            ""
        };
        prompter.say(&format!(
            "✓ {}. {} saved{note}",
            step.number(),
            step.title()
        ))?;
        if step == Step::Inform
            && let Some(tasks) = walk.tasks.filter(|_| !session.dry_run)
            && let Some(updated) = tasks
                .apology(&incident, prompter)
                .map_err(|err| interrupted(err, &incident, false))?
        {
            incident = updated;
        }
    }
    Ok((incident, WalkEnd::Finished))
}

/// Before a step: go on, or save and stop here.
fn go_on(step: Step, prompter: &mut dyn Prompter) -> Result<bool> {
    let items = [
        format!("Go on with step {}/6 · {}", step.number(), step.title()),
        "Save and stop here (resume later)".to_string(),
    ];
    Ok(prompter.pick("Next", &items, 0)? != Some(1))
}

/// Complete a step on the record, and save it unless this is a dry run.
fn save(
    session: &Session<'_>,
    incident: &mut Incident,
    step: Step,
    answers: IndexMap<String, Answer>,
    at: DateTime<Utc>,
) -> Result<()> {
    if session.dry_run {
        incident.complete_step(step, answers, session.by, at);
        return Ok(());
    }
    let (saved, ()) = session.store.update(&incident.id, |fresh| {
        fresh.complete_pending_step(step, answers, session.by, at)
    })?;
    *incident = saved;
    Ok(())
}

/// Ctrl-C at a prompt: say what was kept and how to go on.
fn interrupted(err: Error, incident: &Incident, dry_run: bool) -> Error {
    match err {
        Error::Interrupted { .. } if dry_run => Error::Interrupted {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{IncidentId, Opening};
    use crate::runbook::Catalog;
    use chrono::TimeZone;
    use std::collections::VecDeque;

    /// A person who answers each question with the next answer of a script, and says what
    /// was asked.
    struct Fake {
        answers: VecDeque<Option<Answer>>,
        asked: Vec<String>,
        shown: Vec<String>,
    }

    impl Prompter for Fake {
        fn is_interactive(&self) -> bool {
            true
        }
        fn begin_step(&mut self, brief: &StepBrief<'_>) -> Result<()> {
            self.shown
                .push(format!("{}: {}", brief.step, brief.responsible));
            Ok(())
        }
        fn given(&mut self, q: &Question, _: &Answer) -> Result<()> {
            self.shown.push(format!("given {}", q.id));
            Ok(())
        }
        fn ask(&mut self, _: Step, q: &Question, _: Option<&Answer>) -> Result<Option<Answer>> {
            self.asked.push(q.id.clone());
            match self.answers.pop_front() {
                Some(answer) => Ok(answer),
                None => Err(Error::Interrupted {
                    message: String::new(),
                    hint: String::new(),
                }),
            }
        }
        fn line(&mut self, _: &str, _: Option<&str>) -> Result<Option<String>> {
            Ok(None)
        }
        fn pick(&mut self, _: &str, _: &[String], _: usize) -> Result<Option<usize>> {
            Ok(None)
        }
        fn confirm(&mut self, _: &str, _: bool) -> Result<Option<bool>> {
            Ok(None)
        }
        fn optional_line(&mut self, _: &str) -> Result<Option<String>> {
            Ok(None)
        }
        fn say(&mut self, line: &str) -> Result<()> {
            self.shown.push(line.to_string());
            Ok(())
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
            .single()
            .expect("time")
    }

    fn incident() -> Incident {
        Incident::open(
            IncidentId::new(now().date_naive(), 1),
            Opening {
                title: "VIP offer to all".into(),
                kind: "wrong-segment".into(),
                severity: Severity::Sev2,
                by: "dana".into(),
                drill: false,
                at: now(),
            },
        )
    }

    fn with<T>(given: &StepAnswers, sections: Vec<Step>, f: impl FnOnce(&Walk<'_>) -> T) -> T {
        let catalog = Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins");
        let runbook = catalog.get("wrong-segment").expect("runbook");
        let workspace = Workspace::with_defaults(std::path::Path::new("/nonexistent"));
        f(&Walk {
            runbook,
            workspace: &workspace,
            given,
            sections,
            clock: Clock::fixed(now()),
            tasks: None,
        })
    }

    #[test]
    fn a_person_is_asked_what_the_file_does_not_answer_and_skipped_questions_are_not_asked() {
        let mut given = StepAnswers::new();
        let mut plan = IndexMap::new();
        plan.insert("compensation".to_string(), Answer::Text("none".into()));
        given.insert(Step::Plan, plan);
        let (answers, fake) = with(&given, vec![], |walk| {
            let mut fake = Fake {
                answers: std::iter::repeat_n(None, 20).collect(),
                asked: vec![],
                shown: vec![],
            };
            let answers = walk
                .answer_step(Step::Plan, &incident(), &mut fake)
                .expect("answered");
            (answers, fake)
        });
        assert_eq!(answers.keys().collect::<Vec<_>>(), ["compensation"]);
        assert!(
            fake.shown.iter().any(|s| s == "given compensation"),
            "{:?}",
            fake.shown
        );
        assert!(!fake.asked.contains(&"compensation".to_string()));
        assert!(
            !fake.asked.contains(&"compensation_to".to_string()),
            "skipped after compensation: none: {:?}",
            fake.asked
        );
        assert!(
            fake.shown[0].starts_with("plan: Marketing + Leadership"),
            "{:?}",
            fake.shown
        );
    }

    #[test]
    fn ctrl_c_during_a_step_keeps_the_finished_steps_and_says_how_to_go_on() {
        let dir = tempfile::tempdir().expect("dir");
        let workspace = Workspace::with_defaults(dir.path());
        let store = Store::new(&workspace);
        let opening = Opening {
            title: "t".into(),
            kind: "wrong-segment".into(),
            severity: Severity::Sev2,
            by: "dana".into(),
            drill: false,
            at: now(),
        };
        let created = store.create(opening).expect("created");
        let catalog = Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins");
        let given = StepAnswers::new();
        let walk = Walk {
            runbook: catalog.get("wrong-segment").expect("runbook"),
            workspace: &workspace,
            given: &given,
            sections: vec![],
            clock: Clock::fixed(now()),
            tasks: None,
        };
        let session = Session {
            store: &store,
            by: "dana",
            dry_run: false,
        };
        // Enough answers for the own step (discovered_at, how_found, …), then Ctrl-C.
        let mut fake = Fake {
            answers: [
                Some(Answer::Text("2026-11-26T09:40:00Z".into())),
                Some(Answer::Text("internal-review".into())),
                None,
                None,
            ]
            .into_iter()
            .collect(),
            asked: vec![],
            shown: vec![],
        };
        let own = catalog
            .get("wrong-segment")
            .expect("rb")
            .steps
            .own
            .questions
            .len();
        fake.answers.truncate(own);
        let err = run(&walk, &session, created.clone(), &mut fake).unwrap_err();
        assert!(
            err.to_string().contains(&format!(
                "{} keeps every finished step (1/6 done)",
                created.id
            )),
            "{err}"
        );
        assert_eq!(
            err.hint().as_deref(),
            Some(&*format!("continue with `incident resume {}`", created.id))
        );
        let saved = store.load(&created.id).expect("saved");
        assert_eq!(saved.steps_done(), 1);
        assert!(fake.shown.iter().any(|s| s == "✓ 1. Own the problem saved"));
    }

    #[test]
    fn scripted_a_required_answer_without_a_default_names_step_and_question() {
        let err = with(&StepAnswers::new(), vec![Step::Own], |walk| {
            walk.plan_scripted(&incident()).unwrap_err()
        });
        let text = err.to_string();
        assert!(text.contains("missing required answer: step own"), "{text}");
        assert!(err.hint().is_some_and(|h| h.contains("under `own:`")));
    }

    #[test]
    fn scripted_a_gap_before_a_later_section_is_refused() {
        let mut given = StepAnswers::new();
        let mut own = IndexMap::new();
        own.insert(
            "how_found".to_string(),
            Answer::Text("internal-review".into()),
        );
        given.insert(Step::Own, own);
        let err = with(&given, vec![Step::Own, Step::Assess], |walk| {
            walk.plan_scripted(&incident()).unwrap_err()
        });
        assert!(
            err.to_string()
                .contains("the answers have a section for assess but none for stop"),
            "{err}"
        );
        let (planned, end) = with(&given, vec![Step::Own], |walk| {
            walk.plan_scripted(&incident()).expect("a pause is fine")
        });
        assert_eq!(planned.len(), 1);
        assert_eq!(end, WalkEnd::StoppedBefore(Step::Stop));
    }

    #[test]
    fn a_runbooks_commands_carry_the_real_id() {
        let id = "INC-20261126-001";
        assert_eq!(
            with_id(
                "Check it with `incident email ID --check`, then `incident email ID`.",
                id
            ),
            "Check it with `incident email INC-20261126-001 --check`, then `incident email INC-20261126-001`."
        );
        assert_eq!(
            with_id("Run `incident audience` first.", id),
            "Run `incident audience` first."
        );
        assert_eq!(with_id("incident show IDEA", id), "incident show IDEA");
    }
}
