//! Merge tags: the syntaxes of the ESPs whose drafts `incident lint` reads (Mailchimp, Klaviyo,
//! SendGrid) and the placeholders people type into copy, what each tag does, and which ESP a
//! draft was written for. A tag the ESP fills at send time (an unsubscribe link, the postal
//! address, the preview text) is part of a good draft; a tag in another ESP's syntax goes out
//! as written.
//!
//! Sources: Mailchimp, "HTML code for footer tags" and "The Unsubscribe Merge Tag"
//! (kb.mailchimp.com/tag/unsubscribe: `*|UNSUB|*`, `*|EMAIL|*`, `*|LIST:DESCRIPTION|*`,
//! `*|HTML:LIST_ADDRESS_HTML|*`); Klaviyo, "Understanding unsubscribes in Klaviyo"
//! (help.klaviyo.com/hc/en-us/articles/115005078267: `{% unsubscribe %}`, `{% unsubscribe
//! 'text' %}`, `{% unsubscribe_link %}`); Twilio SendGrid, "Recipient subscription preferences"
//! (twilio.com/docs/sendgrid/ui/sending-email/recipient-subscription-preferences:
//! `<%asm_preferences_url%>`, `<%asm_preferences_raw_url%>`), "Substitution Tags"
//! (twilio.com/docs/sendgrid/for-developers/sending-email/substitution-tags: `-firstName-`,
//! for API sends that pass substitutions), "Adding Dynamic Content with Handlebars in
//! Marketing Campaigns" (`{{ first_name | default }}`), "Unsubscribe Methods" (the Marketing
//! Campaigns unsubscribe module, whose export carries `{{{unsubscribe}}}` and
//! `{{Sender_Address}}`).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// An email service provider whose drafts the checks know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Esp {
    Mailchimp,
    Klaviyo,
    SendGrid,
}

impl Esp {
    pub fn name(self) -> &'static str {
        match self {
            Esp::Mailchimp => "Mailchimp",
            Esp::Klaviyo => "Klaviyo",
            Esp::SendGrid => "SendGrid",
        }
    }
}

/// The syntax a tag is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `*|FNAME|*`: Mailchimp.
    Pipes,
    /// `{{ first_name }}`, `{{{unsubscribe}}}`: Klaviyo, SendGrid (and Liquid, HubSpot).
    Braces,
    /// `{% unsubscribe %}`: Klaviyo (Django/Liquid tags).
    BraceTags,
    /// `<%asm_group_unsubscribe_raw_url%>`: SendGrid's unsubscribe groups.
    Angles,
    /// `-first_name-`: SendGrid's substitution tags, filled only by an API send.
    Dashes,
    /// `%%FirstName%%` (Salesforce), `%FIRSTNAME%` (ActiveCampaign), `${name}`, `[[name]]`
    /// (Constant Contact), `[firstname,fallback=]` (Campaign Monitor): other tools' syntax,
    /// none of these ESPs'.
    Foreign,
    /// `[First Name]`, `[Order Number]`, `<FirstName>`: a placeholder typed into the copy,
    /// which nothing fills. Bracketed words that name no value (`[Shop now]` in a text part)
    /// are text.
    Placeholder,
}

/// What a tag is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The unsubscribe link or its address.
    Unsubscribe,
    /// The sender's postal address.
    Address,
    /// Something else the ESP fills for every message alike: the subject, the preview text,
    /// the recipient's address, a condition, the sender's name.
    SendTime,
    /// A value of the recipient, with a fallback for those without one or not.
    Personal { fallback: bool },
}

/// One tag as written in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub text: String,
    pub syntax: Syntax,
    pub role: Role,
}

impl Tag {
    /// Whether `esp` fills a tag in this syntax.
    pub fn is_syntax_of(&self, esp: Esp) -> bool {
        matches!(
            (esp, self.syntax),
            (Esp::Mailchimp, Syntax::Pipes)
                | (Esp::Klaviyo, Syntax::Braces | Syntax::BraceTags)
                | (
                    Esp::SendGrid,
                    Syntax::Braces | Syntax::Angles | Syntax::Dashes
                )
        )
    }

