//! The workspace folder and its optional `incident.toml`: roles and contacts, locale, time zone
//! and legal jurisdictions. Everything has a default, so an empty folder works.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::email::Brand;
use crate::error::{Error, Result};
use crate::incident::legal::{self, Jurisdiction, LegalClock};
use crate::incident::{IncidentId, Role};
use crate::monitor::Thresholds;

/// The configuration file's name in a workspace.
pub const CONFIG_FILE: &str = "incident.toml";

/// `incident.toml`, with every section optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default language of emails and reports (`en`, `nl`).
    #[serde(default)]
    pub locale: Option<String>,
    /// IANA time zone in which times are shown; stored times stay UTC.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Names (and contact details) per role, shown with every step.
    #[serde(default)]
    pub roles: BTreeMap<Role, String>,
    #[serde(default)]
    pub legal: Legal,
    /// The brand the apology is sent under.
    #[serde(default)]
    pub brand: Brand,
    /// Deliverability thresholds for `incident monitor` and the report, in percent.
    #[serde(default)]
    pub thresholds: Thresholds,
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

/// A workspace: its folder, configuration and time zone.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub tz: Tz,
}

impl Workspace {
    /// Open the workspace at `root`, reading `incident.toml` when there is one.
    pub fn open(root: &Path) -> Result<Workspace> {
        let path = root.join(CONFIG_FILE);
        let config = match std::fs::read_to_string(&path) {
            Ok(text) => parse_config(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        let tz = match &config.timezone {
            None => Tz::UTC,
            Some(name) => name.parse::<Tz>().map_err(|_| Error::Invalid {
                line: toml_key_line(
                    &std::fs::read_to_string(&path).unwrap_or_default(),
                    "timezone",
                ),
                path: path.clone(),
                message: format!("timezone {name:?} is not an IANA time zone"),
                hint: "e.g. timezone = \"Europe/Amsterdam\" or \"America/New_York\"".into(),
            })?,
        };
        config.brand.validate().map_err(|message| Error::Invalid {
            line: std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| toml_key_line(&text, "[brand]")),
            path: path.clone(),
            message,
            hint: "see the [brand] section of the incident.toml that `incident init` writes".into(),
        })?;
        config
            .thresholds
            .validate()
            .map_err(|(key, message)| Error::Invalid {
                line: std::fs::read_to_string(&path)
                    .ok()
                    .and_then(|text| toml_key_line(&text, key)),
                path: path.clone(),
                message,
                hint: "thresholds are percentages: complaint_warning = 0.1 means 0.1 %; see the [thresholds] section of the incident.toml that `incident init` writes".into(),
            })?;
        Ok(Workspace {
            root: root.to_path_buf(),
            config,
            tz,
        })
    }

    /// The workspace at `root` as if it had no `incident.toml`.
    pub fn with_defaults(root: &Path) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            config: Config::default(),
            tz: Tz::UTC,
        }
    }

    /// The folder holding the records.
    pub fn incidents_dir(&self) -> PathBuf {
        self.root.join("incidents")
    }

    /// The path of a record.
    pub fn record_path(&self, id: &IncidentId) -> PathBuf {
        self.incidents_dir().join(format!("{id}.yaml"))
    }

    /// Who carries a role, as configured: "Marketing (Dana Smit)" or just "Marketing".
    pub fn role_label(&self, role: Role) -> String {
        match self.config.roles.get(&role) {
            Some(name) => format!("{} ({name})", role.label()),
            None => role.label().to_string(),
        }
    }

    /// The legal clocks of the workspace's jurisdictions.
    pub fn legal_clocks(&self) -> Vec<LegalClock> {
        legal::clocks_for(&self.config.legal.jurisdictions)
    }

    /// An instant shown in the workspace's time zone.
    pub fn local_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    }

    /// The day an instant falls on in the workspace's time zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> chrono::NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }
}

/// The 1-based line on which a top-level TOML key is set.
fn toml_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            // A `[table]` header is matched whole; a key by `key =`.
            (key.starts_with('[') && line.starts_with(key))
                || line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Parse `incident.toml`, naming the line and field of any mistake.
pub fn parse_config(path: &Path, text: &str) -> Result<Config> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        Error::Invalid {
            path: path.to_path_buf(),
            line,
            message: e.message().to_string(),
            hint: "`incident init` writes a commented incident.toml to compare with".into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_the_line() {
        let text = "locale = \"en\"\n\n[roles]\nmarketing = \"Dana\"\nsales = \"Bob\"\n";
        let err = parse_config(Path::new("incident.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("incident.toml:5"), "{err}");
        assert!(err.contains("sales"), "{err}");
    }

    #[test]
    fn defaults_to_the_eu_clocks() {
        let config = parse_config(Path::new("incident.toml"), "").expect("empty config");
        assert_eq!(config.legal.jurisdictions, [Jurisdiction::Eu]);
    }
}
