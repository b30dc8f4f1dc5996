//! A command's results on standard output. A reader that went away (`incident list | head -1`)
//! ends the output quietly, as with any Unix tool, instead of a panic.

use std::io::Write;

use crate::error::{Error, Result};

/// Write `text` to stdout (colours stripped when it is not a terminal).
pub fn print(text: &str) -> Result<()> {
    let mut out = anstream::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to", "standard output", e))
        }
        _ => Ok(()),
    }
}

/// `print!` to stdout through [`print`]; evaluates to its `Result`.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::commands::output::print(&format!($($arg)*))
    };
}

/// `println!` to stdout through [`print`]; evaluates to its `Result`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}
