//! The controls residents and staff rely on, on every backend: sign-in with argon2id passwords,
//! rate-limited and audited failures, sessions; consent that takes effect at once; restriction
//! and objection enforced by the gate; assignment opening a record to an operative; and the
//! access log answering who accessed a record, when and why.

use hearth_core::clock::ManualClock;
use hearth_core::records::{ContactPoint, PersonInput};
use hearth_service::access::{ConsentInput, Control, MAX_FAILURES, StaffInput};
use hearth_service::{Caller, Hearth, ServiceError};
use hearth_testkit::{TestDb, all_backends, now};
use std::sync::Arc;
use uuid::Uuid;

fn app(db: &TestDb, clock: Arc<ManualClock>) -> Hearth {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    Hearth::new(db.store.clone(), Arc::new(register), clock)
        .unwrap_or_else(|e| panic!("shipped policy fits the shipped register: {e}"))
}

fn operator() -> Caller {
    Caller::operator("tester")
}

/// Creates a staff account with one role and returns it as a caller under `purpose`.
async fn staff(hearth: &Hearth, username: &str, role: &str, purpose: &str) -> Caller {
    let account = hearth
        .create_staff(
            &operator(),
            &StaffInput {
                username: username.into(),
                display_name: username.into(),
                password: format!("{username} correct horse battery"),
                roles: vec![role.into()],
                teams: vec!["north".into()],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("staff {username}: {e}"));
    Caller::staff(&account).for_purpose(purpose)
}

async fn resident(hearth: &Hearth, dpo: &Caller) -> Uuid {
    let input = PersonInput {
        given_name: "Zofia".into(),
        family_name: "Nowak".into(),
        date_of_birth: Some("1979-02-14".into()),
        phones: vec![ContactPoint {
            value: "07700900456".into(),
            label: Some("mobile".into()),
            source: None,
        }],
        ..Default::default()
    };
    hearth
        .create_person(dpo, &input)
        .await
        .unwrap_or_else(|e| panic!("fixture person: {e}"))
        .id()
}

fn refused<T>(result: Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::Forbidden(_)))
}

#[tokio::test]
async fn sign_in_checks_the_password_limits_failures_and_audits_them() {
    for db in all_backends().await {
        let clock = Arc::new(ManualClock::new(now()));
        let hearth = app(&db, clock.clone());
        staff(&hearth, "priya.s", "housing_officer", "tenancy_management").await;
        let password = "priya.s correct horse battery";

        let short = hearth
            .create_staff(
                &operator(),
                &StaffInput {
                    username: "x".into(),
                    display_name: String::new(),
                    password: "short".into(),
                    roles: vec!["wizard".into()],
                    teams: vec![],
                },
            )
            .await;
        match short {
            Err(ServiceError::Invalid(errors)) => {
                let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
                for field in ["username", "display_name", "password", "roles"] {
                    assert!(fields.contains(&field), "{}: {field} not reported", db.name);
                }
            }
            other => panic!("{}: a bad account was not refused: {other:?}", db.name),
        }

        let signed_in = hearth
            .sign_in("Priya.S", password)
            .await
            .unwrap_or_else(|e| panic!("{}: sign in: {e}", db.name));
        let (caller, csrf) = hearth
            .authenticate_session(&signed_in.secret)
            .await
            .unwrap_or_else(|e| panic!("{}: session: {e}", db.name));
        assert_eq!(csrf, signed_in.csrf_token);
        assert_eq!(
            caller.actor().to_string(),
            format!("staff:{}", signed_in.staff.id)
        );
        hearth
            .sign_out(&signed_in.secret)
            .await
            .unwrap_or_else(|e| panic!("{}: sign out: {e}", db.name));
        assert!(matches!(
            hearth.authenticate_session(&signed_in.secret).await,
            Err(ServiceError::Unauthenticated(_))
        ));

        for _ in 0..MAX_FAILURES {
            assert!(matches!(
                hearth.sign_in("priya.s", "guess").await,
                Err(ServiceError::Unauthenticated(_))
            ));
        }
        // Locked out: even the right password is refused until the window passes.
        assert!(matches!(
            hearth.sign_in("priya.s", password).await,
            Err(ServiceError::RateLimited(_))
        ));
        assert!(matches!(
            hearth.sign_in("nobody", "guess").await,
            Err(ServiceError::Unauthenticated(_))
        ));
        clock.advance(jiff::SignedDuration::from_mins(16));
        assert!(
            hearth.sign_in("priya.s", password).await.is_ok(),
            "{}",
            db.name
        );

        let events = db
            .store
            .audit_log(0, 10_000)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let failures: Vec<_> = events
            .iter()
            .filter(|e| e.event.action == "auth.sign_in" && e.event.decision == "denied")
            .collect();
        assert_eq!(
            failures.len(),
            MAX_FAILURES + 2,
            "{}: each failure and the lock-out are audited",
            db.name
        );
        let all_text = serde_json::to_string(&events).unwrap_or_default();
        assert!(
            !all_text.contains("nobody") && !all_text.contains("guess"),
            "{}: names typed and passwords never reach the audit log",
            db.name
        );
        assert_eq!(
            events
                .iter()
                .filter(|e| e.event.action == "auth.signed_in")
                .count(),
            2
        );
    }
}

