//! Hearth's message transports for the notification outbox: GOV.UK Notify's REST API (a JWT
//! from the API key, templates with personalisation, the outbox id as the reference, so no
//! personal data) and SMTP through a council relay. Each send says whether a failure is worth
//! retrying; the outbox (in the store) keeps messages across restarts and retries with
//! [`backoff`]. Errors and logs never carry a recipient or a message's content.

mod backoff;
mod notify;
mod smtp;
mod template;

pub use backoff::{MAX_ATTEMPTS, backoff, next_attempt_at};
pub use notify::{ApiKey, NOTIFY_API, NotifyClient, NotifyConfig};
pub use smtp::{SmtpConfig, SmtpSecurity, SmtpTransport};
pub use template::{Rendered, Template, TemplateError, builtin_email_template};

use hearth_core::video::OutboxMessage;
use jiff::Timestamp;

/// A provider's word on a message after it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Still on its way (Notify: created, sending, pending, sent to an international number).
    Sending,
    Delivered,
    /// The address or number does not exist or refuses messages.
    PermanentFailure,
    /// The inbox was full or the phone off for too long.
    TemporaryFailure,
    /// The provider failed.
    TechnicalFailure,
}

impl DeliveryStatus {
    /// Notify's status names.
    pub fn from_notify(status: &str) -> Option<Self> {
        Some(match status {
            "created" | "sending" | "pending" | "sent" | "accepted" => Self::Sending,
            "delivered" | "received" => Self::Delivered,
            "permanent-failure" | "validation-failed" | "cancelled" => Self::PermanentFailure,
            "temporary-failure" => Self::TemporaryFailure,
            "technical-failure" => Self::TechnicalFailure,
            _ => return None,
        })
    }

    /// Whether the provider will say no more.
    pub fn is_final(self) -> bool {
        self != Self::Sending
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::PermanentFailure => "permanent-failure",
            Self::TemporaryFailure => "temporary-failure",
            Self::TechnicalFailure => "technical-failure",
        }
    }
}

/// A message the provider accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// The provider's id for it, to ask for its delivery status later (Notify only).
    pub provider_ref: Option<String>,
}

/// Why a send failed, and whether trying again later may work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub retryable: bool,
    pub message: String,
}

impl SendError {
    pub fn retry(message: impl Into<String>) -> Self {
        Self {
            retryable: true,
            message: message.into(),
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            retryable: false,
            message: message.into(),
        }
    }
}

/// Something that delivers outbox messages.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    /// `notify` or `smtp`, for logs and the outbox.
    fn name(&self) -> &'static str;
    async fn send(&self, message: &OutboxMessage, now: Timestamp) -> Result<Sent, SendError>;
    /// The provider's latest status of a message it accepted; `None` when it keeps none.
    async fn status(
        &self,
        provider_ref: &str,
        now: Timestamp,
    ) -> Result<Option<DeliveryStatus>, SendError>;
}
