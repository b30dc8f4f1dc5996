//! JSON exports: JSON lines (one object per line, streamed) and JSON documents (an array of
//! records, or an object holding one: an API page, read whole). Fields are found by dotted
//! paths (`mail.tags.campaign`); a path through an array takes every element
//! (`bounce.bouncedRecipients.emailAddress`), so one record can name several addresses. A
//! JSON:API document (`data` with `included`, as Klaviyo's) resolves a relationship as if the
//! included resource were inside the record: `profile.attributes.email`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::source::Opened;
use crate::config::FileFormat;
use crate::error::{Error, Result};

/// The longest line of JSON lines, and the largest JSON document, accepted: past these a file
/// is not an export but a mistake, and reading on would hold it all in memory.
const MAX_LINE: usize = 16 << 20;
const MAX_DOCUMENT: u64 = 512 << 20;

/// One record, and the document's included resources when it has them.
pub struct Record<'a> {
    value: &'a Value,
    included: Option<&'a Included>,
    /// The line it is on (JSON lines), or its number in the document.
    pub place: Place,
}

/// Where a record is, for an error.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Line(usize),
    Item(usize),
}

impl Place {
    /// The line, when the record is on one (JSON lines).
    pub fn line(self) -> Option<usize> {
        match self {
            Place::Line(line) => Some(line),
            Place::Item(_) => None,
        }
    }

    /// What an error message starts with beside its file and line: `record 3: ` for a record
    /// of a document, nothing for one on its own line (the line says where).
    pub fn prefix(self) -> String {
        match self {
            Place::Line(_) => String::new(),
            Place::Item(item) => format!("record {item}: "),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Line(line) => write!(f, "line {line}"),
            Place::Item(item) => write!(f, "record {item}"),
        }
    }
}

/// Included resources of a JSON:API document, by type and id.
type Included = HashMap<(String, String), Value>;

impl Record<'_> {
    /// Every scalar at a dotted path, arrays flattened, as text.
    pub fn texts(&self, path: &str) -> Vec<String> {
        let mut found = Vec::new();
        let parts: Vec<&str> = path.split('.').collect();
        self.collect(self.value, &parts, &mut found);
        found.iter().filter_map(|v| scalar(v)).collect()
    }

    /// The first scalar at a dotted path.
    pub fn text(&self, path: &str) -> Option<String> {
        self.texts(path).into_iter().next()
    }

    /// Whether a path holds something: a scalar that is not empty or false, or a non-empty
    /// array or object.
    pub fn holds(&self, path: &str) -> bool {
        let mut found = Vec::new();
        let parts: Vec<&str> = path.split('.').collect();
        self.collect(self.value, &parts, &mut found);
        found.iter().any(|v| truthy(v))
    }

    /// Whether a path leads anywhere, even to null or an empty list.
    pub fn exists(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('.').collect();
        self.reaches(self.value, &parts)
    }

    fn reaches(&self, value: &Value, parts: &[&str]) -> bool {
        let Some((first, rest)) = parts.split_first() else {
            return true;
        };
        match value {
            Value::Array(items) => items.iter().any(|item| self.reaches(item, parts)),
            Value::Object(map) => match map.get(*first) {
                Some(next) => self.reaches(next, rest),
                None => self
                    .related(value, first)
                    .is_some_and(|resource| self.reaches(resource, rest)),
            },
            _ => false,
        }
    }

    /// The keys of the record's top level, for a header-like mapping.
    pub fn keys(&self) -> Vec<String> {
        self.value
            .as_object()
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn collect<'v>(&'v self, value: &'v Value, parts: &[&str], out: &mut Vec<&'v Value>) {
        let Some((first, rest)) = parts.split_first() else {
            match value {
                Value::Array(items) => out.extend(items.iter()),
                other => out.push(other),
            }
            return;
        };
        match value {
            Value::Array(items) => {
                for item in items {
                    self.collect(item, parts, out);
                }
            }
            Value::Object(map) => match map.get(*first) {
                Some(next) => self.collect(next, rest, out),
                None => {
                    if let Some(resource) = self.related(value, first) {
                        self.collect(resource, rest, out);
                    }
                }
            },
            _ => {}
        }
    }

    /// The included resource a JSON:API relationship of `value` names.
    fn related(&self, value: &Value, name: &str) -> Option<&Value> {
        let data = value.get("relationships")?.get(name)?.get("data")?;
        let key = (
            data.get("type")?.as_str()?.to_string(),
            data.get("id")?.as_str()?.to_string(),
        );
        self.included?.get(&key)
    }
}

