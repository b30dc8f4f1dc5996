//! What was decided and done, what came of it, and what is still missing: decisions,
//! communications, lessons, action items, deliverability, legal clocks, key durations.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Answers, Inputs};
use crate::format::{count, human_duration, percent, thousands, utc};
use crate::incident::legal::ClockStatus;
use crate::incident::{Event, Status, Step, known, rfc3339};
use crate::monitor;
use crate::report::{
    ActionRow, BaselineRow, CheckpointRow, ClockRow, Communications, Decision, Deliverability,
    DurationRow, EmailRow, Fact, Legal, Lessons, Missing, TimelineRow,
};
use crate::runbook::{ApologyPolicy, QuestionType};

/// The apology policy, the plan's choices, and every override.
pub fn decisions(answers: &mut Answers<'_>) -> Vec<Decision> {
    let inputs = answers.inputs;
    let inc = inputs.incident;
    let mut decisions = Vec::new();
    if let Some(r) = inputs.runbook {
        decisions.push(Decision {
            topic: "Apology policy".into(),
            decision: r.apology.policy.to_string(),
            reason: Some(r.apology.reason.trim().to_string()),
            when: None,
            override_: false,
        });
    }
    let choices = inc.steps.plan.answers.keys().filter(|id| {
        matches!(
            inputs.question_type(Step::Plan, id),
            Some(QuestionType::Choice | QuestionType::Bool)
        )
    });
    for id in choices {
        // The compensation is shown with its cost under Impact, and with its receivers below.
        if id == known::COMPENSATION.id {
            continue;
        }
        if let Some(value) = answers.text_id(Step::Plan, id) {
            let reason = if id == known::NOTIFY_AUTHORITY.id {
                answers.text(known::AUTHORITY_REASON)
            } else {
                None
            };
            decisions.push(Decision {
                topic: inputs.prompt(Step::Plan, id),
                decision: value,
                reason,
                when: None,
                override_: false,
            });
        }
    }
    if let Some(c) = answers.text(known::COMPENSATION) {
        decisions.push(Decision {
            topic: inputs.prompt(Step::Plan, known::COMPENSATION.id),
            decision: c,
            reason: answers.text(known::COMPENSATION_TO),
            when: None,
            override_: false,
        });
    }
    for entry in inc
        .timeline
        .iter()
        .filter(|e| e.event == Event::PolicyOverride)
    {
        decisions.push(Decision {
            topic: "Policy override".into(),
            decision: entry.message.clone().unwrap_or_default(),
            reason: None,
            when: Some(format!("by {} at {}", entry.by, utc(entry.at))),
            override_: true,
        });
    }
    decisions
}

/// The apology as rendered, the inform step's answers, and the legal notifications.
pub fn communications(answers: &mut Answers<'_>) -> Communications {
    let inc = answers.inputs.incident;
    let email = inc.steps.inform.email.as_ref().map(|e| EmailRow {
        subject: e.subject.clone(),
        locale: e.locale.clone(),
        template: e.template.clone(),
        recipients: e.recipients.map(thousands),
        rendered_at: utc(e.rendered_at),
        checks_passed: e.checks_passed.clone(),
        warnings: e.warnings.clone(),
        policy_override: e.policy_override.clone(),
    });
    let notifications = inc
        .timeline
        .iter()
        .filter(|e| e.event == Event::Notified)
        .map(|e| TimelineRow {
            at: utc(e.at),
            at_rfc3339: rfc3339(e.at),
            by: e.by.clone(),
            event: e.clock.clone().unwrap_or_default(),
            text: e.message.clone().unwrap_or_default(),
        })
        .collect();
    Communications {
        email,
        inform: answers.facts(Step::Inform, &[]),
        notifications,
    }
}

/// What went well, what went wrong, where the team was lucky.
pub fn lessons(answers: &mut Answers<'_>) -> Lessons {
    let went_well = answers.list(known::WENT_WELL);
    let went_wrong = answers.list(known::WENT_WRONG);
    let lucky = answers.list(known::LUCKY);
    Lessons {
        recorded: !(went_well.is_empty() && went_wrong.is_empty() && lucky.is_empty()),
        went_well,
        went_wrong,
        lucky,
    }
}

