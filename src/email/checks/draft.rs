//! What the checks look at: a draft — the email `incident email` rendered, or a file `incident
//! lint` read — with what is known of it, and what the record says it must match.

use chrono::NaiveDate;
use serde::Serialize;

use crate::email::esp::{Esp, Tag};
use crate::email::html::HtmlFacts;
use crate::runbook::ApologyPolicy;

/// Where a draft comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Rendered by `incident email` on the branded templates.
    Rendered,
    /// Read from a file by `incident lint`.
    File(Format),
}

/// The kind of file a draft was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A message as sent (a test send saved from the inbox): the ESP has filled its tags.
    Eml,
    /// HTML as exported from an ESP's editor, before sending.
    Html,
    /// A plain-text part as typed in an ESP's editor.
    Txt,
}

/// Who the email comes from.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    /// The From display name; empty when the From is a bare address.
    pub name: &'a str,
    pub address: &'a str,
    pub reply_to: &'a str,
}

/// A draft, with what is known of it.
pub struct Draft<'a> {
    pub origin: Origin,
    /// The incident kind, when known.
    pub kind: Option<&'a str>,
    pub breach: bool,
    /// The language the email is in.
    pub locale: &'a str,
    /// The language the inform step's answers were written in.
    pub answered_locale: &'a str,
    /// The free-text answers the email quotes, by question id.
    pub quoted: &'a [(&'a str, &'a str)],
    /// The kind's apology policy, when the kind is known.
    pub policy: Option<ApologyPolicy>,
    pub policy_override: Option<&'a str>,
    /// The subject; `None` when the draft does not give one.
    pub subject: Option<&'a str>,
    /// The message's header block as the `.eml` has it; `None` for a draft without one.
    pub headers: Option<&'a str>,
    /// The plain-text part; `None` when the draft has none.
    pub text: Option<&'a str>,
    /// The HTML part's facts; `None` when the draft has none.
    pub html: Option<&'a HtmlFacts>,
    /// The sender; `None` when the draft does not say.
    pub sender: Option<Sender<'a>>,
    /// The `[brand]` keys that still show the built-in example brand.
    pub brand_example: &'a [String],
    /// What the rendering rehearses ("a drill", "a dry run"), when it is not a real send.
    pub rehearsal: Option<&'a str>,
    /// The brand's postal address, which a marketing email must show.
    pub postal_address: Option<&'a str>,
    /// The brand's one-click unsubscribe page.
    pub unsubscribe_url: Option<&'a str>,
    /// The ESP the draft was written for, when its markup or tags tell.
    pub esp: Option<Esp>,
    /// Whether a SendGrid draft is an API body (whose `-name-` tags the API fills).
    pub api_body: bool,
    /// The merge tags in the draft, with the quoted ones (described, not used) left out.
    pub tags: &'a [Tag],
    /// Whether the message carries a `List-Unsubscribe` header.
    pub list_unsubscribe: bool,
    /// The date of the notice, which a breach notice must state; `None` when not known.
    pub notice_date: Option<NaiveDate>,
    /// Domains the links may point to; empty when not known.
    pub own_domains: Vec<String>,
    /// Distinct addresses in `recipients.csv`, when there is one.
    pub recipients: Option<u64>,
    /// How many were affected, as far as the record knows.
    pub affected: Affected,
    /// What the record says the email must match, when it is checked against one.
    pub record: Option<&'a RecordFacts>,
}

impl Draft<'_> {
    /// Whether the draft was read from a file rather than rendered.
    pub fn is_file(&self) -> bool {
        matches!(self.origin, Origin::File(_))
    }
}

/// What the record says an email must match.
#[derive(Debug, Clone, Default)]
pub struct RecordFacts {
    /// The sentences the rendering left out for want of an answer, each saying which.
    pub omitted: Vec<String>,
    /// A breach notice's protective steps, as the data involved calls for them.
    pub advice: Advice,
    /// The day the breach began (`assess.breach_start`), which a notice must name.
    pub breach_start: Option<NaiveDate>,
    /// Whether the record says what happened (`inform.what_happened`, or a kind of breach
    /// the notice can word): the nature of the breach, GDPR Art. 33(3)(a).
    pub nature: bool,
    /// Whether the notice must carry the California headings (a California jurisdiction).
    pub california: bool,
    /// Whether GDPR (or UK GDPR) applies, whose Art. 34 asks for the likely consequences.
    pub gdpr: bool,
    /// The legal clocks for telling the people affected that have run out, in words.
    pub late: Vec<String>,
}

/// The protective steps a breach notice must give, as the data involved calls for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Advice {
    /// Change the password (and turn on two-factor authentication): credentials involved.
    pub password: bool,
    /// Watch for phishing and go to the website yourself: contact details or credentials.
    pub phishing: bool,
    /// Watch statements and tell the bank: payment data involved.
    pub card: bool,
}

/// The number of affected subscribers the recipient list must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affected {
    /// Counted by `incident audience` (the record's `steps.assess.audience.affected`), which
    /// wrote `recipients.csv` from the same count.
    Computed(u64),
    /// Only the assess step's `affected_count` answer, an estimate.
    Estimated(u64),
    Unknown,
}
