//! The retention part of the store: filed records and their media, legal holds, disposal
//! reviews, and the run log. The rules (which schedule, whether the gate allows) live in the
//! service; this part finds expired records and destroys a batch of them, holds re-checked, in
//! one transaction with its destruction-log counts and audit event.

use async_trait::async_trait;
use hearth_core::audit::AuditEvent;
use hearth_core::records::{FiledRecord, MediaObject};
use hearth_core::register::Trigger;
use hearth_core::retention::{DisposalLine, DisposalReview, HoldLift, LegalHold};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::Result;

/// Where a record type's records are kept. Record types without a table of their own are filed
/// records; the mapping is structure, not rule: periods, triggers and actions all come from the
/// register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordTable {
    People,
    Households,
    Properties,
    Tenancies,
    Contacts,
    Filed,
}

impl RecordTable {
    pub fn of(record_type: &str) -> Self {
        match record_type {
            "person_record" => Self::People,
            "household" => Self::Households,
            "property" => Self::Properties,
            "tenancy_file" => Self::Tenancies,
            "contact_log" => Self::Contacts,
            _ => Self::Filed,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Households => "households",
            Self::Properties => "properties",
            Self::Tenancies => "tenancies",
            Self::Contacts => "contact_log",
            Self::Filed => "filed_records",
        }
    }

    /// Whether records here can be anonymised (keeping statistical fields) rather than deleted.
    pub fn can_anonymise(self) -> bool {
        self == Self::Filed
    }
}

/// One record type's expired records, as a run looks for them.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub record_type: String,
    pub table: RecordTable,
    pub trigger: Trigger,
    /// Records triggered on or before this UK date have passed their period.
    pub expired_through: Date,
    /// The day the run judges from (an extension runs to its day inclusive).
    pub as_of: Date,
}

/// Why a sweep cannot run: the register asks for a trigger this kind of record does not carry.
pub fn unsupported_trigger(table: RecordTable, trigger: &Trigger) -> Option<String> {
    let ok = matches!(
        (table, trigger),
        (_, Trigger::Created | Trigger::LastActivity)
            | (RecordTable::Filed, _)
            | (RecordTable::Tenancies, Trigger::TenancyEnded)
    );
    (!ok).then(|| {
        format!(
            "{} records carry no '{trigger}' date: change the trigger in the register",
            table.name()
        )
    })
}

/// What a run selects for disposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Past their period, not held, with no open review: for delete and anonymise schedules.
    Expired,
    /// Past their period, not held, never queued (or past an extension): for review schedules.
    DueForReview,
    /// Destruction approved by a reviewer, not held.
    Approved,
}

/// A record found by a sweep, with whom it concerns (for the gate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub person_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub destroyed: u64,
    pub anonymised: u64,
    pub keys_destroyed: u64,
    /// Object keys to remove from object storage now that the deletion has committed.
    pub tombstones: Vec<String>,
}

/// A batch to destroy: the records, the run and log line they count towards, and the event.
pub struct DisposalBatch<'a> {
    pub sweep: &'a Sweep,
    pub ids: &'a [Uuid],
    pub run_id: Uuid,
    pub line: &'a DisposalLine,
    /// For anonymise schedules, the statistical fields kept; `None` deletes.
    pub keep_fields: Option<&'a [String]>,
    pub at: Timestamp,
    pub audit: &'a AuditEvent,
}

/// A retention run as logged.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub id: Uuid,
    pub actor: String,
    /// `host:pid` of the process running it.
    pub holder: String,
    pub as_of: Date,
    pub started_at: Timestamp,
    pub heartbeat_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    pub status: String,
    pub register_hash: String,
    pub register_version: String,
    /// The signed certificate (JSON) once the run is closed.
    pub certificate: Option<String>,
}

/// A media object waiting to be removed from object storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub object_key: String,
    pub run_id: Uuid,
    pub record_type: String,
}

