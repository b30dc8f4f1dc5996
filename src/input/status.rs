//! What a status word means: a file's vocabulary maps its words (or `/`-joined words from
//! several columns, such as SendGrid's `bounce/blocked`) to an [`Outcome`], and `--status`
//! asks for outcomes — `delivered` means delivered in the file's own words — or for literal
//! words. A word the vocabulary does not know is counted and reported, never matched by
//! guess.

use std::collections::BTreeMap;

use crate::config::Outcome;

/// Words to outcomes. The most specific pattern that matches decides: more segments first,
/// then fewer `*`.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    patterns: Vec<(Vec<String>, Outcome)>,
}

/// The words a send log with no preset may use: the canonical ones and those every ESP shares.
/// Words that mean different things at different ESPs (`sent`, `failed`) are left out where
/// they would be a guess: `sent` is only "handed over".
const COMMON: &[(Outcome, &[&str])] = &[
    (Outcome::Delivered, &["delivered", "delivery"]),
    (
        Outcome::Engaged,
        &["open", "opened", "opens", "click", "clicked", "clicks"],
    ),
    (
        Outcome::Sent,
        &["sent", "send", "processed", "accepted", "queued"],
    ),
    (Outcome::Deferred, &["deferred", "delayed"]),
    (
        Outcome::Bounced,
        &[
            "bounced",
            "bounce",
            "hard_bounce",
            "soft_bounce",
            "hardbounce",
            "softbounce",
            "hard bounce",
            "soft bounce",
        ],
    ),
    (
        Outcome::Dropped,
        &[
            "dropped",
            "rejected",
            "blocked",
            "suppressed",
            "invalid",
            "not-sent",
            "not_sent",
        ],
    ),
    (
        Outcome::Complained,
        &[
            "complained",
            "complaint",
            "spam",
            "spamreport",
            "spam_report",
            "abuse",
        ],
    ),
    (
        Outcome::Unsubscribed,
        &["unsubscribed", "unsubscribe", "opt-out", "optout"],
    ),
];

impl Vocabulary {
    /// The vocabulary of a file with no preset.
    pub fn common() -> Vocabulary {
        let mut v = Vocabulary::default();
        for (outcome, words) in COMMON {
            for word in *words {
                v.push(word, *outcome);
            }
        }
        v
    }

    /// A preset's vocabulary: its words only. A word the ESP's documentation does not define is
    /// reported as unknown rather than read with another ESP's meaning.
    pub fn of(statuses: &BTreeMap<Outcome, Vec<String>>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for (outcome, words) in statuses {
            for word in words {
                v.push(word, *outcome);
            }
        }
        v
    }

    fn push(&mut self, pattern: &str, outcome: Outcome) {
        let segments: Vec<String> = pattern
            .split('/')
            .map(|s| s.trim().to_lowercase())
            .collect();
        self.patterns.push((segments, outcome));
        let specificity = |p: &Vec<String>| {
            let wild = p.iter().filter(|s| *s == "*").count();
            (std::cmp::Reverse(p.len()), wild)
        };
        self.patterns.sort_by_key(|(p, _)| specificity(p));
    }

    /// The patterns, most specific first, each with its outcome: the order
    /// [`Vocabulary::classify`] tries them in.
    pub fn patterns(&self) -> &[(Vec<String>, Outcome)] {
        &self.patterns
    }

    /// The outcome of a status key (trimmed, lowercased, `/`-joined). A pattern matches when
    /// each of its segments equals the key's or is `*`; a shorter pattern matches the start,
    /// and a `*` also matches a segment the key lacks (`bounce/*` takes `bounce`).
    pub fn classify(&self, key: &str) -> Option<Outcome> {
        let parts: Vec<&str> = key.split('/').collect();
        self.patterns
            .iter()
            .find(|(pattern, _)| {
                pattern
                    .iter()
                    .enumerate()
                    .all(|(i, want)| want == "*" || parts.get(i).is_some_and(|got| want == got))
            })
            .map(|(_, outcome)| *outcome)
    }
}

/// What `--status` asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusQuery {
    /// Outcomes asked for by name.
    pub outcomes: Vec<Outcome>,
    /// Words asked for that name no outcome, matched literally (lowercased).
    pub words: Vec<String>,
}

impl StatusQuery {
    /// `--status` values: an outcome's name, or any other word. `delivered` also takes
    /// `engaged` rows (an email that was opened or clicked was delivered), and `sent` takes
    /// every email that left: sent, delivered or engaged.
    pub fn parse(values: &[String]) -> StatusQuery {
        let mut query = StatusQuery::default();
        for value in values {
            let word = super::text::lower(super::text::strip(value));
            match Outcome::from_key(&word) {
                Some(outcome) => query.outcomes.push(outcome),
                None => query.words.push(word),
            }
        }
        query
    }

    /// Whether any status is asked for.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty() && self.words.is_empty()
    }

    /// Whether a row with this key and outcome passes.
    pub fn passes(&self, key: &str, outcome: Option<Outcome>) -> bool {
        self.words.iter().any(|w| w == key)
            || outcome.is_some_and(|o| self.outcomes.iter().any(|asked| covers(*asked, o)))
    }

    /// The outcomes a row may have to pass: those asked for and those they take.
    pub fn covered(&self) -> Vec<Outcome> {
        Outcome::ALL
            .into_iter()
            .filter(|got| self.outcomes.iter().any(|asked| covers(*asked, *got)))
            .collect()
    }

    /// Whether the query asks for delivered mail.
    pub fn wants_delivered(&self) -> bool {
        self.outcomes.contains(&Outcome::Delivered)
    }
}

