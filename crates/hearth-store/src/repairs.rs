//! The repairs part of the store: a repair is written with the `repairs_request` record it is
//! filed as, and every later change (status, job, appointment, satisfaction) is written with
//! the record's activity time, the operative's assignment and the audit event, in one
//! transaction. Notes and comments are sealed under the person's data key.

use crate::Result;
use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::records::FiledRecord;
use hearth_core::repairs::{
    Appointment, Priority, Repair, RepairFile, RepairJob, RepairStatus, StatusChange,
};
use jiff::Timestamp;
use uuid::Uuid;

/// Which repairs a list wants; every filter given must hold.
#[derive(Debug, Clone, Default)]
pub struct RepairQuery {
    pub person_id: Option<Uuid>,
    pub property_id: Option<Uuid>,
    pub status: Option<RepairStatus>,
    pub priority: Option<Priority>,
    /// Repairs with a job still assigned to this operative.
    pub operative: Option<Uuid>,
    /// Open repairs whose target is before this time.
    pub overdue_at: Option<Timestamp>,
}

/// One change to a repair, written whole or not at all.
#[derive(Debug, Clone, Copy)]
pub struct RepairUpdate<'a> {
    /// The repair as it is after the change.
    pub repair: &'a Repair,
    /// The version the change was made from: another writer in between is a conflict.
    pub expected_version: i64,
    pub status_change: Option<&'a StatusChange>,
    /// Jobs added or changed.
    pub jobs: &'a [RepairJob],
    /// Appointments booked or changed.
    pub appointments: &'a [Appointment],
    /// When the work happened: the record's last activity.
    pub at: Timestamp,
    /// A message to the resident queued with the change (the satisfaction follow-up).
    pub message: Option<&'a hearth_core::video::OutboxMessage>,
}

