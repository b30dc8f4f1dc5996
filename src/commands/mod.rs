//! One file per subcommand: turn validated arguments into calls on the domain and the store,
//! and print the result. Only this layer (and the terminal prompter) writes to the terminal.

mod audience;
mod check;
mod close;
mod email;
mod init;
mod lint;
mod list;
mod monitor;
mod note;
mod on_the_spot;
mod open;
#[doc(hidden)]
pub mod output;
mod report;
mod runbooks;
mod show;
mod warehouse;

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{Cli, Command, Shell};
use crate::error::{Error, Result};
use crate::incident::{Clock, IncidentId};
use crate::workspace::Workspace;

/// What every command works with.
pub struct Context {
    pub workspace: Workspace,
    pub clock: Clock,
    pub color: bool,
    pub quiet: bool,
}

impl Context {
    /// The legal clocks of an incident now: none unless its kind has them.
    pub fn clocks(
        &self,
        catalog: &crate::runbook::Catalog,
        incident: &crate::incident::Incident,
    ) -> Vec<crate::incident::legal::ClockState> {
        let facts = crate::incident::legal::ClockFacts::of(incident);
        self.clocks_on(catalog, &incident.kind, &facts)
    }

    /// The legal clocks now of an incident of `kind` with these facts.
    pub fn clocks_on(
        &self,
        catalog: &crate::runbook::Catalog,
        kind: &str,
        facts: &crate::incident::legal::ClockFacts,
    ) -> Vec<crate::incident::legal::ClockState> {
        if !catalog.has_legal_clocks(kind) {
            return Vec::new();
        }
        let clocks = self.workspace.legal_clocks();
        crate::incident::legal::evaluate(facts, &clocks, self.clock.now())
    }

    /// Print a warning to stderr, quiet or not: what was done despite a concern must be seen.
    pub fn warn(&self, line: &str) {
        anstream::eprintln!("{}", output::for_stderr(line));
    }

    /// Print a progress or status line to stderr, unless quiet.
    pub fn status(&self, line: &str) {
        if !self.quiet {
            anstream::eprintln!("{}", output::for_stderr(line));
        }
    }
}

/// Say which workspace runbooks do not load, where a command lists or picks kinds.
fn warn_broken_runbooks(ctx: &Context, catalog: &crate::runbook::Catalog) {
    for broken in catalog.broken() {
        ctx.status(&format!(
            "warning: {} (its kind is unusable until fixed; `incident check` lists every problem)",
            broken.problem
        ));
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let color = !cli.global.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if !color {
        anstream::ColorChoice::Never.write_global();
    }
    if let Command::Completions { shell } = cli.command {
        return completions(shell);
    }
    let clock = cli.global.now.map_or_else(Clock::system, Clock::fixed);
    let root = cli.global.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        return Err(Error::Usage {
            message: format!("workspace {} is not a folder", root.display()),
            hint: "create it, or point --dir / INCIDENT_DIR at an existing folder".into(),
        });
    }
    match cli.command {
        Command::Init => return init::run(&root, cli.global.quiet),
        Command::Check => return check::run(&root, cli.global.quiet, clock.now()),
        _ => {}
    }
    let ctx = Context {
        workspace: Workspace::open(&root)?,
        clock,
        color,
        quiet: cli.global.quiet,
    };
    match cli.command {
        Command::Open(args) => open::run(&ctx, args),
        Command::Resume(args) => open::resume(&ctx, args),
        Command::List(args) => list::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Note(args) => note::run(&ctx, args),
        Command::Audience(args) => audience::run(&ctx, *args),
        Command::Close(args) => close::run(&ctx, args),
        Command::Email(args) => email::run(&ctx, args),
        Command::Lint(args) => lint::run(&ctx, args),
        Command::Monitor(args) => monitor::run(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Runbooks(args) => runbooks::run(&ctx, args),
        Command::Init | Command::Check | Command::Completions { .. } => Ok(()),
    }
}

fn completions(shell: Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut command, "incident", &mut script);
    output::print(&String::from_utf8_lossy(&script))
}

/// The presets a command can read with: the built-in ones and the workspace's.
pub fn presets(ctx: &Context) -> crate::input::Presets<'_> {
    crate::input::Presets {
        workspace: &ctx.workspace.config.input.presets,
        zone: ctx.workspace.tz,
    }
}

/// What the input flags say over any preset.
pub fn overrides(args: &crate::cli::InputArgs) -> crate::input::Overrides {
    crate::input::Overrides {
        map: args.map.clone(),
        time_format: args.time_format.clone(),
        time_zone: args.time_zone.clone(),
        delimiter: args.delimiter.clone(),
    }
}

/// A file named `PRESET:FILE` is read with that preset: the preset's name and the path.
pub fn split_preset(path: &std::path::Path, presets: &[String]) -> (Option<String>, PathBuf) {
    let text = path.to_string_lossy();
    if let Some((name, rest)) = text.split_once(':')
        && presets.iter().any(|p| p == name)
        && !rest.is_empty()
    {
        return (Some(name.to_string()), PathBuf::from(rest));
    }
    (None, path.to_path_buf())
}

/// Parse an ID typed by a user.
pub fn parse_id(text: &str) -> Result<IncidentId> {
    text.parse()
}

/// Whether a person is there to answer prompts.
pub fn is_interactive(non_interactive: bool, answers_from_stdin: bool) -> bool {
    !non_interactive
        && !answers_from_stdin
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
}

/// Who is acting: the flag, then the answers file, then the login name.
pub fn actor(flag: Option<&str>, from_answers: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| from_answers.map(str::to_string))
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Who acts on an existing incident: `--by` (or `INCIDENT_BY`), the login name, else the
/// incident's owner, so a script in a bare CI container needs no extra flag.
pub fn actor_on(flag: Option<&str>, incident: &crate::incident::Incident) -> Result<String> {
    let by = actor(flag, None).unwrap_or_else(|| incident.opened_by.clone());
    checked_short("--by", &by)
}

/// Check a one-line value typed by a user, such as a resolution.
pub fn checked_line(field: &str, text: &str) -> Result<String> {
    crate::text::check_line(field, text).map_err(|message| Error::Usage {
        message,
        hint: format!("give {field} as one line of plain text"),
    })?;
    Ok(text.trim().to_string())
}

/// Check a title or a name typed by a user: one line, and short.
pub fn checked_short(field: &str, text: &str) -> Result<String> {
    crate::text::check_short(field, text).map_err(|message| Error::Usage {
        message,
        hint: format!(
            "give {field} as one line of plain text of at most {} characters",
            crate::limits::MAX_SHORT_CHARS
        ),
    })?;
    Ok(text.trim().to_string())
}
