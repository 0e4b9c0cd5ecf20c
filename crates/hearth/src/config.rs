//! Configuration in one place: defaults < file < `HEARTH_*` environment < flags. Unknown keys
//! and unknown `HEARTH_*` variables are rejected; secrets may come from `*_FILE`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The settings a file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    database_url_file: Option<PathBuf>,
    register: Option<PathBuf>,
    policy: Option<PathBuf>,
    key_file: Option<PathBuf>,
    log_format: Option<String>,
    signing_key_file: Option<PathBuf>,
    media_dir: Option<PathBuf>,
    retention_run_at: Option<String>,
    bank_holidays: Option<String>,
    bank_holidays_file: Option<PathBuf>,
    public_url: Option<String>,
    repair_targets: Option<hearth_core::repairs::RepairTargets>,
    notify: Option<crate::messaging::NotifySettings>,
    smtp: Option<crate::messaging::SmtpSettings>,
    video: Option<crate::video_settings::VideoSettings>,
    media: Option<crate::media_settings::MediaSettings>,
    one_login: Option<crate::one_login_settings::OneLoginFile>,
}

/// Settings given as flags.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub register: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub register: Option<PathBuf>,
    /// The Cedar access policy file; the shipped policy when not set.
    pub policy: Option<PathBuf>,
    /// The key-encryption key file (created on first use when missing).
    pub key_file: PathBuf,
    pub log_format: LogFormat,
    /// The audit signing key's file, when checkpoints are signed.
    pub signing_key_file: Option<PathBuf>,
    /// Where media objects are stored: the local directory, S3 or Azure.
    pub media: crate::media_settings::MediaPlace,
    /// When `serve` runs retention each day (UK time), or `None` when switched off.
    pub retention_run_at: Option<jiff::civil::Time>,
    /// Whose bank holidays the statutory clock skips: england-and-wales, scotland or
    /// northern-ireland.
    pub bank_holidays: hearth_core::rights::Division,
    /// A newer copy of GOV.UK's `bank-holidays.json`; the shipped list when not set.
    pub bank_holidays_file: Option<PathBuf>,
    /// The address residents reach Hearth at, for links sent to them (default: the listen
    /// address over http, right for a demo only).
    pub public_url: String,
    /// Repair targets by priority.
    pub repair_targets: hearth_core::repairs::RepairTargets,
    /// How outbox messages (video-call links) leave: email and text transports.
    pub transports: hearth_service::video::Transports,
    /// The STUN and TURN servers video calls connect through.
    pub ice: hearth_service::video::IceConfig,
    /// Hearth's registration with GOV.UK One Login, for residents' sign-in.
    pub one_login: Option<hearth_service::residents::OneLoginSettings>,
    /// Where each setting came from, for `config check`.
    pub origins: Vec<(&'static str, String)>,
}

/// Environment variables Hearth reads. Test-harness variables are allowed through.
const KNOWN_ENV: &[&str] = &[
    "HEARTH_CONFIG",
    "HEARTH_LISTEN",
    "HEARTH_DATA_DIR",
    "HEARTH_DATABASE_URL",
    "HEARTH_DATABASE_URL_FILE",
    "HEARTH_REGISTER",
    "HEARTH_POLICY",
    "HEARTH_KEY_FILE",
    "HEARTH_LOG_FORMAT",
    "HEARTH_SIGNING_KEY_FILE",
    "HEARTH_MEDIA_DIR",
    "HEARTH_RETENTION_RUN_AT",
    "HEARTH_BANK_HOLIDAYS",
    "HEARTH_BANK_HOLIDAYS_FILE",
    "HEARTH_PUBLIC_URL",
    "HEARTH_NOTIFY_API_KEY",
    "HEARTH_NOTIFY_API_KEY_FILE",
    "HEARTH_SMTP_PASSWORD",
    "HEARTH_SMTP_PASSWORD_FILE",
    "HEARTH_TURN_SECRET",
    "HEARTH_TURN_SECRET_FILE",
    "HEARTH_TURN_CREDENTIAL",
    "HEARTH_TURN_CREDENTIAL_FILE",
    "HEARTH_MEDIA_SECRET_KEY",
    "HEARTH_MEDIA_SECRET_KEY_FILE",
    "HEARTH_ONE_LOGIN_PRIVATE_KEY",
    "HEARTH_ONE_LOGIN_PRIVATE_KEY_FILE",
];
const ALLOWED_ENV_PREFIXES: &[&str] = &["HEARTH_TEST_", "HEARTH_REQUIRE_"];

