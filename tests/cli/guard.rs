//! The guarded writer end to end: no command writes through a symbolic link or outside the
//! workspace, `report --out` never replaces a file the tool owns, and every file gets the mode
//! of its kind. Each refusal exits 1, names the path, and leaves every file as it was.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use crate::common::{Workspace, audience_from, open_fixture, stderr};

/// A folder outside the workspace, to see that nothing lands there.
fn outside() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("lists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// An incident with a recipient list and an apology.
fn incident_with_files() -> (Workspace, String) {
    let ws = Workspace::branded();
    let id = open_fixture(&ws, "wrong-segment");
    audience_from(&ws, &id, "email\nann@example.com\nbob@example.com\n");
    let out = ws.incident().args(["email", &id]).output().expect("runs");
    assert!(out.status.success(), "email: {}", stderr(&out));
    (ws, id)
}

/// Run `args`; expect exit 1 with `said` on stderr, and no file in the workspace changed.
fn refused(ws: &Workspace, args: &[&str], said: &str) {
    let before = ws.snapshot();
    let out = ws.incident().args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains("hint:"), "{args:?}: {}", stderr(&out));
    assert_eq!(ws.snapshot(), before, "{args:?} changed a file");
}

#[test]
fn report_out_never_replaces_a_file_the_tool_owns() {
    let (ws, id) = incident_with_files();
    let lock = std::fs::read(ws.path().join("incidents/.lock")).expect("lock");
    let record = format!("{id}.yaml");
    let in_workspace = format!("./incidents/{id}.yaml");
    for args in [
        vec!["report", "--summary", "--out", record.as_str()],
        vec!["report", "--summary", "--out", ".lock"],
        vec!["report", &id, "--out", "recipients.csv"],
        vec!["report", &id, "--out", "email.eml"],
        vec!["report", &id, "--out", in_workspace.as_str()],
        vec!["report", &id, "--out", "./incident.toml"],
        vec!["report", &id, "--out", "./templates/email/base.html"],
    ] {
        refused(&ws, &args, "a report never replaces it");
    }
    assert_eq!(
        std::fs::read(ws.path().join("incidents/.lock")).expect("lock"),
        lock
    );
    assert_eq!(ws.record(&id)["id"].as_str(), Some(id.as_str()));
}

#[test]
fn report_out_outside_the_workspace_writes_only_a_new_file() {
    let (ws, id) = incident_with_files();
    let away = outside();
    let target = away.path().join("pm.md");
    let out = ws
        .incident()
        .args(["report", &id, "--out"])
        .arg(&target)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let first = std::fs::read(&target).expect("written");
    std::fs::write(&target, "kept").expect("write");
    let out = ws
        .incident()
        .args(["report", &id, "--out"])
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("exists and is outside the workspace"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "kept");
    assert!(first.starts_with(b"# Post-mortem"));

    // A link outside that leads back to a record is still the record.
    let link = away.path().join("link.md");
    symlink(ws.path().join(format!("incidents/{id}.yaml")), &link).expect("link");
    let link_arg = link.display().to_string();
    refused(
        &ws,
        &["report", &id, "--out", &link_arg],
        "a report never replaces it",
    );
}

#[test]
fn a_linked_incident_folder_stops_audience_email_and_report() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    ws.write("sends.csv", "email\nann@example.com\n");
    let away = outside();
    symlink(away.path(), ws.path().join(format!("incidents/{id}"))).expect("link");
    let said = format!("incidents/{id}: is a symbolic link");
    refused(&ws, &["audience", &id, "--sends", "sends.csv"], &said);
    refused(&ws, &["email", &id], &said);
    refused(&ws, &["report", &id, "--out"], &said);
    refused(&ws, &["report", &id, "--out", "pm.md"], &said);
    assert!(names(away.path()).is_empty(), "{:?}", names(away.path()));
}

