//! What `incident runbooks` shows: the runbooks as text for people, as JSON for scripts, and
//! a commented answers-file skeleton.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::incident::{Severity, Step};
use crate::runbook::{ApologyPolicy, Catalog, Question, QuestionType, Runbook, Source};
use crate::workspace::Workspace;

/// A runbook as scripts read it, to build answers files.
#[derive(Debug, Serialize)]
pub struct RunbookView<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub default_severity: Severity,
    pub apology: ApologyView<'a>,
    pub legal_clocks: bool,
    pub subjects: &'a BTreeMap<String, Vec<String>>,
    pub steps: Vec<StepView<'a>>,
}

/// The apology policy with its reason.
#[derive(Debug, Serialize)]
pub struct ApologyView<'a> {
    pub policy: ApologyPolicy,
    pub reason: &'a str,
}

/// One step's questions.
#[derive(Debug, Serialize)]
pub struct StepView<'a> {
    pub step: Step,
    pub questions: Vec<QuestionView<'a>>,
}

/// One question: what an answers file must give it.
#[derive(Debug, Serialize)]
pub struct QuestionView<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub required: bool,
    pub prompt: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub choices: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub skip_if: &'a BTreeMap<String, serde_yaml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<&'a serde_yaml::Value>,
}

impl<'a> RunbookView<'a> {
    /// The view of a runbook.
    pub fn of(rb: &'a Runbook) -> RunbookView<'a> {
        RunbookView {
            kind: &rb.kind,
            title: &rb.title,
            default_severity: rb.default_severity,
            apology: ApologyView {
                policy: rb.apology.policy,
                reason: rb.apology.reason.trim(),
            },
            legal_clocks: rb.legal_clocks,
            subjects: &rb.email.subjects,
            steps: Step::ALL
                .iter()
                .map(|step| StepView {
                    step: *step,
                    questions: rb
                        .steps
                        .get(*step)
                        .questions
                        .iter()
                        .map(QuestionView::of)
                        .collect(),
                })
                .collect(),
        }
    }
}

impl<'a> QuestionView<'a> {
    fn of(q: &'a Question) -> QuestionView<'a> {
        QuestionView {
            id: &q.id,
            kind: q.kind,
            required: q.required,
            prompt: &q.prompt,
            choices: &q.choices,
            integer: q.integer,
            skip_if: &q.skip_if,
            default: q.default.as_ref(),
        }
    }
}

/// Every kind in one table: title, severity, apology policy and where it comes from.
pub fn runbooks_table(catalog: &Catalog) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(["Kind", "Title", "Severity", "Apology", "Source"]);
    for entry in catalog.entries() {
        let rb = &entry.runbook;
        table.add_row([
            rb.kind.clone(),
            rb.title.clone(),
            rb.default_severity.to_string(),
            rb.apology.policy.to_string(),
            source(&entry.source),
        ]);
    }
    table.to_string()
}

/// Where a runbook comes from, as the list shows it.
fn source(source: &Source) -> String {
    match source {
        Source::BuiltIn => "built-in".into(),
        Source::Workspace(path) => path.display().to_string(),
    }
}

/// One runbook in full, for people.
pub fn runbook_text(rb: &Runbook, src: &Source, workspace: &Workspace) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", rb.kind, rb.title);
    let _ = writeln!(out, "{}\n", rb.summary.trim());
    let _ = writeln!(
        out,
        "Default severity: {}   Source: {}",
        rb.default_severity,
        source(src)
    );
    let _ = writeln!(
        out,
        "Apology: {} — {}",
        rb.apology.policy,
        rb.apology.reason.trim()
    );
    if rb.legal_clocks {
        let ids: Vec<_> = workspace.legal_clocks().iter().map(|c| c.id).collect();
        let _ = writeln!(out, "Legal clocks: {}", ids.join(", "));
    }
    if let Some(lead) = rb.escalation.lead {
        let _ = writeln!(out, "Takes charge: {}", workspace.role_label(lead));
    }
    for sev in Severity::ALL {
        let roles = rb.escalation.for_severity(sev);
        if !roles.is_empty() {
            let names: Vec<_> = roles.iter().map(|r| workspace.role_label(*r)).collect();
            let _ = writeln!(out, "Escalate at {sev}: {}", names.join(", "));
        }
    }
    for (locale, subjects) in &rb.email.subjects {
        let _ = writeln!(out, "Subjects ({locale}): {}", subjects.join(" | "));
    }
    for step in Step::ALL {
        let guide = rb.steps.get(step);
        let _ = writeln!(
            out,
            "\n{}. {} — {}",
            step.number(),
            step.title(),
            step.responsibility()
        );
        for line in guide.guidance.trim_end().lines() {
            let _ = writeln!(out, "   {line}");
        }
        for item in &guide.checklist {
            let _ = writeln!(out, "   [ ] {item}");
        }
        for q in &guide.questions {
            let _ = writeln!(
                out,
                "   ? {} ({}{}) {}",
                q.id,
                q.kind,
                if q.required { ", required" } else { "" },
                q.prompt
            );
        }
    }
    out
}

