//! Proceed carefully: reading an ESP's stats into checkpoints ([`stats`]), and judging each
//! checkpoint against the `[thresholds]` of `incident.toml` and the pre-incident baseline
//! ([`judge`]). Nothing here prints or writes; `commands::monitor` does.

mod judge;
mod stats;

pub use judge::{Flag, Judged, Level, judge};
pub use stats::{StatsFile, StatsRead, read};
