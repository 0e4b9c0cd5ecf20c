//! Hearth's store: one trait, two first-class implementations (SQLite embedded, PostgreSQL for
//! larger deployments), chosen by the database URL, with migrations numbered alike.
//!
//! Queries are written once in PostgreSQL's dialect (`$n` placeholders, `::type` casts) and
//! converted for SQLite by [`dialect::for_sqlite`]; the store body is instantiated for each
//! backend by one macro, so the two cannot drift apart. Bulk loading differs on purpose:
//! batched multi-row INSERT on SQLite, COPY on PostgreSQL.

mod access;
mod backend;
mod dialect;
mod disclosure;
mod erasure;
mod error;
mod postgres;
mod query;
mod raw_filed;
mod raw_holdings;
mod recordings;
mod rectification;
mod release;
mod repairs;
mod residents;
mod retention;
mod retention_body;
mod retention_sql;
mod rights;
mod rows;
pub mod sealer;
mod sql;
mod sqlite;
mod video;

pub use access::AccessStore;
pub use disclosure::DisclosureStore;
pub use erasure::{ErasureExecution, ErasureOutcome, ErasureStore, ErasureTargets};
pub use error::StoreError;
pub use postgres::PgStore;
pub use query::{
    ContactQuery, HouseholdQuery, Page, Paged, PersonQuery, PropertyQuery, RegisterVersion,
    TenancyQuery, Visibility,
};
pub use raw_filed::RawFiled;

/// An audit event's searchable columns as stored: its id, actor and action, and the people the
/// access log lists it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditIndexRow {
    pub seq: i64,
    pub id: String,
    pub actor: String,
    pub action: String,
    pub person_ids: Vec<Uuid>,
}
pub use raw_holdings::RawHoldings;
pub use recordings::{RecordingFiling, RecordingStore};
pub use rectification::RectificationStore;
pub use release::ReleaseStore;
pub use repairs::{RepairQuery, RepairStore, RepairUpdate};
pub use residents::ResidentStore;
pub use retention::{
    BatchOutcome, Candidate, DisposalBatch, RecordTable, RetentionStore, RunRecord, Selection,
    Sweep, Tombstone, unsupported_trigger,
};
pub use rights::{PersonFlags, RequestQuery, RightsResponse, RightsStore};
pub use sqlite::SqliteStore;
pub use video::{Attempt, CallUpdate, OutboxStore, VideoStore};

use async_trait::async_trait;
use hearth_core::records::{ContactEntry, Household, Membership, Person, Property, Tenancy};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Opens the database a URL names (`sqlite://path` or `postgres://...`), checks its schema is
/// not newer than this binary, and applies any pending migrations.
/// The sealer holds the key ring for the encrypted columns; rows written before encryption at
/// rest are sealed on opening.
pub async fn open(url: &str, sealer: Arc<sealer::Sealer>) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url, sealer).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(url, sealer).await?))
    } else {
        Err(StoreError::Config(format!(
            "database URL must start with sqlite: or postgres:// (got '{}')",
            url.split(':').next().unwrap_or("")
        )))
    }
}

