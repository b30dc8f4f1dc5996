//! `[roles]` of `incident.toml`: the people who carry the steps, named per role.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The people who carry a step. Names for each role come from `incident.toml` `[roles]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Marketing,
    Leadership,
    Security,
    Legal,
    Deliverability,
}

impl Role {
    /// Every role, in the order they are listed.
    pub const ALL: [Role; 5] = [
        Role::Marketing,
        Role::Leadership,
        Role::Security,
        Role::Legal,
        Role::Deliverability,
    ];

    /// The key used in `incident.toml` and runbooks.
    pub fn key(self) -> &'static str {
        match self {
            Role::Marketing => "marketing",
            Role::Leadership => "leadership",
            Role::Security => "security",
            Role::Legal => "legal",
            Role::Deliverability => "deliverability",
        }
    }

    /// How the role is called in prose.
    pub fn label(self) -> &'static str {
        match self {
            Role::Marketing => "Marketing",
            Role::Leadership => "Leadership",
            Role::Security => "IT/Security",
            Role::Legal => "Legal",
            Role::Deliverability => "Deliverability",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
