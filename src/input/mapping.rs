//! Which column (or JSON key) fills each field. A preset or `--map` names it; otherwise the
//! header is read: names are compared ignoring case, spaces, `_`, `-` and `.`, and the names
//! ESPs use for each field are known (`Email Address`, `EmailAddress`, `recipient`, …). When
//! two columns could fill one field (SendGrid's `event` and `status`), the mapping is refused
//! and both are named: a guess there is a wrong list.

use std::path::Path;

use super::preset::Preset;
use crate::config::Field;
use crate::error::{Error, Result};

/// A header name as compared: lowercase, without spaces, `_`, `-` and `.`.
pub fn normalize(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The names ESPs give a field, normalized (see docs/esp.md, "Header names").
pub fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
        Field::Email => &[
            "email",
            "emailaddress",
            "recipient",
            "recipientemail",
            "toemail",
            "emailaddr",
            "subscriberemail",
            "contactemail",
        ],
        Field::CampaignId => &[
            "campaignid",
            "campaign",
            "marketingcampaignid",
            "sendid",
            "jobid",
            "campid",
            "emailcampaignid",
        ],
        Field::Segment => &[
            "segment",
            "segmentname",
            "list",
            "listname",
            "listid",
            "audience",
        ],
        Field::SentAt => &[
            "sentat",
            "senttime",
            "sendtime",
            "sentdate",
            "senddate",
            "timestamp",
            "eventdate",
            "eventtime",
            "datetime",
            "created",
            "createdat",
        ],
        Field::Status => &[
            "status",
            "event",
            "eventtype",
            "eventname",
            "recordtype",
            "deliverystatus",
        ],
        Field::SubscriberId => &[
            "subscriberid",
            "subscriberkey",
            "contactid",
            "profileid",
            "memberid",
        ],
        Field::Date => &["date", "day", "senddate", "sendtime", "timestamp"],
        Field::Sent => &[
            "sent",
            "requests",
            "emailssent",
            "deliveryattempts",
            "totalrecipients",
        ],
        Field::Delivered => &["delivered", "deliveries", "successfuldeliveries"],
        Field::Bounces => &["bounces", "bounced", "totalbounces"],
        Field::Complaints => &[
            "complaints",
            "spamreports",
            "spamcomplaints",
            "abusecomplaints",
            "abusereports",
        ],
        Field::Unsubscribes => &["unsubscribes", "unsubscribed", "optouts", "unsubs"],
        Field::InboxPlacement => &["inboxplacement", "inboxrate"],
        Field::SpamRate => &["spamrate", "userreportedspamratio", "spamratio"],
    }
}

/// How much a reader needs a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Missing is an error, saying why it is needed.
    Required(&'static str),
    /// Used when there.
    Optional,
}

/// A field's place: the columns (or JSON paths) read, as named in the file. Several for a
/// status read from more than one column, or for a sum or difference of columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub field: Field,
    /// Column indexes, for CSV; empty for JSON.
    pub columns: Vec<usize>,
    /// The names (CSV) or paths (JSON) as the file writes them.
    pub names: Vec<String>,
    /// For stats: the sign of each term of a sum or difference (`+1` or `-1`).
    pub signs: Vec<i8>,
}

impl Mapped {
    /// `email ← "Email Address"`, `status ← "event" + "type"`.
    pub fn describe(&self) -> String {
        let mut text = format!("{} ← ", self.field);
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                let joiner = match self.signs.get(i) {
                    Some(-1) => " − ",
                    _ => " + ",
                };
                text.push_str(joiner);
            }
            text.push_str(&format!("{name:?}"));
        }
        text
    }
}

