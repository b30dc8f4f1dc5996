//! `[thresholds]` of `incident.toml`: the deliverability levels `incident monitor` and the
//! report judge checkpoints against, in percent.
//!
//! The defaults are the mailbox providers' and ESPs' own limits (see EMAIL-RULES.md, "After
//! sending"): a spam-complaint rate of 0.1 % is a warning and 0.3 % critical (Gmail and Yahoo
//! bulk-sender rules); a bounce rate of 2 % a warning and 5 % critical (AWS SES); inbox
//! placement under 90 % a warning.

use serde::{Deserialize, Serialize};

/// The `[thresholds]` section of `incident.toml`, every value in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Spam-complaint rate (of delivered) at which a checkpoint is a warning.
    pub complaint_warning: f64,
    /// Spam-complaint rate at which it is critical.
    pub complaint_critical: f64,
    /// Bounce rate (of sent) at which a checkpoint is a warning.
    pub bounce_warning: f64,
    /// Bounce rate at which it is critical.
    pub bounce_critical: f64,
    /// Inbox placement under which a checkpoint is a warning.
    pub inbox_placement_warning: f64,
    /// Relative drop against the baseline, in percent of the baseline's value, at which inbox
    /// placement or delivery rate is a warning (10 means 95 % falling under 85.5 %).
    pub baseline_drop: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            complaint_warning: 0.1,
            complaint_critical: 0.3,
            bounce_warning: 2.0,
            bounce_critical: 5.0,
            inbox_placement_warning: 90.0,
            baseline_drop: 10.0,
        }
    }
}

impl Thresholds {
    /// Check that each value is a percentage and each warning comes before its critical level.
    /// The error names the key at fault and says what is wrong.
    pub fn validate(&self) -> std::result::Result<(), (&'static str, String)> {
        let values = [
            ("complaint_warning", self.complaint_warning),
            ("complaint_critical", self.complaint_critical),
            ("bounce_warning", self.bounce_warning),
            ("bounce_critical", self.bounce_critical),
            ("inbox_placement_warning", self.inbox_placement_warning),
            ("baseline_drop", self.baseline_drop),
        ];
        for (key, value) in values {
            if !(value.is_finite() && (0.0..=100.0).contains(&value)) || value == 0.0 {
                return Err((
                    key,
                    format!("thresholds.{key} = {value} is not a percentage above 0 and up to 100"),
                ));
            }
        }
        for (warning, critical, w, c) in [
            (
                "complaint_warning",
                "complaint_critical",
                self.complaint_warning,
                self.complaint_critical,
            ),
            (
                "bounce_warning",
                "bounce_critical",
                self.bounce_warning,
                self.bounce_critical,
            ),
        ] {
            if w >= c {
                return Err((
                    warning,
                    format!(
                        "thresholds.{warning} ({w} %) must be below thresholds.{critical} ({c} %)"
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_validated() {
        assert!(Thresholds::default().validate().is_ok());
        let swapped = Thresholds {
            complaint_warning: 0.3,
            complaint_critical: 0.1,
            ..Thresholds::default()
        };
        assert_eq!(
            swapped.validate().map_err(|e| e.0),
            Err("complaint_warning")
        );
        let fraction = Thresholds {
            bounce_critical: 500.0,
            ..Thresholds::default()
        };
        assert_eq!(fraction.validate().map_err(|e| e.0), Err("bounce_critical"));
    }
}
