//! Filing records of the register's record types that have no table of their own, and their
//! media: each through the gate, as a whole record described by its type's data categories.

use super::MediaStore;
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::records::{FiledRecord, FiledRecordInput, MediaObject};
use hearth_policy::{RecordAction, RecordView, RelatedControls};
use uuid::Uuid;

/// The largest media object accepted in one upload.
pub const MAX_MEDIA_BYTES: usize = 50 * 1024 * 1024;

impl Hearth {
    pub(crate) fn media(&self) -> Result<&MediaStore> {
        self.media
            .as_ref()
            .ok_or_else(|| ServiceError::Storage("no media storage is configured".into()))
    }

    /// Asks the gate about one filed record for the caller's purpose; audits the decision.
    async fn admit_filed(
        &self,
        caller: &Caller,
        action: RecordAction,
        record: &FiledRecord,
        verb: &str,
    ) -> Result<hearth_core::audit::AuditEvent> {
        self.admit_filed_as(caller, action, record, None, format!("filed_record.{verb}"))
            .await
    }

    /// As [`Self::admit_filed`], for a view of the record: a field group with the data
    /// categories it shows (an operative's job sheet shows name, contact and property only).
    pub(crate) async fn admit_filed_as(
        &self,
        caller: &Caller,
        action: RecordAction,
        record: &FiledRecord,
        view_of: Option<(&str, Vec<String>)>,
        audit_action: String,
    ) -> Result<hearth_core::audit::AuditEvent> {
        let purpose = self.purpose_of(caller)?.to_string();
        let record_type = self
            .register
            .record_type(&record.fields.record_type)
            .ok_or_else(|| {
                ServiceError::field("record_type", "is not a record type in the register")
            })?;
        let subject = match record.fields.person_id {
            Some(id) => {
                let controls = self.store.person_controls(&[id]).await?;
                let c = controls.get(&id).cloned().unwrap_or_default();
                Some(crate::access::subject_controls(id, c))
            }
            None => None,
        };
        let (field_group, categories) = view_of
            .map(|(group, categories)| (group.to_string(), categories))
            .unwrap_or_else(|| ("record".into(), record_type.data_categories.clone()));
        let view = RecordView {
            record_type: record_type.id.clone(),
            record_id: record.id.to_string(),
            field_group: field_group.clone(),
            categories,
            subject,
            related: RelatedControls::default(),
        };
        let decision = self
            .gate
            .decide_record(caller.principal(), action, &purpose, &view)
            .map_err(|e| ServiceError::Policy(e.to_string()))?;
        let mut event = self.event(caller, audit_action);
        event.record_type = Some(record_type.id.clone());
        event.record_ids = vec![record.id.to_string()];
        event.person_ids = record.fields.person_id.into_iter().collect();
        if !decision.allowed {
            event.decision = "denied".into();
            event.reason = Some(decision.explain());
            self.store.append_audit_events(&[event]).await?;
            return Err(ServiceError::Forbidden(decision.explain()));
        }
        event.fields = vec![field_group];
        Ok(event)
    }

    /// Files a record under a register record type.
    pub async fn file_record(
        &self,
        caller: &Caller,
        input: &FiledRecordInput,
    ) -> Result<FiledRecord> {
        let fields = input.validate()?;
        let record_type = self
            .register
            .record_type(&fields.record_type)
            .ok_or_else(|| {
                ServiceError::field(
                    "record_type",
                    format!(
                        "'{}' is not a record type in the register",
                        fields.record_type
                    ),
                )
            })?;
        if hearth_store::RecordTable::of(&record_type.id) != hearth_store::RecordTable::Filed {
            return Err(ServiceError::field(
                "record_type",
                format!(
                    "{} records are kept through their own API",
                    record_type.name
                ),
            ));
        }
        if let Some(person) = fields.person_id
            && self.store.get_person(person).await?.is_none()
        {
            return Err(ServiceError::field("person_id", "no such person"));
        }
        if let Some(tenancy) = fields.tenancy_id
            && self.store.get_tenancy(tenancy).await?.is_none()
        {
            return Err(ServiceError::field("tenancy_id", "no such tenancy"));
        }
        let now = self.now();
        let record = FiledRecord {
            id: Uuid::now_v7(),
            fields,
            created_at: now,
            last_activity_at: now,
            closed_at: None,
            anonymised_at: None,
            version: 1,
        };
        let event = self
            .admit_filed(caller, RecordAction::Create, &record, "create")
            .await?;
        self.store.insert_filed_record(&record, &event).await?;
        Ok(record)
    }

