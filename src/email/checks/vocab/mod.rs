//! The words the checks look for, per locale: each locale's vocabulary in its own file. A
//! locale the checks have no words for is judged with the English ones.

mod en;
mod nl;

/// What a protective step protects against, which decides when a notice must give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protects {
    /// Passwords involved: change it, turn on two-factor authentication.
    Account,
    /// Contact details involved: watch for phishing, go to the website yourself.
    Phishing,
    /// Payment data involved: watch statements, tell the bank.
    Payment,
}

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
    /// Each protective step, what calls for it and its name, with the ways of saying it: all
    /// words of one way on one line.
    pub protective: &'static [(Protects, &'static str, &'static [&'static [&'static str]])],
    /// Month names, lowercase, January first.
    pub months: [&'static str; 12],
    /// The breach notice's headings, in order: what happened, the information involved,
    /// what it means for the reader, what we do, what you can do, more information.
    pub headings: &'static [&'static str; 6],
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

/// Whether the product has words for a locale.
pub fn knows(locale: &str) -> bool {
    matches!(
        locale.split(['-', '_']).next().unwrap_or_default(),
        "en" | "nl"
    )
}

/// The vocabulary for a locale; English where the product has none for it.
pub fn for_locale(locale: &str) -> &'static Vocabulary {
    match locale.split(['-', '_']).next().unwrap_or_default() {
        "nl" => &nl::NL,
        _ => &en::EN,
    }
}
