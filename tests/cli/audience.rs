//! `incident audience`: byte-for-byte agreement with the reference implementation on generated
//! and hand-made messy send logs (fixtures written by `reference.py`, see
//! tests/fixtures/audience/regenerate.sh), the record it keeps, the file it writes, and the
//! catalogue of refusals, each of which leaves the workspace as it was.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Workspace, one_open_incident as incident, stderr, stdout};

/// The standard query of the benchmark.
const WINDOW: &[&str] = &[
    "--campaign",
    "C-1004",
    "--from",
    "2026-11-20T09:00:00Z",
    "--until",
    "2026-11-20T13:00:00Z",
    "--status",
    "delivered",
];

/// The segment query of the fixtures.
const SEGMENTS: &[&str] = &[
    "--segment",
    "vip",
    "--segment",
    "loyalty, gold",
    "--status",
    "Delivered",
];

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audience")
        .join(rel)
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// Run `incident audience ID ARGS --format json` and return the parsed summary.
fn audience_json(ws: &Workspace, id: &str, args: &[String]) -> Value {
    let out = ws
        .incident()
        .args(["audience", id, "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "audience failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON summary")
}

/// The summary agrees with the reference's summary.json on every key it has.
fn assert_summary_matches(ours: &Value, reference: &Path) {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(reference).expect("summary.json"))
            .expect("reference JSON");
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(
            &ours[key],
            value,
            "{key} differs from {}",
            reference.display()
        );
    }
}

/// Compute `query` on a fixture folder's files and compare with the reference's outputs.
fn agrees_with_reference(dir: &str, suppressions: &[&str], query: &[&str], expected: &str) {
    let (ws, id) = incident();
    let mut args = vec![
        "--sends".to_string(),
        arg(&fixture(&format!("{dir}/sends.csv"))),
    ];
    for file in suppressions {
        args.push("--suppressions".into());
        args.push(arg(&fixture(&format!("{dir}/{file}"))));
    }
    args.extend(query.iter().map(|s| s.to_string()));
    let summary = audience_json(&ws, &id, &args);
    let ours = std::fs::read(ws.path().join(format!("incidents/{id}/recipients.csv")))
        .expect("recipients.csv written");
    let reference = std::fs::read(fixture(&format!("{dir}/{expected}.recipients.csv")))
        .expect("reference recipients");
    assert!(
        ours == reference,
        "{dir} {expected}: recipients.csv differs from the reference"
    );
    assert_summary_matches(
        &summary,
        &fixture(&format!("{dir}/{expected}.summary.json")),
    );
}

#[test]
fn generated_logs_agree_with_the_reference_byte_for_byte() {
    for dir in ["seed1", "seed2", "seed3"] {
        agrees_with_reference(dir, &["suppressions.csv"], WINDOW, "standard");
        agrees_with_reference(dir, &["suppressions.csv"], SEGMENTS, "segments");
        agrees_with_reference(dir, &[], &[], "everything");
    }
}

#[test]
fn a_messy_export_agrees_with_the_reference_byte_for_byte() {
    // BOM, CRLF, header names in any case with spaces, columns in another order, extra
    // columns, quoted commas and line breaks, blank lines, offsets, non-ASCII case, and three
    // suppression files in three shapes.
    let suppressions = ["unsubscribes.csv", "bounces.csv", "complaints.csv"];
    agrees_with_reference("messy", &suppressions, WINDOW, "standard");
}

