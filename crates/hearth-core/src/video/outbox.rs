//! A message waiting in the notification outbox, and where its delivery stands. The outbox is
//! kept in the database so that messages survive a restart; the recipient and the
//! personalisation are personal data, sealed under the person's key when stored.

use crate::records::text_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Queued,
    /// Taken by a dispatcher, until its lease ends.
    Sending,
    /// Accepted by the provider (Notify or the SMTP relay).
    Sent,
    /// The provider reports it delivered.
    Delivered,
    /// Given up: a permanent failure, too many attempts, or the person's data was erased.
    Failed,
}
text_enum!(DeliveryState {
    Queued => "queued", Sending => "sending", Sent => "sent", Delivered => "delivered", Failed => "failed",
});

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OutboxMessage {
    /// Also the reference given to the provider: it says nothing about the person.
    pub id: Uuid,
    pub person_id: Uuid,
    /// email or sms.
    pub channel: super::InviteChannel,
    /// A template Hearth knows (`video_call_link`, `repair_satisfaction`).
    pub template: String,
    #[serde(skip)]
    pub recipient: String,
    #[serde(skip)]
    pub personalisation: BTreeMap<String, String>,
    pub state: DeliveryState,
    pub attempts: u32,
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: Timestamp,
    /// The provider's id for the message, to ask for its delivery status.
    pub provider_ref: Option<String>,
    /// Why the last attempt failed: from the provider, never the message or the recipient.
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}
