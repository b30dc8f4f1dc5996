//! The index of the records (`incidents/.index`) seen from outside: a cache that never shows
//! anything its records do not say, kept out of git, and done without where it cannot be
//! written.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::common::{Workspace, open_fixture, stderr, stdout};

/// A workspace of three incidents, one of them closed.
fn workspace() -> (Workspace, Vec<String>) {
    let ws = Workspace::branded();
    let ids: Vec<String> = ["wrong-segment", "data-breach", "duplicate-send"]
        .iter()
        .map(|kind| open_fixture(&ws, kind))
        .collect();
    let out = ws
        .incident()
        .args([
            "close",
            &ids[2],
            "--resolution",
            "Apology sent",
            "--force",
            "test",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "close: {}", stderr(&out));
    (ws, ids)
}

/// Stdout of a command that must succeed.
fn run(ws: &Workspace, args: &[&str]) -> String {
    let out = ws.incident().args(args).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

const COMMANDS: [&[&str]; 4] = [
    &["list"],
    &["list", "--all", "--format", "json"],
    &["report", "--summary"],
    &["report", "--summary", "--format", "json"],
];

#[test]
fn a_hand_edit_keeping_the_size_is_seen_at_once_by_list_and_summary() {
    let (ws, ids) = workspace();
    for args in COMMANDS {
        run(&ws, args);
    }
    assert!(
        ws.path().join("incidents/.index").is_file(),
        "the index is written"
    );
    let rel = format!("incidents/{}.yaml", ids[0]);
    let record = ws.read(&rel);
    let old = "title: VIP early-access Black Friday offer";
    let new = "title: VIP early-access CYBER MONDAY offer";
    assert_eq!(old.len(), new.len());
    ws.write(&rel, &record.replacen(old, new, 1));
    assert_eq!(ws.read(&rel).len(), record.len(), "the same size");
    let listed = run(&ws, &["list", "--all", "--format", "json"]);
    assert!(listed.contains("CYBER MONDAY"), "{listed}");
    let summary = run(&ws, &["report", "--summary", "--format", "json"]);
    assert!(summary.contains("CYBER MONDAY"), "{summary}");
    let table = run(&ws, &["list"]);
    assert!(table.contains("CYBER MONDAY"), "{table}");
}

#[test]
fn output_is_the_same_with_the_index_and_without_it() {
    let (ws, _) = workspace();
    let index = ws.path().join("incidents/.index");
    for args in COMMANDS {
        let _ = std::fs::remove_file(&index);
        let without = run(&ws, args);
        assert!(index.is_file(), "{args:?} writes the index");
        let with = run(&ws, args);
        assert_eq!(with, without, "{args:?}");
    }
}

#[test]
fn the_index_is_kept_out_of_git() {
    let (ws, _) = workspace();
    run(&ws, &["list"]);
    let ignore = ws.read("incidents/.gitignore");
    assert!(ignore.lines().any(|l| l == ".index"), "{ignore}");
    let ok = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(ws.path())
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        let ignored = std::process::Command::new("git")
            .args(["check-ignore", "incidents/.index"])
            .current_dir(ws.path())
            .output()
            .expect("runs");
        assert_eq!(stdout(&ignored).trim(), "incidents/.index");
    }
}

/// Make `path` and everything under it read-only.
fn read_only(path: &Path) {
    for entry in std::fs::read_dir(path).expect("lists").flatten() {
        if entry.path().is_dir() {
            read_only(&entry.path());
        } else {
            std::fs::set_permissions(entry.path(), PermissionsExt::from_mode(0o444))
                .expect("chmod");
        }
    }
    std::fs::set_permissions(path, PermissionsExt::from_mode(0o555)).expect("chmod");
}

#[test]
fn a_read_only_workspace_still_lists_and_summarizes() {
    let (ws, ids) = workspace();
    let expected: Vec<String> = COMMANDS.iter().map(|args| run(&ws, args)).collect();
    std::fs::remove_file(ws.path().join("incidents/.index")).expect("removes the index");
    std::fs::remove_file(ws.path().join("incidents/.lock")).expect("removes the lock");
    read_only(ws.path());
    // Permissions do not bind the superuser: run as nobody then.
    let root = std::fs::metadata(ws.path()).expect("stat").uid() == 0;
    for (args, expected) in COMMANDS.iter().zip(&expected) {
        let mut cmd = ws.incident();
        if root {
            let bin = assert_cmd::cargo::cargo_bin("incident");
            cmd = assert_cmd::Command::new("setpriv");
            cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(bin)
                .current_dir(ws.path())
                .env("INCIDENT_NOW", crate::common::NOW)
                .env("NO_COLOR", "1");
        }
        let out = cmd.args(*args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_eq!(&stdout(&out), expected, "{args:?}");
    }
    assert!(
        !ws.path().join("incidents/.index").exists(),
        "nothing written"
    );
    assert!(
        ids.iter()
            .all(|id| ws.path().join(format!("incidents/{id}.yaml")).exists())
    );
    // Writable again, so that the folder can be removed.
    for dir in [ws.path().to_path_buf(), ws.path().join("incidents")] {
        std::fs::set_permissions(dir, PermissionsExt::from_mode(0o755)).expect("chmod");
    }
}

#[test]
fn a_linked_index_is_not_followed_and_check_names_it() {
    let (ws, _) = workspace();
    let expected = run(&ws, &["list", "--all"]);
    let outside = tempfile::tempdir().expect("temp dir");
    let target = outside.path().join("index");
    std::fs::write(&target, "outside").expect("writes");
    let index = ws.path().join("incidents/.index");
    std::fs::remove_file(&index).expect("removes");
    std::os::unix::fs::symlink(&target, &index).expect("links");
    assert_eq!(run(&ws, &["list", "--all"]), expected);
    assert_eq!(std::fs::read_to_string(&target).expect("reads"), "outside");
    let out = ws.incident().args(["check"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("incidents/.index: is a symbolic link"),
        "{}",
        stdout(&out)
    );
}
