//! Deterministic synthetic council data: the same seed always gives the same households,
//! people, properties, tenancies and contacts. Loaded through the CSV importers, so demo data
//! passes every validation real data does.

mod generate;
mod names;

pub use generate::{DemoCsv, write_demo_csv};

use crate::access::{BulkDecisions, Caller, Guarded};
use crate::import::{ImportKind, ImportOptions, ImportProgress};
use crate::{Hearth, Result, ServiceError};
use hearth_core::records::{ContactEntry, ContactEntryFields};
use hearth_store::RefKind;

/// What a demo load added.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    pub properties: u64,
    pub people: u64,
    pub tenancies: u64,
    pub contacts: u64,
}

impl Hearth {
    /// Generates `people` synthetic residents from `seed` and loads them. Running it again with
    /// the same seed adds nothing.
    pub async fn load_demo(
        &self,
        people: u64,
        seed: u64,
        progress: &dyn ImportProgress,
    ) -> Result<DemoReport> {
        let dir = tempfile::tempdir().map_err(|e| {
            ServiceError::Store(hearth_store::StoreError::Config(format!(
                "temporary directory: {e}"
            )))
        })?;
        let csv = write_demo_csv(dir.path(), people, seed, self.today()).map_err(|e| {
            ServiceError::Store(hearth_store::StoreError::Config(format!(
                "writing demo files: {e}"
            )))
        })?;
        let mut report = DemoReport::default();
        for (kind, path, count) in [
            (
                ImportKind::Properties,
                &csv.properties,
                &mut report.properties,
            ),
            (ImportKind::People, &csv.people, &mut report.people),
            (ImportKind::Tenancies, &csv.tenancies, &mut report.tenancies),
        ] {
            let file = std::fs::File::open(path).map_err(|e| {
                ServiceError::Store(hearth_store::StoreError::Config(format!("{e}")))
            })?;
            let options = ImportOptions {
                skip_invalid: false,
                source_name: "demo".into(),
            };
            let caller = Caller::system("demo").for_purpose(kind.default_purpose());
            let imported = self
                .import_csv(
                    &caller,
                    kind,
                    std::io::BufReader::new(file),
                    &options,
                    progress,
                )
                .await?;
            if let Some(first) = imported.errors.first() {
                return Err(ServiceError::Conflict(format!(
                    "demo data failed its own validation: {first}"
                )));
            }
            *count = imported.imported;
        }
        if report.people > 0 {
            report.contacts = self.insert_demo_contacts(&csv.contacts).await?;
        }
        Ok(report)
    }

    async fn insert_demo_contacts(&self, contacts: &[(String, ContactEntryFields)]) -> Result<u64> {
        let mut decided = BulkDecisions::default();
        let mut session = self.store.begin_import().await?;
        match self
            .load_demo_contacts(contacts, session.as_mut(), &mut decided)
            .await
        {
            Ok(inserted) => {
                session.commit().await?;
                Ok(inserted)
            }
            Err(error) => Err(self.abandon_bulk(session, &mut decided, error).await),
        }
    }

    async fn load_demo_contacts(
        &self,
        contacts: &[(String, ContactEntryFields)],
        session: &mut dyn hearth_store::ImportSession,
        decided: &mut BulkDecisions,
    ) -> Result<u64> {
        let caller = Caller::system("demo").for_purpose("customer_contact");
        let now = self.now();
        let mut inserted = 0;
        for chunk in contacts.chunks(2_000) {
            let refs: Vec<String> = chunk.iter().map(|(r, _)| r.clone()).collect();
            let ids = session.existing_refs(RefKind::Person, &refs).await?;
            let entries: Vec<ContactEntry> = chunk
                .iter()
                .filter_map(|(person_ref, fields)| {
                    let person_id = *ids.get(person_ref)?;
                    Some(ContactEntry {
                        id: uuid::Uuid::now_v7(),
                        fields: ContactEntryFields {
                            person_id,
                            ..fields.clone()
                        },
                        created_at: now,
                        updated_at: now,
                        version: 1,
                    })
                })
                .collect();
            let writes: Vec<_> = entries
                .iter()
                .map(|e| {
                    let groups = ContactEntry::GROUPS
                        .iter()
                        .map(|g| (ContactEntry::RECORD_TYPE, g))
                        .collect();
                    (groups, e.subject())
                })
                .collect();
            let event = self
                .admit_bulk(&caller, "contact.import", &writes, decided)
                .await?;
            session.append_audit(std::slice::from_ref(&event)).await?;
            inserted += entries.len() as u64;
            session.insert_contacts(&entries).await?;
        }
        Ok(inserted)
    }
}
