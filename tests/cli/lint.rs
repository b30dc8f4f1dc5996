//! `incident lint FILE`: the apology's rules on drafts written anywhere — .eml test sends,
//! .html exports from ESP editors, .txt parts — measured on a labelled set of real-world
//! drafts, and refusing what is not a draft.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::common::{Workspace, fixture, stderr, stdout};

/// One labelled draft of `tests/fixtures/lint/labels.yaml`.
#[derive(Debug, Deserialize)]
struct Label {
    file: String,
    kind: String,
    locale: String,
    good: bool,
    format: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    expected: Vec<String>,
    #[serde(default)]
    allowed: Vec<String>,
}

fn labels() -> Vec<Label> {
    let text = std::fs::read_to_string(fixture("lint/labels.yaml")).expect("labels.yaml");
    serde_yaml::from_str(&text).expect("labels parse")
}

/// `incident lint` on a labelled draft, as its author would run it: the kind it is about,
/// and for an .html or .txt file the subject and From the ESP holds. The locale is detected.
fn lint(ws: &Workspace, label: &Label) -> (Value, Option<i32>) {
    let mut cmd = ws.incident();
    cmd.arg("lint")
        .arg(fixture(&format!("lint/{}", label.file)))
        .args(["--kind", &label.kind, "--format", "json"]);
    if label.format != "eml" {
        if let Some(subject) = &label.subject {
            cmd.args(["--subject", subject]);
        }
        if let Some(from) = &label.from {
            cmd.args(["--from", from]);
        }
    }
    let out = cmd.output().expect("runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}: no JSON: {}", label.file, stderr(&out)));
    (json, out.status.code())
}

fn codes(json: &Value, level: &str) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| level.is_empty() || f["level"] == level)
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The measure of the rules on real drafts: at least 95 % of the good ones draw no error, at
/// least 85 % of the flawed ones draw every code they are labelled with. The figures are
/// printed (`cargo test lint -- --nocapture`) and kept in docs/email.md.
#[test]
fn on_the_labelled_drafts_good_ones_pass_and_flawed_ones_are_caught() {
    let ws = Workspace::new();
    let labels = labels();
    assert!(labels.len() >= 30, "the set has {} drafts", labels.len());
    let (mut good, mut good_clean, mut flawed, mut flawed_caught) = (0, 0, 0, 0);
    let (mut locales_right, mut unexpected_warnings) = (0, 0);
    let mut report = Vec::new();
    for label in &labels {
        let (json, code) = lint(&ws, label);
        let errors = codes(&json, "error");
        let all = codes(&json, "");
        assert_eq!(
            code,
            Some(if errors.is_empty() { 0 } else { 1 }),
            "{}",
            label.file
        );
        assert_eq!(
            json["errors"].as_u64(),
            Some(errors.len() as u64),
            "{}",
            label.file
        );
        if json["locale"] == label.locale.as_str() {
            locales_right += 1;
        }
        let warnings = codes(&json, "warning");
        unexpected_warnings += warnings
            .iter()
            .filter(|w| !label.allowed.contains(w) && !label.expected.contains(w))
            .count();
        if label.good {
            good += 1;
            if errors.is_empty() {
                good_clean += 1;
            } else {
                report.push(format!("good {} draws errors {errors:?}", label.file));
            }
        } else {
            flawed += 1;
            let missed: Vec<&String> = label.expected.iter().filter(|c| !all.contains(c)).collect();
            if missed.is_empty() {
                flawed_caught += 1;
            } else {
                report.push(format!(
                    "flawed {} misses {missed:?} (drew {all:?})",
                    label.file
                ));
            }
        }
    }
    let pct = |part: usize, whole: usize| 100.0 * part as f64 / whole.max(1) as f64;
    println!(
        "lint corpus: {} drafts; good without an error {good_clean}/{good} ({:.1} %); flawed with every expected code {flawed_caught}/{flawed} ({:.1} %); locale told right {locales_right}/{}; warnings beyond the labels {unexpected_warnings}",
        labels.len(),
        pct(good_clean, good),
        pct(flawed_caught, flawed),
        labels.len()
    );
    for line in &report {
        println!("  {line}");
    }
    assert!(pct(good_clean, good) >= 95.0, "{report:#?}");
    assert!(pct(flawed_caught, flawed) >= 85.0, "{report:#?}");
}

/// A labelled draft by its file name.
fn draft(name: &str) -> PathBuf {
    fixture(&format!("lint/{name}"))
}

