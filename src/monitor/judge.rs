//! Judging a checkpoint: its rates against the thresholds, and against the baseline. A
//! threshold is reached *at* its value: exactly 0.3 % is critical.

use serde::Serialize;

use crate::config::Thresholds;
use crate::format::percent;
use crate::incident::{Baseline, Checkpoint, Rates};

/// Floating-point slack in threshold comparisons: 3 complaints of 1,000 delivered is exactly
/// 0.3 % and must count as reaching 0.3 %, whatever the last bit of the division says.
const EPSILON: f64 = 1e-9;

/// How a checkpoint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Ok,
    Warning,
    Critical,
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so a width in the format string lines levels up.
        f.pad(match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Critical => "critical",
        })
    }
}

/// One reason a checkpoint is not ok.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub level: Level,
    /// What was measured: `complaint-rate`, `spam-rate`, `bounce-rate`, `inbox-placement`,
    /// `inbox-placement-vs-baseline` or `delivery-rate-vs-baseline`.
    pub signal: &'static str,
    /// One phrase: "complaint rate 0.42 % ≥ 0.30 % (critical)".
    pub message: String,
}

/// A checkpoint with its rates and flags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    pub checkpoint: Checkpoint,
    pub rates: Rates,
    pub level: Level,
    pub flags: Vec<Flag>,
}

/// Judge one checkpoint against the thresholds and, when there is one, the baseline.
pub fn judge(checkpoint: &Checkpoint, baseline: Option<&Baseline>, t: &Thresholds) -> Judged {
    let rates = checkpoint.rates();
    let mut flags = rate_flags(&rates, t);
    flags.extend(placement_flag(&rates, t));
    if let Some(base) = baseline.map(Baseline::rates) {
        flags.extend(baseline_flags(&rates, &base, t));
    }
    let level = flags.iter().map(|f| f.level).max().unwrap_or(Level::Ok);
    Judged {
        checkpoint: checkpoint.clone(),
        rates,
        level,
        flags,
    }
}

/// The complaint, spam and bounce rates at or above their warning or critical thresholds.
fn rate_flags(rates: &Rates, t: &Thresholds) -> Vec<Flag> {
    // SES counts no deliveries: its complaint rate is of sent, and the flag says so.
    let complaint = if rates.complaint_of_sent {
        "complaint rate (of sent)"
    } else {
        "complaint rate"
    };
    // Gmail's user-reported spam rate is held to the same 0.1 % and 0.3 % as complaints
    // (Gmail's email sender guidelines).
    let signals = [
        (
            "complaint-rate",
            complaint,
            rates.complaint,
            t.complaint_warning,
            t.complaint_critical,
        ),
        (
            "spam-rate",
            "spam rate",
            rates.spam_rate,
            t.complaint_warning,
            t.complaint_critical,
        ),
        (
            "bounce-rate",
            "bounce rate",
            rates.bounce,
            t.bounce_warning,
            t.bounce_critical,
        ),
    ];
    let mut flags = Vec::new();
    for (signal, name, rate, warning, critical) in signals {
        let Some(rate) = rate else { continue };
        let (level, limit) = if rate + EPSILON >= critical {
            (Level::Critical, critical)
        } else if rate + EPSILON >= warning {
            (Level::Warning, warning)
        } else {
            continue;
        };
        flags.push(Flag {
            level,
            signal,
            message: format!(
                "{name} {} ≥ {} ({level})",
                percent(Some(rate)),
                percent(Some(limit))
            ),
        });
    }
    flags
}

/// Inbox placement under its warning threshold.
fn placement_flag(rates: &Rates, t: &Thresholds) -> Option<Flag> {
    let placement = rates.inbox_placement?;
    (placement + EPSILON < t.inbox_placement_warning).then(|| Flag {
        level: Level::Warning,
        signal: "inbox-placement",
        message: format!(
            "inbox placement {} < {} (warning)",
            percent(Some(placement)),
            percent(Some(t.inbox_placement_warning))
        ),
    })
}

