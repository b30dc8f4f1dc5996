//! What the law asks of marketing mail (CAN-SPAM, RFC 8058): a way out and a postal address
//! in each part. A breach notice is security information and exempt. In a draft, the ESP's
//! own footer tags count, and an ESP may add them when it sends: the rule table makes these
//! warnings for drafts.

use std::sync::LazyLock;

use regex::Regex;

use super::{Finding, POSTAL_ADDRESS_MISSING, UNSUBSCRIBE_MISSING, View};
use crate::email::esp::{self, Role};

/// `unsubscribe-missing`: no visible way out in a part. In the HTML, a link that says
/// unsubscribe and goes to the unsubscribe page (a help page labelled "Unsubscribe" is not a
/// way out); in the text part, that page's address. In a draft, the ESP's unsubscribe tag, a
/// link that says unsubscribe, or a `List-Unsubscribe` header count.
pub fn unsubscribe_missing(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if d.breach {
        return Vec::new();
    }
    if d.is_file() && d.list_unsubscribe {
        return Vec::new();
    }
    let says = |text: &str| {
        let lower = text.to_lowercase();
        view.v.unsubscribe.iter().any(|w| lower.contains(w))
    };
    let mut found = Vec::new();
    if let Some(html) = d.html {
        let has_link = html.links.iter().any(|l| {
            let goes = match d.unsubscribe_url {
                Some(url) if !d.is_file() => l.href == url,
                _ => true,
            };
            (says(&l.text) || has_role(&l.href, Role::Unsubscribe)) && goes
        }) || (d.is_file() && has_role(&html.text, Role::Unsubscribe));
        if !has_link {
            let page = d.unsubscribe_url.unwrap_or("the unsubscribe page");
            found.push(
                Finding::new(
                    &UNSUBSCRIBE_MISSING,
                    format!("no visible link to {page} in the HTML part"),
                )
                .in_part("HTML part"),
            );
        }
    }
    if let Some(text) = d.text {
        let has = match d.unsubscribe_url {
            Some(url) if !d.is_file() => text.contains(url),
            _ => has_role(text, Role::Unsubscribe) || (says(text) && text.contains("http")),
        };
        if !has {
            let page = d.unsubscribe_url.unwrap_or("an unsubscribe address");
            found.push(
                Finding::new(
                    &UNSUBSCRIBE_MISSING,
                    format!("{page} is not in the text part"),
                )
                .in_part("text part"),
            );
        }
    }
    found
}

/// Whether a text holds an ESP tag of a role.
fn has_role(text: &str, role: Role) -> bool {
    esp::tags(text).iter().any(|t| t.role == role)
}

/// `postal-address-missing`: the postal address is not in a part. A rendering must show the
/// brand's; a draft the brand's, something that reads as a postal address, or the ESP's
/// address tag.
pub fn postal_address_missing(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if d.breach {
        return Vec::new();
    }
    let raw: Vec<(&str, &str)> = [
        ("text part", d.text),
        ("HTML part", d.html.map(|h| h.text.as_str())),
    ]
    .into_iter()
    .filter_map(|(name, text)| text.map(|t| (name, t)))
    .collect();
    let shows = |text: &str| {
        d.postal_address.is_some_and(|a| text.contains(a))
            || (d.is_file() && (has_role(text, Role::Address) || reads_as_address(text)))
    };
    let missing: Vec<&str> = raw
        .iter()
        .filter(|(_, text)| !shows(text))
        .map(|(name, _)| *name)
        .collect();
    let part = match missing.as_slice() {
        [] => return Vec::new(),
        [one] => *one,
        _ => "text and HTML parts",
    };
    let what = d
        .postal_address
        .map_or("a postal address".to_string(), |a| format!("{a:?}"));
    vec![
        Finding::new(
            &POSTAL_ADDRESS_MISSING,
            format!("{what} is not in the {part}"),
        )
        .in_part(part),
    ]
}

/// Whether a text holds something that reads as a postal address: a street and number, a
/// PO box, or a postcode as the US, the UK and the Netherlands write them.
fn reads_as_address(text: &str) -> bool {
    ADDRESS.iter().any(|re| re.is_match(text))
}

static ADDRESS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"\b\d+[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s+){1,4}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Way|Court|Ct\.?|Place|Pl\.?|Square|Sq\.?|Terrace|Parkway|Highway)\b",
        r"(?i)\bP\.?\s?O\.?\s+Box\s+\d+",
        r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",
        r"\b\d{4}\s?[A-Z]{2}\b",
        r"(?i)\b[\p{L}-]+(?:straat|weg|laan|plein|gracht|kade|singel|dijk|markt|steeg|hof|dreef)\s+\d+",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});
