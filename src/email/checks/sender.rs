//! Who the email comes from: a mailbox people can answer, under the sender's plain name.

use super::words::is_emoji;
use super::{Finding, SENDER_NAME, SENDER_NO_REPLY, View};

/// `sender-no-reply`: a From or Reply-To nobody reads.
pub fn no_reply(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    [("From", d.from_address), ("Reply-To", d.reply_to)]
        .into_iter()
        .filter(|(_, address)| is_no_reply(address))
        .map(|(field, address)| {
            Finding::new(
                &SENDER_NO_REPLY,
                format!("{field} is {address}, a no-reply address"),
            )
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

/// `sender-name`: a From name that carries more than the sender.
pub fn name(view: &View<'_>) -> Vec<Finding> {
    let name = view.d.from_name;
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
    vec![Finding::new(
        &SENDER_NAME,
        format!("the From name {name:?} carries {carries}"),
    )]
}
