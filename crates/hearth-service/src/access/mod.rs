//! The policy gate inside the services: every read and write of personal data goes through
//! `admit`, which asks the Cedar policy about each group of fields, keeps back what is not
//! allowed, and writes the audit event - in the same transaction as a change, or on its own for
//! a read or a refusal.

mod caller;
mod controls;
pub mod guarded;
mod keys;
mod search;
mod staff;
pub(crate) mod tokens;
mod visible;

pub use caller::Caller;
pub use controls::{ConsentInput, ConsentRecorded, Control};
pub use guarded::{FieldGroup, Guarded};
pub use staff::{MAX_FAILURES, SESSION_HOURS, SignInLimiter, SignedIn, StaffInput};
pub use tokens::{MAX_TOKEN_DAYS, TokenRequest};
pub(crate) use tokens::{random_secret, token_hash};
pub use visible::Visible;

use crate::{Hearth, Result, ServiceError};
use hearth_core::audit::AuditEvent;
use hearth_policy::{RecordAction, RecordView, SubjectControls};
use std::collections::HashMap;
use uuid::Uuid;

/// The controls on a person as the policy reads them: restriction, objection, both kinds of
/// consent (to the processing, and explicit consent to special category data) and assignment.
pub(crate) fn subject_controls(
    id: Uuid,
    controls: hearth_core::access::PersonControls,
) -> SubjectControls {
    SubjectControls {
        person_id: id.to_string(),
        restricted: controls.restricted,
        objected: controls.objected,
        consents: controls.consents,
        explicit_consents: controls.explicit_consents,
        assignees: controls.assignees.iter().map(Uuid::to_string).collect(),
    }
}

/// Policies whose refusal follows from a person's controls rather than the caller's role and
/// purpose: naming one tells the caller that the person restricted or objected to processing,
/// or gave or withdrew consent.
const CONTROL_POLICIES: &[&str] = &[
    "restriction-storage-only",
    "objection-stops-public-task",
    "consent-required",
    "explicit-consent-for-special",
];

/// The gate's answer for a batch of records of one kind.
pub(crate) struct Admission<T: Guarded> {
    pub visible: Vec<Visible<T>>,
    /// The audit event describing the whole call; for a change, the store writes it with the change.
    pub event: AuditEvent,
}

impl Hearth {
    /// Refuses a caller that names no purpose, or one the register lacks: adapters call this
    /// first, so such a request is refused before anything else about it is looked at.
    pub fn check_purpose(&self, caller: &Caller) -> Result<()> {
        self.purpose_of(caller).map(|_| ())
    }

