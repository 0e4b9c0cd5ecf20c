//! NHS numbers: ten digits with a modulus-11 check digit, displayed 3-3-4.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// An NHS number, stored as ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NhsNumber(String);

impl NhsNumber {
    /// The check digit for the first nine digits, or `None` when no number can have them.
    pub fn check_digit(first_nine: &[u8; 9]) -> Option<u8> {
        let sum: u32 = first_nine
            .iter()
            .zip((2..=10).rev())
            .map(|(d, w)| u32::from(*d) * w)
            .sum();
        match 11 - (sum % 11) {
            11 => Some(0),
            10 => None,
            check => u8::try_from(check).ok(),
        }
    }

    /// The 3-3-4 display form (`943 476 5919`).
    pub fn display_spaced(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }
}

impl FromStr for NhsNumber {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.len() != 10 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidIdentifier(
                "is not an NHS number: expected ten digits, like 943 476 5919".into(),
            ));
        }
        let digits: Vec<u8> = compact.bytes().map(|b| b - b'0').collect();
        let mut first_nine = [0u8; 9];
        first_nine.copy_from_slice(&digits[..9]);
        match Self::check_digit(&first_nine) {
            Some(check) if check == digits[9] => Ok(Self(compact)),
            _ => Err(InvalidIdentifier(
                "is not a valid NHS number: the check digit does not match".into(),
            )),
        }
    }
}

string_identifier!(
    NhsNumber,
    "9434765919",
    "NHS number, ten digits with a valid modulus-11 check digit"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_in_any_spacing() {
        assert_eq!(
            "943 476 5919"
                .parse::<NhsNumber>()
                .map(|n| n.display_spaced()),
            Ok("943 476 5919".into())
        );
        assert!("401-023-2137".parse::<NhsNumber>().is_ok());
    }

    #[test]
    fn rejects_wrong_check_digit_and_impossible_numbers() {
        assert!("9434765918".parse::<NhsNumber>().is_err());
        assert!("94347659".parse::<NhsNumber>().is_err());
        // 000000001x: sum 2, 11 - 2 = 9, so only ...019 is valid.
        assert!("0000000019".parse::<NhsNumber>().is_ok());
        assert!("0000000018".parse::<NhsNumber>().is_err());
    }
}
