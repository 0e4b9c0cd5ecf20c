//! A client for GOV.UK Notify's REST API (v2): sends email and text messages from templates
//! kept in Notify, authenticated by a short-lived JWT signed with the API key's secret, and
//! reads back each message's delivery status.

use crate::{DeliveryStatus, SendError, Sent, Transport};
use base64::Engine;
use hearth_core::video::{InviteChannel, OutboxMessage};
use hmac::{KeyInit, Mac};
use jiff::Timestamp;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A Notify API key: `{name}-{service id}-{secret}`, the last two being UUIDs.
#[derive(Clone)]
pub struct ApiKey {
    service_id: Uuid,
    secret: String,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ApiKey {{ service_id: {}, secret: <hidden> }}",
            self.service_id
        )
    }
}

impl std::str::FromStr for ApiKey {
    type Err = String;

    /// Never echoes the key: an error says only what shape was expected.
    fn from_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let bad = || {
            "a Notify API key is its name, the service id and the secret, joined by '-' (the last two are UUIDs)"
                .to_string()
        };
        if raw.len() < 74 || !raw.is_char_boundary(raw.len() - 73) {
            return Err(bad());
        }
        let service = &raw[raw.len() - 73..raw.len() - 37];
        let secret = &raw[raw.len() - 36..];
        if raw.as_bytes()[raw.len() - 37] != b'-' || raw.as_bytes()[raw.len() - 74] != b'-' {
            return Err(bad());
        }
        let service_id = Uuid::parse_str(service).map_err(|_| bad())?;
        Uuid::parse_str(secret).map_err(|_| bad())?;
        Ok(Self {
            service_id,
            secret: secret.to_string(),
        })
    }
}

impl ApiKey {
    pub fn service_id(&self) -> Uuid {
        self.service_id
    }

    /// The bearer token for a request made at `now`: HS256 over `{"iss", "iat"}`.
    pub fn token(&self, now: Timestamp) -> String {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"typ":"JWT","alg":"HS256"}"#);
        let claims = b64.encode(
            serde_json::json!({ "iss": self.service_id.to_string(), "iat": now.as_second() })
                .to_string(),
        );
        let signing_input = format!("{header}.{claims}");
        let signature = match hmac::Hmac::<sha2::Sha256>::new_from_slice(self.secret.as_bytes()) {
            Ok(mut mac) => {
                mac.update(signing_input.as_bytes());
                b64.encode(mac.finalize().into_bytes())
            }
            // HMAC takes a key of any length; this cannot happen.
            Err(_) => String::new(),
        };
        format!("{signing_input}.{signature}")
    }
}

/// Where Notify is and which of its templates carries each of Hearth's messages.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    pub api_key: ApiKey,
    /// `https://api.notifications.service.gov.uk` unless testing.
    pub base_url: String,
    /// Hearth's template name to Notify's email template id.
    pub email_templates: BTreeMap<String, Uuid>,
    /// Hearth's template name to Notify's text message template id.
    pub sms_templates: BTreeMap<String, Uuid>,
}

pub const NOTIFY_API: &str = "https://api.notifications.service.gov.uk";

#[derive(Debug, Clone)]
pub struct NotifyClient {
    config: NotifyConfig,
    http: reqwest::Client,
}

impl NotifyClient {
    pub fn new(config: NotifyConfig) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .user_agent(concat!("hearth/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self { config, http })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url.trim_end_matches('/'))
    }

    /// What Notify said, without anything about the recipient.
    async fn failure(response: reqwest::Response, recipient: &str) -> SendError {
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap_or(serde_json::Value::Null);
        let errors: Vec<String> = body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        let text = format!(
                            "{}: {}",
                            e["error"].as_str().unwrap_or("Error"),
                            e["message"].as_str().unwrap_or("")
                        );
                        let text = if recipient.is_empty() {
                            text
                        } else {
                            text.replace(recipient, "<recipient>")
                        };
                        text.chars().take(200).collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let message = format!("Notify answered {}: {}", status.as_u16(), errors.join("; "));
        if status.as_u16() == 429 || status.is_server_error() {
            SendError::retry(message)
        } else {
            SendError::permanent(message)
        }
    }
}

fn unreachable(e: reqwest::Error) -> SendError {
    // No URL in the message: it holds nothing personal, but keep errors short and uniform.
    SendError::retry(format!("Notify could not be reached: {}", e.without_url()))
}

#[async_trait::async_trait]
impl Transport for NotifyClient {
    fn name(&self) -> &'static str {
        "notify"
    }

