//! The promise that nothing about a resident is read, found or changed except through the
//! gate, held at the service layer on every backend. Each test names the finding of the
//! hardening review it guards against.

use crate::common::{staff_account, world};
use hearth_core::records::{Equality, EqualityAnswer};
use hearth_service::access::ConsentInput;
use hearth_testkit::all_backends;

fn consent(purpose: &str, granted: bool, special_category: bool) -> ConsentInput {
    ConsentInput {
        purpose: purpose.into(),
        granted,
        special_category,
        wording: "I agree".into(),
        wording_version: "1".into(),
        channel: Some(hearth_core::rights::Channel::Phone),
        given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
        given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
    }
}

/// Finding 3: the gate was given ordinary consents only, so consent to the processing opened
/// special category data and withdrawing explicit consent changed nothing. Under
/// `customer_record` (public task; Art 9(2)(a) explicit consent its only condition) the
/// equality answers need explicit consent, and only that.
#[tokio::test]
async fn explicit_consent_alone_opens_special_category_data_and_its_withdrawal_closes_it() {
    for db in all_backends().await {
        let w = world(&db).await;
        let answers = Equality {
            ethnicity: EqualityAnswer::Answered("Bangladeshi".into()),
            ..Default::default()
        };
        let person = w.person("Rahima", answers).await;
        let officer = staff_account(&w.hearth, "cso", "customer_service_officer")
            .await
            .for_purpose("customer_record");
        let withheld = |stage: &str| {
            let hearth = &w.hearth;
            let officer = &officer;
            let stage = stage.to_string();
            async move {
                let seen = hearth
                    .get_person(officer, person)
                    .await
                    .unwrap_or_else(|e| panic!("[{}] {stage}: {e}", db.name));
                seen.withheld().contains(&"equality")
            }
        };
        assert!(withheld("no consent").await, "[{}] no consent", db.name);

        w.hearth
            .record_consent(&officer, person, &consent("customer_record", true, false))
            .await
            .expect("consent to the processing is recorded");
        assert!(
            withheld("consent to the processing only").await,
            "[{}] consent to the processing must not open special category data",
            db.name
        );

        w.hearth
            .record_consent(&officer, person, &consent("customer_record", true, true))
            .await
            .expect("explicit consent is recorded");
        assert!(
            !withheld("explicit consent").await,
            "[{}] explicit consent opens the equality answers",
            db.name
        );

        w.hearth
            .record_consent(&officer, person, &consent("customer_record", false, true))
            .await
            .expect("explicit consent is withdrawn");
        assert!(
            withheld("explicit consent withdrawn").await,
            "[{}] withdrawing explicit consent closes them at once, though consent to the processing stands",
            db.name
        );
    }
}