/// The columns of a CSV header that fill `wants`. A field the header lacks is left out, or is
/// an error when required.
/// `line` is the header's (`None` for a JSON record's keys), for errors.
pub fn columns(
    path: &Path,
    line: Option<usize>,
    header: &[String],
    preset: &Preset,
    wants: &[(Field, Need)],
) -> Result<Vec<Mapped>> {
    let keys: Vec<String> = header.iter().map(|h| normalize(h)).collect();
    let mut found = Vec::new();
    for &(field, need) in wants {
        let mapped = match preset
            .map
            .get(&field)
            .map(|c| named(field, c, &keys, header))
        {
            Some(Some(found)) => Some(found),
            // A plain file beside the ESP's own (an `email` list of your own) is still read by
            // its header; never a status, where the wrong column gives a wrong list, and never
            // what `--map` named.
            Some(None) if field == Field::Status || preset.mapped.contains(&field) => None,
            _ => detected(path, line, field, &keys, header)?,
        };
        match (mapped, need) {
            (Some(m), _) => found.push(m),
            (None, Need::Optional) => {}
            (None, Need::Required(why)) => {
                return Err(missing(path, line, field, why, header, preset));
            }
        }
    }
    Ok(found)
}

/// The paths a JSON field is read from: the preset's candidates, then the record's top-level
/// key named for the field (but for a status); empty when there are none.
pub fn paths(path: &Path, keys: &[String], preset: &Preset, field: Field) -> Result<Vec<String>> {
    let mut paths = preset.map.get(&field).cloned().unwrap_or_default();
    if paths.is_empty() || (field != Field::Status && !preset.mapped.contains(&field)) {
        let bare = Preset {
            map: Default::default(),
            ..preset.clone()
        };
        let named = columns(path, None, keys, &bare, &[(field, Need::Optional)])?;
        for name in named.first().map(|m| m.names.clone()).unwrap_or_default() {
            if !paths.contains(&name) {
                paths.push(name);
            }
        }
    }
    Ok(paths)
}

/// A field as the preset or `--map` names it: the first candidate the header has (for a
/// status, every candidate it has, joined; for a stat, a sum or difference of columns).
fn named(
    field: Field,
    candidates: &[String],
    keys: &[String],
    header: &[String],
) -> Option<Mapped> {
    let position = |name: &str| keys.iter().position(|k| *k == normalize(name));
    if field == Field::Status {
        let columns: Vec<usize> = candidates.iter().filter_map(|c| position(c)).collect();
        return (!columns.is_empty()).then(|| Mapped {
            field,
            names: columns.iter().map(|&c| header[c].clone()).collect(),
            signs: vec![1; columns.len()],
            columns,
        });
    }
    candidates.iter().find_map(|candidate| {
        let terms = terms(candidate);
        let columns: Option<Vec<usize>> = terms.iter().map(|(_, t)| position(t)).collect();
        let columns = columns?;
        Some(Mapped {
            field,
            names: columns.iter().map(|&c| header[c].clone()).collect(),
            signs: terms.iter().map(|(s, _)| *s).collect(),
            columns,
        })
    })
}

/// The terms of `a + b - c`, each with its sign; a name alone is one term.
pub fn terms(candidate: &str) -> Vec<(i8, String)> {
    let mut terms = Vec::new();
    let mut sign = 1;
    let mut rest = candidate;
    loop {
        let next = [(" + ", 1i8), (" - ", -1i8)]
            .iter()
            .filter_map(|(op, s)| rest.find(op).map(|at| (at, op.len(), *s)))
            .min_by_key(|(at, _, _)| *at);
        match next {
            Some((at, len, s)) => {
                terms.push((sign, rest[..at].trim().to_string()));
                sign = s;
                rest = &rest[at + len..];
            }
            None => {
                terms.push((sign, rest.trim().to_string()));
                return terms;
            }
        }
    }
}

