//! The scan itself: a walk over tags and text that keeps the open elements with what each sets
//! for the text inside it — background, colour, size, weight, whether it hides — so that each
//! piece of text is judged in the colours it is shown in.

use super::markup::{
    attribute, attributes, contains_css, css_colour, decode_entities, find_tag_end, font_size_px,
};
use super::{Contrast, Hidden, HtmlFacts, Image, Link};
use crate::email::colour::Rgb;

/// Elements whose content is not shown.
const UNSHOWN: [&str; 4] = ["head", "style", "script", "title"];
/// Elements that start a new line of visible text.
const BLOCKS: [&str; 10] = [
    "p", "br", "div", "tr", "li", "h1", "h2", "h3", "table", "ul",
];
/// Elements that have no closing tag.
const VOID: [&str; 11] = [
    "area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr",
];
/// Styles that hide what they hold. `font-size:0` hides only the text that keeps that size
/// (email layouts set it on cells to close gaps, and the text inside sets its own), and
/// `max-height:0` only with `overflow:hidden`: both are judged where the text is.
const HIDING: [&str; 3] = ["display:none", "visibility:hidden", "opacity:0"];

/// What mail clients show under everything, and the colours they give text and links that
/// set none.
const PAGE: Rgb = Rgb(255, 255, 255);
const TEXT: Rgb = Rgb(0, 0, 0);
const LINK: Rgb = Rgb(0, 0, 0xee);

/// Under this contrast, text is not meant to be seen (white on white, #fefefe on #fff).
const INVISIBLE: f64 = 1.1;
/// The most a preheader holds; longer hidden text is more than a preview.
const PREHEADER_MAX: usize = 250;

/// A colour an element sets: `None` sets none, `Some(None)` one this reader cannot tell (a
/// name it does not know, an image).
type Sets = Option<Option<Rgb>>;

/// One open element and what it sets for the text inside it.
struct Open {
    name: String,
    background: Sets,
    colour: Sets,
    font_px: Option<f64>,
    bold: bool,
    link: bool,
}

/// The state of a scan: what was found, and where in the document it is.
#[derive(Default)]
pub struct Scanner {
    facts: HtmlFacts,
    /// How many unshown elements (`head`, `style`, …) the scan is inside.
    unshown: usize,
    open: Vec<Open>,
    /// The element that hides what the scan is in (its depth in `open`), with its record.
    hiding: Option<(usize, Hidden)>,
    /// Hidden text seen before any visible text: the preheader, if it stays short.
    preview: Option<Hidden>,
    /// Text set in a size of 0 since the last shown text.
    zero: Option<Hidden>,
    open_link: Option<Link>,
    seen_text: bool,
}

