//! Working a repair: triage, jobs, appointments, status moves and the satisfaction answer. Each
//! change is checked against the repair's version and written whole with its audit event.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::records::FiledRecord;
use hearth_core::repairs::{
    Appointment, AppointmentInput, AppointmentKind, AppointmentStatus, Assignee, JobInput,
    JobStatus, Priority, Repair, RepairFile, RepairJob, RepairStatus, Resolution,
    SatisfactionInput, StatusChange,
};
use hearth_policy::RecordAction;
use hearth_store::RepairUpdate;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The role a job's operative must hold.
const OPERATIVE_ROLE: &str = "repairs_operative";

/// A move of a repair's status.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// in_progress, completed or cancelled (booking an appointment schedules a repair).
    pub status: String,
    /// visit, remote or no_fault_found: how a completed repair was resolved.
    pub resolution: Option<String>,
    pub note: Option<String>,
}

/// A change about to be written.
struct Change {
    repair: Repair,
    status_change: Option<StatusChange>,
    jobs: Vec<RepairJob>,
    appointments: Vec<Appointment>,
    message: Option<hearth_core::video::OutboxMessage>,
}

impl Change {
    fn of(repair: &Repair) -> Self {
        Self {
            repair: repair.clone(),
            status_change: None,
            jobs: vec![],
            appointments: vec![],
            message: None,
        }
    }
}

impl Hearth {
    /// Loads a repair the caller may change, at the version they saw.
    async fn open_repair_for_change(
        &self,
        caller: &Caller,
        id: Uuid,
        expected_version: i64,
        verb: &str,
    ) -> Result<(FiledRecord, RepairFile, hearth_core::audit::AuditEvent)> {
        let (record, file) = self.load_repair(id).await?;
        let event = self
            .admit_repair(caller, RecordAction::Update, &record, verb)
            .await?;
        if file.repair.version != expected_version {
            return Err(ServiceError::Conflict(format!(
                "the repair changed since you saw it (version {} now, not {expected_version}): reload it",
                file.repair.version
            )));
        }
        Ok((record, file, event))
    }

    fn staff_only(caller: &Caller, what: &str) -> Result<()> {
        match caller.actor() {
            Actor::Resident(_) => Err(ServiceError::Forbidden(format!(
                "{what} is for the repairs team"
            ))),
            _ => Ok(()),
        }
    }

    fn still_open(repair: &Repair) -> Result<()> {
        if repair.status.is_closed() {
            return Err(ServiceError::Conflict(format!(
                "repair {} is {}: it cannot change",
                repair.reference, repair.status
            )));
        }
        Ok(())
    }

    async fn write_change(
        &self,
        change: Change,
        expected_version: i64,
        event: hearth_core::audit::AuditEvent,
    ) -> Result<RepairFile> {
        let mut repair = change.repair;
        repair.version = expected_version + 1;
        self.store
            .update_repair(
                RepairUpdate {
                    repair: &repair,
                    expected_version,
                    status_change: change.status_change.as_ref(),
                    jobs: &change.jobs,
                    appointments: &change.appointments,
                    at: self.now(),
                    message: change.message.as_ref(),
                },
                &event,
            )
            .await?;
        self.store
            .get_repair(repair.id)
            .await?
            .ok_or(ServiceError::NotFound("repair"))
    }

    /// Moves the repair to `status`, recording the move; refuses a move the lifecycle forbids.
    fn move_to(
        &self,
        caller: &Caller,
        change: &mut Change,
        status: RepairStatus,
        note: Option<String>,
    ) -> Result<()> {
        let from = change.repair.status;
        if !from.can_move_to(status) {
            return Err(ServiceError::Conflict(format!(
                "a {from} repair cannot become {status}"
            )));
        }
        change.repair.status = status;
        if status.is_closed() {
            change.repair.closed_at = Some(self.now());
        }
        change.status_change = Some(self.status_change(caller, change.repair.id, status, note));
        Ok(())
    }

