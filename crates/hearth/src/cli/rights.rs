//! `hearth rights`: the requests register from the console. Log a request, record each step
//! with its date, and list what is due soon, overdue or waiting on the requester.

use super::parse_date;
use crate::config::{Config, Flags};
use anyhow::{Context, Result};
use hearth_core::rights::{
    Channel, ClockState, Closure, Decision, Erasure, Extension, NewRightsRequest, Outcome,
    Override, RequestKind, Requester,
};
use hearth_service::rights::{
    ErasureApproval, ObjectionDecision, RectificationInput, Redaction, ReleaseApproval,
    RequestChange, RequestView, RequestsView, RestrictionInput, WithdrawalInput,
};
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

#[derive(Debug, clap::Subcommand)]
pub enum RightsCommand {
    /// Log a request the day it arrives.
    Log {
        #[arg(long)]
        person: Uuid,
        /// access, rectification, erasure, restriction, objection, portability,
        /// consent_withdrawal or automated_decision_review
        #[arg(long)]
        kind: String,
        /// letter, phone, email, web or in_person
        #[arg(long)]
        channel: String,
        /// The day it was received (YYYY-MM-DD); today when not given.
        #[arg(long)]
        received_on: Option<String>,
        /// What was asked for.
        #[arg(long)]
        summary: String,
        /// Proof of identity is needed before the clock starts.
        #[arg(long)]
        identity_needed: bool,
        /// Made by a representative: their name (with --relationship and --contact).
        #[arg(long, requires_all = ["relationship", "contact"])]
        representative: Option<String>,
        #[arg(long, requires = "representative")]
        relationship: Option<String>,
        #[arg(long, requires = "representative")]
        contact: Option<String>,
    },
    /// The register, soonest due first.
    List {
        /// open (default), all, due_soon, overdue or waiting
        #[arg(long, default_value = "open")]
        view: String,
        /// For due_soon: due within this many days.
        #[arg(long, default_value_t = 7)]
        days: i64,
        #[arg(long)]
        person: Option<Uuid>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One request, as JSON, with its clock.
    Show { id: Uuid },
    /// Proof of identity arrived on this day.
    VerifyIdentity {
        id: Uuid,
        #[arg(long)]
        on: String,
    },
    /// Proof of a representative's authority arrived on this day.
    Authority {
        id: Uuid,
        #[arg(long)]
        on: String,
    },
    /// Clarification asked on this day: the clock stops until it is answered.
    Clarify {
        id: Uuid,
        #[arg(long)]
        on: String,
        #[arg(long)]
        question: String,
    },
    /// The requester's answer to the clarification, on this day.
    Answer {
        id: Uuid,
        #[arg(long)]
        on: String,
        #[arg(long)]
        answer: String,
    },
    /// Extend by two further months; the person was told on --told-on, with the reason.
    Extend {
        id: Uuid,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        told_on: String,
    },
    /// Close: fulfilled, partly_fulfilled, refused or withdrawn, with the response sent.
    Close {
        id: Uuid,
        #[arg(long)]
        outcome: String,
        /// The grounds, for a refusal or a partial response.
        #[arg(long)]
        reason: Option<String>,
        /// The response letter as sent (a text or HTML file).
        #[arg(long)]
        letter: Option<PathBuf>,
        /// The day it was closed; today when not given.
        #[arg(long)]
        on: Option<String>,
    },
    /// An erasure request's plan: prepare it, show it, approve it, carry it out.
    #[command(subcommand)]
    Erasure(ErasureCommand),
    /// Correct the person record of a rectification request: the whole record as it should
    /// be, as JSON (as for an update), against the version read.
    Rectify {
        id: Uuid,
        #[arg(long)]
        version: i64,
        /// A JSON file with the corrected person record.
        #[arg(long)]
        person: PathBuf,
    },
    /// Every correction made to a person's record, with the previous values, as JSON.
    Corrections { person: Uuid },
    /// Every disclosure of a person's data outside the council, as JSON. (Disclosures are
    /// recorded by the staff who make them, through the API.)
    Disclosures { person: Uuid },
    /// Restrict processing for a restriction request (storage only from now on) and close it
    /// with the letter. --ground: accuracy_contested, unlawful_processing,
    /// needed_for_legal_claims or objection_pending.
    Restrict {
        id: Uuid,
        #[arg(long)]
        ground: String,
    },
    /// Answer an objection: --uphold, or refuse with the compelling grounds (data protection
    /// officer).
    Objection {
        id: Uuid,
        #[arg(
            long,
            conflicts_with = "compelling_grounds",
            required_unless_present = "compelling_grounds"
        )]
        uphold: bool,
        #[arg(long)]
        compelling_grounds: Option<String>,
    },
    /// Withdraw consent for a consent withdrawal request (--purpose, repeatable); what was held
    /// on that consent alone gets an erasure plan (see `rights erasure`).
    WithdrawConsent {
        id: Uuid,
        #[arg(long, required = true)]
        purpose: Vec<String>,
    },
    /// An access request's response: review the bundle, release it by a single-use link.
    #[command(subcommand)]
    Access(AccessCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum AccessCommand {
    /// The bundle as it would go out, with flags for free text naming others and the passages
    /// the redaction engine proposes to redact, as JSON.
    Review { id: Uuid },
    /// Approve the release (data protection officer): prints the single-use download link.
    Release {
        id: Uuid,
        /// Redact a contact's or record's free text: RECORD_ID=REASON (repeatable).
        #[arg(long, value_name = "RECORD_ID=REASON")]
        redact: Vec<String>,
        /// Redact every passage the redaction engine proposes (see `review`).
        #[arg(long)]
        accept_proposed: bool,
        /// How long the link lives, 1 to 30 days.
        #[arg(long, default_value_t = 14)]
        valid_days: i64,
        /// Hearth's public address, to print the full link.
        #[arg(long, default_value = "")]
        base_url: String,
    },
}

async fn run_access(
    hearth: &hearth_service::Hearth,
    operator: &hearth_service::Caller,
    command: AccessCommand,
) -> Result<ExitCode> {
    match command {
        AccessCommand::Review { id } => {
            let review = hearth.review_access(operator, id).await?;
            print_json(&review)?;
            eprintln!(
                "{} contact(s), {} record(s), {} withheld, {} flag(s) to review, {} proposed redaction(s)",
                review.bundle.contacts.len(),
                review.bundle.records.len(),
                review.bundle.withheld.len(),
                review.flags.len(),
                review.proposed.len()
            );
        }
        AccessCommand::Release {
            id,
            redact,
            accept_proposed,
            valid_days,
            base_url,
        } => {
            let mut redactions = Vec::new();
            for raw in &redact {
                let (record_id, reason) = split_pair(raw, "redact")?;
                redactions.push(Redaction { record_id, reason });
            }
            let released = hearth
                .release_access(
                    operator,
                    id,
                    &ReleaseApproval {
                        redactions,
                        accept_proposed,
                        valid_days,
                    },
                )
                .await?;
            let r = &released.release;
            eprintln!(
                "release {}: {} bytes, sha256 {}, link expires {} and works once",
                r.id, r.size, r.sha256, r.expires_at
            );
            println!(
                "{}{}",
                base_url.trim_end_matches('/'),
                released.download_path
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Subcommand)]
pub enum ErasureCommand {
    /// Prepare (or prepare again) the plan: each thing held, erase or keep, ground, until when.
    Prepare { id: Uuid },
    /// The plan as it stands, as JSON.
    Show { id: Uuid },
    /// Approve the plan reviewed (its --version), changing decisions with reasons.
    Approve {
        id: Uuid,
        /// The plan version reviewed.
        #[arg(long)]
        version: i64,
        /// Erase a record the plan keeps: RECORD_ID=REASON (repeatable).
        #[arg(long, value_name = "RECORD_ID=REASON")]
        erase: Vec<String>,
        /// Keep a record the plan erases: RECORD_ID=REASON (repeatable).
        #[arg(long, value_name = "RECORD_ID=REASON")]
        keep: Vec<String>,
    },
    /// Carry out the approved plan; prints the letter.
    Execute { id: Uuid },
}

/// `RECORD_ID=REASON` from a flag.
fn split_pair(raw: &str, flag: &str) -> Result<(Uuid, String)> {
    let (id, reason) = raw
        .split_once('=')
        .ok_or_else(|| anyhow::anyhow!("--{flag} {raw}: expected RECORD_ID=REASON"))?;
    let record_id = id
        .trim()
        .parse()
        .map_err(|e| anyhow::anyhow!("--{flag} {raw}: '{id}' is not a record id: {e}"))?;
    Ok((record_id, reason.to_string()))
}

/// `RECORD_ID=REASON` from `--erase` or `--keep`.
fn parse_override(raw: &str, flag: &str, decision: Decision) -> Result<Override> {
    let (record_id, reason) = split_pair(raw, flag)?;
    Ok(Override {
        record_id,
        decision,
        reason,
    })
}

/// One line per item of a plan: decision, ground, until, what.
fn print_plan(erasure: &Erasure) {
    println!(
        "erasure for request {}: {} (version {})",
        erasure.request_id, erasure.status, erasure.version
    );
    for item in &erasure.items {
        let until = match (&item.until, &item.until_text) {
            (Some(d), _) => format!("until {d}"),
            (None, Some(rule)) => rule.clone(),
            (None, None) => String::new(),
        };
        println!(
            "  {:<5} {:<20} {}  {}  [{}]  {}",
            item.decision, item.ground, item.record_id, item.description, item.record_type, until
        );
    }
}

async fn run_erasure(
    hearth: &hearth_service::Hearth,
    operator: &hearth_service::Caller,
    command: ErasureCommand,
) -> Result<ExitCode> {
    match command {
        ErasureCommand::Prepare { id } => print_plan(&hearth.prepare_erasure(operator, id).await?),
        ErasureCommand::Show { id } => print_json(&hearth.erasure(operator, id).await?)?,
        ErasureCommand::Approve {
            id,
            version,
            erase,
            keep,
        } => {
            let mut overrides = Vec::new();
            for raw in &erase {
                overrides.push(parse_override(raw, "erase", Decision::Erase)?);
            }
            for raw in &keep {
                overrides.push(parse_override(raw, "keep", Decision::Keep)?);
            }
            let approval = ErasureApproval { version, overrides };
            print_plan(&hearth.approve_erasure(operator, id, &approval).await?);
        }
        ErasureCommand::Execute { id } => {
            let done = hearth.execute_erasure(operator, id).await?;
            let r = &done.removed;
            eprintln!(
                "erased {} filed record(s), {} contact(s), {} membership(s), {} media object(s); person record {}",
                r.filed_records,
                r.contacts,
                r.memberships,
                r.media_objects,
                if r.person_erased {
                    "erased and its key destroyed"
                } else {
                    "kept"
                }
            );
            println!("{}", done.erasure.letter.unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_named<T: std::str::FromStr<Err = String>>(raw: &str, flag: &str) -> Result<T> {
    raw.trim()
        .parse()
        .map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
}

/// One line per request: id, kind, status, the clock, and who it is about (by id).
fn print_line(view: &RequestView) {
    let r = &view.request;
    let clock = match view.clock {
        ClockState::NotStarted => "waiting for identity or authority".to_string(),
        ClockState::Stopped { since, .. } => format!("stopped since {since} (clarification)"),
        ClockState::Running { due_on, .. } => match view.days_left {
            Some(d) if d < 0 => format!("OVERDUE since {due_on} ({} days)", -d),
            Some(d) => format!("due {due_on} ({d} days left)"),
            None => format!("was due {due_on}"),
        },
    };
    println!(
        "{}  {:<26} {:<10} received {}  {}  person {}",
        r.id, r.kind, r.status, r.received_on, clock, r.person_id
    );
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    println!(
        "{}",
        serde_json::to_string_pretty(value).context("rendering JSON")?
    );
    Ok(())
}

pub async fn run(flags: &Flags, command: RightsCommand) -> Result<ExitCode> {
    let config = Config::load(flags)?;
    let operator = super::operator();
    let hearth = super::open(&config).await?;
    let change = |id: Uuid, change: RequestChange| (id, change);
    let (id, step) = match command {
        RightsCommand::Log {
            person,
            kind,
            channel,
            received_on,
            summary,
            identity_needed,
            representative,
            relationship,
            contact,
        } => {
            let input = NewRightsRequest {
                person_id: person,
                kind: parse_named::<RequestKind>(&kind, "kind")?,
                channel: parse_named::<Channel>(&channel, "channel")?,
                received_on: match received_on {
                    Some(raw) => parse_date(&raw, "received-on")?,
                    None => hearth.today(),
                },
                requester: match representative {
                    Some(name) => Requester::Representative {
                        name,
                        relationship: relationship.unwrap_or_default(),
                        contact: contact.unwrap_or_default(),
                    },
                    None => Requester::Subject,
                },
                summary,
                identity_needed,
            };
            let view = hearth.log_rights_request(&operator, &input).await?;
            print_line(&view);
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::List {
            view,
            days,
            person,
            json,
        } => {
            let view =
                RequestsView::parse(&view, days).map_err(|e| anyhow::anyhow!("--view: {e}"))?;
            let views = hearth
                .rights_requests(&operator, view, person, 10_000)
                .await?;
            if json {
                print_json(&views)?;
            } else {
                views.iter().for_each(print_line);
                eprintln!(
                    "{} request(s); bank holidays: {} ({})",
                    views.len(),
                    hearth.bank_holidays().division().as_str(),
                    hearth.bank_holidays().coverage()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Erasure(command) => return run_erasure(&hearth, &operator, command).await,
        RightsCommand::Access(command) => return run_access(&hearth, &operator, command).await,
        RightsCommand::Rectify {
            id,
            version,
            person,
        } => {
            let text = std::fs::read_to_string(&person)
                .with_context(|| format!("--person: reading {}", person.display()))?;
            let person = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("--person {}: {e}", person.display()))?;
            let done = hearth
                .rectify(&operator, id, &RectificationInput { version, person })
                .await?;
            for c in &done.corrections {
                eprintln!("corrected {} (the previous value is kept)", c.field);
            }
            print_json(&done.person)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Restrict { id, ground } => {
            let ground = ground
                .parse()
                .map_err(|e| anyhow::anyhow!("--ground: {e}"))?;
            let view = hearth
                .restrict_on_request(&operator, id, &RestrictionInput { ground })
                .await?;
            eprintln!("restricted: the person's data is now only stored; request closed");
            print_json(&view)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Objection {
            id,
            uphold,
            compelling_grounds,
        } => {
            let view = hearth
                .decide_objection(
                    &operator,
                    id,
                    &ObjectionDecision {
                        upheld: uphold,
                        compelling_grounds,
                    },
                )
                .await?;
            print_json(&view)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::WithdrawConsent { id, purpose } => {
            let done = hearth
                .withdraw_consent_on_request(&operator, id, &WithdrawalInput { purposes: purpose })
                .await?;
            match &done.erasure {
                Some(plan) => eprintln!(
                    "consent withdrawn; {} record(s) held on it alone: erasure plan version {} awaits approval",
                    plan.items.len(),
                    plan.version
                ),
                None => {
                    eprintln!("consent withdrawn; nothing was held on it alone; request closed")
                }
            }
            print_json(&done)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Disclosures { person } => {
            print_json(&hearth.disclosures(&operator, person).await?)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Corrections { person } => {
            print_json(&hearth.corrections(&operator, person).await?)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::Show { id } => {
            print_json(&hearth.rights_request(&operator, id).await?)?;
            return Ok(ExitCode::SUCCESS);
        }
        RightsCommand::VerifyIdentity { id, on } => change(
            id,
            RequestChange::IdentityVerified {
                on: parse_date(&on, "on")?,
            },
        ),
        RightsCommand::Authority { id, on } => change(
            id,
            RequestChange::AuthorityReceived {
                on: parse_date(&on, "on")?,
            },
        ),
        RightsCommand::Clarify { id, on, question } => change(
            id,
            RequestChange::ClarificationAsked {
                on: parse_date(&on, "on")?,
                question,
            },
        ),
        RightsCommand::Answer { id, on, answer } => change(
            id,
            RequestChange::ClarificationAnswered {
                on: parse_date(&on, "on")?,
                answer,
            },
        ),
        RightsCommand::Extend {
            id,
            reason,
            told_on,
        } => change(
            id,
            RequestChange::Extended(Extension {
                reason,
                told_on: parse_date(&told_on, "told-on")?,
            }),
        ),
        RightsCommand::Close {
            id,
            outcome,
            reason,
            letter,
            on,
        } => {
            let response_letter = match letter {
                Some(path) => Some(
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("--letter: reading {}", path.display()))?,
                ),
                None => None,
            };
            change(
                id,
                RequestChange::Closed(Closure {
                    outcome: parse_named::<Outcome>(&outcome, "outcome")?,
                    reason,
                    response_letter,
                    closed_on: match on {
                        Some(raw) => parse_date(&raw, "on")?,
                        None => hearth.today(),
                    },
                }),
            )
        }
    };
    let view = hearth.change_rights_request(&operator, id, &step).await?;
    print_line(&view);
    Ok(ExitCode::SUCCESS)
}