/// A field found by its name alone. Two columns that both could be it are refused.
fn detected(
    path: &Path,
    line: Option<usize>,
    field: Field,
    keys: &[String],
    header: &[String],
) -> Result<Option<Mapped>> {
    let names = synonyms(field);
    let matching: Vec<usize> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| names.contains(&k.as_str()))
        .map(|(i, _)| i)
        .collect();
    match matching.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(Mapped {
            field,
            columns: vec![*one],
            names: vec![header[*one].clone()],
            signs: vec![1],
        })),
        several => {
            let listed: Vec<String> = several
                .iter()
                .map(|&i| format!("{:?}", header[i]))
                .collect();
            Err(Error::Invalid {
                path: path.to_path_buf(),
                line,
                message: format!(
                    "both {} could be the {field} column, and reading the wrong one gives a wrong list",
                    listed.join(" and ")
                ),
                hint: format!(
                    "say which with --map {field}=COLUMN (e.g. --map {field}={:?}), or use the ESP's --preset",
                    header[several[0]]
                ),
            })
        }
    }
}

/// The error for a field a file does not have: the names it does have, the closest one, and
/// the preset the file looks like.
fn missing(
    path: &Path,
    line: Option<usize>,
    field: Field,
    why: &str,
    header: &[String],
    preset: &Preset,
) -> Error {
    let listed: Vec<String> = header
        .iter()
        .map(|n| format!("`{}`", n.escape_debug()))
        .collect();
    let wanted = preset
        .map
        .get(&field)
        .cloned()
        .unwrap_or_else(|| synonyms(field).iter().map(|s| s.to_string()).collect());
    let closest = header
        .iter()
        .min_by_key(|h| {
            wanted
                .iter()
                .map(|w| crate::text::edit_distance(&normalize(h), &normalize(w)))
                .min()
                .unwrap_or(usize::MAX)
        })
        .filter(|h| {
            wanted
                .iter()
                .any(|w| crate::text::edit_distance(&normalize(h), &normalize(w)) <= 3)
        });
    let hint = match (separator_guess(header), looks_like_preset(header), closest) {
        // `--map` names a column for every file of the call: this one needs its own preset.
        _ if preset.mapped.contains(&field) => format!(
            "--map {field}=… names the column in every file of the command; give this file its own preset as PRESET:FILE (a workspace preset in [input.presets.NAME] of incident.toml)"
        ),
        (Some(sep), _, _) => format!(
            "the header looks separated by {sep}: pass --delimiter '{}' (or export it as comma-separated CSV)",
            if sep == "tabs" { "tab" } else { ";" }
        ),
        (None, Some(esp), _) if preset.name.is_none() => {
            format!("this looks like a {esp} export: pass --preset {esp}")
        }
        (None, _, Some(close)) => {
            format!("did you mean {close:?}? Say so with --map {field}={close:?}")
        }
        _ => format!(
            "name the column with --map {field}=COLUMN, or use the ESP's --preset (`incident audience --help` lists them)"
        ),
    };
    let wanted_text = if preset.mapped.contains(&field) {
        format!("--map names {}", wanted.join(" or "))
    } else if preset.map.contains_key(&field) {
        format!("the preset reads it from {}", wanted.join(" or "))
    } else {
        why.to_string()
    };
    Error::Invalid {
        path: path.to_path_buf(),
        line,
        message: format!(
            "no `{field}` column ({wanted_text}); the columns are {}",
            listed.join(", ")
        ),
        hint,
    }
}

/// A single header cell holding semicolons or tabs: an export from a spreadsheet set up for a
/// locale that separates with `;` (Dutch, German) or a TSV file.
fn separator_guess(names: &[String]) -> Option<&'static str> {
    match names {
        [only] if only.contains(';') => Some("semicolons"),
        [only] if only.contains('\t') => Some("tabs"),
        _ => None,
    }
}

