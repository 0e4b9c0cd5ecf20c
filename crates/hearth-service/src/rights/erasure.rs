//! Erasure requests (Art 17), in three steps: prepare a plan (every thing held about the
//! person, erase or keep, with the ground and until when), the data protection officer's
//! approval (with any change they make, and why), and execution in one transaction, which
//! closes the request with a letter that says what was erased, what was kept, why and until
//! when.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::records::{Equality, Person};
use hearth_core::register::Trigger;
use hearth_core::retention::uk_date;
use hearth_core::rights::{
    Closure, ConsentScope, Decision, Erasure, ErasureItem, ErasureStatus, Ground, ItemKind,
    Outcome, Override, RecordFacts, RequestKind, RightsRequest, apply_overrides, erasure_letter,
    propose, settle_person_items,
};
use hearth_policy::AdminAction;
use hearth_store::{ContactQuery, ErasureExecution, ErasureTargets, HouseholdQuery};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The data protection officer's approval: changes to the proposed decisions, each with its
/// reason, and the plan version they reviewed.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureApproval {
    /// The version of the plan reviewed: approval is refused if it changed since.
    pub version: i64,
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// What an executed erasure removed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErasureRemoved {
    pub filed_records: u64,
    pub contacts: u64,
    pub memberships: u64,
    pub media_objects: u64,
    pub person_erased: bool,
    pub equality_cleared: bool,
}

/// An executed erasure and what it removed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErasureDone {
    pub erasure: Erasure,
    pub removed: ErasureRemoved,
}

