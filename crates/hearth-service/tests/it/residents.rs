//! Residents' sign-in with GOV.UK One Login at the service, against a local server that
//! implements One Login's endpoints and checks Hearth's requests as One Login does: the
//! authorisation request, the `private_key_jwt` token request, PKCE, the ID token's checks,
//! linking with a staff-issued code, the resident's own repairs, and signing out; every backend.

use crate::common::{Estate, World, estate, world};
use hearth_core::repairs::RepairInput;
use hearth_service::residents::{OneLogin, OneLoginSettings};
use hearth_service::{Hearth, ServiceError};
use hearth_testkit::{ClientKey, Misbehaviour, OneLoginServer, OneLoginUser};
use jiff::civil::date;

const CLIENT_ID: &str = "hearth-test-client";
const REDIRECT: &str = "https://repairs.example.gov.uk/resident/signed-in";
const SIGNED_OUT: &str = "https://repairs.example.gov.uk/resident/signed-out";

struct Setup {
    w: World,
    e: Estate,
    hearth: Hearth,
    /// A customer service officer keeping the customer's record: who issues link codes.
    officer: hearth_service::Caller,
    provider: OneLoginServer,
    store: std::sync::Arc<dyn hearth_store::Store>,
}

async fn setup(db: &hearth_testkit::TestDb) -> Setup {
    let w = world(db).await;
    let e = estate(&w).await;
    // One Login stamps its tokens with real time; Hearth's clock must agree with it.
    #[allow(clippy::disallowed_methods)]
    w.clock.set(jiff::Timestamp::now());
    let key = ClientKey::generate();
    let provider = OneLoginServer::start(
        CLIENT_ID,
        key.public_jwk.clone(),
        &[REDIRECT.to_string()],
        &[SIGNED_OUT.to_string()],
    )
    .await;
    let client = OneLogin::new(OneLoginSettings {
        issuer: provider.issuer(),
        client_id: CLIENT_ID.into(),
        redirect_uri: REDIRECT.into(),
        post_logout_redirect_uri: SIGNED_OUT.into(),
        private_key_pem: key.private_pem.clone(),
        key_algorithm: "ES256".into(),
        vtr: "Cl.Cm".into(),
    })
    .unwrap_or_else(|p| panic!("{p:?}"));
    let hearth = w.hearth.clone().with_one_login(client);
    let officer = crate::common::staff_account(&hearth, "cara.cso", "customer_service_officer")
        .await
        .for_purpose(hearth_service::residents::LINK_CODE_PURPOSE);
    Setup {
        w,
        e,
        hearth,
        officer,
        provider,
        store: db.store.clone(),
    }
}

impl Setup {
    /// The code as the person receives it: from the outbox message that carries it, or the
    /// letter's code where the record has no email or mobile.
    async fn code_of(&self, issued: &hearth_service::residents::IssuedLinkCode) -> String {
        match &issued.delivery {
            hearth_service::residents::LinkCodeDelivery::Sent { message_id, .. } => self
                .store
                .outbox_message(*message_id)
                .await
                .expect("the outbox")
                .expect("the message carrying the code")
                .personalisation["code"]
                .clone(),
            hearth_service::residents::LinkCodeDelivery::Letter { code } => code.clone(),
        }
    }
}

