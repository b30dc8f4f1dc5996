//! The operations on an incident record: everything a command does to a record, as a method
//! that checks the record's state, changes its fields and writes the timeline line, in one
//! place. Pure: no disk, no terminal; the store saves the result under its lock.

use chrono::{DateTime, NaiveDate, Utc};
use indexmap::IndexMap;

use super::answer::Answer;
use super::audience::AudienceSummary;
use super::legal::{LegalClock, all_clocks};
use super::metrics::{Baseline, Checkpoint, CheckpointDate};
use super::record::{EmailSummary, Event, Incident, Status, StepStatus, TimelineEntry};
use super::step::Step;
use crate::error::{Error, Result};
use crate::format::thousands;

/// What an import of deliverability checkpoints changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Merged {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    /// What each replaced checkpoint changed, as `2026-11-28: sent 100 → 200`.
    pub changes: Vec<String>,
}

/// A deliverability import: checkpoints from a stats file, a baseline, or both.
pub struct Deliverability<'a> {
    /// The checkpoints read, with the file they came from.
    pub checkpoints: Option<(&'a [Checkpoint], &'a str)>,
    pub baseline: Option<Baseline>,
}

impl Incident {
    /// Mark a step done with its answers, and log it in the timeline.
    pub fn complete_step(
        &mut self,
        step: Step,
        answers: IndexMap<String, Answer>,
        by: &str,
        at: DateTime<Utc>,
    ) {
        let section = self.steps.get_mut(step);
        section.status = StepStatus::Done;
        section.completed_at = Some(at);
        section.by = Some(by.to_string());
        section.answers = answers;
        let mut entry = TimelineEntry::new(at, by, Event::StepCompleted);
        entry.step = Some(step);
        entry.message = Some(format!("{}. {}", step.number(), step.title()));
        self.timeline.push(entry);
    }

    /// [`Incident::complete_step`] on a record read afresh, which someone else may have
    /// changed since the walk began: a step done meanwhile is not done twice.
    pub fn complete_pending_step(
        &mut self,
        step: Step,
        answers: IndexMap<String, Answer>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let section = self.steps.get(step);
        if section.is_done() {
            return Err(Error::State {
                message: format!(
                    "step {step} of {} was completed meanwhile by {}",
                    self.id,
                    section.by.as_deref().unwrap_or("someone else")
                ),
                hint: format!("`incident show {}` shows the record as it is now", self.id),
            });
        }
        self.complete_step(step, answers, by, at);
        Ok(())
    }

    /// Close the incident. Returns the steps still pending, which the timeline line names.
    pub fn close(&mut self, resolution: &str, by: &str, at: DateTime<Utc>) -> Result<Vec<Step>> {
        if self.status == Status::Closed {
            return Err(already_closed(&self.id.to_string()));
        }
        let pending: Vec<Step> = Step::ALL
            .into_iter()
            .filter(|s| !self.steps.get(*s).is_done())
            .collect();
        self.status = Status::Closed;
        self.closed_at = Some(at);
        self.closed_by = Some(by.to_string());
        self.resolution = Some(resolution.to_string());
        let mut entry = TimelineEntry::new(at, by, Event::Closed);
        entry.message = Some(if pending.is_empty() {
            format!("Closed: {resolution}")
        } else {
            let keys: Vec<_> = pending.iter().map(|s| s.key()).collect();
            format!(
                "Closed with steps pending ({}): {resolution}",
                keys.join(", ")
            )
        });
        self.timeline.push(entry);
        Ok(pending)
    }

    /// Record that the rendered apology went out at `at`: from then the people affected are
    /// informed. Refused before an apology was rendered: there is nothing to have sent.
    pub fn record_apology_sent(
        &mut self,
        message: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let id = self.id.to_string();
        let Some(email) = &self.steps.inform.email else {
            return Err(Error::State {
                message: format!("{id} has no rendered apology to have sent"),
                hint: format!("render and check it first: `incident email {id}`"),
            });
        };
        if at < email.rendered_at {
            return Err(Error::State {
                message: format!(
                    "the apology of {id} was rendered at {}, after --at {}",
                    super::rfc3339(email.rendered_at),
                    super::rfc3339(at)
                ),
                hint: "record the moment it went out, after it was rendered".into(),
            });
        }
        self.steps.inform.sent_at = Some(at);
        let mut entry = TimelineEntry::new(at, by, Event::ApologySent);
        entry.message = Some(format!("Apology sent: {message}"));
        self.push_in_order(entry);
        Ok(())
    }

