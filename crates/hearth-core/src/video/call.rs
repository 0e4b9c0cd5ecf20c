//! A video call's life: offered (a link sent), accepted or declined, live, ended. A call ends
//! when the engineer hangs up, when the resident withdraws consent, or when its link expires.

use crate::records::text_enum;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// The link has been sent; the resident has not answered.
    Offered,
    /// The resident agreed to both questions and holds a call session.
    Accepted,
    /// The resident said no to either question: a home visit is booked instead.
    Declined,
    Live,
    Ended,
}
text_enum!(CallStatus {
    Offered => "offered", Accepted => "accepted", Declined => "declined", Live => "live", Ended => "ended",
});

impl CallStatus {
    /// Declined and ended calls are over.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Declined | Self::Ended)
    }
}

/// Why a call is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallEnd {
    /// The engineer ended it.
    Completed,
    /// The resident withdrew consent: the call stopped at once.
    ConsentWithdrawn,
    /// The resident said no; a visit was booked.
    Declined,
    /// The link was not used in time.
    Expired,
    /// Staff withdrew the offer (the repair was cancelled or completed otherwise).
    Cancelled,
}
text_enum!(CallEnd {
    Completed => "completed", ConsentWithdrawn => "consent_withdrawn", Declined => "declined",
    Expired => "expired", Cancelled => "cancelled",
});

/// How the link reaches the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InviteChannel {
    Email,
    Sms,
}
text_enum!(InviteChannel { Email => "email", Sms => "sms" });

/// A video call about a repair. The link's secret is never part of it: only its hash is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VideoCall {
    pub id: Uuid,
    pub repair_id: Uuid,
    pub person_id: Uuid,
    /// The register purpose the call is for (`repairs_video_triage`, ...).
    pub purpose: String,
    pub channel: InviteChannel,
    pub status: CallStatus,
    pub end_reason: Option<CallEnd>,
    /// The version of the consent wording the resident was shown.
    pub wording_version: String,
    pub offered_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub offered_at: Timestamp,
    /// After this the link no longer opens.
    #[schema(value_type = String, format = DateTime)]
    pub invite_expires_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<Timestamp>,
    /// When the link was used to join: it opens once.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub link_used_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<Timestamp>,
    /// The message that carried the link.
    pub notification_id: Option<Uuid>,
    /// The home visit booked when the resident declined.
    pub visit_id: Option<Uuid>,
    pub version: i64,
}

impl VideoCall {
    /// Ends the call (if it is not over already) for this reason.
    pub fn end(&mut self, reason: CallEnd, at: Timestamp) {
        if self.status.is_over() {
            return;
        }
        self.status = if reason == CallEnd::Declined {
            CallStatus::Declined
        } else {
            CallStatus::Ended
        };
        self.end_reason = Some(reason);
        self.ended_at = Some(at);
    }

    /// Whether the link still opens at `now`: not used, not expired, the call not over or live.
    pub fn invite_open(&self, now: Timestamp) -> bool {
        matches!(self.status, CallStatus::Offered | CallStatus::Accepted)
            && self.link_used_at.is_none()
            && now < self.invite_expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> VideoCall {
        let at = Timestamp::from_second(1_800_000_000).unwrap_or_else(|e| panic!("{e}"));
        VideoCall {
            id: Uuid::now_v7(),
            repair_id: Uuid::now_v7(),
            person_id: Uuid::now_v7(),
            purpose: "repairs_video_triage".into(),
            channel: InviteChannel::Sms,
            status: CallStatus::Offered,
            end_reason: None,
            wording_version: "total-assist-000000000000".into(),
            offered_by: "staff:x".into(),
            offered_at: at,
            invite_expires_at: at + jiff::SignedDuration::from_hours(24),
            answered_at: None,
            link_used_at: None,
            started_at: None,
            ended_at: None,
            notification_id: None,
            visit_id: None,
            version: 1,
        }
    }

    #[test]
    fn a_call_ends_once_and_keeps_its_first_reason() {
        let mut c = call();
        let at = c.offered_at;
        assert!(c.invite_open(at));
        assert!(!c.invite_open(c.invite_expires_at));
        c.end(CallEnd::Declined, at);
        assert_eq!(c.status, CallStatus::Declined);
        c.end(CallEnd::ConsentWithdrawn, at);
        assert_eq!(c.end_reason, Some(CallEnd::Declined));
        assert!(!c.invite_open(at));
        let mut live = call();
        live.status = CallStatus::Live;
        live.end(CallEnd::ConsentWithdrawn, at);
        assert_eq!(
            (live.status, live.end_reason),
            (CallStatus::Ended, Some(CallEnd::ConsentWithdrawn))
        );
    }
}
