//! What a person types at a prompt, read as people write it: `yes`, `9:40`, `yesterday 17:00`,
//! `1,922`, `€500`. Each reader says in plain words what was wrong with what was typed, so the
//! prompt can ask again. Files (answers, exports) keep their stricter forms.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A yes or a no: `y`, `yes`, `n`, `no`, and in Dutch `j`, `ja`, `nee`.
pub fn yes_no(text: &str, locale: &str) -> Result<bool, String> {
    let word = text.trim().to_lowercase();
    let dutch = locale == "nl";
    match word.as_str() {
        "y" | "yes" => Ok(true),
        "n" | "no" => Ok(false),
        "j" | "ja" if dutch => Ok(true),
        "nee" if dutch => Ok(false),
        "" => Err("type yes or no, then Enter".into()),
        _ if dutch => Err(format!(
            "{:?} is not yes or no: type y, yes, ja, n, no or nee",
            text.trim()
        )),
        _ => Err(format!(
            "{:?} is not yes or no: type y, yes, n or no",
            text.trim()
        )),
    }
}

/// [`when`] for a moment that cannot lie ahead: a time without a date that is still to come
/// today is yesterday's (`9:40` typed at 01:36 is yesterday morning's).
pub fn when_past(text: &str, tz: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let at = when(text, tz, now)?;
    let Some(time) = time_of_day(text.trim()) else {
        return Ok(at);
    };
    let yesterday = now.with_timezone(&tz).date_naive().pred_opt();
    match yesterday.and_then(|day| local(day.and_time(time), tz)) {
        Some(earlier) if at > now => Ok(earlier),
        _ => Ok(at),
    }
}

/// A moment: `now`, RFC 3339, `2026-11-26 09:40`, `2026-11-26`, `9:40`, `09:40`,
/// `today 9:40`, `yesterday 17:00`; a time without a date is today's, in `tz`.
pub fn when(text: &str, tz: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(at) = crate::incident::parse_rfc3339(text) {
        return Ok(at);
    }
    let today = now.with_timezone(&tz).date_naive();
    let lower = text.to_lowercase();
    let (day, rest) = if let Some(rest) = lower.strip_prefix("today") {
        (Some(today), rest.trim())
    } else if let Some(rest) = lower.strip_prefix("yesterday") {
        (today.pred_opt(), rest.trim())
    } else {
        (None, lower.as_str())
    };
    let naive = match day {
        Some(day) => time_of_day(rest).map(|t| day.and_time(t)),
        None => date_time(rest).or_else(|| time_of_day(rest).map(|t| today.and_time(t))),
    };
    let naive = naive.ok_or_else(|| {
        format!(
            "{text:?} is not a moment: type 9:40, yesterday 17:00, 2026-11-26 09:40 or now (times in {tz})"
        )
    })?;
    local(naive, tz).ok_or_else(|| {
        format!(
            "{text:?} does not happen in {tz}: the clocks skip it; type the time after the change"
        )
    })
}

/// `9:40`, `09:40`, `9:40:15`.
fn time_of_day(text: &str) -> Option<NaiveTime> {
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|p| NaiveTime::parse_from_str(text, p).ok())
}

/// `2026-11-26 09:40`, `2026-11-26T09:40`, `2026-11-26` (its midnight).
fn date_time(text: &str) -> Option<NaiveDateTime> {
    let patterns = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dt%H:%M",
        "%Y-%m-%dt%H:%M:%S",
    ];
    patterns
        .iter()
        .find_map(|p| NaiveDateTime::parse_from_str(text, p).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
}

