//! The release part of the store: access responses approved for release, each with its
//! archive's place in object storage and the hash of its single-use download link. Claiming a
//! link marks it used in the same statement that checks it is unused and unexpired, so two
//! downloads racing for one link cannot both win.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::rights::AccessRelease;
use jiff::Timestamp;
use uuid::Uuid;

#[async_trait]
pub trait ReleaseStore: Send + Sync {
    async fn insert_release(&self, release: &AccessRelease, audit: &AuditEvent) -> Result<()>;
    /// Marks the link with this hash used, if it is unused and unexpired at `now`, and returns
    /// its release; `None` when there is no such usable link.
    async fn claim_release(
        &self,
        token_hash: &str,
        now: Timestamp,
        audit: &AuditEvent,
    ) -> Result<Option<AccessRelease>>;
    /// A request's releases, newest first.
    async fn releases_of(&self, request_id: Uuid) -> Result<Vec<AccessRelease>>;
}

pub(crate) const RELEASE_COLUMNS: &str = "id::text AS id, request_id::text AS request_id, person_id::text AS person_id, object_key, sha256, size, token_hash, redactions, approved_by, approved_at::text AS approved_at, expires_at::text AS expires_at, downloaded_at::text AS downloaded_at";

#[derive(sqlx::FromRow)]
pub(crate) struct ReleaseRow {
    id: String,
    request_id: String,
    person_id: String,
    object_key: String,
    sha256: String,
    size: i64,
    token_hash: String,
    redactions: i64,
    approved_by: String,
    approved_at: String,
    expires_at: String,
    downloaded_at: Option<String>,
}

impl ReleaseRow {
    pub(crate) fn open(self) -> Result<AccessRelease> {
        use crate::access::parse_uuid;
        use crate::rows::parse_ts;
        Ok(AccessRelease {
            id: parse_uuid(&self.id)?,
            request_id: parse_uuid(&self.request_id)?,
            person_id: parse_uuid(&self.person_id)?,
            object_key: self.object_key,
            sha256: self.sha256,
            size: self.size,
            token_hash: self.token_hash,
            redactions: self.redactions,
            approved_by: self.approved_by,
            approved_at: parse_ts(&self.approved_at)?,
            expires_at: parse_ts(&self.expires_at)?,
            downloaded_at: self.downloaded_at.as_deref().map(parse_ts).transpose()?,
        })
    }
}

/// Implements [`ReleaseStore`] for one backend.
macro_rules! impl_release_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl crate::release::ReleaseStore for $store {
            async fn insert_release(&self, r: &hearth_core::rights::AccessRelease, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO access_releases (id, request_id, person_id, object_key, sha256, size, token_hash, redactions, approved_by, approved_at, expires_at) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(r.id.to_string())
                    .bind(r.request_id.to_string())
                    .bind(r.person_id.to_string())
                    .bind(&r.object_key)
                    .bind(&r.sha256)
                    .bind(r.size)
                    .bind(&r.token_hash)
                    .bind(r.redactions)
                    .bind(&r.approved_by)
                    .bind(crate::rows::ts(r.approved_at))
                    .bind(crate::rows::ts(r.expires_at))
                    .execute(&mut *tx)
                    .await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn claim_release(&self, token_hash: &str, now: jiff::Timestamp, audit: &hearth_core::audit::AuditEvent) -> crate::Result<Option<hearth_core::rights::AccessRelease>> {
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE access_releases SET downloaded_at = $2::timestamptz \
                     WHERE token_hash = $1 AND downloaded_at IS NULL AND expires_at > $2::timestamptz",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(token_hash)
                    .bind(crate::rows::ts(now))
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let sql = self.sql(&format!("SELECT {} FROM access_releases WHERE token_hash = $1", crate::release::RELEASE_COLUMNS));
                let row: crate::release::ReleaseRow = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(token_hash)
                    .fetch_one(&mut *tx)
                    .await?;
                let release = row.open()?;
                let mut audit = audit.clone();
                audit.person_ids = vec![release.person_id];
                audit.record_ids = vec![release.request_id.to_string(), release.id.to_string()];
                self.append_audit(&mut tx, std::slice::from_ref(&audit)).await?;
                tx.commit().await?;
                Ok(Some(release))
            }

            async fn releases_of(&self, request_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::rights::AccessRelease>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM access_releases WHERE request_id = $1::uuid ORDER BY approved_at DESC, id DESC",
                    crate::release::RELEASE_COLUMNS
                ));
                let rows: Vec<crate::release::ReleaseRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(request_id.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(crate::release::ReleaseRow::open).collect()
            }
        }
    };
}

pub(crate) use impl_release_store;
