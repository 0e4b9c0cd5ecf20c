//! Command handlers: each parses its arguments, opens the application, calls services.

pub mod audit;
pub mod bench;
pub mod config_cmd;
pub mod demo;
pub mod import;
pub mod keys;
pub mod policy;
pub mod redact;
pub mod register;
pub mod retention;
pub mod rights;
pub mod serve;
pub mod staff;
pub mod token;

use crate::config::{Config, Flags, LogFormat};
use crate::{Cli, Command};
use anyhow::{Context, Result};
use hearth_core::actor::Actor;
use hearth_core::clock::SystemClock;
use hearth_service::{Hearth, RegisterSource, load_register_file};
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let listen = match &cli.command {
        Command::Serve(args) => args.listen.clone(),
        _ => None,
    };
    let flags = Flags {
        config: cli.config,
        listen,
        data_dir: cli.data_dir,
        database_url: cli.database_url,
        register: cli.register,
    };
    match cli.command {
        Command::Serve(args) => serve::run(Config::load(&flags)?, args).await,
        Command::Config(cmd) => config_cmd::run(&flags, cmd),
        Command::Register(cmd) => register::run(&flags, cmd).await,
        Command::Import(args) => import::run(Config::load(&flags)?, args).await,
        Command::Demo(args) => demo::run(&flags, args).await,
        Command::Openapi => {
            println!(
                "{}",
                hearth_http::openapi_document()
                    .to_pretty_json()
                    .context("rendering the OpenAPI document")?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(cmd) => bench::run(cmd).await,
        Command::Audit(cmd) => audit::run(&flags, cmd).await,
        Command::Token(cmd) => token::run(&flags, cmd).await,
        Command::Keys(cmd) => keys::run(&flags, cmd).await,
        Command::Retention(cmd) => retention::run(&flags, cmd).await,
        Command::Rights(cmd) => rights::run(&flags, cmd).await,
        Command::Policy(cmd) => policy::run(&flags, cmd),
        Command::Redact(cmd) => redact::run(cmd),
        Command::Staff(cmd) => staff::run_staff(&flags, cmd).await,
        Command::Admin(cmd) => staff::run_admin(&flags, cmd).await,
    }
}

/// A date given as a flag, refused with the flag's name when it is not one.
pub fn parse_date(raw: &str, flag: &str) -> Result<jiff::civil::Date> {
    raw.trim()
        .parse()
        .with_context(|| format!("--{flag}: '{raw}' is not a date (YYYY-MM-DD)"))
}

/// The operator running this command, for the record of who changed what.
pub fn operator_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// The person at the console, as an actor in the audit log.
pub fn operator_actor() -> Actor {
    Actor::Cli(operator_name())
}

/// The person at the console, as a caller the policy gate decides about.
pub fn operator() -> hearth_service::Caller {
    hearth_service::Caller::operator(&operator_name())
}

/// Starts logging: ids only, never personal data, in text or JSON.
pub fn init_logging(format: LogFormat, default_level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// The register the configuration names, or the shipped one.
pub fn load_register(config: &Config) -> Result<RegisterSource> {
    match &config.register {
        Some(path) => load_register_file(path).map_err(|problems| {
            anyhow::anyhow!("the register is invalid:\n  {}", problems.join("\n  "))
        }),
        None => RegisterSource::shipped()
            .map_err(|problems| anyhow::anyhow!("the shipped register is invalid: {problems:?}")),
    }
}

/// Opens the database (creating the data directory for embedded SQLite), migrates it, loads
/// the register and records its version, since what follows runs under it.
pub async fn open(config: &Config) -> Result<Hearth> {
    let (hearth, source) = open_without_recording(config).await?;
    hearth
        .record_register_version(&source, &operator_actor())
        .await
        .context("recording the register version")?;
    hearth
        .record_policy_version(&operator_actor())
        .await
        .context("recording the access policy")?;
    Ok(hearth)
}

/// Opens the application for a read-only command, which runs no rule and so changes no
/// register version.
pub async fn open_without_recording(config: &Config) -> Result<(Hearth, RegisterSource)> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    }
    let source = load_register(config)?;
    let store = hearth_store::open(&config.database_url, config.sealer()?)
        .await
        .with_context(|| format!("opening {}", config.redacted_database_url()))?;
    let (policy, origin) = config.policy_text()?;
    let hearth = Hearth::with_policy(
        store,
        Arc::new(source.register.clone()),
        Arc::new(SystemClock),
        &policy,
        &origin,
    )
    .map_err(|e| anyhow::anyhow!("the access policy does not fit the register:\n{e}"))?
    .with_media(config.media.open().context("opening media storage")?)
    .with_signing_key(config.certificate_key()?)
    .with_bank_holidays(config.bank_holidays()?)
    .with_public_url(&config.public_url)
    .with_transports(config.transports.clone())
    .with_ice(config.ice.clone())
    .with_repair_targets(config.repair_targets)
    .map_err(|e| anyhow::anyhow!("repair_targets: {e}"))?;
    let hearth = match &config.one_login {
        Some(settings) => hearth.with_one_login(
            hearth_service::residents::OneLogin::new(settings.clone())
                .map_err(|problems| anyhow::anyhow!("one_login: {}", problems.join("; ")))?,
        ),
        None => hearth,
    };
    Ok((hearth, source))
}
