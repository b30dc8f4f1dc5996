//! The apology: rendered from Tera templates on the brand's base layout (HTML and plain text)
//! with a typed [`EmailContext`], wrapped as an RFC 5322 message, and checked by the rules of
//! [`checks`] before anything is written; and any draft read from a file ([`draft`]) checked
//! by the same rules ([`lint`]).

pub mod checks;
mod colour;
mod context;
pub mod draft;
pub mod esp;
pub mod headers;
pub mod html;
mod lint;
mod mime;

pub use checks::{Finding, ForDrafts, Level, RULES, Rule};
pub use context::EmailContext;
pub use draft::DraftFile;
pub use lint::{Against, LintOptions, Linted, lint};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Brand;
use crate::error::{Error, Result};
use crate::incident::legal::ClockState;
use crate::incident::{EmailSummary, Incident, known};
use crate::runbook::Runbook;
use crate::templates::{Templates, check_name};

/// What the operator chose on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub locale: Option<String>,
    pub subject: Option<String>,
    pub policy_override: Option<String>,
    /// A dry run: a rehearsal, which may use the example brand.
    pub dry_run: bool,
}

/// Everything that goes into one rendering besides the templates.
pub struct Inputs<'a> {
    pub incident: &'a Incident,
    pub runbook: &'a Runbook,
    pub brand: &'a Brand,
    /// `incident.toml` `locale`.
    pub default_locale: Option<&'a str>,
    /// Distinct addresses in `recipients.csv`, if there is one.
    pub recipients: Option<u64>,
    /// The incident's legal clocks now (none for a kind without them).
    pub clocks: &'a [ClockState],
    pub now: DateTime<Utc>,
}

/// A rendered and checked apology.
#[derive(Debug, Clone, Serialize)]
pub struct Rendered {
    pub subject: String,
    pub locale: String,
    pub template: String,
    pub html: String,
    pub text: String,
    #[serde(skip)]
    pub eml: Vec<u8>,
    pub findings: Vec<Finding>,
}

impl Rendered {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.level == Level::Error)
    }
}

/// The languages of one rendering: the one the team answered in (the inform step's own, else
/// the workspace's), and the one the email is in (that, unless `--locale` asks for another).
struct Locales {
    answered: String,
    email: String,
}

impl Locales {
    fn of(inputs: &Inputs<'_>, options: &Options) -> Locales {
        let answered = known::LOCALE
            .text(inputs.incident)
            .or(inputs.default_locale)
            .unwrap_or("en")
            .to_string();
        Locales {
            email: options.locale.clone().unwrap_or_else(|| answered.clone()),
            answered,
        }
    }
}

/// Render the apology for an incident and run every check on it.
pub fn render(templates: &Templates, inputs: &Inputs<'_>, options: &Options) -> Result<Rendered> {
    let locales = Locales::of(inputs, options);
    let locale = &locales.email;
    let family = family(inputs.runbook).to_string();
    let names = template_names(templates, &family, locale)?;
    let subject = subject(inputs, options, &locales)?;
    let runbook = inputs.runbook;
    let mut context = EmailContext::new(&context::Setting {
        incident: inputs.incident,
        brand: inputs.brand,
        family: &family,
        locale,
        subject: &subject,
        asks: &|q| runbook.steps.get(q.step).question(q.id).is_some(),
        now: inputs.now,
    });
    // The text part first: the HTML's preheader is its first sentence.
    let text = squeeze_blank_lines(&templates.render(&names[1], &context.to_tera()?)?);
    context.preheader = preheader(&text);
    let html = templates.render(&names[0], &context.to_tera()?)?;
    let eml = mime::build(
        &mime::Envelope {
            brand: inputs.brand,
            subject: &subject,
            locale,
            marketing: context.marketing,
            message_id: message_id(inputs, locale, &[&subject, &text, &html]),
            date: inputs.now,
        },
        &text,
        &html,
    )?;
    let findings = check(
        inputs,
        options,
        &locales,
        &context,
        &Message {
            subject: &subject,
            headers: headers::block(&eml),
            text: &text,
            html: &html,
        },
    );
    Ok(Rendered {
        subject,
        locale: locales.email,
        template: family,
        html,
        text,
        eml,
        findings,
    })
}

