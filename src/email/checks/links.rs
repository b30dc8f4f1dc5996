//! Where the email takes its reader: links that show where they go, no shorteners, and the
//! brand's own domains. An address written out in either part counts too: mail clients turn
//! it into a link.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    Draft, Finding, LINK_FOREIGN_DOMAIN, LINK_SHORTENER, LINK_TEXT_MISMATCH, LINKS_DIFFER, View,
};

/// Somewhere a reader can be taken: an anchor's href with its text, or an address written
/// out in the text.
pub struct Target {
    pub url: String,
    /// What the anchor shows; empty for an address written out.
    pub text: String,
}

/// Every link target of the email, each address once: the anchors first.
pub fn targets(d: &Draft<'_>) -> Vec<Target> {
    let mut targets: Vec<Target> = d
        .html
        .iter()
        .flat_map(|h| &h.links)
        .map(|l| Target {
            url: l.href.clone(),
            text: l.text.clone(),
        })
        .collect();
    let html_text = d.html.map(|h| h.text.as_str());
    for place in [d.subject, d.text, html_text].into_iter().flatten() {
        for url in written_out(place) {
            if !targets.iter().any(|t| t.url == url) {
                targets.push(Target {
                    url,
                    text: String::new(),
                });
            }
        }
    }
    targets
}

/// The addresses written out in a text, as mail clients link them.
fn written_out(text: &str) -> Vec<String> {
    BARE_URL
        .find_iter(text)
        .map(|found| {
            found
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?'])
                .to_string()
        })
        .collect()
}

/// `link-text-mismatch`: an anchor that shows one address and goes to another.
pub fn text_mismatch(view: &View<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    for link in view.d.html.iter().flat_map(|h| &h.links) {
        if domain_of(&link.href).is_some_and(|d| is_click_tracker(&d)) {
            continue;
        }
        let text = link.text.trim();
        let looks_like_address = !text.contains(' ') && text.contains('.') && text.len() > 3;
        if !looks_like_address {
            continue;
        }
        let mismatch = match (domain_of(text), domain_of(&link.href)) {
            (Some(shown), Some(actual)) => !same_site(&shown, &actual),
            (Some(_), None) => true,
            _ => false,
        };
        let downgraded = text.starts_with("https://") && link.href.starts_with("http://");
        if mismatch || downgraded {
            found.push(Finding::new(
                &LINK_TEXT_MISMATCH,
                format!("the link text {text:?} points to {}", link.href),
            ));
        }
    }
    found
}

/// `link-shortener`: a target on a URL shortener.
pub fn shortener(view: &View<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    for target in &view.targets {
        let Some(domain) = domain_of(&target.url) else {
            continue;
        };
        let short = SHORTENERS
            .iter()
            .any(|short| domain == *short || domain.ends_with(&format!(".{short}")));
        if short {
            found.push(Finding::new(
                &LINK_SHORTENER,
                format!("{} uses the shortener {domain}", target.url),
            ));
        }
    }
    found
}

/// `link-foreign-domain`: a target away from the brand's domains.
pub fn foreign_domain(view: &View<'_>) -> Vec<Finding> {
    let own = &view.d.own_domains;
    if own.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for target in &view.targets {
        let Some(domain) = domain_of(&target.url) else {
            continue;
        };
        if !own.iter().any(|d| same_site(&domain, d)) && !is_click_tracker(&domain) {
            found.push(Finding::new(
                &LINK_FOREIGN_DOMAIN,
                format!("{} is not on {}", target.url, own.join(", ")),
            ));
        }
    }
    found
}