fn run(ws: &Workspace, args: &[&str], file: &Path) -> std::process::Output {
    ws.incident()
        .arg("lint")
        .arg(file)
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn the_json_has_the_documented_shape_and_the_exit_code_follows_the_errors() {
    let ws = Workspace::new();
    let out = run(
        &ws,
        &["--format", "json", "--kind", "data-breach"],
        &draft("en-bad-breach-discount-offer.eml"),
    );
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["file", "kind", "locale", "findings", "errors", "warnings"]
    );
    assert_eq!(json["kind"], "data-breach");
    assert_eq!(json["locale"], "en");
    let finding = &json["findings"][0];
    let keys: Vec<&str> = finding
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["code", "level", "message", "hint", "part"]);
    assert!(codes(&json, "error").contains(&"breach-promotional".to_string()));
    assert!(stderr(&out).contains("fails"), "{}", stderr(&out));

    // A good draft exits 0, warnings and all; the text format says so on stdout.
    let out = run(&ws, &[], &draft("en-good-duplicate-send-weekly-letter.txt"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("(a marketing email, en): passes"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn dutch_is_told_from_its_words_and_a_given_locale_wins() {
    let ws = Workspace::new();
    let file = draft("nl-good-dubbele-verzending-boekhuis.txt");
    let out = run(&ws, &["--format", "json"], &file);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["locale"], "nl");
    let out = run(&ws, &["--format", "json", "--locale", "en"], &file);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["locale"], "en");
    assert!(
        codes(&json, "").contains(&"locale-mixed".to_string()),
        "{json}"
    );
    // Only the languages the checks have words for.
    let out = run(&ws, &["--locale", "de"], &file);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_draft_without_subject_or_sender_gets_them_from_the_flags() {
    let ws = Workspace::new();
    let file = ws.write(
        "draft.txt",
        "Hello,\n\nOn Monday we sent you an email with the wrong date for the concert. We're sorry: it is on 7 November.\n\nReply to this email with any question.\n\nHarbour Hall · 12 Quay Street, Bristol BS1 4DJ\nUnsubscribe: https://harbourhall.org.uk/unsubscribe\n",
    );
    let out = run(&ws, &["--format", "json"], &file);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        codes(&json, ""),
        Vec::<String>::new(),
        "no subject and no From: not judged"
    );
    let out = run(
        &ws,
        &[
            "--format",
            "json",
            "--subject",
            "RE: the concert",
            "--from",
            "boxoffice@harbourhall.org.uk",
        ],
        &file,
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = codes(&json, "");
    for code in ["subject-fake-reply", "sender-name"] {
        assert!(found.contains(&code.to_string()), "{code}: {found:?}");
    }
    let part = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "subject-fake-reply")
        .map(|f| f["part"].clone());
    assert_eq!(part, Some(Value::from("subject")));
}

#[test]
fn what_is_not_a_draft_is_refused_with_its_file_and_line() {
    let ws = Workspace::new();
    let missing = ws.path().join("nowhere.eml");
    let docx = ws.write("apology.docx", "PK");
    let latin1 = ws.path().join("latin1.txt");
    std::fs::write(&latin1, b"Hello,\nWe are sorry\nCaf\xe9 closed\n").expect("write");
    let junk = ws.write(
        "junk.eml",
        "this is not a message at all\nno headers here\n",
    );
    let headless = ws.write(
        "headless.eml",
        "X-Note: nothing else\n\nHello, we are sorry.\n",
    );
    let text = draft("en-good-duplicate-send-weekly-letter.txt");
    let before = ws.snapshot();
    let cases: Vec<(Vec<&str>, &Path, &[&str])> = vec![
        (vec![], &missing, &["cannot read", "nowhere.eml"]),
        (
            vec![],
            &docx,
            &[
                "apology.docx: .docx is not a draft `incident lint` reads",
                "hint: lint an .eml",
            ],
        ),
        (
            vec![],
            &latin1,
            &["latin1.txt:3: is not UTF-8 text (byte 0xe9)"],
        ),
        (
            vec![],
            &junk,
            &["junk.eml:1: ", "hint: save the test send as .eml"],
        ),
        (
            vec![],
            &headless,
            &["headless.eml:1: has no message headers (From, Subject, Date, Content-Type)"],
        ),
        (
            vec!["--subject", "Sorry\r\nBcc: all@example.net"],
            &text,
            &["--subject contains the control character"],
        ),
        (
            vec!["--from", "not a mailbox"],
            &text,
            &["--from \"not a mailbox\" is not a mailbox"],
        ),
        (
            vec!["--reply-to", "nobody"],
            &text,
            &["--reply-to \"nobody\" is not an email address"],
        ),
        (
            vec!["--kind", "wrong-segmnt"],
            &text,
            &["unknown incident kind \"wrong-segmnt\""],
        ),
        (vec!["--incident", "INC-1"], &text, &["invalid incident ID"]),
    ];
    for (args, file, says) in cases {
        let out = run(&ws, &args, file);
        let code = if args.first() == Some(&"--kind") {
            2
        } else {
            1
        };
        assert_eq!(out.status.code(), Some(code), "{args:?} {}", file.display());
        for said in says {
            assert!(stderr(&out).contains(said), "{said}: {}", stderr(&out));
        }
    }
    assert_eq!(ws.snapshot(), before, "lint writes nothing");
}

#[test]
fn against_an_incident_the_record_decides_what_the_draft_must_say() {
    let ws = Workspace::branded();
    let id = crate::common::open_fixture(&ws, "data-breach");
    // The record's breach began on 25 November 2026; a draft about another day is wrong, and
    // with California among the jurisdictions its headings are asked for (and the notice's
    // date, where the draft has one: an .eml's Date).
    ws.write(
        "incident.toml",
        &format!(
            "{}\n[legal]\njurisdictions = [\"eu\", \"california\"]\n",
            crate::common::BRAND
        ),
    );
    let file = ws.write(
        "notice.txt",
        "Notice of Data Breach\n\nHello,\n\nWe are writing about a data breach. We're sorry.\n\nWhat happened\n\nOn 3 May 2026 someone without permission copied our customer list.\n\nWhat information was involved\n\nYour name and email address.\n\nWhat we are doing\n\nWe closed the access.\n\nWhat you can do\n\n- Watch for phishing emails that use your name.\n\nFor more information\n\nReply to this email.\n",
    );
    let out = run(&ws, &["--incident", &id, "--format", "json"], &file);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["kind"], "data-breach");
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    for says in [
        "the day the breach began (2026-11-25, as the record says) is not in the text part",
        "the heading \"What This Means for You\" is missing from the text part",
        "missing from the text part: go to the website yourself",
        "no recipients.csv",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(says)),
            "{says}: {messages:#?}"
        );
    }
}