impl Config {
    /// Resolves the configuration from flags, the environment and the file they name.
    pub fn load(flags: &Flags) -> Result<Self> {
        Self::resolve(
            flags,
            std::env::vars()
                .filter(|(k, _)| k.starts_with("HEARTH_"))
                .collect(),
        )
    }

    fn resolve(flags: &Flags, env: Vec<(String, String)>) -> Result<Self> {
        let unknown: Vec<&str> = env
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| {
                !KNOWN_ENV.contains(k) && !ALLOWED_ENV_PREFIXES.iter().any(|p| k.starts_with(p))
            })
            .collect();
        if !unknown.is_empty() {
            bail!(
                "unknown environment variable(s) {}: the known ones are {}",
                unknown.join(", "),
                KNOWN_ENV.join(", ")
            );
        }
        let env_get = |key: &str| {
            env.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let mut origins = Vec::new();
        let config_path = flags
            .config
            .clone()
            .or_else(|| env_get("HEARTH_CONFIG").map(PathBuf::from));
        let file = match &config_path {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading config file {}", path.display()))?;
                toml::from_str::<FileConfig>(&text).map_err(|e| {
                    let line = e
                        .span()
                        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                        .unwrap_or(1);
                    anyhow::anyhow!("{}:{line}: {}", path.display(), e.message().trim())
                })?
            }
            None => FileConfig::default(),
        };
        let file_name = config_path
            .as_ref()
            .map(|p| format!("file {}", p.display()))
            .unwrap_or_default();

