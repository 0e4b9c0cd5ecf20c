//! The recordings part of the store: a call's recording while its chunks arrive, filed in one
//! transaction with the `video_recording` record and media object it becomes; and a
//! safeguarding concern's legal hold and disclosure, written together.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::records::{FiledRecord, MediaObject};
use hearth_core::retention::LegalHold;
use hearth_core::rights::Disclosure;
use hearth_core::video::CallRecording;
use jiff::Timestamp;
use uuid::Uuid;

/// A recording put together, to be filed with its record and media object.
#[derive(Debug, Clone, Copy)]
pub struct RecordingFiling<'a> {
    pub recording_id: Uuid,
    /// The chunks it was put together from: filing fails if more arrived meanwhile.
    pub chunks: i64,
    pub record: &'a FiledRecord,
    pub media: &'a MediaObject,
    pub at: Timestamp,
}

#[async_trait]
pub trait RecordingStore: Send + Sync {
    async fn insert_recording(&self, recording: &CallRecording, audit: &AuditEvent) -> Result<()>;
    async fn get_recording(&self, id: Uuid) -> Result<Option<CallRecording>>;
    /// A call's recordings, oldest first.
    async fn recordings_of_call(&self, call_id: Uuid) -> Result<Vec<CallRecording>>;
    /// The recording filed as this record, if any.
    async fn recording_of_record(&self, record_id: Uuid) -> Result<Option<CallRecording>>;
    /// Counts chunk `seq` in, if it is the next one and the recording is still uploading;
    /// false otherwise (nothing changed).
    async fn record_chunk(&self, id: Uuid, seq: i64, bytes: i64, at: Timestamp) -> Result<bool>;
    /// Files a recording: the record, its media object and the recording's new state together.
    async fn file_recording(&self, filing: RecordingFiling<'_>, audit: &AuditEvent) -> Result<()>;
    /// Marks an uploading recording discarded; false when it was not uploading.
    async fn discard_recording(&self, id: Uuid, at: Timestamp, audit: &AuditEvent) -> Result<bool>;
    /// Recordings still uploading whose last chunk came before `idle_since`.
    async fn idle_recordings(&self, idle_since: Timestamp) -> Result<Vec<CallRecording>>;
    /// A safeguarding concern: the hold that keeps the recording and the disclosure to the
    /// safeguarding body, together.
    async fn raise_concern(
        &self,
        hold: &LegalHold,
        disclosure: &Disclosure,
        audit: &[AuditEvent],
    ) -> Result<()>;
}

pub(crate) const RECORDING_COLUMNS: &str = "id::text, call_id::text, repair_id::text, person_id::text, purpose, content_type, started_by, \
     started_at::text, chunks, bytes, state, record_id::text, media_id::text, updated_at::text";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RecordingRow {
    id: String,
    call_id: String,
    repair_id: String,
    person_id: String,
    purpose: String,
    content_type: String,
    started_by: String,
    started_at: String,
    chunks: i64,
    bytes: i64,
    state: String,
    record_id: Option<String>,
    media_id: Option<String>,
    updated_at: String,
}

impl RecordingRow {
    pub(crate) fn into_recording(self) -> Result<CallRecording> {
        let id = |raw: &str| crate::access::parse_uuid(raw);
        Ok(CallRecording {
            id: id(&self.id)?,
            call_id: id(&self.call_id)?,
            repair_id: id(&self.repair_id)?,
            person_id: id(&self.person_id)?,
            purpose: self.purpose,
            content_type: self.content_type,
            started_by: self.started_by,
            started_at: crate::rows::parse_ts(&self.started_at)?,
            chunks: self.chunks,
            bytes: self.bytes,
            state: self.state.parse().map_err(crate::StoreError::Corrupt)?,
            record_id: self.record_id.as_deref().map(id).transpose()?,
            media_id: self.media_id.as_deref().map(id).transpose()?,
            updated_at: crate::rows::parse_ts(&self.updated_at)?,
        })
    }
}

/// Implements [`RecordingStore`] for one backend.
macro_rules! impl_recording_store {
    ($store:ident) => {
        impl $store {
            async fn recordings_where(&self, condition: &str, value: String) -> crate::Result<Vec<hearth_core::video::CallRecording>> {
                let sql = self.sql(&format!("SELECT {} FROM call_recordings WHERE {condition} ORDER BY started_at, id", crate::recordings::RECORDING_COLUMNS));
                let rows: Vec<crate::recordings::RecordingRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(value).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::recordings::RecordingRow::into_recording).collect()
            }
        }

        #[async_trait::async_trait]
        impl crate::recordings::RecordingStore for $store {
            async fn insert_recording(&self, r: &hearth_core::video::CallRecording, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO call_recordings (id, call_id, repair_id, person_id, purpose, content_type, started_by, started_at, chunks, bytes, state, updated_at) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8::timestamptz, $9, $10, $11, $12::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(r.id.to_string())
                    .bind(r.call_id.to_string())
                    .bind(r.repair_id.to_string())
                    .bind(r.person_id.to_string())
                    .bind(&r.purpose)
                    .bind(&r.content_type)
                    .bind(&r.started_by)
                    .bind(crate::rows::ts(r.started_at))
                    .bind(r.chunks)
                    .bind(r.bytes)
                    .bind(r.state.as_str())
                    .bind(crate::rows::ts(r.updated_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_recording(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::video::CallRecording>> {
                Ok(self.recordings_where("id = $1::uuid", id.to_string()).await?.pop())
            }

            async fn recordings_of_call(&self, call_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::video::CallRecording>> {
                self.recordings_where("call_id = $1::uuid", call_id.to_string()).await
            }

            async fn recording_of_record(&self, record_id: uuid::Uuid) -> crate::Result<Option<hearth_core::video::CallRecording>> {
                Ok(self.recordings_where("record_id = $1::uuid", record_id.to_string()).await?.pop())
            }

            async fn record_chunk(&self, id: uuid::Uuid, seq: i64, bytes: i64, at: jiff::Timestamp) -> crate::Result<bool> {
                let sql = self.sql(
                    "UPDATE call_recordings SET chunks = chunks + 1, bytes = bytes + $3, updated_at = $4::timestamptz \
                     WHERE id = $1::uuid AND chunks = $2 AND state = 'uploading'",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id.to_string())
                    .bind(seq)
                    .bind(bytes)
                    .bind(crate::rows::ts(at))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn file_recording(&self, filing: crate::recordings::RecordingFiling<'_>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = match filing.record.fields.person_id {
                    Some(person) => Some(self.key_for_write(person).await?),
                    None => None,
                };
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE call_recordings SET state = 'filed', record_id = $3::uuid, media_id = $4::uuid, updated_at = $5::timestamptz \
                     WHERE id = $1::uuid AND chunks = $2 AND state = 'uploading'",
                );
                self.insert_filed_in(&mut tx, filing.record, key.as_ref()).await?;
                self.write_media(&mut tx, filing.media).await?;
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(filing.recording_id.to_string())
                    .bind(filing.chunks)
                    .bind(filing.record.id.to_string())
                    .bind(filing.media.id.to_string())
                    .bind(crate::rows::ts(filing.at))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::Conflict(
                        "the recording changed while it was put together (a chunk arrived, or it was filed already)".into(),
                    ));
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn discard_recording(&self, id: uuid::Uuid, at: jiff::Timestamp, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql("UPDATE call_recordings SET state = 'discarded', updated_at = $2::timestamptz WHERE id = $1::uuid AND state = 'uploading'");
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).bind(crate::rows::ts(at)).execute(&mut *tx).await?;
                if done.rows_affected() != 1 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn idle_recordings(&self, idle_since: jiff::Timestamp) -> crate::Result<Vec<hearth_core::video::CallRecording>> {
                self.recordings_where("state = 'uploading' AND updated_at < $1::timestamptz", crate::rows::ts(idle_since)).await
            }

            async fn raise_concern(&self, hold: &hearth_core::retention::LegalHold, disclosure: &hearth_core::rights::Disclosure, audit: &[hearth_core::audit::AuditEvent]) -> crate::Result<()> {
                let key = self.key_for_write(disclosure.person_id).await?;
                let mut tx = self.begin_write("audit").await?;
                self.write_hold(&mut tx, hold).await?;
                self.write_disclosure(&mut tx, &key, disclosure).await?;
                self.append_audit(&mut tx, audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_recording_store;
