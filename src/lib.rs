//! `incident`: a command-line runbook for email-marketing mistakes.

pub mod error;
pub mod incident;
pub mod runbook;
pub mod text;
pub mod yaml_lines;
