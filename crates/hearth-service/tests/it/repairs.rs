//! Repairs end to end at the service: reports by a resident and by staff, triage and targets,
//! jobs and what an operative sees, appointments, status moves, satisfaction, and the six-year
//! retention of a closed repair, on every backend.

use crate::common::{Estate, World, at, estate, world};
use hearth_core::repairs::{
    AppointmentInput, JobInput, RepairFile, RepairInput, RepairStatus, SatisfactionInput,
};
use hearth_service::repairs::{StatusInput, resident_repairs_caller};
use hearth_service::retention::RunOptions;
use hearth_service::{Caller, ServiceError};
use hearth_store::RepairQuery;
use jiff::civil::date;
use uuid::Uuid;

fn leak(e: &Estate, via: Option<&str>, priority: Option<&str>) -> RepairInput {
    RepairInput {
        person_id: Some(e.tenant),
        property_id: Some(e.home),
        category: "plumbing".into(),
        priority: priority.map(Into::into),
        reported_via: via.map(Into::into),
        description: "Water coming through the kitchen ceiling".into(),
        ..Default::default()
    }
}

fn field_of(err: ServiceError) -> String {
    match err {
        ServiceError::Invalid(errors) => errors.0[0].field.clone(),
        other => panic!("expected a field error, got {other}"),
    }
}

async fn report_by_phone(w: &World, e: &Estate, priority: &str) -> RepairFile {
    w.hearth
        .report_repair(&e.planner, &leak(e, Some("phone"), Some(priority)))
        .await
        .unwrap_or_else(|err| panic!("report: {err}"))
}

#[tokio::test]
async fn staff_and_residents_report_repairs_with_targets() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let e = estate(&w).await;
        // Friday 20 November 2026, 10:00: urgent is due by the end of Friday 27 November.
        let phoned = report_by_phone(&w, &e, "urgent").await;
        assert_eq!(phoned.repair.status, RepairStatus::Reported);
        assert!(phoned.repair.reference.starts_with("RP-"), "{}", db.name);
        assert_eq!(
            phoned.repair.target_at,
            at(date(2026, 11, 28)) - jiff::SignedDuration::from_hours(10)
        );
        assert_eq!(phoned.history.len(), 1);

        // Staff must say how it came in and how urgent it is.
        let missing = w
            .hearth
            .report_repair(&e.planner, &leak(&e, None, Some("urgent")))
            .await;
        assert_eq!(field_of(missing.unwrap_err()), "reported_via");

        // The resident reports online: routine until triaged, their own home only.
        let me = resident_repairs_caller(e.tenant);
        let online = w
            .hearth
            .report_repair(&me, &leak(&e, None, None))
            .await
            .unwrap_or_else(|err| panic!("{}: resident report: {err}", db.name));
        assert_eq!(online.repair.priority.as_str(), "routine");
        assert_eq!(online.repair.reported_via.as_str(), "web");
        let urgent_self = w
            .hearth
            .report_repair(&me, &leak(&e, None, Some("emergency")))
            .await;
        assert_eq!(field_of(urgent_self.unwrap_err()), "priority");
        let stranger = w.person("Bea", Default::default()).await;
        let elsewhere = w
            .hearth
            .report_repair(
                &resident_repairs_caller(stranger),
                &RepairInput {
                    person_id: Some(stranger),
                    ..leak(&e, None, None)
                },
            )
            .await;
        assert_eq!(field_of(elsewhere.unwrap_err()), "property_id");
        let for_someone_else = w
            .hearth
            .report_repair(&resident_repairs_caller(stranger), &leak(&e, None, None))
            .await;
        assert!(matches!(for_someone_else, Err(ServiceError::Forbidden(_))));

        // Reading back: the description was sealed and opens; the resident sees only theirs.
        let read = w
            .hearth
            .repair(&me, online.repair.id)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(
            read.repair.description,
            "Water coming through the kitchen ceiling"
        );
        assert!(
            w.hearth
                .repair(&resident_repairs_caller(stranger), online.repair.id)
                .await
                .is_err()
        );
        let mine = w
            .hearth
            .repairs(&me, RepairQuery::default(), 50)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(mine.len(), 2);
        let theirs = w
            .hearth
            .repairs(
                &resident_repairs_caller(stranger),
                RepairQuery::default(),
                50,
            )
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert!(theirs.is_empty());
        let id = w
            .hearth
            .repair_id_of(&phoned.repair.reference)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(id, phoned.repair.id);

        // Triage recounts the target from the report and notes the change.
        let triaged = w
            .hearth
            .triage_repair(
                &e.planner,
                online.repair.id,
                "emergency",
                Some("Ceiling bulging".into()),
                1,
            )
            .await
            .unwrap_or_else(|err| panic!("triage: {err}"));
        assert_eq!(
            triaged.repair.target_at,
            online.repair.reported_at + jiff::SignedDuration::from_hours(24)
        );
        assert_eq!(
            triaged
                .history
                .last()
                .and_then(|h| h.note.clone())
                .as_deref(),
            Some("Priority emergency (was routine). Ceiling bulging")
        );
        let stale = w
            .hearth
            .triage_repair(&e.planner, online.repair.id, "urgent", None, 1)
            .await;
        assert!(
            matches!(stale, Err(ServiceError::Conflict(_))),
            "{}",
            db.name
        );
        let by_resident = w
            .hearth
            .triage_repair(&me, online.repair.id, "urgent", None, 2)
            .await;
        assert!(matches!(by_resident, Err(ServiceError::Forbidden(_))));
    }
}

