//! What a record says that the tool would never have written — signs of a hand edit gone wrong
//! that still parse: steps done out of order, instants in the future, control characters or
//! over-long text in one-line fields. `incident check` reports each as a flaw with its place
//! in the record; the runbook's own checks of the answers are in `runbook::audit`.

use chrono::{DateTime, Duration, Utc};

use super::record::{Incident, StepRecord};
use super::step::Step;
use crate::limits::MAX_SHORT_CHARS;
use crate::text::{check_chars, check_text};
use crate::yaml_lines::Segment;

/// How far ahead of now an instant may be before it is taken for a mistake: clocks of the
/// machines a team works on drift a little.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// One thing wrong with a record: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flaw {
    pub at: Vec<Segment>,
    pub message: String,
    pub hint: String,
}

impl Flaw {
    /// A flaw at `at`.
    pub fn new(at: Vec<Segment>, message: String, hint: &str) -> Flaw {
        Flaw {
            at,
            message,
            hint: hint.to_string(),
        }
    }
}

/// The place of a field of a step's section.
pub fn step_field(step: Step, field: &str) -> Vec<Segment> {
    vec![
        Segment::key("steps"),
        Segment::key(step.key()),
        Segment::key(field),
    ]
}

impl Incident {
    /// Every flaw of the record as of `now`, in the order of the record.
    pub fn flaws(&self, now: DateTime<Utc>) -> Vec<Flaw> {
        let mut flaws = Vec::new();
        self.text_flaws(&mut flaws);
        self.step_order_flaws(&mut flaws);
        self.future_flaws(now, &mut flaws);
        flaws
    }

    /// Steps are walked in order: a step done after a pending one, or completed before the
    /// step ahead of it, was not done by the tool.
    fn step_order_flaws(&self, flaws: &mut Vec<Flaw>) {
        let mut pending: Option<Step> = None;
        let mut last_done: Option<(Step, DateTime<Utc>)> = None;
        for step in Step::ALL {
            let section = self.steps.get(step);
            if !section.is_done() {
                pending = pending.or(Some(step));
                continue;
            }
            if let Some(earlier) = pending {
                flaws.push(Flaw::new(
                    step_field(step, "status"),
                    format!("step {step} is done while {earlier}, an earlier step, is pending"),
                    &format!(
                        "the steps are walked in order: set {step} back to pending, or complete {earlier} with `incident resume {}`",
                        self.id
                    ),
                ));
            }
            let Some(at) = section.completed_at else {
                flaws.push(Flaw::new(
                    step_field(step, "status"),
                    format!("step {step} is done but has no completed_at"),
                    "add completed_at (RFC 3339, UTC) or set the step back to pending",
                ));
                continue;
            };
            if let Some((before, before_at)) = last_done.filter(|(_, b)| *b > at) {
                flaws.push(Flaw::new(
                    step_field(step, "completed_at"),
                    format!(
                        "step {step} was completed at {}, before step {before} ({})",
                        super::rfc3339(at),
                        super::rfc3339(before_at)
                    ),
                    "a step is completed after the one before it; correct the times",
                ));
            }
            last_done = Some((step, at));
        }
    }

    /// The tool writes only the present: an instant beyond [`CLOCK_SKEW`] from now is a typo.
    fn future_flaws(&self, now: DateTime<Utc>, flaws: &mut Vec<Flaw>) {
        let mut instants: Vec<(Vec<Segment>, DateTime<Utc>)> =
            vec![(vec![Segment::key("opened_at")], self.opened_at)];
        if let Some(at) = self.closed_at {
            instants.push((vec![Segment::key("closed_at")], at));
        }
        for step in Step::ALL {
            let section = self.steps.get(step);
            if let Some(at) = section.completed_at {
                instants.push((step_field(step, "completed_at"), at));
            }
            if let Some(audience) = &section.audience {
                let mut at = step_field(step, "audience");
                at.push(Segment::key("computed_at"));
                instants.push((at, audience.computed_at));
            }
            if let Some(email) = &section.email {
                let mut at = step_field(step, "email");
                at.push(Segment::key("rendered_at"));
                instants.push((at, email.rendered_at));
            }
        }
        for (i, entry) in self.timeline.iter().enumerate() {
            let at = vec![
                Segment::key("timeline"),
                Segment::Item(i),
                Segment::key("at"),
            ];
            instants.push((at, entry.at));
        }
        for (at, instant) in instants {
            if instant > now + CLOCK_SKEW {
                flaws.push(Flaw::new(
                    at,
                    format!(
                        "{} is in the future (now is {})",
                        super::rfc3339(instant),
                        super::rfc3339(now)
                    ),
                    "the tool records only what has happened; correct the date (a typo in the year?)",
                ));
            }
        }
    }

