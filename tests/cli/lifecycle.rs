//! The lifecycle as a script or CI job runs it: open, resume, note, show, list, close, and the
//! commands around them.

use serde_yaml::Value;

use crate::common::{NOW, OWN_ONLY, Workspace, answers_fixture, open_with, stderr, stdout};

const KINDS: [&str; 7] = [
    "wrong-segment",
    "broken-personalization",
    "subject-line",
    "malformed-message",
    "duplicate-send",
    "suppression-list-send",
    "data-breach",
];

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("valid YAML")
}

#[test]
fn every_kind_walks_all_six_steps_by_script() {
    for kind in KINDS {
        let ws = Workspace::new();
        let out = ws
            .incident()
            .args(["open", "--by", "dana", "--answers"])
            .arg(answers_fixture(kind))
            .output()
            .expect("runs");
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("INC-20261126-001 — all six steps done"),
            "{kind}: {}",
            stdout(&out)
        );

        let record = ws.record("INC-20261126-001");
        let answers = yaml(&std::fs::read_to_string(answers_fixture(kind)).expect("fixture"));
        assert_eq!(record["schema_version"], yaml("2"));
        assert_eq!(record["kind"].as_str(), Some(kind));
        assert_eq!(record["title"], answers["title"], "{kind}");
        assert_eq!(record["severity"], answers["severity"], "{kind}");
        assert_eq!(record["status"].as_str(), Some("open"));
        assert_eq!(record["opened_by"].as_str(), Some("dana"));
        assert_eq!(record["opened_at"].as_str(), Some(NOW));
        for step in ["own", "stop", "assess", "plan", "inform", "monitor"] {
            let section = &record["steps"][step];
            assert_eq!(section["status"].as_str(), Some("done"), "{kind} {step}");
            assert_eq!(section["completed_at"].as_str(), Some(NOW), "{kind} {step}");
            assert_eq!(section["by"].as_str(), Some("dana"), "{kind} {step}");
            let given = answers[step].as_mapping().expect("fixture has every step");
            for (question, value) in given {
                let stored = &section["answers"][question];
                let q = question.as_str().unwrap_or_default();
                if let Some(items) = value
                    .as_sequence()
                    .filter(|s| s.iter().all(Value::is_mapping))
                {
                    // Action items come back with their resolved type.
                    for (i, item) in items.iter().enumerate() {
                        for field in ["what", "owner", "due"] {
                            assert_eq!(
                                stored[i][field], item[field],
                                "{kind} {step}.{q}[{i}].{field}"
                            );
                        }
                        assert!(
                            stored[i]["type"].is_string(),
                            "{kind} {step}.{q}[{i}] has a type"
                        );
                    }
                } else {
                    assert_eq!(stored, value, "{kind} {step}.{q}");
                }
            }
        }
        let events: Vec<&str> = record["timeline"]
            .as_sequence()
            .expect("timeline")
            .iter()
            .filter_map(|e| e["event"].as_str())
            .collect();
        assert_eq!(
            events,
            [
                "opened",
                "step-completed",
                "step-completed",
                "step-completed",
                "step-completed",
                "step-completed",
                "step-completed"
            ]
        );
    }
}