    /// Keep the retrospective asked at the close in the monitor step's answers, where the
    /// report reads the lessons.
    pub fn record_retrospective(
        &mut self,
        lessons: IndexMap<String, Answer>,
        by: &str,
        at: DateTime<Utc>,
    ) {
        if lessons.is_empty() {
            return;
        }
        let names: Vec<String> = lessons.keys().cloned().collect();
        self.steps.monitor.answers.extend(lessons);
        let mut entry = TimelineEntry::new(at, by, Event::Note);
        entry.message = Some(format!("Retrospective: {}", names.join(", ")));
        self.timeline.push(entry);
    }

    /// Keep why an incident was closed despite its concerns.
    pub fn record_forced_close(
        &mut self,
        concerns: &[String],
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
    ) {
        let mut entry = TimelineEntry::new(at, by, Event::Note);
        entry.message = Some(format!("Closed despite {}: {reason}", concerns.join("; ")));
        self.timeline.push(entry);
    }

    /// Add a note to the timeline at `at`, kept in time order.
    pub fn add_note(&mut self, message: &str, by: &str, at: DateTime<Utc>) {
        let mut entry = TimelineEntry::new(at, by, Event::Note);
        entry.message = Some(message.to_string());
        self.push_in_order(entry);
    }

    /// Record that the people a legal clock names were notified at `at`. `clocks` are the
    /// clocks that apply to this incident (none when its kind has no legal clocks).
    pub fn record_notification(
        &mut self,
        clock: &str,
        clocks: &[LegalClock],
        message: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.check_clock_applies(clock, clocks)?;
        if let Some(discovered) = self.discovered_at()
            && at < discovered
        {
            return Err(Error::Usage {
                message: format!(
                    "--at {} is before the team became aware ({}): a notification for {clock} cannot come first",
                    super::rfc3339(at),
                    super::rfc3339(discovered)
                ),
                hint: "check the time and its offset".into(),
            });
        }
        let mut entry = TimelineEntry::new(at, by, Event::Notified);
        entry.clock = Some(clock.to_string());
        entry.message = Some(message.to_string());
        self.push_in_order(entry);
        Ok(())
    }

    fn check_clock_applies(&self, clock: &str, clocks: &[LegalClock]) -> Result<()> {
        if clocks.iter().any(|c| c.id == clock) {
            return Ok(());
        }
        let hint = if clocks.is_empty() {
            format!(
                "a {} incident has no legal clocks; record the message as a plain note",
                self.kind
            )
        } else {
            let ids: Vec<_> = clocks.iter().map(|c| c.id).collect();
            format!(
                "this incident's clocks: {} (jurisdictions come from incident.toml [legal])",
                ids.join(", ")
            )
        };
        let known = all_clocks().iter().any(|c| c.id == clock);
        Err(Error::Usage {
            message: if known {
                format!(
                    "--notified {clock}: that clock does not apply to {}",
                    self.id
                )
            } else {
                format!("--notified {clock:?} is not a legal clock")
            },
            hint,
        })
    }

    /// Mark action item `number` (from 1, in record order) done on `day`; the timeline line
    /// at `at` says which one.
    pub fn mark_action_done(
        &mut self,
        number: usize,
        day: NaiveDate,
        message: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let count = self.action_items().count();
        let id = self.id.to_string();
        let item = self.action_item_mut(number).ok_or_else(|| Error::Usage {
            message: format!("--action-done {number}: {id} has {count} action item(s)"),
            hint: format!("`incident show {id}` numbers them"),
        })?;
        if let Some(done) = item.done {
            return Err(Error::State {
                message: format!("action item {number} ({}) was done on {done}", item.what),
                hint: "nothing to change".into(),
            });
        }
        item.done = Some(day);
        let line = format!("Action item {number} done ({}): {message}", item.what);
        self.add_note(&line, by, at);
        Ok(())
    }

    /// Keep the affected subscribers `incident audience` counted, replacing an earlier count.
    pub fn record_audience(&mut self, summary: AudienceSummary) {
        let mut entry =
            TimelineEntry::new(summary.computed_at, &summary.by, Event::AudienceComputed);
        entry.step = Some(Step::Assess);
        let filter = summary.filter.describe(super::rfc3339);
        entry.message = Some(match &summary.warehouse {
            Some(w) => format!(
                "Audience recorded from a {} query (sha256 {}): {} affected ({filter}); from {}",
                w.dialect,
                &w.sql_sha256[..w.sql_sha256.len().min(12)],
                thousands(summary.affected),
                summary.sends
            ),
            None => format!(
                "Audience computed: {} affected ({filter}); {} suppressed, {} malformed rows; from {}",
                thousands(summary.affected),
                thousands(summary.suppressed),
                thousands(summary.malformed_rows),
                summary.sends
            ),
        });
        self.steps.assess.audience = Some(summary);
        self.timeline.push(entry);
    }

