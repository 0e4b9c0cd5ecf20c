//! [`crate::RetentionStore`] written once for both backends, like the record store.

use crate::Result;
use crate::access::parse_uuid;
use crate::rows::parse_ts;
use hearth_core::records::{FiledRecord, FiledRecordFields, MediaObject};
use hearth_core::retention::{
    DisposalLine, DisposalReview, HoldLift, HoldScope, LegalHold, ReviewStatus,
};

pub(crate) const FILED_COLUMNS: &str = "id::text, record_type, person_id::text, tenancy_id::text, case_ref, title, details, stats, created_at::text, last_activity_at::text, closed_at::text, anonymised_at::text, version";

pub(crate) type FiledRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
);

use crate::rows::parse_date as date;

fn opt_ts(raw: Option<String>) -> Result<Option<jiff::Timestamp>> {
    raw.as_deref().map(parse_ts).transpose()
}

fn opt_uuid(raw: Option<String>) -> Result<Option<uuid::Uuid>> {
    raw.as_deref().map(parse_uuid).transpose()
}

/// A filed record from its row, sealed values still sealed (the caller opens them).
pub(crate) fn filed_from(row: FiledRow) -> Result<FiledRecord> {
    let (
        id,
        record_type,
        person,
        tenancy,
        case_ref,
        title,
        details,
        stats,
        created,
        activity,
        closed,
        anonymised,
        version,
    ) = row;
    let stats = serde_json::from_str(&stats)
        .map_err(|e| crate::StoreError::Corrupt(format!("bad stats of filed record {id}: {e}")))?;
    Ok(FiledRecord {
        id: parse_uuid(&id)?,
        fields: FiledRecordFields {
            record_type,
            person_id: opt_uuid(person)?,
            tenancy_id: opt_uuid(tenancy)?,
            case_ref,
            title,
            details,
            stats,
            events: Default::default(),
        },
        created_at: parse_ts(&created)?,
        last_activity_at: parse_ts(&activity)?,
        closed_at: opt_ts(closed)?,
        anonymised_at: opt_ts(anonymised)?,
        version,
    })
}

pub(crate) const MEDIA_COLUMNS: &str =
    "id::text, record_id::text, object_key, content_type, size, sha256, created_at::text";
pub(crate) type MediaRow = (String, String, String, String, i64, String, String);

pub(crate) fn media_from(row: MediaRow) -> Result<MediaObject> {
    let (id, record_id, object_key, content_type, size, sha256, created) = row;
    Ok(MediaObject {
        id: parse_uuid(&id)?,
        record_id: parse_uuid(&record_id)?,
        object_key,
        content_type,
        size,
        sha256,
        created_at: parse_ts(&created)?,
    })
}

pub(crate) const HOLD_COLUMNS: &str = "id::text, scope_kind, target, record_type, reason, requester, owner, review_on::text, placed_at::text, placed_by, lifted_at::text, lifted_by, lift_reason";
pub(crate) type HoldRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn hold_from(row: HoldRow) -> Result<LegalHold> {
    let (
        id,
        kind,
        target,
        record_type,
        reason,
        requester,
        owner,
        review_on,
        placed_at,
        placed_by,
        lifted_at,
        lifted_by,
        lift_reason,
    ) = row;
    let scope = HoldScope::from_stored(&kind, &target, record_type.as_deref())
        .ok_or_else(|| crate::StoreError::Corrupt(format!("bad scope of hold {id}")))?;
    let lifted = match lifted_at {
        Some(at) => Some(HoldLift {
            at: parse_ts(&at)?,
            by: lifted_by.unwrap_or_default(),
            reason: lift_reason.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(LegalHold {
        id: parse_uuid(&id)?,
        scope,
        reason,
        requester,
        owner: parse_uuid(&owner)?,
        review_on: date(&review_on)?,
        placed_at: parse_ts(&placed_at)?,
        placed_by,
        lifted,
    })
}

pub(crate) const REVIEW_COLUMNS: &str = "id::text, record_type, record_id::text, review_role, due_on::text, decide_by::text, status, queued_at::text, decided_by, decided_at::text, reason, keep_until::text, reclassified_to";
pub(crate) type ReviewRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) fn review_from(row: ReviewRow) -> Result<DisposalReview> {
    let (
        id,
        record_type,
        record_id,
        review_role,
        due_on,
        decide_by,
        status,
        queued_at,
        decided_by,
        decided_at,
        reason,
        keep_until,
        reclassified_to,
    ) = row;
    Ok(DisposalReview {
        id: parse_uuid(&id)?,
        record_type,
        record_id: parse_uuid(&record_id)?,
        review_role,
        due_on: date(&due_on)?,
        decide_by: date(&decide_by)?,
        status: ReviewStatus::parse(&status)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("bad review status '{status}'")))?,
        queued_at: parse_ts(&queued_at)?,
        decided_by,
        decided_at: opt_ts(decided_at)?,
        reason,
        keep_until: keep_until.as_deref().map(date).transpose()?,
        reclassified_to,
    })
}

