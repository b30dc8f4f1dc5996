//! The geometry of the HTML report's deliverability chart: one panel for the complaint rate and
//! one for the bounce rate, each checkpoint a point, each threshold a line. The numbers are
//! computed here; `templates/report/chart.html` draws them as inline SVG, so the picture can
//! be restyled without touching code and stays deterministic for snapshots.

use serde::Serialize;

use super::Report;
use crate::config::Thresholds;

/// Panel size in SVG user units; the SVG scales to the page width.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// The chart: two panels, or none when there are no checkpoints.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub panels: Vec<Panel>,
}

/// One rate over the checkpoints.
#[derive(Debug, Clone, Serialize)]
pub struct Panel {
    pub title: String,
    /// The `points` attribute of the polyline: `x,y x,y …`.
    pub line: String,
    pub dots: Vec<Dot>,
    pub thresholds: Vec<Rule>,
    pub ticks: Vec<Tick>,
    pub labels: Vec<Tick>,
    /// The plot area.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// A sentence for screen readers.
    pub description: String,
}

/// One checkpoint's point.
#[derive(Debug, Clone, Serialize)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    /// `ok`, `warning` or `critical`, for its colour.
    pub level: String,
    /// The tooltip: date and rate.
    pub title: String,
}

/// A threshold line.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub y: f64,
    pub level: String,
    pub label: String,
}

/// An axis tick or label.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    pub y: f64,
    pub label: String,
    /// SVG `text-anchor`: the first and last dates align inwards so they are never clipped.
    pub anchor: &'static str,
}

/// The chart of a report's checkpoints.
pub fn chart(report: &Report) -> Chart {
    let rows = &report.deliverability.checkpoints;
    let thresholds: &Thresholds = &report.deliverability.limits;
    let mut panels = Vec::new();
    if !rows.is_empty() {
        let dates: Vec<&str> = rows.iter().map(|r| r.date.as_str()).collect();
        let complaint: Vec<Option<f64>> = rows.iter().map(|r| r.rates.complaint).collect();
        let bounce: Vec<Option<f64>> = rows.iter().map(|r| r.rates.bounce).collect();
        panels.push(panel(
            "Complaint rate (% of delivered)",
            &dates,
            &complaint,
            thresholds.complaint_warning,
            thresholds.complaint_critical,
        ));
        panels.push(panel(
            "Bounce rate (% of sent)",
            &dates,
            &bounce,
            thresholds.bounce_warning,
            thresholds.bounce_critical,
        ));
    }
    Chart {
        width: WIDTH,
        height: HEIGHT,
        panels,
    }
}

/// Round to two decimals: the SVG stays short and byte-for-byte stable.
fn r2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// A "nice" step for about four ticks up to `max`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_step(max: f64) -> f64 {
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude)
}