/// The ESP whose export has these column or key names, told by names only it uses.
pub fn looks_like_preset(names: &[String]) -> Option<&'static str> {
    let has = |n: &str| names.iter().any(|k| normalize(k) == n);
    let signatures: [(&str, &[&str]); 9] = [
        (
            "sendgrid",
            &["sgeventid", "sgmessageid", "marketingcampaignid"],
        ),
        ("sfmc", &["sendid", "subscriberkey"]),
        ("ses", &["eventtype", "mail"]),
        ("postmark", &["recordtype"]),
        ("mailgun", &["recipientdomain", "uservariables"]),
        ("mailchimp", &["emailid", "emailaddress"]),
        ("brevo", &["campid", "tssent"]),
        ("hubspot", &["emailcampaignid"]),
        ("klaviyo", &["included"]),
    ];
    signatures
        .iter()
        .find(|(_, keys)| keys.iter().any(|k| has(k)))
        .map(|(esp, _)| *esp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::preset::{Overrides, Presets};

    fn no_preset() -> Preset {
        let ws = Default::default();
        Presets {
            workspace: &ws,
            zone: chrono_tz::Tz::UTC,
        }
        .resolve(None, &Overrides::default())
        .expect("none")
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_names_are_compared_loosely_and_known_synonyms_are_found() {
        let h = header(&[" Email Address ", "Campaign ID", "Sent_At", "STATUS"]);
        let wants = [
            (Field::Email, Need::Required("it lists addresses")),
            (Field::CampaignId, Need::Optional),
            (Field::SentAt, Need::Optional),
            (Field::Status, Need::Optional),
        ];
        let mapped = columns(Path::new("s.csv"), Some(1), &h, &no_preset(), &wants).expect("maps");
        let described: Vec<String> = mapped.iter().map(Mapped::describe).collect();
        assert_eq!(
            described,
            [
                "email ← \" Email Address \"",
                "campaign_id ← \"Campaign ID\"",
                "sent_at ← \"Sent_At\"",
                "status ← \"STATUS\""
            ]
        );
        for name in ["EmailAddress", "recipient", "e-mail"] {
            let m = columns(
                Path::new("s.csv"),
                Some(1),
                &header(&[name]),
                &no_preset(),
                &wants[..1],
            );
            assert!(m.is_ok(), "{name}");
        }
    }

    #[test]
    fn two_candidates_for_one_field_are_refused_and_named() {
        let h = header(&["email", "timestamp", "event", "status", "sg_event_id"]);
        let err = columns(
            Path::new("sendgrid.csv"),
            Some(1),
            &h,
            &no_preset(),
            &[(Field::Status, Need::Optional)],
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("both \"event\" and \"status\" could be the status column"),
            "{text}"
        );
        assert!(err.hint().is_some_and(|h| h.contains("--map status=")));
    }

    #[test]
    fn a_missing_column_names_the_closest_and_the_preset_it_looks_like() {
        let err = columns(
            Path::new("x.csv"),
            Some(1),
            &header(&["EmailAddr3ss", "Campaign"]),
            &no_preset(),
            &[(Field::Email, Need::Required("the send log lists addresses"))],
        )
        .unwrap_err();
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("did you mean \"EmailAddr3ss\"")),
            "{err:?}"
        );
        let err = columns(
            Path::new("x.csv"),
            Some(1),
            &header(&["ClientID", "SendID", "SubscriberKey", "Mail"]),
            &no_preset(),
            &[(Field::Email, Need::Required("the send log lists addresses"))],
        )
        .unwrap_err();
        assert!(
            err.hint().is_some_and(|h| h.contains("--preset sfmc")),
            "{err:?}"
        );
    }

    #[test]
    fn sums_and_differences_are_split_into_terms() {
        assert_eq!(
            terms("emails_sent - bounces.hard_bounces - bounces.soft_bounces"),
            [
                (1, "emails_sent".to_string()),
                (-1, "bounces.hard_bounces".to_string()),
                (-1, "bounces.soft_bounces".to_string())
            ]
        );
        assert_eq!(terms("smtp-id"), [(1, "smtp-id".to_string())]);
    }
}
