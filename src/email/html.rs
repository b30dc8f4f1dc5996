//! A small scanner over email HTML: the visible text, the links with their text, the images
//! and inline styles. Enough for the checks; email HTML is tables, paragraphs and anchors.

use super::colour::Rgb;

/// One `<a href>` with the text it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub text: String,
}

/// What the checks need to know about an HTML part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlFacts {
    /// Visible text, one line per block element.
    pub text: String,
    pub links: Vec<Link>,
    pub images: usize,
    /// Every inline `style` attribute, lowercased.
    pub styles: Vec<String>,
    /// `<meta name=…>` names.
    pub meta_names: Vec<String>,
    /// Markup that hides what it holds from the reader while keeping it in the message: the
    /// `hidden` attribute, text in (nearly) the colour of its background.
    pub hidden: Vec<String>,
}

/// Elements whose content is not shown.
const HIDDEN: [&str; 4] = ["head", "style", "script", "title"];
/// Elements that start a new line of visible text.
const BLOCKS: [&str; 10] = [
    "p", "br", "div", "tr", "li", "h1", "h2", "h3", "table", "ul",
];

/// Elements that have no closing tag.
const VOID: [&str; 11] = [
    "area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr",
];

/// What mail clients show under everything: white.
const PAGE: Rgb = Rgb(255, 255, 255);

/// Scan an HTML document.
pub fn scan(html: &str) -> HtmlFacts {
    let mut scanner = Scanner::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        scanner.text(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = find_tag_end(rest) else {
            break;
        };
        scanner.tag(&rest[1..gt]);
        rest = &rest[gt + 1..];
    }
    scanner.text(rest);
    let mut facts = scanner.facts;
    facts.text = facts
        .text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    facts
}

/// The state of a scan: what was found, and where in the document it is.
#[derive(Default)]
struct Scanner {
    facts: HtmlFacts,
    /// How many hidden elements (`head`, `style`, …) the scan is inside.
    hidden_depth: usize,
    /// The open elements with the background each sets, to know what a text colour sits on:
    /// `None` sets none, `Some(None)` one this reader cannot tell (a name, an image).
    open: Vec<(String, Option<Option<Rgb>>)>,
    open_link: Option<Link>,
}