fn panel(
    title: &str,
    dates: &[&str],
    values: &[Option<f64>],
    warning: f64,
    critical: f64,
) -> Panel {
    let highest = values.iter().flatten().copied().fold(0.0, f64::max);
    // The critical line is always in view, with room above it.
    let top_value = (critical * 1.25).max(highest * 1.1);
    let step = nice_step(top_value);
    let max = (top_value / step).ceil() * step;
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let y = |v: f64| r2(TOP + plot_h * (1.0 - v / max));
    let n = dates.len();
    let x = |i: usize| {
        if n == 1 {
            r2(LEFT + plot_w / 2.0)
        } else {
            r2(LEFT + plot_w * i as f64 / (n - 1) as f64)
        }
    };
    let level = |v: f64| {
        if v + 1e-9 >= critical {
            "critical"
        } else if v + 1e-9 >= warning {
            "warning"
        } else {
            "ok"
        }
    };
    let mut dots = Vec::new();
    let mut points = Vec::new();
    for (i, (date, value)) in dates.iter().zip(values).enumerate() {
        if let Some(v) = value {
            points.push(format!("{},{}", x(i), y(*v)));
            dots.push(Dot {
                x: x(i),
                y: y(*v),
                level: level(*v).to_string(),
                title: format!("{date}: {v:.2} %"),
            });
        }
    }
    // As many decimals as the step needs: 0 %, 2 %, 4 % or 0.10 %, 0.20 %, 0.25 %.
    let decimals = [0, 1, 2]
        .into_iter()
        .find(|d| {
            let scaled = step * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-9
        })
        .unwrap_or(2) as usize;
    let ticks = (0..)
        .map(|k| k as f64 * step)
        .take_while(|v| *v <= max + 1e-9)
        .map(|v| Tick {
            x: LEFT - 6.0,
            y: y(v),
            label: format!("{v:.decimals$} %"),
            anchor: "end",
        })
        .collect();
    // At most about eight date labels, so they never overlap: every so many, and the last
    // one in place of a regular one too close before it.
    let every = n.div_ceil(8).max(1);
    let mut shown: Vec<usize> = (0..n).step_by(every).collect();
    if let Some(&previous) = shown.last()
        && previous + 1 < n
    {
        if n - 1 - previous < every && shown.len() > 1 {
            shown.pop();
        }
        shown.push(n - 1);
    }
    let labels = shown
        .into_iter()
        .map(|i| Tick {
            x: x(i),
            y: r2(HEIGHT - BOTTOM + 18.0),
            label: dates[i].chars().take(10).collect(),
            anchor: match i {
                _ if n == 1 => "middle",
                0 => "start",
                _ if i == n - 1 => "end",
                _ => "middle",
            },
        })
        .collect();
    let description = format!(
        "{title} for {} checkpoint(s) from {} to {}, against a warning line at {warning} % and a critical line at {critical} %.",
        n,
        dates.first().copied().unwrap_or_default(),
        dates.last().copied().unwrap_or_default()
    );
    Panel {
        title: title.to_string(),
        line: points.join(" "),
        dots,
        thresholds: vec![
            Rule {
                y: y(warning),
                level: "warning".into(),
                label: format!("warning {warning} %"),
            },
            Rule {
                y: y(critical),
                level: "critical".into(),
                label: format!("critical {critical} %"),
            },
        ],
        ticks,
        labels,
        left: LEFT,
        right: WIDTH - RIGHT,
        top: TOP,
        bottom: HEIGHT - BOTTOM,
        description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_step(0.375), 0.1);
        assert_eq!(nice_step(6.25), 2.0);
        assert_eq!(nice_step(0.8), 0.2);
        assert_eq!(nice_step(0.9), 0.25);
    }

    #[test]
    fn the_critical_line_is_in_view_and_values_map_into_the_plot() {
        let p = panel(
            "x",
            &["2026-11-26", "2026-11-27"],
            &[Some(0.05), Some(0.5)],
            0.1,
            0.3,
        );
        assert!(p.thresholds[1].y > TOP, "critical below the top edge");
        assert!(p.dots.iter().all(|d| d.y >= TOP && d.y <= HEIGHT - BOTTOM));
        assert_eq!(p.dots[1].level, "critical");
        assert_eq!(p.dots[0].x, LEFT);
        assert_eq!(p.dots[1].x, WIDTH - RIGHT);
    }

    #[test]
    fn date_labels_never_crowd_the_last_one() {
        let dates: Vec<String> = (1..=10).map(|d| format!("2026-12-{d:02}")).collect();
        let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
        let values = vec![Some(0.1); dates.len()];
        let p = panel("x", &dates, &values, 0.1, 0.3);
        let shown: Vec<&str> = p.labels.iter().map(|l| l.label.as_str()).collect();
        // Every second date, with the last in place of the 9th, one step before it.
        assert_eq!(
            shown,
            [
                "2026-12-01",
                "2026-12-03",
                "2026-12-05",
                "2026-12-07",
                "2026-12-10"
            ]
        );
        let gaps: Vec<f64> = p.labels.windows(2).map(|w| w[1].x - w[0].x).collect();
        let min_gap = (WIDTH - LEFT - RIGHT) / 9.0 * 2.0;
        assert!(gaps.iter().all(|g| *g + 0.02 >= min_gap), "{gaps:?}");
    }
}
