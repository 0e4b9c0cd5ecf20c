//! National Insurance numbers: two prefix letters, six digits, a suffix A-D.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// A National Insurance number in its normalised form (`AB123456C`). Never proof of identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NiNumber(String);

const BAD_FIRST: &[u8] = b"DFIQUV";
const BAD_SECOND: &[u8] = b"DFIQUVO";
const UNUSED_PREFIXES: &[&str] = &["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

impl FromStr for NiNumber {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = compact.as_bytes();
        let shape_ok = bytes.len() == 9
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2..8].iter().all(u8::is_ascii_digit)
            && (b'A'..=b'D').contains(&bytes[8]);
        if !shape_ok {
            return Err(InvalidIdentifier(
                "is not a National Insurance number: expected two letters, six digits and a letter A to D, like AB 12 34 56 C".into(),
            ));
        }
        if BAD_FIRST.contains(&bytes[0])
            || BAD_SECOND.contains(&bytes[1])
            || UNUSED_PREFIXES.contains(&&compact[..2])
        {
            return Err(InvalidIdentifier(format!(
                "is not a National Insurance number: the prefix {} is never issued",
                &compact[..2]
            )));
        }
        Ok(Self(compact))
    }
}

string_identifier!(
    NiNumber,
    "AB123456C",
    "National Insurance number, normalised (two letters, six digits, A-D)"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_spaces_and_lower_case_and_normalises() {
        assert_eq!(
            "ab 12 34 56 c".parse::<NiNumber>().map(|n| n.to_string()),
            Ok("AB123456C".to_string())
        );
    }

    #[test]
    fn rejects_the_hint_example_and_unused_prefixes() {
        for bad in [
            "QQ 12 34 56 C",
            "BG123456A",
            "GB123456A",
            "NK123456A",
            "TN123456A",
            "ZZ123456A",
            "AO123456A",
            "DA123456A",
            "AB123456E",
            "AB12345C",
            "A1123456C",
            "",
        ] {
            assert!(bad.parse::<NiNumber>().is_err(), "{bad} should be rejected");
        }
    }
}
