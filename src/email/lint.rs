//! Checking a draft read from a file with the apology's rules: what the checks are given — the
//! draft's parts, its ESP, its language and kind, told from its text when not given — and,
//! with an incident, what its record says the draft must match.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::checks::{self, Draft, Finding, Level, Origin, Sender};
use super::context::{EmailContext, Setting};
use super::draft::DraftFile;
use super::{esp, html};
use crate::config::Brand;
use crate::incident::Incident;
use crate::incident::legal::ClockState;
use crate::runbook::Runbook;

/// What the command line says of a draft.
pub struct LintOptions<'a> {
    /// The kind's name and runbook, when known (`--kind`, or the incident's).
    pub kind: Option<(&'a str, &'a Runbook)>,
    /// `--locale`; detected from the text when `None`.
    pub locale: Option<&'a str>,
    /// `--incident`: the record to check the draft against.
    pub against: Option<Against<'a>>,
}

/// An incident a draft is checked against.
pub struct Against<'a> {
    pub incident: &'a Incident,
    pub brand: &'a Brand,
    /// Distinct addresses in the incident's `recipients.csv`, if there is one.
    pub recipients: Option<u64>,
    pub clocks: &'a [ClockState],
    pub now: DateTime<Utc>,
}

/// A linted draft.
#[derive(Debug, Clone, Serialize)]
pub struct Linted {
    /// The kind given, or `data-breach` when the text reads as a breach notice.
    pub kind: Option<String>,
    pub locale: String,
    pub findings: Vec<Finding>,
}

impl Linted {
    /// How many findings are of a level.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Check a draft.
pub fn lint(file: &DraftFile, options: &LintOptions<'_>) -> Linted {
    let facts = file.html.as_deref().map(html::scan);
    let shown = [
        file.subject.as_deref(),
        file.text.as_deref(),
        facts.as_ref().map(|f| f.text.as_str()),
    ];
    let all_text: String = shown.into_iter().flatten().collect::<Vec<_>>().join("\n");
    let locale = options
        .locale
        .or_else(|| checks::reads_as(&esp::without_tags(&all_text)))
        .unwrap_or("en");
    let breach = match options.kind {
        Some((_, runbook)) => runbook.legal_clocks || runbook.email.template == "breach",
        None => checks::is_breach_notice(&all_text),
    };
    let source = format!(
        "{}\n{}",
        file.html.as_deref().unwrap_or_default(),
        file.text.as_deref().unwrap_or_default()
    );
    let tags = checks::used_tags(
        file.subject.as_deref(),
        file.text.as_deref(),
        facts.as_ref(),
    );
    let record = options
        .against
        .as_ref()
        .map(|a| record(a, options, locale, breach));
    let reply_to = file.reply_to.as_deref();
    let sender = file.from.as_ref().map(|(name, address)| Sender {
        name,
        address,
        reply_to: reply_to.unwrap_or(address),
    });
    // The workspace's brand counts only when it is a real one.
    let brand = options
        .against
        .as_ref()
        .map(|a| a.brand)
        .filter(|b| b.example_keys().is_empty());
    let findings = checks::run(&Draft {
        origin: Origin::File(file.format),
        kind: options.kind.map(|(kind, _)| kind),
        breach,
        locale,
        answered_locale: locale,
        quoted: &[],
        policy: options.kind.map(|(_, runbook)| runbook.apology.policy),
        policy_override: None,
        subject: file.subject.as_deref(),
        // An ESP folds its own headers: only what this tool renders is held to 78 octets.
        headers: None,
        text: file.text.as_deref(),
        html: facts.as_ref(),
        sender,
        brand_example: &[],
        rehearsal: None,
        postal_address: brand.map(|b| b.postal_address.as_str()),
        unsubscribe_url: None,
        esp: esp::detect(&source),
        api_body: esp::is_api_body(&source),
        tags: &tags,
        list_unsubscribe: file.list_unsubscribe,
        notice_date: file.date,
        own_domains: own_domains(file, brand),
        recipients: options.against.as_ref().and_then(|a| a.recipients),
        affected: options
            .against
            .as_ref()
            .map_or(checks::Affected::Unknown, |a| super::affected(a.incident)),
        record: record.as_ref(),
    });
    Linted {
        kind: options
            .kind
            .map(|(kind, _)| kind.to_string())
            .or_else(|| breach.then(|| "data-breach".to_string())),
        locale: locale.to_string(),
        findings,
    }
}

/// The domains a draft's links may go to: its sender's and Reply-To's, and the brand's when
/// it is checked against an incident of a real brand.
fn own_domains(file: &DraftFile, brand: Option<&Brand>) -> Vec<String> {
    let mut urls: Vec<&str> = Vec::new();
    let mut addresses: Vec<&str> = file.from.iter().map(|(_, a)| a.as_str()).collect();
    addresses.extend(file.reply_to.as_deref());
    if let Some(brand) = brand {
        urls.extend([
            brand.website.as_str(),
            &brand.support_url,
            &brand.unsubscribe_url,
        ]);
        addresses.push(&brand.from_address);
    }
    checks::own_domains(&urls, &addresses)
}

/// What the incident's record says the draft must match: the protective steps its data calls
/// for, the day the breach began, California's headings, the clocks that ran out.
fn record(
    against: &Against<'_>,
    options: &LintOptions<'_>,
    locale: &str,
    breach: bool,
) -> checks::RecordFacts {
    let family = if breach { "breach" } else { "mistake" };
    let asks = |q: &crate::incident::known::KnownQuestion| {
        options
            .kind
            .is_some_and(|(_, runbook)| runbook.steps.get(q.step).question(q.id).is_some())
    };
    let context = EmailContext::new(&Setting {
        incident: against.incident,
        brand: against.brand,
        family,
        locale,
        subject: "",
        asks: &asks,
        now: against.now,
    });
    super::record_facts(against.incident, &context, against.clocks)
}
