//! The `.eml`: RFC 5322, multipart/alternative (text first, HTML last), UTF-8, with the headers
//! mailbox providers and the law expect. Header values are checked for CR and LF before they
//! reach the builder, and non-ASCII text is RFC 2047-encoded by it.

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

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
    let mut builder = Message::builder()
        .from(from.clone())
        .reply_to(reply_to)
        .to(Mailbox::new(
            Some(format!("{} subscribers", brand.name)),
            from.email.clone(),
        ))
        .subject(envelope.subject)
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
    builder = builder.raw_header(header(
        "List-Id",
        &format!("{} <{list}.{}>", brand.name, brand.domain()),
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
    Ok(message.formatted())
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

/// A boundary derived from the Message-ID, so the same rendering gives the same bytes.
fn boundary(message_id: &str) -> String {
    let token: String = message_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("=_incident_{token}")
}
