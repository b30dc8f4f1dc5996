//! What the HTML looks like to a reader: images that say what they show when they do not load
//! and that keep their place, and text in colours that can be read (WCAG 2.2, success
//! criterion 1.4.3: 4.5:1 for body text and links, 3:1 for large text).

use super::{CONTRAST_LOW, Finding, IMAGE_ALT, IMAGE_SIZE, View};

/// The contrast WCAG asks of text, by its size.
fn needed(large: bool) -> f64 {
    if large { 3.0 } else { 4.5 }
}

/// `image-alt`: an image without alt text, or with alt text that would not read on what is
/// behind it when images are blocked (a logo's name in link blue on a navy header).
pub fn alt(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for image in &html.images {
        let message = match (&image.alt, &image.alt_shown) {
            (None, _) => format!("{} has no alt attribute", shown_src(&image.src)),
            (Some(alt), Some(shown))
                if !alt.trim().is_empty() && shown.ratio < needed(shown.large) =>
            {
                format!(
                    "the alt text {alt:?} of {} would show in {} on {} ({:.2}:1) when images are blocked",
                    shown_src(&image.src),
                    shown.colour,
                    shown.background,
                    shown.ratio
                )
            }
            _ => continue,
        };
        found.push(Finding::new(&IMAGE_ALT, message).in_part("HTML part"));
    }
    found
}

/// `image-size`: images without width and height attributes, named in one finding.
pub fn size(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    let no_size: Vec<String> = html
        .images
        .iter()
        .filter(|i| !i.sized)
        .map(|i| shown_src(&i.src))
        .collect();
    if no_size.is_empty() {
        return Vec::new();
    }
    vec![
        Finding::new(
            &IMAGE_SIZE,
            format!(
                "without width and height attributes: {}",
                no_size.join(", ")
            ),
        )
        .in_part("HTML part"),
    ]
}

/// `contrast-low`: each pair of text colour and background under the contrast WCAG asks.
pub fn contrast(view: &View<'_>) -> Vec<Finding> {
    let Some(html) = view.d.html else {
        return Vec::new();
    };
    html.low_contrast
        .iter()
        .map(|c| {
            let what = if c.link { "link text" } else { "text" };
            Finding::new(
                &CONTRAST_LOW,
                format!(
                    "{what} in {} on {} has a contrast of {:.2}:1, under {}:1: {:?}",
                    c.colour,
                    c.background,
                    c.ratio,
                    needed(c.large),
                    c.sample
                ),
            )
            .in_part("HTML part")
        })
        .collect()
}

/// An image's source as a message names it: a long data URL or path shortened.
fn shown_src(src: &str) -> String {
    let short: String = src.chars().take(80).collect();
    if short.chars().count() < src.chars().count() {
        format!("the image {short}…")
    } else {
        format!("the image {short}")
    }
}