    /// The ESPs that use this syntax, for messages.
    pub fn syntax_of(&self) -> &'static str {
        match self.syntax {
            Syntax::Pipes => "Mailchimp's",
            Syntax::Braces => "Klaviyo's and SendGrid's",
            Syntax::BraceTags => "Klaviyo's",
            Syntax::Angles => "SendGrid's",
            Syntax::Dashes => "SendGrid's API substitution",
            Syntax::Foreign => "another tool's",
            Syntax::Placeholder => "no ESP's",
        }
    }
}

/// The patterns of each syntax. The dashed form needs an underscore or a capital inside
/// (`-first_name-`, `-firstName-`) so that words between dashes are not tags.
static PATTERNS: LazyLock<Vec<(Syntax, Regex)>> = LazyLock::new(|| {
    [
        (Syntax::Pipes, r"\*\|[A-Za-z0-9_:]+\|\*"),
        (Syntax::Braces, r"\{\{\{?[^{}]*\}?\}\}"),
        (Syntax::BraceTags, r"\{%[^%]*%\}"),
        (Syntax::Angles, r"<%[A-Za-z0-9_]+%>"),
        (
            Syntax::Dashes,
            r"(?:^|[\s>(])(-[a-z]+(?:_[a-z]+)+-|-[a-z]+(?:[A-Z][a-z]+)+-)(?:$|[\s<,.;:!?)])",
        ),
        (
            Syntax::Foreign,
            r"%%[^%\s][^%]*%%|%[A-Za-z][A-Za-z0-9_.]*%|\$\{[A-Za-z0-9_.]+\}|\[\[[^\]]*\]\]|\[[a-z]+,\s*fallback=[^\]]*\]",
        ),
        (
            Syntax::Placeholder,
            r"<\s*[A-Za-z][A-Za-z0-9_.-]*\s*>|\[\s*(?i:(?:first|last|full|user|customer|company|contact|recipient|subscriber|member|order|account|tracking|reference)[ _]?)?(?i:name|first ?name|number|no\.?|id|e-?mail|email address|date|address|city|code|company|voornaam|achternaam|naam|nummer|bedrijf|datum)\s*\]",
        ),
    ]
    .into_iter()
    .filter_map(|(syntax, pattern)| Regex::new(pattern).ok().map(|re| (syntax, re)))
    .collect()
});

/// Every tag in `text`, each once, in the order of the syntaxes. Text one syntax has read as
/// a tag is not read again by another (`<%asm_…%>` holds no `%…%`).
pub fn tags(text: &str) -> Vec<Tag> {
    let mut found: Vec<Tag> = Vec::new();
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    for (syntax, re) in PATTERNS.iter() {
        for m in re.captures_iter(text) {
            let Some(whole) = m.get(1).or_else(|| m.get(0)) else {
                continue;
            };
            let span = whole.range();
            if taken
                .iter()
                .any(|t| t.start < span.end && span.start < t.end)
            {
                continue;
            }
            taken.push(span);
            let written = whole.as_str().trim().to_string();
            if found.iter().any(|t| t.text == written) || is_markup(&written) {
                continue;
            }
            found.push(Tag {
                role: role(*syntax, &written, text),
                syntax: *syntax,
                text: written,
            });
        }
    }
    found
}

/// A `<word>` that is an HTML element, not a placeholder: what a text part quoting markup
/// (or a scanner's leftover) holds.
fn is_markup(written: &str) -> bool {
    let name = written
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_ascii_lowercase();
    written.starts_with('<')
        && [
            "p", "br", "b", "i", "a", "div", "span", "strong", "em", "td", "tr", "table", "li",
            "ul", "html", "body", "head",
        ]
        .contains(&name.as_str())
}