        let pick = |origins: &mut Vec<(&'static str, String)>,
                    name: &'static str,
                    flag: Option<String>,
                    env_key: &str,
                    file_value: Option<String>,
                    default: Option<String>| {
            let (value, origin) = if let Some(v) = flag {
                (Some(v), "flag".to_string())
            } else if let Some(v) = env_get(env_key) {
                (Some(v), format!("environment {env_key}"))
            } else if let Some(v) = file_value {
                (Some(v), file_name.clone())
            } else {
                (default, "default".to_string())
            };
            if value.is_some() {
                origins.push((name, origin));
            }
            value
        };

        let listen_text = pick(
            &mut origins,
            "listen",
            flags.listen.clone(),
            "HEARTH_LISTEN",
            file.listen.clone(),
            Some("127.0.0.1:8080".into()),
        )
        .unwrap_or_default();
        let listen: SocketAddr = listen_text.parse().with_context(|| {
            format!("listen: '{listen_text}' is not an address like 127.0.0.1:8080")
        })?;
        let data_dir = PathBuf::from(
            pick(
                &mut origins,
                "data_dir",
                flags.data_dir.as_ref().map(|p| p.display().to_string()),
                "HEARTH_DATA_DIR",
                file.data_dir.as_ref().map(|p| p.display().to_string()),
                Some("hearth-data".into()),
            )
            .unwrap_or_default(),
        );
        let url_from_file = |path: &Path| -> Result<String> {
            Ok(std::fs::read_to_string(path)
                .with_context(|| format!("reading database URL from {}", path.display()))?
                .trim()
                .to_string())
        };
        let file_url = match (&file.database_url, &file.database_url_file) {
            (Some(_), Some(_)) => {
                bail!("{file_name}: give database_url or database_url_file, not both")
            }
            (Some(url), None) => Some(url.clone()),
            (None, Some(path)) => Some(url_from_file(path)?),
            (None, None) => None,
        };
        let env_url = match (
            env_get("HEARTH_DATABASE_URL"),
            env_get("HEARTH_DATABASE_URL_FILE"),
        ) {
            (Some(_), Some(_)) => {
                bail!("set HEARTH_DATABASE_URL or HEARTH_DATABASE_URL_FILE, not both")
            }
            (Some(url), None) => Some(url),
            (None, Some(path)) => Some(url_from_file(Path::new(&path))?),
            (None, None) => None,
        };
        let default_url = format!("sqlite://{}", data_dir.join("hearth.sqlite").display());
        let (database_url, origin) = match (&flags.database_url, env_url, file_url) {
            (Some(url), _, _) => (url.clone(), "flag".to_string()),
            (None, Some(url), _) => (url, "environment".to_string()),
            (None, None, Some(url)) => (url, file_name.clone()),
            (None, None, None) => (
                default_url,
                "default (embedded SQLite in data_dir)".to_string(),
            ),
        };
        origins.push(("database_url", origin));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!("database_url must start with sqlite: or postgres://");
        }
        let register = pick(
            &mut origins,
            "register",
            flags.register.as_ref().map(|p| p.display().to_string()),
            "HEARTH_REGISTER",
            file.register.as_ref().map(|p| p.display().to_string()),
            None,
        )
        .map(PathBuf::from);
        let policy = pick(
            &mut origins,
            "policy",
            None,
            "HEARTH_POLICY",
            file.policy.as_ref().map(|p| p.display().to_string()),
            None,
        )
        .map(PathBuf::from);
        let key_file = pick(
            &mut origins,
            "key_file",
            None,
            "HEARTH_KEY_FILE",
            file.key_file.as_ref().map(|p| p.display().to_string()),
            Some(data_dir.join("hearth.keys").display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("hearth.keys"));
        let log_format = match pick(
            &mut origins,
            "log_format",
            None,
            "HEARTH_LOG_FORMAT",
            file.log_format.clone(),
            Some("text".into()),
        )
        .as_deref()
        {
            Some("json") => LogFormat::Json,
            Some("text") | None => LogFormat::Text,
            Some(other) => bail!("log_format: '{other}' is not text or json"),
        };
        let signing_key_file = pick(
            &mut origins,
            "signing_key_file",
            None,
            "HEARTH_SIGNING_KEY_FILE",
            file.signing_key_file
                .as_ref()
                .map(|p| p.display().to_string()),
            None,
        )
        .map(PathBuf::from);
        let media_dir = pick(
            &mut origins,
            "media_dir",
            None,
            "HEARTH_MEDIA_DIR",
            file.media_dir.as_ref().map(|p| p.display().to_string()),
            Some(data_dir.join("media").display().to_string()),
        )
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join("media"));
        let retention_run_at = match pick(
            &mut origins,
            "retention_run_at",
            None,
            "HEARTH_RETENTION_RUN_AT",
            file.retention_run_at.clone(),
            Some("02:30".into()),
        )
        .as_deref()
        .map(str::trim)
        {
            Some("off") => None,
            Some(raw) => Some(raw.parse::<jiff::civil::Time>().map_err(|_| {
                anyhow::anyhow!("retention_run_at: '{raw}' is not a time of day (HH:MM) or 'off'")
            })?),
            None => None,
        };
        let bank_holidays = pick(
            &mut origins,
            "bank_holidays",
            None,
            "HEARTH_BANK_HOLIDAYS",
            file.bank_holidays.clone(),
            Some("england-and-wales".into()),
        )
        .unwrap_or_default()
        .trim()
        .parse::<hearth_core::rights::Division>()
        .map_err(|e| anyhow::anyhow!("bank_holidays: {e}"))?;
        let bank_holidays_file = pick(
            &mut origins,
            "bank_holidays_file",
            None,
            "HEARTH_BANK_HOLIDAYS_FILE",
            file.bank_holidays_file
                .as_ref()
                .map(|p| p.display().to_string()),
            None,
        )
        .map(PathBuf::from);
        let public_url = pick(
            &mut origins,
            "public_url",
            None,
            "HEARTH_PUBLIC_URL",
            file.public_url.clone(),
            Some(format!("http://{listen}")),
        )
        .unwrap_or_default()
        .trim()
        .trim_end_matches('/')
        .to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://"))
            || public_url.contains(char::is_whitespace)
        {
            bail!(
                "public_url: '{public_url}' is not an http(s) address like https://repairs.example.gov.uk"
            );
        }
        let repair_targets = file.repair_targets.unwrap_or_default();
        if file.repair_targets.is_some() {
            origins.push(("repair_targets", file_name.clone()));
        }
        repair_targets
            .validate()
            .map_err(|e| anyhow::anyhow!("{file_name}: {e}"))?;
        let transports =
            crate::messaging::transports(file.notify.as_ref(), file.smtp.as_ref(), &env_get)?;
        if file.notify.is_some() {
            origins.push(("notify", file_name.clone()));
        }
        if file.smtp.is_some() {
            origins.push(("smtp", file_name.clone()));
        }
        let ice = crate::video_settings::ice_config(file.video.as_ref(), &env_get)?;
        let media = crate::media_settings::media_place(file.media.as_ref(), &media_dir, &env_get)?;
        if file.media.is_some() {
            origins.push(("media", file_name.clone()));
        }
        if file.video.is_some() {
            origins.push(("video", file_name.clone()));
        }
        let one_login = crate::one_login_settings::one_login_settings(
            file.one_login.as_ref(),
            &public_url,
            &env_get,
        )?;
        if file.one_login.is_some() {
            origins.push(("one_login", file_name.clone()));
        }
        Ok(Self {
            listen,
            data_dir,
            database_url,
            register,
            policy,
            key_file,
            log_format,
            signing_key_file,
            media,
            retention_run_at,
            bank_holidays,
            bank_holidays_file,
            public_url,
            repair_targets,
            transports,
            ice,
            one_login,
            origins,
        })
    }

    /// The key ring for encryption at rest, from `key_file`. A missing file is created (mode
    /// 0600) with a fresh key-encryption key and index key: keep it apart from the database
    /// and back it up, since without it the encrypted columns cannot be read.
    pub fn sealer(&self) -> Result<std::sync::Arc<hearth_store::sealer::Sealer>> {
        if !self.key_file.exists() {
            if let Some(dir) = self.key_file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            match hearth_crypto::key_file::create(
                &self.key_file,
                hearth_core::clock::Clock::now(&hearth_core::clock::SystemClock),
            ) {
                Ok(kek_id) => tracing::warn!(
                    file = %self.key_file.display(),
                    kek_id,
                    "created a new key file: back it up and keep it apart from the database"
                ),
                // Another process created it first: use theirs.
                Err(hearth_crypto::KeyFileError::AlreadyExists { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let sealer = hearth_store::sealer::Sealer::from_file(self.key_file.clone())
            .with_context(|| format!("the key file {}", self.key_file.display()))?;
        Ok(std::sync::Arc::new(sealer))
    }

    /// The access policy's text and where it came from.
    pub fn policy_text(&self) -> Result<(String, String)> {
        match &self.policy {
            None => Ok((
                hearth_service::DEFAULT_POLICY.to_string(),
                "shipped policy".to_string(),
            )),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading the policy file {}", path.display()))?;
                Ok((text, path.display().to_string()))
            }
        }
    }

    /// The audit signing key, when one is configured.
    pub fn signing_key(&self) -> Result<Option<hearth_core::audit::CheckpointKey>> {
        let Some(path) = &self.signing_key_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the signing key {}", path.display()))?;
        hearth_core::audit::CheckpointKey::from_hex(&text)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// The key disposal certificates are signed with: the configured audit signing key, or
    /// `audit-signing.key` in the data directory, created (mode 0600) on first use.
    pub fn certificate_key(&self) -> Result<hearth_core::audit::CheckpointKey> {
        if let Some(key) = self.signing_key()? {
            return Ok(key);
        }
        let path = self.data_dir.join("audit-signing.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            return hearth_core::audit::CheckpointKey::from_hex(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating {}", self.data_dir.display()))?;
        let mut seed = [0u8; 32];
        rand::fill(&mut seed);
        let key = hearth_core::audit::CheckpointKey::from_seed(seed);
        write_private(&path, &key.to_hex())?;
        tracing::warn!(file = %path.display(), "created an audit signing key: back it up");
        Ok(key)
    }

    /// The database URL with any password hidden, for printing.
    /// The bank-holiday calendar the statutory clock counts by: the configured GOV.UK file,
    /// or the shipped list.
    pub fn bank_holidays(&self) -> Result<hearth_core::rights::BankHolidays> {
        match &self.bank_holidays_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading bank holidays from {}", path.display()))?;
                hearth_core::rights::BankHolidays::from_govuk_json(&text, self.bank_holidays)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            }
            None => Ok(hearth_core::rights::BankHolidays::shipped(
                self.bank_holidays,
            )),
        }
    }

    pub fn redacted_database_url(&self) -> String {
        match (self.database_url.find("://"), self.database_url.find('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let creds = &self.database_url[scheme + 3..at];
                match creds.split_once(':') {
                    Some((user, _)) => format!(
                        "{}{user}:****{}",
                        &self.database_url[..scheme + 3],
                        &self.database_url[at..]
                    ),
                    None => self.database_url.clone(),
                }
            }
            _ => self.database_url.clone(),
        }
    }
}

