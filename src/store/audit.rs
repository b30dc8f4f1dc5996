//! `incident check` on one record as it is on disk: that it parses, what it says that the tool
//! would never have written (its flaws and its answers against the runbook), and whether the
//! files beside it agree with it — the recipient list with the count, the apology's three
//! parts with each other. Each problem is an error naming the file and line, with a hint.

use chrono::{DateTime, Utc};

use super::folder::refused;
use super::{Entry, Store, parse_named};
use crate::error::Error;
use crate::incident::{Flaw, Incident, IncidentId};
use crate::runbook::Catalog;
use crate::yaml_lines::{Segment, dotted, locate_path};

/// What `incident check` found on one record.
pub struct Audit {
    /// The record, when it parses.
    pub incident: Option<Incident>,
    /// Every problem; none when the record is sound.
    pub problems: Vec<Error>,
}

impl Store<'_> {
    /// Every problem with record `id` as of `now`, its answers checked against its kind's
    /// runbook in `catalog` when it loads. Reads only: an interrupted write is left for
    /// `check` to report.
    pub fn audit(&self, id: &IncidentId, catalog: Option<&Catalog>, now: DateTime<Utc>) -> Audit {
        let path = self.workspace.record_path(id);
        let _reading = self.read_lock();
        let parsed = self.read_text(&path).and_then(|text| {
            let text = text.ok_or_else(|| {
                Error::io("cannot read", &path, std::io::ErrorKind::NotFound.into())
            })?;
            parse_named(id, &path, &text).map(|incident| (incident, text))
        });
        let (incident, text) = match parsed {
            Ok(parsed) => parsed,
            Err(err) => {
                return Audit {
                    incident: None,
                    problems: vec![err],
                };
            }
        };
        let mut problems = Vec::new();
        let mut flaws = incident.flaws(now);
        match catalog.map(|c| c.get(&incident.kind)) {
            Some(Ok(runbook)) => {
                flaws.extend(crate::runbook::answer_flaws(runbook, &incident, now))
            }
            // A broken runbook is reported on its own; here the record is the subject.
            Some(Err(err)) => problems.push(Error::Invalid {
                path: path.clone(),
                line: crate::yaml_lines::locate(&text, &["kind"]),
                message: format!("kind {:?}: {err}", incident.kind),
                hint: "restore the kind's runbook in runbooks/, or fix it".into(),
            }),
            None => {}
        }
        problems.extend(
            flaws
                .into_iter()
                .map(|flaw| self.at_line(&incident, &text, flaw)),
        );
        problems.extend(self.folder_problem(&incident));
        problems.extend(self.recipients_problem(&incident, &text));
        problems.extend(self.email_problem(&incident, &text));
        Audit {
            incident: Some(incident),
            problems,
        }
    }

    fn at_line(&self, incident: &Incident, text: &str, flaw: Flaw) -> Error {
        Error::Invalid {
            path: self.workspace.record_path(&incident.id),
            line: locate_path(text, &flaw.at),
            message: format!("{}: {}", dotted(&flaw.at), flaw.message),
            hint: flaw.hint,
        }
    }

    /// The incident's folder is a folder, if it is there at all.
    fn folder_problem(&self, incident: &Incident) -> Option<Error> {
        let folder = self.workspace.incident_dir(&incident.id);
        match self.entry(&folder) {
            Ok(Entry::Missing | Entry::Folder) => None,
            Ok(Entry::Link) => Some(refused(&folder, "is a symbolic link")),
            Ok(Entry::File | Entry::Other) => Some(refused(&folder, "is not a folder")),
            Err(err) => Some(err),
        }
    }

    /// `recipients.csv` holds as many distinct addresses as the record counts affected.
    fn recipients_problem(&self, incident: &Incident, text: &str) -> Option<Error> {
        let id = &incident.id;
        let list = self.workspace.recipients_path(id);
        let recorded = incident.steps.assess.audience.as_ref().map(|a| a.affected);
        let audience_at = [
            Segment::key("steps"),
            Segment::key("assess"),
            Segment::key("audience"),
            Segment::key("affected"),
        ];
        let rerun =
            format!("run `incident audience {id} --sends FILE` again rather than editing either");
        match (recorded, self.recipients(id)) {
            (_, Err(err)) => Some(err),
            (Some(affected), Ok(Some(found))) if found != affected => Some(Error::Invalid {
                path: list,
                line: None,
                message: format!(
                    "holds {found} distinct address(es), where the record counts {affected} affected"
                ),
                hint: rerun,
            }),
            (Some(affected), Ok(None)) => Some(Error::Invalid {
                path: self.workspace.record_path(id),
                line: locate_path(text, &audience_at),
                message: format!(
                    "steps.assess.audience.affected: counts {affected} affected, but {} is missing",
                    self.workspace.recipients_relative(id)
                ),
                hint: rerun,
            }),
            (None, Ok(Some(_))) => Some(Error::Invalid {
                path: list,
                line: None,
                message: "the record has no audience for this list".into(),
                hint: rerun,
            }),
            _ => None,
        }
    }

    /// The apology's parts are all there when the record says it was rendered, and none is
    /// there when it does not.
    fn email_problem(&self, incident: &Incident, text: &str) -> Option<Error> {
        let paths = self.workspace.email_paths(&incident.id);
        let rendered = incident.steps.inform.email.is_some();
        for part in [&paths.html, &paths.text, &paths.eml] {
            let entry = match self.entry(part) {
                Ok(entry) => entry,
                Err(err) => return Some(err),
            };
            let problem = match entry {
                Entry::Link => return Some(refused(part, "is a symbolic link")),
                Entry::Missing if rendered => format!(
                    "steps.inform.email: the apology was rendered, but {} is missing",
                    part.display()
                ),
                Entry::File | Entry::Folder | Entry::Other if !rendered => format!(
                    "{} is there, but the record has no rendered apology",
                    part.display()
                ),
                _ => continue,
            };
            let at = [
                Segment::key("steps"),
                Segment::key("inform"),
                Segment::key("email"),
            ];
            return Some(Error::Invalid {
                path: self.workspace.record_path(&incident.id),
                line: locate_path(text, &at),
                message: problem,
                hint: format!("run `incident email {}` again", incident.id),
            });
        }
        None
    }
}
