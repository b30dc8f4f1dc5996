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
            let ours = err.downcast_ref::<incident::Error>();
            // Ctrl-C at a prompt leaves the cursor after what was typed: start a line first.
            let interrupted = matches!(ours, Some(incident::Error::Interrupted { .. }));
            let mut message = if interrupted {
                "\n".to_string()
            } else {
                String::new()
            };
            message.push_str(&format!("error: {err}\n"));
            if let Some(hint) = ours.and_then(|e| e.hint()) {
                message.push_str(&format!("  hint: {hint}\n"));
            }
            anstream::eprint!("{}", for_stderr(&message));
            ExitCode::from(ours.map_or(1, incident::Error::exit_code))
        }
    }
}
