//! Only birth dates are personal here: appointment and visit dates are left alone.

use super::{found, has, labels};
use hearth_redact::Label;

#[test]
fn dates_after_birth_cues_are_dates_of_birth() {
    for (text, date) in [
        ("DOB 12/03/1985, lives alone", "12/03/1985"),
        ("d.o.b. 3.4.91", "3.4.91"),
        (
            "her date of birth is 14th February 1979.",
            "14th February 1979",
        ),
        (
            "Born on the 3rd of March 1985 in Leeds",
            "3rd of March 1985",
        ),
        ("son Ali (dob 01-02-2012)", "01-02-2012"),
        ("DOB: March 3, 1985", "March 3, 1985"),
    ] {
        assert!(
            has(text, Label::DateOfBirth, date),
            "{text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn appointment_and_event_dates_are_not_birth_dates() {
    for text in [
        "Appointment booked 12/03/2026 at 10:30.",
        "Visited on 3rd March 2026, tenancy started 01/04/2019.",
        "DOB confirmed. Gas safety visit booked for 14/05/2026.",
        "birth certificate seen on 02/02/2026",
    ] {
        assert!(
            !labels(text).contains(&Label::DateOfBirth),
            "{text}: {:?}",
            found(text)
        );
    }
}