#[test]
fn a_linked_incidents_folder_stops_every_command() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let away = outside();
    let moved = away.path().join("incidents");
    std::fs::rename(ws.path().join("incidents"), &moved).expect("move");
    symlink(&moved, ws.path().join("incidents")).expect("link");
    let before = names(&moved);
    for args in [
        vec!["note", id.as_str(), "written through a link?"],
        vec!["show", id.as_str()],
        vec!["list"],
        vec![
            "open",
            "--kind",
            "wrong-segment",
            "--title",
            "Another",
            "--non-interactive",
        ],
    ] {
        refused(&ws, &args, "incidents: is a symbolic link");
    }
    assert_eq!(names(&moved), before);
}

#[test]
fn a_linked_record_or_artifact_is_refused_and_stays_a_link() {
    let (ws, id) = incident_with_files();
    let away = outside();
    let record = ws.path().join(format!("incidents/{id}.yaml"));
    let kept = away.path().join("record.yaml");
    std::fs::rename(&record, &kept).expect("move");
    symlink(&kept, &record).expect("link");
    let before = std::fs::read(&kept).expect("read");
    let out = ws
        .incident()
        .args(["note", &id, "through a link?"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(record.symlink_metadata().expect("stat").is_symlink());
    assert_eq!(std::fs::read(&kept).expect("read"), before);
    std::fs::remove_file(&record).expect("unlink");
    std::fs::rename(&kept, &record).expect("move back");

    let link_artifact = |artifact: &str| {
        let path = ws.path().join(format!("incidents/{id}/{artifact}"));
        std::fs::remove_file(&path).expect("remove");
        symlink(away.path().join(artifact), &path).expect("link");
    };
    link_artifact("email.eml");
    let eml_said = format!("incidents/{id}/email.eml: is a symbolic link");
    refused(&ws, &["email", &id], &eml_said);
    link_artifact("recipients.csv");
    let list_said = format!("incidents/{id}/recipients.csv: is a symbolic link");
    refused(&ws, &["audience", &id, "--sends", "sends.csv"], &list_said);
    refused(&ws, &["email", &id], &list_said);
    assert!(names(away.path()).is_empty(), "{:?}", names(away.path()));
}

#[test]
fn a_linked_lock_is_never_followed() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let away = outside();
    let lock = ws.path().join("incidents/.lock");
    std::fs::remove_file(&lock).expect("remove");
    symlink(away.path().join("lock"), &lock).expect("link");
    refused(
        &ws,
        &["note", &id, "hello"],
        "incidents/.lock: is a symbolic link",
    );
    assert!(
        names(away.path()).is_empty(),
        "the lock's target was created"
    );
}

#[test]
fn init_writes_through_no_link_and_writes_nothing_when_it_finds_one() {
    let ws = Workspace::new();
    let away = outside();
    symlink(away.path(), ws.path().join("templates")).expect("link");
    refused(&ws, &["init"], "templates: is a symbolic link");
    assert!(names(away.path()).is_empty());
    assert!(!ws.path().join("incident.toml").exists(), "nothing written");

    std::fs::remove_file(ws.path().join("templates")).expect("unlink");
    std::fs::create_dir_all(ws.path().join("templates/email")).expect("mkdir");
    symlink(
        away.path().join("base.html"),
        ws.path().join("templates/email/base.html"),
    )
    .expect("link");
    refused(&ws, &["init"], "base.html: is a symbolic link");
    assert!(names(away.path()).is_empty());
}

#[test]
fn every_file_gets_the_mode_of_its_kind() {
    let (ws, id) = incident_with_files();
    let probe = ws.path().join("probe");
    std::fs::write(&probe, "").expect("probe");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    let shared = mode(&probe);
    let folder = ws.path().join(format!("incidents/{id}"));
    assert_eq!(mode(&folder.join("recipients.csv")), 0o600);
    for file in ["email.html", "email.txt", "email.eml"] {
        assert_eq!(mode(&folder.join(file)), shared, "{file}");
    }
    assert_eq!(
        mode(&ws.path().join(format!("incidents/{id}.yaml"))),
        shared
    );
    // A wider mode on the old file is not inherited.
    let record = ws.path().join(format!("incidents/{id}.yaml"));
    std::fs::set_permissions(&record, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = ws
        .incident()
        .args(["note", &id, "hi"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&record), shared);
}