#[async_trait]
pub trait RetentionStore: Send + Sync {
    async fn insert_filed_record(&self, record: &FiledRecord, audit: &AuditEvent) -> Result<()>;
    /// Saves changed fields and times (last activity, closure) of a filed record.
    async fn update_filed_record(
        &self,
        record: &FiledRecord,
        expected_version: i64,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn get_filed_record(&self, id: Uuid) -> Result<Option<FiledRecord>>;
    /// Filed records of a type and/or about a person, newest first.
    async fn list_filed_records(
        &self,
        record_type: Option<&str>,
        person_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<FiledRecord>>;
    async fn insert_media(&self, media: &MediaObject, audit: &AuditEvent) -> Result<()>;
    async fn media_of(&self, record_id: Uuid) -> Result<Vec<MediaObject>>;
    /// The media objects of each of these records, by record (records without any left out).
    async fn media_of_records(
        &self,
        record_ids: &[Uuid],
    ) -> Result<std::collections::HashMap<Uuid, Vec<MediaObject>>>;
    /// Seals media bytes under a person's data key, bound to the object key.
    async fn seal_media(&self, person_id: Uuid, object_key: &str, bytes: &[u8]) -> Result<Vec<u8>>;
    async fn open_media(&self, person_id: Uuid, object_key: &str, sealed: &[u8])
    -> Result<Vec<u8>>;

    async fn insert_hold(&self, hold: &LegalHold, audit: &AuditEvent) -> Result<()>;
    /// Lifts an active hold; false when there is no such active hold.
    async fn lift_hold(&self, id: Uuid, lift: &HoldLift, audit: &AuditEvent) -> Result<bool>;
    async fn get_hold(&self, id: Uuid) -> Result<Option<LegalHold>>;
    async fn list_holds(&self, active_only: bool) -> Result<Vec<LegalHold>>;

    /// The next `limit` records a sweep selects, after `after` in id order.
    async fn sweep_candidates(
        &self,
        sweep: &Sweep,
        selection: Selection,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Candidate>>;
    /// How many expired records of a sweep are held (and so kept).
    async fn count_held(&self, sweep: &Sweep) -> Result<i64>;
    /// Destroys (or anonymises) a batch: holds are checked again inside the transaction, so a
    /// hold placed after the records were selected still wins.
    async fn dispose_batch(&self, batch: &DisposalBatch<'_>) -> Result<BatchOutcome>;

    /// Queues records for review, skipping any already queued; returns how many were queued.
    async fn queue_reviews(&self, reviews: &[DisposalReview], audit: &AuditEvent) -> Result<u64>;
    async fn get_review(&self, id: Uuid) -> Result<Option<DisposalReview>>;
    /// Reviews in a status (all when `None`), oldest due first.
    async fn list_reviews(
        &self,
        status: Option<hearth_core::retention::ReviewStatus>,
        limit: i64,
    ) -> Result<Vec<DisposalReview>>;
    /// Records a decision on a pending review; a reclassification also files the record under
    /// its new type. False when the review is no longer pending.
    async fn decide_review(&self, review: &DisposalReview, audit: &AuditEvent) -> Result<bool>;

    /// Logs a run as started; refused with [`crate::StoreError::Duplicate`] while another run
    /// is still marked running (close dead ones first).
    async fn start_run(&self, run: &RunRecord, audit: &AuditEvent) -> Result<()>;
    /// Runs still marked running.
    async fn running_runs(&self) -> Result<Vec<RunRecord>>;
    /// Closes a run with its status and signed certificate.
    async fn finish_run(
        &self,
        id: Uuid,
        status: &str,
        finished_at: Timestamp,
        certificate: &str,
        audit: &AuditEvent,
    ) -> Result<()>;
    async fn get_run(&self, id: Uuid) -> Result<Option<RunRecord>>;
    async fn list_runs(&self, limit: i64) -> Result<Vec<RunRecord>>;
    /// A run's destruction-log lines, by record type.
    async fn destruction_lines(&self, run_id: Uuid) -> Result<Vec<DisposalLine>>;
    /// Tombstoned media objects still to remove.
    async fn tombstones(&self, limit: i64) -> Result<Vec<Tombstone>>;
    /// Forgets tombstones whose objects are gone, counting them in their runs' logs.
    async fn clear_tombstones(&self, done: &[Tombstone]) -> Result<()>;
}
