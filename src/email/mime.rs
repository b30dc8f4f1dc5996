//! The `.eml`: RFC 5322, multipart/alternative (text first, HTML last), UTF-8, with the headers
//! mailbox providers and the law expect. Header values are checked for CR and LF before they
//! reach the builder; [`headers`] encodes and folds them by the standard, and a message with a
//! header line over 998 octets is refused.

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::headers::{self, Part, Syntax};
use crate::config::Brand;
use crate::error::{Error, Result};

/// What goes into the message besides the two bodies.
pub struct Envelope<'a> {
    pub brand: &'a Brand,
    pub subject: &'a str,
    pub locale: &'a str,
    /// Marketing mail carries List-Unsubscribe (RFC 2369/8058); a breach notice, being security
    /// information, does not.
    pub marketing: bool,
    pub message_id: String,
    pub date: DateTime<Utc>,
}

/// Build the message and format it as bytes.
pub fn build(envelope: &Envelope<'_>, text: &str, html: &str) -> Result<Vec<u8>> {
    let brand = envelope.brand;
    // An empty subject is the `subject-empty` finding, not an error here; a line break or
    // control character in either value is.
    let header_text = [
        ("subject", crate::text::check_text(envelope.subject, false)),
        ("locale", crate::text::check_line("locale", envelope.locale)),
    ];
    for (field, checked) in header_text {
        checked.map_err(|message| Error::Usage {
            message: format!("cannot put the {field} in a header: {message}"),
            hint: "header values are one line of text".into(),
        })?;
    }
    let from = mailbox(&brand.from_name, &brand.from_address)?;
    let reply_to = mailbox(&brand.from_name, brand.reply_to())?;
    let to = Mailbox::new(
        Some(format!("{} subscribers", brand.name)),
        from.email.clone(),
    );
    // The typed headers let lettre check the addresses; the same headers are then written
    // again, encoded and folded by the standard.
    let mut builder = Message::builder()
        .from(from.clone())
        .reply_to(reply_to.clone())
        .to(to.clone())
        .raw_header(mailbox_header("From", &from))
        .raw_header(mailbox_header("Reply-To", &reply_to))
        .raw_header(mailbox_header("To", &to))
        .raw_header(headers::header(
            "Subject",
            envelope.subject,
            &[Part::Words(envelope.subject, Syntax::Text)],
        ))
        .date(SystemTime::from(envelope.date))
        .message_id(Some(envelope.message_id.clone()))
        .raw_header(header("Content-Language", envelope.locale));
    // Both are sent to a list of affected people, which List-Id (RFC 2919) names; only the
    // marketing apology offers one-click unsubscribe.
    let list = if envelope.marketing {
        "apology"
    } else {
        "security-notice"
    };
    let list_id = format!("<{list}.{}>", brand.domain());
    builder = builder.raw_header(headers::header(
        "List-Id",
        &format!("{} {list_id}", brand.name),
        &[
            Part::Words(&brand.name, Syntax::Phrase),
            Part::Token(list_id.clone()),
        ],
    ));
    if envelope.marketing {
        builder = builder
            .raw_header(header(
                "List-Unsubscribe",
                &format!("<{}>", brand.unsubscribe_url),
            ))
            .raw_header(header(
                "List-Unsubscribe-Post",
                "List-Unsubscribe=One-Click",
            ));
    }
    let message = builder
        .multipart(
            MultiPart::alternative()
                .boundary(boundary(&envelope.message_id))
                .singlepart(SinglePart::plain(text.to_string()))
                .singlepart(SinglePart::html(html.to_string())),
        )
        .map_err(|e| Error::Usage {
            message: format!("cannot build the message: {e}"),
            hint: "check the [brand] addresses in incident.toml".into(),
        })?;
    let formatted = message.formatted();
    headers::check_lengths(&formatted)?;
    Ok(formatted)
}

/// A mailbox header with its display name encoded and folded by the standard.
fn mailbox_header(name: &'static str, mailbox: &Mailbox) -> HeaderValue {
    let address = Part::Token(format!("<{}>", mailbox.email));
    let parts = match &mailbox.name {
        Some(display) => vec![headers::display_name(display), address],
        None => vec![address],
    };
    headers::header(name, &mailbox.to_string(), &parts)
}

fn mailbox(name: &str, address: &str) -> Result<Mailbox> {
    let email: Address = address.parse().map_err(|_| Error::Usage {
        message: format!("{address:?} is not an email address"),
        hint: "set [brand] from_address / reply_to in incident.toml".into(),
    })?;
    Ok(Mailbox::new(Some(name.to_string()), email))
}

fn header(name: &'static str, value: &str) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value.to_string())
}

/// A boundary derived from the Message-ID's digest, so the same rendering gives the same
/// bytes; short, so its `boundary=` line fits 78 octets.
fn boundary(message_id: &str) -> String {
    let local = message_id.split('@').next().unwrap_or(message_id);
    let token: String = local.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("=_incident_{token}")
}
