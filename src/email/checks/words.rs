//! Finding words and shapes in an email's text: whole words, paragraphs, invisible
//! characters, emoji, CSS declarations and dates.

use std::sync::LazyLock;

use regex::Regex;

use super::vocab::Vocabulary;

/// A date in figures: day, month and year (in either order of the first two).
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b")
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});

/// Whether `word` occurs in `haystack` as a whole word. A word that starts or ends in
/// punctuation (";)", "% off") needs no boundary on that side.
pub fn contains_word(haystack: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = haystack[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        let edge_ok = |c: Option<char>, edge: Option<char>| {
            edge.is_some_and(|e| !e.is_alphanumeric()) || boundary(c)
        };
        if edge_ok(before, word.chars().next()) && edge_ok(after, word.chars().next_back()) {
            return true;
        }
        from = start + word.len().max(1);
    }
    false
}

/// The text with every quotation blanked out, quotation marks included: what is left is what
/// the writer says in their own voice. A quoted tag or phrase is described, not used (the
/// greeting read “Hi *|FNAME|*”; the subject said "Act now"). Quotations are found on one line
/// at a time, between “ ”, „ ”, « », ‘ ’, or a pair of straight quotes; a straight single
/// quote opens only at the start of a word and closes only at its end, so that "didn't" and
/// "the customers' list" are no quotations.
pub fn unquoted(text: &str) -> String {
    text.split_inclusive('\n').map(unquoted_line).collect()
}

fn unquoted_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        match closing_quote(&chars, i) {
            Some(end) => {
                out.extend(std::iter::repeat_n(' ', end - i + 1));
                i = end + 1;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Where the quotation that opens at `at` closes, when one does.
fn closing_quote(chars: &[char], at: usize) -> Option<usize> {
    let word_start = at == 0 || !chars[at - 1].is_alphanumeric();
    let closers: &[char] = match chars[at] {
        '“' => &['”'],
        '„' => &['”', '“'],
        '«' => &['»'],
        '‘' => &['’'],
        '"' => &['"'],
        '\'' if word_start => &['\''],
        _ => return None,
    };
    (at + 1..chars.len()).find(|&j| {
        closers.contains(&chars[j])
            && j > at + 1
            && (chars[at] != '\'' || chars.get(j + 1).is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// The words of `list` that occur in `text` as whole words.
pub fn whole_words<'v>(list: &[&'v str], text: &str) -> Vec<&'v str> {
    list.iter()
        .copied()
        .filter(|w| contains_word(text, w))
        .collect()
}

/// The phrases of `list` that occur anywhere in `text`.
pub fn phrases<'v>(list: &[&'v str], text: &str) -> Vec<&'v str> {
    list.iter().copied().filter(|w| text.contains(w)).collect()
}

/// The first paragraph that says something: not the title line, not the greeting.
pub fn first_paragraph<'t>(text: &'t str, separator: &str) -> &'t str {
    text.split(separator)
        .map(str::trim)
        .find(|p| p.chars().count() > 60 || (p.contains(". ") && !p.ends_with(',')))
        .unwrap_or("")
}

/// Characters that take no space on screen: zero-width spaces and joiners, the word joiner,
/// the byte order mark, the soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(u32::from(c), 0xAD | 0x034F | 0x180E | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFEFF)
}

/// Pictographs, symbols and the emoji variation selector; not the check marks, crosses,
/// arrows and ballot boxes of plain typography.
pub fn is_emoji(c: char) -> bool {
    let code = u32::from(c);
    let typographic = matches!(code, 0x2610..=0x2612 | 0x2713..=0x2718 | 0x2794..=0x27BF);
    !typographic
        && matches!(code,
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x231A..=0x231B | 0x23E9..=0x23FA)
}

/// Whether a text names a day of a month, with or without its year ("3 May", "May 3", "3 mei
/// 2026"), a month of a year ("May 2026"), or a date in figures ("03-05-2026", "5/3/2026").
pub fn names_a_day(v: &Vocabulary, text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let day = |w: &str| w.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    let year = |w: &str| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1990..=2100).contains(&y));
    let month = |w: &str| v.months.contains(&w);
    !dates(v, text).is_empty()
        || NUMERIC_DATE.is_match(text)
        || words
            .windows(2)
            .any(|w| (day(w[0]) && month(w[1])) || (month(w[0]) && (day(w[1]) || year(w[1]))))
}

/// The dates a text gives: 26 November 2026, November 26, 2026 or 2026-11-26.
pub fn dates(v: &Vocabulary, text: &str) -> Vec<chrono::NaiveDate> {
    let mut found: Vec<chrono::NaiveDate> = text
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|w| chrono::NaiveDate::parse_from_str(w, "%Y-%m-%d").ok())
        .collect();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = |w: &str| v.months.iter().position(|m| *m == w);
    for w in words.windows(3) {
        let (day, month, year) = match (month(w[0]), month(w[1])) {
            (None, Some(m)) => (w[0], m, w[2]),
            (Some(m), None) => (w[1], m, w[2]),
            _ => continue,
        };
        if let (Ok(day), Ok(year)) = (day.parse::<u32>(), year.parse::<i32>())
            && let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month as u32 + 1, day)
        {
            found.push(date);
        }
    }
    found
}
