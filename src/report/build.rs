//! From an incident record to a [`Report`]: each section takes the answers it shows, and the
//! answers no section takes go to the appendix, so the report never drops a fact.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    ActionRow, BaselineRow, Cause, CheckpointRow, ClockRow, Communications, Decision,
    Deliverability, Detection, DurationRow, EmailRow, Fact, Header, Impact, Legal, Lessons,
    Missing, Overview, Report, Responders, Response, RoleRow, StepAnswers, StepRow, TimelineRow,
};
use crate::config::Thresholds;
use crate::format::{human_duration, percent, thousands, utc};
use crate::incident::legal::{ClockState, ClockStatus};
use crate::incident::{
    Answer, DISCOVERED_AT, Event, Incident, Role, Status, Step, parse_rfc3339, rfc3339,
};
use crate::monitor;
use crate::runbook::{QuestionType, Runbook};

/// Everything a report is made from besides the record.
pub struct Inputs<'a> {
    pub incident: &'a Incident,
    /// The kind's runbook, for question prompts, the apology policy and escalation; a record
    /// whose runbook is gone still reports, with question ids for prompts.
    pub runbook: Option<&'a Runbook>,
    /// Names and contacts per role, from `incident.toml`.
    pub roles: &'a BTreeMap<Role, String>,
    pub thresholds: &'a Thresholds,
    /// The legal clocks evaluated at `now`, each with its phrase; empty when the kind has none.
    pub clocks: Vec<(ClockState, String)>,
    /// Whether the kind has legal clocks at all.
    pub legal_clocks: bool,
    pub now: DateTime<Utc>,
}

/// A choice key as prose: `subscriber-reply` → `subscriber reply`.
fn prose(key: &str) -> String {
    key.replace(['-', '_'], " ")
}

/// Reads a step's answers and remembers which ones a section showed.
struct Answers<'a> {
    inputs: &'a Inputs<'a>,
    used: BTreeSet<(Step, String)>,
}

impl<'a> Answers<'a> {
    fn get(&mut self, step: Step, id: &str) -> Option<&'a Answer> {
        let answer = self.inputs.incident.steps.get(step).answers.get(id)?;
        self.used.insert((step, id.to_string()));
        Some(answer)
    }

    fn text(&mut self, step: Step, id: &str) -> Option<String> {
        self.get(step, id)
            .map(|a| self.inputs.show(step, id, a))
            .filter(|s| !s.is_empty())
    }

    fn list(&mut self, step: Step, id: &str) -> Vec<String> {
        match self.get(step, id) {
            Some(Answer::List(items)) => items.clone(),
            Some(other) => vec![other.to_string()],
            None => Vec::new(),
        }
    }

    fn number(&mut self, step: Step, id: &str) -> Option<f64> {
        self.get(step, id).and_then(Answer::as_number)
    }

    /// Every answer of a step as facts, except the ones named.
    fn facts(&mut self, step: Step, except: &[&str]) -> Vec<Fact> {
        let section = self.inputs.incident.steps.get(step);
        let mut facts = Vec::new();
        for (id, answer) in &section.answers {
            // A fact another section already shows is not repeated.
            if except.contains(&id.as_str()) || self.used.contains(&(step, id.clone())) {
                continue;
            }
            self.used.insert((step, id.clone()));
            facts.push(Fact {
                label: self.inputs.prompt(step, id),
                value: self.inputs.show(step, id, answer),
            });
        }
        facts
    }
}

impl Inputs<'_> {
    fn question_type(&self, step: Step, id: &str) -> Option<QuestionType> {
        self.runbook
            .and_then(|r| r.steps.get(step).question(id))
            .map(|q| q.kind)
    }

    fn prompt(&self, step: Step, id: &str) -> String {
        if id == DISCOVERED_AT {
            return "When did the team become aware?".into();
        }
        self.runbook
            .and_then(|r| r.steps.get(step).question(id))
            .map(|q| q.prompt.clone())
            .unwrap_or_else(|| prose(id))
    }

    /// An answer as text: date-times in UTC, choices as prose, numbers grouped.
    fn show(&self, step: Step, id: &str, answer: &Answer) -> String {
        match (self.question_type(step, id), answer) {
            (Some(QuestionType::Datetime), Answer::Text(text)) => {
                parse_rfc3339(text).map(utc).unwrap_or_else(|| text.clone())
            }
            (Some(QuestionType::Choice), Answer::Text(text)) => prose(text),
            (_, Answer::Integer(n)) if *n >= 0 => thousands(*n as u64),
            _ => answer.to_string(),
        }
    }
}

