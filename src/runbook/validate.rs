//! Checking a runbook as it is loaded: every field a person wrote, with the file, line and a
//! hint for each mistake; then the questions every runbook asks are added.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use super::catalog::{EMAIL_TEMPLATES, LOCALES, SUBJECT};
use super::model::{ApologyPolicy, Question, QuestionType, Runbook, StepGuide};
use crate::error::{Error, Result};
use crate::incident::{DISCOVERED_AT, Step};
use crate::yaml_lines::{error_line, error_message, locate};

/// Parse and validate one runbook file, adding the questions every runbook asks.
pub fn parse(path: &Path, text: &str) -> Result<Runbook> {
    let mut runbook: Runbook = serde_yaml::from_str(text).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        line: error_line(&e),
        message: error_message(&e),
        hint: "compare with `incident runbooks KIND --format json` or a runbook written by `incident init`"
            .into(),
    })?;
    let file = File { path, text };
    file.check_identity(&runbook)?;
    file.check_email(&runbook)?;
    for step in Step::ALL {
        file.check_step(step, runbook.steps.get(step))?;
    }
    file.add_required_questions(&mut runbook)?;
    Ok(runbook)
}

/// The runbook file being checked, to name its lines in errors.
struct File<'a> {
    path: &'a Path,
    text: &'a str,
}

