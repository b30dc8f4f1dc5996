//! The checks that stop a second mistake: every rule has a stable code, a level, a one-line
//! message and a hint. An error fails `incident email`; a warning is shown. The facts behind
//! each rule, with sources, are in the README's table of check codes.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::html::{HtmlFacts, Link};
use crate::runbook::ApologyPolicy;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Error,
    Warning,
}

/// One rule: its code, level and what it guards against.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub level: Level,
    pub what: &'static str,
    pub hint: &'static str,
}

/// One finding on a rendered email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub hint: Cow<'static, str>,
}

impl Finding {
    /// A finding of a rule, with the rule's hint.
    pub fn new(rule: Rule, message: String) -> Finding {
        Finding {
            code: rule.code,
            level: rule.level,
            message,
            hint: Cow::Borrowed(rule.hint),
        }
    }
}

macro_rules! rules {
    ($($name:ident = $code:literal, $level:ident, $what:literal, $hint:literal;)*) => {
        $(
            #[doc = $what]
            pub const $name: Rule = Rule { code: $code, level: Level::$level, what: $what, hint: $hint };
        )*
        /// Every rule, in the order they are listed in the README.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    SENDER_NO_REPLY = "sender-no-reply", Error,
        "The From or Reply-To address is a no-reply address.",
        "set [brand] from_address / reply_to to a monitored mailbox: people must be able to answer";
    SENDER_NAME = "sender-name", Warning,
        "The From display name carries more than the sender's name (emoji, urgency, punctuation).",
        "use the brand's plain name as [brand] from_name";
    APOLOGY_MISSING = "apology-missing", Error,
        "A part (text or HTML) never says sorry.",
        "say it plainly: \"We're sorry\" / \"Het spijt ons\"";
    TONE_HUMOUR = "tone-humour", Error,
        "Humour in the subject or body: emoji, \"oops\", \"lol\", jokes.",
        "an apology is never funny to the person it is for; remove it";
    TONE_HEDGING = "tone-hedging", Warning,
        "Weasel words or hedging (\"very\", \"several\", \"any inconvenience\", \"if you were affected\").",
        "say exactly what happened and to whom";
    TONE_PASSIVE = "tone-passive", Warning,
        "Evasive passive voice (\"mistakes were made\", \"data was exposed\").",
        "say who did what: \"we sent\", \"someone accessed\"";
    GREETING_GENERIC = "greeting-generic", Warning,
        "A generic greeting such as \"Dear Customer\".",
        "greet people simply (\"Hello,\") or by name";
    SUBJECT_EMPTY = "subject-empty", Error,
        "The subject is empty or shows nothing (spaces, zero-width characters).",
        "give a clear subject, e.g. \"We made a mistake\" or \"Notice of Data Breach\"";
    SUBJECT_TOO_LONG = "subject-too-long", Error,
        "The subject is longer than 78 characters (RFC 5322 line advice).",
        "shorten it: the key words belong in the first 40 characters";
    SUBJECT_LONG = "subject-long", Warning,
        "The subject is longer than 50 characters or 9 words.",
        "shorter subjects are read whole on phones";
    SUBJECT_VAGUE = "subject-vague", Warning,
        "The subject's first 40 characters do not say what it is about.",
        "name the mistake or the breach up front";
    SUBJECT_FAKE_REPLY = "subject-fake-reply", Error,
        "The subject pretends to be a reply or forward (\"Re:\", \"Fwd:\").",
        "remove the prefix; mailbox providers treat it as deception";
    SUBJECT_ALL_CAPS = "subject-all-caps", Warning,
        "The subject is in capitals.",
        "write it in sentence case";
    LEDE_UNCLEAR = "lede-unclear", Warning,
        "The first paragraph of a part does not say what happened.",
        "don't bury the lede: start with what was sent, to whom, and what went wrong";
    MERGE_TAG = "merge-tag", Error,
        "An unrendered merge tag (<FirstName>, {{…}}, *|FNAME|*, %%…%%, [First Name]).",
        "replace it with real text; this is the very mistake many incidents are about";
    TEXT_PART_MISSING = "text-part-missing", Error,
        "The plain-text part is missing or empty.",
        "keep email/base.txt and a .txt body for the locale";
    TEMPLATE_NOT_BRANDED = "template-not-branded", Error,
        "The HTML body is not on the branded base layout.",
        "start the body template with {% extends \"email/base.html\" %}";
    LINK_TEXT_MISMATCH = "link-text-mismatch", Error,
        "A link shows one address and points to another.",
        "make the link text match its href, or use words instead of an address";
    LINK_SHORTENER = "link-shortener", Error,
        "A link, or an address written out, goes through a URL shortener.",
        "link to your own domain directly; shorteners look like phishing";
    LINK_FOREIGN_DOMAIN = "link-foreign-domain", Warning,
        "A link, or an address written out, points away from the brand's own domains.",
        "keep links on the brand's website, support and unsubscribe domains";
    URGENCY = "urgency", Warning,
        "Urgency phrases (\"act now\", \"verify your account\", \"within 24 hours\").",
        "state facts calmly; urgency is what phishing sounds like";
    HIDDEN_TEXT = "hidden-text", Error,
        "Hidden text (display:none, visibility:hidden, font-size:0, the hidden attribute, text the colour of its background).",
        "show everything you say, or leave it out";
    IMAGE_ONLY = "image-only", Error,
        "The HTML is mostly images with little text.",
        "write the message as text; images may not load";
    UNSUBSCRIBE_MISSING = "unsubscribe-missing", Error,
        "A marketing-mistake apology without a visible link to the unsubscribe page in each part.",
        "keep the footer of email/base.html, or set [brand] unsubscribe_url";
    POSTAL_ADDRESS_MISSING = "postal-address-missing", Error,
        "A marketing-mistake apology without the postal address.",
        "set [brand] postal_address and keep the footer";
    BREACH_PROTECTIVE_STEPS = "breach-protective-steps", Error,
        "A breach notice without a protective step (change password, two-factor authentication, phishing, go to the site yourself).",
        "keep the \"What You Can Do\" list of the breach template";
    BREACH_LEGAL_ELEMENTS = "breach-legal-elements", Error,
        "A breach notice without a legal element (GDPR Art. 34, Cal. Civ. Code 1798.82 headings and dates).",
        "keep every section of the breach template: what happened, which information, what we do, what you can do, more information";
    BREACH_LOGIN_LINK = "breach-login-link", Error,
        "A breach notice links to a login, reset or verify page, or writes its address out.",
        "tell people to go to the website themselves; a link there is what phishers send";
    BREACH_PROMOTIONAL = "breach-promotional", Error,
        "A breach notice carries promotional content.",
        "a breach notice is dedicated to the breach (EDPB 9/2022): remove offers and news";
    BREACH_SMALL_TYPE = "breach-small-type", Warning,
        "A breach notice uses type smaller than 10 points (13 px).",
        "California requires at least 10-point type";
    AUDIENCE_MISMATCH = "audience-mismatch", Error,
        "The recipient list does not match the number of affected subscribers on record.",
        "re-run `incident audience` rather than editing recipients.csv: the apology goes to the affected only";
    AUDIENCE_UNKNOWN = "audience-unknown", Warning,
        "No recipient list yet.",
        "run `incident audience ID --sends FILE` so the apology goes to the affected only";
    LOCALE_MIXED = "locale-mixed", Warning,
        "Answers written in one language are quoted in an email in another.",
        "render in the inform step's language, or answer in the email's language";
    POLICY_NO_APOLOGY = "policy-no-apology", Error,
        "This kind's policy is never to apologize.",
        "don't send it; if you must, pass --override-policy \"reason\"";
}

/// What the checks look at.
pub struct Subject<'a> {
    pub kind: &'a str,
    pub breach: bool,
    pub locale: &'a str,
    pub policy: ApologyPolicy,
    pub policy_override: Option<&'a str>,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a HtmlFacts,
    pub from_name: &'a str,
    pub from_address: &'a str,
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

/// Run every check.
pub fn run(s: &Subject<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |rule: Rule, message: String| findings.push(Finding::new(rule, message));
    let v = vocabulary(s.locale);
    let body = format!("{}\n{}", s.text, s.html.text);
    let body_lower = body.to_lowercase();
    let subject_lower = s.subject.to_lowercase();

    // Policy.
    if s.policy == ApologyPolicy::Never && s.policy_override.is_none() {
        add(
            POLICY_NO_APOLOGY,
            format!("the {} runbook says never to send an apology", s.kind),
        );
    }

    // Sender.
    for (field, address) in [("From", s.from_address), ("Reply-To", s.reply_to)] {
        let local = address.split('@').next().unwrap_or_default().to_lowercase();
        let squashed: String = local
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if ["noreply", "donotreply", "dontreply", "nreply"]
            .iter()
            .any(|n| squashed.contains(n))
        {
            add(
                SENDER_NO_REPLY,
                format!("{field} is {address}, a no-reply address"),
            );
        }
    }
    let carries = if s.from_name.chars().any(is_emoji) {
        Some("an emoji")
    } else if s.from_name.contains(['@', '<', '>']) {
        Some("an address, which can make it look like another sender")
    } else if s.from_name.contains(':') {
        Some("subject text after a colon")
    } else if s.from_name.contains(['!', '?', '|']) {
        Some("punctuation that shouts")
    } else {
        None
    };
    if let Some(what) = carries {
        add(
            SENDER_NAME,
            format!("the From name {:?} carries {what}", s.from_name),
        );
    }

    // Subject.
    let subject = s.subject.trim();
    if subject
        .chars()
        .all(|c| c.is_whitespace() || is_invisible(c))
    {
        let message = if subject.is_empty() {
            "the subject is empty".to_string()
        } else {
            format!("the subject {subject:?} shows nothing")
        };
        add(SUBJECT_EMPTY, message);
    } else {
        let chars = subject.chars().count();
        let words = subject.split_whitespace().count();
        if chars > 78 {
            add(
                SUBJECT_TOO_LONG,
                format!("the subject has {chars} characters"),
            );
        } else if chars > 50 || words > 9 {
            add(
                SUBJECT_LONG,
                format!("the subject has {chars} characters and {words} words"),
            );
        }
        let head: String = subject_lower.chars().take(40).collect();
        if !v.subject_words.iter().any(|w| head.contains(w)) {
            add(
                SUBJECT_VAGUE,
                format!("{subject:?} does not say up front what happened"),
            );
        }
        let prefix = subject_lower.split(':').next().unwrap_or_default().trim();
        if subject.contains(':') && ["re", "fw", "fwd", "aw", "antw", "tr", "wg"].contains(&prefix)
        {
            add(
                SUBJECT_FAKE_REPLY,
                format!("{subject:?} starts with {prefix:?}"),
            );
        }
        let letters: Vec<char> = subject.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() >= 5 && letters.iter().all(|c| c.is_uppercase()) {
            add(SUBJECT_ALL_CAPS, format!("{subject:?} is in capitals"));
        }
    }

    // Tone, in subject and body.
    let everything = format!("{subject_lower}\n{body_lower}");
    // What must be said is checked in each part on its own: a reader sees one or the other.
    let parts = [("text part", s.text), ("HTML part", s.html.text.as_str())];
    let lacking = |said: &dyn Fn(&str) -> bool| -> Option<&'static str> {
        let missing: Vec<&str> = parts
            .iter()
            .filter(|(_, text)| !said(text))
            .map(|(name, _)| *name)
            .collect();
        match missing.as_slice() {
            [] => None,
            [one] => Some(one),
            _ => Some("text and HTML parts"),
        }
    };
    if let Some(part) = lacking(&|text| {
        let lower = text.to_lowercase();
        v.apology.iter().any(|w| lower.contains(w))
    }) {
        add(
            APOLOGY_MISSING,
            format!("no {} in the {part}", v.apology.join(" / ")),
        );
    }
    let humour: Vec<&str> = v
        .humour
        .iter()
        .copied()
        .filter(|w| contains_word(&everything, w))
        .collect();
    if !humour.is_empty() {
        add(TONE_HUMOUR, format!("humour: {}", humour.join(", ")));
    }
    if let Some(emoji) = s.subject.chars().chain(body.chars()).find(|c| is_emoji(*c)) {
        add(
            TONE_HUMOUR,
            format!("an emoji ({emoji}) in the subject or body"),
        );
    }
    let hedges: Vec<&str> = v
        .hedging
        .iter()
        .copied()
        .filter(|w| contains_word(&everything, w))
        .collect();
    if !hedges.is_empty() {
        add(TONE_HEDGING, format!("hedging: {}", hedges.join(", ")));
    }
    let passive: Vec<&str> = v
        .passive
        .iter()
        .copied()
        .filter(|w| everything.contains(w))
        .collect();
    if !passive.is_empty() {
        add(
            TONE_PASSIVE,
            format!("evasive passive: {}", passive.join(", ")),
        );
    }
    if let Some(greeting) = v.generic_greetings.iter().find(|g| body_lower.contains(*g)) {
        add(GREETING_GENERIC, format!("the greeting {greeting:?}"));
    }
    let urgent: Vec<&str> = v
        .urgency
        .iter()
        .copied()
        .filter(|w| everything.contains(w))
        .collect();
    if !urgent.is_empty() {
        add(URGENCY, format!("urgency: {}", urgent.join(", ")));
    }
    for (part, text) in parts {
        // The text part separates paragraphs with a blank line, the HTML text with a line break.
        let separator = if part == "HTML part" { "\n" } else { "\n\n" };
        let lede = first_paragraph(text, separator);
        let head: String = lede.to_lowercase().chars().take(300).collect();
        if !v.lede_words.iter().any(|w| head.contains(w)) {
            let quoted: String = lede.chars().take(120).collect();
            let more = if lede.chars().count() > 120 {
                "…"
            } else {
                ""
            };
            add(
                LEDE_UNCLEAR,
                format!("the first paragraph of the {part}: {quoted:?}{more}"),
            );
        }
    }

    // Merge tags anywhere: subject, text, HTML text and link targets.
    let hrefs: Vec<&str> = s.html.links.iter().map(|l| l.href.as_str()).collect();
    let places = [s.subject, s.text, s.html.text.as_str(), &hrefs.join("\n")];
    let mut tags: Vec<String> = places.iter().flat_map(|p| merge_tags(p)).collect();
    tags.dedup();
    if !tags.is_empty() {
        add(MERGE_TAG, format!("unrendered: {}", tags.join(", ")));
    }

    // Structure.
    if s.text.trim().is_empty() {
        add(TEXT_PART_MISSING, "the plain-text part is empty".into());
    }
    if !s.html.meta_names.iter().any(|m| m == "x-incident-layout") {
        add(
            TEMPLATE_NOT_BRANDED,
            "the HTML has no branded-base layout marker".into(),
        );
    }
    let hidden = [
        "display:none",
        "visibility:hidden",
        "font-size:0",
        "max-height:0",
        "opacity:0",
    ];
    for style in &s.html.styles {
        let squashed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(h) = hidden.iter().find(|h| contains_css(&squashed, h)) {
            add(HIDDEN_TEXT, format!("a style hides text: {h}"));
            break;
        }
    }
    if let Some(markup) = s.html.hidden.first() {
        add(HIDDEN_TEXT, format!("hidden: {markup}"));
    }
    if s.html.images > 0 && s.html.text.chars().filter(|c| c.is_alphanumeric()).count() < 200 {
        add(
            IMAGE_ONLY,
            format!("{} image(s) and almost no text", s.html.images),
        );
    }

    // Links: the HTML's anchors, and the addresses written out in either part or the subject,
    // which mail clients turn into links too.
    let targets = link_targets(s);
    for link in &s.html.links {
        check_link_text(link, &mut add);
    }
    for target in &targets {
        check_target(target, s, &mut add);
    }

    // Marketing mail needs an unsubscribe link and the postal address; a breach notice is
    // security information and exempt.
    if !s.breach {
        // The link must say unsubscribe and go there: a help page labelled "Unsubscribe" is
        // not a way out.
        let has_unsubscribe = s.html.links.iter().any(|l| {
            l.href == s.unsubscribe_url
                && v.unsubscribe
                    .iter()
                    .any(|w| l.text.to_lowercase().contains(w))
        });
        if !has_unsubscribe {
            add(
                UNSUBSCRIBE_MISSING,
                format!("no visible link to {} in the HTML part", s.unsubscribe_url),
            );
        }
        if !s.text.contains(s.unsubscribe_url) {
            add(
                UNSUBSCRIBE_MISSING,
                format!("{} is not in the text part", s.unsubscribe_url),
            );
        }
        if let Some(part) = lacking(&|text| text.contains(s.postal_address)) {
            add(
                POSTAL_ADDRESS_MISSING,
                format!("{:?} is not in the {part}", s.postal_address),
            );
        }
    } else {
        for (part, text) in parts {
            check_breach_elements(s, v, part, text, &mut add);
        }
        check_breach(s, v, &body_lower, &targets, &mut add);
    }

    // Audience.
    match (s.recipients, s.affected) {
        (None, _) => add(
            AUDIENCE_UNKNOWN,
            "no recipients.csv: the affected audience has not been computed".into(),
        ),
        (Some(listed), Affected::Computed(counted)) if listed != counted => add(
            AUDIENCE_MISMATCH,
            format!(
                "recipients.csv lists {listed} distinct address(es), `incident audience` counted {counted}"
            ),
        ),
        (Some(listed), Affected::Estimated(estimate)) if listed != estimate => {
            findings.push(Finding {
                hint: Cow::Borrowed(
                    "run `incident audience ID --sends FILE`: it writes recipients.csv and records the exact count this check then uses",
                ),
                ..Finding::new(
                    AUDIENCE_MISMATCH,
                    format!(
                        "recipients.csv lists {listed} distinct address(es), the assess step estimated {estimate}, and no audience was computed"
                    ),
                )
            });
        }
        _ => {}
    }
    findings
}

