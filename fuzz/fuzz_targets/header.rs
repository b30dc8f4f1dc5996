//! A subject as an operator may type it, encoded into a header: no line over 998 octets, no
//! CR or LF but the folds, and a mail reader shows exactly what was typed.
#![no_main]

use incident::email::headers::{Part, Syntax, header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(subject) = std::str::from_utf8(data) else {
        return;
    };
    // What the tool lets through to a header: one line, no control characters.
    if subject
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
        || subject.trim() != subject
        || subject.contains("  ")
        || subject.is_empty()
    {
        return;
    }
    let mut headers = lettre::message::header::Headers::new();
    headers.insert_raw(header(
        "Subject",
        subject,
        &[Part::Words(subject, Syntax::Text)],
    ));
    let block = headers.to_string();
    for line in block.trim_end_matches("\r\n").split("\r\n") {
        assert!(line.len() <= 998, "{} octets", line.len());
        assert!(!line.contains(['\r', '\n']));
    }
    let raw = format!("{block}\r\nbody");
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("parses");
    assert_eq!(message.subject(), Some(subject));
});