impl File<'_> {
    /// An error at the line of the last of `keys`.
    fn fail(&self, keys: &[&str], message: String, hint: &str) -> Error {
        self.fail_at(locate(self.text, keys), message, hint)
    }

    fn fail_at(&self, line: Option<usize>, message: String, hint: &str) -> Error {
        Error::Invalid {
            path: self.path.to_path_buf(),
            line,
            message,
            hint: hint.to_string(),
        }
    }

    /// The kind, named after its file; a title, a summary, the apology's reason.
    fn check_identity(&self, runbook: &Runbook) -> Result<()> {
        if !is_kebab(&runbook.kind) {
            return Err(self.fail(
                &["kind"],
                format!(
                    "kind {:?} must be lowercase words joined by dashes",
                    runbook.kind
                ),
                "e.g. kind: wrong-segment",
            ));
        }
        let stem = self
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if stem != runbook.kind {
            return Err(self.fail(
                &["kind"],
                format!(
                    "kind {:?} does not match the file name {stem:?}",
                    runbook.kind
                ),
                "name the file after the kind it defines, e.g. runbooks/wrong-segment.yaml",
            ));
        }
        for (field, value) in [("title", &runbook.title), ("summary", &runbook.summary)] {
            if value.trim().is_empty() {
                return Err(self.fail(
                    &[field],
                    format!("{field} is empty"),
                    "say it in a few words",
                ));
            }
        }
        if runbook.apology.reason.trim().is_empty() {
            return Err(self.fail(
                &["apology", "reason"],
                "apology.reason is empty".into(),
                "say why the apology is required, recommended or never sent",
            ));
        }
        Ok(())
    }

    /// A known body family, the breach notice for a kind with legal clocks, and a subject
    /// suggestion in every locale.
    fn check_email(&self, runbook: &Runbook) -> Result<()> {
        let template = runbook.email.template.as_str();
        if !EMAIL_TEMPLATES.contains(&template) {
            return Err(self.fail(
                &["email", "template"],
                format!(
                    "email.template {template:?} is unknown; expected one of: {}",
                    EMAIL_TEMPLATES.join(", ")
                ),
                "mistake for an apology, breach for a data-breach notice",
            ));
        }
        // A kind with legal clocks is a data breach: its notice must carry the protective
        // steps and the legal elements, which only the breach template has.
        if runbook.legal_clocks && template != "breach" {
            return Err(self.fail(
                &["email", "template"],
                format!(
                    "email.template {template:?} with legal_clocks: true; a kind with legal clocks sends the breach notice"
                ),
                "set email.template: breach, or legal_clocks: false if no personal data was exposed",
            ));
        }
        for locale in LOCALES {
            let ok = runbook
                .email
                .subjects
                .get(locale)
                .is_some_and(|s| s.iter().any(|x| !x.trim().is_empty()));
            if !ok {
                return Err(self.fail(
                    &["email", "subjects"],
                    format!("email.subjects has no suggestion for locale {locale:?}"),
                    "give at least one subject per locale: en and nl",
                ));
            }
        }
        Ok(())
    }

    /// Guidance, and questions with snake_case ids of their own, skip rules that name earlier
    /// questions, and settings that fit their type.
    fn check_step(&self, step: Step, guide: &StepGuide) -> Result<()> {
        if guide.guidance.trim().is_empty() {
            return Err(self.fail(
                &["steps", step.key(), "guidance"],
                format!("steps.{step}.guidance is empty"),
                "tell the on-call marketer what to do in this step",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for q in &guide.questions {
            let at = |message: String, hint: &str| {
                let line = locate(self.text, &["steps", step.key(), &format!("id: {}", q.id)])
                    .or_else(|| locate(self.text, &["steps", step.key()]));
                self.fail_at(line, message, hint)
            };
            if !is_snake(&q.id) {
                return Err(at(
                    format!("steps.{step}: question id {:?} must be snake_case", q.id),
                    "e.g. id: affected_count",
                ));
            }
            if !seen.insert(q.id.clone()) {
                return Err(at(
                    format!("steps.{step}: question id {:?} appears twice", q.id),
                    "give every question of a step its own id",
                ));
            }
            check_skip_if(guide, q).map_err(|m| {
                at(
                    format!("steps.{step}.{}: {m}", q.id),
                    "e.g. skip_if: {compensation: none}, naming an earlier question of the step",
                )
            })?;
            check_question(q).map_err(|m| {
                at(
                    format!("steps.{step}.{}: {m}", q.id),
                    "compare with a built-in question: `incident runbooks KIND --format json`",
                )
            })?;
        }
        Ok(())
    }

    /// When the team became aware (own) and the apology's subject (inform): every runbook
    /// asks them, first in their step unless it asks them already.
    fn add_required_questions(&self, runbook: &mut Runbook) -> Result<()> {
        add_required_question(
            runbook.steps.get_mut(Step::Own),
            discovered_at(runbook.legal_clocks),
        )
        .map_err(|m| {
            self.fail(
                &["steps", "own", DISCOVERED_AT],
                m,
                "declare it as type: datetime",
            )
        })?;
        let subject = subject(runbook);
        add_required_question(runbook.steps.get_mut(Step::Inform), subject)
            .map_err(|m| self.fail(&["steps", "inform", SUBJECT], m, "declare it as type: text"))
    }
}

fn discovered_at(legal_clocks: bool) -> Question {
    // Only a kind with legal clocks has deadlines that run from this moment.
    let help = if legal_clocks {
        "Legal clocks and the key durations run from this moment."
    } else {
        "The key durations (to stop the send, to inform the people affected) run from this moment."
    };
    Question {
        id: DISCOVERED_AT.into(),
        kind: QuestionType::Datetime,
        prompt: "When did the team become aware of the problem?".into(),
        help: Some(help.into()),
        required: true,
        default: Some(Value::String("now".into())),
        choices: Vec::new(),
        action_type: None,
        integer: false,
        at_close: false,
        single_line: false,
        skip_if: BTreeMap::new(),
    }
}

fn subject(runbook: &Runbook) -> Question {
    let suggestion = runbook
        .email
        .subjects
        .get("en")
        .and_then(|s| s.first())
        .cloned();
    Question {
        id: SUBJECT.into(),
        kind: QuestionType::Text,
        prompt: "Subject line of the apology".into(),
        help: Some("Clear and plain: say what happened, no humour, no \"Re:\".".into()),
        // Where the policy is never to apologize, the subject only matters after an override.
        required: runbook.apology.policy != ApologyPolicy::Never,
        default: suggestion.map(Value::String),
        choices: Vec::new(),
        action_type: None,
        integer: false,
        at_close: false,
        // A subject is one header line: a line break in it could forge headers.
        single_line: true,
        skip_if: BTreeMap::new(),
    }
}

/// Put a question every runbook must ask first in its step, unless the runbook asks it already
/// with the same type.
fn add_required_question(guide: &mut StepGuide, question: Question) -> Result<(), String> {
    match guide.questions.iter_mut().find(|q| q.id == question.id) {
        Some(existing) if existing.kind != question.kind => Err(format!(
            "question {:?} must be of type {}, not {}",
            question.id, question.kind, existing.kind
        )),
        Some(existing) => {
            existing.single_line |= question.single_line;
            Ok(())
        }
        None => {
            guide.questions.insert(0, question);
            Ok(())
        }
    }
}

fn check_question(q: &Question) -> Result<(), String> {
    if q.prompt.trim().is_empty() {
        return Err("prompt is empty".into());
    }
    match (q.kind, q.choices.is_empty()) {
        (QuestionType::Choice, true) => return Err("a choice question needs choices".into()),
        (QuestionType::Choice, false) => {}
        (_, false) => {
            return Err(format!(
                "choices only fit a choice question, not {}",
                q.kind
            ));
        }
        (_, true) => {}
    }
    if q.action_type.is_some() && q.kind != QuestionType::Actions {
        return Err("action_type only fits an actions question".into());
    }
    if q.integer && q.kind != QuestionType::Number {
        return Err("integer only fits a number question".into());
    }
    if let Some(default) = &q.default {
        let now = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        q.parse_value(default, now)
            .map_err(|m| format!("the default does not fit: {m}"))?;
    }
    Ok(())
}

/// A `skip_if` names earlier questions of the same step, with answers they can take.
fn check_skip_if(guide: &StepGuide, q: &Question) -> Result<(), String> {
    for (id, value) in &q.skip_if {
        let position = |id: &str| guide.questions.iter().position(|x| x.id == id);
        let Some(other) = guide
            .question(id)
            .filter(|_| position(id) < position(&q.id))
        else {
            return Err(format!(
                "skip_if names {id:?}, which is not an earlier question of this step"
            ));
        };
        other
            .parse_value(value, chrono::DateTime::<chrono::Utc>::UNIX_EPOCH)
            .map_err(|m| format!("skip_if: {m}"))?;
    }
    Ok(())
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_snake(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// What a workspace runbook does to the questions the apology and the report read: one it
/// asks with another type, or one it leaves out that its built-in runbook (or, for a new kind,
/// every built-in runbook with its email family) asks. Each would silently empty a sentence of
/// the apology or a section of the report.
pub fn known_question_problems(
    path: &Path,
    text: &str,
    runbook: &Runbook,
    built_in: &[Runbook],
) -> Vec<Error> {
    let file = File { path, text };
    let same_kind = built_in.iter().find(|b| b.kind == runbook.kind);
    let reference: Vec<&Runbook> = match same_kind {
        Some(b) => vec![b],
        None => built_in
            .iter()
            .filter(|b| b.email.template == runbook.email.template)
            .collect(),
    };
    let mut problems = Vec::new();
    for q in crate::incident::known::ALL {
        let guide = runbook.steps.get(q.step);
        match guide.question(q.id) {
            // A plain number where money is read is an amount in the brand's currency.
            Some(asked) if asked.kind == QuestionType::Number && q.kind == QuestionType::Money => {}
            Some(asked) if asked.kind != q.kind => problems.push(file.fail_at(
                locate(text, &["steps", q.step.key(), &format!("id: {}", q.id)]),
                format!(
                    "steps.{}.{} is a {} question, but {} reads it as {}",
                    q.step, q.id, asked.kind, q.read_by, q.kind
                ),
                &format!("declare it as type: {}", q.kind),
            )),
            Some(_) => {}
            None if !reference.is_empty()
                && reference
                    .iter()
                    .all(|r| r.steps.get(q.step).question(q.id).is_some()) =>
            {
                problems.push(file.fail(
                    &["steps", q.step.key()],
                    format!(
                        "steps.{} does not ask {:?}, which {} reads",
                        q.step, q.id, q.read_by
                    ),
                    &format!(
                        "keep the question (id: {}, type: {}) under steps.{}; `incident runbooks {} --format json` shows the built-in one",
                        q.id, q.kind, q.step, runbook.kind
                    ),
                ));
            }
            None => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{BUILT_IN, Catalog};

    fn built_ins() -> Vec<Runbook> {
        let catalog = Catalog::load(Path::new("/nonexistent")).expect("built-ins");
        catalog.entries().map(|e| e.runbook.clone()).collect()
    }

    fn text(kind: &str) -> String {
        BUILT_IN
            .iter()
            .find(|(file, _)| file.strip_suffix(".yaml") == Some(kind))
            .map(|(_, text)| text.to_string())
            .expect("built-in")
    }

    fn problems(kind: &str, text: &str) -> Vec<String> {
        let path = Path::new("runbooks").join(format!("{kind}.yaml"));
        let runbook = parse(&path, text).expect("parses");
        known_question_problems(&path, text, &runbook, &built_ins())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_built_in_runbook_asks_the_known_questions_as_they_are_read() {
        for rb in built_ins() {
            assert_eq!(
                problems(&rb.kind, &text(&rb.kind)),
                Vec::<String>::new(),
                "{}",
                rb.kind
            );
        }
    }

    #[test]
    fn a_renamed_or_retyped_question_is_reported_with_its_line() {
        let renamed = text("wrong-segment").replace("id: what_happened", "id: what_went_on");
        let found = problems("wrong-segment", &renamed);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("steps.inform does not ask \"what_happened\", which the apology's first paragraph reads"),
            "{found:?}"
        );
        let retyped = text("data-breach").replacen(
            "id: measures\n        type: list",
            "id: measures\n        type: text",
            1,
        );
        let found = problems("data-breach", &retyped);
        assert_eq!(found.len(), 1, "{found:?}");
        let line = retyped
            .lines()
            .position(|l| l.trim() == "- id: measures")
            .expect("line")
            + 1;
        assert!(
            found[0].starts_with(&format!(
                "runbooks/data-breach.yaml:{line}: steps.inform.measures is a text question"
            )),
            "{found:?}"
        );
        // A new kind is held to what every built-in runbook of its family asks.
        let new_kind = text("duplicate-send")
            .replace("kind: duplicate-send", "kind: triple-send")
            .replace("id: what_happened", "id: what_went_on");
        let found = problems("triple-send", &new_kind);
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