/// Whether a breach notice part carries every element the law asks for, each on its own:
/// the headings in order, something under each, the dates, the consequences, a contact point,
/// and each protective step under "What You Can Do".
fn check_breach_elements(
    s: &Subject<'_>,
    v: &Vocabulary,
    part: &str,
    text: &str,
    add: &mut impl FnMut(Rule, String),
) {
    let lower = text.to_lowercase();
    let lines: Vec<&str> = lower.lines().map(str::trim).collect();
    let heading_at = |heading: &str| {
        let wanted = heading.to_lowercase();
        lines.iter().position(|line| *line == wanted)
    };
    let found: Vec<Option<usize>> = v.headings.iter().map(|h| heading_at(h)).collect();
    // A section runs from its heading to the next heading (or the end).
    let section = |index: usize| -> Option<String> {
        let start = found[index]? + 1;
        let end = found
            .iter()
            .flatten()
            .copied()
            .filter(|&at| at >= start)
            .min()
            .unwrap_or(lines.len());
        Some(lines[start..end].join("\n"))
    };
    let mut after = 0;
    for (heading, at) in v.headings.iter().zip(&found) {
        match at {
            None => add(
                BREACH_LEGAL_ELEMENTS,
                format!("the heading {heading:?} is missing from the {part}"),
            ),
            Some(at) if *at < after => add(
                BREACH_LEGAL_ELEMENTS,
                format!("the heading {heading:?} is out of order in the {part}"),
            ),
            Some(at) => after = *at,
        }
    }
    // The first three headings each need something under them; the last two are checked
    // for what they must hold (the steps to take, a contact point).
    let [happened, involved, doing, can_do, more] = [0, 1, 2, 3, 4].map(section);
    for (heading, body) in v.headings.iter().zip([&happened, &involved, &doing]) {
        if body.as_deref().is_some_and(|b| b.trim().is_empty()) {
            add(
                BREACH_LEGAL_ELEMENTS,
                format!("nothing is said under {heading:?} in the {part}"),
            );
        }
    }
    let notice = s.notice_date;
    // The notice names its own date once; the breach's date is any other date, or the
    // notice's date named again (a breach that began the day the notice went out).
    let mut breach_dates = dates(v, happened.as_deref().unwrap_or(&lower));
    if let Some(own) = breach_dates.iter().position(|d| *d == notice) {
        breach_dates.remove(own);
    }
    if breach_dates.is_empty() {
        add(
            BREACH_LEGAL_ELEMENTS,
            format!("no date of the breach is given in the {part}"),
        );
    }
    if !dates(v, &lower).contains(&notice) {
        add(
            BREACH_LEGAL_ELEMENTS,
            format!("the date of the notice ({notice}) is not in the {part}"),
        );
    }
    if !v.consequences.iter().any(|w| lower.contains(w)) {
        add(
            BREACH_LEGAL_ELEMENTS,
            format!("the likely consequences are not described in the {part}"),
        );
    }
    let contact = more.as_deref().unwrap_or(&lower);
    if !v.contact.iter().any(|w| contact.contains(w)) && !contact.contains('@') {
        add(
            BREACH_LEGAL_ELEMENTS,
            format!("no contact point is given in the {part}"),
        );
    }
    // Each protective step on a line of its own words, where people look for it.
    let steps = can_do.as_deref().unwrap_or(&lower);
    let missing: Vec<&str> = v
        .protective
        .iter()
        .filter(|(_, ways)| {
            !steps.lines().any(|line| {
                ways.iter()
                    .any(|words| words.iter().all(|w| line.contains(w)))
            })
        })
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        add(
            BREACH_PROTECTIVE_STEPS,
            format!("missing from the {part}: {}", missing.join(", ")),
        );
    }
}

