//! The command line, and nothing else: every flag a script sets has an `INCIDENT_*` twin.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use clap::builder::FalseyValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::incident::{Severity, parse_rfc3339};

/// A command-line runbook for email-marketing mistakes.
///
/// Walks the on-call marketer through six crisis steps (own, stop, assess, plan, inform,
/// monitor), keeps the incident record as YAML, and runs the same flow scripted in CI.
#[derive(Debug, Parser)]
#[command(
    name = "incident",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  # walk a new incident at the terminal\n  incident open\n  incident open --kind wrong-segment --title \"VIP offer to all\" \\\n      --answers answers.yaml\n  incident list\n  incident show INC-20261126-001"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Workspace folder (default: the current directory)
    #[arg(long, global = true, env = "INCIDENT_DIR", value_name = "PATH")]
    pub dir: Option<PathBuf>,
    /// No colour (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Print only what scripts need
    #[arg(short, long, global = true, env = "INCIDENT_QUIET", value_parser = FalseyValueParser::new())]
    pub quiet: bool,
    /// Use this instant as "now" (RFC 3339), for reproducible records and drills
    #[arg(long, global = true, env = "INCIDENT_NOW", value_name = "RFC3339", value_parser = instant)]
    pub now: Option<DateTime<Utc>>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open a new incident and walk its six steps
    #[command(
        after_help = "Examples:\n  incident open\n  incident open --kind data-breach --title \"Export leaked\" --severity sev1 \\\n      --by dana --answers answers.yaml\n  incident open --kind wrong-segment --title \"Test\" --answers answers.yaml \\\n      --dry-run\n  cat answers.yaml | incident open --kind duplicate-send \\\n      --title \"Sent twice\" --answers -"
    )]
    Open(OpenArgs),
    /// Continue an incident's walk where it stopped
    #[command(
        after_help = "Examples:\n  incident resume INC-20261126-001\n  incident resume INC-20261126-001 --answers rest.yaml --non-interactive"
    )]
    Resume(ResumeArgs),
    /// List open incidents (and closed ones with a legal clock running; all with --all)
    #[command(after_help = "Examples:\n  incident list\n  incident list --all --format json")]
    List(ListArgs),
    /// Show one incident: steps, answers, durations, deadlines and timeline
    #[command(
        after_help = "Examples:\n  incident show INC-20261126-001\n  incident show INC-20261126-001 --format json"
    )]
    Show(ShowArgs),
    /// Add a note to the timeline, record a legal notification, or mark an action item done
    #[command(
        after_help = "Examples:\n  incident note INC-20261126-001 \"Campaign paused in the ESP\"\n  incident note INC-20261126-001 \"Reported to the AP, ref 2026-1234\" \\\n      --notified nl-ap\n  incident note INC-20261126-001 \"Size check live in the ESP\" --action-done 2"
    )]
    Note(NoteArgs),
    /// Compute exactly who was affected, from the ESP's send log minus the suppression lists
    #[command(
        after_help = "Examples:\n  incident audience INC-20261126-001 --sends sends.csv \\\n      --suppressions unsubscribes.csv \\\n      --suppressions bounces.csv --campaign C-1004 --status delivered \\\n      --from 2026-11-20T09:00:00Z --until 2026-11-20T13:00:00Z\n  incident audience INC-20261126-001 --preset sendgrid --sends events.csv.gz \\\n      --suppressions bounces.json --campaign 7412 \\\n      --exclude intended-segment.csv\n  zcat sends.csv.gz | incident audience INC-20261126-001 --sends - --dry-run \\\n      --format json\n  # a send log in a warehouse: print the query, run it, record its result\n  incident audience INC-20261126-001 --emit-sql duckdb --sends-table sends \\\n      --campaign C-1004 --status delivered > audience.sql\n  duckdb -csv warehouse.db < audience.sql > result.csv\n  incident audience INC-20261126-001 --recipients result.csv --dialect duckdb \\\n      --sends-table sends --campaign C-1004 --status delivered\n\nWithout --preset the header names the columns (Email Address, EmailAddress,\nrecipient … are known); two columns that could be one field are refused: say\nwhich with --map FIELD=COLUMN."
    )]
    Audience(Box<AudienceArgs>),
    /// Render the branded apology (HTML, text, .eml) and check it
    #[command(
        after_help = "Examples:\n  incident email INC-20261126-001 --check\n  incident email INC-20261126-001 --dry-run\n  incident email INC-20261126-001 --locale nl\n  incident email INC-20261126-001 --subject \"We made a mistake\"\n  incident email INC-20261126-002 \\\n      --override-policy \"Legal asked us to confirm the removal in writing\""
    )]
    Email(EmailArgs),
    /// Check a draft written anywhere (an ESP's editor, a test send) with the apology's rules
    #[command(
        after_help = "Examples:\n  incident lint apology.eml\n  incident lint export.html --kind wrong-segment \\\n      --subject \"That email was not meant for you\" \\\n      --from \"Shop <care@shop.nl>\"\n  incident lint notice.txt --locale nl --incident INC-20261126-001\n  incident lint draft.html --format json | jq '.findings[] \\\n      | select(.level == \"error\")'\n\nAn .eml gives its subject, From, Reply-To, date and parts; an .html export or\na .txt part gives only itself: pass --subject and --from for what it lacks.\nWhat the ESP adds at send time (the unsubscribe link, the postal address) is a\nwarning for a draft; the rules about the branded template do not apply. Exit\nstatus 1 when a finding is an error."
    )]
    Lint(LintArgs),
    /// Import deliverability stats; flag each checkpoint against thresholds and the baseline
    #[command(
        after_help = "Examples:\n  incident monitor INC-20261126-001 --metrics stats.csv --baseline before.csv\n  incident monitor INC-20261126-001 --metrics today.csv \\\n      || echo \"critical: pause and investigate\"\n  # show the stored checkpoints\n  incident monitor INC-20261126-001\n  incident monitor INC-20261126-001 --preset postmaster \\\n      --metrics traffic-stats.json\n\nThe canonical CSV has a header naming date,sent,delivered,bounces,complaints\nin any order, and optionally unsubscribes, inbox_placement and spam_rate\n(percent); one row per day (YYYY-MM-DD) or send (RFC 3339). Re-importing a\ndate from the same source replaces it and says what changed. Exit status 1\nwhen a checkpoint just imported (without --metrics: the latest one) is\ncritical."
    )]
    Monitor(MonitorArgs),
    /// The post-mortem of an incident (Markdown, HTML or JSON), or a summary across incidents
    #[command(
        after_help = "Examples:\n  # Markdown on stdout\n  incident report INC-20261126-001\n  # writes incidents/INC-20261126-001/report.html\n  incident report INC-20261126-001 --format html --out\n  # writes incidents/INC-20261126-001/postmortem.md\n  incident report INC-20261126-001 --out postmortem.md\n  # writes ./postmortem.md, exactly there\n  incident report INC-20261126-001 --out ./postmortem.md\n  # the trend across incidents, drills left out\n  incident report --summary --format json\n\n--out alone writes incidents/ID/report.EXT (incidents/summary.EXT with\n--summary); a bare file name goes into that folder; a path with a folder in it\nis written exactly where it says; - is stdout. Nothing is written outside the\nworkspace unless you give such a path."
    )]
    Report(ReportArgs),
    /// Close an incident with its resolution
    #[command(
        after_help = "Example:\n  incident close INC-20261126-001 \\\n      --resolution \"Apology sent, segment filter fixed\""
    )]
    Close(CloseArgs),
    /// List incident kinds, show one runbook, or print an answers-file skeleton
    #[command(
        after_help = "Examples:\n  incident runbooks\n  incident runbooks data-breach\n  incident runbooks wrong-segment --format json\n  incident runbooks wrong-segment --answers-template > answers.yaml"
    )]
    Runbooks(RunbooksArgs),
    /// Validate incident.toml, runbooks, templates and records (for CI)
    #[command(after_help = "Example:\n  incident check && echo workspace ok")]
    Check,
    /// Write a commented incident.toml and copy the built-in runbooks and templates here
    #[command(
        after_help = "Example:\n  mkdir team-incidents && cd team-incidents && incident init"
    )]
    Init,
    /// Print shell completions
    #[command(
        after_help = "Examples:\n  incident completions bash > ~/.local/share/bash-completion/completions/incident\n  incident completions zsh > ~/.zfunc/_incident\n  incident completions fish > ~/.config/fish/completions/incident.fish"
    )]
    Completions {
        /// The shell
        shell: Shell,
    },
}

