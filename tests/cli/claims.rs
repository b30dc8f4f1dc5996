//! No default template states a fact that no answer gave: every kind is rendered with only
//! the answers its runbook requires and with full answers, and each claim the email can make
//! is found in it exactly when the record backs it.

use serde_json::Value;
use serde_yaml::Value as Yaml;

use crate::common::{Workspace, answers_fixture, stderr, stdout};

const KINDS: [&str; 7] = [
    "wrong-segment",
    "broken-personalization",
    "subject-line",
    "malformed-message",
    "duplicate-send",
    "suppression-list-send",
    "data-breach",
];

/// A claim the email can make, and what in the record must back it.
struct Claim {
    says: &'static str,
    backed: fn(&Yaml) -> bool,
}

fn answer<'a>(record: &'a Yaml, step: &str, id: &str) -> &'a Yaml {
    &record["steps"][step]["answers"][id]
}

fn is(record: &Yaml, step: &str, id: &str, value: &str) -> bool {
    answer(record, step, id).as_str() == Some(value)
}

fn flag(record: &Yaml, step: &str, id: &str) -> Option<bool> {
    answer(record, step, id).as_bool()
}

/// The plan's actions of the kinds the email names, as (done, due) pairs.
fn actions(record: &Yaml) -> Vec<(bool, String)> {
    let mut all = Vec::new();
    for id in ["mitigations", "preventions", "process_changes"] {
        if id == "mitigations" && record["kind"].as_str() != Some("data-breach") {
            continue;
        }
        for item in answer(record, "plan", id)
            .as_sequence()
            .into_iter()
            .flatten()
        {
            let due = item["due"].as_str().unwrap_or_default().to_string();
            all.push((!item["done"].is_null(), due));
        }
    }
    all
}

fn contact_details(record: &Yaml) -> bool {
    answer(record, "assess", "data_categories")
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Yaml::as_str)
        .any(|c| c.contains("mail") || c.contains("phone") || c.contains("address"))
}

const CLAIMS: &[Claim] = &[
    Claim {
        says: "On 26 November 2026 ",
        backed: |r| !answer(r, "assess", "sent_at").is_null(),
    },
    Claim {
        says: "We have paused that campaign.",
        backed: |r| is(r, "stop", "campaign_state", "paused"),
    },
    Claim {
        says: "We have stopped that campaign.",
        backed: |r| is(r, "stop", "campaign_state", "cancelled"),
    },
    Claim {
        says: "(done on ",
        backed: |r| actions(r).iter().any(|(done, _)| *done),
    },
    Claim {
        says: "(by ",
        backed: |r| {
            actions(r)
                .iter()
                .any(|(done, due)| !done && due.as_str() >= "2026-11-26")
        },
    },
    Claim {
        says: "we will honour it",
        backed: |r| is(r, "plan", "compensation", "honour-offer"),
    },
    Claim {
        says: "No one else's details were in it",
        backed: |r| {
            r["kind"].as_str() == Some("broken-personalization")
                && flag(r, "assess", "pii_exposed") == Some(false)
        },
    },
    Claim {
        says: "appeared where your name should have been",
        backed: |r| !answer(r, "own", "what_rendered").is_null(),
    },
    Claim {
        says: "The subject should have read",
        backed: |r| !answer(r, "assess", "correct_subject").is_null(),
    },
    Claim {
        says: "times. That was our mistake",
        backed: |r| {
            answer(r, "assess", "max_copies")
                .as_u64()
                .is_some_and(|n| n > 1)
        },
    },
    Claim {
        says: "We have removed your address again",
        backed: |r| flag(r, "stop", "resuppressed") == Some(true),
    },
    Claim {
        says: "saw or copied this information",
        backed: |r| is(r, "assess", "data_accessed", "confirmed"),
    },
    Claim {
        says: "It is likely that someone without permission saw",
        backed: |r| is(r, "assess", "data_accessed", "likely"),
    },
    Claim {
        says: "The breach took place",
        backed: |r| !answer(r, "assess", "breach_start").is_null(),
    },
    Claim {
        says: "Your password was involved",
        backed: |r| flag(r, "assess", "credentials_involved") == Some(true),
    },
    Claim {
        says: "Change your password for your",
        backed: |r| flag(r, "assess", "credentials_involved") == Some(true),
    },
    Claim {
        says: "Turn on two-factor authentication",
        backed: |r| flag(r, "assess", "credentials_involved") == Some(true),
    },
    Claim {
        says: "Check your bank and card statements",
        backed: |r| flag(r, "assess", "payment_data_involved") == Some(true),
    },
    Claim {
        says: "Watch out for phishing",
        backed: |r| contact_details(r) || flag(r, "assess", "credentials_involved") == Some(true),
    },
    Claim {
        says: "We have closed the access",
        backed: |r| flag(r, "stop", "contained") == Some(true),
    },
    Claim {
        says: "still working to close the access",
        backed: |r| flag(r, "stop", "contained") == Some(false),
    },
    Claim {
        says: "We have reported the breach",
        backed: |r| is(r, "plan", "notify_authority", "already-notified"),
    },
    Claim {
        says: "We are reporting the breach",
        backed: |r| is(r, "plan", "notify_authority", "will-notify"),
    },
    Claim {
        says: "We will pay for an identity protection service",
        backed: |r| is(r, "plan", "compensation", "identity-protection"),
    },
    Claim {
        says: "Our contact point for this breach",
        backed: |r| !answer(r, "inform", "contact_point").is_null(),
    },
];

