//! Rules for text that people type into the record, so that nothing written there can move a
//! terminal's cursor, forge a header, hide in a diff or take quadratic time to lay out.

use crate::limits::{MAX_LINE_CHARS, MAX_SHORT_CHARS, MAX_TEXT_CHARS};

/// Characters that end a line without being control characters: a one-line field holding one
/// would break a header or a table row as a line feed does.
fn is_line_separator(ch: char) -> bool {
    matches!(ch, '\u{2028}' | '\u{2029}')
}

/// Refuse control characters: terminal escapes, NUL, carriage returns. Line feeds and tabs are
/// allowed only where `multiline` text belongs, and line and paragraph separators (U+2028,
/// U+2029) never in one line. A one-line value holds at most [`MAX_LINE_CHARS`] characters,
/// multi-line text [`MAX_TEXT_CHARS`].
pub fn check_text(text: &str, multiline: bool) -> Result<(), String> {
    let length = check_chars(text, multiline)?;
    let limit = if multiline {
        MAX_TEXT_CHARS
    } else {
        MAX_LINE_CHARS
    };
    if length > limit {
        return Err(format!(
            "is {length} characters long; at most {limit} are allowed"
        ));
    }
    Ok(())
}

/// The character rules of [`check_text`] alone; the length in characters when they hold.
pub fn check_chars(text: &str, multiline: bool) -> Result<usize, String> {
    let mut length = 0;
    for ch in text.chars() {
        length += 1;
        let allowed = multiline && (ch == '\n' || ch == '\t');
        if (ch.is_control() || is_line_separator(ch)) && !allowed {
            return Err(format!(
                "contains the {} U+{:04X}; {}",
                if ch.is_control() {
                    "control character"
                } else {
                    "line separator"
                },
                u32::from(ch),
                if multiline {
                    "only line feeds and tabs are allowed"
                } else {
                    "use a single line of plain text"
                }
            ));
        }
    }
    Ok(length)
}

/// Refuse an empty or hostile single-line value such as a resolution or a reason.
pub fn check_line(field: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    check_text(text, false).map_err(|e| format!("{field} {e}"))
}

/// [`check_line`] for a title, a subject or a name, which are shown in headers, tables and
/// lists: at most [`MAX_SHORT_CHARS`] characters.
pub fn check_short(field: &str, text: &str) -> Result<(), String> {
    check_line(field, text)?;
    check_length(field, text)
}

/// Only the length rule of [`check_short`], for a value whose other rules are checked apart.
pub fn check_length(field: &str, text: &str) -> Result<(), String> {
    let length = text.trim().chars().count();
    if length > MAX_SHORT_CHARS {
        return Err(format!(
            "{field} is {length} characters long; at most {MAX_SHORT_CHARS} are allowed"
        ));
    }
    Ok(())
}

/// A value from an input file or a record made safe for a terminal: control characters and
/// line separators escaped (`\u{1b}`, `\n`), so it shows on one line and cannot move the
/// cursor; everything else is left as it is.
pub fn printable(text: &str) -> String {
    escape(text, |_| false)
}

/// [`printable`] for text of several lines: line feeds and tabs kept.
pub fn printable_lines(text: &str) -> String {
    escape(text, |ch| ch == '\n' || ch == '\t')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> String {
    let unsafe_char = |ch: char| (ch.is_control() || is_line_separator(ch)) && !keep(ch);
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        if unsafe_char(ch) {
            out.extend(ch.escape_debug());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The Levenshtein distance between two names, to suggest the one meant.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Whether a text has the form of a locale code (`en`, `nl`, `pt-br`).
pub fn is_locale(locale: &str) -> bool {
    (2..=8).contains(&locale.len())
        && locale.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !locale.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_fields_refuse_breaks_escapes_and_separators() {
        for hostile in [
            "a\nb",
            "a\rb",
            "a\u{1b}[2Jb",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{85}b",
        ] {
            assert!(check_line("the title", hostile).is_err(), "{hostile:?}");
        }
        assert!(check_text("line\nline\twith tab", true).is_ok());
        assert!(
            check_text("a\u{2028}b", true).is_err(),
            "a separator is no line feed"
        );
        assert!(check_line("the title", "Plain, with punctuation: fine!").is_ok());
    }

    #[test]
    fn lengths_are_limited_and_the_message_says_so() {
        let long = "x".repeat(MAX_SHORT_CHARS + 1);
        assert_eq!(
            check_short("the title", &long).unwrap_err(),
            format!(
                "the title is {} characters long; at most 200 are allowed",
                MAX_SHORT_CHARS + 1
            )
        );
        assert!(check_short("the title", &"é".repeat(MAX_SHORT_CHARS)).is_ok());
        assert!(check_line("the resolution", &long).is_ok());
        assert!(check_text(&"x".repeat(MAX_LINE_CHARS + 1), false).is_err());
        assert!(check_text(&"x\n".repeat(MAX_TEXT_CHARS), true).is_err());
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_obey() {
        assert_eq!(printable("plain 'quoted' \\ \""), "plain 'quoted' \\ \"");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(printable_lines("one\ntwo\r\tthree"), "one\ntwo\\r\tthree");
    }
}
