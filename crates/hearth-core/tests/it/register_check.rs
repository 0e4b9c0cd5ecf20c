//! The register checker catches each planted error, on its line, and accepts the shipped register.

use hearth_core::register::{DisposalAction, Period, default_register, parse_register};

const PLANTED: &str = include_str!("../registers/planted_errors.toml");

fn line_of(marker: &str) -> usize {
    PLANTED
        .lines()
        .position(|l| l.contains(marker))
        .map(|i| i + 1)
        .unwrap_or(0)
}

#[test]
fn every_planted_error_is_reported_with_its_line_field_and_reason() {
    let problems = parse_register(PLANTED).err().unwrap_or_default();
    let find = |field_part: &str, reason_part: &str| {
        problems
            .iter()
            .find(|p| p.field.contains(field_part) && p.reason.contains(reason_part))
            .map(|p| p.line)
    };
    assert_eq!(
        find(
            "tenancy_management).lawful_basis",
            "unknown Art 6(1) basis 'z'"
        ),
        Some(line_of("PLANT unknown basis"))
    );
    assert!(
        find("(adaptations).special_condition", "special category").is_some(),
        "{problems:#?}"
    );
    assert_eq!(
        find("(adaptations).recipients", "unknown recipient 'nhs'"),
        Some(line_of("PLANT unknown recipient"))
    );
    assert!(
        find("(surveys).consent_withdrawal", "relies on consent").is_some(),
        "{problems:#?}"
    );
    assert_eq!(
        find("purposes[3] (surveys).id", "duplicate id 'surveys'"),
        Some(line_of("PLANT duplicate id"))
    );
    assert!(
        find("(tenancy_file).retention", "is required").is_some(),
        "{problems:#?}"
    );
    assert_eq!(
        problems.len(),
        6,
        "exactly the planted problems: {problems:#?}"
    );
}

#[test]
fn unknown_keys_are_rejected_with_their_line() {
    let bad = PLANTED.replace(
        "kind = \"processor\"",
        "kind = \"processor\"\ncolour = \"blue\"",
    );
    let problems = parse_register(&bad).err().unwrap_or_default();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].reason.contains("colour"), "{problems:?}");
    assert_eq!(
        problems[0].line,
        bad.lines()
            .position(|l| l.starts_with("colour"))
            .map_or(0, |i| i + 1)
    );
}

#[test]
fn the_shipped_register_is_valid_and_reproduces_the_seed_schedules() {
    let register = match default_register() {
        Ok(r) => r,
        Err(problems) => panic!("shipped register invalid: {problems:#?}"),
    };
    let period = |id: &str| register.record_type(id).map(|r| r.retention.period);
    assert_eq!(period("cso_notes"), Some(Period::Days(1)));
    assert_eq!(period("blue_badge_record_log"), Some(Period::Months(3)));
    assert_eq!(period("blue_badge_photos"), Some(Period::Months(6)));
    assert_eq!(period("pcidss_consent_forms"), Some(Period::Months(3)));
    assert_eq!(period("cctv_footage"), Some(Period::Days(30)));
    assert_eq!(period("video_recording"), Some(Period::Weeks(4)));
    assert_eq!(period("smile_service_requests"), Some(Period::Years(2)));
    assert_eq!(period("tenancy_file"), Some(Period::Years(6)));
    assert_eq!(period("asbestos_register"), Some(Period::Indefinite));
    assert_eq!(
        register
            .record_type("security_incidents")
            .map(|r| r.retention.action),
        Some(DisposalAction::Review)
    );
    for id in [
        "whitespace",
        "kd_seniors",
        "kd_duty_ops",
        "kd_ops",
        "kd_rbst",
        "contact_centre",
        "kd_donotreply",
        "social_access",
        "waste",
        "customer_enquiries",
    ] {
        assert!(
            register.record_types.iter().any(|r| r.id.contains(id)),
            "appendix 2 row {id} missing"
        );
    }
    for id in [
        "repairs_video_triage",
        "repairs_video_advice",
        "repairs_video_survey",
        "repairs_video_operative_support",
        "repairs_video_assess_work",
        "nfi_data_matching",
        "emergency_support",
        "cctv_safety",
    ] {
        assert!(register.purpose(id).is_some(), "purpose {id} missing");
    }
    assert_eq!(register.hash.len(), 64);
}