    /// Sets the priority after triage; the target is recounted from the report.
    pub async fn triage_repair(
        &self,
        caller: &Caller,
        id: Uuid,
        priority: &str,
        note: Option<String>,
        expected_version: i64,
    ) -> Result<RepairFile> {
        Self::staff_only(caller, "triage")?;
        let priority: Priority = priority
            .parse()
            .map_err(|e: String| ServiceError::field("priority", e))?;
        let note = clean_note(note)?;
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "triage")
            .await?;
        Self::still_open(&file.repair)?;
        let mut change = Change::of(&file.repair);
        let was = file.repair.priority;
        change.repair.priority = priority;
        change.repair.target_at =
            self.repair_targets
                .target_at(priority, file.repair.reported_at, &self.bank_holidays);
        let said = format!("Priority {priority} (was {was})");
        let note = Some(match note {
            Some(n) => format!("{said}. {n}"),
            None => said,
        });
        change.status_change = Some(self.status_change(caller, id, file.repair.status, note));
        self.write_change(change, expected_version, event).await
    }

    /// Gives a job to an operative (who may then see the resident's name, contact details and
    /// address while it is open) or to a contractor.
    pub async fn assign_repair_job(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &JobInput,
        expected_version: i64,
    ) -> Result<RepairFile> {
        Self::staff_only(caller, "giving out jobs")?;
        let (assignee, instructions) = input.validate()?;
        if let Assignee::Operative { staff_id } = &assignee {
            let account = self.store.get_staff(*staff_id).await?;
            match account {
                Some(a) if !a.disabled && a.roles.iter().any(|r| r == OPERATIVE_ROLE) => {}
                Some(_) => {
                    return Err(ServiceError::field(
                        "operative_id",
                        "that account is not an active repairs operative",
                    ));
                }
                None => return Err(ServiceError::field("operative_id", "no such staff account")),
            }
        }
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "assign")
            .await?;
        Self::still_open(&file.repair)?;
        let mut change = Change::of(&file.repair);
        change.jobs.push(RepairJob {
            id: Uuid::now_v7(),
            repair_id: id,
            assignee,
            instructions,
            status: JobStatus::Assigned,
            assigned_at: self.now(),
            finished_at: None,
        });
        self.write_change(change, expected_version, event).await
    }

    /// Marks a job done or cancelled; an operative with no job left on the person's repairs
    /// no longer sees them.
    pub async fn finish_repair_job(
        &self,
        caller: &Caller,
        id: Uuid,
        job_id: Uuid,
        outcome: &str,
        expected_version: i64,
    ) -> Result<RepairFile> {
        Self::staff_only(caller, "finishing jobs")?;
        let outcome: JobStatus = outcome
            .parse()
            .map_err(|e: String| ServiceError::field("outcome", e))?;
        if outcome == JobStatus::Assigned {
            return Err(ServiceError::field("outcome", "completed or cancelled"));
        }
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "job_finish")
            .await?;
        let mut job = file
            .jobs
            .iter()
            .find(|j| j.id == job_id)
            .cloned()
            .ok_or(ServiceError::NotFound("job"))?;
        if job.status != JobStatus::Assigned {
            return Err(ServiceError::Conflict(format!(
                "the job is already {}",
                job.status
            )));
        }
        job.status = outcome;
        job.finished_at = Some(self.now());
        let mut change = Change::of(&file.repair);
        change.jobs.push(job);
        self.write_change(change, expected_version, event).await
    }

    /// Books a home visit or a video call; the repair becomes scheduled. A video call needs
    /// the resident's consent to a video purpose in force.
    pub async fn book_repair_appointment(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &AppointmentInput,
        expected_version: i64,
    ) -> Result<RepairFile> {
        Self::staff_only(caller, "booking appointments")?;
        let (kind, starts_at, ends_at) = input.validate(self.now())?;
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "book")
            .await?;
        Self::still_open(&file.repair)?;
        if let Some(job) = input.job_id
            && !file
                .jobs
                .iter()
                .any(|j| j.id == job && j.status == JobStatus::Assigned)
        {
            return Err(ServiceError::field(
                "job_id",
                "not an open job of this repair",
            ));
        }
        if kind == AppointmentKind::VideoCall {
            let controls = self.store.person_controls(&[file.repair.person_id]).await?;
            let consented = controls
                .get(&file.repair.person_id)
                .is_some_and(|c| c.consents.iter().any(|p| p.starts_with("repairs_video_")));
            if !consented {
                return Err(ServiceError::field(
                    "kind",
                    "the resident has not agreed to a video call: offer one first, or book a home visit",
                ));
            }
        }
        let mut change = Change::of(&file.repair);
        change.appointments.push(Appointment {
            id: Uuid::now_v7(),
            repair_id: id,
            job_id: input.job_id,
            kind,
            starts_at,
            ends_at,
            status: AppointmentStatus::Booked,
            booked_by: caller.actor().to_string(),
            booked_at: self.now(),
        });
        let when = format!("{kind} booked for {starts_at}");
        self.move_to(caller, &mut change, RepairStatus::Scheduled, Some(when))?;
        self.write_change(change, expected_version, event).await
    }

    /// Records what happened to an appointment; attending starts the work.
    pub async fn mark_repair_appointment(
        &self,
        caller: &Caller,
        id: Uuid,
        appointment_id: Uuid,
        status: &str,
        expected_version: i64,
    ) -> Result<RepairFile> {
        Self::staff_only(caller, "marking appointments")?;
        let status: AppointmentStatus = status
            .parse()
            .map_err(|e: String| ServiceError::field("status", e))?;
        if status == AppointmentStatus::Booked {
            return Err(ServiceError::field(
                "status",
                "attended, missed or cancelled",
            ));
        }
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "appointment")
            .await?;
        Self::still_open(&file.repair)?;
        let mut appointment = file
            .appointments
            .iter()
            .find(|a| a.id == appointment_id)
            .cloned()
            .ok_or(ServiceError::NotFound("appointment"))?;
        if appointment.status != AppointmentStatus::Booked {
            return Err(ServiceError::Conflict(format!(
                "the appointment is already {}",
                appointment.status
            )));
        }
        appointment.status = status;
        let mut change = Change::of(&file.repair);
        change.appointments.push(appointment);
        if status == AppointmentStatus::Attended && file.repair.status == RepairStatus::Scheduled {
            self.move_to(caller, &mut change, RepairStatus::InProgress, None)?;
        }
        self.write_change(change, expected_version, event).await
    }

    /// Moves a repair on: in progress, completed (with how), or cancelled (its open jobs and
    /// booked appointments are cancelled with it). A resident may cancel their own repair
    /// before work starts.
    pub async fn move_repair(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &StatusInput,
        expected_version: i64,
    ) -> Result<RepairFile> {
        let status: RepairStatus = input
            .status
            .parse()
            .map_err(|e: String| ServiceError::field("status", e))?;
        let resolution = input
            .resolution
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::parse::<Resolution>)
            .transpose()
            .map_err(|e| ServiceError::field("resolution", e))?;
        let note = clean_note(input.note.clone())?;
        match (status, resolution) {
            (RepairStatus::Scheduled | RepairStatus::Reported, _) => {
                return Err(ServiceError::field(
                    "status",
                    "book an appointment to schedule a repair; in_progress, completed or cancelled",
                ));
            }
            (RepairStatus::Completed, None) => {
                return Err(ServiceError::field(
                    "resolution",
                    "say how it was resolved: visit, remote or no_fault_found",
                ));
            }
            (s, Some(_)) if s != RepairStatus::Completed => {
                return Err(ServiceError::field(
                    "resolution",
                    "only a completed repair has a resolution",
                ));
            }
            _ => {}
        }
        if matches!(caller.actor(), Actor::Resident(_)) && status != RepairStatus::Cancelled {
            return Err(ServiceError::Forbidden(
                "a resident may cancel their repair; the repairs team moves it on".into(),
            ));
        }
        let (_, file, mut event) = self
            .open_repair_for_change(caller, id, expected_version, "status")
            .await?;
        if matches!(caller.actor(), Actor::Resident(_))
            && !matches!(
                file.repair.status,
                RepairStatus::Reported | RepairStatus::Scheduled
            )
        {
            return Err(ServiceError::Conflict(
                "work has started: phone us to cancel it".into(),
            ));
        }
        let mut change = Change::of(&file.repair);
        let now = self.now();
        match status {
            RepairStatus::Completed => {
                if let Some(job) = file.jobs.iter().find(|j| j.status == JobStatus::Assigned) {
                    return Err(ServiceError::Conflict(format!(
                        "job {} is still open: complete or cancel it first",
                        job.id
                    )));
                }
                change.repair.resolution = resolution;
                change.message = self.satisfaction_follow_up(&file.repair).await?;
                if let Some(m) = &change.message {
                    event.record_ids.push(m.id.to_string());
                }
            }
            RepairStatus::Cancelled => {
                for job in file.jobs.iter().filter(|j| j.status == JobStatus::Assigned) {
                    let mut job = job.clone();
                    job.status = JobStatus::Cancelled;
                    job.finished_at = Some(now);
                    change.jobs.push(job);
                }
                for a in file
                    .appointments
                    .iter()
                    .filter(|a| a.status == AppointmentStatus::Booked)
                {
                    let mut a = a.clone();
                    a.status = AppointmentStatus::Cancelled;
                    change.appointments.push(a);
                }
            }
            _ => {}
        }
        self.move_to(caller, &mut change, status, note)?;
        let done = self.write_change(change, expected_version, event).await?;
        tracing::info!(repair = %id, status = %status, "repair moved");
        Ok(done)
    }

    /// Records the resident's answer to the satisfaction follow-up (once per repair), given by
    /// the resident online or taken by staff over the phone.
    pub async fn rate_repair(
        &self,
        caller: &Caller,
        id: Uuid,
        input: &SatisfactionInput,
        expected_version: i64,
    ) -> Result<RepairFile> {
        let satisfaction = input.validate(self.now())?;
        let (_, file, event) = self
            .open_repair_for_change(caller, id, expected_version, "satisfaction")
            .await?;
        if file.repair.status != RepairStatus::Completed {
            return Err(ServiceError::Conflict(
                "satisfaction is asked once the repair is completed".into(),
            ));
        }
        if file.repair.satisfaction.is_some() {
            return Err(ServiceError::Conflict(
                "the satisfaction answer for this repair is already recorded".into(),
            ));
        }
        let mut change = Change::of(&file.repair);
        change.repair.satisfaction = Some(satisfaction);
        // A closed repair keeps its closing time: the answer does not restart retention.
        self.write_change(change, expected_version, event).await
    }
}