/// Every action item of the plan, earliest due first; an open one past its due day is overdue.
pub fn actions(answers: &mut Answers<'_>) -> Vec<ActionRow> {
    let inputs = answers.inputs;
    let inc = inputs.incident;
    let today: NaiveDate = inputs.now.date_naive();
    for (id, answer) in &inc.steps.plan.answers {
        if answer.as_actions().is_some() {
            answers.used.insert((Step::Plan, id.clone()));
        }
    }
    let mut actions: Vec<ActionRow> = inc
        .action_items()
        .enumerate()
        .map(|(i, a)| ActionRow {
            number: i + 1,
            what: a.what.clone(),
            owner: a.owner.clone(),
            action_type: a.action_type.to_string(),
            due: a.due.format("%Y-%m-%d").to_string(),
            done: a.done.map(|d| d.format("%Y-%m-%d").to_string()),
            overdue: a.is_overdue(today),
        })
        .collect();
    actions.sort_by(|a, b| a.due.cmp(&b.due));
    actions
}

/// The checkpoints judged against the thresholds and the baseline.
pub fn deliverability(answers: &mut Answers<'_>) -> Deliverability {
    let inputs = answers.inputs;
    let section = &inputs.incident.steps.monitor;
    let t = inputs.thresholds;
    let judged: Vec<monitor::Judged> = section
        .checkpoints
        .iter()
        .map(|c| monitor::judge(c, section.baseline.as_ref(), t))
        .collect();
    let worst = judged
        .iter()
        .map(|j| j.level)
        .max()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "none".into());
    let spam = judged.iter().any(|j| j.rates.spam_rate.is_some());
    let checkpoints = judged.iter().map(checkpoint_row).collect();
    let baseline = section.baseline.as_ref().map(|b| {
        let rates = b.rates();
        BaselineRow {
            period: format!("{} to {}", b.from, b.until),
            checkpoints: b.checkpoints,
            sent: count(b.sent),
            delivered: count(b.delivered),
            bounce: percent(rates.bounce),
            complaint: complaint(&rates),
            unsubscribe: percent(rates.unsubscribe),
            inbox_placement: percent(rates.inbox_placement),
            spam_rate: percent(rates.spam_rate),
            source: b.source.clone(),
        }
    });
    let lessons = [known::WENT_WELL, known::WENT_WRONG, known::LUCKY];
    Deliverability {
        checkpoints,
        baseline,
        thresholds: thresholds(t),
        limits: t.clone(),
        worst,
        spam,
        watch: answers.facts(Step::Monitor, &lessons),
    }
}

fn checkpoint_row(j: &monitor::Judged) -> CheckpointRow {
    CheckpointRow {
        date: j.checkpoint.date.to_string(),
        source: j.checkpoint.source.clone(),
        sent: count(j.checkpoint.sent),
        delivered: count(j.checkpoint.delivered),
        bounce: percent(j.rates.bounce),
        complaint: complaint(&j.rates),
        unsubscribe: percent(j.rates.unsubscribe),
        inbox_placement: percent(j.rates.inbox_placement),
        spam_rate: percent(j.rates.spam_rate),
        level: j.level.to_string(),
        flags: j.flags.iter().map(|f| f.message.clone()).collect(),
        rates: j.rates,
    }
}

/// The complaint rate, marked when it is of sent for want of a delivered count (SES).
fn complaint(rates: &crate::incident::Rates) -> String {
    match (rates.complaint, rates.complaint_of_sent) {
        (Some(_), true) => format!("{} of sent", percent(rates.complaint)),
        _ => percent(rates.complaint),
    }
}

/// The thresholds as shown.
fn thresholds(t: &crate::config::Thresholds) -> Vec<Fact> {
    let pct = |v: f64| percent(Some(v));
    let fact = |label: &str, value: String| Fact {
        label: label.into(),
        value,
    };
    vec![
        fact(
            "Complaint rate (of delivered)",
            format!(
                "warning at {}, critical at {}",
                pct(t.complaint_warning),
                pct(t.complaint_critical)
            ),
        ),
        fact(
            "Bounce rate (of sent)",
            format!(
                "warning at {}, critical at {}",
                pct(t.bounce_warning),
                pct(t.bounce_critical)
            ),
        ),
        fact(
            "Inbox placement",
            format!("warning under {}", pct(t.inbox_placement_warning)),
        ),
        fact(
            "Against the baseline",
            format!(
                "warning when inbox placement or delivery rate falls {} or more",
                pct(t.baseline_drop)
            ),
        ),
    ]
}