/// A commented skeleton of an answers file for the kind.
pub fn answers_template(rb: &Runbook) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Answers for `incident open --answers FILE` — kind {}: {}",
        rb.kind, rb.title
    );
    let _ = writeln!(
        out,
        "# Required answers are set to an example; optional ones are commented out."
    );
    let _ = writeln!(
        out,
        "# Steps are walked in order; the walk stops before the first step with no section\n# (a run that completes no step at all is an error)."
    );
    let _ = writeln!(out, "kind: {}", rb.kind);
    let _ = writeln!(out, "title: \"\"            # one line: what went wrong");
    let _ = writeln!(
        out,
        "severity: {}         # sev1 (worst) … sev4",
        rb.default_severity
    );
    let _ = writeln!(out, "# by: your-name");
    for step in Step::ALL {
        let _ = writeln!(
            out,
            "\n# {}. {} — {}",
            step.number(),
            step.title(),
            step.purpose()
        );
        let _ = writeln!(out, "{}:", step.key());
        for q in &rb.steps.get(step).questions {
            let _ = writeln!(
                out,
                "  # {} ({}{}){}",
                q.prompt,
                q.kind,
                choices_note(q),
                skip_note(q)
            );
            let value = skeleton_value(q);
            let entry = format!("{}: {value}", q.id);
            for line in entry.lines() {
                let comment = if q.required { "" } else { "# " };
                let _ = writeln!(out, "  {comment}{line}");
            }
        }
    }
    out
}

fn skip_note(q: &Question) -> String {
    let conditions: Vec<String> = q
        .skip_if
        .iter()
        .map(|(id, value)| {
            let value = serde_yaml::to_string(value).unwrap_or_default();
            format!("{id} is {}", value.trim_end())
        })
        .collect();
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" — skipped when {}", conditions.join(" and "))
    }
}

fn choices_note(q: &Question) -> String {
    if q.integer {
        ", a whole number".into()
    } else if q.choices.is_empty() {
        String::new()
    } else {
        format!(": {}", q.choices.join(" | "))
    }
}

fn skeleton_value(q: &Question) -> String {
    if let Some(default) = &q.default {
        let text = serde_yaml::to_string(default).unwrap_or_default();
        let text = text.trim_end();
        // A sequence or mapping goes on the lines under its key.
        return if default.is_sequence() || default.is_mapping() {
            text.lines().map(|line| format!("\n  {line}")).collect()
        } else {
            text.to_string()
        };
    }
    match q.kind {
        QuestionType::Text => "\"\"".into(),
        QuestionType::Bool => "false".into(),
        QuestionType::Number | QuestionType::Money => "0".into(),
        QuestionType::Choice => q.choices.first().cloned().unwrap_or_default(),
        QuestionType::List => "[]".into(),
        QuestionType::Datetime => "2026-11-26T09:30:00Z".into(),
        QuestionType::Actions => "\n  - what: \"\"\n    owner: \"\"\n    due: 2026-12-31".into(),
    }
}
