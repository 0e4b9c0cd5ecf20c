//! UK postcodes: outward code and inward code, any case and spacing accepted.

use super::{InvalidIdentifier, string_identifier};
use std::str::FromStr;

/// A postcode in its normalised form: upper case, one space before the inward code (`HD1 2TG`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

const INWARD_FORBIDDEN: &[u8] = b"CIKMOV";

fn outward_ok(out: &[u8]) -> bool {
    let a = |i: usize| out[i].is_ascii_uppercase();
    let n = |i: usize| out[i].is_ascii_digit();
    match out.len() {
        2 => a(0) && n(1), // AN
        3 => (a(0) && n(1) && n(2)) || (a(0) && a(1) && n(2)) || (a(0) && n(1) && a(2)), // ANN, AAN, ANA
        4 => (a(0) && a(1) && n(2) && n(3)) || (a(0) && a(1) && n(2) && a(3)), // AANN, AANA
        _ => false,
    }
}

impl Postcode {
    /// The outward code (`HD1`), which statistics may keep when the full postcode may not.
    pub fn outward(&self) -> &str {
        self.0.split(' ').next().unwrap_or(&self.0)
    }
}

impl FromStr for Postcode {
    type Err = InvalidIdentifier;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = compact.as_bytes();
        let bad = || {
            InvalidIdentifier(
                "is not a UK postcode: expected a form like HD1 2TG or DE1 2FS".into(),
            )
        };
        if !(5..=7).contains(&bytes.len()) {
            return Err(bad());
        }
        let (out, inward) = bytes.split_at(bytes.len() - 3);
        let inward_ok = inward[0].is_ascii_digit()
            && inward[1..]
                .iter()
                .all(|b| b.is_ascii_uppercase() && !INWARD_FORBIDDEN.contains(b));
        if !inward_ok || !outward_ok(out) {
            return Err(bad());
        }
        Ok(Self(format!(
            "{} {}",
            &compact[..compact.len() - 3],
            &compact[compact.len() - 3..]
        )))
    }
}

string_identifier!(
    Postcode,
    "HD1 2TG",
    "UK postcode, normalised to upper case with one space"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_every_format() {
        for (raw, norm) in [
            ("hd12tg", "HD1 2TG"),
            ("M1 1AE", "M1 1AE"),
            ("b33 8th", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("dn551pt", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("ec1a 1bb", "EC1A 1BB"),
        ] {
            assert_eq!(
                raw.parse::<Postcode>().map(|p| p.to_string()),
                Ok(norm.to_string()),
                "{raw}"
            );
        }
    }

    #[test]
    fn rejects_forbidden_inward_letters_and_bad_shapes() {
        for bad in [
            "HD1 2TC",
            "HD1 2IA",
            "HD1 TG",
            "1HD 2TG",
            "HD12345",
            "",
            "ABCDE 1AA",
        ] {
            assert!(bad.parse::<Postcode>().is_err(), "{bad} should be rejected");
        }
    }
}
