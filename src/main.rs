//! The `incident` binary: parse, run, turn an error into a message and an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = incident::cli::Cli::parse();
    match incident::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let err = anyhow::Error::new(err);
            // Each error already names its cause; the chain would repeat it.
            anstream::eprintln!("error: {err}");
            let ours = err.downcast_ref::<incident::Error>();
            if let Some(hint) = ours.and_then(|e| e.hint()) {
                anstream::eprintln!("  hint: {hint}");
            }
            ExitCode::from(ours.map_or(1, incident::Error::exit_code))
        }
    }
}
