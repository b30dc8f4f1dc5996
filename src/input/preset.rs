//! Presets: how to read one ESP's exports. The built-in ones are `presets/*.toml`, embedded in
//! the binary, each citing its sources; a workspace adds its own as `[input.presets.NAME]` in
//! `incident.toml` (the same keys, optionally starting from a built-in with `base`), and the
//! flags `--map`, `--time-format`, `--time-zone` and `--delimiter` override what a preset says.

use std::collections::BTreeMap;
use std::path::Path;

use chrono_tz::Tz;

use super::status::Vocabulary;
use super::time::{TimeFormat, Times};
use crate::config::{Aggregate, Field, PresetSpec, RateScale, Sources};
use crate::error::{Error, Result};

/// The built-in presets by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("mailchimp", include_str!("../../presets/mailchimp.toml")),
    ("klaviyo", include_str!("../../presets/klaviyo.toml")),
    ("sendgrid", include_str!("../../presets/sendgrid.toml")),
    ("ses", include_str!("../../presets/ses.toml")),
    ("sfmc", include_str!("../../presets/sfmc.toml")),
    ("mailgun", include_str!("../../presets/mailgun.toml")),
    ("postmark", include_str!("../../presets/postmark.toml")),
    ("brevo", include_str!("../../presets/brevo.toml")),
    ("hubspot", include_str!("../../presets/hubspot.toml")),
    (
        "mailchimp-report",
        include_str!("../../presets/mailchimp-report.toml"),
    ),
    (
        "sendgrid-stats",
        include_str!("../../presets/sendgrid-stats.toml"),
    ),
    ("ses-stats", include_str!("../../presets/ses-stats.toml")),
    ("postmaster", include_str!("../../presets/postmaster.toml")),
];

/// What the flags say, over any preset.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--map FIELD=COLUMN`, in order.
    pub map: Vec<(Field, Vec<String>)>,
    pub time_format: Option<String>,
    pub time_zone: Option<String>,
    pub delimiter: Option<String>,
}

impl Overrides {
    /// Parse one `--map FIELD=COLUMN` value; status may join columns with `+`.
    pub fn parse_map(text: &str) -> std::result::Result<(Field, Vec<String>), String> {
        let (field, column) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?} is not FIELD=COLUMN"))?;
        let field = Field::from_key(field.trim()).ok_or_else(|| {
            let fields: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
            format!(
                "{:?} is not a field; fields: {}",
                field.trim(),
                fields.join(", ")
            )
        })?;
        let columns: Vec<String> = if field == Field::Status {
            column.split('+').map(|c| c.trim().to_string()).collect()
        } else {
            vec![column.trim().to_string()]
        };
        if columns.iter().any(String::is_empty) {
            return Err(format!("{text:?} names no column"));
        }
        Ok((field, columns))
    }
}

/// A preset made ready to read with: the spec's text parsed, the flags applied.
#[derive(Debug, Clone)]
pub struct Preset {
    /// The preset's name; `None` when no preset was asked for.
    pub name: Option<String>,
    /// What it reads, in a few words (its own, else its base's).
    pub about: Option<String>,
    /// Where an API page keeps its records (JSON); empty: detected.
    pub records: Vec<String>,
    pub delimiter: u8,
    pub times: Times,
    /// Whether the zone of times without one was set (by the preset or the flag) rather than
    /// taken from the workspace.
    pub zone_named: bool,
    /// Candidates per field, as the preset or `--map` gives them.
    pub map: BTreeMap<Field, Vec<String>>,
    /// The fields `--map` named: only those columns, never one found by its name.
    pub mapped: Vec<Field>,
    /// The status words; `None`: the words every ESP shares.
    pub vocabulary: Option<Vocabulary>,
    pub suppress_when: Vec<Condition>,
    pub aggregate: Option<Aggregate>,
    pub spam_rate: RateScale,
}

impl Preset {
    /// No preset: the header names the columns, the status words are the common ones, a time
    /// without a zone is in `zone`.
    pub fn none(zone: Tz) -> Preset {
        Preset {
            name: None,
            about: None,
            records: Vec::new(),
            delimiter: b',',
            times: Times {
                format: TimeFormat::Auto,
                zone,
            },
            zone_named: false,
            map: BTreeMap::new(),
            mapped: Vec::new(),
            vocabulary: None,
            suppress_when: Vec::new(),
            aggregate: None,
            spam_rate: RateScale::Percent,
        }
    }
}

/// When a suppression row counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The column holds something true (`TRUE`, `yes`, `1`, a non-empty list).
    True(String),
    /// The column holds exactly this text.
    Equals(String, String),
}

impl Condition {
    fn parse(text: &str) -> Condition {
        match text.split_once('=') {
            Some((column, value)) => {
                Condition::Equals(column.trim().to_string(), value.trim().to_string())
            }
            None => Condition::True(text.trim().to_string()),
        }
    }

    /// The column the condition reads.
    pub fn column(&self) -> &str {
        match self {
            Condition::True(c) | Condition::Equals(c, _) => c,
        }
    }
}

