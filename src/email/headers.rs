//! Header values by the standard (RFC 5322 §2.1.1, RFC 2047). Every value the tool composes is
//! folded before 78 octets wherever it has white space to fold at. A word that is not plain
//! ASCII, is too long to fold, or looks like an encoded-word (`=?…?=`, which a mail reader
//! would decode) is itself RFC 2047-encoded: an operator's subject is shown as typed and can
//! never pass for a pre-encoded word that decodes to CR LF and a forged header. A line that is
//! still longer than 998 octets — an address or URL cannot be folded — is refused.

use std::fmt::Write as _;

use email_encoding::headers::rfc2047;
use email_encoding::headers::writer::EmailWriter;
use lettre::message::header::{HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// Lines longer than this are allowed but discouraged (RFC 5322 §2.1.1 "SHOULD").
pub const RECOMMENDED_OCTETS: usize = 78;

/// No header line may be longer (RFC 5322 §2.1.1 "MUST").
pub const MAX_OCTETS: usize = 998;

/// The longest word written as it is; a longer one is encoded, which splits it.
const LONGEST_PLAIN_WORD: usize = 60;

/// Which words of a value may stand as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Unstructured text (Subject): any printable ASCII.
    Text,
    /// A display name (RFC 5322 phrase): atoms only, the rest encoded.
    Phrase,
}

/// One piece of a header value.
pub enum Part<'a> {
    /// Text to encode as `Syntax` says.
    Words(&'a str, Syntax),
    /// A token written as it is, after a space: `<address>`, `<list-id>`.
    Token(String),
}

/// A display name: a quoted string when it is short plain ASCII (as most are), else a phrase
/// whose other words are encoded, which can fold.
pub fn display_name(name: &str) -> Part<'_> {
    let quotable = name.len() <= LONGEST_PLAIN_WORD
        && !name.contains("=?")
        && name
            .bytes()
            .all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\');
    if quotable {
        Part::Token(format!("\"{name}\""))
    } else {
        Part::Words(name, Syntax::Phrase)
    }
}

/// The header `name` with a value made of `parts`, encoded and folded.
pub fn header(name: &'static str, raw: &str, parts: &[Part<'_>]) -> HeaderValue {
    HeaderValue::dangerous_new_pre_encoded(
        HeaderName::new_from_ascii_str(name),
        raw.to_string(),
        encode(name, parts),
    )
}

/// `parts` as the value of header `name`.
fn encode(name: &str, parts: &[Part<'_>]) -> String {
    let mut out = String::new();
    {
        let mut w = EmailWriter::new(&mut out, name.len() + ": ".len(), 0, false);
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                w.space();
            }
            // Writing into a String cannot fail.
            let _ = match part {
                Part::Words(text, syntax) => words(&mut w, text, *syntax),
                Part::Token(token) => w.folding().write_str(token),
            };
        }
    }
    out
}

/// Plain words as they are, each run of other words as encoded-words (the white space inside
/// a run is encoded with it, so it survives decoding).
fn words(w: &mut EmailWriter<'_>, text: &str, syntax: Syntax) -> std::fmt::Result {
    let mut pending = String::new();
    for word in text.split_inclusive(' ') {
        if is_plain(word.trim_end_matches(' '), syntax) {
            flush(w, &mut pending)?;
            w.folding().write_str(word)?;
        } else {
            pending.push_str(word);
        }
    }
    flush(w, &mut pending)
}

fn flush(w: &mut EmailWriter<'_>, pending: &mut String) -> std::fmt::Result {
    if pending.is_empty() {
        return Ok(());
    }
    let encoded = pending.trim_end_matches(' ');
    rfc2047::encode(encoded, w)?;
    for _ in encoded.len()..pending.len() {
        w.space();
    }
    pending.clear();
    Ok(())
}

/// Whether `word` can be written as it is.
fn is_plain(word: &str, syntax: Syntax) -> bool {
    let allowed = |b: u8| match syntax {
        Syntax::Text => (0x21..=0x7e).contains(&b),
        Syntax::Phrase => b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b),
    };
    word.len() <= LONGEST_PLAIN_WORD && !word.contains("=?") && word.bytes().all(allowed)
}

/// The header block of a formatted message: everything before the first empty line.
pub fn block(message: &[u8]) -> &str {
    let text = std::str::from_utf8(message).unwrap_or_default();
    text.split_once("\r\n\r\n").map_or(text, |(head, _)| head)
}

