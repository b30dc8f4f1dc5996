//! `incident report`: the post-mortem of a finished data breach and of a half-done incident,
//! compared with golden files under tests/fixtures/report/ (`UPDATE_SNAPSHOTS=1 cargo test`
//! rewrites them; review the diff like code), the HTML parsed and its chart checked, `--out`,
//! and the summary across incidents.

use crate::common::{Workspace, answers_fixture, fixture, stderr, stdout};

/// The moment the reports are made: after the breach was closed, with some action items due.
const REPORT_AT: &str = "2026-12-10T09:00:00Z";

/// Compare with a golden file, or rewrite it when UPDATE_SNAPSHOTS=1.
fn assert_snapshot(name: &str, actual: &str) {
    let path = fixture(&format!("report/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run UPDATE_SNAPSHOTS=1 cargo test to create it",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the report, first at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             If the change is intended, run UPDATE_SNAPSHOTS=1 cargo test and review the diff.",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end>"),
            actual.lines().nth(line).unwrap_or("<end>")
        );
    }
}

/// Run a command at a given instant and require success (or the given exit code).
fn run_at(ws: &Workspace, at: &str, args: &[&str], code: i32) -> std::process::Output {
    let out = ws
        .incident()
        .env("INCIDENT_NOW", at)
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

/// The data-breach fixture opened at 07:05 on the day, all six steps answered.
fn open_breach(ws: &Workspace) -> String {
    let answers = answers_fixture("data-breach").display().to_string();
    let out = run_at(
        ws,
        "2026-11-26T07:05:00Z",
        &["open", "--quiet", "--by", "dana", "--answers", &answers],
        0,
    );
    stdout(&out).trim().to_string()
}

/// A data breach walked to the end: notifications (on time, late, one still due), the
/// apology, action items done, deliverability with a baseline, and the close.
fn finished_breach() -> (Workspace, String) {
    let ws = Workspace::new();
    for name in ["incident.toml", "breach-stats.csv", "breach-baseline.csv"] {
        let text = std::fs::read_to_string(fixture(&format!("report/{name}"))).expect("fixture");
        ws.write(name, &text);
    }
    let id = open_breach(&ws);
    let notes: [(&str, &str, &str); 5] = [
        (
            "nl-ap",
            "2026-11-27T13:40:00Z",
            "Reported to the Autoriteit Persoonsgegevens, ref AP-2026-118734",
        ),
        (
            "gdpr-authority",
            "2026-11-27T13:40:00Z",
            "The AP report is the GDPR Art. 33 notification (lead authority)",
        ),
        (
            "gdpr-individuals",
            "2026-11-27T16:00:00Z",
            "Notice of Data Breach sent to the 212,400 people affected",
        ),
        (
            "uk-ico",
            "2026-11-29T09:00:00Z",
            "Reported to the ICO, case IC-448812",
        ),
        (
            "california-residents",
            "2026-12-05T10:00:00Z",
            "Notice mailed to the 1,310 California residents",
        ),
    ];
    for (clock, at, message) in notes {
        run_at(
            &ws,
            "2026-12-05T12:00:00Z",
            &[
                "note",
                &id,
                message,
                "--notified",
                clock,
                "--at",
                at,
                "--by",
                "sarah",
            ],
            0,
        );
    }
    run_at(
        &ws,
        "2026-11-27T15:30:00Z",
        &["email", &id, "--by", "dana"],
        0,
    );
    // The people affected are informed when the notice goes out, not when it is written.
    run_at(
        &ws,
        "2026-11-27T16:05:00Z",
        &[
            "note",
            &id,
            "Notice of Data Breach sent from the ESP to the 212,400 people affected",
            "--sent",
            "--at",
            "2026-11-27T16:00:00Z",
            "--by",
            "dana",
        ],
        0,
    );
    // Two actions done, one of them late; the rest stay open.
    for (number, at, message) in [
        ("1", "2026-11-27T11:00:00Z", "Host confirmed the takedown"),
        (
            "3",
            "2026-12-07T09:00:00Z",
            "SSO with 2FA enforced for every ESP user",
        ),
    ] {
        run_at(
            &ws,
            at,
            &[
                "note",
                &id,
                message,
                "--action-done",
                number,
                "--by",
                "erik",
            ],
            0,
        );
    }
    // The phishing send itself is critical, so the import exits 1 — and is saved.
    run_at(
        &ws,
        "2026-12-04T08:00:00Z",
        &[
            "monitor",
            &id,
            "--metrics",
            "breach-stats.csv",
            "--baseline",
            "breach-baseline.csv",
            "--by",
            "lena",
        ],
        1,
    );
    run_at(
        &ws,
        "2026-12-09T16:00:00Z",
        &[
            "close",
            &id,
            "--by",
            "erik",
            "--resolution",
            "Account secured with SSO and 2FA, authorities and people notified, phishing site taken down",
            "--force",
            "The remaining actions are tracked in the security backlog",
        ],
        0,
    );
    (ws, id)
}

#[test]
fn a_finished_data_breach_matches_its_golden_reports() {
    let (ws, id) = finished_breach();
    let md = stdout(&run_at(&ws, REPORT_AT, &["report", &id], 0));
    assert_snapshot("data-breach.md", &md);
    let html = stdout(&run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--format", "html"],
        0,
    ));
    assert_snapshot("data-breach.html", &html);
    let json = stdout(&run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--format", "json"],
        0,
    ));
    assert_snapshot("data-breach.json", &json);

    // What a reader must find, whatever the golden file says.
    for expected in [
        "| Severity | sev1 |",
        "| Status | closed, 6/6 steps done |",
        "**Affected subscribers: 212,400**",
        "**Total cost: 123,000**",
        "| `gdpr-authority` |",
        "**met**",
        "**missed** (missed by 2h 10m)",
        "**due** (due in ",
        "| Time to acknowledge | 15m |",
        "**OVERDUE**",
        "Security took charge within 20 minutes",
        "**critical**: complaint rate 0.60 % ≥ 0.30 % (critical)",
        "Apology: \"Notice of Data Breach\" (en, breach template)",
    ] {
        assert!(md.contains(expected), "{expected:?} in the Markdown report");
    }
    assert!(
        !md.contains("## Still missing\n\n- Step"),
        "no step is missing"
    );

    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON report");
    assert_eq!(value["header"]["id"].as_str(), Some(id.as_str()));
    assert_eq!(value["impact"]["affected_count"].as_u64(), Some(212_400));
    let statuses: Vec<&str> = value["legal"]["clocks"]
        .as_array()
        .expect("clocks")
        .iter()
        .filter_map(|c| c["status"].as_str())
        .collect();
    assert_eq!(statuses, ["met", "met", "met", "missed", "met", "due"]);
    assert_eq!(
        value["durations"][1]["seconds"].as_i64(),
        Some(15 * 60),
        "time to acknowledge in seconds"
    );
}

