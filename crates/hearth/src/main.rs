//! The `hearth` binary: `serve` runs the server; the other commands administer it through the
//! same services the server uses.

mod cli;
mod config;
mod media_settings;
mod messaging;
mod one_login_settings;
mod progress;
mod video_settings;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Records for social-housing landlords, kept as their privacy notices promise"
)]
struct Cli {
    /// Configuration file (TOML); also HEARTH_CONFIG.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://...; also HEARTH_DATABASE_URL.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Directory for the embedded database and local files; also HEARTH_DATA_DIR.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Processing register file; the shipped register when not given. Also HEARTH_REGISTER.
    #[arg(long, global = true)]
    register: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server (migrating the database first).
    Serve(cli::serve::ServeArgs),
    /// Check or print the configuration.
    #[command(subcommand)]
    Config(cli::config_cmd::ConfigCommand),
    /// Check, show or list the history of the processing register.
    #[command(subcommand)]
    Register(cli::register::RegisterCommand),
    /// Import people, properties or tenancies from a CSV file.
    Import(cli::import::ImportArgs),
    /// Fill the database with deterministic synthetic data, or write it as CSV files.
    Demo(cli::demo::DemoArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Verify the tamper-evident audit log.
    #[command(subcommand)]
    Audit(cli::audit::AuditCommand),
    /// API tokens for machine clients.
    #[command(subcommand)]
    Token(cli::token::TokenCommand),
    /// Encryption keys: rotate the key-encryption key, see what it wraps.
    #[command(subcommand)]
    Keys(cli::keys::KeysCommand),
    /// Retention: run the schedules, see the destruction log, verify certificates, holds.
    #[command(subcommand)]
    Retention(cli::retention::RetentionCommand),
    /// Residents' rights requests: log them, record each step, see what is due and overdue.
    #[command(subcommand)]
    Rights(cli::rights::RightsCommand),
    /// The access policy: check it against the register, print the schema.
    #[command(subcommand)]
    Policy(cli::policy::PolicyCommand),
    /// Find and redact personal data in free text (JSON lines in, JSON lines out).
    #[command(subcommand)]
    Redact(cli::redact::RedactCommand),
    /// Staff accounts.
    #[command(subcommand)]
    Staff(cli::staff::StaffCommand),
    /// The first administrator.
    #[command(subcommand)]
    Admin(cli::staff::AdminCommand),
    /// Measure performance against its lower bound.
    #[command(subcommand)]
    Bench(cli::bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
