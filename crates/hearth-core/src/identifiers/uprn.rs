//! Unique Property Reference Numbers: up to twelve digits, the public-sector property key.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// A UPRN, stored without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uprn(String);

impl FromStr for Uprn {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 12 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidIdentifier(
                "is not a UPRN: expected one to twelve digits".into(),
            ));
        }
        let trimmed = raw.trim_start_matches('0');
        if trimmed.is_empty() {
            return Err(InvalidIdentifier(
                "is not a UPRN: zero is not a property".into(),
            ));
        }
        Ok(Self(trimmed.to_string()))
    }
}

string_identifier!(
    Uprn,
    "83112345678",
    "Unique Property Reference Number, one to twelve digits"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_up_to_twelve_digits() {
        assert_eq!(
            "000083112345".parse::<Uprn>().map(|u| u.to_string()),
            Ok("83112345".into())
        );
        assert!("1234567890123".parse::<Uprn>().is_err());
        assert!("12a".parse::<Uprn>().is_err());
        assert!("0".parse::<Uprn>().is_err());
    }
}
