//! The checks that stop a second mistake: a table of rules, each with a stable code, a level,
//! what it guards against, a hint, and the one function that looks for it. An error fails
//! `incident email`; a warning is shown. Adding a check is one function and one row of
//! [`RULES`]. The rules are grouped in files by concern, the words they look for per locale in
//! [`vocab`]; the facts behind each are in the README's table of check codes.

mod audience;
mod breach;
mod claims;
mod language;
mod lede;
mod links;
mod marketing;
mod policy;
mod sender;
mod structure;
mod subject;
mod tone;
mod vocab;
mod words;

use std::borrow::Cow;

use serde::Serialize;

use super::html::HtmlFacts;
use crate::runbook::ApologyPolicy;
use vocab::Vocabulary;

pub use links::own_domains;

/// The month names of a locale the checks have words for, lowercase, January first.
pub fn month_names(locale: &str) -> Option<[&'static str; 12]> {
    vocab::knows(locale).then(|| vocab::for_locale(locale).months)
}

/// The first paragraph of a plain-text part that says something: not the title line, not the
/// greeting.
pub fn first_paragraph(text: &str) -> &str {
    words::first_paragraph(text, "\n\n")
}

/// The dates a text names (26 November 2026, November 26, 2026, 2026-11-26), in the month
/// names of its locale.
pub fn dates_in(locale: &str, text: &str) -> Vec<chrono::NaiveDate> {
    words::dates(vocab::for_locale(locale), &text.to_lowercase())
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Error,
    Warning,
}

/// One rule: its code, level, what it guards against, and the check that looks for it.
#[derive(Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub level: Level,
    pub what: &'static str,
    pub hint: &'static str,
    check: fn(&View<'_>) -> Vec<Finding>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).finish()
    }
}

/// One finding on an email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub hint: Cow<'static, str>,
}

impl Finding {
    /// A finding of a rule, with the rule's level and hint.
    pub fn new(rule: &Rule, message: String) -> Finding {
        Finding {
            code: rule.code,
            level: rule.level,
            message,
            hint: Cow::Borrowed(rule.hint),
        }
    }
}

/// What the checks look at: the email, and what the record says it must match.
pub struct Draft<'a> {
    pub kind: &'a str,
    pub breach: bool,
    /// The language the email is in.
    pub locale: &'a str,
    /// The language the inform step's answers were written in.
    pub answered_locale: &'a str,
    /// The free-text answers the email quotes, by question id.
    pub quoted: &'a [(&'a str, &'a str)],
    pub policy: ApologyPolicy,
    pub policy_override: Option<&'a str>,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a HtmlFacts,
    pub from_name: &'a str,
    pub from_address: &'a str,
    /// What the record says the email must match, when it is checked against one.
    pub record: Option<&'a RecordFacts>,
    /// The `[brand]` keys that still show the built-in example brand.
    pub brand_example: &'a [String],
    /// What the rendering rehearses ("a drill", "a dry run"), when it is not a real send.
    pub rehearsal: Option<&'a str>,
    pub reply_to: &'a str,
    pub postal_address: &'a str,
    /// The brand's one-click unsubscribe page.
    pub unsubscribe_url: &'a str,
    /// The date the notice is rendered, which a breach notice must state.
    pub notice_date: chrono::NaiveDate,
    /// Domains the links may point to.
    pub own_domains: Vec<String>,
    /// Distinct addresses in `recipients.csv`, when there is one.
    pub recipients: Option<u64>,
    /// How many were affected, as far as the record knows.
    pub affected: Affected,
}

/// What the record says an email must match.
#[derive(Debug, Clone, Default)]
pub struct RecordFacts {
    /// The sentences the rendering left out for want of an answer, each saying which.
    pub omitted: Vec<String>,
    /// A breach notice's protective steps, as the data involved calls for them.
    pub advice: Advice,
    /// The day the breach began (`assess.breach_start`), which a notice must name.
    pub breach_start: Option<chrono::NaiveDate>,
    /// Whether the record says what happened (`inform.what_happened`, or a kind of breach
    /// the notice can word): the nature of the breach, GDPR Art. 33(3)(a).
    pub nature: bool,
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

/// A draft with what every rule reads of it worked out once.
pub struct View<'a> {
    pub d: &'a Draft<'a>,
    pub v: &'static Vocabulary,
    /// Both parts' text, lowercased.
    pub body_lower: String,
    pub subject_lower: String,
    /// Subject and body, lowercased.
    pub everything: String,
    /// Each part with its name, checked on its own: a reader sees one or the other.
    pub parts: [(&'static str, &'a str); 2],
    /// Everywhere a reader can be taken: anchors and addresses written out.
    pub targets: Vec<links::Target>,
}

