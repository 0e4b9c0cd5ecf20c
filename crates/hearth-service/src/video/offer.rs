//! Offering a video call: the call is recorded and the message carrying its single-use link is
//! queued, in one transaction.

use super::{INVITE_HOURS, LINK_TEMPLATE};
use crate::access::{random_secret, token_hash};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::video::{CallStatus, DeliveryState, InviteChannel, OutboxMessage, VideoCall};
use hearth_policy::RecordAction;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// What staff choose when offering a call.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VideoOfferInput {
    /// Why the call: `repairs_video_triage`, `repairs_video_advice`,
    /// `repairs_video_establish_repair`, `repairs_video_survey`,
    /// `repairs_video_operative_support` or `repairs_video_assess_work`.
    pub purpose: String,
    /// email or sms: the link goes to the resident's first email address or mobile number.
    pub channel: String,
}

impl Hearth {
    /// Offers a video call on an open repair: the resident gets a link, valid for a day, by
    /// email or text. Refused when the resident's latest answer for that purpose is no (they
    /// declined or withdrew): they can ask for a call, and staff record that consent first.
    pub async fn offer_video_call(
        &self,
        caller: &Caller,
        repair_id: Uuid,
        input: &VideoOfferInput,
    ) -> Result<VideoCall> {
        if matches!(caller.actor(), Actor::Resident(_)) {
            return Err(ServiceError::Forbidden("staff offer video calls".into()));
        }
        let (purpose, wording) = self.video_purpose(&input.purpose)?;
        let channel: InviteChannel = input
            .channel
            .parse()
            .map_err(|e: String| ServiceError::field("channel", e))?;
        let base = self.public_url.clone().ok_or_else(|| {
            ServiceError::Storage(
                "no public_url is configured, so Hearth cannot send links to residents".into(),
            )
        })?;
        let (record, file) = self.load_repair(repair_id).await?;
        let mut event = self
            .admit_repair(caller, RecordAction::Update, &record, "video_offer")
            .await?;
        let repair = &file.repair;
        if repair.status.is_closed() {
            return Err(ServiceError::Conflict(format!(
                "repair {} is {}",
                repair.reference, repair.status
            )));
        }
        let open = self.store.calls_of_repair(repair_id).await?;
        if let Some(call) = open.iter().find(|c| !c.status.is_over()) {
            return Err(ServiceError::Conflict(format!(
                "video call {} on this repair is still {}",
                call.id, call.status
            )));
        }
        let history = self.store.consent_history(repair.person_id).await?;
        // The resident's latest answer for this purpose, to either question.
        let latest = history.iter().rev().find(|c| c.purpose == purpose.id);
        if latest.is_some_and(|c| !c.granted) {
            return Err(ServiceError::Conflict(format!(
                "the resident said no to video calls for this purpose on {}: if they now ask for one, record their consent first",
                hearth_core::retention::uk_date(latest.map(|c| c.at).unwrap_or(repair.reported_at))
            )));
        }
        let person = self
            .store
            .get_person(repair.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let recipient = match channel {
            InviteChannel::Email => person.fields.emails.first().map(|e| e.value.clone()),
            InviteChannel::Sms => person
                .fields
                .phones
                .iter()
                .find(|p| is_mobile(&p.value))
                .map(|p| p.value.clone()),
        }
        .ok_or_else(|| {
            ServiceError::field(
                "channel",
                match channel {
                    InviteChannel::Email => "the resident has no email address on their record",
                    InviteChannel::Sms => "the resident has no mobile number on their record",
                },
            )
        })?;
        let now = self.now();
        let secret = random_secret();
        let expires = now + jiff::SignedDuration::from_hours(INVITE_HOURS);
        let call_id = Uuid::now_v7();
        let message_id = Uuid::now_v7();
        let mut personalisation = BTreeMap::new();
        personalisation.insert(
            "name".into(),
            person
                .fields
                .preferred_name
                .clone()
                .unwrap_or_else(|| person.fields.given_name.clone()),
        );
        personalisation.insert("link".into(), format!("{base}/call/{secret}"));
        personalisation.insert("repair_reference".into(), repair.reference.clone());
        personalisation.insert("expires".into(), uk_time(expires));
        let message = OutboxMessage {
            id: message_id,
            person_id: repair.person_id,
            channel,
            template: LINK_TEMPLATE.into(),
            recipient,
            personalisation,
            state: DeliveryState::Queued,
            attempts: 0,
            next_attempt_at: now,
            provider_ref: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        };
        let call = VideoCall {
            id: call_id,
            repair_id,
            person_id: repair.person_id,
            purpose: purpose.id.clone(),
            channel,
            status: CallStatus::Offered,
            end_reason: None,
            wording_version: wording.version,
            offered_by: caller.actor().to_string(),
            offered_at: now,
            invite_expires_at: expires,
            answered_at: None,
            link_used_at: None,
            started_at: None,
            ended_at: None,
            notification_id: Some(message_id),
            visit_id: None,
            version: 1,
        };
        event.record_ids.push(call_id.to_string());
        event.record_ids.push(message_id.to_string());
        self.store
            .insert_video_call(&call, &token_hash(&secret), &message, &event)
            .await?;
        tracing::info!(call = %call_id, repair = %repair_id, message = %message_id, "video call offered");
        Ok(call)
    }

    /// A repair's video calls, oldest first; the reading is audited with the repair's.
    pub async fn video_calls_of(&self, caller: &Caller, repair_id: Uuid) -> Result<Vec<VideoCall>> {
        let (record, _) = self.load_repair(repair_id).await?;
        let event = self
            .admit_repair(caller, RecordAction::Read, &record, "video_calls")
            .await?;
        self.store.append_audit_events(&[event]).await?;
        Ok(self.store.calls_of_repair(repair_id).await?)
    }
}

/// A UK mobile number as stored (`07...` or `+447...`).
pub(crate) fn is_mobile(number: &str) -> bool {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    digits.starts_with("07") || digits.starts_with("+447")
}

/// Where a message to the person goes on their own record: their first email address, else
/// their first mobile number; `None` when the record holds neither.
pub(crate) fn own_channel(
    person: &hearth_core::records::Person,
) -> Option<(InviteChannel, String)> {
    let f = &person.fields;
    match (
        f.emails.first(),
        f.phones.iter().find(|p| is_mobile(&p.value)),
    ) {
        (Some(email), _) => Some((InviteChannel::Email, email.value.clone())),
        (None, Some(phone)) => Some((InviteChannel::Sms, phone.value.clone())),
        (None, None) => None,
    }
}

/// "14:05 on 24 November 2026", UK time.
pub fn uk_time(at: jiff::Timestamp) -> String {
    let zone = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    at.to_zoned(zone).strftime("%H:%M on %-d %B %Y").to_string()
}
