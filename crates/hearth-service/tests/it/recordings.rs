//! Recording a video call at the service, on every backend: chunks arrive in order and sealed,
//! stopping files one `video_recording` record whose video plays back only for those the policy
//! lets watch it (managers for "support operatives" and "assess work", with the resident's
//! consent to that purpose), every viewing audited; the retention run deletes it after four
//! weeks; a safeguarding concern holds it and records the disclosure; a call's end is announced
//! to the signalling server.

use crate::common::{BASE, World, at, estate, live_call, staff_account, world};
use hearth_core::video::{CallStatus, RecordingState};
use hearth_service::retention::RunOptions;
use hearth_service::video::{CallEvent, ChunkReceipt, SafeguardingConcern};
use hearth_service::{Caller, ServiceError};

const TRIAGE: &str = "repairs_video_triage";
const ASSESS: &str = "repairs_video_assess_work";

fn chunk(n: u8) -> Vec<u8> {
    // Stand-ins for WebM clusters: distinct, recognisable bytes.
    format!("webm-cluster-{n}-").repeat(200).into_bytes()
}

async fn video_world(db: &hearth_testkit::TestDb) -> World {
    let w = world(db).await;
    World {
        hearth: w.hearth.clone().with_public_url(BASE),
        ..w
    }
}

/// A retention run of recordings on this day.
async fn sweep(w: &World, day: jiff::civil::Date) {
    w.clock.set(at(day));
    let options = RunOptions {
        as_of: day,
        dry_run: false,
        only: Some("video_recording".into()),
    };
    w.hearth
        .run_retention(&Caller::system("retention"), &options)
        .await
        .unwrap_or_else(|err| panic!("run on {day}: {err}"));
}

