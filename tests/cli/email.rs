//! `incident email`: every kind in every locale renders to a valid multipart message that
//! passes its own checks and SpamAssassin; hostile input is neutralized or refused; the
//! suppression-list policy holds unless overridden in writing.

use std::path::Path;

use mail_parser::MessageParser;
use serde_json::Value;

use crate::common::{BRAND, Workspace, answers_fixture, stderr, stdout};

const KINDS: [&str; 7] = [
    "wrong-segment",
    "broken-personalization",
    "subject-line",
    "malformed-message",
    "duplicate-send",
    "suppression-list-send",
    "data-breach",
];
const LOCALES: [&str; 2] = ["en", "nl"];
const OVERRIDE: &str = "Legal asked us to confirm the removal in writing";

/// Answers for a kind in a locale: the fixture, with the inform step and (for a breach) the
/// quoted free text in that language, so a rendering never mixes languages.
fn answers(kind: &str, locale: &str) -> String {
    let text = std::fs::read_to_string(answers_fixture(kind)).expect("fixture");
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    if locale == "nl" {
        let inform = &mut doc["inform"];
        inform["locale"] = "nl".into();
        inform["subject"] = match kind {
            "data-breach" => "Melding van een datalek",
            _ => "We hebben een fout gemaakt",
        }
        .into();
        // The plan's actions are quoted in the email: in Dutch for a Dutch one.
        let plan = &mut doc["plan"];
        plan["preventions"] = serde_yaml::from_str(
            "[{what: Een controle op het aantal ontvangers vóór elke verzending, owner: Lena, due: 2026-12-10}]",
        )
        .expect("yaml");
        if let Some(map) = plan.as_mapping_mut() {
            map.remove("process_changes");
            map.remove("mitigations");
        }
        if kind == "data-breach" {
            doc["assess"]["data_categories"] =
                serde_yaml::from_str("[e-mailadres, naam, adres, telefoonnummer]").expect("yaml");
            doc["plan"]["subscriber_steps"] =
                serde_yaml::from_str("[Let extra op e-mails over bestellingen die vastzitten]")
                    .expect("yaml");
            doc["inform"]["contact_point"] =
                "onze functionaris gegevensbescherming, privacy@example.com".into();
            for key in ["what_happened", "measures", "consequences"] {
                if let Some(map) = doc["inform"].as_mapping_mut() {
                    map.remove(key);
                }
            }
        }
    }
    serde_yaml::to_string(&doc).expect("yaml")
}

/// A workspace with one finished incident of `kind`, answered in `locale`.
fn incident(kind: &str, locale: &str) -> (Workspace, String) {
    let ws = Workspace::branded();
    let out = ws
        .incident()
        .args(["open", "--quiet", "--by", "dana", "--answers", "-"])
        .write_stdin(answers(kind, locale))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{kind}/{locale}: {}", stderr(&out));
    (ws, stdout(&out).trim().to_string())
}

fn email(ws: &Workspace, id: &str, extra: &[&str]) -> std::process::Output {
    ws.incident()
        .args(["email", id, "--by", "dana"])
        .args(extra)
        .output()
        .expect("runs")
}

fn findings(ws: &Workspace, id: &str, extra: &[&str]) -> Vec<String> {
    let out = email(ws, id, &[&["--check", "--format", "json"], extra].concat());
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("json: {}", stderr(&out)));
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["level"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn override_args(kind: &str) -> Vec<&'static str> {
    if kind == "suppression-list-send" {
        vec!["--override-policy", OVERRIDE]
    } else {
        vec![]
    }
}

