//! Every rule fires on a crafted case and stays silent on a clean one; the helpers they share
//! find what they look for and nothing else.

use super::links::{domain_of, same_site};
use super::structure::merge_tags;
use super::words::{contains_css, contains_word, first_paragraph, font_size_px};
use super::*;

mod helpers {
    use super::*;

    #[test]
    fn merge_tags_of_every_common_esp_are_found() {
        for tag in [
            "Dear <FirstName>,",
            "Hi {{ first_name }}",
            "Hi *|FNAME|*",
            "Hi %%First Name%%",
            "Dear [First Name]",
            "Hi ${user.name}",
            "[Company] news",
        ] {
            assert!(!merge_tags(tag).is_empty(), "{tag:?} not found");
        }
        for clean in [
            "Hello,",
            "What You Can Do",
            "- Change your password",
            "Go to www.example.com [1]",
        ] {
            assert!(
                merge_tags(clean).is_empty(),
                "{clean:?} flagged: {:?}",
                merge_tags(clean)
            );
        }
    }

    #[test]
    fn quotations_are_blanked_and_apostrophes_are_not_quotes() {
        let said = super::words::unquoted(
            "The greeting read “Hi *|FNAME|*,” and the subject \"Act now\". We didn't 'mean' it.\nIt's the customers' list",
        );
        assert!(
            !said.contains("FNAME") && !said.contains("Act now"),
            "{said}"
        );
        assert!(!said.contains("mean"), "{said}");
        assert!(said.contains("We didn't"), "{said}");
        assert!(said.ends_with("It's the customers' list"), "{said}");
        assert_eq!(said.chars().count(), said.chars().count());
        // An opening quote without its closer on the line is no quotation.
        assert_eq!(super::words::unquoted("a “b\nc” d"), "a “b\nc” d");
    }

    #[test]
    fn dutch_hedging_and_urgency_are_known() {
        let text = "excuses voor het eventuele ongemak. handel nu!";
        let nl = vocab::for_locale("nl");
        assert!(nl.hedging.iter().any(|w| contains_word(text, w)));
        assert!(nl.urgency.iter().any(|w| text.contains(w)));
    }

    #[test]
    fn words_match_whole_words_only() {
        assert!(contains_word("it was a very bad day", "very"));
        assert!(!contains_word("we will deliver every order", "very"));
        assert!(!contains_word("wholesale prices", "sale"));
        assert!(contains_word("50% off today", "% off"));
        assert!(contains_word("sorry ;)", ";)"));
    }

    #[test]
    fn links_that_show_another_address_are_caught() {
        assert_eq!(
            domain_of("https://Shop.Example.com:443/a?b"),
            Some("shop.example.com".into())
        );
        assert!(same_site("www.example.com", "help.example.com"));
        assert!(!same_site("example.com", "example.net"));
        assert_eq!(font_size_px("color:red; font-size: 9pt"), Some(12.0));
        assert!(contains_css("display:none", "display:none"));
        assert!(!contains_css("font-size:0.9em", "font-size:0"));
    }
}

mod rules {
    use super::*;
    use crate::email::html::scan;

    const CLEAN_TEXT: &str = "Hello,\n\nOn 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.\n\nWe're sorry.\n\nKind regards,\nExample\n\n--\nExample · 1 Main Street, Springfield\nUnsubscribe: https://www.example.com/unsubscribe";
    const CLEAN_HTML: &str = r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body>
        <p style="font-size:16px">Hello,</p><p>On 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.</p>
        <p>We're sorry.</p><p>Example · 1 Main Street, Springfield</p>
        <a href="https://www.example.com/help">Help</a> <a href="https://www.example.com/unsubscribe">Unsubscribe</a></body></html>"#;

    struct Case {
        subject: &'static str,
        text: String,
        html: String,
        from: &'static str,
        from_name: &'static str,
        breach: bool,
        policy: ApologyPolicy,
        recipients: Option<u64>,
        affected: Affected,
        record: Option<RecordFacts>,
    }

