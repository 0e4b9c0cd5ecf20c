//! Phones, NI and NHS numbers, emails and postcodes; references, prices, times and
//! accounts that look like them but are not.

use super::{found, has, labels};
use hearth_redact::Label;

#[test]
fn uk_phone_formats_are_found_whole() {
    for phone in [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "(0113) 496 0123",
        "0113 496 0123",
        "+44 (0)113 496 0123",
        "07700-900123",
        "01484 221000",
    ] {
        let text = format!("Call her on {phone} after lunch.");
        assert!(
            has(&text, Label::Phone, phone),
            "{phone}: {:?}",
            found(&text)
        );
    }
}

#[test]
fn switchboards_references_prices_and_times_are_not_phones() {
    for text in [
        "Pennine Living 0300 123 4567",
        "Job raised JOB-0113496012, due 10:30.",
        "Rent account 01234567 is £1,250.00 in arrears.",
        "Crime ref 13/45678/25, attended at 2pm.",
        "Order 07700900123 placed for the boiler part",
    ] {
        assert!(
            !labels(text).contains(&Label::Phone),
            "{text}: {:?}",
            found(text)
        );
    }
}

#[test]
fn ni_numbers_need_an_issued_prefix_and_suffix() {
    assert!(has(
        "NI number AB 12 34 56 C given",
        Label::UkNiNumber,
        "AB 12 34 56 C"
    ));
    assert!(has("ni jk123456a", Label::UkNiNumber, "jk123456a"));
    for bad in ["QQ 12 34 56 C", "GB123456A", "AB123456E", "DA123456A"] {
        let text = format!("NI number {bad} on the form");
        assert!(!labels(&text).contains(&Label::UkNiNumber), "{bad}");
    }
}

#[test]
fn nhs_numbers_need_a_valid_check_digit() {
    assert!(has(
        "NHS no 943 476 5919.",
        Label::NhsNumber,
        "943 476 5919"
    ));
    assert!(has("nhs 9434765919", Label::NhsNumber, "9434765919"));
    let wrong = "NHS no 943 476 5918.";
    assert!(!labels(wrong).contains(&Label::NhsNumber));
    assert!(!labels("Account number 4010232138 (wrong check digit)").contains(&Label::NhsNumber));
}

#[test]
fn personal_emails_are_found_but_team_mailboxes_are_not() {
    assert!(has(
        "email aisha.khan@gmail.com today",
        Label::Email,
        "aisha.khan@gmail.com"
    ));
    for mailbox in [
        "repairs@pennine.org.uk",
        "asb.team@leeds.gov.uk",
        "customer-services@homes.org",
        "noreply@council.gov.uk",
    ] {
        let text = format!("Forwarded to {mailbox}.");
        assert!(!labels(&text).contains(&Label::Email), "{mailbox}");
    }
}

#[test]
fn a_postcode_alone_is_a_postcode() {
    assert!(has(
        "Postcode given was LS6 2AB.",
        Label::Postcode,
        "LS6 2AB"
    ));
    assert!(has("postcode hd12tg", Label::Postcode, "hd12tg"));
    assert!(!labels("Fault code HD1 2TC on the boiler").contains(&Label::Postcode));
}
