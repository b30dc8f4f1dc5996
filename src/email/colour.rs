//! Colours as mail clients paint them, and the WCAG contrast between two of them: whether
//! text can be read on its background (WCAG 2.2, success criterion 1.4.3: 4.5:1 for body
//! text, 3:1 for large text).

/// A colour, to tell whether text can be seen on its background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb`, `#rrggbb`, `rgb(r, g, b)`, or one of the sixteen basic colour names.
    pub fn parse(value: &str) -> Option<Rgb> {
        let value = value.trim().to_ascii_lowercase();
        if let Some(hex) = value.strip_prefix('#') {
            let digits: Vec<u8> = hex
                .chars()
                .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
                .collect::<Option<_>>()?;
            return match digits.as_slice() {
                [r, g, b] => Some(Rgb(r * 17, g * 17, b * 17)),
                [r1, r2, g1, g2, b1, b2] => Some(Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
                _ => None,
            };
        }
        if let Some(inner) = value.strip_prefix("rgb(").and_then(|v| v.strip_suffix(')')) {
            let parts: Vec<u8> = inner
                .split(',')
                .map(|p| p.trim().parse().ok())
                .collect::<Option<_>>()?;
            return match parts.as_slice() {
                [r, g, b] => Some(Rgb(*r, *g, *b)),
                _ => None,
            };
        }
        NAMED
            .iter()
            .find(|(name, _)| *name == value)
            .map(|(_, rgb)| *rgb)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG contrast ratio, 1 (none) to 21 (black on white).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The sixteen basic colour keywords of CSS (CSS Color Module Level 4, §6.1).
const NAMED: [(&str, Rgb); 16] = [
    ("black", Rgb(0, 0, 0)),
    ("silver", Rgb(192, 192, 192)),
    ("gray", Rgb(128, 128, 128)),
    ("white", Rgb(255, 255, 255)),
    ("maroon", Rgb(128, 0, 0)),
    ("red", Rgb(255, 0, 0)),
    ("purple", Rgb(128, 0, 128)),
    ("fuchsia", Rgb(255, 0, 255)),
    ("green", Rgb(0, 128, 0)),
    ("lime", Rgb(0, 255, 0)),
    ("olive", Rgb(128, 128, 0)),
    ("yellow", Rgb(255, 255, 0)),
    ("navy", Rgb(0, 0, 128)),
    ("blue", Rgb(0, 0, 255)),
    ("teal", Rgb(0, 128, 128)),
    ("aqua", Rgb(0, 255, 255)),
];

/// The text colour that reads on `background`: white or the near-black of body text,
/// whichever contrasts more.
pub fn readable_on(background: Rgb) -> Rgb {
    let white = Rgb(255, 255, 255);
    let dark = Rgb(0x1a, 0x1a, 0x1a);
    if white.contrast(background) >= dark.contrast(background) {
        white
    } else {
        dark
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_measured_as_wcag_does() {
        let white = Rgb(255, 255, 255);
        assert!((Rgb(0, 0, 0).contrast(white) - 21.0).abs() < 1e-9);
        // Link blue on a navy header: what a blocked logo's alt text looked like.
        let navy = Rgb::parse("#1f3a5f").expect("hex");
        assert!(Rgb(0, 0, 0xee).contrast(navy) < 1.3);
        assert_eq!(Rgb::parse("navy"), Some(Rgb(0, 0, 128)));
        assert_eq!(Rgb::parse("#FFF"), Some(white));
        assert_eq!(Rgb::parse("rgb(1, 2, 3)"), Some(Rgb(1, 2, 3)));
        assert_eq!(readable_on(navy), white);
        assert_eq!(
            readable_on(Rgb::parse("#ffd200").expect("hex")),
            Rgb(0x1a, 0x1a, 0x1a)
        );
    }
}
