//! Who and what was hit, and what it cost.

use std::collections::BTreeMap;

use super::Answers;
use crate::format::thousands;
use crate::incident::{Answer, Incident, Money, known};
use crate::report::{Fact, Impact};

/// The part of `incident audience`'s summary the report shows.
pub struct AudienceCounts {
    pub affected: u64,
    segments: BTreeMap<String, u64>,
    suppressed: u64,
    excluded: u64,
    opted_out: u64,
    malformed_rows: u64,
    sends: Option<String>,
}

/// The assess step's audience summary, when `incident audience` computed one. Read through
/// the record's serialized form, so the report depends only on the field names on disk.
pub fn audience_of(inc: &Incident) -> Option<AudienceCounts> {
    let value = serde_json::to_value(&inc.steps.assess).ok()?;
    let audience = value.get("audience")?;
    let count = |key: &str| audience.get(key).and_then(serde_json::Value::as_u64);
    Some(AudienceCounts {
        affected: count("affected")?,
        segments: audience
            .get("segments")
            .and_then(|s| serde_json::from_value(s.clone()).ok())
            .unwrap_or_default(),
        suppressed: count("suppressed").unwrap_or(0),
        excluded: count("excluded").unwrap_or(0),
        opted_out: count("opted_out").unwrap_or(0),
        malformed_rows: count("malformed_rows").unwrap_or(0),
        sends: audience
            .get("sends")
            .and_then(|s| s.as_str())
            .map(str::to_string),
    })
}

/// The impact: the audience counted from the send log wins over the assess step's estimate.
pub fn impact(answers: &mut Answers<'_>, audience: Option<&AudienceCounts>) -> Impact {
    let estimate = answers.number(known::AFFECTED_COUNT);
    let (affected_count, affected_source) = match (audience, estimate) {
        (Some(a), _) => (
            Some(a.affected),
            Some(format!(
                "counted by `incident audience` from {}",
                a.sends.as_deref().unwrap_or("the send log")
            )),
        ),
        (None, Some(n)) if n >= 0.0 => (
            Some(n.round() as u64),
            Some("estimate from the assess step".to_string()),
        ),
        _ => (None, None),
    };
    let segments = segments(answers, audience);
    let excluded = audience.map(left_out).unwrap_or_default();
    let mut data_exposed = answers.list(known::DATA_CATEGORIES);
    if answers.get(known::PII_EXPOSED) == Some(&Answer::Bool(true)) {
        data_exposed.push("personal data of other subscribers".into());
    }
    let (costs, total_cost) = costs(answers);
    Impact {
        affected: affected_count.map(thousands),
        affected_count,
        affected_source,
        segments,
        excluded,
        data_exposed,
        costs,
        total_cost,
    }
}

/// Who the count leaves out, and why; the rarer reasons only when they occurred.
fn left_out(a: &AudienceCounts) -> Vec<Fact> {
    let fact = |label: &str, n: u64| Fact {
        label: label.into(),
        value: thousands(n),
    };
    let mut facts = vec![fact("Suppressed (left out)", a.suppressed)];
    if a.opted_out > 0 {
        facts.push(fact(
            "Unsubscribed or complained in the send log (left out)",
            a.opted_out,
        ));
    }
    if a.excluded > 0 {
        facts.push(fact("Excluded with --exclude (left out)", a.excluded));
    }
    facts.push(fact("Malformed addresses (left out)", a.malformed_rows));
    facts
}

/// Affected per segment: counted when `incident audience` ran on a log that names segments,
/// else the segments named in the answers. Rows without a segment are "(no segment)".
fn segments(answers: &mut Answers<'_>, audience: Option<&AudienceCounts>) -> Vec<Fact> {
    match audience {
        Some(a) if a.segments.keys().any(|name| !name.is_empty()) => {
            answers.mark(known::SEGMENTS);
            a.segments
                .iter()
                .map(|(name, n)| Fact {
                    label: if name.is_empty() {
                        "(no segment)".into()
                    } else {
                        name.clone()
                    },
                    value: thousands(*n),
                })
                .collect()
        }
        _ => answers
            .list(known::SEGMENTS)
            .into_iter()
            .map(|name| Fact {
                label: name,
                value: "—".into(),
            })
            .collect(),
    }
}

/// The cost so far, the compensation and its cost, and their total, each in the currency it
/// was given in.
fn costs(answers: &mut Answers<'_>) -> (Vec<Fact>, Option<String>) {
    let cost = answers.get(known::COST_ESTIMATE).and_then(money);
    let compensation = answers.text(known::COMPENSATION);
    let compensation_to = answers.text(known::COMPENSATION_TO);
    let compensation_cost = answers.get(known::COMPENSATION_COST).and_then(money);
    let mut costs = Vec::new();
    if let Some(m) = &cost {
        costs.push(Fact {
            label: "Cost so far (investigation, credits, support)".into(),
            value: m.to_string(),
        });
    }
    if let Some(c) = &compensation {
        costs.push(Fact {
            label: "Compensation".into(),
            value: match &compensation_to {
                Some(to) => format!("{c}, to {to}"),
                None => c.clone(),
            },
        });
    }
    if let Some(m) = &compensation_cost {
        costs.push(Fact {
            label: "Cost of the compensation".into(),
            value: m.to_string(),
        });
    }
    let total = match (cost, compensation_cost) {
        (None, None) => None,
        (Some(m), None) | (None, Some(m)) => Some(m.to_string()),
        // Amounts in two currencies are not added up.
        (Some(a), Some(b)) if a.currency != b.currency => Some(format!("{a} + {b}")),
        (Some(a), Some(b)) => Some(
            Money {
                amount: a.amount + b.amount,
                currency: a.currency,
            }
            .to_string(),
        ),
    };
    (costs, total)
}

/// An amount of money, from a money answer or a plain number (no currency known).
fn money(answer: &Answer) -> Option<Money> {
    match answer {
        Answer::Money(m) => Some(m.clone()),
        other => other.as_number().map(|amount| Money {
            amount: amount.max(0.0),
            currency: None,
        }),
    }
}
