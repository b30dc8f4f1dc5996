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
    /// The language these words are of.
    pub locale: &'static str,
    pub apology: &'static [&'static str],
    pub humour: &'static [&'static str],
    pub hedging: &'static [&'static str],
    /// Fixed evasive phrases ("mistakes were made").
    pub passive: &'static [&'static str],
    /// The evasive passive as a pattern: an auxiliary, at most a few words, a participle of
    /// what went wrong, and no agent after it.
    pub passive_auxiliaries: &'static [&'static str],
    pub passive_participles: &'static [&'static str],
    /// The word that names who did it ("by", "door"): with it, the passive hides nobody.
    pub agent: &'static str,
    /// Words that deny: "were not shared" hides nobody either.
    pub negations: &'static [&'static str],
    pub generic_greetings: &'static [&'static str],
    /// Pressure in any sentence: "act now", "verify your account".
    pub pressure: &'static [&'static str],
    /// Time pressure, which only counts in a sentence that asks something of the reader:
    /// "within 24 hours" there, not in "we fixed it within 24 hours".
    pub deadlines: &'static [&'static str],
    /// Words that address the reader, and that start a sentence about the writer.
    pub you: &'static [&'static str],
    pub we: &'static [&'static str],
    pub lede_words: &'static [&'static str],
    pub subject_words: &'static [&'static str],
    pub unsubscribe: &'static [&'static str],
    /// Lines that are no message: "View this email in your browser".
    pub boilerplate: &'static [&'static str],
    /// Each protective step, what calls for it and its name, with the ways of saying it: all
    /// words of one way on one line.
    pub protective: &'static [(Protects, &'static str, &'static [&'static [&'static str]])],
    /// Month names, lowercase, January first.
    pub months: [&'static str; 12],
    /// The breach notice's headings, in order: what happened, the information involved,
    /// what it means for the reader, what we do, what you can do, more information.
    pub headings: &'static [&'static str; 6],
    /// The ways notices write each heading, lowercase, matched at the start of a line.
    pub heading_variants: [&'static [&'static str]; 6],
    /// Words that mark an email as a breach notice.
    pub breach_terms: &'static [&'static str],
    /// Words that say what happened in a breach, that name personal data, that name a risk
    /// to the reader, and that start a measure taken.
    pub breach_words: &'static [&'static str],
    pub data_words: &'static [&'static str],
    pub risk_words: &'static [&'static str],
    pub measure_words: &'static [&'static str],
    pub contact: &'static [&'static str],
    /// Calls to buy, and sales: what makes a notice promotional.
    pub calls_to_buy: &'static [&'static str],
    pub sales: &'static [&'static str],
    /// The words of "20 % off", and of "use code SORRY20"; a code is an offer in a sentence
    /// with an offer's words ("at checkout", "off your order").
    pub percent_off: &'static [&'static str],
    pub code_words: &'static [&'static str],
    pub offer_words: &'static [&'static str],
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

/// Every vocabulary the product has.
pub fn all() -> [&'static Vocabulary; 2] {
    [&en::EN, &nl::NL]
}

/// The vocabulary for a locale; English where the product has none for it.
pub fn for_locale(locale: &str) -> &'static Vocabulary {
    match locale.split(['-', '_']).next().unwrap_or_default() {
        "nl" => &nl::NL,
        _ => &en::EN,
    }
}
