//! The scanner finds what a reader sees, what is kept from them, and in which colours.

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
    assert_eq!(facts.images.len(), 1);
    assert_eq!(facts.images[0].alt.as_deref(), Some("logo"));
    assert!(!facts.images[0].sized);
    assert_eq!(facts.smallest_px, Some(12.0));
    assert_eq!(facts.meta_names, ["x-incident-layout"]);
    assert!(facts.hidden.is_empty());
    assert!(facts.low_contrast.is_empty(), "{:?}", facts.low_contrast);
}

fn hidden(html: &str) -> Vec<String> {
    scan(html)
        .hidden
        .iter()
        .map(|h| format!("{}: {}", h.how, h.text))
        .collect()
}

#[test]
fn finds_text_the_reader_cannot_see() {
    let visible = r##"<table><tr><td style="background-color:#1f3a5f"><a style="color:#ffffff">Shop</a></td></tr></table><p style="color:#1a1a1a">Hi</p>"##;
    assert_eq!(hidden(visible), Vec::<String>::new());
    for (html, what) in [
        (
            r##"<p>Hi</p><p style="color:#fff">x</p>"##,
            "#ffffff on a #ffffff",
        ),
        (
            r##"<p>Hi</p><td bgcolor="#000000"><br><span style="color: rgb(0, 0, 0)">x</span></td>"##,
            "#000000 on a #000000",
        ),
        (
            r##"<p>Hi</p><div style="background:#fefefe url(x.png)"><p style="color:white">x</p></div>"##,
            "#ffffff on a #fefefe",
        ),
        (r##"<p>Hi</p><p hidden>x</p>"##, "the hidden attribute: x"),
        (
            r##"<p>Hi</p><div style="display: none"><p>Sale <b>ends</b> tonight</p></div>"##,
            "display:none: Sale ends tonight",
        ),
    ] {
        let found = hidden(html);
        assert!(found.iter().any(|h| h.contains(what)), "{html}: {found:?}");
    }
    // Once the dark cell is closed, white text is on white again.
    let after = r##"<td style="background-color:#000"></td><p>Hi</p><p style="color:#fff">x</p>"##;
    assert_eq!(hidden(after).len(), 1);
    // A hiding element without text (a tracking pixel) hides nothing.
    assert_eq!(
        hidden(r#"<p>Hi</p><img src="p.gif" style="display:none">"#),
        Vec::<String>::new()
    );
}

#[test]
fn hidden_text_before_anything_shown_is_the_preheader() {
    let html = r#"<body><span class="mcnPreviewText" style="display:none; font-size:0px; max-height:0px">We sent the wrong date</span><p>On Monday we sent you the wrong date.</p><div style="display:none">Buy now</div></body>"#;
    let facts = scan(html);
    assert_eq!(facts.preheader.as_deref(), Some("We sent the wrong date"));
    assert_eq!(facts.hidden.len(), 1);
    assert_eq!(facts.hidden[0].text, "Buy now");
    assert!(!facts.text.contains("We sent the wrong date"));
    // Hidden text too long to be a preview is hidden text.
    let long = format!(
        "<div style=\"display:none\">{}</div><p>Hi</p>",
        "word ".repeat(80)
    );
    let facts = scan(&long);
    assert_eq!(facts.preheader, None);
    assert_eq!(facts.hidden.len(), 1);
}

#[test]
fn a_light_brand_colour_or_an_unknown_background_is_not_hiding() {
    for html in [
        // Yellow links on white: poor contrast, not deception.
        r##"<p><a style="color:#ffd200" href="https://example.com">Help</a></p>"##,
        // White on a background this reader cannot tell.
        r##"<td style="background-image:url(hero.jpg)"><p style="color:#fff">x</p></td>"##,
        r##"<td bgcolor="darkslateblue"><p style="color:#fff">x</p></td>"##,
        r##"<td bgcolor="navy"><p style="color:#fff">x</p></td>"##,
    ] {
        assert_eq!(hidden(html), Vec::<String>::new(), "{html}");
    }
}

#[test]
fn faint_text_and_links_are_measured_in_the_colours_they_are_shown_in() {
    let html = r##"<body><p style="color:#999999">Grey body text</p><p><a href="https://x.example" style="color:#5b8def">a pale link</a></p><td style="background-color:#1f3a5f"><a href="https://x.example"><img src="logo.png" alt="Brand"></a></td><h1 style="color:#777777">A large heading</h1></body>"##;
    let facts = scan(html);
    let pairs: Vec<(String, bool, bool)> = facts
        .low_contrast
        .iter()
        .map(|c| (c.colour.clone(), c.link, c.large))
        .collect();
    assert_eq!(
        pairs,
        [
            ("#999999".to_string(), false, false),
            ("#5b8def".to_string(), true, false)
        ],
        "#777777 at 32 px bold is large text, for which 4.48:1 is enough"
    );
    // The logo's alt text would show in link blue on the navy header.
    let alt = facts.images[0].alt_shown.as_ref().expect("colours known");
    assert_eq!(
        (alt.colour.as_str(), alt.background.as_str()),
        ("#0000ee", "#1f3a5f")
    );
    assert!(alt.ratio < 1.3, "{}", alt.ratio);
}

#[test]
fn an_esp_tag_in_angle_brackets_is_text_not_markup() {
    let facts = scan(
        r#"<p>Unsubscribe: <%asm_group_unsubscribe_raw_url%></p><a href="<%asm_preferences_raw_url%>">Preferences</a>"#,
    );
    assert_eq!(
        facts.text,
        "Unsubscribe: <%asm_group_unsubscribe_raw_url%>\nPreferences"
    );
    assert_eq!(facts.links[0].href, "<%asm_preferences_raw_url%>");
}

#[test]
fn entities_next_to_other_scripts_do_not_split_a_character() {
    assert_eq!(decode_entities("Q&A über café"), "Q&A über café");
    assert_eq!(decode_entities("&éééééééééé;"), "&éééééééééé;");
    assert_eq!(decode_entities("a &amp; b"), "a & b");
}
