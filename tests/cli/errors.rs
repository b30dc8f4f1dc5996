//! The catalogue of bad input: each gets one clear error (file, line, field, hint), exit 1
//! (2 for command-line usage), and leaves the workspace exactly as it was.

use crate::common::{OWN_ONLY, Workspace, open_with, stderr};

/// Run `incident open` with these answers and assert it fails, writes nothing, and says
/// every one of `expected`.
fn open_fails(answers: &str, expected: &[&str]) -> String {
    let ws = Workspace::new();
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["open", "--by", "dana", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    for needle in expected {
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(ws.snapshot(), before, "the failed command wrote something");
    err
}

#[test]
fn broken_answers_yaml_names_the_line() {
    open_fails(
        "kind: wrong-segment\ntitle: x\nown:\n  how_found: [unclosed\n",
        &["stdin:", "not valid YAML"],
    );
}

#[test]
fn an_unknown_top_level_key_lists_the_valid_ones() {
    open_fails(
        "kind: wrong-segment\ntitle: x\napologize:\n  subject: Sorry\n",
        &[
            "stdin:3: unknown key \"apologize\"",
            "valid keys: kind, title, severity, by, own, stop, assess, plan, inform, monitor",
        ],
    );
}

#[test]
fn an_unknown_question_lists_the_valid_questions_of_the_step() {
    open_fails(
        &format!("{OWN_ONLY}  found_by: me\n"),
        &[
            "stdin:6: own: unknown question \"found_by\" for kind wrong-segment",
            "valid questions for own: discovered_at, how_found",
        ],
    );
}

#[test]
fn a_missing_required_answer_names_step_and_question() {
    open_fails(
        "kind: wrong-segment\ntitle: x\nown:\n  discovered_at: 2026-11-26T09:00:00Z\n",
        &[
            "missing required answer: step own, question \"how_found\"",
            "hint: add `how_found: <one of the choices>` under `own:`",
        ],
    );
}

#[test]
fn a_wrong_type_names_the_expected_type() {
    open_fails(
        &format!(
            "{OWN_ONLY}stop:\n  campaign_state: paused\n  campaign_id: C-1\nassess:\n  affected_count: lots\n  cause: filter\n"
        ),
        &[
            "stdin:10: assess.affected_count: expected a number",
            "found the string \"lots\"",
        ],
    );
    open_fails(
        "kind: wrong-segment\ntitle: x\nown:\n  discovered_at: last tuesday\n  how_found: other\n",
        &["own.discovered_at", "RFC 3339"],
    );
    open_fails(
        "kind: wrong-segment\ntitle: x\nown:\n  discovered_at: now\n  how_found: twitter\n",
        &[
            "\"twitter\" is not a choice",
            "subscriber-reply, internal-review",
        ],
    );
}

#[test]
fn impossible_values_are_refused_with_a_hint() {
    open_fails(
        "kind: wrong-segment\ntitle: x\nown:\n  discovered_at: 2026-11-26T10:00:01Z\n  how_found: other\n",
        &[
            "stdin:4: own.discovered_at: \"discovered_at\" 2026-11-26T10:00:01Z is in the future",
            "hint: write it as `discovered_at: 2026-11-26T09:30:00Z`",
        ],
    );
    let assess = |count: &str| {
        format!(
            "{OWN_ONLY}stop:\n  campaign_state: paused\n  campaign_id: C-1\nassess:\n  affected_count: {count}\n  cause: filter\n"
        )
    };
    open_fails(&assess("-5"), &["\"affected_count\" must be zero or more"]);
    open_fails(
        &assess("1.5"),
        &["\"affected_count\" counts whole things; 1.5 is not a whole number"],
    );
    open_fails(
        &format!("{OWN_ONLY}stop:\n  campaign_state: paused\n  campaign_id: 1004\n"),
        &[
            "stop.campaign_id: expected a string",
            "quotes keep YAML from reading a number or true as another type",
        ],
    );
}

#[test]
fn a_script_that_would_record_nothing_is_an_error() {
    open_fails(
        "kind: wrong-segment\ntitle: x\n",
        &[
            "missing required answer: step own, question \"how_found\"",
            "under `own:`",
        ],
    );
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args([
            "open",
            "--kind",
            "wrong-segment",
            "--title",
            "x",
            "--by",
            "ci",
        ])
        .arg("--non-interactive")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a forgotten --answers must fail CI"
    );
    assert!(ws.snapshot().is_empty());
}

#[test]
fn an_action_without_an_owner_is_refused() {
    let answers = format!(
        "{OWN_ONLY}stop:\n  campaign_state: paused\n  campaign_id: C-1\nassess:\n  affected_count: 3\n  cause: filter\nplan:\n  root_cause: x\n  preventions:\n    - what: Add a check\n      due: 2026-12-01\n"
    );
    open_fails(&answers, &["\"preventions\" item 1: owner is missing"]);
}

#[test]
fn a_later_step_without_the_earlier_one_is_refused() {
    open_fails(
        &format!("{OWN_ONLY}plan:\n  root_cause: x\n"),
        &[
            "a section for plan but none for stop",
            "steps are walked in order",
        ],
    );
}

#[test]
fn no_kind_and_no_terminal_is_an_error_not_a_prompt() {
    let err = open_fails(
        "title: x\n",
        &["no kind given and no terminal to ask on", "--kind KIND"],
    );
    assert!(err.contains("wrong-segment"), "lists the kinds: {err}");
    open_fails(
        "kind: wrong-sgment\ntitle: x\n",
        &["unknown incident kind \"wrong-sgment\""],
    );
}

#[test]
fn hostile_strings_in_titles_and_answers_are_refused() {
    open_fails(
        "kind: wrong-segment\ntitle: \"\\e[2J\\e[31mgotcha\"\n",
        &["title contains the control character U+001B"],
    );
    open_fails(
        "kind: wrong-segment\ntitle: \"a\\r\\nBcc: x@example.com\"\n",
        &["control character U+000D"],
    );
}

#[test]
fn hostile_ids_are_refused_before_any_path_is_built() {
    let ws = Workspace::new();
    let before = ws.snapshot();
    for id in [
        "../../x",
        "INC-20261126-001/../../../etc/passwd",
        "/etc/passwd",
        "INC-20261126-001.yaml",
    ] {
        for args in [
            vec!["show", id],
            vec!["resume", id, "--non-interactive"],
            vec!["note", id, "hello"],
            vec!["close", id, "--resolution", "done"],
        ] {
            let out = ws.incident().args(&args).output().expect("runs");
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = stderr(&out);
            assert!(
                err.contains(&format!("invalid incident ID {id:?}")),
                "{args:?}: {err}"
            );
            assert!(err.contains("INC-YYYYMMDD-NNN"), "{err}");
        }
    }
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_unknown_id_says_where_it_looked() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["show", "INC-20261126-009"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no incident INC-20261126-009 in"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_corrupt_record_is_reported_with_file_and_line_and_never_overwritten() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let path = format!("incidents/{id}.yaml");
    let corrupt = ws.read(&path).replace("severity: sev2", "severity: [sev2");
    ws.write(&path, &corrupt);
    for args in [
        vec!["show", id.as_str()],
        vec!["note", id.as_str(), "still here"],
        vec!["close", id.as_str(), "--resolution", "done"],
        vec!["resume", id.as_str(), "--non-interactive"],
    ] {
        let out = ws.incident().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(&format!("{path}:")), "{args:?}: {err}");
        assert!(err.contains("left untouched"), "{err}");
        assert_eq!(
            ws.read(&path),
            corrupt,
            "{args:?} overwrote the corrupt record"
        );
    }
    let out = ws.incident().args(["list"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("1 record(s) could not be read"));

    // A hand edit that parses as YAML but not as a record names the field.
    let original = corrupt.replace("severity: [sev2", "severity: sev2");
    for (edit, expected) in [
        (
            original.replace("severity: sev2", "severity: [1]"),
            ":7: severity: invalid type: sequence, expected one plain value",
        ),
        (
            original.replace("severity: sev2", "severity: sev9"),
            ":7: severity: unknown variant `sev9`, expected one of `sev1`",
        ),
        (
            original.replace("title: ", "titel: "),
            ":5: unknown field `titel`, expected one of",
        ),
    ] {
        ws.write(&path, &edit);
        let out = ws.incident().args(["show", &id]).output().expect("runs");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains(&format!("{path}{expected}")),
            "{}",
            stderr(&out)
        );
        assert_eq!(ws.read(&path), edit);
    }
}

#[test]
fn a_record_from_a_newer_version_is_refused_untouched() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let path = format!("incidents/{id}.yaml");
    let future = ws
        .read(&path)
        .replace("schema_version: 2", "schema_version: 7\nnew_field: x");
    ws.write(&path, &future);
    let commands: [&[&str]; 6] = [
        &["note", &id, "hello"],
        &["show", &id],
        &["resume", &id, "--answers", "-"],
        &["close", &id, "--resolution", "done"],
        &["report", &id],
        &["list"],
    ];
    for args in commands {
        let out = ws
            .incident()
            .args(args)
            .write_stdin("stop:\n  campaign_state: paused\n  campaign_id: C-1\n")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("schema_version 7 is newer than this incident understands (2)"),
            "{args:?}: {err}"
        );
        assert_eq!(ws.read(&path), future, "{args:?} touched the record");
    }
    let out = ws.incident().args(["show", &id]).output().expect("runs");
    assert!(stderr(&out).contains("hint: upgrade incident"));
}