#[test]
fn an_unreadable_time_is_refused_even_without_a_window() {
    // The reference skips a time it is not asked to compare; a log with a row whose time
    // cannot be read is not one to trust without a look, so the whole run stops, naming it.
    let (ws, id) = incident();
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["audience", &id, "--sends"])
        .arg(fixture("messy/sends.csv"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("messy/sends.csv:33: sent_at \"not a time\" is not a time"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn the_record_keeps_the_counts_and_the_timeline_says_so() {
    let (ws, id) = incident();
    let dir = fixture("messy");
    let out = ws
        .incident()
        .args(["audience", &id, "--by", "dana", "--sends"])
        .arg(dir.join("sends.csv"))
        .arg("--suppressions")
        .arg(dir.join("unsubscribes.csv"))
        .arg("--suppressions")
        .arg(dir.join("bounces.csv"))
        .args(WINDOW)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "{id}: 10 affected subscribers → incidents/{id}/recipients.csv"
        )),
        "{text}"
    );
    assert!(text.contains("malformed    6 rows"), "{text}");

    let record = ws.record(&id);
    let audience = &record["steps"]["assess"]["audience"];
    assert_eq!(audience["affected"].as_u64(), Some(10));
    assert_eq!(audience["suppressed"].as_u64(), Some(2));
    assert_eq!(audience["malformed_rows"].as_u64(), Some(6));
    assert_eq!(audience["malformed"]["no-at"].as_u64(), Some(1));
    assert_eq!(audience["malformed"]["white-space"].as_u64(), Some(1));
    assert_eq!(audience["segments"]["vip"].as_u64(), Some(4));
    assert_eq!(audience["segments"]["loyalty, gold"].as_u64(), Some(1));
    assert_eq!(audience["rows_read"].as_u64(), Some(28));
    assert_eq!(audience["filter"]["campaign"].as_str(), Some("C-1004"));
    assert_eq!(
        audience["filter"]["from"].as_str(),
        Some("2026-11-20T09:00:00Z")
    );
    assert_eq!(audience["by"].as_str(), Some("dana"));
    assert_eq!(
        audience["recipients"].as_str(),
        Some(format!("incidents/{id}/recipients.csv").as_str())
    );
    // The step itself is not completed by this.
    assert_eq!(
        record["steps"]["assess"]["status"].as_str(),
        Some("pending")
    );
    let last = record["timeline"]
        .as_sequence()
        .and_then(|t| t.last())
        .expect("timeline");
    assert_eq!(last["event"].as_str(), Some("audience-computed"));
    assert_eq!(last["step"].as_str(), Some("assess"));
    let message = last["message"].as_str().expect("message");
    assert!(
        message.starts_with("Audience computed: 10 affected"),
        "{message}"
    );

    // The record stays readable by every command.
    let show = ws.incident().args(["show", &id]).output().expect("runs");
    assert!(show.status.success(), "{}", stderr(&show));
    assert!(
        stdout(&show).contains(
            "Audience (incident audience, 2026-11-26 10:00 UTC by dana): 10 affected ((no segment) 1, b2b 2, loyalty, gold 1,"
        ),
        "{}",
        stdout(&show)
    );
    assert!(stdout(&show).contains(&format!(
        "2 suppressed, 6 malformed row(s) left out; list incidents/{id}/recipients.csv"
    )));
    let check = ws.incident().arg("check").output().expect("runs");
    assert!(check.status.success(), "{}", stderr(&check));
}

#[cfg(unix)]
#[test]
fn the_list_is_readable_by_its_owner_only_even_when_it_replaces_a_wider_file() {
    use std::os::unix::fs::PermissionsExt;
    let (ws, id) = incident();
    let path = ws.path().join(format!("incidents/{id}/recipients.csv"));
    let run = || {
        let out = ws
            .incident()
            .args(["audience", &id, "--sends"])
            .arg(fixture("seed3/sends.csv"))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
    };
    run();
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    run();
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_dry_run_prints_the_summary_and_writes_nothing() {
    let (ws, id) = incident();
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["audience", &id, "--dry-run", "--sends"])
        .arg(fixture("seed1/sends.csv"))
        .arg("--suppressions")
        .arg(fixture("seed1/suppressions.csv"))
        .args(WINDOW)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(dry run: not written)"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.snapshot(), before, "the dry run wrote something");

    let json = audience_json(
        &ws,
        &id,
        &[
            "--dry-run".into(),
            "--sends".into(),
            arg(&fixture("seed1/sends.csv")),
            "--suppressions".into(),
            arg(&fixture("seed1/suppressions.csv")),
            "--campaign".into(),
            "C-1004".into(),
            "--from".into(),
            "2026-11-20T09:00:00Z".into(),
            "--until".into(),
            "2026-11-20T13:00:00Z".into(),
            "--status".into(),
            "delivered".into(),
        ],
    );
    assert_eq!(json["dry_run"], Value::Bool(true));
    assert_eq!(json["recipients"], Value::Null);
    assert_summary_matches(&json, &fixture("seed1/standard.summary.json"));
    assert_eq!(ws.snapshot(), before, "the dry run wrote something");
}