#[tokio::test]
async fn a_repair_runs_from_job_to_satisfaction_and_operatives_see_only_their_jobs() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let e = estate(&w).await;
        let repair = report_by_phone(&w, &e, "routine").await.repair;
        let id = repair.id;

        // Before any job the operative sees nothing of the resident.
        assert!(
            w.hearth
                .job_sheets(&e.operative)
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .is_empty()
        );
        let f = w
            .hearth
            .assign_repair_job(
                &e.planner,
                id,
                &JobInput {
                    operative_id: Some(e.operative_id),
                    contractor: None,
                    instructions: "Trace and fix the leak above the kitchen".into(),
                },
                1,
            )
            .await
            .unwrap_or_else(|err| panic!("{}: assign: {err}", db.name));
        let job = f.jobs[0].id;
        let sheets = w
            .hearth
            .job_sheets(&e.operative)
            .await
            .unwrap_or_else(|err| panic!("{}: sheets: {err}", db.name));
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].resident_name, "Amara Okafor");
        assert_eq!(sheets[0].address.line1, "12 Fenton Road");
        assert_eq!(
            sheets[0].job.instructions,
            "Trace and fix the leak above the kitchen"
        );
        // The whole repair (its description may be about health) stays closed to them.
        assert!(matches!(
            w.hearth.repair(&e.operative, id).await,
            Err(ServiceError::Forbidden(_))
        ));

        // A job for someone who is not an operative is refused by field.
        let not_operative = w
            .hearth
            .assign_repair_job(
                &e.planner,
                id,
                &JobInput {
                    operative_id: Some(Uuid::now_v7()),
                    contractor: None,
                    instructions: "x".into(),
                },
                2,
            )
            .await;
        assert_eq!(field_of(not_operative.unwrap_err()), "operative_id");

        // A video call needs consent; a home visit does not.
        let slot = |kind: &str| AppointmentInput {
            kind: kind.into(),
            job_id: Some(job),
            starts_at: "2026-11-24T09:00:00Z".into(),
            ends_at: "2026-11-24T12:00:00Z".into(),
        };
        let video = w
            .hearth
            .book_repair_appointment(&e.planner, id, &slot("video_call"), 2)
            .await;
        assert_eq!(field_of(video.unwrap_err()), "kind");
        let booked = w
            .hearth
            .book_repair_appointment(&e.planner, id, &slot("home_visit"), 2)
            .await
            .unwrap_or_else(|err| panic!("{}: book: {err}", db.name));
        assert_eq!(booked.repair.status, RepairStatus::Scheduled);
        let visit = booked.appointments[0].id;
        let attended = w
            .hearth
            .mark_repair_appointment(&e.planner, id, visit, "attended", 3)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(attended.repair.status, RepairStatus::InProgress);

        // Completion waits for the open job and needs a resolution.
        let done = StatusInput {
            status: "completed".into(),
            resolution: Some("visit".into()),
            note: Some("New joint on the waste pipe".into()),
        };
        let early = w.hearth.move_repair(&e.planner, id, &done, 4).await;
        assert!(
            matches!(early, Err(ServiceError::Conflict(_))),
            "{}",
            db.name
        );
        let no_resolution = w
            .hearth
            .move_repair(
                &e.planner,
                id,
                &StatusInput {
                    status: "completed".into(),
                    ..Default::default()
                },
                4,
            )
            .await;
        assert_eq!(field_of(no_resolution.unwrap_err()), "resolution");
        w.hearth
            .finish_repair_job(&e.planner, id, job, "completed", 4)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        // With the job done the operative no longer sees the resident.
        assert!(
            w.hearth
                .job_sheets(&e.operative)
                .await
                .unwrap_or_else(|err| panic!("{err}"))
                .is_empty()
        );
        let closed = w
            .hearth
            .move_repair(&e.planner, id, &done, 5)
            .await
            .unwrap_or_else(|err| panic!("{}: complete: {err}", db.name));
        assert_eq!(closed.repair.status, RepairStatus::Completed);
        assert!(closed.repair.closed_at.is_some());
        let statuses: Vec<&str> = closed.history.iter().map(|h| h.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["reported", "scheduled", "in_progress", "completed"]
        );
        assert_eq!(
            closed.history[3].note.as_deref(),
            Some("New joint on the waste pipe")
        );

        // Completing it queued the satisfaction follow-up, by email (the tenant has an address).
        let due = db
            .store
            .claim_due_messages(w.hearth.now(), w.hearth.now(), 10)
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(due.len(), 1, "{}", db.name);
        assert_eq!(
            (due[0].template.as_str(), due[0].recipient.as_str()),
            ("repair_satisfaction", "amara@example.org")
        );
        assert_eq!(
            due[0].personalisation["repair_reference"],
            closed.repair.reference
        );
        // The resident answers the follow-up once; the repair stays closed.
        let me = resident_repairs_caller(e.tenant);
        let rated = w
            .hearth
            .rate_repair(
                &me,
                id,
                &SatisfactionInput {
                    score: 5,
                    comment: Some("Sorted in a morning".into()),
                },
                6,
            )
            .await
            .unwrap_or_else(|err| panic!("{}: rate: {err}", db.name));
        let answer = rated
            .repair
            .satisfaction
            .clone()
            .unwrap_or_else(|| panic!("no answer"));
        assert_eq!(
            (answer.score, answer.comment.as_deref()),
            (5, Some("Sorted in a morning"))
        );
        assert_eq!(rated.repair.closed_at, closed.repair.closed_at);
        let again = w
            .hearth
            .rate_repair(
                &me,
                id,
                &SatisfactionInput {
                    score: 1,
                    comment: None,
                },
                7,
            )
            .await;
        assert!(matches!(again, Err(ServiceError::Conflict(_))));
        let reopen = w
            .hearth
            .move_repair(
                &e.planner,
                id,
                &StatusInput {
                    status: "in_progress".into(),
                    ..Default::default()
                },
                7,
            )
            .await;
        assert!(matches!(reopen, Err(ServiceError::Conflict(_))));
    }
}