impl Scanner {
    /// Text between tags, shown unless inside a hidden element.
    fn text(&mut self, raw: &str) {
        if self.hidden_depth > 0 {
            return;
        }
        let text = decode_entities(raw);
        push_text(&mut self.facts.text, &text);
        if let Some(link) = self.open_link.as_mut() {
            link.text.push_str(&text);
        }
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
        if HIDDEN.contains(&name.as_str()) {
            if closing {
                self.hidden_depth = self.hidden_depth.saturating_sub(1);
            } else {
                self.hidden_depth += 1;
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
        if let Some(at) = self.open.iter().rposition(|(n, _)| n == name) {
            self.open.truncate(at);
        }
        if name == "a"
            && let Some(mut link) = self.open_link.take()
        {
            link.text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
            self.facts.links.push(link);
        }
    }

    fn open(&mut self, name: &str, body: &str, self_closing: bool) {
        let attributes = attributes(body);
        let style = attribute(&attributes, "style").map(|s| s.to_ascii_lowercase());
        if let Some(style) = &style {
            self.facts.styles.push(style.clone());
        }
        if attributes.iter().any(|(n, _)| n == "hidden") {
            self.facts
                .hidden
                .push(format!("a <{name}> with the hidden attribute"));
        }
        let background = background(style.as_deref(), &attributes);
        let beneath = background
            .or_else(|| self.open.iter().rev().find_map(|(_, bg)| *bg))
            .unwrap_or(Some(PAGE));
        // Only text meant not to be seen (white on white, #fefefe on #fff) is flagged: a light
        // brand colour is poor contrast, not deception.
        if let (Some(colour), Some(beneath)) = (
            style.as_deref().and_then(|s| css_colour(s, &["color"])),
            beneath,
        ) && colour.contrast(beneath) < 1.1
        {
            self.facts.hidden.push(format!(
                "<{name}> text in {colour} on a {beneath} background"
            ));
        }
        if !VOID.contains(&name) && !self_closing {
            self.open.push((name.to_string(), background));
        }
        match name {
            "a" => {
                if let Some(href) = attribute(&attributes, "href") {
                    self.open_link = Some(Link {
                        href,
                        text: String::new(),
                    });
                }
            }
            "img" => self.facts.images += 1,
            "meta" => {
                if let Some(meta) = attribute(&attributes, "name") {
                    self.facts.meta_names.push(meta);
                }
            }
            _ => {}
        }
    }
}

/// The background an element sets: `None` when it sets none, `Some(None)` when it sets one
/// this reader cannot tell (a colour name, an image).
fn background(style: Option<&str>, attributes: &[(String, String)]) -> Option<Option<Rgb>> {
    let declared = style.is_some_and(|s| {
        s.split(';').any(|d| {
            d.split_once(':').is_some_and(|(p, _)| {
                matches!(
                    p.trim(),
                    "background" | "background-color" | "background-image"
                )
            })
        })
    }) || attribute(attributes, "bgcolor").is_some();
    declared.then(|| {
        style
            .and_then(|s| css_colour(s, &["background-color", "background"]))
            .or_else(|| attribute(attributes, "bgcolor").and_then(|c| Rgb::parse(&c)))
    })
}

/// The colour of the first of these properties an inline style sets.
fn css_colour(style: &str, properties: &[&str]) -> Option<Rgb> {
    style.split(';').find_map(|declaration| {
        let (property, value) = declaration.split_once(':')?;
        if !properties.contains(&property.trim()) {
            return None;
        }
        // `background: #fff url(…)`: the colour is one of the words.
        value
            .split_whitespace()
            .find_map(Rgb::parse)
            .or_else(|| Rgb::parse(value))
    })
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(text);
}

/// The end of a tag, skipping `>` inside quoted attribute values.
fn find_tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, ch) in tag.char_indices().skip(1) {
        match (quote, ch) {
            (None, '"' | '\'') => quote = Some(ch),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining;
            decode_entities(value)
        } else {
            String::new()
        };
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Decode the entities Tera's escaping and hand-written email HTML produce.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // An entity is short: look for its `;` within the next dozen characters.
        let Some(semi) = rest
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(at, _)| at)
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "middot" => Some('·'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(ch) => {
                out.push(ch);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_visible_text_links_images_and_styles() {
        let html = r#"<html><head><title>Hidden title</title><style>p{color:red}</style>
            <meta name="x-incident-layout" content="branded-base"></head>
            <body><p style="Font-Size:12px">We&#x27;re sorry &amp; <b>plain</b>.</p>
            <!-- a comment with <a href="x">no link</a> -->
            <p>Go to <a href="https://example.com/a?b=1&amp;c=2" title="a > b">example.com</a></p>
            <img src="logo.png" alt="logo"></body></html>"#;
        let facts = scan(html);
        assert_eq!(facts.text, "We're sorry & plain.\nGo to example.com");
        assert_eq!(
            facts.links,
            [Link {
                href: "https://example.com/a?b=1&c=2".into(),
                text: "example.com".into()
            }]
        );
        assert_eq!(facts.images, 1);
        assert_eq!(facts.styles, ["font-size:12px"]);
        assert_eq!(facts.meta_names, ["x-incident-layout"]);
        assert!(facts.hidden.is_empty());
    }

    #[test]
    fn finds_text_the_reader_cannot_see() {
        let visible = r##"<table><tr><td style="background-color:#1f3a5f"><a style="color:#ffffff">Shop</a></td></tr></table><p style="color:#1a1a1a">Hi</p>"##;
        assert_eq!(scan(visible).hidden, Vec::<String>::new());
        for (html, what) in [
            (r##"<p style="color:#fff">x</p>"##, "#ffffff on a #ffffff"),
            (
                r##"<td bgcolor="#000000"><br><span style="color: rgb(0, 0, 0)">x</span></td>"##,
                "#000000 on a #000000",
            ),
            (
                r##"<div style="background:#fefefe url(x.png)"><p style="color:white">x</p></div>"##,
                "#ffffff on a #fefefe",
            ),
            (r##"<p hidden>x</p>"##, "hidden attribute"),
        ] {
            let hidden = scan(html).hidden;
            assert!(
                hidden.iter().any(|h| h.contains(what)),
                "{html}: {hidden:?}"
            );
        }
        // Once the dark cell is closed, white text is on white again.
        let after = r##"<td style="background-color:#000"></td><p style="color:#fff">x</p>"##;
        assert_eq!(scan(after).hidden.len(), 1);
    }

    #[test]
    fn a_light_brand_colour_or_an_unknown_background_is_not_hiding() {
        for html in [
            // Yellow links on white: poor contrast, not deception.
            r##"<p><a style="color:#ffd200" href="https://example.com">Help</a></p>"##,
            // White on a background this reader cannot tell.
            r##"<td style="background:red"><p style="color:#fff">x</p></td>"##,
            r##"<td style="background-image:url(hero.jpg)"><p style="color:#fff">x</p></td>"##,
            r##"<td bgcolor="navy"><p style="color:#fff">x</p></td>"##,
        ] {
            assert_eq!(scan(html).hidden, Vec::<String>::new(), "{html}");
        }
    }

    #[test]
    fn entities_next_to_other_scripts_do_not_split_a_character() {
        assert_eq!(decode_entities("Q&A über café"), "Q&A über café");
        assert_eq!(decode_entities("&éééééééééé;"), "&éééééééééé;");
        assert_eq!(decode_entities("a &amp; b"), "a & b");
    }
}