/// `links-differ`: the places one part links to and the other does not, when the draft has
/// both. Link targets are compared by host and path, so that the tracking parameters an ESP
/// adds to each part's links do not count.
pub fn parts_differ(view: &View<'_>) -> Vec<Finding> {
    let (Some(text), Some(html)) = (view.d.text, view.d.html) else {
        return Vec::new();
    };
    let mut in_html: Vec<String> = html
        .links
        .iter()
        .map(|l| l.href.clone())
        .chain(written_out(&html.text))
        .filter_map(|url| link_place(&url))
        .collect();
    in_html.sort();
    in_html.dedup();
    let mut in_text: Vec<String> = written_out(text)
        .iter()
        .filter_map(|u| link_place(u))
        .collect();
    in_text.sort();
    in_text.dedup();
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|x| !b.contains(x))
            .take(3)
            .cloned()
            .collect()
    };
    let mut found = Vec::new();
    for (part, missing) in [
        ("text part", only(&in_html, &in_text)),
        ("HTML part", only(&in_text, &in_html)),
    ] {
        if !missing.is_empty() {
            found.push(
                Finding::new(
                    &LINKS_DIFFER,
                    format!("the {part} does not link to {}", missing.join(", ")),
                )
                .in_part(part),
            );
        }
    }
    found
}

/// Where a link goes, as host and path without the query: `None` for what is not a web
/// address (mailto:, a merge tag).
fn link_place(url: &str) -> Option<String> {
    let lower = url.to_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    let host = domain_of(url)?;
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let path = rest
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .split_once('/')
        .map_or("", |(_, path)| path)
        .trim_end_matches('/');
    let host = host.trim_start_matches("www.");
    Some(if path.is_empty() {
        host.to_string()
    } else {
        format!("{host}/{path}")
    })
}

/// The host of a URL, lowercased: an http(s) URL, or an address without the scheme
/// (`www.example.com/x`, `bit.ly/x`) as people write them and mail clients link them.
pub fn domain_of(url: &str) -> Option<String> {
    let lower = url.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    if rest.contains("://") || rest.starts_with(['/', '#', '?']) || !rest.contains('.') {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.trim_end_matches('.').to_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Whether two hosts belong to the same site (the last two labels agree).
pub fn same_site(a: &str, b: &str) -> bool {
    let base = |h: &str| {
        let labels: Vec<&str> = h.trim_start_matches("www.").split('.').collect();
        labels[labels.len().saturating_sub(2)..].join(".")
    };
    base(a) == base(b)
}

/// The domains of the brand's own URLs and addresses.
pub fn own_domains(urls: &[&str], addresses: &[&str]) -> Vec<String> {
    let mut domains: Vec<String> = urls
        .iter()
        .filter_map(|u| domain_of(u))
        .chain(
            addresses
                .iter()
                .filter_map(|a| a.rsplit_once('@').map(|(_, d)| d.to_lowercase())),
        )
        .collect();
    domains.sort();
    domains.dedup();
    domains
}

/// An address written out in text: with a scheme, starting with `www.`, or a domain name
/// followed by a path (`bit.ly/x`), which is what mail clients turn into links.
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"'()\[\]]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>"'()\[\]]*"#)
        .unwrap_or_else(|e| unreachable!("a literal pattern: {e}"))
});

/// Whether a host is an ESP's click-tracking redirect, which wraps every link of a sent
/// message: the link's real target is behind it, so it is neither a mismatch nor foreign.
/// Mailchimp redirects through its list-manage.com servers ("About Click Tracking",
/// kb.mailchimp.com/reports/about-click-tracking); Klaviyo's shared tracking domain is
/// klclick.com (community.klaviyo.com, "Why do my campaign URLs say trk.klclick.com");
/// SendGrid's is sendgrid.net ("Click Tracking & HTML Best Practices", docs.sendgrid.com).
pub fn is_click_tracker(host: &str) -> bool {
    [
        "list-manage.com",
        "klclick.com",
        "klclick1.com",
        "klclick2.com",
        "klclick3.com",
        "sendgrid.net",
    ]
    .iter()
    .any(|t| host == *t || host.ends_with(&format!(".{t}")))
}

/// URL shorteners, from SpamAssassin's `25_url_shortener.cf` and common use.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "tiny.cc",
    "rb.gy",
    "lnkd.in",
    "t.ly",
    "v.gd",
    "s.id",
    "bl.ink",
    "short.io",
    "tr.im",
];