/// The legal clocks, when the kind has them.
pub fn legal(inputs: &Inputs<'_>) -> Legal {
    Legal {
        applies: inputs.legal_clocks,
        clocks: inputs
            .clocks
            .iter()
            .map(|(state, phrase)| ClockRow {
                id: state.id.to_string(),
                notify: state.notify.to_string(),
                law: state.law.to_string(),
                deadline: state
                    .deadline
                    .map(|d| format!("{}, {}", utc(d), state.deadline_text))
                    .unwrap_or_else(|| state.deadline_text.to_string()),
                deadline_rfc3339: state.deadline.map(rfc3339),
                status: state.status.to_string(),
                phrase: phrase.clone(),
                notified_at: state.notified_at.map(utc),
                notified_at_rfc3339: state.notified_at.map(rfc3339),
            })
            .collect(),
    }
}

/// The key durations, from the start of the problem (when known) and from discovery.
pub fn durations(inputs: &Inputs<'_>, started: Option<DateTime<Utc>>) -> Vec<DurationRow> {
    let inc = inputs.incident;
    let detect = started.zip(inc.discovered_at()).map(|(s, d)| d - s);
    let mut rows = vec![DurationRow {
        label: "Time to detect".into(),
        value: detect.map(human_duration),
        seconds: detect.map(|d| d.num_seconds()),
    }];
    let durations = inc.durations();
    for (label, d) in [
        ("Time to acknowledge", durations.acknowledge),
        ("Time to stop", durations.stop),
        ("Time to inform", durations.inform),
    ] {
        rows.push(DurationRow {
            label: label.into(),
            value: d.map(human_duration),
            seconds: d.map(|d| d.num_seconds()),
        });
    }
    rows
}

/// What the record does not say yet, each with the command that fills it in.
pub fn missing(inputs: &Inputs<'_>, lessons: &Lessons) -> Vec<Missing> {
    let inc = inputs.incident;
    let id = &inc.id;
    let mut missing = Vec::new();
    for step in Step::ALL {
        if !inc.steps.get(step).is_done() {
            missing.push(Missing::with(
                format!("Step {} ({}) is not done", step.number(), step.title()),
                format!("incident resume {id}"),
            ));
        }
    }
    if inc.discovered_at().is_none() {
        missing.push(Missing::text(
            "When the team became aware is not recorded, so durations run from the opening.",
        ));
    }
    let apology_never = inputs
        .runbook
        .is_some_and(|r| r.apology.policy == ApologyPolicy::Never);
    if inc.steps.inform.is_done() && inc.steps.inform.email.is_none() && !apology_never {
        missing.push(Missing::with(
            "No apology was rendered and checked",
            format!("incident email {id}"),
        ));
    }
    if inc.steps.monitor.checkpoints.is_empty() {
        missing.push(Missing::with(
            "No deliverability checkpoints",
            format!("incident monitor {id} --metrics stats.csv"),
        ));
    }
    if inc.steps.monitor.is_done() && !lessons.recorded {
        missing.push(Missing::text(
            "No lessons learned (the monitor step's went_well, went_wrong and lucky).",
        ));
    }
    for (state, phrase) in &inputs.clocks {
        if matches!(
            state.status,
            ClockStatus::Due | ClockStatus::Overdue | ClockStatus::NotStarted
        ) {
            missing.push(Missing::with(
                format!(
                    "Legal clock {} is {phrase}; record the notification",
                    state.id
                ),
                format!("incident note {id} \"…\" --notified {}", state.id),
            ));
        }
    }
    if inc.status == Status::Open {
        missing.push(Missing::with(
            "The incident is still open",
            format!("incident close {id} --resolution \"…\""),
        ));
    }
    missing
}