/// Shells with completions.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// How the walk gets its answers.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// Answers file (YAML, one mapping per step); `-` reads standard input
    #[arg(long, env = "INCIDENT_ANSWERS", value_name = "FILE|-")]
    pub answers: Option<PathBuf>,
    /// Never prompt: missing answers are errors (implied when stdin is not a terminal)
    #[arg(long, env = "INCIDENT_NON_INTERACTIVE", value_parser = FalseyValueParser::new())]
    pub non_interactive: bool,
    /// Check everything and print the record that would be written; write nothing
    #[arg(long, env = "INCIDENT_DRY_RUN", value_parser = FalseyValueParser::new())]
    pub dry_run: bool,
    /// Who is doing this (default: the answers file's `by`, then $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Incident kind (see `incident runbooks`)
    #[arg(long, env = "INCIDENT_KIND")]
    pub kind: Option<String>,
    /// A short title
    #[arg(long, env = "INCIDENT_TITLE")]
    pub title: Option<String>,
    /// Severity (default: the runbook's)
    #[arg(long, env = "INCIDENT_SEVERITY", value_enum)]
    pub severity: Option<Severity>,
    /// A practice incident: marked as such everywhere and kept out of the metrics
    #[arg(long, env = "INCIDENT_DRILL", value_parser = FalseyValueParser::new())]
    pub drill: bool,
    #[command(flatten)]
    pub walk: WalkArgs,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Incident ID, e.g. INC-20261126-001
    pub id: String,
    #[command(flatten)]
    pub walk: WalkArgs,
}

