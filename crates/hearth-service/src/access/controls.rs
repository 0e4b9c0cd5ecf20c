//! The controls on a person that the policy reads: consent per purpose (with the words shown),
//! restriction (Art 18), objection (Art 21) and the staff assigned to their jobs and cases.
//! Each change is decided by the policy and committed with its audit event.

use super::Caller;
use crate::{Hearth, Result, ServiceError};
use hearth_core::access::{ConsentRecord, PersonControls};
use hearth_core::actor::Actor;
use hearth_policy::AdminAction;
use uuid::Uuid;

/// A grant or withdrawal of consent as recorded: the purpose, and the words the person saw.
#[derive(Debug, Clone)]
pub struct ConsentInput {
    pub purpose: String,
    pub granted: bool,
    /// Explicit consent to special category data (Art 9(2)(a)), recorded apart from consent
    /// to the processing.
    pub special_category: bool,
    pub wording: String,
    pub wording_version: String,
    /// How the person told us. Required when a member of staff records a grant or withdrawal
    /// for the person (a withdrawal that leaves data held on that consent alone also logs a
    /// consent withdrawal request with this channel); a resident's own is made online.
    pub channel: Option<hearth_core::rights::Channel>,
    /// Who said it, the person or their representative: required from staff.
    pub given_by: Option<hearth_core::access::ConsentGiver>,
    /// When they said it (not in the future): required from staff.
    pub given_at: Option<jiff::Timestamp>,
}

/// A consent decision as recorded, and the consent withdrawal request it logged, when
/// withdrawing left data held on that consent alone (scheduled for erasure by that request).
#[derive(Debug, Clone)]
pub struct ConsentRecorded {
    pub consent: ConsentRecord,
    pub erasure_request: Option<Uuid>,
}

/// Which Art 18 / Art 21 control is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Restriction,
    Objection,
}

impl Control {
    fn event(self, on: bool) -> &'static str {
        match (self, on) {
            (Self::Restriction, true) => "rights.restricted",
            (Self::Restriction, false) => "rights.restriction_lifted",
            (Self::Objection, true) => "rights.objection_recorded",
            (Self::Objection, false) => "rights.objection_closed",
        }
    }
}

impl Hearth {
    /// True when the caller is the resident this person record belongs to.
    pub(crate) fn is_the_person(caller: &Caller, person_id: Uuid) -> bool {
        matches!(caller.actor(), Actor::Resident(id) if *id == person_id.to_string())
    }

    /// Refuses a resident acting on someone else's record; the refusal is audited.
    pub(crate) async fn refuse_other_resident(
        &self,
        caller: &Caller,
        person_id: Uuid,
    ) -> Result<()> {
        if matches!(caller.actor(), Actor::Resident(_)) && !Self::is_the_person(caller, person_id) {
            let mut event = self.event(caller, "rights.other_person".to_string());
            event.person_ids = vec![person_id];
            event.decision = "denied".to_string();
            event.reason = Some("a resident acts only on their own record".to_string());
            self.store.append_audit_events(&[event]).await?;
            return Err(ServiceError::Forbidden(
                "a resident acts only on their own record".to_string(),
            ));
        }
        Ok(())
    }

    pub(crate) async fn require_person(&self, person_id: Uuid) -> Result<()> {
        match self.store.get_person(person_id).await? {
            Some(_) => Ok(()),
            None => Err(ServiceError::NotFound("person")),
        }
    }