/// A scalar as text; `None` for null, arrays and objects.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => crate::input::is_true(s),
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// Call `visit` on every record of a JSON input, until it returns `Ok(false)`. `records`
/// are the dotted paths where an API page keeps its records (detected in a document when
/// empty).
pub fn for_each(
    opened: Opened,
    records: &[String],
    mut visit: impl FnMut(&Record<'_>) -> Result<bool>,
) -> Result<()> {
    let name = opened.name.clone();
    match opened.format {
        FileFormat::Jsonl => lines(&name, opened.reader, records, &mut visit),
        _ => document(&name, opened.reader, records, &mut visit),
    }
}

fn lines(
    name: &Path,
    reader: Box<dyn Read + Send>,
    records: &[String],
    visit: &mut impl FnMut(&Record<'_>) -> Result<bool>,
) -> Result<()> {
    let mut input = BufReader::with_capacity(1 << 20, reader);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let n = (&mut input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io("cannot read", name, e))?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        if line.len() > MAX_LINE {
            return Err(invalid(
                name,
                number,
                format!("a line runs on for more than {} MiB", MAX_LINE >> 20),
                "JSON lines hold one record per line; this file is not that",
            ));
        }
        let text = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line);
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value: Value = serde_json::from_slice(text).map_err(|e| {
            invalid(
                name,
                number,
                format!("not JSON: {e}"),
                "each line of JSON lines is one JSON object",
            )
        })?;
        // A line is one record, unless it is a page that holds them where the preset says
        // (an API response saved one per line).
        let (items, included) = match records {
            [] => (vec![&value], None),
            _ => (items_of(name, &value, records)?, included(&value)),
        };
        for item in items {
            let record = Record {
                value: item,
                included: included.as_ref(),
                place: Place::Line(number),
            };
            if !visit(&record)? {
                return Ok(());
            }
        }
    }
}

fn document(
    name: &Path,
    reader: Box<dyn Read + Send>,
    records: &[String],
    visit: &mut impl FnMut(&Record<'_>) -> Result<bool>,
) -> Result<()> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOCUMENT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("cannot read", name, e))?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(Error::Invalid {
            path: name.to_path_buf(),
            line: None,
            message: format!("is a JSON document of more than {} MiB", MAX_DOCUMENT >> 20),
            hint: "export it as JSON lines (one record per line), which is read as it streams"
                .into(),
        });
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // One document, or several one after another (API pages saved in turn).
    let mut item = 0;
    for value in serde_json::Deserializer::from_slice(text).into_iter::<Value>() {
        let value = value.map_err(|e| Error::Invalid {
            path: name.to_path_buf(),
            line: Some(e.line()),
            message: format!("not JSON: {e}"),
            hint: "export the file again; a JSON document must be complete".into(),
        })?;
        let included = included(&value);
        for record in items_of(name, &value, records)? {
            item += 1;
            let record = Record {
                value: record,
                included: included.as_ref(),
                place: Place::Item(item),
            };
            if !visit(&record)? {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// The records of a value: the array at the first of `records` it has, else the value itself
/// when a preset names where records are; else the value itself when it is an array;
/// else the one array of objects it holds (an API page: `items`, `events`, `data`…, beside
/// `_links` and `included`); else the value, as one record. Two candidate arrays are an error:
/// reading the wrong one gives a wrong list.
fn items_of<'v>(name: &Path, value: &'v Value, records: &[String]) -> Result<Vec<&'v Value>> {
    let at = |path: &String| {
        path.split('.')
            .try_fold(value, |found, part| found.get(part))
    };
    if !records.is_empty() {
        return Ok(match records.iter().find_map(at) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => vec![value],
        });
    }
    let map = match value {
        Value::Array(items) => return Ok(items.iter().collect()),
        Value::Object(map) => map,
        other => return Ok(vec![other]),
    };
    let arrays: Vec<(&String, &Vec<Value>)> = map
        .iter()
        .filter(|(key, _)| !key.starts_with('_') && !matches!(key.as_str(), "included" | "links"))
        .filter_map(|(key, v)| Some((key, v.as_array()?)))
        .filter(|(_, a)| a.first().is_some_and(Value::is_object))
        .collect();
    match arrays.as_slice() {
        [] => Ok(vec![value]),
        [(_, only)] => Ok(only.iter().collect()),
        several => {
            let keys: Vec<String> = several.iter().map(|(k, _)| format!("`{k}`")).collect();
            Err(Error::Invalid {
                path: name.to_path_buf(),
                line: None,
                message: format!(
                    "the document holds several lists of records ({}), and reading the wrong one gives a wrong list",
                    keys.join(", ")
                ),
                hint: "name the list with `records = \"KEY\"` in a preset of your own ([input.presets.NAME] in incident.toml, with `base` the ESP's preset)".into(),
            })
        }
    }
}

