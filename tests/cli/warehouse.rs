//! The warehouse path of `incident audience`: the DuckDB query, run in DuckDB on every
//! committed audience fixture, gives the list and the per-segment counts the reference gives,
//! byte for byte; the BigQuery, Snowflake and PostgreSQL queries parse in their dialect
//! (sqlglot); hostile names are refused or quoted; a query's result recorded with
//! `--recipients` is the audience the send log gives, and a bad result file writes nothing.
//!
//! Needs python3 with duckdb and sqlglot (`pip install duckdb==2.0.1 sqlglot==30.30.0`;
//! .ci/run installs them).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Workspace, one_open_incident as incident, stderr, stdout};

/// Loads CSV files as tables (`name=path` arguments, every column text, as the streaming path
/// reads them), runs the SQL files given after `--`, and prints each result: a list of one
/// column as CSV written like recipients.csv, a result of two columns as a JSON object.
const RUN_DUCKDB: &str = r#"
import csv, io, json, sys
import duckdb
args = sys.argv[1:]
cut = args.index("--")
con = duckdb.connect()
for spec in args[:cut]:
    name, path = spec.split("=", 1)
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, all_varchar=true, header=true)", [path])
for path in args[cut + 1:]:
    rows = con.sql(open(path, encoding="utf-8").read()).fetchall()
    if rows and len(rows[0]) == 2:
        print(json.dumps({k: v for k, v in rows}))
    else:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["email"])
        w.writerows(rows)
        sys.stdout.write(out.getvalue())
    print("\x00", end="")
"#;

