//! The erasure part of the store: each erasure request's plan, and carrying it out. Carrying
//! it out is one transaction: the request is closed with its letter, a legal hold placed since
//! approval stops everything, the records marked for erasure are deleted (their media objects
//! tombstoned for removal once committed), and when the person record goes its data key is
//! destroyed, which leaves every sealed copy (backups, the requests register) unreadable.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::rights::{Erasure, RightsRequest};
use uuid::Uuid;

/// What to erase: ids by table, worked out by the service from an approved plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasureTargets {
    pub filed_records: Vec<Uuid>,
    pub contacts: Vec<Uuid>,
    pub memberships: Vec<Uuid>,
    /// Ids a legal hold could name for the erased items (records, households).
    pub hold_targets: Vec<Uuid>,
    /// Record types a legal hold could name for the erased items.
    pub hold_record_types: Vec<String>,
    /// Clear the optional equality answers on a person record that is kept.
    pub clear_equality: bool,
    /// Delete the person record, their consents, flags and assignments, and destroy their key.
    pub erase_person: bool,
}

/// Carrying out an approved erasure.
pub struct ErasureExecution<'a> {
    /// The erasure as it ends: executed, with its letter.
    pub erasure: &'a Erasure,
    pub expected_version: i64,
    pub targets: &'a ErasureTargets,
    /// The request, closed with the letter.
    pub request: &'a RightsRequest,
    pub request_version: i64,
    pub audit: &'a AuditEvent,
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasureOutcome {
    pub filed_records: u64,
    pub contacts: u64,
    pub memberships: u64,
    pub media_objects: u64,
    pub person_erased: bool,
    pub equality_cleared: bool,
}