#[test]
fn every_kind_and_locale_renders_a_valid_multipart_message() {
    for kind in KINDS {
        for locale in LOCALES {
            let (ws, id) = incident(kind, locale);
            let out = email(&ws, &id, &override_args(kind));
            assert!(out.status.success(), "{kind}/{locale}: {}", stderr(&out));
            let dir = ws.path().join("incidents").join(&id);
            let eml = std::fs::read(dir.join("email.eml")).expect("eml");
            let raw = String::from_utf8_lossy(&eml);
            let message = MessageParser::default()
                .parse(&eml)
                .expect("parses as RFC 5322");
            for header in [
                "MIME-Version",
                "Date",
                "Message-ID",
                "From",
                "Reply-To",
                "Subject",
                "Content-Language",
                "List-Id",
            ] {
                assert!(
                    message.header_raw(header).is_some(),
                    "{kind}/{locale}: no {header}"
                );
            }
            assert_eq!(
                message.header_raw("Content-Language").map(str::trim),
                Some(locale)
            );
            assert!(
                message
                    .message_id()
                    .is_some_and(|m| m.ends_with("@northwind-outfitters.nl")),
                "{kind}: {:?}",
                message.message_id()
            );
            let marketing = kind != "data-breach";
            assert_eq!(
                message.header_raw("List-Unsubscribe").is_some(),
                marketing,
                "{kind}"
            );
            assert_eq!(
                message.header_raw("List-Unsubscribe-Post").map(str::trim),
                marketing.then_some("List-Unsubscribe=One-Click"),
                "{kind}"
            );
            assert!(
                raw.contains("Content-Type: multipart/alternative"),
                "{kind}"
            );
            let plain = raw
                .find("Content-Type: text/plain; charset=utf-8")
                .expect("text part");
            let html = raw
                .find("Content-Type: text/html; charset=utf-8")
                .expect("html part");
            assert!(plain < html, "{kind}: the text part comes first");
            let text_file = std::fs::read_to_string(dir.join("email.txt")).expect("txt");
            let html_file = std::fs::read_to_string(dir.join("email.html")).expect("html");
            let lf = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
            assert_eq!(
                message.body_text(0).as_deref().map(lf),
                Some(lf(&text_file)),
                "{kind}/{locale}"
            );
            assert_eq!(
                message.body_html(0).as_deref().map(lf),
                Some(lf(&html_file)),
                "{kind}/{locale}"
            );
            assert!(html_file.contains(&format!("<html lang=\"{locale}\" ")));
            let record = ws.record(&id);
            let summary = &record["steps"]["inform"]["email"];
            assert_eq!(summary["locale"].as_str(), Some(locale));
            assert!(
                summary["checks_passed"]
                    .as_sequence()
                    .is_some_and(|c| c.len() > 25),
                "{kind}"
            );
        }
    }
}

#[test]
fn the_checks_stay_silent_on_every_default_rendering() {
    for kind in KINDS {
        for locale in LOCALES {
            let (ws, id) = incident(kind, locale);
            let raised = findings(&ws, &id, &override_args(kind));
            let expected: Vec<String> = if kind == "suppression-list-send" {
                vec![
                    "warning:audience-unknown".into(),
                    "warning:policy-no-apology".into(),
                ]
            } else {
                vec!["warning:audience-unknown".into()]
            };
            let mut raised = raised;
            raised.sort();
            assert_eq!(raised, expected, "{kind}/{locale}");
        }
    }
}

