//! The message's header lines: within the 78 octets RFC 5322 recommends. Every value is folded
//! where it can be, so only a token that cannot fold — an address, a URL — makes one longer;
//! over 998 octets the message is refused before the checks run.

use super::{Finding, HEADER_LONG, View};
use crate::email::headers::{RECOMMENDED_OCTETS, long_lines};

/// `header-long`: a header line longer than 78 octets.
pub fn long(view: &View<'_>) -> Vec<Finding> {
    long_lines(view.d.headers.unwrap_or_default())
        .into_iter()
        .map(|(field, octets)| {
            Finding::new(
                &HEADER_LONG,
                format!(
                    "the {field} header has a line of {octets} octets, over the {RECOMMENDED_OCTETS} RFC 5322 recommends"
                ),
            )
        })
        .collect()
}
