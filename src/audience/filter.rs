//! Which rows of the send log count: the campaign, segments, statuses and time window, as the
//! reference defines them, with statuses read through the file's vocabulary.

use crate::incident::AudienceFilter;
use crate::input::Instant;
use crate::input::status::StatusQuery;

use crate::input::text::lower;

/// What to select from the send log. An empty list or `None` lets every row through.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// `campaign_id`, compared after trimming the cell (the value itself is taken as given).
    pub campaign: Option<String>,
    /// `segment`, compared after trimming the cell.
    pub segments: Vec<String>,
    /// `--status`: outcomes (`delivered` in the file's own words) or literal words.
    pub statuses: StatusQuery,
    /// `sent_at` at or after this instant.
    pub from: Option<Instant>,
    /// `sent_at` before this instant.
    pub until: Option<Instant>,
}

impl Query {
    /// A query; the statuses are trimmed and lowercased here, once, as the reference does.
    pub fn new(
        campaign: Option<String>,
        segments: Vec<String>,
        statuses: Vec<String>,
        from: Option<Instant>,
        until: Option<Instant>,
    ) -> Query {
        Query {
            campaign,
            segments,
            statuses: StatusQuery::parse(&statuses),
            from,
            until,
        }
    }

    /// Whether a time window is asked for (then `sent_at` is needed).
    pub fn has_window(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }

    /// Whether `at` lies in the half-open window `[from, until)`.
    pub fn in_window(&self, at: Instant) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }

    /// The query as stored in the record.
    pub fn to_record(&self) -> AudienceFilter {
        let mut statuses: Vec<String> = self
            .statuses
            .outcomes
            .iter()
            .map(|o| o.key().to_string())
            .collect();
        statuses.extend(self.statuses.words.iter().map(|w| lower(w)));
        AudienceFilter {
            campaign: self.campaign.clone(),
            segments: self.segments.clone(),
            statuses,
            from: self.from.map(Instant::to_utc),
            until: self.until.map(Instant::to_utc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::time::parse_instant;

    fn at(text: &str) -> Instant {
        parse_instant(text).expect("valid")
    }

    #[test]
    fn the_window_is_half_open() {
        let q = Query::new(
            None,
            vec![],
            vec![],
            Some(at("2026-11-20T09:00:00Z")),
            Some(at("2026-11-20T13:00:00Z")),
        );
        assert!(q.in_window(at("2026-11-20T09:00:00Z")));
        assert!(q.in_window(at("2026-11-20T10:00:00+01:00")));
        assert!(q.in_window(at("2026-11-20T12:59:59.999999Z")));
        assert!(!q.in_window(at("2026-11-20T13:00:00Z")));
        assert!(!q.in_window(at("2026-11-20T08:59:59Z")));
        assert!(!q.in_window(at("2026-11-21T10:00:00Z")));
    }

    #[test]
    fn statuses_are_kept_as_asked() {
        let q = Query::new(
            None,
            vec![],
            vec!["Delivered".into(), "OK".into()],
            None,
            None,
        );
        assert_eq!(q.to_record().statuses, ["delivered", "ok"]);
    }
}