/// Make the report of one incident.
pub fn build(inputs: &Inputs<'_>) -> Report {
    let inc = inputs.incident;
    let mut answers = Answers {
        inputs,
        used: BTreeSet::new(),
    };
    answers.used.insert((Step::Own, DISCOVERED_AT.to_string()));
    let discovered = inc.discovered_at();
    let start = discovered.unwrap_or(inc.opened_at);
    let kind_title = inputs
        .runbook
        .map(|r| r.title.clone())
        .unwrap_or_else(|| inc.kind.clone());

    // Header.
    let lead =
        inputs
            .runbook
            .and_then(|r| r.escalation.lead)
            .map(|role| match inputs.roles.get(&role) {
                Some(name) => format!("{} ({name})", role.label()),
                None => role.label().to_string(),
            });
    let header = Header {
        id: inc.id.to_string(),
        title: inc.title.clone(),
        kind: inc.kind.clone(),
        kind_title: kind_title.clone(),
        severity: inc.severity.to_string(),
        status: inc.status.to_string(),
        drill: inc.drill,
        owner: inc.opened_by.clone(),
        lead,
        opened_at: utc(inc.opened_at),
        discovered_at: discovered.map(utc),
        closed_at: inc.closed_at.map(utc),
        closed_by: inc.closed_by.clone(),
        steps_done: inc.steps_done(),
    };

    // Impact: the audience counted from the send log wins over the assess step's estimate.
    let audience = audience_of(inc);
    let estimate = answers.number(Step::Assess, "affected_count");
    let (affected_count, affected_source) = match (&audience, estimate) {
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
    let segments = match &audience {
        Some(a) if !a.segments.is_empty() => {
            answers.used.insert((Step::Assess, "segments".into()));
            a.segments
                .iter()
                .map(|(name, n)| Fact {
                    label: name.clone(),
                    value: thousands(*n),
                })
                .collect()
        }
        _ => answers
            .list(Step::Assess, "segments")
            .into_iter()
            .map(|name| Fact {
                label: name,
                value: "—".into(),
            })
            .collect(),
    };
    let excluded = audience
        .as_ref()
        .map(|a| {
            vec![
                Fact {
                    label: "Suppressed (left out)".into(),
                    value: thousands(a.suppressed),
                },
                Fact {
                    label: "Malformed addresses (left out)".into(),
                    value: thousands(a.malformed_rows),
                },
            ]
        })
        .unwrap_or_default();
    let mut data_exposed = answers.list(Step::Assess, "data_categories");
    if answers.get(Step::Assess, "pii_exposed") == Some(&Answer::Bool(true)) {
        data_exposed.push("personal data of other subscribers".into());
    }
    let cost = answers.number(Step::Assess, "cost_estimate");
    let compensation = answers.text(Step::Plan, "compensation");
    let compensation_to = answers.text(Step::Plan, "compensation_to");
    let compensation_cost = answers.number(Step::Plan, "compensation_cost");
    let money = |n: f64| thousands(n.max(0.0).round() as u64);
    let mut costs = Vec::new();
    if let Some(n) = cost {
        costs.push(Fact {
            label: "Cost so far (investigation, credits, support)".into(),
            value: money(n),
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
    if let Some(n) = compensation_cost {
        costs.push(Fact {
            label: "Cost of the compensation".into(),
            value: money(n),
        });
    }
    let total_cost = match (cost, compensation_cost) {
        (None, None) => None,
        (a, b) => Some(money(a.unwrap_or(0.0) + b.unwrap_or(0.0))),
    };
    let impact = Impact {
        affected: affected_count.map(thousands),
        affected_count,
        affected_source,
        segments,
        excluded,
        data_exposed,
        costs,
        total_cost,
    };

    // Cause.
    let cause = Cause {
        trigger: answers.text(Step::Assess, "cause"),
        root_cause: answers.text(Step::Plan, "root_cause"),
        contributing_factors: answers.list(Step::Plan, "contributing_factors"),
    };

    // Detection.
    let started = answers
        .get(Step::Assess, "breach_start")
        .and_then(Answer::as_text)
        .and_then(parse_rfc3339);
    let first_report = answers.text(Step::Own, "first_report");
    let detection = Detection {
        how_found: answers.text(Step::Own, "how_found"),
        first_report: first_report.clone(),
        started_at: started.map(utc),
        discovered_at: discovered.map(utc),
        opened_at: utc(inc.opened_at),
        time_to_detect: started.zip(discovered).map(|(s, d)| human_duration(d - s)),
        time_to_open: discovered.map(|d| human_duration(inc.opened_at - d)),
    };

    // Response and recovery.
    let durations = inc.durations();
    let watch_ids = ["watch_owner", "watch_until"];
    let recovery: Vec<Fact> = watch_ids
        .iter()
        .filter_map(|id| {
            let value = answers.text(Step::Monitor, id)?;
            Some(Fact {
                label: inputs.prompt(Step::Monitor, id),
                value,
            })
        })
        .collect();
    let response = Response {
        containment: answers.facts(Step::Stop, &[]),
        time_to_stop: durations.stop.map(human_duration),
        recovery: recovery.clone(),
        resolution: inc.resolution.clone(),
        closed_at: inc.closed_at.map(utc),
    };

    // Timeline, with the moments the answers know of.
    let mut moments: Vec<(DateTime<Utc>, TimelineRow)> = Vec::new();
    if let Some(at) = started {
        moments.push((
            at,
            TimelineRow {
                at: utc(at),
                at_rfc3339: rfc3339(at),
                by: "—".into(),
                event: "started".into(),
                text: "The problem started (best estimate)".into(),
            },
        ));
    }
    if let Some(at) = answers
        .get(Step::Assess, "breach_end")
        .and_then(Answer::as_text)
        .and_then(parse_rfc3339)
    {
        moments.push((
            at,
            TimelineRow {
                at: utc(at),
                at_rfc3339: rfc3339(at),
                by: "—".into(),
                event: "ended".into(),
                text: "The exposure ended".into(),
            },
        ));
    }
    if let Some(at) = discovered {
        moments.push((
            at,
            TimelineRow {
                at: utc(at),
                at_rfc3339: rfc3339(at),
                by: "—".into(),
                event: "discovered".into(),
                text: match &detection.how_found {
                    Some(how) => format!("The team became aware ({how})"),
                    None => "The team became aware".into(),
                },
            },
        ));
    }
    for entry in &inc.timeline {
        let event = serde_json::to_value(entry.event)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mut text = entry.message.clone().unwrap_or_else(|| prose(&event));
        if let Some(clock) = &entry.clock {
            text.push_str(&format!(" [notified: {clock}]"));
        }
        moments.push((
            entry.at,
            TimelineRow {
                at: utc(entry.at),
                at_rfc3339: rfc3339(entry.at),
                by: entry.by.clone(),
                event,
                text,
            },
        ));
    }
    // A stable sort keeps the record's order for events of the same minute.
    moments.sort_by_key(|(at, _)| *at);
    let timeline: Vec<TimelineRow> = moments.into_iter().map(|(_, row)| row).collect();

    // The six steps.
    let steps: Vec<StepRow> = Step::ALL
        .iter()
        .map(|&step| {
            let section = inc.steps.get(step);
            let completed = inc.step_completed_at(step).or(section.completed_at);
            StepRow {
                number: step.number(),
                key: step.key().to_string(),
                title: step.title().to_string(),
                done: section.is_done(),
                status: if section.is_done() { "done" } else { "pending" }.to_string(),
                responsible: step.responsibility().to_string(),
                by: section.by.clone(),
                completed_at: completed.map(utc),
                completed_at_rfc3339: completed.map(rfc3339),
                since_discovery: completed.map(|at| human_duration(at - start)),
            }
        })
        .collect();

    // Responders: everyone the record names, with what they did.
    let mut people: Vec<(String, Vec<String>)> = Vec::new();
    let mut did = |name: &str, what: String| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        match people.iter_mut().find(|(n, _)| n == name) {
            Some((_, list)) => {
                if !list.contains(&what) {
                    list.push(what);
                }
            }
            None => people.push((name.to_string(), vec![what])),
        }
    };
    did(&inc.opened_by, "opened the incident".into());
    for step in Step::ALL {
        if let Some(by) = &inc.steps.get(step).by {
            did(
                by,
                format!("completed step {} ({})", step.number(), step.key()),
            );
        }
    }
    for (step, id, role) in [
        (Step::Own, "security_lead", "leads for IT/Security"),
        (Step::Inform, "sign_off_by", "approved the apology"),
        (Step::Monitor, "watch_owner", "watches deliverability"),
    ] {
        if let Some(Answer::Text(name)) = inc.steps.get(step).answers.get(id) {
            did(name, role.to_string());
        }
    }
    for entry in &inc.timeline {
        let what = match entry.event {
            Event::Note => "added notes",
            Event::Notified => "recorded legal notifications",
            Event::EmailRendered => "rendered the apology",
            Event::PolicyOverride => "overrode the apology policy",
            Event::MetricsImported => "imported deliverability stats",
            Event::Closed => "closed the incident",
            _ => continue,
        };
        did(&entry.by, what.to_string());
    }
    let items: Vec<&crate::incident::ActionItem> = inc.action_items().collect();
    let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &items {
        *owners.entry(item.owner.as_str()).or_default() += 1;
    }
    for (owner, n) in owners {
        did(owner, format!("owns {n} action item(s)"));
    }
    let escalated: Vec<Role> = inputs
        .runbook
        .map(|r| r.escalation.for_severity(inc.severity).to_vec())
        .unwrap_or_default();
    let lead_role = inputs.runbook.and_then(|r| r.escalation.lead);
    let roles = Role::ALL
        .iter()
        .filter(|role| {
            inputs.roles.contains_key(role) || escalated.contains(role) || lead_role == Some(**role)
        })
        .map(|role| RoleRow {
            role: role.label().to_string(),
            contact: inputs.roles.get(role).cloned(),
            escalated: escalated.contains(role),
            lead: lead_role == Some(*role),
        })
        .collect();
    let responders = Responders {
        people: people
            .into_iter()
            .map(|(name, what)| Fact {
                label: name,
                value: what.join("; "),
            })
            .collect(),
        roles,
    };

    // Decisions: the apology policy, the plan's choices, and every override.
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
    let plan_decisions: Vec<String> = inc
        .steps
        .plan
        .answers
        .iter()
        .filter(|(id, _)| {
            matches!(
                inputs.question_type(Step::Plan, id),
                Some(QuestionType::Choice | QuestionType::Bool)
            )
        })
        .map(|(id, _)| id.clone())
        .collect();
    for id in plan_decisions {
        if id == "compensation" {
            continue; // shown with its cost under Impact
        }
        if let Some(value) = answers.text(Step::Plan, &id) {
            let reason = if id == "notify_authority" {
                answers.text(Step::Plan, "authority_reason")
            } else {
                None
            };
            decisions.push(Decision {
                topic: inputs.prompt(Step::Plan, &id),
                decision: value,
                reason,
                when: None,
                override_: false,
            });
        }
    }
    if let Some(c) = &compensation {
        decisions.push(Decision {
            topic: inputs.prompt(Step::Plan, "compensation"),
            decision: c.clone(),
            reason: compensation_to.clone(),
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

    // Communications.
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
    let notifications: Vec<TimelineRow> = inc
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
    let communications = Communications {
        email,
        inform: answers.facts(Step::Inform, &[]),
        notifications,
    };

    // Lessons learned.
    let went_well = answers.list(Step::Monitor, "went_well");
    let went_wrong = answers.list(Step::Monitor, "went_wrong");
    let lucky = answers.list(Step::Monitor, "lucky");
    let lessons = Lessons {
        recorded: !(went_well.is_empty() && went_wrong.is_empty() && lucky.is_empty()),
        went_well,
        went_wrong,
        lucky,
    };

    // Action items, earliest due first; an open one past its due day is overdue.
    let today: NaiveDate = inputs.now.date_naive();
    for (id, answer) in &inc.steps.plan.answers {
        if answer.as_actions().is_some() {
            answers.used.insert((Step::Plan, id.clone()));
        }
    }
    let mut actions: Vec<ActionRow> = items
        .iter()
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

    // Deliverability.
    let monitor_step = &inc.steps.monitor;
    let t = inputs.thresholds;
    let judged: Vec<monitor::Judged> = monitor_step
        .checkpoints
        .iter()
        .map(|c| monitor::judge(c, monitor_step.baseline.as_ref(), t))
        .collect();
    let worst = judged
        .iter()
        .map(|j| j.level)
        .max()
        .map(|l| l.to_string())
        .unwrap_or_else(|| "none".into());
    let checkpoints = judged
        .iter()
        .map(|j| CheckpointRow {
            date: j.checkpoint.date.to_string(),
            sent: thousands(j.checkpoint.sent),
            delivered: thousands(j.checkpoint.delivered),
            bounce: percent(j.rates.bounce),
            complaint: percent(j.rates.complaint),
            unsubscribe: percent(j.rates.unsubscribe),
            inbox_placement: percent(j.rates.inbox_placement),
            level: j.level.to_string(),
            flags: j.flags.iter().map(|f| f.message.clone()).collect(),
            rates: j.rates,
        })
        .collect();
    let baseline = monitor_step.baseline.as_ref().map(|b| {
        let rates = b.rates();
        BaselineRow {
            period: format!("{} to {}", b.from, b.until),
            checkpoints: b.checkpoints,
            sent: thousands(b.sent),
            delivered: thousands(b.delivered),
            bounce: percent(rates.bounce),
            complaint: percent(rates.complaint),
            unsubscribe: percent(rates.unsubscribe),
            inbox_placement: percent(rates.inbox_placement),
            source: b.source.clone(),
        }
    });
    let pct = |v: f64| percent(Some(v));
    let thresholds = vec![
        Fact {
            label: "Complaint rate (of delivered)".into(),
            value: format!(
                "warning at {}, critical at {}",
                pct(t.complaint_warning),
                pct(t.complaint_critical)
            ),
        },
        Fact {
            label: "Bounce rate (of sent)".into(),
            value: format!(
                "warning at {}, critical at {}",
                pct(t.bounce_warning),
                pct(t.bounce_critical)
            ),
        },
        Fact {
            label: "Inbox placement".into(),
            value: format!("warning under {}", pct(t.inbox_placement_warning)),
        },
        Fact {
            label: "Against the baseline".into(),
            value: format!(
                "warning when inbox placement or delivery rate falls {} or more",
                pct(t.baseline_drop)
            ),
        },
    ];
    let watch = answers.facts(Step::Monitor, &["went_well", "went_wrong", "lucky"]);
    let deliverability = Deliverability {
        checkpoints,
        baseline,
        thresholds,
        limits: t.clone(),
        worst,
        watch,
    };

    // Legal clocks.
    let legal = Legal {
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
    };

    // Key durations.
    let mut duration_rows = vec![DurationRow {
        label: "Time to detect".into(),
        value: detection.time_to_detect.clone(),
        seconds: started.zip(discovered).map(|(s, d)| (d - s).num_seconds()),
    }];
    for (label, d) in [
        ("Time to acknowledge", durations.acknowledge),
        ("Time to stop", durations.stop),
        ("Time to inform", durations.inform),
    ] {
        duration_rows.push(DurationRow {
            label: label.into(),
            value: d.map(human_duration),
            seconds: d.map(|d| d.num_seconds()),
        });
    }

    // What is missing.
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
    if discovered.is_none() {
        missing.push(Missing::text(
            "When the team became aware is not recorded, so durations run from the opening.",
        ));
    }
    let apology_never = inputs
        .runbook
        .is_some_and(|r| r.apology.policy == crate::runbook::ApologyPolicy::Never);
    if inc.steps.inform.is_done() && inc.steps.inform.email.is_none() && !apology_never {
        missing.push(Missing::with(
            "No apology was rendered and checked",
            format!("incident email {id}"),
        ));
    }
    if monitor_step.checkpoints.is_empty() {
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

    // Summary, last: it draws on the sections above.
    let mut text = format!(
        "{}. {kind_title}, severity {}",
        inc.title.trim_end_matches('.'),
        inc.severity
    );
    if let Some(at) = discovered {
        text.push_str(&format!(", discovered on {}", utc(at)));
        if let Some(how) = &detection.how_found {
            text.push_str(&format!(" via {how}"));
        }
    }
    text.push('.');
    if let Some(n) = &impact.affected {
        let estimate = if audience.is_none() {
            " (estimate)"
        } else {
            ""
        };
        text.push_str(&format!(" {n} subscribers were affected{estimate}."));
    }
    if let Some(d) = durations.stop {
        text.push_str(&format!(
            " The harm was stopped {} after discovery",
            human_duration(d)
        ));
        match durations.inform {
            Some(i) => text.push_str(&format!(
                " and the people affected were informed after {}.",
                human_duration(i)
            )),
            None => text.push('.'),
        }
    }
    match (inc.status, inc.next_step()) {
        (Status::Closed, _) => text.push_str(&format!(
            " Closed on {}.",
            inc.closed_at.map(utc).unwrap_or_default()
        )),
        (Status::Open, None) => text.push_str(" All six steps are done; the incident is open."),
        (Status::Open, Some(next)) => text.push_str(&format!(
            " Still open: {} of 6 steps done, next: {}.",
            inc.steps_done(),
            next.title().to_lowercase()
        )),
    }
    if inc.drill {
        text.insert_str(0, "Drill (practice incident). ");
    }
    let summary = Overview {
        text,
        first_report,
        resolution: inc.resolution.clone(),
    };

    // Everything not shown above.
    let used = answers.used;
    let other_answers = Step::ALL
        .iter()
        .filter_map(|&step| {
            let facts: Vec<Fact> = inc
                .steps
                .get(step)
                .answers
                .iter()
                .filter(|(id, _)| !used.contains(&(step, (*id).clone())))
                .map(|(id, answer)| Fact {
                    label: inputs.prompt(step, id),
                    value: inputs.show(step, id, answer),
                })
                .collect();
            (!facts.is_empty()).then(|| StepAnswers {
                step: format!("{}. {}", step.number(), step.title()),
                answers: facts,
            })
        })
        .collect();

    Report {
        generated_at: utc(inputs.now),
        header,
        summary,
        impact,
        cause,
        detection,
        response,
        timeline,
        steps,
        responders,
        decisions,
        communications,
        lessons,
        actions,
        deliverability,
        legal,
        durations: duration_rows,
        missing,
        other_answers,
    }
}

/// The part of `incident audience`'s summary the report shows.
struct AudienceCounts {
    affected: u64,
    segments: BTreeMap<String, u64>,
    suppressed: u64,
    malformed_rows: u64,
    sends: Option<String>,
}

/// The assess step's audience summary, when `incident audience` computed one. Read through
/// the record's serialized form, so the report depends only on the field names on disk.
fn audience_of(inc: &Incident) -> Option<AudienceCounts> {
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
        malformed_rows: count("malformed_rows").unwrap_or(0),
        sends: audience
            .get("sends")
            .and_then(|s| s.as_str())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_keys_read_as_prose() {
        assert_eq!(prose("subscriber-reply"), "subscriber reply");
        assert_eq!(prose("went_well"), "went well");
    }
}
