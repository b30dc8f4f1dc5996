//! The interactive walk in a real pseudo-terminal, typed as a tired person types: `incident
//! open` with no flags, a pause before step 3, the audience computed from inside the walk,
//! words where y/n is asked, `9:40` and `€1,250`, a wrong answer asked again, Ctrl-C in step 5,
//! the apology rendered on the spot, the list of what is left, and a close that asks before it
//! closes with work open. Every prompt is awaited before it is answered, so nothing here
//! depends on timing, except the test of the clock, which pauses on purpose.

use std::process::Command;

use rexpect::error::Error as ExpectError;
use rexpect::process::WaitStatus;
use rexpect::session::{PtySession, spawn_command};
use serde_yaml::Value;

use crate::common::{NOW, Workspace, builtin_runbook, fixture};

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
    /// `incident --dir <ws> ARGS` at [`NOW`], no colour, an xterm of 120×40, no login name.
    fn spawn(ws: &Workspace, args: &[&str]) -> Tty {
        Tty::spawn_at(ws, args, Some(NOW), 120)
    }

    /// The same on the real clock (`None`) or at a fixed instant, `columns` wide.
    fn spawn_at(ws: &Workspace, args: &[&str], now: Option<&str>, columns: u16) -> Tty {
        // The pty is sized by the shell before the binary starts, as a terminal window is.
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "stty cols {columns} rows 40 2>/dev/null; exec \"$0\" \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_incident"))
            .arg("--dir")
            .arg(ws.path())
            .args(args)
            .current_dir(ws.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        if let Some(now) = now {
            cmd.env("INCIDENT_NOW", now);
        }
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

    /// A line prompt: wait for its question and its `› `, type `typed` and Enter; what is
    /// typed is echoed as typed.
    fn answer(&mut self, prompt: &str, typed: &str) {
        self.expect(prompt);
        self.expect("› ");
        self.keys(&format!("{typed}{ENTER}"));
        if !typed.is_empty() {
            self.expect(typed);
        }
    }

    /// The same prompt asked again after a wrong answer: type `typed` and Enter.
    fn again(&mut self, typed: &str) {
        self.expect("› ");
        self.keys(&format!("{typed}{ENTER}"));
        if !typed.is_empty() {
            self.expect(typed);
        }
    }

    /// A list filtered by typing: type `typed`, press Enter, and check the line it leaves.
    fn filter(&mut self, prompt: &str, typed: &str, chosen: &str) {
        self.expect(&format!("{prompt} (type to filter)"));
        self.keys(&format!("{typed}{ENTER}"));
        self.expect(&format!("(type to filter): {chosen}"));
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

/// The questions of the built-in wrong-segment runbook the walk below answers, step by step,
/// in order (`discovered_at` and `subject` are added by the catalog, not the file; the lessons
/// and `watch_until` are asked by `close`).
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

/// Fail plainly, not on a timeout, when the runbook asks other questions than the script
/// answers.
fn assert_questions_unchanged() {
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
}

/// A branded workspace with the generated send log and its suppression list in it.
fn workspace_with_exports() -> Workspace {
    let ws = Workspace::branded();
    for name in ["sends.csv", "suppressions.csv"] {
        let text =
            std::fs::read_to_string(fixture(&format!("audience/seed1/{name}"))).expect("fixture");
        ws.write(name, &text);
    }
    ws
}

/// Session 1: `open` with no flags, steps 1 and 2, then "save and stop here".
fn open_and_pause(ws: &Workspace) -> String {
    let mut tty = Tty::spawn(ws, &["open"]);
    // The commonest kind comes first; Enter takes it.
    tty.filter("What went wrong?", "", "wrong-segment");
    tty.answer("Title (one line: what went wrong)", "VIP offer sent to all");
    assert_eq!(
        tty.select("Severity", "sev1"),
        "sev2",
        "the runbook's default first"
    );
    tty.answer("Your name (owner of this incident)", "Dana Smit");
    let opened = tty.expect_regex(r"Opened INC-\d{8}-\d{3}");
    let id = opened.trim_start_matches("Opened ").to_string();
    assert_eq!(id, "INC-20261126-001");

    tty.expect("Step 1/6 · Own the problem");
    tty.expect("[ ] Post in the team channel that you are the incident owner.");
    // A wrong segment has no legal clocks, and the help does not speak of any.
    tty.expect(
        "The key durations (to stop the send, to inform the people affected) run from this moment.",
    );
    // `9:40` is today's 9:40 in the workspace zone, echoed as the instant stored.
    tty.answer("[2026-11-26T10:00:00Z]", "9:40");
    tty.expect("= 2026-11-26 09:40 UTC (2026-11-26T09:40:00Z)");
    tty.select("How was the mistake found?", "internal-review");
    tty.answer(
        "What was first reported, in one or two sentences? (optional",
        "A VIP offer reached the whole list",
    );
    tty.expect("✓ 1. Own the problem saved");
    assert_eq!(
        text_at(&ws.record(&id), "steps.own.status"),
        "done",
        "saved at once"
    );

    tty.select("Next", "Go");
    tty.expect("Step 2/6 · Put out the fire");
    tty.expect("Escalation:  At sev1, bring in: Leadership, Legal.");
    tty.select("What is the state of the campaign now?", "cancelled");
    tty.answer("Campaign ID in the ESP", "C-1004");
    // A word that is not yes or no is asked again; `yes` is read whole, nothing leaks.
    tty.answer(
        "Are other sends using the same segment paused? (yes/no) [yes]",
        "maybe",
    );
    tty.expect("\"maybe\" is not yes or no: type y, yes, n or no");
    tty.again("yes");
    tty.expect("✓ 2. Put out the fire saved");

    tty.select("Next", "Save");
    tty.expect(&format!(
        "{id} — 2/6 steps done and saved; stopped before assess."
    ));
    tty.expect("What is left, in order:");
    tty.expect(&format!("incident resume {id}"));
    assert_eq!(tty.exit_code(), 0, "stopping is not an error");
    id
}

/// Session 2: resume at step 3, compute the audience on the spot, step 4, Ctrl-C in step 5.
fn resume_with_audience(ws: &Workspace, id: &str) {
    let mut tty = Tty::spawn(ws, &["resume", id]);
    tty.expect(&format!(
        "Resuming {id}: VIP offer sent to all (2/6 steps done)"
    ));
    tty.expect("Step 3/6 · Assess the damage");
    tty.answer(
        "Compute the affected subscribers now, from the ESP's send log? (yes/no) [yes]",
        "",
    );
    tty.answer("Send log exported from the ESP", "sends.csv");
    tty.filter("Which ESP exported it?", "", "none");
    tty.answer("Suppression list #1", "suppressions.csv");
    tty.answer("Suppression list #2", "");
    tty.answer("Export of the segment it was meant for", "");
    tty.answer("Campaign ID in the send log [C-1004]", "");
    tty.answer("Count only the people it was delivered to", "");
    let counted = tty.expect_regex(r"INC-20261126-001: [\d,]+ affected subscribers");
    let affected = counted
        .rsplit(": ")
        .next()
        .unwrap_or_default()
        .trim_end_matches(" affected subscribers")
        .to_string();
    // The computed count is the default; a word is refused in the prompt's own terms.
    tty.answer(
        &format!("How many subscribers received it who should not have? [{affected}]"),
        "lots",
    );
    tty.expect("\"lots\" is not a number: type digits, e.g. 1,922.50");
    // A count as people write it is read as such, and one that differs from the computed
    // audience is kept as the estimate, saying which count the apology goes by.
    tty.again("1,922");
    tty.expect("= 1,922");
    tty.expect(&format!(
        "Kept as the estimate; incident audience counted {affected}"
    ));
    tty.answer("When did the email go out? (optional", "yesterday 17:00");
    tty.expect("= 2026-11-25 17:00 UTC (2026-11-25T17:00:00Z)");
    tty.expect("One item per line; an empty line ends the list.");
    tty.answer(
        "Which segments or lists received it by mistake? (optional: Enter to skip) #1",
        "VIP-lapsed",
    );
    tty.answer("#2", "");
    tty.answer("Which segment was it meant for? (optional", "");
    tty.answer(
        "What caused it (the filter, import or step that went wrong)?",
        "Segment filter lost its VIP condition",
    );
    tty.answer(
        "Did the message expose personal data of others? (yes/no) [no]",
        "no",
    );
    tty.answer(
        "Estimated cost so far (discounts redeemed, credits) (optional",
        "€1,250",
    );
    tty.expect("✓ 3. Assess the damage saved");

    tty.select("Next", "Go");
    tty.expect("Step 4/6 · Create a plan");
    tty.select("What compensation, if any? (optional)", "honour-offer");
    tty.answer("Who receives it? (optional", "Wrongly targeted subscribers");
    tty.answer("Estimated cost of the compensation (optional", "");
    tty.answer(
        "Root cause, in one or two sentences",
        "An edited filter dropped the VIP condition",
    );
    tty.expect("Actions that limit the harm of this incident (optional):");
    tty.answer("Add an action item? (yes/no) [no]", "no");
    tty.expect("Fixes that stop it from happening again:");
    // `yes⏎` adds an item and nothing of it reaches the next prompt.
    tty.answer("Add an action item? (yes/no) [yes]", "yes");
    tty.answer(
        "  What needs doing",
        "Add an audience-size check before every send",
    );
    tty.answer("  Who owns it", "Priya");
    tty.answer("  Due (2026-12-01, today or tomorrow)", "next week");
    tty.expect("\"next week\" is not a date: type it as 2026-12-01, or today");
    tty.again("2026-12-01");
    assert_eq!(
        tty.select("  Type", "prevent"),
        "prevent",
        "the question's type first"
    );
    tty.answer("Add another? (yes/no) [no]", "no");
    tty.expect("Changes to how the team works (optional):");
    tty.answer("Add an action item? (yes/no) [no]", "");
    tty.expect("✓ 4. Create a plan saved");

    tty.select("Next", "Go");
    tty.expect("Step 5/6 · Inform and apologize");
    tty.expect("Subject line of the apology [");
    tty.keys("Half a subj");
    tty.expect("Half a subj");
    if let Err(e) = tty.session.send_control('c') {
        tty.fail("sending Ctrl-C", e);
    }
    tty.expect("Interrupted.");
    tty.expect(&format!("continue with `incident resume {id}`"));
    assert_eq!(
        tty.exit_code(),
        130,
        "Ctrl-C ends the walk with 128 + SIGINT"
    );
}

/// Session 3: steps 5 and 6, the apology rendered on the spot, and the list of what is left.
fn resume_to_the_end(ws: &Workspace, id: &str) {
    let mut tty = Tty::spawn(ws, &["resume", id, "--by", "Sam Lee"]);
    tty.expect("Step 5/6 · Inform and apologize");
    tty.answer("Subject line of the apology [", "");
    tty.answer("Who approved the apology?", "Maria Jansen");
    tty.select("Language of the apology (optional)", "en");
    tty.answer("What happened, in one or two plain sentences", "");
    tty.answer(
        "What it means for them",
        "The VIP offer is honoured for everyone who received it.",
    );
    tty.expect("✓ 5. Inform and apologize saved");
    tty.answer("Render and check the apology now? (yes/no) [yes]", "");
    tty.expect(&format!("incidents/{id}/email.eml"));
    tty.select("Next", "Go");
    tty.expect("Step 6/6 · Proceed carefully");
    tty.answer("Who watches deliverability?", "Sam Lee");
    tty.expect("✓ 6. Proceed carefully saved");
    tty.expect(&format!("{id} — all six steps done."));
    tty.expect("What is left, in order:");
    tty.expect("the apology is rendered; once it has gone out, record when");
    tty.expect(&format!("incident note {id} \"Sent from the ESP\" --sent"));
    tty.expect("1 action item(s) open (numbers 1)");
    tty.expect(&format!("incident monitor {id} --metrics STATS"));
    tty.expect(&format!("incident close {id}"));
    assert_eq!(tty.exit_code(), 0);
}

/// Session 4: close with an action item open asks first, then the retrospective.
fn close_with_care(ws: &Workspace, id: &str) {
    let mut tty = Tty::spawn(ws, &["close", id, "--by", "Sam Lee"]);
    tty.expect(&format!("{id} has 1 action item(s) still open"));
    tty.answer("Close it anyway? (yes/no) [no]", "y");
    tty.answer(
        "Why close it now (kept in the record)?",
        "The check is tracked in the backlog",
    );
    tty.answer(
        "Watch deliverability until when? (optional",
        "2026-12-03 10:00",
    );
    tty.answer(
        "For the post-mortem, what went well? (optional: Enter to skip) #1",
        "Paused within minutes",
    );
    tty.answer("#2", "");
    tty.answer(
        "What went wrong, or could have gone better? (optional: Enter to skip) #1",
        "",
    );
    tty.answer("Where did we get lucky? (optional: Enter to skip) #1", "");
    tty.answer("Resolution (how did it end?)", "Apology sent; filter fixed");
    tty.expect(&format!("{id} closed."));
    assert_eq!(tty.exit_code(), 0);
}

#[test]
fn a_walk_at_the_terminal_pauses_computes_survives_ctrl_c_and_closes_with_care() {
    assert_questions_unchanged();
    let ws = workspace_with_exports();
    let id = open_and_pause(&ws);
    let record = ws.record(&id);
    assert_eq!(text_at(&record, "opened_by"), "Dana Smit");
    assert_eq!(
        text_at(&record, "steps.own.answers.discovered_at"),
        "2026-11-26T09:40:00Z"
    );
    assert_eq!(text_at(&record, "steps.stop.answers.campaign_id"), "C-1004");
    assert_eq!(
        at(&record, "steps.stop.answers.other_sends_paused").as_bool(),
        Some(true)
    );
    assert_eq!(text_at(&record, "steps.assess.status"), "pending");

    resume_with_audience(&ws, &id);
    let record = ws.record(&id);
    // Resumed without --by: the name of whoever worked it last.
    assert_eq!(text_at(&record, "steps.assess.by"), "Dana Smit");
    let computed = at(&record, "steps.assess.audience.affected")
        .as_u64()
        .expect("computed");
    assert_ne!(computed, 1922);
    assert_eq!(
        at(&record, "steps.assess.answers.affected_count").as_u64(),
        Some(1922)
    );
    assert!(
        ws.path()
            .join(format!("incidents/{id}/recipients.csv"))
            .exists()
    );
    assert_eq!(
        text_at(&record, "steps.assess.answers.sent_at"),
        "2026-11-25T17:00:00Z"
    );
    assert_eq!(
        at(&record, "steps.assess.answers.pii_exposed").as_bool(),
        Some(false)
    );
    assert_eq!(
        at(&record, "steps.assess.answers.cost_estimate.amount").as_f64(),
        Some(1250.0)
    );
    assert_eq!(
        text_at(&record, "steps.assess.answers.cost_estimate.currency"),
        "EUR"
    );
    assert_eq!(
        text_at(&record, "steps.plan.answers.preventions.0.what"),
        "Add an audience-size check before every send",
        "the whole typed line, nothing lost to a y/n prompt"
    );
    assert!(at(&record, "steps.plan.answers.preventions.1").is_null());
    assert!(at(&record, "steps.plan.answers.mitigations").is_null());
    assert_eq!(
        text_at(&record, "steps.inform.status"),
        "pending",
        "Ctrl-C kept nothing of step 5"
    );

    resume_to_the_end(&ws, &id);
    let record = ws.record(&id);
    assert_eq!(text_at(&record, "steps.inform.by"), "Sam Lee");
    assert!(
        !at(&record, "steps.inform.email").is_null(),
        "rendered inside the walk"
    );
    assert!(
        at(&record, "steps.monitor.answers.went_well").is_null(),
        "asked at the close"
    );

    close_with_care(&ws, &id);
    let record = ws.record(&id);
    assert_eq!(text_at(&record, "status"), "closed");
    assert_eq!(
        text_at(&record, "steps.monitor.answers.watch_until"),
        "2026-12-03T10:00:00Z"
    );
    assert_eq!(
        at(&record, "steps.monitor.answers.went_well"),
        &serde_yaml::from_str::<Value>("[Paused within minutes]").unwrap()
    );
    let timeline = serde_yaml::to_string(&record["timeline"]).unwrap_or_default();
    assert!(
        timeline.contains(
            "Closed despite 1 action item(s) still open: The check is tracked in the backlog"
        ),
        "{timeline}"
    );
}

/// Each step is stamped when it is saved, on the real clock: a pause at the terminal shows.
#[test]
fn each_step_is_stamped_when_it_is_saved() {
    let ws = Workspace::new();
    let args = [
        "open",
        "--kind",
        "wrong-segment",
        "--title",
        "T",
        "--severity",
        "sev2",
        "--by",
        "dana",
    ];
    let mut tty = Tty::spawn_at(&ws, &args, None, 80);
    tty.answer("When did the team become aware of the problem?", "now");
    tty.select("How was the mistake found?", "internal-review");
    tty.answer("What was first reported", "");
    tty.expect("✓ 1. Own the problem saved");
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    tty.select("Next", "Go");
    tty.select("What is the state of the campaign now?", "paused");
    tty.answer("Campaign ID in the ESP", "C-1");
    tty.answer("Are other sends using the same segment paused?", "y");
    tty.expect("✓ 2. Put out the fire saved");
    tty.select("Next", "Save");
    let screen = readable(&tty.seen);
    assert_eq!(tty.exit_code(), 0);
    // At 80 columns every line fits, and lines break between words only.
    for line in screen.lines() {
        assert!(
            line.chars().count() <= 80,
            "wider than the terminal: {line:?}"
        );
    }
    assert!(
        !screen.contains("2026-11-\n"),
        "a date broken at its hyphen:\n{screen}"
    );
    let record = ws.record(&id_of(&ws));
    let stamp = |path: &str| {
        chrono::DateTime::parse_from_rfc3339(text_at(&record, path)).expect("RFC 3339")
    };
    let own = stamp("steps.own.completed_at");
    let stop = stamp("steps.stop.completed_at");
    assert!(
        stop - own >= chrono::Duration::seconds(2),
        "{own} then {stop}"
    );
    assert!(own >= stamp("opened_at"));
}

/// The one incident of a workspace.
fn id_of(ws: &Workspace) -> String {
    let listing = std::fs::read_dir(ws.path().join("incidents")).expect("incidents");
    listing
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".yaml")
                .map(str::to_string)
        })
        .next()
        .expect("a record")
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
