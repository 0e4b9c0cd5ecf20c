//! Addresses from the flat or house number to the postcode; streets alone; towns alone not.

use super::{found, has, labels};
use hearth_redact::Label;

#[test]
fn one_line_and_multi_line_addresses_are_covered_whole() {
    let one = "Visited 14 Mill Lane, Armley, Leeds LS12 3AB today.";
    assert!(
        has(one, Label::Address, "14 Mill Lane, Armley, Leeds LS12 3AB"),
        "{:?}",
        found(one)
    );
    let block = "Address:\nFlat 3, Jubilee Court\n45 Station Road\nHuddersfield\nHD1 2TG\nThanks";
    assert!(
        has(
            block,
            Label::Address,
            "Flat 3, Jubilee Court\n45 Station Road\nHuddersfield\nHD1 2TG"
        ),
        "{:?}",
        found(block)
    );
    let lower = "lives at 12 tenter lane, fartown, huddersfield hd2 1ab";
    assert!(
        has(
            lower,
            Label::Address,
            "12 tenter lane, fartown, huddersfield hd2 1ab"
        ),
        "{:?}",
        found(lower)
    );
}

#[test]
fn streets_flats_and_numbered_homes_alone_are_addresses() {
    assert!(has(
        "Kids from Heron Close keep damaging the bins.",
        Label::Address,
        "Heron Close"
    ));
    assert!(has(
        "Water coming through from Flat 12 above.",
        Label::Address,
        "Flat 12"
    ));
    assert!(has(
        "noise from no. 14 most nights",
        Label::Address,
        "no. 14"
    ));
}

#[test]
fn a_town_named_alone_and_organisations_are_not_addresses_or_people() {
    for text in [
        "She moved here from Bradford last year.",
        "Advised to contact Oakwood Surgery and Citizens Advice.",
        "Apex Plumbing Ltd attended.",
        "Referred to St Mary's Primary School.",
        "Called British Gas and Yorkshire Water.",
    ] {
        let got = labels(text);
        assert!(got.is_empty(), "{text}: {:?}", found(text));
    }
}
