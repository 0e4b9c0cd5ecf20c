//! Every shipped role, working under its usual purpose, against every record type and every
//! action the services offer (read, search, create, update), on every backend. The expected
//! outcomes are written out by hand from the register and the shipped policy, so a change to
//! either that alters who sees what fails here until this table is changed to match.

use hearth_core::access::StaffAccount;
use hearth_core::clock::ManualClock;
use hearth_core::records::{
    AddressInput, ContactEntryInput, ContactPoint, Equality, EqualityAnswer, HouseholdInput,
    PersonInput, PropertyInput, TenancyInput,
};
use hearth_service::access::{Guarded, Visible};
use hearth_service::{Caller, Hearth, RecordChange, ServiceError};
use hearth_store::{ContactQuery, HouseholdQuery, Page, PersonQuery, PropertyQuery, TenancyQuery};
use hearth_testkit::{TestDb, all_backends, now};
use std::sync::Arc;
use uuid::Uuid;

/// One role's expected outcomes. For people, the field groups a read shows (empty: refused)
/// and whether a write of identity, contact, date of birth and identifiers is allowed. For the
/// other record types, which of Read, Search, Create, Update are allowed ('-' where refused).
struct Expect {
    role: &'static str,
    purpose: &'static str,
    person_groups: &'static [&'static str],
    person_write: bool,
    property: &'static str,
    household: &'static str,
    tenancy: &'static str,
    contact: &'static str,
}

const NOTHING: &str = "----";
const ALL: &str = "RSCU";
const PERSON_ALL: &[&str] = &[
    "identity",
    "contact",
    "date_of_birth",
    "identifiers",
    "equality",
];
const PERSON_BUT_EQUALITY: &[&str] = &["identity", "contact", "date_of_birth", "identifiers"];

