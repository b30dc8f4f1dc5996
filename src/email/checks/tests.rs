//! Every rule fires on a crafted case and stays silent on a clean one; the helpers they share
//! find what they look for and nothing else.

use super::links::{domain_of, same_site};
use super::words::{contains_word, first_paragraph};
use super::*;
use crate::email::esp;
use crate::email::html::{contains_css, font_size_px};
use crate::runbook::ApologyPolicy;

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
            assert!(!esp::tags(tag).is_empty(), "{tag:?} not found");
        }
        for clean in [
            "Hello,",
            "What You Can Do",
            "- Change your password",
            "Go to www.example.com [1]",
        ] {
            assert!(
                esp::tags(clean).is_empty(),
                "{clean:?} flagged: {:?}",
                esp::tags(clean)
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
        assert!(nl.pressure.iter().any(|w| text.contains(w)));
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

    /// The record a rendering is checked against, when a case gives none: nothing left out.
    static RECORD: RecordFacts = RecordFacts {
        omitted: Vec::new(),
        advice: Advice {
            password: false,
            phishing: false,
            card: false,
        },
        breach_start: None,
        nature: true,
        california: false,
        gdpr: true,
        late: Vec::new(),
    };

    const CLEAN_TEXT: &str = "Hello,\n\nOn 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.\n\nWe're sorry.\n\nKind regards,\nExample\n\n--\nExample · 1 Main Street, Springfield\nHelp: https://www.example.com/help\nUnsubscribe: https://www.example.com/unsubscribe";
    const CLEAN_HTML: &str = r#"<html><head><meta name="x-incident-layout" content="branded-base"></head><body>
        <p style="font-size:16px">Hello,</p><p>On 26 November 2026 we sent you an email that was not meant for you, because we made a mistake.</p>
        <p>We're sorry.</p><p>Example · 1 Main Street, Springfield</p>
        <a href="https://www.example.com/help">Help</a> <a href="https://www.example.com/unsubscribe">Unsubscribe</a></body></html>"#;

    struct Case {
        subject: &'static str,
        headers: &'static str,
        text: String,
        html: String,
        from: &'static str,
        from_name: &'static str,
        breach: bool,
        policy: ApologyPolicy,
        recipients: Option<u64>,
        affected: Affected,
        record: Option<RecordFacts>,
        origin: Origin,
    }

    impl Case {
        fn clean() -> Case {
            Case {
                subject: "We made a mistake",
                headers: "From: \"Example\" <support@example.com>\r\nSubject: We made a mistake",
                text: CLEAN_TEXT.into(),
                html: CLEAN_HTML.into(),
                from: "support@example.com",
                from_name: "Example",
                breach: false,
                policy: ApologyPolicy::Recommended,
                recipients: Some(10),
                affected: Affected::Computed(10),
                record: None,
                origin: Origin::Rendered,
            }
        }

        fn codes(&self) -> Vec<&'static str> {
            self.findings().iter().map(|f| f.code).collect()
        }

        fn findings(&self) -> Vec<Finding> {
            let facts = scan(&self.html);
            let tags = used_tags(Some(self.subject), Some(&self.text), Some(&facts));
            run(&Draft {
                origin: self.origin,
                kind: Some("wrong-segment"),
                breach: self.breach,
                locale: "en",
                answered_locale: "en",
                quoted: &[],
                policy: Some(self.policy),
                policy_override: None,
                subject: Some(self.subject),
                headers: Some(self.headers),
                text: Some(&self.text),
                html: Some(&facts),
                sender: Some(Sender {
                    name: self.from_name,
                    address: self.from,
                    reply_to: self.from,
                }),
                brand_example: &[],
                rehearsal: None,
                postal_address: Some("1 Main Street, Springfield"),
                unsubscribe_url: Some("https://www.example.com/unsubscribe"),
                esp: None,
                api_body: false,
                tags: &tags,
                list_unsubscribe: true,
                notice_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27),
                own_domains: own_domains(&["https://www.example.com"], &[self.from]),
                recipients: self.recipients,
                affected: self.affected,
                // A rendering is always checked against a record; a draft only when given one.
                record: match self.origin {
                    Origin::Rendered => Some(self.record.as_ref().unwrap_or(&RECORD)),
                    Origin::File(_) => self.record.as_ref(),
                },
            })
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
        let findings = Case::clean().both("We're sorry.", "Thank you.").findings();
        let apology = findings
            .iter()
            .find(|f| f.code == "apology-missing")
            .expect("apology-missing");
        assert!(
            apology.message.ends_with("in the text and HTML parts"),
            "{}",
            apology.message
        );
        assert_eq!(apology.part, Some("text and html"));
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
        let long_unsubscribe = format!(
            "From: \"Example\" <support@example.com>\r\nList-Unsubscribe: <https://www.example.com/{}>",
            "u".repeat(80)
        );
        let case = Case {
            headers: long_unsubscribe.leak(),
            ..Case::clean()
        };
        assert_eq!(case.codes(), ["header-long"]);
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
            Case::clean().both(
                r#"<p>We're sorry.</p>"#,
                r#"<p style="display: none">We're sorry.</p>"#,
            ),
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
        // A sent message's links go through the ESP's click tracking: not a mismatch.
        let tracked = Case::clean().both(
            r#"<a href="https://www.example.com/help">Help</a>"#,
            r#"<a href="https://shop.us1.list-manage.com/track/click?u=1&id=2">www.example.com/help</a>"#,
        );
        assert!(
            !tracked.codes().contains(&"link-text-mismatch"),
            "{:?}",
            tracked.codes()
        );
        assert!(!tracked.codes().contains(&"link-foreign-domain"));
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
            Case::clean().both("1 Main Street, Springfield\nHelp", "Help"),
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
                california: false,
                gdpr: true,
                late: Vec::new(),
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
            origin: Origin::File(Format::Eml),
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
                origin: Origin::File(Format::Eml),
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

    fn silent(case: Case, code: &str) {
        let codes = case.codes();
        assert!(
            !codes.contains(&code),
            "{code} fired: {codes:?} on\n{}",
            case.text
        );
    }

    #[test]
    fn a_breach_notice_may_name_the_list_or_the_email_that_leaked() {
        let full = FULL;
        for fact in [
            "An export of our newsletter subscriber list was copied.",
            "The sale confirmation email went to the wrong seller.",
            "The leaked file held discount codes customers had used.",
            "Up to 30% of accounts were affected.",
            "We offer free credit monitoring for a year.",
            "The phishing email said “Shop now: 50% off with code SAVE50”.",
        ] {
            silent(
                breach(
                    &full.replace(
                        "Your name and email address.",
                        &format!("Your name and email address. {fact}"),
                    ),
                    "",
                ),
                "breach-promotional",
            );
        }
        for offer in [
            "Use code SORRY15 for 15% off your next order.",
            "Shop now for our winter sale.",
        ] {
            fires(
                breach(&format!("{full}\n{offer}"), ""),
                "breach-promotional",
            );
        }
    }

    #[test]
    fn urgency_is_pressure_on_the_reader_not_a_report_of_what_we_did() {
        for report in [
            "We immediately disabled public sharing.",
            "We took the server offline within 24 hours.",
        ] {
            silent(
                Case::clean().both("We're sorry.", &format!("We're sorry. {report}")),
                "urgency",
            );
        }
        for pressure in [
            "Reset your password immediately.",
            "You must confirm within 24 hours.",
            "Act now to keep your account.",
        ] {
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. {pressure}")),
                "urgency",
            );
        }
    }

    #[test]
    fn the_passive_that_hides_who_did_it_is_evasive_and_no_other() {
        for evasive in [
            "A reminder was sent to you.",
            "Your details were accidentally shared.",
        ] {
            fires(
                Case::clean().both("We're sorry.", &format!("We're sorry. {evasive}")),
                "tone-passive",
            );
        }
        for plain in [
            "Your details were shared by a former employee.",
            "Your details were not shared.",
            "Passwords were not involved.",
        ] {
            silent(
                Case::clean().both("We're sorry.", &format!("We're sorry. {plain}")),
                "tone-passive",
            );
        }
    }

    #[test]
    fn quoted_words_are_not_the_writers() {
        let quoted = "We're sorry. A customer wrote: “I was very confused, lol.”";
        for code in ["tone-hedging", "tone-humour"] {
            silent(Case::clean().both("We're sorry.", quoted), code);
        }
    }

    #[test]
    fn images_contrast_preheader_and_links_are_checked() {
        let with = |extra: &str| {
            Case::clean().both(
                "<p>We're sorry.</p>",
                &format!("<p>We're sorry.</p>{extra}"),
            )
        };
        fires(
            with(r#"<img src="https://www.example.com/a.png" width="10" height="10">"#),
            "image-alt",
        );
        fires(
            with(r#"<img src="https://www.example.com/a.png" alt="Sale">"#),
            "image-size",
        );
        silent(
            with(
                r#"<img src="https://www.example.com/a.png" alt="A boot" width="10" height="10">"#,
            ),
            "image-alt",
        );
        fires(
            with(
                r##"<td style="background-color:#1f3a5f"><a href="https://www.example.com"><img src="https://www.example.com/logo.png" alt="Example" width="10" height="10"></a></td>"##,
            ),
            "image-alt",
        );
        fires(
            with(r##"<p style="color:#aaaaaa">Grey small print that is hard to read.</p>"##),
            "contrast-low",
        );
        fires(
            Case::clean().both(
                "<body>",
                r#"<body><div style="display:none">Our autumn collection is here</div>"#,
            ),
            "preheader-unclear",
        );
        silent(
            Case::clean().both(
                "<body>",
                r#"<body><div style="display:none">We sent you the wrong email</div>"#,
            ),
            "preheader-unclear",
        );
        fires(
            Case::clean().both("Help: https://www.example.com/help\n", ""),
            "links-differ",
        );
    }

    #[test]
    fn a_late_notice_is_named_with_its_clock() {
        let mut case = breach(FULL, "");
        if let Some(record) = case.record.as_mut() {
            record.late = vec!["the california-residents clock is overdue".into()];
        }
        fires(case, "breach-notice-late");
    }
}

mod drafts {
    use super::*;
    use crate::email::esp::detect;
    use crate::email::html::scan;

    /// The findings of an HTML draft read from a file, with its ESP told from its markup.
    fn html_draft(html: &str, breach: bool) -> Vec<Finding> {
        let facts = scan(html);
        let tags = used_tags(Some("We sent you the wrong date"), None, Some(&facts));
        run(&Draft {
            origin: Origin::File(Format::Html),
            kind: None,
            breach,
            locale: "en",
            answered_locale: "en",
            quoted: &[],
            policy: None,
            policy_override: None,
            subject: Some("We sent you the wrong date"),
            headers: None,
            text: None,
            html: Some(&facts),
            sender: None,
            brand_example: &[],
            rehearsal: None,
            postal_address: None,
            unsubscribe_url: None,
            esp: detect(html),
            api_body: crate::email::esp::is_api_body(html),
            tags: &tags,
            list_unsubscribe: false,
            notice_date: None,
            own_domains: Vec::new(),
            recipients: None,
            affected: Affected::Unknown,
            record: None,
        })
    }

    fn levels(findings: &[Finding], code: &str) -> Vec<Level> {
        findings
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.level)
            .collect()
    }

    const BODY: &str = "<p>On Monday we sent you an email with the wrong date for the concert. We're sorry: it is on 7 November.</p>";

    #[test]
    fn an_esp_fills_its_own_tags_and_sends_another_esps_as_written() {
        let mailchimp = format!(
            r#"<body><td class="mcnTextContent">Hi *|FNAME|*,{BODY}<a href="*|UNSUB|*">Unsubscribe</a> *|HTML:LIST_ADDRESS_HTML|*</td></body>"#
        );
        let found = html_draft(&mailchimp, false);
        assert_eq!(levels(&found, "merge-tag"), [Level::Warning], "{found:?}");
        assert_eq!(
            levels(&found, "unsubscribe-missing"),
            Vec::<Level>::new(),
            "{found:?}"
        );
        assert_eq!(
            levels(&found, "postal-address-missing"),
            Vec::<Level>::new(),
            "{found:?}"
        );
        let klaviyo = format!(
            r#"<body><p>Hi *|FNAME|*,</p>{BODY}{{% unsubscribe %}} {{{{ organization.full_address }}}}</body>"#
        );
        assert_eq!(
            levels(&html_draft(&klaviyo, false), "merge-tag"),
            [Level::Error]
        );
        let fallback = format!(
            r#"<body><p>Hi {{{{ first_name|default:'there' }}}},</p>{BODY}{{% unsubscribe %}} {{{{ organization.full_address }}}}</body>"#
        );
        assert_eq!(
            levels(&html_draft(&fallback, false), "merge-tag"),
            Vec::<Level>::new()
        );
        let typed = format!("<body><p>Dear [First Name],</p>{BODY}</body>");
        assert_eq!(
            levels(&html_draft(&typed, false), "merge-tag"),
            [Level::Error]
        );
        let quoted = format!(
            "<body><p>Our last email greeted you with “Hi {{{{ first_name }}}}”.</p>{BODY}</body>"
        );
        assert_eq!(
            levels(&html_draft(&quoted, false), "merge-tag"),
            Vec::<Level>::new()
        );
    }

    #[test]
    fn what_the_esp_adds_at_send_time_is_a_warning_and_the_template_rules_do_not_apply() {
        let bare = format!("<body>{BODY}</body>");
        let found = html_draft(&bare, false);
        assert_eq!(levels(&found, "unsubscribe-missing"), [Level::Warning]);
        assert_eq!(levels(&found, "postal-address-missing"), [Level::Warning]);
        for skipped in [
            "template-not-branded",
            "brand-unset",
            "claim-omitted",
            "audience-unknown",
            "text-part-missing",
        ] {
            assert_eq!(
                levels(&found, skipped),
                Vec::<Level>::new(),
                "{skipped}: {found:?}"
            );
        }
    }

    #[test]
    fn a_drafts_breach_headings_may_be_worded_as_notices_word_them() {
        let notice = "<body><h1>Datalek</h1><p>We are writing about a data breach.</p><h2>What happened?</h2><p>On 3 May someone without permission copied our member list.</p><h2>Which data</h2><p>Your name and email address.</p><h2>What this means for you</h2><p>You may get phishing emails.</p><h2>What we have done</h2><p>We closed the access. We're sorry.</p><h2>What you can do</h2><p>Watch for phishing emails that use your name.</p><h2>Questions?</h2><p>Reply to this email.</p></body>";
        let found = html_draft(notice, true);
        assert_eq!(
            levels(&found, "breach-legal-elements"),
            Vec::<Level>::new(),
            "{found:?}"
        );
        assert_eq!(
            levels(&found, "breach-protective-steps"),
            Vec::<Level>::new(),
            "{found:?}"
        );
        let undated = notice.replace("On 3 May someone", "Recently someone");
        let found = html_draft(&undated, true);
        assert!(
            found
                .iter()
                .any(|f| f.message.contains("no date of the breach")),
            "{found:?}"
        );
    }
}

mod documented {
    #[test]
    fn every_rule_is_listed_in_docs_apology_with_its_level_and_drafts() {
        let table = include_str!("../../../docs/apology.md");
        for rule in super::RULES {
            let level = match rule.level {
                super::Level::Error => "error",
                super::Level::Warning => "warning",
            };
            let row = format!("| `{}` | {level} | {} |", rule.code, rule.drafts.describe());
            assert!(table.contains(&row), "docs/apology.md has no row {row:?}");
        }
    }
}