#[test]
fn a_broken_workspace_runbook_names_file_line_and_field() {
    let ws = Workspace::new();
    ws.write(
        "runbooks/wrong-segment.yaml",
        "kind: wrong-segment\ntitle: Wrong\nsummary: s\ndefault_severity: sev2\napology:\n  policy: sometimes\n  reason: r\n",
    );
    let out = ws
        .incident()
        .args(["runbooks", "wrong-segment"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the runbook for \"wrong-segment\" is broken: "),
        "{err}"
    );
    assert!(err.contains("runbooks/wrong-segment.yaml:6"), "{err}");
    assert!(
        err.contains("apology.policy: unknown variant `sometimes`"),
        "{err}"
    );
    // The broken override hides the built-in, and every other kind works on.
    let out = ws.incident().args(["runbooks"]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("runbooks/wrong-segment.yaml:6: apology.policy"));
    assert!(stderr(&out).starts_with("warning: "));
    assert!(!crate::common::stdout(&out).contains("wrong-segment"));
    let out = ws
        .incident()
        .args(["open", "--by", "sam", "--dry-run", "--answers"])
        .arg(crate::common::answers_fixture("data-breach"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));

    ws.write(
        "runbooks/custom.yaml",
        &crate::common::builtin_runbook("wrong-segment")
            .replace("kind: wrong-segment", "kind: custom")
            .replace("type: number", "type: integer"),
    );
    std::fs::remove_file(ws.path().join("runbooks/wrong-segment.yaml")).expect("rm");
    let out = ws.incident().args(["check"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = crate::common::stdout(&out);
    assert!(text.contains("runbooks/custom.yaml:"), "{text}");
    assert!(text.contains("unknown variant `integer`"), "{text}");
}

#[test]
fn a_bad_config_names_the_line() {
    let ws = Workspace::new();
    ws.write(
        "incident.toml",
        "locale = \"en\"\n[roles]\nmarketing = \"Dana\"\nsales = \"Bob\"\n",
    );
    let out = ws.incident().args(["list"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("incident.toml:4"), "{err}");
    assert!(err.contains("sales"), "{err}");
    ws.write("incident.toml", "timezone = \"Mars/Olympus\"\n");
    let out = ws.incident().args(["list"]).output().expect("runs");
    assert!(
        stderr(&out)
            .contains("incident.toml:1: timezone \"Mars/Olympus\" is not an IANA time zone")
    );
}

#[test]
fn usage_errors_and_bad_flag_values_exit_2() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["open", "--severity", "sev9"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = ws.incident().args(["frobnicate"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = ws
        .incident()
        .args(["list"])
        .env("INCIDENT_NOW", "tomorrow")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'tomorrow' for '--now <RFC3339>': not an RFC 3339 date-time"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn notes_and_closes_refuse_nonsense() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["note", &id, "sent", "--notified", "gdpr-art99"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--notified \"gdpr-art99\" is not a legal clock"));
    let out = ws
        .incident()
        .args(["note", &id, "sent", "--notified", "gdpr-authority"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "--notified gdpr-authority: that clock does not apply to {id}"
        )),
        "{err}"
    );
    assert!(
        err.contains("a wrong-segment incident has no legal clocks"),
        "{err}"
    );
    let out = ws
        .incident()
        .args(["note", &id, "later", "--at", "2026-11-27T10:00:00Z"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--at 2026-11-27T10:00:00Z is in the future"));
    let out = ws
        .incident()
        .args(["note", &id, "  "])
        .output()
        .expect("runs");
    assert!(stderr(&out).contains("the note is empty"));
    let out = ws.incident().args(["close", &id]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no resolution given and no terminal to ask on"));
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn check_names_a_runbook_that_renames_or_retypes_a_question_the_apology_reads() {
    let ws = Workspace::new();
    let renamed = crate::common::builtin_runbook("wrong-segment")
        .replace("id: what_happened", "id: what_went_on");
    ws.write("runbooks/wrong-segment.yaml", &renamed);
    let retyped = crate::common::builtin_runbook("data-breach").replacen(
        "id: consequences\n        type: text",
        "id: consequences\n        type: list",
        1,
    );
    ws.write("runbooks/data-breach.yaml", &retyped);
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = crate::common::stdout(&out);
    assert!(
        text.contains("runbooks/wrong-segment.yaml:")
            && text.contains("steps.inform does not ask \"what_happened\", which the apology's first paragraph reads"),
        "{text}"
    );
    let line = retyped
        .lines()
        .position(|l| l.trim() == "- id: consequences")
        .expect("line")
        + 1;
    assert!(
        text.contains(&format!(
            "runbooks/data-breach.yaml:{line}: steps.inform.consequences is a list question"
        )),
        "{text}"
    );
    assert!(text.contains("2 problem(s) found") || stderr(&out).contains("2 problem(s) found"));
}

#[test]
fn a_record_of_the_first_layout_reads_and_is_kept_in_the_current_one() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let path = format!("incidents/{id}.yaml");
    let first = ws
        .read(&path)
        .replace("schema_version: 2", "schema_version: 1");
    assert!(first.contains("schema_version: 1"), "{first}");
    ws.write(&path, &first);
    let out = ws.incident().args(["show", &id]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = ws
        .incident()
        .args(["note", &id, "Still here"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ws.read(&path).contains("schema_version: 2"));
}
