//! Retention with an injected clock, on every backend: the seeds' schedules walked forward day
//! by day and month by month, holds beating every schedule, reviews needing an approval, survey
//! answers anonymised, tenancy files six years after the tenancy ends, restricted records kept,
//! and certificates that verify and fail when tampered with.

use hearth_core::audit::CheckpointKey;
use hearth_core::clock::ManualClock;
use hearth_core::records::{
    AddressInput, FiledRecordInput, HouseholdInput, PersonInput, PropertyInput, TenancyInput,
};
use hearth_core::retention::{HoldScope, NewHold, ReviewDecision, ReviewStatus};
use hearth_service::access::Control;
use hearth_service::retention::{MediaStore, RunOptions, RunReport};
use hearth_service::{Caller, Hearth, ServiceError};
use hearth_testkit::{TestDb, all_backends};
use jiff::civil::{Date, date};
use std::sync::Arc;
use uuid::Uuid;

struct World {
    hearth: Hearth,
    /// The data protection officer, reading for rights requests (any record, whole).
    dpo: Caller,
    clock: Arc<ManualClock>,
    key: String,
    _media: tempfile::TempDir,
}

fn at(day: Date) -> jiff::Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn world(db: &TestDb, start: Date) -> World {
    let register = hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
    let clock = Arc::new(ManualClock::new(at(start)));
    let media = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let key = CheckpointKey::from_seed([9; 32]);
    let public = key.public_key();
    let hearth = Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
        .unwrap_or_else(|e| panic!("{e}"))
        .with_media(MediaStore::local(media.path()).unwrap_or_else(|e| panic!("{e}")))
        .with_signing_key(key);
    let dpo = crate::common::staff_account(&hearth, "dpo", "data_protection_officer").await;
    World {
        hearth,
        dpo,
        clock,
        key: public,
        _media: media,
    }
}

fn operator(purpose: &str) -> Caller {
    Caller::operator("tester").for_purpose(purpose)
}

fn sweeper() -> Caller {
    Caller::system("retention")
}

