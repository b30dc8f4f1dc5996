//! The person at the terminal: typed prompts (dialoguer) for each question type, with the
//! step's purpose, owners, guidance and checklist shown first.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use dialoguer::console::{Style, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, Select};

use super::{Prompter, StepBrief};
use crate::error::{Error, Result};
use crate::incident::{ActionItem, ActionType, Answer, Clock};
use crate::runbook::{Question, QuestionType};

/// Prompts on the terminal's standard error, like every interactive CLI that keeps stdout for
/// results.
pub struct TerminalPrompter {
    term: Term,
    theme: Box<dyn Theme>,
    heading: Style,
    dim: Style,
    tz: Tz,
    /// Read afresh at each answer: a walk can take a while.
    clock: Clock,
}

impl TerminalPrompter {
    /// A prompter in colour or not, reading local times in `tz`.
    pub fn new(color: bool, tz: Tz, clock: Clock) -> Self {
        let (theme, heading, dim): (Box<dyn Theme>, Style, Style) = if color {
            (
                Box::new(ColorfulTheme::default()),
                Style::new().bold().cyan(),
                Style::new().dim(),
            )
        } else {
            (Box::new(SimpleTheme), Style::new(), Style::new())
        };
        TerminalPrompter {
            term: Term::stderr(),
            theme,
            heading,
            dim,
            tz,
            clock,
        }
    }

    /// Write a line to the terminal.
    fn write(&self, line: &str) -> Result<()> {
        self.term.write_line(line).map_err(prompt_error)
    }

    /// Ask for free text; empty allowed when `optional`.
    fn text(&self, prompt: &str, default: Option<&str>, optional: bool) -> Result<String> {
        let mut input = Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(optional)
            .validate_with(|s: &String| crate::text::check_text(s, false));
        if let Some(default) = default {
            input = input.default(default.to_string());
        }
        input.interact_text_on(&self.term).map_err(prompt_error)
    }

    /// Pick one of `items`; returns its index.
    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    /// Ask for a calendar date, until one parses.
    fn date(&self, prompt: &str) -> Result<NaiveDate> {
        let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d");
        loop {
            let text = Input::<String>::with_theme(self.theme.as_ref())
                .with_prompt(prompt)
                .validate_with(|s: &String| {
                    parse(s)
                        .map(|_| ())
                        .map_err(|_| "expected a date such as 2026-12-01")
                })
                .interact_text_on(&self.term)
                .map_err(prompt_error)?;
            if let Ok(date) = parse(&text) {
                return Ok(date);
            }
        }
    }

    fn confirm(&self, prompt: &str, default: bool) -> Result<bool> {
        Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    fn parse_local_or_rfc3339(&self, question: &Question, text: &str) -> Result<Answer, String> {
        let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
            .ok()
            .and_then(|naive| self.tz.from_local_datetime(&naive).earliest());
        match local {
            Some(at) => question.datetime_answer(at.with_timezone(&chrono::Utc), self.clock.now()),
            None => question.parse_datetime(text, self.clock.now()),
        }
    }

    fn ask_actions(&self, question: &Question, prompt: &str) -> Result<Option<Answer>> {
        // The confirm below is the same for every actions question: say which list it fills.
        self.write(&format!("{prompt}:"))?;
        let mut items = Vec::new();
        let types: Vec<String> = ActionType::ALL
            .iter()
            .map(|t| t.key().to_string())
            .collect();
        let default_type = question.action_type.unwrap_or(ActionType::Mitigate);
        loop {
            let add = if items.is_empty() {
                "Add an action item?"
            } else {
                "Add another?"
            };
            if !self.confirm(add, items.is_empty() && question.required)? {
                break;
            }
            let what = self.text("  What", None, false)?;
            let owner = self.text("  Owner", None, false)?;
            let due = self.date("  Due (YYYY-MM-DD)")?;
            let type_index = self.select("  Type", &types, default_type as usize)?;
            items.push(ActionItem {
                what: what.trim().to_string(),
                owner: owner.trim().to_string(),
                due,
                action_type: ActionType::ALL
                    .get(type_index)
                    .copied()
                    .unwrap_or(default_type),
                done: None,
            });
        }
        Ok((!items.is_empty()).then_some(Answer::Actions(items)))
    }
}

impl Prompter for TerminalPrompter {
    fn is_interactive(&self) -> bool {
        true
    }

    fn line(&mut self, prompt: &str, default: Option<&str>) -> Result<Option<String>> {
        self.text(prompt, default, false).map(Some)
    }