/// The dates a text gives: 26 November 2026, November 26, 2026 or 2026-11-26.
fn dates(v: &Vocabulary, text: &str) -> Vec<chrono::NaiveDate> {
    let mut found: Vec<chrono::NaiveDate> = text
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .collect();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = |w: &str| v.months.iter().position(|m| *m == w);
    for w in words.windows(3) {
        let (day, month, year) = match (month(w[0]), month(w[1])) {
            (None, Some(m)) => (w[0], m, w[2]),
            (Some(m), None) => (w[1], m, w[2]),
            _ => continue,
        };
        if let (Ok(day), Ok(year)) = (day.parse::<u32>(), year.parse::<i32>())
            && let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month as u32 + 1, day)
        {
            found.push(date);
        }
    }
    found
}

fn check_breach(
    s: &Subject<'_>,
    v: &Vocabulary,
    body_lower: &str,
    targets: &[Target],
    add: &mut impl FnMut(Rule, String),
) {
    for target in targets {
        let said = format!("{} {}", target.url, target.text).to_lowercase();
        if let Some(word) = LOGIN_WORDS.iter().find(|w| said.contains(*w)) {
            add(
                BREACH_LOGIN_LINK,
                format!("{} links to a {word} page", target.url),
            );
        }
    }
    let promo: Vec<&str> = v
        .promotional
        .iter()
        .copied()
        .filter(|w| contains_word(body_lower, w))
        .collect();
    if !promo.is_empty() {
        add(
            BREACH_PROMOTIONAL,
            format!("promotional words: {}", promo.join(", ")),
        );
    }
    for style in &s.html.styles {
        if let Some(px) = font_size_px(style)
            && px < 13.0
        {
            add(BREACH_SMALL_TYPE, format!("font-size {px}px"));
            break;
        }
    }
}