#[test]
fn the_html_report_is_well_formed_self_contained_and_holds_the_chart() {
    let (ws, id) = finished_breach();
    let html = stdout(&run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--format", "html"],
        0,
    ));
    // Written as polyglot XHTML, so a strict XML parser checks every tag is closed and nested.
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("the HTML report does not parse: {e}"));
    let svgs: Vec<_> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "svg")
        .collect();
    assert_eq!(svgs.len(), 2, "a complaint and a bounce panel");
    for svg in &svgs {
        let count = |tag: &str, class: &str| {
            svg.descendants()
                .filter(|n| {
                    n.tag_name().name() == tag
                        && n.attribute("class").is_some_and(|c| c.starts_with(class))
                })
                .count()
        };
        assert_eq!(count("circle", "dot"), 4, "a point per checkpoint");
        assert_eq!(count("line", "rule"), 2, "warning and critical lines");
        assert_eq!(count("polyline", "series"), 1);
    }
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"Complaint rate (% of delivered)"));
    assert!(titles.contains(&"Bounce rate (% of sent)"));
    assert!(titles.contains(&"2026-11-26: 0.60 %"), "{titles:?}");
    // Self-contained: nothing is fetched.
    for attr in ["src", "href"] {
        assert!(
            !doc.descendants().any(|n| n.attribute(attr).is_some()),
            "an element with {attr}= would fetch something"
        );
    }
    assert!(!html.contains("<script"), "no script");
}