#[test]
fn a_locale_is_complete_and_never_mixed() {
    let (ws, id) = incident("wrong-segment", "en");
    let out = email(&ws, &id, &["--locale", "nl"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = ws.read(&format!("incidents/{id}/email.txt"));
    assert!(text.starts_with("Hallo,"), "{text}");
    assert!(text.contains("Het spijt ons"));
    assert!(text.contains("Afmelden: https://www.northwind-outfitters.nl/unsubscribe"));
    for english in ["Hello", "sorry", "Unsubscribe", "Kind regards"] {
        assert!(
            !text.contains(english),
            "{english:?} in the Dutch email:\n{text}"
        );
    }
    assert_eq!(
        ws.record(&id)["steps"]["inform"]["email"]["subject"].as_str(),
        Some("Die e-mail was niet voor u bedoeld")
    );

    // Quoting English answers in a Dutch breach notice is flagged.
    let (ws, id) = incident("data-breach", "en");
    assert!(findings(&ws, &id, &["--locale", "nl"]).contains(&"warning:locale-mixed".to_string()));

    let out = email(&ws, &id, &["--locale", "fr"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no breach email for locale \"fr\""),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("available locales: en, nl"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_suppression_list_send_gets_no_apology_unless_overridden_in_writing() {
    let (ws, id) = incident("suppression-list-send", "en");
    let before = ws.snapshot();
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the policy is never to send an apology"),
        "{err}"
    );
    assert!(err.contains("--override-policy"), "{err}");
    assert_eq!(ws.snapshot(), before, "a refusal writes nothing");

    let out = email(&ws, &id, &["--override-policy", OVERRIDE]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record = ws.record(&id);
    let timeline = record["timeline"].as_sequence().expect("timeline");
    let overridden = timeline
        .iter()
        .find(|e| e["event"].as_str() == Some("policy-override"))
        .expect("the override is in the timeline");
    assert_eq!(overridden["by"].as_str(), Some("dana"));
    assert_eq!(overridden["at"].as_str(), Some(crate::common::NOW));
    assert!(
        overridden["message"]
            .as_str()
            .is_some_and(|m| m.contains(OVERRIDE))
    );
    assert_eq!(
        record["steps"]["inform"]["email"]["policy_override"].as_str(),
        Some(OVERRIDE)
    );
}

#[test]
fn hostile_input_is_neutralized_or_refused() {
    let (ws, id) = incident("wrong-segment", "en");
    // A header injection through the subject is refused, and nothing is written.
    let before = ws.snapshot();
    for subject in [
        "We made a mistake\r\nBcc: everyone@example.net",
        "Sorry\nX-Evil: 1",
    ] {
        let out = email(&ws, &id, &["--subject", subject]);
        assert_eq!(out.status.code(), Some(1), "{subject:?}");
        assert!(
            stderr(&out).contains("control character"),
            "{}",
            stderr(&out)
        );
    }
    // A template name from input cannot leave the template folders.
    for locale in ["../../etc/passwd", "en/../../x", "EN"] {
        let out = email(&ws, &id, &["--locale", locale]);
        assert_eq!(out.status.code(), Some(1), "{locale}");
        assert!(
            stderr(&out).contains("is not a locale code"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(ws.snapshot(), before);

    // Markup in an answer is escaped in the HTML; a bare tag reads as an unrendered merge tag.
    let with_lede = |lede: &str| {
        with_inform(&format!(
            "  subject: We made a mistake\n  sign_off_by: Ruth\n  what_happened: '{lede}'\n"
        ))
    };
    let open = |ws: &Workspace, answers: String| {
        let out = ws
            .incident()
            .args(["open", "-q", "--by", "dana", "--answers", "-"])
            .write_stdin(answers)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out).trim().to_string()
    };
    let ws = Workspace::branded();
    let id = open(
        &ws,
        with_lede("We sent you the wrong email <img src=x onerror=alert(1)> & more."),
    );
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = ws.read(&format!("incidents/{id}/email.html"));
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; more."),
        "{html}"
    );
    let script = open(
        &ws,
        with_lede("<script>alert(1)</script> We sent you the wrong email."),
    );
    let out = email(&ws, &script, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[merge-tag]: unrendered: <script>"),
        "{}",
        stderr(&out)
    );

    // A brand with a no-reply address fails the checks.
    ws.write(
        "incident.toml",
        &BRAND.replace("care@northwind", "no-reply@northwind"),
    );
    let before = ws.snapshot();
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[sender-no-reply]: From is no-reply@northwind-outfitters.nl"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("nothing was written"));
    assert_eq!(ws.snapshot(), before);
    // A header injection through the brand is refused when the configuration is read.
    ws.write(
        "incident.toml",
        &format!("{BRAND}from_name = \"Shop\\r\\nBcc: all@example.net\"\n"),
    );
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("incident.toml:1: brand.from_name contains the control character U+000D"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_brand_and_workspace_templates_change_the_output() {
    let (ws, id) = incident("wrong-segment", "en");
    ws.write("incident.toml", LOGO_BRAND);
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = ws.read(&format!("incidents/{id}/email.html"));
    assert!(html.contains("background-color:#0b6e4f"));
    assert!(html.contains(
        r#"<img src="https://northwind-outfitters.nl/logo.png" alt="Northwind Outfitters""#
    ));
    assert!(html.contains("Keizersgracht 1, 1015 AA Amsterdam"));
    let eml = ws.read(&format!("incidents/{id}/email.eml"));
    assert!(
        eml.contains("From: \"Northwind Outfitters\" <care@northwind-outfitters.nl>"),
        "{eml}"
    );
    assert!(
        eml.contains("@northwind-outfitters.nl>"),
        "Message-ID on the brand's domain"
    );

    ws.write(
        "templates/email/parts/stopped.en.txt",
        "{% if changes.stopped %}We stopped the send within the hour.{% endif %}",
    );
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        ws.read(&format!("incidents/{id}/email.txt"))
            .contains("We stopped the send within the hour.")
    );

    // A body that leaves the branded base is refused.
    ws.write(
        "templates/email/mistake.en.html",
        "<html><body><p>We're sorry, we sent you the wrong email.</p></body></html>",
    );
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[template-not-branded]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_breach_notice_cannot_drop_the_protective_steps() {
    let (ws, id) = incident("data-breach", "en");
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/email/breach.en.txt"),
    )
    .expect("template");
    let start = template.find("What You Can Do").expect("section");
    let end = template.find("For More Information").expect("section");
    ws.write(
        "templates/email/breach.en.txt",
        &format!("{}{}", &template[..start], &template[end..]),
    );
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[breach-legal-elements]: the heading \"What You Can Do\" is missing"),
        "{err}"
    );
    assert!(!ws.path().join(format!("incidents/{id}/email.eml")).exists());
}

#[test]
fn without_a_computed_audience_the_list_is_compared_with_the_estimate() {
    let (ws, id) = incident("wrong-segment", "en");
    let assessed = ws.record(&id)["steps"]["assess"]["answers"]["affected_count"]
        .as_u64()
        .expect("count");
    // Blank lines and the same address twice (in another case) are not more recipients.
    let mut csv = String::from("email\n\nPerson0@Example.org\n");
    for n in 0..assessed - 1 {
        csv.push_str(&format!("person{n}@example.org\n"));
    }
    csv.push_str("  \n");
    ws.write(&format!("incidents/{id}/recipients.csv"), &csv);
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error[audience-mismatch]: recipients.csv lists {} distinct address(es), the assess step estimated {assessed}, and no audience was computed",
            assessed - 1
        )),
        "{err}"
    );
    assert!(
        err.contains("hint: run `incident audience ID --sends FILE`"),
        "{err}"
    );
    csv.push_str("last@example.org\n");
    ws.write(&format!("incidents/{id}/recipients.csv"), &csv);
    assert_eq!(findings(&ws, &id, &[]), Vec::<String>::new());
    let out = email(&ws, &id, &[]);
    assert!(
        stdout(&out).contains(&format!("Send it to the {assessed} addresses in")),
        "{}",
        stdout(&out)
    );
}

#[test]
fn after_incident_audience_the_apology_goes_to_exactly_the_computed_list() {
    // The estimate (41,250) is far from the exact count: the exact count is what matters.
    let (ws, id) = incident("wrong-segment", "en");
    let dir = crate::common::fixture("audience/messy");
    let out = ws
        .incident()
        .args(["audience", &id, "--by", "dana", "--sends"])
        .arg(dir.join("sends.csv"))
        .arg("--suppressions")
        .arg(dir.join("unsubscribes.csv"))
        .args(["--status", "delivered"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let affected = ws.record(&id)["steps"]["assess"]["audience"]["affected"]
        .as_u64()
        .expect("the count is recorded");
    assert_ne!(affected, 41250);

    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("audience-"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("Send it to the {affected} addresses in")),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        ws.record(&id)["steps"]["inform"]["email"]["recipients"].as_u64(),
        Some(affected)
    );

    // A list edited after the count no longer matches it.
    let path = format!("incidents/{id}/recipients.csv");
    let mut csv = ws.read(&path);
    csv.push_str("someone.else@example.org\n");
    ws.write(&path, &csv);
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "error[audience-mismatch]: recipients.csv lists {} distinct address(es), `incident audience` counted {affected}",
            affected + 1
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_only_checks() {
    let (ws, id) = incident("duplicate-send", "en");
    let before = ws.snapshot();
    let out = email(&ws, &id, &["--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("passes every check"));
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn default_renderings_match_their_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/email");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for kind in KINDS {
        for locale in LOCALES {
            let (ws, id) = incident(kind, locale);
            let out = email(&ws, &id, &override_args(kind));
            assert!(out.status.success(), "{}", stderr(&out));
            for ext in ["txt", "html"] {
                let got = ws.read(&format!("incidents/{id}/email.{ext}"));
                let path = dir.join(format!("{kind}.{locale}.{ext}"));
                if update {
                    std::fs::create_dir_all(&dir).expect("mkdir");
                    std::fs::write(&path, &got).expect("write snapshot");
                } else {
                    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                        panic!("{} missing: run with UPDATE_SNAPSHOTS=1", path.display())
                    });
                    assert_eq!(
                        got,
                        want,
                        "{} changed: review, then UPDATE_SNAPSHOTS=1",
                        path.display()
                    );
                }
            }
        }
    }
}

/// The example brand of docs/apology.md on a real domain, with a logo.
const LOGO_BRAND: &str = "[brand]\nname = \"Northwind Outfitters\"\nfrom_name = \"Northwind Outfitters\"\nfrom_address = \"care@northwind-outfitters.nl\"\nprimary_color = \"#0b6e4f\"\nwebsite = \"https://northwind-outfitters.nl\"\nsupport_url = \"https://northwind-outfitters.nl/help\"\nunsubscribe_url = \"https://northwind-outfitters.nl/unsubscribe\"\npostal_address = \"Keizersgracht 1, 1015 AA Amsterdam\"\nlogo_url = \"https://northwind-outfitters.nl/logo.png\"\nlogo_width = 160\n";

/// SpamAssassin's score of a message, run offline, with the report for a failure message.
fn spamassassin(home: &Path, eml: &[u8]) -> (f64, String) {
    let mut child = std::process::Command::new("spamassassin")
        .args(["-L", "-t", "--cf=use_bayes 0"])
        .env("HOME", home)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spamassassin is installed (apt-get install spamassassin; .ci/run does it)");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), eml).expect("write");
    let report =
        String::from_utf8_lossy(&child.wait_with_output().expect("runs").stdout).into_owned();
    let score = report
        .lines()
        .find(|l| l.starts_with("X-Spam-Status:"))
        .and_then(|status| status.split("score=").nth(1))
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .expect("X-Spam-Status with a score");
    (score, report)
}

/// Every default rendering scores under 2.0 with SpamAssassin run offline, with the neutral
/// brand and with a logo (an image in a short HTML email is what HTML_IMAGE_ONLY_* scores).
/// `.ci/run` installs Debian's spamassassin; without it this test fails and says so.
#[test]
fn every_default_rendering_scores_under_2_with_spamassassin() {
    let home = tempfile::tempdir().expect("home");
    for brand in [None, Some(LOGO_BRAND)] {
        for kind in KINDS {
            for locale in LOCALES {
                let (ws, id) = incident(kind, locale);
                if let Some(brand) = brand {
                    ws.write("incident.toml", brand);
                }
                let out = email(&ws, &id, &override_args(kind));
                assert!(out.status.success(), "{}", stderr(&out));
                let eml = std::fs::read(ws.path().join(format!("incidents/{id}/email.eml")))
                    .expect("eml");
                if brand.is_some() {
                    assert!(String::from_utf8_lossy(&eml).contains("logo.png"));
                }
                let (score, report) = spamassassin(home.path(), &eml);
                let logo = if brand.is_some() { " with a logo" } else { "" };
                assert!(
                    score < 2.0,
                    "{kind}/{locale}{logo} scores {score}:\n{report}"
                );
            }
        }
    }
}

#[test]
fn check_compiles_the_email_templates_and_knows_their_variables() {
    let ws = Workspace::new();
    assert!(
        ws.incident()
            .arg("init")
            .output()
            .expect("runs")
            .status
            .success()
    );
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    let path = "templates/email/mistake.en.txt";
    let text = ws
        .read(path)
        .replacen("Hello,", "Hello {{ recipient_name }},", 1);
    ws.write(path, &text);
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains("mistake.en.txt: the template names unknown variable(s): recipient_name"),
        "{report}"
    );
    assert!(
        report.contains("templates in email/ can use: brand, locale"),
        "{report}"
    );
    // A field the variable does not have: check names the file and line, and rendering
    // names the template that has it, not the body being rendered.
    ws.write(path, &builtin_template("mistake.en.txt"));
    let base = "templates/email/base.txt";
    let original_base = ws.read(base);
    ws.write(
        base,
        &original_base.replacen("{{ brand.name }} ·", "{{ brand.nmae }} ·", 1),
    );
    let line = ws
        .read(base)
        .lines()
        .position(|l| l.contains("brand.nmae"))
        .expect("line")
        + 1;
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!(
            "templates/email/base.txt:{line}: the template names the unknown field brand.nmae"
        )),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("hint: brand has: name, from_name"));
    let id = crate::common::open_fixture(&ws, "wrong-segment");
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("templates/email/base.txt:{line}: Field `nmae`")),
        "{}",
        stderr(&out)
    );
    ws.write(base, &original_base);

    // A file named like no template overrides nothing, and check says so.
    ws.write("templates/email/mistak.en.html", "<p>We're sorry.</p>");
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("templates/email/mistak.en.html: this template overrides nothing"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("did you mean templates/email/mistake.en.html?"));
    std::fs::remove_file(ws.path().join("templates/email/mistak.en.html")).expect("rm");
    // Another locale's files, and a part a template includes, are not strays.
    ws.write(
        "templates/email/parts/mistake-lede.de.txt",
        &ws.read("templates/email/parts/mistake-lede.en.txt"),
    );
    ws.write(
        "templates/email/parts/signature.en.txt",
        "Ruth, for the team",
    );
    ws.write(
        path,
        &builtin_template("mistake.en.txt").replacen(
            "Kind regards,",
            "{% include \"email/parts/signature.en.txt\" %}\nKind regards,",
            1,
        ),
    );
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));

    let broken = text.replacen("{{ recipient_name }}", "{% if %}", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("{% if %}"))
        .expect("line")
        + 1;
    ws.write(path, &broken);
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(&format!(
            "./templates/email/mistake.en.txt:{line}: Found `%}}` but expected"
        )),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_breach_runbook_cannot_send_a_plain_apology() {
    let ws = Workspace::branded();
    let runbook = crate::common::builtin_runbook("data-breach")
        .replace("template: breach", "template: mistake");
    ws.write("runbooks/data-breach.yaml", &runbook);
    let line = runbook
        .lines()
        .position(|l| l.trim() == "template: mistake")
        .expect("template line")
        + 1;
    let out = ws.incident().arg("check").output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.contains(&format!(
            "runbooks/data-breach.yaml:{line}: email.template \"mistake\" with legal_clocks: true"
        )),
        "{report}"
    );
    assert!(
        report.contains("hint: set email.template: breach"),
        "{report}"
    );
}

