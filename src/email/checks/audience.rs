//! The apology goes to the affected only: the recipient list must match the count on record.

use std::borrow::Cow;

use super::{AUDIENCE_MISMATCH, AUDIENCE_UNKNOWN, Affected, Finding, View};

/// `audience-mismatch`: `recipients.csv` lists another number of addresses than the record.
pub fn mismatch(view: &View<'_>) -> Vec<Finding> {
    match (view.d.recipients, view.d.affected) {
        (Some(listed), Affected::Computed(counted)) if listed != counted => vec![Finding::new(
            &AUDIENCE_MISMATCH,
            format!(
                "recipients.csv lists {listed} distinct address(es), `incident audience` counted {counted}"
            ),
        )],
        (Some(listed), Affected::Estimated(estimate)) if listed != estimate => vec![Finding {
            hint: Cow::Borrowed(
                "run `incident audience ID --sends FILE`: it writes recipients.csv and records the exact count this check then uses",
            ),
            ..Finding::new(
                &AUDIENCE_MISMATCH,
                format!(
                    "recipients.csv lists {listed} distinct address(es), the assess step estimated {estimate}, and no audience was computed"
                ),
            )
        }],
        _ => Vec::new(),
    }
}

/// `audience-unknown`: no recipient list yet.
pub fn unknown(view: &View<'_>) -> Vec<Finding> {
    // Only an email checked against a record has an audience to know.
    if view.d.recipients.is_some() || view.d.record.is_none() {
        return Vec::new();
    }
    vec![Finding::new(
        &AUDIENCE_UNKNOWN,
        "no recipients.csv: the affected audience has not been computed".into(),
    )]
}
