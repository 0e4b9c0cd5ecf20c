//! A safeguarding concern seen on a video call. The notice says a recording that highlights a
//! safeguarding concern may be shared with safeguarding bodies; marking the concern places a
//! legal hold on the recording (so its four-week schedule cannot delete it while the referral
//! is dealt with) and records the disclosure to the named body, together.

use super::RECORDING_TYPE;
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::retention::{HoldScope, LegalHold};
use hearth_core::rights::{Disclosure, NewDisclosure};
use hearth_policy::RecordAction;
use serde::Deserialize;
use uuid::Uuid;

/// The register purpose a safeguarding referral serves, and the recipient it goes to.
pub const SAFEGUARDING_PURPOSE: &str = "safeguarding";
pub const SAFEGUARDING_RECIPIENT: &str = "safeguarding_bodies";

/// How long the hold runs before its owner must review it.
pub const CONCERN_REVIEW_DAYS: i64 = 90;

/// The concern as the engineer or manager records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SafeguardingConcern {
    /// The safeguarding body referred to ("Kirklees Adult Social Care").
    pub body: String,
    /// What was seen and why it is a concern (kept sealed under the resident's key).
    pub concern: String,
}

/// What marking a concern did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ConcernRaised {
    pub hold: LegalHold,
    pub disclosure: Disclosure,
}

impl Hearth {
    /// Marks a safeguarding concern on a filed recording: a legal hold owned by the member of
    /// staff who marks it, and a disclosure of the recording to the safeguarding body.
    pub async fn raise_safeguarding_concern(
        &self,
        caller: &Caller,
        recording_id: Uuid,
        concern: &SafeguardingConcern,
    ) -> Result<ConcernRaised> {
        let Actor::Staff(staff_id) = caller.actor() else {
            return Err(ServiceError::Forbidden(
                "a safeguarding concern is marked by a member of staff".into(),
            ));
        };
        let owner: Uuid = staff_id
            .parse()
            .map_err(|_| ServiceError::Forbidden("not a member of staff".into()))?;
        let body = concern.body.trim();
        if body.len() < 3 || body.len() > 200 {
            return Err(ServiceError::field(
                "body",
                "name the safeguarding body referred to (3-200 characters)",
            ));
        }
        let recording = self
            .store
            .get_recording(recording_id)
            .await?
            .ok_or(ServiceError::NotFound("recording"))?;
        let Some(record_id) = recording.record_id else {
            return Err(ServiceError::Conflict(
                "the recording is not filed yet: stop it first".into(),
            ));
        };
        let record = self
            .store
            .get_filed_record(record_id)
            .await?
            .ok_or(ServiceError::NotFound("recording"))?;
        // Whoever may see the recording for their purpose may raise a concern about it.
        let event = self
            .admit_filed_as(
                caller,
                RecordAction::Read,
                &record,
                None,
                "video.safeguarding_concern".into(),
            )
            .await?;
        let today = self.today();
        let input = NewDisclosure {
            person_id: recording.person_id,
            recipient: SAFEGUARDING_RECIPIENT.into(),
            record_type: Some(RECORDING_TYPE.into()),
            record_id: Some(record_id),
            disclosed_on: today,
            what: format!(
                "The recording of a video call about repair {}, referred to {body}",
                record
                    .fields
                    .case_ref
                    .as_deref()
                    .unwrap_or("(no reference)")
            ),
            reason: concern.concern.trim().to_string(),
        };
        input.validate(&self.register, SAFEGUARDING_PURPOSE, today)?;
        let now = self.now();
        let disclosure = Disclosure {
            id: Uuid::now_v7(),
            person_id: recording.person_id,
            recipient: input.recipient.clone(),
            purpose: SAFEGUARDING_PURPOSE.into(),
            record_type: input.record_type.clone(),
            record_id: input.record_id,
            disclosed_on: today,
            what: Some(input.what.clone()),
            reason: Some(input.reason.clone()),
            recorded_by: caller.actor().to_string(),
            recorded_at: now,
        };
        let hold = LegalHold {
            id: Uuid::now_v7(),
            scope: HoldScope::Record {
                record_type: RECORDING_TYPE.into(),
                record_id,
            },
            reason: format!(
                "Safeguarding concern raised on a video call; referred to {body} (disclosure {})",
                disclosure.id
            ),
            requester: "Safeguarding concern (video call)".into(),
            owner,
            review_on: today
                .checked_add(jiff::Span::new().days(CONCERN_REVIEW_DAYS))
                .map_err(|e| ServiceError::Storage(e.to_string()))?,
            placed_at: now,
            placed_by: caller.actor().to_string(),
            lifted: None,
        };
        let mut concern_event = event;
        concern_event.record_ids.extend([
            recording.id.to_string(),
            hold.id.to_string(),
            disclosure.id.to_string(),
        ]);
        concern_event.reason = Some(format!("to {SAFEGUARDING_RECIPIENT}"));
        self.store
            .raise_concern(&hold, &disclosure, &[concern_event])
            .await?;
        tracing::warn!(recording = %recording.id, hold = %hold.id, disclosure = %disclosure.id, "safeguarding concern raised");
        Ok(ConcernRaised { hold, disclosure })
    }
}
