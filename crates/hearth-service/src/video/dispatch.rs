//! The outbox dispatcher: takes due messages (each leased, so two servers never send one at
//! once), sends each through the transport for its channel, and records the outcome: sent,
//! retried later with backoff, or failed. Then it asks the provider how sent messages fared.
//! Every message opened for sending is a use of personal data and leaves an audit event.

use crate::{Caller, Hearth, Result};
use hearth_core::video::{InviteChannel, OutboxMessage};
use hearth_notify::{DeliveryStatus, MAX_ATTEMPTS, Transport, next_attempt_at};
use hearth_store::Attempt;
use std::sync::Arc;

/// Messages taken per round.
const BATCH: i64 = 50;
/// How long a dispatcher holds a message it took before another may retry it.
const LEASE_SECONDS: i64 = 120;
/// How long after sending the provider is asked about delivery.
const STATUS_DAYS: i64 = 3;

/// The transports messages leave by.
#[derive(Clone, Default)]
pub struct Transports {
    pub email: Option<Arc<dyn Transport>>,
    pub sms: Option<Arc<dyn Transport>>,
}

impl std::fmt::Debug for Transports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transports")
            .field("email", &self.email.as_ref().map(|t| t.name()))
            .field("sms", &self.sms.as_ref().map(|t| t.name()))
            .finish()
    }
}

impl Transports {
    fn for_channel(&self, channel: InviteChannel) -> Option<&Arc<dyn Transport>> {
        match channel {
            InviteChannel::Email => self.email.as_ref(),
            InviteChannel::Sms => self.sms.as_ref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.sms.is_none()
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: u32,
    pub retrying: u32,
    pub failed: u32,
    pub delivered: u32,
    pub undelivered: u32,
}

impl Hearth {
    /// One round of the outbox: send what is due, then ask about what was sent.
    pub async fn dispatch_notifications(&self) -> Result<DispatchReport> {
        let mut report = DispatchReport::default();
        let now = self.now();
        let lease = now + jiff::SignedDuration::from_secs(LEASE_SECONDS);
        let caller = Caller::system("outbox");
        for message in self.store.claim_due_messages(now, lease, BATCH).await? {
            let attempt = self.attempt(&message).await;
            let mut event = self.event(&caller, "notification.sent".into());
            event.person_ids = vec![message.person_id];
            event.record_type = Some("notification".into());
            event.record_ids = vec![message.id.to_string()];
            event.fields = vec!["recipient".into(), "personalisation".into()];
            match &attempt {
                Attempt::Sent { .. } => report.sent += 1,
                Attempt::Retry { error, .. } => {
                    report.retrying += 1;
                    event.decision = "retry".into();
                    event.reason = Some(error.clone());
                }
                Attempt::Failed { error } => {
                    report.failed += 1;
                    event.decision = "failed".into();
                    event.reason = Some(error.clone());
                }
            }
            self.store
                .finish_attempt(message.id, &attempt, self.now())
                .await?;
            self.store.append_audit_events(&[event]).await?;
            tracing::info!(message = %message.id, template = %message.template, outcome = ?attempt_name(&attempt), "outbox attempt");
        }
        let since = now - jiff::SignedDuration::from_hours(24 * STATUS_DAYS);
        for (id, provider_ref) in self.store.awaiting_delivery(since, BATCH).await? {
            // Only Notify keeps statuses; an email sent over SMTP has no provider id.
            let Some(transport) = self
                .transports
                .sms
                .as_ref()
                .or(self.transports.email.as_ref())
            else {
                break;
            };
            match transport.status(&provider_ref, self.now()).await {
                Ok(Some(status)) if status.is_final() => {
                    let delivered = status == DeliveryStatus::Delivered;
                    let reason =
                        (!delivered).then(|| format!("the provider reports {}", status.as_str()));
                    self.store
                        .record_delivery(id, delivered, reason.as_deref(), self.now())
                        .await?;
                    if delivered {
                        report.delivered += 1;
                    } else {
                        report.undelivered += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(message = %id, error = %e, "delivery status unavailable"),
            }
        }
        Ok(report)
    }

    /// Sends one message and says what to record.
    async fn attempt(&self, message: &OutboxMessage) -> Attempt {
        let Some(transport) = self.transports.for_channel(message.channel) else {
            return Attempt::Failed {
                error: format!("no {} transport is configured", message.channel),
            };
        };
        match transport.send(message, self.now()).await {
            Ok(sent) => Attempt::Sent {
                provider_ref: sent.provider_ref,
            },
            Err(e) if e.retryable => match next_attempt_at(self.now(), message.attempts + 1) {
                Some(at) => Attempt::Retry {
                    at,
                    error: e.message,
                },
                None => Attempt::Failed {
                    error: format!("gave up after {MAX_ATTEMPTS} attempts: {}", e.message),
                },
            },
            Err(e) => Attempt::Failed { error: e.message },
        }
    }
}

fn attempt_name(attempt: &Attempt) -> &'static str {
    match attempt {
        Attempt::Sent { .. } => "sent",
        Attempt::Retry { .. } => "retry",
        Attempt::Failed { .. } => "failed",
    }
}
