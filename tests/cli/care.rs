//! The guard rails a script meets: close with work open needs `--force`, warnings survive `-q`,
//! an apology is recorded as sent only once it exists, a mistyped kind or a missing ID says
//! what was meant, and a workspace that cannot hold records is refused before any question.

use crate::common::{Workspace, open_fixture, stderr, stdout};

/// Run `args`; expect exit `code` with `said` on stderr, a hint, and no file changed.
fn refused(ws: &Workspace, args: &[&str], code: i32, said: &str) {
    let before = ws.snapshot();
    let out = ws.incident().args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains("hint:"), "{args:?}: {}", stderr(&out));
    assert_eq!(ws.snapshot(), before, "{args:?} changed a file");
}

#[test]
fn closing_with_work_open_from_a_script_needs_force_and_keeps_the_reason() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    refused(
        &ws,
        &["close", &id, "--resolution", "Apology sent"],
        1,
        "was not closed: 5 action item(s) still open",
    );
    let out = ws
        .incident()
        .args(["close", &id, "--resolution", "Apology sent"])
        .output()
        .expect("runs");
    assert!(
        stderr(&out).contains("--force \"why\""),
        "the hint names the way through: {}",
        stderr(&out)
    );

    let out = ws
        .incident()
        .args([
            "-q",
            "close",
            &id,
            "--resolution",
            "Apology sent",
            "--force",
            "The owners took the items to the next sprint",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: 5 action item(s) still open"),
        "-q keeps the warnings: {}",
        stderr(&out)
    );
    let record = ws.record(&id);
    assert_eq!(record["status"].as_str(), Some("closed"));
    let kept = record["timeline"]
        .as_sequence()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["message"].as_str())
        .any(|m| {
            m == "Closed despite 5 action item(s) still open: The owners took the items to the next sprint"
        });
    assert!(kept, "the reason is in the timeline: {record:?}");
}

#[test]
fn an_apology_is_recorded_as_sent_only_once_it_was_rendered() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    refused(
        &ws,
        &["note", &id, "Sent from the ESP", "--sent"],
        1,
        "has no rendered apology to have sent",
    );
}

#[test]
fn a_mistyped_kind_names_the_nearest_and_exits_2() {
    let ws = Workspace::new();
    ws.write(
        "answers.yaml",
        "title: VIP offer sent to all\nown:\n  discovered_at: 2026-11-26T09:40:00Z\n",
    );
    refused(
        &ws,
        &[
            "open",
            "--kind",
            "wrong_segment",
            "--answers",
            "answers.yaml",
            "--by",
            "dana",
        ],
        2,
        "did you mean wrong-segment?",
    );
}

#[test]
fn a_report_without_an_id_points_to_the_summary() {
    let ws = Workspace::new();
    open_fixture(&ws, "wrong-segment");
    refused(
        &ws,
        &["report"],
        2,
        "--summary for the trend across incidents",
    );
    let out = ws
        .incident()
        .args(["report", "--summary"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("wrong-segment"), "{}", stdout(&out));
}

/// Root may write anywhere, so the workspace is made unable to hold records another way: a
/// file where the records folder goes. Nothing is asked and nothing is written.
#[test]
fn a_workspace_that_cannot_hold_records_is_refused_before_any_question() {
    let ws = Workspace::new();
    ws.write("incidents", "not a folder\n");
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["open", "--kind", "wrong-segment", "--by", "dana"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot write incident records in") && err.contains("a file, not a folder"),
        "{err}"
    );
    assert!(
        err.contains("hint: run it in a folder you can write to"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "asked something: {}", stdout(&out));
    assert_eq!(ws.snapshot(), before);
}
