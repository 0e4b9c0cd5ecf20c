//! The contact log: each contact with a person, by which channel, when, with whom, and why.

use super::ContactChannel;
use crate::FieldErrors;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactEntryInput {
    pub person_id: Uuid,
    /// `phone`, `email`, `webchat`, `face_to_face`, `letter` or `website`.
    pub channel: String,
    /// RFC 3339 time of the contact, such as `2026-11-20T09:30:00Z`; defaults to now.
    pub occurred_at: Option<String>,
    /// The staff member's user id (never their name in logs).
    pub staff_member: String,
    /// Why the person got in touch, or why we contacted them.
    pub reason: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactEntryFields {
    pub person_id: Uuid,
    pub channel: ContactChannel,
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: Timestamp,
    pub staff_member: String,
    pub reason: String,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactEntry {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: ContactEntryFields,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    pub version: i64,
}

impl ContactEntryInput {
    /// Validates against `now`: a contact cannot be logged in the future.
    pub fn validate(&self, now: Timestamp) -> Result<ContactEntryFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let channel = errors.check("channel", self.channel.parse::<ContactChannel>());
        let occurred_at = match self
            .occurred_at
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(now),
            Some(raw) => errors.check(
                "occurred_at",
                raw.parse::<Timestamp>()
                    .map(crate::clock::stored_precision)
                    .map_err(|_| {
                        format!(
                            "'{raw}' is not a time: expected RFC 3339 like 2026-11-20T09:30:00Z"
                        )
                    }),
            ),
        };
        if occurred_at.is_some_and(|t| t > now) {
            errors.add("occurred_at", "cannot be in the future");
        }
        let staff_member = errors.required_text("staff_member", &self.staff_member, 64);
        let reason = errors.required_text("reason", &self.reason, 200);
        let summary = errors.optional_text("summary", self.summary.as_deref(), 4000);
        match (channel, occurred_at) {
            (Some(channel), Some(occurred_at)) if errors.is_empty() => Ok(ContactEntryFields {
                person_id: self.person_id,
                channel,
                occurred_at,
                staff_member,
                reason,
                summary,
            }),
            _ => Err(errors),
        }
    }
}
