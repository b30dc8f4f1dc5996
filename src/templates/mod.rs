//! Tera templates: the built-in ones embedded in the binary, each overridable file by file by
//! the workspace's `templates/` folder (the same relative name wins). HTML templates end in
//! `.html`, which is what turns Tera's autoescaping on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

mod lint;

pub use lint::Schema;

/// The built-in templates by relative name.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "email/base.html",
        include_str!("../../templates/email/base.html"),
    ),
    (
        "email/base.txt",
        include_str!("../../templates/email/base.txt"),
    ),
    (
        "email/mistake.en.html",
        include_str!("../../templates/email/mistake.en.html"),
    ),
    (
        "email/mistake.en.txt",
        include_str!("../../templates/email/mistake.en.txt"),
    ),
    (
        "email/mistake.nl.html",
        include_str!("../../templates/email/mistake.nl.html"),
    ),
    (
        "email/mistake.nl.txt",
        include_str!("../../templates/email/mistake.nl.txt"),
    ),
    (
        "email/breach.en.html",
        include_str!("../../templates/email/breach.en.html"),
    ),
    (
        "email/breach.en.txt",
        include_str!("../../templates/email/breach.en.txt"),
    ),
    (
        "email/breach.nl.html",
        include_str!("../../templates/email/breach.nl.html"),
    ),
    (
        "email/breach.nl.txt",
        include_str!("../../templates/email/breach.nl.txt"),
    ),
    (
        "email/parts/mistake-lede.en.txt",
        include_str!("../../templates/email/parts/mistake-lede.en.txt"),
    ),
    (
        "email/parts/mistake-means.en.txt",
        include_str!("../../templates/email/parts/mistake-means.en.txt"),
    ),
    (
        "email/parts/stopped.en.txt",
        include_str!("../../templates/email/parts/stopped.en.txt"),
    ),
    (
        "email/parts/breach-nature.en.txt",
        include_str!("../../templates/email/parts/breach-nature.en.txt"),
    ),
    (
        "email/parts/breach-access.en.txt",
        include_str!("../../templates/email/parts/breach-access.en.txt"),
    ),
    (
        "email/parts/breach-data.en.txt",
        include_str!("../../templates/email/parts/breach-data.en.txt"),
    ),
    (
        "email/parts/breach-consequences.en.txt",
        include_str!("../../templates/email/parts/breach-consequences.en.txt"),
    ),
    (
        "email/parts/mistake-lede.nl.txt",
        include_str!("../../templates/email/parts/mistake-lede.nl.txt"),
    ),
    (
        "email/parts/mistake-means.nl.txt",
        include_str!("../../templates/email/parts/mistake-means.nl.txt"),
    ),
    (
        "email/parts/stopped.nl.txt",
        include_str!("../../templates/email/parts/stopped.nl.txt"),
    ),
    (
        "email/parts/breach-nature.nl.txt",
        include_str!("../../templates/email/parts/breach-nature.nl.txt"),
    ),
    (
        "email/parts/breach-access.nl.txt",
        include_str!("../../templates/email/parts/breach-access.nl.txt"),
    ),
    (
        "email/parts/breach-data.nl.txt",
        include_str!("../../templates/email/parts/breach-data.nl.txt"),
    ),
    (
        "email/parts/breach-consequences.nl.txt",
        include_str!("../../templates/email/parts/breach-consequences.nl.txt"),
    ),
    (
        "email/parts/breach-dates.en.txt",
        include_str!("../../templates/email/parts/breach-dates.en.txt"),
    ),
    (
        "email/parts/breach-dates.nl.txt",
        include_str!("../../templates/email/parts/breach-dates.nl.txt"),
    ),
    (
        "email/parts/reason.en.txt",
        include_str!("../../templates/email/parts/reason.en.txt"),
    ),
    (
        "email/parts/reason.nl.txt",
        include_str!("../../templates/email/parts/reason.nl.txt"),
    ),
    (
        "email/parts/breach-measures.en.txt",
        include_str!("../../templates/email/parts/breach-measures.en.txt"),
    ),
    (
        "email/parts/breach-measures.nl.txt",
        include_str!("../../templates/email/parts/breach-measures.nl.txt"),
    ),
    (
        "email/parts/compensation.en.txt",
        include_str!("../../templates/email/parts/compensation.en.txt"),
    ),
    (
        "email/parts/compensation.nl.txt",
        include_str!("../../templates/email/parts/compensation.nl.txt"),
    ),
    (
        "report/report.md",
        include_str!("../../templates/report/report.md"),
    ),
    (
        "report/report.html",
        include_str!("../../templates/report/report.html"),
    ),
    (
        "report/chart.html",
        include_str!("../../templates/report/chart.html"),
    ),
    (
        "report/summary.md",
        include_str!("../../templates/report/summary.md"),
    ),
    (
        "report/summary.html",
        include_str!("../../templates/report/summary.html"),
    ),
];

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    Workspace(PathBuf),
}

