//! Video calls at the service, on every backend: an offer queues the link; the resident answers
//! both consent questions in the register's words; a "no" books a home visit; the link opens
//! once and expires; withdrawing consent (on the call page, by staff, or by a rights request)
//! ends the call and blocks new links.

use crate::common::{BASE, World, YES, estate, offer, offered, repair, world};
use hearth_core::repairs::RepairStatus;
use hearth_core::video::{CallEnd, CallStatus, InviteChannel};
use hearth_service::ServiceError;
use hearth_service::access::ConsentInput;
use hearth_service::video::{CallAnswer, VideoOfferInput};

#[tokio::test]
async fn an_offer_sends_a_link_and_yes_to_both_questions_opens_a_call_session() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let e = estate(&w).await;
        let id = repair(&w, &e, "urgent").await;

        // No public address configured: no link can be sent.
        let refused = w
            .hearth
            .offer_video_call(&e.planner, id, &offer("sms"))
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Storage(_))),
            "{}",
            db.name
        );
        let w = World {
            hearth: w.hearth.clone().with_public_url(BASE),
            ..w
        };
        let bad = w
            .hearth
            .offer_video_call(
                &e.planner,
                id,
                &VideoOfferInput {
                    purpose: "customer_contact".into(),
                    channel: "sms".into(),
                },
            )
            .await;
        assert!(matches!(bad, Err(ServiceError::Invalid(_))));

        let (call, secret) = offered(&db, &w, &e, id, "sms").await;
        assert_eq!(
            (call.status, call.channel),
            (CallStatus::Offered, InviteChannel::Sms)
        );
        let message = db
            .store
            .outbox_message(call.notification_id.unwrap_or_default())
            .await
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("gone"));
        assert_eq!(message.recipient, "07700900123");
        assert_eq!(message.personalisation["name"], "Amara");
        assert!(
            !message.personalisation.values().any(|v| v.contains("F28")),
            "no repair details in a text"
        );
        // One open call per repair.
        let twice = w
            .hearth
            .offer_video_call(&e.planner, id, &offer("email"))
            .await;
        assert!(matches!(twice, Err(ServiceError::Conflict(_))));

        let view = w
            .hearth
            .open_video_invite(&secret)
            .await
            .unwrap_or_else(|err| panic!("{}: open: {err}", db.name));
        assert_eq!(view.wording.version, call.wording_version);
        assert!(view.wording.call.contains("four weeks"));
        let (joined, session) = w
            .hearth
            .answer_video_invite(&secret, Some(YES))
            .await
            .unwrap_or_else(|err| panic!("{}: answer: {err}", db.name));
        assert_eq!(joined.status, CallStatus::Accepted);
        let session = session.unwrap_or_else(|| panic!("no session"));
        assert_eq!(
            w.hearth.call_of_session(&session).await.map(|c| c.id).ok(),
            Some(call.id)
        );
        // The link opens once.
        assert!(matches!(
            w.hearth.open_video_invite(&secret).await,
            Err(ServiceError::Gone(_))
        ));

        // Both answers are on record, in the words shown, with their version.
        let history = w
            .hearth
            .consent_history(&w.dpo, e.tenant)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let given: Vec<(bool, bool, &str)> = history
            .iter()
            .map(|c| (c.granted, c.special_category, c.wording_version.as_str()))
            .collect();
        assert_eq!(
            given,
            [
                (true, false, call.wording_version.as_str()),
                (true, true, call.wording_version.as_str())
            ]
        );
        assert_eq!(history[0].wording, view.wording.call);
        assert_eq!(history[1].wording, view.wording.special_category);
        assert!(history[0].recorded_by.starts_with("resident:"));

        let live = w
            .hearth
            .mark_call_live(call.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(live.status, CallStatus::Live);
        let ended = w
            .hearth
            .end_video_call(&e.planner, call.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            (ended.status, ended.end_reason),
            (CallStatus::Ended, Some(CallEnd::Completed))
        );
        assert!(matches!(
            w.hearth.call_of_session(&session).await,
            Err(ServiceError::Gone(_))
        ));
    }
}

