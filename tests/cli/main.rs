//! End-to-end tests: the real `incident` binary in temporary workspaces, driven as a shell
//! script, CI job or person at a terminal would drive it.

mod audience;
mod claims;
mod common;
mod email;
mod errors;
mod esp;
mod interactive;
mod lifecycle;
mod lint;
mod monitor;
mod report;
mod store;
