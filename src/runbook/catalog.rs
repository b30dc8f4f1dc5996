//! The runbooks available in a workspace: the built-in ones embedded in the binary, overridden
//! or extended by the workspace's `runbooks/*.yaml`, each validated as it is loaded.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::model::Runbook;
use crate::error::{Error, Result};

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

/// The runbooks embedded in the binary, in [`BUILT_IN`]'s order. Every command that reads a
/// record parses them (2 ms of YAML, more than reading a thousand records from the index), so
/// the last three are parsed on a second thread: about half the bytes.
pub fn built_in_runbooks() -> Result<Vec<Runbook>> {
    let parse = |(file, text): &(&str, &str)| {
        super::validate::parse(Path::new("runbooks").join(file).as_path(), text)
    };
    crate::parallel::map_in_two(&BUILT_IN, 4, parse)
        .into_iter()
        .collect()
}

impl Catalog {
    /// The built-in runbooks overridden by the `*.yaml` files of `dir` (a workspace's
    /// `runbooks/`, which may not exist).
    pub fn load(dir: &Path) -> Result<Catalog> {
        let mut entries = BTreeMap::new();
        for runbook in built_in_runbooks()? {
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
            let loaded =
                crate::textfile::read(&path).and_then(|text| super::validate::parse(&path, &text));
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
        let nearest = |typed: &str| {
            let typed = typed.to_lowercase().replace('_', "-");
            self.kinds()
                .into_iter()
                .min_by_key(|k| crate::text::edit_distance(k, &typed))
                .filter(|k| crate::text::edit_distance(k, &typed) <= 3)
                .map(str::to_string)
        };
        self.entries.get(kind).ok_or_else(|| Error::UnknownKind {
            kind: kind.to_string(),
            known: self.kinds().join(", "),
            nearest: nearest(kind),
        })
    }

    /// All usable kinds, sorted.
    pub fn kinds(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// The kinds in the order a picker offers them: the commonest mistakes first (a wrong
    /// segment, broken personalization, a bad subject line…), a workspace's own kinds after,
    /// by name.
    pub fn kinds_commonest_first(&self) -> Vec<&str> {
        const COMMONEST: [&str; 7] = [
            "wrong-segment",
            "broken-personalization",
            "subject-line",
            "malformed-message",
            "duplicate-send",
            "suppression-list-send",
            "data-breach",
        ];
        let mut kinds = self.kinds();
        kinds.sort_by_key(|k| {
            (
                COMMONEST.iter().position(|c| c == k).unwrap_or(usize::MAX),
                *k,
            )
        });
        kinds
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::DISCOVERED_AT;
    use crate::runbook::{QuestionType, parse};

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
