//! `hearth token`: API tokens for machine clients, issued from the server's console.

use crate::config::{Config, Flags};
use anyhow::Result;
use hearth_service::access::TokenRequest;
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Issue a token; its secret is printed once and only its hash is kept.
    Create {
        /// Which system uses the token.
        #[arg(long)]
        name: String,
        /// A register role the token acts with (repeat for more).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// A register purpose the token may be used for (repeat for more).
        #[arg(long = "purpose", required = true)]
        purposes: Vec<String>,
        /// Days until it expires.
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token at once.
    Revoke { id: uuid::Uuid },
}

pub async fn run(flags: &Flags, command: TokenCommand) -> Result<ExitCode> {
    let config = Config::load(flags)?;
    let (hearth, _) = super::open_without_recording(&config).await?;
    let operator = super::operator();
    match command {
        TokenCommand::Create {
            name,
            roles,
            purposes,
            days,
        } => {
            let request = TokenRequest {
                name,
                roles,
                purposes,
                valid_days: days,
            };
            match hearth.create_api_token(&operator, &request).await {
                Ok((token, secret)) => {
                    println!("token {} expires {}", token.id, token.expires_at);
                    println!("{secret}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(hearth_service::ServiceError::Invalid(errors)) => {
                    for e in errors.0 {
                        eprintln!("{}: {}", e.field, e.message);
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        TokenCommand::List => {
            for t in hearth.list_api_tokens(&operator).await? {
                let state = match t.revoked_at {
                    Some(at) => format!("revoked {at}"),
                    None => format!("expires {}", t.expires_at),
                };
                println!(
                    "{}  {}  roles={}  purposes={}  {state}",
                    t.id,
                    t.name,
                    t.roles.join(","),
                    t.purposes.join(",")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { id } => {
            hearth.revoke_api_token(&operator, id).await?;
            println!("token {id} revoked");
            Ok(ExitCode::SUCCESS)
        }
    }
}
