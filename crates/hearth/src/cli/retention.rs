//! `hearth retention`: run the register's schedules now (or as a dry run on any date), list the
//! destruction log, write and verify disposal certificates, and manage legal holds.

use super::parse_date;
use crate::config::{Config, Flags};
use anyhow::{Context, Result, bail};
use hearth_core::retention::{HoldScope, NewHold, SignedCertificate};
use hearth_service::retention::{RunOptions, RunReport, certificate_html};
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

#[derive(Debug, clap::Subcommand)]
pub enum RetentionCommand {
    /// Apply every schedule: destroy, anonymise or queue for review what has passed its period.
    Run {
        /// Report what would go, by record type, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Judge periods as of this day (YYYY-MM-DD) instead of today; only with --dry-run.
        #[arg(long)]
        as_of: Option<String>,
        /// One record type only.
        #[arg(long)]
        only: Option<String>,
    },
    /// The destruction log: recent runs with their counts.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Write a run's signed certificate as JSON, and as a readable page with --html.
    Certificate {
        run_id: Uuid,
        /// Where to write the JSON (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the readable HTML page here.
        #[arg(long)]
        html: Option<PathBuf>,
    },
    /// Check a certificate's signature against this installation's signing key.
    Verify {
        certificate: PathBuf,
        /// Check against this public key (hex) instead of the configured one.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Legal holds.
    #[command(subcommand)]
    Holds(HoldsCommand),
    /// Disposal reviews waiting for a decision.
    Reviews {
        /// Only reviews past their decide-by date.
        #[arg(long)]
        overdue: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum HoldsCommand {
    /// Active holds; --overdue lists those past their review date.
    List {
        #[arg(long)]
        overdue: bool,
        /// Lifted holds too.
        #[arg(long)]
        all: bool,
    },
    /// Place a hold on a person, a case, a record or a record type.
    Place {
        #[arg(long, group = "scope")]
        person: Option<Uuid>,
        #[arg(long, group = "scope")]
        case: Option<String>,
        /// A record type; with --record, one record of it.
        #[arg(long, group = "scope_type")]
        record_type: Option<String>,
        #[arg(long, requires = "record_type")]
        record: Option<Uuid>,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        requester: String,
        /// The responsible member of staff, by account id.
        #[arg(long)]
        owner: Uuid,
        /// YYYY-MM-DD
        #[arg(long)]
        review_on: String,
    },
    /// Lift a hold.
    Lift {
        id: Uuid,
        #[arg(long)]
        reason: String,
    },
}

fn print_report(report: &RunReport) {
    let verb = if report.dry_run { "would" } else { "did" };
    println!(
        "retention {} as of {}{}",
        if report.dry_run { "dry run" } else { "run" },
        report.as_of,
        report
            .run_id
            .map(|id| format!(" (run {id})"))
            .unwrap_or_default()
    );
    for id in &report.interrupted_runs {
        println!("closed interrupted run {id} (its certificate records what it finished)");
    }
    for l in &report.lines {
        if l.destroyed + l.anonymised + l.queued_for_review + l.kept_by_policy == 0 && l.held == 0 {
            continue;
        }
        println!(
            "  {:<32} {} {}: destroy {}, anonymise {}, queue for review {}; kept: {} held, {} restricted  [{}]",
            l.record_type,
            verb,
            l.action,
            l.destroyed,
            l.anonymised,
            l.queued_for_review,
            l.held,
            l.kept_by_policy,
            l.rule
        );
    }
    for p in &report.problems {
        println!("  problem: {p}");
    }
}

pub async fn run(flags: &Flags, command: RetentionCommand) -> Result<ExitCode> {
    let config = Config::load(flags)?;
    let operator = super::operator();
    match command {
        RetentionCommand::Run {
            dry_run,
            as_of,
            only,
        } => {
            let hearth = super::open(&config).await?;
            let as_of = match as_of {
                Some(raw) if !dry_run => {
                    bail!("--as-of {raw} needs --dry-run: a real run judges periods as of today")
                }
                Some(raw) => parse_date(&raw, "as-of")?,
                None => hearth.today(),
            };
            if let Some(only) = &only
                && hearth.register().record_type(only).is_none()
            {
                bail!("--only: '{only}' is not a record type in the register");
            }
            let report = hearth
                .run_retention(
                    &operator,
                    &RunOptions {
                        as_of,
                        dry_run,
                        only,
                    },
                )
                .await?;
            print_report(&report);
            Ok(if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        RetentionCommand::Log { limit } => {
            let (hearth, _) = super::open_without_recording(&config).await?;
            for run in hearth.retention_runs(&operator, limit).await? {
                println!(
                    "{}  {}  as of {}  {}  destroyed {}, anonymised {}  by {}",
                    run.id,
                    run.started_at,
                    run.as_of,
                    run.status,
                    run.destroyed,
                    run.anonymised,
                    run.actor
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Certificate { run_id, out, html } => {
            let (hearth, _) = super::open_without_recording(&config).await?;
            let signed = hearth.retention_certificate(&operator, run_id).await?;
            let json = serde_json::to_string_pretty(&signed)?;
            match out {
                Some(path) => std::fs::write(&path, json)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => println!("{json}"),
            }
            if let Some(path) = html {
                std::fs::write(&path, certificate_html(&signed))
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Verify {
            certificate,
            public_key,
        } => {
            let text = std::fs::read_to_string(&certificate)
                .with_context(|| format!("reading {}", certificate.display()))?;
            let signed: SignedCertificate = serde_json::from_str(&text).with_context(|| {
                format!("{} is not a disposal certificate", certificate.display())
            })?;
            let expected = match public_key {
                Some(key) => key,
                None => config.certificate_key()?.public_key(),
            };
            match signed.verify(Some(&expected)) {
                Ok(()) => {
                    println!(
                        "valid: run {} ({}), {} destroyed, {} anonymised, signed by {}",
                        signed.certificate.run_id,
                        signed.certificate.status,
                        signed.certificate.total_destroyed(),
                        signed.certificate.total_anonymised(),
                        signed.public_key
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("INVALID: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        RetentionCommand::Reviews { overdue } => {
            let (hearth, _) = super::open_without_recording(&config).await?;
            for r in hearth.list_reviews(&operator, None, overdue).await? {
                println!(
                    "{}  {} {}  {}  due {}  decide by {}  for {}",
                    r.id,
                    r.record_type,
                    r.record_id,
                    r.status.as_str(),
                    r.due_on,
                    r.decide_by,
                    r.review_role
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        RetentionCommand::Holds(command) => holds(&config, command).await,
    }
}

async fn holds(config: &Config, command: HoldsCommand) -> Result<ExitCode> {
    let operator = super::operator();
    match command {
        HoldsCommand::List { overdue, all } => {
            let (hearth, _) = super::open_without_recording(config).await?;
            for h in hearth.list_holds(&operator, !all, overdue).await? {
                println!(
                    "{}  {} {}  review on {}  {}  requested by {}: {}",
                    h.id,
                    h.scope.kind(),
                    h.scope.target(),
                    h.review_on,
                    if h.is_active() { "active" } else { "lifted" },
                    h.requester,
                    h.reason
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        HoldsCommand::Place {
            person,
            case,
            record_type,
            record,
            reason,
            requester,
            owner,
            review_on,
        } => {
            let scope = match (person, case, record_type, record) {
                (Some(person_id), None, None, None) => HoldScope::Person { person_id },
                (None, Some(case_ref), None, None) => HoldScope::Case { case_ref },
                (None, None, Some(record_type), Some(record_id)) => HoldScope::Record {
                    record_type,
                    record_id,
                },
                (None, None, Some(record_type), None) => HoldScope::RecordType { record_type },
                _ => bail!(
                    "name one scope: --person, --case, --record-type, or --record-type with --record"
                ),
            };
            let hearth = super::open(config).await?;
            let hold = hearth
                .place_hold(
                    &operator,
                    &NewHold {
                        scope,
                        reason,
                        requester,
                        owner,
                        review_on: parse_date(&review_on, "review-on")?,
                    },
                )
                .await?;
            println!("hold {} placed", hold.id);
            Ok(ExitCode::SUCCESS)
        }
        HoldsCommand::Lift { id, reason } => {
            let hearth = super::open(config).await?;
            hearth.lift_hold(&operator, id, &reason).await?;
            println!("hold {id} lifted");
            Ok(ExitCode::SUCCESS)
        }
    }
}