    /// The purpose the caller named, checked against the register.
    pub(crate) fn purpose_of<'a>(&self, caller: &'a Caller) -> Result<&'a str> {
        let purpose = caller.purpose().ok_or(ServiceError::PurposeRequired)?;
        if !self.gate.knows_purpose(purpose) {
            return Err(ServiceError::UnknownPurpose(purpose.to_string()));
        }
        Ok(purpose)
    }

    /// Whether the caller may read people's controls (restriction, objection, consent), as
    /// those who handle rights requests do.
    fn may_read_controls(&self, caller: &Caller) -> Result<bool> {
        self.gate
            .decide_admin(caller.principal(), hearth_policy::AdminAction::ManageRights)
            .map(|d| d.allowed)
            .map_err(|e| ServiceError::Policy(e.to_string()))
    }

    pub(crate) fn event(&self, caller: &Caller, action: String) -> AuditEvent {
        AuditEvent {
            id: Uuid::now_v7(),
            at: self.now(),
            actor: caller.actor().to_string(),
            purpose: caller.purpose().map(str::to_string),
            action,
            decision: "allowed".to_string(),
            person_ids: vec![],
            record_type: None,
            record_ids: vec![],
            fields: vec![],
            correlation_id: caller.correlation_id().map(str::to_string),
            reason: None,
        }
    }

    /// Decides every group of every record. Reads keep what is allowed and drop records with
    /// nothing allowed; writes are all or nothing. A refusal is audited before it is returned.
    pub(crate) async fn admit<T: Guarded>(
        &self,
        caller: &Caller,
        action: RecordAction,
        records: Vec<T>,
    ) -> Result<Admission<T>> {
        let writing = matches!(action, RecordAction::Create | RecordAction::Update);
        let groups = records
            .iter()
            .map(|record| {
                if writing {
                    record.groups_present()
                } else {
                    T::GROUPS.iter().collect()
                }
            })
            .collect();
        self.admit_groups(caller, action, records, groups).await
    }

    /// Admits a change of one record that names the fields `names`: the groups holding them
    /// are decided on (with the record as it is), before any value is looked at, and a group
    /// the caller may not write refuses the whole change. Groups the change does not name are
    /// neither decided on nor touched.
    pub(crate) async fn admit_change<'a, T: Guarded>(
        &self,
        caller: &Caller,
        current: &T,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Admission<T>> {
        let named = T::groups_named(names);
        if named.is_empty() {
            return Err(ServiceError::field(
                "(body)",
                "name at least one field of the record to change",
            ));
        }
        self.admit_groups(
            caller,
            RecordAction::Update,
            vec![current.clone()],
            vec![named],
        )
        .await
    }

    /// Decides the given groups of each record (`groups[i]` for `records[i]`).
    async fn admit_groups<T: Guarded>(
        &self,
        caller: &Caller,
        action: RecordAction,
        records: Vec<T>,
        groups: Vec<Vec<&'static FieldGroup>>,
    ) -> Result<Admission<T>> {
        let purpose = self.purpose_of(caller)?.to_string();
        let households: Vec<Uuid> = records.iter().filter_map(Guarded::via_household).collect();
        let household_people = if households.is_empty() {
            HashMap::new()
        } else {
            self.store.household_people(&households).await?
        };
        // The other people each record concerns: its own list, or its household's members.
        let related: Vec<Vec<Uuid>> = records
            .iter()
            .map(|r| {
                let mut people = r.related_people();
                if let Some(members) = r.via_household().and_then(|h| household_people.get(&h)) {
                    people.extend(members.iter().copied());
                }
                people
            })
            .collect();
        let mut subjects: Vec<Uuid> = records.iter().filter_map(Guarded::subject).collect();
        subjects.extend(related.iter().flatten().copied());
        subjects.sort();
        subjects.dedup();
        let controls = if subjects.is_empty() {
            HashMap::new()
        } else {
            self.store.person_controls(&subjects).await?
        };
        let writing = matches!(action, RecordAction::Create | RecordAction::Update);
        let mut event = self.event(caller, format!("{}.{}", T::KIND, action.as_str()));
        event.record_type = Some(T::RECORD_TYPE.to_string());
        let mut visible = Vec::with_capacity(records.len());
        let mut refusals: Vec<String> = Vec::new();
        let mut refused_by_controls = false;
        for ((record, people), groups) in records.into_iter().zip(related).zip(groups) {
            let related = hearth_policy::RelatedControls {
                restricted: people
                    .iter()
                    .any(|p| controls.get(p).is_some_and(|c| c.restricted)),
                objected: people
                    .iter()
                    .any(|p| controls.get(p).is_some_and(|c| c.objected)),
            };
            // A household's or tenancy's people see its reads in their access log.
            event.person_ids.extend(people);
            let subject = record
                .subject()
                .map(|id| subject_controls(id, controls.get(&id).cloned().unwrap_or_default()));
            let mut allowed_fields = Vec::new();
            let mut withheld = Vec::new();
            for group in groups {
                let view = RecordView {
                    record_type: T::RECORD_TYPE.to_string(),
                    record_id: record.id().to_string(),
                    field_group: group.name.to_string(),
                    categories: group.categories.iter().map(|c| c.to_string()).collect(),
                    subject: subject.clone(),
                    related,
                };
                let decision = self
                    .gate
                    .decide_record(caller.principal(), action, &purpose, &view)
                    .map_err(|e| ServiceError::Policy(e.to_string()))?;
                if decision.allowed {
                    allowed_fields.push(group.name);
                } else {
                    withheld.push(group.name);
                    refusals.push(format!("{}: {}", group.name, decision.explain()));
                    refused_by_controls |= decision
                        .policies
                        .iter()
                        .any(|p| CONTROL_POLICIES.contains(&p.as_str()));
                }
            }
            if let Some(id) = record.subject() {
                event.person_ids.push(id);
            }
            event.record_ids.push(record.id().to_string());
            if allowed_fields.is_empty() || (writing && !withheld.is_empty()) {
                continue;
            }
            event
                .fields
                .extend(allowed_fields.iter().map(|f| f.to_string()));
            visible.push(Visible::new(record, withheld));
        }
        event.person_ids.sort();
        event.person_ids.dedup();
        event.fields.sort();
        event.fields.dedup();
        refusals.sort();
        refusals.dedup();
        let refused_all = visible.is_empty() && !event.record_ids.is_empty();
        if refused_all || (writing && !refusals.is_empty()) {
            event.decision = "denied".to_string();
            event.fields.clear();
            event.reason = Some(refusals.join("; "));
            self.store.append_audit_events(&[event]).await?;
            // Which control refused (restriction, objection, consent) says something about the
            // person: only those who may read a person's controls are told it.
            if refused_by_controls && !self.may_read_controls(caller)? {
                return Err(ServiceError::Forbidden(
                    "no policy allows this for your role and purpose".to_string(),
                ));
            }
            return Err(ServiceError::Forbidden(refusals.join("; ")));
        }
        if !refusals.is_empty() {
            event.reason = Some(format!("withheld {}", refusals.join("; ")));
        }
        Ok(Admission { visible, event })
    }

    /// Admits records for reading and records the read.
    pub(crate) async fn admit_read<T: Guarded>(
        &self,
        caller: &Caller,
        action: RecordAction,
        records: Vec<T>,
    ) -> Result<Vec<Visible<T>>> {
        let admission = self.admit(caller, action, records).await?;
        self.store.append_audit_events(&[admission.event]).await?;
        Ok(admission.visible)
    }
}