#[test]
fn a_dry_run_prints_the_record_and_writes_nothing() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["open", "--by", "dana", "--dry-run", "--answers"])
        .arg(answers_fixture("data-breach"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = yaml(&stdout(&out));
    assert_eq!(printed["id"].as_str(), Some("INC-20261126-001"));
    assert_eq!(printed["steps"]["monitor"]["status"].as_str(), Some("done"));
    assert!(stderr(&out).contains(
        "dry run: INC-20261126-001 checked, 6/6 steps would be done; nothing was written"
    ));
    assert!(
        ws.snapshot().is_empty(),
        "dry run wrote {:?}",
        ws.snapshot().keys()
    );
}

#[test]
fn a_script_stops_before_the_first_step_it_has_no_answers_for_and_resume_continues() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["open", "--by", "dana", "--answers", "-"])
        .write_stdin(OWN_ONLY)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1/6 steps done; stopped before stop"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("incident resume INC-20261126-001"));
    let record = ws.record("INC-20261126-001");
    assert_eq!(record["steps"]["own"]["status"].as_str(), Some("done"));
    assert_eq!(record["steps"]["stop"]["status"].as_str(), Some("pending"));

    // The whole fixture can be given again: finished steps are skipped with a notice.
    let out = ws
        .incident()
        .env("INCIDENT_NOW", "2026-11-26T11:30:00Z")
        .args(["resume", "INC-20261126-001", "--by", "sam", "--answers"])
        .arg(answers_fixture("wrong-segment"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("own: already done; its answers in the file are ignored"));
    let record = ws.record("INC-20261126-001");
    assert_eq!(record["steps"]["own"]["by"].as_str(), Some("dana"));
    assert_eq!(record["steps"]["stop"]["by"].as_str(), Some("sam"));
    assert_eq!(
        record["steps"]["monitor"]["completed_at"].as_str(),
        Some("2026-11-26T11:30:00Z")
    );

    let out = ws
        .incident()
        .args(["resume", "INC-20261126-001"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("all six steps done; there is nothing to resume"));
}

#[test]
fn flags_fill_what_the_answers_template_leaves_empty() {
    let ws = Workspace::new();
    let template = stdout(
        &ws.incident()
            .args(["runbooks", "wrong-segment", "--answers-template"])
            .output()
            .expect("runs"),
    );
    assert!(template.contains("title: \"\""), "{template}");
    // The header and the first step, as a script fills it in before the rest is known.
    let answers = template
        .split("\n# 2.")
        .next()
        .expect("the template has steps")
        .to_string();
    let out = ws
        .incident()
        .args(["open", "--title", "VIP offer sent to all", "--by", "ci"])
        .args(["--dry-run", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        yaml(&stdout(&out))["title"].as_str(),
        Some("VIP offer sent to all")
    );
}

#[test]
fn the_id_carries_the_local_date_of_opening() {
    let ws = Workspace::new();
    ws.write("incident.toml", "timezone = \"Europe/Amsterdam\"\n");
    let out = ws
        .incident()
        .env("INCIDENT_NOW", "2026-11-26T23:30:00Z")
        .args(["open", "--quiet", "--by", "dana", "--answers", "-"])
        .write_stdin(OWN_ONLY)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "INC-20261127-001",
        "00:30 in Amsterdam"
    );
}

#[test]
fn who_acts_defaults_to_the_login_name_then_the_owner() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let out = ws
        .incident()
        .env_remove("USER")
        .args(["note", &id, "Paused"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let record = ws.record(&id);
    let timeline = record["timeline"].as_sequence().expect("timeline");
    let note = timeline.last().expect("note");
    assert_eq!(note["by"].as_str(), Some("dana"), "the owner");
}

#[test]
fn a_reader_that_goes_away_is_no_error() {
    let ws = Workspace::new();
    let bin = assert_cmd::cargo::cargo_bin("incident");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' runbooks data-breach | head -c 10 >/dev/null",
            bin.display()
        ))
        .current_dir(ws.path())
        .env("INCIDENT_NOW", crate::common::NOW)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn show_derives_durations_from_the_timeline() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let stop = "stop:\n  campaign_state: paused\n  campaign_id: C-1004\n";
    let out = ws
        .incident()
        .env("INCIDENT_NOW", "2026-11-26T11:10:00Z")
        .args(["resume", &id, "--answers", "-"])
        .write_stdin(stop)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(
        &ws.incident()
            .args(["show", &id, "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("json");
    // Discovered 09:40, acknowledged 10:00, stopped 11:10.
    assert_eq!(json["discovered_at"], "2026-11-26T09:40:00Z");
    assert_eq!(json["durations"]["time_to_acknowledge_seconds"], 20 * 60);
    assert_eq!(json["durations"]["time_to_stop_seconds"], 90 * 60);
    assert!(json["durations"]["time_to_inform_seconds"].is_null());
    let text = stdout(&ws.incident().args(["show", &id]).output().expect("runs"));
    assert!(text.contains("Time to acknowledge  20m"), "{text}");
    assert!(text.contains("Time to stop         1h 30m"), "{text}");
    assert!(
        text.contains("Status:      open (2/6 steps done, next: assess)"),
        "{text}"
    );
    let as_yaml = stdout(
        &ws.incident()
            .args(["show", &id, "--format", "yaml"])
            .output()
            .expect("runs"),
    );
    let as_yaml: serde_yaml::Value = serde_yaml::from_str(&as_yaml).expect("yaml");
    assert_eq!(as_yaml["id"].as_str(), Some(id.as_str()));
    assert_eq!(
        as_yaml["durations"]["time_to_stop_seconds"].as_i64(),
        Some(90 * 60),
        "YAML carries the derived durations too"
    );
    assert_eq!(
        as_yaml["discovered_at"].as_str(),
        Some("2026-11-26T09:40:00Z")
    );
    let steps: Vec<_> = json["steps"]
        .as_object()
        .expect("steps")
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        steps,
        ["own", "stop", "assess", "plan", "inform", "monitor"],
        "steps keep the walk's order"
    );
}

#[test]
fn notes_and_close_land_in_the_timeline_and_list_follows_the_status() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let out = ws
        .incident()
        .args(["note", &id, "Campaign paused in the ESP", "--by", "sam"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&ws.incident().args(["list"]).output().expect("runs"));
    assert!(
        list.contains(&id) && list.contains("1/6, next stop"),
        "{list}"
    );

    let out = ws
        .incident()
        .args(["close", &id, "--resolution", "Apology sent; filter fixed"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("warning: closed with steps pending: stop, assess, plan, inform, monitor")
    );
    let record = ws.record(&id);
    assert_eq!(record["status"].as_str(), Some("closed"));
    assert_eq!(
        record["resolution"].as_str(),
        Some("Apology sent; filter fixed")
    );
    assert_eq!(record["closed_by"].as_str(), Some("ci-bot"));
    let timeline = record["timeline"].as_sequence().expect("timeline");
    assert_eq!(timeline[2]["event"].as_str(), Some("note"));
    assert_eq!(timeline[2]["by"].as_str(), Some("sam"));
    assert_eq!(timeline[3]["event"].as_str(), Some("closed"));

    let list = stdout(&ws.incident().args(["list"]).output().expect("runs"));
    assert!(!list.contains(&id), "closed incidents are hidden: {list}");
    let json: serde_json::Value = serde_json::from_slice(
        &ws.incident()
            .args(["list", "--all", "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("json");
    assert_eq!(json[0]["id"], id.as_str());
    assert_eq!(json[0]["status"], "closed");
    let out = ws
        .incident()
        .args(["close", &id, "--resolution", "again"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is already closed"));
}

#[test]
fn a_drill_is_marked_everywhere() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["open", "--drill", "--by", "dana", "--answers", "-"])
        .write_stdin(OWN_ONLY)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ws.record("INC-20261126-001")["drill"], Value::Bool(true));
    let list = stdout(&ws.incident().args(["list"]).output().expect("runs"));
    assert!(list.contains("[DRILL] VIP offer sent to all"), "{list}");
    let show = stdout(
        &ws.incident()
            .args(["show", "INC-20261126-001"])
            .output()
            .expect("runs"),
    );
    assert!(
        show.starts_with("INC-20261126-001  [DRILL — practice incident]"),
        "{show}"
    );
    let json: serde_json::Value = serde_json::from_slice(
        &ws.incident()
            .args(["list", "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("json");
    assert_eq!(json[0]["drill"], true);
    // An ordinary incident carries no drill flag at all.
    open_with(&ws, OWN_ONLY);
    assert!(!ws.read("incidents/INC-20261126-002.yaml").contains("drill"));
}

#[test]
fn legal_clocks_run_from_discovery_and_are_met_by_a_recorded_notification() {
    let ws = Workspace::new();
    ws.write(
        "incident.toml",
        "[legal]\njurisdictions = [\"eu\", \"california\"]\n",
    );
    let out = ws
        .incident()
        .args(["open", "--by", "sam", "--answers"])
        .arg(answers_fixture("data-breach"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let id = "INC-20261126-001";
    let discovered = ws.record(id)["steps"]["own"]["answers"]["discovered_at"]
        .as_str()
        .expect("discovered_at")
        .to_string();
    let discovered = chrono::DateTime::parse_from_rfc3339(&discovered).expect("rfc3339");
    let at = |hours: i64| (discovered + chrono::Duration::hours(hours)).to_rfc3339();

    let clocks = |now: &str| -> serde_json::Value {
        let out = ws
            .incident()
            .env("INCIDENT_NOW", now)
            .args(["show", id, "--format", "json"])
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["legal_clocks"].clone()
    };
    let early = clocks(&at(24));
    let ids: Vec<_> = early
        .as_array()
        .expect("clocks")
        .iter()
        .map(|c| c["clock"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        [
            "gdpr-authority",
            "gdpr-individuals",
            "california-residents",
            "california-ag"
        ]
    );
    assert_eq!(early[0]["status"], "due");
    assert_eq!(
        early[0]["deadline"],
        (discovered + chrono::Duration::hours(72))
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    assert_eq!(clocks(&at(73))[0]["status"], "overdue");
    let list = stdout(
        &ws.incident()
            .env("INCIDENT_NOW", at(73))
            .args(["list"])
            .output()
            .expect("runs"),
    );
    assert!(list.contains("gdpr-authority OVERDUE by 1h"), "{list}");

    let out = ws
        .incident()
        .args([
            "note",
            id,
            "Reported to the supervisory authority, ref 2026-118",
            "--notified",
            "gdpr-authority",
            "--at",
        ])
        .arg(at(50))
        .env("INCIDENT_NOW", at(60))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let later = clocks(&at(100));
    assert_eq!(later[0]["status"], "met");
    assert_eq!(later[1]["status"], "due", "Art. 34 has no fixed deadline");
    let show = stdout(
        &ws.incident()
            .env("INCIDENT_NOW", at(100))
            .args(["show", id])
            .output()
            .expect("runs"),
    );
    assert!(show.contains("gdpr-authority"), "{show}");
    let list = stdout(
        &ws.incident()
            .env("INCIDENT_NOW", at(100))
            .args(["list"])
            .output()
            .expect("runs"),
    );
    assert!(list.contains("1 met"), "{list}");
    let listed: serde_json::Value = serde_json::from_slice(
        &ws.incident()
            .env("INCIDENT_NOW", at(100))
            .args(["list", "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("json");
    assert_eq!(listed[0]["legal_clocks"][0]["status"], "met");
    assert_eq!(listed[0]["legal_clocks"].as_array().map(Vec::len), Some(4));
    assert!(show.contains("— met"), "{show}");
    assert!(
        show.contains("the people affected (when high risk), without undue delay — due"),
        "{show}"
    );
}

#[test]
fn runbooks_describe_themselves_for_people_and_scripts() {
    let ws = Workspace::new();
    let out = ws.incident().args(["runbooks"]).output().expect("runs");
    let table = stdout(&out);
    for kind in KINDS {
        assert!(table.contains(kind), "{table}");
    }
    let json: serde_json::Value = serde_json::from_slice(
        &ws.incident()
            .args(["runbooks", "suppression-list-send", "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("json");
    assert_eq!(json["kind"], "suppression-list-send");
    assert_eq!(json["apology"]["policy"], "never");
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 6);
    assert_eq!(steps[0]["step"], "own");
    assert_eq!(steps[0]["questions"][0]["id"], "discovered_at");
    assert_eq!(steps[0]["questions"][0]["type"], "datetime");
    assert_eq!(steps[0]["questions"][0]["required"], true);
    assert!(steps[0]["questions"][1]["choices"].is_array());

    ws.write(
        "incident.toml",
        "[roles]\nsecurity = \"Priya (IT on call)\"\n",
    );
    let text = stdout(
        &ws.incident()
            .args(["runbooks", "data-breach"])
            .output()
            .expect("runs"),
    );
    assert!(
        text.contains("Takes charge: IT/Security (Priya (IT on call))"),
        "{text}"
    );
    assert!(
        text.contains("Legal clocks: gdpr-authority, gdpr-individuals"),
        "{text}"
    );
}

#[test]
fn every_answers_template_is_valid_yaml_naming_only_known_questions() {
    let ws = Workspace::new();
    for kind in KINDS {
        let out = ws
            .incident()
            .args(["runbooks", kind, "--answers-template"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        let template = stdout(&out);
        let parsed = yaml(&template);
        assert_eq!(parsed["kind"].as_str(), Some(kind));
        // Filled with a title, the template is accepted up to its first placeholder.
        let filled = template.replacen("title: \"\"", "title: Drill", 1);
        let out = ws
            .incident()
            .args(["open", "--dry-run", "--by", "dana", "--answers", "-"])
            .write_stdin(filled)
            .output()
            .expect("runs");
        let err = stderr(&out);
        assert!(!err.contains("unknown"), "{kind}: {err}");
        assert!(
            out.status.success() || err.contains("must not be empty"),
            "{kind}: {err}"
        );
    }
}

#[test]
fn environment_twins_drive_a_ci_run() {
    let ws = Workspace::new();
    let answers = ws.write(
        "answers.yaml",
        "own:\n  discovered_at: 2026-11-26T09:00:00Z\n  how_found: esp-alert\n",
    );
    let out = ws
        .incident()
        .current_dir("/")
        .env("INCIDENT_DIR", ws.path())
        .env("INCIDENT_KIND", "duplicate-send")
        .env("INCIDENT_TITLE", "Black Friday mail sent twice")
        .env("INCIDENT_SEVERITY", "sev3")
        .env("INCIDENT_BY", "ci")
        .env("INCIDENT_ANSWERS", &answers)
        .env("INCIDENT_QUIET", "1")
        .arg("open")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "INC-20261126-001\n");
    let record = ws.record("INC-20261126-001");
    assert_eq!(record["kind"].as_str(), Some("duplicate-send"));
    assert_eq!(record["severity"].as_str(), Some("sev3"));
    assert_eq!(record["opened_by"].as_str(), Some("ci"));

    // The boolean twins take 1/true and leave 0/false/empty off.
    let twin = |name: &str, value: &str| {
        ws.incident()
            .env("INCIDENT_DIR", ws.path())
            .env("INCIDENT_KIND", "duplicate-send")
            .env("INCIDENT_TITLE", "Sent twice again")
            .env("INCIDENT_ANSWERS", &answers)
            .env("INCIDENT_QUIET", "1")
            .env(name, value)
            .arg("open")
            .output()
            .expect("runs")
    };
    let before = ws.snapshot();
    let out = twin("INCIDENT_DRY_RUN", "true");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ws.snapshot(), before, "INCIDENT_DRY_RUN wrote something");
    let out = twin("INCIDENT_DRILL", "1");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(ws.record("INC-20261126-002")["drill"].as_bool(), Some(true));
    let out = twin("INCIDENT_DRILL", "0");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(ws.record("INC-20261126-003")["drill"].as_bool() != Some(true));
    let out = twin("INCIDENT_NON_INTERACTIVE", "1");
    assert!(out.status.success(), "{}", stderr(&out));

    let out = ws
        .incident()
        .env(
            "INCIDENT_RESOLUTION",
            "Duplicate suppressed; no apology needed",
        )
        .args(["close", "INC-20261126-001"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        ws.record("INC-20261126-001")["resolution"].as_str(),
        Some("Duplicate suppressed; no apology needed")
    );
}

#[test]
fn resume_with_dry_run_checks_the_rest_and_writes_nothing() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["resume", &id, "--dry-run", "--answers"])
        .arg(answers_fixture("wrong-segment"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("6/6 steps would be done; nothing was written"));
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn times_are_stored_in_utc_and_shown_in_the_workspace_time_zone() {
    let ws = Workspace::new();
    ws.write("incident.toml", "timezone = \"Europe/Amsterdam\"\n");
    let id = open_with(&ws, OWN_ONLY);
    assert_eq!(ws.record(&id)["opened_at"].as_str(), Some(NOW));
    let show = stdout(&ws.incident().args(["show", &id]).output().expect("runs"));
    assert!(
        show.contains("Opened:      2026-11-26 11:00 CET by dana"),
        "{show}"
    );
    assert!(show.contains("Discovered:  2026-11-26 10:40 CET"), "{show}");
}

#[test]
fn init_writes_a_workspace_once_and_never_overwrites() {
    let ws = Workspace::new();
    ws.write(
        "runbooks/wrong-segment.yaml",
        &crate::common::builtin_runbook("wrong-segment").replace("sev2\n", "sev1\n"),
    );
    let mine = ws.read("runbooks/wrong-segment.yaml");
    let out = ws.incident().arg("init").output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("kept     ./runbooks/wrong-segment.yaml"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.read("runbooks/wrong-segment.yaml"), mine);
    assert!(ws.read("incident.toml").contains("[legal]"));
    assert!(ws.path().join("runbooks/data-breach.yaml").exists());
    let before = ws.snapshot();
    let out = ws.incident().arg("init").output().expect("runs");
    assert!(out.status.success());
    let kept = format!(
        "0 file(s) written, {} kept",
        8 + incident::templates::BUILT_IN.len()
    );
    assert!(stdout(&out).contains(&kept), "{}", stdout(&out));
    assert!(ws.path().join("templates/email/base.html").exists());
    assert_eq!(ws.snapshot(), before);

    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("is valid"));
}

#[test]
fn check_lists_every_problem_for_ci() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    assert!(
        ws.incident()
            .arg("check")
            .output()
            .expect("runs")
            .status
            .success()
    );
    ws.write(
        &format!("incidents/{id}.yaml"),
        "schema_version: 1\nid: [\n",
    );
    ws.write("incident.toml", "colour = \"blue\"\n");
    ws.write("incidents/notes.yaml", "hello: world\n");
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("error  ./incident.toml:1: unknown field `colour`"),
        "{text}"
    );
    assert!(
        text.contains(&format!("error  ./incidents/{id}.yaml:")),
        "{text}"
    );
    assert!(text.contains("notes.yaml"), "{text}");
    assert!(
        stderr(&out).contains("3 problem(s) found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_and_help_are_there_for_every_shell_and_command() {
    let ws = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = ws
            .incident()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        assert!(stdout(&out).contains("resume"), "{shell}");
        if shell == "bash" {
            // The script must at least parse in the shell it is for.
            let script = ws.write("incident.bash", &stdout(&out));
            let check = std::process::Command::new("bash")
                .arg("-n")
                .arg(&script)
                .output()
                .expect("bash runs");
            assert!(check.status.success(), "{}", stderr(&check));
        }
    }
    for command in [
        "open",
        "resume",
        "list",
        "show",
        "note",
        "close",
        "runbooks",
        "check",
        "init",
        "completions",
        "audience",
        "email",
        "lint",
        "monitor",
        "report",
    ] {
        let out = ws
            .incident()
            .args([command, "--help"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        assert!(
            stdout(&out).contains("Example"),
            "{command} --help has no example"
        );
    }
}

#[test]
fn a_closed_breach_stays_listed_while_a_legal_clock_runs() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args(["open", "--quiet", "--by", "sam", "--answers"])
        .arg(answers_fixture("data-breach"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    let out = ws
        .incident()
        .args([
            "close",
            &id,
            "--resolution",
            "Contained",
            "--force",
            "Handed to Legal",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: legal clock gdpr-authority (the supervisory authority) due in"),
        "{err}"
    );
    assert!(
        err.contains("warning: legal clock gdpr-individuals (the people affected (when high risk)) missed: closed without a recorded notification"),
        "{err}"
    );
    let list = stdout(&ws.incident().args(["list"]).output().expect("runs"));
    assert!(list.contains(&id) && list.contains("closed"), "{list}");
    assert!(list.contains("gdpr-authority due in"), "{list}");
    assert!(list.contains("1 missed"), "{list}");
}
