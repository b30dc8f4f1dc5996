//! `incident.toml`, the workspace's optional configuration: brand, roles and contacts, locale,
//! time zone, legal jurisdictions and deliverability thresholds. Every section has a default,
//! so an empty folder works. The bottom layer: it imports nothing else of the crate but its
//! error type.

mod brand;
mod input;
mod legal;
mod roles;
mod thresholds;

pub use brand::Brand;
pub use input::{Aggregate, Field, FileFormat, Input, Outcome, PresetSpec, RateScale, Sources};
pub use legal::{Jurisdiction, Legal};
pub use roles::Role;
pub use thresholds::Thresholds;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

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
    /// How to read ESP exports: the workspace's own presets.
    #[serde(default)]
    pub input: Input,
}

impl Config {
    /// Parse and check `incident.toml`, naming the line and field of any mistake.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let config = parse_config(path, text)?;
        let invalid = |key: &str, message: String, hint: &str| Error::Invalid {
            path: path.to_path_buf(),
            line: toml_key_line(text, key),
            message,
            hint: hint.into(),
        };
        if let Some(name) = &config.timezone
            && name.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(invalid(
                "timezone",
                format!("timezone {name:?} is not an IANA time zone"),
                "e.g. timezone = \"Europe/Amsterdam\" or \"America/New_York\"",
            ));
        }
        config.brand.validate().map_err(|message| {
            invalid(
                "[brand]",
                message,
                "see the [brand] section of the incident.toml that `incident init` writes",
            )
        })?;
        config.thresholds.validate().map_err(|(key, message)| {
            invalid(
                key,
                message,
                "thresholds are percentages: complaint_warning = 0.1 means 0.1 %; see the [thresholds] section of the incident.toml that `incident init` writes",
            )
        })?;
        Ok(config)
    }

    /// The time zone times are shown in: `timezone`, else UTC.
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.timezone
            .as_deref()
            .and_then(|name| name.parse().ok())
            .unwrap_or(chrono_tz::Tz::UTC)
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

/// Parse `incident.toml` as TOML, naming the line and field of any mistake.
fn parse_config(path: &Path, text: &str) -> Result<Config> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        Error::Invalid {
            path: path.to_path_buf(),
            line,
            message: e.message().to_string(),
            hint: "`incident init` writes a commented incident.toml to compare with".into(),
        }
    })?;
    Ok(Config {
        brand: config.brand.complete(),
        ..config
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_the_line() {
        let text = "locale = \"en\"\n\n[roles]\nmarketing = \"Dana\"\nsales = \"Bob\"\n";
        let err = Config::parse(Path::new("incident.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("incident.toml:5"), "{err}");
        assert!(err.contains("sales"), "{err}");
    }

    #[test]
    fn a_brand_name_alone_names_the_sender_too() {
        let text = "[brand]\nname = \"Northwind Outfitters\"\n";
        let config = Config::parse(Path::new("incident.toml"), text).expect("parses");
        assert_eq!(config.brand.from_name, "Northwind Outfitters");
    }

    #[test]
    fn defaults_to_the_eu_clocks() {
        let config = Config::parse(Path::new("incident.toml"), "").expect("empty config");
        assert_eq!(config.legal.jurisdictions, [Jurisdiction::Eu]);
    }
}
