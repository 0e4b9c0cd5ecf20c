//! Repairs: a resident, staff or a partner reports a fault; planners triage it, give jobs to
//! operatives or contractors and book visits or video calls; the status history says who moved
//! it and when; a satisfaction follow-up closes the loop. Every read and change goes through the
//! policy gate as the `repairs_request` record the repair is filed as, and is audited.

mod report;
mod work;

pub use report::{JobSheet, resident_repairs_caller};
pub use work::StatusInput;

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::records::FiledRecord;
use hearth_core::repairs::{RepairFile, RepairStatus, StatusChange};
use hearth_policy::RecordAction;
use uuid::Uuid;

/// The register's record type a repair is filed as.
pub const REPAIR_RECORD_TYPE: &str = "repairs_request";

/// The purpose residents act under when they report and follow their repairs.
pub const REPAIRS_PURPOSE: &str = "repairs_and_maintenance";

impl Hearth {
    /// A repair and the record it is filed as, or not found.
    pub(crate) async fn load_repair(&self, id: Uuid) -> Result<(FiledRecord, RepairFile)> {
        let file = self
            .store
            .get_repair(id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))?;
        let record = self
            .store
            .get_filed_record(id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))?;
        Ok((record, file))
    }

    /// Asks the gate about a repair for the caller's purpose; the event is returned to be
    /// written with the change (a refusal is written at once).
    pub(crate) async fn admit_repair(
        &self,
        caller: &Caller,
        action: RecordAction,
        record: &FiledRecord,
        verb: &str,
    ) -> Result<hearth_core::audit::AuditEvent> {
        self.admit_filed_as(caller, action, record, None, format!("repair.{verb}"))
            .await
    }

    /// A status change made by this caller now.
    pub(crate) fn status_change(
        &self,
        caller: &Caller,
        repair_id: Uuid,
        status: RepairStatus,
        note: Option<String>,
    ) -> StatusChange {
        StatusChange {
            id: Uuid::now_v7(),
            repair_id,
            status,
            note,
            by: caller.actor().to_string(),
            at: self.now(),
        }
    }
}
