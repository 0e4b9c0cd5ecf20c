//! `hearth policy`: check an access policy against the register before deploying it, and print
//! the Cedar schema the register gives policies to write against.

use crate::config::{Config, Flags};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file (or the configured one) against the register: syntax, the
    /// schema, and an `@id` on every policy. Errors name the file and line.
    Check {
        /// The policy file; the configured policy when not given.
        file: Option<PathBuf>,
    },
    /// Print the Cedar schema generated from the register.
    Schema,
}

pub fn run(flags: &Flags, command: PolicyCommand) -> Result<ExitCode> {
    let mut config = Config::load(flags)?;
    let source = super::load_register(&config)?;
    match command {
        PolicyCommand::Check { file } => {
            if file.is_some() {
                config.policy = file;
            }
            let (text, origin) = config.policy_text()?;
            match hearth_policy::Gate::new(&source.register, &text, &origin) {
                Ok(gate) => {
                    println!(
                        "{origin}: valid: {} policies against register {}",
                        gate.policy_count(),
                        source.register.short_hash()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        PolicyCommand::Schema => {
            print!("{}", hearth_policy::cedar_schema_text(&source.register));
            Ok(ExitCode::SUCCESS)
        }
    }
}
