//! Property tests for the UK identifiers: whatever spacing and case people type, a valid
//! identifier normalises to one stored form, and the checks reject what they must.

use hearth_core::identifiers::{NhsNumber, NiNumber, Postcode, Uprn};
use proptest::prelude::*;

const NI_FIRST: &str = "ABCEGHJKLMNOPRSTWXYZ";
const NI_SECOND: &str = "ABCEGHJKLMNPRSTWXYZ";
const INWARD: &str = "ABDEFGHJLNPQRSTUWXYZ";

fn letter(set: &'static str) -> impl Strategy<Value = char> {
    proptest::sample::select(set.chars().collect::<Vec<_>>())
}

/// Inserts spaces between characters and changes case, as people type.
fn typed(canonical: String) -> impl Strategy<Value = String> {
    let len = canonical.len();
    (
        proptest::collection::vec(0..3usize, len),
        proptest::collection::vec(any::<bool>(), len),
    )
        .prop_map(move |(spaces, lower)| {
            canonical
                .chars()
                .zip(spaces.iter().zip(&lower))
                .map(|(c, (s, l))| {
                    format!(
                        "{}{}",
                        " ".repeat(*s),
                        if *l { c.to_ascii_lowercase() } else { c }
                    )
                })
                .collect()
        })
}

fn valid_ni() -> impl Strategy<Value = String> {
    (
        letter(NI_FIRST),
        letter(NI_SECOND),
        0..1_000_000u32,
        letter("ABCD"),
    )
        .prop_filter("unused prefixes", |(a, b, _, _)| {
            !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&format!("{a}{b}").as_str())
        })
        .prop_map(|(a, b, n, s)| format!("{a}{b}{n:06}{s}"))
}

fn valid_nhs() -> impl Strategy<Value = String> {
    proptest::array::uniform9(0..10u8).prop_filter_map("no check digit exists", |digits| {
        let check = NhsNumber::check_digit(&digits)?;
        Some(
            digits
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from(b'0' + d))
                .collect(),
        )
    })
}

fn valid_postcode() -> impl Strategy<Value = String> {
    let outward = prop_oneof![
        (letter("ABCDEFGHIJKLMNOPRSTUWYZ"), 1..10u8).prop_map(|(a, n)| format!("{a}{n}")),
        (
            letter("ABCDEFGHIJKLMNOPRSTUWYZ"),
            letter("ABCDEFGHKLMNOPQRSTUVWXY"),
            1..100u8
        )
            .prop_map(|(a, b, n)| format!("{a}{b}{n}")),
        (
            letter("ABCDEFGHIJKLMNOPRSTUWYZ"),
            1..10u8,
            letter("ABCDEFGHJKPSTUW")
        )
            .prop_map(|(a, n, c)| format!("{a}{n}{c}")),
    ];
    (outward, 0..10u8, letter(INWARD), letter(INWARD))
        .prop_map(|(o, d, x, y)| format!("{o} {d}{x}{y}"))
}

proptest! {
    #[test]
    fn ni_numbers_normalise_whatever_the_typing(canonical in valid_ni().prop_flat_map(|c| (Just(c.clone()), typed(c)))) {
        let (canonical, typed) = canonical;
        prop_assert_eq!(typed.parse::<NiNumber>().map(|n| n.to_string()), Ok(canonical));
    }

    #[test]
    fn ni_numbers_with_a_bad_suffix_are_refused(ni in valid_ni(), suffix in letter("EFGHIJKLMNOPQRSTUVWXYZ")) {
        let bad = format!("{}{suffix}", &ni[..8]);
        prop_assert!(bad.parse::<NiNumber>().is_err());
    }

    #[test]
    fn nhs_numbers_with_their_check_digit_pass_and_any_one_digit_changed_fails(nhs in valid_nhs(), at in 0..10usize, delta in 1..10u8) {
        prop_assert!(nhs.parse::<NhsNumber>().is_ok());
        let mut digits: Vec<u8> = nhs.bytes().map(|b| b - b'0').collect();
        digits[at] = (digits[at] + delta) % 10;
        let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        // Modulus 11 with weights 10..2 catches every single-digit error.
        prop_assert!(changed.parse::<NhsNumber>().is_err(), "{} should fail", changed);
    }

    #[test]
    fn postcodes_normalise_and_normalising_again_changes_nothing(canonical in valid_postcode().prop_flat_map(|c| (Just(c.clone()), typed(c.replace(' ', ""))))) {
        let (canonical, typed) = canonical;
        let parsed = typed.parse::<Postcode>().map(|p| p.to_string());
        prop_assert_eq!(parsed.clone(), Ok(canonical));
        let again = parsed.ok().map(|p| p.parse::<Postcode>().map(|q| q.to_string()));
        prop_assert!(matches!(again, Some(Ok(_))));
    }

    #[test]
    fn uprns_of_up_to_twelve_digits_round_trip(n in 1..1_000_000_000_000u64) {
        prop_assert_eq!(format!("{n:012}").parse::<Uprn>().map(|u| u.to_string()), Ok(n.to_string()));
    }
}
