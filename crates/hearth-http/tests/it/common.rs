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

/// Reports a repair for the tenant's home and offers a call for `purpose` by text; returns the
/// call's id and the link's path (`/call/<secret>`), read from the queued message.
pub async fn offer_call(
    db: &hearth_testkit::TestDb,
    hearth: &Hearth,
    planner: &Caller,
    (person, home): (Uuid, Uuid),
    purpose: &str,
) -> (Uuid, String) {
    let repair = hearth
        .report_repair(
            planner,
            &hearth_core::repairs::RepairInput {
                person_id: Some(person),
                property_id: Some(home),
                category: "electrical".into(),
                priority: Some("urgent".into()),
                reported_via: Some("phone".into()),
                description: "Sockets in the kitchen not working".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("report: {e}"));
    let call = hearth
        .offer_video_call(
            planner,
            repair.repair.id,
            &hearth_service::video::VideoOfferInput {
                purpose: purpose.into(),
                channel: "sms".into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{}: offer: {e}", db.name));
    let message = db
        .store
        .outbox_message(call.notification_id.unwrap_or_default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no message"));
    let link = &message.personalisation["link"];
    (
        call.id,
        link[link.find("/call/").unwrap_or(0)..].to_string(),
    )
}

/// A member of staff with one role and a password, acting with no purpose yet.
pub async fn staff_member(hearth: &Hearth, username: &str, role: &str) -> Caller {
    let account = hearth
        .create_staff(
            &Caller::operator("tester"),
            &hearth_service::access::StaffInput {
                username: username.into(),
                display_name: username.into(),
                password: format!("{username} correct horse battery"),
                roles: vec![role.into()],
                teams: vec![],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("staff {username}: {e}"));
    Caller::staff(&account)
}

/// Serves Hearth on a free local port; returns its base address.
pub async fn serve(hearth: Hearth) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let base = format!(
        "http://{}",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    tokio::spawn(async move { axum::serve(listener, hearth_http::app(hearth)).await });
    base
}

/// A local One Login provider registered for Hearth at `base`, and Hearth's client for it.
pub async fn one_login_for(
    base: &str,
    client_id: &str,
) -> (
    hearth_testkit::OneLoginServer,
    hearth_service::residents::OneLogin,
) {
    let key = hearth_testkit::ClientKey::generate();
    let provider = hearth_testkit::OneLoginServer::start(
        client_id,
        key.public_jwk.clone(),
        &[format!("{base}/resident/signed-in")],
        &[format!("{base}/resident/signed-out")],
    )
    .await;
    let client =
        hearth_service::residents::OneLogin::new(hearth_service::residents::OneLoginSettings {
            issuer: provider.issuer(),
            client_id: client_id.into(),
            redirect_uri: format!("{base}/resident/signed-in"),
            post_logout_redirect_uri: format!("{base}/resident/signed-out"),
            private_key_pem: key.private_pem.clone(),
            key_algorithm: "ES256".into(),
            vtr: "Cl.Cm".into(),
        })
        .unwrap_or_else(|p| panic!("{p:?}"));
    (provider, client)
}

/// The repairs the store holds for a person.
pub async fn repairs_of(
    db: &hearth_testkit::TestDb,
    person: Uuid,
) -> Vec<hearth_core::repairs::Repair> {
    db.store
        .list_repairs(
            &hearth_store::RepairQuery {
                person_id: Some(person),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A link code as the person receives it: from the outbox message that carries it (the code
/// is never shown to staff when the record has an email or mobile), else the letter's code.
pub async fn link_code_received(
    store: &dyn hearth_store::Store,
    issued: &hearth_service::residents::IssuedLinkCode,
) -> String {
    match &issued.delivery {
        hearth_service::residents::LinkCodeDelivery::Sent { message_id, .. } => {
            sent_code(store, *message_id).await
        }
        hearth_service::residents::LinkCodeDelivery::Letter { code } => code.clone(),
    }
}

/// The code in the outbox message that carries it.
pub async fn sent_code(store: &dyn hearth_store::Store, message_id: Uuid) -> String {
    store
        .outbox_message(message_id)
        .await
        .expect("the outbox")
        .expect("the message carrying the code")
        .personalisation["code"]
        .clone()
}
