//! The `incident` binary: parse, run, turn an error into a message and an exit code.

use std::process::ExitCode;

use clap::Parser;
use incident::commands::output::for_stderr;

fn main() -> ExitCode {
    let cli = incident::cli::Cli::parse();
    match incident::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let err = anyhow::Error::new(err);
            // Each error already names its cause; the chain would repeat it.
            let mut message = format!("error: {err}\n");
            let ours = err.downcast_ref::<incident::Error>();
            if let Some(hint) = ours.and_then(|e| e.hint()) {
                message.push_str(&format!("  hint: {hint}\n"));
            }
            anstream::eprint!("{}", for_stderr(&message));
            ExitCode::from(ours.map_or(1, incident::Error::exit_code))
        }
    }
}