/// A JSON:API document's `included` resources by type and id.
fn included(value: &Value) -> Option<Included> {
    let items = value.get("included")?.as_array()?;
    Some(
        items
            .iter()
            .filter_map(|item| {
                let key = (
                    item.get("type")?.as_str()?.to_string(),
                    item.get("id")?.as_str()?.to_string(),
                );
                Some((key, item.clone()))
            })
            .collect(),
    )
}

fn invalid(name: &Path, line: usize, message: String, hint: &str) -> Error {
    Error::Invalid {
        path: name.to_path_buf(),
        line: Some(line),
        message,
        hint: hint.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read(text: &str, records: Option<&str>, path: &str) -> Result<Vec<Vec<String>>> {
        let records: Vec<String> = records.map(str::to_string).into_iter().collect();
        let mut file = tempfile::NamedTempFile::new().expect("temp");
        file.write_all(text.as_bytes()).expect("write");
        let opened = crate::input::source::open(file.path(), "")?;
        let mut out = Vec::new();
        for_each(opened, &records, |r| {
            out.push(r.texts(path));
            Ok(true)
        })?;
        Ok(out)
    }

    #[test]
    fn paths_go_through_objects_and_arrays() {
        let ses =
            "{\"mail\":{\"destination\":[\"a@x.y\",\"b@x.y\"],\"tags\":{\"campaign\":[\"bf\"]}}}\n";
        assert_eq!(
            read(ses, None, "mail.destination").expect("ok"),
            [vec!["a@x.y", "b@x.y"]]
        );
        assert_eq!(
            read(ses, None, "mail.tags.campaign").expect("ok"),
            [vec!["bf"]]
        );
        let bounced = "{\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"c@x.y\"}]}}";
        assert_eq!(
            read(bounced, None, "bounce.bouncedRecipients.emailAddress").expect("ok"),
            [vec!["c@x.y"]]
        );
        let float = "{\"timestamp\":1795168805.137321}";
        assert_eq!(
            read(float, None, "timestamp").expect("ok"),
            [vec!["1795168805.137321"]]
        );
    }

    #[test]
    fn a_page_is_read_for_its_records_and_json_api_relationships_are_followed() {
        let page = r#"{"data":[{"type":"event","id":"e1","attributes":{"datetime":"2026-11-20T10:00:09+00:00"},
            "relationships":{"profile":{"data":{"type":"profile","id":"p1"}}}}],
            "included":[{"type":"profile","id":"p1","attributes":{"email":"Alice@Example.com"}}],
            "links":{"next":null}}"#;
        assert_eq!(
            read(page, None, "profile.attributes.email").expect("ok"),
            [vec!["Alice@Example.com"]]
        );
        let wrapped = r#"{"SuppressedDestinationSummaries":[{"EmailAddress":"a@x.y"},{"EmailAddress":"b@x.y"}],"NextToken":null}"#;
        assert_eq!(read(wrapped, None, "EmailAddress").expect("ok").len(), 2);
        assert_eq!(
            read(
                wrapped,
                Some("SuppressedDestinationSummaries"),
                "EmailAddress"
            )
            .expect("ok"),
            [vec!["a@x.y"], vec!["b@x.y"]]
        );
    }

    #[test]
    fn links_beside_the_records_are_not_records_and_pages_may_follow_each_other() {
        let page = |email: &str| {
            format!(
                "{{\n\"sent_to\":[{{\"email_address\":\"{email}\",\"_links\":[]}}],\n\"_links\":[{{\"rel\":\"self\"}}]}}\n"
            )
        };
        let two = format!("{}{}", page("a@x.y"), page("b@x.y"));
        assert_eq!(
            read(&two, None, "email_address").expect("ok"),
            [vec!["a@x.y"], vec!["b@x.y"]]
        );
        let err = read("{\"a\":[{\"x\":1}],\"b\":[{\"x\":2}]}", None, "x").unwrap_err();
        assert!(
            err.to_string()
                .contains("several lists of records (`a`, `b`)"),
            "{err}"
        );
    }

    #[test]
    fn a_broken_line_names_its_number() {
        let err = read("{\"a\":1}\n\n{\"a\":\n", None, "a")
            .unwrap_err()
            .to_string();
        assert!(err.contains(":3: not JSON"), "{err}");
    }
}