#[tokio::test]
async fn a_recording_is_uploaded_sealed_filed_watched_and_deleted_after_four_weeks() {
    for db in hearth_testkit::all_backends().await {
        let w = video_world(&db).await;
        let e = estate(&w).await;
        let (call, _) = live_call(&db, &w, &e, TRIAGE).await;
        let engineer = e.planner.clone().for_purpose(TRIAGE);

        // The recording serves the call's purpose and no other.
        let wrong = w
            .hearth
            .start_recording(&e.planner, call.id, "video/webm")
            .await;
        assert!(
            matches!(wrong, Err(ServiceError::Invalid(_))),
            "{}",
            db.name
        );
        let bad_type = w
            .hearth
            .start_recording(&engineer, call.id, "text/html")
            .await;
        assert!(matches!(bad_type, Err(ServiceError::Invalid(_))));
        let recording = w
            .hearth
            .start_recording(&engineer, call.id, "video/webm;codecs=vp8,opus")
            .await
            .unwrap_or_else(|err| panic!("{}: start: {err}", db.name));

        // Chunks in order; a retried chunk is ignored; one out of order is refused.
        let upload = |seq: i64, n: u8| {
            let hearth = w.hearth.clone();
            let engineer = engineer.clone();
            async move {
                hearth
                    .upload_recording_chunk(&engineer, recording.id, seq, chunk(n))
                    .await
            }
        };
        assert_eq!(upload(0, 0).await.ok(), Some(ChunkReceipt::Stored));
        assert_eq!(upload(0, 0).await.ok(), Some(ChunkReceipt::AlreadyStored));
        assert!(matches!(upload(2, 2).await, Err(ServiceError::Conflict(_))));
        assert_eq!(upload(1, 1).await.ok(), Some(ChunkReceipt::Stored));
        // Only the engineer who started it uploads it.
        let other = w
            .hearth
            .upload_recording_chunk(&e.operative, recording.id, 2, chunk(2))
            .await;
        assert!(matches!(other, Err(ServiceError::Forbidden(_))));
        // Chunks wait sealed: the stored bytes are not the video.
        let waiting = w
            .media
            .get(&recording.chunk_key(0))
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_ne!(waiting, chunk(0));

        let filed = w
            .hearth
            .finish_recording(&engineer, recording.id)
            .await
            .unwrap_or_else(|err| panic!("{}: finish: {err}", db.name));
        assert_eq!(filed.state, RecordingState::Filed);
        let record_id = filed.record_id.unwrap_or_else(|| panic!("not filed"));
        assert!(
            !w.hearth
                .media_object_exists(&recording.chunk_key(0))
                .await
                .unwrap_or(true),
            "chunks are removed once filed"
        );
        let record = db
            .store
            .get_filed_record(record_id)
            .await
            .unwrap_or_else(|err| panic!("{err}"))
            .unwrap_or_else(|| panic!("no record"));
        assert_eq!(record.fields.record_type, "video_recording");
        assert_eq!(record.fields.person_id, Some(e.tenant));
        assert!(record.fields.case_ref.is_some_and(|r| r.starts_with("RP-")));

        // The engineer plays it back, whole.
        let (_, media, bytes) = w
            .hearth
            .watch_recording(&engineer, recording.id)
            .await
            .unwrap_or_else(|err| panic!("{}: watch: {err}", db.name));
        assert_eq!(bytes, [chunk(0), chunk(1)].concat());
        assert_eq!(media.content_type, "video/webm;codecs=vp8,opus");
        let stored = w
            .media
            .get(&media.object_key)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert!(
            !stored.windows(14).any(|w| w == b"webm-cluster-0"),
            "the recording is sealed at rest"
        );

        // A manager cannot watch a triage call: not their purpose, and the resident agreed to
        // triage, not to having the work assessed.
        let manager = staff_account(&w.hearth, "mo.manager", "manager").await;
        for purpose in [TRIAGE, ASSESS] {
            let refused = w
                .hearth
                .watch_recording(&manager.clone().for_purpose(purpose), recording.id)
                .await;
            assert!(
                matches!(refused, Err(ServiceError::Forbidden(_))),
                "{}: manager under {purpose}",
                db.name
            );
        }

        // Four weeks from its creation the retention run deletes it, video and all.
        let created = record.created_at.to_zoned(jiff::tz::TimeZone::UTC).date();
        sweep(&w, created.saturating_add(jiff::Span::new().days(27))).await;
        assert!(
            w.hearth
                .watch_recording(&engineer, recording.id)
                .await
                .is_ok(),
            "{}: kept for four weeks",
            db.name
        );
        sweep(&w, created.saturating_add(jiff::Span::new().days(29))).await;
        assert!(
            db.store
                .get_filed_record(record_id)
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .is_none(),
            "{}: the record is gone after four weeks",
            db.name
        );
        assert!(
            !w.hearth
                .media_object_exists(&media.object_key)
                .await
                .unwrap_or(true),
            "{}: and so is the video",
            db.name
        );
        assert!(matches!(
            w.hearth.watch_recording(&engineer, recording.id).await,
            Err(ServiceError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn managers_record_and_watch_assessment_calls_and_every_viewing_is_audited() {
    for db in hearth_testkit::all_backends().await {
        let w = video_world(&db).await;
        let e = estate(&w).await;
        let (call, _) = live_call(&db, &w, &e, ASSESS).await;
        let manager = staff_account(&w.hearth, "mo.manager", "manager")
            .await
            .for_purpose(ASSESS);
        // The planner offered the call: the manager's seat is taken over on purpose, not by
        // merely being admitted for the call's purpose.
        assert!(
            matches!(
                w.hearth.join_call_as_staff(&manager, call.id, false).await,
                Err(hearth_service::ServiceError::Forbidden(_))
            ),
            "{}: a manager does not take the seat without saying so",
            db.name
        );
        w.hearth
            .join_call_as_staff(&manager, call.id, true)
            .await
            .unwrap_or_else(|err| panic!("{}: take over: {err}", db.name));
        let recording = w
            .hearth
            .start_recording(&manager, call.id, "video/webm")
            .await
            .unwrap_or_else(|err| panic!("{}: start: {err}", db.name));
        w.hearth
            .upload_recording_chunk(&manager, recording.id, 0, chunk(7))
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        w.hearth
            .finish_recording(&manager, recording.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let (_, _, bytes) = w
            .hearth
            .watch_recording(&manager, recording.id)
            .await
            .unwrap_or_else(|err| panic!("{}: watch: {err}", db.name));
        assert_eq!(bytes, chunk(7));
        // A planner working triage may not watch an assessment call.
        let refused = w
            .hearth
            .watch_recording(&e.planner.clone().for_purpose(TRIAGE), recording.id)
            .await;
        assert!(matches!(refused, Err(ServiceError::Forbidden(_))));

        let trail = w
            .hearth
            .audit_for_person(&w.dpo, e.tenant, 1000)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let mut views: Vec<(&str, &str)> = trail
            .iter()
            .map(|chained| &chained.event)
            .filter(|ev| ev.action == "filed_record.media_view")
            .map(|ev| (ev.decision.as_str(), ev.purpose.as_deref().unwrap_or("")))
            .collect();
        views.sort();
        assert_eq!(
            views,
            [("allowed", ASSESS), ("denied", TRIAGE)],
            "{}",
            db.name
        );
    }
}

#[tokio::test]
async fn a_safeguarding_concern_holds_the_recording_past_four_weeks_and_records_the_disclosure() {
    for db in hearth_testkit::all_backends().await {
        let w = video_world(&db).await;
        let e = estate(&w).await;
        let (call, _) = live_call(&db, &w, &e, TRIAGE).await;
        let engineer = e.planner.clone().for_purpose(TRIAGE);
        let recording = w
            .hearth
            .start_recording(&engineer, call.id, "video/webm")
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let concern = SafeguardingConcern {
            body: "Kirklees Adult Social Care".into(),
            concern: "Resident appeared confused and without heating or food".into(),
        };
        // Not before it is filed.
        let early = w
            .hearth
            .raise_safeguarding_concern(&engineer, recording.id, &concern)
            .await;
        assert!(matches!(early, Err(ServiceError::Conflict(_))));
        w.hearth
            .upload_recording_chunk(&engineer, recording.id, 0, chunk(3))
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let filed = w
            .hearth
            .finish_recording(&engineer, recording.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let record_id = filed.record_id.unwrap_or_else(|| panic!("not filed"));
        let raised = w
            .hearth
            .raise_safeguarding_concern(&engineer, recording.id, &concern)
            .await
            .unwrap_or_else(|err| panic!("{}: concern: {err}", db.name));
        assert!(raised.hold.is_active());
        assert_eq!(raised.disclosure.recipient, "safeguarding_bodies");
        assert_eq!(raised.disclosure.purpose, "safeguarding");
        assert_eq!(raised.disclosure.record_id, Some(record_id));

        // The disclosure is in the person's register, for their access request.
        let disclosures = w
            .hearth
            .disclosures(&w.dpo, e.tenant)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(disclosures.len(), 1);
        assert!(
            disclosures[0]
                .what
                .as_deref()
                .is_some_and(|t| t.contains("Kirklees Adult Social Care"))
        );

        // Past four weeks the hold keeps it.
        let far = w.hearth.today().saturating_add(jiff::Span::new().days(40));
        sweep(&w, far).await;
        assert!(
            db.store
                .get_filed_record(record_id)
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .is_some(),
            "{}: held",
            db.name
        );
        // A name too short is refused, naming the field.
        let bad = w
            .hearth
            .raise_safeguarding_concern(
                &engineer,
                recording.id,
                &SafeguardingConcern {
                    body: "x".into(),
                    concern: "y".into(),
                },
            )
            .await;
        assert!(matches!(bad, Err(ServiceError::Invalid(_))));
    }
}

#[tokio::test]
async fn calls_ending_are_announced_and_only_live_calls_are_recorded() {
    for db in hearth_testkit::all_backends().await {
        let w = video_world(&db).await;
        let e = estate(&w).await;
        let (call, session) = live_call(&db, &w, &e, TRIAGE).await;
        let mut events = w.hearth.call_events();
        w.hearth
            .withdraw_from_call(&session)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            events.try_recv().ok(),
            Some(CallEvent::Ended(call.id)),
            "{}",
            db.name
        );
        assert_eq!(
            w.hearth.call_ended(call.id).await.ok().flatten(),
            Some(hearth_core::video::CallEnd::ConsentWithdrawn)
        );
        let after = w
            .hearth
            .start_recording(
                &e.planner.clone().for_purpose(TRIAGE),
                call.id,
                "video/webm",
            )
            .await;
        assert!(matches!(after, Err(ServiceError::Conflict(_))));
        let joined = w
            .hearth
            .join_call_as_staff(&e.planner.clone().for_purpose(TRIAGE), call.id, false)
            .await;
        assert!(matches!(joined, Err(ServiceError::Gone(_))));
        assert_eq!(
            db.store
                .get_video_call(call.id)
                .await
                .ok()
                .flatten()
                .map(|c| c.status),
            Some(CallStatus::Ended)
        );
    }
}
