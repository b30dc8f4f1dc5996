//! End-to-end tests: the real `incident` binary in temporary workspaces, driven as a shell
//! script, CI job or person at a terminal would drive it.

mod audience;
mod care;
mod check;
mod claims;
mod common;
mod email;
mod errors;
mod esp;
mod guard;
mod index;
mod interactive;
mod lifecycle;
mod limits;
mod lint;
mod monitor;
mod report;
mod store;
mod warehouse;