impl<'a> View<'a> {
    fn new(d: &'a Draft<'a>) -> View<'a> {
        let body_lower = format!("{}\n{}", d.text, d.html.text).to_lowercase();
        let subject_lower = d.subject.to_lowercase();
        View {
            v: vocab::for_locale(d.locale),
            everything: format!("{}\n{body_lower}", subject_lower),
            body_lower,
            subject_lower,
            parts: [("text part", d.text), ("HTML part", d.html.text.as_str())],
            targets: links::targets(d),
            d,
        }
    }

    /// Which part lacks what `said` looks for: one part, or both.
    pub fn lacking(&self, said: impl Fn(&str) -> bool) -> Option<&'static str> {
        let missing: Vec<&str> = self
            .parts
            .iter()
            .filter(|(_, text)| !said(text))
            .map(|(name, _)| *name)
            .collect();
        match missing.as_slice() {
            [] => None,
            [one] => Some(one),
            _ => Some("text and HTML parts"),
        }
    }
}

/// Run every rule, in the order of the table.
pub fn run(draft: &Draft<'_>) -> Vec<Finding> {
    let view = View::new(draft);
    RULES.iter().flat_map(|rule| (rule.check)(&view)).collect()
}

macro_rules! rules {
    ($($name:ident = $code:literal, $level:ident, $check:path, $what:literal, $hint:literal;)*) => {
        $(
            #[doc = $what]
            pub const $name: Rule = Rule {
                code: $code,
                level: Level::$level,
                what: $what,
                hint: $hint,
                check: $check,
            };
        )*
        /// Every rule, in the order they run and are listed in the README.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    SENDER_NO_REPLY = "sender-no-reply", Error, sender::no_reply,
        "The From or Reply-To address is a no-reply address.",
        "set [brand] from_address / reply_to to a monitored mailbox: people must be able to answer";
    SENDER_NAME = "sender-name", Warning, sender::name,
        "The From display name carries more than the sender's name (emoji, urgency, punctuation).",
        "use the brand's plain name as [brand] from_name";
    BRAND_UNSET = "brand-unset", Error, sender::brand_unset,
        "A real incident's email under the built-in example brand, or with an address or link on a reserved example domain (example.com, *.example).",
        "set your own [brand] name, from_address, reply_to, website, support_url, unsubscribe_url and postal_address in incident.toml (`incident init` writes a commented [brand] section)";
    APOLOGY_MISSING = "apology-missing", Error, tone::apology_missing,
        "A part (text or HTML) never says sorry.",
        "say it plainly: \"We're sorry\" / \"Het spijt ons\"";
    TONE_HUMOUR = "tone-humour", Error, tone::humour,
        "Humour in the subject or body: emoji, \"oops\", \"lol\", jokes.",
        "an apology is never funny to the person it is for; remove it";
    TONE_HEDGING = "tone-hedging", Warning, tone::hedging,
        "Weasel words or hedging (\"very\", \"several\", \"any inconvenience\", \"if you were affected\").",
        "say exactly what happened and to whom";
    TONE_PASSIVE = "tone-passive", Warning, tone::passive,
        "Evasive passive voice (\"mistakes were made\", \"data was exposed\").",
        "say who did what: \"we sent\", \"someone accessed\"";
    GREETING_GENERIC = "greeting-generic", Warning, tone::greeting,
        "A generic greeting such as \"Dear Customer\".",
        "greet people simply (\"Hello,\") or by name";
    SUBJECT_EMPTY = "subject-empty", Error, subject::empty,
        "The subject is empty or shows nothing (spaces, zero-width characters).",
        "give a clear subject, e.g. \"We made a mistake\" or \"Notice of Data Breach\"";
    SUBJECT_TOO_LONG = "subject-too-long", Error, subject::too_long,
        "The subject is longer than 78 characters (RFC 5322 line advice).",
        "shorten it: the key words belong in the first 40 characters";
    SUBJECT_LONG = "subject-long", Warning, subject::long,
        "The subject is longer than 50 characters or 9 words.",
        "shorter subjects are read whole on phones";
    SUBJECT_VAGUE = "subject-vague", Warning, subject::vague,
        "The subject's first 40 characters do not say what it is about.",
        "name the mistake or the breach up front";
    SUBJECT_FAKE_REPLY = "subject-fake-reply", Error, subject::fake_reply,
        "The subject pretends to be a reply or forward (\"Re:\", \"Fwd:\").",
        "remove the prefix; mailbox providers treat it as deception";
    SUBJECT_ALL_CAPS = "subject-all-caps", Warning, subject::all_caps,
        "The subject is in capitals.",
        "write it in sentence case";
    LEDE_UNCLEAR = "lede-unclear", Warning, lede::unclear,
        "The first paragraph of a part does not say what happened.",
        "don't bury the lede: start with what was sent, to whom, and what went wrong";
    CLAIM_OMITTED = "claim-omitted", Warning, claims::omitted,
        "A sentence the email leaves out because no answer backs it (an unanswered question, an action past its due day).",
        "answer the question it names (`incident resume ID --answers FILE`), or say it yourself in what_happened / what_it_means";
    MERGE_TAG = "merge-tag", Error, structure::merge_tag,
        "An unrendered merge tag (<FirstName>, {{…}}, *|FNAME|*, %%…%%, [First Name]).",
        "replace it with real text; this is the very mistake many incidents are about";
    TEXT_PART_MISSING = "text-part-missing", Error, structure::text_part_missing,
        "The plain-text part is missing or empty.",
        "keep email/base.txt and a .txt body for the locale";
    TEMPLATE_NOT_BRANDED = "template-not-branded", Error, structure::not_branded,
        "The HTML body is not on the branded base layout.",
        "start the body template with {% extends \"email/base.html\" %}";
    LINK_TEXT_MISMATCH = "link-text-mismatch", Error, links::text_mismatch,
        "A link shows one address and points to another.",
        "make the link text match its href, or use words instead of an address";
    LINK_SHORTENER = "link-shortener", Error, links::shortener,
        "A link, or an address written out, goes through a URL shortener.",
        "link to your own domain directly; shorteners look like phishing";
    LINK_FOREIGN_DOMAIN = "link-foreign-domain", Warning, links::foreign_domain,
        "A link, or an address written out, points away from the brand's own domains.",
        "keep links on the brand's website, support and unsubscribe domains";
    URGENCY = "urgency", Warning, tone::urgency,
        "Urgency phrases (\"act now\", \"verify your account\", \"within 24 hours\").",
        "state facts calmly; urgency is what phishing sounds like";
    HIDDEN_TEXT = "hidden-text", Error, structure::hidden_text,
        "Hidden text (display:none, visibility:hidden, font-size:0, the hidden attribute, text the colour of its background).",
        "show everything you say, or leave it out";
    IMAGE_ONLY = "image-only", Error, structure::image_only,
        "The HTML is mostly images with little text.",
        "write the message as text; images may not load";
    UNSUBSCRIBE_MISSING = "unsubscribe-missing", Error, marketing::unsubscribe_missing,
        "A marketing-mistake apology without a visible link to the unsubscribe page in each part.",
        "keep the footer of email/base.html, or set [brand] unsubscribe_url";
    POSTAL_ADDRESS_MISSING = "postal-address-missing", Error, marketing::postal_address_missing,
        "A marketing-mistake apology without the postal address.",
        "set [brand] postal_address and keep the footer";
    BREACH_PROTECTIVE_STEPS = "breach-protective-steps", Error, breach::protective_steps,
        "A breach notice without a protective step, or without one the data involved calls for (passwords: change it and two-factor authentication; contact details: phishing and going to the site yourself; payment data: statements).",
        "keep the \"What You Can Do\" list of the breach template, and answer assess.credentials_involved, payment_data_involved and data_categories";
    BREACH_LEGAL_ELEMENTS = "breach-legal-elements", Error, breach::legal_elements,
        "A breach notice without a legal element (GDPR Art. 34, Cal. Civ. Code 1798.82 headings and dates).",
        "keep every section of the breach template: what happened, which information, what we do, what you can do, more information";
    BREACH_LOGIN_LINK = "breach-login-link", Error, breach::login_link,
        "A breach notice links to a login, reset or verify page, or writes its address out.",
        "tell people to go to the website themselves; a link there is what phishers send";
    BREACH_PROMOTIONAL = "breach-promotional", Error, breach::promotional,
        "A breach notice carries promotional content.",
        "a breach notice is dedicated to the breach (EDPB 9/2022): remove offers and news";
    BREACH_SMALL_TYPE = "breach-small-type", Warning, breach::small_type,
        "A breach notice uses type smaller than 10 points (13 px).",
        "California requires at least 10-point type";
    AUDIENCE_MISMATCH = "audience-mismatch", Error, audience::mismatch,
        "The recipient list does not match the number of affected subscribers on record.",
        "re-run `incident audience` rather than editing recipients.csv: the apology goes to the affected only";
    AUDIENCE_UNKNOWN = "audience-unknown", Warning, audience::unknown,
        "No recipient list yet.",
        "run `incident audience ID --sends FILE` so the apology goes to the affected only";
    LOCALE_MIXED = "locale-mixed", Warning, language::mixed,
        "Answers written in one language are quoted in an email in another.",
        "render in the inform step's language, or answer in the email's language";
    POLICY_NO_APOLOGY = "policy-no-apology", Error, policy::no_apology,
        "This kind's policy is never to apologize.",
        "don't send it; if you must, pass --override-policy \"reason\"";
}

#[cfg(test)]
mod tests;