#[tokio::test]
async fn consent_opens_a_consent_based_purpose_and_withdrawal_closes_it_at_once() {
    for db in all_backends().await {
        let hearth = app(&db, Arc::new(ManualClock::new(now())));
        let dpo = staff(
            &hearth,
            "dpo",
            "data_protection_officer",
            "information_rights",
        )
        .await;
        let person = resident(&hearth, &dpo).await;
        let planner = staff(&hearth, "ravi", "repairs_planner", "repairs_video_triage").await;
        let cso = staff(
            &hearth,
            "cso",
            "customer_service_officer",
            "customer_contact",
        )
        .await;

        // A video triage call rests on consent: nothing until the resident agrees.
        assert!(
            refused(hearth.get_person(&planner, person).await),
            "{}",
            db.name
        );
        let consent = |granted| ConsentInput {
            purpose: "repairs_video_triage".into(),
            granted,
            special_category: false,
            wording: "Can we see the problem on a video call? It may be recorded.".into(),
            wording_version: "v3".into(),
            channel: Some(hearth_core::rights::Channel::Phone),
            given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
            given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
        };
        hearth
            .record_consent(&cso, person, &consent(true))
            .await
            .unwrap_or_else(|e| panic!("{}: consent: {e}", db.name));
        let seen = hearth
            .get_person(&planner, person)
            .await
            .unwrap_or_else(|e| panic!("{}: read after consent: {e}", db.name));
        assert_eq!(seen.withheld(), ["identifiers", "equality"], "{}", db.name);

        // The resident withdraws from their own account: refused from that moment.
        hearth
            .record_consent(&Caller::resident(person), person, &consent(false))
            .await
            .unwrap_or_else(|e| panic!("{}: withdrawal: {e}", db.name));
        assert!(
            refused(hearth.get_person(&planner, person).await),
            "{}",
            db.name
        );

        let history = hearth
            .consent_history(&dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            history
                .iter()
                .map(|c| (c.granted, c.wording_version.as_str()))
                .collect::<Vec<_>>(),
            [(true, "v3"), (false, "v3")]
        );
        assert!(history[1].recorded_by.starts_with("resident:"));

        // Consent is only asked for purposes that rest on it, by someone entitled to ask.
        let wrong_purpose = ConsentInput {
            purpose: "customer_contact".into(),
            ..consent(true)
        };
        assert!(matches!(
            hearth.record_consent(&cso, person, &wrong_purpose).await,
            Err(ServiceError::Invalid(_))
        ));
        let other_resident = Caller::resident(Uuid::now_v7());
        assert!(refused(
            hearth
                .record_consent(&other_resident, person, &consent(true))
                .await
        ));
        let analyst = staff(&hearth, "ana", "analyst", "performance_and_planning").await;
        assert!(refused(
            hearth
                .record_consent(&analyst, person, &consent(true))
                .await
        ));
    }
}