/// The answers a kind's runbook requires and nothing more: the first choice of a choice, no
/// for a yes/no, one open prevention for the plan, plain placeholder text.
fn minimal_answers(ws: &Workspace, kind: &str) -> String {
    let out = ws
        .incident()
        .args(["runbooks", kind, "--format", "json"])
        .output()
        .expect("runs");
    let runbook: Value = serde_json::from_slice(&out.stdout).expect("runbook json");
    let mut doc = format!("kind: {kind}\ntitle: Minimal {kind}\n");
    for step in runbook["steps"].as_array().expect("steps") {
        doc.push_str(&format!("{}:\n", step["step"].as_str().expect("step")));
        for q in step["questions"].as_array().expect("questions") {
            if q["required"].as_bool() != Some(true) {
                continue;
            }
            let id = q["id"].as_str().expect("id");
            let value = match (id, q["type"].as_str().expect("type")) {
                ("discovered_at", _) => "2026-11-26T09:00:00Z".to_string(),
                ("subject_as_sent", _) => "\"The wrong subject\"".into(),
                ("data_categories", _) => "[email address]".into(),
                ("subscriber_steps", _) => "[Be alert to emails that mention this breach]".into(),
                ("contact_point", _) => "privacy@northwind-outfitters.nl".into(),
                (_, "choice") => q["choices"][0].as_str().expect("choice").to_string(),
                (_, "bool") => "false".into(),
                (_, "number") => "10".into(),
                (_, "list") => "[Something]".into(),
                (_, "actions") => {
                    "[{what: Check every audience before it is sent, owner: Ops, due: 2026-12-20}]"
                        .into()
                }
                _ => format!("\"An answer for {id}\""),
            };
            doc.push_str(&format!("  {id}: {value}\n"));
        }
    }
    doc
}

/// Render with --dry-run (the JSON of the checks, then the text part) and return the text,
/// the findings as `level:code: message`, and the record.
fn render(ws: &Workspace, answers: &str, kind: &str, now: &str) -> (String, Vec<String>, Yaml) {
    let id = crate::common::open_with(ws, answers);
    let mut args = vec!["email", id.as_str(), "--by", "dana"];
    if kind == "suppression-list-send" {
        args.extend(["--override-policy", "Legal asked us to write"]);
    }
    let check = ws
        .incident()
        .env("INCIDENT_NOW", now)
        .args(&args)
        .args(["--check", "--format", "json"])
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&check.stdout).expect("findings json");
    let findings = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}:{}: {}",
                f["level"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let out = ws
        .incident()
        .env("INCIDENT_NOW", now)
        .args(&args)
        .arg("--dry-run")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{kind}: {}", stderr(&out));
    (stdout(&out), findings, ws.record(&id))
}

fn assert_claims_backed(what: &str, text: &str, record: &Yaml) {
    for claim in CLAIMS {
        assert_eq!(
            text.contains(claim.says),
            (claim.backed)(record),
            "{what}: {:?} {} in the email, but the record says otherwise:\n{text}",
            claim.says,
            if text.contains(claim.says) {
                "is"
            } else {
                "is not"
            }
        );
    }
}