#[async_trait]
pub trait RepairStore: Send + Sync {
    /// Files the record and the repair, with its first status, in one transaction.
    async fn insert_repair(
        &self,
        record: &FiledRecord,
        repair: &Repair,
        first: &StatusChange,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn update_repair(&self, update: RepairUpdate<'_>, audit: &AuditEvent) -> Result<()>;
    async fn get_repair(&self, id: Uuid) -> Result<Option<RepairFile>>;
    async fn repair_by_reference(&self, reference: &str) -> Result<Option<Uuid>>;
    /// Repairs, most recently reported first.
    async fn list_repairs(&self, query: &RepairQuery, limit: i64) -> Result<Vec<Repair>>;
}

/// The assignment reason the repairs service owns: removed when the operative has no job left.
pub(crate) const JOB_ASSIGNMENT: &str = "repair job";

pub(crate) const REPAIR_FILTER: &[&str] = &[
    "f.person_id = $1::uuid",
    "r.property_id = $2::uuid",
    "r.status = $3::text",
    "r.priority = $4::text",
    "EXISTS (SELECT 1 FROM repair_jobs j WHERE j.repair_id = r.id AND j.staff_id = $5::uuid AND j.status = 'assigned')",
    "r.closed_at IS NULL AND r.target_at < $6::timestamptz",
];

pub(crate) const REPAIR_COLUMNS: &str = "r.id::text AS id, r.reference, f.person_id::text AS person_id, r.property_id::text AS property_id, \
     f.tenancy_id::text AS tenancy_id, r.category, r.priority, r.reported_via, r.partner, f.details, r.status, r.resolution, \
     r.reported_at::text AS reported_at, r.target_at::text AS target_at, r.closed_at::text AS closed_at, r.satisfaction_score, \
     r.satisfaction_comment, r.satisfaction_at::text AS satisfaction_at, r.version";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RepairRow {
    pub id: String,
    pub reference: String,
    pub person_id: Option<String>,
    pub property_id: String,
    pub tenancy_id: Option<String>,
    pub category: String,
    pub priority: String,
    pub reported_via: String,
    pub partner: Option<String>,
    pub details: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub reported_at: String,
    pub target_at: String,
    pub closed_at: Option<String>,
    pub satisfaction_score: Option<i64>,
    pub satisfaction_comment: Option<String>,
    pub satisfaction_at: Option<String>,
    pub version: i64,
}

fn parse<T: std::str::FromStr<Err = String>>(raw: &str) -> Result<T> {
    raw.parse().map_err(crate::StoreError::Corrupt)
}

impl RepairRow {
    pub(crate) fn person(&self) -> Result<Uuid> {
        let raw = self.person_id.as_deref().ok_or_else(|| {
            crate::StoreError::Corrupt(format!("repair {} names no person", self.id))
        })?;
        crate::access::parse_uuid(raw)
    }

    /// The repair, with its sealed text opened by `open(column, id, sealed)`.
    pub(crate) fn into_repair(
        self,
        open: impl Fn(&str, &str, Uuid, &str) -> Result<String>,
    ) -> Result<Repair> {
        let id = crate::access::parse_uuid(&self.id)?;
        let person_id = self.person()?;
        let satisfaction = match (self.satisfaction_score, self.satisfaction_at) {
            (Some(score), Some(at)) => Some(hearth_core::repairs::Satisfaction {
                score: u8::try_from(score).map_err(|_| {
                    crate::StoreError::Corrupt(format!("bad satisfaction score {score}"))
                })?,
                comment: self
                    .satisfaction_comment
                    .as_deref()
                    .map(|c| open("repairs", "satisfaction_comment", id, c))
                    .transpose()?,
                at: crate::rows::parse_ts(&at)?,
            }),
            _ => None,
        };
        Ok(Repair {
            id,
            reference: self.reference,
            person_id,
            property_id: crate::access::parse_uuid(&self.property_id)?,
            tenancy_id: self
                .tenancy_id
                .as_deref()
                .map(crate::access::parse_uuid)
                .transpose()?,
            category: parse(&self.category)?,
            priority: parse(&self.priority)?,
            reported_via: parse(&self.reported_via)?,
            partner: self.partner,
            description: match self.details.as_deref() {
                Some(d) => open("filed_records", "details", id, d)?,
                None => String::new(),
            },
            status: parse(&self.status)?,
            resolution: self.resolution.as_deref().map(parse).transpose()?,
            reported_at: crate::rows::parse_ts(&self.reported_at)?,
            target_at: crate::rows::parse_ts(&self.target_at)?,
            closed_at: self
                .closed_at
                .as_deref()
                .map(crate::rows::parse_ts)
                .transpose()?,
            satisfaction,
            version: self.version,
        })
    }
}

pub(crate) type JobRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) fn job_from(row: JobRow) -> Result<RepairJob> {
    let (id, repair_id, staff_id, contractor, instructions, status, assigned_at, finished_at) = row;
    let assignee = match (staff_id, contractor) {
        (Some(staff), _) => hearth_core::repairs::Assignee::Operative {
            staff_id: crate::access::parse_uuid(&staff)?,
        },
        (None, Some(name)) => hearth_core::repairs::Assignee::Contractor { name },
        (None, None) => {
            return Err(crate::StoreError::Corrupt(format!(
                "job {id} has no assignee"
            )));
        }
    };
    Ok(RepairJob {
        id: crate::access::parse_uuid(&id)?,
        repair_id: crate::access::parse_uuid(&repair_id)?,
        assignee,
        instructions,
        status: parse(&status)?,
        assigned_at: crate::rows::parse_ts(&assigned_at)?,
        finished_at: finished_at
            .as_deref()
            .map(crate::rows::parse_ts)
            .transpose()?,
    })
}

pub(crate) type AppointmentRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
);

pub(crate) fn appointment_from(row: AppointmentRow) -> Result<Appointment> {
    let (id, repair_id, job_id, kind, starts_at, ends_at, status, booked_by, booked_at) = row;
    Ok(Appointment {
        id: crate::access::parse_uuid(&id)?,
        repair_id: crate::access::parse_uuid(&repair_id)?,
        job_id: job_id
            .as_deref()
            .map(crate::access::parse_uuid)
            .transpose()?,
        kind: parse(&kind)?,
        starts_at: crate::rows::parse_ts(&starts_at)?,
        ends_at: crate::rows::parse_ts(&ends_at)?,
        status: parse(&status)?,
        booked_by,
        booked_at: crate::rows::parse_ts(&booked_at)?,
    })
}