#[tokio::test]
async fn restriction_and_objection_are_enforced_by_the_gate() {
    for db in all_backends().await {
        let hearth = app(&db, Arc::new(ManualClock::new(now())));
        let dpo = staff(
            &hearth,
            "dpo",
            "data_protection_officer",
            "information_rights",
        )
        .await;
        let person = resident(&hearth, &dpo).await;
        let officer = staff(&hearth, "hana", "housing_officer", "tenancy_management").await;
        let cso = staff(
            &hearth,
            "cso",
            "customer_service_officer",
            "customer_contact",
        )
        .await;

        assert!(refused(
            hearth
                .set_control(&cso, person, Control::Restriction, true, "asked", None)
                .await
        ));
        assert!(matches!(
            hearth
                .set_control(&dpo, person, Control::Restriction, true, "  ", None)
                .await,
            Err(ServiceError::Invalid(_))
        ));
        hearth
            .set_control(
                &dpo,
                person,
                Control::Restriction,
                true,
                "accuracy of the address contested (Art 18(1)(a))",
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{}: restrict: {e}", db.name));
        assert!(
            refused(hearth.get_person(&officer, person).await),
            "{}",
            db.name
        );
        assert!(refused(hearth.get_person(&cso, person).await));
        assert!(
            hearth.get_person(&dpo, person).await.is_ok(),
            "storage only, but the DPO handles it"
        );
        // Lifting needs the day the person was told, and that day cannot be ahead.
        let tomorrow = hearth.today().tomorrow().unwrap_or_else(|e| panic!("{e}"));
        for told_on in [None, Some(tomorrow)] {
            assert!(
                matches!(
                    hearth
                        .set_control(
                            &dpo,
                            person,
                            Control::Restriction,
                            false,
                            "verified",
                            told_on
                        )
                        .await,
                    Err(ServiceError::Invalid(_))
                ),
                "{}: lifting with told_on {told_on:?}",
                db.name
            );
        }
        assert!(refused(hearth.get_person(&officer, person).await));
        hearth
            .set_control(
                &dpo,
                person,
                Control::Restriction,
                false,
                "address verified; resident told by letter before lifting",
                Some(hearth.today()),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            hearth.get_person(&officer, person).await.is_ok(),
            "{}",
            db.name
        );

        // An objection stops what rests on public task alone (customer contact), not what
        // also rests on the tenancy contract (tenancy management).
        hearth
            .set_control(
                &dpo,
                person,
                Control::Objection,
                true,
                "objects to marketing calls",
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            refused(hearth.get_person(&cso, person).await),
            "{}",
            db.name
        );
        assert!(
            hearth.get_person(&officer, person).await.is_ok(),
            "{}",
            db.name
        );
        let controls = hearth
            .person_controls(&dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(controls.objected && !controls.restricted);
        assert!(matches!(
            hearth
                .set_control(&dpo, Uuid::now_v7(), Control::Objection, true, "x", None)
                .await,
            Err(ServiceError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn an_operative_sees_a_person_only_when_assigned_and_the_access_log_says_so() {
    for db in all_backends().await {
        let hearth = app(&db, Arc::new(ManualClock::new(now())));
        let dpo = staff(
            &hearth,
            "dpo",
            "data_protection_officer",
            "information_rights",
        )
        .await;
        let person = resident(&hearth, &dpo).await;
        let operative = staff(
            &hearth,
            "olu",
            "repairs_operative",
            "repairs_and_maintenance",
        )
        .await;
        let planner = staff(
            &hearth,
            "ravi",
            "repairs_planner",
            "repairs_and_maintenance",
        )
        .await;
        let operative_id = match operative.principal() {
            hearth_policy::Principal::Staff { id, .. } => id.parse().unwrap_or_default(),
            _ => Uuid::nil(),
        };

        assert!(
            refused(hearth.get_person(&operative, person).await),
            "{}",
            db.name
        );
        assert!(refused(
            hearth
                .assign_staff(&operative, person, operative_id, "job 4411")
                .await
        ));
        hearth
            .assign_staff(&planner, person, operative_id, "job 4411: boiler")
            .await
            .unwrap_or_else(|e| panic!("{}: assign: {e}", db.name));
        let seen = hearth
            .get_person(&operative, person)
            .await
            .unwrap_or_else(|e| panic!("{}: assigned read: {e}", db.name));
        assert_eq!(
            seen.withheld(),
            ["date_of_birth", "identifiers", "equality"],
            "{}: name and contact details only",
            db.name
        );

        // Who accessed this record, when and why: the DPO and the resident may ask.
        let log = hearth
            .audit_for_person(&dpo, person, 100)
            .await
            .unwrap_or_else(|e| panic!("{}: access log: {e}", db.name));
        let operative_actor = operative.actor().to_string();
        let by_operative: Vec<_> = log
            .iter()
            .filter(|e| e.event.actor == operative_actor && e.event.action == "person.read")
            .collect();
        assert_eq!(
            by_operative.len(),
            2,
            "{}: one refused, one allowed",
            db.name
        );
        assert_eq!(by_operative[0].event.decision, "allowed", "newest first");
        assert_eq!(by_operative[1].event.decision, "denied");
        assert_eq!(
            by_operative[0].event.purpose.as_deref(),
            Some("repairs_and_maintenance")
        );
        assert_eq!(by_operative[0].event.fields, ["contact", "identity"]);
        assert!(log.iter().any(|e| e.event.action == "work.assigned"));
        let own = hearth
            .audit_for_person(&Caller::resident(person), person, 100)
            .await
            .unwrap_or_else(|e| panic!("{}: the resident's own log: {e}", db.name));
        assert!(
            own.len() > log.len(),
            "{}: the DPO's lookup is itself logged",
            db.name
        );
        assert!(refused(
            hearth.audit_for_person(&planner, person, 100).await
        ));
        assert!(refused(
            hearth
                .audit_for_person(&Caller::resident(Uuid::now_v7()), person, 100)
                .await
        ));
    }
}

#[tokio::test]
async fn restricting_a_tenant_restricts_their_household_and_tenancy_and_logs_their_reads() {
    use hearth_core::records::{
        AddressInput, HouseholdInput, MembershipInput, PropertyInput, TenancyInput,
    };
    for db in all_backends().await {
        let hearth = app(&db, Arc::new(ManualClock::new(now())));
        let dpo = staff(
            &hearth,
            "dpo",
            "data_protection_officer",
            "information_rights",
        )
        .await;
        let officer = staff(&hearth, "hana", "housing_officer", "tenancy_management").await;
        let person = resident(&hearth, &dpo).await;
        let household = hearth
            .create_household(
                &officer,
                &HouseholdInput {
                    external_ref: Some("HH-9".into()),
                    name: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        hearth
            .add_member(
                &officer,
                household,
                &MembershipInput {
                    person_id: person,
                    relationship: "lead_tenant".into(),
                    start_date: "2020-01-06".into(),
                    end_date: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{}: member: {e}", db.name));
        let property = hearth
            .create_property(
                &officer,
                &PropertyInput {
                    uprn: "100023336999".into(),
                    address: AddressInput {
                        line1: "9 Canal Side".into(),
                        postcode: "HD1 3AB".into(),
                        ..Default::default()
                    },
                    property_type: None,
                    bedrooms: None,
                    source: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        let tenancy = hearth
            .create_tenancy(
                &officer,
                &TenancyInput {
                    external_ref: Some("T-9".into()),
                    household_id: household,
                    property_id: property,
                    tenancy_type: "secure".into(),
                    start_date: "2020-01-06".into(),
                    end_date: None,
                    end_reason: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{}: tenancy: {e}", db.name))
            .id();
        assert!(hearth.get_tenancy(&officer, tenancy).await.is_ok());

        hearth
            .set_control(
                &dpo,
                person,
                Control::Restriction,
                true,
                "accuracy contested",
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            refused(hearth.get_household(&officer, household).await),
            "{}",
            db.name
        );
        assert!(
            refused(hearth.get_tenancy(&officer, tenancy).await),
            "{}",
            db.name
        );
        assert!(hearth.get_tenancy(&dpo, tenancy).await.is_ok());
        assert!(
            hearth.get_property(&officer, property).await.is_ok(),
            "the property is not about them"
        );

        let log = hearth
            .audit_for_person(&dpo, person, 100)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let tenancy_reads: Vec<_> = log
            .iter()
            .filter(|e| {
                e.event.action == "tenancy.read" && e.event.actor == officer.actor().to_string()
            })
            .map(|e| e.event.decision.as_str())
            .collect();
        assert_eq!(
            tenancy_reads,
            ["denied", "allowed"],
            "{}: reads of their tenancy are in the tenant's access log",
            db.name
        );
    }
}