pub(crate) const RUN_COLUMNS: &str = "id::text, actor, holder, as_of::text, started_at::text, heartbeat_at::text, finished_at::text, status, register_hash, register_version, certificate";
pub(crate) type RunRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) fn run_from(row: RunRow) -> Result<crate::retention::RunRecord> {
    let (
        id,
        actor,
        holder,
        as_of,
        started,
        heartbeat,
        finished,
        status,
        register_hash,
        register_version,
        certificate,
    ) = row;
    Ok(crate::retention::RunRecord {
        id: parse_uuid(&id)?,
        actor,
        holder,
        as_of: date(&as_of)?,
        started_at: parse_ts(&started)?,
        heartbeat_at: parse_ts(&heartbeat)?,
        finished_at: opt_ts(finished)?,
        status,
        register_hash,
        register_version,
        certificate,
    })
}

pub(crate) const LINE_COLUMNS: &str = "record_type, schedule, action, trigger_name, destroyed, anonymised, media_removed, keys_destroyed";
pub(crate) type LineRow = (String, String, String, String, i64, i64, i64, i64);

pub(crate) fn line_from(row: LineRow) -> DisposalLine {
    let (
        record_type,
        schedule,
        action,
        trigger,
        destroyed,
        anonymised,
        media_removed,
        keys_destroyed,
    ) = row;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    DisposalLine {
        record_type_name: record_type.clone(),
        record_type,
        schedule,
        action,
        trigger,
        destroyed: count(destroyed),
        anonymised: count(anonymised),
        media_removed: count(media_removed),
        keys_destroyed: count(keys_destroyed),
    }
}

/// The statistical fields an anonymised record keeps.
pub(crate) fn kept_stats(stats: &str, keep: &[String]) -> String {
    let parsed: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(stats).unwrap_or_default();
    let kept: serde_json::Map<String, serde_json::Value> = parsed
        .into_iter()
        .filter(|(k, _)| keep.iter().any(|f| f == k))
        .collect();
    serde_json::Value::Object(kept).to_string()
}