/// Finding 5: a former member of a household kept its homes (membership end dates were
/// ignored), so they could report repairs to a home they had left. A person's homes are the
/// properties of current tenancies of households they currently belong to.
#[tokio::test]
async fn a_former_household_member_no_longer_has_the_households_homes() {
    use hearth_core::records::MembershipInput;
    use hearth_core::repairs::RepairInput;
    use hearth_service::{Caller, ServiceError};
    for db in all_backends().await {
        let w = world(&db).await;
        let e = crate::common::estate(&w).await;
        let former = w.person("Kwame", Equality::default()).await;
        w.hearth
            .add_member(
                &w.dpo,
                e.household,
                &MembershipInput {
                    person_id: former,
                    relationship: "child".into(),
                    start_date: "2020-01-06".into(),
                    end_date: Some("2026-10-31".into()),
                },
            )
            .await
            .expect("a membership that has ended");

        let as_resident = |id| Caller::resident(id).for_purpose("repairs_and_maintenance");
        let homes = |id| {
            let hearth = &w.hearth;
            async move {
                hearth
                    .resident_homes(&as_resident(id))
                    .await
                    .unwrap_or_else(|err| panic!("[{}] homes: {err}", db.name))
                    .into_iter()
                    .map(|h| h.property_id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            homes(e.tenant).await,
            vec![e.home],
            "[{}] the tenant",
            db.name
        );
        assert!(
            homes(former).await.is_empty(),
            "[{}] the former member",
            db.name
        );

        let report = w
            .hearth
            .report_repair(
                &as_resident(former),
                &RepairInput {
                    person_id: Some(former),
                    property_id: Some(e.home),
                    category: "heating".into(),
                    description: "No heating in the back bedroom".into(),
                    ..Default::default()
                },
            )
            .await;
        assert!(
            matches!(report, Err(ServiceError::Invalid(_))),
            "[{}] a former member reports no repair to the home they left: {report:?}",
            db.name
        );
    }
}

/// Finding 6: moving a tenancy was judged only against the household it moves to, so a
/// housing officer could move the tenancy of a restricted person's household away from it.
#[tokio::test]
async fn moving_a_tenancy_is_judged_against_both_households() {
    use hearth_core::records::{HouseholdInput, TenancyInput};
    use hearth_service::ServiceError;
    use hearth_service::access::Control;
    for db in all_backends().await {
        let w = world(&db).await;
        let e = crate::common::estate(&w).await;
        let officer = staff_account(&w.hearth, "hana", "housing_officer")
            .await
            .for_purpose("tenancy_management");
        let elsewhere = w
            .hearth
            .create_household(&officer, &HouseholdInput::default())
            .await
            .expect("another household")
            .id();
        let tenancy = w
            .hearth
            .list_tenancies(
                &w.dpo,
                &hearth_store::TenancyQuery {
                    household_id: Some(e.household),
                    ..Default::default()
                },
                hearth_store::Page::new(1, 10),
            )
            .await
            .expect("the estate's tenancy")
            .items
            .pop()
            .expect("one tenancy");
        let moved = TenancyInput {
            household_id: elsewhere,
            property_id: e.home,
            tenancy_type: "secure".into(),
            start_date: "2020-01-06".into(),
            ..Default::default()
        };
        w.hearth
            .set_control(
                &w.dpo,
                e.tenant,
                Control::Restriction,
                true,
                "accuracy contested",
                None,
            )
            .await
            .expect("the tenant's processing is restricted");

        let refused = w
            .hearth
            .update_tenancy(&officer, tenancy.id(), &moved, None)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "[{}] the restricted household's tenancy is not moved: {refused:?}",
            db.name
        );
        let still = w
            .hearth
            .get_tenancy(&w.dpo, tenancy.id())
            .await
            .expect("the DPO reads it");
        assert_eq!(
            still.full().map(|t| t.fields.household_id),
            Some(e.household),
            "[{}] nothing changed",
            db.name
        );

        // Lifted, the same move is allowed: the refusal came from the old household.
        w.hearth
            .set_control(
                &w.dpo,
                e.tenant,
                Control::Restriction,
                false,
                "resolved",
                Some(jiff::civil::date(2026, 11, 20)),
            )
            .await
            .expect("the restriction is lifted");
        w.hearth
            .update_tenancy(&officer, tenancy.id(), &moved, None)
            .await
            .expect("moving an unrestricted tenancy is allowed");
    }
}

/// Finding 8: any member of staff admitted for a call's purpose could take its engineer's seat.
/// Only the member who offered the call (or an operative on its repair) joins; a manager takes
/// it over only on purpose, and the takeover is audited naming whom it was taken from.
#[tokio::test]
async fn a_calls_engineer_seat_is_not_taken_by_another_member_of_staff() {
    use crate::common::{BASE, live_call};
    use hearth_service::ServiceError;
    for db in all_backends().await {
        let w = world(&db).await;
        let w = crate::common::World {
            hearth: w.hearth.clone().with_public_url(BASE),
            ..w
        };
        let e = crate::common::estate(&w).await;
        let (call, _) = live_call(&db, &w, &e, "repairs_video_triage").await;
        let colleague = staff_account(&w.hearth, "priya", "repairs_planner")
            .await
            .for_purpose("repairs_video_triage");
        for take_over in [false, true] {
            assert!(
                matches!(
                    w.hearth
                        .join_call_as_staff(&colleague, call.id, take_over)
                        .await,
                    Err(ServiceError::Forbidden(_))
                ),
                "[{}] another planner (take over: {take_over})",
                db.name
            );
        }
        w.hearth
            .join_call_as_staff(
                &e.planner.clone().for_purpose("repairs_video_triage"),
                call.id,
                false,
            )
            .await
            .expect("the planner who offered the call joins it");

        let (assess, _) = live_call(&db, &w, &e, "repairs_video_assess_work").await;
        let manager = staff_account(&w.hearth, "mo.manager", "manager")
            .await
            .for_purpose("repairs_video_assess_work");
        w.hearth
            .join_call_as_staff(&manager, assess.id, true)
            .await
            .expect("a manager takes the call over");
        let log = w
            .hearth
            .audit_for_person(&w.dpo, e.tenant, 100)
            .await
            .expect("the tenant's access log");
        let seen: Vec<(String, String, String)> = log
            .iter()
            .filter(|x| x.event.action.starts_with("video."))
            .map(|x| {
                (
                    x.event.action.clone(),
                    x.event.decision.clone(),
                    x.event.reason.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert!(
            seen.iter()
                .filter(|(a, d, _)| a == "video.joined" && d == "denied")
                .count()
                >= 2,
            "[{}] the refusals are audited: {seen:?}",
            db.name
        );
        assert!(
            seen.iter().any(|(a, d, r)| a == "video.taken_over"
                && d == "allowed"
                && r.starts_with("taken over from staff:")),
            "[{}] the takeover is audited: {seen:?}",
            db.name
        );
    }
}

/// Finding 7 (link codes): anyone who could read a person could issue a resident link code and
/// see it, so an operative could link their own One Login account to a resident. Codes are
/// issued only under the customer record purpose, a new code revokes older ones, and the code
/// goes to the person's own email or mobile through the outbox, never to the member of staff
/// (unless the record has neither, for a letter).
#[tokio::test]
async fn link_codes_go_to_the_person_not_the_member_of_staff() {
    use hearth_service::ServiceError;
    use hearth_service::residents::{LINK_CODE_PURPOSE, LinkCodeDelivery};
    for db in all_backends().await {
        let w = world(&db).await;
        let e = crate::common::estate(&w).await;
        let refused = [
            e.operative.clone(),
            w.dpo.clone(),
            staff_account(&w.hearth, "cara.cso", "customer_service_officer")
                .await
                .for_purpose("customer_contact"),
        ];
        for caller in &refused {
            assert!(
                matches!(
                    w.hearth.issue_link_code(caller, e.tenant).await,
                    Err(ServiceError::Forbidden(_))
                ),
                "[{}] {:?} may not issue a link code",
                db.name,
                caller.principal()
            );
        }
        let officer = staff_account(&w.hearth, "cara.cso2", "customer_service_officer")
            .await
            .for_purpose(LINK_CODE_PURPOSE);
        let first = w
            .hearth
            .issue_link_code(&officer, e.tenant)
            .await
            .expect("issued");
        let LinkCodeDelivery::Sent {
            message_id,
            channel,
        } = first.delivery
        else {
            panic!(
                "[{}] the tenant has an email address: the code is sent, not shown",
                db.name
            );
        };
        assert_eq!(
            channel,
            hearth_core::video::InviteChannel::Email,
            "[{}]",
            db.name
        );
        let message = db
            .store
            .outbox_message(message_id)
            .await
            .expect("outbox")
            .expect("queued");
        assert_eq!(
            message.recipient, "amara@example.org",
            "[{}] to the person's own address",
            db.name
        );
        assert_eq!(message.template, "resident_link_code", "[{}]", db.name);
        let first_code = message.personalisation["code"].clone();

        // A second code revokes the first.
        let second = w
            .hearth
            .issue_link_code(&officer, e.tenant)
            .await
            .expect("issued again");
        let codes = db.store.link_codes_of(e.tenant).await.expect("codes");
        let now = w.hearth.now();
        let live: Vec<_> = codes
            .iter()
            .filter(|c| c.used_at.is_none() && c.expires_at > now)
            .collect();
        assert_eq!(
            live.len(),
            1,
            "[{}] only the newest code works: {codes:?}",
            db.name
        );
        let LinkCodeDelivery::Sent {
            message_id: second_id,
            ..
        } = second.delivery
        else {
            panic!("sent");
        };
        let second_code = db
            .store
            .outbox_message(second_id)
            .await
            .expect("outbox")
            .expect("queued")
            .personalisation["code"]
            .clone();
        assert_ne!(first_code, second_code, "[{}]", db.name);

        // A person with no email or mobile gets a letter: only then is the code handed over.
        let no_contact = w.person("Tomasz", Equality::default()).await;
        let letter = w
            .hearth
            .issue_link_code(&officer, no_contact)
            .await
            .expect("for a letter");
        assert!(
            matches!(letter.delivery, LinkCodeDelivery::Letter { ref code } if code.len() == 14),
            "[{}] {:?}",
            db.name,
            letter.delivery
        );
    }
}

/// Finding 7 (consent): any front-line role could record a consent grant for anyone with no
/// evidence. A consent recorded by staff needs how it reached them, who said it and when; the
/// person sees that evidence with the consent in their access bundle.
#[tokio::test]
async fn a_consent_recorded_by_staff_carries_its_evidence_to_the_person() {
    use hearth_core::access::ConsentGiver;
    use hearth_service::ServiceError;
    for db in all_backends().await {
        let w = world(&db).await;
        let person = w.person("Ngozi", Equality::default()).await;
        let officer = staff_account(&w.hearth, "cara.cso", "customer_service_officer")
            .await
            .for_purpose("repairs_video_triage");
        let bare = ConsentInput {
            channel: None,
            given_by: None,
            given_at: None,
            ..consent("repairs_video_triage", true, false)
        };
        match w.hearth.record_consent(&officer, person, &bare).await {
            Err(ServiceError::Invalid(errors)) => {
                let text = errors.to_string();
                for field in ["channel", "given_by", "given_at"] {
                    assert!(text.contains(field), "[{}] {text}", db.name);
                }
            }
            other => panic!("[{}] a consent without evidence: {other:?}", db.name),
        }
        let future = ConsentInput {
            given_at: Some(w.hearth.now() + jiff::SignedDuration::from_hours(1)),
            ..consent("repairs_video_triage", true, false)
        };
        assert!(
            matches!(
                w.hearth.record_consent(&officer, person, &future).await,
                Err(ServiceError::Invalid(_))
            ),
            "[{}] told in the future",
            db.name
        );
        let told_at: jiff::Timestamp = "2026-11-19T14:30:00Z".parse().expect("a time");
        let given = ConsentInput {
            channel: Some(hearth_core::rights::Channel::InPerson),
            given_by: Some(ConsentGiver::Representative),
            given_at: Some(told_at),
            ..consent("repairs_video_triage", true, false)
        };
        w.hearth
            .record_consent(&officer, person, &given)
            .await
            .expect("a consent with its evidence");
        let bundle = w
            .hearth
            .compile_access_bundle(&w.dpo, person)
            .await
            .expect("the person's bundle");
        let evidence = bundle
            .consents
            .iter()
            .find_map(|c| c.evidence.clone())
            .expect("the evidence is in the bundle");
        assert_eq!(
            (evidence.channel, evidence.given_by, evidence.given_at),
            (
                hearth_core::rights::Channel::InPerson,
                ConsentGiver::Representative,
                told_at
            ),
            "[{}]",
            db.name
        );
    }
}
