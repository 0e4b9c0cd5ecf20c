//! The disclosures part of the store: the register of disclosures outside the council, what and
//! why sealed under the person's key, written with the audit event of the disclosure.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::rights::Disclosure;
use uuid::Uuid;

#[async_trait]
pub trait DisclosureStore: Send + Sync {
    async fn insert_disclosure(&self, disclosure: &Disclosure, audit: &AuditEvent) -> Result<()>;
    /// A person's disclosures, oldest first; what and why are `None` once their key is gone.
    async fn disclosures_of(&self, person_id: Uuid) -> Result<Vec<Disclosure>>;
}

pub(crate) type DisclosureRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

/// Implements [`DisclosureStore`] for one backend.
macro_rules! impl_disclosure_store {
    ($store:ident, $db:ty) => {
        impl $store {
            /// Records a disclosure inside a transaction; what and why are sealed under `key`.
            async fn write_disclosure(&self, tx: &mut sqlx::Transaction<'static, $db>, key: &crate::sealer::PersonKey, d: &hearth_core::rights::Disclosure) -> crate::Result<()> {
                let seal = |column: &str, value: &Option<String>| {
                    self.sealer.seal(key, "disclosures", column, d.id, value.as_deref().unwrap_or(""))
                };
                let what = seal("what", &d.what)?;
                let reason = seal("reason", &d.reason)?;
                let sql = self.sql(
                    "INSERT INTO disclosures (id, person_id, recipient, purpose, record_type, record_id, disclosed_on, what, reason, recorded_by, recorded_at) \
                     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::uuid, $7::date, $8, $9, $10, $11::timestamptz)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(d.id.to_string())
                    .bind(d.person_id.to_string())
                    .bind(&d.recipient)
                    .bind(&d.purpose)
                    .bind(&d.record_type)
                    .bind(d.record_id.map(|id| id.to_string()))
                    .bind(d.disclosed_on.to_string())
                    .bind(what)
                    .bind(reason)
                    .bind(&d.recorded_by)
                    .bind(crate::rows::ts(d.recorded_at))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl crate::disclosure::DisclosureStore for $store {
            async fn insert_disclosure(&self, d: &hearth_core::rights::Disclosure, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = self.key_for_write(d.person_id).await?;
                let mut tx = self.begin_write("audit").await?;
                self.write_disclosure(&mut tx, &key, d).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn disclosures_of(&self, person_id: uuid::Uuid) -> crate::Result<Vec<hearth_core::rights::Disclosure>> {
                let sql = self.sql(
                    "SELECT id::text, person_id::text, recipient, purpose, record_type, record_id::text, disclosed_on::text, what, reason, recorded_by, recorded_at::text \
                     FROM disclosures WHERE person_id = $1::uuid ORDER BY disclosed_on, id",
                );
                let rows: Vec<crate::disclosure::DisclosureRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(person_id.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                let key = self.keys_of(&[person_id]).await?.remove(&person_id);
                rows.into_iter()
                    .map(|(id, person, recipient, purpose, record_type, record_id, on, what, reason, by, at)| {
                        let id = crate::access::parse_uuid(&id)?;
                        let open = |column: &str, v: &str| {
                            key.as_ref().map(|k| self.sealer.open(k, "disclosures", column, id, v)).transpose()
                        };
                        Ok(hearth_core::rights::Disclosure {
                            id,
                            person_id: crate::access::parse_uuid(&person)?,
                            recipient,
                            purpose,
                            record_type,
                            record_id: record_id.as_deref().map(crate::access::parse_uuid).transpose()?,
                            disclosed_on: crate::rows::parse_date(&on)?,
                            what: open("what", &what)?,
                            reason: open("reason", &reason)?,
                            recorded_by: by,
                            recorded_at: crate::rows::parse_ts(&at)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_disclosure_store;