/// Implements [`crate::RetentionStore`] for one backend (same contract as `impl_store!`).
macro_rules! impl_retention_store {
    ($store:ident, $db:ty) => {
        impl $store {
            fn seal_filed(&self, record: &hearth_core::records::FiledRecord, key: Option<&crate::sealer::PersonKey>) -> crate::Result<(String, Option<String>)> {
                let f = &record.fields;
                match key {
                    Some(key) => Ok((
                        self.sealer.seal(key, "filed_records", "title", record.id, &f.title)?,
                        self.sealer.seal_opt(key, "filed_records", "details", record.id, f.details.as_deref())?,
                    )),
                    None => Ok((f.title.clone(), f.details.clone())),
                }
            }

            /// Links a media object to its record (and touches the record) inside a transaction.
            async fn write_media(&self, tx: &mut sqlx::Transaction<'static, $db>, media: &hearth_core::records::MediaObject) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO record_media (id, record_id, object_key, content_type, size, sha256, created_at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(media.id.to_string())
                    .bind(media.record_id.to_string())
                    .bind(&media.object_key)
                    .bind(&media.content_type)
                    .bind(media.size)
                    .bind(&media.sha256)
                    .bind(crate::rows::ts(media.created_at))
                    .execute(&mut **tx)
                    .await?;
                let touch = self.sql("UPDATE filed_records SET last_activity_at = $2::timestamptz WHERE id = $1::uuid");
                sqlx::query(sqlx::AssertSqlSafe(touch.as_str())).bind(media.record_id.to_string()).bind(crate::rows::ts(media.created_at)).execute(&mut **tx).await?;
                Ok(())
            }

            /// Places a hold inside a transaction.
            async fn write_hold(&self, tx: &mut sqlx::Transaction<'static, $db>, hold: &hearth_core::retention::LegalHold) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO legal_holds (id, scope_kind, target, record_type, reason, requester, owner, review_on, placed_at, placed_by) \
                     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8::date, $9::timestamptz, $10)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(hold.id.to_string())
                    .bind(hold.scope.kind())
                    .bind(hold.scope.target())
                    .bind(hold.scope.record_type())
                    .bind(&hold.reason)
                    .bind(&hold.requester)
                    .bind(hold.owner.to_string())
                    .bind(hold.review_on.to_string())
                    .bind(crate::rows::ts(hold.placed_at))
                    .bind(&hold.placed_by)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Inserts a filed record and its named dates inside a caller's transaction.
            async fn insert_filed_in(&self, tx: &mut sqlx::Transaction<'static, $db>, record: &hearth_core::records::FiledRecord, key: Option<&crate::sealer::PersonKey>) -> crate::Result<()> {
                let (title, details) = self.seal_filed(record, key)?;
                let sql = self.sql(
                    "INSERT INTO filed_records (id, record_type, person_id, tenancy_id, case_ref, title, details, stats, created_at, last_activity_at, closed_at, anonymised_at, version) \
                     VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6, $7, $8, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12::timestamptz, 1)",
                );
                bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), crate::rows::filed_params(record, title, details)).execute(&mut **tx).await?;
                let event_sql = self.sql("INSERT INTO filed_record_events (record_id, name, on_date) VALUES ($1::uuid, $2, $3::date)");
                for (name, on) in &record.fields.events {
                    sqlx::query(sqlx::AssertSqlSafe(event_sql.as_str())).bind(record.id.to_string()).bind(name).bind(on.to_string()).execute(&mut **tx).await?;
                }
                Ok(())
            }

            async fn open_filed(&self, mut records: Vec<hearth_core::records::FiledRecord>) -> crate::Result<Vec<hearth_core::records::FiledRecord>> {
                let people: Vec<uuid::Uuid> = records.iter().filter_map(|r| r.fields.person_id).collect();
                let keys = self.keys_of(&people).await?;
                for record in &mut records {
                    if let Some(person) = record.fields.person_id {
                        let key = keys.get(&person).ok_or_else(|| crate::StoreError::Crypto(format!("person {person} has no data key")))?;
                        record.fields.title = self.sealer.open(key, "filed_records", "title", record.id, &record.fields.title)?;
                        record.fields.details = match record.fields.details.take() {
                            Some(d) => Some(self.sealer.open(key, "filed_records", "details", record.id, &d)?),
                            None => None,
                        };
                    }
                    let sql = self.sql("SELECT name, on_date::text FROM filed_record_events WHERE record_id = $1::uuid ORDER BY name");
                    let events: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(record.id.to_string()).fetch_all(&self.pool).await?;
                    for (name, on) in events {
                        let on = on.parse().map_err(|_| crate::StoreError::Corrupt(format!("bad event date '{on}'")))?;
                        record.fields.events.insert(name, on);
                    }
                }
                Ok(records)
            }

        }

        #[async_trait::async_trait]
        impl crate::retention::RetentionStore for $store {
            async fn insert_filed_record(&self, record: &hearth_core::records::FiledRecord, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = match record.fields.person_id {
                    Some(p) => Some(self.key_for_write(p).await?),
                    None => None,
                };
                let mut tx = self.begin_write("audit").await?;
                self.insert_filed_in(&mut tx, record, key.as_ref()).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_filed_record(&self, record: &hearth_core::records::FiledRecord, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = match record.fields.person_id {
                    Some(p) => Some(self.key_for_write(p).await?),
                    None => None,
                };
                let (title, details) = self.seal_filed(record, key.as_ref())?;
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE filed_records SET record_type = $2, person_id = $3::uuid, tenancy_id = $4::uuid, case_ref = $5, title = $6, details = $7, stats = $8, \
                     created_at = $9::timestamptz, last_activity_at = $10::timestamptz, closed_at = $11::timestamptz, anonymised_at = $12::timestamptz, version = version + 1 \
                     WHERE id = $1::uuid AND version = $13",
                );
                let mut params = crate::rows::filed_params(record, title, details);
                params.push(Param::Int(Some(expected_version)));
                let done = bind_params!(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), params).execute(&mut *tx).await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::VersionConflict { expected: expected_version });
                }
                let clear = self.sql("DELETE FROM filed_record_events WHERE record_id = $1::uuid");
                sqlx::query(sqlx::AssertSqlSafe(clear.as_str())).bind(record.id.to_string()).execute(&mut *tx).await?;
                let event_sql = self.sql("INSERT INTO filed_record_events (record_id, name, on_date) VALUES ($1::uuid, $2, $3::date)");
                for (name, on) in &record.fields.events {
                    sqlx::query(sqlx::AssertSqlSafe(event_sql.as_str())).bind(record.id.to_string()).bind(name).bind(on.to_string()).execute(&mut *tx).await?;
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_filed_record(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::records::FiledRecord>> {
                let sql = self.sql(&format!("SELECT {} FROM filed_records WHERE id = $1::uuid", crate::retention_body::FILED_COLUMNS));
                let row: Option<crate::retention_body::FiledRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                Ok(self.open_filed(vec![crate::retention_body::filed_from(row)?]).await?.pop())
            }

            async fn list_filed_records(&self, record_type: Option<&str>, person_id: Option<uuid::Uuid>, limit: i64) -> crate::Result<Vec<hearth_core::records::FiledRecord>> {
                let (filter, params) = crate::backend::where_given(
                    &["record_type = $1::text", "person_id = $2::uuid"],
                    vec![Param::Text(record_type.map(str::to_string)), Param::Text(person_id.map(|p| p.to_string()))],
                );
                let sql = self.sql(&format!(
                    "SELECT {} FROM filed_records WHERE {filter} ORDER BY created_at DESC, id LIMIT ${}",
                    crate::retention_body::FILED_COLUMNS,
                    params.len() + 1
                ));
                let rows: Vec<crate::retention_body::FiledRow> = bind_params!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), params)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                let records = rows.into_iter().map(crate::retention_body::filed_from).collect::<crate::Result<Vec<_>>>()?;
                self.open_filed(records).await
            }

            async fn insert_media(&self, media: &hearth_core::records::MediaObject, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_media(&mut tx, media).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn media_of(&self, record_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::records::MediaObject>> {
                let sql = self.sql(&format!("SELECT {} FROM record_media WHERE record_id = $1::uuid ORDER BY created_at, id", crate::retention_body::MEDIA_COLUMNS));
                let rows: Vec<crate::retention_body::MediaRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(record_id.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::retention_body::media_from).collect()
            }

            async fn media_of_records(&self, record_ids: &[uuid::Uuid]) -> crate::Result<std::collections::HashMap<uuid::Uuid, Vec<hearth_core::records::MediaObject>>> {
                let mut out: std::collections::HashMap<uuid::Uuid, Vec<hearth_core::records::MediaObject>> = std::collections::HashMap::new();
                for chunk in record_ids.chunks(500) {
                    let sql = self.sql(&format!(
                        "SELECT {} FROM record_media WHERE record_id IN ({}) ORDER BY created_at, id",
                        crate::retention_body::MEDIA_COLUMNS,
                        crate::erasure::uuid_slots(1, chunk.len())
                    ));
                    let mut q = sqlx::query_as::<_, crate::retention_body::MediaRow>(sqlx::AssertSqlSafe(sql.as_str()));
                    for id in chunk {
                        q = q.bind(id.to_string());
                    }
                    for row in q.fetch_all(&self.pool).await? {
                        let media = crate::retention_body::media_from(row)?;
                        out.entry(media.record_id).or_default().push(media);
                    }
                }
                Ok(out)
            }

            async fn seal_media(&self, person_id: uuid::Uuid, object_key: &str, bytes: &[u8]) -> crate::Result<Vec<u8>> {
                let key = self.key_for_write(person_id).await?;
                self.sealer.seal_bytes(&key, object_key, bytes)
            }

            async fn open_media(&self, person_id: uuid::Uuid, object_key: &str, sealed: &[u8]) -> crate::Result<Vec<u8>> {
                let key = self.key_for_write(person_id).await?;
                self.sealer.open_bytes(&key, object_key, sealed)
            }

            async fn insert_hold(&self, hold: &hearth_core::retention::LegalHold, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_hold(&mut tx, hold).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn lift_hold(&self, id: uuid::Uuid, lift: &hearth_core::retention::HoldLift, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("UPDATE legal_holds SET lifted_at = $2::timestamptz, lifted_by = $3, lift_reason = $4 WHERE id = $1::uuid AND lifted_at IS NULL");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id.to_string())
                    .bind(crate::rows::ts(lift.at))
                    .bind(&lift.by)
                    .bind(&lift.reason)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn get_hold(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::retention::LegalHold>> {
                let sql = self.sql(&format!("SELECT {} FROM legal_holds WHERE id = $1::uuid", crate::retention_body::HOLD_COLUMNS));
                let row: Option<crate::retention_body::HoldRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map(crate::retention_body::hold_from).transpose()
            }

            async fn list_holds(&self, active_only: bool) -> crate::Result<Vec<hearth_core::retention::LegalHold>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM legal_holds WHERE ($1 = 0 OR lifted_at IS NULL) ORDER BY review_on, id",
                    crate::retention_body::HOLD_COLUMNS
                ));
                let rows: Vec<crate::retention_body::HoldRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(i64::from(active_only)).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::retention_body::hold_from).collect()
            }

            async fn sweep_candidates(&self, sweep: &crate::retention::Sweep, selection: crate::retention::Selection, after: Option<uuid::Uuid>, limit: i64) -> crate::Result<Vec<crate::retention::Candidate>> {
                let built = crate::retention_sql::candidates(sweep, selection, after.map(|a| a.to_string()), limit);
                let sql = self.sql(&built.text);
                let rows: Vec<(String, Option<String>, Option<String>)> = bind_params!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), built.params).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(id, person, household)| {
                        Ok(crate::retention::Candidate {
                            id: crate::access::parse_uuid(&id)?,
                            person_id: person.as_deref().map(crate::access::parse_uuid).transpose()?,
                            household_id: household.as_deref().map(crate::access::parse_uuid).transpose()?,
                        })
                    })
                    .collect()
            }

            async fn count_held(&self, sweep: &crate::retention::Sweep) -> crate::Result<i64> {
                let built = crate::retention_sql::count_held(sweep);
                let sql = self.sql(&built.text);
                Ok(bind_params!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str())), built.params).fetch_one(&self.pool).await?)
            }

            async fn dispose_batch(&self, batch: &crate::retention::DisposalBatch<'_>) -> crate::Result<crate::retention::BatchOutcome> {
                let mut outcome = crate::retention::BatchOutcome::default();
                if batch.ids.is_empty() {
                    return Ok(outcome);
                }
                let table = batch.sweep.table;
                let mut tx = self.begin_write("audit").await?;
                // Holds and dependants are checked again under the write lock: a hold placed
                // since the records were selected wins. With no hold in force, a filed record
                // selected by this run cannot have changed in a way that keeps it (only a run
                // anonymises, and one run goes at a time), so the check is skipped.
                let ids: Vec<String> = batch.ids.iter().map(uuid::Uuid::to_string).collect();
                let any_hold: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM legal_holds WHERE lifted_at IS NULL)").fetch_one(&mut *tx).await?;
                let ids: Vec<String> = if any_hold || table != crate::retention::RecordTable::Filed {
                    let check = crate::retention_sql::still_disposable(batch.sweep, &ids, any_hold);
                    let check_sql = self.sql(&check.text);
                    bind_params!(sqlx::query_scalar(sqlx::AssertSqlSafe(check_sql.as_str())), check.params).fetch_all(&mut *tx).await?
                } else {
                    ids
                };
                if ids.is_empty() {
                    return Ok(outcome);
                }
                let list = crate::access::placeholders(ids.len());
                let bind_ids = |sql: &str| {
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
                    for id in &ids {
                        q = q.bind(id.clone());
                    }
                    q
                };
                if table == crate::retention::RecordTable::Filed {
                    let keys_sql = self.sql(&format!("SELECT object_key FROM record_media WHERE record_id IN ({list}) ORDER BY object_key"));
                    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(keys_sql.as_str()));
                    for id in &ids {
                        q = q.bind(id.clone());
                    }
                    outcome.tombstones = q.fetch_all(&mut *tx).await?;
                    let tomb_sql = self.sql("INSERT INTO media_tombstones (object_key, run_id, record_type) VALUES ($1, $2::uuid, $3) ON CONFLICT (object_key) DO NOTHING");
                    for key in &outcome.tombstones {
                        sqlx::query(sqlx::AssertSqlSafe(tomb_sql.as_str())).bind(key).bind(batch.run_id.to_string()).bind(&batch.sweep.record_type).execute(&mut *tx).await?;
                    }
                }
                let n = ids.len() as u64;
                if let Some(keep) = batch.keep_fields {
                    let read = self.sql("SELECT stats FROM filed_records WHERE id = $1::uuid");
                    let write = self.sql(
                        "UPDATE filed_records SET person_id = NULL, tenancy_id = NULL, case_ref = NULL, title = '', details = NULL, stats = $2, anonymised_at = $3::timestamptz, version = version + 1 WHERE id = $1::uuid",
                    );
                    for id in &ids {
                        let stats: String = sqlx::query_scalar(sqlx::AssertSqlSafe(read.as_str())).bind(id).fetch_one(&mut *tx).await?;
                        sqlx::query(sqlx::AssertSqlSafe(write.as_str()))
                            .bind(id)
                            .bind(crate::retention_body::kept_stats(&stats, keep))
                            .bind(crate::rows::ts(batch.at))
                            .execute(&mut *tx)
                            .await?;
                    }
                    for sql in ["DELETE FROM filed_record_events WHERE record_id IN ({ids})", "DELETE FROM record_media WHERE record_id IN ({ids})"] {
                        let sql = self.sql(&sql.replace("{ids}", &list));
                        bind_ids(&sql).execute(&mut *tx).await?;
                    }
                    outcome.anonymised = n;
                } else {
                    if table == crate::retention::RecordTable::People {
                        let sql = self.sql(&format!("DELETE FROM person_keys WHERE person_id IN ({list})"));
                        outcome.keys_destroyed = bind_ids(&sql).execute(&mut *tx).await?.rows_affected();
                    }
                    // The last statement deletes the records themselves: its count is what
                    // went, even if another path removed one since the selection.
                    let mut removed = 0;
                    for statement in crate::retention_sql::deletions(table) {
                        let sql = self.sql(&statement.replace("{ids}", &list));
                        removed = bind_ids(&sql).execute(&mut *tx).await?.rows_affected();
                    }
                    outcome.destroyed = removed;
                }
                let done_sql = self.sql(&format!("UPDATE disposal_reviews SET status = 'done' WHERE status = 'approved' AND record_id IN ({list})"));
                bind_ids(&done_sql).execute(&mut *tx).await?;
                let line = batch.line;
                let log = self.sql(
                    "INSERT INTO destruction_log (run_id, record_type, schedule, action, trigger_name, destroyed, anonymised, media_removed, keys_destroyed) \
                     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, 0, $8) \
                     ON CONFLICT (run_id, record_type) DO UPDATE SET destroyed = destruction_log.destroyed + excluded.destroyed, \
                     anonymised = destruction_log.anonymised + excluded.anonymised, keys_destroyed = destruction_log.keys_destroyed + excluded.keys_destroyed",
                );
                sqlx::query(sqlx::AssertSqlSafe(log.as_str()))
                    .bind(batch.run_id.to_string())
                    .bind(&line.record_type)
                    .bind(&line.schedule)
                    .bind(&line.action)
                    .bind(&line.trigger)
                    .bind(outcome.destroyed as i64)
                    .bind(outcome.anonymised as i64)
                    .bind(outcome.keys_destroyed as i64)
                    .execute(&mut *tx)
                    .await?;
                let beat = self.sql("UPDATE retention_runs SET heartbeat_at = $2::timestamptz WHERE id = $1::uuid");
                sqlx::query(sqlx::AssertSqlSafe(beat.as_str())).bind(batch.run_id.to_string()).bind(crate::rows::ts(batch.at)).execute(&mut *tx).await?;
                let mut event = batch.audit.clone();
                event.reason = Some(format!(
                    "{} {} record(s) {} under '{}'",
                    n,
                    line.record_type,
                    if outcome.anonymised > 0 { "anonymised" } else { "destroyed" },
                    line.schedule
                ));
                self.append_audit(&mut tx, std::slice::from_ref(&event)).await?;
                tx.commit().await?;
                Ok(outcome)
            }

            async fn queue_reviews(&self, reviews: &[hearth_core::retention::DisposalReview], audit: &hearth_core::audit::AuditEvent) -> crate::Result<u64> {
                if reviews.is_empty() {
                    return Ok(0);
                }
                let mut tx = self.begin_write("audit").await?;
                let open = self.sql("SELECT count(*) FROM disposal_reviews WHERE record_id = $1::uuid AND status IN ('pending', 'approved')");
                let sql = self.sql(
                    "INSERT INTO disposal_reviews (id, record_type, record_id, review_role, due_on, decide_by, status, queued_at) \
                     VALUES ($1::uuid, $2, $3::uuid, $4, $5::date, $6::date, 'pending', $7::timestamptz)",
                );
                let mut queued = 0;
                for r in reviews {
                    let existing: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(open.as_str())).bind(r.record_id.to_string()).fetch_one(&mut *tx).await?;
                    if existing > 0 {
                        continue;
                    }
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(r.id.to_string())
                        .bind(&r.record_type)
                        .bind(r.record_id.to_string())
                        .bind(&r.review_role)
                        .bind(r.due_on.to_string())
                        .bind(r.decide_by.to_string())
                        .bind(crate::rows::ts(r.queued_at))
                        .execute(&mut *tx)
                        .await?;
                    queued += 1;
                }
                let mut event = audit.clone();
                event.reason = Some(format!("{queued} record(s) queued for disposal review"));
                self.append_audit(&mut tx, std::slice::from_ref(&event)).await?;
                tx.commit().await?;
                Ok(queued)
            }

            async fn get_review(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::retention::DisposalReview>> {
                let sql = self.sql(&format!("SELECT {} FROM disposal_reviews WHERE id = $1::uuid", crate::retention_body::REVIEW_COLUMNS));
                let row: Option<crate::retention_body::ReviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map(crate::retention_body::review_from).transpose()
            }

            async fn list_reviews(&self, status: Option<hearth_core::retention::ReviewStatus>, limit: i64) -> crate::Result<Vec<hearth_core::retention::DisposalReview>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM disposal_reviews WHERE ($1::text IS NULL OR status = $1::text) ORDER BY decide_by, id LIMIT $2",
                    crate::retention_body::REVIEW_COLUMNS
                ));
                let rows: Vec<crate::retention_body::ReviewRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(status.map(|s| s.as_str()))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(crate::retention_body::review_from).collect()
            }

            async fn decide_review(&self, review: &hearth_core::retention::DisposalReview, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE disposal_reviews SET status = $2, decided_by = $3, decided_at = $4::timestamptz, reason = $5, keep_until = $6::date, reclassified_to = $7 \
                     WHERE id = $1::uuid AND status = 'pending'",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(review.id.to_string())
                    .bind(review.status.as_str())
                    .bind(&review.decided_by)
                    .bind(review.decided_at.map(crate::rows::ts))
                    .bind(&review.reason)
                    .bind(review.keep_until.map(|d| d.to_string()))
                    .bind(&review.reclassified_to)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                if let (Some(to), Some(at)) = (&review.reclassified_to, review.decided_at) {
                    let sql = self.sql("UPDATE filed_records SET record_type = $2, last_activity_at = $3::timestamptz, version = version + 1 WHERE id = $1::uuid");
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(review.record_id.to_string()).bind(to).bind(crate::rows::ts(at)).execute(&mut *tx).await?;
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn start_run(&self, run: &crate::retention::RunRecord, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let busy = self.sql("SELECT id::text FROM retention_runs WHERE status = 'running' LIMIT 1");
                let other: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(busy.as_str())).fetch_optional(&mut *tx).await?;
                if let Some(other) = other {
                    return Err(crate::StoreError::Duplicate(format!("a running retention run ({other})")));
                }
                let sql = self.sql(
                    "INSERT INTO retention_runs (id, actor, holder, as_of, started_at, heartbeat_at, status, register_hash, register_version) \
                     VALUES ($1::uuid, $2, $9, $3::date, $4::timestamptz, $5::timestamptz, $6, $7, $8)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(run.id.to_string())
                    .bind(&run.actor)
                    .bind(run.as_of.to_string())
                    .bind(crate::rows::ts(run.started_at))
                    .bind(crate::rows::ts(run.heartbeat_at))
                    .bind(&run.status)
                    .bind(&run.register_hash)
                    .bind(&run.register_version)
                    .bind(&run.holder)
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn finish_run(&self, id: uuid::Uuid, status: &str, finished_at: jiff::Timestamp, certificate: &str, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("UPDATE retention_runs SET status = $2, finished_at = $3::timestamptz, certificate = $4 WHERE id = $1::uuid AND status = 'running'");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id.to_string())
                    .bind(status)
                    .bind(crate::rows::ts(finished_at))
                    .bind(certificate)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(crate::StoreError::NotFound);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn running_runs(&self) -> crate::Result<Vec<crate::retention::RunRecord>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM retention_runs WHERE status = 'running' ORDER BY started_at",
                    crate::retention_body::RUN_COLUMNS
                ));
                let rows: Vec<crate::retention_body::RunRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::retention_body::run_from).collect()
            }

            async fn get_run(&self, id: uuid::Uuid) -> crate::Result<Option<crate::retention::RunRecord>> {
                let sql = self.sql(&format!("SELECT {} FROM retention_runs WHERE id = $1::uuid", crate::retention_body::RUN_COLUMNS));
                let row: Option<crate::retention_body::RunRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map(crate::retention_body::run_from).transpose()
            }

            async fn list_runs(&self, limit: i64) -> crate::Result<Vec<crate::retention::RunRecord>> {
                let sql = self.sql(&format!("SELECT {} FROM retention_runs ORDER BY started_at DESC, id DESC LIMIT $1", crate::retention_body::RUN_COLUMNS));
                let rows: Vec<crate::retention_body::RunRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(limit).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::retention_body::run_from).collect()
            }

            async fn destruction_lines(&self, run_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::retention::DisposalLine>> {
                let sql = self.sql(&format!("SELECT {} FROM destruction_log WHERE run_id = $1::uuid ORDER BY record_type", crate::retention_body::LINE_COLUMNS));
                let rows: Vec<crate::retention_body::LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(run_id.to_string()).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(crate::retention_body::line_from).collect())
            }

            async fn tombstones(&self, limit: i64) -> crate::Result<Vec<crate::retention::Tombstone>> {
                let sql = self.sql("SELECT object_key, run_id::text, record_type FROM media_tombstones ORDER BY object_key LIMIT $1");
                let rows: Vec<(String, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(limit).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|(object_key, run_id, record_type)| Ok(crate::retention::Tombstone { object_key, run_id: crate::access::parse_uuid(&run_id)?, record_type }))
                    .collect()
            }

            async fn clear_tombstones(&self, done: &[crate::retention::Tombstone]) -> crate::Result<()> {
                let mut tx = self.begin_write("retention-media").await?;
                let delete = self.sql("DELETE FROM media_tombstones WHERE object_key = $1");
                let count = self.sql("UPDATE destruction_log SET media_removed = media_removed + 1 WHERE run_id = $1::uuid AND record_type = $2");
                for t in done {
                    let gone = sqlx::query(sqlx::AssertSqlSafe(delete.as_str())).bind(&t.object_key).execute(&mut *tx).await?;
                    if gone.rows_affected() == 1 {
                        sqlx::query(sqlx::AssertSqlSafe(count.as_str())).bind(t.run_id.to_string()).bind(&t.record_type).execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_retention_store;
