//! The apology: rendered from Tera templates on the brand's base layout (HTML and plain text),
//! wrapped as an RFC 5322 message, and checked by coded rules before anything is written.

pub mod checks;
pub mod html;
mod mime;

pub use crate::config::Brand;
pub use checks::{Finding, Level, RULES, Rule};

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use serde_json::json;

use crate::error::{Error, Result};
use crate::incident::{Answer, Incident, Step};
use crate::runbook::{ApologyPolicy, LOCALE, Runbook, SUBJECT};
use crate::templates::{Templates, check_name};

/// What the operator chose on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub locale: Option<String>,
    pub subject: Option<String>,
    pub policy_override: Option<String>,
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

/// Render the apology for an incident and run every check on it.
pub fn render(templates: &Templates, inputs: &Inputs<'_>, options: &Options) -> Result<Rendered> {
    let incident = inputs.incident;
    let runbook = inputs.runbook;
    let inform = &incident.steps.inform.answers;
    // The language the team answered in: the inform step's own, else the workspace's. The
    // email is in that language unless --locale asks for another.
    let answered_locale = inform
        .get(LOCALE)
        .and_then(Answer::as_text)
        .or(inputs.default_locale)
        .unwrap_or("en")
        .to_string();
    let locale = options
        .locale
        .clone()
        .unwrap_or_else(|| answered_locale.clone());
    let family = family(runbook).to_string();
    let names = [
        format!("email/{family}.{locale}.html"),
        format!("email/{family}.{locale}.txt"),
    ];
    for name in &names {
        check_locale(&locale)?;
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
    // The inform step's subject was written in the answers' language: a rendering in another
    // language takes that language's suggestion, so the two are never mixed.
    let subject = options
        .subject
        .clone()
        .or_else(|| {
            inform
                .get(SUBJECT)
                .and_then(Answer::as_text)
                .filter(|_| answered_locale == locale)
                .map(str::to_string)
        })
        .or_else(|| {
            runbook
                .email
                .subjects
                .get(&locale)
                .and_then(|s| s.first())
                .cloned()
        })
        .unwrap_or_default();
    // A subject is one header line: CR, LF or any control character could forge headers.
    crate::text::check_text(&subject, false).map_err(|message| Error::Usage {
        message: format!("the subject {message}"),
        hint: "give the subject as one line of plain text".into(),
    })?;

    let breach = family == "breach";
    let (context, quoted) = context(inputs, &locale, &subject, breach);
    let html = templates.render(&names[0], &context)?;
    let text = templates.render(&names[1], &context)?;
    let brand = inputs.brand;
    let eml = mime::build(
        &mime::Envelope {
            brand,
            subject: &subject,
            locale: &locale,
            marketing: !breach,
            message_id: format!(
                "<{}.{}@{}>",
                incident.id,
                inputs.now.format("%Y%m%dT%H%M%SZ"),
                brand.domain()
            ),
            date: inputs.now,
        },
        &text,
        &html,
    )?;

    let facts = html::scan(&html);
    let assess = &incident.steps.assess;
    let affected = match (&assess.audience, assess.answers.get("affected_count")) {
        (Some(audience), _) => checks::Affected::Computed(audience.affected),
        (None, Some(estimate)) => estimate.as_number().map_or(checks::Affected::Unknown, |n| {
            checks::Affected::Estimated(n as u64)
        }),
        (None, None) => checks::Affected::Unknown,
    };
    let mut findings = checks::run(&checks::Subject {
        kind: &incident.kind,
        breach,
        locale: &locale,
        policy: runbook.apology.policy,
        policy_override: options.policy_override.as_deref(),
        subject: &subject,
        text: &text,
        html: &facts,
        from_name: &brand.from_name,
        from_address: &brand.from_address,
        reply_to: brand.reply_to(),
        postal_address: &brand.postal_address,
        unsubscribe_url: &brand.unsubscribe_url,
        notice_date: inputs.now.date_naive(),
        own_domains: checks::own_domains(
            &[&brand.website, &brand.support_url, &brand.unsubscribe_url],
            &[&brand.from_address, brand.reply_to()],
        ),
        recipients: inputs.recipients,
        affected,
    });
    if answered_locale != locale && !quoted.is_empty() {
        findings.push(Finding::new(
            checks::LOCALE_MIXED,
            format!(
                "answers written for the {answered_locale} apology are quoted in this {locale} one"
            ),
        ));
    } else {
        let mut texts = vec![("the subject", subject.as_str())];
        texts.extend(quoted.iter().map(|(id, text)| (*id, text.as_str())));
        findings.extend(checks::foreign_language(&locale, &texts));
    }
    if runbook.apology.policy == ApologyPolicy::Never
        && let Some(reason) = &options.policy_override
    {
        findings.push(Finding {
            code: checks::POLICY_NO_APOLOGY.code,
            level: Level::Warning,
            message: format!(
                "sent against the {} policy; override: {reason}",
                incident.kind
            ),
            hint: checks::POLICY_NO_APOLOGY.hint.into(),
        });
    }
    Ok(Rendered {
        subject,
        locale,
        template: family,
        html,
        text,
        eml,
        findings,
    })
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

/// Whether a text has the form of a locale code (`en`, `nl`, `pt-br`).
pub fn is_locale(locale: &str) -> bool {
    (2..=8).contains(&locale.len())
        && locale.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !locale.starts_with('-')
}

fn check_locale(locale: &str) -> Result<()> {
    if is_locale(locale) {
        Ok(())
    } else {
        Err(Error::Usage {
            message: format!("{locale:?} is not a locale code"),
            hint: "use a lowercase language code such as en or nl".into(),
        })
    }
}

/// The variables every email template can use.
pub const TEMPLATE_VARIABLES: &[&str] = &[
    "brand",
    "locale",
    "subject",
    "kind",
    "family",
    "marketing",
    "unsubscribe_url",
    "incident_id",
    "sent",
    "notice",
    "lede",
    "details",
    "compensation",
    "breach",
];

const DATE_FIELDS: &[&str] = &["day", "month", "year"];

/// The fields of the email variables that are objects, by dotted path, for `incident check`.
pub const TEMPLATE_FIELDS: &[(&str, &[&str])] = &[
    (
        "brand",
        &[
            "name",
            "from_name",
            "from_address",
            "reply_to",
            "logo_url",
            "primary_color",
            "background_color",
            "text_color",
            "website",
            "support_url",
            "postal_address",
            "domain",
        ],
    ),
    ("sent", DATE_FIELDS),
    ("notice", DATE_FIELDS),
    (
        "breach",
        &[
            "start",
            "end",
            "data_categories",
            "credentials",
            "payment",
            "measures",
            "consequences",
            "steps",
            "contact_point",
            "contained",
            "authority",
        ],
    ),
    ("breach.start", DATE_FIELDS),
    ("breach.end", DATE_FIELDS),
];

/// The template context, and the free text it quotes from the answers, by question id.
fn context(
    inputs: &Inputs<'_>,
    locale: &str,
    subject: &str,
    breach: bool,
) -> (tera::Context, Vec<(&'static str, String)>) {
    let incident = inputs.incident;
    let brand = inputs.brand;
    let answers = |step: Step| &incident.steps.get(step).answers;
    let text = |step: Step, id: &str| {
        answers(step)
            .get(id)
            .and_then(Answer::as_text)
            .unwrap_or_default()
            .to_string()
    };
    let list = |step: Step, id: &str| match answers(step).get(id) {
        Some(Answer::List(items)) => items.clone(),
        _ => Vec::new(),
    };
    let flag = |step: Step, id: &str| matches!(answers(step).get(id), Some(Answer::Bool(true)));
    let date =
        |at: DateTime<Utc>| json!({ "day": at.day(), "month": at.month(), "year": at.year() });
    let datetime = |step: Step, id: &str| {
        answers(step)
            .get(id)
            .and_then(Answer::as_text)
            .and_then(crate::incident::parse_rfc3339)
            .map(date)
    };
    let sent = incident.discovered_at().unwrap_or(incident.opened_at);
    let mut ctx = tera::Context::new();
    ctx.insert(
        "brand",
        &json!({
            "name": brand.name,
            "from_name": brand.from_name,
            "from_address": brand.from_address,
            "reply_to": brand.reply_to(),
            "logo_url": brand.logo_url,
            "primary_color": brand.primary_color,
            "background_color": brand.background_color,
            "text_color": brand.text_color,
            "website": brand.website,
            "support_url": brand.support_url,
            "postal_address": brand.postal_address,
            "domain": brand.domain(),
        }),
    );
    ctx.insert("locale", locale);
    ctx.insert("subject", subject);
    ctx.insert("kind", &incident.kind);
    ctx.insert("family", family(inputs.runbook));
    ctx.insert("marketing", &!breach);
    ctx.insert("unsubscribe_url", &brand.unsubscribe_url);
    ctx.insert("incident_id", &incident.id.to_string());
    ctx.insert("sent", &date(sent));
    ctx.insert("notice", &date(inputs.now));
    let lede = text(Step::Inform, "what_happened");
    let details = text(Step::Inform, "what_it_means");
    let mut quoted = vec![
        ("what_happened", lede.clone()),
        ("what_it_means", details.clone()),
    ];
    if breach {
        quoted.extend(
            [
                ("data_categories", list(Step::Assess, "data_categories")),
                ("measures", list(Step::Inform, "measures")),
                ("subscriber_steps", list(Step::Plan, "subscriber_steps")),
            ]
            .into_iter()
            .map(|(id, items)| (id, items.join(". "))),
        );
        quoted.extend([
            ("consequences", text(Step::Inform, "consequences")),
            ("contact_point", text(Step::Inform, "contact_point")),
        ]);
    }
    quoted.retain(|(_, text)| !text.trim().is_empty());
    ctx.insert("lede", &lede);
    ctx.insert("details", &details);
    // "none" is no compensation: the templates test the variable for being empty.
    let compensation = text(Step::Plan, "compensation");
    ctx.insert(
        "compensation",
        if compensation == "none" {
            ""
        } else {
            &compensation
        },
    );
    ctx.insert(
        "breach",
        &json!({
            "start": datetime(Step::Assess, "breach_start"),
            "end": datetime(Step::Assess, "breach_end"),
            "data_categories": list(Step::Assess, "data_categories"),
            "credentials": flag(Step::Assess, "credentials_involved"),
            "payment": flag(Step::Assess, "payment_data_involved"),
            "measures": list(Step::Inform, "measures"),
            "consequences": text(Step::Inform, "consequences"),
            "steps": list(Step::Plan, "subscriber_steps"),
            "contact_point": text(Step::Inform, "contact_point"),
            // Unanswered stays null, so the notice claims nothing the record does not say.
            "contained": answers(Step::Stop).get("contained").and_then(|a| match a {
                Answer::Bool(b) => Some(*b),
                _ => None,
            }),
            "authority": text(Step::Plan, "notify_authority"),
        }),
    );
    (ctx, quoted)
}

/// The summary kept in the record's inform step.
pub fn summary(
    rendered: &Rendered,
    recipients: Option<u64>,
    policy_override: Option<&str>,
    now: DateTime<Utc>,
) -> crate::incident::EmailSummary {
    let raised: Vec<&str> = rendered.findings.iter().map(|f| f.code).collect();
    crate::incident::EmailSummary {
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
    fn the_listed_fields_are_the_fields_templates_get() {
        let catalog = Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins");
        let runbook = catalog.get("data-breach").expect("breach");
        let now = chrono::DateTime::<Utc>::UNIX_EPOCH;
        let mut incident = Incident::open(
            "INC-20261126-001".parse().expect("id"),
            crate::incident::Opening {
                title: "t".into(),
                kind: "data-breach".into(),
                severity: crate::incident::Severity::Sev1,
                by: "dana".into(),
                drill: false,
                at: now,
            },
        );
        for id in ["breach_start", "breach_end"] {
            incident
                .steps
                .assess
                .answers
                .insert(id.into(), Answer::Text("2026-11-25T10:00:00Z".into()));
        }
        let inputs = Inputs {
            incident: &incident,
            runbook,
            brand: &Brand::default(),
            default_locale: None,
            recipients: None,
            now,
        };
        let (ctx, _) = context(&inputs, "en", "s", true);
        for (path, fields) in TEMPLATE_FIELDS {
            let mut parts = path.split('.');
            let top = parts.next().unwrap_or_default();
            let mut value = serde_json::to_value(ctx.get(top)).expect("json");
            for part in parts {
                value = value[part].clone();
            }
            let mut keys: Vec<&str> = value
                .as_object()
                .unwrap_or_else(|| panic!("{path} is an object"))
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            let mut listed = fields.to_vec();
            listed.sort_unstable();
            assert_eq!(keys, listed, "{path}");
        }
    }
}
