//! Text rules of the reference implementation (`reference.py`, CPython 3.11): which characters
//! are white space, how a value is trimmed and lowercased, and when an address is malformed.
//! The reference is the definition of correct, so these follow Python's `str` methods exactly
//! rather than Rust's (which differ on a few control characters and on newer Unicode letters).

use crate::incident::MalformedReason;

/// The characters Python's `str.isspace()` takes, in code point order: what [`strip`] trims
/// and [`malformed`] refuses inside an address, spelled out for the SQL the warehouse runs.
pub const PYTHON_SPACE: [char; 29] = [
    '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1c}', '\u{1d}', '\u{1e}', '\u{1f}', ' ', '\u{85}',
    '\u{a0}', '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}',
    '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}',
    '\u{205f}', '\u{3000}',
];

/// Python's `str.isspace()`: general category Zs, or bidirectional class WS, B or S. Rust's
/// `char::is_whitespace` agrees except for U+001C..U+001F (the information separators), which
/// Python counts as white space.
pub fn is_python_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..=' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Python's `str.strip()`: white space as [`is_python_space`] off both ends. ASCII values, the
/// common case, are trimmed without decoding characters.
pub fn strip(s: &str) -> &str {
    let bytes = s.as_bytes();
    let ascii_space = |b: u8| matches!(b, b'\t'..=b'\r' | 0x1c..=b' ');
    let (mut start, mut end) = (0, bytes.len());
    while start < end && ascii_space(bytes[start]) {
        start += 1;
    }
    while end > start && ascii_space(bytes[end - 1]) {
        end -= 1;
    }
    // Both ends stop at an ASCII byte (a char boundary) or at the start of a non-ASCII
    // character, so these slices cannot split a character.
    let trimmed = &s[start..end];
    let edge_is_ascii = trimmed.as_bytes().first().is_none_or(u8::is_ascii)
        && trimmed.as_bytes().last().is_none_or(u8::is_ascii);
    if edge_is_ascii {
        trimmed
    } else {
        trimmed.trim_matches(is_python_space)
    }
}

/// Letters that Rust's Unicode tables (16.0 and later) lowercase but Python 3.11's (Unicode
/// 14.0) do not know yet, so `str.lower()` leaves them as they are. Checked against a dump of
/// Python's `str.lower()` over every code point (tests/fixtures/audience/python-lower.txt).
fn unknown_to_python(c: char) -> bool {
    matches!(
        c,
        '\u{1c89}'
            | '\u{a7cb}'
            | '\u{a7cc}'
            | '\u{a7ce}'
            | '\u{a7d2}'
            | '\u{a7d4}'
            | '\u{a7da}'
            | '\u{a7dc}'
            | '\u{10d50}'..='\u{10d65}'
            | '\u{16ea0}'..='\u{16eb8}'
    )
}

/// Python's `str.lower()`, appended to `out`: full Unicode case mapping (İ becomes "i̇", the
/// final sigma becomes ς), as of Unicode 14.0.
#[inline]
pub fn lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_lowercase();
        return;
    }
    // Lowercase the stretches between letters Python does not know. Splitting there keeps the
    // final-sigma rule intact: to Python such a letter is neither cased nor case-ignorable, so
    // it ends the context exactly as the end of a stretch does.
    let mut rest = s;
    while let Some(at) = rest.find(unknown_to_python) {
        out.push_str(&rest[..at].to_lowercase());
        let c = rest[at..].chars().next().unwrap_or_default();
        out.push(c);
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(&rest.to_lowercase());
}

/// Python's `str.lower()` as a new string.
pub fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

/// Normalize an address as the reference does: trim spaces and tabs (only those), then
/// lowercase. The plus tag stays. Writes into `out`, which is cleared first.
#[inline]
pub fn normalize_email(raw: &str, out: &mut String) {
    out.clear();
    lower_into(trim_spaces_and_tabs(raw), out);
}

/// `raw` without the spaces and tabs at its ends (ASCII bytes, so the ends stay character
/// boundaries).
#[inline]
fn trim_spaces_and_tabs(raw: &str) -> &str {
    let bytes = raw.as_bytes();
    let (mut start, mut end) = (0, bytes.len());
    while start < end && matches!(bytes[start], b' ' | b'\t') {
        start += 1;
    }
    while end > start && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    raw.get(start..end).unwrap_or_default()
}

