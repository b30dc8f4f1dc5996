//! What the message is made of: no merge tag left unfilled, a plain-text part, the branded
//! layout, nothing hidden, and text rather than pictures of text.

use super::draft::{Format, Origin};
use super::words::unquoted;
use super::{
    Draft, Finding, HIDDEN_TEXT, IMAGE_ONLY, Level, MERGE_TAG, TEMPLATE_NOT_BRANDED,
    TEXT_PART_MISSING, View,
};
use crate::email::esp::{self, Role, Syntax, Tag};
use crate::email::html::HtmlFacts;

/// The merge tags a reader would meet: in the subject, the text part, and the HTML's shown,
/// previewed and hidden text — each outside quotations, since a quoted tag is described ("the
/// greeting read “Hi *|FNAME|*”"), not used — and in its link targets and image sources.
pub fn used_tags(subject: Option<&str>, text: Option<&str>, html: Option<&HtmlFacts>) -> Vec<Tag> {
    let mut places: Vec<String> = Vec::new();
    places.extend(subject.map(unquoted));
    places.extend(text.map(unquoted));
    if let Some(html) = html {
        places.push(unquoted(&html.text));
        places.extend(html.preheader.as_deref().map(unquoted));
        places.extend(html.hidden.iter().map(|h| unquoted(&h.text)));
        places.extend(html.links.iter().map(|l| l.href.clone()));
        places.extend(html.images.iter().map(|i| i.src.clone()));
    }
    let mut tags: Vec<Tag> = Vec::new();
    for place in &places {
        for tag in esp::tags(place) {
            match tags.iter_mut().find(|t| t.text == tag.text) {
                // A fallback given anywhere covers the tag's every use.
                Some(known) if tag.role == (Role::Personal { fallback: true }) => {
                    known.role = tag.role;
                }
                Some(_) => {}
                None => tags.push(tag),
            }
        }
    }
    tags
}

/// `merge-tag`: a tag that would go out as written — any tag in an email already rendered or
/// sent, and in a draft a placeholder, another tool's syntax or another ESP's; and, as a
/// warning, a recipient's value the ESP fills with no fallback, or in a syntax no ESP of the
/// draft's is known to fill.
pub fn merge_tag(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    let mut unrendered = Vec::new();
    let mut unfilled = Vec::new();
    for tag in d.tags {
        match judge(d, tag) {
            Some((Level::Error, why)) => unrendered.push(why),
            Some((Level::Warning, why)) => unfilled.push(why),
            None => {}
        }
    }
    let mut found = Vec::new();
    if !unrendered.is_empty() {
        found.push(Finding::new(
            &MERGE_TAG,
            format!("unrendered: {}", unrendered.join("; ")),
        ));
    }
    if !unfilled.is_empty() {
        found.push(Finding {
            level: Level::Warning,
            ..Finding::new(
                &MERGE_TAG,
                format!("filled at send time: {}", unfilled.join("; ")),
            )
        });
    }
    found
}

/// Whether a tag would go out as written (an error), may go out empty (a warning), or is
/// the ESP's to fill.
fn judge(d: &Draft<'_>, tag: &Tag) -> Option<(Level, String)> {
    let t = &tag.text;
    match d.origin {
        Origin::Rendered => return Some((Level::Error, t.clone())),
        Origin::File(Format::Eml) => {
            return Some((
                Level::Error,
                format!("{t} (the message as sent still shows it)"),
            ));
        }
        Origin::File(_) => {}
    }
    let personal = matches!(tag.role, Role::Personal { .. });
    match (tag.syntax, d.esp) {
        (Syntax::Placeholder, _) => {
            Some((Level::Error, format!("{t} (a placeholder no ESP fills)")))
        }
        (Syntax::Foreign, _) => Some((
            Level::Error,
            format!(
                "{t} ({} syntax, not Mailchimp's, Klaviyo's or SendGrid's)",
                tag.syntax_of()
            ),
        )),
        (_, Some(esp)) if !tag.is_syntax_of(esp) => Some((
            Level::Error,
            format!(
                "{t} ({} syntax: {} sends it as written)",
                tag.syntax_of(),
                esp.name()
            ),
        )),
        (Syntax::Dashes, Some(_)) if !d.api_body => Some((
            Level::Error,
            format!(
                "{t} (a substitution tag, which a SendGrid Marketing Campaigns design does not fill)"
            ),
        )),
        (_, Some(esp)) if tag.role == (Role::Personal { fallback: false }) => Some((
            Level::Warning,
            format!(
                "{t} by {} with no fallback in the draft: give it a default, or those without a value read a gap",
                esp.name()
            ),
        )),
        (_, None) if personal => Some((
            Level::Warning,
            format!(
                "{t} only if the ESP that sends it uses {} syntax",
                tag.syntax_of()
            ),
        )),
        _ => None,
    }
}

/// `text-part-missing`: an empty plain-text part, where the message should have one. A draft
/// file is one part by nature; a sent message with only HTML is not.
pub fn text_part_missing(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    if matches!(d.origin, Origin::File(Format::Html | Format::Txt)) {
        return Vec::new();
    }
    if d.text.is_some_and(|t| !t.trim().is_empty()) {
        return Vec::new();
    }
    vec![
        Finding::new(
            &TEXT_PART_MISSING,
            "the plain-text part is empty or missing".into(),
        )
        .in_part("text part"),
    ]
}

/// `template-not-branded`: HTML without the branded base layout's marker.
pub fn not_branded(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    if html.meta_names.iter().any(|m| m == "x-incident-layout") {
        return Vec::new();
    }
    vec![Finding::new(
        &TEMPLATE_NOT_BRANDED,
        "the HTML has no branded-base layout marker".into(),
    )]
}

/// `hidden-text`: each piece of text the HTML keeps from the reader (the preheader apart,
/// which inboxes show, and copies of what is shown), at most three.
pub fn hidden_text(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    // Hidden copy that repeats what is shown (a phone or desktop variant) hides nothing.
    let shown = squeeze(&html.text.to_lowercase());
    html.hidden
        .iter()
        .filter(|h| !shown.contains(&squeeze(&h.text.to_lowercase())))
        .take(3)
        .map(|hidden| {
            let text: String = hidden.text.chars().take(60).collect();
            let more = if hidden.text.chars().count() > 60 {
                "…"
            } else {
                ""
            };
            Finding::new(
                &HIDDEN_TEXT,
                format!("hidden by {}: {text:?}{more}", hidden.how),
            )
            .in_part("HTML part")
        })
        .collect()
}

/// A text's words, one space apart.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `image-only`: images with almost no text beside them.
pub fn image_only(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    let letters = html.text.chars().filter(|c| c.is_alphanumeric()).count();
    if html.images.is_empty() || letters >= 200 {
        return Vec::new();
    }
    vec![
        Finding::new(
            &IMAGE_ONLY,
            format!("{} image(s) and almost no text", html.images.len()),
        )
        .in_part("HTML part"),
    ]
}