#[async_trait]
pub trait ErasureStore: Send + Sync {
    /// Saves a proposed plan, replacing an earlier proposal; false when the erasure has been
    /// approved or carried out already.
    async fn save_erasure_plan(&self, erasure: &Erasure, audit: &AuditEvent) -> Result<bool>;
    /// Marks a proposed plan approved, with the data protection officer's changes; false when
    /// it changed since it was read.
    async fn approve_erasure(
        &self,
        erasure: &Erasure,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<bool>;
    async fn get_erasure(&self, request_id: Uuid) -> Result<Option<Erasure>>;
    /// Carries out an approved erasure in one transaction. Refused with
    /// [`crate::StoreError::Conflict`] when a legal hold now covers something to be erased,
    /// when the plan or request changed, or when records about the person were added since.
    async fn execute_erasure(&self, execution: &ErasureExecution<'_>) -> Result<ErasureOutcome>;
}

pub(crate) const ERASURE_COLUMNS: &str = "request_id::text AS request_id, person_id::text AS person_id, status, items, prepared_at::text AS prepared_at, prepared_by, approved_at::text AS approved_at, approved_by, executed_at::text AS executed_at, executed_by, letter, version";

#[derive(sqlx::FromRow)]
pub(crate) struct ErasureRow {
    request_id: String,
    person_id: String,
    status: String,
    items: String,
    prepared_at: String,
    prepared_by: String,
    approved_at: Option<String>,
    approved_by: Option<String>,
    executed_at: Option<String>,
    executed_by: Option<String>,
    letter: Option<String>,
    version: i64,
}

impl ErasureRow {
    pub(crate) fn open(self) -> Result<Erasure> {
        use crate::StoreError::Corrupt;
        let ts = |v: Option<String>| v.as_deref().map(crate::rows::parse_ts).transpose();
        Ok(Erasure {
            request_id: crate::access::parse_uuid(&self.request_id)?,
            person_id: crate::access::parse_uuid(&self.person_id)?,
            status: self
                .status
                .parse()
                .map_err(|e| Corrupt(format!("erasure {}: {e}", self.request_id)))?,
            items: serde_json::from_str(&self.items)
                .map_err(|e| Corrupt(format!("erasure {} items: {e}", self.request_id)))?,
            prepared_at: crate::rows::parse_ts(&self.prepared_at)?,
            prepared_by: self.prepared_by,
            approved_at: ts(self.approved_at)?,
            approved_by: self.approved_by,
            executed_at: ts(self.executed_at)?,
            executed_by: self.executed_by,
            letter: self.letter,
            version: self.version,
        })
    }
}

pub(crate) fn items_json(erasure: &Erasure) -> Result<String> {
    serde_json::to_string(&erasure.items)
        .map_err(|e| crate::StoreError::Corrupt(format!("erasure items: {e}")))
}

/// `$from::uuid, $from+1::uuid, ...` for `n` values.
pub(crate) fn uuid_slots(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}::uuid"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Implements [`ErasureStore`] for one backend; needs `impl_rights_store!` for the request.
macro_rules! impl_erasure_store {
    ($store:ident, $db:ident) => {
        impl $store {
            /// Runs `DELETE FROM {table} WHERE {column} IN (ids) AND person_id = $person`,
            /// returning the rows deleted.
            async fn delete_ids_of(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                table: &str,
                person_id: uuid::Uuid,
                ids: &[uuid::Uuid],
            ) -> crate::Result<u64> {
                if ids.is_empty() {
                    return Ok(0);
                }
                let sql = self.sql(&format!(
                    "DELETE FROM {table} WHERE person_id = $1::uuid AND id IN ({})",
                    crate::erasure::uuid_slots(2, ids.len())
                ));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(person_id.to_string());
                for id in ids {
                    q = q.bind(id.to_string());
                }
                Ok(q.execute(&mut **tx).await?.rows_affected())
            }

            /// Runs `DELETE FROM {table} WHERE {column} IN (ids)` for the rows hanging off
            /// filed records (events, media, reviews).
            async fn delete_by_record(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                table: &str,
                column: &str,
                ids: &[uuid::Uuid],
            ) -> crate::Result<u64> {
                let sql = self.sql(&format!(
                    "DELETE FROM {table} WHERE {column} IN ({})",
                    crate::erasure::uuid_slots(1, ids.len())
                ));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()));
                for id in ids {
                    q = q.bind(id.to_string());
                }
                Ok(q.execute(&mut **tx).await?.rows_affected())
            }

            /// Whether an active legal hold covers anything the erasure would remove.
            async fn erasure_held(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                person_id: uuid::Uuid,
                targets: &crate::erasure::ErasureTargets,
            ) -> crate::Result<bool> {
                let mut scopes = vec!["(scope_kind = 'person' AND target = $1)".to_string()];
                let mut next = 2;
                let mut binds: Vec<String> = vec![person_id.to_string()];
                if !targets.hold_targets.is_empty() {
                    let slots: Vec<String> = (next..next + targets.hold_targets.len()).map(|i| format!("${i}")).collect();
                    next += targets.hold_targets.len();
                    scopes.push(format!("(scope_kind = 'record' AND target IN ({}))", slots.join(", ")));
                    binds.extend(targets.hold_targets.iter().map(|id| id.to_string()));
                }
                if !targets.hold_record_types.is_empty() {
                    let slots: Vec<String> = (next..next + targets.hold_record_types.len()).map(|i| format!("${i}")).collect();
                    next += targets.hold_record_types.len();
                    scopes.push(format!("(scope_kind = 'record_type' AND target IN ({}))", slots.join(", ")));
                    binds.extend(targets.hold_record_types.iter().cloned());
                }
                if !targets.filed_records.is_empty() {
                    scopes.push(format!(
                        "(scope_kind = 'case' AND target IN (SELECT case_ref FROM filed_records WHERE case_ref IS NOT NULL AND id IN ({})))",
                        crate::erasure::uuid_slots(next, targets.filed_records.len())
                    ));
                    binds.extend(targets.filed_records.iter().map(|id| id.to_string()));
                }
                let sql = self.sql(&format!(
                    "SELECT COUNT(*) FROM legal_holds WHERE lifted_at IS NULL AND ({})",
                    scopes.join(" OR ")
                ));
                let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.as_str()));
                for b in binds {
                    q = q.bind(b);
                }
                Ok(q.fetch_one(&mut **tx).await? > 0)
            }