    /// Import deliverability checkpoints (a date already stored is replaced, never doubled)
    /// and a baseline. Returns the timeline line.
    pub fn import_deliverability(
        &mut self,
        import: Deliverability<'_>,
        by: &str,
        at: DateTime<Utc>,
    ) -> String {
        let section = &mut self.steps.monitor;
        let mut parts = Vec::new();
        if let Some((rows, source)) = import.checkpoints {
            let merged = merge(&mut section.checkpoints, rows);
            let mut counted = format!("{} new, {} replaced", merged.added, merged.replaced);
            if merged.replaced > 0 {
                counted += &format!(" ({})", merged.changes.join("; "));
            }
            if merged.unchanged > 0 {
                counted += &format!(", {} unchanged", merged.unchanged);
            }
            parts.push(format!(
                "{} checkpoint(s) from {source} ({}): {counted}",
                rows.len(),
                span(rows.iter().map(|c| c.date)),
            ));
        }
        if let Some(base) = import.baseline {
            parts.push(format!(
                "baseline from {} ({} checkpoint(s), {} to {})",
                base.source, base.checkpoints, base.from, base.until
            ));
            section.baseline = Some(base);
        }
        let message = format!("Deliverability imported: {}", parts.join("; "));
        let mut entry = TimelineEntry::new(at, by, Event::MetricsImported);
        entry.message = Some(message.clone());
        self.timeline.push(entry);
        message
    }

    /// Keep what `incident email` rendered; an override of a "never" policy is logged first,
    /// with its reason.
    pub fn record_email(
        &mut self,
        summary: EmailSummary,
        policy: &str,
        by: &str,
        at: DateTime<Utc>,
    ) {
        if let Some(reason) = &summary.policy_override {
            let mut entry = TimelineEntry::new(at, by, Event::PolicyOverride);
            entry.message = Some(format!("Apology policy ({policy}) overridden: {reason}"));
            self.timeline.push(entry);
        }
        let mut entry = TimelineEntry::new(at, by, Event::EmailRendered);
        entry.message = Some(format!(
            "Apology rendered ({}, {}): {}",
            summary.locale, summary.template, summary.subject
        ));
        self.timeline.push(entry);
        self.steps.inform.email = Some(summary);
    }

    /// Add a timeline entry in time order, even when it names an earlier moment.
    fn push_in_order(&mut self, entry: TimelineEntry) {
        self.timeline.push(entry);
        self.timeline.sort_by_key(|e| e.at);
    }
}

/// The error for acting on a closed incident as if it were open.
pub fn already_closed(id: &str) -> Error {
    Error::State {
        message: format!("{id} is already closed"),
        hint: format!("`incident show {id}` shows its resolution"),
    }
}

/// Merge imported checkpoints into the stored ones, in date order. A date is kept once per
/// source: a re-import of the same export replaces its checkpoints (an ESP export is re-run as
/// numbers settle), and one ESP's figures never overwrite another's (Postmaster's spam rate
/// beside SES's counts).
fn merge(stored: &mut Vec<Checkpoint>, imported: &[Checkpoint]) -> Merged {
    let mut merged = Merged::default();
    for checkpoint in imported {
        let same = |c: &&mut Checkpoint| c.date == checkpoint.date && c.source == checkpoint.source;
        match stored.iter_mut().find(same) {
            Some(existing) if existing == checkpoint => merged.unchanged += 1,
            Some(existing) => {
                let changes = checkpoint.changes_from(existing);
                merged
                    .changes
                    .push(format!("{}: {}", checkpoint.date, changes.join(", ")));
                *existing = checkpoint.clone();
                merged.replaced += 1;
            }
            None => {
                stored.push(checkpoint.clone());
                merged.added += 1;
            }
        }
    }
    stored.sort_by_key(|c| c.date);
    merged
}