/// [`normalize_email`] into `out`, then [`malformed`] on the result, in fewer passes for the
/// common address: printable ASCII with no white space inside, which no Unicode or Python
/// rule can change beyond ASCII lowercasing. Anything else goes through the two in full.
#[inline]
pub fn normalize_checked(raw: &str, out: &mut String) -> Option<MalformedReason> {
    let trimmed_str = trim_spaces_and_tabs(raw);
    let trimmed = trimmed_str.as_bytes();
    // No early exit, so the compiler can check many bytes at a time.
    let plain = trimmed
        .iter()
        .fold(!trimmed.is_empty(), |ok, &b| ok & (b > b' ') & (b < 0x80));
    if !plain {
        normalize_email(raw, out);
        return malformed(out);
    }
    out.clear();
    out.push_str(trimmed_str);
    out.make_ascii_lowercase();
    let Some(at) = memchr::memchr(b'@', trimmed) else {
        return Some(MalformedReason::NoAt);
    };
    if memchr::memchr(b'@', &trimmed[at + 1..]).is_some() {
        Some(MalformedReason::SeveralAt)
    } else if at == 0 {
        Some(MalformedReason::EmptyLocalPart)
    } else if at + 1 == trimmed.len() {
        Some(MalformedReason::EmptyDomain)
    } else {
        None
    }
}

/// `a == b`, inlined for the short strings a send log compares on every row (campaign ids,
/// status words, segment names, addresses): two overlapping loads from each end instead of a
/// call to `memcmp`, which costs more than the comparison itself at these lengths.
#[inline]
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // The first and the last `N` bytes as one integer each (they overlap when n < 2N).
    fn ends<const N: usize>(s: &[u8]) -> ([u8; N], [u8; N]) {
        let first = s.first_chunk::<N>().copied().unwrap_or([0; N]);
        let last = s.last_chunk::<N>().copied().unwrap_or([0; N]);
        (first, last)
    }
    match n {
        0 => true,
        1..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..8 => ends::<4>(a) == ends::<4>(b),
        8..16 => ends::<8>(a) == ends::<8>(b),
        16..=32 => ends::<16>(a) == ends::<16>(b),
        _ => a == b,
    }
}