/// Where the presets of a command come from.
pub struct Presets<'a> {
    /// The workspace's own, from `incident.toml`.
    pub workspace: &'a BTreeMap<String, PresetSpec>,
    /// The workspace's zone, for times without one.
    pub zone: Tz,
}

impl Presets<'_> {
    /// The preset `name` (or none), with the flags applied.
    pub fn resolve(&self, name: Option<&str>, flags: &Overrides) -> Result<Preset> {
        let spec = match name {
            Some(name) => self.spec(name, 0)?,
            None => PresetSpec::default(),
        };
        let mut preset = self.ready(name, &spec)?;
        apply(&mut preset, flags)?;
        Ok(preset)
    }

    /// Every preset name, built-in and the workspace's.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(self.workspace.keys().cloned());
        names.sort();
        names.dedup();
        names
    }

    /// The names of the presets that read a send log or a list of addresses (they map
    /// `email`), leaving out the stats presets of `incident monitor`.
    pub fn address_names(&self) -> Vec<String> {
        self.names()
            .into_iter()
            .filter(|name| {
                self.spec(name, 0)
                    .is_ok_and(|spec| spec.map.contains_key(&Field::Email))
            })
            .collect()
    }

    /// A preset's spec with its `base` merged in; a workspace preset wins over a built-in one
    /// of the same name.
    fn spec(&self, name: &str, depth: usize) -> Result<PresetSpec> {
        if depth > 8 {
            return Err(unknown(
                name,
                "its `base` chain goes round in a circle",
                &self.names(),
            ));
        }
        let own = match self.workspace.get(name) {
            Some(spec) => spec.clone(),
            None => {
                built_in(name).ok_or_else(|| unknown(name, "is not a preset", &self.names()))??
            }
        };
        match own.base.clone() {
            // A workspace preset named like a built-in may start from that built-in.
            Some(base) if base == name && self.workspace.contains_key(name) => {
                let base = built_in(name)
                    .ok_or_else(|| unknown(name, "is not a built-in preset", &self.names()))??;
                Ok(merge(base, own))
            }
            Some(base) => Ok(merge(self.spec(&base, depth + 1)?, own)),
            None => Ok(own),
        }
    }

    fn ready(&self, name: Option<&str>, spec: &PresetSpec) -> Result<Preset> {
        let bad = |message: String| Error::Usage {
            message: format!("preset {}: {message}", name.unwrap_or("(none)")),
            hint: "see docs/esp.md for the preset keys".into(),
        };
        let times = Times {
            format: match &spec.time_format {
                Some(f) => TimeFormat::parse(f).map_err(bad)?,
                None => TimeFormat::Auto,
            },
            zone: match &spec.time_zone {
                Some(z) => parse_zone(z).map_err(bad)?,
                None => self.zone,
            },
        };
        Ok(Preset {
            name: name.map(str::to_string),
            about: spec.about.clone(),
            records: spec.records.as_ref().map(Sources::list).unwrap_or_default(),
            delimiter: match &spec.delimiter {
                Some(d) => parse_delimiter(d).map_err(bad)?,
                None => b',',
            },
            times,
            zone_named: spec.time_zone.is_some(),
            map: spec.map.iter().map(|(f, s)| (*f, s.list())).collect(),
            mapped: Vec::new(),
            vocabulary: (!spec.statuses.is_empty()).then(|| Vocabulary::of(&spec.statuses)),
            suppress_when: spec
                .suppress_when
                .iter()
                .map(|c| Condition::parse(c))
                .collect(),
            aggregate: spec.aggregate,
            spam_rate: spec.spam_rate.unwrap_or(RateScale::Percent),
        })
    }
}

/// The flags over a preset.
fn apply(preset: &mut Preset, flags: &Overrides) -> Result<()> {
    let usage = |flag: &str, message: String| Error::BadFlag {
        message: format!("{flag}: {message}"),
        hint: "see `incident audience --help` and docs/esp.md".into(),
    };
    for (field, columns) in &flags.map {
        preset.map.insert(*field, columns.clone());
        preset.mapped.push(*field);
    }
    if let Some(format) = &flags.time_format {
        preset.times.format = TimeFormat::parse(format).map_err(|m| usage("--time-format", m))?;
    }
    if let Some(zone) = &flags.time_zone {
        preset.times.zone = parse_zone(zone).map_err(|m| usage("--time-zone", m))?;
        preset.zone_named = true;
    }
    if let Some(d) = &flags.delimiter {
        preset.delimiter = parse_delimiter(d).map_err(|m| usage("--delimiter", m))?;
    }
    Ok(())
}

/// A built-in preset's spec; `None` for an unknown name.
fn built_in(name: &str) -> Option<Result<PresetSpec>> {
    let (_, text) = BUILT_IN.iter().find(|(n, _)| *n == name)?;
    Some(parse_spec(Path::new(&format!("presets/{name}.toml")), text))
}

