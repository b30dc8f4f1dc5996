//! Rules for text that people type into the record, so that nothing written there can move a
//! terminal's cursor, forge a header or hide in a diff.

/// Refuse control characters: terminal escapes, NUL, carriage returns. Line feeds and tabs are
/// allowed only where `multiline` text belongs.
pub fn check_text(text: &str, multiline: bool) -> Result<(), String> {
    for ch in text.chars() {
        let allowed = multiline && (ch == '\n' || ch == '\t');
        if ch.is_control() && !allowed {
            return Err(format!(
                "contains the control character U+{:04X}; {}",
                u32::from(ch),
                if multiline {
                    "only line feeds and tabs are allowed"
                } else {
                    "use a single line of plain text"
                }
            ));
        }
    }
    Ok(())
}

/// Refuse an empty or hostile single-line value such as a title or a name.
pub fn check_line(field: &str, text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{field} is empty"));
    }
    check_text(text, false).map_err(|e| format!("{field} {e}"))
}

/// A value from an input file made safe for a terminal: control characters escaped.
pub fn printable(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_string()
    }
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