/// Somewhere a reader can be taken: an anchor's href with its text, or an address written
/// out in the text (which mail clients turn into a link).
struct Target {
    url: String,
    /// What the anchor shows; empty for an address written out.
    text: String,
}

/// Every link target of the email, each address once.
fn link_targets(s: &Subject<'_>) -> Vec<Target> {
    let mut targets: Vec<Target> = s
        .html
        .links
        .iter()
        .map(|l| Target {
            url: l.href.clone(),
            text: l.text.clone(),
        })
        .collect();
    for place in [s.subject, s.text, s.html.text.as_str()] {
        for found in BARE_URL.find_iter(place) {
            let url = found
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?']);
            if !targets.iter().any(|t| t.url == url) {
                targets.push(Target {
                    url: url.to_string(),
                    text: String::new(),
                });
            }
        }
    }
    targets
}

fn check_target(target: &Target, s: &Subject<'_>, add: &mut impl FnMut(Rule, String)) {
    let Some(domain) = domain_of(&target.url) else {
        return;
    };
    if SHORTENERS
        .iter()
        .any(|short| domain == *short || domain.ends_with(&format!(".{short}")))
    {
        add(
            LINK_SHORTENER,
            format!("{} uses the shortener {domain}", target.url),
        );
    }
    if !s.own_domains.iter().any(|d| same_site(&domain, d)) {
        add(
            LINK_FOREIGN_DOMAIN,
            format!("{} is not on {}", target.url, s.own_domains.join(", ")),
        );
    }
}

fn check_link_text(link: &Link, add: &mut impl FnMut(Rule, String)) {
    let text = link.text.trim();
    let looks_like_address = !text.contains(' ') && text.contains('.') && text.len() > 3;
    if looks_like_address {
        let href_domain = domain_of(&link.href);
        let shown = domain_of(text);
        let mismatch = match (&shown, &href_domain) {
            (Some(shown), Some(actual)) => !same_site(shown, actual),
            (Some(_), None) => true,
            _ => false,
        };
        let downgraded = text.starts_with("https://") && link.href.starts_with("http://");
        if mismatch || downgraded {
            add(
                LINK_TEXT_MISMATCH,
                format!("the link text {text:?} points to {}", link.href),
            );
        }
    }
}

/// The host of a URL, lowercased: an http(s) URL, or an address without the scheme
/// (`www.example.com/x`, `bit.ly/x`) as people write them and mail clients link them.
fn domain_of(url: &str) -> Option<String> {
    let lower = url.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    if rest.contains("://") || rest.starts_with(['/', '#', '?']) || !rest.contains('.') {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.trim_end_matches('.').to_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Whether two hosts belong to the same site (the last two labels agree).
fn same_site(a: &str, b: &str) -> bool {
    let base = |h: &str| {
        let labels: Vec<&str> = h.trim_start_matches("www.").split('.').collect();
        labels[labels.len().saturating_sub(2)..].join(".")
    };
    base(a) == base(b)
}

/// The domains of the brand's own URLs and addresses.
pub fn own_domains(urls: &[&str], addresses: &[&str]) -> Vec<String> {
    let mut domains: Vec<String> = urls
        .iter()
        .filter_map(|u| domain_of(u))
        .chain(
            addresses
                .iter()
                .filter_map(|a| a.rsplit_once('@').map(|(_, d)| d.to_lowercase())),
        )
        .collect();
    domains.sort();
    domains.dedup();
    domains
}

fn contains_css(style: &str, rule: &str) -> bool {
    style.split(';').any(|decl| {
        decl == rule
            || (decl.starts_with(rule)
                && !decl[rule.len()..].starts_with(|c: char| c.is_ascii_digit() || c == '.'))
    })
}

fn font_size_px(style: &str) -> Option<f64> {
    let squashed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    let value = squashed
        .split(';')
        .find_map(|d| d.strip_prefix("font-size:"))?;
    if let Some(px) = value.strip_suffix("px") {
        px.parse().ok()
    } else if let Some(pt) = value.strip_suffix("pt") {
        pt.parse::<f64>().ok().map(|pt| pt * 4.0 / 3.0)
    } else {
        None
    }
}

/// The first paragraph that says something: not the title line, not the greeting.
fn first_paragraph<'t>(text: &'t str, separator: &str) -> &'t str {
    text.split(separator)
        .map(str::trim)
        .find(|p| p.chars().count() > 60 || (p.contains(". ") && !p.ends_with(',')))
        .unwrap_or("")
}

fn contains_word(haystack: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = haystack[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let edge_ok = |c: Option<char>, edge: Option<char>| {
            // Words that start or end in punctuation (";)", "% off") need no boundary there.
            edge.is_some_and(|e| !e.is_alphanumeric()) || boundary(c)
        };
        if edge_ok(before, word.chars().next()) && edge_ok(after, word.chars().next_back()) {
            return true;
        }
        from = start + word.len().max(1);
    }
    false
}