impl Scanner {
    /// Scan a document.
    pub fn run(html: &str) -> HtmlFacts {
        let mut scanner = Scanner::default();
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            scanner.text(&rest[..lt]);
            rest = &rest[lt..];
            if rest.starts_with("<!--") {
                rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
                continue;
            }
            // An ESP's `<%…%>` tag (SendGrid's unsubscribe groups) is text, not markup.
            if rest.starts_with("<%")
                && let Some(end) = rest.find("%>")
            {
                scanner.text(&rest[..end + 2]);
                rest = &rest[end + 2..];
                continue;
            }
            let Some(gt) = find_tag_end(rest) else {
                break;
            };
            scanner.tag(&rest[1..gt]);
            rest = &rest[gt + 1..];
        }
        scanner.text(rest);
        scanner.finish()
    }

    fn finish(mut self) -> HtmlFacts {
        if let Some((_, hidden)) = self.hiding.take() {
            self.keep_hidden(hidden);
        }
        if let Some(zero) = self.zero.take() {
            self.keep_hidden(zero);
        }
        let mut facts = self.facts;
        facts.text = squeeze_lines(&facts.text);
        if let Some(preview) = self.preview {
            if preview.text.chars().count() <= PREHEADER_MAX {
                facts.preheader = Some(preview.text);
            } else {
                facts.hidden.insert(0, preview);
            }
        }
        facts
    }

    /// Text between tags, shown unless inside an unshown or a hiding element.
    fn text(&mut self, raw: &str) {
        if self.unshown > 0 {
            return;
        }
        let text = decode_entities(raw);
        if let Some((_, hidden)) = self.hiding.as_mut() {
            hidden.text.push_str(&text);
            return;
        }
        let font = self.open.iter().rev().find_map(|o| o.font_px);
        if font == Some(0.0) {
            self.zero
                .get_or_insert_with(|| Hidden {
                    how: "font-size:0".into(),
                    text: String::new(),
                })
                .text
                .push_str(&text);
            return;
        }
        if !text.trim().is_empty()
            && let Some(zero) = self.zero.take()
        {
            self.keep_hidden(zero);
        }
        if let Some(link) = self.open_link.as_mut() {
            link.text.push_str(&text);
        }
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            self.facts.text.push_str(&text);
            return;
        }
        // Text the colour of what is behind it is kept from the reader, not shown.
        if let Some(shown) = self.shown(None).filter(|s| s.ratio < INVISIBLE) {
            self.facts.hidden.push(Hidden {
                how: format!(
                    "text in {} on a {} background",
                    shown.colour, shown.background
                ),
                text: words,
            });
            return;
        }
        self.facts.text.push_str(&text);
        self.seen_text = true;
        self.judge_colours(&words);
        if let Some(px) = self.open.iter().rev().find_map(|o| o.font_px) {
            let smallest = self.facts.smallest_px.get_or_insert(px);
            *smallest = smallest.min(px);
        }
    }

    /// Shown text in the colours it is shown in: too faint to read comfortably.
    fn judge_colours(&mut self, words: &str) {
        let Some(shown) = self.shown(None) else {
            return;
        };
        let needed = if shown.large { 3.0 } else { 4.5 };
        let known = self
            .facts
            .low_contrast
            .iter()
            .any(|c| c.colour == shown.colour && c.background == shown.background);
        if shown.ratio < needed && !known {
            self.facts.low_contrast.push(Contrast {
                sample: words.chars().take(60).collect(),
                ..shown
            });
        }
    }

    /// The colours text is shown in here (with `own`, the colour an element sets itself):
    /// `None` when one of them cannot be told.
    fn shown(&self, own: Sets) -> Option<Contrast> {
        let inner = |get: fn(&Open) -> Sets| self.open.iter().rev().find_map(get);
        let link = self.open.iter().any(|o| o.link);
        let colour = match own.or_else(|| inner(|o| o.colour)) {
            Some(colour) => colour?,
            None if link => LINK,
            None => TEXT,
        };
        let background = inner(|o| o.background).unwrap_or(Some(PAGE))?;
        let font = self
            .open
            .iter()
            .rev()
            .find_map(|o| o.font_px)
            .unwrap_or(16.0);
        let bold = self.open.iter().any(|o| o.bold);
        Some(Contrast {
            colour: colour.to_string(),
            background: background.to_string(),
            ratio: colour.contrast(background),
            large: font >= 24.0 || (bold && font >= 18.66),
            link,
            sample: String::new(),
        })
    }

    /// One tag, `<…>` without its brackets.
    fn tag(&mut self, tag: &str) {
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/').trim_end_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        if UNSHOWN.contains(&name.as_str()) {
            if closing {
                self.unshown = self.unshown.saturating_sub(1);
            } else {
                self.unshown += 1;
            }
        }
        let text = &mut self.facts.text;
        if BLOCKS.contains(&name.as_str()) && !text.ends_with('\n') && !text.is_empty() {
            text.push('\n');
        }
        if closing {
            self.close(&name);
        } else {
            self.open(&name, body, tag.ends_with('/'));
        }
    }

    fn close(&mut self, name: &str) {
        if let Some(at) = self.open.iter().rposition(|o| o.name == name) {
            self.open.truncate(at);
        }
        if self
            .hiding
            .as_ref()
            .is_some_and(|(depth, _)| *depth >= self.open.len())
            && let Some((_, hidden)) = self.hiding.take()
        {
            self.keep_hidden(hidden);
        }
        if name == "a"
            && let Some(mut link) = self.open_link.take()
        {
            link.text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.facts.links.push(link);
        }
    }

    /// A hidden element closed: hidden text, or the preheader if no text was shown before it.
    fn keep_hidden(&mut self, mut hidden: Hidden) {
        hidden.text = hidden.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if hidden.text.is_empty() {
            return;
        }
        if !self.seen_text && self.preview.is_none() {
            self.preview = Some(hidden);
        } else {
            self.facts.hidden.push(hidden);
        }
    }

    fn open(&mut self, name: &str, body: &str, self_closing: bool) {
        let attributes = attributes(body);
        let style = attribute(&attributes, "style").map(|s| s.to_ascii_lowercase());
        let squashed: String = style
            .as_deref()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let clipped =
            contains_css(&squashed, "max-height:0") && squashed.contains("overflow:hidden");
        let hides = HIDING
            .iter()
            .find(|h| contains_css(&squashed, h))
            .map(|h| h.to_string())
            .or_else(|| clipped.then(|| "max-height:0".to_string()))
            .or_else(|| {
                attributes
                    .iter()
                    .any(|(n, _)| n == "hidden")
                    .then(|| "the hidden attribute".to_string())
            });
        let colour = style
            .as_deref()
            .and_then(|s| declared_colour(s, &["color"]));
        match name {
            "a" => {
                if let Some(href) = attribute(&attributes, "href") {
                    self.open_link = Some(Link {
                        href,
                        text: String::new(),
                    });
                }
            }
            "img" => self.image(&attributes, colour),
            "meta" => {
                if let Some(meta) = attribute(&attributes, "name") {
                    self.facts.meta_names.push(meta);
                }
            }
            _ => {}
        }
        if VOID.contains(&name) || self_closing {
            return;
        }
        self.open.push(Open {
            name: name.to_string(),
            background: background(style.as_deref(), &attributes),
            colour,
            font_px: style
                .as_deref()
                .and_then(font_size_px)
                .or_else(|| heading_px(name)),
            bold: matches!(name, "b" | "strong" | "th" | "h1" | "h2" | "h3" | "h4")
                || squashed.contains("font-weight:bold")
                || squashed.contains("font-weight:700"),
            link: name == "a",
        });
        if let (Some(how), None) = (hides, &self.hiding) {
            self.hiding = Some((
                self.open.len() - 1,
                Hidden {
                    how,
                    text: String::new(),
                },
            ));
        }
    }

    fn image(&mut self, attributes: &[(String, String)], own_colour: Sets) {
        let has = |n: &str| attribute(attributes, n).is_some_and(|v| !v.trim().is_empty());
        self.facts.images.push(Image {
            src: attribute(attributes, "src").unwrap_or_default(),
            alt: attribute(attributes, "alt"),
            sized: has("width") && has("height"),
            alt_shown: self.shown(own_colour),
        });
    }
}

/// A colour a style declares, told or not: `Some(None)` for one this reader cannot tell.
fn declared_colour(style: &str, properties: &[&str]) -> Sets {
    let declares = style.split(';').any(|d| {
        d.split_once(':')
            .is_some_and(|(p, _)| properties.contains(&p.trim()))
    });
    declares.then(|| css_colour(style, properties))
}

/// The background an element sets.
fn background(style: Option<&str>, attributes: &[(String, String)]) -> Sets {
    let from_style = style.and_then(|s| {
        declared_colour(s, &["background-color", "background"])
            .or_else(|| s.contains("background-image").then_some(None))
    });
    from_style.or_else(|| attribute(attributes, "bgcolor").map(|c| Rgb::parse(&c)))
}

/// The size browsers give a heading.
fn heading_px(name: &str) -> Option<f64> {
    match name {
        "h1" => Some(32.0),
        "h2" => Some(24.0),
        "h3" => Some(18.72),
        _ => None,
    }
}

fn squeeze_lines(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
