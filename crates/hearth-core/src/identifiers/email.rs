//! Email addresses: a plausibility check, not a delivery guarantee; the domain is lower-cased.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// An email address with its domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl FromStr for Email {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let bad = || {
            InvalidIdentifier(
                "is not an email address: expected a form like name@example.org".into(),
            )
        };
        let (local, domain) = raw.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if local.is_empty()
            || local.len() > 64
            || raw.len() > 254
            || raw.chars().any(char::is_whitespace)
            || !domain_ok
        {
            return Err(bad());
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }
}

string_identifier!(Email, "resident@example.org", "Email address");
