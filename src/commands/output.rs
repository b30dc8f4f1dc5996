//! A command's results on standard output. A reader that went away (`incident list | head -1`)
//! ends the output quietly, as with any Unix tool, instead of a panic.

use std::io::Write;

use dialoguer::console::Term;

use crate::error::{Error, Result};

/// Write `text` to stdout (colours stripped when it is not a terminal).
pub fn print(text: &str) -> Result<()> {
    let write = |mut out: Box<dyn Write>| out.write_all(text.as_bytes()).and_then(|()| out.flush());
    let written = if strips_to_itself(text) {
        write(Box::new(std::io::stdout().lock()))
    } else {
        write(Box::new(anstream::stdout().lock()))
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to", "standard output", e))
        }
        _ => Ok(()),
    }
}

/// Whether stripping `text` of terminal escapes leaves it as it is: it holds no control
/// character but whitespace, and no DEL. Such text (a long report, a JSON list) goes to stdout
/// without the stripping pass, which costs more than the writing.
fn strips_to_itself(text: &str) -> bool {
    text.bytes()
        .all(|b| (b >= 0x20 && b != 0x7f) || b.is_ascii_whitespace())
}

/// `text` for stderr: at a terminal, wrapped to its width (see [`wrap`]); piped, as is, so a
/// log keeps one message per line.
pub fn for_stderr(text: &str) -> String {
    for_term(text, &Term::stderr())
}

/// `text` for stdout, as [`for_stderr`] does it.
pub fn for_stdout(text: &str) -> String {
    for_term(text, &Term::stdout())
}

fn for_term(text: &str, term: &Term) -> String {
    match term.size_checked() {
        Some((_, columns)) if term.is_term() => wrap(text, usize::from(columns).clamp(40, 160)),
        _ => text.to_string(),
    }
}

/// Each line of `text` broken between words (never inside a path, a date or a command) to
/// fit `columns`; a continued line is indented under the line's value: after its label
/// (`  read as      …`) when it has one, else two more than the line's own indent.
pub fn wrap(text: &str, columns: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= columns {
            out.push_str(line);
            continue;
        }
        let hang = " ".repeat(hanging_indent(body));
        let options = textwrap::Options::new(columns)
            .subsequent_indent(&hang)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        out.push_str(&textwrap::wrap(body, options).join("\n"));
        out.push_str(end);
    }
    out
}

/// Where the value of `line` starts: after a label and a run of two or more spaces within
/// the first 24 characters, else the line's indent plus two.
fn hanging_indent(line: &str) -> usize {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let label_end = line[indent..].find("  ").map(|at| indent + at);
    match label_end {
        Some(end) if end < 24 => {
            let value = end + line[end..].len() - line[end..].trim_start_matches(' ').len();
            if value < 24 { value } else { indent + 2 }
        }
        _ => indent + 2,
    }
}

/// `print!` to stdout through [`print`]; evaluates to its `Result`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::output::print(&format!($($arg)*))
    };
}

/// `println!` to stdout through [`print`]; evaluates to its `Result`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}

#[cfg(test)]
mod tests {
    use super::{strips_to_itself, wrap};

    #[test]
    fn only_text_without_escapes_skips_the_stripping() {
        for text in [
            "plain — text\n",
            "tab\tand\r\n\u{c}",
            "",
            "\u{85}\u{9b} kept by the stripper",
        ] {
            assert!(strips_to_itself(text), "{text:?}");
            let stripped = anstream::adapter::strip_str(text).to_string();
            assert_eq!(stripped, text, "the stripper changes {text:?}");
        }
        for text in ["\u{1b}[2J", "bell\u{7}", "del\u{7f}", "nul\0"] {
            assert!(!strips_to_itself(text), "{text:?}");
            let stripped = anstream::adapter::strip_str(text).to_string();
            assert_ne!(stripped, text, "the stripper keeps {text:?}");
        }
    }

    #[test]
    fn a_long_line_breaks_between_words_under_its_value() {
        let text = "  read as      sendgrid preset, CSV: email ← \"email\", campaign_id ← \"marketing_campaign_id\"\nshort\n";
        assert_eq!(
            wrap(text, 60),
            "  read as      sendgrid preset, CSV: email ← \"email\",\n               campaign_id ← \"marketing_campaign_id\"\nshort\n"
        );
    }

    #[test]
    fn a_message_continues_two_in_and_a_path_is_never_split() {
        let text = "  hint: write it to ./incidents/INC-20261202-001/recipients.csv first";
        assert_eq!(
            wrap(text, 40),
            "  hint: write it to\n    ./incidents/INC-20261202-001/recipients.csv\n    first"
        );
    }
}
