//! The interactive walk in a real pseudo-terminal: `incident open` with no flags, typed
//! answers through the dialoguer prompts (Select, Input, Confirm), Ctrl-C at a prompt of
//! step 3, and `incident resume` to the end. Every prompt is awaited before it is answered,
//! so nothing here depends on timing.

use std::process::Command;

use rexpect::error::Error as ExpectError;
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use serde_yaml::Value;

use crate::common::{NOW, Workspace, builtin_runbook};

/// How long any one expectation may wait for the terminal.
const TIMEOUT_MS: u64 = 10_000;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

/// The binary in a pseudo-terminal (stdin, stdout and stderr all on it), with a transcript of
/// everything read so far for failure messages.
struct Tty {
    name: String,
    session: PtySession,
    /// Everything matched so far, as rexpect reads it (one char per byte).
    seen: String,
}

impl Tty {
    /// `incident --dir <ws> ARGS` at [`NOW`], no colour, an xterm, no login name.
    fn spawn(ws: &Workspace, args: &[&str]) -> Tty {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_incident"));
        cmd.arg("--dir")
            .arg(ws.path())
            .args(args)
            .current_dir(ws.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("INCIDENT_NOW", NOW)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        let name = format!("incident {}", args.join(" "));
        let session = spawn_command(cmd, Some(TIMEOUT_MS))
            .unwrap_or_else(|e| panic!("{name}: cannot spawn in a pty: {e}"));
        Tty {
            name,
            session,
            seen: String::new(),
        }
    }

    /// Wait for `text` on the terminal.
    fn expect(&mut self, text: &str) {
        match self.session.exp_string(&wire(text)) {
            Ok(before) => {
                self.seen.push_str(&before);
                self.seen.push_str(&wire(text));
            }
            Err(e) => self.fail(&format!("waiting for {text:?}"), e),
        }
    }

    /// Wait for an ASCII regex; returns the match.
    fn expect_regex(&mut self, regex: &str) -> String {
        match self.session.exp_regex(regex) {
            Ok((before, found)) => {
                self.seen.push_str(&before);
                self.seen.push_str(&found);
                unwire(&found)
            }
            Err(e) => self.fail(&format!("waiting for /{regex}/"), e),
        }
    }

    /// Press keys (text, arrows, Enter): written and flushed at once.
    fn keys(&mut self, keys: &str) {
        let sent = self.session.send(keys).and_then(|_| self.session.flush());
        if let Err(e) = sent {
            self.fail(&format!("sending {keys:?}"), e);
        }
    }

    /// An Input prompt: wait for it, type `typed` and Enter, and check the line it leaves
    /// shows `shown` (the default when `typed` is empty and there is one).
    fn answer(&mut self, prompt: &str, typed: &str, shown: &str) {
        self.expect(prompt);
        self.keys(&format!("{typed}{ENTER}"));
        self.expect(&format!(": {shown}\r\n"));
    }

    /// An Input prompt answered with `text` (empty: skipped).
    fn input(&mut self, prompt: &str, text: &str) {
        self.answer(prompt, text, text);
    }

    /// A Confirm prompt showing `shown` (`[Y/n]` or `[y/N]`): press `key` ("y", "n" or Enter)
    /// and check it settles on `expected`.
    fn confirm(&mut self, prompt: &str, shown: &str, key: &str, expected: bool) {
        self.expect(prompt);
        self.expect(&format!("{shown} "));
        self.keys(key);
        // The prompt is redrawn with the choice in place of `[Y/n]`.
        self.expect(prompt);
        self.expect(if expected { " yes\r\n" } else { " no\r\n" });
    }

    /// A Select prompt: move down (the list wraps) until the first word of the highlighted
    /// item is `wanted`, then press Enter. Returns the first word of the item highlighted when
    /// the prompt opened (its default).
    fn select(&mut self, prompt: &str, wanted: &str) -> String {
        self.expect(&format!("{prompt}:\r\n"));
        let first = self.highlighted();
        let mut current = first.clone();
        let mut moves = 0;
        while current != wanted {
            moves += 1;
            if moves > 20 {
                self.fail_msg(&format!(
                    "{prompt}: no item {wanted:?} after 20 moves down (last: {current:?})"
                ));
            }
            self.keys(DOWN);
            current = self.highlighted();
        }
        self.keys(ENTER);
        self.expect(&format!("{prompt}: {wanted}"));
        first
    }

    /// The first word of the item a Select highlights with "> ".
    fn highlighted(&mut self) -> String {
        let line = self.expect_regex(r"> [^\r\n]*\r\n");
        line.trim_start_matches("> ")
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// Wait for the process to end; returns its exit code.
    fn exit_code(mut self) -> i32 {
        match self.session.exp_eof() {
            Ok(rest) => self.seen.push_str(&rest),
            Err(e) => self.fail("waiting for the process to exit", e),
        }
        match self.session.process().wait() {
            Ok(WaitStatus::Exited(_, code)) => {
                self.assert_plain();
                code
            }
            Ok(other) => self.fail_msg(&format!("ended with {other:?}, not an exit code")),
            Err(e) => self.fail("waiting for the exit status", e),
        }
    }

    /// NO_COLOR is honoured: no SGR (colour, bold, dim) sequence was drawn.
    fn assert_plain(&self) {
        let sgr = first_sgr(&self.seen);
        if let Some(found) = sgr {
            self.fail_msg(&format!(
                "NO_COLOR is set but the terminal got the style sequence {found:?}"
            ));
        }
    }

    fn fail(&self, doing: &str, err: ExpectError) -> ! {
        let got = match &err {
            ExpectError::Timeout { got, .. } | ExpectError::EOF { got, .. } => {
                format!("\n--- unread output ---\n{}", readable(got))
            }
            _ => String::new(),
        };
        self.fail_msg(&format!("{doing}: {err}{got}"))
    }

    fn fail_msg(&self, message: &str) -> ! {
        let screen = readable(&self.seen);
        let tail: String = {
            let chars: Vec<char> = screen.chars().collect();
            chars[chars.len().saturating_sub(3000)..].iter().collect()
        };
        panic!(
            "{}: {message}\n--- terminal so far (escapes removed, last 3000 chars) ---\n{tail}",
            self.name
        )
    }
}

/// rexpect reads the pty byte by byte and turns each byte into a char: text with non-ASCII
/// characters ("·", "✓", "—") must be spelled that way to match.
fn wire(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

/// Undo [`wire`]: the bytes read back as UTF-8.
fn unwire(text: &str) -> String {
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Terminal output as a person would read it: UTF-8, without escape sequences or CRs.
fn readable(raw: &str) -> String {
    let text = unwire(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The first SGR sequence (`ESC [ digits/semicolons m`) in the output, if any.
fn first_sgr(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(pos) = raw[i..].find("\x1b[") {
        let start = i + pos;
        let mut end = start + 2;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b';') {
            end += 1;
        }
        if end < bytes.len() && bytes[end] == b'm' {
            return Some(raw[start..=end].to_string());
        }
        i = start + 2;
    }
    None
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| match key.parse::<usize>() {
            Ok(index) => &v[index],
            Err(_) => &v[key],
        })
}

fn text_at<'a>(record: &'a Value, path: &str) -> &'a str {
    at(record, path)
        .as_str()
        .unwrap_or_else(|| panic!("{path}: expected text, got {:?}", at(record, path)))
}

/// The questions of the built-in wrong-segment runbook this test answers, step by step, in
/// order (`discovered_at` and `subject` are added by the catalog, not the file).
const QUESTIONS: [(&str, &[&str]); 6] = [
    ("own", &["how_found", "first_report"]),
    (
        "stop",
        &["campaign_state", "campaign_id", "other_sends_paused"],
    ),
    (
        "assess",
        &[
            "affected_count",
            "sent_at",
            "segments",
            "intended_segment",
            "cause",
            "pii_exposed",
            "cost_estimate",
        ],
    ),
    (
        "plan",
        &[
            "compensation",
            "compensation_to",
            "compensation_cost",
            "root_cause",
            "mitigations",
            "preventions",
            "process_changes",
        ],
    ),
    (
        "inform",
        &["sign_off_by", "locale", "what_happened", "what_it_means"],
    ),
    (
        "monitor",
        &[
            "watch_until",
            "watch_owner",
            "went_well",
            "went_wrong",
            "lucky",
        ],
    ),
];

#[test]
fn open_at_a_terminal_survives_ctrl_c_and_resume_finishes_the_walk() {
    // The script below answers these prompts in this order: fail plainly, not on a timeout,
    // when the runbook changes.
    let runbook: Value = serde_yaml::from_str(&builtin_runbook("wrong-segment")).unwrap();
    for (step, expected) in QUESTIONS {
        let ids: Vec<&str> = at(&runbook, &format!("steps.{step}.questions"))
            .as_sequence()
            .unwrap_or_else(|| panic!("runbook wrong-segment: steps.{step}.questions"))
            .iter()
            .map(|q| q["id"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            ids, expected,
            "runbooks/wrong-segment.yaml asks other questions in {step} than this test answers: \
             update the script in tests/cli/interactive.rs"
        );
    }

    let ws = Workspace::new();

    // --- incident open: no flags, everything asked ---------------------------------------
    let mut tty = Tty::spawn(&ws, &["open"]);
    tty.select("What went wrong?", "wrong-segment");
    tty.input("Title (one line: what went wrong)", "VIP offer sent to all");
    let default_severity = tty.select("Severity", "sev1");
    assert_eq!(
        default_severity, "sev2",
        "the severity prompt starts on the runbook's default"
    );
    tty.input("Your name (owner of this incident)", "Dana Smit");
    let opened = tty.expect_regex(r"Opened INC-\d{8}-\d{3}");
    let id = opened.trim_start_matches("Opened ").to_string();
    assert_eq!(
        id, "INC-20261126-001",
        "first ID of the day at INCIDENT_NOW"
    );

    // Step 1: the brief, then discovered_at (injected first), how_found, first_report.
    tty.expect("Step 1/6 · Own the problem");
    tty.expect("Purpose:");
    tty.expect("Responsible:");
    tty.expect("Checklist:");
    tty.expect("[ ] Post in the team channel that you are the incident owner.");
    tty.expect("When did the team become aware of the problem?");
    // The default is `now`, resolved by INCIDENT_NOW; a local time in the workspace zone is
    // typed instead.
    tty.answer(
        "in UTC) [2026-11-26T10:00:00Z]",
        "2026-11-26 09:40",
        "2026-11-26 09:40",
    );
    tty.select("How was the mistake found?", "internal-review");
    tty.input(
        "What was first reported, in one or two sentences? (optional)",
        "A VIP offer reached the whole list",
    );
    tty.expect("✓ 1. Own the problem saved");

    // Saved after every step: the record on disk already has step 1 while step 2 is asked.
    let record = ws.record(&id);
    assert_eq!(text_at(&record, "steps.own.status"), "done");
    assert_eq!(text_at(&record, "steps.stop.status"), "pending");

    // Step 2: escalation at the chosen severity, then the three questions.
    tty.expect("Step 2/6 · Put out the fire");
    tty.expect("Purpose:");
    tty.expect("Responsible:");
    tty.expect("Escalation:  At sev1, bring in: Leadership, Legal.");
    tty.expect("Checklist:");
    tty.select("What is the state of the campaign now?", "cancelled");
    tty.input("Campaign ID in the ESP", "CMP-4821");
    tty.confirm(
        "Are other sends using the same segment paused?",
        "[Y/n]",
        "y",
        true,
    );
    tty.expect("✓ 2. Put out the fire saved");

    // Step 3: half an answer typed, then Ctrl-C.
    tty.expect("Step 3/6 · Assess the damage");
    tty.expect("How many subscribers received it who should not have?: ");
    tty.keys("12");
    tty.expect("12");
    if let Err(e) = tty.session.send_control('c') {
        tty.fail("sending Ctrl-C", e);
    }
    tty.expect("Interrupted.");
    tty.expect(&format!("continue with `incident resume {id}`"));
    let code = tty.exit_code();
    assert_eq!(code, 130, "Ctrl-C ends the walk with 128 + SIGINT");

    // The record is valid and holds exactly the two finished steps.
    let record = ws.record(&id);
    assert_eq!(text_at(&record, "id"), id);
    assert_eq!(text_at(&record, "kind"), "wrong-segment");
    assert_eq!(text_at(&record, "title"), "VIP offer sent to all");
    assert_eq!(text_at(&record, "severity"), "sev1");
    assert_eq!(text_at(&record, "status"), "open");
    assert_eq!(text_at(&record, "opened_by"), "Dana Smit");
    assert_eq!(text_at(&record, "steps.own.status"), "done");
    assert_eq!(text_at(&record, "steps.own.by"), "Dana Smit");
    assert_eq!(
        text_at(&record, "steps.own.answers.discovered_at"),
        "2026-11-26T09:40:00Z"
    );
    assert_eq!(
        text_at(&record, "steps.own.answers.how_found"),
        "internal-review"
    );
    assert_eq!(
        text_at(&record, "steps.own.answers.first_report"),
        "A VIP offer reached the whole list"
    );
    assert_eq!(text_at(&record, "steps.stop.status"), "done");
    assert_eq!(
        text_at(&record, "steps.stop.answers.campaign_state"),
        "cancelled"
    );
    assert_eq!(
        text_at(&record, "steps.stop.answers.campaign_id"),
        "CMP-4821"
    );
    assert_eq!(
        at(&record, "steps.stop.answers.other_sends_paused").as_bool(),
        Some(true)
    );
    for step in ["assess", "plan", "inform", "monitor"] {
        assert_eq!(
            text_at(&record, &format!("steps.{step}.status")),
            "pending",
            "{step} is still pending after Ctrl-C"
        );
    }
    assert!(
        at(&record, "steps.assess.answers")
            .as_mapping()
            .is_none_or(|m| m.is_empty()),
        "the half-typed answer of step 3 is not saved: {:?}",
        at(&record, "steps.assess.answers")
    );

    // --- incident resume: the four remaining steps --------------------------------------
    let mut tty = Tty::spawn(&ws, &["resume", &id, "--by", "Sam Lee"]);
    tty.expect(&format!(
        "Resuming {id}: VIP offer sent to all (2/6 steps done)"
    ));

    // Step 3: a number is validated and asked again; a list ends on an empty line.
    tty.expect("Step 3/6 · Assess the damage");
    let affected = "How many subscribers received it who should not have?";
    tty.expect(affected);
    tty.keys(&format!("lots{ENTER}"));
    tty.expect("expected a number, e.g. 1250");
    tty.input(affected, "1250");
    tty.expect("When did the email go out?");
    tty.answer(
        "YYYY-MM-DD HH:MM in UTC): ",
        "2026-11-26 07:00",
        "2026-11-26 07:00",
    );
    tty.expect("One item per line; an empty line ends the list.");
    let segments = "Which segments or lists received it by mistake? (optional)";
    tty.input(&format!("{segments} #1"), "VIP-lapsed");
    tty.input(&format!("{segments} #2"), "Newsletter-all");
    tty.input(&format!("{segments} #3"), "");
    tty.input("Which segment was it meant for? (optional)", "VIP-active");
    tty.input(
        "What caused it (the filter, import or step that went wrong)?",
        "Segment filter lost its VIP condition",
    );
    tty.confirm(
        "Did the message expose personal data of others?",
        "[y/N]",
        ENTER,
        false,
    );
    tty.input(
        "Estimated cost so far (discounts redeemed, credits), in your currency (optional)",
        "",
    );
    tty.expect("✓ 3. Assess the damage saved");

    // Step 4: choices, skipped number, and action items through the actions prompts.
    tty.expect("Step 4/6 · Create a plan");
    tty.select("What compensation, if any? (optional)", "honour-offer");
    tty.input(
        "Who receives it? (optional)",
        "Wrongly targeted subscribers",
    );
    tty.input("Estimated cost of the compensation (optional)", "");
    tty.input(
        "Root cause, in one or two sentences",
        "An edited filter dropped the VIP condition",
    );
    tty.expect("Actions that limit the harm of this incident (optional):");
    tty.confirm("Add an action item?", "[y/N]", "n", false);
    tty.expect("Fixes that stop it from happening again:");
    tty.confirm("Add an action item?", "[Y/n]", "y", true);
    tty.input("  What", "Add an audience-size check before every send");
    tty.input("  Owner", "Priya");
    tty.expect("  Due (YYYY-MM-DD)");
    tty.keys(&format!("next week{ENTER}"));
    tty.expect("expected a date such as 2026-12-01");
    tty.input("  Due (YYYY-MM-DD)", "2026-12-01");
    let type_default = tty.select("  Type", "prevent");
    assert_eq!(
        type_default, "prevent",
        "the question's action_type is the default"
    );
    tty.confirm("Add another?", "[y/N]", "y", true);
    tty.input("  What", "Second pair of eyes on segment edits");
    tty.input("  Owner", "Jordan");
    tty.input("  Due (YYYY-MM-DD)", "2026-12-15");
    tty.select("  Type", "process");
    tty.confirm("Add another?", "[y/N]", "n", false);
    tty.expect("Changes to how the team works (optional):");
    tty.confirm("Add an action item?", "[y/N]", "n", false);
    tty.expect("✓ 4. Create a plan saved");

    // Step 5: the subject (injected first) offers the runbook's first English suggestion.
    tty.expect("Step 5/6 · Inform and apologize");
    let suggestion = text_at(&runbook, "email.subjects.en.0").to_string();
    tty.answer(
        &format!("Subject line of the apology [{suggestion}]"),
        "",
        &suggestion,
    );
    tty.input("Who approved the apology?", "Maria Jansen");
    tty.select("Language of the apology (optional)", "en");
    tty.expect("Leave it empty to use the wording the template has");
    tty.input(
        "What happened, in one or two plain sentences for subscribers (the email's first paragraph) (optional)",
        "",
    );
    tty.input(
        "What it means for them, and whether they need to do anything (optional)",
        "The VIP offer is honoured for everyone who received it.",
    );
    tty.expect("✓ 5. Inform and apologize saved");

    // Step 6.
    tty.expect("Step 6/6 · Proceed carefully");
    tty.input(
        "Watch deliverability until when? (optional;",
        "2026-12-03 10:00",
    );
    tty.input("Who watches deliverability?", "Sam Lee");
    // The lessons for the post-mortem: lists, each ended by an empty line.
    let went_well = "For the post-mortem, what went well? (optional)";
    tty.input(&format!("{went_well} #1"), "Paused within minutes");
    tty.input(&format!("{went_well} #2"), "");
    tty.input(
        "What went wrong, or could have gone better? (optional) #1",
        "",
    );
    tty.input("Where did we get lucky? (optional) #1", "");
    tty.expect("✓ 6. Proceed carefully saved");
    tty.expect(&format!("{id} — all six steps done."));
    let code = tty.exit_code();
    assert_eq!(
        code, 0,
        "resume ends with success once all six steps are done"
    );

    // The finished record: earlier steps untouched, the new ones by the resumer.
    let record = ws.record(&id);
    for step in ["own", "stop", "assess", "plan", "inform", "monitor"] {
        assert_eq!(
            text_at(&record, &format!("steps.{step}.status")),
            "done",
            "{step} is done after resume"
        );
    }
    assert_eq!(text_at(&record, "steps.own.by"), "Dana Smit");
    assert_eq!(
        text_at(&record, "steps.stop.answers.campaign_id"),
        "CMP-4821"
    );
    assert_eq!(text_at(&record, "steps.assess.by"), "Sam Lee");
    assert_eq!(
        at(&record, "steps.assess.answers.affected_count").as_f64(),
        Some(1250.0)
    );
    assert_eq!(
        at(&record, "steps.assess.answers.segments"),
        &serde_yaml::from_str::<Value>("[VIP-lapsed, Newsletter-all]").unwrap()
    );
    assert_eq!(
        text_at(&record, "steps.assess.answers.cause"),
        "Segment filter lost its VIP condition"
    );
    assert_eq!(
        at(&record, "steps.assess.answers.pii_exposed").as_bool(),
        Some(false)
    );
    assert!(
        at(&record, "steps.assess.answers.cost_estimate").is_null(),
        "a skipped optional number is left out"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.compensation"),
        "honour-offer"
    );
    assert!(at(&record, "steps.plan.answers.compensation_cost").is_null());
    assert!(
        at(&record, "steps.plan.answers.mitigations").is_null(),
        "no mitigation was added"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.0.what"),
        "Add an audience-size check before every send"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.0.owner"),
        "Priya"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.0.due"),
        "2026-12-01"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.0.type"),
        "prevent"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.1.owner"),
        "Jordan"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.1.type"),
        "process"
    );
    assert!(at(&record, "steps.plan.answers.preventions.2").is_null());
    assert_eq!(
        text_at(&record, "steps.inform.answers.subject"),
        suggestion,
        "Enter on the subject keeps the suggestion"
    );
    assert_eq!(
        text_at(&record, "steps.inform.answers.sign_off_by"),
        "Maria Jansen"
    );
    assert_eq!(text_at(&record, "steps.inform.answers.locale"), "en");
    assert!(
        at(&record, "steps.inform.answers.what_happened").is_null(),
        "an empty optional text is left out"
    );
    assert_eq!(
        text_at(&record, "steps.inform.answers.what_it_means"),
        "The VIP offer is honoured for everyone who received it."
    );
    assert_eq!(
        text_at(&record, "steps.monitor.answers.watch_until"),
        "2026-12-03T10:00:00Z"
    );
    assert_eq!(
        text_at(&record, "steps.monitor.answers.watch_owner"),
        "Sam Lee"
    );
    assert_eq!(
        at(&record, "steps.monitor.answers.went_well"),
        &serde_yaml::from_str::<Value>("[Paused within minutes]").unwrap()
    );
    assert_eq!(text_at(&record, "status"), "open", "resume does not close");
}

/// A follow-up question is not asked when the answer before it makes it pointless: no one is
/// asked who receives no compensation.
#[test]
fn no_compensation_skips_its_follow_up_questions() {
    let ws = Workspace::new();
    let answers = "kind: wrong-segment\ntitle: VIP offer sent to all\nown:\n  discovered_at: 2026-11-26T09:40:00Z\n  how_found: internal-review\nstop:\n  campaign_state: paused\n  campaign_id: C-1004\nassess:\n  affected_count: 1250\n  cause: Segment filter lost its VIP condition\n";
    let id = crate::common::open_with(&ws, answers);
    let mut tty = Tty::spawn(&ws, &["resume", &id, "--by", "Sam Lee"]);
    tty.expect("Step 4/6 · Create a plan");
    tty.select("What compensation, if any? (optional)", "none");
    // The next prompt is the root cause: "Who receives it?" and the cost are skipped.
    tty.expect_regex(r"\r\n[^\r\n]*Root cause, in one or two sentences");
    if tty.seen.contains("Who receives it?") {
        tty.fail_msg("asked who receives no compensation");
    }
    if let Err(e) = tty.session.send_control('c') {
        tty.fail("sending Ctrl-C", e);
    }
    tty.expect("Interrupted.");
    assert_eq!(tty.exit_code(), 130);
}
