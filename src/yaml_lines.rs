//! Finding the line of a key in a YAML file, so that errors found after parsing (a wrong type,
//! an unknown key, a missing choice) can still name the line, as parse errors do.

/// The 1-based line of the last key in `path`, each key searched for after the line of the one
/// before it. A key matches a line whose text, without indentation and a leading `- `, starts
/// with `key:`; a key written with its value (`id: subject`) matches that whole pair. Best
/// effort: `None` when the file is written in flow style.
pub fn locate(text: &str, path: &[&str]) -> Option<usize> {
    let mut from = 0;
    let mut found = None;
    for key in path {
        let (line, _) = text
            .lines()
            .enumerate()
            .skip(from)
            .find(|(_, line)| starts_with_key(line, key))?;
        found = Some(line + 1);
        from = line + 1;
    }
    found
}

fn starts_with_key(line: &str, key: &str) -> bool {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
    if key.contains(": ") {
        return trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '#']));
    }
    let unquoted = trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_prefix(key))
        .and_then(|t| t.strip_prefix('"'))
        .or_else(|| trimmed.strip_prefix(key));
    unquoted.is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The line of a serde YAML error.
pub fn error_line(err: &serde_yaml::Error) -> Option<usize> {
    err.location().map(|l| l.line())
}

/// A serde YAML error's message without the " at line L column C" that the caller already
/// shows as `file:line`.
pub fn error_message(err: &serde_yaml::Error) -> String {
    // serde_yaml says this when a list or mapping stands where one of a set of names belongs.
    let text = err.to_string().replace(
        "expected a YAML tag starting with '!'",
        "expected one plain value (a name such as sev2 or open)",
    );
    match err.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            text.replacen(&suffix, "", 1)
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn finds_nested_keys_in_order() {
        let text = "own:\n  discovered_at: now\nstop:\n  paused: true\n  discovered_at: x\n";
        assert_eq!(locate(text, &["stop", "discovered_at"]), Some(5));
        assert_eq!(locate(text, &["own", "discovered_at"]), Some(2));
        assert_eq!(locate(text, &["plan"]), None);
        assert_eq!(locate("- id: foo\n", &["id"]), Some(1));
        let steps = "steps:\n  own:\n    - id: foo\n    - id: foobar\n    - id: bar # x\n";
        assert_eq!(locate(steps, &["steps", "own", "id: bar"]), Some(5));
        assert_eq!(locate(steps, &["steps", "own", "id: foo"]), Some(3));
    }
}
