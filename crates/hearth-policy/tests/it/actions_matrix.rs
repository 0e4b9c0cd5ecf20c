//! The actions that have no service of their own yet (export, delete, disclose) decided by the
//! shipped policy for every shipped role, on a person's identity fields and on a property. The
//! record operations (read, search, create, update) are covered end to end, on both databases,
//! by `hearth-service/tests/access_matrix.rs`.

use hearth_core::register::default_register;
use hearth_policy::{DEFAULT_POLICY, Gate, Principal, RecordAction, RecordView, SubjectControls};

/// For one role under its usual purpose: which of export, delete, disclose are allowed on a
/// person's identity fields, then on a property.
const EXPECTED: &[(&str, &str, [bool; 3], [bool; 3])] = &[
    (
        "customer_service_officer",
        "customer_contact",
        [false; 3],
        [false; 3],
    ),
    (
        "contact_centre_senior",
        "customer_contact",
        [false; 3],
        [false; 3],
    ),
    (
        "housing_officer",
        "tenancy_management",
        [false; 3],
        [false; 3],
    ),
    (
        "repairs_planner",
        "repairs_and_maintenance",
        [false; 3],
        [false; 3],
    ),
    (
        "repairs_operative",
        "repairs_and_maintenance",
        [false; 3],
        [false; 3],
    ),
    (
        "handy_person_caseworker",
        "adaptations",
        [false; 3],
        [false; 3],
    ),
    ("manager", "tenancy_management", [false; 3], [false; 3]),
    // Answering a rights request: a copy for the person, erasure, disclosure with a record.
    (
        "data_protection_officer",
        "information_rights",
        [true; 3],
        [true; 3],
    ),
    // Investigators and planners take extracts of the people they work on, nothing else.
    (
        "fraud_investigator",
        "fraud_prevention",
        [true, false, false],
        [false; 3],
    ),
    (
        "emergency_planner",
        "emergency_support",
        [true, false, false],
        [false; 3],
    ),
    // Analysts may export, but never names: identity is outside their purposes.
    (
        "analyst",
        "performance_and_planning",
        [false; 3],
        [false; 3],
    ),
    ("administrator", "customer_contact", [false; 3], [false; 3]),
];

const ACTIONS: [RecordAction; 3] = [
    RecordAction::Export,
    RecordAction::Delete,
    RecordAction::Disclose,
];

fn person_view(person_id: &str) -> RecordView {
    RecordView {
        record_type: "person_record".into(),
        record_id: person_id.into(),
        field_group: "identity".into(),
        categories: vec!["identity".into()],
        subject: Some(SubjectControls {
            person_id: person_id.into(),
            ..Default::default()
        }),
        related: Default::default(),
    }
}

fn property_view() -> RecordView {
    RecordView {
        record_type: "property".into(),
        record_id: "p1".into(),
        field_group: "property".into(),
        categories: vec!["property".into()],
        subject: None,
        related: Default::default(),
    }
}

#[test]
fn export_delete_and_disclose_follow_the_table_for_every_role() {
    let register = default_register().unwrap_or_else(|p| panic!("{p:?}"));
    let gate = Gate::new(&register, DEFAULT_POLICY, "policy/hearth.cedar")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut wrong = Vec::new();
    for (role, purpose, on_person, on_property) in EXPECTED {
        let staff = Principal::Staff {
            id: format!("staff-{role}"),
            roles: vec![role.to_string()],
            teams: vec![],
        };
        for (view, expected) in [
            (person_view("person-1"), on_person),
            (property_view(), on_property),
        ] {
            for (action, want) in ACTIONS.iter().zip(expected) {
                let got = gate
                    .decide_record(&staff, *action, purpose, &view)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .allowed;
                if got != *want {
                    wrong.push(format!(
                        "{role} ({purpose}) {} {}: {got}, expected {want}",
                        action.as_str(),
                        view.record_type
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "decisions differ:\n  {}",
        wrong.join("\n  ")
    );
    assert_eq!(EXPECTED.len(), 12, "every shipped role is in the table");
}

#[test]
fn a_resident_exports_their_own_record_and_nobody_elses() {
    let register = default_register().unwrap_or_else(|p| panic!("{p:?}"));
    let gate = Gate::new(&register, DEFAULT_POLICY, "policy/hearth.cedar")
        .unwrap_or_else(|e| panic!("{e}"));
    let resident = Principal::Resident {
        person_id: "person-1".into(),
    };
    let decide = |action, view: &RecordView| {
        gate.decide_record(&resident, action, "information_rights", view)
            .unwrap_or_else(|e| panic!("{e}"))
            .allowed
    };
    assert!(decide(RecordAction::Export, &person_view("person-1")));
    assert!(!decide(RecordAction::Export, &person_view("person-2")));
    assert!(
        !decide(RecordAction::Delete, &person_view("person-1")),
        "erasure goes through a request"
    );
    assert!(!decide(RecordAction::Disclose, &person_view("person-1")));
}
