//! A small scanner over email HTML: the visible text, the links with their text, the images
//! with their alt text and size, the smallest type, what is kept in the message but not
//! shown, and text too faint to read on its background. Enough for the checks; email HTML is
//! tables, paragraphs and anchors.

mod markup;
mod scanner;

pub use markup::{contains_css, decode_entities, font_size_px};

/// One `<a href>` with the text it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// One `<img>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub src: String,
    /// The `alt` attribute; `None` when there is none.
    pub alt: Option<String>,
    /// Whether it has both `width` and `height` attributes (Outlook ignores CSS sizes).
    pub sized: bool,
    /// What its alt text would look like when images are blocked: the colour in force (the
    /// image's own, the one around it, a link's blue) on the background beneath, and their
    /// contrast; `None` when a colour cannot be told.
    pub alt_shown: Option<Contrast>,
}

/// Text kept in the message but not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// How it is hidden: `display:none`, the hidden attribute, text the colour of its
    /// background.
    pub how: String,
    /// What it says, whitespace squeezed.
    pub text: String,
}

/// A colour of text on its background.
#[derive(Debug, Clone, PartialEq)]
pub struct Contrast {
    pub colour: String,
    pub background: String,
    /// WCAG contrast ratio, 1 to 21.
    pub ratio: f64,
    /// Large text (24 px, or 18.66 px bold), for which WCAG asks 3:1 instead of 4.5:1.
    pub large: bool,
    /// A link's text.
    pub link: bool,
    /// The first text seen in these colours.
    pub sample: String,
}

/// What the checks need to know about an HTML part.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlFacts {
    /// Visible text, one line per block element.
    pub text: String,
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    /// `<meta name=…>` names.
    pub meta_names: Vec<String>,
    /// Text that is in the message and not shown: hidden by a style or the `hidden` attribute,
    /// or in (nearly) the colour of its background. The preheader is not among it.
    pub hidden: Vec<Hidden>,
    /// Hidden text before the first visible text, short enough to be a preview: what inboxes
    /// show beside the subject. Shown there, it hides nothing.
    pub preheader: Option<String>,
    /// Each pair of text colour and background under the contrast WCAG asks, once.
    pub low_contrast: Vec<Contrast>,
    /// The smallest font size, in pixels, that shown text is set in; `None` when no shown
    /// text sets one.
    pub smallest_px: Option<f64>,
}

/// Scan an HTML document.
pub fn scan(html: &str) -> HtmlFacts {
    scanner::Scanner::run(html)
}

#[cfg(test)]
mod tests;
