//! Turning a value from an answers file, a runbook default or a prompt into a typed answer.

use chrono::{DateTime, NaiveDate, Utc};
use serde_yaml::Value;

use super::model::{Question, QuestionType};
use crate::incident::{
    ActionItem, ActionType, Answer, DISCOVERED_AT, Money, parse_rfc3339, rfc3339,
};
use crate::text::check_text;

impl Question {
    /// The answer a YAML value gives this question, or why it does not fit.
    pub fn parse_value(&self, value: &Value, now: DateTime<Utc>) -> Result<Answer, String> {
        let wrong = || {
            format!(
                "expected {} for {} question {:?}, found {}",
                self.kind.expected(),
                self.kind,
                self.id,
                describe(value)
            )
        };
        match self.kind {
            QuestionType::Text => {
                let text = value.as_str().ok_or_else(wrong)?;
                self.parse_text(text)
            }
            QuestionType::Bool => value.as_bool().map(Answer::Bool).ok_or_else(wrong),
            QuestionType::Number => {
                let n = value.as_f64().ok_or_else(wrong)?;
                if n.is_finite() {
                    self.number_answer(n)
                } else {
                    Err(wrong())
                }
            }
            QuestionType::Choice => {
                let text = value.as_str().ok_or_else(wrong)?;
                self.parse_choice(text)
            }
            QuestionType::List => {
                let items = value.as_sequence().ok_or_else(wrong)?;
                let mut list = Vec::with_capacity(items.len());
                for item in items {
                    let text = item.as_str().ok_or_else(wrong)?;
                    check_text(text, false).map_err(|e| format!("{:?}: {e}", self.id))?;
                    list.push(text.trim().to_string());
                }
                Ok(Answer::List(list))
            }
            QuestionType::Datetime => {
                let text = value.as_str().ok_or_else(wrong)?;
                self.parse_datetime(text, now)
            }
            QuestionType::Actions => {
                let items = value.as_sequence().ok_or_else(wrong)?;
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.parse_action(i, item))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Answer::Actions)
            }
            QuestionType::Money => self.parse_money(value).ok_or_else(wrong)?,
        }
    }

    /// Money from a file: `500`, `"EUR 500"`, `"€1,250.50"` (grouped the English way), or
    /// `{amount: 500, currency: EUR}`. No currency given: the walk adds the brand's.
    fn parse_money(&self, value: &Value) -> Option<Result<Answer, String>> {
        let (amount, currency) = match value {
            Value::Number(n) => (n.as_f64()?, None),
            Value::String(text) => super::typed::amount(text, "en").ok()?,
            Value::Mapping(_) => {
                let money: Money = serde_yaml::from_value(value.clone()).ok()?;
                (money.amount, money.currency)
            }
            _ => return None,
        };
        Some(self.money_answer(amount, currency))
    }

    /// An amount of money, zero or more.
    pub fn money_answer(&self, amount: f64, currency: Option<String>) -> Result<Answer, String> {
        if !amount.is_finite() || amount < 0.0 {
            return Err(format!(
                "{:?} must be an amount of zero or more, not {amount}",
                self.id
            ));
        }
        let currency = currency.map(|c| c.trim().to_uppercase());
        if let Some(code) = &currency
            && !(code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(format!(
                "{:?}: {code:?} is not a currency code such as EUR or USD",
                self.id
            ));
        }
        // Without a currency the amount stays a plain number in the record.
        Ok(match currency {
            Some(code) => Answer::Money(Money {
                amount,
                currency: Some(code),
            }),
            None => Answer::number(amount),
        })
    }

    /// A free-text answer, refused when it carries control characters.
    pub fn parse_text(&self, text: &str) -> Result<Answer, String> {
        check_text(text, !self.single_line).map_err(|e| format!("{:?}: {e}", self.id))?;
        if self.required && text.trim().is_empty() {
            return Err(format!("{:?} is required and must not be empty", self.id));
        }
        Ok(Answer::Text(text.trim().to_string()))
    }

    /// A choice, which must be one of the question's choices.
    pub fn parse_choice(&self, text: &str) -> Result<Answer, String> {
        if self.choices.iter().any(|c| c == text) {
            Ok(Answer::Text(text.to_string()))
        } else {
            Err(format!(
                "{:?} is not a choice of {:?}; expected one of: {}",
                text,
                self.id,
                self.choices.join(", ")
            ))
        }
    }

    /// A number: everything an incident counts (people, money, rates) is zero or more, and a
    /// question marked `integer` counts whole things.
    pub fn number_answer(&self, n: f64) -> Result<Answer, String> {
        if n < 0.0 {
            return Err(format!("{:?} must be zero or more, not {n}", self.id));
        }
        if self.integer && n.fract() != 0.0 {
            return Err(format!(
                "{:?} counts whole things; {n} is not a whole number",
                self.id
            ));
        }
        Ok(Answer::number(n))
    }

    /// An RFC 3339 date-time (or `now`), stored in UTC.
    pub fn parse_datetime(&self, text: &str, now: DateTime<Utc>) -> Result<Answer, String> {
        let at = if text.trim() == "now" {
            Some(now)
        } else {
            parse_rfc3339(text)
        };
        let at = at.ok_or_else(|| {
            format!(
                "{:?} is not a date-time for {:?}; expected {}",
                text,
                self.id,
                QuestionType::Datetime.expected()
            )
        })?;
        self.datetime_answer(at, now)
    }

    /// An instant as stored, UTC. The moment the team became aware cannot lie ahead: legal
    /// clocks and every duration run from it.
    pub fn datetime_answer(&self, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Answer, String> {
        if self.id == DISCOVERED_AT && at > now {
            return Err(format!(
                "{:?} {} is in the future (now is {}); it is when the team became aware",
                self.id,
                rfc3339(at),
                rfc3339(now)
            ));
        }
        Ok(Answer::Text(rfc3339(at)))
    }

    fn parse_action(&self, index: usize, item: &Value) -> Result<ActionItem, String> {
        let at = |msg: String| format!("{:?} item {}: {msg}", self.id, index + 1);
        let map = item.as_mapping().ok_or_else(|| {
            at(format!(
                "expected a {{what, owner, due}} mapping, found {}",
                describe(item)
            ))
        })?;
        let mut what = None;
        let mut owner = None;
        let mut due = None;
        let mut done = None;
        let mut action_type = self.action_type.unwrap_or(ActionType::Mitigate);
        for (key, value) in map {
            let key = key.as_str().unwrap_or_default();
            let text = || {
                value
                    .as_str()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| at(format!("{key} must be a non-empty string")))
            };
            match key {
                "what" => what = Some(text()?.to_string()),
                "owner" => owner = Some(text()?.to_string()),
                "due" => {
                    let raw = text()?;
                    due = Some(NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                        at(format!("due {raw:?} is not a date; expected YYYY-MM-DD"))
                    })?);
                }
                "done" => {
                    let raw = text()?;
                    done = Some(NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                        at(format!("done {raw:?} is not a date; expected YYYY-MM-DD"))
                    })?);
                }
                "type" => {
                    let raw = text()?;
                    action_type = ActionType::ALL
                        .into_iter()
                        .find(|t| t.key() == raw)
                        .ok_or_else(|| {
                            at(format!(
                                "type {raw:?} is unknown; expected mitigate, prevent or process"
                            ))
                        })?;
                }
                other => {
                    return Err(at(format!(
                        "unknown key {other:?}; valid keys: what, owner, due, type, done"
                    )));
                }
            }
        }
        let missing = |field: &str| {
            at(format!(
                "{field} is missing; every action needs what, owner and due"
            ))
        };
        let what = what.ok_or_else(|| missing("what"))?;
        let owner = owner.ok_or_else(|| missing("owner"))?;
        check_text(&what, false).map_err(at)?;
        check_text(&owner, false).map_err(at)?;
        Ok(ActionItem {
            what,
            owner,
            due: due.ok_or_else(|| missing("due"))?,
            action_type,
            done,
        })
    }
}