/// Parse a preset file.
pub fn parse_spec(path: &Path, text: &str) -> Result<PresetSpec> {
    toml::from_str(text).map_err(|e| Error::Invalid {
        path: path.to_path_buf(),
        line: e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
        message: e.message().to_string(),
        hint: "see docs/esp.md for the preset keys".into(),
    })
}

/// `own` over `base`: every key `own` sets wins; maps and vocabularies merge key by key.
fn merge(base: PresetSpec, own: PresetSpec) -> PresetSpec {
    let mut map = base.map;
    map.extend(own.map);
    let mut statuses = base.statuses;
    statuses.extend(own.statuses);
    PresetSpec {
        about: own.about.or(base.about),
        base: None,
        records: own.records.or(base.records),
        delimiter: own.delimiter.or(base.delimiter),
        time_format: own.time_format.or(base.time_format),
        time_zone: own.time_zone.or(base.time_zone),
        map,
        statuses,
        suppress_when: if own.suppress_when.is_empty() {
            base.suppress_when
        } else {
            own.suppress_when
        },
        aggregate: own.aggregate.or(base.aggregate),
        spam_rate: own.spam_rate.or(base.spam_rate),
    }
}

fn parse_zone(text: &str) -> std::result::Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("{text:?} is not an IANA time zone, e.g. Europe/Amsterdam or America/Chicago")
    })
}

fn parse_delimiter(text: &str) -> std::result::Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        one if one.len() == 1 && one.is_ascii() && !matches!(one, "\"" | "\r" | "\n") => {
            Ok(one.as_bytes()[0])
        }
        other => Err(format!(
            "{other:?} is not one separator character such as , ; or tab"
        )),
    }
}

fn unknown(name: &str, what: &str, names: &[String]) -> Error {
    let closest = names
        .iter()
        .min_by_key(|n| crate::text::edit_distance(n, name))
        .filter(|n| crate::text::edit_distance(n, name) <= 3)
        .map(|n| format!("did you mean {n:?}? "))
        .unwrap_or_default();
    Error::BadFlag {
        message: format!("{name:?} {what}"),
        hint: format!(
            "{closest}the presets are {}; a workspace defines its own under [input.presets.NAME] in incident.toml",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn presets() -> (BTreeMap<String, PresetSpec>, Tz) {
        (BTreeMap::new(), Tz::UTC)
    }

    #[test]
    fn the_presets_for_addresses_leave_the_stats_presets_out() {
        let (ws, zone) = presets();
        let p = Presets {
            workspace: &ws,
            zone,
        };
        let names = p.address_names();
        assert!(names.contains(&"sendgrid".to_string()), "{names:?}");
        assert!(names.contains(&"sfmc".to_string()), "{names:?}");
        for stats in [
            "sendgrid-stats",
            "ses-stats",
            "mailchimp-report",
            "postmaster",
        ] {
            assert!(!names.contains(&stats.to_string()), "{stats} in {names:?}");
        }
    }

    #[test]
    fn every_built_in_preset_parses() {
        let (ws, zone) = presets();
        let p = Presets {
            workspace: &ws,
            zone,
        };
        for (name, _) in BUILT_IN {
            let preset = p.resolve(Some(name), &Overrides::default()).expect(name);
            assert!(!preset.map.is_empty(), "{name}");
        }
        let sfmc = p
            .resolve(Some("sfmc"), &Overrides::default())
            .expect("sfmc");
        assert!(sfmc.zone_named);
        assert_eq!(sfmc.times.zone, "Etc/GMT+6".parse::<Tz>().expect("zone"));
    }

    #[test]
    fn a_workspace_preset_starts_from_its_base_and_flags_win() {
        let spec = parse_spec(
            Path::new("incident.toml"),
            "base = \"sendgrid\"\ntime_zone = \"Europe/Amsterdam\"\n[map]\ncampaign_id = \"unique_args.campaign\"\n",
        )
        .expect("parses");
        let mut ws = BTreeMap::new();
        ws.insert("ours".to_string(), spec);
        let p = Presets {
            workspace: &ws,
            zone: Tz::UTC,
        };
        let flags = Overrides {
            map: vec![Overrides::parse_map("status=event + type").expect("map")],
            ..Overrides::default()
        };
        let ours = p.resolve(Some("ours"), &flags).expect("resolves");
        assert_eq!(ours.map[&Field::CampaignId], ["unique_args.campaign"]);
        assert_eq!(ours.map[&Field::Email], ["email", "to_email"]);
        assert_eq!(ours.map[&Field::Status], ["event", "type"]);
        assert!(ours.vocabulary.is_some());
        let err = p.resolve(Some("sendgird"), &flags).unwrap_err();
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("did you mean \"sendgrid\"?")),
            "{err:?}"
        );
    }

    #[test]
    fn bad_flags_are_named() {
        assert!(
            Overrides::parse_map("emial=x")
                .unwrap_err()
                .contains("is not a field")
        );
        assert!(Overrides::parse_map("email").is_err());
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
    }
}