/// What a tag does, from its syntax and name; `text` is the whole draft, where a
/// `*|IF:FNAME|*` around a Mailchimp tag gives it a fallback.
fn role(syntax: Syntax, written: &str, text: &str) -> Role {
    let inner: String = written
        .trim_matches(|c: char| "*|{}%<>-$[] ".contains(c))
        .to_ascii_lowercase();
    let name = inner
        .split(|c: char| c.is_whitespace() || c == '|' || c == ':' && syntax != Syntax::Pipes)
        .next()
        .unwrap_or_default()
        .to_string();
    let fallback = written.contains('|') && syntax == Syntax::Braces || written.contains("default");
    match syntax {
        Syntax::Pipes => pipes_role(&inner, text),
        Syntax::Braces | Syntax::BraceTags => match name.as_str() {
            "unsubscribe"
            | "unsubscribe_link"
            | "unsubscribe_url"
            | "unsubscribe_preferences"
            | "manage_preferences" => Role::Unsubscribe,
            "organization.full_address" | "organization.address" | "sender_address" => {
                Role::Address
            }
            "if" | "endif" | "else" | "elif" | "for" | "endfor" | "web_view" | "email"
            | "person.email" | "organization.name" | "organization.url" | "sender_name"
            | "sender_city" | "sender_state" | "sender_zip" => Role::SendTime,
            _ if name.starts_with('#') || name.starts_with('/') => Role::SendTime,
            _ => Role::Personal { fallback },
        },
        Syntax::Angles if name.starts_with("asm_") => Role::Unsubscribe,
        _ => Role::Personal { fallback: false },
    }
}

/// The role of a Mailchimp tag: its list, footer and campaign tags are filled for everyone;
/// any other is a merge field, with a fallback when the draft tests it with `*|IF:…|*`.
fn pipes_role(inner: &str, text: &str) -> Role {
    let upper = inner.to_ascii_uppercase();
    match upper.as_str() {
        "UNSUB" | "UPDATE_PROFILE" => Role::Unsubscribe,
        "HTML:LIST_ADDRESS_HTML" | "LIST:ADDRESS" | "LIST:ADDRESS_HTML" | "LIST:ADDRESSLINE" => {
            Role::Address
        }
        "EMAIL" | "FORWARD" | "ARCHIVE" | "CURRENT_YEAR" | "MC_PREVIEW_TEXT" | "REWARDS"
        | "ABOUT_LIST" => Role::SendTime,
        _ if upper.contains(':') => Role::SendTime,
        _ => Role::Personal {
            fallback: text.contains(&format!("*|IF:{upper}|*"))
                || text.contains(&format!("*|IFNOT:{upper}|*")),
        },
    }
}

/// Markup and tags that show which ESP a draft was exported from, with the ESP.
const MARKERS: &[(&str, Esp)] = &[
    ("mcnTextContent", Esp::Mailchimp),
    ("mcnPreviewText", Esp::Mailchimp),
    ("templateContainer", Esp::Mailchimp),
    ("mc:edit", Esp::Mailchimp),
    ("*|UNSUB|*", Esp::Mailchimp),
    ("*|LIST:", Esp::Mailchimp),
    ("*|HTML:LIST_ADDRESS_HTML|*", Esp::Mailchimp),
    ("*|MC:", Esp::Mailchimp),
    ("{% unsubscribe", Esp::Klaviyo),
    ("{% manage_preferences", Esp::Klaviyo),
    ("{{ organization.", Esp::Klaviyo),
    ("{{organization.", Esp::Klaviyo),
    ("klaviyo", Esp::Klaviyo),
    ("{{{unsubscribe", Esp::SendGrid),
    ("<%asm_", Esp::SendGrid),
    ("{{Sender_", Esp::SendGrid),
    ("module-unsubscribe", Esp::SendGrid),
    ("data-muid", Esp::SendGrid),
];

/// The ESP a draft was written for, by the markup and send-time tags each leaves: the one
/// with the most, if one has more than the others.
pub fn detect(source: &str) -> Option<Esp> {
    let count = |esp: Esp| {
        MARKERS
            .iter()
            .filter(|(marker, e)| *e == esp && source.contains(marker))
            .count()
    };
    let counts = [Esp::Mailchimp, Esp::Klaviyo, Esp::SendGrid].map(|esp| (esp, count(esp)));
    let (best, most) = counts.iter().copied().max_by_key(|(_, n)| *n)?;
    let tie = counts.iter().filter(|(_, n)| *n == most).count() > 1;
    (most > 0 && !tie).then_some(best)
}