/// The templates of one workspace, compiled.
pub struct Templates {
    /// The templates but Markdown ones, HTML escaped for HTML.
    tera: tera::Tera,
    /// The Markdown templates, escaped for Markdown: one Tera has one escape function. Each
    /// template is compiled once, in the one that renders it.
    markdown: tera::Tera,
    origins: BTreeMap<String, Origin>,
    sources: BTreeMap<String, String>,
}

impl Templates {
    /// The built-in templates, overridden by the files under `dir` (a workspace's
    /// `templates/`, which may not exist).
    pub fn load(dir: &Path) -> Result<Templates> {
        Templates::load_matching(dir, |_| true)
    }

    /// [`Templates::load`] for one family (`email`, `report`) alone: a command compiles only
    /// the templates it can render.
    pub fn load_family(dir: &Path, family: &str) -> Result<Templates> {
        let prefix = format!("{family}/");
        Templates::load_matching(dir, |name| name.starts_with(&prefix))
    }

    /// No templates: for output made without them (JSON).
    pub fn none() -> Templates {
        Templates {
            tera: tera::Tera::new(),
            markdown: tera::Tera::new(),
            origins: BTreeMap::new(),
            sources: BTreeMap::new(),
        }
    }

    /// [`Templates::load_family`] narrowed to one engine's templates: the Markdown ones
    /// (`markdown`), or the others. Neither engine holds the other's templates, so one that
    /// renders in one format needs no more.
    pub fn load_family_of(dir: &Path, family: &str, markdown: bool) -> Result<Templates> {
        let prefix = format!("{family}/");
        Templates::load_matching(dir, |name| {
            name.starts_with(&prefix) && is_markdown(name) == markdown
        })
    }

    fn load_matching(dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<Templates> {
        let mut sources: BTreeMap<String, (String, Origin)> = BUILT_IN
            .iter()
            .filter(|(name, _)| wanted(name))
            .map(|(name, text)| (name.to_string(), (text.to_string(), Origin::BuiltIn)))
            .collect();
        for path in files_under(dir)? {
            let name = relative_name(dir, &path);
            if !wanted(&name) {
                continue;
            }
            let text = crate::textfile::read(&path)?;
            sources.insert(name, (text, Origin::Workspace(path)));
        }
        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        let origins = sources
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect::<BTreeMap<_, _>>();
        tera.add_raw_templates(
            sources
                .iter()
                .filter(|(name, _)| !is_markdown(name))
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| template_error(&origins, None, &e))?;
        let mut markdown = tera::Tera::new();
        markdown.autoescape_on([".md"]);
        markdown.set_escape_fn(escape_markdown);
        markdown
            .add_raw_templates(
                sources
                    .iter()
                    .filter(|(name, _)| is_markdown(name))
                    .map(|(name, (text, _))| (name.as_str(), text.as_str())),
            )
            .map_err(|e| template_error(&origins, None, &e))?;
        let sources = sources
            .into_iter()
            .map(|(name, (text, _))| (name, text))
            .collect();
        Ok(Templates {
            tera,
            markdown,
            origins,
            sources,
        })
    }

    /// The text of a template, as written.
    pub fn source(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(String::as_str)
    }

    /// Whether a template of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    /// Every template name with its origin.
    pub fn origins(&self) -> &BTreeMap<String, Origin> {
        &self.origins
    }

    /// The top-level variables a template (and its parents and includes) reads.
    pub fn variables(&self, name: &str) -> Result<Vec<String>> {
        let mut vars: Vec<String> = self
            .engine(name)
            .get_template_variables(name)
            .map_err(|e| template_error(&self.origins, Some(name), &e))?
            .into_iter()
            .map(str::to_string)
            .collect();
        vars.sort();
        Ok(vars)
    }

    /// The Tera that holds template `name`.
    fn engine(&self, name: &str) -> &tera::Tera {
        if is_markdown(name) {
            &self.markdown
        } else {
            &self.tera
        }
    }

    /// Render a template. The name must be one the product chose, checked by [`check_name`].
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String> {
        check_name(name)?;
        if !self.contains(name) {
            return Err(Error::Usage {
                message: format!("no template named {name:?}"),
                hint: format!(
                    "templates available: {}",
                    self.origins.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
        self.engine(name)
            .render(name, context)
            .map_err(|e| template_error(&self.origins, Some(name), &e))
    }
}

/// Whether template `name` is Markdown, escaped for Markdown.
fn is_markdown(name: &str) -> bool {
    name.ends_with(".md")
}

/// What a value from the record becomes in Markdown: it can neither break a table (`|`, a line
/// break) nor carry HTML (`<img onerror=…>`), which Markdown renderers pass through.
fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Every character escaped is ASCII, so the text between them is written as one run.
    let bytes = input.as_bytes();
    let mut run = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let next = bytes.get(at + 1).copied();
        let escaped: &[u8] = match byte {
            b'\\' => b"\\\\",
            b'|' => b"\\|",
            // Only `<` before a letter, `/`, `!` or `?` opens HTML; "rate < 90 %" stays as is.
            b'<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?')) =>
            {
                b"&lt;"
            }
            b'\r' if next == Some(b'\n') => b"",
            b'\r' | b'\n' => b" ",
            _ => continue,
        };
        out.write_all(&bytes[run..at])?;
        out.write_all(escaped)?;
        run = at + 1;
    }
    out.write_all(&bytes[run..])
}

/// A template name built from input (a locale, a family) must stay a plain relative name:
/// lowercase letters, digits, dots, dashes, underscores and single slashes; no `..`.
pub fn check_name(name: &str) -> Result<()> {
    let safe = !name.is_empty()
        && !name.starts_with('/')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b));
    if safe {
        Ok(())
    } else {
        Err(Error::Usage {
            message: format!("{name:?} is not a valid template name"),
            hint: "template names are relative paths inside templates/, such as email/base.html"
                .into(),
        })
    }
}

