//! Filed records as bare rows, for the retention benchmark and the crash test: records with
//! their event dates and media rows loaded by the bulk insert, and disposal's lower bound, one
//! bulk `DELETE` per table.

use crate::rows::{Param, filed_params, ts};
use crate::{Result, StoreError};
use hearth_core::records::{FiledRecord, MediaObject};

/// Filed records (about no person, so nothing to seal) with their events and media, as rows.
#[derive(Default)]
pub struct RawFiled {
    pub(crate) records: Vec<Vec<Param>>,
    pub(crate) events: Vec<Vec<Param>>,
    pub(crate) media: Vec<Vec<Param>>,
}

impl RawFiled {
    /// Adds a record with its media rows; a record about a person is refused, since its title
    /// would have to be sealed under that person's key.
    pub fn push(&mut self, record: &FiledRecord, media: &[MediaObject]) -> Result<()> {
        if record.fields.person_id.is_some() {
            return Err(StoreError::Config(
                "raw filed records are about no person".into(),
            ));
        }
        self.records.push(filed_params(
            record,
            record.fields.title.clone(),
            record.fields.details.clone(),
        ));
        for (name, on) in &record.fields.events {
            self.events.push(vec![
                Param::Text(Some(record.id.to_string())),
                Param::Text(Some(name.clone())),
                Param::Text(Some(on.to_string())),
            ]);
        }
        for m in media {
            self.media.push(vec![
                Param::Text(Some(m.id.to_string())),
                Param::Text(Some(m.record_id.to_string())),
                Param::Text(Some(m.object_key.clone())),
                Param::Text(Some(m.content_type.clone())),
                Param::Int(Some(m.size)),
                Param::Text(Some(m.sha256.clone())),
                Param::Text(Some(ts(m.created_at))),
            ]);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// The bare deletions of one record type's records created before a time, with their events
/// and media rows: what disposal comes down to once nothing is checked, logged or audited.
pub(crate) const RAW_DELETES_SQL: [&str; 3] = [
    "DELETE FROM filed_record_events WHERE record_id IN (SELECT id FROM filed_records WHERE record_type = $1 AND created_at < $2::timestamptz)",
    "DELETE FROM record_media WHERE record_id IN (SELECT id FROM filed_records WHERE record_type = $1 AND created_at < $2::timestamptz)",
    "DELETE FROM filed_records WHERE record_type = $1 AND created_at < $2::timestamptz",
];

/// `raw_load_filed` and `raw_delete_filed` for a store with `bulk_insert` and `sql`.
macro_rules! impl_raw_filed {
    ($store:ty) => {
        impl $store {
            /// Loads filed records, events and media rows by the bulk insert, in one transaction.
            pub async fn raw_load_filed(
                &self,
                rows: crate::raw_filed::RawFiled,
            ) -> crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::FILED_RECORDS, rows.records).await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::FILED_RECORD_EVENTS, rows.events)
                    .await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::RECORD_MEDIA, rows.media).await?;
                tx.commit().await?;
                // Fresh statistics, as a table in service has them: planned on the empty
                // table's, queries over a bulk load would be judged as if it were still empty.
                for table in ["filed_records", "filed_record_events", "record_media"] {
                    sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}")))
                        .execute(&self.pool)
                        .await?;
                }
                Ok(())
            }

            /// Deletes a record type's records created before `before`, with their related
            /// rows, by one bulk `DELETE` per table in one transaction; returns how many records.
            pub async fn raw_delete_filed(
                &self,
                record_type: &str,
                before: jiff::Timestamp,
            ) -> crate::Result<u64> {
                let mut tx = self.pool.begin().await?;
                let mut deleted = 0;
                for statement in crate::raw_filed::RAW_DELETES_SQL {
                    let sql = self.sql(statement);
                    deleted = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(record_type)
                        .bind(crate::rows::ts(before))
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                tx.commit().await?;
                Ok(deleted)
            }
        }
    };
}
pub(crate) use impl_raw_filed;
