//! Calendar days as the email names them: the parts for a template to spell, and the day
//! spelled in the email's language.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

/// A calendar day, for templates to spell in their language.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    /// "26 November 2026" in English, "26 november 2026" in Dutch; `2026-11-26` in a
    /// locale the product has no month names for.
    pub spelled: String,
}

impl Day {
    /// The day of an instant (UTC, as the record stores it).
    pub fn of(at: DateTime<Utc>, locale: &str) -> Day {
        Day::of_date(at.date_naive(), locale)
    }

    /// A calendar date.
    pub fn of_date(date: NaiveDate, locale: &str) -> Day {
        let spelled = match crate::email::checks::month_names(locale) {
            Some(months) => {
                let name = months[date.month0() as usize];
                // English capitalises month names; Dutch does not.
                let name = if locale.starts_with("en") {
                    capitalised(name)
                } else {
                    name.to_string()
                };
                format!("{} {name} {}", date.day(), date.year())
            }
            None => date.format("%Y-%m-%d").to_string(),
        };
        Day {
            day: date.day(),
            month: date.month(),
            year: date.year(),
            spelled,
        }
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_spelled_in_the_email_language() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).expect("date");
        assert_eq!(Day::of_date(date, "en").spelled, "26 November 2026");
        assert_eq!(Day::of_date(date, "nl").spelled, "26 november 2026");
        assert_eq!(Day::of_date(date, "de").spelled, "2026-11-26");
    }
}
