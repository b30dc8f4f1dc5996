//! What the email templates are given: a typed context, built from the record's answers (the
//! known questions), the brand and the clock. Its shape is the templates' schema:
//! `incident check` holds templates to the variables and fields [`EmailContext::schema`] has.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::config::Brand;
use crate::incident::{Incident, known};

/// The variables of every email template.
#[derive(Debug, Clone, Serialize)]
pub struct EmailContext {
    pub brand: BrandView,
    pub locale: String,
    pub subject: String,
    pub kind: String,
    /// The body family: `mistake` or `breach`.
    pub family: String,
    /// Marketing mail (the mistake apology) has an unsubscribe footer; a breach notice not.
    pub marketing: bool,
    pub unsubscribe_url: String,
    pub incident_id: String,
    /// When the mistaken email went out (discovery as the best estimate).
    pub sent: Day,
    /// The date of this email.
    pub notice: Day,
    /// The inform step's `what_happened`; empty when unanswered.
    pub lede: String,
    /// The inform step's `what_it_means`; empty when unanswered.
    pub details: String,
    /// The plan's compensation; empty for none.
    pub compensation: String,
    pub breach: BreachView,
}

/// The brand as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct BrandView {
    pub name: String,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub background_color: String,
    pub text_color: String,
    pub website: String,
    pub support_url: String,
    pub postal_address: String,
    pub domain: String,
}

/// A calendar day, for templates to spell in their language.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Day {
    pub day: u32,
    pub month: u32,
    pub year: i32,
}

impl Day {
    fn of(at: DateTime<Utc>) -> Day {
        Day {
            day: at.day(),
            month: at.month(),
            year: at.year(),
        }
    }
}

/// What a breach notice says, from the assess, plan, inform and stop answers.
#[derive(Debug, Clone, Serialize)]
pub struct BreachView {
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub data_categories: Vec<String>,
    pub credentials: bool,
    pub payment: bool,
    pub measures: Vec<String>,
    pub consequences: String,
    pub steps: Vec<String>,
    pub contact_point: String,
    /// Unanswered stays null, so the notice claims nothing the record does not say.
    pub contained: Option<bool>,
    pub authority: String,
}

impl BrandView {
    fn of(brand: &Brand) -> BrandView {
        BrandView {
            name: brand.name.clone(),
            from_name: brand.from_name.clone(),
            from_address: brand.from_address.clone(),
            reply_to: brand.reply_to().to_string(),
            logo_url: brand.logo_url.clone(),
            primary_color: brand.primary_color.clone(),
            background_color: brand.background_color.clone(),
            text_color: brand.text_color.clone(),
            website: brand.website.clone(),
            support_url: brand.support_url.clone(),
            postal_address: brand.postal_address.clone(),
            domain: brand.domain().to_string(),
        }
    }
}

/// What one rendering is made for.
pub struct Setting<'a> {
    pub incident: &'a Incident,
    pub brand: &'a Brand,
    pub family: &'a str,
    pub locale: &'a str,
    pub subject: &'a str,
    pub now: DateTime<Utc>,
}

impl EmailContext {
    /// The context of one rendering.
    pub fn new(s: &Setting<'_>) -> EmailContext {
        let inc = s.incident;
        let text = |q: known::KnownQuestion| q.text(inc).unwrap_or_default().to_string();
        // "none" is no compensation: the templates test the variable for being empty.
        let compensation = text(known::COMPENSATION);
        EmailContext {
            brand: BrandView::of(s.brand),
            locale: s.locale.to_string(),
            subject: s.subject.to_string(),
            kind: inc.kind.clone(),
            family: s.family.to_string(),
            marketing: s.family != "breach",
            unsubscribe_url: s.brand.unsubscribe_url.clone(),
            incident_id: inc.id.to_string(),
            sent: Day::of(inc.discovered_at().unwrap_or(inc.opened_at)),
            notice: Day::of(s.now),
            lede: text(known::WHAT_HAPPENED),
            details: text(known::WHAT_IT_MEANS),
            compensation: if compensation == "none" {
                String::new()
            } else {
                compensation
            },
            breach: BreachView {
                start: known::BREACH_START.instant(inc).map(Day::of),
                end: known::BREACH_END.instant(inc).map(Day::of),
                data_categories: known::DATA_CATEGORIES.list(inc),
                credentials: known::CREDENTIALS_INVOLVED.flag(inc) == Some(true),
                payment: known::PAYMENT_DATA_INVOLVED.flag(inc) == Some(true),
                measures: known::MEASURES.list(inc),
                consequences: text(known::CONSEQUENCES),
                steps: known::SUBSCRIBER_STEPS.list(inc),
                contact_point: text(known::CONTACT_POINT),
                contained: known::CONTAINED.flag(inc),
                authority: text(known::NOTIFY_AUTHORITY),
            },
        }
    }

    /// The free text of the answers the email quotes, by question id: what the language check
    /// reads. A breach notice quotes more than an apology.
    pub fn quoted(&self) -> Vec<(&'static str, String)> {
        let mut quoted = vec![
            (known::WHAT_HAPPENED.id, self.lede.clone()),
            (known::WHAT_IT_MEANS.id, self.details.clone()),
        ];
        if !self.marketing {
            let b = &self.breach;
            quoted.extend([
                (known::DATA_CATEGORIES.id, b.data_categories.join(". ")),
                (known::MEASURES.id, b.measures.join(". ")),
                (known::SUBSCRIBER_STEPS.id, b.steps.join(". ")),
                (known::CONSEQUENCES.id, b.consequences.clone()),
                (known::CONTACT_POINT.id, b.contact_point.clone()),
            ]);
        }
        quoted.retain(|(_, text)| !text.trim().is_empty());
        quoted
    }

    /// The context as Tera takes it.
    pub fn to_tera(&self) -> crate::Result<tera::Context> {
        tera::Context::from_serialize(self).map_err(|e| crate::Error::encode("the email", e))
    }

    /// The shape of the context, every optional part filled in: what templates may name.
    pub fn schema() -> serde_json::Value {
        let day = Some(Day {
            day: 1,
            month: 1,
            year: 2026,
        });
        let brand = Brand {
            logo_url: Some(String::new()),
            ..Brand::default()
        };
        let incident = Incident::open(
            crate::incident::IncidentId::new(chrono::NaiveDate::MIN, 1),
            crate::incident::Opening {
                title: String::new(),
                kind: String::new(),
                severity: crate::incident::Severity::Sev4,
                by: String::new(),
                drill: false,
                at: DateTime::<Utc>::UNIX_EPOCH,
            },
        );
        let mut example = EmailContext::new(&Setting {
            incident: &incident,
            brand: &brand,
            family: "breach",
            locale: "en",
            subject: "",
            now: DateTime::<Utc>::UNIX_EPOCH,
        });
        example.breach.start = day;
        example.breach.end = day;
        example.breach.contained = Some(true);
        serde_json::to_value(example).unwrap_or_default()
    }
}
