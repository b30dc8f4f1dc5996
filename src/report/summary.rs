//! `incident report --summary`: the trend across incidents — how many of each kind and
//! severity, and the median times to acknowledge, stop and inform. Drills are left out, as
//! everywhere metrics are made.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::format::{human_duration, utc};
use crate::incident::{Brief, Status};

/// The summary across incidents.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub generated_at: String,
    pub totals: Totals,
    pub by_kind: Vec<Count>,
    pub by_severity: Vec<Count>,
    pub medians: Vec<Median>,
    /// The incidents counted, oldest first.
    pub incidents: Vec<Row>,
}

/// How many incidents were counted and left out.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub incidents: usize,
    pub open: usize,
    pub closed: usize,
    pub drills_left_out: usize,
}

/// A count under a key.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: usize,
}

/// The median of one duration.
#[derive(Debug, Clone, Serialize)]
pub struct Median {
    pub label: String,
    pub value: Option<String>,
    pub seconds: Option<i64>,
    /// How many incidents have this duration.
    pub samples: usize,
}

/// One incident in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub severity: String,
    pub status: String,
    pub opened_at: String,
    pub steps_done: usize,
    pub time_to_inform: Option<String>,
}

/// The median of some durations; the mean of the middle two for an even count.
fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// Summarize incidents from their briefs; `kind_titles` names the kinds.
pub fn summarize(
    incidents: &[Brief],
    kind_titles: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Summary {
    let counted: Vec<&Brief> = incidents.iter().filter(|i| !i.drill).collect();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
    for inc in &counted {
        *by_kind.entry(inc.kind.as_str()).or_default() += 1;
        *by_severity.entry(inc.severity.to_string()).or_default() += 1;
    }
    let mut by_kind: Vec<Count> = by_kind
        .into_iter()
        .map(|(kind, count)| Count {
            key: kind.to_string(),
            label: kind_titles
                .get(kind)
                .cloned()
                .unwrap_or_else(|| kind.to_string()),
            count,
        })
        .collect();
    by_kind.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    let by_severity = by_severity
        .into_iter()
        .map(|(severity, count)| Count {
            label: severity.clone(),
            key: severity,
            count,
        })
        .collect();
    let durations: Vec<_> = counted.iter().map(|i| i.durations).collect();
    let medians = [
        (
            "Time to acknowledge",
            durations.iter().map(|d| d.acknowledge).collect::<Vec<_>>(),
        ),
        ("Time to stop", durations.iter().map(|d| d.stop).collect()),
        (
            "Time to inform",
            durations.iter().map(|d| d.inform).collect(),
        ),
    ]
    .into_iter()
    .map(|(label, values)| {
        let values: Vec<Duration> = values.into_iter().flatten().collect();
        let samples = values.len();
        let m = median(values);
        Median {
            label: label.to_string(),
            value: m.map(human_duration),
            seconds: m.map(|d| d.num_seconds()),
            samples,
        }
    })
    .collect();
    let mut rows: Vec<Row> = counted
        .iter()
        .map(|inc| Row {
            id: inc.id.to_string(),
            title: inc.title.clone(),
            kind: inc.kind.clone(),
            severity: inc.severity.to_string(),
            status: inc.status.to_string(),
            opened_at: utc(inc.opened_at),
            steps_done: inc.steps_done,
            time_to_inform: inc.durations.inform.map(human_duration),
        })
        .collect();
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Summary {
        generated_at: utc(now),
        totals: Totals {
            incidents: counted.len(),
            open: counted.iter().filter(|i| i.status == Status::Open).count(),
            closed: counted
                .iter()
                .filter(|i| i.status == Status::Closed)
                .count(),
            drills_left_out: incidents.len() - counted.len(),
        },
        by_kind,
        by_severity,
        medians,
        incidents: rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_take_the_middle_or_the_mean_of_the_middle_two() {
        let m = |v: &[i64]| median(v.iter().map(|m| Duration::minutes(*m)).collect());
        assert_eq!(m(&[]), None);
        assert_eq!(m(&[30, 10, 20]), Some(Duration::minutes(20)));
        assert_eq!(m(&[40, 10, 20, 30]), Some(Duration::minutes(25)));
    }
}
