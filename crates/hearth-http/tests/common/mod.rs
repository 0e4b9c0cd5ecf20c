//! Setup the HTTP tests share: a tenant with a home, made through the services.
#![allow(dead_code)]

use hearth_core::records::{
    AddressInput, HouseholdInput, MembershipInput, PersonInput, PropertyInput, TenancyInput,
};
use hearth_service::{Caller, Hearth};
use uuid::Uuid;

/// A tenant and their home, set up through the services by the data protection officer.
pub async fn tenant_and_home(hearth: &Hearth) -> (Uuid, Uuid) {
    let dpo_account = hearth
        .create_staff(
            &Caller::operator("tester"),
            &hearth_service::access::StaffInput {
                username: "dpo".into(),
                display_name: "DPO".into(),
                password: "dpo correct horse battery".into(),
                roles: vec!["data_protection_officer".into()],
                teams: vec![],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let dpo = Caller::staff(&dpo_account).for_purpose("information_rights");
    let person = hearth
        .create_person(
            &dpo,
            &PersonInput {
                given_name: "Amara".into(),
                family_name: "Okafor".into(),
                phones: vec![hearth_core::records::ContactPoint {
                    value: "07700 900123".into(),
                    label: Some("mobile".into()),
                    source: None,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .id();
    let home = hearth
        .create_property(
            &dpo,
            &PropertyInput {
                uprn: "83012345".into(),
                address: AddressInput {
                    line1: "12 Fenton Road".into(),
                    postcode: "HD1 3AB".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .id();
    let household = hearth
        .create_household(&dpo, &HouseholdInput::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .id();
    hearth
        .add_member(
            &dpo,
            household,
            &MembershipInput {
                person_id: person,
                relationship: "lead_tenant".into(),
                start_date: "2020-01-06".into(),
                end_date: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    hearth
        .create_tenancy(
            &dpo,
            &TenancyInput {
                household_id: household,
                property_id: home,
                tenancy_type: "secure".into(),
                start_date: "2020-01-06".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (person, home)
}
