//! The words the checks look for, per locale: each locale's vocabulary in its own file. A
//! locale the checks have no words for is judged with the English ones.

mod en;
mod nl;

/// The words the checks look for, per locale.
pub struct Vocabulary {
    pub apology: &'static [&'static str],
    pub humour: &'static [&'static str],
    pub hedging: &'static [&'static str],
    pub passive: &'static [&'static str],
    pub generic_greetings: &'static [&'static str],
    pub urgency: &'static [&'static str],
    pub lede_words: &'static [&'static str],
    pub subject_words: &'static [&'static str],
    pub unsubscribe: &'static [&'static str],
    /// Each protective step, with the ways of saying it: all words of one way on one line.
    pub protective: &'static [(&'static str, &'static [&'static [&'static str]])],
    /// Month names, lowercase, January first.
    pub months: [&'static str; 12],
    pub headings: &'static [&'static str],
    pub consequences: &'static [&'static str],
    pub contact: &'static [&'static str],
    pub promotional: &'static [&'static str],
}

pub const HUMOUR: &[&str] = &[
    "oops",
    "whoops",
    "whoopsie",
    "oopsie",
    "just kidding",
    "kidding",
    "grapje",
    "lol",
    "lmao",
    "rofl",
    "haha",
    "hehe",
    "our bad",
    "my bad",
    "d'oh",
    "uh-oh",
    "oeps",
    "oepsie",
    "foutje bedankt",
    ";)",
    ":)",
    ":-)",
    ";-)",
    ":d",
    "xd",
];

/// Words that mark a text as English or as Dutch: common in one, absent from the other ("we",
/// "is", "was" and "in" are both, so they are left out).
pub const MARKERS: [(&str, &[&str]); 2] = [("en", en::MARKERS), ("nl", nl::MARKERS)];

/// The vocabulary for a locale; English where the product has none for it.
pub fn for_locale(locale: &str) -> &'static Vocabulary {
    match locale.split(['-', '_']).next().unwrap_or_default() {
        "nl" => &nl::NL,
        _ => &en::EN,
    }
}