fn template_error(
    origins: &BTreeMap<String, Origin>,
    name: Option<&str>,
    err: &tera::Error,
) -> Error {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    // Tera's report points at the template and line (` --> email/x.txt:4:13`): name them.
    let pointer = message
        .lines()
        .find_map(|line| line.trim().strip_prefix("--> "))
        .and_then(|at| {
            let mut parts = at.rsplitn(3, ':');
            let (_column, line, file) = (parts.next()?, parts.next()?, parts.next()?);
            Some((file.to_string(), line.parse::<usize>().ok()))
        });
    // The file Tera points at is where the mistake is: a parent or an include of the template
    // being rendered, more often than not.
    let name = pointer
        .as_ref()
        .map(|(file, _)| file.clone())
        .filter(|file| origins.contains_key(file))
        .or_else(|| name.map(str::to_string));
    let path = match name.as_deref().and_then(|n| origins.get(n)) {
        Some(Origin::Workspace(path)) => path.clone(),
        Some(Origin::BuiltIn) | None => {
            PathBuf::from(format!("templates/{}", name.as_deref().unwrap_or("")))
        }
    };
    // The first line of the report is the message; the rest repeats the source.
    let summary = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .trim_start_matches("error: ")
        .to_string();
    Error::Invalid {
        path,
        line: pointer.and_then(|(_, line)| line),
        message: summary,
        hint: "fix the template; `incident check` compiles every template".into(),
    }
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let listing = match std::fs::read_dir(&current) {
            Ok(listing) => listing,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io("cannot list", &current, e)),
        };
        for entry in listing {
            let entry = entry.map_err(|e| Error::io("cannot list", &current, e))?;
            let file_type = entry
                .file_type()
                .map_err(|e| Error::io("cannot list", &current, e))?;
            // Links are not followed: a template folder cannot pull in files from elsewhere.
            if file_type.is_dir() {
                pending.push(entry.path());
            } else if file_type.is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    Ok(files)
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_input_cannot_leave_the_template_folders() {
        for bad in [
            "../secret",
            "email/../../x",
            "/etc/passwd",
            "email//x",
            "Email/X.html",
            "a\\b",
            "",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_name("email/mistake.nl.html").is_ok());
    }

    #[test]
    fn markdown_escaping_keeps_tables_whole_and_html_out() {
        let escaped = |input: &str| {
            let mut out = Vec::new();
            escape_markdown(input, &mut out).expect("write to a vector");
            String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
        };
        assert_eq!(escaped("plain — text"), "plain — text");
        assert_eq!(escaped("a|b\\c"), "a\\|b\\\\c");
        assert_eq!(
            escaped("<img onerror=x> </b> <!-- <?x"),
            "&lt;img onerror=x> &lt;/b> &lt;!-- &lt;?x"
        );
        assert_eq!(escaped("rate < 90 % <"), "rate < 90 % <");
        assert_eq!(escaped("one\r\ntwo\nthree\rfour\r"), "one two three four ");
        assert_eq!(escaped("é|ü<b"), "é\\|ü&lt;b");
        assert_eq!(escaped(""), "");
    }

    #[test]
    fn a_workspace_template_overrides_the_built_in_one_of_the_same_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("templates/email")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/email/hello.txt"),
            "Hi {{ name }}",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("templates/email/hello.html"),
            "<p>{{ name }}</p>",
        )
        .expect("write");
        let templates = Templates::load(&dir.path().join("templates")).expect("loads");
        let mut ctx = tera::Context::new();
        ctx.insert("name", "<b>Dana</b>");
        assert_eq!(
            templates.render("email/hello.txt", &ctx).expect("renders"),
            "Hi <b>Dana</b>"
        );
        assert_eq!(
            templates.render("email/hello.html", &ctx).expect("renders"),
            "<p>&lt;b&gt;Dana&lt;/b&gt;</p>"
        );
        assert_eq!(
            templates.variables("email/hello.txt").expect("vars"),
            ["name"]
        );
    }
}