#[test]
fn addresses_written_in_the_answers_are_checked_like_links() {
    let ws = Workspace::branded();
    let breach = answers("data-breach", "en").replace(
        "Change your password for our shop and anywhere else you use the same one, by going to our website yourself",
        "Change your password at https://northwind-outfitters.example/account/reset",
    );
    let id = crate::common::open_with(&ws, &breach);
    assert!(
        findings(&ws, &id, &[]).contains(&"error:breach-login-link".to_string()),
        "{:?}",
        findings(&ws, &id, &[])
    );

    let mistake = with_inform(
        "  subject: We made a mistake\n  sign_off_by: Ruth\n  what_happened: We sent you the wrong email; details at bit.ly/3xYz\n",
    );
    let id = crate::common::open_with(&ws, &mistake);
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[link-shortener]: bit.ly/3xYz uses the shortener bit.ly"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_breach_notice_says_only_what_the_record_says() {
    let ws = Workspace::branded();
    let answers = answers("data-breach", "en")
        .replace("contained: true", "contained: false")
        .replace(
            "notify_authority: already-notified",
            "notify_authority: not-needed-risk-unlikely",
        )
        .replace("compensation: identity-protection", "compensation: none");
    let id = crate::common::open_with(&ws, &answers);
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = ws.read(&format!("incidents/{id}/email.txt"));
    assert!(
        text.contains(
            "We are still working to close the access, and we will tell you when it is closed."
        ),
        "{text}"
    );
    for claim in [
        "We have closed the access",
        "reported the breach",
        "pay for",
    ] {
        assert!(!text.contains(claim), "{claim:?} in:\n{text}");
    }

    // The compensation the plan gives is in the notice.
    let answers = answers.replace("compensation: none", "compensation: credit-monitoring");
    let id = crate::common::open_with(&ws, &answers);
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = ws.read(&format!("incidents/{id}/email.html"));
    assert!(
        html.contains("We will pay for credit monitoring for you"),
        "{html}"
    );
}

