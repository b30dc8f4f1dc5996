//! One language per email: answers written in another language than the email's, or a
//! subject or quoted answer that reads as the other language.

use super::{Finding, LOCALE_MIXED, View, vocab};

/// `locale-mixed`.
pub fn mixed(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if d.answered_locale != d.locale && !d.quoted.is_empty() {
        return vec![Finding::new(
            &LOCALE_MIXED,
            format!(
                "answers written for the {} apology are quoted in this {} one",
                d.answered_locale, d.locale
            ),
        )];
    }
    let mut texts: Vec<(&str, &str)> = d.subject.map(|s| ("the subject", s)).into_iter().collect();
    texts.extend(d.quoted.iter().copied());
    // A draft's body is its own words, not the templates': judge it too.
    let body: Vec<&str> = view.parts.iter().map(|(_, t)| t.as_str()).collect();
    let body = body.join("\n");
    if d.is_file() {
        texts.push(("the text", &body));
    }
    foreign_language(d.locale, &texts)
}

/// The language a text reads as, when its words say so clearly: more marker words of one
/// language than of the other.
pub fn reads_as(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphabetic()).collect();
    let counts: Vec<(&str, usize)> = vocab::MARKERS
        .iter()
        .map(|(lang, markers)| (*lang, words.iter().filter(|w| markers.contains(w)).count()))
        .collect();
    let (best, most) = counts.iter().copied().max_by_key(|(_, n)| *n)?;
    let tie = counts.iter().filter(|(_, n)| *n == most).count() > 1;
    (most > 0 && !tie).then_some(best)
}

/// A finding for each text that reads as another language than the email's. Only English and
/// Dutch are told apart; an email in another locale is not judged.
fn foreign_language(locale: &str, texts: &[(&str, &str)]) -> Vec<Finding> {
    let base = locale.split(['-', '_']).next().unwrap_or_default();
    if !vocab::MARKERS.iter().any(|(lang, _)| *lang == base) {
        return Vec::new();
    }
    texts
        .iter()
        .filter_map(|(what, text)| {
            let lang = reads_as(text).filter(|lang| *lang != base)?;
            let mut shown: String = text.chars().take(60).collect();
            if shown.len() < text.len() {
                shown.push('…');
            }
            Some(Finding::new(
                &LOCALE_MIXED,
                format!("{what} {shown:?} reads as {lang} in this {locale} email"),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_dutch_are_told_apart() {
        for (text, lang) in [
            ("We made a mistake", Some("en")),
            ("Notice of Data Breach", Some("en")),
            ("Our last email was not meant for you", Some("en")),
            ("We hebben een fout gemaakt", Some("nl")),
            ("Melding van een datalek", Some("nl")),
            ("Die e-mail was niet voor u bedoeld", Some("nl")),
            ("Data Protection Officer, privacy@example.com", None),
            ("", None),
        ] {
            assert_eq!(reads_as(text), lang, "{text:?}");
        }
        let mixed = foreign_language("nl", &[("the subject", "We made a mistake")]);
        assert_eq!(
            mixed.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(),
            ["the subject \"We made a mistake\" reads as en in this nl email"]
        );
        assert!(foreign_language("de", &[("the subject", "We made a mistake")]).is_empty());
    }
}
