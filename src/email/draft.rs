//! A draft read from a file, for `incident lint`: an `.eml` (a test send saved from an inbox:
//! subject, From, Reply-To, Date and parts from the message), an `.html` export from an ESP's
//! editor, or a `.txt` part as typed. What the file does not say (a subject, a sender) the
//! command line gives. Reading refuses what is not a draft, naming the file and line.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mail_parser::{HeaderName, MessageParser, MimeHeaders, PartType};

use super::checks::Format;
use crate::error::{Error, Result};

/// The largest draft read: an email is far smaller, and anything larger is not one.
const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// A draft as read from its file.
#[derive(Debug, Clone)]
pub struct DraftFile {
    pub path: PathBuf,
    pub format: Format,
    /// The subject; `None` when the file gives none (an `.html` or `.txt` never does).
    pub subject: Option<String>,
    /// The From: display name (empty when none) and address.
    pub from: Option<(String, String)>,
    pub reply_to: Option<String>,
    /// The message's Date, the day the notice went out.
    pub date: Option<NaiveDate>,
    pub list_unsubscribe: bool,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// Read a draft, by its extension: `.eml`, `.html` or `.htm`, `.txt`.
pub fn read(path: &Path) -> Result<DraftFile> {
    let format = format_of(path)?;
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io("cannot read", path, e))?
        .len();
    if size > MAX_BYTES {
        return Err(invalid(
            path,
            None,
            format!("is {size} bytes: larger than any email draft ({MAX_BYTES} at most)"),
            "lint the email itself, not an archive or a mailbox",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))?;
    let mut draft = DraftFile {
        path: path.to_path_buf(),
        format,
        subject: None,
        from: None,
        reply_to: None,
        date: None,
        list_unsubscribe: false,
        text: None,
        html: None,
    };
    match format {
        Format::Eml => read_message(&mut draft, &bytes)?,
        Format::Html => draft.html = Some(utf8(path, &bytes)?),
        Format::Txt => draft.text = Some(utf8(path, &bytes)?),
    }
    Ok(draft)
}

fn format_of(path: &Path) -> Result<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("eml") => Ok(Format::Eml),
        Some("html" | "htm") => Ok(Format::Html),
        Some("txt" | "text") => Ok(Format::Txt),
        other => Err(Error::Usage {
            message: format!(
                "{}: {} is not a draft `incident lint` reads",
                path.display(),
                other.map_or("a file without an extension".to_string(), |e| format!(
                    ".{e}"
                ))
            ),
            hint:
                "lint an .eml (a test send saved from your inbox), an .html export or a .txt part"
                    .into(),
        }),
    }
}

/// The text of an `.html` or `.txt` draft, which must be UTF-8 text.
fn utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        invalid(
            path,
            Some(line_of(bytes, at)),
            format!("is not UTF-8 text (byte 0x{:02x})", bytes[at]),
            "save the draft as UTF-8 (your editor's or ESP's export does this by default)",
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(invalid(
            path,
            Some(line_of(bytes, at)),
            "holds a NUL byte: it is not a text file".into(),
            "lint the email's text or HTML, not a binary file",
        ));
    }
    Ok(unix_lines(text.strip_prefix('\u{feff}').unwrap_or(text)))
}

/// A text with its line ends as `\n`: messages are sent with CRLF, and paragraphs are told
/// apart by blank lines.
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// The subject, sender, date and parts of an `.eml`.
fn read_message(draft: &mut DraftFile, bytes: &[u8]) -> Result<()> {
    let path = draft.path.clone();
    let message = MessageParser::default().parse(bytes).ok_or_else(|| {
        invalid(
            &path,
            Some(1),
            "is not an email message".into(),
            "save the test send as .eml from your mail program, or lint its text as .txt",
        )
    })?;
    let has = |name: HeaderName<'static>| message.header(name).is_some();
    let headed = [
        HeaderName::From,
        HeaderName::Subject,
        HeaderName::Date,
        HeaderName::ContentType,
        HeaderName::MimeVersion,
    ]
    .into_iter()
    .any(has);
    if !headed {
        return Err(invalid(
            &path,
            Some(1),
            "has no message headers (From, Subject, Date, Content-Type): it is not an .eml".into(),
            "save the test send as .eml from your mail program, or lint its text as .txt",
        ));
    }
    draft.subject = has(HeaderName::Subject).then(|| message.subject().unwrap_or("").to_string());
    draft.from = message.from().and_then(|a| a.first()).and_then(|addr| {
        let address = addr.address()?.to_string();
        Some((addr.name().unwrap_or("").trim().to_string(), address))
    });
    draft.reply_to = message
        .reply_to()
        .and_then(|a| a.first())
        .and_then(|addr| addr.address())
        .map(str::to_string);
    draft.date = message.date().and_then(|d| {
        NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
    });
    draft.list_unsubscribe = message.header_raw("List-Unsubscribe").is_some();
    for part in &message.parts {
        if part
            .content_disposition()
            .is_some_and(|d| d.is_attachment())
        {
            continue;
        }
        let plain = part.content_type().is_none_or(|ct| {
            ct.ctype().eq_ignore_ascii_case("text")
                && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
        });
        match &part.body {
            PartType::Text(text) if plain && draft.text.is_none() => {
                draft.text = Some(unix_lines(text));
            }
            PartType::Html(html) if draft.html.is_none() => draft.html = Some(unix_lines(html)),
            _ => {}
        }
    }
    if draft.text.is_none() && draft.html.is_none() {
        return Err(invalid(
            &path,
            None,
            "has no text or HTML part to check".into(),
            "save the test send itself, not a message that only carries attachments",
        ));
    }
    Ok(())
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn invalid(path: &Path, line: Option<usize>, message: String, hint: &str) -> Error {
    Error::Invalid {
        path: path.to_path_buf(),
        line,
        message,
        hint: hint.into(),
    }
}