/// The text part with no two blank lines in a row and no space at a line's end: a template
/// may leave out a paragraph without counting its newlines.
fn squeeze_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if blank < 2 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The inbox preview: the first sentence of the first paragraph that says something, at most
/// about 150 characters (what inboxes show beside the subject).
fn preheader(text: &str) -> String {
    let paragraph = checks::first_paragraph(text);
    let sentence = paragraph
        .find(". ")
        .map_or(paragraph, |end| &paragraph[..=end]);
    let words = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= 150 {
        return words;
    }
    let mut cut: String = words.chars().take(150).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

/// A Message-ID unique to one rendering: the incident, and a digest of the instant, the
/// locale and what the message says, so two renderings in the same second (en and nl, or an
/// edit of the wording) never share one, while the same rendering gives the same bytes. Kept
/// short: a Message-ID cannot be folded, and a header line should stay within 78 octets.
fn message_id(inputs: &Inputs<'_>, locale: &str, content: &[&str]) -> String {
    let instant = inputs.now.format("%Y%m%dT%H%M%SZ").to_string();
    // FNV-1a: a stable digest, the same on every build and platform.
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [instant.as_str(), locale].iter().chain(content) {
        for byte in part.bytes().chain([0]) {
            digest = (digest ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!(
        "<{}.{locale}.{digest:016x}@{}>",
        inputs.incident.id,
        inputs.brand.domain()
    )
}

/// The HTML and text body templates for a family and locale, which must exist.
fn template_names(templates: &Templates, family: &str, locale: &str) -> Result<[String; 2]> {
    let names = [
        format!("email/{family}.{locale}.html"),
        format!("email/{family}.{locale}.txt"),
    ];
    for name in &names {
        check_locale(locale)?;
        check_name(name)?;
        if !templates.contains(name) {
            let available: Vec<String> = templates
                .origins()
                .keys()
                .filter_map(|n| n.strip_prefix(&format!("email/{family}.")))
                .filter_map(|n| n.strip_suffix(".html"))
                .map(str::to_string)
                .collect();
            return Err(Error::Usage {
                message: format!("no {family} email for locale {locale:?} (templates/{name})"),
                hint: format!(
                    "available locales: {}; add templates/email/{family}.{locale}.html and .txt to add one",
                    available.join(", ")
                ),
            });
        }
    }
    Ok(names)
}

/// The subject: `--subject`, else the inform step's answer when the email is in the language
/// it was written in, else the runbook's suggestion for the locale — never a mix of languages.
fn subject(inputs: &Inputs<'_>, options: &Options, locales: &Locales) -> Result<String> {
    let subject = options
        .subject
        .clone()
        .or_else(|| {
            known::SUBJECT
                .text(inputs.incident)
                .filter(|_| locales.answered == locales.email)
                .map(str::to_string)
        })
        .or_else(|| {
            inputs
                .runbook
                .email
                .subjects
                .get(&locales.email)
                .and_then(|s| s.first())
                .cloned()
        })
        .unwrap_or_default();
    // A subject is one header line: CR, LF or any control character could forge headers.
    crate::text::check_text(&subject, false)
        .map_err(|message| format!("the subject {message}"))
        .and_then(|()| crate::text::check_length("the subject", &subject))
        .map_err(|message| Error::Usage {
            message,
            hint: "give the subject as one line of plain text".into(),
        })?;
    Ok(subject)
}

/// Run the checks on a rendering, against what the record says.
/// What was rendered, for the checks.
struct Message<'a> {
    subject: &'a str,
    headers: &'a str,
    text: &'a str,
    html: &'a str,
}

fn check(
    inputs: &Inputs<'_>,
    options: &Options,
    locales: &Locales,
    context: &EmailContext,
    message: &Message<'_>,
) -> Vec<Finding> {
    let Message {
        subject,
        headers,
        text,
        html,
    } = *message;
    let brand = inputs.brand;
    let facts = html::scan(html);
    let incident = inputs.incident;
    let quoted = context.quoted();
    let quoted: Vec<(&str, &str)> = quoted.iter().map(|(id, t)| (*id, t.as_str())).collect();
    let tags = checks::used_tags(Some(subject), Some(text), Some(&facts));
    let record = record_facts(incident, context, inputs.clocks);
    checks::run(&checks::Draft {
        origin: checks::Origin::Rendered,
        kind: Some(&incident.kind),
        breach: !context.marketing,
        locale: &locales.email,
        answered_locale: &locales.answered,
        quoted: &quoted,
        policy: Some(inputs.runbook.apology.policy),
        policy_override: options.policy_override.as_deref(),
        subject: Some(subject),
        headers: Some(headers),
        text: Some(text),
        html: Some(&facts),
        sender: Some(checks::Sender {
            name: &brand.from_name,
            address: &brand.from_address,
            reply_to: brand.reply_to(),
        }),
        brand_example: &brand.example_keys(),
        rehearsal: if incident.drill {
            Some("a drill")
        } else if options.dry_run {
            Some("a dry run")
        } else {
            None
        },
        postal_address: Some(&brand.postal_address),
        unsubscribe_url: Some(&brand.unsubscribe_url),
        esp: None,
        api_body: false,
        tags: &tags,
        list_unsubscribe: context.marketing,
        notice_date: Some(inputs.now.date_naive()),
        own_domains: checks::own_domains(
            &[&brand.website, &brand.support_url, &brand.unsubscribe_url],
            &[&brand.from_address, brand.reply_to()],
        ),
        recipients: inputs.recipients,
        affected: affected(incident),
        record: Some(&record),
    })
}

/// How many were affected, as far as the record knows.
pub fn affected(incident: &Incident) -> checks::Affected {
    match (
        &incident.steps.assess.audience,
        known::AFFECTED_COUNT.answer(incident),
    ) {
        (Some(audience), _) => checks::Affected::Computed(audience.affected),
        (None, Some(estimate)) => estimate.as_number().map_or(checks::Affected::Unknown, |n| {
            checks::Affected::Estimated(n as u64)
        }),
        (None, None) => checks::Affected::Unknown,
    }
}

/// What the record says an email about the incident must match.
pub(crate) fn record_facts(
    incident: &Incident,
    context: &EmailContext,
    clocks: &[ClockState],
) -> checks::RecordFacts {
    use crate::incident::legal::ClockStatus;
    checks::RecordFacts {
        omitted: context.omitted.iter().map(|o| o.message.clone()).collect(),
        advice: context.breach.advice,
        breach_start: known::BREACH_START
            .instant(incident)
            .map(|s| s.date_naive()),
        nature: !context
            .omitted
            .iter()
            .any(|o| o.question == known::WHAT_HAPPENED.name()),
        california: clocks.iter().any(|c| c.id.starts_with("california")),
        gdpr: clocks
            .iter()
            .any(|c| c.id.starts_with("gdpr") || matches!(c.id, "nl-ap" | "uk-ico")),
        late: clocks
            .iter()
            .filter(|c| c.individuals)
            .filter(|c| matches!(c.status, ClockStatus::Overdue | ClockStatus::Missed))
            .map(|c| {
                format!(
                    "the {} clock ({}: {}, {}) is {}",
                    c.id, c.law, c.notify, c.deadline_text, c.status
                )
            })
            .collect(),
    }
}

/// The body family an incident's email is rendered from. A kind with legal clocks is a data
/// breach whatever its runbook says: people must get the protective steps, not a plain apology.
fn family(runbook: &Runbook) -> &str {
    if runbook.legal_clocks {
        "breach"
    } else {
        &runbook.email.template
    }
}

fn check_locale(locale: &str) -> Result<()> {
    if crate::text::is_locale(locale) {
        Ok(())
    } else {
        Err(Error::Usage {
            message: format!("{locale:?} is not a locale code"),
            hint: "use a lowercase language code such as en or nl".into(),
        })
    }
}

/// The summary kept in the record's inform step.
pub fn summary(
    rendered: &Rendered,
    recipients: Option<u64>,
    policy_override: Option<&str>,
    now: DateTime<Utc>,
) -> EmailSummary {
    let raised: Vec<&str> = rendered.findings.iter().map(|f| f.code).collect();
    EmailSummary {
        rendered_at: now,
        subject: rendered.subject.clone(),
        locale: rendered.locale.clone(),
        template: rendered.template.clone(),
        recipients,
        checks_passed: RULES
            .iter()
            .map(|r| r.code)
            .filter(|code| !raised.contains(code))
            .map(str::to_string)
            .collect(),
        warnings: rendered
            .findings
            .iter()
            .filter(|f| f.level == Level::Warning)
            .map(|f| f.code.to_string())
            .collect(),
        policy_override: policy_override.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::Catalog;

    #[test]
    fn a_kind_with_legal_clocks_gets_the_breach_notice_whatever_its_template() {
        let catalog = Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins");
        let mut runbook = catalog.get("data-breach").expect("breach").clone();
        runbook.email.template = "mistake".into();
        assert_eq!(family(&runbook), "breach");
        runbook.legal_clocks = false;
        assert_eq!(family(&runbook), "mistake");
    }

    #[test]
    fn the_schema_has_every_field_a_template_can_name() {
        let schema = EmailContext::schema();
        for path in [
            "brand.logo_url",
            "brand.domain",
            "sent.month",
            "breach.start.year",
            "breach.contact_point",
        ] {
            let mut value = &schema;
            for part in path.split('.') {
                value = &value[part];
            }
            assert!(!value.is_null(), "{path}");
        }
    }
}