#[tokio::test]
async fn saying_no_books_a_home_visit_and_no_new_link_is_sent() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let w = World {
            hearth: w.hearth.clone().with_public_url(BASE),
            ..w
        };
        let e = estate(&w).await;
        let id = repair(&w, &e, "routine").await;
        let (call, secret) = offered(&db, &w, &e, id, "email").await;
        // Yes to the call, no to the camera seeing special category data: still a no.
        let (declined, session) = w
            .hearth
            .answer_video_invite(
                &secret,
                Some(CallAnswer {
                    call: true,
                    special_category: false,
                }),
            )
            .await
            .unwrap_or_else(|err| panic!("{}: decline: {err}", db.name));
        assert!(session.is_none());
        assert_eq!(
            (declined.status, declined.end_reason),
            (CallStatus::Declined, Some(CallEnd::Declined))
        );
        let file = w
            .hearth
            .repair(&e.planner, id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(file.repair.status, RepairStatus::Scheduled, "{}", db.name);
        let visit = &file.appointments[0];
        assert_eq!(Some(visit.id), declined.visit_id);
        assert_eq!(visit.kind.as_str(), "home_visit");
        // Friday 20 November 2026: the next working morning is Monday 23rd, 08:00 UK time.
        assert_eq!(visit.starts_at.to_string(), "2026-11-23T08:00:00Z");
        assert!(
            file.history
                .last()
                .and_then(|h| h.note.as_deref())
                .is_some_and(|n| n.contains("preferred not to have a video call"))
        );
        assert!(matches!(
            w.hearth.open_video_invite(&secret).await,
            Err(ServiceError::Gone(_))
        ));
        // The resident said no: staff cannot send another link unless they ask for one.
        let again = w
            .hearth
            .offer_video_call(&e.planner, id, &offer("email"))
            .await;
        assert!(
            matches!(again, Err(ServiceError::Conflict(_))),
            "{}",
            db.name
        );
        let controls_ok = w
            .hearth
            .consent_history(&w.dpo, e.tenant)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            controls_ok.iter().filter(|c| !c.granted).count(),
            1,
            "the special category answer was no"
        );
        let _ = call;
    }
}

#[tokio::test]
async fn withdrawing_consent_ends_the_call_and_blocks_new_links() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let w = World {
            hearth: w.hearth.clone().with_public_url(BASE),
            ..w
        };
        let e = estate(&w).await;

        // On the call page.
        let first = repair(&w, &e, "urgent").await;
        let (call, secret) = offered(&db, &w, &e, first, "sms").await;
        let (_, session) = w
            .hearth
            .answer_video_invite(&secret, Some(YES))
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let session = session.unwrap_or_default();
        w.hearth
            .mark_call_live(call.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let ended = w
            .hearth
            .withdraw_from_call(&session)
            .await
            .unwrap_or_else(|err| panic!("{}: withdraw: {err}", db.name));
        assert_eq!(
            (ended.status, ended.end_reason),
            (CallStatus::Ended, Some(CallEnd::ConsentWithdrawn))
        );
        assert!(matches!(
            w.hearth.call_of_session(&session).await,
            Err(ServiceError::Gone(_))
        ));
        let history = w
            .hearth
            .consent_history(&w.dpo, e.tenant)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let last_two: Vec<(bool, bool)> = history
            .iter()
            .rev()
            .take(2)
            .map(|c| (c.granted, c.special_category))
            .collect();
        assert_eq!(last_two, [(false, true), (false, false)]);
        let second = repair(&w, &e, "routine").await;
        let blocked = w
            .hearth
            .offer_video_call(&e.planner, second, &offer("sms"))
            .await;
        assert!(
            matches!(blocked, Err(ServiceError::Conflict(_))),
            "{}",
            db.name
        );

        // The resident phones to ask for a call after all: staff record the consent, offer it,
        // the resident agrees on the phone, and the link then only joins.
        w.hearth
            .record_consent(
                &e.planner,
                e.tenant,
                &ConsentInput {
                    purpose: "repairs_video_triage".into(),
                    granted: true,
                    special_category: false,
                    wording: "Resident asked for a video call".into(),
                    wording_version: "phone-request".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|err| panic!("{}: consent: {err}", db.name));
        let (call, secret) = offered(&db, &w, &e, second, "sms").await;
        let agreed = w
            .hearth
            .answer_video_call_by_phone(&e.planner, call.id, YES)
            .await
            .unwrap_or_else(|err| panic!("{}: phone: {err}", db.name));
        assert_eq!(agreed.status, CallStatus::Accepted);
        let (joined, session) = w
            .hearth
            .answer_video_invite(&secret, None)
            .await
            .unwrap_or_else(|err| panic!("{}: join: {err}", db.name));
        assert!(session.is_some());
        w.hearth
            .mark_call_live(joined.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));

        // Staff record a withdrawal the resident makes by phone: the live call ends.
        w.hearth
            .record_consent(
                &e.planner,
                e.tenant,
                &ConsentInput {
                    purpose: "repairs_video_triage".into(),
                    granted: false,
                    special_category: false,
                    wording: "Resident withdrew consent by phone".into(),
                    wording_version: "withdrawal".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|err| panic!("{}: withdrawal: {err}", db.name));
        let calls = w
            .hearth
            .video_calls_of(&e.planner, second)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            calls[0].end_reason,
            Some(CallEnd::ConsentWithdrawn),
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn a_link_expires_after_a_day() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let w = World {
            hearth: w.hearth.clone().with_public_url(BASE),
            ..w
        };
        let e = estate(&w).await;
        let id = repair(&w, &e, "urgent").await;
        let (call, secret) = offered(&db, &w, &e, id, "email").await;
        w.clock.set(call.invite_expires_at);
        assert!(matches!(
            w.hearth.open_video_invite(&secret).await,
            Err(ServiceError::Gone(_))
        ));
        assert!(matches!(
            w.hearth.answer_video_invite(&secret, Some(YES)).await,
            Err(ServiceError::Gone(_))
        ));
        assert!(matches!(
            w.hearth.open_video_invite("hearth_not_a_link").await,
            Err(ServiceError::NotFound(_))
        ));
    }
}