/// Output formats of `list`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    Text,
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include closed incidents
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Incident ID
    pub id: String,
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    /// Incident ID
    pub id: String,
    /// The note
    pub message: String,
    /// This note records a legal notification: the clock it meets (see `incident show`)
    #[arg(long, value_name = "CLOCK")]
    pub notified: Option<String>,
    /// This note says action item N (as numbered by `incident show`) is done
    #[arg(long, value_name = "N", conflicts_with = "notified")]
    pub action_done: Option<usize>,
    /// The rendered apology went out to the people affected (the message says how): from
    /// then they count as informed
    #[arg(long, conflicts_with_all = ["notified", "action_done"])]
    pub sent: bool,
    /// When it happened, if not now (RFC 3339)
    #[arg(long, value_name = "RFC3339", value_parser = instant)]
    pub at: Option<DateTime<Utc>>,
    /// Who wrote it (default: $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct CloseArgs {
    /// Incident ID
    pub id: String,
    /// How it ended
    #[arg(long, env = "INCIDENT_RESOLUTION")]
    pub resolution: Option<String>,
    /// The retrospective, from an answers file's `monitor:` section (went_well, went_wrong,
    /// lucky, watch_until); - for standard input
    #[arg(long, env = "INCIDENT_ANSWERS", value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Close although a legal clock is not met, an action item is open or deliverability is
    /// critical; the reason is kept in the record
    #[arg(long, value_name = "REASON")]
    pub force: Option<String>,
    /// Who closes it (default: $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

/// Output formats of `email`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EmailFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EmailArgs {
    /// Incident ID
    pub id: String,
    /// Language of the email (default: the inform step's answer, then incident.toml, then en)
    #[arg(long, env = "INCIDENT_LOCALE", value_name = "CODE")]
    pub locale: Option<String>,
    /// Subject line (default: the inform step's `subject` answer, then the runbook's suggestion)
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// Run the checks a real run would and write nothing
    #[arg(long)]
    pub check: bool,
    /// Rehearse: render, check and print the text part, write nothing; the built-in example
    /// brand is a warning here, not an error
    #[arg(long, env = "INCIDENT_DRY_RUN", value_parser = FalseyValueParser::new())]
    pub dry_run: bool,
    /// Render an apology the kind's policy rules out; the reason goes into the timeline
    #[arg(long, value_name = "REASON")]
    pub override_policy: Option<String>,
    /// Findings as text (stderr) or JSON (stdout)
    #[arg(long, value_enum, default_value_t = EmailFormat::Text)]
    pub format: EmailFormat,
    /// Who renders it (default: $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

/// Output formats of `lint`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LintFormat {
    Text,
    Json,
}

