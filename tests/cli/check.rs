//! `incident check` as a validator of records edited by hand: each thing the tool would never
//! have written is a finding naming the file and line, with a hint, and check exits 1; `show`
//! and `list` print such a record without letting it drive the terminal.

use crate::common::{Workspace, audience_from, open_fixture, stderr, stdout};

/// A finished incident with a recipient list of two addresses.
fn incident() -> (Workspace, String) {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    audience_from(&ws, &id, "email\nann@example.com\nbob@example.com\n");
    (ws, id)
}

/// Replace `from` with `to` in the record, once.
fn edit(ws: &Workspace, id: &str, from: &str, to: &str) {
    let rel = format!("incidents/{id}.yaml");
    let text = ws.read(&rel);
    assert!(text.contains(from), "{from:?} not in the record");
    ws.write(&rel, &text.replacen(from, to, 1));
}

/// The line of the record that holds `needle`, from 1.
fn line_of(ws: &Workspace, id: &str, needle: &str) -> usize {
    ws.read(&format!("incidents/{id}.yaml"))
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in the record"))
}

/// `incident check`'s output, which must fail.
fn check_fails(ws: &Workspace) -> String {
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    stdout(&out)
}

fn assert_finding(report: &str, at: &str, says: &str) {
    let line = report
        .lines()
        .position(|l| l.starts_with("error") && l.contains(at) && l.contains(says))
        .unwrap_or_else(|| panic!("no finding {at} {says:?} in:\n{report}"));
    let hint = report.lines().nth(line + 1).unwrap_or_default();
    assert!(
        hint.trim_start().starts_with("hint: "),
        "no hint after {at}:\n{report}"
    );
}