/// Inbox placement or delivery fallen `baseline_drop` percent (relative) below the baseline.
fn baseline_flags(rates: &Rates, base: &Rates, t: &Thresholds) -> Vec<Flag> {
    let signals = [
        (
            "inbox-placement-vs-baseline",
            "inbox placement",
            rates.inbox_placement,
            base.inbox_placement,
        ),
        (
            "delivery-rate-vs-baseline",
            "delivery rate",
            rates.delivery,
            base.delivery,
        ),
    ];
    let mut flags = Vec::new();
    for (signal, name, now, then) in signals {
        let (Some(now), Some(then)) = (now, then) else {
            continue;
        };
        if then <= 0.0 {
            continue;
        }
        let drop = (then - now) * 100.0 / then;
        if drop + EPSILON >= t.baseline_drop {
            flags.push(Flag {
                level: Level::Warning,
                signal,
                message: format!(
                    "{name} {} is {drop:.1} % below the baseline {} (warning)",
                    percent(Some(now)),
                    percent(Some(then))
                ),
            });
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "date,sent,delivered,bounces,complaints,unsubscribes\n";

    fn parse(text: &str) -> Vec<Checkpoint> {
        super::super::stats::tests::parse_with(text, None).expect("parses")
    }

    fn one(sent: u64, delivered: u64, bounces: u64, complaints: u64) -> Checkpoint {
        let text = format!("{HEADER}2026-11-27,{sent},{delivered},{bounces},{complaints},0\n");
        parse(&text).remove(0)
    }

    fn level(c: &Checkpoint) -> Level {
        judge(c, None, &Thresholds::default()).level
    }

    #[test]
    fn complaint_rate_edges_are_reached_at_their_value() {
        // Complaints are counted against delivered mail.
        assert_eq!(level(&one(1_000, 1_000, 0, 0)), Level::Ok);
        assert_eq!(level(&one(10_000, 10_000, 0, 9)), Level::Ok, "0.09 %");
        assert_eq!(level(&one(1_000, 1_000, 0, 1)), Level::Warning, "0.1 %");
        assert_eq!(
            level(&one(100_000, 100_000, 0, 299)),
            Level::Warning,
            "0.299 %"
        );
        assert_eq!(level(&one(1_000, 1_000, 0, 3)), Level::Critical, "0.3 %");
        assert_eq!(level(&one(7_000, 7_000, 0, 21)), Level::Critical, "0.3 %");
    }

    #[test]
    fn bounce_rate_edges_are_reached_at_their_value() {
        // Bounces are counted against sent mail.
        assert_eq!(level(&one(1_000, 981, 19, 0)), Level::Ok, "1.9 %");
        assert_eq!(level(&one(1_000, 980, 20, 0)), Level::Warning, "2 %");
        assert_eq!(level(&one(1_000, 951, 49, 0)), Level::Warning, "4.9 %");
        assert_eq!(level(&one(1_000, 950, 50, 0)), Level::Critical, "5 %");
        assert_eq!(level(&one(300, 285, 15, 0)), Level::Critical, "5 %");
    }

    #[test]
    fn inbox_placement_warns_under_its_threshold_and_against_the_baseline() {
        let text = format!(
            "{},inbox_placement\n2026-11-27,100,100,0,0,0,90\n2026-11-28,100,100,0,0,0,89.9%\n",
            HEADER.trim_end()
        );
        let rows = parse(&text);
        assert_eq!(level(&rows[0]), Level::Ok, "exactly 90 % is not under 90 %");
        assert_eq!(level(&rows[1]), Level::Warning);
        let base_rows = parse(&format!(
            "{},inbox_placement\n2026-11-01,100,100,0,0,0,100\n",
            HEADER.trim_end()
        ));
        let base = Baseline::of(&base_rows, "base.csv")
            .expect("sums")
            .expect("baseline");
        // A drop of exactly `baseline_drop` (10 %) is reached.
        let judged = judge(&rows[0], Some(&base), &Thresholds::default());
        assert_eq!(judged.level, Level::Warning);
        assert_eq!(judged.flags[0].signal, "inbox-placement-vs-baseline");
        assert!(
            judged.flags[0]
                .message
                .contains("10.0 % below the baseline 100.00 %"),
            "{}",
            judged.flags[0].message
        );
    }

    #[test]
    fn a_spam_rate_and_a_complaint_rate_of_sent_are_judged_and_say_what_they_are() {
        let rate_only = parse("date,spam_rate\n2026-11-27,0.31\n2026-11-28,0.05\n");
        let judged = judge(&rate_only[0], None, &Thresholds::default());
        assert_eq!(judged.level, Level::Critical);
        assert_eq!(judged.flags[0].signal, "spam-rate");
        assert_eq!(level(&rate_only[1]), Level::Ok);
        let ses = parse("date,sent,bounces,complaints\n2026-11-27,1000,0,2\n");
        let judged = judge(&ses[0], None, &Thresholds::default());
        assert_eq!(judged.level, Level::Warning);
        assert!(
            judged.flags[0]
                .message
                .starts_with("complaint rate (of sent) 0.20 %"),
            "{}",
            judged.flags[0].message
        );
    }
}
