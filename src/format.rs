//! Numbers, rates, instants and durations as people read them, in one place for every layer
//! that shows them: `show`, `list`, the report, the monitor table.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::error::{Error, Result};

/// A value as pretty-printed JSON, for scripts; `what` names it if that fails.
pub fn json<T: Serialize + ?Sized>(value: &T, what: &'static str) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::encode(what, e))
}

/// A count and its noun, singular for one: `1 address`, `1,922 addresses`.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A count with its thousands grouped: `1922479` → `1,922,479`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count that may be unknown: `42,752`, or `—` when the ESP does not report it.
pub fn count(n: Option<u64>) -> String {
    n.map_or_else(|| "—".into(), thousands)
}

/// A rate as shown: two decimals and a percent sign, or a dash when there is none.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{rate:.2} %"),
        None => "—".into(),
    }
}

/// An instant as the report shows it: always UTC, to the minute.
pub fn utc(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written out rather than through a format string, which is parsed again on every call:
    // a summary shows one instant per incident. Years of other than four digits keep chrono's
    // spelling (`+10000`).
    if !(0..=9999).contains(&at.year()) {
        return at.format("%Y-%m-%d %H:%M UTC").to_string();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// A duration as people read it: `2h 05m`, `3d 4h`, `45m`, `-10m`.
pub fn human_duration(duration: Duration) -> String {
    let negative = duration < Duration::zero();
    let total = duration.num_minutes().abs();
    let (days, hours, minutes) = (total / 1440, (total % 1440) / 60, total % 60);
    let text = if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {minutes:02}m")
    } else {
        format!("{minutes}m")
    };
    if negative { format!("-{text}") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_shown_in_utc_to_the_minute() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .expect("an instant")
                .with_timezone(&Utc)
        };
        assert_eq!(utc(at("2026-03-04T05:06:59+02:00")), "2026-03-04 03:06 UTC");
        assert_eq!(utc(at("0099-12-31T23:59:00Z")), "0099-12-31 23:59 UTC");
        let far = at("9999-12-31T23:59:00Z") + Duration::days(1);
        assert_eq!(utc(far), far.format("%Y-%m-%d %H:%M UTC").to_string());
        assert_eq!(utc(far), "+10000-01-01 23:59 UTC");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(212_400), "212,400");
        assert_eq!(thousands(1_922_479), "1,922,479");
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(Duration::minutes(45)), "45m");
        assert_eq!(human_duration(Duration::minutes(125)), "2h 05m");
        assert_eq!(human_duration(Duration::hours(76)), "3d 4h");
        assert_eq!(human_duration(Duration::minutes(-10)), "-10m");
    }
}
