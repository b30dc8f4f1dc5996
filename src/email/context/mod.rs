//! What the email templates are given: a typed context, built from the record's answers (the
//! known questions), the brand and the clock. Every sentence of the default templates is
//! backed by a field here; a field is empty when no answer gives it, the template then leaves
//! the sentence out, and [`Omission`]s name the questions that would give it. Its shape is the
//! templates' schema: `incident check` holds templates to the variables and fields
//! [`EmailContext::schema`] has.

mod breach;
mod changes;
mod day;
mod mistake;

pub use breach::BreachView;
pub use changes::{Change, Changes};
pub use day::Day;
pub use mistake::MistakeView;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::colour::{Rgb, readable_on};
use crate::config::Brand;
use crate::incident::Incident;
use crate::incident::known::{self, KnownQuestion};

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
    /// When the mistaken email went out (`assess.sent_at`); null when unanswered.
    pub sent: Option<Day>,
    /// When the team became aware (`own.discovered_at`, else the opening).
    pub discovered: Day,
    /// The date of this email.
    pub notice: Day,
    /// The inform step's `what_happened`; empty when unanswered.
    pub lede: String,
    /// The inform step's `what_it_means`; empty when unanswered.
    pub details: String,
    /// The inbox preview: the first sentence of the email's first paragraph. Filled in after
    /// the text part is rendered; empty while it is.
    pub preheader: String,
    /// The plan's compensation; empty for none.
    pub compensation: String,
    pub mistake: MistakeView,
    /// What we did (the stop step) and what changes (the plan's actions, with their state).
    pub changes: Changes,
    pub breach: BreachView,
    /// The sentences left out for want of an answer.
    #[serde(skip)]
    pub omitted: Vec<Omission>,
}

/// A sentence the email leaves out because the record does not back it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omission {
    /// The question that would back it, as `step.id`.
    pub question: String,
    pub message: String,
}

/// The brand as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct BrandView {
    pub name: String,
    pub from_name: String,
    pub from_address: String,
    pub reply_to: String,
    pub logo_url: Option<String>,
    /// The logo's width in pixels at 40 pixels high, when the brand gives it.
    pub logo_width: Option<u32>,
    pub primary_color: String,
    /// White or near-black, whichever reads on `primary_color`: the header's text and the
    /// alt text of a blocked logo.
    pub on_primary_color: String,
    pub background_color: String,
    pub text_color: String,
    pub website: String,
    pub support_url: String,
    pub postal_address: String,
    pub domain: String,
}