/// The languages `lint` has words for.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LintLocale {
    En,
    Nl,
}

impl LintLocale {
    /// The locale code.
    pub fn code(self) -> &'static str {
        match self {
            LintLocale::En => "en",
            LintLocale::Nl => "nl",
        }
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The draft: an .eml (a test send), an .html export or a .txt part
    pub file: PathBuf,
    /// The incident kind it is about (default: the --incident's; otherwise told from the text,
    /// a breach notice or not)
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Its language (default: told from its words)
    #[arg(long, value_enum)]
    pub locale: Option<LintLocale>,
    /// The subject, for a file without one (or to replace an .eml's)
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// The From, as "Name <address>" or an address, for a file without one
    #[arg(long, value_name = "MAILBOX")]
    pub from: Option<String>,
    /// The Reply-To address, for a file without one
    #[arg(long, value_name = "ADDRESS")]
    pub reply_to: Option<String>,
    /// Check it against an incident's record: audience, policy, breach elements, legal clocks
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// Findings as text, or JSON for scripts (both on stdout)
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
}

/// Output formats of `audience`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AudienceFormat {
    Text,
    Json,
}

/// How to read ESP exports: a preset, and what overrides it.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Read the files as this ESP exports them (see docs/esp.md): mailchimp, klaviyo, sendgrid,
    /// ses, sfmc, mailgun, postmark, brevo, hubspot; for stats mailchimp-report,
    /// sendgrid-stats, ses-stats, postmaster; or an [input.presets.NAME] of incident.toml.
    /// A file named PRESET:FILE is read with that preset instead
    #[arg(long, env = "INCIDENT_PRESET", value_name = "NAME")]
    pub preset: Option<String>,
    /// Which column (or dotted JSON path) holds a field, e.g. --map email="Email Address";
    /// repeat for each field (status may join columns: --map status=event+type)
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = map_value)]
    pub map: Vec<(crate::config::Field, Vec<String>)>,
    /// How times are written: auto, rfc3339, epoch, epoch-ms, or a strftime pattern such as
    /// '%m/%d/%Y %I:%M:%S %p'
    #[arg(long, value_name = "FORMAT")]
    pub time_format: Option<String>,
    /// The zone of times written without one (default: the preset's, else incident.toml's
    /// timezone)
    #[arg(long, value_name = "IANA")]
    pub time_zone: Option<String>,
    /// The CSV separator: , ; or tab
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
}

#[derive(Debug, Args)]
pub struct AudienceArgs {
    /// Incident ID
    pub id: String,
    /// The ESP's send log (CSV, JSON lines or JSON, gzip or not; - for standard input): it
    /// needs the recipient's address, and the campaign, segment, time and status for the
    /// filters that use them
    #[arg(
        long,
        env = "INCIDENT_SENDS",
        value_name = "FILE",
        required_unless_present_any = ["emit_sql", "recipients"]
    )]
    pub sends: Option<PathBuf>,
    /// A suppression list to remove (unsubscribes, bounces, complaints, an old list), with an
    /// address column; repeat for each file
    #[arg(long = "suppressions", value_name = "FILE")]
    pub suppressions: Vec<PathBuf>,
    /// Addresses to leave out that are not suppressions, counted apart: the segment the
    /// campaign was meant for, or the ESP's bounce and not-sent extracts (SFMC); repeat for
    /// each file
    #[arg(long = "exclude", value_name = "FILE")]
    pub excludes: Vec<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Only rows of this campaign_id
    #[arg(long, env = "INCIDENT_CAMPAIGN", value_name = "ID")]
    pub campaign: Option<String>,
    /// Only rows of this segment; repeat for several
    #[arg(long = "segment", value_name = "S")]
    pub segments: Vec<String>,
    /// Only rows sent at or after this time: RFC 3339, 2026-11-20 09:00 (in the workspace's
    /// zone), or a date (its midnight)
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only rows sent before this time (the same forms)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only rows with this outcome, in the file's own words: delivered (opens and clicks
    /// count as delivered), sent, deferred, bounced, dropped, complained, unsubscribed; or a
    /// status word as the file writes it. Repeat for several (default: every row; with a
    /// preset, delivered)
    #[arg(long = "status", value_name = "S")]
    pub statuses: Vec<String>,
    /// Compute and print the summary; write nothing
    #[arg(long, env = "INCIDENT_DRY_RUN", value_parser = FalseyValueParser::new())]
    pub dry_run: bool,
    /// The summary as text, or JSON for scripts (stdout)
    #[arg(long, value_enum, default_value_t = AudienceFormat::Text)]
    pub format: AudienceFormat,
    #[command(flatten)]
    pub warehouse: WarehouseArgs,
    /// Who computed it (default: $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

