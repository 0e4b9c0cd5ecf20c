//! Rectification requests (Art 16): the person record corrected in answer to a request, each
//! changed field kept with its previous value, in one transaction with the audit event.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::records::{Person, PersonInput};
use hearth_core::rights::{Correction, RequestKind, changed_fields};
use hearth_policy::AdminAction;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The corrected person record, and the version it corrects.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationInput {
    /// The version of the person record the correction was made against.
    pub version: i64,
    /// The whole record as it should be (as for an update).
    pub person: PersonInput,
}

/// What a rectification changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RectificationDone {
    pub person: Person,
    pub corrections: Vec<Correction>,
    /// Recipients of earlier disclosures of the person record, to tell of the correction
    /// (Art 19).
    pub notify: Vec<String>,
}

impl Hearth {
    /// Corrects the person record of an open rectification request whose clock has started;
    /// each changed field is kept with its previous value. Refused when nothing changes.
    pub async fn rectify(
        &self,
        caller: &Caller,
        request_id: Uuid,
        input: &RectificationInput,
    ) -> Result<RectificationDone> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self
            .open_request_of(request_id, RequestKind::Rectification)
            .await?;
        let current = self
            .store
            .get_person(request.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let fields = input.person.validate(self.today())?;
        let json = |v| serde_json::to_value(v).map_err(|e| ServiceError::Storage(e.to_string()));
        let changed = changed_fields(&json(&current.fields)?, &json(&fields)?);
        if changed.is_empty() {
            return Err(ServiceError::field(
                "person",
                "nothing differs from the record as held: there is nothing to correct",
            ));
        }
        let now = self.now();
        let corrections: Vec<Correction> = changed
            .into_iter()
            .map(|(field, previous, corrected)| Correction {
                id: Uuid::now_v7(),
                request_id,
                person_id: current.id,
                field,
                previous,
                corrected,
                at: now,
                made_by: caller.actor().to_string(),
            })
            .collect();
        let person = Person {
            fields,
            updated_at: now,
            version: input.version + 1,
            ..current
        };
        let mut event = self.event(caller, "rights.rectified".into());
        event.person_ids = vec![person.id];
        event.record_type = Some("person_record".into());
        event.record_ids = vec![person.id.to_string(), request_id.to_string()];
        event.fields = corrections.iter().map(|c| c.field.clone()).collect();
        self.store
            .rectify_person(&person, input.version, &corrections, &event)
            .await?;
        tracing::info!(request = %request_id, fields = corrections.len(), "person record rectified");
        let disclosures = self.store.disclosures_of(person.id).await?;
        let notify = self.recipient_names(disclosures.iter().filter(|d| {
            d.record_type.is_none() || d.record_type.as_deref() == Some("person_record")
        }));
        Ok(RectificationDone {
            person,
            corrections,
            notify,
        })
    }

    /// Every correction made to a person's record, oldest first. Audited.
    pub async fn corrections(&self, caller: &Caller, person_id: Uuid) -> Result<Vec<Correction>> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let corrections = self.store.corrections_of(person_id).await?;
        let mut event = self.event(caller, "rights.corrections_read".into());
        event.person_ids = vec![person_id];
        event.record_type = Some("person_record".into());
        self.store.append_audit_events(&[event]).await?;
        Ok(corrections)
    }
}
