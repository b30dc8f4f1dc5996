//! The answers file: `--answers FILE|-`. Optional top-level `kind`, `title`, `severity`, `by`,
//! then one mapping per step of question id → value. Every key is checked against the runbook
//! and every value against its question's type before anything is written.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use indexmap::IndexMap;
use serde_yaml::{Mapping, Value};

use crate::error::{Error, Result};
use crate::incident::{Answer, Severity, Step};
use crate::runbook::{QuestionType, Runbook, describe};
use crate::yaml_lines::{error_line, error_message, locate};

/// The top-level keys besides the six steps.
const HEADER_KEYS: [&str; 4] = ["kind", "title", "severity", "by"];

/// Typed answers per step, in the runbook's question order.
pub type StepAnswers = BTreeMap<Step, IndexMap<String, Answer>>;

/// A parsed answers file, not yet checked against a runbook.
#[derive(Debug, Clone, Default)]
pub struct AnswersFile {
    /// `answers.yaml` or `stdin`, for error messages.
    pub source: String,
    text: String,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub severity: Option<Severity>,
    pub by: Option<String>,
    steps: BTreeMap<Step, Mapping>,
}

impl AnswersFile {
    /// Read `path`, or standard input for `-`.
    pub fn read(path: &Path) -> Result<AnswersFile> {
        if path == Path::new("-") {
            let text = crate::textfile::from_reader(
                Path::new("stdin"),
                std::io::stdin(),
                crate::limits::MAX_TEXT_FILE_BYTES,
            )?;
            return AnswersFile::parse("stdin", &text);
        }
        let text = crate::textfile::read(path)?;
        AnswersFile::parse(&path.display().to_string(), &text)
    }

    /// Parse answers YAML (a byte order mark at the start is dropped).
    pub fn parse(source: &str, text: &str) -> Result<AnswersFile> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut file = AnswersFile {
            source: source.to_string(),
            text: text.to_string(),
            ..AnswersFile::default()
        };
        let value: Value = serde_yaml::from_str(text).map_err(|e| {
            file.error(
                error_line(&e),
                format!("not valid YAML: {}", error_message(&e)),
                "an answers file is a YAML mapping; `incident runbooks KIND --answers-template` prints one",
            )
        })?;
        let top = match value {
            Value::Null => return Ok(file),
            Value::Mapping(map) => map,
            other => {
                return Err(file.error(
                    Some(1),
                    format!(
                        "expected a mapping of step → answers at the top, found {}",
                        describe(&other)
                    ),
                    "`incident runbooks KIND --answers-template` prints the layout",
                ));
            }
        };
        for (key, value) in top {
            let Some(key) = key.as_str().map(str::to_string) else {
                return Err(file.error(
                    None,
                    format!("a top-level key is not a string: {}", describe(&key)),
                    "",
                ));
            };
            let line = locate(text, &[&key]);
            // A header left empty (as the answers template leaves it) is unset: a flag or a
            // prompt supplies it.
            let text_value = |file: &AnswersFile| -> Result<Option<String>> {
                if value.is_null() {
                    return Ok(None);
                }
                let s = value.as_str().ok_or_else(|| {
                    file.error(
                        line,
                        format!("{key}: expected a string, found {}", describe(&value)),
                        &format!(
                            "e.g. {key}: \"…\" (quotes keep YAML from reading it as another type)"
                        ),
                    )
                })?;
                if s.trim().is_empty() {
                    return Ok(None);
                }
                let checked = match key.as_str() {
                    "title" | "by" => crate::text::check_short(&key, s),
                    _ => crate::text::check_line(&key, s),
                };
                checked.map_err(|m| file.error(line, m, "use a single line of plain text"))?;
                Ok(Some(s.trim().to_string()))
            };
            match key.as_str() {
                "kind" => file.kind = text_value(&file)?,
                "title" => file.title = text_value(&file)?,
                "by" => file.by = text_value(&file)?,
                "severity" => {
                    file.severity = match text_value(&file)? {
                        None => None,
                        Some(raw) => Some(raw.parse().map_err(|m: String| {
                            file.error(
                                line,
                                format!("severity: {m}"),
                                "sev1 is the worst, sev4 the least",
                            )
                        })?),
                    };
                }
                _ => {
                    let Some(step) = Step::from_key(&key) else {
                        return Err(file.error(
                            line,
                            format!("unknown key {key:?}"),
                            &format!("valid keys: {}", valid_top_keys()),
                        ));
                    };
                    let section = match value {
                        Value::Null => Mapping::new(),
                        Value::Mapping(map) => map,
                        other => {
                            return Err(file.error(
                                line,
                                format!(
                                    "{key}: expected a mapping of question id → answer, found {}",
                                    describe(&other)
                                ),
                                "",
                            ));
                        }
                    };
                    file.steps.insert(step, section);
                }
            }
        }
        Ok(file)
    }

    /// Whether the file has a section for `step`.
    pub fn has_step(&self, step: Step) -> bool {
        self.steps.contains_key(&step)
    }

    /// Check every section against the runbook: unknown question ids and wrong types are
    /// errors naming the step, the question and the line.
    pub fn typed(&self, runbook: &Runbook, now: DateTime<Utc>) -> Result<StepAnswers> {
        let mut typed = StepAnswers::new();
        for (step, section) in &self.steps {
            let guide = runbook.steps.get(*step);
            let mut answers = IndexMap::new();
            for (key, value) in section {
                let key = key.as_str().unwrap_or_default();
                let line = locate(&self.text, &[step.key(), key]);
                let Some(question) = guide.question(key) else {
                    let valid: Vec<_> = guide.questions.iter().map(|q| q.id.as_str()).collect();
                    return Err(self.error(
                        line,
                        format!("{step}: unknown question {key:?} for kind {}", runbook.kind),
                        &format!("valid questions for {step}: {}", valid.join(", ")),
                    ));
                };
                if value.is_null() {
                    continue;
                }
                let answer = question.parse_value(value, now).map_err(|m| {
                    let quote = if question.kind == QuestionType::Text {
                        " (quotes keep YAML from reading a number or true as another type)"
                    } else {
                        ""
                    };
                    self.error(
                        line,
                        format!("{step}.{key}: {m}"),
                        &format!("write it as `{key}: {}`{quote}", question.kind.example()),
                    )
                })?;
                answers.insert(key.to_string(), answer);
            }
            // Keep the runbook's order, whatever order the file used.
            let ordered = guide
                .questions
                .iter()
                .filter_map(|q| answers.shift_remove(&q.id).map(|a| (q.id.clone(), a)))
                .collect();
            typed.insert(*step, ordered);
        }
        Ok(typed)
    }

    /// An error about this file.
    pub fn error(&self, line: Option<usize>, message: String, hint: &str) -> Error {
        Error::Answer {
            source_name: Some(match line {
                Some(line) => format!("{}:{line}", self.source),
                None => self.source.clone(),
            }),
            message,
            hint: hint.to_string(),
        }
    }
}

fn valid_top_keys() -> String {
    HEADER_KEYS
        .iter()
        .copied()
        .chain(Step::ALL.iter().map(|s| s.key()))
        .collect::<Vec<_>>()
        .join(", ")
}
