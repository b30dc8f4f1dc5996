//! What a command shows: tables and text for people, typed JSON views for scripts. Each
//! function here returns the text; the command prints it.

mod audience;
mod clocks;
mod email;
mod lint;
mod list;
mod monitor;
mod runbook;
mod show;
mod todo;

pub use audience::{audience_json, audience_text};
pub use clocks::clock_phrase;
pub use email::{EmailView, findings_text};
pub use lint::{LintView, lint_text};
pub use list::{ListRow, Listed, list_table};
pub use monitor::{BaselineView, MonitorView, monitor_table};
pub use runbook::{RunbookView, answers_template, runbook_text, runbooks_table};
pub use show::{ShowContext, ShowView, show_text};
pub use todo::{left_to_do, todo_text};