#[tokio::test]
async fn a_resident_cancels_before_work_starts_and_jobs_go_with_it() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let e = estate(&w).await;
        let id = report_by_phone(&w, &e, "routine").await.repair.id;
        w.hearth
            .assign_repair_job(
                &e.planner,
                id,
                &JobInput {
                    operative_id: None,
                    contractor: Some("Calder Roofing Ltd".into()),
                    instructions: "Survey the roof".into(),
                },
                1,
            )
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let me = resident_repairs_caller(e.tenant);
        let complete = w
            .hearth
            .move_repair(
                &me,
                id,
                &StatusInput {
                    status: "completed".into(),
                    resolution: Some("remote".into()),
                    note: None,
                },
                2,
            )
            .await;
        assert!(matches!(complete, Err(ServiceError::Forbidden(_))));
        let cancelled = w
            .hearth
            .move_repair(
                &me,
                id,
                &StatusInput {
                    status: "cancelled".into(),
                    resolution: None,
                    note: Some("Fixed it myself".into()),
                },
                2,
            )
            .await
            .unwrap_or_else(|err| panic!("{}: cancel: {err}", db.name));
        assert_eq!(cancelled.repair.status, RepairStatus::Cancelled);
        assert_eq!(cancelled.jobs[0].status.as_str(), "cancelled");
        assert!(
            cancelled
                .history
                .last()
                .is_some_and(|h| h.by.starts_with("resident:"))
        );
    }
}

#[tokio::test]
async fn a_closed_repair_is_kept_six_years_then_deleted_with_its_history() {
    for db in hearth_testkit::all_backends().await {
        let w = world(&db).await;
        let e = estate(&w).await;
        let id = report_by_phone(&w, &e, "urgent").await.repair.id;
        let open = report_by_phone(&w, &e, "routine").await.repair.id;
        w.hearth
            .move_repair(
                &e.planner,
                id,
                &StatusInput {
                    status: "completed".into(),
                    resolution: Some("no_fault_found".into()),
                    note: Some("No leak found".into()),
                },
                1,
            )
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        sweep(&w, date(2032, 11, 19)).await;
        assert!(
            w.hearth.repair(&e.planner, id).await.is_ok(),
            "{}: kept through the sixth year",
            db.name
        );
        sweep(&w, date(2032, 11, 22)).await;
        assert!(
            matches!(
                w.hearth.repair(&e.planner, id).await,
                Err(ServiceError::NotFound(_))
            ),
            "{}",
            db.name
        );
        // The open repair is untouched: its clock has not started.
        assert!(w.hearth.repair(&e.planner, open).await.is_ok());
    }
}

/// A retention run of repairs on this day.
async fn sweep(w: &World, day: jiff::civil::Date) {
    w.clock.set(at(day));
    let options = RunOptions {
        as_of: day,
        dry_run: false,
        only: Some("repairs_request".into()),
    };
    w.hearth
        .run_retention(&Caller::system("retention"), &options)
        .await
        .unwrap_or_else(|err| panic!("run on {day}: {err}"));
}
