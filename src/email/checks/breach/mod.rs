//! What a data-breach notice must carry (GDPR Art. 34, Cal. Civ. Code 1798.82) and what it
//! must not: the legal elements (in [`elements`]), each protective step the data involved
//! calls for; no login links, no offers or calls to buy, no small type; and sent before its
//! clock runs out. Each part is judged on its own.

mod elements;
mod sections;

use std::sync::LazyLock;

use regex::Regex;

use super::vocab::{Protects, Vocabulary};
use super::words::{contains_word, unquoted};
use super::{
    BREACH_LOGIN_LINK, BREACH_NOTICE_LATE, BREACH_PROMOTIONAL, BREACH_PROTECTIVE_STEPS,
    BREACH_SMALL_TYPE, Finding, View,
};
use sections::{CAN_DO, Sections};

pub use elements::legal_elements;

/// `breach-protective-steps`: a protective step on a line of its own words, under "What You
/// Can Do" where people look for it (anywhere in a draft without that heading); and each step
/// the data involved calls for (passwords, contact details, payment data), as the record says.
pub fn protective_steps(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let advice = view.d.record.map(|r| r.advice).unwrap_or_default();
    let called_for = |protects: Protects| match protects {
        Protects::Account => advice.password,
        Protects::Phishing => advice.phishing,
        Protects::Payment => advice.card,
    };
    let mut found = Vec::new();
    for (part, text) in &view.parts {
        let s = if view.d.is_file() {
            Sections::worded(view.v, text)
        } else {
            Sections::exact(view.v, text)
        };
        let steps = s.section_or_all(CAN_DO);
        let given = |ways: &[&[&str]]| {
            steps.lines().any(|line| {
                ways.iter()
                    .any(|words| words.iter().all(|w| line.contains(w)))
            })
        };
        let missing: Vec<&str> = view
            .v
            .protective
            .iter()
            .filter(|(protects, _, ways)| called_for(*protects) && !given(ways))
            .map(|(_, name, _)| *name)
            .collect();
        let none = !view.v.protective.iter().any(|(_, _, ways)| given(ways));
        let message = if !missing.is_empty() {
            format!("missing from the {part}: {}", missing.join(", "))
        } else if none {
            format!("the {part} gives no protective step at all")
        } else {
            continue;
        };
        found.push(Finding::new(&BREACH_PROTECTIVE_STEPS, message).in_part(part));
    }
    found
}

/// `breach-login-link`: a link, or an address written out, to a login, reset or verify page:
/// its path says so, or its text asks the reader to sign in, reset or verify.
pub fn login_link(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let mut found = Vec::new();
    for target in &view.targets {
        let url = target.url.to_lowercase();
        let path = url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .split_once('/')
            .map_or("", |(_, path)| path);
        let text = target.text.to_lowercase();
        let page = path
            .split(['/', '?', '#', '&', '='])
            .find_map(|segment| login_segment(segment));
        let asks = LOGIN_ACTIONS.iter().find(|w| text.contains(*w)).copied();
        if let Some(word) = page.or(asks) {
            found.push(Finding::new(
                &BREACH_LOGIN_LINK,
                format!("{} links to a {word} page", target.url),
            ));
        }
    }
    found
}

/// Whether a segment of a URL's path marks a login, reset or verify page: it is one
/// (`/login`, `/account`), or it resets or asks a password (`/password-reset`).
fn login_segment(segment: &str) -> Option<&'static str> {
    LOGIN_PAGES
        .iter()
        .find(|page| segment == **page)
        .or_else(|| LOGIN_PARTS.iter().find(|part| segment.contains(**part)))
        .copied()
}

/// Path segments that are a login, account or verify page.
const LOGIN_PAGES: &[&str] = &[
    "login",
    "log-in",
    "signin",
    "sign-in",
    "auth",
    "oauth",
    "sso",
    "account",
    "my-account",
    "myaccount",
    "verify",
    "verification",
    "inloggen",
    "mijn-account",
];

/// What a segment holds when it resets or asks a password.
const LOGIN_PARTS: &[&str] = &["reset", "password", "wachtwoord", "login", "token"];

