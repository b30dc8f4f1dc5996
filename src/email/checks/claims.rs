//! What the record backs: a sentence the email would say is left out when no answer gives it,
//! and the rule names the question that would.

use super::{CLAIM_OMITTED, Finding, View};

/// `claim-omitted`: each sentence left out for want of an answer, or for an action past its
/// due day.
pub fn omitted(view: &View<'_>) -> Vec<Finding> {
    view.d
        .record
        .iter()
        .flat_map(|record| &record.omitted)
        .map(|message| Finding::new(&CLAIM_OMITTED, message.clone()))
        .collect()
}
