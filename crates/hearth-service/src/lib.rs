//! Hearth's use cases. Every rule about records lives here: validation against the clock,
//! reference checks, versions, imports and demo data. Adapters (HTTP, CLI) call these and
//! nothing else.

pub mod access;
mod audit;
mod change;
pub mod demo;
mod error;
pub mod import;
mod records;
mod register;
pub mod repairs;
pub mod residents;
pub mod retention;
pub mod rights;
pub mod video;

pub use access::{Caller, Visible};
pub use audit::AuditVerification;
pub use change::RecordChange;
pub use error::ServiceError;
pub use hearth_policy::{DEFAULT_POLICY, PolicyError};
pub use records::LoggedContact;

pub use register::{RegisterSource, load_register_file};

use hearth_core::clock::Clock;
use hearth_core::register::Register;
use hearth_policy::Gate;
use hearth_store::Store;
use std::sync::Arc;

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// The application: a store, the register in force, the policy gate, and the clock. The store
/// is private: adapters reach personal data only through services, which go through the gate.
#[derive(Clone)]
pub struct Hearth {
    store: Arc<dyn Store>,
    register: Arc<Register>,
    gate: Arc<Gate>,
    clock: Arc<dyn Clock>,
    /// Failed sign-ins by account, held in this process.
    sign_ins: Arc<access::SignInLimiter>,
    /// SHA-256 of the access policy in force, and where it came from, for the audit log.
    policy_hash: Arc<str>,
    policy_origin: Arc<str>,
    /// Where media objects are kept; required for media and for retention runs.
    media: Option<retention::MediaStore>,
    /// The audit signing key: signs checkpoints and disposal certificates.
    signing_key: Option<Arc<hearth_core::audit::CheckpointKey>>,
    /// The bank holidays the statutory clock skips (the council's nation).
    bank_holidays: Arc<hearth_core::rights::BankHolidays>,
    /// The council's repair targets by priority.
    repair_targets: hearth_core::repairs::RepairTargets,
    /// The address residents reach Hearth at (`https://repairs.example.gov.uk`), for the links
    /// Hearth sends; required to offer a video call.
    public_url: Option<Arc<str>>,
    /// How outbox messages leave: email and text transports, when configured.
    transports: video::Transports,
    /// The STUN and TURN servers call pages connect through.
    ice: Arc<video::IceConfig>,
    /// News of calls (ends, recordings), for the signalling server to pass to the pages.
    call_events: tokio::sync::broadcast::Sender<video::CallEvent>,
    /// GOV.UK One Login, for residents' sign-in, when configured.
    one_login: Option<Arc<residents::OneLogin>>,
}

impl Hearth {
    /// Hearth with the shipped access policy.
    pub fn new(
        store: Arc<dyn Store>,
        register: Arc<Register>,
        clock: Arc<dyn Clock>,
    ) -> std::result::Result<Self, PolicyError> {
        Self::with_policy(store, register, clock, DEFAULT_POLICY, "shipped policy")
    }

    /// Hearth with a policy file, validated against the register before anything runs.
    pub fn with_policy(
        store: Arc<dyn Store>,
        register: Arc<Register>,
        clock: Arc<dyn Clock>,
        policy: &str,
        origin: &str,
    ) -> std::result::Result<Self, PolicyError> {
        let gate = Gate::new(&register, policy, origin)?;
        let mut problems = Vec::new();
        for (record_type, groups) in access::guarded::all_kinds() {
            if register.record_type(record_type).is_none() {
                problems.push(format!(
                    "the register has no record type '{record_type}', which Hearth keeps"
                ));
            }
            for category in groups.iter().flat_map(|g| g.categories.iter()) {
                if register.data_category(category).is_none() {
                    problems.push(format!("the register has no data category '{category}', which describes fields of {record_type}"));
                }
            }
        }
        if !problems.is_empty() {
            return Err(PolicyError { problems });
        }
        Ok(Self {
            store,
            register,
            gate: Arc::new(gate),
            clock,
            sign_ins: Arc::default(),
            policy_hash: sha256_hex(policy.as_bytes()).into(),
            policy_origin: origin.into(),
            media: None,
            signing_key: None,
            bank_holidays: Arc::new(hearth_core::rights::BankHolidays::shipped(
                hearth_core::rights::Division::EnglandAndWales,
            )),
            repair_targets: hearth_core::repairs::RepairTargets::default(),
            public_url: None,
            transports: video::Transports::default(),
            ice: Arc::default(),
            call_events: tokio::sync::broadcast::channel(256).0,
            one_login: None,
        })
    }

