//! The workspace folder: its optional `incident.toml`, its time zone, and every path the tool
//! reads or writes in it. No other module builds a workspace path by hand.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::{CONFIG_FILE, Config, Role};
use crate::error::Result;
use crate::incident::IncidentId;
use crate::incident::legal::{self, LegalClock};

/// The lock file, inside `incidents/`.
const LOCK_FILE: &str = ".lock";

/// The index of the records, inside `incidents/`: a cache, rebuilt from them when missing.
const INDEX_FILE: &str = ".index";

/// What keeps the index out of the team's git, inside `incidents/`.
const GITIGNORE_FILE: &str = ".gitignore";

/// A workspace: its folder, configuration and time zone.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    pub tz: Tz,
}

/// The files `incident email` writes for an incident.
pub struct EmailPaths {
    pub html: PathBuf,
    pub text: PathBuf,
    pub eml: PathBuf,
}

impl Workspace {
    /// Open the workspace at `root`, reading `incident.toml` when there is one.
    pub fn open(root: &Path) -> Result<Workspace> {
        let path = root.join(CONFIG_FILE);
        let config = match crate::textfile::read_optional(&path)? {
            Some(text) => Config::parse(&path, &text)?,
            None => Config::default(),
        };
        Ok(Workspace {
            root: root.to_path_buf(),
            tz: config.time_zone(),
            config,
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

    /// `incident.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// The folder of the workspace's own runbooks.
    pub fn runbooks_dir(&self) -> PathBuf {
        self.root.join("runbooks")
    }

    /// The folder of the workspace's own templates.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// The folder holding the records.
    pub fn incidents_dir(&self) -> PathBuf {
        self.root.join("incidents")
    }

    /// The workspace lock, taken around every change of a record.
    pub fn lock_path(&self) -> PathBuf {
        self.incidents_dir().join(LOCK_FILE)
    }

    /// The index of the records (see [`crate::store`]).
    pub fn index_path(&self) -> PathBuf {
        self.incidents_dir().join(INDEX_FILE)
    }

    /// The `.gitignore` that names the index.
    pub fn gitignore_path(&self) -> PathBuf {
        self.incidents_dir().join(GITIGNORE_FILE)
    }

    /// The path of a record.
    pub fn record_path(&self, id: &IncidentId) -> PathBuf {
        self.incidents_dir().join(format!("{id}.yaml"))
    }

    /// The folder of what an incident produced: recipients, email, report.
    pub fn incident_dir(&self, id: &IncidentId) -> PathBuf {
        self.incidents_dir().join(id.to_string())
    }

    /// The affected subscribers `incident audience` wrote.
    pub fn recipients_path(&self, id: &IncidentId) -> PathBuf {
        self.incident_dir(id).join(RECIPIENTS_FILE)
    }

    /// [`Workspace::recipients_path`] as the record names it: relative to the workspace.
    pub fn recipients_relative(&self, id: &IncidentId) -> String {
        format!("incidents/{id}/{RECIPIENTS_FILE}")
    }

    /// The apology `incident email` wrote.
    pub fn email_paths(&self, id: &IncidentId) -> EmailPaths {
        let dir = self.incident_dir(id);
        let [html, text, eml] = EMAIL_FILES.map(|name| dir.join(name));
        EmailPaths { html, text, eml }
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

/// The name of the list of affected subscribers in an incident's folder.
const RECIPIENTS_FILE: &str = "recipients.csv";

/// The names of the apology's parts in an incident's folder.
const EMAIL_FILES: [&str; 3] = ["email.html", "email.txt", "email.eml"];

/// What `audience` and `email` write into an incident's folder; nothing else may replace them.
pub const ARTIFACTS: [&str; 4] = [
    RECIPIENTS_FILE,
    EMAIL_FILES[0],
    EMAIL_FILES[1],
    EMAIL_FILES[2],
];

/// What the tool keeps at `relative` (a path inside the workspace, relative to its root), in a
/// few words, when it is a file that only the tool writes or that the tool reads as its own
/// input: `report --out` must never replace it.
pub fn owner_of(relative: &Path) -> Option<String> {
    let parts: Vec<&str> = relative
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<_>>()?;
    let hidden = |name: &str| name.starts_with('.');
    let owned = match parts.as_slice() {
        [CONFIG_FILE] => "the workspace's configuration".to_string(),
        ["runbooks", ..] => "the workspace's runbooks".into(),
        ["templates", ..] => "the workspace's templates".into(),
        ["incidents"] => "the folder of the records".into(),
        ["incidents", LOCK_FILE] => "the workspace lock".into(),
        ["incidents", INDEX_FILE] => "the index of the records".into(),
        ["incidents", GITIGNORE_FILE] => "what keeps the index out of git".into(),
        ["incidents", name] if hidden(name) => "a file kept while a write is under way".into(),
        ["incidents", name] if name.starts_with("INC-") => {
            format!(
                "incident {}'s record or folder",
                name.trim_end_matches(".yaml")
            )
        }
        ["incidents", id, name] if id.parse::<IncidentId>().is_ok() => match *name {
            RECIPIENTS_FILE => format!("{id}'s list of affected subscribers"),
            _ if EMAIL_FILES.contains(name) => format!("{id}'s apology"),
            _ if ARTIFACTS.contains(name) => format!("a file {id} keeps"),
            _ if hidden(name) => "a file kept while a write is under way".into(),
            _ => return None,
        },
        _ => return None,
    };
    Some(owned)
}