impl Hearth {
    /// Prepares (or prepares again) the plan for an erasure request: nothing is erased yet.
    /// The request must be an open erasure request whose clock has started (identity checked).
    pub async fn prepare_erasure(&self, caller: &Caller, request_id: Uuid) -> Result<Erasure> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        self.plan_erasure(caller, request_id).await
    }

    /// Prepares the plan for an erasure or consent withdrawal request, for whoever set it in
    /// motion (staff handling the request, or a resident withdrawing consent).
    pub(super) async fn plan_erasure(&self, caller: &Caller, request_id: Uuid) -> Result<Erasure> {
        let request = self.erasure_request(request_id).await?;
        if let Some(existing) = self.store.get_erasure(request_id).await?
            && existing.status != ErasureStatus::Proposed
        {
            return Err(ServiceError::Conflict(format!(
                "the erasure is already {}: it cannot be prepared again",
                existing.status
            )));
        }
        let person = self
            .store
            .get_person(request.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let scope = match request.kind {
            RequestKind::ConsentWithdrawal => Some(ConsentScope::from_history(
                &self.store.consent_history(person.id).await?,
            )),
            _ => None,
        };
        let items = self.erasure_items(&person, scope.as_ref()).await?;
        let erasure = Erasure {
            request_id,
            person_id: person.id,
            status: ErasureStatus::Proposed,
            items,
            prepared_at: self.now(),
            prepared_by: caller.actor().to_string(),
            approved_at: None,
            approved_by: None,
            executed_at: None,
            executed_by: None,
            letter: None,
            version: 1,
        };
        let mut event = self.erasure_event(caller, "rights.erasure_prepared", &erasure);
        event.reason = Some(counts(&erasure));
        if !self.store.save_erasure_plan(&erasure, &event).await? {
            return Err(ServiceError::Conflict(
                "the erasure was approved meanwhile: it cannot be prepared again".into(),
            ));
        }
        self.get_erasure_unchecked(request_id).await
    }

    /// The erasure for a request, as it stands.
    pub async fn erasure(&self, caller: &Caller, request_id: Uuid) -> Result<Erasure> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let erasure = self.get_erasure_unchecked(request_id).await?;
        let event = self.erasure_event(caller, "rights.erasure_read", &erasure);
        self.store.append_audit_events(&[event]).await?;
        Ok(erasure)
    }

    /// The data protection officer approves the plan, changing any decision with a reason.
    /// Erasing something under a legal hold is refused: the hold is lifted first.
    pub async fn approve_erasure(
        &self,
        caller: &Caller,
        request_id: Uuid,
        approval: &ErasureApproval,
    ) -> Result<Erasure> {
        self.require_admin(caller, AdminAction::ApproveRightsResponses)
            .await?;
        self.erasure_request(request_id).await?;
        let mut erasure = self.get_erasure_unchecked(request_id).await?;
        if erasure.status != ErasureStatus::Proposed {
            return Err(ServiceError::Conflict(format!(
                "the erasure is already {}",
                erasure.status
            )));
        }
        if erasure.version != approval.version {
            return Err(ServiceError::Conflict(format!(
                "the plan is at version {}, not the version {} reviewed: review it again",
                erasure.version, approval.version
            )));
        }
        apply_overrides(&mut erasure.items, &approval.overrides).map_err(ServiceError::Invalid)?;
        erasure.status = ErasureStatus::Approved;
        erasure.approved_at = Some(self.now());
        erasure.approved_by = Some(caller.actor().to_string());
        let mut event = self.erasure_event(caller, "rights.erasure_approved", &erasure);
        event.reason = Some(format!(
            "{}; {} decision(s) changed",
            counts(&erasure),
            approval.overrides.len()
        ));
        if !self
            .store
            .approve_erasure(&erasure, approval.version, &event)
            .await?
        {
            return Err(ServiceError::Conflict(
                "the plan changed while it was being approved: review it again".into(),
            ));
        }
        erasure.version += 1;
        tracing::info!(request = %request_id, "erasure approved");
        Ok(erasure)
    }

    /// Carries out an approved erasure and closes the request with the letter. A legal hold
    /// placed since approval, or records added about the person since, stop it with nothing
    /// erased.
    pub async fn execute_erasure(&self, caller: &Caller, request_id: Uuid) -> Result<ErasureDone> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self.erasure_request(request_id).await?;
        let mut erasure = self.get_erasure_unchecked(request_id).await?;
        if erasure.status != ErasureStatus::Approved {
            return Err(ServiceError::Conflict(format!(
                "the erasure is {}: the data protection officer approves it before it is carried out",
                erasure.status
            )));
        }
        let targets = self.erasure_targets(&erasure).await?;
        let today = self.today();
        let erased_ids: BTreeSet<Uuid> = erasure.erased().map(|i| i.record_id).collect();
        let person_data_erased = targets.erase_person || targets.clear_equality;
        let disclosures = self.store.disclosures_of(erasure.person_id).await?;
        let notified = self.recipient_names(disclosures.iter().filter(|d| match d.record_id {
            Some(id) => erased_ids.contains(&id),
            None => person_data_erased,
        }));
        let letter = erasure_letter(
            request.kind,
            request.received_on,
            request.id,
            &erasure.items,
            &notified,
        );
        let kept: Vec<&ErasureItem> = erasure
            .items
            .iter()
            .filter(|i| {
                i.decision == Decision::Keep
                    && !matches!(i.kind, ItemKind::RightsRequests | ItemKind::AccessLog)
            })
            .collect();
        let closure = Closure {
            outcome: if kept.is_empty() {
                Outcome::Fulfilled
            } else {
                Outcome::PartlyFulfilled
            },
            reason: (!kept.is_empty()).then(|| kept_reason(&kept)),
            response_letter: Some(letter.clone()),
            closed_on: today,
        };
        let expected_request = request.version;
        let closed = self.apply_change(request, &super::RequestChange::Closed(closure))?;
        let closed = self.with_due_date(closed);
        let expected = erasure.version;
        erasure.status = ErasureStatus::Executed;
        erasure.executed_at = Some(self.now());
        erasure.executed_by = Some(caller.actor().to_string());
        erasure.letter = Some(letter);
        let mut event = self.erasure_event(caller, "rights.erasure_executed", &erasure);
        event
            .record_ids
            .extend(erasure.erased().map(|i| i.record_id.to_string()));
        event.record_ids.dedup();
        event.reason = Some(counts(&erasure));
        let outcome = self
            .store
            .execute_erasure(&ErasureExecution {
                erasure: &erasure,
                expected_version: expected,
                targets: &targets,
                request: &closed,
                request_version: expected_request,
                audit: &event,
            })
            .await?;
        erasure.version = expected + 1;
        if outcome.media_objects > 0 {
            self.remove_tombstoned_media().await?;
        }
        tracing::info!(
            request = %request_id,
            filed = outcome.filed_records,
            contacts = outcome.contacts,
            person_erased = outcome.person_erased,
            "erasure executed"
        );
        Ok(ErasureDone {
            erasure,
            removed: ErasureRemoved {
                filed_records: outcome.filed_records,
                contacts: outcome.contacts,
                memberships: outcome.memberships,
                media_objects: outcome.media_objects,
                person_erased: outcome.person_erased,
                equality_cleared: outcome.equality_cleared,
            },
        })
    }

    /// An open erasure request, or a consent withdrawal (whose plan erases what was held on
    /// that consent alone).
    async fn erasure_request(&self, request_id: Uuid) -> Result<RightsRequest> {
        let kind = match self.store.get_rights_request(request_id).await? {
            Some(r) if r.kind == RequestKind::ConsentWithdrawal => RequestKind::ConsentWithdrawal,
            _ => RequestKind::Erasure,
        };
        self.open_request_of(request_id, kind).await
    }

    async fn get_erasure_unchecked(&self, request_id: Uuid) -> Result<Erasure> {
        self.store
            .get_erasure(request_id)
            .await?
            .ok_or(ServiceError::NotFound("erasure (prepare it first)"))
    }

    fn erasure_event(
        &self,
        caller: &Caller,
        action: &str,
        erasure: &Erasure,
    ) -> hearth_core::audit::AuditEvent {
        let mut event = self.event(caller, action.to_string());
        event.person_ids = vec![erasure.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![erasure.request_id.to_string()];
        event
    }

    /// Every thing held about the person, each with its proposed decision; with a consent
    /// scope, only the records held on withdrawn consent alone (the person record stays).
    pub(super) async fn erasure_items(
        &self,
        person: &Person,
        scope: Option<&ConsentScope>,
    ) -> Result<Vec<ErasureItem>> {
        let today = self.today();
        let pid = person.id;
        let objected = self
            .store
            .person_controls(&[pid])
            .await?
            .remove(&pid)
            .is_some_and(|c| c.objected);
        let mut items = vec![person_wide(
            ItemKind::PersonRecord,
            pid,
            "Your record: name, contact details, identifiers and needs",
        )];
        if person.fields.equality != Equality::default() {
            let mut item = person_wide(
                ItemKind::EqualityAnswers,
                pid,
                "Your optional equality answers (ethnicity, disability, religion and the like)",
            );
            item.ground = Ground::ConsentBased;
            items.push(item);
        }

        let holds = self.store.list_holds(true).await?;
        let held = |record_type: &str, record_id: Uuid, case_ref: Option<&str>| {
            holds
                .iter()
                .filter(|h| h.covers(record_type, record_id, &[pid], case_ref))
                .map(|h| h.review_on)
                .min()
        };
        let households = self.households_of(pid).await?;
        for household in &households {
            let held = held("household", household.id, None);
            for m in household
                .members
                .iter()
                .filter(|m| m.fields.person_id == pid)
            {
                let facts = self.facts("household", Some(uk_date(household.updated_at)), held);
                items.push(self.item(
                    ItemKind::Membership,
                    m.id,
                    "household",
                    format!("Membership of a household, from {}", m.fields.start_date),
                    facts,
                    objected,
                    today,
                ));
            }
        }

        let contact_query = ContactQuery {
            person_id: Some(pid),
            ..ContactQuery::default()
        };
        let contacts =
            super::access::all_pages(|page| self.store.list_contacts(&contact_query, page)).await?;
        for contact in contacts {
            let held = held("contact_log", contact.id, None);
            let facts = self.facts("contact_log", Some(uk_date(contact.created_at)), held);
            items.push(self.item(
                ItemKind::Contact,
                contact.id,
                "contact_log",
                format!(
                    "Contact log entry ({}), {}",
                    contact.fields.channel.as_str().replace('_', " "),
                    uk_date(contact.fields.occurred_at)
                ),
                facts,
                objected,
                today,
            ));
        }

        let filed = self
            .store
            .list_filed_records(None, Some(pid), 100_000)
            .await?;
        let ids: Vec<Uuid> = filed.iter().map(|r| r.id).collect();
        let media = self.store.media_of_records(&ids).await?;
        for record in filed {
            let record_type = record.fields.record_type.clone();
            let held = held(&record_type, record.id, record.fields.case_ref.as_deref());
            let trigger = self.trigger_date(&record).await?;
            let facts = self.facts(&record_type, trigger, held);
            let name = self
                .register
                .record_type(&record_type)
                .map_or(record_type.clone(), |t| t.name.clone());
            let mut item = self.item(
                ItemKind::FiledRecord,
                record.id,
                &record_type,
                format!("{name}, filed {}", uk_date(record.created_at)),
                facts,
                objected,
                today,
            );
            item.media = media
                .get(&record.id)
                .map_or(0, |m| u32::try_from(m.len()).unwrap_or(u32::MAX));
            items.push(item);
        }

        if !self.store.consent_history(pid).await?.is_empty() {
            items.push(person_wide(
                ItemKind::ConsentHistory,
                pid,
                "The consents you gave and withdrew, with the words you were shown",
            ));
        }
        let mut requests = person_wide(
            ItemKind::RightsRequests,
            pid,
            "Your requests under data protection law and our responses",
        );
        requests.decision = Decision::Keep;
        requests.ground = Ground::LegalObligation;
        requests.until_text = Some(
            "as the register of requests; the text of each becomes unreadable if your record is erased".into(),
        );
        items.push(requests);
        let mut log = person_wide(
            ItemKind::AccessLog,
            pid,
            "The log of who used your record and why (it names you by a reference number only)",
        );
        log.decision = Decision::Keep;
        log.ground = Ground::Accountability;
        items.push(log);
        if let Some(scope) = scope {
            items.retain(|item| {
                matches!(
                    item.kind,
                    ItemKind::Membership | ItemKind::Contact | ItemKind::FiledRecord
                ) && self
                    .register
                    .record_type(&item.record_type)
                    .is_some_and(|t| scope.held_only_on_withdrawn(&self.register, t))
            });
            return Ok(items);
        }
        settle_person_items(&mut items);
        Ok(items)
    }

    fn facts(
        &self,
        record_type: &str,
        trigger_date: Option<Date>,
        held_until_review: Option<Date>,
    ) -> Option<RecordFacts<'_>> {
        self.register
            .record_type(record_type)
            .map(|record_type| RecordFacts {
                record_type,
                trigger_date,
                held_until_review,
            })
    }

    /// One item with its proposed decision; a record type gone from the register is kept for
    /// the data protection officer to decide.
    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        kind: ItemKind,
        record_id: Uuid,
        record_type: &str,
        description: String,
        facts: Option<RecordFacts<'_>>,
        objected: bool,
        today: Date,
    ) -> ErasureItem {
        let (decision, ground, until, until_text) = match facts {
            Some(facts) => {
                let p = propose(&self.register, &facts, objected, today);
                (p.decision, p.ground, p.until, p.until_text)
            }
            None => (
                Decision::Keep,
                Ground::DpoDecision,
                None,
                Some("the record type is no longer in the register: the data protection officer decides".into()),
            ),
        };
        ErasureItem {
            kind,
            record_type: record_type.to_string(),
            record_id,
            description,
            decision,
            ground,
            until,
            until_text,
            media: 0,
            dpo_reason: None,
        }
    }

    /// The households a person is (or was) a member of.
    async fn households_of(&self, person_id: Uuid) -> Result<Vec<hearth_core::records::Household>> {
        let query = HouseholdQuery {
            person_id: Some(person_id),
            ..HouseholdQuery::default()
        };
        super::access::all_pages(|page| self.store.list_households(&query, page)).await
    }

    /// The day a filed record's retention period runs from, by its record type's trigger;
    /// `None` while the trigger has not happened.
    async fn trigger_date(
        &self,
        record: &hearth_core::records::FiledRecord,
    ) -> Result<Option<Date>> {
        let Some(record_type) = self.register.record_type(&record.fields.record_type) else {
            return Ok(None);
        };
        Ok(match &record_type.retention.trigger {
            Trigger::Created => Some(uk_date(record.created_at)),
            Trigger::LastActivity => Some(uk_date(record.last_activity_at)),
            Trigger::CaseClosed => record.closed_at.map(uk_date),
            Trigger::TenancyEnded => match record.fields.tenancy_id {
                Some(id) => self
                    .store
                    .get_tenancy(id)
                    .await?
                    .and_then(|t| t.fields.end_date),
                None => None,
            },
            Trigger::Event(name) => record.fields.events.get(name).copied(),
        })
    }

    /// The ids an approved plan removes, and what a legal hold could name for them.
    async fn erasure_targets(&self, erasure: &Erasure) -> Result<ErasureTargets> {
        let mut targets = ErasureTargets::default();
        let mut types = BTreeSet::new();
        let erased_memberships: BTreeSet<Uuid> = erasure
            .erased()
            .filter(|i| i.kind == ItemKind::Membership)
            .map(|i| i.record_id)
            .collect();
        for item in erasure.erased() {
            match item.kind {
                ItemKind::FiledRecord => targets.filed_records.push(item.record_id),
                ItemKind::Contact => targets.contacts.push(item.record_id),
                ItemKind::Membership => targets.memberships.push(item.record_id),
                ItemKind::EqualityAnswers => targets.clear_equality = true,
                ItemKind::PersonRecord => targets.erase_person = true,
                ItemKind::ConsentHistory | ItemKind::RightsRequests | ItemKind::AccessLog => {}
            }
            if matches!(
                item.kind,
                ItemKind::FiledRecord | ItemKind::Contact | ItemKind::Membership
            ) {
                targets.hold_targets.push(item.record_id);
                types.insert(item.record_type.clone());
            }
        }
        if !erased_memberships.is_empty() {
            let households = self.households_of(erasure.person_id).await?;
            for household in households {
                if household
                    .members
                    .iter()
                    .any(|m| erased_memberships.contains(&m.id))
                {
                    targets.hold_targets.push(household.id);
                }
            }
        }
        if targets.erase_person {
            types.insert("person_record".into());
        }
        targets.hold_record_types = types.into_iter().collect();
        Ok(targets)
    }
}

fn person_wide(kind: ItemKind, person_id: Uuid, description: &str) -> ErasureItem {
    ErasureItem {
        kind,
        record_type: "person_record".into(),
        record_id: person_id,
        description: description.into(),
        decision: Decision::Erase,
        ground: Ground::WithPersonRecord,
        until: None,
        until_text: None,
        media: 0,
        dpo_reason: None,
    }
}

/// "3 erased, 5 kept": for the audit log, without personal data.
fn counts(erasure: &Erasure) -> String {
    let erased = erasure.erased().count();
    format!("{erased} erased, {} kept", erasure.items.len() - erased)
}

/// The grounds for a partial response, by ground: "kept: 2 x public_task, 1 x legal_hold".
fn kept_reason(kept: &[&ErasureItem]) -> String {
    let mut by_ground: std::collections::BTreeMap<&str, usize> = Default::default();
    for item in kept {
        *by_ground.entry(item.ground.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = by_ground
        .iter()
        .map(|(ground, n)| format!("{n} x {ground}"))
        .collect();
    format!(
        "Erasure partly refused under UK GDPR Art 17(3); kept: {}",
        parts.join(", ")
    )
}