/// Whether a draft for SendGrid is the body of an API send rather than a Marketing Campaigns
/// design: only an API send passes the substitutions a `-name-` tag needs.
pub fn is_api_body(source: &str) -> bool {
    !source.contains("data-role=\"module") && !source.contains("data-muid")
}

/// `text` with every tag taken out, so that no rule reads a tag as words.
pub fn without_tags(text: &str) -> String {
    let mut out = text.to_string();
    for (_, re) in PATTERNS.iter() {
        out = re.replace_all(&out, " ").into_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(text: &str) -> Vec<(String, Syntax, Role)> {
        tags(text)
            .into_iter()
            .map(|t| (t.text, t.syntax, t.role))
            .collect()
    }

    #[test]
    fn each_esp_tag_has_its_syntax_and_role() {
        let found = roles(
            "Hi *|FNAME|*, <a href=\"*|UNSUB|*\">Unsubscribe</a> *|HTML:LIST_ADDRESS_HTML|* {% unsubscribe 'Afmelden' %} {{ organization.full_address }} {{ first_name|default:'daar' }} {{{unsubscribe}}} <%asm_group_unsubscribe_raw_url%> Dear -first_name-, %%FirstName%% %FIRSTNAME% [First Name] <OrderNumber>",
        );
        let expect = [
            (
                "*|FNAME|*",
                Syntax::Pipes,
                Role::Personal { fallback: false },
            ),
            ("*|UNSUB|*", Syntax::Pipes, Role::Unsubscribe),
            ("*|HTML:LIST_ADDRESS_HTML|*", Syntax::Pipes, Role::Address),
            (
                "{{ organization.full_address }}",
                Syntax::Braces,
                Role::Address,
            ),
            (
                "{{ first_name|default:'daar' }}",
                Syntax::Braces,
                Role::Personal { fallback: true },
            ),
            ("{{{unsubscribe}}}", Syntax::Braces, Role::Unsubscribe),
            (
                "{% unsubscribe 'Afmelden' %}",
                Syntax::BraceTags,
                Role::Unsubscribe,
            ),
            (
                "<%asm_group_unsubscribe_raw_url%>",
                Syntax::Angles,
                Role::Unsubscribe,
            ),
            (
                "-first_name-",
                Syntax::Dashes,
                Role::Personal { fallback: false },
            ),
            (
                "%%FirstName%%",
                Syntax::Foreign,
                Role::Personal { fallback: false },
            ),
            (
                "[First Name]",
                Syntax::Placeholder,
                Role::Personal { fallback: false },
            ),
            (
                "<OrderNumber>",
                Syntax::Placeholder,
                Role::Personal { fallback: false },
            ),
        ];
        for (text, syntax, role) in expect {
            assert!(
                found.contains(&(text.to_string(), syntax, role)),
                "{text}: {found:?}"
            );
        }
        // A Mailchimp merge field tested with *|IF:…|* has a fallback.
        assert!(
            roles("*|IF:FNAME|*Hi *|FNAME|*,*|ELSE:|*Hi,*|END:IF|*").contains(&(
                "*|FNAME|*".to_string(),
                Syntax::Pipes,
                Role::Personal { fallback: true }
            ))
        );
    }

    #[test]
    fn words_between_dashes_and_markup_are_no_tags() {
        assert_eq!(
            roles("a well-known re-send - twice - and <p> or <br>, 20% off 30%"),
            []
        );
    }

    #[test]
    fn the_esp_of_a_draft_is_told_by_its_markup_and_send_time_tags() {
        assert_eq!(
            detect(r#"<td class="mcnTextContent">*|UNSUB|*</td>"#),
            Some(Esp::Mailchimp)
        );
        assert_eq!(
            detect("Hi *|FNAME|*, {% unsubscribe %}"),
            Some(Esp::Klaviyo)
        );
        assert_eq!(
            detect(r#"<div data-role="module-unsubscribe">{{{unsubscribe}}}</div>"#),
            Some(Esp::SendGrid)
        );
        assert_eq!(detect("Hello, plain text."), None);
        assert!(!is_api_body(r#"<div data-role="module-unsubscribe">"#));
        assert_eq!(without_tags("Hi *|FNAME|*, bye"), "Hi  , bye");
    }
}
