//! `hearth register check|show|history`.

use crate::config::{Config, Flags};
use anyhow::Result;
use hearth_core::register::render_text;
use hearth_service::load_register_file;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum RegisterCommand {
    /// Validate a register file and report every problem with its line, field and reason.
    Check { file: PathBuf },
    /// Print a register readably: the given file, or the one configured.
    Show { file: Option<PathBuf> },
    /// List every register version the server has run, with who loaded it and when.
    History,
}

pub async fn run(flags: &Flags, command: RegisterCommand) -> Result<ExitCode> {
    match command {
        RegisterCommand::Check { file } => match load_register_file(&file) {
            Ok(source) => {
                let r = &source.register;
                println!(
                    "{}: valid: {} purposes, {} record types, {} recipients (sha256 {})",
                    file.display(),
                    r.purposes.len(),
                    r.record_types.len(),
                    r.recipients.len(),
                    r.hash
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(problems) => {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                eprintln!("{}: {} problem(s)", file.display(), problems.len());
                Ok(ExitCode::FAILURE)
            }
        },
        RegisterCommand::Show { file } => {
            let source = match file {
                Some(path) => load_register_file(&path).map_err(|p| {
                    anyhow::anyhow!("the register is invalid:\n  {}", p.join("\n  "))
                })?,
                None => super::load_register(&Config::load(flags)?)?,
            };
            print!("{}", render_text(&source.register));
            Ok(ExitCode::SUCCESS)
        }
        RegisterCommand::History => {
            let (hearth, _) = super::open_without_recording(&Config::load(flags)?).await?;
            for version in hearth.register_history().await? {
                println!(
                    "{}  {}  {:<20}  {}",
                    version.loaded_at,
                    &version.sha256[..12.min(version.sha256.len())],
                    version.version_label,
                    version.loaded_by
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
