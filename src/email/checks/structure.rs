//! What the message is made of: rendered merge tags, a plain-text part, the branded layout,
//! nothing hidden, and text rather than pictures of text.

use std::sync::LazyLock;

use regex::Regex;

use super::words::{contains_css, unquoted};
use super::{
    Finding, HIDDEN_TEXT, IMAGE_ONLY, MERGE_TAG, TEMPLATE_NOT_BRANDED, TEXT_PART_MISSING, View,
};

/// `merge-tag`: a tag left unrendered in the subject, either part or a link target.
pub fn merge_tag(view: &View<'_>) -> Vec<Finding> {
    let d = view.d;
    let hrefs: Vec<&str> = d.html.links.iter().map(|l| l.href.as_str()).collect();
    // A tag in quotation marks is described ("the greeting read “Hi *|FNAME|*”"), not left
    // unrendered; a link target is never a quotation.
    let places = [
        unquoted(d.subject),
        unquoted(d.text),
        unquoted(&d.html.text),
        hrefs.join("\n"),
    ];
    let mut tags: Vec<String> = places.iter().flat_map(|p| merge_tags(p)).collect();
    tags.sort();
    tags.dedup();
    if tags.is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        &MERGE_TAG,
        format!("unrendered: {}", tags.join(", ")),
    )]
}

/// `text-part-missing`: an empty plain-text part.
pub fn text_part_missing(view: &View<'_>) -> Vec<Finding> {
    if !view.d.text.trim().is_empty() {
        return Vec::new();
    }
    vec![Finding::new(
        &TEXT_PART_MISSING,
        "the plain-text part is empty".into(),
    )]
}

/// `template-not-branded`: HTML without the branded base layout's marker.
pub fn not_branded(view: &View<'_>) -> Vec<Finding> {
    if view
        .d
        .html
        .meta_names
        .iter()
        .any(|m| m == "x-incident-layout")
    {
        return Vec::new();
    }
    vec![Finding::new(
        &TEMPLATE_NOT_BRANDED,
        "the HTML has no branded-base layout marker".into(),
    )]
}

/// Styles that hide what they hold.
const HIDING: [&str; 5] = [
    "display:none",
    "visibility:hidden",
    "font-size:0",
    "max-height:0",
    "opacity:0",
];

/// `hidden-text`: the first hiding style, and the first hidden markup.
pub fn hidden_text(view: &View<'_>) -> Vec<Finding> {
    let html = view.d.html;
    let mut found = Vec::new();
    let hiding = html.styles.iter().find_map(|style| {
        let squashed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        HIDING.iter().find(|h| contains_css(&squashed, h))
    });
    if let Some(h) = hiding {
        found.push(Finding::new(
            &HIDDEN_TEXT,
            format!("a style hides text: {h}"),
        ));
    }
    if let Some(markup) = html.hidden.first() {
        found.push(Finding::new(&HIDDEN_TEXT, format!("hidden: {markup}")));
    }
    found
}

/// `image-only`: images with almost no text beside them.
pub fn image_only(view: &View<'_>) -> Vec<Finding> {
    let html = view.d.html;
    let letters = html.text.chars().filter(|c| c.is_alphanumeric()).count();
    if html.images == 0 || letters >= 200 {
        return Vec::new();
    }
    vec![Finding::new(
        &IMAGE_ONLY,
        format!("{} image(s) and almost no text", html.images),
    )]
}

static MERGE_TAGS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"<\s*[A-Za-z][A-Za-z0-9_.-]*\s*>",
        r"\{\{[^}]*\}\}",
        r"\{%[^%]*%\}",
        r"\*\|[A-Za-z0-9_:]+\|\*",
        r"%%[A-Za-z0-9_ .:-]+%%",
        r"\[\[[^\]]*\]\]",
        r"\$\{[A-Za-z0-9_.]+\}",
        r"\[\s*(?i:first|last|full|user|customer|company)?\s*(?i:name)\s*\]",
        r"\[(?:[A-Z][a-z]+ ?){1,3}\]",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// The merge tags of every common ESP's syntax in `text`, each once, sorted.
pub fn merge_tags(text: &str) -> Vec<String> {
    let mut found: Vec<String> = MERGE_TAGS
        .iter()
        .flat_map(|re| re.find_iter(text).map(|m| m.as_str().to_string()))
        .collect();
    found.sort();
    found.dedup();
    found
}
