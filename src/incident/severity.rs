//! Incident severity, sev1 (worst) to sev4.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How bad the incident is; sev1 is the worst.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Severity {
    /// All severities, worst first.
    pub const ALL: [Severity; 4] = [
        Severity::Sev1,
        Severity::Sev2,
        Severity::Sev3,
        Severity::Sev4,
    ];

    /// The key used in records and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Sev1 => "sev1",
            Severity::Sev2 => "sev2",
            Severity::Sev3 => "sev3",
            Severity::Sev4 => "sev4",
        }
    }

    /// A short description to choose by.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::Sev1 => "critical: personal data exposed or the whole list hit",
            Severity::Sev2 => "major: many subscribers hit, brand or legal risk",
            Severity::Sev3 => "minor: a limited group hit, little risk",
            Severity::Sev4 => "low: cosmetic, caught early",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.key() == s)
            .ok_or_else(|| format!("unknown severity {s:?}; expected sev1, sev2, sev3 or sev4"))
    }
}