#[test]
fn a_half_done_incident_renders_and_says_what_is_missing() {
    let ws = Workspace::new();
    let answers = fixture("report/half-done.yaml").display().to_string();
    let out = run_at(
        &ws,
        "2026-11-26T09:25:00Z",
        &["open", "--quiet", "--by", "dana", "--answers", &answers],
        0,
    );
    let id = stdout(&out).trim().to_string();
    let md = stdout(&run_at(&ws, "2026-11-26T10:00:00Z", &["report", &id], 0));
    assert_snapshot("half-done.md", &md);
    for expected in [
        "## Still missing",
        &format!("- Step 3 (Assess the damage) is not done: `incident resume {id}`\n"),
        "- Step 6 (Proceed carefully) is not done",
        &format!("No deliverability checkpoints: `incident monitor {id} --metrics stats.csv`\n"),
        "| 3 | Assess the damage | pending |",
        "Affected subscribers: not assessed yet",
        "Root cause: not recorded yet",
        "Still open: 2 of 6 steps done, next: assess the damage.",
    ] {
        assert!(md.contains(expected), "{expected:?} in\n{md}");
    }
    // HTML and JSON render too; in HTML the commands are code, not Markdown backticks.
    let html = stdout(&run_at(
        &ws,
        "2026-11-26T10:00:00Z",
        &["report", &id, "--format", "html"],
        0,
    ));
    assert!(
        html.contains(&format!(
            "<li>Step 3 (Assess the damage) is not done: <code>incident resume {id}</code></li>"
        )),
        "{html}"
    );
    assert!(!html.contains('`'), "Markdown backticks in the HTML");
    run_at(
        &ws,
        "2026-11-26T10:00:00Z",
        &["report", &id, "--format", "json"],
        0,
    );
}

#[test]
fn out_writes_into_the_incident_folder_unless_given_a_path() {
    let ws = Workspace::new();
    let answers = fixture("report/half-done.yaml").display().to_string();
    let id = stdout(&run_at(
        &ws,
        "2026-11-26T09:25:00Z",
        &["open", "--quiet", "--by", "dana", "--answers", &answers],
        0,
    ))
    .trim()
    .to_string();
    let folder = format!("incidents/{id}");

    let out = run_at(&ws, REPORT_AT, &["report", &id, "--out"], 0);
    assert_eq!(stdout(&out).trim(), format!("./{folder}/report.md"));
    assert!(
        ws.read(&format!("{folder}/report.md"))
            .starts_with("# Post-mortem: ")
    );

    run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--format", "html", "--out"],
        0,
    );
    assert!(
        ws.read(&format!("{folder}/report.html"))
            .starts_with("<!DOCTYPE html>")
    );

    run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--out", "postmortem.md"],
        0,
    );
    assert!(ws.path().join(&folder).join("postmortem.md").exists());

    run_at(
        &ws,
        REPORT_AT,
        &["report", &id, "--out", "docs/pm.json", "--format", "json"],
        0,
    );
    assert!(
        ws.path().join("docs/pm.json").exists(),
        "a path is written where it says"
    );

    let out = run_at(&ws, REPORT_AT, &["report", &id, "--out", ".."], 1);
    assert!(
        stderr(&out).contains("names a folder, not a file"),
        "{}",
        stderr(&out)
    );
    let out = run_at(&ws, REPORT_AT, &["report", "INC-20261126-404"], 1);
    assert!(stderr(&out).contains("no incident INC-20261126-404"));
    let out = run_at(&ws, REPORT_AT, &["report"], 2);
    assert!(stderr(&out).contains("--summary"), "{}", stderr(&out));
}

