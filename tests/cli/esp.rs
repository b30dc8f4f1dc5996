//! Real ESP exports, each in its provider's own format, read by its preset. Every fixture
//! tells one story (tests/fixtures/esp/README.md): the "Black Friday preview" campaign sent on
//! 2026-11-20 from 10:00 UTC, with a bounce, a drop, a deferral, an unsubscribe, a complaint,
//! a late batch and another campaign. Each preset must find the same people.

use std::io::Write as _;

use serde_json::Value;

use crate::common::*;

const WINDOW: [&str; 4] = [
    "--from",
    "2026-11-20T09:30:00Z",
    "--until",
    "2026-11-20T12:00:00Z",
];

/// Who the email reached, for the ESPs that log deliveries and opens (an open implies the
/// delivery, so niaj, who opened without a delivery event, counts).
const REACHED: [&str; 6] = [
    "alice@example.com",
    "bob.smith@example.com",
    "mallory+promo@example.com",
    "niaj@example.net",
    "peggy@example.org",
    "victor@example.com",
];

fn esp(name: &str) -> String {
    fixture(&format!("esp/{name}")).display().to_string()
}

/// Run `incident audience` on a new incident; the output and the recipients written.
fn audience(args: &[&str]) -> (std::process::Output, Vec<String>) {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let out = ws
        .incident()
        .args(["audience", &id, "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let recipients =
        std::fs::read_to_string(ws.path().join(format!("incidents/{id}/recipients.csv")))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect();
    (out, recipients)
}

/// The audience of a preset's export; fails the test when the command does.
fn reached(args: &[&str]) -> (Value, Vec<String>) {
    let (out, recipients) = audience(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON summary");
    (summary, recipients)
}

#[test]
fn every_event_esp_finds_the_people_the_email_reached() {
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (
            "sendgrid",
            "7412",
            "sendgrid.sends.csv",
            &[
                "sendgrid.suppressions.bounces.json",
                "sendgrid.suppressions.spam_reports.json",
                "sendgrid.suppressions.unsubscribes.json",
            ],
        ),
        (
            "klaviyo",
            "01JCRW6P4T9B3QK0N7XH2D5M8V",
            "klaviyo.sends.json",
            &["klaviyo.suppressions.json"],
        ),
        (
            "mailgun",
            "bf-2026-11",
            "mailgun.sends.jsonl",
            &[
                "mailgun.suppressions.bounces.csv",
                "mailgun.suppressions.complaints.csv",
                "mailgun.suppressions.unsubscribes.csv",
            ],
        ),
        (
            "postmark",
            "bf-2026-11",
            "postmark.sends.jsonl",
            &["postmark.suppressions.json"],
        ),
        (
            "brevo",
            "87",
            "brevo.sends.jsonl",
            &["brevo.suppressions.json"],
        ),
        (
            "hubspot",
            "104711843",
            "hubspot.sends.jsonl",
            &["hubspot.suppressions.csv"],
        ),
    ];
    for (preset, campaign, sends, suppressions) in cases {
        let sends = esp(sends);
        let mut args = vec![
            "--preset",
            preset,
            "--sends",
            &sends,
            "--campaign",
            campaign,
        ];
        args.extend(WINDOW);
        args.extend(["--status", "delivered"]);
        let files: Vec<String> = suppressions.iter().map(|f| esp(f)).collect();
        for file in &files {
            args.extend(["--suppressions", file.as_str()]);
        }
        let (summary, recipients) = reached(&args);
        assert_eq!(recipients, REACHED, "{preset}");
        assert_eq!(summary["affected"], 6, "{preset}");
        assert_eq!(summary["input"]["preset"], preset, "{preset}");
    }
}

#[test]
fn mailchimp_counts_every_recipient_that_did_not_bounce() {
    // The sent-to report has no time per recipient: the campaign is the filter.
    let sends = esp("mailchimp.sends.jsonl");
    let (cleaned, unsubscribed) = (
        esp("mailchimp.suppressions.cleaned.csv"),
        esp("mailchimp.suppressions.unsubscribed.csv"),
    );
    let (summary, recipients) = reached(&[
        "--preset",
        "mailchimp",
        "--sends",
        &sends,
        "--campaign",
        "4e1f2a9c0b",
        "--status",
        "delivered",
        "--suppressions",
        &cleaned,
        "--suppressions",
        &unsubscribed,
    ]);
    let mut expected = REACHED.to_vec();
    expected.insert(4, "olivia@example.com");
    assert_eq!(recipients, expected);
    assert_eq!(summary["suppressed"], 3);
    assert_eq!(summary["segments"]["a1b2c3d4e5"], 7);
}

#[test]
fn ses_takes_the_logs_own_unsubscribes_out_and_reads_every_destination() {
    let (sends, suppressions) = (esp("ses.sends.jsonl"), esp("ses.suppressions.json"));
    let mut args = vec![
        "--preset",
        "ses",
        "--sends",
        &sends,
        "--campaign",
        "bf-2026-11",
    ];
    args.extend(WINDOW);
    args.extend(["--status", "delivered", "--suppressions", &suppressions]);
    let (summary, recipients) = reached(&args);
    // Erin unsubscribed through this very campaign (a Subscription event); Trent's August
    // unsubscribe is in no SES data, so only the customer's own list could take him out.
    assert_eq!(summary["opted_out"], 1);
    assert!(!recipients.iter().any(|r| r == "erin@example.com"));
    assert!(recipients.iter().any(|r| r == "trent@example.net"));
    assert_eq!(recipients.len(), 7, "{recipients:?}");
    assert_eq!(summary["segments"]["vip"], 4);
}

#[test]
fn sfmc_without_delivery_events_is_refused_until_the_bounces_are_excluded() {
    let sends = esp("sfmc.sends.csv");
    let mut args = vec!["--preset", "sfmc", "--sends", &sends, "--campaign", "48213"];
    args.extend(WINDOW);
    let mut delivered = args.clone();
    delivered.extend(["--status", "delivered"]);
    let (out, recipients) = audience(&delivered);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("holds no delivery events, only 13 row(s) of mail handed over"),
        "{err}"
    );
    assert!(err.contains("--exclude"), "{err}");
    assert!(recipients.is_empty(), "nothing written");

    let (bounces, suppressions) = (esp("sfmc.sends.bounces.csv"), esp("sfmc.suppressions.csv"));
    args.extend([
        "--status",
        "sent",
        "--exclude",
        &bounces,
        "--suppressions",
        &suppressions,
    ]);
    let (summary, recipients) = reached(&args);
    let mut expected = REACHED.to_vec();
    expected.insert(4, "olivia@example.com");
    assert_eq!(recipients, expected);
    assert_eq!(summary["excluded"], 2, "carol and grace bounced");
    // SFMC writes Central Standard Time without a zone: the preset says which.
    assert_eq!(summary["input"]["zone_assumed"], "Etc/GMT+6");
}

#[test]
fn a_sendgrid_export_without_its_preset_is_refused_not_guessed() {
    let sends = esp("sendgrid.sends.csv");
    let (out, recipients) = audience(&[
        "--sends",
        &sends,
        "--campaign",
        "7412",
        "--status",
        "delivered",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "sendgrid.sends.csv:1: both \"event\" and \"status\" could be the status column"
        ),
        "{err}"
    );
    assert!(err.contains("hint: say which with --map status="), "{err}");
    assert!(recipients.is_empty());
    // Naming the column is enough; naming the preset in the path too.
    let (summary, _) = reached(&[
        "--sends",
        &format!("sendgrid:{sends}"),
        "--campaign",
        "7412",
        "--status",
        "delivered",
    ]);
    assert_eq!(summary["input"]["preset"], "sendgrid");
}

#[test]
fn gzip_and_standard_input_give_the_same_list() {
    let plain = std::fs::read(fixture("esp/sendgrid.sends.csv")).expect("fixture");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).expect("compress");
    let gz = gz.finish().expect("compress");
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    std::fs::write(ws.path().join("events.csv.gz"), &gz).expect("write");
    let run = |sends: &str, stdin: Option<&[u8]>| {
        let mut cmd = ws.incident();
        cmd.args([
            "audience",
            &id,
            "--preset",
            "sendgrid",
            "--campaign",
            "7412",
        ])
        .args([
            "--status",
            "delivered",
            "--dry-run",
            "--format",
            "json",
            "--sends",
            sends,
        ]);
        if let Some(input) = stdin {
            cmd.write_stdin(input.to_vec());
        }
        let out = cmd.output().expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str::<Value>(&stdout(&out)).expect("JSON")
    };
    let from_file = run("events.csv.gz", None);
    let from_stdin = run("-", Some(&gz));
    assert_eq!(from_file["affected"], from_stdin["affected"]);
    assert_eq!(from_file["input"]["gzip"], true);
    assert_eq!(from_stdin["sends"], "standard input");
}