    async fn send(&self, message: &OutboxMessage, now: Timestamp) -> Result<Sent, SendError> {
        let (path, templates, field) = match message.channel {
            InviteChannel::Email => (
                "/v2/notifications/email",
                &self.config.email_templates,
                "email_address",
            ),
            InviteChannel::Sms => (
                "/v2/notifications/sms",
                &self.config.sms_templates,
                "phone_number",
            ),
        };
        let template_id = templates.get(&message.template).ok_or_else(|| {
            SendError::permanent(format!(
                "no Notify {} template is configured for '{}'",
                message.channel, message.template
            ))
        })?;
        let body = serde_json::json!({
            field: message.recipient,
            "template_id": template_id,
            "personalisation": message.personalisation,
            "reference": message.id.to_string(),
        });
        let response = self
            .http
            .post(self.url(path))
            .bearer_auth(self.config.api_key.token(now))
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(Self::failure(response, &message.recipient).await);
        }
        let answer: serde_json::Value = response.json().await.map_err(|e| {
            SendError::retry(format!("Notify's answer was not JSON: {}", e.without_url()))
        })?;
        let id = answer["id"].as_str().map(str::to_string);
        tracing::info!(message = %message.id, provider = "notify", "message accepted");
        Ok(Sent { provider_ref: id })
    }

    async fn status(
        &self,
        provider_ref: &str,
        now: Timestamp,
    ) -> Result<Option<DeliveryStatus>, SendError> {
        let id = Uuid::parse_str(provider_ref)
            .map_err(|_| SendError::permanent("a Notify message id is a UUID"))?;
        let response = self
            .http
            .get(self.url(&format!("/v2/notifications/{id}")))
            .bearer_auth(self.config.api_key.token(now))
            .send()
            .await
            .map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(Self::failure(response, "").await);
        }
        let answer: serde_json::Value = response.json().await.map_err(|e| {
            SendError::retry(format!("Notify's answer was not JSON: {}", e.without_url()))
        })?;
        Ok(answer["status"]
            .as_str()
            .and_then(DeliveryStatus::from_notify))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "hearth_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    #[test]
    fn parses_keys_and_never_shows_the_secret() {
        let key: ApiKey = KEY.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            key.service_id().to_string(),
            "26785a09-ab16-4eb0-8407-a37497a57506"
        );
        assert!(!format!("{key:?}").contains("3d844edf"));
        for bad in [
            "",
            "short",
            &KEY[..KEY.len() - 1],
            &KEY.replace("-8407-", "_8407_"),
            &KEY.replace("b0", "zz"),
        ] {
            let err = bad.parse::<ApiKey>().err().unwrap_or_default();
            assert!(
                err.contains("Notify API key") && !err.contains("3d844edf"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn tokens_carry_the_service_and_time() {
        let key: ApiKey = KEY.parse().unwrap_or_else(|e| panic!("{e}"));
        let now = Timestamp::from_second(1_790_000_000).unwrap_or_else(|e| panic!("{e}"));
        let token = key.token(now);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap_or_else(|e| panic!("{e}"));
        let claims: serde_json::Value =
            serde_json::from_slice(&claims).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(claims["iss"], "26785a09-ab16-4eb0-8407-a37497a57506");
        assert_eq!(claims["iat"], 1_790_000_000);
    }
}