/// Whether asking for `asked` takes a row whose outcome is `got`.
fn covers(asked: Outcome, got: Outcome) -> bool {
    match asked {
        Outcome::Delivered => matches!(got, Outcome::Delivered | Outcome::Engaged),
        Outcome::Sent => matches!(got, Outcome::Sent | Outcome::Delivered | Outcome::Engaged),
        other => other == got,
    }
}

/// The status keys seen in a file, each classified once and counted: status words repeat on
/// millions of rows, a file uses a handful.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    keys: Vec<(String, Option<Outcome>, u64)>,
}

impl Seen {
    /// Count one row's key (already lowercased), and say its outcome.
    #[inline]
    pub fn count(&mut self, key: &str, vocabulary: &Vocabulary) -> Option<Outcome> {
        if let Some(entry) = self
            .keys
            .iter_mut()
            .find(|(k, _, _)| super::text::same(k.as_bytes(), key.as_bytes()))
        {
            entry.2 += 1;
            return entry.1;
        }
        let outcome = vocabulary.classify(key);
        self.keys.push((key.to_string(), outcome, 1));
        outcome
    }

    /// Add another worker's counts.
    pub fn add(&mut self, other: &Seen) {
        for (key, outcome, n) in &other.keys {
            match self.keys.iter_mut().find(|(k, _, _)| k == key) {
                Some(entry) => entry.2 += n,
                None => self.keys.push((key.clone(), *outcome, *n)),
            }
        }
    }

    /// Rows per outcome.
    pub fn outcomes(&self) -> BTreeMap<Outcome, u64> {
        let mut counts = BTreeMap::new();
        for (_, outcome, n) in &self.keys {
            if let Some(o) = outcome {
                *counts.entry(*o).or_insert(0) += n;
            }
        }
        counts
    }

    /// Rows per word the vocabulary does not know (an empty status as `""`).
    pub fn unknown(&self) -> BTreeMap<String, u64> {
        self.keys
            .iter()
            .filter(|(_, outcome, _)| outcome.is_none())
            .map(|(k, _, n)| (k.clone(), *n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_segment_by_segment_and_the_most_specific_decides() {
        let mut statuses = BTreeMap::new();
        statuses.insert(
            Outcome::Dropped,
            vec![
                "failed/permanent/suppress-bounce".into(),
                "bounce/*/onaccountsuppressionlist".into(),
            ],
        );
        statuses.insert(
            Outcome::Bounced,
            vec!["failed/permanent".into(), "bounce".into()],
        );
        statuses.insert(Outcome::Deferred, vec!["failed/temporary".into()]);
        statuses.insert(Outcome::Other, vec!["stored/*".into()]);
        let v = Vocabulary::of(&statuses);
        // A `*` takes a segment the key lacks; a word does not.
        assert_eq!(v.classify("stored"), Some(Outcome::Other));
        assert_eq!(v.classify("bounce"), Some(Outcome::Bounced));
        assert_eq!(
            v.classify("failed/permanent/bounce"),
            Some(Outcome::Bounced)
        );
        assert_eq!(
            v.classify("failed/temporary/espblock"),
            Some(Outcome::Deferred)
        );
        assert_eq!(
            v.classify("bounce/permanent/onaccountsuppressionlist"),
            Some(Outcome::Dropped)
        );
        assert_eq!(
            v.classify("bounce/transient/general"),
            Some(Outcome::Bounced)
        );
        assert_eq!(v.classify("accepted"), None);
        assert_eq!(
            v.classify("failed/permanent/suppress-bounce"),
            Some(Outcome::Dropped)
        );
        assert_eq!(
            v.classify("failed/permanent/generic"),
            Some(Outcome::Bounced)
        );
    }

    #[test]
    fn delivered_takes_opens_and_sent_takes_everything_that_left() {
        let q = StatusQuery::parse(&["Delivered".into()]);
        assert!(q.passes("delivered", Some(Outcome::Delivered)));
        assert!(q.passes("open", Some(Outcome::Engaged)));
        assert!(!q.passes("processed", Some(Outcome::Sent)));
        assert!(!q.passes("weird", None));
        let sent = StatusQuery::parse(&["sent".into()]);
        assert!(sent.passes("processed", Some(Outcome::Sent)));
        assert!(sent.passes("delivered", Some(Outcome::Delivered)));
        assert!(!sent.passes("bounce", Some(Outcome::Bounced)));
        let literal = StatusQuery::parse(&["OK".into()]);
        assert_eq!(literal.words, ["ok"]);
        assert!(literal.passes("ok", None));
    }

    #[test]
    fn each_key_is_classified_once_and_unknown_words_are_counted() {
        let v = Vocabulary::common();
        let mut seen = Seen::default();
        for key in [
            "delivered",
            "delivered",
            "processed",
            "weird",
            "weird",
            "weird",
        ] {
            seen.count(key, &v);
        }
        assert_eq!(seen.outcomes().get(&Outcome::Delivered), Some(&2));
        assert_eq!(seen.outcomes().get(&Outcome::Sent), Some(&1));
        assert_eq!(seen.unknown().get("weird"), Some(&3));
    }
}