/// The wrong-segment answers with an inform step of its own.
fn with_inform(inform: &str) -> String {
    with_inform_in("en", inform)
}

/// The wrong-segment answers in `locale` (its plan quoted in that language), with an inform
/// step of its own.
fn with_inform_in(locale: &str, inform: &str) -> String {
    format!(
        "{}\ninform:\n{inform}monitor:\n  watch_owner: Ops\n",
        answers("wrong-segment", locale)
            .split("\ninform:")
            .next()
            .unwrap_or_default()
    )
}

#[test]
fn the_locale_comes_from_the_flag_the_record_the_workspace_then_english() {
    // A Dutch workspace answering in Dutch, with no inform.locale: a Dutch email, quoting them.
    let ws = Workspace::branded();
    ws.write("incident.toml", &format!("locale = \"nl\"\n{BRAND}"));
    let id = crate::common::open_with(
        &ws,
        &with_inform_in(
            "nl",
            "  subject: Onze vorige e-mail was niet voor u\n  sign_off_by: Ruth\n  what_happened: Op 26 november hebben we u een e-mail gestuurd die voor een andere groep klanten was bedoeld.\n",
        ),
    );
    assert_eq!(findings(&ws, &id, &[]), ["warning:audience-unknown"]);
    let out = email(&ws, &id, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = &ws.record(&id)["steps"]["inform"]["email"];
    assert_eq!(summary["locale"].as_str(), Some("nl"));
    assert_eq!(
        summary["subject"].as_str(),
        Some("Onze vorige e-mail was niet voor u")
    );
    // --locale wins, and the Dutch answers quoted in English are flagged.
    assert!(findings(&ws, &id, &["--locale", "en"]).contains(&"warning:locale-mixed".to_string()));

    // The record's inform.locale wins over the workspace; English words in a Dutch email are
    // flagged, whatever the answers claim.
    let id = crate::common::open_with(
        &ws,
        &with_inform("  subject: We made a mistake\n  sign_off_by: Ruth\n  locale: nl\n"),
    );
    let out = email(&ws, &id, &["--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning[locale-mixed]: the subject \"We made a mistake\" reads as en in this nl email"
        ),
        "{}",
        stderr(&out)
    );
    let id = crate::common::open_with(
        &ws,
        &with_inform(
            "  subject: We hebben een fout gemaakt\n  sign_off_by: Ruth\n  what_happened: We sent you an email that was meant for other customers.\n",
        ),
    );
    assert!(
        stderr(&email(&ws, &id, &["--check"])).contains(
            "warning[locale-mixed]: what_happened \"We sent you an email that was meant for other customers.\" reads as en in this nl email"
        )
    );

    // Without a subject answer, a Dutch workspace gets the runbook's Dutch suggestion.
    let id = crate::common::open_with(&ws, &with_inform("  sign_off_by: Ruth\n"));
    assert_eq!(
        ws.record(&id)["steps"]["inform"]["answers"]["subject"].as_str(),
        Some("Die e-mail was niet voor u bedoeld")
    );
}

/// A built-in email template, as shipped.
fn builtin_template(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("templates/email")
            .join(name),
    )
    .expect("template")
}

