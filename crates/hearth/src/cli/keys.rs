//! `hearth keys`: rotate the key-encryption key and see which key wraps how many data keys.

use crate::config::{Config, Flags};
use anyhow::{Context, Result};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Add a new active key-encryption key to the key file and re-wrap every person's data
    /// key under it, while Hearth keeps serving (running servers read the file again when
    /// they meet the new key). Older keys stay in the file for backups made before today.
    Rotate,
    /// Which key-encryption key wraps how many data keys.
    Status,
}

pub async fn run(flags: &Flags, command: KeysCommand) -> Result<ExitCode> {
    let config = Config::load(flags)?;
    let operator = super::operator();
    match command {
        KeysCommand::Rotate => {
            // Make sure the file exists (and the database is sealed) before adding to it.
            drop(super::open_without_recording(&config).await?);
            let kek_id = hearth_crypto::key_file::add_active(
                &config.key_file,
                hearth_core::clock::Clock::now(&hearth_core::clock::SystemClock),
            )
            .with_context(|| format!("adding a key to {}", config.key_file.display()))?;
            println!("new active key-encryption key {kek_id}");
            let (hearth, _) = super::open_without_recording(&config).await?;
            hearth.record_key_rotation(&operator, &kek_id).await?;
            let done = hearth.rewrap_keys(&operator).await?;
            println!("{done} data keys re-wrapped under {kek_id}");
            println!(
                "older keys stay in {}: remove one only when no backup still needs it",
                config.key_file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Status => {
            let (hearth, _) = super::open_without_recording(&config).await?;
            for (kek_id, count) in hearth.key_status(&operator).await? {
                println!("{kek_id}  {count} data keys");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