/// Characters that take no space on screen: zero-width spaces and joiners, the word joiner,
/// the byte order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(u32::from(c), 0xAD | 0x034F | 0x180E | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF)
}

fn is_emoji(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x231A..=0x231B | 0x23E9..=0x23FA)
}

/// An address written out in text: with a scheme, starting with `www.`, or a domain name
/// followed by a path (`bit.ly/x`), which is what mail clients turn into links.
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>"'()\[\]]*"#)
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});

static MERGE_TAGS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"<\s*[A-Za-z][A-Za-z0-9_.-]*\s*>",
        r"\{\{[^}]*\}\}",
        r"\{%[^%]*%\}",
        r"\*\|[A-Za-z0-9_:]+\|\*",
        r"%%[A-Za-z0-9_ .:-]+%%",
        r"\[\[[^\]]*\]\]",
        r"\$\{[A-Za-z0-9_.]+\}",
        r"\[\s*(?i:first|last|full|user|customer|company)?\s*(?i:name)\s*\]",
        r"\[(?:[A-Z][a-z]+ ?){1,3}\]",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

fn merge_tags(text: &str) -> Vec<String> {
    let mut found: Vec<String> = MERGE_TAGS
        .iter()
        .flat_map(|re| re.find_iter(text).map(|m| m.as_str().to_string()))
        .collect();
    found.sort();
    found.dedup();
    found
}

const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "tiny.cc",
    "rb.gy",
    "lnkd.in",
    "t.ly",
    "v.gd",
    "s.id",
    "bl.ink",
    "short.io",
    "tr.im",
];

const LOGIN_WORDS: &[&str] = &[
    "login",
    "log-in",
    "log in",
    "signin",
    "sign-in",
    "sign in",
    "reset",
    "password",
    "verify",
    "account",
    "inloggen",
    "wachtwoord",
    "/auth",
];

/// The words the checks look for, per locale.
struct Vocabulary {
    apology: &'static [&'static str],
    humour: &'static [&'static str],
    hedging: &'static [&'static str],
    passive: &'static [&'static str],
    generic_greetings: &'static [&'static str],
    urgency: &'static [&'static str],
    lede_words: &'static [&'static str],
    subject_words: &'static [&'static str],
    unsubscribe: &'static [&'static str],
    /// Each protective step, with the ways of saying it: all words of one way on one line.
    protective: &'static [(&'static str, &'static [&'static [&'static str]])],
    /// Month names, lowercase, January first.
    months: [&'static str; 12],
    headings: &'static [&'static str],
    consequences: &'static [&'static str],
    contact: &'static [&'static str],
    promotional: &'static [&'static str],
}

const HUMOUR: &[&str] = &[
    "oops",
    "whoops",
    "whoopsie",
    "oopsie",
    "just kidding",
    "kidding",
    "grapje",
    "lol",
    "lmao",
    "rofl",
    "haha",
    "hehe",
    "our bad",
    "my bad",
    "d'oh",
    "uh-oh",
    "oeps",
    "oepsie",
    "foutje bedankt",
    ";)",
    ":)",
    ":-)",
    ";-)",
    ":d",
    "xd",
];

const EN: Vocabulary = Vocabulary {
    apology: &["sorry", "apologi", "apology"],
    humour: HUMOUR,
    hedging: &[
        "very",
        "fairly",
        "quite",
        "several",
        "various",
        "mostly",
        "relatively",
        "significantly",
        "somewhat",
        "extremely",
        "any inconvenience",
        "if you were affected",
        "out of an abundance of caution",
        "may have been",
        "might have been",
        "we believe",
    ],
    passive: &[
        "mistakes were made",
        "errors were made",
        "an error was made",
        "a mistake was made",
        "was exposed",
        "were exposed",
        "was compromised",
        "were compromised",
        "was leaked",
        "were leaked",
        "was sent in error",
        "were sent in error",
    ],
    generic_greetings: &[
        "dear customer",
        "dear valued customer",
        "dear subscriber",
        "dear sir or madam",
        "dear user",
    ],
    urgency: &[
        "act now",
        "verify your account",
        "within 24 hours",
        "immediately",
        "urgent",
        "account will be suspended",
        "account suspended",
        "limited time",
        "click here",
        "confirm your identity",
        "final notice",
    ],
    lede_words: &[
        "sent",
        "email",
        "mistake",
        "error",
        "breach",
        "data",
        "information",
        "access",
    ],
    subject_words: &[
        "mistake",
        "error",
        "sorry",
        "apolog",
        "wrong",
        "breach",
        "data",
        "notice",
        "notification",
        "incident",
        "not meant",
        "twice",
        "again",
        "correction",
        "security",
        "personal",
    ],
    unsubscribe: &["unsubscribe", "afmelden"],
    protective: &[
        (
            "change your password",
            &[&["change", "password"], &["new", "password"]],
        ),
        (
            "enable two-factor authentication",
            &[&["two-factor"], &["two-step"], &["2fa"], &["multi-factor"]],
        ),
        ("watch for phishing", &[&["phishing"]]),
        (
            "go to the website yourself",
            &[&["yourself", "website"], &["yourself", "browser"]],
        ),
    ],
    months: [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    headings: &[
        "What Happened",
        "What Information Was Involved",
        "What We Are Doing",
        "What You Can Do",
        "For More Information",
    ],
    consequences: &["consequence", "likely"],
    // Phrases of the body, not the footer's "Help and contact" that every email carries.
    contact: &[
        "reply to this email",
        "contact us",
        "or contact",
        "write to",
    ],
    promotional: &[
        "% off",
        "discount",
        "sale",
        "shop now",
        "offer",
        "free shipping",
        "newsletter",
        "coupon",
        "deal",
        "new collection",
        "buy now",
    ],
};

const NL: Vocabulary = Vocabulary {
    apology: &["spijt", "excuses", "excuus"],
    humour: HUMOUR,
    hedging: &[
        "zeer",
        "nogal",
        "enigszins",
        "behoorlijk",
        "diverse",
        "verscheidene",
        "grotendeels",
        "relatief",
        "eventuele ongemakken",
        "eventuele ongemak",
        "eventueel ongemak",
        "mocht u getroffen zijn",
        "uit voorzorg",
        "mogelijk zijn",
    ],
    passive: &[
        "er zijn fouten gemaakt",
        "er is een fout gemaakt",
        "is gelekt",
        "zijn gelekt",
        "is uitgelekt",
        "zijn uitgelekt",
        "is gecompromitteerd",
        "zijn gecompromitteerd",
    ],
    generic_greetings: &[
        "geachte klant",
        "beste klant",
        "geachte heer/mevrouw",
        "geachte relatie",
        "beste abonnee",
    ],
    urgency: &[
        "direct actie",
        "handel nu",
        "binnen 24 uur",
        "onmiddellijk",
        "dringend",
        "account wordt geblokkeerd",
        "klik hier",
        "bevestig uw identiteit",
        "laatste waarschuwing",
    ],
    lede_words: &[
        "gestuurd", "e-mail", "fout", "datalek", "gegevens", "toegang",
    ],
    subject_words: &[
        "fout",
        "excuses",
        "spijt",
        "datalek",
        "melding",
        "gegevens",
        "verkeerd",
        "niet voor u",
        "twee keer",
        "dubbel",
        "beveiliging",
        "correctie",
        "vergissing",
    ],
    unsubscribe: &["afmelden", "unsubscribe"],
    protective: &[
        (
            "wijzig uw wachtwoord",
            &[&["wijzig", "wachtwoord"], &["nieuw", "wachtwoord"]],
        ),
        (
            "tweestapsverificatie",
            &[
                &["tweestapsverificatie"],
                &["twee-factor"],
                &["tweefactor"],
                &["2fa"],
            ],
        ),
        ("pas op voor phishing", &[&["phishing"]]),
        (
            "ga zelf naar de website",
            &[&["zelf", "website"], &["zelf", "browser"]],
        ),
    ],
    months: [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    headings: &[
        "Wat er is gebeurd",
        "Om welke gegevens het gaat",
        "Wat wij doen",
        "Wat u zelf kunt doen",
        "Meer informatie",
    ],
    consequences: &["gevolg"],
    contact: &[
        "beantwoord",
        "neem contact op",
        "contact opnemen",
        "schrijf naar",
    ],
    promotional: &[
        "korting",
        "uitverkoop",
        "aanbieding",
        "shop nu",
        "gratis verzending",
        "nieuwsbrief",
        "kortingscode",
        "nieuwe collectie",
        "% off",
    ],
};

/// Words that mark a text as English or as Dutch: common in one, absent from the other
/// ("we", "is", "was" and "in" are both, so they are left out).
const LANGUAGES: [(&str, &[&str]); 2] = [
    (
        "en",
        &[
            "the", "and", "you", "your", "of", "to", "with", "that", "this", "not", "have", "has",
            "our", "are", "were", "from", "about", "for", "it", "be", "will", "been", "a", "an",
            "made", "sent", "sorry", "mistake", "notice", "breach",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "u", "uw", "dat", "met", "voor", "niet", "ons",
            "onze", "wij", "zijn", "hebben", "heeft", "er", "bij", "naar", "ook", "deze", "dit",
            "die", "om", "te", "wordt", "geen", "gemaakt", "gestuurd", "fout", "spijt", "melding",
            "datalek",
        ],
    ),
];

/// The language a text reads as, when its words say so clearly: more marker words of one
/// language than of the other.
fn reads_as(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphabetic()).collect();
    let counts: Vec<(&str, usize)> = LANGUAGES
        .iter()
        .map(|(lang, markers)| (*lang, words.iter().filter(|w| markers.contains(w)).count()))
        .collect();
    let (best, most) = counts.iter().copied().max_by_key(|(_, n)| *n)?;
    let tie = counts.iter().filter(|(_, n)| *n == most).count() > 1;
    (most > 0 && !tie).then_some(best)
}

/// `locale-mixed` for each text that reads as another language than the email's. Only
/// English and Dutch are told apart; an email in another locale is not judged.
pub fn foreign_language(locale: &str, texts: &[(&str, &str)]) -> Vec<Finding> {
    let base = locale.split(['-', '_']).next().unwrap_or_default();
    if !LANGUAGES.iter().any(|(lang, _)| *lang == base) {
        return Vec::new();
    }
    texts
        .iter()
        .filter_map(|(what, text)| {
            let lang = reads_as(text).filter(|lang| *lang != base)?;
            let mut shown: String = text.chars().take(60).collect();
            if shown.len() < text.len() {
                shown.push('…');
            }
            Some(Finding::new(
                LOCALE_MIXED,
                format!("{what} {shown:?} reads as {lang} in this {locale} email"),
            ))
        })
        .collect()
}

/// The vocabulary for a locale; English where the product has none for it.
fn vocabulary(locale: &str) -> &'static Vocabulary {
    match locale.split(['-', '_']).next().unwrap_or_default() {
        "nl" => &NL,
        _ => &EN,
    }
}

