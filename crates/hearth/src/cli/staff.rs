//! `hearth staff` and `hearth admin create`: staff accounts, created from the server's console.
//! Passwords are read from a file or standard input, never from the command line, where other
//! users of the machine could see them.

use crate::config::{Config, Flags};
use anyhow::{Context, Result, bail};
use hearth_service::access::StaffInput;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct NewStaff {
    /// The name they sign in with (letters, digits, '.', '_', '-').
    #[arg(long)]
    username: String,
    /// Their name as shown to colleagues.
    #[arg(long)]
    display_name: String,
    /// A file holding the password (first line); without it, the password is read from
    /// standard input.
    #[arg(long)]
    password_file: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum StaffCommand {
    /// Create a staff account with roles from the register.
    Create {
        #[command(flatten)]
        who: NewStaff,
        /// A register role (repeat for more).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// A team they belong to (repeat for more).
        #[arg(long = "team")]
        teams: Vec<String>,
    },
    /// List staff accounts (never their passwords).
    List,
}

#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Create an administrator: manages accounts, roles and keys, and reads no resident data.
    Create {
        #[command(flatten)]
        who: NewStaff,
    },
}

fn read_password(file: Option<&PathBuf>) -> Result<String> {
    let mut text = String::new();
    match file {
        Some(path) => {
            text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the password file {}", path.display()))?;
        }
        None => {
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the password from standard input")?;
        }
    }
    let password = text.lines().next().unwrap_or_default().to_string();
    if password.is_empty() {
        bail!("no password given: put it on the first line of --password-file or standard input");
    }
    Ok(password)
}

async fn create(
    flags: &Flags,
    who: NewStaff,
    roles: Vec<String>,
    teams: Vec<String>,
) -> Result<ExitCode> {
    let password = read_password(who.password_file.as_ref())?;
    let config = Config::load(flags)?;
    let (hearth, _) = super::open_without_recording(&config).await?;
    let input = StaffInput {
        username: who.username,
        display_name: who.display_name,
        password,
        roles,
        teams,
    };
    match hearth.create_staff(&super::operator(), &input).await {
        Ok(staff) => {
            println!(
                "staff account {} created: {} with roles {}",
                staff.id,
                staff.username,
                staff.roles.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(hearth_service::ServiceError::Invalid(errors)) => {
            for e in errors.0 {
                eprintln!("{}: {}", e.field, e.message);
            }
            Ok(ExitCode::FAILURE)
        }
        Err(hearth_service::ServiceError::Conflict(message)) => {
            eprintln!("{message}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn run_staff(flags: &Flags, command: StaffCommand) -> Result<ExitCode> {
    match command {
        StaffCommand::Create { who, roles, teams } => create(flags, who, roles, teams).await,
        StaffCommand::List => {
            let config = Config::load(flags)?;
            let (hearth, _) = super::open_without_recording(&config).await?;
            for s in hearth.list_staff(&super::operator()).await? {
                let state = if s.disabled { "  disabled" } else { "" };
                println!(
                    "{}  {}  roles={}  teams={}{state}",
                    s.id,
                    s.username,
                    s.roles.join(","),
                    s.teams.join(",")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub async fn run_admin(flags: &Flags, command: AdminCommand) -> Result<ExitCode> {
    match command {
        AdminCommand::Create { who } => {
            create(flags, who, vec!["administrator".to_string()], vec![]).await
        }
    }
}