/// The warehouse path of `audience` (docs/scale.md): the query for a send log too large to
/// export, and the list it gave.
#[derive(Debug, Default, Args)]
pub struct WarehouseArgs {
    /// Print the SQL that computes this audience in a warehouse from --sends-table (and the
    /// suppression and exclude tables), instead of reading a send log; writes nothing
    #[arg(long, value_enum, value_name = "DIALECT", conflicts_with_all = ["sends", "recipients", "dry_run"])]
    pub emit_sql: Option<crate::audience::sql::Dialect>,
    /// With --emit-sql: the query of the affected per segment instead of the list
    #[arg(long, requires = "emit_sql")]
    pub counts: bool,
    /// The send log's table in the warehouse, e.g. analytics.esp_sends
    #[arg(long, value_name = "TABLE")]
    pub sends_table: Option<String>,
    /// A suppression table (a column of addresses); repeat for each
    #[arg(long = "suppressions-table", value_name = "TABLE")]
    pub suppressions_tables: Vec<String>,
    /// A table of addresses to leave out, as --exclude; repeat for each
    #[arg(long = "exclude-table", value_name = "TABLE")]
    pub exclude_tables: Vec<String>,
    /// Record the list the --emit-sql query returned (CSV with an email column, from any
    /// client; - for standard input), given the same flags and --dialect
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["sends", "suppressions", "excludes"],
        requires = "dialect"
    )]
    pub recipients: Option<PathBuf>,
    /// The dialect of the query --recipients is the result of
    #[arg(long, value_enum, value_name = "DIALECT", requires = "recipients")]
    pub dialect: Option<crate::audience::sql::Dialect>,
}

/// Output formats of `monitor`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MonitorFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Incident ID
    pub id: String,
    /// ESP stats to import: the canonical CSV (date,sent,delivered,bounces,complaints
    /// [,unsubscribes][,inbox_placement][,spam_rate]) or an ESP's, with --preset; - for
    /// standard input
    #[arg(long, env = "INCIDENT_METRICS", value_name = "FILE")]
    pub metrics: Option<PathBuf>,
    /// Stats of a normal period before the incident, added up as the baseline
    #[arg(long, env = "INCIDENT_BASELINE", value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value_t = MonitorFormat::Table)]
    pub format: MonitorFormat,
    /// Who imports the stats (default: $USER)
    #[arg(long, env = "INCIDENT_BY", value_name = "NAME")]
    pub by: Option<String>,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown
    Md,
    /// One self-contained HTML file, with a deliverability chart
    Html,
    /// The report's data, for scripts
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Incident ID (leave it out with --summary)
    pub id: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md, env = "INCIDENT_REPORT_FORMAT")]
    pub format: ReportFormat,
    /// Write a file: alone, incidents/ID/report.EXT; a file name, into incidents/ID/; a path, there
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub out: Option<String>,
    /// Report across all incidents: counts by kind and severity, median durations (no drills)
    #[arg(long, conflicts_with = "id")]
    pub summary: bool,
}

/// Output formats of `runbooks`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RunbooksFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RunbooksArgs {
    /// Show this kind only
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value_t = RunbooksFormat::Text)]
    pub format: RunbooksFormat,
    /// Print a commented answers-file skeleton for KIND
    #[arg(long, requires = "kind")]
    pub answers_template: bool,
}

/// An RFC 3339 instant given as a flag; a bad one is a usage error (exit 2).
fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    parse_rfc3339(text).ok_or_else(|| {
        "not an RFC 3339 date-time with a zone, e.g. 2026-11-26T09:30:00Z or 2026-11-26T10:30:00+01:00"
            .into()
    })
}

/// One `--map FIELD=COLUMN`.
fn map_value(text: &str) -> Result<(crate::config::Field, Vec<String>), String> {
    crate::input::Overrides::parse_map(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
