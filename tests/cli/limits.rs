//! Limits and input edges end to end: IDs at every width, inputs with a byte order mark or
//! bytes that are not UTF-8, endless and huge inputs, over-long and line-breaking text, sums
//! that would wrap, and headers by the standard. Each refusal exits 1 with the file, line or
//! field and a hint, and writes nothing.

use std::io::Write;

use mail_parser::MessageParser;

use crate::common::{
    OWN_ONLY, Workspace, answers_fixture, audience_from, open_fixture, open_with, stderr, stdout,
};

/// Run `args`; expect exit 1 with `said` on stderr, a hint, and no file changed.
fn refused(ws: &Workspace, args: &[&str], said: &str) {
    let before = ws.snapshot();
    let out = ws.incident().args(args).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains(said), "{args:?}: {}", stderr(&out));
    assert!(stderr(&out).contains("hint:"), "{args:?}: {}", stderr(&out));
    assert_eq!(ws.snapshot(), before, "{args:?} changed a file");
}

/// Give the record of `id` the sequence `sequence`, as if that many had been opened that day.
fn renumber(ws: &Workspace, id: &str, sequence: u32) -> String {
    let new = format!("INC-20261126-{sequence:03}");
    let text = ws.read(&format!("incidents/{id}.yaml")).replace(id, &new);
    std::fs::remove_file(ws.path().join(format!("incidents/{id}.yaml"))).expect("remove");
    ws.write(&format!("incidents/{new}.yaml"), &text);
    new
}

#[test]
fn ids_widen_past_every_boundary_and_read_back() {
    for (last, next, after) in [
        (999, "INC-20261126-1000", "INC-20261126-1001"),
        (999_999, "INC-20261126-1000000", "INC-20261126-1000001"),
    ] {
        let ws = Workspace::new();
        let first = open_with(&ws, OWN_ONLY);
        let first = renumber(&ws, &first, last);
        assert_eq!(open_with(&ws, OWN_ONLY), next);
        let out = ws.incident().args(["show", next]).output().expect("runs");
        assert!(
            out.status.success(),
            "{next} does not read back: {}",
            stderr(&out)
        );
        ws.write(
            &format!("incidents/{next}.yaml"),
            &ws.read(&format!("incidents/{next}.yaml"))
                .replace("VIP offer sent to all", "the second one"),
        );
        assert_eq!(
            open_with(&ws, OWN_ONLY),
            after,
            "the next open overwrote {next}"
        );
        assert_eq!(ws.record(next)["title"].as_str(), Some("the second one"));
        let out = ws
            .incident()
            .args(["list", "--all", "--format", "json"])
            .output()
            .expect("runs");
        let listed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let ids: Vec<&str> = listed
            .as_array()
            .expect("rows")
            .iter()
            .filter_map(|r| r["id"].as_str())
            .collect();
        assert_eq!(ids, [first.as_str(), next, after]);
    }
}

