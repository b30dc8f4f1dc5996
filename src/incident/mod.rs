//! The domain: the six steps, severities, IDs, the incident record with its timeline, derived
//! durations and legal clocks. Nothing here prints, prompts or touches the disk.

mod answer;
mod audience;
mod audit;
mod brief;
mod clock;
mod id;
pub mod known;
pub mod legal;
mod metrics;
mod ops;
mod per_step;
mod record;
mod severity;
mod step;

pub use answer::{ActionItem, ActionType, Answer, Money, QuestionType};
pub use audience::{AudienceFilter, AudienceSummary, InputUsed, MalformedReason, Warehouse};
pub use audit::{CLOCK_SKEW, Flaw, step_field};
pub use brief::Brief;
pub use clock::{Clock, parse_rfc3339, rfc3339};
pub use id::IncidentId;
pub use metrics::{Baseline, CANONICAL, Checkpoint, CheckpointDate, Counts, Rates};
pub use ops::{Deliverability, Merged, already_closed};
pub use per_step::PerStep;
pub use record::{
    DISCOVERED_AT, Durations, EmailSummary, Event, Incident, Opening, SCHEMA_VERSION, Status,
    StepRecord, StepStatus, Steps, TimelineEntry,
};
pub use severity::Severity;
pub use step::{Role, Step};
