//! The runbooks available in a workspace: the built-in ones embedded in the binary, overridden
//! or extended by the workspace's `runbooks/*.yaml`, each validated as it is loaded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::model::{Question, QuestionType, Runbook};
use crate::error::{Error, Result};
use crate::incident::{DISCOVERED_AT, Step};
use crate::yaml_lines::{error_line, error_message, locate};

/// The question every `inform` step asks: the apology's subject line.
pub const SUBJECT: &str = "subject";

/// The inform step's question for the apology's language, where a runbook asks it.
pub const LOCALE: &str = "locale";

/// The locales every runbook suggests subjects for.
pub const LOCALES: [&str; 2] = ["en", "nl"];

/// The email body families a runbook can choose.
pub const EMAIL_TEMPLATES: [&str; 2] = ["mistake", "breach"];

/// The built-in runbooks, by file name.
pub const BUILT_IN: [(&str, &str); 7] = [
    (
        "wrong-segment.yaml",
        include_str!("../../runbooks/wrong-segment.yaml"),
    ),
    (
        "broken-personalization.yaml",
        include_str!("../../runbooks/broken-personalization.yaml"),
    ),
    (
        "subject-line.yaml",
        include_str!("../../runbooks/subject-line.yaml"),
    ),
    (
        "malformed-message.yaml",
        include_str!("../../runbooks/malformed-message.yaml"),
    ),
    (
        "duplicate-send.yaml",
        include_str!("../../runbooks/duplicate-send.yaml"),
    ),
    (
        "suppression-list-send.yaml",
        include_str!("../../runbooks/suppression-list-send.yaml"),
    ),
    (
        "data-breach.yaml",
        include_str!("../../runbooks/data-breach.yaml"),
    ),
];

/// Where a runbook came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    BuiltIn,
    Workspace(PathBuf),
}

/// A loaded runbook and its origin.
#[derive(Debug, Clone)]
pub struct Entry {
    pub runbook: Runbook,
    pub source: Source,
}

/// A workspace runbook that does not load: the kind it was meant to define (its file name)
/// is unusable until it is fixed; every other kind works on.
#[derive(Debug, Clone)]
pub struct Broken {
    pub path: PathBuf,
    /// The load error as shown to the user (it names file, line and field).
    pub problem: String,
    pub hint: Option<String>,
}

/// Every runbook of a workspace, by kind.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: BTreeMap<String, Entry>,
    /// Broken workspace runbooks by the kind their file name gives. One typo in one runbook must
    /// not stop the on-call marketer from opening or reading an incident of another kind.
    broken: BTreeMap<String, Broken>,
}

impl Catalog {
    /// The built-in runbooks overridden by the `*.yaml` files of `dir` (a workspace's
    /// `runbooks/`, which may not exist).
    pub fn load(dir: &Path) -> Result<Catalog> {
        let mut entries = BTreeMap::new();
        for (file, text) in BUILT_IN {
            let runbook = parse(Path::new("runbooks").join(file).as_path(), text)?;
            entries.insert(
                runbook.kind.clone(),
                Entry {
                    runbook,
                    source: Source::BuiltIn,
                },
            );
        }
        let mut broken = BTreeMap::new();
        for path in workspace_files(dir)? {
            let loaded = std::fs::read_to_string(&path)
                .map_err(|e| Error::io("cannot read", &path, e))
                .and_then(|text| parse(&path, &text));
            match loaded {
                Ok(runbook) => {
                    entries.insert(
                        runbook.kind.clone(),
                        Entry {
                            runbook,
                            source: Source::Workspace(path),
                        },
                    );
                }
                Err(err) => {
                    let kind = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    // A broken override hides the built-in: running the built-in instead of the
                    // team's own runbook would be a silent surprise.
                    entries.remove(&kind);
                    broken.insert(
                        kind,
                        Broken {
                            path,
                            problem: err.to_string(),
                            hint: err.hint(),
                        },
                    );
                }
            }
        }
        Ok(Catalog { entries, broken })
    }

    /// The runbook for a kind, or an error listing the known kinds.
    pub fn get(&self, kind: &str) -> Result<&Runbook> {
        self.entry(kind).map(|e| &e.runbook)
    }

    /// Whether incidents of `kind` carry legal clocks (a data breach).
    pub fn has_legal_clocks(&self, kind: &str) -> bool {
        self.get(kind).is_ok_and(|r| r.legal_clocks)
    }

    /// The runbook and its origin for a kind.
    pub fn entry(&self, kind: &str) -> Result<&Entry> {
        if let Some(broken) = self.broken.get(kind) {
            return Err(Error::BrokenRunbook {
                kind: kind.to_string(),
                problem: broken.problem.clone(),
                hint: broken.hint.clone(),
            });
        }
        self.entries.get(kind).ok_or_else(|| Error::UnknownKind {
            kind: kind.to_string(),
            known: self.kinds().join(", "),
        })
    }