/// Writes a secret to a new file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn layers_defaults_then_file_then_env_then_flags() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("hearth.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/hearth\"\nlog_format = \"json\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let flags = Flags {
            config: Some(file.clone()),
            ..Default::default()
        };
        let from_file = Config::resolve(&flags, env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_file.listen.port(), 9000);
        assert_eq!(from_file.database_url, "sqlite:///srv/hearth/hearth.sqlite");
        assert_eq!(from_file.log_format, LogFormat::Json);
        let from_env = Config::resolve(&flags, env(&[("HEARTH_LISTEN", "127.0.0.1:9100")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_env.listen.port(), 9100);
        let with_flag = Flags {
            listen: Some("127.0.0.1:9200".into()),
            ..flags
        };
        let from_flag = Config::resolve(&with_flag, env(&[("HEARTH_LISTEN", "127.0.0.1:9100")]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_flag.listen.port(), 9200);
    }

    #[test]
    fn rejects_unknown_keys_and_variables_with_where() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("hearth.toml");
        std::fs::write(&file, "listen = \"127.0.0.1:9000\"\nlisten_port = 9\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = Config::resolve(
            &Flags {
                config: Some(file),
                ..Default::default()
            },
            env(&[]),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains(":2:") && err.contains("listen_port"), "{err}");
        let err = Config::resolve(&Flags::default(), env(&[("HEARTH_LISTN", "x")]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("HEARTH_LISTN"), "{err}");
        assert!(
            Config::resolve(&Flags::default(), env(&[("HEARTH_TEST_POSTGRES_URL", "x")])).is_ok()
        );
    }

    #[test]
    fn reads_the_database_url_from_a_file_and_hides_its_password() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let secret = dir.path().join("db-url");
        std::fs::write(&secret, "postgres://hearth:s3cret@db.internal/hearth\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let config = Config::resolve(
            &Flags::default(),
            env(&[("HEARTH_DATABASE_URL_FILE", secret.to_str().unwrap_or(""))]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.database_url,
            "postgres://hearth:s3cret@db.internal/hearth"
        );
        assert_eq!(
            config.redacted_database_url(),
            "postgres://hearth:****@db.internal/hearth"
        );
    }

    #[test]
    fn repair_targets_and_the_public_url_are_checked_where_they_are_set() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("hearth.toml");
        let with = |text: &str| {
            std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
            Config::resolve(
                &Flags {
                    config: Some(file.clone()),
                    ..Default::default()
                },
                env(&[]),
            )
        };
        let good = with(
            "public_url = \"https://repairs.example.gov.uk/\"\n[repair_targets]\nemergency_hours = 4\nurgent_working_days = 3\nroutine_working_days = 28\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(good.public_url, "https://repairs.example.gov.uk");
        assert_eq!(good.repair_targets.emergency_hours, 4);
        let backwards = with(
            "[repair_targets]\nemergency_hours = 4\nurgent_working_days = 30\nroutine_working_days = 10\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(backwards.contains("routine_working_days"), "{backwards}");
        let missing = with("[repair_targets]\nemergency_hours = 4\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            missing.contains(":1:") || missing.contains("urgent_working_days"),
            "{missing}"
        );
        let not_a_url = with("public_url = \"repairs.example.gov.uk\"\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(not_a_url.contains("public_url"), "{not_a_url}");
        let default =
            Config::resolve(&Flags::default(), env(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(default.public_url, "http://127.0.0.1:8080");
    }
}