/// What a link's text asks when it leads to such a page.
const LOGIN_ACTIONS: &[&str] = &[
    "log in",
    "login",
    "sign in",
    "reset",
    "verify",
    "change your password",
    "update your password",
    "confirm your account",
    "inloggen",
    "log in",
    "verifieer",
    "wachtwoord wijzigen",
    "wachtwoord resetten",
    "wijzig je wachtwoord",
    "wijzig uw wachtwoord",
];

/// `breach-promotional`: an offer or a call to buy in a notice that must be dedicated to the
/// breach — a percentage off, a code to use, "shop now", a sale — in the writer's own words.
/// Naming the list that leaked ("our newsletter subscribers") or the email that carried the
/// data ("the sale confirmation") promotes nothing.
pub fn promotional(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    let v = view.v;
    let mut said: Vec<&str> = vec![view.d.subject.unwrap_or_default()];
    said.extend(view.parts.iter().map(|(_, t)| t.as_str()));
    let own = unquoted(&said.join("\n"));
    let lower = own.to_lowercase();
    let mut offers: Vec<String> = v
        .calls_to_buy
        .iter()
        .chain(v.sales)
        .filter(|w| contains_word(&lower, w))
        .map(|w| w.to_string())
        .collect();
    offers.extend(percent_off(v, &lower));
    offers.extend(codes(v, &own));
    offers.dedup();
    if offers.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        &BREACH_PROMOTIONAL,
        format!("an offer or a call to buy: {}", offers.join(", ")),
    )]
}

/// "20% off", "15 % discount", "10% korting", "korting van 10%".
fn percent_off(v: &Vocabulary, lower: &str) -> Vec<String> {
    PERCENT
        .captures_iter(lower)
        .filter(|c| {
            let around = format!(
                "{} {}",
                c.get(1).map_or("", |m| m.as_str()),
                c.get(2).map_or("", |m| m.as_str())
            );
            v.percent_off
                .iter()
                .any(|w| around.split_whitespace().any(|x| x == *w))
        })
        .map(|c| {
            let whole = c[0].trim();
            // Shown from the number on: "15% off", not "is 15% off".
            let from = whole.find(|ch: char| ch.is_ascii_digit()).unwrap_or(0);
            whole[from..].to_string()
        })
        .collect()
}

static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\p{L}+\s+(?:van\s+)?)?\d+\s?%\s*(\p{L}+)?")
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});

/// A code to use: "use code SORRY15 at checkout", "met de code ZOMER10 korting" — a code word
/// followed by a token of capitals and digits, in a sentence that makes it an offer. A
/// reference number to quote ("reference code BR20261") offers nothing.
fn codes(v: &Vocabulary, own: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sentence in own.split(['.', '!', '?', '\n']) {
        let lower = sentence.to_lowercase();
        let offer = v.offer_words.iter().any(|w| contains_word(&lower, w));
        for c in CODE.captures_iter(sentence) {
            let word = c[1].to_lowercase();
            let promo_word = word != "code";
            if v.code_words.contains(&word.as_str()) && c[2].len() >= 4 && (offer || promo_word) {
                found.push(c[0].to_string());
            }
        }
    }
    found
}

static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\b(promo code|discount code|code|coupon|voucher|kortingscode|couponcode|actiecode))\b:?\s+([A-Z][A-Z0-9]*\d[A-Z0-9]*|[0-9]+[A-Z][A-Z0-9]*)\b")
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});

/// `breach-small-type`: shown text under 10 points (hidden text and the preheader are not
/// read, whatever their size).
pub fn small_type(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html.filter(|_| view.d.breach) else {
        return Vec::new();
    };
    html.smallest_px
        .filter(|px| *px < 13.0)
        .map(|px| {
            Finding::new(&BREACH_SMALL_TYPE, format!("text in font-size {px}px"))
                .in_part("HTML part")
        })
        .into_iter()
        .collect()
}

/// `breach-notice-late`: each clock for telling the people affected that has run out.
pub fn late(view: &View<'_>) -> Vec<Finding> {
    if !view.d.breach {
        return Vec::new();
    }
    view.d
        .record
        .iter()
        .flat_map(|r| &r.late)
        .map(|clock| Finding::new(&BREACH_NOTICE_LATE, clock.clone()))
        .collect()
}
