//! Runbooks: per incident kind, what each of the six steps tells and asks. Built-in runbooks are
//! embedded in the binary; a workspace's `runbooks/` overrides or extends them by kind.

mod audit;
mod catalog;
mod model;
mod question;
pub mod typed;
mod validate;

pub use audit::answer_flaws;
pub use catalog::{
    BUILT_IN, Catalog, EMAIL_TEMPLATES, Entry, LOCALE, LOCALES, SUBJECT, Source, built_in_runbooks,
};
pub use model::{
    Apology, ApologyPolicy, EmailGuide, Escalation, Question, QuestionType, Runbook, RunbookSteps,
    StepGuide,
};
pub use question::describe;
pub use validate::{known_question_problems, parse};
