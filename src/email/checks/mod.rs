//! The checks that stop a second mistake: a table of rules, each with a stable code, a level,
//! whether it applies to a draft read from a file, what it guards against, a hint, and the one
//! function that looks for it. An error fails `incident email` and `incident lint`; a warning
//! is shown. Adding a check is one function and one row of [`RULES`]. The rules are grouped in
//! files by concern, the words they look for per locale in [`vocab`]; the facts behind each
//! are in the table of check codes in docs/apology.md.

mod audience;
mod breach;
mod claims;
mod draft;
mod headers;
mod images;
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

use vocab::Vocabulary;

pub use draft::{Advice, Affected, Draft, Format, Origin, RecordFacts, Sender};
pub use links::own_domains;
pub use structure::used_tags;

/// The month names of a locale the checks have words for, lowercase, January first.
pub fn month_names(locale: &str) -> Option<[&'static str; 12]> {
    vocab::knows(locale).then(|| vocab::for_locale(locale).months)
}

/// The first paragraph of a plain-text part that says something: not the title line, not the
/// greeting.
pub fn first_paragraph(text: &str) -> &str {
    words::first_paragraph(text, "\n\n")
}

/// The language a text reads as, when its words say so clearly: `en` or `nl`.
pub fn reads_as(text: &str) -> Option<&'static str> {
    language::reads_as(text)
}

/// Whether a text reads as a breach notice, in any language the checks know.
pub fn is_breach_notice(text: &str) -> bool {
    let lower = text.to_lowercase();
    vocab::all()
        .iter()
        .any(|v| v.breach_terms.iter().any(|t| lower.contains(t)))
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

/// How a rule treats a draft read from a file (`incident lint`), which is not on the branded
/// template and which the ESP still completes when it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForDrafts {
    /// The rule judges a draft as it judges a rendering.
    Applies,
    /// What the rule looks for is what an ESP adds at send time: a warning for a draft.
    Warns,
    /// The rule is about the branded template or the workspace, not about a draft.
    Skips,
}

impl ForDrafts {
    /// How the table in docs/apology.md says it.
    pub fn describe(self) -> &'static str {
        match self {
            ForDrafts::Applies => "yes",
            ForDrafts::Warns => "warning",
            ForDrafts::Skips => "no",
        }
    }
}

/// One rule: its code, level, what it guards against, and the check that looks for it.
#[derive(Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub level: Level,
    pub drafts: ForDrafts,
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
    /// The part it is in: `subject`, `from`, `text`, `html`, `text and html`; `None` for the
    /// email as a whole.
    pub part: Option<&'static str>,
}

impl Finding {
    /// A finding of a rule, with the rule's level and hint.
    pub fn new(rule: &Rule, message: String) -> Finding {
        Finding {
            code: rule.code,
            level: rule.level,
            message,
            hint: Cow::Borrowed(rule.hint),
            part: None,
        }
    }

    /// The same finding, placed in a part (named as [`View::parts`] names them, or `subject`,
    /// `from`).
    pub fn in_part(self, part: &str) -> Finding {
        let part = match part {
            "text part" => "text",
            "HTML part" => "html",
            "text and HTML parts" => "text and html",
            "subject" => "subject",
            "from" => "from",
            _ => return self,
        };
        Finding {
            part: Some(part),
            ..self
        }
    }

    /// A draft's finding of a rule that warns for drafts: what the ESP adds when it sends.
    fn for_draft(self) -> Finding {
        Finding {
            level: Level::Warning,
            hint: Cow::Owned(format!(
                "{}; in a draft this is a warning: your ESP may add it when it sends, so check the test send",
                self.hint
            )),
            ..self
        }
    }
}

/// A draft with what every rule reads of it worked out once.
pub struct View<'a> {
    pub d: &'a Draft<'a>,
    pub v: &'static Vocabulary,
    /// Each part the draft has, with its name and without merge tags: a reader sees one or
    /// the other, and a tag is never read as words.
    pub parts: Vec<(&'static str, String)>,
    /// Both parts' text, lowercased, in the writer's own voice: quotations blanked out.
    pub body_lower: String,
    pub subject_lower: String,
    /// Subject, preheader and body, lowercased, quotations blanked out.
    pub everything: String,
    /// Everywhere a reader can be taken: anchors and addresses written out.
    pub targets: Vec<links::Target>,
}

