//! Erasure requests on every backend: the plan keeps what must be kept and says why and until
//! when (public task, a legal hold, the person record needed by what is kept), erases what
//! rests on consent, needs the data protection officer's approval, and runs in one
//! transaction: media objects leave object storage, equality answers are cleared, and a person
//! with nothing left to keep is deleted with their data key. A hold placed after approval stops
//! it with nothing erased.

use hearth_core::records::{
    AddressInput, ContactEntryInput, Equality, EqualityAnswer, HouseholdInput, MembershipInput,
    PersonInput, PropertyInput, TenancyInput,
};
use hearth_core::retention::HoldScope;
use hearth_core::rights::{
    Channel, Decision, Erasure, ErasureStatus, Ground, ItemKind, NewDisclosure, NewRightsRequest,
    Outcome, Override, RequestKind, RequestStatus, Requester,
};
use hearth_service::ServiceError;
use hearth_service::rights::ErasureApproval;
use hearth_testkit::all_backends;
use jiff::civil::date;
use uuid::Uuid;

use crate::common::world;

fn item(erasure: &Erasure, id: Uuid) -> &hearth_core::rights::ErasureItem {
    erasure
        .items
        .iter()
        .find(|i| i.record_id == id && !matches!(i.kind, ItemKind::EqualityAnswers))
        .unwrap_or_else(|| panic!("no item {id}"))
}

fn kind(erasure: &Erasure, kind: ItemKind) -> &hearth_core::rights::ErasureItem {
    erasure
        .items
        .iter()
        .find(|i| i.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} item"))
}

