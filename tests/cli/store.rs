//! The store under pressure: concurrent invocations and processes killed mid-write.

use std::process::{Child, Stdio};
use std::time::Duration;

use crate::common::{OWN_ONLY, Workspace, open_with};

fn spawn(ws: &Workspace, args: &[&str], stdin: Option<&str>) -> Child {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_incident"));
    cmd.current_dir(ws.path())
        .env("INCIDENT_NOW", crate::common::NOW)
        .env("INCIDENT_BY", "ci")
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawns");
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(text.as_bytes()).expect("write stdin");
    }
    child
}

#[test]
fn concurrent_opens_get_distinct_ids_and_lose_no_record() {
    let ws = Workspace::new();
    let children: Vec<Child> = (0..16)
        .map(|_| spawn(&ws, &["open", "--quiet", "--answers", "-"], Some(OWN_ONLY)))
        .collect();
    let mut ids: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().expect("waits");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .collect();
    ids.sort();
    let expected: Vec<String> = (1..=16).map(|n| format!("INC-20261126-{n:03}")).collect();
    assert_eq!(ids, expected);
    for id in &ids {
        assert_eq!(ws.record(id)["id"].as_str(), Some(id.as_str()));
    }
}

#[test]
fn concurrent_notes_on_one_incident_are_all_kept() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let children: Vec<Child> = (0..16)
        .map(|n| spawn(&ws, &["note", &id, &format!("note number {n}")], None))
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("waits");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let record = ws.record(&id);
    let notes: Vec<&str> = record["timeline"]
        .as_sequence()
        .expect("timeline")
        .iter()
        .filter(|e| e["event"].as_str() == Some("note"))
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert_eq!(notes.len(), 16, "lost updates: {notes:?}");
    for n in 0..16 {
        assert!(notes.contains(&format!("note number {n}").as_str()));
    }
}

#[test]
fn a_process_killed_mid_write_leaves_only_valid_records() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    // Kill writers at staggered moments, from before they start to after they finish.
    for round in 0..40u64 {
        let child = spawn(&ws, &["note", &id, &"x".repeat(2000)], None);
        let mut child = child;
        std::thread::sleep(Duration::from_micros(round * 250));
        let _ = child.kill();
        let _ = child.wait();
        let text = ws.read(&format!("incidents/{id}.yaml"));
        let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(&text);
        assert!(parsed.is_ok(), "round {round}: a torn record:\n{text}");
    }
    // The next writer, holding the lock, clears what a killed one left behind.
    let out = ws
        .incident()
        .args(["note", &id, "after the storm"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let leftovers: Vec<_> = std::fs::read_dir(ws.path().join("incidents"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".lock" && !n.ends_with(".yaml"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
