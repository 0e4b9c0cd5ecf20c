//! Retention: the schedules from the register, legal holds, disposal reviews, the run that
//! applies them, media storage, and the destruction log with its signed certificates.

mod filed;
mod holds;
mod media;
mod page;
mod sweep;

pub use filed::MAX_MEDIA_BYTES;
pub use media::{AzureLocation, MediaError, MediaStore, S3Location};
pub use page::certificate_html;
pub use sweep::{BATCH, PURPOSE};

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::retention::{ScheduleView, SignedCertificate};
use hearth_policy::AdminAction;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The day periods are judged against (today, or a date given for a what-if dry run).
    pub as_of: Date,
    /// Report only: nothing is changed or logged.
    pub dry_run: bool,
    /// One record type only.
    pub only: Option<String>,
}

/// What a run did (or, dry, would do) to one record type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportLine {
    pub record_type: String,
    pub name: String,
    pub rule: String,
    pub action: String,
    pub destroyed: u64,
    pub anonymised: u64,
    pub queued_for_review: u64,
    /// Past their period but under a legal hold: kept.
    pub held: i64,
    /// Refused by the access policy (a restricted person's records): kept.
    pub kept_by_policy: u64,
}

/// A run's report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunReport {
    pub run_id: Option<Uuid>,
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    pub dry_run: bool,
    pub lines: Vec<ReportLine>,
    /// Record types the run could not apply (a trigger the records do not carry).
    pub problems: Vec<String>,
    pub certificate: Option<SignedCertificate>,
    /// Earlier runs whose process died, closed by this one.
    pub interrupted_runs: Vec<Uuid>,
}

/// A run as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunSummary {
    pub id: Uuid,
    pub actor: String,
    #[schema(value_type = String, format = Date)]
    pub as_of: Date,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: jiff::Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<jiff::Timestamp>,
    pub status: String,
    pub register_version: String,
    pub destroyed: u64,
    pub anonymised: u64,
}

impl Hearth {
    /// Every record type's schedule as the register states it.
    pub fn retention_schedules(&self) -> Vec<ScheduleView> {
        self.register
            .record_types
            .iter()
            .map(ScheduleView::of)
            .collect()
    }

    /// Recent runs, newest first, with their totals.
    pub async fn retention_runs(&self, caller: &Caller, limit: i64) -> Result<Vec<RunSummary>> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        let mut out = Vec::new();
        for run in self.store.list_runs(limit.clamp(1, 1000)).await? {
            let lines = self.store.destruction_lines(run.id).await?;
            out.push(RunSummary {
                id: run.id,
                actor: run.actor,
                as_of: run.as_of,
                started_at: run.started_at,
                finished_at: run.finished_at,
                status: run.status,
                register_version: run.register_version,
                destroyed: lines.iter().map(|l| l.destroyed).sum(),
                anonymised: lines.iter().map(|l| l.anonymised).sum(),
            });
        }
        Ok(out)
    }

    /// A finished run's signed certificate.
    pub async fn retention_certificate(
        &self,
        caller: &Caller,
        run_id: Uuid,
    ) -> Result<SignedCertificate> {
        self.require_admin(caller, AdminAction::ManageRetention)
            .await?;
        let run = self
            .store
            .get_run(run_id)
            .await?
            .ok_or(ServiceError::NotFound("retention run"))?;
        let json = run.certificate.ok_or_else(|| {
            ServiceError::Conflict("the run has not finished: no certificate yet".into())
        })?;
        serde_json::from_str(&json)
            .map_err(|e| ServiceError::Storage(format!("stored certificate: {e}")))
    }

    /// The public half of the key certificates are signed with, when one is configured.
    pub fn signing_public_key(&self) -> Option<String> {
        self.signing_key.as_ref().map(|k| k.public_key())
    }
}
