//! `incident monitor` as a CI job runs it: import the ESP's stats, read the flags, and fail on
//! critical deliverability.

use serde_json::Value;

use crate::common::{Workspace, fixture, open_fixture, stderr, stdout};

fn monitor(ws: &Workspace, id: &str, args: &[&str]) -> std::process::Output {
    ws.incident()
        .arg("monitor")
        .arg(id)
        .args(args)
        .output()
        .expect("runs")
}

fn path(rel: &str) -> String {
    fixture(rel).display().to_string()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn levels(value: &Value) -> Vec<(String, String)> {
    value["checkpoints"]
        .as_array()
        .expect("checkpoints")
        .iter()
        .map(|c| {
            (
                c["checkpoint"]["date"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                c["level"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_import_is_stored_on_the_monitor_step_and_shown_with_its_flags() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let out = monitor(
        &ws,
        &id,
        &[
            "--metrics",
            &path("monitor/stats.csv"),
            "--baseline",
            &path("monitor/baseline.csv"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "2026-11-28 is critical");
    let shown = stdout(&out);
    for expected in [
        "baseline 2026-11-01 to 2026-11-15",
        "│ 2026-11-26 ",
        "0.21 %",
        "88.50 %",
        "critical  2026-11-28  complaint rate 0.33 % ≥ 0.30 % (critical)",
        "warning   2026-11-26  inbox placement 88.50 % < 90.00 % (warning)",
    ] {
        assert!(shown.contains(expected), "{expected:?} in\n{shown}");
    }
    let err = stderr(&out);
    assert!(
        err.contains("3 checkpoint(s) from") && err.contains("3 new, 0 replaced"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {id}: deliverability is critical on 1 checkpoint(s) — 2026-11-28: complaint rate 0.33 % ≥ 0.30 % (critical)"
        )),
        "{err}"
    );

    let record = ws.record(&id);
    let monitor = &record["steps"]["monitor"];
    let checkpoints = monitor["checkpoints"].as_sequence().expect("stored");
    assert_eq!(checkpoints.len(), 3);
    assert_eq!(checkpoints[1]["date"].as_str(), Some("2026-11-27"));
    assert_eq!(checkpoints[1]["complaints"].as_u64(), Some(52));
    assert_eq!(checkpoints[0]["inbox_placement"].as_f64(), Some(88.5));
    assert!(
        checkpoints[0].get("bounce_rate").is_none(),
        "rates are derived, never stored"
    );
    assert_eq!(monitor["baseline"]["checkpoints"].as_u64(), Some(3));
    assert_eq!(monitor["baseline"]["sent"].as_u64(), Some(150_000));
    assert_eq!(monitor["baseline"]["inbox_placement"].as_f64(), Some(95.9));
    let last = record["timeline"]
        .as_sequence()
        .and_then(|t| t.last())
        .expect("timeline");
    assert_eq!(last["event"].as_str(), Some("metrics-imported"));
    assert_eq!(last["by"].as_str(), Some("ci-bot"));
    assert!(
        last["message"]
            .as_str()
            .is_some_and(|m| m.contains("2026-11-26 to 2026-11-28")),
        "{last:?}"
    );

    // `incident check` accepts the record, schema version unchanged.
    let check = ws.incident().arg("check").output().expect("runs");
    assert!(check.status.success(), "{}", stdout(&check));
    assert_eq!(record["schema_version"].as_u64(), Some(2));
}

#[test]
fn columns_may_come_in_any_order_with_extra_ones() {
    let ordered = Workspace::new();
    let id = open_fixture(&ordered, "wrong-segment");
    monitor(&ordered, &id, &["--metrics", &path("monitor/stats.csv")]);
    let reordered = Workspace::new();
    let id2 = open_fixture(&reordered, "wrong-segment");
    monitor(
        &reordered,
        &id2,
        &["--metrics", &path("monitor/stats-reordered.csv")],
    );
    assert_eq!(
        ordered.record(&id)["steps"]["monitor"]["checkpoints"],
        reordered.record(&id2)["steps"]["monitor"]["checkpoints"]
    );
}

#[test]
fn a_reimport_replaces_the_same_dates_and_never_duplicates() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    monitor(&ws, &id, &["--metrics", &path("monitor/stats.csv")]);
    monitor(&ws, &id, &["--metrics", &path("monitor/stats.csv")]);
    let record = ws.record(&id);
    let checkpoints = record["steps"]["monitor"]["checkpoints"]
        .as_sequence()
        .expect("stored");
    assert_eq!(checkpoints.len(), 3, "the same file twice is still 3 days");

    // The ESP's numbers for the 28th settled lower; the 29th is new.
    let out = monitor(&ws, &id, &["--metrics", &path("monitor/recovered.csv")]);
    assert!(
        stderr(&out).contains("1 new, 1 replaced"),
        "{}",
        stderr(&out)
    );
    let record = ws.record(&id);
    let checkpoints = record["steps"]["monitor"]["checkpoints"]
        .as_sequence()
        .expect("stored");
    let dates: Vec<&str> = checkpoints
        .iter()
        .filter_map(|c| c["date"].as_str())
        .collect();
    assert_eq!(
        dates,
        ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    );
    assert_eq!(checkpoints[2]["complaints"].as_u64(), Some(40));
    let imports = record["timeline"]
        .as_sequence()
        .expect("timeline")
        .iter()
        .filter(|e| e["event"].as_str() == Some("metrics-imported"))
        .count();
    assert_eq!(imports, 3, "every import is in the timeline");
}

#[test]
fn the_exit_status_follows_the_newest_data() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let critical = monitor(&ws, &id, &["--metrics", &path("monitor/stats.csv")]);
    assert_eq!(critical.status.code(), Some(1));
    let shown = monitor(&ws, &id, &[]);
    assert_eq!(
        shown.status.code(),
        Some(1),
        "without --metrics: the latest stored checkpoint is critical"
    );
    let recovered = monitor(&ws, &id, &["--metrics", &path("monitor/recovered.csv")]);
    assert!(
        recovered.status.success(),
        "the corrected 28th and the 29th are fine: {}",
        stderr(&recovered)
    );
    let shown = monitor(&ws, &id, &["--quiet"]);
    assert!(shown.status.success());
    assert_eq!(stdout(&shown), "", "--quiet prints no table");
}

#[test]
fn the_threshold_edges_are_reached_at_their_value() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let out = monitor(
        &ws,
        &id,
        &["--metrics", &path("monitor/edges.csv"), "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let value = json(&out);
    let expected = [
        ("2026-11-27", "warning"),  // complaints exactly 0.1 %
        ("2026-11-28", "critical"), // complaints exactly 0.3 %
        ("2026-11-29", "warning"),  // bounces exactly 2 %
        ("2026-11-30", "critical"), // bounces exactly 5 %
        ("2026-12-01", "ok"),       // 0.09 % and 0.1 %: under both
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(d, l)| (d.to_string(), l.to_string()))
        .collect();
    assert_eq!(levels(&value), expected);
    assert_eq!(value["level"].as_str(), Some("critical"));
    assert_eq!(
        value["checkpoints"][1]["flags"][0]["signal"].as_str(),
        Some("complaint-rate")
    );
    assert_eq!(
        value["thresholds"]["complaint_critical"].as_f64(),
        Some(0.3)
    );
}

#[test]
fn thresholds_come_from_incident_toml_and_are_validated() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    ws.write(
        "incident.toml",
        "[thresholds]\ncomplaint_warning = 0.05\ncomplaint_critical = 0.5\nbounce_warning = 1\n",
    );
    let out = monitor(
        &ws,
        &id,
        &["--metrics", &path("monitor/edges.csv"), "--format", "json"],
    );
    let value = json(&out);
    let levels = levels(&value);
    assert_eq!(levels[1].1, "warning", "0.3 % is under a critical of 0.5 %");
    assert_eq!(levels[4].1, "warning", "0.09 % reaches a warning of 0.05 %");
    assert_eq!(out.status.code(), Some(1), "5 % bounces stay critical");

    ws.write(
        "incident.toml",
        "locale = \"en\"\n\n[thresholds]\ncomplaint_warning = 0.3\ncomplaint_critical = 0.1\n",
    );
    let out = monitor(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "incident.toml:4: thresholds.complaint_warning (0.3 %) must be below thresholds.complaint_critical (0.1 %)"
        ),
        "{err}"
    );
    assert!(err.contains("hint: thresholds are percentages"), "{err}");

    ws.write("incident.toml", "[thresholds]\ncomplaint_warn = 0.2\n");
    let err = stderr(&monitor(&ws, &id, &[]));
    assert!(
        err.contains("incident.toml:2") && err.contains("complaint_warn"),
        "unknown keys are refused: {err}"
    );
}

#[test]
fn bad_csv_names_file_line_and_column_and_writes_nothing() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let before = ws.snapshot();
    let bad = path("monitor/bad-count.csv");
    let out = monitor(&ws, &id, &["--metrics", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "error: {bad}:3:4: `bounces` is \"nine hundred\", not a whole number\n  hint: "
        )),
        "{err}"
    );
    assert_eq!(ws.snapshot(), before, "nothing written");

    // A good metrics file with a bad baseline is refused whole, too.
    ws.write("base.csv", "date,sent\n2026-11-01,5\n");
    let out = monitor(
        &ws,
        &id,
        &[
            "--metrics",
            &path("monitor/stats.csv"),
            "--baseline",
            "base.csv",
        ],
    );
    let err = stderr(&out);
    assert!(
        err.contains(
            "base.csv:1: the header has no `bounces`, `complaints` columns (found: date, sent)"
        ),
        "{err}"
    );
    assert_eq!(
        ws.snapshot().len(),
        before.len() + 1,
        "only base.csv is new"
    );

    let out = monitor(&ws, &id, &["--metrics", "missing.csv"]);
    assert!(
        stderr(&out).contains("missing.csv: no such file"),
        "{}",
        stderr(&out)
    );
    let out = monitor(&ws, "INC-20261126-999", &[]);
    assert!(stderr(&out).contains("no incident INC-20261126-999"));
}

#[test]
fn with_nothing_imported_it_says_how_to_start() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let out = monitor(&ws, &id, &[]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains(&format!(
            "no checkpoints yet. Import the ESP's stats with `incident monitor {id} --metrics stats.csv`"
        )),
        "{}",
        stdout(&out)
    );
}

/// Figures from before the email went out are the normal period, not the aftermath: the
/// import says so and points to --baseline.
#[test]
fn figures_from_before_the_incident_are_named_as_such() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment"); // sent 2026-11-26 07:00 UTC
    ws.write(
        "before.csv",
        "date,sent,delivered,bounces,complaints\n2026-11-24,1000,990,10,0\n2026-11-25,1000,990,10,0\n",
    );
    let out = monitor(&ws, &id, &["--metrics", "before.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "warning: every checkpoint imported is from before the incident (2026-11-26 07:00"
        ),
        "{err}"
    );
    assert!(err.contains("import them with --baseline instead"), "{err}");

    ws.write(
        "after.csv",
        "date,sent,delivered,bounces,complaints\n2026-11-26,1000,990,10,0\n",
    );
    let out = monitor(&ws, &id, &["--metrics", "after.csv"]);
    assert!(
        !stderr(&out).contains("before the incident"),
        "{}",
        stderr(&out)
    );
}