#[test]
fn quiet_prints_only_the_count() {
    let (ws, id) = incident();
    let out = ws
        .incident()
        .args(["audience", &id, "--quiet", "--sends"])
        .arg(fixture("seed1/sends.csv"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "474\n");
    assert_eq!(stderr(&out), "", "no progress bar or status off a terminal");
}

/// Run `incident audience` on an incident with `sends` (written into the workspace) and the
/// extra arguments; assert it fails with exit 1, says each of `expected`, and writes nothing.
fn refused(sends: &[u8], extra: &[&str], expected: &[&str]) -> String {
    let (ws, id) = incident();
    let file = ws.path().join("export.csv");
    std::fs::write(&file, sends).expect("write export");
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["audience", &id, "--sends", "export.csv"])
        .args(extra)
        .output()
        .expect("runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for needle in expected {
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
    assert_eq!(ws.snapshot(), before, "the failed command wrote something");
    assert!(!ws.path().join(format!("incidents/{id}")).exists());
    err
}

#[test]
fn a_send_log_without_an_email_column_names_the_columns_there_are() {
    refused(
        b"\xEF\xBB\xBF\r\nContact,Campaign_ID\r\nx@y.z,C-1\r\n",
        &[],
        &[
            "export.csv:2: no `email` column",
            "the columns are `Contact`, `Campaign_ID`",
        ],
    );
}

#[test]
fn a_semicolon_separated_export_is_named_as_such() {
    refused(
        b"email;segment\nx@y.z;vip\n",
        &[],
        &[
            "the columns are `email;segment`",
            "hint: the header looks separated by semicolons",
        ],
    );
}

#[test]
fn an_inverted_window_is_refused_before_it_replaces_a_list() {
    refused(
        b"email,sent_at\nx@y.z,2026-11-20T10:00:00Z\n",
        &[
            "--from",
            "2026-11-21T00:00:00Z",
            "--until",
            "2026-11-20T00:00:00Z",
        ],
        &["--from is not before --until", "swap them"],
    );
}

#[test]
fn a_filter_needs_its_column() {
    refused(
        b"email,segment\nx@y.z,vip\n",
        &["--campaign", "C-1004"],
        &["export.csv:1: no `campaign_id` column (--campaign filters on it)"],
    );
    refused(
        b"email,campaign_id\nx@y.z,C-1\n",
        &["--from", "2026-11-20T09:00:00Z"],
        &["no `sent_at` column (--from/--until filters on it)"],
    );
}

#[test]
fn a_row_with_another_number_of_fields_names_its_line() {
    // The reference's own message; the quoted line break keeps the line count honest.
    refused(
        b"email,segment,notes\na@x.y,vip,\"two\nlines\"\nb@x.y,vip, gold,\n",
        &[],
        &["export.csv:4: expected 3 fields, found 4", "must be quoted"],
    );
}

#[test]
fn a_time_that_cannot_be_read_names_its_line_and_value() {
    refused(
        b"email,sent_at,status\na@x.y,2026-11-20T10:00:00Z,delivered\nb@x.y,20/11/2026 10:00,delivered\n",
        &["--from", "2026-11-20T09:00:00Z"],
        &[
            "export.csv:3: sent_at \"20/11/2026 10:00\" is not a time",
            "2026-11-20T09:30:00Z",
            "--time-format",
        ],
    );
}

#[test]
fn an_unparsable_row_is_refused() {
    refused(
        b"email,segment\na@x.y,vip\nb@x.y,\"vip\n",
        &[],
        &["export.csv:3: a quoted field that starts in this record is never closed"],
    );
    refused(
        b"email,segment\na@x.y,vip\nb\xE9@x.y,vip\n",
        &[],
        &["export.csv:3: not UTF-8 text (byte 0xE9)", "UTF-8"],
    );
}

#[test]
fn an_empty_or_missing_file_is_refused() {
    refused(
        b"",
        &[],
        &["export.csv: the send log is empty: no header row"],
    );
    refused(b"\xEF\xBB\xBF\r\n\r\n", &[], &["the send log is empty"]);
    refused(
        b"email\nx@y.z\n",
        &["--suppressions", "nowhere.csv"],
        &["nowhere.csv: no such file"],
    );
}

#[test]
fn a_suppression_file_needs_an_email_column() {
    let (ws, id) = incident();
    ws.write("sends.csv", "email\nx@y.z\n");
    ws.write("unsubscribes.csv", "contact,when\nx@y.z,2026-01-01\n");
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--sends",
            "sends.csv",
            "--suppressions",
            "unsubscribes.csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unsubscribes.csv:1: no `email` column (a suppression file lists addresses); the columns are `contact`, `when`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn bad_window_flags_and_ids_are_refused() {
    let (ws, id) = incident();
    ws.write("export.csv", "email\nx@y.z\n");
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--sends",
            "export.csv",
            "--from",
            "yesterday",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad flag value is a usage error"
    );
    assert!(
        stderr(&out).contains("--from \"yesterday\" is not a time"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.snapshot(), before);
    for hostile in ["../../etc/passwd", "INC-20261126-001/../x", "INC-2026"] {
        let ws = Workspace::new();
        ws.write("sends.csv", "email\nx@y.z\n");
        let out = ws
            .incident()
            .args(["audience", hostile, "--sends", "sends.csv"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("invalid incident ID"),
            "{}",
            stderr(&out)
        );
        assert!(!ws.path().join("incidents").exists());
    }
    let ws = Workspace::new();
    ws.write("sends.csv", "email\nx@y.z\n");
    let out = ws
        .incident()
        .args(["audience", "INC-20261126-009", "--sends", "sends.csv"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no incident INC-20261126-009"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_computed_count_is_the_default_of_affected_count_when_the_walk_goes_on() {
    let (ws, id) = incident();
    let out = ws
        .incident()
        .args(["audience", &id, "--quiet", "--sends"])
        .arg(fixture("seed1/sends.csv"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    // The answers leave affected_count out: the computed figure fills it.
    let out = ws
        .incident()
        .args(["resume", &id, "--by", "dana", "--answers", "-"])
        .write_stdin("stop:\n  campaign_state: paused\n  campaign_id: C-1004\nassess:\n  cause: The segment filter was dropped\n")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let record = ws.record(&id);
    assert_eq!(
        record["steps"]["assess"]["answers"]["affected_count"].as_u64(),
        Some(474)
    );
}

#[test]
fn the_record_names_its_inputs_by_full_path() {
    let (ws, id) = incident();
    ws.write("exports/sends.csv", "email\nx@y.z\n");
    let out = ws
        .incident()
        .args(["audience", &id, "--sends", "exports/sends.csv"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let sends = ws.record(&id)["steps"]["assess"]["audience"]["sends"]
        .as_str()
        .expect("sends")
        .to_string();
    let expected = std::fs::canonicalize(ws.path().join("exports/sends.csv")).expect("exists");
    assert_eq!(sends, expected.display().to_string());
}
