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

/// One step of a path into a YAML document: a key, or a position in a sequence (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Item(usize),
}

impl Segment {
    /// A key segment.
    pub fn key(name: &str) -> Segment {
        Segment::Key(name.to_string())
    }
}

/// `steps.assess.answers.affected_count`, `timeline[3].by`: a path as people read it.
pub fn dotted(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) if out.is_empty() => out.push_str(key),
            Segment::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Item(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// [`locate`] for a path that may pass through sequences, as the tool writes them (block
/// style, one `- ` per item). Best effort, like [`locate`].
pub fn locate_path(text: &str, path: &[Segment]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut found = None;
    for segment in path {
        let at = match segment {
            Segment::Key(key) => (from..lines.len()).find(|&i| starts_with_key(lines[i], key))?,
            Segment::Item(n) => nth_item(&lines, from, *n)?,
        };
        found = Some(at + 1);
        // An item's first key is on its own `- ` line.
        from = if matches!(segment, Segment::Item(_)) {
            at
        } else {
            at + 1
        };
    }
    found
}

/// The line of the `n`th item of the sequence that starts at or after line `from`.
fn nth_item(lines: &[&str], from: usize, n: usize) -> Option<usize> {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let is_item = |line: &str| line.trim_start().starts_with('-');
    let first = (from..lines.len()).find(|&i| is_item(lines[i]))?;
    let depth = indent(lines[first]);
    let mut seen = 0;
    for (i, line) in lines.iter().enumerate().skip(first) {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if indent(line) < depth || (indent(line) == depth && !is_item(line)) {
            return None;
        }
        if indent(line) == depth {
            if seen == n {
                return Some(i);
            }
            seen += 1;
        }
    }
    None
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
    use super::{Segment, dotted, locate, locate_path};

    #[test]
    fn finds_items_of_sequences() {
        let text = "title: x\ntimeline:\n- at: 1\n  by: a\n- at: 2\n  by: b\n  message: |\n    - not an item\nsteps:\n  own:\n    by: c\n";
        let path = [
            Segment::key("timeline"),
            Segment::Item(1),
            Segment::key("by"),
        ];
        assert_eq!(locate_path(text, &path), Some(6));
        assert_eq!(dotted(&path), "timeline[1].by");
        assert_eq!(
            locate_path(text, &[Segment::key("timeline"), Segment::Item(0)]),
            Some(3)
        );
        assert_eq!(
            locate_path(text, &[Segment::key("timeline"), Segment::Item(2)]),
            None
        );
        let by = [
            Segment::key("steps"),
            Segment::key("own"),
            Segment::key("by"),
        ];
        assert_eq!(locate_path(text, &by), Some(11));
    }

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
