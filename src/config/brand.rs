//! The brand an apology is sent under, from `incident.toml` `[brand]`, with a neutral built-in
//! default. Every value ends up in a header or the HTML, so each is checked when loaded.

use serde::{Deserialize, Serialize};

/// `[brand]` in `incident.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    /// The company as subscribers know it.
    pub name: String,
    /// The From display name (the sender only: no subject text, no emoji); `name` when unset.
    #[serde(default)]
    pub from_name: String,
    /// The From address: a monitored mailbox, never no-reply.
    pub from_address: String,
    /// Where replies go; defaults to the From address.
    pub reply_to: Option<String>,
    /// An https URL of the logo image; without it the name is shown as text.
    pub logo_url: Option<String>,
    /// Colours as #RRGGBB.
    pub primary_color: String,
    pub background_color: String,
    pub text_color: String,
    pub website: String,
    pub support_url: String,
    /// The postal address every marketing email must show (CAN-SPAM).
    pub postal_address: String,
    /// One-click unsubscribe endpoint (RFC 8058) for marketing-mistake apologies.
    pub unsubscribe_url: String,
    /// The logo's width in pixels when shown 40 pixels high: Outlook sizes an image by its
    /// `width` attribute, not by CSS.
    pub logo_width: Option<u32>,
    /// The ISO 4217 code amounts are in when typed without one (`EUR`); the report prints it.
    pub currency: Option<String>,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: "Example Company".into(),
            from_name: "Example Company".into(),
            from_address: "support@example.com".into(),
            reply_to: None,
            logo_url: None,
            primary_color: "#1f3a5f".into(),
            background_color: "#f4f5f7".into(),
            text_color: "#1a1a1a".into(),
            website: "https://www.example.com".into(),
            support_url: "https://www.example.com/help".into(),
            postal_address: "100 Example Street, Springfield, 12345".into(),
            unsubscribe_url: "https://www.example.com/unsubscribe".into(),
            logo_width: None,
            currency: None,
        }
    }
}

/// Domains reserved for examples and testing, which no real brand can send from: the
/// second-level names of RFC 2606 §3 and the top-level names of RFC 2606 §2 (special-use
/// under RFC 6761 §6.4–6.5).
const RESERVED_DOMAINS: [&str; 3] = ["example.com", "example.net", "example.org"];
const RESERVED_TLDS: [&str; 4] = ["example", "test", "invalid", "localhost"];

/// Whether a host is, or is under, a domain reserved for examples (RFC 2606, RFC 6761).
pub fn is_reserved_example_domain(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    RESERVED_DOMAINS.iter().any(|d| under(d))
        || host
            .rsplit('.')
            .next()
            .is_some_and(|tld| RESERVED_TLDS.contains(&tld))
}

impl Brand {
    /// Fill what a `[brand]` section leaves unset from what it sets: the From name is the
    /// brand's name unless it is given.
    pub fn complete(mut self) -> Brand {
        if self.from_name.trim().is_empty() {
            self.from_name = self.name.clone();
        }
        self
    }

    /// What still shows the built-in example brand, by `[brand]` key: its name or postal
    /// address, or an address or URL on a domain reserved for examples. Empty for a real
    /// brand.
    pub fn example_keys(&self) -> Vec<String> {
        let default = Brand::default();
        let mut keys = Vec::new();
        if self.name == default.name {
            keys.push(format!("name ({:?}, the built-in example)", self.name));
        }
        if self.postal_address == default.postal_address {
            keys.push(format!(
                "postal_address ({:?}, the built-in example)",
                self.postal_address
            ));
        }
        let addresses = [
            ("from_address", Some(self.from_address.as_str())),
            ("reply_to", self.reply_to.as_deref()),
        ];
        for (key, address) in addresses {
            if let Some(address) = address
                && address
                    .rsplit_once('@')
                    .is_some_and(|(_, host)| is_reserved_example_domain(host))
            {
                keys.push(format!("{key} ({address}, a reserved example domain)"));
            }
        }
        let urls = [
            ("website", Some(self.website.as_str())),
            ("support_url", Some(self.support_url.as_str())),
            ("unsubscribe_url", Some(self.unsubscribe_url.as_str())),
            ("logo_url", self.logo_url.as_deref()),
        ];
        for (key, url) in urls {
            if let Some(url) = url
                && url_host(url).is_some_and(is_reserved_example_domain)
            {
                keys.push(format!("{key} ({url}, a reserved example domain)"));
            }
        }
        keys
    }

    /// The reply-to address in force.
    pub fn reply_to(&self) -> &str {
        self.reply_to.as_deref().unwrap_or(&self.from_address)
    }

    /// The domain of the From address, for Message-ID and List-Id.
    pub fn domain(&self) -> &str {
        self.from_address
            .rsplit_once('@')
            .map(|(_, d)| d)
            .unwrap_or("localhost")
    }

