//! Portability requests on every backend: the response holds what the person provided under
//! consent or contract (their record, consents, records of portable types with their media) as
//! JSON and CSV, and none of the council's own notes, logs or public-task records; it is released
//! by the data protection officer through a single-use link, as an access response is.

use hearth_core::records::{ContactEntryInput, Equality};
use hearth_core::rights::RequestKind;
use hearth_service::ServiceError;
use hearth_service::rights::ReleaseApproval;
use hearth_testkit::all_backends;

use crate::common::{unzip, world};

#[tokio::test]
async fn a_portability_response_holds_only_what_was_provided_under_consent_or_contract() {
    for db in all_backends().await {
        let w = world(&db).await;
        let h = &w.hearth;
        let person = w.person("Efe", Equality::default()).await;
        w.consent(person).await;
        let video = w.file("video_recording", person, false).await;
        let repair = w.file("repairs_request", person, false).await;
        h.create_contact(
            &w.dpo,
            &ContactEntryInput {
                person_id: person,
                channel: "phone".into(),
                occurred_at: None,
                staff_member: "u-101".into(),
                reason: "Chased the repair".into(),
                summary: Some("Officer's note about the call".into()),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let request = w.request(person, RequestKind::Portability, false).await;

        let review = h
            .review_access(&w.igo, request)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let records: Vec<_> = review.bundle.records.iter().map(|r| r.record.id).collect();
        assert_eq!(
            records,
            vec![video],
            "the repair is public task, not portable"
        );
        assert!(review.bundle.contacts.is_empty());
        assert!(review.bundle.access_log.is_empty());
        assert_eq!(review.bundle.consents.len(), 1);

        // Only the data protection officer releases it.
        let approval = ReleaseApproval {
            redactions: vec![],
            accept_proposed: false,
            valid_days: 7,
        };
        assert!(matches!(
            h.release_access(&w.igo, request, &approval).await,
            Err(ServiceError::Forbidden(_))
        ));
        let released = h
            .release_access(&w.dpo, request, &approval)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let secret = released
            .download_path
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let (_, archive) = h
            .download_access(&secret)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let files = unzip(&archive);
        assert!(files.contains_key("data.json"), "{:?}", files.keys());
        assert!(!files.contains_key("report.html"), "machine-readable only");
        assert!(files.keys().any(|k| k.starts_with("csv/")));
        let json = String::from_utf8_lossy(&files["data.json"]).to_string();
        assert!(json.contains(&video.to_string()));
        assert!(!json.contains(&repair.to_string()));
        assert!(!json.contains("Officer's note"));
        assert!(json.contains("repairs_video_triage"), "consents travel");
        assert!(matches!(
            h.download_access(&secret).await,
            Err(ServiceError::Gone(_))
        ));
    }
}
