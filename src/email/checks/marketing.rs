//! What the law asks of marketing mail (CAN-SPAM, RFC 8058): a way out and a postal address
//! in each part. A breach notice is security information and exempt.

use super::{Finding, POSTAL_ADDRESS_MISSING, UNSUBSCRIBE_MISSING, View};

/// `unsubscribe-missing`: no visible Unsubscribe link to the unsubscribe page in the HTML, or
/// the page's address missing from the text part.
pub fn unsubscribe_missing(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if d.breach {
        return Vec::new();
    }
    let mut found = Vec::new();
    // The link must say unsubscribe and go there: a help page labelled "Unsubscribe" is not a
    // way out.
    let has_link = d.html.links.iter().any(|l| {
        l.href == d.unsubscribe_url
            && view
                .v
                .unsubscribe
                .iter()
                .any(|w| l.text.to_lowercase().contains(w))
    });
    if !has_link {
        found.push(Finding::new(
            &UNSUBSCRIBE_MISSING,
            format!("no visible link to {} in the HTML part", d.unsubscribe_url),
        ));
    }
    if !d.text.contains(d.unsubscribe_url) {
        found.push(Finding::new(
            &UNSUBSCRIBE_MISSING,
            format!("{} is not in the text part", d.unsubscribe_url),
        ));
    }
    found
}

/// `postal-address-missing`: the brand's postal address is not in a part.
pub fn postal_address_missing(view: &View<'_>) -> Vec<Finding> {
    let address = view.d.postal_address;
    if view.d.breach {
        return Vec::new();
    }
    view.lacking(|text| text.contains(address))
        .map(|part| {
            Finding::new(
                &POSTAL_ADDRESS_MISSING,
                format!("{address:?} is not in the {part}"),
            )
        })
        .into_iter()
        .collect()
}
