//! The values a step's questions take, as stored in the record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of change an action item makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionType {
    /// Limits the harm of this incident.
    Mitigate,
    /// Stops it from happening again.
    Prevent,
    /// Changes how the team works.
    Process,
}

impl ActionType {
    /// All action types.
    pub const ALL: [ActionType; 3] = [
        ActionType::Mitigate,
        ActionType::Prevent,
        ActionType::Process,
    ];

    /// The key used in records and answers files.
    pub fn key(self) -> &'static str {
        match self {
            ActionType::Mitigate => "mitigate",
            ActionType::Prevent => "prevent",
            ActionType::Process => "process",
        }
    }
}

impl fmt::Display for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One fix with an owner and a due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    pub what: String,
    pub owner: String,
    pub due: NaiveDate,
    #[serde(rename = "type")]
    pub action_type: ActionType,
    /// The day it was done (`incident note ID "…" --action-done N`); open while absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<NaiveDate>,
}

/// An amount of money, in the currency it was given in (or the brand's), when one is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: f64,
    /// An ISO 4217 code: `EUR`, `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = if self.amount.fract() == 0.0 {
            crate::format::thousands(self.amount as u64)
        } else {
            let cents = (self.amount * 100.0).round() as u64;
            format!(
                "{}.{:02}",
                crate::format::thousands(cents / 100),
                cents % 100
            )
        };
        match self.currency.as_deref() {
            Some("EUR") => write!(f, "€{amount}"),
            Some("USD") => write!(f, "${amount}"),
            Some("GBP") => write!(f, "£{amount}"),
            Some(code) => write!(f, "{code} {amount}"),
            None => f.write_str(&amount),
        }
    }
}

impl ActionItem {
    /// Whether it is still open after its due day.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.done.is_none() && self.due < today
    }
}

/// A stored answer. Date-times are kept as RFC 3339 UTC text and choices as their key, so the
/// record stays plain YAML a person can read and diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Bool(bool),
    /// Whole numbers stay whole in the YAML (`1922`, not `1922.0`).
    Integer(i64),
    Number(f64),
    Text(String),
    List(Vec<String>),
    Actions(Vec<ActionItem>),
    Money(Money),
}

impl Answer {
    /// The answer as text, when it is text (text, choice or date-time questions).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Answer::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The answer as a number, when it is one (an amount of money included).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Answer::Integer(n) => Some(*n as f64),
            Answer::Number(n) => Some(*n),
            Answer::Money(m) => Some(m.amount),
            _ => None,
        }
    }

    /// The amount of money, when the answer is one.
    pub fn as_money(&self) -> Option<&Money> {
        match self {
            Answer::Money(m) => Some(m),
            _ => None,
        }
    }

    /// The action items, when the answer holds them.
    pub fn as_actions(&self) -> Option<&[ActionItem]> {
        match self {
            Answer::Actions(items) => Some(items),
            _ => None,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Bool(true) => f.write_str("yes"),
            Answer::Bool(false) => f.write_str("no"),
            Answer::Integer(n) => write!(f, "{n}"),
            Answer::Number(n) => write!(f, "{n}"),
            Answer::Text(s) => f.write_str(s),
            Answer::Money(m) => write!(f, "{m}"),
            Answer::List(items) if items.is_empty() => f.write_str("(none)"),
            Answer::List(items) => f.write_str(&items.join("; ")),
            Answer::Actions(items) if items.is_empty() => f.write_str("(none)"),
            Answer::Actions(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|a| {
                        let done = a.done.map(|d| format!(", done {d}")).unwrap_or_default();
                        format!(
                            "[{}] {} (owner {}, due {}{done})",
                            a.action_type, a.what, a.owner, a.due
                        )
                    })
                    .collect();
                f.write_str(&parts.join("; "))
            }
        }
    }
}

impl Answer {
    /// A number, whole when it can be.
    pub fn number(n: f64) -> Answer {
        if n.fract() == 0.0 && n.abs() < 9.0e15 {
            Answer::Integer(n as i64)
        } else {
            Answer::Number(n)
        }
    }
}

/// The type of a question, which decides its prompt and the value it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    Text,
    Bool,
    Number,
    Choice,
    List,
    Datetime,
    Actions,
    /// An amount of money: a number, with the currency it was given in.
    Money,
}

impl QuestionType {
    /// The type's name as written in runbooks.
    pub fn key(self) -> &'static str {
        match self {
            QuestionType::Text => "text",
            QuestionType::Bool => "bool",
            QuestionType::Number => "number",
            QuestionType::Choice => "choice",
            QuestionType::List => "list",
            QuestionType::Datetime => "datetime",
            QuestionType::Actions => "actions",
            QuestionType::Money => "money",
        }
    }

    /// A value of this type as written in YAML, for hints.
    pub fn example(self) -> &'static str {
        match self {
            QuestionType::Text => "\"…\"",
            QuestionType::Bool => "true",
            QuestionType::Number => "0",
            QuestionType::Choice => "<one of the choices>",
            QuestionType::List => "[\"…\"]",
            QuestionType::Datetime => "2026-11-26T09:30:00Z",
            QuestionType::Actions => "[{what: \"…\", owner: \"…\", due: 2026-12-01}]",
            QuestionType::Money => "500",
        }
    }

    /// What a value of this type looks like in an answers file.
    pub fn expected(self) -> &'static str {
        match self {
            QuestionType::Text => "a string",
            QuestionType::Bool => "true or false",
            QuestionType::Number => "a number",
            QuestionType::Choice => "one of the question's choices",
            QuestionType::List => "a sequence of strings",
            QuestionType::Datetime => "an RFC 3339 date-time such as 2026-11-26T09:30:00Z",
            QuestionType::Actions => "a sequence of {what, owner, due, type} mappings",
            QuestionType::Money => "a number, an amount such as \"EUR 500\", or {amount, currency}",
        }
    }
}

impl fmt::Display for QuestionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
