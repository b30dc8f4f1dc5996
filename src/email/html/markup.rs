//! Reading markup: a tag's end, its attributes, an inline style's declarations, colours and
//! font size, and entities.

use crate::email::colour::Rgb;

/// The colour of the first of these properties an inline style sets.
pub fn css_colour(style: &str, properties: &[&str]) -> Option<Rgb> {
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

/// The end of a tag, skipping `>` inside quoted attribute values.
pub fn find_tag_end(tag: &str) -> Option<usize> {
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

pub fn attributes(tag: &str) -> Vec<(String, String)> {
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

pub fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
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

/// Whether a style (white space removed) declares `rule` (`display:none`), not a longer value
/// that starts the same (`font-size:0.9em` is not `font-size:0`).
pub fn contains_css(style: &str, rule: &str) -> bool {
    style.split(';').any(|decl| {
        decl == rule
            || (decl.starts_with(rule)
                && !decl[rule.len()..].starts_with(|c: char| c.is_ascii_digit() || c == '.'))
    })
}

/// The font size a style sets, in pixels (points converted).
pub fn font_size_px(style: &str) -> Option<f64> {
    let squashed: String = style.chars().filter(|c| !c.is_whitespace()).collect();
    let value = squashed
        .split(';')
        .find_map(|d| d.strip_prefix("font-size:"))?;
    if let Some(px) = value.strip_suffix("px") {
        px.parse().ok()
    } else if let Some(pt) = value.strip_suffix("pt") {
        pt.parse::<f64>().ok().map(|pt| pt * 4.0 / 3.0)
    } else {
        None
    }
}