    /// Records a grant or withdrawal. A withdrawal takes effect at once: the next decision
    /// about this person under that purpose is refused.
    pub async fn record_consent(
        &self,
        caller: &Caller,
        person_id: Uuid,
        input: &ConsentInput,
    ) -> Result<ConsentRecorded> {
        self.refuse_other_resident(caller, person_id).await?;
        self.require_admin(caller, AdminAction::RecordConsent)
            .await?;
        let mut errors = hearth_core::FieldErrors::new();
        match self.register.purpose(&input.purpose) {
            None => errors.add(
                "purpose",
                format!("unknown purpose '{}': it is not in the register", input.purpose),
            ),
            Some(p) if !p.relies_on_consent() => errors.add(
                "purpose",
                format!(
                    "'{}' does not rest on consent (Art 6(1)(a) or 9(2)(a)), so consent is not asked for it",
                    input.purpose
                ),
            ),
            Some(p)
                if input.special_category
                    && !p.special_condition.contains(&hearth_core::register::Art9Condition::A) =>
            {
                errors.add(
                    "special_category",
                    format!(
                        "'{}' does not rest on explicit consent to special category data (Art 9(2)(a))",
                        input.purpose
                    ),
                )
            }
            Some(_) => {}
        }
        if input.wording.trim().is_empty() {
            errors.add(
                "wording",
                "is required: the words the person was shown or read",
            );
        }
        if input.wording_version.trim().is_empty() {
            errors.add(
                "wording_version",
                "is required: which version of the wording",
            );
        }
        // A consent recorded by staff is only as good as its evidence: how it reached them, who
        // said it and when. Staff cannot record one without saying so, and the person sees it.
        let (channel, evidence) = if Self::is_the_person(caller, person_id) {
            (hearth_core::rights::Channel::Web, None)
        } else {
            let now = self.now();
            if input.channel.is_none() {
                errors.add(
                    "channel",
                    "say how the person told you (letter, phone, email, web or in_person)",
                );
            }
            if input.given_by.is_none() {
                errors.add("given_by", "say who told you: the_person or representative");
            }
            match input.given_at {
                None => errors.add("given_at", "say when they told you"),
                Some(at) if at > now => errors.add("given_at", "is in the future"),
                Some(_) => {}
            }
            let channel = input.channel.unwrap_or(hearth_core::rights::Channel::Web);
            let evidence = match (input.channel, input.given_by, input.given_at) {
                (Some(channel), Some(given_by), Some(given_at)) => {
                    Some(hearth_core::access::ConsentEvidence {
                        channel,
                        given_by,
                        given_at,
                    })
                }
                _ => None,
            };
            (channel, evidence)
        };
        errors.finish(()).map_err(ServiceError::Invalid)?;
        self.require_person(person_id).await?;
        let consent = ConsentRecord {
            id: Uuid::now_v7(),
            person_id,
            purpose: input.purpose.clone(),
            granted: input.granted,
            special_category: input.special_category,
            wording: input.wording.trim().to_string(),
            wording_version: input.wording_version.trim().to_string(),
            recorded_by: caller.actor().to_string(),
            at: self.now(),
            evidence,
        };
        let action = if consent.granted {
            "consent.granted"
        } else {
            "consent.withdrawn"
        };
        let mut event = self.event(caller, action.to_string());
        event.person_ids = vec![person_id];
        event.record_ids = vec![consent.id.to_string()];
        event.fields = vec![format!("consent:{}", consent.purpose)];
        if consent.granted {
            self.store.insert_consent(&consent, &event).await?;
            return Ok(ConsentRecorded {
                consent,
                erasure_request: None,
            });
        }
        let erasure_request = self
            .record_withdrawal(caller, &consent, event, channel)
            .await?;
        // Withdrawing consent to a video purpose ends any call in progress for it.
        self.end_calls_on_withdrawal(caller, person_id, std::slice::from_ref(&consent.purpose))
            .await?;
        Ok(ConsentRecorded {
            consent,
            erasure_request,
        })
    }

    /// Every grant and withdrawal for a person, oldest first; the latest per purpose is in force.
    pub async fn consent_history(
        &self,
        caller: &Caller,
        person_id: Uuid,
    ) -> Result<Vec<ConsentRecord>> {
        self.refuse_other_resident(caller, person_id).await?;
        if !Self::is_the_person(caller, person_id) {
            self.require_admin(caller, AdminAction::RecordConsent)
                .await?;
        }
        self.require_person(person_id).await?;
        let history = self.store.consent_history(person_id).await?;
        let mut event = self.event(caller, "consent.history_read".to_string());
        event.person_ids = vec![person_id];
        event.fields = vec!["consents".to_string()];
        self.store.append_audit_events(&[event]).await?;
        Ok(history)
    }

