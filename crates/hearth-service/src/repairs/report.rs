//! Reporting a repair, reading one, listing them, and an operative's job sheets.

use super::{REPAIR_RECORD_TYPE, REPAIRS_PURPOSE};
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::records::{Address, FiledRecord, FiledRecordFields};
use hearth_core::repairs::{
    Appointment, Priority, Repair, RepairFile, RepairInput, RepairJob, RepairStatus, ReportedVia,
    repair_reference,
};
use hearth_policy::RecordAction;
use hearth_store::RepairQuery;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// What an operative sees of a job given to them: enough to reach the resident, find the home
/// and do the work, and nothing else (no description, which may say things about health).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobSheet {
    pub job: RepairJob,
    pub repair_id: Uuid,
    pub reference: String,
    pub category: hearth_core::repairs::RepairCategory,
    pub priority: Priority,
    #[schema(value_type = String, format = DateTime)]
    pub target_at: jiff::Timestamp,
    pub resident_name: String,
    pub phones: Vec<String>,
    pub address: Address,
    pub appointments: Vec<Appointment>,
}

impl Hearth {
    /// Reports a repair. A resident reports for their own home online; staff take reports by
    /// phone or in person, or on behalf of a partner, and set the priority.
    pub async fn report_repair(&self, caller: &Caller, input: &RepairInput) -> Result<RepairFile> {
        let report = input.validate()?;
        let resident = matches!(caller.actor(), Actor::Resident(_));
        if resident {
            self.refuse_other_resident(caller, report.person_id).await?;
            if report.reported_via.is_some_and(|v| v != ReportedVia::Web) {
                return Err(ServiceError::field(
                    "reported_via",
                    "a resident's own report is made online",
                ));
            }
            if report.priority.is_some() {
                return Err(ServiceError::field(
                    "priority",
                    "the repairs team sets the priority; for an emergency, phone us",
                ));
            }
        }
        let reported_via = match (resident, report.reported_via) {
            (true, _) => ReportedVia::Web,
            (false, Some(via)) => via,
            (false, None) => {
                return Err(ServiceError::field(
                    "reported_via",
                    "say how the repair was reported: phone, in_person, partner or web",
                ));
            }
        };
        let priority = match (resident, report.priority) {
            (true, _) => Priority::Routine,
            (false, Some(p)) => p,
            (false, None) => {
                return Err(ServiceError::field(
                    "priority",
                    "set the priority: emergency, urgent or routine",
                ));
            }
        };
        if self.store.get_person(report.person_id).await?.is_none() {
            return Err(ServiceError::field("person_id", "no such person"));
        }
        if self.store.get_property(report.property_id).await?.is_none() {
            return Err(ServiceError::field("property_id", "no such property"));
        }
        if let Some(tenancy) = report.tenancy_id {
            match self.store.get_tenancy(tenancy).await? {
                None => return Err(ServiceError::field("tenancy_id", "no such tenancy")),
                Some(t) if t.fields.property_id != report.property_id => {
                    return Err(ServiceError::field(
                        "tenancy_id",
                        "that tenancy is of another property",
                    ));
                }
                Some(_) => {}
            }
        }
        if resident && !self.lives_at(report.person_id, report.property_id).await? {
            return Err(ServiceError::field(
                "property_id",
                "you can report repairs only to a home you hold a tenancy of",
            ));
        }
        let now = self.now();
        let id = Uuid::now_v7();
        let reference = repair_reference(id);
        let record = FiledRecord {
            id,
            fields: FiledRecordFields {
                record_type: REPAIR_RECORD_TYPE.into(),
                person_id: Some(report.person_id),
                tenancy_id: report.tenancy_id,
                case_ref: Some(reference.clone()),
                title: format!("Repair {reference}: {}", report.category),
                details: Some(report.description.clone()),
                stats: serde_json::Map::new(),
                events: Default::default(),
            },
            created_at: now,
            last_activity_at: now,
            closed_at: None,
            anonymised_at: None,
            version: 1,
        };
        let repair = Repair {
            id,
            reference,
            person_id: report.person_id,
            property_id: report.property_id,
            tenancy_id: report.tenancy_id,
            category: report.category,
            priority,
            reported_via,
            partner: report.partner,
            description: report.description,
            status: RepairStatus::Reported,
            resolution: None,
            reported_at: now,
            target_at: self
                .repair_targets
                .target_at(priority, now, &self.bank_holidays),
            closed_at: None,
            satisfaction: None,
            version: 1,
        };
        let first = self.status_change(caller, id, RepairStatus::Reported, None);
        let event = self
            .admit_repair(caller, RecordAction::Create, &record, "report")
            .await?;
        self.store
            .insert_repair(&record, &repair, &first, &event)
            .await?;
        tracing::info!(repair = %id, priority = %priority, "repair reported");
        Ok(RepairFile {
            repair,
            jobs: vec![],
            appointments: vec![],
            history: vec![first],
        })
    }

