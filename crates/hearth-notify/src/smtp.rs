//! Email through an SMTP relay (the council's own, or a provider's), with Hearth's templates
//! rendered here. Text messages cannot go this way: they need Notify.

use crate::template::{Template, builtin_email_template};
use crate::{DeliveryStatus, SendError, Sent, Transport};
use hearth_core::video::{InviteChannel, OutboxMessage};
use jiff::Timestamp;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::collections::BTreeMap;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain text: only for a relay on the same host or a test server.
    None,
    /// Upgrade with STARTTLS (port 587).
    Starttls,
    /// TLS from the start (port 465).
    Tls,
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, `Repairs <repairs@council.example.gov.uk>`.
    pub from: String,
    /// Templates replacing Hearth's own wording, by name.
    pub templates: BTreeMap<String, Template>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .field("from", &self.from)
            .finish()
    }
}

pub struct SmtpTransport {
    relay: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
    templates: BTreeMap<String, Template>,
}

impl SmtpTransport {
    /// Checks the settings (the sender must be a mailbox); connects only when sending.
    pub fn new(config: SmtpConfig) -> Result<Self, String> {
        let from = config
            .from
            .parse()
            .map_err(|_| format!("smtp.from: '{}' is not an email address", config.from))?;
        let builder = match config.security {
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                    .map_err(|e| format!("smtp.host: {e}"))?
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| format!("smtp.host: {e}"))?,
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(std::time::Duration::from_secs(20)));
        match (config.username, config.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user, password))
            }
            (None, None) => {}
            _ => return Err("smtp: give both username and password, or neither".into()),
        }
        Ok(Self {
            relay: builder.build(),
            from,
            templates: config.templates,
        })
    }

    fn template(&self, name: &str) -> Option<Template> {
        self.templates
            .get(name)
            .cloned()
            .or_else(|| builtin_email_template(name))
    }
}

#[async_trait::async_trait]
impl Transport for SmtpTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, message: &OutboxMessage, _now: Timestamp) -> Result<Sent, SendError> {
        if message.channel == InviteChannel::Sms {
            return Err(SendError::permanent(
                "text messages need GOV.UK Notify: SMTP carries email only",
            ));
        }
        let template = self.template(&message.template).ok_or_else(|| {
            SendError::permanent(format!("no email template named '{}'", message.template))
        })?;
        let rendered = template
            .render(&message.template, &message.personalisation)
            .map_err(|e| SendError::permanent(e.to_string()))?;
        let to = message
            .recipient
            .parse()
            .map_err(|_| SendError::permanent("the recipient is not an email address"))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject)
            // The outbox id: a reference with nothing about the person.
            .message_id(Some(format!("<{}@hearth>", message.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(rendered.body)
            .map_err(|e| SendError::permanent(format!("the email could not be built: {e}")))?;
        match self.relay.send(email).await {
            Ok(_) => {
                tracing::info!(message = %message.id, provider = "smtp", "message accepted");
                Ok(Sent { provider_ref: None })
            }
            Err(e) if e.is_permanent() => Err(SendError::permanent(format!(
                "the SMTP relay refused it: {}",
                e.status().map(|c| c.to_string()).unwrap_or_default()
            ))),
            Err(e) => Err(SendError::retry(format!(
                "the SMTP relay failed: {}",
                smtp_reason(&e)
            ))),
        }
    }

    /// A relay keeps no status: acceptance is the last word.
    async fn status(
        &self,
        _provider_ref: &str,
        _now: Timestamp,
    ) -> Result<Option<DeliveryStatus>, SendError> {
        Ok(None)
    }
}

/// A short reason without the server's free text (which can echo the recipient).
fn smtp_reason(e: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = e.status() {
        format!("reply {code}")
    } else if e.is_timeout() {
        "timed out".into()
    } else if e.is_tls() {
        "TLS failed".into()
    } else {
        "connection failed".into()
    }
}