/// A value's YAML type, for error messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Sequence(_) => "a sequence".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn question(kind: QuestionType) -> Question {
        Question {
            id: "q".into(),
            kind,
            prompt: "?".into(),
            help: None,
            required: true,
            default: None,
            choices: vec!["paused".into(), "stopped".into()],
            action_type: Some(ActionType::Prevent),
            integer: false,
            at_close: false,
            single_line: false,
            skip_if: Default::default(),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .expect("valid")
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("test yaml")
    }

    #[test]
    fn each_type_takes_its_values_and_names_the_expected_type_otherwise() {
        let number = question(QuestionType::Number);
        assert_eq!(
            number.parse_value(&yaml("12"), now()),
            Ok(Answer::Integer(12))
        );
        assert_eq!(
            number.parse_value(&yaml("12.5"), now()),
            Ok(Answer::Number(12.5))
        );
        let err = number.parse_value(&yaml("twelve"), now()).unwrap_err();
        assert!(err.contains("expected a number"), "{err}");
        assert!(err.contains("\"twelve\""), "{err}");
        let err = number.parse_value(&yaml("-5"), now()).unwrap_err();
        assert!(err.contains("must be zero or more"), "{err}");
        let count = Question {
            integer: true,
            ..question(QuestionType::Number)
        };
        let err = count.parse_value(&yaml("1.5"), now()).unwrap_err();
        assert!(err.contains("not a whole number"), "{err}");

        let choice = question(QuestionType::Choice);
        assert!(choice.parse_value(&yaml("paused"), now()).is_ok());
        let err = choice.parse_value(&yaml("deleted"), now()).unwrap_err();
        assert!(err.contains("paused, stopped"), "{err}");

        let when = question(QuestionType::Datetime);
        assert_eq!(
            when.parse_value(&yaml("2026-11-26T10:00:00+01:00"), now()),
            Ok(Answer::Text("2026-11-26T09:00:00Z".into()))
        );
        assert_eq!(
            when.parse_value(&yaml("now"), now()),
            Ok(Answer::Text("2026-11-26T12:00:00Z".into()))
        );
        assert!(when.parse_value(&yaml("yesterday"), now()).is_err());
        let discovered = Question {
            id: DISCOVERED_AT.into(),
            ..question(QuestionType::Datetime)
        };
        let err = discovered
            .parse_value(&yaml("2026-11-26T12:00:01Z"), now())
            .unwrap_err();
        assert!(err.contains("is in the future"), "{err}");
        assert!(
            discovered
                .parse_value(&yaml("2026-11-26T12:00:00Z"), now())
                .is_ok()
        );

        let flag = question(QuestionType::Bool);
        assert!(flag.parse_value(&yaml("\"yes\""), now()).is_err());
    }

    #[test]
    fn actions_need_what_owner_and_due_and_take_the_question_type() {
        let actions = question(QuestionType::Actions);
        let ok = actions
            .parse_value(
                &yaml("[{what: Fix sync, owner: Ops, due: 2026-12-01}]"),
                now(),
            )
            .expect("valid actions");
        let items = ok.as_actions().expect("actions");
        assert_eq!(items[0].action_type, ActionType::Prevent);
        let err = actions
            .parse_value(&yaml("[{what: Fix sync, due: 2026-12-01}]"), now())
            .unwrap_err();
        assert!(err.contains("owner is missing"), "{err}");
        let err = actions
            .parse_value(&yaml("[{what: x, owner: y, due: soon}]"), now())
            .unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn hostile_text_is_refused() {
        let text = question(QuestionType::Text);
        assert!(text.parse_value(&yaml("\"ok\\nmultiline\""), now()).is_ok());
        assert!(text.parse_value(&yaml("\"\\e[31mred\""), now()).is_err());
    }
}
