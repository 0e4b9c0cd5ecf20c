//! UK phone numbers: +44 or 0 followed by the national number; stored in national form.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// A phone number in national form, digits only (`01484221000`, `07700900123`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with("07")
    }
}

impl FromStr for Phone {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let kept: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let national = if let Some(rest) = kept.strip_prefix("+44") {
            format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
        } else if let Some(rest) = kept.strip_prefix("0044") {
            format!("0{rest}")
        } else {
            kept
        };
        let digits_ok = national.starts_with('0') && national.bytes().all(|b| b.is_ascii_digit());
        let length_ok = if national.starts_with("07") {
            national.len() == 11
        } else {
            (10..=11).contains(&national.len())
        };
        if !digits_ok || !length_ok {
            return Err(InvalidIdentifier(
                "is not a UK phone number: expected 0 or +44 then the number, like 01484 221000 or 07700 900123".into(),
            ));
        }
        Ok(Self(national))
    }
}

string_identifier!(
    Phone,
    "01484221000",
    "UK phone number in national form, digits only"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_international_and_spaced_forms() {
        assert_eq!(
            "+44 (0)7700 900123".parse::<Phone>().map(|p| p.to_string()),
            Ok("07700900123".into())
        );
        assert_eq!(
            "01484 221000".parse::<Phone>().map(|p| p.to_string()),
            Ok("01484221000".into())
        );
        assert!(
            "0770090012".parse::<Phone>().is_err(),
            "mobiles have 11 digits"
        );
        assert!("12345".parse::<Phone>().is_err());
    }
}
