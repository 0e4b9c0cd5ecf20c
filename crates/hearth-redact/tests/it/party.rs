//! Whose data: the subject's own spans are kept, everyone else's are marked other, with
//! the relation the note states.

use super::found_with;
use hearth_redact::{Label, Party, Relation, Subject};

fn subject() -> Subject {
    Subject {
        names: vec!["Aisha Khan".into()],
        phones: vec!["07700 900123".into()],
        emails: vec!["aisha.khan@gmail.com".into()],
        addresses: vec!["14 Mill Lane, Armley, Leeds LS12 3AB".into()],
        date_of_birth: Some("1985-03-12".into()),
    }
}

fn party_of(text: &str, piece: &str) -> (Party, Option<Relation>) {
    let s = subject();
    let got = found_with(text, Some(&s));
    got.iter()
        .find(|(_, t, _)| t == piece)
        .map(|(_, _, span)| (span.party, span.relation))
        .unwrap_or_else(|| panic!("{piece} not found in {got:?}"))
}

#[test]
fn the_subjects_own_data_is_marked_subject() {
    let text = "Mrs Khan rang from 07700900123 (DOB 12/03/1985) about 14 Mill Lane, Armley, Leeds LS12 3AB.";
    assert_eq!(party_of(text, "Mrs Khan").0, Party::Subject);
    assert_eq!(party_of(text, "07700900123").0, Party::Subject);
    assert_eq!(party_of(text, "12/03/1985").0, Party::Subject);
    assert_eq!(
        party_of(text, "14 Mill Lane, Armley, Leeds LS12 3AB").0,
        Party::Subject
    );
}

#[test]
fn other_people_and_their_data_are_marked_other_with_the_relation() {
    let text = "Aisha Khan says her son Tariq Khan (dob 01/02/2010) is staying. Her neighbour Jan Nowak at 16 Mill Lane rang from 07911 123456. Plumber Dave Hughes attended.";
    assert_eq!(party_of(text, "Aisha Khan"), (Party::Subject, None));
    assert_eq!(
        party_of(text, "Tariq Khan"),
        (Party::Other, Some(Relation::Family))
    );
    assert_eq!(party_of(text, "01/02/2010").0, Party::Other);
    assert_eq!(
        party_of(text, "Jan Nowak"),
        (Party::Other, Some(Relation::Neighbour))
    );
    assert_eq!(party_of(text, "16 Mill Lane").0, Party::Other);
    assert_eq!(party_of(text, "07911 123456").0, Party::Other);
    assert_eq!(
        party_of(text, "Dave Hughes"),
        (Party::Other, Some(Relation::Operative))
    );
}

#[test]
fn the_subjects_surname_said_of_a_relative_is_other() {
    let text = "Her husband Mr Khan called.";
    assert_eq!(
        party_of(text, "Mr Khan"),
        (Party::Other, Some(Relation::Family))
    );
}

#[test]
fn without_a_subject_everything_is_other() {
    let got = found_with("Aisha Khan rang from 07700900123.", None);
    assert!(!got.is_empty());
    assert!(got.iter().all(|(_, _, s)| s.party == Party::Other));
    assert!(got.iter().any(|(l, _, _)| *l == Label::Person));
}
