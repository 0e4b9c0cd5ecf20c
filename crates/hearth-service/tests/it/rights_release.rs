//! Releasing an access response on every backend: the review flags a call note that names the
//! joint tenant, only the data protection officer releases, the redaction holds in every form
//! (HTML, JSON, CSV), the media file travels opened and intact, and the link works once and
//! expires.

use hearth_core::clock::ManualClock;
use hearth_core::records::{
    ContactEntryInput, FiledRecordInput, HouseholdInput, MembershipInput, PersonInput,
};
use hearth_core::rights::{Channel, NewRightsRequest, RequestKind, Requester};
use hearth_service::retention::MediaStore;
use hearth_service::rights::{Redaction, ReleaseApproval};
use hearth_service::{Caller, Hearth, ServiceError};
use hearth_testkit::all_backends;
use jiff::civil::date;
use std::sync::Arc;
use uuid::Uuid;

use crate::common::{at, staff, unzip};

async fn person(hearth: &Hearth, dpo: &Caller, given: &str, family: &str) -> Uuid {
    hearth
        .create_person(
            dpo,
            &PersonInput {
                given_name: given.into(),
                family_name: family.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{given}: {e}"))
        .id()
}

#[tokio::test]
async fn the_dpo_releases_a_redacted_archive_by_a_link_that_works_once() {
    for db in all_backends().await {
        let register =
            hearth_core::register::default_register().unwrap_or_else(|p| panic!("{p:?}"));
        let clock = Arc::new(ManualClock::new(at(date(2026, 11, 20))));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let media = MediaStore::local(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let hearth = Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
            .unwrap_or_else(|e| panic!("{e}"))
            .with_media(media);
        let h = &hearth;
        let dpo = staff(h, "the.dpo", "data_protection_officer").await;
        let igo = staff(h, "the.igo", "information_governance_officer").await;
        let asker = person(h, &dpo, "Amara", "Osei").await;
        let joint = person(h, &dpo, "Kwame", "Mensah").await;
        let household = h
            .create_household(
                &dpo,
                &HouseholdInput {
                    external_ref: None,
                    name: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        for who in [asker, joint] {
            h.add_member(
                &dpo,
                household,
                &MembershipInput {
                    person_id: who,
                    relationship: "joint_tenant".into(),
                    start_date: "2021-04-01".into(),
                    end_date: None,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let naming = h
            .create_contact(
                &dpo,
                &ContactEntryInput {
                    person_id: asker,
                    channel: "phone".into(),
                    occurred_at: None,
                    staff_member: "cso-114".into(),
                    reason: "rent".into(),
                    summary: Some("Says Kwame has moved out and stopped paying".into()),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id();
        let repair = h
            .file_record(
                &dpo,
                &FiledRecordInput {
                    record_type: "repairs_request".into(),
                    person_id: Some(asker),
                    title: "Leaking kitchen tap".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        let photo = b"\x89PNG a photograph of the tap".to_vec();
        let media_object = h
            .attach_media(&dpo, repair, "image/png", photo.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let request = h
            .log_rights_request(
                &igo,
                &NewRightsRequest {
                    person_id: asker,
                    kind: RequestKind::Access,
                    channel: Channel::Web,
                    received_on: date(2026, 11, 19),
                    requester: Requester::Subject,
                    summary: "Everything you hold about me".into(),
                    identity_needed: false,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .request
            .id;

        let review = h
            .review_access(&igo, request)
            .await
            .unwrap_or_else(|e| panic!("review: {e}"));
        assert_eq!(review.flags.len(), 1, "{:?}", review.flags);
        assert_eq!(
            (review.flags[0].record_id, review.flags[0].field.as_str()),
            (naming, "summary")
        );

        let approval = ReleaseApproval {
            redactions: vec![Redaction {
                record_id: naming,
                reason: "Names the joint tenant and his circumstances".into(),
            }],
            accept_proposed: false,
            valid_days: 14,
        };
        assert!(matches!(
            h.release_access(&igo, request, &approval).await,
            Err(ServiceError::Forbidden(_))
        ));
        let bad = ReleaseApproval {
            redactions: vec![Redaction {
                record_id: Uuid::now_v7(),
                reason: "Not in this bundle at all".into(),
            }],
            accept_proposed: false,
            valid_days: 14,
        };
        assert!(matches!(
            h.release_access(&dpo, request, &bad).await,
            Err(ServiceError::Invalid(_))
        ));
        let released = h
            .release_access(&dpo, request, &approval)
            .await
            .unwrap_or_else(|e| panic!("release: {e}"));
        let secret = released
            .download_path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();

        let (release, archive) = h
            .download_access(&secret)
            .await
            .unwrap_or_else(|e| panic!("download: {e}"));
        assert_eq!(release.id, released.release.id);
        let files = unzip(&archive);
        for name in [
            "report.html",
            "bundle.json",
            "csv/contacts.csv",
            "csv/records.csv",
        ] {
            assert!(files.contains_key(name), "{name} in {:?}", files.keys());
        }
        let photo_path = format!("media/{repair}/{}.png", media_object.id);
        assert_eq!(files.get(&photo_path), Some(&photo), "the photo, opened");
        let report = String::from_utf8_lossy(&files["report.html"]).to_string();
        assert!(report.contains("Leaking kitchen tap") && report.contains("Amara"));
        assert!(report.contains("Names the joint tenant and his circumstances"));
        for (name, content) in &files {
            let text = String::from_utf8_lossy(content);
            for secret in ["Kwame", "Mensah", "stopped paying", &joint.to_string()] {
                assert!(!text.contains(secret), "{name} holds '{secret}'");
            }
        }

        // Once only; and a link left unused expires.
        assert!(matches!(
            h.download_access(&secret).await,
            Err(ServiceError::Gone(_))
        ));
        let later = h
            .release_access(&dpo, request, &approval)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        clock.set(at(date(2026, 12, 5)));
        let expired = later.download_path.rsplit('/').next().unwrap_or_default();
        assert!(matches!(
            h.download_access(expired).await,
            Err(ServiceError::Gone(_))
        ));
        assert!(matches!(
            h.download_access("hearth_not-a-real-link").await,
            Err(ServiceError::Gone(_))
        ));
    }
}

/// The redaction engine proposes every passage about someone else in the bundle's free text;
/// accepted, a neighbour's name, phone number and address leave the released archive while the
/// requester's own name, phone number and address stay.
#[tokio::test]
async fn the_engine_proposes_redactions_and_the_release_keeps_only_the_requesters_own_data() {
    use hearth_core::records::{AddressInput, ContactPoint};
    for db in all_backends().await {
        let register = hearth_core::register::default_register().expect("shipped register");
        let clock = Arc::new(ManualClock::new(at(date(2026, 11, 20))));
        let dir = tempfile::tempdir().expect("a temporary directory");
        let media = MediaStore::local(dir.path()).expect("local media");
        let h = &Hearth::new(db.store.clone(), Arc::new(register), clock.clone())
            .expect("policy fits register")
            .with_media(media);
        let dpo = staff(h, "the.dpo", "data_protection_officer").await;
        let asker = h
            .create_person(
                &dpo,
                &PersonInput {
                    given_name: "Zofia".into(),
                    family_name: "Nowak".into(),
                    phones: vec![ContactPoint {
                        value: "07700 900461".into(),
                        label: Some("mobile".into()),
                        source: None,
                    }],
                    postal_address: Some(AddressInput {
                        line1: "12 Larch Close".into(),
                        town: Some("Huddersfield".into()),
                        postcode: "HD2 1QT".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .await
            .expect("the requester")
            .id();
        let note = "Mrs Nowak rang from 07700 900461 about noise from her neighbour Derek Whitfield \
                    at 14 Larch Close, Huddersfield HD2 1QT. He can be reached on 07700 900982. \
                    She lives at 12 Larch Close.";
        let contact = h
            .create_contact(
                &dpo,
                &ContactEntryInput {
                    person_id: asker,
                    channel: "phone".into(),
                    occurred_at: None,
                    staff_member: "cso-114".into(),
                    reason: "noise nuisance".into(),
                    summary: Some(note.into()),
                },
            )
            .await
            .expect("the note")
            .id();
        // A note typed as a spreadsheet formula must reach the CSV as text.
        h.create_contact(
            &dpo,
            &ContactEntryInput {
                person_id: asker,
                channel: "email".into(),
                occurred_at: None,
                staff_member: "cso-114".into(),
                reason: "=HYPERLINK(\"http://example.invalid\",\"click\")".into(),
                summary: None,
            },
        )
        .await
        .expect("the formula note");
        let request = h
            .log_rights_request(
                &dpo,
                &NewRightsRequest {
                    person_id: asker,
                    kind: RequestKind::Access,
                    channel: Channel::Web,
                    received_on: date(2026, 11, 19),
                    requester: Requester::Subject,
                    summary: "Everything you hold about me".into(),
                    identity_needed: false,
                },
            )
            .await
            .expect("the request")
            .request
            .id;

        let review = h.review_access(&dpo, request).await.expect("the review");
        let proposed: Vec<(&str, &str)> = review
            .proposed
            .iter()
            .filter(|p| p.record_id == contact && p.field == "summary")
            .map(|p| (p.label.as_str(), p.text.as_str()))
            .collect();
        assert!(
            proposed
                .iter()
                .any(|(l, t)| *l == "PERSON" && t.contains("Derek Whitfield")),
            "[{}] {proposed:?}",
            db.name
        );
        assert!(
            proposed
                .iter()
                .any(|(l, t)| *l == "PHONE" && t.contains("900982")),
            "[{}] {proposed:?}",
            db.name
        );
        assert!(
            proposed
                .iter()
                .any(|(l, t)| *l == "ADDRESS" && t.contains("14 Larch Close")),
            "[{}] {proposed:?}",
            db.name
        );
        assert!(
            !proposed.iter().any(|(_, t)| t.contains("Nowak")
                || t.contains("900461")
                || t.contains("12 Larch")),
            "[{}] the requester's own data is not proposed: {proposed:?}",
            db.name
        );

        let released = h
            .release_access(
                &dpo,
                request,
                &ReleaseApproval {
                    redactions: vec![],
                    accept_proposed: true,
                    valid_days: 14,
                },
            )
            .await
            .expect("the release");
        let secret = released
            .download_path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let (_, archive) = h.download_access(&secret).await.expect("the download");
        let files = unzip(&archive);
        let bundle = String::from_utf8_lossy(&files["bundle.json"]).to_string();
        for gone in ["Derek", "Whitfield", "900982", "14 Larch Close"] {
            for (name, content) in &files {
                assert!(
                    !String::from_utf8_lossy(content).contains(gone),
                    "[{}] {name} holds '{gone}'",
                    db.name
                );
            }
        }
        for kept in [
            "Mrs Nowak",
            "07700 900461",
            "12 Larch Close",
            "[redacted: PERSON]",
            "[redacted: PHONE]",
        ] {
            assert!(
                bundle.contains(kept),
                "[{}] '{kept}' in the released note: {bundle}",
                db.name
            );
        }
        assert!(
            bundle.contains("found by Hearth's redaction engine"),
            "[{}] the reason is listed",
            db.name
        );
        let contacts_csv = String::from_utf8_lossy(&files["csv/contacts.csv"]).to_string();
        assert!(
            contacts_csv.contains("'=HYPERLINK")
                && !contacts_csv.contains(",=HYPERLINK")
                && !contacts_csv.contains("\"=HYPERLINK"),
            "[{}] a formula is written as text: {contacts_csv}",
            db.name
        );
    }
}