/// A wall-clock time in `tz`; the earlier of two when the clocks go back.
fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// An amount as people write it: grouped (`1,922`, or `1.922` in Dutch), with decimals
/// (`1,922.50`, `1.922,50`), and for money a currency sign or code (`€500`, `EUR 500`,
/// `500 USD`). Returns the number and the currency, when one was typed.
pub fn amount(text: &str, locale: &str) -> Result<(f64, Option<String>), String> {
    let typed = text.trim();
    let (number, currency) = split_currency(typed);
    let (group, decimal) = if matches!(locale, "nl" | "de" | "fr" | "es" | "it") {
        ('.', ',')
    } else {
        (',', '.')
    };
    let example = if group == ',' { "1,922.50" } else { "1.922,50" };
    let wrong = || format!("{typed:?} is not a number: type digits, e.g. {example}");
    let number = number.trim();
    if number.is_empty() {
        return Err(wrong());
    }
    let (whole, fraction) = match number.rsplit_once(decimal) {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return Err(wrong()),
        None => (number, None),
    };
    let digits = ungroup(whole, group).ok_or_else(wrong)?;
    let text = match fraction {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    let n: f64 = text.parse().map_err(|_| wrong())?;
    Ok((n, currency))
}

/// The digits of a whole number, without its grouping: `1,922,479` → `1922479`. Groups after
/// the first hold exactly three digits; spaces and apostrophes group too.
fn ungroup(whole: &str, group: char) -> Option<String> {
    let separators = [group, ' ', '\u{a0}', '\u{202f}', '\''];
    let parts: Vec<&str> = whole.split(|c| separators.contains(&c)).collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let grouped = parts.len() > 1;
    let fits = parts
        .iter()
        .enumerate()
        .all(|(i, p)| digits(p) && (!grouped || if i == 0 { p.len() <= 3 } else { p.len() == 3 }));
    fits.then(|| parts.concat())
}

/// The currency signs and codes an amount may carry, as the code it means.
const CURRENCIES: [(&str, &str); 8] = [
    ("€", "EUR"),
    ("$", "USD"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("kr", "SEK"),
    ("chf", "CHF"),
    ("fr.", "CHF"),
    ("zł", "PLN"),
];

/// The number and the currency of `€500`, `EUR 500`, `500 USD`, `500`.
fn split_currency(text: &str) -> (String, Option<String>) {
    let lower = text.to_lowercase();
    for (sign, code) in CURRENCIES {
        for candidate in [sign.to_string(), code.to_lowercase()] {
            if let Some(rest) = lower.strip_prefix(&candidate) {
                return (rest.trim().to_string(), Some(code.to_string()));
            }
            if let Some(rest) = lower.strip_suffix(&candidate) {
                return (rest.trim().to_string(), Some(code.to_string()));
            }
        }
    }
    // Any other three-letter code, before or after: `NOK 500`, `500 DKK`.
    let code = |w: &str| w.len() == 3 && w.chars().all(|c| c.is_ascii_alphabetic());
    if let Some((first, rest)) = text.split_once(' ')
        && code(first)
    {
        return (rest.trim().to_string(), Some(first.to_uppercase()));
    }
    if let Some((rest, last)) = text.rsplit_once(' ')
        && code(last)
    {
        return (rest.trim().to_string(), Some(last.to_uppercase()));
    }
    (text.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        crate::incident::parse_rfc3339(text).expect("valid")
    }

    #[test]
    fn yes_and_no_are_words_and_nothing_else_is() {
        for (typed, expected) in [("y", true), ("Yes", true), (" no ", false), ("N", false)] {
            assert_eq!(yes_no(typed, "en"), Ok(expected), "{typed}");
        }
        assert_eq!(yes_no("ja", "nl"), Ok(true));
        assert_eq!(yes_no("nee", "nl"), Ok(false));
        for typed in ["maybe", "", "yess", "ja", "o"] {
            assert!(yes_no(typed, "en").is_err(), "{typed}");
        }
        assert!(
            yes_no("maybe", "en")
                .unwrap_err()
                .contains("\"maybe\" is not yes or no")
        );
    }

    #[test]
    fn moments_are_read_as_people_write_them_in_the_workspace_zone() {
        let ams: Tz = "Europe/Amsterdam".parse().expect("zone");
        let now = at("2026-11-26T10:00:00Z"); // 11:00 in Amsterdam
        for (typed, expected) in [
            ("9:40", "2026-11-26T08:40:00Z"),
            ("09:40", "2026-11-26T08:40:00Z"),
            ("today 9:40", "2026-11-26T08:40:00Z"),
            ("Yesterday 17:00", "2026-11-25T16:00:00Z"),
            ("2026-11-26 09:40", "2026-11-26T08:40:00Z"),
            ("2026-11-24", "2026-11-23T23:00:00Z"),
            ("2026-11-26T09:40:00+01:00", "2026-11-26T08:40:00Z"),
            ("now", "2026-11-26T10:00:00Z"),
        ] {
            assert_eq!(when(typed, ams, now), Ok(at(expected)), "{typed}");
        }
        // A moment that cannot lie ahead: a time still to come today is yesterday's.
        assert_eq!(when_past("9:40", ams, now), Ok(at("2026-11-26T08:40:00Z")));
        assert_eq!(when_past("11:30", ams, now), Ok(at("2026-11-25T10:30:00Z")));
        assert_eq!(
            when_past("today 11:30", ams, now),
            Ok(at("2026-11-26T10:30:00Z")),
            "a day said is kept"
        );
        for typed in ["9.40", "26/11/2026", "yesterday", "soon", "25:00"] {
            let err = when(typed, ams, now).unwrap_err();
            assert!(err.contains("is not a moment"), "{typed}: {err}");
        }
    }

    #[test]
    fn amounts_take_the_grouping_of_the_locale_and_a_currency() {
        assert_eq!(amount("1,922", "en"), Ok((1922.0, None)));
        assert_eq!(amount("1,922,479", "en"), Ok((1_922_479.0, None)));
        assert_eq!(amount("1,922.50", "en"), Ok((1922.5, None)));
        assert_eq!(amount("1.922", "nl"), Ok((1922.0, None)));
        assert_eq!(amount("1.922,50", "nl"), Ok((1922.5, None)));
        assert_eq!(amount("€500", "en"), Ok((500.0, Some("EUR".into()))));
        assert_eq!(amount("EUR 1.250", "nl"), Ok((1250.0, Some("EUR".into()))));
        assert_eq!(amount("500 usd", "en"), Ok((500.0, Some("USD".into()))));
        assert_eq!(amount("NOK 500", "en"), Ok((500.0, Some("NOK".into()))));
        assert_eq!(amount("1 922", "en"), Ok((1922.0, None)));
        for typed in ["1,92", "12,34,567", "abc", "", "1.2.3", "€"] {
            assert!(amount(typed, "en").is_err(), "{typed}");
        }
        assert!(amount("lots", "en").unwrap_err().contains("e.g. 1,922.50"));
    }
}
