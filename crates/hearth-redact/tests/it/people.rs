//! Names in the forms staff write them, of many origins, in cased and lower-case notes.

use super::{found, has, labels};
use hearth_redact::Label;

#[test]
fn names_in_every_written_form() {
    for (text, name) in [
        ("Spoke to Aisha Khan about the leak.", "Aisha Khan"),
        ("Spoke to Mrs Okonkwo about the leak.", "Mrs Okonkwo"),
        ("Letter sent to J. Kowalczyk today.", "J. Kowalczyk"),
        ("KOWALSKI, Anna attended the office.", "KOWALSKI, Anna"),
        ("Her neighbour Siobhan called twice.", "Siobhan"),
        (
            "Met Abdirahman Warsame and Mei Chen at the door.",
            "Abdirahman Warsame",
        ),
        (
            "Met Abdirahman Warsame and Mei Chen at the door.",
            "Mei Chen",
        ),
        ("Dr Witting is her GP.", "Dr Witting"),
    ] {
        assert!(has(text, Label::Person, name), "{text}: {:?}", found(text));
    }
}

#[test]
fn lower_case_rushed_notes() {
    let text = "spoke to mrs begum re damp, her son tariq says mould in bthrm. l macinnes from no 4 also rang";
    assert!(has(text, Label::Person, "mrs begum"), "{:?}", found(text));
    assert!(has(text, Label::Person, "tariq"), "{:?}", found(text));
    assert!(has(text, Label::Person, "l macinnes"), "{:?}", found(text));
}

#[test]
fn email_signatures_name_their_writer() {
    let text = "Hi,\nThe boiler is fixed.\n\nKind regards,\nGrace Adeyemi\nHousing Officer";
    assert!(
        has(text, Label::Person, "Grace Adeyemi"),
        "{:?}",
        found(text)
    );
}

#[test]
fn ordinary_capitalised_words_are_not_people() {
    for text in [
        "He said the Boiler was fine on Monday.",
        "Tenant will call back in May.",
        "Universal Credit paid the rent.",
    ] {
        assert!(
            !labels(text).contains(&Label::Person),
            "{text}: {:?}",
            found(text)
        );
    }
}