    /// One-line fields hold one short line of plain text; the timeline's messages plain text.
    fn text_flaws(&self, flaws: &mut Vec<Flaw>) {
        let key = |k: &str| vec![Segment::key(k)];
        let mut short = vec![
            (key("title"), self.title.as_str()),
            (key("opened_by"), &self.opened_by),
        ];
        let mut lines = vec![(key("kind"), self.kind.as_str())];
        if let Some(by) = &self.closed_by {
            short.push((key("closed_by"), by));
        }
        if let Some(resolution) = &self.resolution {
            lines.push((key("resolution"), resolution));
        }
        let mut texts = Vec::new();
        for step in Step::ALL {
            step_texts(step, self.steps.get(step), &mut short, &mut lines);
        }
        for (i, entry) in self.timeline.iter().enumerate() {
            let at = |k: &str| vec![Segment::key("timeline"), Segment::Item(i), Segment::key(k)];
            short.push((at("by"), &entry.by));
            if let Some(clock) = &entry.clock {
                lines.push((at("clock"), clock));
            }
            if let Some(message) = &entry.message {
                texts.push((at("message"), message.as_str()));
            }
        }
        let hint = "one line of plain text: no control characters, no line breaks";
        for (at, text) in short {
            let problem = check_chars(text, false).and_then(|length| {
                if length > MAX_SHORT_CHARS {
                    Err(format!(
                        "is {length} characters long; at most {MAX_SHORT_CHARS} are allowed"
                    ))
                } else {
                    Ok(length)
                }
            });
            if let Err(m) = problem {
                flaws.push(Flaw::new(at, m, hint));
            }
        }
        for (at, text) in lines {
            if let Err(m) = check_text(text, false) {
                flaws.push(Flaw::new(at, m, hint));
            }
        }
        for (at, text) in texts {
            if let Err(m) = check_text(text, true) {
                flaws.push(Flaw::new(
                    at,
                    m,
                    "plain text: no control characters but line feeds and tabs",
                ));
            }
        }
    }
}

/// The one-line fields of a step's section.
fn step_texts<'a>(
    step: Step,
    section: &'a StepRecord,
    short: &mut Vec<(Vec<Segment>, &'a str)>,
    lines: &mut Vec<(Vec<Segment>, &'a str)>,
) {
    if let Some(by) = &section.by {
        short.push((step_field(step, "by"), by));
    }
    if let Some(audience) = &section.audience {
        let mut at = step_field(step, "audience");
        at.push(Segment::key("by"));
        short.push((at, &audience.by));
    }
    if let Some(email) = &section.email {
        let field = |k: &str| {
            let mut at = step_field(step, "email");
            at.push(Segment::key(k));
            at
        };
        short.push((field("subject"), &email.subject));
        lines.push((field("locale"), &email.locale));
        if let Some(reason) = &email.policy_override {
            lines.push((field("policy_override"), reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::TimeZone;
    use indexmap::IndexMap;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, 0, 0)
            .single()
            .expect("valid time")
    }

    fn incident() -> Incident {
        Incident::example(at(9))
    }

    fn places(flaws: &[Flaw]) -> Vec<String> {
        flaws
            .iter()
            .map(|f| crate::yaml_lines::dotted(&f.at))
            .collect()
    }

    #[test]
    fn a_record_the_tool_wrote_has_no_flaw() {
        let mut inc = incident();
        inc.complete_step(Step::Own, IndexMap::new(), "dana", at(10));
        inc.add_note("line one\nline two", "dana", at(10));
        assert_eq!(inc.flaws(at(10)), []);
    }

    #[test]
    fn steps_out_of_order_are_flaws() {
        let mut inc = incident();
        inc.complete_step(Step::Own, IndexMap::new(), "dana", at(11));
        inc.complete_step(Step::Stop, IndexMap::new(), "dana", at(10));
        inc.complete_step(Step::Plan, IndexMap::new(), "dana", at(12));
        assert_eq!(
            places(&inc.flaws(at(12))),
            ["steps.stop.completed_at", "steps.plan.status"]
        );
    }

    #[test]
    fn instants_in_the_future_are_flaws_beyond_the_skew() {
        let mut inc = incident();
        inc.add_note("soon", "dana", at(10) + Duration::minutes(4));
        assert_eq!(inc.flaws(at(10)), []);
        inc.closed_at = Some(
            Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0)
                .single()
                .expect("t"),
        );
        let flaws = inc.flaws(at(10));
        assert_eq!(places(&flaws), ["closed_at"]);
        assert!(
            flaws[0]
                .message
                .starts_with("2099-01-01T00:00:00Z is in the future")
        );
    }

    #[test]
    fn control_characters_and_long_lines_are_flaws() {
        let mut inc = incident();
        inc.title = "Sorry\u{1b}[2J\r\nBcc: all".into();
        inc.opened_by = "x".repeat(300);
        inc.add_note("fine\nand\tfine", "dana", at(9));
        inc.add_note("bell\u{7}", "dana", at(9));
        assert_eq!(
            places(&inc.flaws(at(10))),
            ["title", "opened_by", "timeline[2].message"]
        );
    }
}
