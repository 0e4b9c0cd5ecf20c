//! The rectification part of the store: a person record corrected together with the history
//! of what each field held before, in one transaction, the values sealed under the person's key.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::records::Person;
use hearth_core::rights::Correction;
use uuid::Uuid;

#[async_trait]
pub trait RectificationStore: Send + Sync {
    /// Saves the corrected person record and its corrections; a version conflict changes nothing.
    async fn rectify_person(
        &self,
        person: &Person,
        expected_version: i64,
        corrections: &[Correction],
        audit: &AuditEvent,
    ) -> Result<()>;
    /// A person's corrections, oldest first.
    async fn corrections_of(&self, person_id: Uuid) -> Result<Vec<Correction>>;
}

pub(crate) type CorrectionRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// Implements [`RectificationStore`] for one backend.
macro_rules! impl_rectification_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl crate::rectification::RectificationStore for $store {
            async fn rectify_person(
                &self,
                person: &hearth_core::records::Person,
                expected_version: i64,
                corrections: &[hearth_core::rights::Correction],
                audit: &hearth_core::audit::AuditEvent,
            ) -> crate::Result<()> {
                let key = self.key_for_write(person.id).await?;
                let sealed = crate::rows::SealedPerson::of(&self.sealer, &key, person)?;
                let mut values = Vec::with_capacity(corrections.len());
                for c in corrections {
                    let previous = self.sealer.seal(&key, "rights_rectifications", "previous", c.id, &c.previous.to_string())?;
                    let corrected = self.sealer.seal(&key, "rights_rectifications", "corrected", c.id, &c.corrected.to_string())?;
                    values.push((previous, corrected));
                }
                let mut tx = self.begin_write("audit").await?;
                let table = &crate::sql::PEOPLE;
                let sql = self.sql(&table.update());
                let done = crate::backend::bind_params!(
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str())),
                    table.update_params(crate::rows::person_params(person, sealed), expected_version)
                )
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::VersionConflict { expected: expected_version });
                }
                let insert = self.sql(
                    "INSERT INTO rights_rectifications (id, request_id, person_id, field, previous, corrected, at, made_by) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::timestamptz, $8)",
                );
                for (c, (previous, corrected)) in corrections.iter().zip(values) {
                    sqlx::query(sqlx::AssertSqlSafe(insert.as_str()))
                        .bind(c.id.to_string())
                        .bind(c.request_id.to_string())
                        .bind(c.person_id.to_string())
                        .bind(&c.field)
                        .bind(previous)
                        .bind(corrected)
                        .bind(crate::rows::ts(c.at))
                        .bind(&c.made_by)
                        .execute(&mut *tx)
                        .await?;
                }
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn corrections_of(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::rights::Correction>> {
                let sql = self.sql(
                    "SELECT id::text, request_id::text, person_id::text, field, previous, corrected, at::text, made_by \
                     FROM rights_rectifications WHERE person_id = $1::uuid ORDER BY at, id",
                );
                let rows: Vec<crate::rectification::CorrectionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(person_id.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                let Some(key) = self.keys_of(&[person_id]).await?.remove(&person_id) else {
                    return Ok(Vec::new());
                };
                let json = |id: uuid::Uuid, column: &str, sealed: &str| -> crate::Result<serde_json::Value> {
                    let text = self.sealer.open(&key, "rights_rectifications", column, id, sealed)?;
                    serde_json::from_str(&text).map_err(|e| crate::StoreError::Corrupt(format!("correction {id}: {e}")))
                };
                rows.into_iter()
                    .map(|(id, request_id, person, field, previous, corrected, at, made_by)| {
                        let id = crate::access::parse_uuid(&id)?;
                        Ok(hearth_core::rights::Correction {
                            id,
                            request_id: crate::access::parse_uuid(&request_id)?,
                            person_id: crate::access::parse_uuid(&person)?,
                            field,
                            previous: json(id, "previous", &previous)?,
                            corrected: json(id, "corrected", &corrected)?,
                            at: crate::rows::parse_ts(&at)?,
                            made_by,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_rectification_store;