impl<'a> View<'a> {
    fn new(d: &'a Draft<'a>) -> View<'a> {
        let mut parts = Vec::new();
        if let Some(text) = d.text {
            parts.push(("text part", crate::email::esp::without_tags(text)));
        }
        if let Some(html) = d.html {
            parts.push(("HTML part", crate::email::esp::without_tags(&html.text)));
        }
        let body: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
        let body_lower = words::unquoted(&body.join("\n")).to_lowercase();
        let subject_lower = words::unquoted(d.subject.unwrap_or_default()).to_lowercase();
        let preheader = d
            .html
            .and_then(|h| h.preheader.as_deref())
            .map(|p| words::unquoted(&crate::email::esp::without_tags(p)).to_lowercase())
            .unwrap_or_default();
        View {
            v: vocab::for_locale(d.locale),
            everything: format!("{subject_lower}\n{preheader}\n{body_lower}"),
            body_lower,
            subject_lower,
            targets: links::targets(d),
            parts,
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

/// Run every rule, in the order of the table. A draft read from a file skips the rules about
/// the branded template and the workspace, and gets what the ESP adds at send time as
/// warnings.
pub fn run(draft: &Draft<'_>) -> Vec<Finding> {
    let view = View::new(draft);
    let file = draft.is_file();
    RULES
        .iter()
        .filter(|rule| !(file && rule.drafts == ForDrafts::Skips))
        .flat_map(|rule| {
            let found = (rule.check)(&view);
            let warn = file && rule.drafts == ForDrafts::Warns;
            found
                .into_iter()
                .map(move |f| if warn { f.for_draft() } else { f })
        })
        .collect()
}

macro_rules! rules {
    ($($name:ident = $code:literal, $level:ident, $drafts:ident, $check:path, $what:literal, $hint:literal;)*) => {
        $(
            #[doc = $what]
            pub const $name: Rule = Rule {
                code: $code,
                level: Level::$level,
                drafts: ForDrafts::$drafts,
                what: $what,
                hint: $hint,
                check: $check,
            };
        )*
        /// Every rule, in the order they run and are listed in docs/apology.md.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    SENDER_NO_REPLY = "sender-no-reply", Error, Applies, sender::no_reply,
        "The From or Reply-To address is a no-reply address.",
        "set [brand] from_address / reply_to (for a draft: the ESP's From and Reply-To) to a monitored mailbox: people must be able to answer";
    SENDER_NAME = "sender-name", Warning, Applies, sender::name,
        "The From display name is missing, or carries more than the sender's name (emoji, urgency, punctuation).",
        "use the brand's plain name as the From name ([brand] from_name)";
    BRAND_UNSET = "brand-unset", Error, Skips, sender::brand_unset,
        "A real incident's email under the built-in example brand, or with an address or link on a reserved example domain (example.com, *.example).",
        "set your own [brand] name, from_address, reply_to, website, support_url, unsubscribe_url and postal_address in incident.toml (`incident init` writes a commented [brand] section)";
    HEADER_LONG = "header-long", Warning, Applies, headers::long,
        "A header line longer than the 78 octets RFC 5322 recommends (one over 998 is refused).",
        "shorten the [brand] addresses or URLs that cannot be folded";
    APOLOGY_MISSING = "apology-missing", Error, Applies, tone::apology_missing,
        "A part (text or HTML) never says sorry.",
        "say it plainly: \"We're sorry\" / \"Het spijt ons\"";
    TONE_HUMOUR = "tone-humour", Error, Applies, tone::humour,
        "Humour in the subject or body: emoji, \"oops\", \"lol\", jokes.",
        "an apology is never funny to the person it is for; remove it";
    TONE_HEDGING = "tone-hedging", Warning, Applies, tone::hedging,
        "Weasel words or hedging (\"very\", \"several\", \"any inconvenience\", \"if you were affected\").",
        "say exactly what happened and to whom";
    TONE_PASSIVE = "tone-passive", Warning, Applies, tone::passive,
        "Evasive passive voice (\"mistakes were made\", \"data was exposed\").",
        "say who did what: \"we sent\", \"someone accessed\"";
    GREETING_GENERIC = "greeting-generic", Warning, Applies, tone::greeting,
        "A generic greeting such as \"Dear Customer\".",
        "greet people simply (\"Hello,\") or by name";
    SUBJECT_EMPTY = "subject-empty", Error, Applies, subject::empty,
        "The subject is empty or shows nothing (spaces, zero-width characters).",
        "give a clear subject, e.g. \"We made a mistake\" or \"Notice of Data Breach\"";
    SUBJECT_TOO_LONG = "subject-too-long", Error, Applies, subject::too_long,
        "The subject is longer than 78 characters (RFC 5322 line advice).",
        "shorten it: the key words belong in the first 40 characters";
    SUBJECT_LONG = "subject-long", Warning, Applies, subject::long,
        "The subject is longer than 50 characters or 9 words.",
        "shorter subjects are read whole on phones";
    SUBJECT_VAGUE = "subject-vague", Warning, Applies, subject::vague,
        "The subject's first 40 characters do not say what it is about.",
        "name the mistake or the breach up front";
    SUBJECT_FAKE_REPLY = "subject-fake-reply", Error, Applies, subject::fake_reply,
        "The subject pretends to be a reply or forward (\"Re:\", \"Fwd:\").",
        "remove the prefix; mailbox providers treat it as deception";
    SUBJECT_ALL_CAPS = "subject-all-caps", Warning, Applies, subject::all_caps,
        "The subject is in capitals.",
        "write it in sentence case";
    LEDE_UNCLEAR = "lede-unclear", Warning, Applies, lede::unclear,
        "The first paragraph of a part does not say what happened.",
        "don't bury the lede: start with what was sent, to whom, and what went wrong";
    PREHEADER_UNCLEAR = "preheader-unclear", Warning, Applies, lede::preheader,
        "The inbox preview (the preheader, or the first text of the email) does not say what happened.",
        "start with what happened, or set a preheader that says it: inboxes show it beside the subject";
    CLAIM_OMITTED = "claim-omitted", Warning, Skips, claims::omitted,
        "A sentence the email leaves out because no answer backs it (an unanswered question, an action past its due day).",
        "answer the question it names (`incident resume ID --answers FILE`), or say it yourself in what_happened / what_it_means";
    MERGE_TAG = "merge-tag", Error, Applies, structure::merge_tag,
        "An unrendered merge tag (<FirstName>, {{…}}, *|FNAME|*, %%…%%, [First Name]), or an ESP's tag in another ESP's draft.",
        "replace it with real text, or use the tag of the ESP that sends it; this is the very mistake many incidents are about";
    TEXT_PART_MISSING = "text-part-missing", Error, Warns, structure::text_part_missing,
        "The plain-text part is missing or empty.",
        "keep email/base.txt and a .txt body for the locale (a sent message needs a text/plain part)";
    TEMPLATE_NOT_BRANDED = "template-not-branded", Error, Skips, structure::not_branded,
        "The HTML body is not on the branded base layout.",
        "start the body template with {% extends \"email/base.html\" %}";
    LINK_TEXT_MISMATCH = "link-text-mismatch", Error, Applies, links::text_mismatch,
        "A link shows one address and points to another.",
        "make the link text match its href, or use words instead of an address";
    LINK_SHORTENER = "link-shortener", Error, Applies, links::shortener,
        "A link, or an address written out, goes through a URL shortener.",
        "link to your own domain directly; shorteners look like phishing";
    LINK_FOREIGN_DOMAIN = "link-foreign-domain", Warning, Applies, links::foreign_domain,
        "A link, or an address written out, points away from the brand's own domains.",
        "keep links on the brand's website, support and unsubscribe domains";
    LINKS_DIFFER = "links-differ", Warning, Applies, links::parts_differ,
        "The text and HTML parts take the reader to different places.",
        "give both parts the same links: spam filters compare them, and readers of either part need the same ways to act";
    URGENCY = "urgency", Warning, Applies, tone::urgency,
        "Pressure on the reader (\"act now\", \"verify your account\", \"within 24 hours\").",
        "state facts calmly; urgency is what phishing sounds like";
    HIDDEN_TEXT = "hidden-text", Error, Applies, structure::hidden_text,
        "Hidden text (display:none, visibility:hidden, font-size:0, the hidden attribute, text the colour of its background), the preheader apart.",
        "show everything you say, or leave it out";
    IMAGE_ONLY = "image-only", Error, Applies, structure::image_only,
        "The HTML is mostly images with little text.",
        "write the message as text; images may not load";
    IMAGE_ALT = "image-alt", Warning, Applies, images::alt,
        "An image without alt text, or whose alt text would be unreadable on its background when images are blocked.",
        "give every image alt text, in a colour that reads on what is behind it (for the logo: the header's text colour)";
    IMAGE_SIZE = "image-size", Warning, Applies, images::size,
        "An image without width and height attributes (Outlook ignores CSS sizes; the layout jumps as it loads).",
        "set width and height on every <img>; for the logo, [brand] logo_width";
    CONTRAST_LOW = "contrast-low", Warning, Applies, images::contrast,
        "Body text or links under the WCAG contrast of 4.5:1 on their background (3:1 for large text).",
        "darken the text or link colour ([brand] primary_color, text_color), or lighten what is behind it";
    UNSUBSCRIBE_MISSING = "unsubscribe-missing", Error, Warns, marketing::unsubscribe_missing,
        "A marketing-mistake apology without a visible unsubscribe link in each part.",
        "keep the footer of email/base.html, or set [brand] unsubscribe_url";
    POSTAL_ADDRESS_MISSING = "postal-address-missing", Error, Warns, marketing::postal_address_missing,
        "A marketing-mistake apology without the postal address.",
        "set [brand] postal_address and keep the footer";
    BREACH_PROTECTIVE_STEPS = "breach-protective-steps", Error, Applies, breach::protective_steps,
        "A breach notice without a protective step, or without one the data involved calls for (passwords: change it and two-factor authentication; contact details: phishing and going to the site yourself; payment data: statements).",
        "keep the \"What You Can Do\" list of the breach template, and answer assess.credentials_involved, payment_data_involved and data_categories";
    BREACH_LEGAL_ELEMENTS = "breach-legal-elements", Error, Applies, breach::legal_elements,
        "A breach notice without a legal element (GDPR Art. 34: what happened, the data involved, the likely consequences, the measures, a contact point; Cal. Civ. Code 1798.82: its headings and dates).",
        "keep every section of the breach template: what happened, which information, what it means, what we do, what you can do, more information";
    BREACH_LOGIN_LINK = "breach-login-link", Error, Applies, breach::login_link,
        "A breach notice links to a login, reset or verify page, or writes its address out.",
        "tell people to go to the website themselves; a link there is what phishers send";
    BREACH_PROMOTIONAL = "breach-promotional", Error, Applies, breach::promotional,
        "A breach notice makes an offer or a call to buy (a discount code, \"shop now\", a sale).",
        "a breach notice is dedicated to the breach (EDPB 9/2022): remove offers and calls to buy";
    BREACH_SMALL_TYPE = "breach-small-type", Warning, Applies, breach::small_type,
        "A breach notice uses type smaller than 10 points (13 px).",
        "California requires at least 10-point type";
    BREACH_NOTICE_LATE = "breach-notice-late", Warning, Applies, breach::late,
        "A breach notice whose legal clock for telling the people affected has run out.",
        "send it without more delay, and record it with `incident note ID \"…\" --notified CLOCK`";
    AUDIENCE_MISMATCH = "audience-mismatch", Error, Applies, audience::mismatch,
        "The recipient list does not match the number of affected subscribers on record.",
        "re-run `incident audience` rather than editing recipients.csv: the apology goes to the affected only";
    AUDIENCE_UNKNOWN = "audience-unknown", Warning, Applies, audience::unknown,
        "No recipient list yet.",
        "run `incident audience ID --sends FILE` so the apology goes to the affected only";
    LOCALE_MIXED = "locale-mixed", Warning, Applies, language::mixed,
        "Answers written in one language are quoted in an email in another, or a subject or text reads as the other language.",
        "render in the inform step's language, or answer in the email's language";
    POLICY_NO_APOLOGY = "policy-no-apology", Error, Warns, policy::no_apology,
        "This kind's policy is never to apologize.",
        "don't send it; if you must, pass --override-policy \"reason\"";
}

#[cfg(test)]
mod tests;