    /// Sets or lifts a restriction or an objection. The reason is kept in the audit log: for
    /// a restriction, why (accuracy contested, unlawful, needed for a claim, objection pending);
    /// for closing an objection, the compelling grounds. Lifting a restriction needs the day
    /// the person was told, which cannot be after today (Art 18(3): told before it is lifted).
    pub async fn set_control(
        &self,
        caller: &Caller,
        person_id: Uuid,
        control: Control,
        on: bool,
        reason: &str,
        told_on: Option<jiff::civil::Date>,
    ) -> Result<PersonControls> {
        self.require_admin(caller, AdminAction::ManageRights)
            .await?;
        if control == Control::Objection && !on {
            // Processing resumes over an objection only on compelling grounds the data
            // protection officer records (Art 21(1)).
            self.require_admin(caller, AdminAction::ApproveRightsResponses)
                .await?;
        }
        let mut errors = hearth_core::FieldErrors::new();
        if reason.trim().is_empty() {
            errors.add(
                "reason",
                "is required: say why (for closing an objection, the compelling grounds)",
            );
        }
        let lifting_restriction = control == Control::Restriction && !on;
        match told_on {
            None if lifting_restriction => errors.add(
                "told_on",
                "give the day the person was told: a restriction is lifted only after telling them (Art 18(3))",
            ),
            Some(day) if day > self.today() => errors.add(
                "told_on",
                "cannot be in the future: tell the person first, then lift the restriction",
            ),
            _ => {}
        }
        errors.finish(()).map_err(ServiceError::Invalid)?;
        self.require_person(person_id).await?;
        let mut controls = self
            .store
            .person_controls(&[person_id])
            .await?
            .remove(&person_id)
            .unwrap_or_default();
        match control {
            Control::Restriction => controls.restricted = on,
            Control::Objection => controls.objected = on,
        }
        let mut event = self.event(caller, control.event(on).to_string());
        event.person_ids = vec![person_id];
        event.fields = vec!["restricted".to_string(), "objected".to_string()];
        event.reason = Some(match told_on {
            Some(day) => format!("{}; the person was told on {day}", reason.trim()),
            None => reason.trim().to_string(),
        });
        self.store
            .set_person_flags(
                person_id,
                controls.restricted,
                controls.objected,
                self.now(),
                &event,
            )
            .await?;
        Ok(controls)
    }

    /// Assigns a member of staff to work for a person: an operative sees an assigned person's
    /// name, contact details and property, and nobody else's.
    pub async fn assign_staff(
        &self,
        caller: &Caller,
        person_id: Uuid,
        staff_id: Uuid,
        reason: &str,
    ) -> Result<()> {
        self.require_admin(caller, AdminAction::AssignWork).await?;
        if reason.trim().is_empty() {
            return Err(ServiceError::field(
                "reason",
                "is required: the job or case the assignment is for",
            ));
        }
        self.require_person(person_id).await?;
        if self.store.get_staff(staff_id).await?.is_none() {
            return Err(ServiceError::NotFound("staff account"));
        }
        let mut event = self.event(caller, "work.assigned".to_string());
        event.person_ids = vec![person_id];
        event.record_ids = vec![staff_id.to_string()];
        event.reason = Some(reason.trim().to_string());
        self.store
            .insert_assignment(person_id, staff_id, reason.trim(), self.now(), &event)
            .await?;
        Ok(())
    }

    /// The controls on a person now, for screens and rights-request handling.
    pub async fn person_controls(
        &self,
        caller: &Caller,
        person_id: Uuid,
    ) -> Result<PersonControls> {
        self.refuse_other_resident(caller, person_id).await?;
        if !Self::is_the_person(caller, person_id) {
            self.require_admin(caller, AdminAction::ManageRights)
                .await?;
        }
        self.require_person(person_id).await?;
        Ok(self
            .store
            .person_controls(&[person_id])
            .await?
            .remove(&person_id)
            .unwrap_or_default())
    }
}