/// Implements [`RepairStore`] for one backend.
macro_rules! impl_repair_store {
    ($store:ident, $db:ty) => {
        impl $store {
            async fn write_status_change(&self, tx: &mut sqlx::Transaction<'static, $db>, key: &crate::sealer::PersonKey, change: &hearth_core::repairs::StatusChange) -> crate::Result<()> {
                let note = self.sealer.seal_opt(key, "repair_status_history", "note", change.id, change.note.as_deref())?;
                let sql = self.sql("INSERT INTO repair_status_history (id, repair_id, status, note, actor, at) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::timestamptz)");
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(change.id.to_string())
                    .bind(change.repair_id.to_string())
                    .bind(change.status.as_str())
                    .bind(note)
                    .bind(&change.by)
                    .bind(crate::rows::ts(change.at))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            async fn write_job(&self, tx: &mut sqlx::Transaction<'static, $db>, person_id: uuid::Uuid, job: &hearth_core::repairs::RepairJob) -> crate::Result<()> {
                let (staff, contractor) = match &job.assignee {
                    hearth_core::repairs::Assignee::Operative { staff_id } => (Some(staff_id.to_string()), None),
                    hearth_core::repairs::Assignee::Contractor { name } => (None, Some(name.clone())),
                };
                let sql = self.sql(
                    "INSERT INTO repair_jobs (id, repair_id, staff_id, contractor, instructions, status, assigned_at, finished_at) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7::timestamptz, $8::timestamptz) \
                     ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(job.id.to_string())
                    .bind(job.repair_id.to_string())
                    .bind(staff.clone())
                    .bind(contractor)
                    .bind(&job.instructions)
                    .bind(job.status.as_str())
                    .bind(crate::rows::ts(job.assigned_at))
                    .bind(job.finished_at.map(crate::rows::ts))
                    .execute(&mut **tx)
                    .await?;
                let Some(staff) = staff else { return Ok(()) };
                // The operative may see the person while a job of theirs is open (the policy
                // reads assignments), and no longer once none is.
                if job.status == hearth_core::repairs::JobStatus::Assigned {
                    let sql = self.sql(
                        "INSERT INTO assignments (person_id, staff_id, reason, created_at) VALUES ($1::uuid, $2::uuid, $3, $4::timestamptz) \
                         ON CONFLICT (person_id, staff_id) DO NOTHING",
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .bind(&staff)
                        .bind(crate::repairs::JOB_ASSIGNMENT)
                        .bind(crate::rows::ts(job.assigned_at))
                        .execute(&mut **tx)
                        .await?;
                } else {
                    let sql = self.sql(
                        "DELETE FROM assignments WHERE person_id = $1::uuid AND staff_id = $2::uuid AND reason = $3 \
                         AND NOT EXISTS (SELECT 1 FROM repair_jobs j JOIN filed_records f ON f.id = j.repair_id \
                         WHERE j.staff_id = $2::uuid AND j.status = 'assigned' AND f.person_id = $1::uuid)",
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(person_id.to_string())
                        .bind(&staff)
                        .bind(crate::repairs::JOB_ASSIGNMENT)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            async fn write_appointment(&self, tx: &mut sqlx::Transaction<'static, $db>, a: &hearth_core::repairs::Appointment) -> crate::Result<()> {
                let sql = self.sql(
                    "INSERT INTO repair_appointments (id, repair_id, job_id, kind, starts_at, ends_at, status, booked_by, booked_at) \
                     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::timestamptz, $6::timestamptz, $7, $8, $9::timestamptz) \
                     ON CONFLICT (id) DO UPDATE SET status = excluded.status",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(a.id.to_string())
                    .bind(a.repair_id.to_string())
                    .bind(a.job_id.map(|j| j.to_string()))
                    .bind(a.kind.as_str())
                    .bind(crate::rows::ts(a.starts_at))
                    .bind(crate::rows::ts(a.ends_at))
                    .bind(a.status.as_str())
                    .bind(&a.booked_by)
                    .bind(crate::rows::ts(a.booked_at))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Writes one change to a repair inside a caller's transaction.
            pub(crate) async fn write_repair_update(&self, tx: &mut sqlx::Transaction<'static, $db>, key: &crate::sealer::PersonKey, update: crate::repairs::RepairUpdate<'_>) -> crate::Result<()> {
                let repair = update.repair;
                let comment = match &repair.satisfaction {
                    Some(s) => self.sealer.seal_opt(key, "repairs", "satisfaction_comment", repair.id, s.comment.as_deref())?,
                    None => None,
                };
                let sql = self.sql(
                    "UPDATE repairs SET priority = $2, status = $3, resolution = $4, target_at = $5::timestamptz, closed_at = $6::timestamptz, \
                     satisfaction_score = $7, satisfaction_comment = $8, satisfaction_at = $9::timestamptz, version = version + 1 \
                     WHERE id = $1::uuid AND version = $10",
                );
                let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(repair.id.to_string())
                    .bind(repair.priority.as_str())
                    .bind(repair.status.as_str())
                    .bind(repair.resolution.map(|r| r.as_str()))
                    .bind(crate::rows::ts(repair.target_at))
                    .bind(repair.closed_at.map(crate::rows::ts))
                    .bind(repair.satisfaction.as_ref().map(|s| i64::from(s.score)))
                    .bind(comment)
                    .bind(repair.satisfaction.as_ref().map(|s| crate::rows::ts(s.at)))
                    .bind(update.expected_version)
                    .execute(&mut **tx)
                    .await?;
                if done.rows_affected() != 1 {
                    return Err(crate::StoreError::VersionConflict { expected: update.expected_version });
                }
                // The record's retention clock: last activity now, closed when the repair is.
                let touch = self.sql("UPDATE filed_records SET last_activity_at = $2::timestamptz, closed_at = $3::timestamptz, version = version + 1 WHERE id = $1::uuid");
                sqlx::query(sqlx::AssertSqlSafe(touch.as_str()))
                    .bind(repair.id.to_string())
                    .bind(crate::rows::ts(update.at))
                    .bind(repair.closed_at.map(crate::rows::ts))
                    .execute(&mut **tx)
                    .await?;
                if let Some(change) = update.status_change {
                    self.write_status_change(tx, key, change).await?;
                }
                for job in update.jobs {
                    self.write_job(tx, repair.person_id, job).await?;
                }
                for appointment in update.appointments {
                    self.write_appointment(tx, appointment).await?;
                }
                if let Some(message) = update.message {
                    self.write_message(tx, message).await?;
                }
                Ok(())
            }

            fn open_repair_rows(&self, rows: Vec<crate::repairs::RepairRow>, keys: &std::collections::HashMap<uuid::Uuid, crate::sealer::PersonKey>) -> crate::Result<Vec<hearth_core::repairs::Repair>> {
                rows.into_iter()
                    .map(|row| {
                        let person = row.person()?;
                        let key = keys.get(&person).ok_or_else(|| crate::StoreError::Crypto(format!("person {person} has no data key")))?;
                        row.into_repair(|table, column, id, sealed| self.sealer.open(key, table, column, id, sealed))
                    })
                    .collect()
            }
        }

        #[async_trait::async_trait]
        impl crate::repairs::RepairStore for $store {
            async fn insert_repair(&self, record: &hearth_core::records::FiledRecord, repair: &hearth_core::repairs::Repair, first: &hearth_core::repairs::StatusChange, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = self.key_for_write(repair.person_id).await?;
                let mut tx = self.begin_write("audit").await?;
                self.insert_filed_in(&mut tx, record, Some(&key)).await?;
                let sql = self.sql(
                    "INSERT INTO repairs (id, reference, property_id, category, priority, reported_via, partner, status, resolution, reported_at, target_at, closed_at, version) \
                     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, $7, $8, $9, $10::timestamptz, $11::timestamptz, $12::timestamptz, 1)",
                );
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(repair.id.to_string())
                    .bind(&repair.reference)
                    .bind(repair.property_id.to_string())
                    .bind(repair.category.as_str())
                    .bind(repair.priority.as_str())
                    .bind(repair.reported_via.as_str())
                    .bind(&repair.partner)
                    .bind(repair.status.as_str())
                    .bind(repair.resolution.map(|r| r.as_str()))
                    .bind(crate::rows::ts(repair.reported_at))
                    .bind(crate::rows::ts(repair.target_at))
                    .bind(repair.closed_at.map(crate::rows::ts))
                    .execute(&mut *tx)
                    .await?;
                self.write_status_change(&mut tx, &key, first).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_repair(&self, update: crate::repairs::RepairUpdate<'_>, audit: &hearth_core::audit::AuditEvent) -> crate::Result<()> {
                let key = self.key_for_write(update.repair.person_id).await?;
                let mut tx = self.begin_write("audit").await?;
                self.write_repair_update(&mut tx, &key, update).await?;
                self.append_audit(&mut tx, std::slice::from_ref(audit)).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn get_repair(&self, id: uuid::Uuid) -> crate::Result<Option<hearth_core::repairs::RepairFile>> {
                let sql = self.sql(&format!(
                    "SELECT {} FROM repairs r JOIN filed_records f ON f.id = r.id WHERE r.id = $1::uuid",
                    crate::repairs::REPAIR_COLUMNS
                ));
                let row: Option<crate::repairs::RepairRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                let person = row.person()?;
                let keys = self.keys_of(&[person]).await?;
                let key = keys.get(&person).ok_or_else(|| crate::StoreError::Crypto(format!("person {person} has no data key")))?;
                let repair = self.open_repair_rows(vec![row], &keys)?.pop().ok_or_else(|| crate::StoreError::Corrupt("repair row vanished".into()))?;
                let sql = self.sql(
                    "SELECT id::text, repair_id::text, staff_id::text, contractor, instructions, status, assigned_at::text, finished_at::text \
                     FROM repair_jobs WHERE repair_id = $1::uuid ORDER BY assigned_at, id",
                );
                let jobs: Vec<crate::repairs::JobRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_all(&self.pool).await?;
                let sql = self.sql(
                    "SELECT id::text, repair_id::text, job_id::text, kind, starts_at::text, ends_at::text, status, booked_by, booked_at::text \
                     FROM repair_appointments WHERE repair_id = $1::uuid ORDER BY starts_at, id",
                );
                let appointments: Vec<crate::repairs::AppointmentRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_all(&self.pool).await?;
                let sql = self.sql("SELECT id::text, status, note, actor, at::text FROM repair_status_history WHERE repair_id = $1::uuid ORDER BY at, id");
                let history: Vec<(String, String, Option<String>, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.to_string()).fetch_all(&self.pool).await?;
                let history = history
                    .into_iter()
                    .map(|(change_id, status, note, by, at)| {
                        let change_id = crate::access::parse_uuid(&change_id)?;
                        Ok(hearth_core::repairs::StatusChange {
                            id: change_id,
                            repair_id: id,
                            status: status.parse().map_err(crate::StoreError::Corrupt)?,
                            note: note.map(|n| self.sealer.open(key, "repair_status_history", "note", change_id, &n)).transpose()?,
                            by,
                            at: crate::rows::parse_ts(&at)?,
                        })
                    })
                    .collect::<crate::Result<Vec<_>>>()?;
                Ok(Some(hearth_core::repairs::RepairFile {
                    repair,
                    jobs: jobs.into_iter().map(crate::repairs::job_from).collect::<crate::Result<_>>()?,
                    appointments: appointments.into_iter().map(crate::repairs::appointment_from).collect::<crate::Result<_>>()?,
                    history,
                }))
            }

            async fn repair_by_reference(&self, reference: &str) -> crate::Result<Option<uuid::Uuid>> {
                let sql = self.sql("SELECT id::text FROM repairs WHERE reference = $1");
                let id: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(reference).fetch_optional(&self.pool).await?;
                id.map(|(id,)| crate::access::parse_uuid(&id)).transpose()
            }

            async fn list_repairs(&self, query: &crate::repairs::RepairQuery, limit: i64) -> crate::Result<Vec<hearth_core::repairs::Repair>> {
                let (filter, params) = crate::backend::where_given(
                    crate::repairs::REPAIR_FILTER,
                    vec![
                        Param::Text(query.person_id.map(|p| p.to_string())),
                        Param::Text(query.property_id.map(|p| p.to_string())),
                        Param::Text(query.status.map(|s| s.as_str().to_string())),
                        Param::Text(query.priority.map(|p| p.as_str().to_string())),
                        Param::Text(query.operative.map(|s| s.to_string())),
                        Param::Text(query.overdue_at.map(crate::rows::ts)),
                    ],
                );
                let sql = self.sql(&format!(
                    "SELECT {} FROM repairs r JOIN filed_records f ON f.id = r.id WHERE {filter} ORDER BY r.reported_at DESC, r.id LIMIT ${}",
                    crate::repairs::REPAIR_COLUMNS,
                    params.len() + 1
                ));
                let rows: Vec<crate::repairs::RepairRow> = bind_params!(sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())), params).bind(limit).fetch_all(&self.pool).await?;
                let people: Vec<uuid::Uuid> = rows.iter().map(|r| r.person()).collect::<crate::Result<_>>()?;
                let keys = self.keys_of(&people).await?;
                self.open_repair_rows(rows, &keys)
            }
        }
    };
}

pub(crate) use impl_repair_store;