#[test]
fn the_last_id_of_a_day_is_the_last() {
    let ws = Workspace::new();
    let first = open_with(&ws, OWN_ONLY);
    renumber(&ws, &first, u32::MAX);
    ws.write("answers.yaml", OWN_ONLY);
    refused(
        &ws,
        &["open", "--answers", "answers.yaml", "--by", "dana"],
        "has no incident ID left for 2026-11-26",
    );
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_file_read() {
    let ws = Workspace::new();
    // A key right after the mark is what a YAML parser took for a second document.
    let answers: String = std::fs::read_to_string(answers_fixture("wrong-segment"))
        .expect("fixture")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    ws.write("answers.yaml", &format!("\u{feff}{answers}"));
    let out = ws
        .incident()
        .args(["open", "--dry-run", "--by", "dana", "--answers", "-"])
        .write_stdin(format!("\u{feff}{answers}"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "stdin: {}", stderr(&out));
    ws.write(
        "incident.toml",
        &format!("\u{feff}locale = \"en\"\n{}", crate::common::BRAND),
    );
    ws.write(
        "runbooks/wrong-segment.yaml",
        &format!(
            "\u{feff}{}",
            crate::common::builtin_runbook("wrong-segment")
        ),
    );
    let out = ws
        .incident()
        .args([
            "open",
            "--quiet",
            "--by",
            "dana",
            "--answers",
            "answers.yaml",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    ws.write(
        "stats.csv",
        "\u{feff}date,sent,delivered,bounces,complaints,unsubscribes\n2026-11-27,100,99,1,0,0\n",
    );
    let out = ws
        .incident()
        .args(["monitor", &id, "--metrics", "stats.csv"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    audience_from(&ws, &id, "\u{feff}email\nann@example.com\n");
    let list = format!("incidents/{id}/recipients.csv");
    ws.write(&list, &format!("\u{feff}{}", ws.read(&list)));
    let out = ws
        .incident()
        .args(["email", &id, "--check"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/report/summary.md");
    let template = std::fs::read_to_string(template).expect("built-in template");
    ws.write(
        "templates/report/summary.md",
        &format!("\u{feff}{template}"),
    );
    let out = ws
        .incident()
        .args(["report", "--summary"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).starts_with('\u{feff}'),
        "the mark reached the report"
    );
    let out = ws.incident().arg("check").output().expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn text_that_is_not_utf8_is_refused_at_its_line_and_column() {
    let ws = Workspace::new();
    std::fs::write(
        ws.path().join("answers.yaml"),
        b"kind: wrong-segment\ntitle: caf\xE9 offer\n",
    )
    .expect("write");
    refused(
        &ws,
        &["open", "--answers", "answers.yaml", "--by", "dana"],
        "answers.yaml:2:11: not UTF-8 text (byte 0xE9)",
    );
    std::fs::write(
        ws.path().join("incident.toml"),
        b"locale = \"en\"\n\n# \xFF\n",
    )
    .expect("write");
    refused(
        &ws,
        &["list"],
        "incident.toml:3:3: not UTF-8 text (byte 0xFF)",
    );
}

#[test]
fn endless_and_huge_inputs_are_refused_in_bounded_memory() {
    let ws = Workspace::new();
    refused(
        &ws,
        &["open", "--answers", "/dev/zero", "--by", "dana"],
        "/dev/zero: is larger than 16 MiB",
    );
    let id = open_with(&ws, OWN_ONLY);
    refused(
        &ws,
        &["monitor", &id, "--metrics", "/dev/zero"],
        "/dev/zero: starts with nothing but NUL bytes: binary data",
    );
    let mut huge = std::fs::File::create(ws.path().join("huge.csv")).expect("create");
    huge.write_all(b"date,sent,delivered,bounces,complaints,unsubscribes\n")
        .expect("write");
    huge.write_all(&vec![b'7'; 17 << 20]).expect("write");
    drop(huge);
    refused(
        &ws,
        &["monitor", &id, "--baseline", "huge.csv"],
        "huge.csv:2: line 2 runs on for more than 16 MiB",
    );
}

#[test]
fn answers_from_a_fifo_are_read() {
    let ws = Workspace::new();
    let fifo = ws.path().join("answers.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::write(fifo, OWN_ONLY).expect("write fifo")
    });
    let out = ws
        .incident()
        .args(["open", "--quiet", "--by", "dana", "--answers"])
        .arg(&fifo)
        .output()
        .expect("runs");
    writer.join().expect("writer");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn one_line_fields_are_short_and_hold_no_line_separator() {
    let ws = Workspace::new();
    let long = "t".repeat(201);
    refused(
        &ws,
        &[
            "open",
            "--kind",
            "wrong-segment",
            "--title",
            &long,
            "--by",
            "dana",
            "--non-interactive",
        ],
        "the title is 201 characters long; at most 200 are allowed",
    );
    for separator in ['\u{2028}', '\u{2029}'] {
        let title = format!("Sorry{separator}Bcc: all");
        refused(
            &ws,
            &[
                "open",
                "--kind",
                "wrong-segment",
                "--title",
                &title,
                "--by",
                "dana",
                "--non-interactive",
            ],
            &format!(
                "the title contains the line separator U+{:04X}",
                u32::from(separator)
            ),
        );
    }
    ws.write(
        "answers.yaml",
        &format!("kind: wrong-segment\ntitle: {long}\n"),
    );
    refused(
        &ws,
        &["open", "--answers", "answers.yaml", "--by", "dana"],
        "answers.yaml:2: title is 201 characters long",
    );
}

#[test]
fn a_baseline_whose_counts_would_wrap_is_refused() {
    let ws = Workspace::new();
    let id = open_with(&ws, OWN_ONLY);
    let half = u64::MAX / 2 + 1;
    ws.write(
        "base.csv",
        &format!(
            "date,sent,delivered,bounces,complaints,unsubscribes\n2026-11-01,{half},0,0,0,0\n2026-11-02,{half},0,0,0,0\n"
        ),
    );
    refused(
        &ws,
        &["monitor", &id, "--baseline", "base.csv"],
        "the `sent` counts add up past 18446744073709551615",
    );
}

/// The header block of the apology written for `id`.
fn headers(ws: &Workspace, id: &str) -> String {
    let eml = ws.read(&format!("incidents/{id}/email.eml"));
    eml.split("\r\n\r\n").next().unwrap_or_default().to_string()
}

#[test]
fn an_encoded_word_typed_as_the_subject_is_sent_as_text() {
    let ws = Workspace::branded();
    let id = open_fixture(&ws, "wrong-segment");
    let typed = "=?utf-8?q?Sorry=0D=0ABcc:_all@example.com?=";
    let out = ws
        .incident()
        .args(["email", &id, "--subject", typed])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let eml = std::fs::read(ws.path().join(format!("incidents/{id}/email.eml"))).expect("eml");
    let message = MessageParser::default().parse(&eml).expect("parses");
    assert_eq!(message.subject(), Some(typed));
    assert!(message.header("Bcc").is_none());
    assert!(
        !headers(&ws, &id).contains(typed),
        "passed through as an encoded-word"
    );

    for separator in ["\u{2028}", "\u{2029}"] {
        refused(
            &ws,
            &[
                "email",
                &id,
                "--subject",
                &format!("Sorry{separator}Bcc: all"),
            ],
            "--subject contains the line separator",
        );
    }
}

#[test]
fn long_brand_values_fold_and_a_line_over_998_octets_is_refused() {
    let ws = Workspace::new();
    let id = open_fixture(&ws, "wrong-segment");
    let name = "Ümlaut Outfitters Nordic ".repeat(8);
    ws.write(
        "incident.toml",
        &format!(
            "{1}name = \"{0}\"\nfrom_name = \"{0}\"\n",
            name.trim(),
            crate::common::BRAND.replace("name = \"Northwind Outfitters\"\n", "")
        ),
    );
    let out = ws.incident().args(["email", &id]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    for line in headers(&ws, &id).split("\r\n") {
        assert!(line.len() <= 78, "{} octets: {line}", line.len());
    }
    let eml = std::fs::read(ws.path().join(format!("incidents/{id}/email.eml"))).expect("eml");
    let message = MessageParser::default().parse(&eml).expect("parses");
    let from = message.from().and_then(|f| f.first()).expect("from");
    assert_eq!(from.name(), Some(name.trim()));

    // Within the 1,000 characters a one-line value may hold, but not within one header line.
    let url = format!("https://www.example.com/{}", "u".repeat(960));
    ws.write(
        "incident.toml",
        &crate::common::BRAND.replace("https://www.northwind-outfitters.nl/unsubscribe", &url),
    );
    let octets = "List-Unsubscribe: <".len() + url.len() + ">".len();
    refused(
        &ws,
        &["email", &id],
        &format!(
            "the List-Unsubscribe header would have a line of {octets} octets; the standard allows 998"
        ),
    );
}
