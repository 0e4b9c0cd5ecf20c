//! `hearth audit`: the signing key, signed checkpoints, and verification of the whole log.

use crate::config::{Config, Flags};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Verify the whole audit chain and its signed checkpoints; name the first event that was
    /// edited, deleted, inserted or reordered.
    Verify {
        /// The trusted public key (hex); by default the configured signing key's.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Sign the audit chain's head with the configured signing key (the server also does this
    /// every ten minutes).
    Checkpoint,
    /// Create a new audit signing key in FILE (readable by its owner only) and print its public half.
    Keygen { file: PathBuf },
    /// Who accessed a person's record, when, for which purpose, and what was decided.
    Show {
        /// The person's id.
        #[arg(long)]
        person: uuid::Uuid,
        /// How many events, newest first.
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

pub async fn run(flags: &Flags, command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Show { person, limit } => {
            let config = Config::load(flags)?;
            let (hearth, _) = super::open_without_recording(&config).await?;
            let events = hearth
                .audit_for_person(&super::operator(), person, limit)
                .await?;
            if events.is_empty() {
                println!("no access to person {person} is recorded");
            }
            for chained in events {
                let e = chained.event;
                let mut line = format!(
                    "{}  #{}  {}  {}  {}  purpose={}",
                    e.at,
                    chained.seq,
                    e.actor,
                    e.action,
                    e.decision,
                    e.purpose.as_deref().unwrap_or("-"),
                );
                if !e.fields.is_empty() {
                    line.push_str(&format!("  fields={}", e.fields.join(",")));
                }
                if let Some(reason) = &e.reason {
                    line.push_str(&format!("  reason={reason}"));
                }
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Keygen { file } => {
            let key = hearth_core::audit::CheckpointKey::from_seed(rand::random());
            write_secret(&file, &key.to_hex())
                .with_context(|| format!("writing {}", file.display()))?;
            println!("signing key written to {}", file.display());
            println!("public key: {}", key.public_key());
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Checkpoint => {
            let config = Config::load(flags)?;
            let key = config.signing_key()?.context(
                "no signing key configured: set signing_key_file or HEARTH_SIGNING_KEY_FILE",
            )?;
            let (hearth, _) = super::open_without_recording(&config).await?;
            match hearth.checkpoint_audit_log(&key).await? {
                Some(c) => println!("checkpoint signed at event {} ({})", c.seq, &c.hash[..16]),
                None => println!("nothing to sign: the log is empty or its head is already signed"),
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify { public_key } => {
            let config = Config::load(flags)?;
            let trusted = match public_key {
                Some(key) => Some(key),
                None => config.signing_key()?.map(|k| k.public_key()),
            };
            let (hearth, _) = super::open_without_recording(&config).await?;
            let outcome = hearth.verify_audit_log(trusted.as_deref()).await?;
            match outcome.broken {
                None => {
                    println!(
                        "audit log intact: {} events verified, {} signed checkpoints",
                        outcome.verified, outcome.checkpoints
                    );
                    if trusted.is_none() {
                        println!(
                            "(no trusted key given: checkpoint signatures were checked only against the keys they name)"
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Some(broken) => {
                    eprintln!(
                        "audit log BROKEN at {broken} ({} events before it verified)",
                        outcome.verified
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

/// Writes a secret readable by its owner only.
fn write_secret(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(format!("{text}\n").as_bytes())
}
