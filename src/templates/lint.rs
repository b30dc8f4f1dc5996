//! Linting templates for `incident check`: each names only the variables (and fields) its
//! family is given, read from the family's [`Schema`] — the serialized shape of the typed
//! context the renderer passes — and a workspace template overrides something real.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::{BUILT_IN, Origin, Templates};
use crate::error::{Error, Result};
use crate::text::{edit_distance, is_locale};

/// What the templates of one family (a folder: `email/`, `report/`) are given: an example of
/// their context as JSON, every optional part filled in.
pub struct Schema(pub Value);

impl Schema {
    /// The top-level variables.
    fn variables(&self) -> Vec<&str> {
        self.object(&[])
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The object at a dotted path, when there is one.
    fn object(&self, path: &[&str]) -> Option<&serde_json::Map<String, Value>> {
        let mut value = &self.0;
        for part in path {
            value = value.get(part)?;
        }
        value.as_object()
    }
}

impl Templates {
    /// Check one template against its family's schema: its variables, the fields it reads of
    /// them, and (for a workspace template) that it overrides something. Returns the line
    /// `incident check` shows when it passes.
    pub fn lint(&self, name: &str, schema: Option<&Schema>) -> Result<String> {
        let origin = self.origins.get(name).cloned().unwrap_or(Origin::BuiltIn);
        let path = template_path(name, &origin);
        let variables = self.variables(name)?;
        let Some(schema) = schema else {
            self.check_overrides(name, &origin)?;
            return Ok(path.display().to_string());
        };
        let known = schema.variables();
        let unknown: Vec<&str> = variables
            .iter()
            .map(String::as_str)
            .filter(|v| !known.contains(v))
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Invalid {
                path,
                line: None,
                message: format!(
                    "the template names unknown variable(s): {}",
                    unknown.join(", ")
                ),
                hint: format!(
                    "templates in {}/ can use: {}",
                    name.split('/').next().unwrap_or_default(),
                    known.join(", ")
                ),
            });
        }
        self.check_fields(name, &path, schema)?;
        self.check_overrides(name, &origin)?;
        Ok(format!("{} (template)", path.display()))
    }

    /// The fields a template reads of the variables that are objects (`brand.name`), each
    /// checked against the fields that object has: Tera lists only the variables themselves.
    fn check_fields(&self, name: &str, path: &Path, schema: &Schema) -> Result<()> {
        static TAG: LazyLock<Option<Regex>> =
            LazyLock::new(|| Regex::new(r#"(?s)\{\{.*?\}\}|\{%.*?%\}"#).ok());
        static STRING: LazyLock<Option<Regex>> =
            LazyLock::new(|| Regex::new(r#""[^"]*"|'[^']*'"#).ok());
        static DOTTED: LazyLock<Option<Regex>> = LazyLock::new(|| {
            Regex::new(r"\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+").ok()
        });
        let (Some(source), Some(tag), Some(string), Some(dotted)) = (
            self.source(name),
            TAG.as_ref(),
            STRING.as_ref(),
            DOTTED.as_ref(),
        ) else {
            return Ok(());
        };
        for found in tag.find_iter(source) {
            let code = string.replace_all(found.as_str(), "\"\"");
            for reference in dotted.find_iter(&code) {
                let parts: Vec<&str> = reference.as_str().split('.').collect();
                for depth in 1..parts.len() {
                    // A loop variable or a scalar has no fields to check.
                    let Some(fields) = schema.object(&parts[..depth]) else {
                        break;
                    };
                    if fields.contains_key(parts[depth]) {
                        continue;
                    }
                    let line = source[..found.start()].matches('\n').count() + 1;
                    let parent = parts[..depth].join(".");
                    let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                    return Err(Error::Invalid {
                        path: path.to_path_buf(),
                        line: Some(line),
                        message: format!(
                            "the template names the unknown field {parent}.{}",
                            parts[depth]
                        ),
                        hint: format!("{parent} has: {}", known.join(", ")),
                    });
                }
            }
        }
        Ok(())
    }

    /// A workspace template only takes effect under a name the product renders: a built-in's,
    /// a body or part for another locale, or one another template includes. Any other name (a
    /// typo such as `mistak.en.html`) would silently change nothing.
    fn check_overrides(&self, name: &str, origin: &Origin) -> Result<()> {
        if *origin == Origin::BuiltIn {
            return Ok(());
        }
        let built_in: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        // Another locale's file: the built-in name with its locale swapped.
        let as_english = name.rsplitn(3, '.').collect::<Vec<_>>();
        let other_locale = match as_english.as_slice() {
            [ext, locale, stem] => {
                is_locale(locale) && built_in.contains(&format!("{stem}.en.{ext}").as_str())
            }
            _ => false,
        };
        let included = self
            .origins()
            .keys()
            .filter(|other| other.as_str() != name)
            .filter_map(|other| self.source(other))
            .any(|text| {
                text.contains(&format!("\"{name}\"")) || text.contains(&format!("'{name}'"))
            });
        if built_in.contains(&name) || other_locale || included {
            return Ok(());
        }
        let closest = built_in
            .iter()
            .min_by_key(|b| edit_distance(b, name))
            .map(|b| format!("did you mean templates/{b}? "))
            .unwrap_or_default();
        Err(Error::Invalid {
            path: template_path(name, origin),
            line: None,
            message: "this template overrides nothing: no built-in template has this name, and no template includes it".into(),
            hint: format!(
                "{closest}a workspace template replaces the built-in one of the same name (`incident init` copies them)"
            ),
        })
    }
}

/// Where a template is, as `incident check` names it.
fn template_path(name: &str, origin: &Origin) -> PathBuf {
    match origin {
        Origin::Workspace(path) => path.clone(),
        Origin::BuiltIn => Path::new("templates").join(name),
    }
}
