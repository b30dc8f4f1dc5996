//! The work the walk offers to do on the spot, by the same code as the commands: the assess
//! step computes the affected audience (`incident audience`), and after the inform step the
//! apology is rendered and checked (`incident email`). Either can be skipped, and a failure is
//! told and left for later: the walk goes on.

use std::path::PathBuf;

use crate::cli::{AudienceArgs, AudienceFormat, EmailArgs, EmailFormat, InputArgs, WarehouseArgs};
use crate::error::{Error, Result};
use crate::incident::Incident;
use crate::store::Store;
use crate::walk::{Prompter, Tasks};

use super::Context;

/// The tasks of one walk, acting as `by`.
pub struct OnTheSpot<'a> {
    ctx: &'a Context,
    by: String,
}

impl<'a> OnTheSpot<'a> {
    pub fn new(ctx: &'a Context, by: &str) -> Self {
        OnTheSpot {
            ctx,
            by: by.to_string(),
        }
    }

    /// The record as the command left it.
    fn reload(&self, incident: &Incident) -> Result<Incident> {
        Store::new(&self.ctx.workspace).load(&incident.id)
    }

    /// A command's failure, told in the walk with what to do later.
    fn tell(&self, prompter: &mut dyn Prompter, err: &Error, later: &str) -> Result<()> {
        prompter.say(&format!("✗ {err}"))?;
        if let Some(hint) = err.hint() {
            prompter.say(&format!("  hint: {hint}"))?;
        }
        prompter.say(&format!("  The walk goes on; do it later with `{later}`."))
    }

    /// Ask for the send log and its companions; `None` when the person skips.
    fn ask_audience(
        &self,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<Option<AudienceArgs>> {
        let Some(sends) = prompter
            .optional_line("Send log exported from the ESP (a path; .gz is fine; Enter to skip)")?
        else {
            return Ok(None);
        };
        let presets = super::presets(self.ctx);
        let names = presets.address_names();
        let mut items = vec![
            "none: a CSV whose header names the columns (email, campaign_id, status…)".to_string(),
        ];
        items.extend(names.iter().cloned());
        let preset = prompter
            .find("Which ESP exported it?", &items, 0)?
            .and_then(|i| i.checked_sub(1));
        let mut suppressions = Vec::new();
        while let Some(file) = prompter.optional_line(&format!(
            "Suppression list #{} (unsubscribes, bounces, complaints; Enter when done)",
            suppressions.len() + 1
        ))? {
            suppressions.push(PathBuf::from(file));
        }
        // A wrong segment reached people it was meant for too: they are not affected.
        let mut excludes = Vec::new();
        if incident.kind == "wrong-segment"
            && let Some(file) = prompter.optional_line(
                "Export of the segment it was meant for, to leave those people out (Enter to skip)",
            )?
        {
            excludes.push(PathBuf::from(file));
        }
        let known = incident
            .steps
            .stop
            .answers
            .get("campaign_id")
            .and_then(|a| a.as_text());
        let campaign = match known {
            Some(id) => prompter.line("Campaign ID in the send log", Some(id))?,
            None => prompter.optional_line("Campaign ID in the send log (Enter for every row)")?,
        };
        let reached = prompter
            .confirm(
                "Count only the people it was delivered to (leave out bounces and drops)?",
                true,
            )?
            .unwrap_or(true);
        Ok(Some(AudienceArgs {
            id: incident.id.to_string(),
            sends: Some(PathBuf::from(sends)),
            suppressions,
            excludes,
            input: InputArgs {
                preset: preset.and_then(|i| names.get(i).cloned()),
                map: Vec::new(),
                time_format: None,
                time_zone: None,
                delimiter: None,
            },
            campaign,
            segments: Vec::new(),
            from: None,
            until: None,
            statuses: if reached {
                vec!["delivered".into()]
            } else {
                Vec::new()
            },
            dry_run: false,
            format: AudienceFormat::Text,
            warehouse: WarehouseArgs::default(),
            by: Some(self.by.clone()),
        }))
    }
}

impl Tasks for OnTheSpot<'_> {
    fn audience(
        &self,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<Option<Incident>> {
        let asked = "Compute the affected subscribers now, from the ESP's send log?";
        if prompter.confirm(asked, true)? != Some(true) {
            return Ok(None);
        }
        loop {
            let Some(args) = self.ask_audience(incident, prompter)? else {
                return Ok(None);
            };
            match super::audience::run(self.ctx, args) {
                Ok(()) => return self.reload(incident).map(Some),
                Err(err @ Error::Interrupted { .. }) => return Err(err),
                Err(err) => {
                    let later = format!("incident audience {} --sends FILE", incident.id);
                    self.tell(prompter, &err, &later)?;
                    if prompter.confirm("Try again with other files?", true)? != Some(true) {
                        return Ok(None);
                    }
                }
            }
        }
    }

    fn apology(
        &self,
        incident: &Incident,
        prompter: &mut dyn Prompter,
    ) -> Result<Option<Incident>> {
        if prompter.confirm("Render and check the apology now?", true)? != Some(true) {
            return Ok(None);
        }
        let args = EmailArgs {
            id: incident.id.to_string(),
            locale: None,
            subject: None,
            check: false,
            dry_run: false,
            override_policy: None,
            format: EmailFormat::Text,
            by: Some(self.by.clone()),
        };
        match super::email::run(self.ctx, args) {
            Ok(()) => self.reload(incident).map(Some),
            Err(err @ Error::Interrupted { .. }) => Err(err),
            Err(err) => {
                self.tell(prompter, &err, &format!("incident email {}", incident.id))?;
                Ok(None)
            }
        }
    }
}
