//! `hearth audit verify`: checks the audit log's hash chain from the first event.

use crate::config::{Config, Flags};
use anyhow::Result;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Verify the whole audit chain and name the first event that was edited, deleted,
    /// inserted or reordered.
    Verify,
}

pub async fn run(flags: &Flags, command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Verify => {
            let (hearth, _) = super::open_without_recording(&Config::load(flags)?).await?;
            let outcome = hearth.verify_audit_log().await?;
            match outcome.broken {
                None => {
                    println!("audit log intact: {} events verified", outcome.verified);
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