#[tokio::test]
async fn erasure_keeps_what_must_be_kept_and_erases_the_rest_after_approval() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let equality = Equality {
            ethnicity: EqualityAnswer::Answered("Black British".into()),
            ..Default::default()
        };
        let asker = w.person("Chidi", equality).await;
        let household = h
            .create_household(
                &w.dpo,
                &HouseholdInput {
                    external_ref: None,
                    name: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        let membership = h
            .add_member(
                &w.dpo,
                household,
                &MembershipInput {
                    person_id: asker,
                    relationship: "lead_tenant".into(),
                    start_date: "2020-01-06".into(),
                    end_date: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("member: {e}"));
        let membership = membership
            .full()
            .unwrap_or_else(|| panic!("the DPO sees the household"))
            .members
            .iter()
            .find(|m| m.fields.person_id == asker)
            .map(|m| m.id)
            .unwrap_or_else(|| panic!("membership"));
        let property = h
            .create_property(
                &w.dpo,
                &PropertyInput {
                    uprn: "100023336957".into(),
                    address: AddressInput {
                        line1: "3 Weir Street".into(),
                        postcode: "HD1 3AB".into(),
                        ..Default::default()
                    },
                    property_type: None,
                    bedrooms: None,
                    source: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        h.create_tenancy(
            &w.dpo,
            &TenancyInput {
                external_ref: None,
                household_id: household,
                property_id: property,
                tenancy_type: "secure".into(),
                start_date: "2020-01-06".into(),
                end_date: None,
                end_reason: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let contact = h
            .create_contact(
                &w.dpo,
                &ContactEntryInput {
                    person_id: asker,
                    channel: "phone".into(),
                    occurred_at: None,
                    staff_member: "cso-114".into(),
                    reason: "repairs".into(),
                    summary: Some("asked about the boiler".into()),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        let repair = w.file("repairs_request", asker, true).await;
        let video = w.file("video_recording", asker, false).await;
        let held_video = w.file("video_recording", asker, false).await;
        let recording = h
            .attach_media(
                &w.dpo,
                video,
                "video/webm",
                b"a recording of a boiler".to_vec(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        w.consent(asker).await;
        w.hold_on(HoldScope::Record {
            record_type: "video_recording".into(),
            record_id: held_video,
        })
        .await;
        // The recording went to the safeguarding board earlier: the letter says they are told.
        let safeguarding = w.dpo.clone().for_purpose("safeguarding");
        let to_board = NewDisclosure {
            person_id: asker,
            recipient: "safeguarding_bodies".into(),
            record_type: Some("video_recording".into()),
            record_id: Some(video),
            disclosed_on: date(2026, 11, 19),
            what: "The recording of the call".into(),
            reason: "Adult safeguarding referral".into(),
        };
        let wrong = NewDisclosure {
            recipient: "utility_companies".into(),
            ..to_board.clone()
        };
        assert!(matches!(
            h.record_disclosure(&safeguarding, &wrong).await,
            Err(ServiceError::Invalid(_))
        ));
        h.record_disclosure(&safeguarding, &to_board)
            .await
            .unwrap_or_else(|e| panic!("disclosure: {e}"));
        let request = w.erasure_request(asker).await;

        // Carrying out before approval, and approval by anyone but the DPO, are refused.
        let plan = h
            .prepare_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("prepare: {e}"));
        assert_eq!(plan.status, ErasureStatus::Proposed);
        let decided = |id| {
            let i = item(&plan, id);
            (i.decision, i.ground)
        };
        assert_eq!(decided(repair), (Decision::Keep, Ground::PublicTask));
        assert_eq!(item(&plan, repair).until, Some(date(2032, 11, 20)));
        assert_eq!(decided(video), (Decision::Erase, Ground::ConsentBased));
        assert_eq!(item(&plan, video).media, 1);
        assert_eq!(decided(held_video), (Decision::Keep, Ground::LegalHold));
        assert_eq!(decided(contact), (Decision::Keep, Ground::PublicTask));
        assert_eq!(decided(membership), (Decision::Keep, Ground::PublicTask));
        let person = kind(&plan, ItemKind::PersonRecord);
        assert_eq!(
            (person.decision, person.ground),
            (Decision::Keep, Ground::LinkedRecords)
        );
        let eq = kind(&plan, ItemKind::EqualityAnswers);
        assert_eq!(
            (eq.decision, eq.ground),
            (Decision::Erase, Ground::ConsentBased)
        );
        let plan_json = serde_json::to_string(&plan).unwrap_or_default();
        for secret in ["Chidi", "Okafor", "boiler", "Black British", "Weir"] {
            assert!(!plan_json.contains(secret), "the plan holds '{secret}'");
        }
        assert!(matches!(
            h.execute_erasure(&w.igo, request).await,
            Err(ServiceError::Conflict(_))
        ));
        let approval = ErasureApproval {
            version: plan.version,
            overrides: vec![Override {
                record_id: contact,
                decision: Decision::Erase,
                reason: "A duplicate of a call already on the repair".into(),
            }],
        };
        assert!(matches!(
            h.approve_erasure(&w.igo, request, &approval).await,
            Err(ServiceError::Forbidden(_))
        ));
        let erase_held = ErasureApproval {
            version: plan.version,
            overrides: vec![Override {
                record_id: held_video,
                decision: Decision::Erase,
                reason: "The person asked for this one in particular".into(),
            }],
        };
        assert!(matches!(
            h.approve_erasure(&w.dpo, request, &erase_held).await,
            Err(ServiceError::Invalid(_))
        ));
        let stale = ErasureApproval {
            version: plan.version + 1,
            overrides: vec![],
        };
        assert!(matches!(
            h.approve_erasure(&w.dpo, request, &stale).await,
            Err(ServiceError::Conflict(_))
        ));
        let approved = h
            .approve_erasure(&w.dpo, request, &approval)
            .await
            .unwrap_or_else(|e| panic!("approve: {e}"));
        assert_eq!(approved.status, ErasureStatus::Approved);
        assert_eq!(item(&approved, contact).ground, Ground::DpoDecision);

        let done = h
            .execute_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("execute: {e}"));
        assert_eq!(done.removed.filed_records, 1);
        assert_eq!(done.removed.contacts, 1);
        assert_eq!(done.removed.media_objects, 1);
        assert!(done.removed.equality_cleared);
        assert!(!done.removed.person_erased);
        assert!(!w.media.exists(&recording.object_key).await.unwrap_or(true));

        // What was erased is gone; what was kept is there; the person record stays, its
        // equality answers cleared.
        let records = h
            .compile_access_bundle(&w.dpo, asker)
            .await
            .unwrap_or_else(|e| panic!("bundle: {e}"));
        let ids: Vec<Uuid> = records.records.iter().map(|r| r.record.id).collect();
        assert!(ids.contains(&repair) && ids.contains(&held_video) && !ids.contains(&video));
        assert!(records.contacts.is_empty());
        assert_eq!(records.person.fields.equality, Equality::default());
        assert_eq!(records.households.len(), 1);

        let closed = h
            .rights_request(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request;
        assert_eq!(closed.status, RequestStatus::Completed);
        assert_eq!(closed.outcome, Some(Outcome::PartlyFulfilled));
        let letter = closed.response_letter.unwrap_or_default();
        assert!(
            letter.contains("Remote video assistance recording"),
            "{letter}"
        );
        assert!(letter.contains("a legal hold is in force"), "{letter}");
        assert!(
            letter.contains("Kept until 2032-11-20 (6 years after case closed)"),
            "{letter}"
        );
        assert!(
            letter.contains("A duplicate of a call already on the repair"),
            "{letter}"
        );
        assert!(!letter.contains("Chidi"));
        let board = h
            .register()
            .recipient("safeguarding_bodies")
            .map(|r| r.name.clone())
            .unwrap_or_default();
        assert!(letter.contains(&format!("- {board}")), "{letter}");
        assert!(matches!(
            h.execute_erasure(&w.igo, request).await,
            Err(ServiceError::Conflict(_))
        ));
    }
}

#[tokio::test]
async fn a_person_with_nothing_left_to_keep_is_deleted_with_their_key() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Ada", Equality::default()).await;
        let video = w.file("video_recording", person, false).await;
        w.consent(person).await;
        let request = w.erasure_request(person).await;
        let plan = h
            .prepare_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(item(&plan, video).decision, Decision::Erase);
        let p = kind(&plan, ItemKind::PersonRecord);
        assert_eq!(
            (p.decision, p.ground),
            (Decision::Erase, Ground::WithPersonRecord)
        );
        assert_eq!(
            kind(&plan, ItemKind::ConsentHistory).decision,
            Decision::Erase
        );
        assert_eq!(
            kind(&plan, ItemKind::RightsRequests).decision,
            Decision::Keep
        );
        h.approve_erasure(
            &w.dpo,
            request,
            &ErasureApproval {
                version: plan.version,
                overrides: vec![],
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let done = h
            .execute_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(done.removed.person_erased);
        assert!(matches!(
            h.compile_access_bundle(&w.dpo, person).await,
            Err(ServiceError::NotFound(_))
        ));
        // The register keeps the request (dates, type, outcome); its text went with the key.
        let kept = h
            .rights_request(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request;
        assert_eq!(kept.outcome, Some(Outcome::Fulfilled));
        assert_eq!(kept.summary, None);
        assert_eq!(kept.response_letter, None);
        // The erasure itself stays readable, as evidence, with its letter.
        let evidence = h
            .erasure(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(evidence.status, ErasureStatus::Executed);
        assert!(
            evidence
                .letter
                .unwrap_or_default()
                .contains("What we have erased")
        );
    }
}

#[tokio::test]
async fn a_hold_placed_after_approval_stops_the_erasure_with_nothing_erased() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Bola", Equality::default()).await;
        let video = w.file("video_recording", person, false).await;
        let request = w.erasure_request(person).await;
        w.prepare_and_approve(request).await;
        w.hold_on(HoldScope::Person { person_id: person }).await;
        let refused = h.execute_erasure(&w.igo, request).await;
        assert!(
            matches!(&refused, Err(ServiceError::Conflict(m)) if m.contains("legal hold")),
            "{refused:?}"
        );
        let bundle = h
            .compile_access_bundle(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bundle.records.len(), 1);
        assert_eq!(bundle.records[0].record.id, video);
        let still = h
            .rights_request(&w.dpo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request;
        assert_eq!(still.status, RequestStatus::Open);
        assert_eq!(
            h.erasure(&w.dpo, request)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .status,
            ErasureStatus::Approved
        );
    }
}

#[tokio::test]
async fn rectification_corrects_the_record_and_keeps_the_previous_value() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Chioma", Equality::default()).await;
        let erasure = w.erasure_request(person).await;
        let request = h
            .log_rights_request(
                &w.igo,
                &NewRightsRequest {
                    person_id: person,
                    kind: RequestKind::Rectification,
                    channel: Channel::Letter,
                    received_on: date(2026, 11, 18),
                    requester: Requester::Subject,
                    summary: "My surname is misspelt".into(),
                    identity_needed: false,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request
            .id;
        let corrected = |family: &str| PersonInput {
            given_name: "Chioma".into(),
            family_name: family.into(),
            ..Default::default()
        };
        let input = |family: &str, version| hearth_service::rights::RectificationInput {
            version,
            person: corrected(family),
        };
        assert!(matches!(
            h.rectify(&w.igo, erasure, &input("Okafor-Bello", 1)).await,
            Err(ServiceError::Conflict(_))
        ));
        assert!(matches!(
            h.rectify(&w.igo, request, &input("Okafor", 1)).await,
            Err(ServiceError::Invalid(_))
        ));
        assert!(matches!(
            h.rectify(&w.igo, request, &input("Okafor-Bello", 7)).await,
            Err(ServiceError::Conflict(_))
        ));
        h.record_disclosure(
            &w.dpo.clone().for_purpose("safeguarding"),
            &NewDisclosure {
                person_id: person,
                recipient: "police".into(),
                record_type: None,
                record_id: None,
                disclosed_on: date(2026, 11, 2),
                what: "Name and address".into(),
                reason: "Police request under DPA 2018 Sch 2 para 2".into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let done = h
            .rectify(&w.igo, request, &input("Okafor-Bello", 1))
            .await
            .unwrap_or_else(|e| panic!("rectify: {e}"));
        assert_eq!(done.person.fields.family_name, "Okafor-Bello");
        assert_eq!(
            done.notify.len(),
            1,
            "the police are told: {:?}",
            done.notify
        );
        let listed = h
            .disclosures(&w.igo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].what.as_deref(), Some("Name and address"));
        let history = h
            .corrections(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let fields: Vec<(&str, &serde_json::Value, &serde_json::Value)> = history
            .iter()
            .map(|c| (c.field.as_str(), &c.previous, &c.corrected))
            .collect();
        assert!(
            fields.contains(&(
                "family_name",
                &serde_json::json!("Okafor"),
                &serde_json::json!("Okafor-Bello")
            )),
            "{fields:?}"
        );
        assert!(history.iter().all(|c| c.request_id == request));
        let now = h
            .compile_access_bundle(&w.dpo, person)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(now.person.fields.family_name, "Okafor-Bello");
        assert_eq!(now.person.version, 2);
    }
}

#[tokio::test]
async fn a_release_not_yet_downloaded_is_gone_once_its_person_is_erased() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Ada", Equality::default()).await;
        w.file("video_recording", person, false).await;
        let access = w.request(person, RequestKind::Access, false).await;
        let released = h
            .release_access(
                &w.dpo,
                access,
                &hearth_service::rights::ReleaseApproval {
                    redactions: vec![],
                    accept_proposed: false,
                    valid_days: 7,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let request = w.erasure_request(person).await;
        w.prepare_and_approve(request).await;
        let done = h
            .execute_erasure(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(done.removed.person_erased);
        let secret = released
            .download_path
            .rsplit('/')
            .next()
            .unwrap_or_default();
        match h.download_access(secret).await {
            Err(ServiceError::Gone(why)) => assert!(why.contains("erased"), "{why}"),
            other => panic!("expected Gone, got {:?}", other.map(|(r, _)| r.id)),
        }
        assert!(
            !w.media
                .exists(&released.release.object_key)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            "the sealed archive is removed"
        );
    }
}