/// Whether the checks have their own vocabulary for a locale.
pub fn knows_locale(locale: &str) -> bool {
    matches!(locale.split(['-', '_']).next(), Some("en" | "nl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_tags_of_every_common_esp_are_found() {
        for tag in [
            "Dear <FirstName>,",
            "Hi {{ first_name }}",
            "Hi *|FNAME|*",
            "Hi %%First Name%%",
            "Dear [First Name]",
            "Hi ${user.name}",
            "[Company] news",
        ] {
            assert!(!merge_tags(tag).is_empty(), "{tag:?} not found");
        }
        for clean in [
            "Hello,",
            "What You Can Do",
            "- Change your password",
            "Go to www.example.com [1]",
        ] {
            assert!(
                merge_tags(clean).is_empty(),
                "{clean:?} flagged: {:?}",
                merge_tags(clean)
            );
        }
    }

    #[test]
    fn english_and_dutch_are_told_apart() {
        for (text, lang) in [
            ("We made a mistake", Some("en")),
            ("Notice of Data Breach", Some("en")),
            ("Our last email was not meant for you", Some("en")),
            ("We hebben een fout gemaakt", Some("nl")),
            ("Melding van een datalek", Some("nl")),
            ("Die e-mail was niet voor u bedoeld", Some("nl")),
            ("Data Protection Officer, privacy@example.com", None),
            ("", None),
        ] {
            assert_eq!(reads_as(text), lang, "{text:?}");
        }
        let mixed = foreign_language("nl", &[("the subject", "We made a mistake")]);
        assert_eq!(
            mixed.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
            ["the subject \"We made a mistake\" reads as en in this nl email"]
        );
        assert!(foreign_language("de", &[("the subject", "We made a mistake")]).is_empty());
    }

    #[test]
    fn dutch_hedging_and_urgency_are_known() {
        let text = "excuses voor het eventuele ongemak. handel nu!";
        assert!(NL.hedging.iter().any(|w| contains_word(text, w)));
        assert!(NL.urgency.iter().any(|w| text.contains(w)));
    }

    #[test]
    fn words_match_whole_words_only() {
        assert!(contains_word("it was a very bad day", "very"));
        assert!(!contains_word("we will deliver every order", "very"));
        assert!(!contains_word("wholesale prices", "sale"));
        assert!(contains_word("50% off today", "% off"));
        assert!(contains_word("sorry ;)", ";)"));
    }

    #[test]
    fn links_that_show_another_address_are_caught() {
        assert_eq!(
            domain_of("https://Shop.Example.com:443/a?b"),
            Some("shop.example.com".into())
        );
        assert!(same_site("www.example.com", "help.example.com"));
        assert!(!same_site("example.com", "example.net"));
        assert_eq!(font_size_px("color:red; font-size: 9pt"), Some(12.0));
        assert!(contains_css("display:none", "display:none"));
        assert!(!contains_css("font-size:0.9em", "font-size:0"));
    }
}

#[cfg(test)]
mod rule_tests {
    //! Every rule fires on a crafted case and stays silent on a clean one.

    use super::*;
    use crate::email::html::scan;

    const CLEAN_TEXT: &str = "Hello,\n\nOn 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.\n\nWe're sorry.\n\nKind regards,\nExample\n\n--\nExample · 1 Main Street, Springfield\nUnsubscribe: https://www.example.com/unsubscribe";
    const CLEAN_HTML: &str = r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body>
        <p style="font-size:16px">Hello,</p><p>On 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.</p>
        <p>We're sorry.</p><p>Example · 1 Main Street, Springfield</p>
        <a href="https://www.example.com/help">Help</a> <a href="https://www.example.com/unsubscribe">Unsubscribe</a></body></html>"#;

    struct Case {
        subject: &'static str,
        text: String,
        html: String,
        from: &'static str,
        from_name: &'static str,
        breach: bool,
        policy: ApologyPolicy,
        recipients: Option<u64>,
        affected: Affected,
    }

    impl Case {
        fn clean() -> Case {
            Case {
                subject: "We made a mistake",
                text: CLEAN_TEXT.into(),
                html: CLEAN_HTML.into(),
                from: "support@example.com",
                from_name: "Example",
                breach: false,
                policy: ApologyPolicy::Recommended,
                recipients: Some(10),
                affected: Affected::Computed(10),
            }
        }

        fn codes(&self) -> Vec<&'static str> {
            let facts = scan(&self.html);
            let findings = run(&Subject {
                kind: "wrong-segment",
                breach: self.breach,
                locale: "en",
                policy: self.policy,
                policy_override: None,
                subject: self.subject,
                text: &self.text,
                html: &facts,
                from_name: self.from_name,
                from_address: self.from,
                reply_to: self.from,
                postal_address: "1 Main Street, Springfield",
                unsubscribe_url: "https://www.example.com/unsubscribe",
                notice_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
                own_domains: own_domains(&["https://www.example.com"], &[self.from]),
                recipients: self.recipients,
                affected: self.affected,
            });
            findings.iter().map(|f| f.code).collect()
        }

        fn both(mut self, from: &str, to: &str) -> Case {
            self.text = self.text.replace(from, to);
            self.html = self.html.replace(from, to);
            self
        }
    }

    fn fires(case: Case, code: &str) {
        let codes = case.codes();
        assert!(codes.contains(&code), "{code} did not fire: {codes:?}");
    }

    #[test]
    fn a_clean_apology_raises_nothing() {
        assert_eq!(Case::clean().codes(), Vec::<&str>::new());
    }

    #[test]
    fn the_html_lede_is_its_first_paragraph_not_the_whole_body() {
        // The first paragraph of the HTML says nothing; what happened comes only later.
        let case = Case {
            html: CLEAN_HTML.replace(
                "<p style=\"font-size:16px\">Hello,</p>",
                "<p style=\"font-size:16px\">Hello,</p><p>Thank you for being a loyal reader of our newsletter all these years.</p>",
            ),
            ..Case::clean()
        };
        assert_eq!(case.codes(), ["lede-unclear"]);
        assert_eq!(
            first_paragraph(
                "Hello,\nOn 26 November 2026 we sent you an email that was not meant for you.\nMore.",
                "\n"
            ),
            "On 26 November 2026 we sent you an email that was not meant for you."
        );
    }

    #[test]
    fn a_finding_missing_from_both_parts_says_so() {
        let case = Case::clean().both("We're sorry.", "Thank you.");
        let facts = scan(&case.html);
        let findings = run(&Subject {
            kind: "wrong-segment",
            breach: false,
            locale: "en",
            policy: case.policy,
            policy_override: None,
            subject: case.subject,
            text: &case.text,
            html: &facts,
            from_name: case.from_name,
            from_address: case.from,
            reply_to: case.from,
            postal_address: "1 Main Street, Springfield",
            unsubscribe_url: "https://www.example.com/unsubscribe",
            notice_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
            own_domains: own_domains(&["https://www.example.com"], &[case.from]),
            recipients: case.recipients,
            affected: case.affected,
        });
        let apology = findings
            .iter()
            .find(|f| f.code == "apology-missing")
            .expect("apology-missing");
        assert!(
            apology.message.ends_with("in the text and HTML parts"),
            "{}",
            apology.message
        );
    }

    #[test]
    fn each_rule_fires_on_its_crafted_case() {
        fires(
            Case {
                from: "no-reply@example.com",
                ..Case::clean()
            },
            "sender-no-reply",
        );
        fires(
            Case {
                from: "do_not_reply@example.com",
                ..Case::clean()
            },
            "sender-no-reply",
        );
        for from_name in [
            "Example ⚠ Act fast!",
            "Northwind Outfitters: We made a mistake",
            "Northwind <care@northwind.example>",
            "care@northwind.example",
        ] {
            fires(
                Case {
                    from_name,
                    ..Case::clean()
                },
                "sender-name",
            );
        }
        fires(
            Case::clean().both("We're sorry.", "Thanks."),
            "apology-missing",
        );
        fires(
            Case::clean().both("We're sorry.", "Oops, we're sorry."),
            "tone-humour",
        );
        fires(
            Case {
                subject: "We made a mistake 🙈",
                ..Case::clean()
            },
            "tone-humour",
        );
        fires(
            Case::clean().both("We're sorry.", "We're sorry for any inconvenience."),
            "tone-hedging",
        );
        fires(
            Case::clean().both("We're sorry.", "We're sorry. Mistakes were made."),
            "tone-passive",
        );
        fires(
            Case::clean().both("Hello,", "Dear Customer,"),
            "greeting-generic",
        );
        for blank in ["", "  ", "\u{200B}", " \u{FEFF}\u{2060} "] {
            fires(
                Case {
                    subject: blank,
                    ..Case::clean()
                },
                "subject-empty",
            );
        }
        fires(
            Case {
                subject: "We made a mistake with the email we sent you this morning about the sale",
                ..Case::clean()
            },
            "subject-long",
        );
        fires(
            Case {
                subject: "We made a mistake with the email we sent you this morning about the winter sale and more",
                ..Case::clean()
            },
            "subject-too-long",
        );
        fires(
            Case {
                subject: "An update from us",
                ..Case::clean()
            },
            "subject-vague",
        );
        fires(
            Case {
                subject: "Re: We made a mistake",
                ..Case::clean()
            },
            "subject-fake-reply",
        );
        fires(
            Case {
                subject: "WE MADE A MISTAKE",
                ..Case::clean()
            },
            "subject-all-caps",
        );
        fires(
            Case::clean().both("On 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.", "Thank you for being a loyal part of our community for so many years now."),
            "lede-unclear",
        );
        for tag in [
            "<FirstName>",
            "{{ first_name }}",
            "*|FNAME|*",
            "%%FirstName%%",
            "[First Name]",
        ] {
            fires(
                Case::clean().both(
                    "Hello,",
                    &format!("Hello {tag},")
                        .replace('<', if tag.starts_with('<') { "&lt;" } else { "<" }),
                ),
                "merge-tag",
            );
        }
        fires(
            Case {
                subject: "Hi *|FNAME|*, we made a mistake",
                ..Case::clean()
            },
            "merge-tag",
        );
        fires(
            Case {
                text: " \n".into(),
                ..Case::clean()
            },
            "text-part-missing",
        );
        fires(
            Case::clean().both(
                r#"<meta name="x-incident-layout" content="branded-base">"#,
                "",
            ),
            "template-not-branded",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://evil.example.net/">www.example.com</a>"#,
            ),
            "link-text-mismatch",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://bit.ly/x">Help</a>"#,
            ),
            "link-shortener",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://other.example.org/">Help</a>"#,
            ),
            "link-foreign-domain",
        );
        // Addresses written out are links in every mail client: in either part, with or
        // without a scheme.
        for written in ["https://bit.ly/3xYz", "bit.ly/3xYz", "www.tinyurl.com/abc"] {
            let text = CLEAN_TEXT.replace("We're sorry.", &format!("We're sorry. See {written}."));
            fires(
                Case {
                    text,
                    ..Case::clean()
                },
                "link-shortener",
            );
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. See {written}.")),
                "link-shortener",
            );
        }
        fires(
            Case::clean().both(
                "We're sorry.",
                "We're sorry. Act now to keep your discount.",
            ),
            "urgency",
        );
        for joke in ["Just kidding!", "Whoopsie.", "Our mistake ;-)"] {
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. {joke}")),
                "tone-humour",
            );
        }
        fires(
            Case::clean().both(r#"<p>We're sorry.</p>"#, r#"<p hidden>We're sorry.</p>"#),
            "hidden-text",
        );
        fires(
            Case::clean().both(
                r#"style="font-size:16px""#,
                r#"style="font-size:16px; color:#ffffff""#,
            ),
            "hidden-text",
        );
        fires(
            Case::clean().both(r#"style="font-size:16px""#, r#"style="display: none""#),
            "hidden-text",
        );
        fires(
            Case {
                html: r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body><img src="https://www.example.com/a.png"><a href="https://www.example.com/unsubscribe">Unsubscribe</a> sorry 1 Main Street, Springfield</body></html>"#.into(),
                ..Case::clean()
            },
            "image-only",
        );
        fires(
            Case::clean().both(">Unsubscribe<", ">Help<"),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/unsubscribe">Unsubscribe</a>"#,
                r#"<a href="https://www.example.com/help">Unsubscribe</a>"#,
            ),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both("Unsubscribe: https://www.example.com/unsubscribe", ""),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both("1 Main Street, Springfield\nUnsubscribe", "Unsubscribe"),
            "postal-address-missing",
        );
        fires(
            Case::clean().both("1 Main Street, Springfield", "Springfield"),
            "postal-address-missing",
        );
        fires(
            Case {
                recipients: Some(12),
                ..Case::clean()
            },
            "audience-mismatch",
        );
        fires(
            Case {
                affected: Affected::Estimated(12),
                ..Case::clean()
            },
            "audience-mismatch",
        );
        fires(
            Case {
                recipients: None,
                ..Case::clean()
            },
            "audience-unknown",
        );
        fires(
            Case {
                policy: ApologyPolicy::Never,
                ..Case::clean()
            },
            "policy-no-apology",
        );
    }

    #[test]
    fn breach_rules_fire_on_a_notice_that_drops_what_the_law_asks() {
        let breach = |text: &str, html_extra: &str| Case {
            subject: "Notice of Data Breach",
            text: text.into(),
            html: format!(
                r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body><p>{text}</p>{html_extra}</body></html>"#
            ),
            breach: true,
            ..Case::clean()
        };
        let full = "Notice of Data Breach\n\nHello,\n\nWe are writing about a data breach involving your information. We're sorry.\n\nWhat Happened\nSomeone copied our customer list on 25 November 2026. This notice is dated 27 November 2026.\n\nWhat Information Was Involved\nYour name and email address.\n\nWhat We Are Doing\nWe closed the access. The likely consequence is phishing.\n\nWhat You Can Do\n- Change your password.\n- Turn on two-factor authentication.\n- Watch for phishing.\n- Go to our website yourself.\n\nFor More Information\nReply to this email.";
        assert_eq!(
            breach(full, "").codes(),
            Vec::<&str>::new(),
            "a complete notice is clean"
        );
        // Each protective step and legal element on its own, in each part: one missing is
        // enough, even when the words appear elsewhere in the notice.
        for step in [
            "- Change your password.\n",
            "- Turn on two-factor authentication.\n",
            "- Watch for phishing.\n",
            "- Go to our website yourself.\n",
        ] {
            let without = full.replace(step, "");
            fires(breach(&without, ""), "breach-protective-steps");
            fires(
                Case {
                    text: without,
                    ..breach(full, "")
                },
                "breach-protective-steps",
            );
        }
        fires(
            breach(
                &full.replace("- Change your password.\n", "- Keep your password safe.\n"),
                "",
            ),
            "breach-protective-steps",
        );
        for (element, gone) in [
            (
                "what happened",
                "Someone copied our customer list on 25 November 2026. ",
            ),
            ("the dates", "on 25 November 2026"),
            ("the notice date", " This notice is dated 27 November 2026."),
            ("the information", "Your name and email address."),
            (
                "the measures",
                "We closed the access. The likely consequence is phishing.",
            ),
            ("the contact point", "Reply to this email."),
        ] {
            let without = full.replace(gone, "");
            let codes = breach(&without, "").codes();
            assert!(
                codes.contains(&"breach-legal-elements"),
                "{element}: {codes:?}"
            );
        }
        fires(
            breach(&full.replace("What We Are Doing", "Our Response"), ""),
            "breach-legal-elements",
        );
        // A breach that began the day the notice is dated names that date twice.
        assert_eq!(
            breach(&full.replace("25 November 2026", "27 November 2026"), "").codes(),
            Vec::<&str>::new()
        );
        // The footer's "Help and contact" is not a contact point.
        fires(
            breach(
                &full.replace(
                    "Reply to this email.",
                    "Thank you.\n\n--\nHelp and contact: https://www.example.com/help",
                ),
                "",
            ),
            "breach-legal-elements",
        );
        fires(
            breach(&full.replace("The likely consequence is phishing.", ""), ""),
            "breach-legal-elements",
        );
        fires(
            breach(
                full,
                r#"<a href="https://www.example.com/account/reset">Reset your password</a>"#,
            ),
            "breach-login-link",
        );
        fires(
            breach(
                &full.replace(
                    "- Change your password.",
                    "- Change your password at https://www.example.com/login.",
                ),
                "",
            ),
            "breach-login-link",
        );
        fires(
            Case {
                text: full.replace(
                    "- Change your password.",
                    "- Change your password at www.example.com/reset.",
                ),
                ..breach(full, "")
            },
            "breach-login-link",
        );
        fires(
            breach(
                &format!("{full}\nEnjoy 20% off your next order with our winter sale."),
                "",
            ),
            "breach-promotional",
        );
        fires(
            breach(full, r#"<p style="font-size:11px">small print</p>"#),
            "breach-small-type",
        );
    }
}

#[cfg(test)]
mod readme_tests {
    #[test]
    fn every_rule_is_listed_in_the_readme_with_its_level() {
        let readme = include_str!("../../README.md");
        for rule in super::RULES {
            let level = match rule.level {
                super::Level::Error => "error",
                super::Level::Warning => "warning",
            };
            let row = format!("| `{}` | {level} |", rule.code);
            assert!(readme.contains(&row), "README has no row {row:?}");
        }
    }
}