    /// All usable kinds, sorted.
    pub fn kinds(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// All usable entries, sorted by kind.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The workspace runbooks that do not load.
    pub fn broken(&self) -> impl Iterator<Item = &Broken> {
        self.broken.values()
    }
}

fn workspace_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let dir = dir.to_path_buf();
    let listing = match std::fs::read_dir(&dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot list", dir, e)),
    };
    let mut files = Vec::new();
    for entry in listing {
        let path = entry.map_err(|e| Error::io("cannot list", &dir, e))?.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if is_yaml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Parse and validate one runbook file, adding the questions every runbook asks.
pub fn parse(path: &Path, text: &str) -> Result<Runbook> {
    let mut runbook: Runbook = serde_yaml::from_str(text).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        line: error_line(&e),
        message: error_message(&e),
        hint: "compare with `incident runbooks KIND --format json` or a runbook written by `incident init`"
            .into(),
    })?;
    validate(&mut runbook, path, text)?;
    Ok(runbook)
}

fn validate(runbook: &mut Runbook, path: &Path, text: &str) -> Result<()> {
    let fail = |keys: &[&str], message: String, hint: &str| Error::Invalid {
        path: path.to_path_buf(),
        line: locate(text, keys),
        message,
        hint: hint.to_string(),
    };
    if !is_kebab(&runbook.kind) {
        return Err(fail(
            &["kind"],
            format!(
                "kind {:?} must be lowercase words joined by dashes",
                runbook.kind
            ),
            "e.g. kind: wrong-segment",
        ));
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != runbook.kind {
        return Err(fail(
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
            return Err(fail(
                &[field],
                format!("{field} is empty"),
                "say it in a few words",
            ));
        }
    }
    if runbook.apology.reason.trim().is_empty() {
        return Err(fail(
            &["apology", "reason"],
            "apology.reason is empty".into(),
            "say why the apology is required, recommended or never sent",
        ));
    }
    if !EMAIL_TEMPLATES.contains(&runbook.email.template.as_str()) {
        return Err(fail(
            &["email", "template"],
            format!(
                "email.template {:?} is unknown; expected one of: {}",
                runbook.email.template,
                EMAIL_TEMPLATES.join(", ")
            ),
            "mistake for an apology, breach for a data-breach notice",
        ));
    }
    // A kind with legal clocks is a data breach: its notice must carry the protective steps and
    // the legal elements, which only the breach template has.
    if runbook.legal_clocks && runbook.email.template != "breach" {
        return Err(fail(
            &["email", "template"],
            format!(
                "email.template {:?} with legal_clocks: true; a kind with legal clocks sends the breach notice",
                runbook.email.template
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
            return Err(fail(
                &["email", "subjects"],
                format!("email.subjects has no suggestion for locale {locale:?}"),
                "give at least one subject per locale: en and nl",
            ));
        }
    }
    for step in Step::ALL {
        let guide = runbook.steps.get(step);
        if guide.guidance.trim().is_empty() {
            return Err(fail(
                &["steps", step.key(), "guidance"],
                format!("steps.{step}.guidance is empty"),
                "tell the on-call marketer what to do in this step",
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for q in &guide.questions {
            let at = |message: String, hint: &str| {
                fail(&["steps", step.key(), "id"], message, hint).with_line(
                    locate(text, &["steps", step.key(), &format!("id: {}", q.id)])
                        .or_else(|| locate(text, &["steps", step.key()])),
                )
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
    }
    add_required_question(
        runbook.steps.get_mut(Step::Own),
        Question {
            id: DISCOVERED_AT.into(),
            kind: QuestionType::Datetime,
            prompt: "When did the team become aware of the problem?".into(),
            help: Some("Legal clocks and the key durations run from this moment.".into()),
            required: true,
            default: Some(Value::String("now".into())),
            choices: Vec::new(),
            action_type: None,
            integer: false,
            single_line: false,
            skip_if: BTreeMap::new(),
        },
    )
    .map_err(|m| {
        fail(
            &["steps", "own", DISCOVERED_AT],
            m,
            "declare it as type: datetime",
        )
    })?;
    let suggestion = runbook
        .email
        .subjects
        .get("en")
        .and_then(|s| s.first())
        .cloned();
    add_required_question(
        runbook.steps.get_mut(Step::Inform),
        Question {
            id: SUBJECT.into(),
            kind: QuestionType::Text,
            prompt: "Subject line of the apology".into(),
            help: Some("Clear and plain: say what happened, no humour, no \"Re:\".".into()),
            // Where the policy is never to apologize, the subject only matters after an override.
            required: runbook.apology.policy != super::ApologyPolicy::Never,
            default: suggestion.map(Value::String),
            choices: Vec::new(),
            action_type: None,
            integer: false,
            // A subject is one header line: a line break in it could forge headers.
            single_line: true,
            skip_if: BTreeMap::new(),
        },
    )
    .map_err(|m| fail(&["steps", "inform", SUBJECT], m, "declare it as type: text"))?;
    Ok(())
}

/// Put a question every runbook must ask first in its step, unless the runbook asks it already
/// with the same type.
fn add_required_question(guide: &mut super::StepGuide, question: Question) -> Result<(), String> {
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
fn check_skip_if(guide: &super::StepGuide, q: &Question) -> Result<(), String> {
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

impl Error {
    fn with_line(self, line: Option<usize>) -> Self {
        match self {
            Error::Invalid {
                path,
                message,
                hint,
                ..
            } => Error::Invalid {
                path,
                line,
                message,
                hint,
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_runbook_loads_and_asks_the_required_questions() {
        let catalog = Catalog::load(Path::new("/nonexistent-workspace")).expect("built-ins load");
        assert_eq!(
            catalog.kinds(),
            [
                "broken-personalization",
                "data-breach",
                "duplicate-send",
                "malformed-message",
                "subject-line",
                "suppression-list-send",
                "wrong-segment"
            ]
        );
        for entry in catalog.entries() {
            let rb = &entry.runbook;
            assert_eq!(rb.steps.own.questions[0].id, DISCOVERED_AT, "{}", rb.kind);
            assert!(rb.steps.inform.question(SUBJECT).is_some(), "{}", rb.kind);
            assert!(
                rb.steps
                    .plan
                    .questions
                    .iter()
                    .any(|q| q.kind == QuestionType::Actions)
            );
        }
        let breach = catalog.get("data-breach").expect("breach");
        assert!(breach.legal_clocks);
        assert_eq!(
            breach.escalation.lead,
            Some(crate::incident::Role::Security)
        );
        let suppression = catalog.get("suppression-list-send").expect("suppression");
        assert_eq!(
            suppression.apology.policy,
            super::super::ApologyPolicy::Never
        );
    }

    #[test]
    fn follow_up_questions_are_skipped_by_the_answer_before_them() {
        let catalog = Catalog::load(Path::new("/nonexistent-workspace")).expect("built-ins load");
        let plan = &catalog.get("wrong-segment").expect("runbook").steps.plan;
        let to = plan.question("compensation_to").expect("question");
        let mut answers = indexmap::IndexMap::new();
        assert!(!plan.is_skipped(to, &answers), "not answered yet: asked");
        answers.insert(
            "compensation".to_string(),
            crate::incident::Answer::Text("none".into()),
        );
        assert!(plan.is_skipped(to, &answers));
        answers.insert(
            "compensation".to_string(),
            crate::incident::Answer::Text("refund".into()),
        );
        assert!(!plan.is_skipped(to, &answers));
    }

    #[test]
    fn skip_if_must_name_an_earlier_question_and_one_of_its_answers() {
        let text = builtin_text("wrong-segment");
        for (bad, expected) in [
            (
                "skip_if: {compensation: none}",
                "skip_if: {compensaton: none}",
            ),
            (
                "skip_if: {compensation: none}",
                "skip_if: {compensation: maybe}",
            ),
        ] {
            let broken = text.replacen(bad, expected, 1);
            let err = parse(Path::new("runbooks/wrong-segment.yaml"), &broken)
                .unwrap_err()
                .to_string();
            assert!(err.contains("steps.plan.compensation_to: skip_if"), "{err}");
        }
    }

    fn builtin_text(kind: &str) -> String {
        BUILT_IN
            .iter()
            .find(|(file, _)| file.strip_suffix(".yaml") == Some(kind))
            .map(|(_, text)| text.to_string())
            .expect("built-in")
    }

    #[test]
    fn a_kind_with_legal_clocks_must_send_the_breach_notice() {
        let text = builtin_text("data-breach").replace("template: breach", "template: mistake");
        let err = parse(Path::new("runbooks/data-breach.yaml"), &text).unwrap_err();
        let line = text
            .lines()
            .position(|l| l.trim() == "template: mistake")
            .expect("template line")
            + 1;
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("runbooks/data-breach.yaml:{line}: email.template \"mistake\" with legal_clocks: true")),
            "{msg}"
        );
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("email.template: breach"))
        );
    }

    #[test]
    fn a_broken_runbook_names_file_line_and_field() {
        let text = "kind: wrong-segment\ntitle: x\nsummary: y\ndefault_severity: sev9\n";
        let err = parse(Path::new("runbooks/wrong-segment.yaml"), text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("runbooks/wrong-segment.yaml:4"), "{msg}");
        assert!(msg.contains("sev9"), "{msg}");
    }
}
