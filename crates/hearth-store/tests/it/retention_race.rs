//! A hold placed after a retention run has selected records, but before it disposes of them,
//! still wins: the batch re-checks holds under the write lock, on every backend.

use hearth_core::audit::AuditEvent;
use hearth_core::records::{FiledRecord, FiledRecordFields};
use hearth_core::register::Trigger;
use hearth_core::retention::{DisposalLine, HoldScope, LegalHold};
use hearth_store::{DisposalBatch, RecordTable, RunRecord, Selection, Sweep};
use hearth_testkit::{all_backends, now};
use jiff::civil::date;
use uuid::Uuid;

fn event(action: &str) -> AuditEvent {
    AuditEvent {
        id: Uuid::now_v7(),
        at: now(),
        actor: "system:retention".into(),
        purpose: Some("records_management".into()),
        action: action.into(),
        decision: "allowed".into(),
        person_ids: vec![],
        record_type: Some("cctv_footage".into()),
        record_ids: vec![],
        fields: vec![],
        correlation_id: None,
        reason: None,
    }
}

fn footage(case_ref: &str) -> FiledRecord {
    let filed = date(2026, 1, 5)
        .at(9, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or_else(|e| panic!("{e}"));
    FiledRecord {
        id: Uuid::now_v7(),
        fields: FiledRecordFields {
            record_type: "cctv_footage".into(),
            person_id: None,
            tenancy_id: None,
            case_ref: Some(case_ref.into()),
            title: "Camera 3".into(),
            details: None,
            stats: serde_json::Map::new(),
            events: Default::default(),
        },
        created_at: filed,
        last_activity_at: filed,
        closed_at: None,
        anonymised_at: None,
        version: 1,
    }
}

#[tokio::test]
async fn a_hold_placed_after_selection_keeps_the_record() {
    for db in all_backends().await {
        let store = &db.store;
        let records = [footage("INC-1"), footage("INC-2"), footage("INC-3")];
        for record in &records {
            store
                .insert_filed_record(record, &event("record.filed"))
                .await
                .unwrap_or_else(|e| panic!("{}: filing: {e}", db.name));
        }
        let sweep = Sweep {
            record_type: "cctv_footage".into(),
            table: RecordTable::Filed,
            trigger: Trigger::Created,
            expired_through: date(2026, 2, 20),
            as_of: date(2026, 2, 21),
        };
        let selected = store
            .sweep_candidates(&sweep, Selection::Expired, None, 100)
            .await
            .unwrap_or_else(|e| panic!("{}: candidates: {e}", db.name));
        assert_eq!(selected.len(), 3, "{}: all three have expired", db.name);

        // The police ask for incident 2 while the run is between selecting and disposing.
        let hold = LegalHold {
            id: Uuid::now_v7(),
            scope: HoldScope::Case {
                case_ref: "INC-2".into(),
            },
            reason: "police request".into(),
            requester: "Police".into(),
            owner: Uuid::now_v7(),
            review_on: date(2026, 8, 1),
            placed_at: now(),
            placed_by: "staff:dpo".into(),
            lifted: None,
        };
        store
            .insert_hold(&hold, &event("retention.hold_placed"))
            .await
            .unwrap_or_else(|e| panic!("{}: hold: {e}", db.name));

        let run = RunRecord {
            id: Uuid::now_v7(),
            actor: "system:retention".into(),
            holder: "test:1".into(),
            as_of: sweep.as_of,
            started_at: now(),
            heartbeat_at: now(),
            finished_at: None,
            status: "running".into(),
            register_hash: "h".into(),
            register_version: "1".into(),
            certificate: None,
        };
        store
            .start_run(&run, &event("retention.run_started"))
            .await
            .unwrap_or_else(|e| panic!("{}: run: {e}", db.name));
        let line = DisposalLine {
            record_type: "cctv_footage".into(),
            record_type_name: "CCTV footage".into(),
            schedule: "30 days after created".into(),
            action: "delete".into(),
            trigger: "created".into(),
            destroyed: 0,
            anonymised: 0,
            media_removed: 0,
            keys_destroyed: 0,
        };
        let ids: Vec<Uuid> = selected.iter().map(|c| c.id).collect();
        let outcome = store
            .dispose_batch(&DisposalBatch {
                sweep: &sweep,
                ids: &ids,
                run_id: run.id,
                line: &line,
                keep_fields: None,
                at: now(),
                audit: &event("retention.disposal"),
            })
            .await
            .unwrap_or_else(|e| panic!("{}: dispose: {e}", db.name));
        assert_eq!(outcome.destroyed, 2, "{}: the held record is kept", db.name);
        for record in &records {
            let left = store
                .get_filed_record(record.id)
                .await
                .unwrap_or_else(|e| panic!("{}: reading: {e}", db.name));
            let held = record.fields.case_ref.as_deref() == Some("INC-2");
            assert_eq!(
                left.is_some(),
                held,
                "{}: {:?}",
                db.name,
                record.fields.case_ref
            );
        }
        let logged = store
            .destruction_lines(run.id)
            .await
            .unwrap_or_else(|e| panic!("{}: log: {e}", db.name));
        assert_eq!(
            logged.iter().map(|l| l.destroyed).sum::<u64>(),
            2,
            "{}",
            db.name
        );
    }
}