const MATRIX: &[Expect] = &[
    // Customer contact covers the person and the contact log, not equality answers, and no
    // property, household or tenancy records (those serve housing purposes).
    Expect {
        role: "customer_service_officer",
        purpose: "customer_contact",
        person_groups: PERSON_BUT_EQUALITY,
        person_write: true,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: ALL,
    },
    Expect {
        role: "contact_centre_senior",
        purpose: "customer_contact",
        person_groups: PERSON_BUT_EQUALITY,
        person_write: true,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: ALL,
    },
    Expect {
        role: "housing_officer",
        purpose: "tenancy_management",
        person_groups: PERSON_BUT_EQUALITY,
        person_write: true,
        property: ALL,
        household: ALL,
        tenancy: ALL,
        contact: NOTHING,
    },
    // Repairs need a name, contact details and the property: no date of birth or NI number,
    // so writing a person who has them is refused.
    Expect {
        role: "repairs_planner",
        purpose: "repairs_and_maintenance",
        person_groups: &["identity", "contact"],
        person_write: false,
        property: ALL,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    // An operative reads properties, and people only when assigned (not here).
    Expect {
        role: "repairs_operative",
        purpose: "repairs_and_maintenance",
        person_groups: &[],
        person_write: false,
        property: "R---",
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    Expect {
        role: "handy_person_caseworker",
        purpose: "adaptations",
        person_groups: &["identity", "contact"],
        person_write: false,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    // Managers read and search; they change nothing.
    Expect {
        role: "manager",
        purpose: "tenancy_management",
        person_groups: PERSON_BUT_EQUALITY,
        person_write: false,
        property: "RS--",
        household: "RS--",
        tenancy: "RS--",
        contact: NOTHING,
    },
    // Answering a rights request reaches everything held, special category data included.
    Expect {
        role: "data_protection_officer",
        purpose: "information_rights",
        person_groups: PERSON_ALL,
        person_write: true,
        property: ALL,
        household: ALL,
        tenancy: ALL,
        contact: ALL,
    },
    Expect {
        role: "fraud_investigator",
        purpose: "fraud_prevention",
        person_groups: PERSON_BUT_EQUALITY,
        person_write: false,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    // Emergency lists need who and where, and date of birth for vulnerability; not NI numbers.
    Expect {
        role: "emergency_planner",
        purpose: "emergency_support",
        person_groups: &["identity", "contact", "date_of_birth"],
        person_write: false,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    // Analysts get no names or contact details: date of birth and equality answers only.
    Expect {
        role: "analyst",
        purpose: "performance_and_planning",
        person_groups: &["date_of_birth", "equality"],
        person_write: false,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
    // The administrator manages accounts and reads no resident data, whatever the purpose.
    Expect {
        role: "administrator",
        purpose: "customer_contact",
        person_groups: &[],
        person_write: false,
        property: NOTHING,
        household: NOTHING,
        tenancy: NOTHING,
        contact: NOTHING,
    },
];

fn app(db: &TestDb) -> Hearth {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    Hearth::new(
        db.store.clone(),
        Arc::new(register),
        Arc::new(ManualClock::new(now())),
    )
    .unwrap_or_else(|e| panic!("shipped policy fits the shipped register: {e}"))
}

fn staff(role: &str, purpose: &str) -> Caller {
    let account = StaffAccount {
        id: Uuid::now_v7(),
        username: role.replace('_', "-"),
        display_name: role.into(),
        password_hash: String::new(),
        roles: vec![role.into()],
        teams: vec![],
        disabled: false,
        created_at: now(),
        updated_at: now(),
    };
    Caller::staff(&account).for_purpose(purpose)
}

fn dpo() -> Caller {
    staff("data_protection_officer", "information_rights")
}

fn person_input(external_ref: &str, with_equality: bool) -> PersonInput {
    PersonInput {
        external_ref: Some(external_ref.into()),
        given_name: "Amara".into(),
        family_name: "Okafor".into(),
        date_of_birth: Some("1961-04-09".into()),
        roles: vec!["tenant".into()],
        ni_number: Some("AB123456C".into()),
        phones: vec![ContactPoint {
            value: "01632960123".into(),
            label: Some("home".into()),
            source: None,
        }],
        equality: if with_equality {
            Equality {
                ethnicity: EqualityAnswer::Answered("Black British".into()),
                ..Default::default()
            }
        } else {
            Equality::default()
        },
        ..Default::default()
    }
}

fn property_input(uprn: &str) -> PropertyInput {
    PropertyInput {
        uprn: uprn.into(),
        address: AddressInput {
            line1: "4 Mill Lane".into(),
            town: Some("Huddersfield".into()),
            postcode: "HD1 2TG".into(),
            ..Default::default()
        },
        property_type: Some("house".into()),
        bedrooms: Some(3),
        source: None,
    }
}

fn contact_input(person_id: Uuid) -> ContactEntryInput {
    ContactEntryInput {
        person_id,
        channel: "phone".into(),
        occurred_at: None,
        staff_member: "cso-114".into(),
        reason: "rent query".into(),
        summary: Some("Asked about the rent statement".into()),
    }
}

/// What one call came to: 'allowed' or refused by the policy. Anything else is a bug.
fn allowed<T>(what: &str, result: Result<T, ServiceError>) -> bool {
    match result {
        Ok(_) => true,
        Err(ServiceError::Forbidden(_)) => false,
        Err(other) => panic!("{what}: expected a decision, got {other}"),
    }
}

fn letters(read: bool, search: bool, create: bool, update: bool) -> String {
    [(read, 'R'), (search, 'S'), (create, 'C'), (update, 'U')]
        .iter()
        .map(|(ok, c)| if *ok { *c } else { '-' })
        .collect()
}

fn shown<T: Guarded>(visible: &Visible<T>) -> Vec<&'static str> {
    T::GROUPS
        .iter()
        .map(|g| g.name)
        .filter(|g| !visible.withheld().contains(g))
        .collect()
}

/// The records every role is tried against, created by the data protection officer.
struct Fixture {
    person: Uuid,
    property: Uuid,
    household: Uuid,
    tenancy: Uuid,
    contact: Uuid,
}

async fn fixture(hearth: &Hearth) -> Fixture {
    let dpo = dpo();
    let person = hearth
        .create_person(&dpo, &person_input("MX-1", true))
        .await
        .unwrap_or_else(|e| panic!("fixture person: {e}"))
        .id();
    let property = hearth
        .create_property(&dpo, &property_input("100023336956"))
        .await
        .unwrap_or_else(|e| panic!("fixture property: {e}"))
        .id();
    let household = hearth
        .create_household(
            &dpo,
            &HouseholdInput {
                external_ref: Some("HH-MX-1".into()),
                name: Some("Okafor household".into()),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("fixture household: {e}"))
        .id();
    let tenancy = hearth
        .create_tenancy(
            &dpo,
            &TenancyInput {
                external_ref: Some("T-MX-1".into()),
                household_id: household,
                property_id: property,
                tenancy_type: "secure".into(),
                start_date: "2019-06-03".into(),
                end_date: None,
                end_reason: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("fixture tenancy: {e}"))
        .id();
    let contact = hearth
        .create_contact(&dpo, &contact_input(person))
        .await
        .unwrap_or_else(|e| panic!("fixture contact: {e}"))
        .id();
    Fixture {
        person,
        property,
        household,
        tenancy,
        contact,
    }
}

/// Tries one role against every record type; returns the differences from what is expected.
async fn check(hearth: &Hearth, f: &Fixture, e: &Expect, n: usize) -> Vec<String> {
    let who = staff(e.role, e.purpose);
    let page = Page::new(1, 50);
    let mut wrong = Vec::new();

    // People: which groups a read and a search show, and whether a write is allowed.
    let read = hearth.get_person(&who, f.person).await;
    let groups = match &read {
        Ok(v) => shown(v),
        Err(ServiceError::Forbidden(_)) => vec![],
        Err(other) => panic!("{}: person read: {other}", e.role),
    };
    if groups != e.person_groups {
        wrong.push(format!(
            "person read shows {groups:?}, expected {:?}",
            e.person_groups
        ));
    }
    let found = hearth
        .list_people(&who, &PersonQuery::default(), page)
        .await;
    let searched = match &found {
        Ok(p) => p
            .items
            .iter()
            .find(|v| v.id() == f.person)
            .map(shown)
            .unwrap_or_default(),
        Err(ServiceError::Forbidden(_)) => vec![],
        Err(other) => panic!("{}: person search: {other}", e.role),
    };
    if searched != e.person_groups {
        wrong.push(format!(
            "person search shows {searched:?}, expected {:?}",
            e.person_groups
        ));
    }
    let created = allowed(
        "person create",
        hearth
            .create_person(&who, &person_input(&format!("MX-new-{n}"), false))
            .await,
    );
    // A change naming identity, contact, date of birth and identifiers (not equality).
    let mut change = serde_json::to_value(person_input("MX-1", false)).expect("input as JSON");
    if let Some(fields) = change.as_object_mut() {
        fields.remove("equality");
        fields.insert("title".into(), format!("Mx{n}").into());
    }
    let change = RecordChange::from_json(change).expect("a change");
    let updated = allowed(
        "person update",
        hearth.update_person(&who, f.person, &change, None).await,
    );
    if (created, updated) != (e.person_write, e.person_write) {
        wrong.push(format!(
            "person create {created} update {updated}, expected {}",
            e.person_write
        ));
    }
    // Whatever the role could or could not change, what it did not name is still there.
    let held = hearth
        .get_person(&dpo(), f.person)
        .await
        .unwrap_or_else(|err| panic!("reading the fixture back: {err}"));
    let held = held
        .full()
        .unwrap_or_else(|| panic!("the DPO sees everything"));
    if held.fields.equality == Equality::default() || held.fields.ni_number.is_none() {
        wrong.push("a change of the title erased equality answers or the NI number".into());
    }

    // Properties.
    let got = letters(
        allowed("property read", hearth.get_property(&who, f.property).await),
        allowed(
            "property search",
            hearth
                .list_properties(&who, &PropertyQuery::default(), page)
                .await,
        ),
        allowed(
            "property create",
            hearth
                .create_property(&who, &property_input(&format!("90000000{n:04}")))
                .await,
        ),
        allowed(
            "property update",
            hearth
                .update_property(&who, f.property, &property_input("100023336956"), None)
                .await,
        ),
    );
    if got != e.property {
        wrong.push(format!("property {got}, expected {}", e.property));
    }

    // Households.
    let household_input = HouseholdInput {
        external_ref: Some(format!("HH-new-{n}")),
        name: None,
    };
    let got = letters(
        allowed(
            "household read",
            hearth.get_household(&who, f.household).await,
        ),
        allowed(
            "household search",
            hearth
                .list_households(&who, &HouseholdQuery::default(), page)
                .await,
        ),
        allowed(
            "household create",
            hearth.create_household(&who, &household_input).await,
        ),
        allowed(
            "household update",
            hearth
                .update_household(
                    &who,
                    f.household,
                    &HouseholdInput {
                        external_ref: Some("HH-MX-1".into()),
                        name: Some("Okafor household".into()),
                    },
                    None,
                )
                .await,
        ),
    );
    if got != e.household {
        wrong.push(format!("household {got}, expected {}", e.household));
    }

    // Tenancies.
    let tenancy_input = |external_ref: String| TenancyInput {
        external_ref: Some(external_ref),
        household_id: f.household,
        property_id: f.property,
        tenancy_type: "secure".into(),
        start_date: "2019-06-03".into(),
        end_date: None,
        end_reason: None,
    };
    let got = letters(
        allowed("tenancy read", hearth.get_tenancy(&who, f.tenancy).await),
        allowed(
            "tenancy search",
            hearth
                .list_tenancies(&who, &TenancyQuery::default(), page)
                .await,
        ),
        allowed(
            "tenancy create",
            hearth
                .create_tenancy(&who, &tenancy_input(format!("T-new-{n}")))
                .await,
        ),
        allowed(
            "tenancy update",
            hearth
                .update_tenancy(&who, f.tenancy, &tenancy_input("T-MX-1".into()), None)
                .await,
        ),
    );
    if got != e.tenancy {
        wrong.push(format!("tenancy {got}, expected {}", e.tenancy));
    }

    // The contact log.
    let got = letters(
        allowed("contact read", hearth.get_contact(&who, f.contact).await),
        allowed(
            "contact search",
            hearth
                .list_contacts(
                    &who,
                    &ContactQuery {
                        person_id: Some(f.person),
                        ..Default::default()
                    },
                    page,
                )
                .await,
        ),
        allowed(
            "contact create",
            hearth.create_contact(&who, &contact_input(f.person)).await,
        ),
        allowed(
            "contact update",
            hearth
                .update_contact(&who, f.contact, &contact_input(f.person), None)
                .await,
        ),
    );
    if got != e.contact {
        wrong.push(format!("contact log {got}, expected {}", e.contact));
    }
    wrong
        .into_iter()
        .map(|w| format!("{} ({}): {w}", e.role, e.purpose))
        .collect()
}

#[tokio::test]
async fn every_role_sees_and_changes_what_its_purpose_needs_and_no_more() {
    for db in all_backends().await {
        let hearth = app(&db);
        let f = fixture(&hearth).await;
        let mut wrong = Vec::new();
        for (n, expect) in MATRIX.iter().enumerate() {
            wrong.extend(check(&hearth, &f, expect, n).await);
        }
        assert!(
            wrong.is_empty(),
            "{}: decisions differ from the table:\n  {}",
            db.name,
            wrong.join("\n  ")
        );
    }
}

#[test]
fn the_table_covers_every_shipped_role() {
    let shipped = [
        "customer_service_officer",
        "contact_centre_senior",
        "housing_officer",
        "repairs_planner",
        "repairs_operative",
        "handy_person_caseworker",
        "manager",
        "data_protection_officer",
        "fraud_investigator",
        "emergency_planner",
        "analyst",
        "administrator",
    ];
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    for role in shipped {
        assert!(
            register.roles.iter().any(|r| r.id == role),
            "the register lacks the shipped role {role}"
        );
        assert!(
            MATRIX.iter().any(|e| e.role == role),
            "the matrix does not try {role}"
        );
    }
}