            /// Deletes the erased filed records and what hangs off them; their media objects
            /// are tombstoned, to be removed from object storage once this commits.
            async fn erase_filed(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                erasure: &hearth_core::rights::Erasure,
                ids: &[uuid::Uuid],
            ) -> crate::Result<(u64, u64)> {
                if ids.is_empty() {
                    return Ok((0, 0));
                }
                let sql = self.sql(&format!(
                    "INSERT INTO media_tombstones (object_key, run_id, record_type) \
                     SELECT m.object_key, $1::uuid, f.record_type FROM record_media m JOIN filed_records f ON f.id = m.record_id \
                     WHERE m.record_id IN ({})",
                    crate::erasure::uuid_slots(2, ids.len())
                ));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(erasure.request_id.to_string());
                for id in ids {
                    q = q.bind(id.to_string());
                }
                let media = q.execute(&mut **tx).await?.rows_affected();
                self.delete_by_record(tx, "record_media", "record_id", ids).await?;
                self.delete_by_record(tx, "filed_record_events", "record_id", ids).await?;
                self.delete_by_record(tx, "disposal_reviews", "record_id", ids).await?;
                let filed = self.delete_ids_of(tx, "filed_records", erasure.person_id, ids).await?;
                Ok((filed, media))
            }

            /// Deletes the person record and everything that exists only for it, then their
            /// data key. Refused when records about them are still there (added since approval).
            async fn erase_person_record(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                person_id: uuid::Uuid,
            ) -> crate::Result<()> {
                let left = self.sql(
                    "SELECT (SELECT COUNT(*) FROM household_members WHERE person_id = $1::uuid) \
                          + (SELECT COUNT(*) FROM contact_log WHERE person_id = $1::uuid) \
                          + (SELECT COUNT(*) FROM filed_records WHERE person_id = $1::uuid)",
                );
                let left: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(left.as_str()))
                    .bind(person_id.to_string())
                    .fetch_one(&mut **tx)
                    .await?;
                if left > 0 {
                    return Err(crate::StoreError::Conflict(format!(
                        "{left} record(s) about person {person_id} were added after the erasure was approved: prepare it again"
                    )));
                }
                for table in ["consents", "person_flags", "assignments", "people"] {
                    let column = if table == "people" { "id" } else { "person_id" };
                    let sql = self.sql(&format!("DELETE FROM {table} WHERE {column} = $1::uuid"));
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .execute(&mut **tx)
                        .await?;
                }
                let sql = self.sql("DELETE FROM person_keys WHERE person_id = $1::uuid");
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(person_id.to_string())
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl crate::erasure::ErasureStore for $store {
            async fn save_erasure_plan(&self, erasure: &hearth_core::rights::Erasure, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let items = crate::erasure::items_json(erasure)?;
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "INSERT INTO rights_erasures (request_id, person_id, status, items, prepared_at, prepared_by, version) \
                     VALUES ($1::uuid, $2::uuid, 'proposed', $3, $4::timestamptz, $5, 1) \
                     ON CONFLICT (request_id) DO UPDATE SET items = excluded.items, prepared_at = excluded.prepared_at, \
                       prepared_by = excluded.prepared_by, version = rights_erasures.version + 1 \
                     WHERE rights_erasures.status = 'proposed'",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(erasure.request_id.to_string())
                    .bind(erasure.person_id.to_string())
                    .bind(items)
                    .bind(crate::rows::ts(erasure.prepared_at))
                    .bind(&erasure.prepared_by)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn approve_erasure(&self, erasure: &hearth_core::rights::Erasure, expected_version: i64, audit: &hearth_core::audit::AuditEvent) -> crate::Result<bool> {
                let items = crate::erasure::items_json(erasure)?;
                let mut tx = self.begin_write("audit").await?;
                let sql = self.sql(
                    "UPDATE rights_erasures SET status = 'approved', items = $2, approved_at = $3::timestamptz, approved_by = $4, version = version + 1 \
                     WHERE request_id = $1::uuid AND status = 'proposed' AND version = $5",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(erasure.request_id.to_string())
                    .bind(items)
                    .bind(erasure.approved_at.map(crate::rows::ts))
                    .bind(&erasure.approved_by)
                    .bind(expected_version)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn get_erasure(&self, request_id: uuid::Uuid) -> crate::Result<Option<hearth_core::rights::Erasure>> {
                let sql = self.sql(&format!("SELECT {} FROM rights_erasures WHERE request_id = $1::uuid", crate::erasure::ERASURE_COLUMNS));
                let row: Option<crate::erasure::ErasureRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(request_id.to_string())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(crate::erasure::ErasureRow::open).transpose()
            }

            async fn execute_erasure(&self, x: &crate::erasure::ErasureExecution<'_>) -> crate::Result<crate::erasure::ErasureOutcome> {
                let person_id = x.erasure.person_id;
                let key = self.key_for_write(person_id).await?;
                let sealed_request = crate::rights::seal_request(&self.sealer, &key, x.request)?;
                let empty_equality = self.sealer.seal(&key, "people", "equality", person_id, "{}")?;
                let conflict = |what: &str| Err(crate::StoreError::Conflict(what.to_string()));
                let mut tx = self.begin_write("audit").await?;
                if !self.write_request_update(&mut tx, x.request, &sealed_request, x.request_version).await? {
                    return conflict("the request was changed by someone else: reload it and try again");
                }
                if self.erasure_held(&mut tx, person_id, x.targets).await? {
                    return conflict("a legal hold now covers something this erasure would remove: prepare the erasure again");
                }
                let (filed_records, media_objects) = self.erase_filed(&mut tx, x.erasure, &x.targets.filed_records).await?;
                let contacts = self.delete_ids_of(&mut tx, "contact_log", person_id, &x.targets.contacts).await?;
                let memberships = self.delete_ids_of(&mut tx, "household_members", person_id, &x.targets.memberships).await?;
                let equality_cleared = x.targets.clear_equality && !x.targets.erase_person;
                if equality_cleared {
                    let sql = self.sql("UPDATE people SET equality = $2, version = version + 1 WHERE id = $1::uuid");
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .bind(&empty_equality)
                        .execute(&mut *tx)
                        .await?;
                }
                let sql = self.sql(
                    "UPDATE rights_erasures SET status = 'executed', items = $2, executed_at = $3::timestamptz, executed_by = $4, letter = $5, version = version + 1 \
                     WHERE request_id = $1::uuid AND status = 'approved' AND version = $6",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(x.erasure.request_id.to_string())
                    .bind(crate::erasure::items_json(x.erasure)?)
                    .bind(x.erasure.executed_at.map(crate::rows::ts))
                    .bind(&x.erasure.executed_by)
                    .bind(&x.erasure.letter)
                    .bind(x.expected_version)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return conflict("the erasure is not approved, or it changed since it was read");
                }
                if x.targets.erase_person {
                    self.erase_person_record(&mut tx, person_id).await?;
                }
                self.append_audit(&mut tx, std::slice::from_ref(x.audit)).await?;
                tx.commit().await?;
                Ok(crate::erasure::ErasureOutcome {
                    filed_records,
                    contacts,
                    memberships,
                    media_objects,
                    person_erased: x.targets.erase_person,
                    equality_cleared,
                })
            }
        }
    };
}

pub(crate) use impl_erasure_store;