impl BrandView {
    fn of(brand: &Brand) -> BrandView {
        let on_primary = Rgb::parse(&brand.primary_color)
            .map(readable_on)
            .unwrap_or(Rgb(255, 255, 255));
        BrandView {
            name: brand.name.clone(),
            from_name: brand.from_name.clone(),
            from_address: brand.from_address.clone(),
            reply_to: brand.reply_to().to_string(),
            logo_url: brand.logo_url.clone(),
            logo_width: brand.logo_width,
            primary_color: brand.primary_color.clone(),
            on_primary_color: on_primary.to_string(),
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
    /// Whether the kind's runbook asks a question: a sentence is only missed where it is.
    pub asks: &'a dyn Fn(&KnownQuestion) -> bool,
    pub now: DateTime<Utc>,
}

/// Which emails a sentence belongs to.
#[derive(Clone, Copy)]
enum Of {
    Every,
    Mistake,
    Breach,
    Kind(&'static str),
}

/// A sentence of the default templates and the answer it is built from: when the kind's
/// runbook asks the question and the record has no answer, the sentence is left out.
struct Sentence {
    of: Of,
    question: KnownQuestion,
    says: &'static str,
}

const SENTENCES: &[Sentence] = &[
    Sentence {
        of: Of::Mistake,
        question: known::SENT_AT,
        says: "the day the email went out",
    },
    Sentence {
        of: Of::Kind("broken-personalization"),
        question: known::WHAT_RENDERED,
        says: "what the email showed instead of the name",
    },
    Sentence {
        of: Of::Kind("broken-personalization"),
        question: known::PII_EXPOSED,
        says: "that no one else's details were in it",
    },
    Sentence {
        of: Of::Kind("subject-line"),
        question: known::SUBJECT_AS_SENT,
        says: "the wrong subject line",
    },
    Sentence {
        of: Of::Kind("subject-line"),
        question: known::CORRECT_SUBJECT,
        says: "the subject it should have had",
    },
    Sentence {
        of: Of::Kind("malformed-message"),
        question: known::PROBLEM_TYPE,
        says: "what was wrong with the email",
    },
    Sentence {
        of: Of::Kind("duplicate-send"),
        question: known::MAX_COPIES,
        says: "how many times the email arrived",
    },
    Sentence {
        of: Of::Kind("suppression-list-send"),
        question: known::RESUPPRESSED,
        says: "that the address is removed from the list again",
    },
    Sentence {
        of: Of::Mistake,
        question: known::CAMPAIGN_STATE,
        says: "that the campaign is stopped",
    },
    Sentence {
        of: Of::Every,
        question: known::PREVENTIONS,
        says: "what changes so that it does not happen again",
    },
    Sentence {
        of: Of::Breach,
        question: known::DATA_ACCESSED,
        says: "whether anyone saw the data",
    },
    Sentence {
        of: Of::Breach,
        question: known::BREACH_START,
        says: "when the breach took place",
    },
    Sentence {
        of: Of::Breach,
        question: known::DATA_CATEGORIES,
        says: "which information was involved",
    },
    Sentence {
        of: Of::Breach,
        question: known::CREDENTIALS_INVOLVED,
        says: "whether passwords were involved, and the advice to change them",
    },
    Sentence {
        of: Of::Breach,
        question: known::PAYMENT_DATA_INVOLVED,
        says: "whether payment details were involved, and the advice to watch statements",
    },
    Sentence {
        of: Of::Breach,
        question: known::CONTAINED,
        says: "whether the access is closed",
    },
    Sentence {
        of: Of::Breach,
        question: known::NOTIFY_AUTHORITY,
        says: "whether the data protection authority is told",
    },
    Sentence {
        of: Of::Breach,
        question: known::CONTACT_POINT,
        says: "the contact point for questions",
    },
];

impl EmailContext {
    /// The context of one rendering.
    pub fn new(s: &Setting<'_>) -> EmailContext {
        let inc = s.incident;
        let text = |q: KnownQuestion| {
            q.text(inc)
                .map(|t| t.trim().to_string())
                .unwrap_or_default()
        };
        // "none" is no compensation: the templates test the variable for being empty.
        let compensation = text(known::COMPENSATION);
        let breach = s.family == "breach";
        let lede = text(known::WHAT_HAPPENED);
        let mut omitted = Vec::new();
        let actions: &[KnownQuestion] = if breach {
            &[
                known::MITIGATIONS,
                known::PREVENTIONS,
                known::PROCESS_CHANGES,
            ]
        } else {
            &[known::PREVENTIONS, known::PROCESS_CHANGES]
        };
        let changes = Changes::of(inc, actions, s.locale, s.now.date_naive(), &mut omitted);
        let context = EmailContext {
            brand: BrandView::of(s.brand),
            locale: s.locale.to_string(),
            subject: s.subject.to_string(),
            kind: inc.kind.clone(),
            family: s.family.to_string(),
            marketing: !breach,
            unsubscribe_url: s.brand.unsubscribe_url.clone(),
            incident_id: inc.id.to_string(),
            sent: known::SENT_AT.instant(inc).map(|at| Day::of(at, s.locale)),
            discovered: Day::of(inc.discovered_at().unwrap_or(inc.opened_at), s.locale),
            notice: Day::of(s.now, s.locale),
            breach: BreachView::of(inc, s.locale, &lede),
            lede,
            details: text(known::WHAT_IT_MEANS),
            preheader: String::new(),
            compensation: if compensation == "none" {
                String::new()
            } else {
                compensation
            },
            mistake: MistakeView::of(inc),
            changes,
            omitted: Vec::new(),
        };
        omitted.extend(context.unanswered(s));
        EmailContext { omitted, ..context }
    }

    /// The sentences left out because the kind asks their question and the record has no
    /// answer; and, in a breach notice, what happened and the likely consequences when
    /// neither an answer nor the record's other facts say them.
    fn unanswered(&self, s: &Setting<'_>) -> Vec<Omission> {
        let inc = s.incident;
        let breach = !self.marketing;
        let applies = |of: Of| match of {
            Of::Every => true,
            Of::Mistake => !breach,
            Of::Breach => breach,
            Of::Kind(kind) => inc.kind == kind,
        };
        let mut omitted: Vec<Omission> = SENTENCES
            .iter()
            .filter(|sentence| applies(sentence.of))
            .filter(|sentence| (s.asks)(&sentence.question) && !sentence.question.is_answered(inc))
            .map(|sentence| omission(&sentence.question, sentence.says))
            .collect();
        if breach && self.lede.is_empty() && matches!(self.breach.nature.as_str(), "" | "other") {
            omitted.push(omission(&known::WHAT_HAPPENED, "what happened"));
        }
        if breach && !self.breach.has_consequences() {
            omitted.push(omission(&known::CONSEQUENCES, "the likely consequences"));
        }
        omitted
    }

    /// The free text of the answers the email quotes, by question id: what the language check
    /// reads. A breach notice quotes more than an apology.
    pub fn quoted(&self) -> Vec<(&'static str, String)> {
        let mut quoted = vec![
            (known::WHAT_HAPPENED.id, self.lede.clone()),
            (known::WHAT_IT_MEANS.id, self.details.clone()),
            (known::PREVENTIONS.id, self.changes.quoted()),
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
        let day = Day::of(DateTime::<Utc>::UNIX_EPOCH, "en");
        let brand = Brand {
            logo_url: Some(String::new()),
            logo_width: Some(1),
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
            asks: &|_| false,
            now: DateTime::<Utc>::UNIX_EPOCH,
        });
        example.sent = Some(day.clone());
        example.mistake.copies = Some(2);
        example.mistake.others_data = Some(false);
        example.mistake.resuppressed = Some(true);
        let change = Change {
            what: String::new(),
            day: day.clone(),
        };
        example.changes.done = vec![change.clone()];
        example.changes.planned = vec![change];
        let b = &mut example.breach;
        b.start = Some(day.clone());
        b.end = Some(day);
        b.contained = Some(true);
        b.credentials = Some(true);
        b.payment = Some(true);
        serde_json::to_value(example).unwrap_or_default()
    }
}

fn omission(question: &KnownQuestion, says: &str) -> Omission {
    Omission {
        question: question.name(),
        message: format!(
            "the email does not say {says}: {} is not answered (`incident resume ID` or an answers file gives it)",
            question.name()
        ),
    }
}