    fn pick(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>> {
        self.select(prompt, items, default).map(Some)
    }

    fn say(&mut self, line: &str) -> Result<()> {
        self.write(line)
    }

    fn begin_step(&mut self, brief: &StepBrief<'_>) -> Result<()> {
        let step = brief.step;
        self.write("")?;
        self.write(
            &self
                .heading
                .apply_to(format!("Step {}/6 · {}", step.number(), step.title()))
                .to_string(),
        )?;
        self.write(&format!("Purpose:     {}", step.purpose()))?;
        self.write(&format!("Responsible: {}", brief.responsible))?;
        self.write(&format!("Impact:      {}", step.impact()))?;
        if let Some(escalation) = &brief.escalation {
            self.write(&format!("Escalation:  {escalation}"))?;
        }
        self.write("")?;
        for line in brief.guide.guidance.trim_end().lines() {
            self.write(&format!("  {line}"))?;
        }
        if !brief.guide.checklist.is_empty() {
            self.write("")?;
            self.write("Checklist:")?;
            for item in &brief.guide.checklist {
                self.write(&format!("  [ ] {item}"))?;
            }
        }
        self.write("")
    }

    fn given(&mut self, question: &Question, answer: &Answer) -> Result<()> {
        self.write(
            &self
                .dim
                .apply_to(format!(
                    "{}: {answer}  (from the answers file)",
                    question.prompt
                ))
                .to_string(),
        )
    }

    fn ask(
        &mut self,
        _: crate::incident::Step,
        question: &Question,
        default: Option<&Answer>,
    ) -> Result<Option<Answer>> {
        if let Some(help) = &question.help {
            self.write(&self.dim.apply_to(help).to_string())?;
        }
        let optional = !question.required;
        // A yes/no question always records an answer, so it is never shown as optional.
        let prompt = if optional && question.kind != QuestionType::Bool {
            format!("{} (optional)", question.prompt)
        } else {
            question.prompt.clone()
        };
        let answer = match question.kind {
            QuestionType::Text => {
                let text = self.text(&prompt, default.and_then(Answer::as_text), optional)?;
                (!text.trim().is_empty()).then(|| Answer::Text(text.trim().to_string()))
            }
            QuestionType::Bool => {
                let default = matches!(default, Some(Answer::Bool(true)));
                Some(Answer::Bool(self.confirm(&prompt, default)?))
            }
            QuestionType::Number => {
                let mut input = Input::<String>::with_theme(self.theme.as_ref())
                    .with_prompt(&prompt)
                    .allow_empty(optional)
                    .validate_with(|s: &String| {
                        if s.trim().is_empty() {
                            return Ok(());
                        }
                        match s.trim().parse::<f64>() {
                            Ok(n) => question.number_answer(n).map(|_| ()),
                            Err(_) => Err("expected a number, e.g. 1250".to_string()),
                        }
                    });
                if let Some(n) = default.and_then(Answer::as_number) {
                    input = input.default(n.to_string());
                }
                let text = input.interact_text_on(&self.term).map_err(prompt_error)?;
                text.trim()
                    .parse::<f64>()
                    .ok()
                    .and_then(|n| question.number_answer(n).ok())
            }
            QuestionType::Choice => {
                let mut items = question.choices.clone();
                if optional {
                    items.push("(skip)".into());
                }
                let default_index = default
                    .and_then(Answer::as_text)
                    .and_then(|d| question.choices.iter().position(|c| c == d))
                    .unwrap_or(0);
                let picked = self.select(&prompt, &items, default_index)?;
                question
                    .choices
                    .get(picked)
                    .map(|c| Answer::Text(c.clone()))
            }
            QuestionType::List => {
                self.write(
                    &self
                        .dim
                        .apply_to("One item per line; an empty line ends the list.")
                        .to_string(),
                )?;
                let mut items = Vec::new();
                loop {
                    let item = self.text(&format!("{prompt} #{}", items.len() + 1), None, true)?;
                    if item.trim().is_empty() {
                        break;
                    }
                    items.push(item.trim().to_string());
                }
                (!items.is_empty()).then_some(Answer::List(items))
            }
            QuestionType::Datetime => {
                let shown_default = default.and_then(Answer::as_text).map(str::to_string);
                let mut input = Input::<String>::with_theme(self.theme.as_ref())
                    .with_prompt(format!(
                        "{}{} RFC 3339, `now`, or YYYY-MM-DD HH:MM in {})",
                        question.prompt,
                        if optional { " (optional;" } else { " (" },
                        self.tz
                    ))
                    .allow_empty(optional)
                    .validate_with(|s: &String| {
                        if s.trim().is_empty() {
                            return Ok(());
                        }
                        self.parse_local_or_rfc3339(question, s).map(|_| ())
                    });
                if let Some(d) = &shown_default {
                    input = input.default(d.clone());
                }
                let text = input.interact_text_on(&self.term).map_err(prompt_error)?;
                if text.trim().is_empty() {
                    None
                } else {
                    // The validator accepted the text, so it parses.
                    self.parse_local_or_rfc3339(question, &text).ok()
                }
            }
            QuestionType::Actions => self.ask_actions(question, &prompt)?,
        };
        Ok(answer)
    }
}

/// A prompt that failed: Ctrl-C (the terminal is in raw mode, so the key arrives as an
/// interrupted read) or a terminal that went away.
fn prompt_error(err: impl Into<dialoguer::Error>) -> Error {
    let dialoguer::Error::IO(io) = err.into();
    if io.kind() == std::io::ErrorKind::Interrupted {
        Error::Interrupted {
            message: "Nothing from the step in progress was saved.".into(),
            hint: String::new(),
        }
    } else {
        Error::io("cannot use the terminal", "/dev/tty", io)
    }
}

/// Ctrl-C at a prompt arrives as an interrupted read, which the walk turns into a message
/// saying what was kept. The handler only gives the cursor back, which a prompt may have hidden;
/// it never exits, so the prompt's own error path always gets to speak.
pub fn install_interrupt_handler() {
    // Only one handler can be installed per process; a second call keeps the first.
    let _ = ctrlc::set_handler(|| {
        let _ = Term::stderr().show_cursor();
    });
}
