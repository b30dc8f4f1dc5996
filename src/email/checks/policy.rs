//! The kind's apology policy: a "never" kind (a send to an old suppression list) gets no
//! apology, unless an operator overrides it with a written reason, which is then a warning.

use super::{Finding, Level, POLICY_NO_APOLOGY, View};
use crate::runbook::ApologyPolicy;

/// `policy-no-apology`: an apology the policy rules out, or sent against it by override.
pub fn no_apology(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if d.policy != Some(ApologyPolicy::Never) {
        return Vec::new();
    }
    let kind = d.kind.unwrap_or("this");
    let finding = match d.policy_override {
        None => Finding::new(
            &POLICY_NO_APOLOGY,
            format!("the {kind} runbook says never to send an apology"),
        ),
        Some(reason) => Finding {
            level: Level::Warning,
            ..Finding::new(
                &POLICY_NO_APOLOGY,
                format!("sent against the {kind} policy; override: {reason}"),
            )
        },
    };
    vec![finding]
}