impl Hearth {
    /// The satisfaction follow-up for a completed repair, by email if the resident has an
    /// address, else by text to a mobile; none when we have neither.
    async fn satisfaction_follow_up(
        &self,
        repair: &Repair,
    ) -> Result<Option<hearth_core::video::OutboxMessage>> {
        let Some(person) = self.store.get_person(repair.person_id).await? else {
            return Ok(None);
        };
        let Some((channel, recipient)) = crate::video::own_channel(&person) else {
            return Ok(None);
        };
        let now = self.now();
        let mut personalisation = std::collections::BTreeMap::new();
        personalisation.insert(
            "name".to_string(),
            person
                .fields
                .preferred_name
                .clone()
                .unwrap_or_else(|| person.fields.given_name.clone()),
        );
        personalisation.insert("repair_reference".to_string(), repair.reference.clone());
        Ok(Some(hearth_core::video::OutboxMessage {
            id: Uuid::now_v7(),
            person_id: repair.person_id,
            channel,
            template: SATISFACTION_TEMPLATE.into(),
            recipient,
            personalisation,
            state: hearth_core::video::DeliveryState::Queued,
            attempts: 0,
            next_attempt_at: now,
            provider_ref: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        }))
    }
}

/// The outbox template asking how a completed repair went.
pub const SATISFACTION_TEMPLATE: &str = "repair_satisfaction";

fn clean_note(note: Option<String>) -> Result<Option<String>> {
    let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ServiceError::field("note", "at most 2000 characters"));
    }
    Ok(note)
}
