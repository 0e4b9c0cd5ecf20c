//! An access bundle on a joint tenancy with children, on every backend: it holds everything
//! about the person who asked (their record, household membership, the tenancy, their calls,
//! consents, requests, who accessed their record, and the register's supplementary
//! information) and nothing identifying the joint tenant or the children, whose withholding is
//! listed with its reason.

use hearth_core::records::{
    AddressInput, ContactEntryInput, HouseholdInput, MembershipInput, PersonInput, PropertyInput,
    TenancyInput,
};
use hearth_service::{Caller, Hearth, ServiceError};
use hearth_testkit::{TestDb, all_backends};
use std::sync::Arc;
use uuid::Uuid;

use crate::common::staff;

fn app(db: &TestDb) -> Hearth {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    Hearth::new(
        db.store.clone(),
        Arc::new(register),
        Arc::new(hearth_core::clock::SystemClock),
    )
    .unwrap_or_else(|e| panic!("shipped policy fits the shipped register: {e}"))
}

async fn person(hearth: &Hearth, dpo: &Caller, given: &str, family: &str) -> Uuid {
    let input = PersonInput {
        given_name: given.into(),
        family_name: family.into(),
        ..Default::default()
    };
    hearth
        .create_person(dpo, &input)
        .await
        .unwrap_or_else(|e| panic!("{given}: {e}"))
        .id()
}

async fn call(hearth: &Hearth, dpo: &Caller, person_id: Uuid, summary: &str) {
    hearth
        .create_contact(
            dpo,
            &ContactEntryInput {
                person_id,
                channel: "phone".into(),
                occurred_at: None,
                staff_member: "cso-114".into(),
                reason: "repairs".into(),
                summary: Some(summary.into()),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("contact: {e}"));
}

#[tokio::test]
async fn a_joint_tenants_bundle_holds_all_of_theirs_and_none_of_their_households() {
    for db in all_backends().await {
        let hearth = app(&db);
        let dpo = staff(&hearth, "the.dpo", "data_protection_officer").await;
        let asker = person(&hearth, &dpo, "Amara", "Osei").await;
        let joint = person(&hearth, &dpo, "Kwame", "Mensah").await;
        let child_a = person(&hearth, &dpo, "Esi", "Osei-Mensah").await;
        let child_b = person(&hearth, &dpo, "Kofi", "Osei-Mensah").await;
        let household = hearth
            .create_household(
                &dpo,
                &HouseholdInput {
                    external_ref: None,
                    name: Some("12 Mill Lane household".into()),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("household: {e}"))
            .id();
        for (who, relationship) in [
            (asker, "joint_tenant"),
            (joint, "joint_tenant"),
            (child_a, "child"),
            (child_b, "child"),
        ] {
            hearth
                .add_member(
                    &dpo,
                    household,
                    &MembershipInput {
                        person_id: who,
                        relationship: relationship.into(),
                        start_date: "2021-04-01".into(),
                        end_date: None,
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("member: {e}"));
        }
        let property = hearth
            .create_property(
                &dpo,
                &PropertyInput {
                    uprn: "100023336956".into(),
                    address: AddressInput {
                        line1: "12 Mill Lane".into(),
                        town: Some("Huddersfield".into()),
                        postcode: "HD1 2TG".into(),
                        ..Default::default()
                    },
                    property_type: Some("house".into()),
                    bedrooms: Some(3),
                    source: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("property: {e}"))
            .id();
        let tenancy = hearth
            .create_tenancy(
                &dpo,
                &TenancyInput {
                    external_ref: None,
                    household_id: household,
                    property_id: property,
                    tenancy_type: "secure".into(),
                    start_date: "2021-04-01".into(),
                    end_date: None,
                    end_reason: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("tenancy: {e}"))
            .id();
        call(&hearth, &dpo, asker, "Reported a leaking boiler").await;
        call(&hearth, &dpo, joint, "Asked about his own benefit claim").await;
        call(&hearth, &dpo, child_a, "School asked about the damp").await;

        let bundle = hearth
            .compile_access_bundle(&dpo, asker)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", db.name));
        assert_eq!(bundle.person.id, asker);
        assert_eq!(bundle.households.len(), 1, "{}", db.name);
        assert!(
            bundle.households[0]
                .memberships
                .iter()
                .all(|m| m.fields.person_id == asker)
        );
        assert_eq!(bundle.tenancies.len(), 1);
        assert_eq!(bundle.tenancies[0].id, tenancy);
        assert_eq!(bundle.contacts.len(), 1);
        assert!(
            bundle
                .access_log
                .iter()
                .any(|e| e.action.starts_with("person.") || e.action.contains("create")),
            "the access log lists who touched the record: {:?}",
            bundle.access_log
        );
        assert!(
            bundle
                .supplementary
                .retention
                .iter()
                .any(|r| r.record_type == "tenancy_file")
        );
        assert_eq!(bundle.withheld.len(), 1);
        assert!(bundle.withheld[0].what.starts_with("3 other member"));
        assert!(bundle.withheld[0].reason.contains("three-step"));

        // Nothing that identifies the others reaches the bundle: not their names, not their
        // ids, not what they told us.
        let json = serde_json::to_string(&bundle).unwrap_or_else(|e| panic!("{e}"));
        assert!(json.contains("Amara") && json.contains("leaking boiler"));
        for other in [joint, child_a, child_b] {
            assert!(
                !json.contains(&other.to_string()),
                "{}: {other} leaked",
                db.name
            );
        }
        for leak in [
            "Kwame",
            "Esi",
            "Kofi",
            "Mensah",
            "benefit claim",
            "School asked",
        ] {
            assert!(!json.contains(leak), "{}: '{leak}' leaked", db.name);
        }

        let compiled = db
            .store
            .latest_audit_of("rights.access_compiled")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("compiling is audited"));
        assert_eq!(compiled.event.person_ids, vec![asker]);

        let cso = staff(&hearth, "front.desk", "customer_service_officer").await;
        let refused = hearth.compile_access_bundle(&cso, asker).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        let missing = hearth.compile_access_bundle(&dpo, Uuid::now_v7()).await;
        assert!(
            matches!(missing, Err(ServiceError::NotFound(_))),
            "{missing:?}"
        );
    }
}