#[test]
fn files_the_tool_cannot_read_are_named_for_what_they_are() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    std::fs::write(ws.path().join("export.zip"), b"PK\x03\x04rest of a zip").expect("write");
    std::fs::write(ws.path().join("export.csv"), b"\xFF\xFEe\0m\0a\0i\0l\0\n\0").expect("write");
    for (file, needle) in [
        ("export.zip", "is a ZIP archive"),
        ("export.csv", "is UTF-16 text"),
    ] {
        let before = ws.snapshot();
        let out = ws
            .incident()
            .args(["audience", &id, "--sends", file])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(needle) && err.contains("hint: "), "{err}");
        assert_eq!(ws.snapshot(), before);
    }
}

#[test]
fn an_unknown_preset_or_a_bad_flag_is_a_usage_error() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    ws.write("sends.csv", "email\nx@y.z\n");
    for (args, needle) in [
        (vec!["--preset", "sendgird"], "did you mean \"sendgrid\""),
        (vec!["--map", "emial=Email"], "--map"),
        (vec!["--time-zone", "Mars/Olympus"], "not an IANA time zone"),
        (
            vec!["--from", "yesterday"],
            "--from \"yesterday\" is not a time",
        ),
    ] {
        let out = ws
            .incident()
            .args(["audience", &id, "--sends", "sends.csv"])
            .args(&args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_workspace_preset_names_its_own_columns_and_words() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    ws.write(
        "incident.toml",
        "[input.presets.crm]\nabout = \"Our CRM's mail log\"\ndelimiter = \";\"\ntime_zone = \"Europe/Amsterdam\"\n\n[input.presets.crm.map]\nemail = \"Adres\"\nsent_at = \"Verzonden\"\nstatus = \"Uitkomst\"\n\n[input.presets.crm.statuses]\ndelivered = [\"afgeleverd\"]\nbounced = [\"gebounced\"]\n",
    );
    ws.write(
        "crm.csv",
        "Adres;Verzonden;Uitkomst\na@x.y;2026-11-20 10:30;afgeleverd\nb@x.y;2026-11-20 10:31;gebounced\nc@x.y;2026-11-20 13:30;afgeleverd\n",
    );
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "crm",
            "--sends",
            "crm.csv",
            "--status",
            "delivered",
        ])
        .args([
            "--from",
            "2026-11-20T09:00:00Z",
            "--until",
            "2026-11-20T12:00:00Z",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    // 13:30 in Amsterdam is 12:30 UTC: outside the window.
    assert!(shown.contains(": 1 affected subscriber →"), "{shown}");
    assert!(
        shown.contains("read as      crm preset, CSV: email ← \"Adres\""),
        "{shown}"
    );
    assert!(
        shown.contains("times        2 rows gave no zone: read as Europe/Amsterdam time"),
        "{shown}"
    );
    let check = ws.incident().arg("check").output().expect("runs");
    assert!(check.status.success(), "{}", stderr(&check));

    // A preset built on one that does not exist fails `incident check`, naming it.
    let config = ws.read("incident.toml");
    ws.write(
        "incident.toml",
        &config.replace("about =", "base = \"sendgird\"\nabout ="),
    );
    let check = ws.incident().arg("check").output().expect("runs");
    assert_eq!(check.status.code(), Some(1));
    let shown = stdout(&check);
    assert!(
        shown.contains("[input.presets.crm]: \"sendgird\" is not a preset"),
        "{shown}"
    );
    assert!(shown.contains("did you mean \"sendgrid\""), "{shown}");
}

#[test]
fn every_stats_export_becomes_checkpoints_kept_apart_by_source() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    for (preset, file) in [
        ("sendgrid-stats", "sendgrid-stats.stats.json"),
        ("ses-stats", "ses-stats.stats.json"),
        ("mailchimp-report", "mailchimp-report.stats.json"),
        ("postmaster", "postmaster.stats.json"),
    ] {
        let out = ws
            .incident()
            .args([
                "monitor",
                &id,
                "--preset",
                preset,
                "--metrics",
                &esp(file),
                "--format",
                "json",
            ])
            .output()
            .expect("runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{preset}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(&format!("Read as {preset}: date ←")),
            "{preset}: {}",
            stderr(&out)
        );
    }
    let record = ws.record(&id);
    let checkpoints = record["steps"]["monitor"]["checkpoints"]
        .as_sequence()
        .expect("checkpoints");
    let of = |source: &str, date: &str| {
        checkpoints
            .iter()
            .find(|c| c["source"].as_str() == Some(source) && c["date"].as_str() == Some(date))
            .unwrap_or_else(|| panic!("{source} {date}"))
    };
    // SendGrid's categories added up; SES's 15-minute points added up per UTC day, with no
    // deliveries; Postmaster's ratio in percent; Mailchimp's report as one send.
    assert_eq!(
        of("sendgrid-stats", "2026-11-20")["sent"].as_u64(),
        Some(42_752)
    );
    assert_eq!(of("ses-stats", "2026-11-20")["sent"].as_u64(), Some(22_347));
    assert!(of("ses-stats", "2026-11-20")["delivered"].is_null());
    assert_eq!(
        of("postmaster", "2026-11-20")["spam_rate"].as_f64(),
        Some(0.42)
    );
    assert_eq!(
        of("mailchimp-report", "2026-11-20T10:00:00Z")["delivered"].as_u64(),
        Some(42_295)
    );

    let out = ws.incident().args(["monitor", &id]).output().expect("runs");
    let shown = stdout(&out);
    assert!(
        shown.contains("0.26 % of sent"),
        "SES's complaint rate says what it is of:\n{shown}"
    );
    assert!(
        shown.contains("spam rate 0.31 % ≥ 0.30 % (critical)"),
        "{shown}"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "the newest spam rate is critical"
    );
    assert!(
        stderr(&out).contains("2026-11-21 (postmaster): spam rate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_reimport_says_what_changed() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    ws.write(
        "day.csv",
        "date,sent,bounces,complaints\n2026-11-20,1000,10,0\n",
    );
    let import = |ws: &Workspace| {
        let out = ws
            .incident()
            .args(["monitor", &id, "--metrics", "day.csv"])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    import(&ws);
    assert!(import(&ws).contains("0 new, 0 replaced, 1 unchanged"));
    ws.write(
        "day.csv",
        "date,sent,bounces,complaints\n2026-11-20,\"1,200\",10,0\n",
    );
    let err = import(&ws);
    assert!(
        err.contains("1 replaced (2026-11-20: sent 1000 → 1200)"),
        "{err}"
    );
}

#[test]
fn a_plain_list_of_your_own_sits_beside_the_esps_files() {
    // SES keeps no unsubscribe list: the customer's own, a plain `email` column, takes Trent out.
    let ws = Workspace::new();
    ws.write("our-unsubscribes.csv", "email\ntrent@example.net\n");
    let own = ws.path().join("our-unsubscribes.csv").display().to_string();
    let (sends, suppressions) = (esp("ses.sends.jsonl"), esp("ses.suppressions.json"));
    let mut args = vec![
        "--preset",
        "ses",
        "--sends",
        &sends,
        "--campaign",
        "bf-2026-11",
    ];
    args.extend(WINDOW);
    args.extend([
        "--status",
        "delivered",
        "--suppressions",
        &suppressions,
        "--suppressions",
        &own,
    ]);
    let (summary, recipients) = reached(&args);
    assert_eq!(recipients, REACHED);
    assert_eq!(summary["lists"][1]["columns"][0], "email ← \"email\"");
}

#[test]
fn a_json_record_without_the_field_a_filter_needs_is_never_let_through() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let run = |log: &str, extra: &[&str]| {
        ws.write("events.jsonl", log);
        ws.incident()
            .args([
                "audience",
                &id,
                "--preset",
                "mailgun",
                "--sends",
                "events.jsonl",
            ])
            .args(["--status", "delivered", "--dry-run", "--format", "json"])
            .args(extra)
            .output()
            .expect("runs")
    };
    let delivered = |email: &str, extra: &str| {
        format!(
            "{{\"event\":\"delivered\",\"recipient\":\"{email}\",\"timestamp\":1795168805{extra}}}\n"
        )
    };
    // No campaign: not the campaign asked for. Tags: any of them may be the one.
    let log = [
        delivered("a@x.y", ",\"user-variables\":{\"campaign_id\":\"bf\"}"),
        delivered("b@x.y", ""),
        delivered("c@x.y", ",\"tags\":[\"newsletter\",\"bf\"]"),
    ]
    .concat();
    let out = run(&log, &["--campaign", "bf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(summary["affected"], 2, "a and c, not b");
    // No time, with a window: refused, naming the line.
    let log = format!(
        "{}{{\"event\":\"delivered\",\"recipient\":\"d@x.y\"}}\n",
        delivered("a@x.y", "")
    );
    let out = run(&log, &["--from", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("events.jsonl:2: the row has no sent_at time"),
        "{}",
        stderr(&out)
    );
    // An address at a path the records do not have: refused, not an empty list.
    let out = run(&delivered("a@x.y", ""), &["--map", "email=email"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("events.jsonl: record 1: no address at email"),
        "{err}"
    );
    assert!(
        err.contains("the record has event, recipient, timestamp"),
        "{err}"
    );
}

#[test]
fn a_saved_api_page_is_read_for_its_records_and_pages_may_follow_each_other() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let member = |email: &str| {
        format!(
            "{{\"email_address\":\"{email}\",\"status\":\"sent\",\"campaign_id\":\"c1\",\"_links\":[]}}"
        )
    };
    let page = |members: &[&str]| {
        let list: Vec<String> = members.iter().map(|m| member(m)).collect();
        format!(
            "{{\n  \"sent_to\": [{}],\n  \"campaign_id\": \"c1\",\n  \"total_items\": 3,\n  \"_links\": [{{\"rel\":\"self\",\"href\":\"https://example.com\"}}]\n}}\n",
            list.join(",")
        )
    };
    ws.write(
        "sent-to.json",
        &format!("{}{}", page(&["a@x.y", "b@x.y"]), page(&["c@x.y"])),
    );
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "mailchimp",
            "--sends",
            "sent-to.json",
        ])
        .args([
            "--campaign",
            "c1",
            "--status",
            "delivered",
            "--dry-run",
            "--quiet",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "3\n");
    // A page per line, as `jq -c` writes saved pages: each line's records are read.
    let line = |emails: &[&str]| {
        let items: Vec<String> = emails.iter().map(|e| member(e)).collect();
        format!("{{\"sent_to\":[{}],\"total_items\":3}}\n", items.join(","))
    };
    ws.write(
        "pages.jsonl",
        &format!("{}{}", line(&["a@x.y", "b@x.y"]), line(&["c@x.y"])),
    );
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "mailchimp",
            "--sends",
            "pages.jsonl",
        ])
        .args([
            "--campaign",
            "c1",
            "--status",
            "delivered",
            "--dry-run",
            "--quiet",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "3\n");
    // Two lists of records in one document, and no preset to say which: refused, naming both.
    ws.write(
        "two.json",
        "{\"sent_to\":[{\"email\":\"a@x.y\"}],\"members\":[{\"email\":\"b@x.y\"}]}",
    );
    let out = ws
        .incident()
        .args(["audience", &id, "--sends", "two.json", "--dry-run"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("several lists of records (`sent_to`, `members`)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn how_each_list_was_read_is_shown_with_the_rows_that_do_not_suppress() {
    let sends = esp("hubspot.sends.jsonl");
    let suppressions = esp("hubspot.suppressions.csv");
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "hubspot",
            "--sends",
            &sends,
            "--suppressions",
            &suppressions,
        ])
        .args([
            "--campaign",
            "104711843",
            "--status",
            "delivered",
            "--dry-run",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("    hubspot.suppressions.csv: email ← \"Email\"; 2 rows opt out of one email type or tag only, not counted"),
        "{shown}"
    );
}

#[test]
fn stats_json_without_its_preset_is_refused_with_the_preset_named() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let before = ws.snapshot();
    let out = ws
        .incident()
        .args(["monitor", &id, "--metrics", &esp("ses-stats.stats.json")])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("this is Amazon SES's sending statistics"),
        "{err}"
    );
    assert!(err.contains("hint: pass --preset ses-stats"), "{err}");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_list_of_segment_tags_matches_any_and_a_flag_map_does_not_reach_past_its_word() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let event = |email: &str, segments: &str| {
        format!(
            "{{\"eventType\":\"Delivery\",\"mail\":{{\"timestamp\":\"2026-11-20T10:00:00Z\",\"destination\":[\"{email}\"],\"tags\":{{\"campaign\":[\"bf\"],\"segment\":{segments}}}}},\"delivery\":{{\"recipients\":[\"{email}\"]}}}}\n"
        )
    };
    ws.write(
        "events.jsonl",
        &[
            event("a@x.y", "[\"all-customers\",\"vip\"]"),
            event("b@x.y", "[\"all-customers\"]"),
        ]
        .concat(),
    );
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "ses",
            "--sends",
            "events.jsonl",
            "--segment",
            "vip",
        ])
        .args(["--status", "delivered", "--dry-run", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(summary["affected"], 1);
    assert_eq!(summary["segments"]["vip"], 1);

    // `--map email=…` names the column of every file: a list without it is told how to read
    // it instead.
    ws.write("ours.csv", "Address\nb@x.y\n");
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--preset",
            "ses",
            "--sends",
            "events.jsonl",
        ])
        .args([
            "--map",
            "email=mail.destination",
            "--suppressions",
            "ours.csv",
            "--dry-run",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("ours.csv:1: no `email` column (--map names mail.destination)"),
        "{err}"
    );
    assert!(
        err.contains("give this file its own preset as PRESET:FILE"),
        "{err}"
    );
}