#[test]
fn the_summary_counts_by_kind_and_severity_and_leaves_drills_out() {
    let ws = Workspace::new();
    for (kind, drill) in [
        ("wrong-segment", false),
        ("duplicate-send", false),
        ("wrong-segment", false),
        ("data-breach", true),
    ] {
        let answers = answers_fixture(kind).display().to_string();
        let mut args = vec!["open", "--quiet", "--by", "dana", "--answers", &answers];
        if drill {
            args.push("--drill");
        }
        run_at(&ws, "2026-11-26T10:00:00Z", &args, 0);
    }
    // The first one's apology goes out, under the fixture's brand; the other two have not
    // informed anyone yet.
    let branded = std::fs::read_to_string(fixture("report/incident.toml")).expect("fixture");
    ws.write("incident.toml", &branded);
    let first = "INC-20261126-001";
    run_at(
        &ws,
        "2026-11-26T11:00:00Z",
        &["email", first, "--by", "dana"],
        0,
    );
    let sent = ["note", first, "Sent from the ESP", "--sent", "--by", "dana"];
    run_at(&ws, "2026-11-26T11:30:00Z", &sent, 0);
    let md = stdout(&run_at(&ws, REPORT_AT, &["report", "--summary"], 0));
    for expected in [
        "3 incident(s): 3 open, 0 closed; 1 drill(s) left out.",
        "| Campaign sent to the wrong segment (`wrong-segment`) | 2 |",
        "| sev2 | 2 |",
        "| Time to acknowledge | 1h 20m | 3 |",
        "| Time to inform | 2h 50m | 1 |",
        " | 6/6 | 2h 50m |\n| INC-20261126-002 | ",
        " | 6/6 | — |\n| INC-20261126-003 | ",
    ] {
        assert!(md.contains(expected), "{expected:?} in\n{md}");
    }
    assert!(!md.contains("data-breach"), "the drill is left out");

    let json = stdout(&run_at(
        &ws,
        REPORT_AT,
        &["report", "--summary", "--format", "json"],
        0,
    ));
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["totals"]["incidents"].as_u64(), Some(3));
    assert_eq!(value["totals"]["drills_left_out"].as_u64(), Some(1));

    run_at(
        &ws,
        REPORT_AT,
        &["report", "--summary", "--format", "html", "--out"],
        0,
    );
    let html = ws.read("incidents/summary.html");
    let informed = r#"<td>6/6</td><td class="num">2h 50m</td></tr>"#;
    assert_eq!(html.matches(informed).count(), 1, "{html}");
    assert_eq!(
        html.matches(r#"<td class="num">—</td></tr>"#).count(),
        2,
        "{html}"
    );
}

#[test]
fn check_compiles_report_templates_and_refuses_unknown_variables() {
    let ws = Workspace::new();
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("built-in template(s) compile and name known variables"),
        "{}",
        stdout(&out)
    );

    ws.write(
        "templates/report/report.md",
        "# {{ header.title }}\n{{ headline }}\n",
    );
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(
            "templates/report/report.md: the template names unknown variable(s): headline"
        ),
        "{text}"
    );
    assert!(
        text.contains("hint: templates in report/ can use: generated_at, header"),
        "{text}"
    );

    // An override that only uses known variables replaces the built-in report.
    ws.write(
        "templates/report/report.md",
        "# {{ header.id }}: {{ header.title }}\n",
    );
    let id = stdout(&run_at(
        &ws,
        "2026-11-26T09:25:00Z",
        &[
            "open",
            "--quiet",
            "--by",
            "dana",
            "--answers",
            &fixture("report/half-done.yaml").display().to_string(),
        ],
        0,
    ))
    .trim()
    .to_string();
    let md = stdout(&run_at(&ws, REPORT_AT, &["report", &id], 0));
    assert_eq!(md, format!("# {id}: Spring sale sent to the B2B segment\n"));
}