    /// Keeps media objects in this store.
    pub fn with_media(mut self, media: retention::MediaStore) -> Self {
        self.media = Some(media);
        self
    }

    /// Signs disposal certificates with the audit signing key.
    pub fn with_signing_key(mut self, key: hearth_core::audit::CheckpointKey) -> Self {
        self.signing_key = Some(Arc::new(key));
        self
    }

    /// Counts the statutory clock's working days on this calendar.
    pub fn with_bank_holidays(mut self, calendar: hearth_core::rights::BankHolidays) -> Self {
        self.bank_holidays = Arc::new(calendar);
        self
    }

    /// The address residents reach Hearth at, for links in messages (no trailing slash).
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = Some(Arc::from(url.trim_end_matches('/')));
        self
    }

    /// Gives call pages these STUN and TURN servers.
    pub fn with_ice(mut self, ice: video::IceConfig) -> Self {
        self.ice = Arc::new(ice);
        self
    }

    /// Sends outbox messages through these transports.
    pub fn with_transports(mut self, transports: video::Transports) -> Self {
        self.transports = transports;
        self
    }

    /// Sets repair targets by priority (checked before use).
    pub fn with_repair_targets(
        mut self,
        targets: hearth_core::repairs::RepairTargets,
    ) -> std::result::Result<Self, String> {
        targets.validate()?;
        self.repair_targets = targets;
        Ok(self)
    }

    /// Records the access policy in force in the audit log when it differs from the last one
    /// recorded, so every change of who may see what is on the record. Returns whether it did.
    pub async fn record_policy_version(&self, actor: &hearth_core::actor::Actor) -> Result<bool> {
        let last = self.store.latest_audit_of("policy.changed").await?;
        if last.is_some_and(|e| {
            e.event.record_ids.first().map(String::as_str) == Some(&*self.policy_hash)
        }) {
            return Ok(false);
        }
        let event = hearth_core::audit::AuditEvent {
            id: uuid::Uuid::now_v7(),
            at: self.now(),
            actor: actor.to_string(),
            purpose: None,
            action: "policy.changed".into(),
            decision: "allowed".into(),
            person_ids: vec![],
            record_type: Some("policy".into()),
            record_ids: vec![self.policy_hash.to_string()],
            fields: vec![],
            correlation_id: None,
            reason: Some(format!("access policy from {}", self.policy_origin)),
        };
        self.store.append_audit_events(&[event]).await?;
        tracing::info!(sha256 = %self.policy_hash, actor = %actor, "access policy changed");
        Ok(true)
    }

    /// The Cedar schema derived from the register, for `hearth policy schema`.
    pub fn policy_schema(&self) -> &str {
        self.gate.schema_text()
    }

    /// The database's schema version, for the health check.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(self.store.schema_versions().await?.1)
    }

    /// Which database this Hearth runs on.
    pub fn backend_name(&self) -> &'static str {
        self.store.backend().name()
    }

    pub fn register(&self) -> &Register {
        &self.register
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The current time at the precision records are stored with.
    pub fn now(&self) -> jiff::Timestamp {
        hearth_core::clock::stored_precision(self.clock.now())
    }

    /// Today's date in the UK, for date-of-birth and tenancy checks.
    pub fn today(&self) -> jiff::civil::Date {
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
        self.clock.now().to_zoned(london).date()
    }
}

/// SHA-256 as lower-case hex: token and session hashes, policy versions.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