#[test]
fn with_only_the_required_answers_the_email_claims_nothing_more() {
    for kind in KINDS {
        let ws = Workspace::branded();
        let mut answers = minimal_answers(&ws, kind);
        if kind == "data-breach" {
            // Without the breach's date no notice can go out: the checks refuse it.
            let id = crate::common::open_with(&ws, &answers);
            let out = ws
                .incident()
                .args(["email", &id, "--check"])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1));
            let err = stderr(&out);
            assert!(err.contains("no date of the breach is given in the text part: assess.breach_start is not answered"), "{err}");
            assert!(err.contains("warning[claim-omitted]: the email does not say when the breach took place: assess.breach_start is not answered"), "{err}");
            answers = answers.replace(
                "assess:\n",
                "assess:\n  breach_start: 2026-11-25T21:00:00Z\n",
            );
        }
        let (text, findings, record) = render(&ws, &answers, kind, crate::common::NOW);
        assert_claims_backed(&format!("{kind} (minimal)"), &text, &record);
        assert!(
            !text.contains("We have changed"),
            "{kind}: an open prevention is not done:\n{text}"
        );
        let omitted: Vec<&String> = findings
            .iter()
            .filter(|f| f.contains("claim-omitted"))
            .collect();
        if kind == "data-breach" {
            assert!(
                omitted.iter().any(|f| f
                    .contains("whether anyone saw the data: assess.data_accessed is not answered")),
                "{findings:?}"
            );
        } else {
            assert!(
                omitted
                    .iter()
                    .any(|f| f
                        .contains("the day the email went out: assess.sent_at is not answered")),
                "{kind}: {findings:?}"
            );
        }
    }
}

#[test]
fn with_full_answers_every_claim_has_its_answer() {
    for kind in KINDS {
        let ws = Workspace::branded();
        let answers = std::fs::read_to_string(answers_fixture(kind)).expect("fixture");
        let (text, findings, record) = render(&ws, &answers, kind, crate::common::NOW);
        assert_claims_backed(&format!("{kind} (full)"), &text, &record);
        assert!(
            !findings.iter().any(|f| f.contains("claim-omitted")),
            "{kind}: {findings:?}"
        );
    }
}

#[test]
fn passwords_cards_and_done_actions_are_said_only_when_the_record_says_so() {
    let ws = Workspace::branded();
    let fixture = std::fs::read_to_string(answers_fixture("data-breach")).expect("fixture");
    let answers = fixture
        .replace("credentials_involved: false", "credentials_involved: true")
        .replace(
            "payment_data_involved: false",
            "payment_data_involved: true",
        )
        .replace("data_accessed: confirmed", "data_accessed: likely");
    let id = crate::common::open_with(&ws, &answers);
    let done = ws
        .incident()
        .args([
            "note",
            &id,
            "Takedown confirmed",
            "--action-done",
            "1",
            "--by",
            "erik",
        ])
        .output()
        .expect("runs");
    assert!(done.status.success(), "{}", stderr(&done));
    let out = ws
        .incident()
        .args(["email", &id, "--dry-run", "--by", "dana"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_claims_backed(
        "data-breach (credentials, payment, a done action)",
        &text,
        &ws.record(&id),
    );
    assert!(
        text.contains("What we have already done:\n- Ask the phishing site's host"),
        "{text}"
    );
    assert!(text.contains("Someone could use your password"), "{text}");

    // Two days later the two mitigations due on 27 November are overdue and not done: the
    // notice no longer promises them, and says why.
    let (text, findings, _) = render(&ws, &fixture, "data-breach", "2026-11-28T10:00:00Z");
    assert!(!text.contains("Publish a notice on the website"), "{text}");
    assert!(
        findings.iter().any(|f| f.contains(
            "warning:claim-omitted: the mitigation action \"Publish a notice on the website and give customer service a script with the same facts\" is left out: it was due 2026-11-27 and is not done"
        )),
        "{findings:?}"
    );
}

#[test]
fn the_breach_dates_are_not_repeated_after_the_teams_own_sentence() {
    let ws = Workspace::branded();
    let fixture = std::fs::read_to_string(answers_fixture("data-breach")).expect("fixture");
    let answers = fixture.replace(
        "  contact_point:",
        "  what_happened: Between 25 November 2026 and 26 November 2026 someone used a stolen password to get into our email account.\n  contact_point:",
    );
    let (text, findings, _) = render(&ws, &answers, "data-breach", crate::common::NOW);
    assert!(
        text.contains("Between 25 November 2026 and 26 November 2026 someone used"),
        "{text}"
    );
    assert!(!text.contains("The breach took place"), "{text}");
    assert!(
        text.contains("We became aware of it on 26 November 2026."),
        "{text}"
    );
    assert!(
        !findings.iter().any(|f| f.starts_with("error")),
        "{findings:?}"
    );
}