#[test]
fn a_broken_template_stops_only_the_format_it_renders() {
    let ws = Workspace::new();
    let id = crate::common::open_with(&ws, crate::common::OWN_ONLY);
    ws.write("templates/report/summary.html", "<p>{% if %}</p>\n");
    for args in [
        vec!["report", "--summary"],
        vec!["report", "--summary", "--format", "json"],
        vec!["report", &id],
    ] {
        run_at(&ws, REPORT_AT, &args, 0);
    }
    let out = run_at(
        &ws,
        REPORT_AT,
        &["report", "--summary", "--format", "html"],
        1,
    );
    let text = stderr(&out);
    assert!(text.contains("templates/report/summary.html"), "{text}");
    assert!(!ws.path().join("incidents/summary.html").exists());
}

#[test]
fn text_from_the_record_cannot_break_the_markdown() {
    let ws = Workspace::new();
    let answers = crate::common::OWN_ONLY.replace(
        "title: VIP offer sent to all",
        "title: \"<img src=x onerror=alert(1)> | sent to all\"",
    );
    let id = crate::common::open_with(&ws, &answers);
    run_at(
        &ws,
        "2026-11-26T11:00:00Z",
        &["note", &id, "line one\n| injected | row |"],
        0,
    );
    let md = stdout(&run_at(&ws, REPORT_AT, &["report", &id], 0));
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)> \\| sent to all"),
        "{md}"
    );
    assert!(!md.contains("<img"), "{md}");
    assert!(md.contains("line one \\| injected \\| row \\|"), "{md}");
    assert!(
        !md.lines().any(|l| l.starts_with("| injected")),
        "a note's line break made a table row: {md}"
    );
}

#[test]
fn an_action_item_is_marked_done_once_and_by_its_number() {
    let ws = Workspace::new();
    let id = open_breach(&ws);
    let done = |number: &str| {
        ws.incident()
            .env("INCIDENT_NOW", "2026-11-28T10:00:00Z")
            .args(["note", &id, "Done", "--action-done", number])
            .output()
            .expect("runs")
    };
    let out = done("2");
    assert!(out.status.success(), "{}", stderr(&out));
    let show = stdout(&run_at(&ws, "2026-11-28T10:00:00Z", &["show", &id], 0));
    assert!(show.contains("2. [mitigate] Publish a notice"), "{show}");
    assert!(show.contains("— done 2026-11-28"), "{show}");
    assert!(
        show.contains("1. [mitigate] Ask the phishing site's host"),
        "{show}"
    );
    assert!(show.contains("— OVERDUE"), "{show}");

    let out = done("2");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("was done on 2026-11-28"),
        "{}",
        stderr(&out)
    );
    let out = done("9");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("--action-done 9: {id} has 6 action item(s)")),
        "{}",
        stderr(&out)
    );
}

/// A send log without a segment column counts no segments: the impact lists the segments
/// the assess step names, not an empty one.
#[test]
fn a_log_without_segments_leaves_the_named_segments_in_the_impact() {
    let ws = Workspace::new();
    let id = crate::common::open_fixture(&ws, "wrong-segment");
    ws.write("sends.csv", "email\nann@example.com\nbob@example.com\n");
    run_at(
        &ws,
        REPORT_AT,
        &["audience", &id, "--sends", "sends.csv"],
        0,
    );
    let out = run_at(&ws, REPORT_AT, &["report", &id], 0);
    let report = stdout(&out);
    assert!(report.contains("**Affected subscribers: 2**"), "{report}");
    assert!(
        report.contains("- Segment Newsletter - all subscribers (EU): —"),
        "{report}"
    );
    assert!(!report.contains("- Segment :"), "{report}");
    let shown = stdout(&run_at(&ws, REPORT_AT, &["show", &id], 0));
    assert!(shown.contains(": 2 affected; 0 suppressed"), "{shown}");
}

/// A mistake began when the email went out: the time to detect runs from the send.
#[test]
fn the_time_to_detect_runs_from_the_send_of_a_mistake() {
    let ws = Workspace::new();
    let id = crate::common::open_fixture(&ws, "wrong-segment"); // sent 07:00, found 08:40
    let out = run_at(&ws, REPORT_AT, &["report", &id], 0);
    let report = stdout(&out);
    assert!(report.contains("- Time to detect: 1h 40m"), "{report}");
    assert!(report.contains("| The email went out |"), "{report}");
}
