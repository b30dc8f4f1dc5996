//! `incident`: a command-line runbook for email-marketing mistakes. It walks the on-call
//! marketer through six crisis steps (own, stop, assess, plan, inform, monitor), keeps the
//! incident record as YAML, and runs the same flow scripted, with no prompt, in CI.
//!
//! Data flows one way: [`cli`] → [`commands`] → the domain ([`incident`] with its operations,
//! [`runbook`], [`walk`]) and the renderers ([`email`], [`report`]) → [`store`]. The domain
//! never prints and never prompts. `docs/architecture.md` describes the layers and where to
//! add a command, a check, a report section or an input preset.

#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod audience;
pub mod cli;
pub mod commands;
pub mod config;
pub mod email;
pub mod error;
pub(crate) mod format;
pub mod incident;
pub mod input;
pub(crate) mod limits;
pub mod monitor;
pub(crate) mod parallel;
pub(crate) mod present;
pub mod report;
pub mod runbook;
pub mod store;
pub mod templates;
pub(crate) mod text;
pub(crate) mod textfile;
pub mod walk;
pub mod workspace;
pub(crate) mod yaml_lines;

pub use commands::run;
pub use error::{Error, Result};
