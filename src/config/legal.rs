//! `[legal]` of `incident.toml`: which jurisdictions' breach-notification clocks apply.

use serde::{Deserialize, Serialize};

/// A jurisdiction a workspace can choose in `incident.toml` `[legal] jurisdictions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jurisdiction {
    Eu,
    Netherlands,
    Uk,
    California,
    NewYork,
    Australia,
}

impl Jurisdiction {
    /// Every supported jurisdiction.
    pub const ALL: [Jurisdiction; 6] = [
        Jurisdiction::Eu,
        Jurisdiction::Netherlands,
        Jurisdiction::Uk,
        Jurisdiction::California,
        Jurisdiction::NewYork,
        Jurisdiction::Australia,
    ];

    /// The key used in `incident.toml`.
    pub fn key(self) -> &'static str {
        match self {
            Jurisdiction::Eu => "eu",
            Jurisdiction::Netherlands => "netherlands",
            Jurisdiction::Uk => "uk",
            Jurisdiction::California => "california",
            Jurisdiction::NewYork => "new-york",
            Jurisdiction::Australia => "australia",
        }
    }
}

/// The `[legal]` section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Legal {
    /// Which jurisdictions' breach-notification clocks apply.
    #[serde(default = "default_jurisdictions")]
    pub jurisdictions: Vec<Jurisdiction>,
}

impl Default for Legal {
    fn default() -> Self {
        Legal {
            jurisdictions: default_jurisdictions(),
        }
    }
}

fn default_jurisdictions() -> Vec<Jurisdiction> {
    vec![Jurisdiction::Eu]
}