/// What one new row of a bulk load writes: each (record type, field group) it fills, and the
/// person it is about.
pub(crate) type BulkWrite = (Vec<(&'static str, &'static FieldGroup)>, Option<Uuid>);

/// Decisions already made during one bulk load, by record type and field group: rows of a
/// bulk load are new, so they carry no person controls and differ only in which groups they fill.
#[derive(Default)]
pub(crate) struct BulkDecisions {
    decided: HashMap<(&'static str, &'static str), hearth_policy::Decision>,
    /// The refusal's audit event, kept back until the load's transaction has ended: on SQLite
    /// the load holds the only write lock, so the event cannot be written beside it.
    refusal: Option<AuditEvent>,
}

impl Hearth {
    /// Ends a bulk load that failed: rolls its transaction back, then records the refusal
    /// that stopped it, if the gate refused it. Returns the original error.
    pub(crate) async fn abandon_bulk(
        &self,
        session: Box<dyn hearth_store::ImportSession>,
        decided: &mut BulkDecisions,
        error: ServiceError,
    ) -> ServiceError {
        if let Err(rollback) = session.rollback().await {
            tracing::warn!(error = %rollback, "rolling back a refused bulk load failed");
        }
        if let Some(event) = decided.refusal.take()
            && let Err(audit) = self.store.append_audit_events(&[event]).await
        {
            return audit.into();
        }
        error
    }
}

impl Hearth {
    /// Admits a batch of new rows for a bulk load: every group any row fills must be allowed,
    /// or nothing is written. Returns the batch's audit event, for the load's own transaction;
    /// a refusal's event waits in `decided` for `abandon_bulk`.
    pub(crate) async fn admit_bulk(
        &self,
        caller: &Caller,
        action: &str,
        rows: &[BulkWrite],
        decided: &mut BulkDecisions,
    ) -> Result<AuditEvent> {
        let purpose = self.purpose_of(caller)?.to_string();
        let mut event = self.event(caller, action.to_string());
        let mut refusals = Vec::new();
        let mut fields = Vec::new();
        for (groups, subject) in rows {
            for (record_type, group) in groups {
                let key = (*record_type, group.name);
                if let std::collections::hash_map::Entry::Vacant(slot) = decided.decided.entry(key)
                {
                    let view = RecordView {
                        record_type: record_type.to_string(),
                        record_id: "new".to_string(),
                        field_group: group.name.to_string(),
                        categories: group.categories.iter().map(|c| c.to_string()).collect(),
                        subject: subject.map(|id| SubjectControls {
                            person_id: id.to_string(),
                            ..Default::default()
                        }),
                        related: Default::default(),
                    };
                    let purpose = group.loaded_for.unwrap_or(&purpose);
                    let decision = self
                        .gate
                        .decide_record(caller.principal(), RecordAction::Create, purpose, &view)
                        .map_err(|e| ServiceError::Policy(e.to_string()))?;
                    slot.insert(decision);
                }
                match decided.decided.get(&key) {
                    Some(decision) if decision.allowed => fields.push(group.name.to_string()),
                    Some(decision) => refusals.push(format!(
                        "{record_type} {}: {}",
                        group.name,
                        decision.explain()
                    )),
                    None => {}
                }
            }
            event.person_ids.extend(subject.iter().copied());
        }
        refusals.sort();
        refusals.dedup();
        fields.sort();
        fields.dedup();
        if !refusals.is_empty() {
            event.decision = "denied".to_string();
            event.reason = Some(refusals.join("; "));
            decided.refusal = Some(event);
            return Err(ServiceError::Forbidden(refusals.join("; ")));
        }
        event.fields = fields;
        Ok(event)
    }
}