/// Why a normalized address is malformed, or `None` when it is well formed: exactly one `@`
/// with a non-empty part on each side, and no white space anywhere.
pub fn malformed(email: &str) -> Option<MalformedReason> {
    if email.is_empty() {
        return Some(MalformedReason::Empty);
    }
    let ats = email.bytes().filter(|&b| b == b'@').count();
    if ats == 0 {
        return Some(MalformedReason::NoAt);
    }
    if ats > 1 {
        return Some(MalformedReason::SeveralAt);
    }
    let space = if email.is_ascii() {
        email
            .bytes()
            .any(|b| matches!(b, b'\t'..=b'\r' | 0x1c..=b' '))
    } else {
        email.chars().any(is_python_space)
    };
    if space {
        return Some(MalformedReason::WhiteSpace);
    }
    let at = email.bytes().position(|b| b == b'@').unwrap_or_default();
    let (local, domain) = (&email[..at], &email[at + 1..]);
    if local.is_empty() {
        Some(MalformedReason::EmptyLocalPart)
    } else if domain.is_empty() {
        Some(MalformedReason::EmptyDomain)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_pythons() {
        let python: Vec<u32> = vec![
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000,
            0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
            0x2029, 0x202f, 0x205f, 0x3000,
        ];
        let ours: Vec<u32> = (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| is_python_space(*c))
            .map(u32::from)
            .collect();
        assert_eq!(ours, python);
        let spelled: Vec<u32> = PYTHON_SPACE.iter().map(|&c| u32::from(c)).collect();
        assert_eq!(spelled, python);
    }

    #[test]
    fn strip_trims_python_white_space_only() {
        assert_eq!(strip("  vip \t"), "vip");
        assert_eq!(strip("\u{1f}vip\u{a0}\u{3000}"), "vip");
        assert_eq!(strip("\u{a0}"), "");
        assert_eq!(strip("\u{200b}vip"), "\u{200b}vip"); // zero-width space is not white space
        assert_eq!(strip("é "), "é");
        assert_eq!(strip(""), "");
    }

    #[test]
    fn lower_matches_python_including_context_and_special_cases() {
        // Outputs of CPython 3.11's str.lower().
        for (input, python) in [
            ("ΑΣ", "ας"),
            ("ΑΣ Β", "ας β"),
            ("Σ", "σ"),
            ("ΑΣΑ", "ασα"),
            ("Α.Σ", "α.ς"),
            ("ΑΣ\u{301}", "ας\u{301}"),
            ("İSTANBUL", "i\u{307}stanbul"),
            ("\u{212a}EY", "key"),
            ("ẞ", "ß"),
            ("ǅ", "ǆ"),
            ("User+Promo@Example.COM", "user+promo@example.com"),
            ("\u{a7cb}A", "\u{a7cb}a"),
            ("ΑΣ\u{10d50}", "ας\u{10d50}"),
        ] {
            assert_eq!(lower(input), python, "{input:?}");
        }
    }

    /// Every code point whose lowercase differs from itself, as CPython 3.11 prints it: a
    /// changed toolchain's Unicode tables show up here first.
    #[test]
    fn lower_matches_python_on_every_code_point() {
        let dump = include_str!("../../tests/fixtures/audience/python-lower.txt");
        let mut python = std::collections::BTreeMap::new();
        for line in dump.lines() {
            let mut hex = line
                .split(' ')
                .map(|h| u32::from_str_radix(h, 16).expect("hex"));
            let from = hex.next().expect("code point");
            let to: String = hex.map(|c| char::from_u32(c).expect("char")).collect();
            python.insert(from, to);
        }
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let ours = lower(&c.to_string());
            let expected = python
                .get(&u32::from(c))
                .cloned()
                .unwrap_or_else(|| c.to_string());
            assert_eq!(ours, expected, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn normalize_trims_spaces_and_tabs_only_then_lowercases() {
        let mut out = String::new();
        normalize_email(" \tUser7+Promo3@Example.COM  ", &mut out);
        assert_eq!(out, "user7+promo3@example.com");
        normalize_email("\u{a0}a@b.c", &mut out);
        assert_eq!(out, "\u{a0}a@b.c");
    }

    #[test]
    fn the_fast_address_path_agrees_with_the_full_one() {
        let cases = [
            "",
            " ",
            "\t",
            "a",
            "@",
            "a@",
            "@b",
            "a@b",
            " A@B.C ",
            "\tUser+Tag@Example.COM\t",
            "a@@b",
            "a@b@c",
            "user.example.com",
            "us er@x.io",
            "a@b\u{a0}",
            "A\u{1c}@b",
            "\u{a0}a@b.c",
            "ÜSER@Example.jp",
            "user@例え.JP",
            "\"A,B\"@x.io",
            "a\x7f@b",
            "a\x01@b",
            "İ@x.io",
            "  ",
            "x@y.z\r",
        ];
        let (mut fast, mut full) = (String::new(), String::new());
        for raw in cases {
            let reason = normalize_checked(raw, &mut fast);
            normalize_email(raw, &mut full);
            assert_eq!(fast, full, "{raw:?}");
            assert_eq!(reason, malformed(&full), "{raw:?}");
        }
    }

    #[test]
    fn short_strings_compare_as_equality_does() {
        let words: Vec<String> = (0..40)
            .flat_map(|n| {
                [
                    "x".repeat(n),
                    format!("{}y", "x".repeat(n)),
                    format!("y{}", "x".repeat(n)),
                ]
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(same(a.as_bytes(), b.as_bytes()), a == b, "{a:?} {b:?}");
            }
        }
        let mut middle = *b"abcdefghijklmnopqrstuvwxyz";
        assert!(same(&middle, b"abcdefghijklmnopqrstuvwxyz"));
        middle[13] = b'-';
        assert!(!same(&middle, b"abcdefghijklmnopqrstuvwxyz"));
    }

    #[test]
    fn malformed_reasons() {
        use MalformedReason::*;
        for (email, reason) in [
            ("", Some(Empty)),
            ("user.example.com", Some(NoAt)),
            ("user@@example.com", Some(SeveralAt)),
            ("a@b@c", Some(SeveralAt)),
            ("us er@example.com", Some(WhiteSpace)),
            ("user@example.com\u{a0}", Some(WhiteSpace)),
            ("user@exa\u{1c}mple.com", Some(WhiteSpace)),
            ("@example.com", Some(EmptyLocalPart)),
            ("user@", Some(EmptyDomain)),
            ("user+promo@example.com", None),
            ("\"a,b\"@example.com", None),
            ("ünïcode@例え.jp", None),
        ] {
            assert_eq!(malformed(email), reason, "{email:?}");
        }
    }
}