/// Parses each `dialect=path` argument's SQL with sqlglot in that dialect; prints the string
/// literals of each, one JSON list per file.
const PARSE_SQLGLOT: &str = r#"
import json, sys
import sqlglot
from sqlglot import exp
for spec in sys.argv[1:]:
    dialect, path = spec.split("=", 1)
    statements = sqlglot.parse(open(path, encoding="utf-8").read(), read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
    assert len([s for s in statements if s is not None]) == 1, f"{path}: not one statement"
    literals = [l.this for s in statements if s for l in s.find_all(exp.Literal) if l.is_string]
    print(json.dumps(literals))
"#;

const INSTALL: &str = "these tests need python3 with duckdb and sqlglot: pip install duckdb==2.0.1 sqlglot==30.30.0 (add --break-system-packages where pip refuses); .ci/run installs them";

/// Run a Python script; fail with how to install what it needs when it cannot import it.
fn python(script: &str, args: &[String]) -> String {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("python3 does not run ({e}): {INSTALL}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("ModuleNotFoundError"), "{INSTALL}\n{err}");
    assert!(out.status.success(), "python failed: {err}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audience")
        .join(rel)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The queries of the fixtures (tests/fixtures/audience/regenerate.sh): name, flags.
const QUERIES: &[(&str, &[&str])] = &[
    (
        "standard",
        &[
            "--campaign",
            "C-1004",
            "--from",
            "2026-11-20T09:00:00Z",
            "--until",
            "2026-11-20T13:00:00Z",
            "--status",
            "delivered",
        ],
    ),
    (
        "segments",
        &[
            "--segment",
            "vip",
            "--segment",
            "loyalty, gold",
            "--status",
            "Delivered",
        ],
    ),
    ("everything", &[]),
];

/// Every committed fixture case: folder, query name, suppression files.
fn cases() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    let mut cases = Vec::new();
    for dir in ["seed1", "seed2", "seed3"] {
        cases.push((dir, "standard", &["suppressions.csv"][..]));
        cases.push((dir, "segments", &["suppressions.csv"][..]));
        cases.push((dir, "everything", &[][..]));
    }
    cases.push((
        "messy",
        "standard",
        &["unsubscribes.csv", "bounces.csv", "complaints.csv"][..],
    ));
    cases
}

fn flags_of(query: &str) -> Vec<String> {
    let (_, flags) = QUERIES
        .iter()
        .find(|(name, _)| *name == query)
        .expect("known query");
    strings(flags)
}

/// `--sends-table sends` and one `--suppressions-table sN` per file.
fn table_flags(suppressions: &[&str]) -> Vec<String> {
    let mut flags = strings(&["--sends-table", "sends"]);
    for i in 0..suppressions.len() {
        flags.push("--suppressions-table".into());
        flags.push(format!("s{i}"));
    }
    flags
}

/// `incident audience ID ARGS`, which must succeed; its stdout.
fn audience(ws: &Workspace, id: &str, args: &[String]) -> String {
    let out = ws
        .incident()
        .args(["audience", id])
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "audience failed: {}", stderr(&out));
    stdout(&out)
}

/// Write the emitted SQL of `args` to a file in the workspace; its path.
fn emit(ws: &Workspace, id: &str, name: &str, args: &[String]) -> PathBuf {
    ws.write(name, &audience(ws, id, args))
}

/// Run SQL files in DuckDB over a fixture folder's files as tables; each result.
fn run_duckdb(dir: &str, suppressions: &[&str], sql: &[&Path]) -> Vec<String> {
    let mut args = vec![format!(
        "sends={}",
        fixture(&format!("{dir}/sends.csv")).display()
    )];
    for (i, file) in suppressions.iter().enumerate() {
        args.push(format!(
            "s{i}={}",
            fixture(&format!("{dir}/{file}")).display()
        ));
    }
    args.push("--".into());
    args.extend(sql.iter().map(|p| p.display().to_string()));
    let out = python(RUN_DUCKDB, &args);
    out.split('\0').map(str::to_string).collect()
}

#[test]
fn the_duckdb_query_gives_the_reference_list_and_counts_on_every_fixture() {
    let (ws, id) = incident();
    for (dir, query, suppressions) in cases() {
        let mut args = strings(&["--emit-sql", "duckdb"]);
        args.extend(table_flags(suppressions));
        args.extend(flags_of(query));
        let list = emit(&ws, &id, "list.sql", &args);
        args.push("--counts".into());
        let counts = emit(&ws, &id, "counts.sql", &args);
        let results = run_duckdb(dir, suppressions, &[&list, &counts]);
        let reference = std::fs::read_to_string(fixture(&format!("{dir}/{query}.recipients.csv")))
            .expect("reference list");
        assert!(
            results[0] == reference,
            "{dir} {query}: the DuckDB list differs from the reference:\n{}",
            results[0]
        );
        let summary: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("{dir}/{query}.summary.json")))
                .expect("summary"),
        )
        .expect("JSON");
        let ours: Value = serde_json::from_str(results[1].trim()).expect("counts JSON");
        assert_eq!(ours, summary["segments"], "{dir} {query}: segment counts");
    }
}

#[test]
fn the_other_dialects_parse_in_their_own_grammar() {
    let (ws, id) = incident();
    let mut files = Vec::new();
    for dialect in ["bigquery", "snowflake", "postgres"] {
        for (n, (_, flags)) in QUERIES.iter().enumerate() {
            for counts in [false, true] {
                let mut args = strings(&["--emit-sql", dialect]);
                args.extend(table_flags(&["a", "b"]));
                args.extend(strings(&["--exclude-table", "intended.segment"]));
                args.extend(strings(flags));
                if counts {
                    args.push("--counts".into());
                }
                let name = format!("{dialect}-{n}-{counts}.sql");
                let path = emit(&ws, &id, &name, &args);
                let sql = std::fs::read_to_string(&path).expect("sql");
                let dialect_word = match dialect {
                    "bigquery" => "SAFE.TIMESTAMP",
                    "snowflake" => "TRY_TO_TIMESTAMP_TZ",
                    _ => "pg_input_is_valid",
                };
                // The window's query reads times with the dialect's own function.
                assert_eq!(sql.contains(dialect_word), n == 0, "{name}:\n{sql}");
                files.push(format!("{dialect}={}", path.display()));
            }
        }
    }
    let parsed = python(PARSE_SQLGLOT, &files);
    assert_eq!(parsed.lines().count(), files.len());
}

