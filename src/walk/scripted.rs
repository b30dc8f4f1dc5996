//! Nobody at the terminal: every answer comes from the answers file. A required question the
//! file leaves out takes the runbook's default, or is an error naming the step, the question
//! and what to write; anything else stays unanswered.

use super::{Prompter, StepBrief};
use crate::error::{Error, Result};
use crate::incident::{Answer, Step};
use crate::runbook::Question;

/// The prompter of a scripted run (`--non-interactive`, a pipe, CI).
pub struct ScriptedPrompter;

impl Prompter for ScriptedPrompter {
    fn is_interactive(&self) -> bool {
        false
    }

    fn begin_step(&mut self, _: &StepBrief<'_>) -> Result<()> {
        Ok(())
    }

    fn given(&mut self, _: &Question, _: &Answer) -> Result<()> {
        Ok(())
    }

    fn ask(
        &mut self,
        step: Step,
        question: &Question,
        default: Option<&Answer>,
    ) -> Result<Option<Answer>> {
        match (question.required, default) {
            (true, Some(default)) => Ok(Some(default.clone())),
            (false, _) => Ok(None),
            (true, None) => Err(Error::Answer {
                source_name: None,
                message: format!(
                    "missing required answer: step {step}, question {:?} ({})",
                    question.id, question.prompt
                ),
                hint: format!(
                    "add `{}: {}` under `{step}:` in the answers file ({} expected)",
                    question.id,
                    question.kind.example(),
                    question.kind.expected()
                ),
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

    fn say(&mut self, _: &str) -> Result<()> {
        Ok(())
    }
}