/// Refuse a message with a header line longer than [`MAX_OCTETS`], naming the header.
pub fn check_lengths(message: &[u8]) -> Result<()> {
    let mut field = "";
    for line in block(message).split("\r\n") {
        if !line.starts_with([' ', '\t']) {
            field = line.split(':').next().unwrap_or_default();
        }
        if line.len() > MAX_OCTETS {
            return Err(Error::Usage {
                message: format!(
                    "the {field} header would have a line of {} octets; the standard allows {MAX_OCTETS}",
                    line.len()
                ),
                hint: "shorten what goes into it: the [brand] addresses and URLs in incident.toml"
                    .into(),
            });
        }
    }
    Ok(())
}

/// Each header line longer than [`RECOMMENDED_OCTETS`], with the header it belongs to.
pub fn long_lines(block: &str) -> Vec<(String, usize)> {
    let mut field = String::new();
    let mut long = Vec::new();
    for line in block.split("\r\n") {
        if !line.starts_with([' ', '\t']) {
            field = line.split(':').next().unwrap_or_default().to_string();
        }
        if line.len() > RECOMMENDED_OCTETS {
            long.push((field.clone(), line.len()));
        }
    }
    long.dedup_by(|a, b| a.0 == b.0);
    long
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(text: &str) -> String {
        format!(
            "Subject: {}",
            encode("Subject", &[Part::Words(text, Syntax::Text)])
        )
    }

    /// Undo RFC 2047 as a mail reader does, to see what it would show.
    fn decoded(header: &str) -> String {
        let raw = format!("{header}\r\n\r\n");
        let message = mail_parser::MessageParser::default()
            .parse(raw.as_bytes())
            .expect("parses");
        message.subject().unwrap_or_default().to_string()
    }

    #[test]
    fn an_encoded_word_typed_by_an_operator_is_text() {
        let typed = "=?utf-8?q?Sorry=0D=0ABcc:_all@example.com?=";
        let header = subject(typed);
        assert!(!header.contains(typed), "passed through: {header}");
        assert_eq!(decoded(&header), typed);
        assert!(!decoded(&header).contains('\r'));
    }

    #[test]
    fn long_values_fold_and_every_line_fits() {
        let long = format!("{} {}end", "w".repeat(300), "Ümlaut ".repeat(40));
        let header = subject(&long);
        for line in header.split("\r\n") {
            assert!(
                line.len() <= RECOMMENDED_OCTETS,
                "{} octets: {line}",
                line.len()
            );
        }
        assert_eq!(decoded(&header), long);
        let plain = subject("We sent you the wrong offer, and we are sorry");
        assert_eq!(
            plain,
            "Subject: We sent you the wrong offer, and we are sorry"
        );
    }

    #[test]
    fn a_display_name_keeps_only_atoms_plain() {
        let value = encode(
            "From",
            &[
                Part::Words("Acme (Support) Team", Syntax::Phrase),
                Part::Token("<care@acme.example>".into()),
            ],
        );
        assert!(value.starts_with("Acme =?utf-8?b?"), "{value}");
        assert!(value.ends_with(" Team <care@acme.example>"), "{value}");
    }

    #[test]
    fn a_short_plain_name_is_quoted_and_a_long_one_folds() {
        let from = |name: &str| {
            encode(
                "From",
                &[
                    display_name(name),
                    Part::Token("<care@acme.example>".into()),
                ],
            )
        };
        assert_eq!(
            from("Acme Outfitters"),
            "\"Acme Outfitters\" <care@acme.example>"
        );
        let long = from(&"Acme Outfitters ".repeat(12));
        for line in long.split("\r\n") {
            assert!(line.len() <= RECOMMENDED_OCTETS, "{line}");
        }
    }

    #[test]
    fn lines_over_the_limits_are_found() {
        let head = format!(
            "From: a\r\nList-Unsubscribe: <https://{}>\r\n\r\nbody",
            "x".repeat(990)
        );
        assert!(
            check_lengths(head.as_bytes())
                .expect_err("refused")
                .to_string()
                .contains("the List-Unsubscribe header would have a line of 1018 octets")
        );
        assert_eq!(
            long_lines(block(head.as_bytes())),
            [("List-Unsubscribe".to_string(), 1018)]
        );
    }
}
