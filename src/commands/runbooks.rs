//! `incident runbooks`: the kinds, one runbook in full, its JSON form for scripts, or a
//! commented answers-file skeleton.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::cli::{RunbooksArgs, RunbooksFormat};
use crate::error::Result;
use crate::incident::Step;
use crate::runbook::{Catalog, Question, QuestionType, Runbook, Source};

use super::Context;

/// `incident runbooks`.
pub fn run(ctx: &Context, args: RunbooksArgs) -> Result<()> {
    let catalog = Catalog::load(&ctx.workspace.runbooks_dir())?;
    if args.kind.is_none() {
        super::warn_broken_runbooks(ctx, &catalog);
    }
    match (&args.kind, args.answers_template, args.format) {
        (Some(kind), true, _) => crate::out!("{}", answers_template(catalog.get(kind)?))?,
        (Some(kind), false, RunbooksFormat::Json) => {
            crate::outln!("{}", pretty(&as_json(catalog.get(kind)?)))?;
        }
        (Some(kind), false, RunbooksFormat::Text) => {
            let entry = catalog.entry(kind)?;
            crate::out!("{}", as_text(&entry.runbook, &entry.source, ctx))?;
        }
        (None, _, RunbooksFormat::Json) => {
            let all: Vec<Value> = catalog.entries().map(|e| as_json(&e.runbook)).collect();
            crate::outln!("{}", pretty(&Value::Array(all)))?;
        }
        (None, _, RunbooksFormat::Text) => {
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
            crate::outln!("{table}")?;
            ctx.status("`incident runbooks KIND` shows one in full.");
        }
    }
    Ok(())
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn source(source: &Source) -> String {
    match source {
        Source::BuiltIn => "built-in".into(),
        Source::Workspace(path) => path.display().to_string(),
    }
}

/// The runbook as scripts read it.
pub fn as_json(rb: &Runbook) -> Value {
    let steps: Vec<Value> = Step::ALL
        .iter()
        .map(|step| {
            let questions: Vec<Value> = rb
                .steps
                .get(*step)
                .questions
                .iter()
                .map(|q| {
                    let mut v = json!({
                        "id": q.id,
                        "type": q.kind,
                        "required": q.required,
                        "prompt": q.prompt,
                    });
                    if !q.choices.is_empty() {
                        v["choices"] = json!(q.choices);
                    }
                    if q.integer {
                        v["integer"] = json!(true);
                    }
                    if !q.skip_if.is_empty() {
                        v["skip_if"] = serde_json::to_value(&q.skip_if).unwrap_or(Value::Null);
                    }
                    if let Some(default) = &q.default {
                        v["default"] = serde_json::to_value(default).unwrap_or(Value::Null);
                    }
                    v
                })
                .collect();
            json!({ "step": step, "questions": questions })
        })
        .collect();
    json!({
        "kind": rb.kind,
        "title": rb.title,
        "default_severity": rb.default_severity,
        "apology": { "policy": rb.apology.policy, "reason": rb.apology.reason.trim() },
        "legal_clocks": rb.legal_clocks,
        "subjects": rb.email.subjects,
        "steps": steps,
    })
}

fn as_text(rb: &Runbook, src: &Source, ctx: &Context) -> String {
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
        let ids: Vec<_> = ctx.workspace.legal_clocks().iter().map(|c| c.id).collect();
        let _ = writeln!(out, "Legal clocks: {}", ids.join(", "));
    }
    if let Some(lead) = rb.escalation.lead {
        let _ = writeln!(out, "Takes charge: {}", ctx.workspace.role_label(lead));
    }
    for sev in crate::incident::Severity::ALL {
        let roles = rb.escalation.for_severity(sev);
        if !roles.is_empty() {
            let names: Vec<_> = roles.iter().map(|r| ctx.workspace.role_label(*r)).collect();
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
        QuestionType::Number => "0".into(),
        QuestionType::Choice => q.choices.first().cloned().unwrap_or_default(),
        QuestionType::List => "[]".into(),
        QuestionType::Datetime => "2026-11-26T09:30:00Z".into(),
        QuestionType::Actions => "\n  - what: \"\"\n    owner: \"\"\n    due: 2026-12-31".into(),
    }
}