/// Everything Hearth keeps, behind one interface. Implementations hold no rules: validation,
/// policy and audit live in the services that call this.
#[async_trait]
pub trait Store:
    AccessStore
    + RetentionStore
    + RightsStore
    + ErasureStore
    + ReleaseStore
    + RectificationStore
    + DisclosureStore
    + RepairStore
    + VideoStore
    + OutboxStore
    + RecordingStore
    + ResidentStore
    + Send
    + Sync
{
    fn backend(&self) -> Backend;
    /// The highest migration this binary knows and the highest applied to the database.
    async fn schema_versions(&self) -> Result<(i64, i64)>;

    async fn insert_person(
        &self,
        person: &Person,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_person(
        &self,
        person: &Person,
        expected_version: i64,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_person(&self, id: Uuid) -> Result<Option<Person>>;
    async fn list_people(&self, query: &PersonQuery, page: Page) -> Result<Paged<Person>>;
    /// The people matching a search (its visibility aside) on whom a control could change the
    /// gate's decision for this purpose and staff member: restricted or objected, with a
    /// consent record for the purpose, or assigned to the staff member.
    async fn people_with_controls(
        &self,
        query: &PersonQuery,
        purpose: &str,
        assignee: Option<Uuid>,
    ) -> Result<Vec<Uuid>>;

    async fn insert_property(
        &self,
        property: &Property,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_property(
        &self,
        property: &Property,
        expected_version: i64,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_property(&self, id: Uuid) -> Result<Option<Property>>;
    async fn list_properties(&self, query: &PropertyQuery, page: Page) -> Result<Paged<Property>>;

    async fn insert_household(
        &self,
        household: &Household,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_household(
        &self,
        household: &Household,
        expected_version: i64,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_household(&self, id: Uuid) -> Result<Option<Household>>;
    async fn list_households(&self, query: &HouseholdQuery, page: Page)
    -> Result<Paged<Household>>;
    async fn insert_membership(
        &self,
        membership: &Membership,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_membership(
        &self,
        membership: &Membership,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_membership(&self, id: Uuid) -> Result<Option<Membership>>;

    async fn insert_tenancy(
        &self,
        tenancy: &Tenancy,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_tenancy(
        &self,
        tenancy: &Tenancy,
        expected_version: i64,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_tenancy(&self, id: Uuid) -> Result<Option<Tenancy>>;
    async fn list_tenancies(&self, query: &TenancyQuery, page: Page) -> Result<Paged<Tenancy>>;

    async fn insert_contact(
        &self,
        entry: &ContactEntry,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn update_contact(
        &self,
        entry: &ContactEntry,
        expected_version: i64,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<()>;
    async fn get_contact(&self, id: Uuid) -> Result<Option<ContactEntry>>;
    async fn list_contacts(&self, query: &ContactQuery, page: Page) -> Result<Paged<ContactEntry>>;

    /// Records the register version in use if it differs from the last one recorded, with its
    /// audit event in the same transaction; returns whether it was a change.
    async fn record_register_version(
        &self,
        version: &RegisterVersion,
        audit: &hearth_core::audit::AuditEvent,
    ) -> Result<bool>;
    /// Signs the audit chain's head with `key` and stores the checkpoint, unless there are no
    /// events or the head is already checkpointed.
    async fn checkpoint_audit_log(
        &self,
        key: &hearth_core::audit::CheckpointKey,
        signed_at: jiff::Timestamp,
    ) -> Result<Option<hearth_core::audit::Checkpoint>>;
    /// Every checkpoint, oldest first.
    async fn audit_checkpoints(&self) -> Result<Vec<hearth_core::audit::Checkpoint>>;
    /// Audit events after `after_seq`, in sequence order, at most `limit`.
    async fn audit_log(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<hearth_core::audit::ChainedEvent>>;
    /// The columns the audit log is searched by, as stored beside each hashed event after
    /// `after_seq` (at most `limit` events): `audit verify` checks them against the hashed
    /// content, since they are not part of the hash.
    async fn audit_index(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditIndexRow>>;
    async fn register_history(&self) -> Result<Vec<RegisterVersion>>;

    /// Starts an all-or-nothing import: nothing is visible until `commit`, and dropping the
    /// session (or a crash) leaves the database as it was.
    async fn begin_import(&self) -> Result<Box<dyn ImportSession>>;
}

/// One transaction for bulk loading. Lookups see rows added earlier in the same session.
#[async_trait]
pub trait ImportSession: Send {
    /// Which of these external references of `kind` already exist, with their ids.
    async fn existing_refs(
        &mut self,
        kind: RefKind,
        refs: &[String],
    ) -> Result<HashMap<String, Uuid>>;
    async fn insert_people(&mut self, people: &[Person]) -> Result<()>;
    async fn insert_properties(&mut self, properties: &[Property]) -> Result<()>;
    async fn insert_households(&mut self, households: &[Household]) -> Result<()>;
    async fn insert_memberships(&mut self, memberships: &[Membership]) -> Result<()>;
    async fn insert_tenancies(&mut self, tenancies: &[Tenancy]) -> Result<()>;
    async fn insert_contacts(&mut self, entries: &[ContactEntry]) -> Result<()>;
    /// Appends audit events inside the import's own transaction.
    async fn append_audit(&mut self, events: &[hearth_core::audit::AuditEvent]) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<()>;
    /// Ends the session, discarding everything it wrote, and releases the write lock at once.
    async fn rollback(self: Box<Self>) -> Result<()>;
}

/// The kinds of record that carry an external key: people, households and tenancies by their
/// source system's reference, properties by UPRN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Person,
    Household,
    Tenancy,
    PropertyUprn,
}

/// People as bare rows, for the import benchmark's lower bound: the exact rows an import
/// writes (sealed, with their data keys), prepared beforehand and loaded with nothing but the
/// bulk insert.
pub struct RawPeople {
    rows: Vec<Vec<rows::Param>>,
    keys: Vec<Vec<rows::Param>>,
}

impl RawPeople {
    pub fn from_people(people: &[Person], sealer: &sealer::Sealer) -> Result<Self> {
        let mut out = Self {
            rows: Vec::with_capacity(people.len()),
            keys: Vec::with_capacity(people.len()),
        };
        for person in people {
            let (key, key_row) = sealer.new_person_key(person.id)?;
            let sealed = rows::SealedPerson::of(sealer, &key, person)?;
            out.keys
                .push(rows::person_key_params(&key_row, person.created_at));
            out.rows.push(rows::person_params(person, sealed));
        }
        Ok(out)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