/// "2026-11-27" or "2026-11-27 to 2026-11-30".
fn span(dates: impl Iterator<Item = CheckpointDate>) -> String {
    let dates: Vec<CheckpointDate> = dates.collect();
    match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) if first != last => format!("{first} to {last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::legal::{Jurisdiction, clocks_for};
    use crate::incident::{ActionItem, ActionType, AudienceFilter, DISCOVERED_AT};
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
            .single()
            .expect("valid time")
    }

    fn incident(kind: &str) -> Incident {
        let mut incident = Incident::example(at(10, 0));
        incident.kind = kind.into();
        incident
    }

    fn discovered(inc: &mut Incident, when: DateTime<Utc>) {
        let mut own = IndexMap::new();
        own.insert(
            DISCOVERED_AT.to_string(),
            Answer::Text(crate::incident::rfc3339(when)),
        );
        inc.complete_step(Step::Own, own, "dana", at(10, 5));
    }

    fn checkpoint(date: &str, sent: u64) -> Checkpoint {
        Checkpoint {
            date: CheckpointDate::parse(date).expect("date"),
            source: crate::incident::CANONICAL.into(),
            sent: Some(sent),
            delivered: Some(sent),
            bounces: Some(0),
            complaints: Some(0),
            unsubscribes: Some(0),
            inbox_placement: None,
            spam_rate: None,
        }
    }

    #[test]
    fn a_step_done_meanwhile_is_not_done_twice() {
        let mut inc = incident("wrong-segment");
        inc.complete_pending_step(Step::Own, IndexMap::new(), "dana", at(10, 5))
            .expect("first time");
        let err = inc
            .complete_pending_step(Step::Own, IndexMap::new(), "sam", at(10, 6))
            .unwrap_err();
        assert!(
            err.to_string().contains("completed meanwhile by dana"),
            "{err}"
        );
        assert_eq!(inc.steps_done(), 1);
    }

    #[test]
    fn closing_names_the_pending_steps_and_cannot_happen_twice() {
        let mut inc = incident("wrong-segment");
        let pending = inc
            .close("Apology sent", "dana", at(12, 0))
            .expect("closes");
        assert_eq!(pending.len(), 6);
        assert_eq!(inc.status, Status::Closed);
        assert_eq!(inc.resolution.as_deref(), Some("Apology sent"));
        let last = inc.timeline.last().expect("entry");
        assert_eq!(last.event, Event::Closed);
        assert!(
            last.message
                .as_deref()
                .is_some_and(|m| m.starts_with("Closed with steps pending (own, stop,")),
            "{last:?}"
        );
        let err = inc.close("again", "dana", at(13, 0)).unwrap_err();
        assert!(err.to_string().contains("already closed"), "{err}");
    }

    #[test]
    fn notes_keep_the_timeline_in_time_order() {
        let mut inc = incident("wrong-segment");
        inc.add_note("late", "dana", at(11, 0));
        inc.add_note("earlier", "dana", at(10, 30));
        let texts: Vec<_> = inc
            .timeline
            .iter()
            .filter_map(|e| e.message.clone())
            .collect();
        assert_eq!(texts[1..], ["earlier".to_string(), "late".to_string()]);
    }

    #[test]
    fn a_notification_needs_a_clock_of_the_incident_and_cannot_precede_discovery() {
        let clocks = clocks_for(&[Jurisdiction::Eu]);
        let mut breach = incident("data-breach");
        discovered(&mut breach, at(9, 0));
        breach
            .record_notification("gdpr-authority", &clocks, "Told the AP", "dana", at(11, 0))
            .expect("recorded");
        assert_eq!(
            breach.timeline.last().map(|e| e.event),
            Some(Event::Notified)
        );
        let err = breach
            .record_notification("gdpr-authority", &clocks, "x", "dana", at(8, 0))
            .unwrap_err();
        assert!(
            err.to_string().contains("before the team became aware"),
            "{err}"
        );
        let err = breach
            .record_notification("uk-ico", &clocks, "x", "dana", at(11, 0))
            .unwrap_err();
        assert!(err.to_string().contains("does not apply"), "{err}");
        let err = breach
            .record_notification("nope", &clocks, "x", "dana", at(11, 0))
            .unwrap_err();
        assert!(err.to_string().contains("is not a legal clock"), "{err}");
        let mut plain = incident("wrong-segment");
        let err = plain
            .record_notification("gdpr-authority", &[], "x", "dana", at(11, 0))
            .unwrap_err();
        assert!(err.hint().is_some_and(|h| h.contains("no legal clocks")));
    }

    #[test]
    fn an_action_item_is_done_once() {
        let mut inc = incident("wrong-segment");
        let item = ActionItem {
            what: "Fix the filter".into(),
            owner: "ops".into(),
            due: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            action_type: ActionType::Prevent,
            done: None,
        };
        let mut plan = IndexMap::new();
        plan.insert("preventions".to_string(), Answer::Actions(vec![item]));
        inc.complete_step(Step::Plan, plan, "dana", at(10, 10));
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        inc.mark_action_done(1, day, "Live", "dana", at(11, 0))
            .expect("done");
        assert_eq!(inc.action_items().next().and_then(|a| a.done), Some(day));
        assert!(
            inc.mark_action_done(1, day, "again", "dana", at(11, 1))
                .is_err()
        );
        let err = inc
            .mark_action_done(2, day, "x", "dana", at(11, 1))
            .unwrap_err();
        assert!(err.to_string().contains("has 1 action item(s)"), "{err}");
    }

    #[test]
    fn an_audience_replaces_the_previous_one_and_is_logged() {
        let mut inc = incident("wrong-segment");
        let summary = AudienceSummary {
            computed_at: at(11, 0),
            by: "dana".into(),
            affected: 1_922,
            segments: Default::default(),
            suppressed: 3,
            malformed_rows: 1,
            malformed: Default::default(),
            rows_read: 5_000,
            rows_matched: 2_000,
            filter: AudienceFilter {
                campaign: Some("C-1".into()),
                ..AudienceFilter::default()
            },
            sends: "/tmp/sends.csv".into(),
            suppressions: vec![],
            excluded: 0,
            exclude: vec![],
            opted_out: 0,
            input: None,
            outcomes: Default::default(),
            unknown_statuses: Default::default(),
            recipients: "incidents/INC-20261126-001/recipients.csv".into(),
            warehouse: None,
        };
        inc.record_audience(summary.clone());
        let entry = inc.timeline.last().expect("entry");
        assert_eq!(
            entry.message.as_deref(),
            Some(
                "Audience computed: 1,922 affected (campaign C-1); 3 suppressed, 1 malformed rows; from /tmp/sends.csv"
            )
        );
        assert_eq!(
            inc.steps.assess.audience.as_ref().map(|a| a.affected),
            Some(1_922)
        );
        // A list from a warehouse says so, and which query made it.
        inc.record_audience(AudienceSummary {
            sends: "warehouse table esp.sends".into(),
            warehouse: Some(super::super::audience::Warehouse {
                dialect: "bigquery".into(),
                sql_sha256: "0123456789abcdef".into(),
                result: "standard input".into(),
            }),
            ..summary
        });
        assert_eq!(
            inc.timeline.last().and_then(|e| e.message.as_deref()),
            Some(
                "Audience recorded from a bigquery query (sha256 0123456789ab): 1,922 affected (campaign C-1); from warehouse table esp.sends"
            )
        );
    }

    #[test]
    fn a_reimport_replaces_the_same_dates_and_keeps_date_order() {
        let mut inc = incident("wrong-segment");
        let first = [checkpoint("2026-11-28", 100), checkpoint("2026-11-27", 100)];
        inc.import_deliverability(
            Deliverability {
                checkpoints: Some((&first, "a.csv")),
                baseline: None,
            },
            "dana",
            at(11, 0),
        );
        let again = [checkpoint("2026-11-28", 200), checkpoint("2026-11-29", 5)];
        let message = inc.import_deliverability(
            Deliverability {
                checkpoints: Some((&again, "b.csv")),
                baseline: None,
            },
            "dana",
            at(12, 0),
        );
        assert_eq!(
            message,
            "Deliverability imported: 2 checkpoint(s) from b.csv (2026-11-28 to 2026-11-29): 1 new, 1 replaced (2026-11-28: sent 100 → 200, delivered 100 → 200)"
        );
        let stored = &inc.steps.monitor.checkpoints;
        let dates: Vec<String> = stored.iter().map(|c| c.date.to_string()).collect();
        assert_eq!(dates, ["2026-11-27", "2026-11-28", "2026-11-29"]);
        assert_eq!(stored[1].sent, Some(200));
    }

    #[test]
    fn an_override_is_logged_before_the_rendering() {
        let mut inc = incident("suppression-list-send");
        let summary = EmailSummary {
            rendered_at: at(11, 0),
            subject: "We made a mistake".into(),
            locale: "en".into(),
            template: "mistake".into(),
            recipients: Some(10),
            checks_passed: vec![],
            warnings: vec![],
            policy_override: Some("Legal asked".into()),
        };
        inc.record_email(summary, "never", "dana", at(11, 0));
        let events: Vec<Event> = inc.timeline.iter().map(|e| e.event).collect();
        assert_eq!(events[1..], [Event::PolicyOverride, Event::EmailRendered]);
        assert!(inc.steps.inform.email.is_some());
    }
}