#[test]
fn each_part_must_say_everything_on_its_own() {
    // One protective step the leaked contact details call for gone from the HTML only, while
    // the text part still gives it (the plan's own steps here are about something else).
    let ws = Workspace::branded();
    let mut doc: serde_yaml::Value =
        serde_yaml::from_str(&answers("data-breach", "en")).expect("yaml");
    doc["plan"]["subscriber_steps"] =
        serde_yaml::from_str("[Keep this notice with your records]").expect("yaml");
    let id = crate::common::open_with(&ws, &serde_yaml::to_string(&doc).expect("yaml"));
    let html = builtin_template("breach.en.html");
    let line = html
        .lines()
        .find(|l| l.contains("Watch out for phishing"))
        .expect("the phishing step");
    ws.write(
        "templates/email/breach.en.html",
        &html.replace(&format!("{line}\n"), ""),
    );
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error[breach-protective-steps]: missing from the HTML part: watch for phishing"
        ),
        "{}",
        stderr(&out)
    );

    // The apology said in the HTML only.
    let (ws, id) = incident("wrong-segment", "en");
    ws.write(
        "templates/email/mistake.en.txt",
        &builtin_template("mistake.en.txt").replace("We're sorry. ", ""),
    );
    let out = email(&ws, &id, &["--check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error[apology-missing]: no sorry / apologi / apology / we regret in the text part"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_blank_or_invisible_subject_is_the_subject_empty_finding() {
    let (ws, id) = incident("wrong-segment", "en");
    let before = ws.snapshot();
    for blank in [" ", "\u{200B}", "\u{FEFF} \u{2060}"] {
        let out = email(&ws, &id, &["--subject", blank]);
        assert_eq!(out.status.code(), Some(1), "{blank:?}");
        assert!(
            stderr(&out).contains("error[subject-empty]: the subject"),
            "{blank:?}: {}",
            stderr(&out)
        );
        assert!(
            findings(&ws, &id, &["--subject", blank]).contains(&"error:subject-empty".to_string()),
            "{blank:?}"
        );
    }
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_override_is_only_for_a_kind_that_never_apologizes() {
    let (ws, id) = incident("wrong-segment", "en");
    let before = ws.snapshot();
    let out = email(&ws, &id, &["--override-policy", OVERRIDE]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "--override-policy only applies to a kind whose apology policy is never; wrong-segment is recommended"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.snapshot(), before, "nothing is written or logged");
}

#[test]
fn a_subject_with_a_line_break_is_refused_when_answered() {
    let ws = Workspace::branded();
    let answers = with_inform(
        "  subject: \"We made a mistake\\nBcc: all@example.net\"\n  sign_off_by: Ruth\n",
    );
    let out = ws
        .incident()
        .args(["open", "--by", "dana", "--answers", "-"])
        .write_stdin(answers)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("\"subject\": contains the control character U+000A"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_real_incident_cannot_go_out_under_the_example_brand() {
    // The quick start's no-set-up path: no incident.toml at all.
    let ws = Workspace::new();
    let id = crate::common::open_with(&ws, &answers("wrong-segment", "en"));
    let before = ws.snapshot();
    let out = email(&ws, &id, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[brand-unset]: the email would go out under the example brand: [brand] name (\"Example Company\", the built-in example), postal_address"),
        "{err}"
    );
    assert!(
        err.contains("from_address (support@example.com, a reserved example domain)"),
        "{err}"
    );
    assert!(
        err.contains("hint: set your own [brand] name, from_address"),
        "{err}"
    );
    assert_eq!(ws.snapshot(), before, "nothing is written");
    assert!(findings(&ws, &id, &[]).contains(&"error:brand-unset".to_string()));

    // A name of its own but addresses on example.com is still the example.
    ws.write(
        "incident.toml",
        "[brand]\nname = \"Northwind Outfitters\"\n",
    );
    let err = stderr(&email(&ws, &id, &["--check"]));
    assert!(err.contains("error[brand-unset]"), "{err}");
    assert!(!err.contains("name (\"Example Company\""), "{err}");
    assert!(
        err.contains("website (https://www.example.com, a reserved example domain)"),
        "{err}"
    );

    // `incident check` warns, and passes.
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("warn   ./incident.toml: [brand] is still the example brand: postal_address"),
        "{}",
        stdout(&out)
    );
    ws.write("incident.toml", BRAND);
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(!stdout(&out).contains("example brand"), "{}", stdout(&out));
}

#[test]
fn a_drill_or_a_dry_run_may_rehearse_with_the_example_brand_and_says_so() {
    let ws = Workspace::new();
    let out = ws
        .incident()
        .args([
            "open",
            "--quiet",
            "--drill",
            "--by",
            "dana",
            "--answers",
            "-",
        ])
        .write_stdin(answers("data-breach", "en"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let drill = stdout(&out).trim().to_string();
    let out = email(&ws, &drill, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("warning[brand-unset]: the email would go out under the example brand")
            && stderr(&out).contains("(fine for a drill, not for a real send)"),
        "{}",
        stderr(&out)
    );
    assert!(
        ws.path()
            .join(format!("incidents/{drill}/email.eml"))
            .exists()
    );

    let real = crate::common::open_with(&ws, &answers("wrong-segment", "en"));
    let before = ws.snapshot();
    let out = email(&ws, &real, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(fine for a dry run, not for a real send)"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("dry run, nothing written"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).starts_with("Hello,"),
        "the text part: {}",
        stdout(&out)
    );
    assert_eq!(ws.snapshot(), before, "a dry run writes nothing");
    // --check says what a real run would: the example brand fails it.
    assert_eq!(email(&ws, &real, &["--check"]).status.code(), Some(1));
}

#[test]
fn the_from_name_is_the_brand_name_and_every_rendering_has_its_own_message_id() {
    let (ws, id) = incident("wrong-segment", "en");
    let mut ids = Vec::new();
    for locale in LOCALES {
        let out = email(&ws, &id, &["--locale", locale]);
        assert!(out.status.success(), "{}", stderr(&out));
        let eml = std::fs::read(ws.path().join(format!("incidents/{id}/email.eml"))).expect("eml");
        let message = MessageParser::default().parse(&eml).expect("parses");
        let from = message.from().and_then(|f| f.first()).expect("From");
        assert_eq!(from.name(), Some("Northwind Outfitters"));
        assert_eq!(from.address(), Some("care@northwind-outfitters.nl"));
        ids.push(message.message_id().expect("Message-ID").to_string());
    }
    assert_ne!(ids[0], ids[1], "en and nl rendered in the same second");
    assert!(
        ids[0].contains(".en.") && ids[1].contains(".nl."),
        "{ids:?}"
    );
}

#[test]
fn the_brand_colours_and_the_logo_are_checked_as_a_reader_sees_them() {
    // A real brand with its logo and width: nothing to say.
    let (ws, id) = incident("wrong-segment", "en");
    ws.write("incident.toml", LOGO_BRAND);
    assert_eq!(findings(&ws, &id, &[]), ["warning:audience-unknown"]);
    let html = {
        assert!(email(&ws, &id, &[]).status.success());
        ws.read(&format!("incidents/{id}/email.html"))
    };
    assert!(
        html.contains(r#"alt="Northwind Outfitters" width="160" height="40""#),
        "{html}"
    );
    assert!(
        html.contains("color:#ffffff; text-decoration:none;\"><img"),
        "the blocked logo's alt text is white on the brand colour"
    );

    // A light brand colour: the header turns to dark text, and the footer links in that
    // colour on white are too faint; a logo without its width is unsized.
    ws.write(
        "incident.toml",
        &LOGO_BRAND
            .replace("#0b6e4f", "#ffd200")
            .replace("logo_width = 160\n", ""),
    );
    let raised = findings(&ws, &id, &[]);
    for code in ["warning:contrast-low", "warning:image-size"] {
        assert!(raised.contains(&code.to_string()), "{code}: {raised:?}");
    }
    assert!(
        !raised.contains(&"warning:image-alt".to_string()),
        "{raised:?}"
    );
    let out = email(&ws, &id, &["--check"]);
    assert!(
        stderr(&out).contains(
            "warning[contrast-low]: link text in #ffd200 on #ffffff has a contrast of 1.4"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_runbooks_own_subject_suggestions_pass_the_subject_checks() {
    let mut failing = Vec::new();
    for kind in KINDS {
        let text = crate::common::builtin_runbook(kind);
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
        for locale in LOCALES {
            let (ws, id) = incident(kind, locale);
            for subject in doc["email"]["subjects"][locale]
                .as_sequence()
                .expect("subjects")
            {
                let subject = subject.as_str().expect("text");
                let raised = findings(
                    &ws,
                    &id,
                    &[&["--subject", subject], &override_args(kind)[..]].concat(),
                );
                if raised.iter().any(|f| f.contains(":subject-")) {
                    failing.push(format!("{kind}/{locale} {subject:?}: {raised:?}"));
                }
            }
        }
    }
    assert_eq!(failing, Vec::<String>::new());
}
