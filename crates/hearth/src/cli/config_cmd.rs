//! `hearth config check`: validates the configuration and prints where each setting came from.

use crate::config::{Config, Flags};
use anyhow::Result;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Validate the configuration (file, environment, flags) and the register it names.
    Check,
}

pub fn run(flags: &Flags, command: ConfigCommand) -> Result<ExitCode> {
    match command {
        ConfigCommand::Check => {
            let config = Config::load(flags)?;
            let register = super::load_register(&config)?;
            println!("configuration is valid");
            println!("  listen        {}", config.listen);
            println!("  data_dir      {}", config.data_dir.display());
            println!("  database_url  {}", config.redacted_database_url());
            println!(
                "  register      {} (sha256 {})",
                register.origin,
                register.register.short_hash()
            );
            println!("  log_format    {:?}", config.log_format);
            for (name, origin) in &config.origins {
                println!("  {name:<13} from {origin}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
