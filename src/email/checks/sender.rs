//! Who the email comes from: a real brand, a mailbox people can answer, under the sender's
//! plain name.

use super::words::is_emoji;
use super::{BRAND_UNSET, Finding, Level, SENDER_NAME, SENDER_NO_REPLY, View};

/// `sender-no-reply`: a From or Reply-To nobody reads.
pub fn no_reply(view: &View<'_>) -> Vec<Finding> {
    let Some(sender) = view.d.sender else {
        return Vec::new();
    };
    [("From", sender.address), ("Reply-To", sender.reply_to)]
        .into_iter()
        .filter(|(_, address)| is_no_reply(address))
        .map(|(field, address)| {
            Finding::new(
                &SENDER_NO_REPLY,
                format!("{field} is {address}, a no-reply address"),
            )
            .in_part("from")
        })
        .collect()
}

fn is_no_reply(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or_default().to_lowercase();
    let squashed: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    ["noreply", "donotreply", "dontreply", "nreply"]
        .iter()
        .any(|n| squashed.contains(n))
}

/// `sender-name`: a From without a name, or with a name that carries more than the sender.
pub fn name(view: &View<'_>) -> Vec<Finding> {
    let Some(sender) = view.d.sender else {
        return Vec::new();
    };
    let name = sender.name.trim();
    let message = if name.is_empty() {
        format!(
            "the From is a bare address ({}): people see no sender's name",
            sender.address
        )
    } else {
        let carries = if name.chars().any(is_emoji) {
            "an emoji"
        } else if name.contains(['@', '<', '>']) {
            "an address, which can make it look like another sender"
        } else if name.contains(':') {
            "subject text after a colon"
        } else if name.contains(['!', '?', '|']) {
            "punctuation that shouts"
        } else {
            return Vec::new();
        };
        format!("the From name {name:?} carries {carries}")
    };
    vec![Finding::new(&SENDER_NAME, message).in_part("from")]
}

/// `brand-unset`: the email would go out under the built-in example brand, or from an address
/// or with links on a domain reserved for examples. On a breach notice that looks like
/// phishing. A drill or a dry run may rehearse with it: then it is a warning that says so.
pub fn brand_unset(view: &View<'_>) -> Vec<Finding> {
    let keys = view.d.brand_example;
    if keys.is_empty() {
        return Vec::new();
    }
    let message = format!(
        "the email would go out under the example brand: [brand] {}",
        keys.join(", ")
    );
    let finding = match view.d.rehearsal {
        None => Finding::new(&BRAND_UNSET, message),
        Some(rehearsal) => Finding {
            level: Level::Warning,
            ..Finding::new(
                &BRAND_UNSET,
                format!("{message} (fine for {rehearsal}, not for a real send)"),
            )
        },
    };
    vec![finding]
}