    /// Check every field; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        let single_line = [
            ("name", &self.name),
            ("from_name", &self.from_name),
            ("from_address", &self.from_address),
            ("postal_address", &self.postal_address),
        ];
        for (field, value) in single_line {
            crate::text::check_line(&format!("brand.{field}"), value)?;
        }
        // Names go into headers and the layout, where a short one is all that fits.
        for (field, value) in [("name", &self.name), ("from_name", &self.from_name)] {
            crate::text::check_length(&format!("brand.{field}"), value)?;
        }
        for (field, value) in [
            ("from_address", Some(&self.from_address)),
            ("reply_to", self.reply_to.as_ref()),
        ] {
            if let Some(address) = value {
                crate::text::check_line(&format!("brand.{field}"), address)?;
                address
                    .parse::<lettre::Address>()
                    .map_err(|_| format!("brand.{field} {address:?} is not an email address"))?;
            }
        }
        for (field, value) in [
            ("primary_color", &self.primary_color),
            ("background_color", &self.background_color),
            ("text_color", &self.text_color),
        ] {
            let hex = value.strip_prefix('#').unwrap_or_default();
            if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "brand.{field} {value:?} is not a colour like #1f3a5f"
                ));
            }
        }
        if let Some(code) = &self.currency
            && !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(format!(
                "brand.currency {code:?} is not an ISO 4217 code such as EUR, USD or GBP"
            ));
        }
        if let Some(width) = self.logo_width
            && !(1..=600).contains(&width)
        {
            return Err(format!(
                "brand.logo_width {width} is not a width in pixels from 1 to 600"
            ));
        }
        let urls = [
            ("website", Some(&self.website)),
            ("support_url", Some(&self.support_url)),
            ("unsubscribe_url", Some(&self.unsubscribe_url)),
            ("logo_url", self.logo_url.as_ref()),
        ];
        for (field, value) in urls {
            if let Some(url) = value {
                crate::text::check_line(&format!("brand.{field}"), url)?;
                let ok = url.starts_with("https://")
                    && url.len() > "https://".len()
                    && !url.contains(['"', '<', '>', ' ', '\'']);
                if !ok {
                    return Err(format!("brand.{field} {url:?} is not an https:// URL"));
                }
            }
        }
        Ok(())
    }
}

/// The host of an `https://` URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_brand_is_valid() {
        assert_eq!(Brand::default().validate(), Ok(()));
        assert_eq!(Brand::default().domain(), "example.com");
    }

    #[test]
    fn the_example_brand_and_reserved_domains_are_told_from_a_real_brand() {
        let keys = Brand::default().example_keys();
        assert_eq!(keys.len(), 6, "{keys:?}");
        assert!(keys[0].starts_with("name "), "{keys:?}");
        for host in [
            "example.com",
            "www.example.org",
            "Shop.Example.NET.",
            "northwind.example",
            "shop.test",
            "a.invalid",
            "localhost",
        ] {
            assert!(is_reserved_example_domain(host), "{host}");
        }
        for host in [
            "northwind-outfitters.nl",
            "example.nl",
            "examples.com",
            "myexample.com",
        ] {
            assert!(!is_reserved_example_domain(host), "{host}");
        }
        let real = Brand {
            name: "Northwind Outfitters".into(),
            from_address: "care@northwind-outfitters.nl".into(),
            website: "https://northwind-outfitters.nl".into(),
            support_url: "https://northwind-outfitters.nl/help".into(),
            unsubscribe_url: "https://northwind-outfitters.nl/unsubscribe".into(),
            postal_address: "Keizersgracht 1, 1015 AA Amsterdam".into(),
            ..Brand::default()
        };
        assert_eq!(real.example_keys(), Vec::<String>::new());
        let half = Brand {
            reply_to: Some("help@example.com".into()),
            ..real.clone()
        };
        assert_eq!(
            half.example_keys(),
            ["reply_to (help@example.com, a reserved example domain)"]
        );
    }

    #[test]
    fn the_from_name_is_the_brand_name_unless_given() {
        let named = Brand {
            name: "Northwind".into(),
            from_name: String::new(),
            ..Brand::default()
        };
        assert_eq!(named.clone().complete().from_name, "Northwind");
        let given = Brand {
            from_name: "Northwind Care".into(),
            ..named
        };
        assert_eq!(given.complete().from_name, "Northwind Care");
    }

    #[test]
    fn hostile_or_malformed_brand_values_are_refused() {
        let cases = [
            Brand {
                from_name: "Example\r\nBcc: all@example.com".into(),
                ..Brand::default()
            },
            Brand {
                primary_color: "red".into(),
                ..Brand::default()
            },
            Brand {
                support_url: "javascript:alert(1)".into(),
                ..Brand::default()
            },
            Brand {
                reply_to: Some("not an address".into()),
                ..Brand::default()
            },
        ];
        let fields = [
            "brand.from_name",
            "brand.primary_color",
            "brand.support_url",
            "brand.reply_to",
        ];
        for (brand, field) in cases.iter().zip(fields) {
            let err = brand.validate().unwrap_err();
            assert!(err.contains(field), "{err}");
        }
    }
}
