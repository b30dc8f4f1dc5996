//! `sent_at` and the window bounds: RFC 3339 date-times compared as instants.
//!
//! Millions of rows pass through here, so this is a small hand-written parser rather than a
//! general one. It accepts RFC 3339 (`T`, `t` or a space between date and time; `Z` or a
//! `±HH:MM` offset; any number of fraction digits) minus the two spellings Python's
//! `datetime.fromisoformat` rejects (a leap second `:60`, a lower-case `z`), and keeps
//! microseconds, truncating further digits as Python does, so a bound compares exactly as in
//! the reference.

use chrono::{DateTime, TimeZone, Utc};

/// An instant: microseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

impl Instant {
    /// As a chrono date-time, for the record.
    pub fn to_utc(self) -> DateTime<Utc> {
        Utc.timestamp_micros(self.0).single().unwrap_or_default()
    }
}

/// Parse an RFC 3339 date-time; `None` when `text` is not one.
pub fn parse_instant(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let separators = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':';
    if !separators
        || year == 0
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut i = 19;
    let mut micros = 0;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 6 {
                micros = micros * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..6 {
            micros *= 10;
        }
    }
    let offset_minutes = match b.get(i..)? {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2], 0, 2)?;
            let minutes = digits(&[*m1, *m2], 0, 2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(Instant(seconds * 1_000_000 + micros))
}

/// `len` ASCII digits at `at`, as a number.
fn digits(b: &[u8], at: usize, len: usize) -> Option<i64> {
    b.get(at..at + len)?.iter().try_fold(0, |n, &d| {
        d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .timestamp_micros()
    }

    #[test]
    fn agrees_with_chrono_on_valid_date_times() {
        for text in [
            "2026-11-20T09:00:00Z",
            "2026-11-20t09:00:00Z",
            "2026-11-20 09:00:00Z",
            "2026-11-20T10:00:00+01:00",
            "2026-11-20T03:30:00-05:30",
            "2026-11-20T09:00:00.5Z",
            "2026-11-20T09:00:00.123456Z",
            "2024-02-29T23:59:59+23:59",
            "1969-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2000-03-01T00:00:00-00:00",
        ] {
            assert_eq!(
                parse_instant(text).map(|i| i.0),
                Some(chrono(text)),
                "{text}"
            );
        }
    }

    #[test]
    fn truncates_fractions_to_microseconds_like_python() {
        assert_eq!(
            parse_instant("2026-11-20T09:00:00.1234567Z"),
            parse_instant("2026-11-20T09:00:00.123456Z")
        );
        assert_eq!(
            parse_instant("2026-11-20T09:00:00.000000999Z"),
            parse_instant("2026-11-20T09:00:00Z")
        );
    }

    #[test]
    fn offsets_compare_as_instants() {
        assert_eq!(
            parse_instant("2026-11-20T10:00:00+01:00"),
            parse_instant("2026-11-20T09:00:00Z")
        );
        assert!(parse_instant("2026-11-20T09:59:59+01:00") < parse_instant("2026-11-20T09:00:00Z"));
    }

    #[test]
    fn refuses_what_is_not_rfc_3339_or_what_python_refuses() {
        for text in [
            "",
            "2026-11-20",
            "2026-11-20T09:00:00",
            "2026-11-20T09:00Z",
            "2026-11-20T9:00:00Z",
            "2026-11-20T09:00:00z",
            "2026-11-20T09:00:60Z",
            "2026-11-20T24:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-00T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2026-11-20T09:00:00.Z",
            "2026-11-20T09:00:00,5Z",
            "2026-11-20T09:00:00+24:00",
            "2026-11-20T09:00:00+01:60",
            "2026-11-20T09:00:00+0100",
            "2026-11-20T09:00:00+01",
            "2026-11-20T09:00:00 Z",
            "2026-11-20T09:00:00Z ",
            "20261120T090000Z",
            "２０２６-11-20T09:00:00Z",
            "2026-11-20T09:00:00.１Z",
        ] {
            assert_eq!(parse_instant(text), None, "{text:?}");
        }
    }
}
