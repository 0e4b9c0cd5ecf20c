//! People with everything held about them as bare rows, for the rights benchmark: people,
//! their data keys, contacts, filed records and consents, sealed exactly as the store seals
//! them and loaded by the bulk insert; and the rights' lower bounds, the plain indexed SELECTs
//! of everything held about one person and the plain DELETEs of it.

use crate::rows::{Param, SealedPerson, contact_params, filed_params, sealed_summary, ts};
use crate::sealer::Sealer;
use crate::{Result, StoreError};
use hearth_core::access::ConsentRecord;
use hearth_core::records::{ContactEntry, FiledRecord, Person};

/// People and what is held about them, as rows ready for the bulk insert.
#[derive(Default)]
pub struct RawHoldings {
    pub(crate) keys: Vec<Vec<Param>>,
    pub(crate) people: Vec<Vec<Param>>,
    pub(crate) contacts: Vec<Vec<Param>>,
    pub(crate) records: Vec<Vec<Param>>,
    pub(crate) consents: Vec<Vec<Param>>,
}

impl RawHoldings {
    /// Adds a person with their contacts, filed records and consents, sealed under a new data
    /// key of theirs. Anything about someone else is refused.
    pub fn push(
        &mut self,
        sealer: &Sealer,
        person: &Person,
        contacts: &[ContactEntry],
        records: &[FiledRecord],
        consents: &[ConsentRecord],
    ) -> Result<()> {
        let foreign = contacts.iter().any(|c| c.fields.person_id != person.id)
            || records
                .iter()
                .any(|r| r.fields.person_id != Some(person.id))
            || consents.iter().any(|c| c.person_id != person.id);
        if foreign {
            return Err(StoreError::Config(format!(
                "raw holdings of person {} include another person's data",
                person.id
            )));
        }
        let (key, key_row) = sealer.new_person_key(person.id)?;
        self.keys
            .push(crate::rows::person_key_params(&key_row, person.created_at));
        self.people.push(crate::rows::person_params(
            person,
            SealedPerson::of(sealer, &key, person)?,
        ));
        for contact in contacts {
            self.contacts.push(contact_params(
                contact,
                sealed_summary(sealer, &key, contact)?,
            ));
        }
        for record in records {
            let title = sealer.seal(
                &key,
                "filed_records",
                "title",
                record.id,
                &record.fields.title,
            )?;
            let details = sealer.seal_opt(
                &key,
                "filed_records",
                "details",
                record.id,
                record.fields.details.as_deref(),
            )?;
            self.records.push(filed_params(record, title, details));
        }
        for consent in consents {
            self.consents.push(vec![
                Param::Text(Some(consent.id.to_string())),
                Param::Text(Some(consent.person_id.to_string())),
                Param::Text(Some(consent.purpose.clone())),
                Param::Int(Some(i64::from(consent.granted))),
                Param::Text(Some(consent.wording.clone())),
                Param::Text(Some(consent.wording_version.clone())),
                Param::Text(Some(consent.recorded_by.clone())),
                Param::Text(Some(ts(consent.at))),
            ]);
        }
        Ok(())
    }

    /// How many people.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

/// The plain indexed SELECTs of everything an access bundle reads about one person (`$1`):
/// the rows as stored, neither opened nor assembled.
pub(crate) const RAW_GATHER_SQL: [&str; 11] = [
    "SELECT * FROM people WHERE id = $1::uuid",
    "SELECT * FROM person_keys WHERE person_id = $1::uuid",
    "SELECT * FROM household_members WHERE person_id = $1::uuid",
    "SELECT * FROM contact_log WHERE person_id = $1::uuid",
    "SELECT * FROM filed_records WHERE person_id = $1::uuid",
    "SELECT * FROM filed_record_events WHERE record_id IN (SELECT id FROM filed_records WHERE person_id = $1::uuid)",
    "SELECT * FROM record_media WHERE record_id IN (SELECT id FROM filed_records WHERE person_id = $1::uuid)",
    "SELECT * FROM consents WHERE person_id = $1::uuid",
    "SELECT * FROM rights_requests WHERE person_id = $1::uuid",
    "SELECT e.* FROM audit_event_people p JOIN audit_events e ON e.seq = p.seq WHERE p.person_id = $1::uuid",
    "SELECT * FROM disclosures WHERE person_id = $1::uuid",
];

/// The plain DELETEs of everything an erasure removes for one person (`$1`), children first.
pub(crate) const RAW_ERASE_SQL: [&str; 11] = [
    "DELETE FROM filed_record_events WHERE record_id IN (SELECT id FROM filed_records WHERE person_id = $1::uuid)",
    "DELETE FROM record_media WHERE record_id IN (SELECT id FROM filed_records WHERE person_id = $1::uuid)",
    "DELETE FROM filed_records WHERE person_id = $1::uuid",
    "DELETE FROM contact_log WHERE person_id = $1::uuid",
    "DELETE FROM household_members WHERE person_id = $1::uuid",
    "DELETE FROM consents WHERE person_id = $1::uuid",
    "DELETE FROM person_flags WHERE person_id = $1::uuid",
    "DELETE FROM assignments WHERE person_id = $1::uuid",
    "DELETE FROM people WHERE id = $1::uuid",
    "DELETE FROM person_keys WHERE person_id = $1::uuid",
    // The request it answers is closed, as the erasure closes it.
    "UPDATE rights_requests SET status = 'closed' WHERE person_id = $1::uuid",
];

/// `raw_load_holdings`, `raw_gather_person` and `raw_erase_person` for a store with
/// `bulk_insert` and `sql`.
macro_rules! impl_raw_holdings {
    ($store:ty) => {
        impl $store {
            /// Loads people and their holdings by the bulk insert, in one transaction.
            pub async fn raw_load_holdings(
                &self,
                rows: crate::raw_holdings::RawHoldings,
            ) -> crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::PERSON_KEYS, rows.keys).await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::PEOPLE, rows.people).await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::CONTACTS, rows.contacts).await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::FILED_RECORDS, rows.records).await?;
                Self::bulk_insert(&mut tx, self, &crate::sql::CONSENTS, rows.consents).await?;
                tx.commit().await?;
                Ok(())
            }

            /// Fresh planner statistics after a bulk load, as a table in service has them.
            pub async fn raw_analyze(&self) -> crate::Result<()> {
                sqlx::query("ANALYZE").execute(&self.pool).await?;
                Ok(())
            }

            /// Reads every row held about a person by the plain indexed SELECTs; returns how
            /// many rows.
            pub async fn raw_gather_person(&self, person_id: uuid::Uuid) -> crate::Result<u64> {
                let mut rows = 0;
                for statement in crate::raw_holdings::RAW_GATHER_SQL {
                    let sql = self.sql(statement);
                    rows += sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .fetch_all(&self.pool)
                        .await?
                        .len() as u64;
                }
                Ok(rows)
            }

            /// Deletes every row held about a person by plain DELETEs in one transaction;
            /// returns how many rows.
            pub async fn raw_erase_person(&self, person_id: uuid::Uuid) -> crate::Result<u64> {
                let mut tx = self.pool.begin().await?;
                let mut rows = 0;
                for statement in crate::raw_holdings::RAW_ERASE_SQL {
                    let sql = self.sql(statement);
                    rows += sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                tx.commit().await?;
                Ok(rows)
            }
        }
    };
}
pub(crate) use impl_raw_holdings;
