//! The brand an apology is sent under, from `incident.toml` `[brand]`, with a neutral built-in
//! default. Every value ends up in a header or the HTML, so each is checked when loaded.

use serde::{Deserialize, Serialize};

/// `[brand]` in `incident.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Brand {
    /// The company as subscribers know it.
    pub name: String,
    /// The From display name (the sender only: no subject text, no emoji).
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
        }
    }
}

impl Brand {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_brand_is_valid() {
        assert_eq!(Brand::default().validate(), Ok(()));
        assert_eq!(Brand::default().domain(), "example.com");
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