    /// Reads a filed record.
    pub async fn get_filed_record(&self, caller: &Caller, id: Uuid) -> Result<FiledRecord> {
        let record = self
            .store
            .get_filed_record(id)
            .await?
            .ok_or(ServiceError::NotFound("filed record"))?;
        let event = self
            .admit_filed(caller, RecordAction::Read, &record, "read")
            .await?;
        self.store.append_audit_events(&[event]).await?;
        Ok(record)
    }

    /// Records work on a filed record (its last activity), and optionally closes its case.
    pub async fn touch_filed_record(
        &self,
        caller: &Caller,
        id: Uuid,
        close: bool,
        expected_version: i64,
    ) -> Result<FiledRecord> {
        let mut record = self
            .store
            .get_filed_record(id)
            .await?
            .ok_or(ServiceError::NotFound("filed record"))?;
        if record.anonymised_at.is_some() {
            return Err(ServiceError::Conflict("the record was anonymised".into()));
        }
        let event = self
            .admit_filed(caller, RecordAction::Update, &record, "update")
            .await?;
        let now = self.now();
        record.last_activity_at = now;
        if close && record.closed_at.is_none() {
            record.closed_at = Some(now);
        }
        self.store
            .update_filed_record(&record, expected_version, &event)
            .await?;
        record.version = expected_version + 1;
        Ok(record)
    }

    /// Stores a media object for a filed record: sealed under the person's key when the record
    /// is about a person.
    pub async fn attach_media(
        &self,
        caller: &Caller,
        record_id: Uuid,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<MediaObject> {
        if bytes.is_empty() || bytes.len() > MAX_MEDIA_BYTES {
            return Err(ServiceError::field(
                "body",
                format!("a media object is 1 byte to {MAX_MEDIA_BYTES} bytes"),
            ));
        }
        let content_type = content_type.trim();
        if content_type.is_empty() || content_type.len() > 100 || !content_type.contains('/') {
            return Err(ServiceError::field(
                "content_type",
                "a media type such as image/jpeg",
            ));
        }
        let record = self
            .store
            .get_filed_record(record_id)
            .await?
            .ok_or(ServiceError::NotFound("filed record"))?;
        let mut event = self
            .admit_filed(caller, RecordAction::Update, &record, "media_attach")
            .await?;
        let id = Uuid::now_v7();
        let object_key = format!("records/{record_id}/{id}");
        let sha256 = crate::sha256_hex(&bytes);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let stored = match record.fields.person_id {
            Some(person) => self.store.seal_media(person, &object_key, &bytes).await?,
            None => bytes,
        };
        self.media()?
            .put(&object_key, stored)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        let media = MediaObject {
            id,
            record_id,
            object_key,
            content_type: content_type.to_string(),
            size,
            sha256,
            created_at: self.now(),
        };
        event.fields = vec!["media".into()];
        if let Err(e) = self.store.insert_media(&media, &event).await {
            // Not linked to anything: remove it again rather than leave an orphan.
            let _ = self.media()?.remove(&media.object_key).await;
            return Err(e.into());
        }
        Ok(media)
    }

    /// The media objects of a filed record (their descriptions, not their content).
    pub async fn media_of(&self, caller: &Caller, record_id: Uuid) -> Result<Vec<MediaObject>> {
        let record = self
            .store
            .get_filed_record(record_id)
            .await?
            .ok_or(ServiceError::NotFound("filed record"))?;
        let event = self
            .admit_filed(caller, RecordAction::Read, &record, "media_list")
            .await?;
        self.store.append_audit_events(&[event]).await?;
        Ok(self.store.media_of(record_id).await?)
    }

    /// One media object's content, opened; the viewing is audited.
    pub async fn read_media(
        &self,
        caller: &Caller,
        record_id: Uuid,
        media_id: Uuid,
    ) -> Result<(MediaObject, Vec<u8>)> {
        let record = self
            .store
            .get_filed_record(record_id)
            .await?
            .ok_or(ServiceError::NotFound("filed record"))?;
        let media = self
            .store
            .media_of(record_id)
            .await?
            .into_iter()
            .find(|m| m.id == media_id)
            .ok_or(ServiceError::NotFound("media object"))?;
        let mut event = self
            .admit_filed(caller, RecordAction::Read, &record, "media_view")
            .await?;
        event.record_ids.push(media.id.to_string());
        let stored = self
            .media()?
            .get(&media.object_key)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))?;
        let bytes = match record.fields.person_id {
            Some(person) => {
                self.store
                    .open_media(person, &media.object_key, &stored)
                    .await?
            }
            None => stored,
        };
        self.store.append_audit_events(&[event]).await?;
        Ok((media, bytes))
    }

    /// Whether a media object is still in object storage (for checks after disposal).
    pub async fn media_object_exists(&self, object_key: &str) -> Result<bool> {
        self.media()?
            .exists(object_key)
            .await
            .map_err(|e| ServiceError::Storage(e.to_string()))
    }
}
