//! Recording disclosures outside the council, through the gate (the `disclose` action on the
//! person's record, for the purpose it served), and reading a person's disclosures: for the
//! access response, and to know whom to tell after a correction or an erasure (Art 19).

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::rights::{Disclosure, NewDisclosure};
use hearth_policy::{AdminAction, RecordAction};
use std::collections::BTreeSet;
use uuid::Uuid;

impl Hearth {
    /// Records a disclosure of a person's data. The policy decides whether the caller may
    /// disclose this person's record for their purpose; the recipient must be one the register
    /// names for that purpose.
    pub async fn record_disclosure(
        &self,
        caller: &Caller,
        input: &NewDisclosure,
    ) -> Result<Disclosure> {
        let purpose = self.purpose_of(caller)?.to_string();
        input.validate(&self.register, &purpose, self.today())?;
        let person = self
            .store
            .get_person(input.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let mut admission = self
            .admit(caller, RecordAction::Disclose, vec![person])
            .await?;
        let disclosure = Disclosure {
            id: Uuid::now_v7(),
            person_id: input.person_id,
            recipient: input.recipient.clone(),
            purpose,
            record_type: input.record_type.clone(),
            record_id: input.record_id,
            disclosed_on: input.disclosed_on,
            what: Some(input.what.trim().to_string()),
            reason: Some(input.reason.trim().to_string()),
            recorded_by: caller.actor().to_string(),
            recorded_at: self.now(),
        };
        admission.event.record_ids.push(disclosure.id.to_string());
        admission.event.reason = Some(format!("to {}", disclosure.recipient));
        self.store
            .insert_disclosure(&disclosure, &admission.event)
            .await?;
        tracing::info!(disclosure = %disclosure.id, recipient = %disclosure.recipient, "disclosure recorded");
        Ok(disclosure)
    }

    /// A person's disclosures, oldest first. For those who work rights requests; audited.
    pub async fn disclosures(&self, caller: &Caller, person_id: Uuid) -> Result<Vec<Disclosure>> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let found = self.store.disclosures_of(person_id).await?;
        let mut event = self.event(caller, "rights.disclosures_read".into());
        event.person_ids = vec![person_id];
        event.record_type = Some("person_record".into());
        self.store.append_audit_events(&[event]).await?;
        Ok(found)
    }

    /// The names of the recipients of disclosures that match, for a letter.
    pub(crate) fn recipient_names<'a>(
        &self,
        disclosures: impl Iterator<Item = &'a Disclosure>,
    ) -> Vec<String> {
        disclosures
            .map(|d| {
                self.register
                    .recipient(&d.recipient)
                    .map_or(d.recipient.clone(), |r| r.name.clone())
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}
