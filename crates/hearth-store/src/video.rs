//! The video-call part of the store: calls (with the hashes of their link and session), the
//! consents their answers record and the repair changes a decline makes, written together; and
//! the notification outbox, whose messages are claimed with a lease so that two dispatchers
//! never send one message twice while both live, and a dead dispatcher's messages are retried.

use crate::Result;
use crate::repairs::RepairUpdate;
use async_trait::async_trait;
use hearth_core::access::ConsentRecord;
use hearth_core::audit::AuditEvent;
use hearth_core::video::{OutboxMessage, VideoCall};
use jiff::Timestamp;
use uuid::Uuid;

/// A change to a call, written whole with what goes with it.
#[derive(Debug, Clone, Copy)]
pub struct CallUpdate<'a> {
    pub call: &'a VideoCall,
    pub expected_version: i64,
    /// The hash of the resident's call session, set when they accept.
    pub session_hash: Option<&'a str>,
    /// Consents the answer recorded (or withdrew).
    pub consents: &'a [ConsentRecord],
    /// The repair change it makes (a home visit booked when the resident declines).
    pub repair: Option<RepairUpdate<'a>>,
}

#[async_trait]
pub trait VideoStore: Send + Sync {
    /// Records an offered call and queues the message carrying its link.
    async fn insert_video_call(
        &self,
        call: &VideoCall,
        invite_hash: &str,
        message: &OutboxMessage,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn update_video_call(&self, update: CallUpdate<'_>, audit: &AuditEvent) -> Result<()>;
    async fn get_video_call(&self, id: Uuid) -> Result<Option<VideoCall>>;
    async fn call_by_invite(&self, invite_hash: &str) -> Result<Option<VideoCall>>;
    async fn call_by_session(&self, session_hash: &str) -> Result<Option<VideoCall>>;
    /// A repair's calls, oldest first.
    async fn calls_of_repair(&self, repair_id: Uuid) -> Result<Vec<VideoCall>>;
    /// A person's calls that are not over.
    async fn open_calls_of(&self, person_id: Uuid) -> Result<Vec<VideoCall>>;
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Accepted by the provider, with its id for the message when it gives one.
    Sent { provider_ref: Option<String> },
    /// Try again at this time.
    Retry { at: Timestamp, error: String },
    /// Give up.
    Failed { error: String },
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    async fn enqueue_message(&self, message: &OutboxMessage, audit: &AuditEvent) -> Result<()>;
    /// Takes up to `limit` messages due at `now` (or whose sender's lease ran out), each leased
    /// to the caller until `lease_until`, opened for sending. A message whose person's key is
    /// gone is failed here, not returned.
    async fn claim_due_messages(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>>;
    /// Records an attempt: sent and failed messages lose their recipient and personalisation.
    async fn finish_attempt(&self, id: Uuid, attempt: &Attempt, now: Timestamp) -> Result<()>;
    /// Sent messages with a provider id whose final status is not known, sent since `since`.
    async fn awaiting_delivery(&self, since: Timestamp, limit: i64) -> Result<Vec<(Uuid, String)>>;
    /// Records the provider's final word: delivered, or failed with its reason.
    async fn record_delivery(
        &self,
        id: Uuid,
        delivered: bool,
        error: Option<&str>,
        now: Timestamp,
    ) -> Result<()>;
    /// One message as it stands (recipient and personalisation opened while still held).
    async fn outbox_message(&self, id: Uuid) -> Result<Option<OutboxMessage>>;
}

pub(crate) const CALL_COLUMNS: &str = "id::text, repair_id::text, person_id::text, purpose, channel, status, end_reason, wording_version, \
     offered_by, offered_at::text, invite_expires_at::text, answered_at::text, link_used_at::text, started_at::text, ended_at::text, \
     notification_id::text, visit_id::text, version";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CallRow {
    id: String,
    repair_id: String,
    person_id: String,
    purpose: String,
    channel: String,
    status: String,
    end_reason: Option<String>,
    wording_version: String,
    offered_by: String,
    offered_at: String,
    invite_expires_at: String,
    answered_at: Option<String>,
    link_used_at: Option<String>,
    started_at: Option<String>,
    ended_at: Option<String>,
    notification_id: Option<String>,
    visit_id: Option<String>,
    version: i64,
}

fn parse<T: std::str::FromStr<Err = String>>(raw: &str) -> Result<T> {
    raw.parse().map_err(crate::StoreError::Corrupt)
}

fn opt_ts(raw: Option<String>) -> Result<Option<Timestamp>> {
    raw.as_deref().map(crate::rows::parse_ts).transpose()
}

fn opt_id(raw: Option<String>) -> Result<Option<Uuid>> {
    raw.as_deref().map(crate::access::parse_uuid).transpose()
}

impl CallRow {
    pub(crate) fn into_call(self) -> Result<VideoCall> {
        Ok(VideoCall {
            id: crate::access::parse_uuid(&self.id)?,
            repair_id: crate::access::parse_uuid(&self.repair_id)?,
            person_id: crate::access::parse_uuid(&self.person_id)?,
            purpose: self.purpose,
            channel: parse(&self.channel)?,
            status: parse(&self.status)?,
            end_reason: self.end_reason.as_deref().map(parse).transpose()?,
            wording_version: self.wording_version,
            offered_by: self.offered_by,
            offered_at: crate::rows::parse_ts(&self.offered_at)?,
            invite_expires_at: crate::rows::parse_ts(&self.invite_expires_at)?,
            answered_at: opt_ts(self.answered_at)?,
            link_used_at: opt_ts(self.link_used_at)?,
            started_at: opt_ts(self.started_at)?,
            ended_at: opt_ts(self.ended_at)?,
            notification_id: opt_id(self.notification_id)?,
            visit_id: opt_id(self.visit_id)?,
            version: self.version,
        })
    }
}

pub(crate) const MESSAGE_COLUMNS: &str = "id::text, person_id::text, channel, template, recipient, personalisation, state, attempts, \
     next_attempt_at::text, provider_ref, last_error, created_at::text, updated_at::text";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct MessageRow {
    pub id: String,
    pub person_id: String,
    channel: String,
    template: String,
    pub recipient: String,
    pub personalisation: String,
    state: String,
    attempts: i64,
    next_attempt_at: String,
    provider_ref: Option<String>,
    last_error: Option<String>,
    created_at: String,
    updated_at: String,
}

impl MessageRow {
    /// The message, with recipient and personalisation as given (opened by the caller).
    pub(crate) fn into_message(
        self,
        recipient: String,
        personalisation: std::collections::BTreeMap<String, String>,
    ) -> Result<OutboxMessage> {
        Ok(OutboxMessage {
            id: crate::access::parse_uuid(&self.id)?,
            person_id: crate::access::parse_uuid(&self.person_id)?,
            channel: parse(&self.channel)?,
            template: self.template,
            recipient,
            personalisation,
            state: parse(&self.state)?,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
            next_attempt_at: crate::rows::parse_ts(&self.next_attempt_at)?,
            provider_ref: self.provider_ref,
            last_error: self.last_error,
            created_at: crate::rows::parse_ts(&self.created_at)?,
            updated_at: crate::rows::parse_ts(&self.updated_at)?,
        })
    }
}

/// Implements [`VideoStore`] and [`OutboxStore`] for one backend.
macro_rules! impl_video_store {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn write_message(&self, tx: &mut sqlx::Transaction<'static, $db>, m: &hearth_core::video::OutboxMessage) -> crate::Result<()> {
                let key = self.key_for_write(m.person_id).await?;
                let personalisation = serde_json::to_string(&m.personalisation).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
                let recipient = self.sealer.seal(&key, "notifications", "recipient", m.id, &m.recipient)?;
                let personalisation = self.sealer.seal(&key, "notifications", "personalisation", m.id, &personalisation)?;
                let sql = self.sql(
                    "INSERT INTO notifications (id, person_id, channel, template, recipient, personalisation, state, attempts, next_attempt_at, created_at, updated_at) \
                     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9::timestamptz, $10::timestamptz, $11::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(m.id.to_string())
                    .bind(m.person_id.to_string())
                    .bind(m.channel.as_str())
                    .bind(&m.template)
                    .bind(recipient)
                    .bind(personalisation)
                    .bind(m.state.as_str())
                    .bind(i64::from(m.attempts))
                    .bind(crate::rows::ts(m.next_attempt_at))
                    .bind(crate::rows::ts(m.created_at))
                    .bind(crate::rows::ts(m.updated_at))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Opens a stored message; `None` when the person's key is gone (erased).
            fn open_message(&self, row: crate::video::MessageRow, key: Option<&crate::sealer::PersonKey>) -> crate::Result<Option<hearth_core::video::OutboxMessage>> {
                let id = crate::access::parse_uuid(&row.id)?;
                if row.recipient.is_empty() {
                    return row.into_message(String::new(), Default::default()).map(Some);
                }
                let Some(key) = key else { return Ok(None) };
                let recipient = self.sealer.open(key, "notifications", "recipient", id, &row.recipient)?;
                let raw = self.sealer.open(key, "notifications", "personalisation", id, &row.personalisation)?;
                let personalisation = serde_json::from_str(&raw).map_err(|e| crate::StoreError::Corrupt(format!("message {id}: {e}")))?;
                row.into_message(recipient, personalisation).map(Some)
            }

            async fn calls_where(&self, condition: &str, value: String) -> crate::Result<Vec<hearth_core::video::VideoCall>> {
                let sql = self.sql(&format!("SELECT {} FROM video_calls WHERE {condition} ORDER BY offered_at, id", crate::video::CALL_COLUMNS));
                let rows: Vec<crate::video::CallRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(value).fetch_all(&self.pool).await?;
                rows.into_iter().map(crate::video::CallRow::into_call).collect()
            }
        }

        #[async_trait::async_trait]
        impl crate::video::VideoStore for $store {
            async fn insert_video_call(&self, call: &hearth_core::video::VideoCall, invite_hash: &str, message: &hearth_core::video::OutboxMessage, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_message(&mut tx, message).await?;
                let sql = self.sql(
                    "INSERT INTO video_calls (id, repair_id, person_id, purpose, channel, status, end_reason, wording_version, invite_hash, offered_by, offered_at, invite_expires_at, notification_id, version) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10, $11::timestamptz, $12::timestamptz, $13::uuid, 1)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(call.id.to_string())
                    .bind(call.repair_id.to_string())
                    .bind(call.person_id.to_string())
                    .bind(&call.purpose)
                    .bind(call.channel.as_str())
                    .bind(call.status.as_str())
                    .bind(call.end_reason.map(|e| e.as_str()))
                    .bind(&call.wording_version)
                    .bind(invite_hash)
                    .bind(&call.offered_by)
                    .bind(crate::rows::ts(call.offered_at))
                    .bind(crate::rows::ts(call.invite_expires_at))
                    .bind(call.notification_id.map(|n| n.to_string()))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_video_call(&self, update: crate::video::CallUpdate<'_>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let call = update.call;
                let key = match update.repair {
                    Some(_) => Some(self.key_for_write(call.person_id).await?),
                    None => None,
                };
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE video_calls SET status = $2, end_reason = $3, session_hash = COALESCE($4, session_hash), answered_at = $5::timestamptz, \
                     started_at = $6::timestamptz, ended_at = $7::timestamptz, visit_id = $8::uuid, link_used_at = $10::timestamptz, version = version + 1 \
                     WHERE id = $1::uuid AND version = $9",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(call.id.to_string())
                    .bind(call.status.as_str())
                    .bind(call.end_reason.map(|e| e.as_str()))
                    .bind(update.session_hash)
                    .bind(call.answered_at.map(crate::rows::ts))
                    .bind(call.started_at.map(crate::rows::ts))
                    .bind(call.ended_at.map(crate::rows::ts))
                    .bind(call.visit_id.map(|v| v.to_string()))
                    .bind(update.expected_version)
                    .bind(call.link_used_at.map(crate::rows::ts))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::VersionConflict { expected: update.expected_version });
                }
                for consent in update.consents {
                    self.write_consent(&mut tx, consent).await?;
                }
                if let (Some(repair), Some(key)) = (update.repair, key.as_ref()) {
                    self.write_repair_update(&mut tx, key, repair).await?;
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_video_call(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::video::VideoCall>> {
                Ok(self.calls_where("id = $1::uuid", id.to_string()).await?.pop())
            }

            async fn call_by_invite(&self, invite_hash: &str) -> crate::Result<Option<hearth_core::video::VideoCall>> {
                Ok(self.calls_where("invite_hash = $1", invite_hash.to_string()).await?.pop())
            }

            async fn call_by_session(&self, session_hash: &str) -> crate::Result<Option<hearth_core::video::VideoCall>> {
                Ok(self.calls_where("session_hash = $1", session_hash.to_string()).await?.pop())
            }

            async fn calls_of_repair(&self, repair_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::video::VideoCall>> {
                self.calls_where("repair_id = $1::uuid", repair_id.to_string()).await
            }

            async fn open_calls_of(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::video::VideoCall>> {
                self.calls_where("person_id = $1::uuid AND status IN ('offered', 'accepted', 'live')", person_id.to_string()).await
            }
        }

        #[async_trait::async_trait]
        impl crate::video::OutboxStore for $store {
            async fn enqueue_message(&self, message: &hearth_core::video::OutboxMessage, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                self.write_message(&mut tx, message).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn claim_due_messages(&self, now: jiff::Timestamp, lease_until: jiff::Timestamp, limit: i64) -> crate::Result<Vec<hearth_core::video::OutboxMessage>> {
                let due = "((state = 'queued' AND next_attempt_at <= $1::timestamptz) OR (state = 'sending' AND lease_until <= $1::timestamptz))";
                let sql = self.sql(&format!("SELECT {} FROM notifications WHERE {due} ORDER BY next_attempt_at, id LIMIT $2", crate::video::MESSAGE_COLUMNS));
                let rows: Vec<crate::video::MessageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(crate::rows::ts(now)).bind(limit).fetch_all(&self.pool).await?;
                let people: Vec<uuid::Uuid> = rows.iter().map(|r| crate::access::parse_uuid(&r.person_id)).collect::<crate::Result<_>>()?;
                let keys = self.keys_of(&people).await?;
                let mut claimed = Vec::new();
                for row in rows {
                    let id = row.id.clone();
                    // Only the dispatcher whose UPDATE matched owns the message.
                    let take = self.sql(&format!("UPDATE notifications SET state = 'sending', lease_until = $3::timestamptz, updated_at = $1::timestamptz WHERE id = $2::uuid AND {due}"));
                    let done = sqlx::query(sqlx::AssertSqlSafe(take.as_str())).bind(crate::rows::ts(now)).bind(&id).bind(crate::rows::ts(lease_until)).execute(&self.pool).await?;
                    if done.rows_affected() != 1 {
                        continue;
                    }
                    let person = crate::access::parse_uuid(&row.person_id)?;
                    match self.open_message(row, keys.get(&person))? {
                        Some(mut message) => {
                            message.state = hearth_core::video::DeliveryState::Sending;
                            claimed.push(message);
                        }
                        None => {
                            let attempt = crate::video::Attempt::Failed { error: "the person's data was erased".into() };
                            crate::video::OutboxStore::finish_attempt(self, crate::access::parse_uuid(&id)?, &attempt, now).await?;
                        }
                    }
                }
                Ok(claimed)
            }

            async fn finish_attempt(&self, id: uuid::Uuid, attempt: &crate::video::Attempt, now: jiff::Timestamp) -> crate::Result<()> {
                let (state, next, provider_ref, error, wipe) = match attempt {
                    crate::video::Attempt::Sent { provider_ref } => ("sent", None, provider_ref.clone(), None, true),
                    crate::video::Attempt::Retry { at, error } => ("queued", Some(crate::rows::ts(*at)), None, Some(error.clone()), false),
                    crate::video::Attempt::Failed { error } => ("failed", None, None, Some(error.clone()), true),
                };
                let sql = self.sql(
                    "UPDATE notifications SET state = $2, attempts = attempts + 1, next_attempt_at = COALESCE($3::timestamptz, next_attempt_at), \
                     lease_until = NULL, provider_ref = COALESCE($4, provider_ref), last_error = $5, updated_at = $6::timestamptz, \
                     recipient = CASE WHEN $7 THEN '' ELSE recipient END, personalisation = CASE WHEN $7 THEN '' ELSE personalisation END \
                     WHERE id = $1::uuid",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id.to_string())
                    .bind(state)
                    .bind(next)
                    .bind(provider_ref)
                    .bind(error)
                    .bind(crate::rows::ts(now))
                    .bind(wipe)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn awaiting_delivery(&self, since: jiff::Timestamp, limit: i64) -> crate::Result<Vec<(uuid::Uuid, String)>> {
                let sql = self.sql("SELECT id::text, provider_ref FROM notifications WHERE state = 'sent' AND provider_ref IS NOT NULL AND updated_at >= $1::timestamptz ORDER BY updated_at LIMIT $2");
                let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(crate::rows::ts(since)).bind(limit).fetch_all(&self.pool).await?;
                rows.into_iter().map(|(id, r)| Ok((crate::access::parse_uuid(&id)?, r))).collect()
            }

            async fn record_delivery(&self, id: uuid::Uuid, delivered: bool, error: Option<&str>, now: jiff::Timestamp) -> crate::Result<()> {
                let sql = self.sql("UPDATE notifications SET state = $2, last_error = $3, updated_at = $4::timestamptz WHERE id = $1::uuid AND state = 'sent'");
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(id.to_string())
                    .bind(if delivered { "delivered" } else { "failed" })
                    .bind(error)
                    .bind(crate::rows::ts(now))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn outbox_message(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::video::OutboxMessage>> {
                let sql = self.sql(&format!("SELECT {} FROM notifications WHERE id = $1::uuid", crate::video::MESSAGE_COLUMNS));
                let row: Option<crate::video::MessageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let person = crate::access::parse_uuid(&row.person_id)?;
                let keys = self.keys_of(&[person]).await?;
                match self.open_message(row, keys.get(&person))? {
                    Some(m) => Ok(Some(m)),
                    None => Err(crate::StoreError::Crypto(format!("message {id}: the person's key is gone"))),
                }
            }
        }
    };
}

pub(crate) use impl_video_store;