#[test]
fn a_sound_workspace_passes() {
    let (ws, _) = incident();
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn hand_edits_the_tool_would_never_write_are_findings_with_file_and_line() {
    let (ws, id) = incident();
    let record = format!("incidents/{id}.yaml");
    // The stop step back to pending while later steps are done.
    edit(
        &ws,
        &id,
        "  stop:\n    status: done",
        "  stop:\n    status: pending",
    );
    edit(
        &ws,
        &id,
        "opened_at: 2026-11-26T10:00:00Z",
        "opened_at: 2099-11-26T10:00:00Z",
    );
    edit(&ws, &id, "affected_count: 41250", "affected_count: lots");
    edit(
        &ws,
        &id,
        "      pii_exposed: false",
        "      pii_exposed: false\n      mood: gloomy",
    );
    edit(
        &ws,
        &id,
        "title: VIP early-access Black Friday offer sent to the full newsletter list",
        "title: \"Sorry\\e[2J\\r\\nBcc: all@example.com\"",
    );
    let report = check_fails(&ws);
    let at = |needle: &str| format!("{record}:{}:", line_of(&ws, &id, needle));
    let assess_status = format!("{record}:{}:", line_of(&ws, &id, "  assess:") + 1);
    assert_finding(
        &report,
        &assess_status,
        "steps.assess.status: step assess is done while stop, an earlier step, is pending",
    );
    assert_finding(
        &report,
        &at("opened_at: 2099"),
        "opened_at: 2099-11-26T10:00:00Z is in the future",
    );
    assert_finding(
        &report,
        &at("affected_count: lots"),
        "steps.assess.answers.affected_count: expected a number",
    );
    assert_finding(
        &report,
        &at("mood: gloomy"),
        "\"mood\" is not a question of step assess",
    );
    assert_finding(
        &report,
        &at("title: \"Sorry"),
        "title: contains the control character U+001B",
    );
    assert!(!report.contains('\u{1b}'), "check printed the escape raw");
}

#[test]
fn show_and_list_never_print_control_characters_raw() {
    let (ws, id) = incident();
    edit(
        &ws,
        &id,
        "title: VIP early-access Black Friday offer sent to the full newsletter list",
        "title: \"Sorry\\e[2J\\r\\nBcc: all@example.com\\u2028x\"",
    );
    edit(
        &ws,
        &id,
        "opened_by: dana",
        "opened_by: \"dana\\e]0;pwned\\a\"",
    );
    for args in [vec!["show", id.as_str()], vec!["list", "--all"]] {
        let out = ws.incident().args(&args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let shown = stdout(&out);
        for raw in ['\u{1b}', '\r', '\u{7}', '\u{2028}'] {
            assert!(
                !shown.contains(raw),
                "{args:?} printed {raw:?} raw:\n{shown}"
            );
        }
        assert!(
            shown.contains("Sorry\\u{1b}[2J\\r\\nBcc"),
            "{args:?}:\n{shown}"
        );
    }
}

#[test]
fn a_title_of_megabytes_is_cut_in_the_list_and_reported_by_check() {
    let (ws, id) = incident();
    let huge = "overlong ".repeat(200_000);
    edit(
        &ws,
        &id,
        "title: VIP early-access Black Friday offer sent to the full newsletter list",
        &format!("title: {}", huge.trim()),
    );
    let out = ws
        .incident()
        .args(["list", "--all"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).len() < 10_000, "the whole title was laid out");
    assert!(stdout(&out).contains('…'));
    let report = check_fails(&ws);
    assert!(
        report.contains("title: is 1799999 characters long; at most 200 are allowed"),
        "{report}"
    );
}

#[test]
fn a_recipient_list_that_disagrees_with_the_record_is_a_finding() {
    let (ws, id) = incident();
    let list = format!("incidents/{id}/recipients.csv");
    ws.write(&list, "email\nann@example.com\n");
    let report = check_fails(&ws);
    assert_finding(
        &report,
        &list,
        "holds 1 distinct address(es), where the record counts 2 affected",
    );

    std::fs::remove_file(ws.path().join(&list)).expect("remove");
    let report = check_fails(&ws);
    assert_finding(
        &report,
        &format!("incidents/{id}.yaml:"),
        "counts 2 affected, but incidents/",
    );
}

#[test]
fn leftovers_of_an_interrupted_write_are_reported_then_swept() {
    let (ws, id) = incident();
    let temp = format!("incidents/{id}/.recipients.csv.77-0-1f.incident-tmp");
    let legacy = format!("incidents/.{id}.yaml.Ab3dE9");
    ws.write(&temp, "half a list");
    ws.write(&legacy, "half a record");
    let report = check_fails(&ws);
    assert_finding(
        &report,
        &temp,
        "a temporary file left by an interrupted write",
    );
    assert_finding(
        &report,
        &legacy,
        "a temporary file left by an interrupted write",
    );

    let out = ws
        .incident()
        .args(["note", &id, "after the crash"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!ws.path().join(&temp).exists() && !ws.path().join(&legacy).exists());
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
}

/// Many records are audited on two threads; the report still reads in ID order, and a broken
/// record in either half is found.
#[test]
fn a_large_workspace_is_reported_in_order_with_every_broken_record() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let text = ws.read(&format!("incidents/{id}.yaml"));
    let ids: Vec<String> = (100..180).map(|n| format!("INC-20261120-{n}")).collect();
    for other in &ids {
        ws.write(
            &format!("incidents/{other}.yaml"),
            &text.replace(&id, other),
        );
    }
    for broken in [&ids[5], &ids[70]] {
        ws.write(&format!("incidents/{broken}.yaml"), "kind: [unclosed\n");
    }
    let report = check_fails(&ws);
    let positions: Vec<usize> = ids
        .iter()
        .map(|id| report.find(&format!("{id}.yaml")).unwrap_or(usize::MAX))
        .collect();
    assert!(positions.iter().all(|&p| p != usize::MAX), "{report}");
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{report}");
    for broken in [&ids[5], &ids[70]] {
        assert_finding(&report, &format!("{broken}.yaml"), "");
    }
    assert_eq!(
        report.lines().filter(|l| l.starts_with("error")).count(),
        2,
        "{report}"
    );
}
