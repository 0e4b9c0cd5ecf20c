//! Restriction, objection and consent withdrawal requests on every backend: each answer
//! changes the person's controls with the request; an objection stops public-task processing
//! from the day it is logged with identity settled, and only the data protection officer can
//! refuse it, on compelling grounds; a withdrawal takes effect at once and what was held on that
//! consent alone is erased through an approved plan.

use hearth_core::records::Equality;
use hearth_core::rights::{
    Decision, Ground, ItemKind, Outcome, RequestKind, RequestStatus, RestrictionGround,
};
use hearth_service::ServiceError;
use hearth_service::rights::{ObjectionDecision, RequestChange, RestrictionInput, WithdrawalInput};
use hearth_testkit::all_backends;
use jiff::civil::date;

use crate::common::world;

#[tokio::test]
async fn a_restriction_request_restricts_and_is_closed_with_its_letter() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Ada", Equality::default()).await;
        let request = w.request(person, RequestKind::Restriction, false).await;
        let view = h
            .restrict_on_request(
                &w.igo,
                request,
                &RestrictionInput {
                    ground: RestrictionGround::AccuracyContested,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(view.request.status, RequestStatus::Completed);
        let letter = view.request.response_letter.unwrap_or_default();
        assert!(letter.contains("only store"), "{letter}");
        assert!(letter.contains("checking it"), "{letter}");
        let controls = h
            .person_controls(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(controls.restricted);
        // A closed request is not answered twice; another kind's request is refused.
        assert!(matches!(
            h.restrict_on_request(
                &w.igo,
                request,
                &RestrictionInput {
                    ground: RestrictionGround::ObjectionPending
                }
            )
            .await,
            Err(ServiceError::Conflict(_))
        ));
        let erasure = w.erasure_request(person).await;
        assert!(matches!(
            h.restrict_on_request(
                &w.igo,
                erasure,
                &RestrictionInput {
                    ground: RestrictionGround::ObjectionPending
                }
            )
            .await,
            Err(ServiceError::Conflict(_))
        ));
    }
}

async fn objected(w: &crate::common::World, person: uuid::Uuid) -> bool {
    w.hearth
        .person_controls(&w.dpo, person)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .objected
}

#[tokio::test]
async fn an_objection_stops_processing_until_the_dpo_records_compelling_grounds() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Ben", Equality::default()).await;
        // Identity still to be proved: nothing changes yet.
        let request = w.request(person, RequestKind::Objection, true).await;
        assert!(!objected(&w, person).await);
        h.change_rights_request(
            &w.igo,
            request,
            &RequestChange::IdentityVerified {
                on: date(2026, 11, 19),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            objected(&w, person).await,
            "the objection takes effect once identity is settled"
        );

        // Refusing is the data protection officer's decision, with grounds worth the name.
        let refuse = |grounds: &str| ObjectionDecision {
            upheld: false,
            compelling_grounds: Some(grounds.into()),
        };
        let grounds = "Rent arrears recovery is a statutory duty owed to every other tenant";
        assert!(matches!(
            h.decide_objection(&w.igo, request, &refuse(grounds)).await,
            Err(ServiceError::Forbidden(_))
        ));
        assert!(matches!(
            h.decide_objection(&w.dpo, request, &refuse("because"))
                .await,
            Err(ServiceError::Invalid(_))
        ));
        let view = h
            .decide_objection(&w.dpo, request, &refuse(grounds))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(view.request.outcome, Some(Outcome::Refused));
        assert!(
            view.request
                .response_letter
                .unwrap_or_default()
                .contains(grounds)
        );
        assert!(!objected(&w, person).await);

        // A second objection, upheld by the officer handling it: processing stays stopped.
        let again = w.request(person, RequestKind::Objection, false).await;
        assert!(objected(&w, person).await, "logged with identity settled");
        let view = h
            .decide_objection(
                &w.igo,
                again,
                &ObjectionDecision {
                    upheld: true,
                    compelling_grounds: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(view.request.outcome, Some(Outcome::Fulfilled));
        assert!(objected(&w, person).await);
    }
}

#[tokio::test]
async fn a_withdrawal_takes_effect_at_once_and_erases_what_was_held_on_it_alone() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Cai", Equality::default()).await;
        w.consent(person).await;
        let video = w.file("video_recording", person, false).await;
        let repair = w.file("repairs_request", person, false).await;
        let request = w
            .request(person, RequestKind::ConsentWithdrawal, false)
            .await;

        // Only consent in force can be withdrawn; nothing changes when any purpose is wrong.
        let bad = h
            .withdraw_consent_on_request(
                &w.igo,
                request,
                &WithdrawalInput {
                    purposes: vec!["repairs_video_triage".into(), "repairs_video_survey".into()],
                },
            )
            .await;
        match bad {
            Err(ServiceError::Invalid(errors)) => {
                assert!(format!("{errors:?}").contains("purposes[1]"), "{errors:?}")
            }
            other => panic!("expected a field error, got {other:?}"),
        }
        assert!(
            h.person_controls(&w.dpo, person)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .consents
                .contains(&"repairs_video_triage".to_string())
        );

        let done = h
            .withdraw_consent_on_request(
                &w.igo,
                request,
                &WithdrawalInput {
                    purposes: vec!["repairs_video_triage".into()],
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.withdrawals.len(), 1);
        assert!(!done.withdrawals[0].granted);
        // At once: the consent is no longer in force.
        let controls = h
            .person_controls(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(controls.consents.is_empty());
        // The plan holds the video recording only: the repair and the person record stay.
        let plan = done.erasure.unwrap_or_else(|| panic!("a plan"));
        let ids: Vec<_> = plan.items.iter().map(|i| (i.kind, i.record_id)).collect();
        assert_eq!(ids, vec![(ItemKind::FiledRecord, video)]);
        assert_eq!(
            (plan.items[0].decision, plan.items[0].ground),
            (Decision::Erase, Ground::ConsentBased)
        );
        assert_eq!(done.request.request.status, RequestStatus::Open);

        w.approve_as_proposed(request, plan.version).await;
        let executed = h
            .execute_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(executed.removed.filed_records, 1);
        assert!(!executed.removed.person_erased);
        let bundle = h
            .compile_access_bundle(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let left: Vec<_> = bundle.records.iter().map(|r| r.record.id).collect();
        assert_eq!(left, vec![repair]);
        let closed = h
            .rights_request(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request;
        assert_eq!(closed.status, RequestStatus::Completed);
        let letter = closed.response_letter.unwrap_or_default();
        assert!(letter.starts_with("Your withdrawal of consent"), "{letter}");
        assert!(letter.contains("What we have erased"), "{letter}");
    }
}

#[tokio::test]
async fn a_withdrawal_with_nothing_held_on_it_alone_closes_the_request_at_once() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Dee", Equality::default()).await;
        w.consent(person).await;
        w.file("repairs_request", person, false).await;
        let request = w
            .request(person, RequestKind::ConsentWithdrawal, false)
            .await;
        let done = h
            .withdraw_consent_on_request(
                &w.igo,
                request,
                &WithdrawalInput {
                    purposes: vec!["repairs_video_triage".into()],
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(done.erasure.is_none());
        assert_eq!(done.request.request.status, RequestStatus::Completed);
        let letter = done.request.request.response_letter.unwrap_or_default();
        assert!(letter.contains("nothing needs to be erased"), "{letter}");
        assert!(letter.contains("took effect at once"), "{letter}");
    }
}

#[tokio::test]
async fn a_residents_own_withdrawal_schedules_what_was_held_on_it_for_erasure() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Fola", Equality::default()).await;
        w.consent(person).await;
        let video = w.file("video_recording", person, false).await;
        let withdrawal = |channel| hearth_service::access::ConsentInput {
            purpose: "repairs_video_triage".into(),
            granted: false,
            special_category: false,
            wording: "May we record the video call?".into(),
            wording_version: "v1".into(),
            channel,
            given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
            given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
        };
        // Staff recording it for the person say how it reached them.
        match h.record_consent(&w.dpo, person, &withdrawal(None)).await {
            Err(ServiceError::Invalid(errors)) => {
                assert!(format!("{errors:?}").contains("channel"), "{errors:?}")
            }
            other => panic!("expected a field error, got {other:?}"),
        }
        let resident = hearth_service::Caller::resident(person);
        let recorded = h
            .record_consent(&resident, person, &withdrawal(None))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!recorded.consent.granted);
        let request = recorded
            .erasure_request
            .unwrap_or_else(|| panic!("the video is held on that consent alone"));
        let view = h
            .rights_request(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(view.request.kind, RequestKind::ConsentWithdrawal);
        assert_eq!(view.request.status, RequestStatus::Open);
        assert!(view.request.due_on.is_some(), "on the register's clock");
        let plan = h
            .erasure(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let planned: Vec<_> = plan.items.iter().map(|i| i.record_id).collect();
        assert_eq!(planned, vec![video]);
        assert!(
            h.person_controls(&w.dpo, person)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .consents
                .is_empty()
        );
    }
}
