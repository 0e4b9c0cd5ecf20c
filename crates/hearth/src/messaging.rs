//! The `[notify]` and `[smtp]` settings: how outbox messages leave Hearth. Text messages need
//! GOV.UK Notify; email goes by SMTP when `[smtp]` is set, otherwise by Notify. Secrets (the
//! Notify API key, the SMTP password) come from the environment or a `*_FILE`, never the file.

use anyhow::{Context, Result, bail};
use hearth_notify::{
    NotifyClient, NotifyConfig, SmtpConfig, SmtpSecurity, SmtpTransport, Template,
};
use hearth_service::video::Transports;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// `[notify]` in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    /// A file holding the API key (also HEARTH_NOTIFY_API_KEY or HEARTH_NOTIFY_API_KEY_FILE).
    pub api_key_file: Option<PathBuf>,
    /// Notify's address; the live service unless testing.
    pub base_url: Option<String>,
    /// Hearth's template name to Notify's email template id.
    #[serde(default)]
    pub email_templates: BTreeMap<String, String>,
    /// Hearth's template name to Notify's text message template id.
    #[serde(default)]
    pub sms_templates: BTreeMap<String, String>,
}

/// `[smtp]` in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: Option<u16>,
    /// none, starttls (default) or tls.
    pub security: Option<SmtpSecurity>,
    pub username: Option<String>,
    /// A file holding the password (also HEARTH_SMTP_PASSWORD or HEARTH_SMTP_PASSWORD_FILE).
    pub password_file: Option<PathBuf>,
    pub from: String,
    /// The council's own wording, replacing Hearth's, by template name.
    #[serde(default)]
    pub templates: BTreeMap<String, Template>,
}

/// A secret from the environment (`NAME` or `NAME_FILE`) or the file the config names.
pub(crate) fn secret(
    env: &dyn Fn(&str) -> Option<String>,
    name: &str,
    file: Option<&PathBuf>,
) -> Result<Option<String>> {
    let from_file = |path: &std::path::Path| -> Result<String> {
        Ok(std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?
            .trim()
            .to_string())
    };
    match (env(name), env(&format!("{name}_FILE")), file) {
        (Some(_), Some(_), _) => bail!("set {name} or {name}_FILE, not both"),
        (Some(value), None, _) => Ok(Some(value)),
        (None, Some(path), _) => Ok(Some(from_file(std::path::Path::new(&path))?)),
        (None, None, Some(path)) => Ok(Some(from_file(path)?)),
        (None, None, None) => Ok(None),
    }
}

fn template_ids(
    kind: &str,
    raw: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, uuid::Uuid>> {
    raw.iter()
        .map(|(name, id)| {
            uuid::Uuid::parse_str(id.trim())
                .map(|id| (name.clone(), id))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "notify.{kind}.{name}: '{id}' is not a Notify template id (a UUID)"
                    )
                })
        })
        .collect()
}

/// The transports the settings describe; none when neither section is set.
pub fn transports(
    notify: Option<&NotifySettings>,
    smtp: Option<&SmtpSettings>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Transports> {
    let notify_key = secret(
        env,
        "HEARTH_NOTIFY_API_KEY",
        notify.and_then(|n| n.api_key_file.as_ref()),
    )?;
    let notify_client = match (notify, notify_key) {
        (Some(settings), Some(key)) => {
            let api_key = key
                .parse()
                .map_err(|e: String| anyhow::anyhow!("the Notify API key: {e}"))?;
            let client = NotifyClient::new(NotifyConfig {
                api_key,
                base_url: settings
                    .base_url
                    .clone()
                    .unwrap_or_else(|| hearth_notify::NOTIFY_API.to_string()),
                email_templates: template_ids("email_templates", &settings.email_templates)?,
                sms_templates: template_ids("sms_templates", &settings.sms_templates)?,
            })
            .map_err(|e| anyhow::anyhow!("notify: {e}"))?;
            Some(Arc::new(client) as Arc<dyn hearth_notify::Transport>)
        }
        (Some(_), None) => bail!(
            "[notify] needs an API key: api_key_file, HEARTH_NOTIFY_API_KEY or HEARTH_NOTIFY_API_KEY_FILE"
        ),
        (None, Some(_)) => {
            bail!("a Notify API key is set but there is no [notify] section naming its templates")
        }
        (None, None) => None,
    };
    let smtp_transport = match smtp {
        Some(settings) => {
            let password = secret(env, "HEARTH_SMTP_PASSWORD", settings.password_file.as_ref())?;
            let security = settings.security.unwrap_or(SmtpSecurity::Starttls);
            let port = settings.port.unwrap_or(match security {
                SmtpSecurity::Tls => 465,
                SmtpSecurity::Starttls => 587,
                SmtpSecurity::None => 25,
            });
            let transport = SmtpTransport::new(SmtpConfig {
                host: settings.host.clone(),
                port,
                security,
                username: settings.username.clone(),
                password,
                from: settings.from.clone(),
                templates: settings.templates.clone(),
            })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            Some(Arc::new(transport) as Arc<dyn hearth_notify::Transport>)
        }
        None => None,
    };
    Ok(Transports {
        email: smtp_transport.or_else(|| notify_client.clone()),
        sms: notify_client,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "hearth_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";

    fn notify_settings() -> NotifySettings {
        NotifySettings {
            sms_templates: [(
                "video_call_link".to_string(),
                "f33517ff-2a88-4f6e-b855-c550268ce08a".to_string(),
            )]
            .into(),
            ..NotifySettings::default()
        }
    }

    #[test]
    fn email_prefers_smtp_and_texts_need_notify() {
        let env = |k: &str| (k == "HEARTH_NOTIFY_API_KEY").then(|| KEY.to_string());
        let smtp = SmtpSettings {
            host: "smtp.example.gov.uk".into(),
            port: None,
            security: None,
            username: None,
            password_file: None,
            from: "repairs@example.gov.uk".into(),
            templates: BTreeMap::new(),
        };
        let both = transports(Some(&notify_settings()), Some(&smtp), &env)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(both.email.as_ref().map(|t| t.name()), Some("smtp"));
        assert_eq!(both.sms.as_ref().map(|t| t.name()), Some("notify"));
        let notify_only =
            transports(Some(&notify_settings()), None, &env).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(notify_only.email.as_ref().map(|t| t.name()), Some("notify"));
        assert!(
            transports(None, None, &|_| None)
                .unwrap_or_else(|e| panic!("{e}"))
                .is_empty()
        );
    }

    #[test]
    fn bad_settings_are_named_and_the_key_never_shown() {
        let env = |k: &str| (k == "HEARTH_NOTIFY_API_KEY").then(|| KEY.to_string());
        let no_key = transports(Some(&notify_settings()), None, &|_| None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(no_key.contains("API key"), "{no_key}");
        let mut bad_template = notify_settings();
        bad_template
            .sms_templates
            .insert("video_call_link".into(), "not-a-uuid".into());
        let err = transports(Some(&bad_template), None, &env)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("notify.sms_templates.video_call_link"),
            "{err}"
        );
        let bad_key =
            |k: &str| (k == "HEARTH_NOTIFY_API_KEY").then(|| "hearth_live-3d844edf".to_string());
        let err = transports(Some(&notify_settings()), None, &bad_key)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("Notify API key") && !err.contains("3d844edf"),
            "{err}"
        );
        let both = |k: &str| {
            k.starts_with("HEARTH_NOTIFY_API_KEY")
                .then(|| KEY.to_string())
        };
        assert!(transports(Some(&notify_settings()), None, &both).is_err());
    }
}