    impl Case {
        fn clean() -> Case {
            Case {
                subject: "We made a mistake",
                text: CLEAN_TEXT.into(),
                html: CLEAN_HTML.into(),
                from: "support@example.com",
                from_name: "Example",
                breach: false,
                policy: ApologyPolicy::Recommended,
                recipients: Some(10),
                affected: Affected::Computed(10),
                record: None,
            }
        }

        fn codes(&self) -> Vec<&'static str> {
            let facts = scan(&self.html);
            let findings = run(&Draft {
                kind: "wrong-segment",
                breach: self.breach,
                locale: "en",
                answered_locale: "en",
                quoted: &[],
                policy: self.policy,
                policy_override: None,
                subject: self.subject,
                text: &self.text,
                html: &facts,
                from_name: self.from_name,
                from_address: self.from,
                brand_example: &[],
                rehearsal: None,
                record: self.record.as_ref(),
                reply_to: self.from,
                postal_address: "1 Main Street, Springfield",
                unsubscribe_url: "https://www.example.com/unsubscribe",
                notice_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
                own_domains: own_domains(&["https://www.example.com"], &[self.from]),
                recipients: self.recipients,
                affected: self.affected,
            });
            findings.iter().map(|f| f.code).collect()
        }

        fn both(mut self, from: &str, to: &str) -> Case {
            self.text = self.text.replace(from, to);
            self.html = self.html.replace(from, to);
            self
        }
    }

    fn fires(case: Case, code: &str) {
        let codes = case.codes();
        assert!(
            codes.contains(&code),
            "{code} did not fire: {codes:?} on\n{}",
            case.text
        );
    }

    #[test]
    fn a_clean_apology_raises_nothing() {
        assert_eq!(Case::clean().codes(), Vec::<&str>::new());
    }

    #[test]
    fn the_html_lede_is_its_first_paragraph_not_the_whole_body() {
        // The first paragraph of the HTML says nothing; what happened comes only later.
        let case = Case {
            html: CLEAN_HTML.replace(
                "<p style=\"font-size:16px\">Hello,</p>",
                "<p style=\"font-size:16px\">Hello,</p><p>Thank you for being a loyal reader of our newsletter all these years.</p>",
            ),
            ..Case::clean()
        };
        assert_eq!(case.codes(), ["lede-unclear"]);
        assert_eq!(
            first_paragraph(
                "Hello,\nOn 26 November 2026 we sent you an email that was not meant for you.\nMore.",
                "\n"
            ),
            "On 26 November 2026 we sent you an email that was not meant for you."
        );
    }

    #[test]
    fn a_finding_missing_from_both_parts_says_so() {
        let case = Case::clean().both("We're sorry.", "Thank you.");
        let facts = scan(&case.html);
        let findings = run(&Draft {
            kind: "wrong-segment",
            breach: false,
            locale: "en",
            answered_locale: "en",
            quoted: &[],
            policy: case.policy,
            policy_override: None,
            subject: case.subject,
            text: &case.text,
            html: &facts,
            from_name: case.from_name,
            from_address: case.from,
            brand_example: &[],
            rehearsal: None,
            record: None,
            reply_to: case.from,
            postal_address: "1 Main Street, Springfield",
            unsubscribe_url: "https://www.example.com/unsubscribe",
            notice_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
            own_domains: own_domains(&["https://www.example.com"], &[case.from]),
            recipients: case.recipients,
            affected: case.affected,
        });
        let apology = findings
            .iter()
            .find(|f| f.code == "apology-missing")
            .expect("apology-missing");
        assert!(
            apology.message.ends_with("in the text and HTML parts"),
            "{}",
            apology.message
        );
    }

    #[test]
    fn the_sender_rules_fire() {
        fires(
            Case {
                from: "no-reply@example.com",
                ..Case::clean()
            },
            "sender-no-reply",
        );
        fires(
            Case {
                from: "do_not_reply@example.com",
                ..Case::clean()
            },
            "sender-no-reply",
        );
        for from_name in [
            "Example ⚠ Act fast!",
            "Northwind Outfitters: We made a mistake",
            "Northwind <care@northwind.example>",
            "care@northwind.example",
        ] {
            fires(
                Case {
                    from_name,
                    ..Case::clean()
                },
                "sender-name",
            );
        }
    }

    #[test]
    fn the_tone_rules_fire() {
        fires(
            Case::clean().both("We're sorry.", "Thanks."),
            "apology-missing",
        );
        fires(
            Case::clean().both("We're sorry.", "Oops, we're sorry."),
            "tone-humour",
        );
        fires(
            Case {
                subject: "We made a mistake 🙈",
                ..Case::clean()
            },
            "tone-humour",
        );
        fires(
            Case::clean().both("We're sorry.", "We're sorry for any inconvenience."),
            "tone-hedging",
        );
        fires(
            Case::clean().both("We're sorry.", "We're sorry. Mistakes were made."),
            "tone-passive",
        );
        fires(
            Case::clean().both("Hello,", "Dear Customer,"),
            "greeting-generic",
        );
        fires(
            Case::clean().both(
                "We're sorry.",
                "We're sorry. Act now to keep your discount.",
            ),
            "urgency",
        );
        for joke in ["Just kidding!", "Whoopsie.", "Our mistake ;-)"] {
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. {joke}")),
                "tone-humour",
            );
        }
    }

    #[test]
    fn the_subject_and_lede_rules_fire() {
        for blank in ["", "  ", "\u{200B}", " \u{FEFF}\u{2060} "] {
            fires(
                Case {
                    subject: blank,
                    ..Case::clean()
                },
                "subject-empty",
            );
        }
        fires(
            Case {
                subject: "We made a mistake with the email we sent you this morning about the sale",
                ..Case::clean()
            },
            "subject-long",
        );
        fires(
            Case {
                subject: "We made a mistake with the email we sent you this morning about the winter sale and more",
                ..Case::clean()
            },
            "subject-too-long",
        );
        fires(
            Case {
                subject: "An update from us",
                ..Case::clean()
            },
            "subject-vague",
        );
        fires(
            Case {
                subject: "Re: We made a mistake",
                ..Case::clean()
            },
            "subject-fake-reply",
        );
        fires(
            Case {
                subject: "WE MADE A MISTAKE",
                ..Case::clean()
            },
            "subject-all-caps",
        );
        fires(
            Case::clean().both("On 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.", "Thank you for being a loyal part of our community for so many years now."),
            "lede-unclear",
        );
    }

    #[test]
    fn the_structure_rules_fire() {
        for tag in [
            "<FirstName>",
            "{{ first_name }}",
            "*|FNAME|*",
            "%%FirstName%%",
            "[First Name]",
        ] {
            fires(
                Case::clean().both(
                    "Hello,",
                    &format!("Hello {tag},")
                        .replace('<', if tag.starts_with('<') { "&lt;" } else { "<" }),
                ),
                "merge-tag",
            );
        }
        fires(
            Case {
                subject: "Hi *|FNAME|*, we made a mistake",
                ..Case::clean()
            },
            "merge-tag",
        );
        fires(
            Case {
                text: " \n".into(),
                ..Case::clean()
            },
            "text-part-missing",
        );
        fires(
            Case::clean().both(
                r#"<meta name="x-incident-layout" content="branded-base">"#,
                "",
            ),
            "template-not-branded",
        );
        fires(
            Case::clean().both(r#"<p>We're sorry.</p>"#, r#"<p hidden>We're sorry.</p>"#),
            "hidden-text",
        );
        fires(
            Case::clean().both(
                r#"style="font-size:16px""#,
                r#"style="font-size:16px; color:#ffffff""#,
            ),
            "hidden-text",
        );
        fires(
            Case::clean().both(r#"style="font-size:16px""#, r#"style="display: none""#),
            "hidden-text",
        );
        fires(
            Case {
                html: r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body><img src="https://www.example.com/a.png"><a href="https://www.example.com/unsubscribe">Unsubscribe</a> sorry 1 Main Street, Springfield</body></html>"#.into(),
                ..Case::clean()
            },
            "image-only",
        );
    }

    #[test]
    fn the_link_rules_fire() {
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://evil.example.net/">www.example.com</a>"#,
            ),
            "link-text-mismatch",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://bit.ly/x">Help</a>"#,
            ),
            "link-shortener",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/help">Help</a>"#,
                r#"<a href="https://other.example.org/">Help</a>"#,
            ),
            "link-foreign-domain",
        );
        // Addresses written out are links in every mail client: in either part, with or
        // without a scheme.
        for written in ["https://bit.ly/3xYz", "bit.ly/3xYz", "www.tinyurl.com/abc"] {
            let text = CLEAN_TEXT.replace("We're sorry.", &format!("We're sorry. See {written}."));
            fires(
                Case {
                    text,
                    ..Case::clean()
                },
                "link-shortener",
            );
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. See {written}.")),
                "link-shortener",
            );
        }
    }

    #[test]
    fn the_marketing_footer_rules_fire() {
        fires(
            Case::clean().both(">Unsubscribe<", ">Help<"),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both(
                r#"<a href="https://www.example.com/unsubscribe">Unsubscribe</a>"#,
                r#"<a href="https://www.example.com/help">Unsubscribe</a>"#,
            ),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both("Unsubscribe: https://www.example.com/unsubscribe", ""),
            "unsubscribe-missing",
        );
        fires(
            Case::clean().both("1 Main Street, Springfield\nUnsubscribe", "Unsubscribe"),
            "postal-address-missing",
        );
        fires(
            Case::clean().both("1 Main Street, Springfield", "Springfield"),
            "postal-address-missing",
        );
    }

    #[test]
    fn the_audience_and_policy_rules_fire() {
        fires(
            Case {
                recipients: Some(12),
                ..Case::clean()
            },
            "audience-mismatch",
        );
        fires(
            Case {
                affected: Affected::Estimated(12),
                ..Case::clean()
            },
            "audience-mismatch",
        );
        fires(
            Case {
                recipients: None,
                ..Case::clean()
            },
            "audience-unknown",
        );
        fires(
            Case {
                policy: ApologyPolicy::Never,
                ..Case::clean()
            },
            "policy-no-apology",
        );
    }

    /// A breach notice with `text` as both parts, and `html_extra` in the HTML only, checked
    /// against a record whose data calls for every protective step.
    fn breach(text: &str, html_extra: &str) -> Case {
        Case {
            subject: "Notice of Data Breach",
            text: text.into(),
            html: format!(
                r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body><p>{text}</p>{html_extra}</body></html>"#
            ),
            breach: true,
            record: Some(RecordFacts {
                omitted: Vec::new(),
                advice: Advice {
                    password: true,
                    phishing: true,
                    card: true,
                },
                breach_start: chrono::NaiveDate::from_ymd_opt(2026, 11, 25),
                nature: true,
            }),
            ..Case::clean()
        }
    }

    /// A notice with every element the law asks for.
    const FULL: &str = "Notice of Data Breach\n\nHello,\n\nWe are writing about a data breach involving your information. We're sorry.\n\nWhat Happened\nSomeone copied our customer list on 25 November 2026. This notice is dated 27 November 2026.\n\nWhat Information Was Involved\nYour name and email address.\n\nWhat This Means for You\nYou may get phishing emails.\n\nWhat We Are Doing\nWe closed the access.\n\nWhat You Can Do\n- Change your password.\n- Turn on two-factor authentication.\n- Watch for phishing.\n- Go to our website yourself.\n- Check your bank statements.\n\nFor More Information\nReply to this email.";

    #[test]
    fn breach_rules_fire_on_a_notice_that_drops_what_the_law_asks() {
        let full = FULL;
        assert_eq!(
            breach(full, "").codes(),
            Vec::<&str>::new(),
            "a complete notice is clean"
        );
        // Each protective step the record's data calls for and each legal element on its
        // own, in each part: one missing is enough, even when the words appear elsewhere.
        for step in [
            "- Change your password.\n",
            "- Turn on two-factor authentication.\n",
            "- Watch for phishing.\n",
            "- Go to our website yourself.\n",
            "- Check your bank statements.\n",
        ] {
            let without = full.replace(step, "");
            fires(breach(&without, ""), "breach-protective-steps");
            fires(
                Case {
                    text: without,
                    ..breach(full, "")
                },
                "breach-protective-steps",
            );
        }
        // Without a record, one protective step is enough; none is not.
        let only_phishing = full
            .replace("- Change your password.\n", "")
            .replace("- Turn on two-factor authentication.\n", "")
            .replace("- Check your bank statements.\n", "");
        let draft = |text: &str| Case {
            record: None,
            ..breach(text, "")
        };
        assert_eq!(draft(&only_phishing).codes(), Vec::<&str>::new());
        let none = only_phishing
            .replace("- Watch for phishing.\n", "")
            .replace("- Go to our website yourself.\n", "");
        fires(draft(&none), "breach-protective-steps");
        fires(
            breach(
                &full.replace("- Change your password.\n", "- Keep your password safe.\n"),
                "",
            ),
            "breach-protective-steps",
        );
        for (element, gone) in [
            (
                "what happened",
                "Someone copied our customer list on 25 November 2026. ",
            ),
            ("the dates", "on 25 November 2026"),
            ("the notice date", " This notice is dated 27 November 2026."),
            ("the information", "Your name and email address."),
            ("the consequences", "You may get phishing emails."),
            ("the measures", "We closed the access."),
            ("the contact point", "Reply to this email."),
        ] {
            let without = full.replace(gone, "");
            let codes = breach(&without, "").codes();
            assert!(
                codes.contains(&"breach-legal-elements"),
                "{element}: {codes:?}"
            );
        }
        fires(
            breach(&full.replace("What We Are Doing", "Our Response"), ""),
            "breach-legal-elements",
        );
        // A draft whose breach began the day the notice is dated names that date twice.
        assert_eq!(
            Case {
                record: None,
                ..breach(&full.replace("25 November 2026", "27 November 2026"), "")
            }
            .codes(),
            Vec::<&str>::new()
        );
        // The footer's "Help and contact" is not a contact point.
        fires(
            breach(
                &full.replace(
                    "Reply to this email.",
                    "Thank you.\n\n--\nHelp and contact: https://www.example.com/help",
                ),
                "",
            ),
            "breach-legal-elements",
        );
        fires(
            breach(&full.replace("What This Means for You", "Consequences"), ""),
            "breach-legal-elements",
        );
        // Checked against the record: the day the breach began must be the one named, and a
        // record that cannot say what happened makes the notice incomplete.
        fires(
            breach(&full.replace("25 November 2026", "24 November 2026"), ""),
            "breach-legal-elements",
        );
        let mut unsaid = breach(full, "");
        if let Some(record) = unsaid.record.as_mut() {
            record.nature = false;
        }
        fires(unsaid, "breach-legal-elements");
    }

    #[test]
    fn breach_rules_fire_on_login_links_promotion_and_small_type() {
        let full = FULL;
        fires(
            breach(
                full,
                r#"<a href="https://www.example.com/account/reset">Reset your password</a>"#,
            ),
            "breach-login-link",
        );
        fires(
            breach(
                &full.replace(
                    "- Change your password.",
                    "- Change your password at https://www.example.com/login.",
                ),
                "",
            ),
            "breach-login-link",
        );
        fires(
            Case {
                text: full.replace(
                    "- Change your password.",
                    "- Change your password at www.example.com/reset.",
                ),
                ..breach(full, "")
            },
            "breach-login-link",
        );
        fires(
            breach(
                &format!("{full}\nEnjoy 20% off your next order with our winter sale."),
                "",
            ),
            "breach-promotional",
        );
        fires(
            breach(full, r#"<p style="font-size:11px">small print</p>"#),
            "breach-small-type",
        );
    }
}

mod readme {
    #[test]
    fn every_rule_is_listed_in_the_readme_with_its_level() {
        let readme = include_str!("../../../README.md");
        for rule in super::RULES {
            let level = match rule.level {
                super::Level::Error => "error",
                super::Level::Warning => "warning",
            };
            let row = format!("| `{}` | {level} |", rule.code);
            assert!(readme.contains(&row), "README has no row {row:?}");
        }
    }
}
