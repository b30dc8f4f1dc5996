//! A temporary workspace and the real binary, run the way a shell script or CI runs it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The instant every test runs at, unless it says otherwise.
pub const NOW: &str = "2026-11-26T10:00:00Z";

/// A fresh, empty workspace folder.
pub struct Workspace {
    dir: TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A fresh workspace whose incident.toml sets a real-looking brand, so that its emails
    /// are not refused as the example brand (`brand-unset`).
    pub fn branded() -> Self {
        let ws = Workspace::new();
        ws.write("incident.toml", BRAND);
        ws
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `incident` in this workspace at [`NOW`], with no terminal and no colour.
    pub fn incident(&self) -> Command {
        let mut cmd = Command::cargo_bin("incident").expect("binary built");
        cmd.current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("INCIDENT_NOW", NOW)
            .env("NO_COLOR", "1")
            .env("USER", "ci-bot");
        cmd
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write file");
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// A record parsed as plain YAML, to assert on what a reader of the file sees.
    pub fn record(&self, id: &str) -> serde_yaml::Value {
        serde_yaml::from_str(&self.read(&format!("incidents/{id}.yaml"))).expect("record parses")
    }

    /// Every file under the workspace with its content (a symbolic link as its target): compare
    /// before and after a command to show that it wrote nothing.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let rel = path
                    .strip_prefix(root)
                    .expect("inside")
                    .display()
                    .to_string();
                let Ok(meta) = path.symlink_metadata() else {
                    continue;
                };
                if meta.is_symlink() {
                    // A link is its target, never followed.
                    let target = std::fs::read_link(&path).expect("read link");
                    out.insert(rel, format!("-> {}", target.display()).into_bytes());
                } else if meta.is_dir() {
                    walk(root, &path, out);
                } else if path.file_name().is_some_and(|n| n != ".lock") {
                    out.insert(rel, std::fs::read(&path).expect("read"));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.path(), self.path(), &mut out);
        out
    }
}

/// A brand on a domain that is not reserved for examples (RFC 2606), as a real workspace
/// sets it. No `from_name`: it defaults to `name`.
pub const BRAND: &str = "[brand]\nname = \"Northwind Outfitters\"\nfrom_address = \"care@northwind-outfitters.nl\"\nwebsite = \"https://www.northwind-outfitters.nl\"\nsupport_url = \"https://www.northwind-outfitters.nl/help\"\nunsubscribe_url = \"https://www.northwind-outfitters.nl/unsubscribe\"\npostal_address = \"Keizersgracht 1, 1015 AA Amsterdam\"\n";

/// The committed answers fixture for a kind.
pub fn answers_fixture(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/answers")
        .join(format!("{kind}.yaml"))
}

/// Stderr of a finished command as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stdout of a finished command as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Open an incident from answers text, and return its ID.
pub fn open_with(ws: &Workspace, answers: &str) -> String {
    let out = ws
        .incident()
        .args(["open", "--quiet", "--by", "dana", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    assert!(out.status.success(), "open failed: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

/// Minimal answers that open a wrong-segment incident and complete its first step.
pub const OWN_ONLY: &str = "kind: wrong-segment\ntitle: VIP offer sent to all\nown:\n  discovered_at: 2026-11-26T09:40:00Z\n  how_found: internal-review\n";

/// A workspace with one open incident (only its first step answered); its ID.
pub fn one_open_incident() -> (Workspace, String) {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    (ws, id)
}

/// The text of a built-in runbook, as shipped.
pub fn builtin_runbook(kind: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("runbooks")
        .join(format!("{kind}.yaml"));
    std::fs::read_to_string(path).expect("built-in runbook")
}

/// A committed test fixture, by its path under tests/fixtures/.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Open an incident from a committed answers fixture at [`NOW`], and return its ID.
pub fn open_fixture(ws: &Workspace, kind: &str) -> String {
    let out = ws
        .incident()
        .args(["open", "--quiet", "--by", "dana", "--answers"])
        .arg(answers_fixture(kind))
        .output()
        .expect("runs");
    assert!(out.status.success(), "open {kind} failed: {}", stderr(&out));
    stdout(&out).trim().to_string()
}

/// Compute the audience of `id` from a send log holding `sends`; it must succeed.
pub fn audience_from(ws: &Workspace, id: &str, sends: &str) {
    ws.write("sends.csv", sends);
    let out = ws
        .incident()
        .args(["audience", id, "--sends", "sends.csv"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "audience: {}", stderr(&out));
}