fn user(subject: &str) -> OneLoginUser {
    OneLoginUser {
        subject: subject.into(),
        email: format!("{subject}@example.org"),
        phone: None,
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Goes to One Login as the browser would; returns the (state, code) it sends back.
async fn at_one_login(s: &Setup) -> (String, String) {
    let start = s
        .hearth
        .begin_resident_sign_in()
        .await
        .unwrap_or_else(|e| panic!("begin: {e}"));
    let answer = http()
        .get(&start.url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("authorize: {e}"));
    assert_eq!(answer.status().as_u16(), 302, "{:?}", s.provider.refusals());
    let location = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    let url = reqwest::Url::parse(&location).unwrap_or_else(|e| panic!("{e}"));
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        param("state"),
        start.state,
        "the state comes back unchanged"
    );
    (start.state, param("code"))
}

async fn signed_in(s: &Setup) -> hearth_service::residents::ResidentSignedIn {
    let (state, code) = at_one_login(s).await;
    s.hearth
        .finish_resident_sign_in(&state, Some(&state), &code)
        .await
        .unwrap_or_else(|e| panic!("finish: {e} {:?}", s.provider.refusals()))
}

async fn actions(s: &Setup) -> Vec<(String, String)> {
    s.store
        .audit_log(0, 10_000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| (e.event.action, e.event.decision))
        .collect()
}

#[tokio::test]
async fn a_resident_signs_in_links_with_the_councils_code_and_reports_a_repair() {
    for db in hearth_testkit::all_backends().await {
        let s = setup(&db).await;
        s.provider.sign_in_as(user("urn:fdc:gov.uk:2022:amara"));

        // First sign-in: One Login vouches for the account, which is not yet anyone's.
        let first = signed_in(&s).await;
        assert!(!first.linked, "{}", db.name);
        let session = s
            .hearth
            .resident_session(&first.secret)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(session.person_id, None);
        assert!(matches!(
            session.caller("repairs_and_maintenance"),
            Err(ServiceError::Forbidden(_))
        ));

        // Staff who cannot read the person cannot issue a code; a customer service officer
        // keeping the customer's record can.
        let admin = crate::common::staff_account(&s.hearth, "an.admin", "administrator")
            .await
            .for_purpose("information_rights");
        assert!(matches!(
            s.hearth.issue_link_code(&admin, s.e.tenant).await,
            Err(ServiceError::Forbidden(_))
        ));
        let issued = s
            .hearth
            .issue_link_code(&s.officer, s.e.tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let issued_code = s.code_of(&issued).await;
        assert_eq!(issued_code.len(), 14);

        // A wrong code is refused and changes nothing; the right one, typed loosely, links.
        let wrong = s
            .hearth
            .link_resident_account(&first.secret, "AAAA-BBBB-CCCC", None)
            .await;
        assert!(
            matches!(wrong, Err(ServiceError::Unauthenticated(_))),
            "{wrong:?}"
        );
        let typed = issued_code.to_lowercase().replace('-', " ");
        let linked = s
            .hearth
            .link_resident_account(&first.secret, &typed, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(linked, s.e.tenant);
        // The code works once.
        let again = s
            .hearth
            .link_resident_account(&first.secret, &issued_code, None)
            .await;
        assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");

        // The session now acts as the resident: their homes, and a report of their own.
        let session = s
            .hearth
            .resident_session(&first.secret)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(session.person_id, Some(s.e.tenant));
        let caller = session
            .caller("repairs_and_maintenance")
            .unwrap_or_else(|e| panic!("{e}"));
        let homes = s
            .hearth
            .resident_homes(&caller)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(homes.len(), 1, "{homes:?}");
        assert_eq!(homes[0].property_id, s.e.home);
        assert!(homes[0].address.starts_with("12 Fenton Road"), "{homes:?}");
        let report = s
            .hearth
            .report_repair(
                &caller,
                &RepairInput {
                    person_id: Some(s.e.tenant),
                    property_id: Some(s.e.home),
                    category: "heating".into(),
                    description: "No hot water since Sunday".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.repair.reported_via.as_str(), "web");
        assert_eq!(
            report.repair.priority.as_str(),
            "routine",
            "routine until triaged"
        );

        // Next time the same One Login account comes straight in, linked.
        let second = signed_in(&s).await;
        assert!(second.linked, "{}", db.name);
        assert_eq!(s.provider.tokens_issued(), 2);

        // Signing out ends the session here and sends the resident to One Login's sign-out.
        let out = s
            .hearth
            .resident_sign_out(&second.secret)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let out = out.unwrap_or_else(|| panic!("no sign-out address"));
        let back = http()
            .get(&out)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.status().as_u16(), 302, "{:?}", s.provider.refusals());
        let location = back
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(location.starts_with(SIGNED_OUT), "{location}");
        assert_eq!(
            s.provider.logouts(),
            vec!["urn:fdc:gov.uk:2022:amara".to_string()]
        );
        assert!(matches!(
            s.hearth.resident_session(&second.secret).await,
            Err(ServiceError::Unauthenticated(_))
        ));

        // The person's access bundle shows the linked account and the spent code, never the code.
        let bundle = s
            .hearth
            .compile_access_bundle(&s.w.dpo, s.e.tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<&str> = bundle.sign_in.iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, ["one_login_account", "link_code"], "{}", db.name);
        assert!(
            bundle.sign_in[0]
                .detail
                .ends_with("urn:fdc:gov.uk:2022:amara")
        );
        assert!(bundle.sign_in[1].used_at.is_some());
        let shown = serde_json::to_string(&bundle.sign_in).unwrap_or_default();
        assert!(!shown.contains(&issued_code), "{shown}");

        let seen = actions(&s).await;
        for (action, decision) in [
            ("resident.signed_in", "allowed"),
            ("resident.link_code_issued", "allowed"),
            ("resident.link", "denied"),
            ("resident.account_linked", "allowed"),
            ("resident.signed_out", "allowed"),
        ] {
            assert!(
                seen.iter().any(|(a, d)| a == action && d == decision),
                "{}: no {action} {decision} in {seen:?}",
                db.name
            );
        }
    }
}

#[tokio::test]
async fn id_tokens_that_fail_a_check_sign_nobody_in() {
    for db in hearth_testkit::all_backends().await {
        let s = setup(&db).await;
        s.provider.sign_in_as(user("urn:fdc:gov.uk:2022:someone"));
        for how in [
            Misbehaviour::WrongNonce,
            Misbehaviour::WrongAudience,
            Misbehaviour::WrongIssuer,
            Misbehaviour::Expired,
            Misbehaviour::ForeignKey,
            Misbehaviour::LowConfidence,
        ] {
            let (state, code) = at_one_login(&s).await;
            s.provider.misbehave(how);
            let result = s
                .hearth
                .finish_resident_sign_in(&state, Some(&state), &code)
                .await;
            assert!(
                matches!(result, Err(ServiceError::Unauthenticated(_))),
                "{}: {how:?} gave {result:?}",
                db.name
            );
        }
        // The answer must come back to the browser that asked, and only once.
        let (state, code) = at_one_login(&s).await;
        let elsewhere = s
            .hearth
            .finish_resident_sign_in(&state, Some("another browser"), &code)
            .await;
        assert!(
            matches!(elsewhere, Err(ServiceError::Unauthenticated(_))),
            "{elsewhere:?}"
        );
        let (state, code) = at_one_login(&s).await;
        s.hearth
            .finish_resident_sign_in(&state, Some(&state), &code)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let replayed = s
            .hearth
            .finish_resident_sign_in(&state, Some(&state), &code)
            .await;
        assert!(
            matches!(replayed, Err(ServiceError::Unauthenticated(_))),
            "{replayed:?}"
        );
        // A sign-in left at One Login too long is refused.
        let (state, code) = at_one_login(&s).await;
        s.w.clock.advance(jiff::SignedDuration::from_mins(11));
        let late = s
            .hearth
            .finish_resident_sign_in(&state, Some(&state), &code)
            .await;
        assert!(
            matches!(late, Err(ServiceError::Unauthenticated(_))),
            "{late:?}"
        );

        let denied = actions(&s)
            .await
            .into_iter()
            .filter(|(a, d)| a == "resident.sign_in" && d == "denied")
            .count();
        assert_eq!(denied, 9, "{}: every refusal is audited", db.name);
    }
}

#[tokio::test]
async fn linking_asks_for_the_date_of_birth_held_and_slows_guessing() {
    for db in hearth_testkit::all_backends().await {
        let s = setup(&db).await;
        let person = s
            .hearth
            .create_person(
                &s.w.dpo,
                &hearth_core::records::PersonInput {
                    given_name: "Bilal".into(),
                    family_name: "Hussain".into(),
                    date_of_birth: Some("1984-03-27".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        let issued = s
            .hearth
            .issue_link_code(&s.officer, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let issued_code = s.code_of(&issued).await;
        s.provider.sign_in_as(user("urn:fdc:gov.uk:2022:bilal"));
        let session = signed_in(&s).await;
        for dob in [None, Some(date(1984, 3, 28))] {
            let refused = s
                .hearth
                .link_resident_account(&session.secret, &issued_code, dob)
                .await;
            assert!(
                matches!(refused, Err(ServiceError::Unauthenticated(_))),
                "{}: {refused:?}",
                db.name
            );
        }
        // Five failures within the window lock linking for this One Login account, even with
        // the right answer; another account is not slowed by them.
        for _ in 0..3 {
            let _ = s
                .hearth
                .link_resident_account(&session.secret, "AAAA-BBBB-CCCC", None)
                .await;
        }
        let locked = s
            .hearth
            .link_resident_account(&session.secret, &issued_code, Some(date(1984, 3, 27)))
            .await;
        assert!(
            matches!(locked, Err(ServiceError::RateLimited(_))),
            "{}: {locked:?}",
            db.name
        );
        s.provider
            .sign_in_as(user("urn:fdc:gov.uk:2022:bilal-new-account"));
        let other = signed_in(&s).await;
        let linked = s
            .hearth
            .link_resident_account(&other.secret, &issued_code, Some(date(1984, 3, 27)))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(linked, person);

        // A code expires after 30 days unused: issue one 31 days ago.
        #[allow(clippy::disallowed_methods)]
        let now = jiff::Timestamp::now();
        s.w.clock
            .set(now - jiff::SignedDuration::from_hours(24 * 31));
        let old = s
            .hearth
            .issue_link_code(&s.officer, s.e.tenant)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let old_code = s.code_of(&old).await;
        s.w.clock.set(now);
        s.provider.sign_in_as(user("urn:fdc:gov.uk:2022:amara"));
        let amara = signed_in(&s).await;
        let expired = s
            .hearth
            .link_resident_account(&amara.secret, &old_code, None)
            .await;
        assert!(
            matches!(expired, Err(ServiceError::Unauthenticated(_))),
            "{}: {expired:?}",
            db.name
        );
        let reasons: Vec<String> = s
            .store
            .audit_log(0, 10_000)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|e| e.event.action == "resident.link")
            .filter_map(|e| e.event.reason)
            .collect();
        for why in [
            "date of birth differs",
            "no such code",
            "rate limited",
            "code used or expired",
        ] {
            assert!(
                reasons.iter().any(|r| r == why),
                "{}: no '{why}' in {reasons:?}",
                db.name
            );
        }
    }
}
