//! The crate's typed errors. Every variant reads as one sentence naming the file, line or field
//! at fault, and [`Error::hint`] says what to do about it.

use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong inside the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A YAML or TOML file does not parse, or a field in it is invalid.
    #[error("{}: {message}", location(path, *line))]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        hint: String,
    },

    /// A value in a table (a CSV file) that is wrong, at its line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    InvalidAt {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: String,
    },

    /// A path the tool will not read or write through: a symbolic link, or something other than
    /// a file or folder where one belongs, or a file the command must not replace.
    #[error("{}: {message}", path.display())]
    Unsafe {
        path: PathBuf,
        message: String,
        hint: String,
    },

    /// A record written by a newer version of the tool.
    #[error("{path}: schema_version {found} is newer than this incident understands ({supported})")]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// Something a user typed that cannot be an incident ID.
    #[error("invalid incident ID {0:?}: expected INC-YYYYMMDD-NNN, e.g. INC-20261126-001")]
    InvalidId(String),

    /// A well-formed ID with no record behind it.
    #[error("no incident {id} in {dir}")]
    NotFound { id: String, dir: PathBuf },

    /// An incident kind with no runbook.
    #[error("unknown incident kind {kind:?}; known kinds: {known}")]
    UnknownKind {
        kind: String,
        known: String,
        /// The known kind nearest to what was typed (`wrong_segment` → `wrong-segment`).
        nearest: Option<String>,
    },

    /// A kind whose workspace runbook does not load.
    #[error("the runbook for {kind:?} is broken: {problem}")]
    BrokenRunbook {
        kind: String,
        problem: String,
        hint: Option<String>,
    },

    /// An answer that is missing, unknown, or of the wrong type.
    #[error("{}{message}", source_prefix(source_name))]
    Answer {
        source_name: Option<String>,
        message: String,
        hint: String,
    },

    /// A flag or value that does not fit the command.
    #[error("{message}")]
    Usage { message: String, hint: String },

    /// A flag's value that cannot be read, found after the command line was parsed (exit 2,
    /// like every other bad flag value).
    #[error("{message}")]
    BadFlag { message: String, hint: String },

    /// The incident is in a state where the command cannot act.
    #[error("{message}")]
    State { message: String, hint: String },

    /// Ctrl-C at a prompt. The message says what was kept; the hint how to go on.
    #[error("Interrupted. {message}")]
    Interrupted { message: String, hint: String },

    /// Turning plain data into YAML or JSON failed, which only a bug can make happen.
    #[error("cannot encode {what}: {message}")]
    Encode { what: &'static str, message: String },

    /// Several problems found by `incident check`.
    #[error("{0} problem(s) found")]
    CheckFailed(usize),
}

fn location(path: &std::path::Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

fn source_prefix(source: &Option<String>) -> String {
    source
        .as_ref()
        .map(|s| format!("{s}: "))
        .unwrap_or_default()
}

impl Error {
    /// The process exit code for this error: 130 (128 + SIGINT) for Ctrl-C, 2 for a bad flag
    /// value, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Interrupted { .. } => 130,
            Error::BadFlag { .. } => 2,
            _ => 1,
        }
    }

    /// A wrapper for I/O errors that names the file and what was being done.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A failure to encode `what` as JSON or YAML.
    pub fn encode(what: &'static str, err: impl std::fmt::Display) -> Self {
        Error::Encode {
            what,
            message: err.to_string(),
        }
    }

    /// A kind named on the command line that no runbook has is a usage error (exit 2);
    /// other errors pass through.
    pub fn as_flag(self) -> Error {
        match self {
            Error::UnknownKind { .. } => Error::BadFlag {
                hint: self.hint().unwrap_or_default(),
                message: self.to_string(),
            },
            other => other,
        }
    }

    /// What the user can do next, when there is something useful to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Io { .. } => None,
            Error::Invalid { hint, .. }
            | Error::InvalidAt { hint, .. }
            | Error::Answer { hint, .. }
            | Error::Unsafe { hint, .. }
            | Error::Usage { hint, .. }
            | Error::BadFlag { hint, .. }
            | Error::State { hint, .. }
            | Error::Interrupted { hint, .. } => (!hint.is_empty()).then(|| hint.clone()),
            Error::SchemaTooNew { .. } => Some(
                "upgrade incident (cargo install --path . or a newer release); the record was left untouched"
                    .into(),
            ),
            Error::InvalidId(_) => Some("`incident list --all` shows the existing IDs".into()),
            Error::NotFound { .. } => Some(
                "`incident list --all` shows the existing incidents; use --dir to pick another workspace"
                    .into(),
            ),
            Error::UnknownKind { nearest, .. } => Some(match nearest {
                Some(kind) => format!("did you mean {kind}? `incident runbooks` lists the kinds with their titles"),
                None => "`incident runbooks` lists the kinds with their titles".into(),
            }),
            Error::BrokenRunbook { hint, .. } => hint.clone(),
            Error::CheckFailed(_) => Some("fix the problems listed above and run it again".into()),
            Error::Encode { .. } => {
                Some("nothing was written; this is a bug in incident, please report it".into())
            }
        }
    }
}