#[test]
fn hostile_values_stay_inside_their_quotes_and_hostile_tables_are_refused() {
    let (ws, id) = incident();
    let before = ws.snapshot();
    let campaign = "C-1004'; DROP TABLE sends; --\\\n";
    let segment = "vip\"`) OR 1=1 --";
    let mut files = Vec::new();
    for dialect in ["duckdb", "bigquery", "snowflake", "postgres"] {
        let args = strings(&[
            "--emit-sql",
            dialect,
            "--sends-table",
            "sends",
            "--campaign",
            campaign,
            "--segment",
            segment,
        ]);
        let path = emit(&ws, &id, &format!("{dialect}.sql"), &args);
        files.push(format!("{dialect}={}", path.display()));
    }
    // Each parses as one statement, and the values come back whole as string literals.
    let parsed = python(PARSE_SQLGLOT, &files);
    for line in parsed.lines() {
        let literals: Vec<String> = serde_json::from_str(line).expect("JSON");
        assert!(literals.iter().any(|l| l == campaign), "{literals:?}");
        assert!(literals.iter().any(|l| l == segment), "{literals:?}");
    }
    // Run in DuckDB, the query matches nobody and drops nothing.
    let duckdb = ws.path().join("duckdb.sql");
    let results = run_duckdb("seed3", &[], &[&duckdb, &duckdb]);
    assert_eq!(results[0], "email\n");
    assert_eq!(results[1], "email\n", "the sends table is still there");

    for (flag, name) in [
        ("--sends-table", "sends; DROP TABLE x"),
        ("--sends-table", "sends -- x"),
        ("--sends-table", "\"sends\""),
        ("--suppressions-table", "a.b.c.d"),
        ("--exclude-table", "1table"),
    ] {
        let mut args = vec![flag, name];
        if flag != "--sends-table" {
            args.extend(["--sends-table", "sends"]);
        }
        let out = ws
            .incident()
            .args(["audience", &id, "--emit-sql", "postgres"])
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains("is not a plain table name"), "{err}");
        assert!(
            err.contains("hint: name the table as schema.table"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    ws.write("duckdb.sql", "");
    let mut after = ws.snapshot();
    after.retain(|name, _| !name.ends_with(".sql"));
    assert_eq!(after, before, "--emit-sql writes nothing");
}

#[test]
fn a_preset_maps_single_columns_and_refuses_a_choice_it_cannot_make() {
    let (ws, id) = incident();
    // SendGrid's address is `email` or `to_email`: the query must be told which.
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--emit-sql",
            "snowflake",
            "--preset",
            "sendgrid",
        ])
        .args(["--sends-table", "events", "--campaign", "7412"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("reads email from whichever of email, to_email"),
        "{err}"
    );
    assert!(
        err.contains("hint: name the table's column with --map email=COLUMN"),
        "{err}"
    );
    // Told, it reads the preset's columns and its status words (delivered by default).
    let sql = audience(
        &ws,
        &id,
        &strings(&[
            "--emit-sql",
            "snowflake",
            "--preset",
            "sendgrid",
            "--sends-table",
            "events",
            "--campaign",
            "7412",
            "--map",
            "email=to_email",
            "--map",
            "campaign_id=marketing_campaign_id",
            "--map",
            "status=event+type",
        ]),
    );
    assert!(sql.contains("\"TO_EMAIL\""), "{sql}");
    assert!(sql.contains("\"MARKETING_CAMPAIGN_ID\""), "{sql}");
    assert!(
        sql.contains("\"EVENT\"") && sql.contains("\"TYPE\""),
        "{sql}"
    );
    assert!(
        sql.contains("'group_unsubscribe' THEN 'unsubscribed'"),
        "{sql}"
    );
}

#[test]
fn a_query_result_recorded_with_recipients_is_the_audience_the_send_log_gives() {
    let (dir, query, suppressions) = ("seed1", "standard", &["suppressions.csv"][..]);
    // The streaming path, for comparison.
    let (streamed, sid) = incident();
    let mut args = strings(&["--sends", &fixture("seed1/sends.csv").display().to_string()]);
    args.extend(strings(&[
        "--suppressions",
        &fixture("seed1/suppressions.csv").display().to_string(),
    ]));
    args.extend(flags_of(query));
    audience(&streamed, &sid, &args);
    let expected = streamed.read(&format!("incidents/{sid}/recipients.csv"));

    let (ws, id) = incident();
    let mut flags = table_flags(suppressions);
    flags.extend(flags_of(query));
    let mut emit_args = strings(&["--emit-sql", "duckdb"]);
    emit_args.extend(flags.clone());
    let sql_path = emit(&ws, &id, "audience.sql", &emit_args);
    let sql = std::fs::read_to_string(&sql_path).expect("sql");
    let result = run_duckdb(dir, suppressions, &[&sql_path]);
    // A client's export: CRLF, the header in capitals, the rows shuffled and one repeated.
    let mut rows: Vec<&str> = result[0].lines().skip(1).collect();
    rows.reverse();
    rows.push(rows[0]);
    let export = format!("EMAIL\r\n{}\r\n", rows.join("\r\n"));
    let mut record_args = strings(&[
        "--recipients",
        "-",
        "--dialect",
        "duckdb",
        "--format",
        "json",
    ]);
    record_args.extend(flags);
    let out = ws
        .incident()
        .args(["audience", &id])
        .args(&record_args)
        .write_stdin(export)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(printed["affected"], 283);
    assert_eq!(ws.read(&format!("incidents/{id}/recipients.csv")), expected);

    let record = ws.record(&id);
    let kept = &record["steps"]["assess"]["audience"];
    assert_eq!(kept["affected"].as_u64(), Some(283));
    assert_eq!(kept["sends"].as_str(), Some("warehouse table sends"));
    assert_eq!(kept["warehouse"]["dialect"].as_str(), Some("duckdb"));
    assert_eq!(kept["warehouse"]["result"].as_str(), Some("standard input"));
    let digest = python(
        "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        &[sql_path.display().to_string()],
    );
    assert_eq!(
        kept["warehouse"]["sql_sha256"].as_str(),
        Some(digest.trim())
    );
    assert_eq!(kept["filter"]["campaign"].as_str(), Some("C-1004"));
    assert!(sql.contains("C-1004"));

    let shown = audience_show(&ws, &id);
    assert!(
        shown.contains("283 affected, from the duckdb query (sha256 "),
        "{shown}"
    );
}

fn audience_show(ws: &Workspace, id: &str) -> String {
    let out = ws.incident().args(["show", id]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_bad_result_file_is_refused_and_writes_nothing() {
    let (ws, id) = incident();
    let before = ws.snapshot();
    let cases = [
        (
            "no-column.csv",
            "address\na@b.c\n",
            "the header has no email column",
        ),
        (
            "invalid.csv",
            "email\na@b.c\nnot-an-address\n",
            ":3: \"not-an-address\" is not a well-formed address (no-at)",
        ),
        ("empty.csv", "", "the file is empty"),
        (
            "header-only.csv",
            "email\n",
            "the list has a header but no address",
        ),
    ];
    for (name, text, message) in cases {
        let path = ws.path().join(name);
        std::fs::write(&path, text).expect("write");
        let out = ws
            .incident()
            .args([
                "audience",
                &id,
                "--recipients",
                name,
                "--dialect",
                "bigquery",
            ])
            .args(["--sends-table", "esp.sends"])
            .output()
            .expect("runs");
        assert!(!out.status.success(), "{name}");
        let err = stderr(&out);
        assert!(err.contains(message), "{name}: {err}");
        assert!(err.contains("hint: "), "{name}: {err}");
        std::fs::remove_file(&path).expect("remove");
    }
    // --recipients and --sends are two ways to the same list: one at a time.
    let out = ws
        .incident()
        .args([
            "audience",
            &id,
            "--recipients",
            "r.csv",
            "--dialect",
            "duckdb",
        ])
        .args(["--sends", "sends.csv", "--sends-table", "sends"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    assert_eq!(ws.snapshot(), before);
}