    /// Whether the property is one of the person's homes today (see `current_homes`).
    async fn lives_at(&self, person_id: Uuid, property_id: Uuid) -> Result<bool> {
        Ok(self.current_homes(person_id).await?.contains(&property_id))
    }

    /// A repair with its jobs, appointments and history; the reading is audited.
    pub async fn repair(&self, caller: &Caller, id: Uuid) -> Result<RepairFile> {
        let (record, file) = self.load_repair(id).await?;
        let event = self
            .admit_repair(caller, RecordAction::Read, &record, "read")
            .await?;
        self.store.append_audit_events(&[event]).await?;
        Ok(file)
    }

    /// A repair's id from its reference.
    pub async fn repair_id_of(&self, reference: &str) -> Result<Uuid> {
        self.store
            .repair_by_reference(reference.trim())
            .await?
            .ok_or(ServiceError::NotFound("repair"))
    }

    /// Repairs matching the query, newest first, each the caller may see; one audit event
    /// names every repair returned. A resident sees their own.
    pub async fn repairs(
        &self,
        caller: &Caller,
        mut query: RepairQuery,
        limit: i64,
    ) -> Result<Vec<Repair>> {
        if let Actor::Resident(person) = caller.actor() {
            query.person_id = Some(
                person
                    .parse()
                    .map_err(|_| ServiceError::Forbidden("not a resident".into()))?,
            );
        }
        let found = self.store.list_repairs(&query, limit.clamp(1, 500)).await?;
        let mut shown = Vec::with_capacity(found.len());
        let mut event = self.event(caller, "repair.search".into());
        event.record_type = Some(REPAIR_RECORD_TYPE.into());
        for repair in found {
            let record = self.store.get_filed_record(repair.id).await?;
            let Some(record) = record else { continue };
            match self
                .admit_repair(caller, RecordAction::Search, &record, "search")
                .await
            {
                Ok(_) => {
                    event.record_ids.push(repair.id.to_string());
                    if !event.person_ids.contains(&repair.person_id) {
                        event.person_ids.push(repair.person_id);
                    }
                    shown.push(repair);
                }
                // Withheld from the list; the refusal is already in the audit log.
                Err(ServiceError::Forbidden(_)) => {}
                Err(e) => return Err(e),
            }
        }
        event.fields = vec!["record".into()];
        self.store.append_audit_events(&[event]).await?;
        Ok(shown)
    }

    /// The open jobs given to the calling operative, as job sheets; each is audited.
    pub async fn job_sheets(&self, caller: &Caller) -> Result<Vec<JobSheet>> {
        let Actor::Staff(staff) = caller.actor() else {
            return Err(ServiceError::Forbidden(
                "job sheets are for operatives".into(),
            ));
        };
        let staff_id: Uuid = staff
            .parse()
            .map_err(|_| ServiceError::Forbidden("not a staff account".into()))?;
        let query = RepairQuery {
            operative: Some(staff_id),
            ..Default::default()
        };
        let mut sheets = Vec::new();
        for repair in self.store.list_repairs(&query, 200).await? {
            let (record, file) = self.load_repair(repair.id).await?;
            let view = (
                "job_sheet",
                vec!["identity".into(), "contact".into(), "property".into()],
            );
            let event = self
                .admit_filed_as(
                    caller,
                    RecordAction::Read,
                    &record,
                    Some(view),
                    "repair.job_sheet".into(),
                )
                .await?;
            let person = self
                .store
                .get_person(repair.person_id)
                .await?
                .ok_or(ServiceError::NotFound("person"))?;
            let property = self
                .store
                .get_property(repair.property_id)
                .await?
                .ok_or(ServiceError::NotFound("property"))?;
            self.store.append_audit_events(&[event]).await?;
            for job in file.jobs.iter().filter(|j| {
                j.status == hearth_core::repairs::JobStatus::Assigned
                    && j.assignee == (hearth_core::repairs::Assignee::Operative { staff_id })
            }) {
                sheets.push(JobSheet {
                    job: job.clone(),
                    repair_id: repair.id,
                    reference: repair.reference.clone(),
                    category: repair.category,
                    priority: repair.priority,
                    target_at: repair.target_at,
                    resident_name: person.display_name(),
                    phones: person
                        .fields
                        .phones
                        .iter()
                        .map(|p| p.value.clone())
                        .collect(),
                    address: property.fields.address.clone(),
                    appointments: file
                        .appointments
                        .iter()
                        .filter(|a| a.job_id.is_none_or(|j| j == job.id))
                        .cloned()
                        .collect(),
                });
            }
        }
        Ok(sheets)
    }
}

/// The purpose a resident's repairs calls are made for.
pub fn resident_repairs_caller(person_id: Uuid) -> Caller {
    Caller::resident(person_id).for_purpose(REPAIRS_PURPOSE)
}
