//! The person at the terminal. Each question is written out, wrapped at word boundaries to
//! the terminal's width, and answered on a line of its own after `› `: what is typed stays on
//! the screen as typed (nothing is redrawn, so a long answer leaves no trace of a half-drawn
//! prompt), nothing is read before Enter (so no key leaks into the next prompt), and an answer
//! that does not fit is asked again with a sentence saying what was wrong with it. Choices are
//! picked from a list with the arrow keys, or filtered by typing.

use chrono::NaiveDate;
use chrono_tz::Tz;
use dialoguer::console::{Style, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{FuzzySelect, Select};

use super::{Prompter, StepBrief};
use crate::error::{Error, Result};
use crate::incident::known::AFFECTED_COUNT;
use crate::incident::{ActionItem, ActionType, Answer, Clock};
use crate::runbook::typed;
use crate::runbook::{Question, QuestionType};

/// Prompts on the terminal's standard error, like every interactive CLI that keeps stdout for
/// results.
pub struct TerminalPrompter {
    term: Term,
    theme: Box<dyn Theme>,
    heading: Style,
    dim: Style,
    warn: Style,
    tz: Tz,
    /// The workspace's language: which words mean yes and no, how numbers are grouped.
    locale: String,
    /// Read afresh at each answer: a walk can take a while.
    clock: Clock,
}

impl TerminalPrompter {
    /// A prompter in colour or not, reading local times in `tz` and words in `locale`.
    pub fn new(color: bool, tz: Tz, locale: &str, clock: Clock) -> Self {
        let (theme, heading, dim, warn): (Box<dyn Theme>, Style, Style, Style) = if color {
            (
                Box::new(ColorfulTheme::default()),
                Style::new().bold().cyan(),
                Style::new().dim(),
                Style::new().yellow(),
            )
        } else {
            let plain = Style::new();
            (Box::new(SimpleTheme), plain.clone(), plain.clone(), plain)
        };
        TerminalPrompter {
            term: Term::stderr(),
            theme,
            heading,
            dim,
            warn,
            tz,
            locale: locale.to_string(),
            clock,
        }
    }

    /// The width to wrap at: the terminal's, within reason.
    fn width(&self) -> usize {
        let (_, columns) = self.term.size();
        usize::from(columns).clamp(40, 160)
    }

    /// Write a line to the terminal, as is.
    fn write(&self, line: &str) -> Result<()> {
        self.term.write_line(line).map_err(prompt_error)
    }

    /// Write text wrapped at word boundaries, each line after the first indented like the
    /// first's leading spaces plus `hang`.
    fn wrapped(&self, text: &str, hang: usize) -> Result<()> {
        let indent: String = text.chars().take_while(|c| *c == ' ').collect();
        let rest = format!("{indent}{}", " ".repeat(hang));
        // Lines break between words only: never inside a date, a path or a command.
        let options = textwrap::Options::new(self.width())
            .initial_indent(&indent)
            .subsequent_indent(&rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        for line in textwrap::wrap(text.trim_start(), options) {
            self.write(&line)?;
        }
        Ok(())
    }

    /// Ask until `parse` takes what is typed. The question goes on its own lines, with the
    /// default in brackets; Enter alone takes the default, or gives `""` to `parse` when there
    /// is none.
    fn read<T>(
        &self,
        prompt: &str,
        default: Option<&str>,
        mut parse: impl FnMut(&str) -> std::result::Result<T, String>,
    ) -> Result<T> {
        let shown = match default {
            Some(d) if !d.is_empty() => format!("{prompt} [{d}]"),
            _ => prompt.to_string(),
        };
        self.wrapped(&shown, 2)?;
        loop {
            self.term.write_str("› ").map_err(prompt_error)?;
            let typed = self.term.read_line().map_err(prompt_error)?;
            let text = match (typed.trim(), default) {
                ("", Some(d)) => d.to_string(),
                _ => typed,
            };
            match parse(&text) {
                Ok(value) => return Ok(value),
                Err(why) => {
                    self.wrapped(&self.warn.apply_to(format!("  ✗ {why}")).to_string(), 4)?
                }
            }
        }
    }

    /// Free text; empty allowed when `optional`.
    fn text(&self, prompt: &str, default: Option<&str>, optional: bool) -> Result<String> {
        self.read(prompt, default, |s| {
            if !optional && s.trim().is_empty() {
                return Err("an answer is needed here".into());
            }
            crate::text::check_text(s, false)?;
            Ok(s.trim().to_string())
        })
    }

    /// Yes or no, in words, after Enter.
    fn yes_no(&self, prompt: &str, default: Option<bool>) -> Result<bool> {
        let words = if self.locale == "nl" {
            "ja/nee"
        } else {
            "yes/no"
        };
        let shown = default.map(|d| match (d, self.locale == "nl") {
            (true, true) => "ja",
            (false, true) => "nee",
            (true, false) => "yes",
            (false, false) => "no",
        });
        self.read(&format!("{prompt} ({words})"), shown, |s| {
            typed::yes_no(s, &self.locale)
        })
    }

    /// Pick one of `items` with the arrow keys; returns its index.
    fn select(&self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        Select::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    /// Pick one of many, the list narrowing as one types.
    fn filtered(&self, prompt: &str, items: &[String], default: usize) -> Result<usize> {
        FuzzySelect::with_theme(self.theme.as_ref())
            .with_prompt(format!("{prompt} (type to filter)"))
            .items(items)
            .default(default)
            .interact_on(&self.term)
            .map_err(prompt_error)
    }

    /// A calendar date: `2026-12-01`, `today`, `tomorrow`.
    fn date(&self, prompt: &str) -> Result<NaiveDate> {
        let today = self.clock.now().with_timezone(&self.tz).date_naive();
        self.read(prompt, None, |s| match s.trim().to_lowercase().as_str() {
            "today" => Ok(today),
            "tomorrow" => today.succ_opt().ok_or_else(|| "no such day".to_string()),
            text => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                format!(
                    "{:?} is not a date: type it as 2026-12-01, or today",
                    s.trim()
                )
            }),
        })
    }

    /// A moment, echoed as the instant stored.
    fn moment(
        &self,
        question: &Question,
        prompt: &str,
        default: Option<&str>,
    ) -> Result<Option<Answer>> {
        let optional = !question.required;
        let hint = format!(
            "{prompt} (9:40, yesterday 17:00, 2026-11-26 09:40 or now; in {})",
            self.tz
        );
        let answer = self.read(&hint, default, |s| {
            if optional && s.trim().is_empty() {
                return Ok(None);
            }
            let now = self.clock.now();
            let at = if question.id == crate::incident::DISCOVERED_AT {
                typed::when_past(s, self.tz, now)?
            } else {
                typed::when(s, self.tz, now)?
            };
            question
                .datetime_answer(at, now)
                .map(Some)
                .map_err(|e| plain(question, &e))
        })?;
        if let Some(Answer::Text(at)) = &answer {
            let local = crate::incident::parse_rfc3339(at)
                .map(|t| {
                    t.with_timezone(&self.tz)
                        .format("%Y-%m-%d %H:%M %Z")
                        .to_string()
                })
                .unwrap_or_default();
            self.write(&self.dim.apply_to(format!("  = {local} ({at})")).to_string())?;
        }
        Ok(answer)
    }

    /// A count or an amount: grouped as the workspace writes numbers; money keeps the
    /// currency typed with it.
    fn amount(
        &self,
        question: &Question,
        prompt: &str,
        default: Option<&Answer>,
    ) -> Result<Option<Answer>> {
        let optional = !question.required;
        let shown = default.map(|d| match d {
            Answer::Money(m) => m.to_string(),
            other => other.as_number().map(group).unwrap_or_default(),
        });
        let money = question.kind == QuestionType::Money;
        let answer = self.read(prompt, shown.as_deref(), |s| {
            if optional && s.trim().is_empty() {
                return Ok(None);
            }
            let (n, currency) = typed::amount(s, &self.locale)?;
            let answer = match (money, currency) {
                (true, currency) => question.money_answer(n, currency),
                (false, None) => question.number_answer(n),
                (false, Some(_)) => Err(format!(
                    "{:?} is a count, not an amount of money: type the number alone",
                    s.trim()
                )),
            };
            answer.map(Some).map_err(|e| plain(question, &e))
        })?;
        if let Some(answer) = &answer {
            self.echo_amount(question, answer, default)?;
        }
        Ok(answer)
    }

    /// Say how an amount was read (`1.922` in Dutch is 1,922), and when a count differs from
    /// the one `incident audience` computed, which one the apology and the report use.
    fn echo_amount(
        &self,
        question: &Question,
        answer: &Answer,
        default: Option<&Answer>,
    ) -> Result<()> {
        let read = match answer {
            Answer::Money(m) => m.to_string(),
            other => other.as_number().map(group).unwrap_or_default(),
        };
        self.write(&self.dim.apply_to(format!("  = {read}")).to_string())?;
        // The default of affected_count is the computed audience, unless the runbook sets one.
        let computed = default.and_then(Answer::as_number);
        if question.id == AFFECTED_COUNT.id
            && question.default.is_none()
            && let (Some(computed), Some(typed)) = (computed, answer.as_number())
            && computed != typed
        {
            self.wrapped(
                &format!(
                    "  Kept as the estimate; incident audience counted {}: the apology goes to those addresses and the report counts them.",
                    group(computed)
                ),
                2,
            )?;
        }
        Ok(())
    }

    fn ask_actions(&self, question: &Question, prompt: &str) -> Result<Option<Answer>> {
        // The question below is the same for every actions question: say which list it fills.
        self.wrapped(&format!("{prompt}:"), 2)?;
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
            if !self.yes_no(add, Some(items.is_empty() && question.required))? {
                break;
            }
            let what = self.text("  What needs doing", None, false)?;
            let owner = self.text("  Who owns it", None, false)?;
            let due = self.date("  Due (2026-12-01, today or tomorrow)")?;
            let type_index = self.select("  Type", &types, default_type as usize)?;
            items.push(ActionItem {
                what,
                owner,
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

    fn ask_list(&self, prompt: &str) -> Result<Option<Answer>> {
        self.write(
            &self
                .dim
                .apply_to("One item per line; an empty line ends the list.")
                .to_string(),
        )?;
        let mut items = Vec::new();
        loop {
            let item = self.text(&format!("{prompt} #{}", items.len() + 1), None, true)?;
            if item.is_empty() {
                break;
            }
            items.push(item);
        }
        Ok((!items.is_empty()).then_some(Answer::List(items)))
    }
}

/// A question's own error in the words of its prompt, not its id.
fn plain(question: &Question, message: &str) -> String {
    message.replace(&format!("{:?}", question.id), "this")
}

/// A number as the prompt shows it: `1,922`.
fn group(n: f64) -> String {
    if n.fract() == 0.0 && n >= 0.0 {
        crate::format::thousands(n as u64)
    } else {
        n.to_string()
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

    fn find(&mut self, prompt: &str, items: &[String], default: usize) -> Result<Option<usize>> {
        self.filtered(prompt, items, default).map(Some)
    }

    fn optional_line(&mut self, prompt: &str) -> Result<Option<String>> {
        let text = self.text(prompt, None, true)?;
        Ok((!text.is_empty()).then_some(text))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<Option<bool>> {
        self.yes_no(prompt, Some(default)).map(Some)
    }

    fn say(&mut self, line: &str) -> Result<()> {
        self.wrapped(line, 2)
    }

    fn begin_step(&mut self, brief: &StepBrief<'_>) -> Result<()> {
        let step = brief.step;
        self.write("")?;
        let title = format!("Step {}/6 · {}", step.number(), step.title());
        self.write(&self.heading.apply_to(title).to_string())?;
        self.wrapped(&format!("Purpose:     {}", step.purpose()), 13)?;
        self.wrapped(&format!("Responsible: {}", brief.responsible), 13)?;
        self.wrapped(&format!("Impact:      {}", step.impact()), 13)?;
        if let Some(escalation) = &brief.escalation {
            self.wrapped(&format!("Escalation:  {escalation}"), 13)?;
        }
        self.write("")?;
        for paragraph in brief.guidance.trim_end().split("\n\n") {
            let joined = paragraph
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            self.wrapped(&format!("  {joined}"), 0)?;
        }
        if !brief.checklist.is_empty() {
            self.write("")?;
            self.write("Checklist:")?;
            for item in &brief.checklist {
                self.wrapped(&format!("  [ ] {item}"), 4)?;
            }
        }
        self.write("")
    }

    fn given(&mut self, question: &Question, answer: &Answer) -> Result<()> {
        let line = format!("{}: {answer}  (from the answers file)", question.prompt);
        self.wrapped(&self.dim.apply_to(line).to_string(), 2)
    }

    fn ask(
        &mut self,
        _: crate::incident::Step,
        question: &Question,
        default: Option<&Answer>,
    ) -> Result<Option<Answer>> {
        if let Some(help) = &question.help {
            self.wrapped(&self.dim.apply_to(help).to_string(), 0)?;
        }
        let optional = !question.required;
        // A yes/no question always records an answer, so it is never shown as optional; a
        // choice offers "(skip)" in its list.
        let prompt = match question.kind {
            _ if !optional => question.prompt.clone(),
            QuestionType::Bool => question.prompt.clone(),
            QuestionType::Choice | QuestionType::Actions => {
                format!("{} (optional)", question.prompt)
            }
            _ => format!("{} (optional: Enter to skip)", question.prompt),
        };
        match question.kind {
            QuestionType::Text => {
                let text = self.text(&prompt, default.and_then(Answer::as_text), optional)?;
                Ok((!text.is_empty()).then_some(Answer::Text(text)))
            }
            QuestionType::Bool => {
                let default = default
                    .map(|d| matches!(d, Answer::Bool(true)))
                    .or(Some(false));
                Ok(Some(Answer::Bool(self.yes_no(&prompt, default)?)))
            }
            QuestionType::Number | QuestionType::Money => self.amount(question, &prompt, default),
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
                Ok(question
                    .choices
                    .get(picked)
                    .map(|c| Answer::Text(c.clone())))
            }
            QuestionType::List => self.ask_list(&prompt),
            QuestionType::Datetime => {
                self.moment(question, &prompt, default.and_then(Answer::as_text))
            }
            QuestionType::Actions => self.ask_actions(question, &prompt),
        }
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
