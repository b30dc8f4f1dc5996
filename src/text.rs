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