impl World {
    async fn run_on(&self, day: Date) -> RunReport {
        self.clock.set(at(day));
        self.hearth
            .run_retention(
                &sweeper(),
                &RunOptions {
                    as_of: day,
                    dry_run: false,
                    only: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("run on {day}: {e}"))
    }

    async fn file(&self, record_type: &str, purpose: &str, person: Option<Uuid>) -> Uuid {
        self.hearth
            .file_record(
                &operator(purpose),
                &FiledRecordInput {
                    record_type: record_type.into(),
                    person_id: person,
                    title: format!("a {record_type} record"),
                    details: Some("notes".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("filing {record_type}: {e}"))
            .id
    }

    async fn exists(&self, id: Uuid, purpose: &str) -> bool {
        let _ = purpose;
        match self
            .hearth
            .get_filed_record(&self.dpo.clone().for_purpose("information_rights"), id)
            .await
        {
            Ok(_) => true,
            Err(ServiceError::NotFound(_)) => false,
            Err(e) => panic!("reading {id}: {e}"),
        }
    }

    async fn person(&self, family: &str) -> Uuid {
        self.hearth
            .create_person(
                &self
                    .staff(&format!("cso-{family}"), "customer_service_officer")
                    .await
                    .for_purpose("customer_record"),
                &PersonInput {
                    given_name: "Ada".into(),
                    family_name: family.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("person: {e}"))
            .id()
    }

    async fn staff(&self, username: &str, role: &str) -> Caller {
        crate::common::staff_account(&self.hearth, username, role).await
    }
}

fn count(report: &RunReport, record_type: &str) -> (u64, i64) {
    report
        .lines
        .iter()
        .find(|l| l.record_type == record_type)
        .map(|l| (l.destroyed, l.held))
        .unwrap_or((0, 0))
}

#[tokio::test]
async fn the_seed_schedules_run_as_the_clock_moves_and_holds_win() {
    for db in all_backends().await {
        let w = world(&db, date(2026, 1, 5)).await;
        let cso = w.file("cso_notes", "customer_contact", None).await;
        let badge_log = w.file("blue_badge_record_log", "blue_badge", None).await;
        let badge_photo = w.file("blue_badge_photos", "blue_badge", None).await;
        let cso_staff = w.staff("cso", "customer_service_officer").await;
        let photo = w
            .hearth
            .attach_media(
                &cso_staff.for_purpose("blue_badge"),
                badge_photo,
                "image/jpeg",
                b"\xff\xd8 a photograph".to_vec(),
            )
            .await
            .unwrap_or_else(|e| panic!("photo: {e}"));
        let cctv = w.file("cctv_footage", "cctv_safety", None).await;
        let cctv_held = w.file("cctv_footage", "cctv_safety", None).await;
        let video = w
            .file("video_recording", "repairs_video_triage", None)
            .await;
        let smile = w
            .file("smile_service_requests", "customer_contact", None)
            .await;
        let restricted_person = w.person("Restricted").await;
        let restricted_note = w
            .file("cso_notes", "customer_contact", Some(restricted_person))
            .await;
        let dpo = w.dpo.clone();
        w.hearth
            .set_control(
                &dpo,
                restricted_person,
                Control::Restriction,
                true,
                "accuracy contested by the resident",
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("restrict: {e}"));
        let owner = Uuid::parse_str(&dpo.actor().to_string().replace("staff:", ""))
            .unwrap_or_else(|e| panic!("{e}"));
        let hold = w
            .hearth
            .place_hold(
                &dpo,
                &NewHold {
                    scope: HoldScope::Record {
                        record_type: "cctv_footage".into(),
                        record_id: cctv_held,
                    },
                    reason: "Police request ref 14/2231 for footage of an incident".into(),
                    requester: "West Yorkshire Police".into(),
                    owner,
                    review_on: date(2026, 6, 1),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("hold: {e}"));

        // A dry run changes nothing.
        w.clock.set(at(date(2026, 1, 7)));
        let dry = w
            .hearth
            .run_retention(
                &sweeper(),
                &RunOptions {
                    as_of: date(2026, 1, 7),
                    dry_run: true,
                    only: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("dry run: {e}"));
        assert_eq!(count(&dry, "cso_notes").0, 1, "{}", db.name);
        assert!(dry.certificate.is_none());
        assert!(w.exists(cso, "customer_contact").await);

        // CSO notes: kept the day they are made and the next, gone the day after.
        w.run_on(date(2026, 1, 6)).await;
        assert!(w.exists(cso, "customer_contact").await);
        let report = w.run_on(date(2026, 1, 7)).await;
        assert!(!w.exists(cso, "customer_contact").await);
        assert_eq!(count(&report, "cso_notes").0, 1);
        // The restricted person's note is kept: the gate allows storage only.
        assert!(w.exists(restricted_note, "customer_contact").await);
        let line = report.lines.iter().find(|l| l.record_type == "cso_notes");
        assert_eq!(line.map(|l| l.kept_by_policy), Some(1));

        // Video recordings: four weeks.
        w.run_on(date(2026, 2, 2)).await;
        assert!(w.exists(video, "repairs_video_triage").await);
        w.run_on(date(2026, 2, 3)).await;
        assert!(!w.exists(video, "repairs_video_triage").await);

        // CCTV: 30 days, unless held.
        w.run_on(date(2026, 2, 4)).await;
        assert!(w.exists(cctv, "cctv_safety").await);
        let report = w.run_on(date(2026, 2, 5)).await;
        assert!(!w.exists(cctv, "cctv_safety").await);
        assert!(w.exists(cctv_held, "cctv_safety").await);
        assert_eq!(count(&report, "cctv_footage"), (1, 1));
        // The held clip survives its period run after run, then goes on the first run after
        // the hold is lifted.
        w.run_on(date(2026, 3, 1)).await;
        assert!(w.exists(cctv_held, "cctv_safety").await);
        w.clock.set(at(date(2026, 3, 2)));
        w.hearth
            .lift_hold(
                &dpo,
                hold.id,
                "Police confirmed the footage is no longer needed",
            )
            .await
            .unwrap_or_else(|e| panic!("lift: {e}"));
        w.run_on(date(2026, 3, 2)).await;
        assert!(!w.exists(cctv_held, "cctv_safety").await);

        // Blue Badge record log 3 months, photos 6 months (and the photo's object with it).
        w.run_on(date(2026, 4, 5)).await;
        assert!(w.exists(badge_log, "blue_badge").await);
        w.run_on(date(2026, 4, 6)).await;
        assert!(!w.exists(badge_log, "blue_badge").await);
        assert!(w.exists(badge_photo, "blue_badge").await);
        assert!(
            w.hearth
                .media_object_exists(&photo.object_key)
                .await
                .unwrap_or(false)
        );
        w.run_on(date(2026, 7, 5)).await;
        assert!(w.exists(badge_photo, "blue_badge").await);
        let report = w.run_on(date(2026, 7, 6)).await;
        assert!(!w.exists(badge_photo, "blue_badge").await);
        assert!(
            !w.hearth
                .media_object_exists(&photo.object_key)
                .await
                .unwrap_or(true)
        );

        // The run's certificate verifies, names the photo's removal, and fails when altered.
        let certificate = report
            .certificate
            .unwrap_or_else(|| panic!("no certificate"));
        assert_eq!(certificate.verify(Some(&w.key)), Ok(()));
        let photos = certificate
            .certificate
            .lines
            .iter()
            .find(|l| l.record_type == "blue_badge_photos")
            .map(|l| (l.destroyed, l.media_removed));
        assert_eq!(photos, Some((1, 1)));
        let mut tampered = certificate.clone();
        tampered.certificate.lines[0].destroyed += 1;
        assert!(tampered.verify(Some(&w.key)).is_err());

        // CRM service requests: 2 years.
        w.run_on(date(2028, 1, 5)).await;
        assert!(w.exists(smile, "customer_contact").await);
        w.run_on(date(2028, 1, 6)).await;
        assert!(!w.exists(smile, "customer_contact").await);

        // Every run is in the log.
        let runs = w
            .hearth
            .retention_runs(&dpo, 100)
            .await
            .unwrap_or_else(|e| panic!("runs: {e}"));
        assert_eq!(runs.len(), 14);
        assert!(runs.iter().all(|r| r.status == "completed"));
    }
}

#[tokio::test]
async fn reviews_need_the_named_role_and_an_approval() {
    for db in all_backends().await {
        let w = world(&db, date(2026, 1, 5)).await;
        let incident = w
            .file("security_incidents", "security_incidents", None)
            .await;
        let kept = w
            .file("security_incidents", "security_incidents", None)
            .await;
        // Six months after the last activity the record is queued, not destroyed.
        let report = w.run_on(date(2026, 7, 6)).await;
        let line = report
            .lines
            .iter()
            .find(|l| l.record_type == "security_incidents")
            .map(|l| (l.queued_for_review, l.destroyed));
        assert_eq!(line, Some((2, 0)));
        assert!(w.exists(incident, "security_incidents").await);
        let manager = w.staff("csm", "customer_service_manager").await;
        let officer = w.staff("cso", "customer_service_officer").await;
        let pending = w
            .hearth
            .list_reviews(&manager, Some(ReviewStatus::Pending), false)
            .await
            .unwrap_or_else(|e| panic!("reviews: {e}"));
        assert_eq!(pending.len(), 2);
        let review_of = |id: Uuid| {
            pending
                .iter()
                .find(|r| r.record_id == id)
                .map(|r| r.id)
                .unwrap_or_else(|| panic!("no review of {id}"))
        };
        let approve = ReviewDecision::Approve { reason: None };
        let refused = w
            .hearth
            .decide_review(&officer, review_of(incident), &approve)
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{refused:?}"
        );
        // Queued again on the next run? No: one open review per record.
        w.run_on(date(2026, 7, 7)).await;
        assert_eq!(
            w.hearth
                .list_reviews(&manager, Some(ReviewStatus::Pending), false)
                .await
                .map(|r| r.len())
                .unwrap_or(0),
            2
        );
        w.hearth
            .decide_review(&manager, review_of(incident), &approve)
            .await
            .unwrap_or_else(|e| panic!("approve: {e}"));
        w.hearth
            .decide_review(
                &manager,
                review_of(kept),
                &ReviewDecision::Extend {
                    reason: "The ban stays in place after the latest incident".into(),
                    until: date(2027, 1, 7),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("extend: {e}"));
        w.run_on(date(2026, 7, 8)).await;
        assert!(!w.exists(incident, "security_incidents").await);
        assert!(w.exists(kept, "security_incidents").await);
        // A pending review not decided within a month is overdue.
        w.run_on(date(2027, 1, 8)).await;
        w.clock.set(at(date(2027, 2, 10)));
        let overdue = w
            .hearth
            .list_reviews(&manager, None, true)
            .await
            .unwrap_or_else(|e| panic!("overdue: {e}"));
        assert_eq!(
            overdue.iter().map(|r| r.record_id).collect::<Vec<_>>(),
            vec![kept]
        );
    }
}

#[tokio::test]
async fn survey_answers_are_anonymised_keeping_the_registers_fields() {
    for db in all_backends().await {
        let w = world(&db, date(2026, 1, 5)).await;
        let person = w.person("Surveyed").await;
        let cso = w.staff("cso-consent", "customer_service_officer").await;
        w.hearth
            .record_consent(
                &cso,
                person,
                &hearth_service::access::ConsentInput {
                    purpose: "surveys".into(),
                    granted: true,
                    special_category: false,
                    wording: "May we keep your answers to this survey?".into(),
                    wording_version: "1".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("consent: {e}"));
        // The answers include equality monitoring (special category): under a purpose whose
        // only Art 9 condition is explicit consent, that is recorded apart.
        w.hearth
            .record_consent(
                &cso,
                person,
                &hearth_service::access::ConsentInput {
                    purpose: "surveys".into(),
                    granted: true,
                    special_category: true,
                    wording: "May we keep your equality answers with this survey?".into(),
                    wording_version: "1".into(),
                    channel: Some(hearth_core::rights::Channel::Phone),
                    given_by: Some(hearth_core::access::ConsentGiver::ThePerson),
                    given_at: Some("2020-01-01T09:00:00Z".parse().expect("a time")),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("explicit consent: {e}"));
        let mut stats = serde_json::Map::new();
        stats.insert("survey_id".into(), "tenant-satisfaction-2026".into());
        stats.insert("age_band".into(), "35-44".into());
        stats.insert("postcode".into(), "HD1 2AB".into());
        let id = w
            .hearth
            .file_record(
                &Caller::operator("tester").for_purpose("surveys"),
                &FiledRecordInput {
                    record_type: "survey_response".into(),
                    person_id: Some(person),
                    title: "Survey answers".into(),
                    details: Some("free text that names a neighbour".into()),
                    stats,
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("survey: {e}"))
            .id;
        w.run_on(date(2027, 7, 5)).await;
        let report = w.run_on(date(2027, 7, 6)).await;
        let line = report
            .lines
            .iter()
            .find(|l| l.record_type == "survey_response")
            .map(|l| l.anonymised);
        assert_eq!(line, Some(1));
        let record = w
            .hearth
            .get_filed_record(&w.dpo.clone().for_purpose("information_rights"), id)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
        assert_eq!(record.fields.person_id, None);
        assert_eq!(record.fields.details, None);
        assert!(record.anonymised_at.is_some());
        let mut keys: Vec<&String> = record.fields.stats.keys().collect();
        keys.sort();
        assert_eq!(keys, vec!["age_band", "survey_id"]);
    }
}

#[tokio::test]
async fn tenancy_files_go_six_years_after_the_tenancy_ends_and_current_ones_stay() {
    for db in all_backends().await {
        let w = world(&db, date(2019, 6, 3)).await;
        let name = db.name;
        let officer = w
            .staff("hana", "housing_officer")
            .await
            .for_purpose("tenancy_management");
        let household = w
            .hearth
            .create_household(
                &officer,
                &HouseholdInput {
                    external_ref: Some("HH-1".into()),
                    name: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: household: {e}"))
            .id();
        let mut tenancies = vec![];
        for (uprn, end) in [("100023336901", Some("2020-03-31")), ("100023336902", None)] {
            let property = w
                .hearth
                .create_property(
                    &officer,
                    &PropertyInput {
                        uprn: uprn.into(),
                        address: AddressInput {
                            line1: format!("{} Canal Side", &uprn[10..]),
                            postcode: "HD1 3AB".into(),
                            ..Default::default()
                        },
                        property_type: None,
                        bedrooms: None,
                        source: None,
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("{name}: property: {e}"))
                .id();
            let tenancy = w
                .hearth
                .create_tenancy(
                    &officer,
                    &TenancyInput {
                        external_ref: Some(format!("T-{uprn}")),
                        household_id: household,
                        property_id: property,
                        tenancy_type: "secure".into(),
                        start_date: "2019-06-03".into(),
                        end_date: end.map(str::to_string),
                        end_reason: end.map(|_| "moved to another area".to_string()),
                    },
                )
                .await
                .unwrap_or_else(|e| panic!("{name}: tenancy: {e}"))
                .id();
            tenancies.push(tenancy);
        }
        let (ended, current) = (tenancies[0], tenancies[1]);
        // The rent record of the ended tenancy runs on the same clock.
        let rent = w
            .hearth
            .file_record(
                &officer,
                &FiledRecordInput {
                    record_type: "rent_record".into(),
                    tenancy_id: Some(ended),
                    title: "Rent account 2019-20".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: rent record: {e}"))
            .id;
        let rights = w.dpo.clone().for_purpose("information_rights");
        let tenancy_exists = |id: Uuid| {
            let hearth = w.hearth.clone();
            let rights = rights.clone();
            async move {
                match hearth.get_tenancy(&rights, id).await {
                    Ok(_) => true,
                    Err(ServiceError::NotFound(_)) => false,
                    Err(e) => panic!("reading tenancy {id}: {e}"),
                }
            }
        };

        // Six years after the end date, to the day: kept.
        w.run_on(date(2026, 3, 31)).await;
        assert!(tenancy_exists(ended).await, "{name}");
        assert!(w.exists(rent, "tenancy_management").await, "{name}");
        // The day after: the rent record and then the tenancy go, in the same run.
        let report = w.run_on(date(2026, 4, 1)).await;
        assert!(!w.exists(rent, "tenancy_management").await, "{name}");
        assert!(!tenancy_exists(ended).await, "{name}");
        assert_eq!(count(&report, "tenancy_file").0, 1, "{name}");
        assert_eq!(count(&report, "rent_record").0, 1, "{name}");
        // A tenancy that has not ended never starts its clock.
        w.run_on(date(2040, 1, 1)).await;
        assert!(tenancy_exists(current).await, "{name}");
    }
}
