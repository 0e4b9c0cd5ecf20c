//! Answering restriction, objection and consent withdrawal requests. Each answer changes the
//! person's controls (which the gate enforces from that moment) in the same transaction as the
//! request is saved, so a request is never closed without its effect, nor the reverse.

use super::RequestChange;
use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::access::ConsentRecord;
use hearth_core::audit::AuditEvent;
use hearth_core::rights::{
    Channel, Closure, ConsentScope, Decision, Erasure, NewRightsRequest, Outcome, RequestKind,
    Requester, RestrictionGround, RightsRequest, objection_letter, restriction_letter,
    withdrawal_letter,
};
use hearth_policy::AdminAction;
use hearth_store::{PersonFlags, RightsResponse};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Restricting processing in answer to a restriction request.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionInput {
    pub ground: RestrictionGround,
}

/// The answer to an objection: upheld (public-task processing stops), or refused on the
/// compelling grounds the data protection officer records.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionDecision {
    pub upheld: bool,
    /// Required when not upheld: the compelling legitimate grounds that override the person's
    /// interests, rights and freedoms, as they will read them.
    #[serde(default)]
    pub compelling_grounds: Option<String>,
}

/// The purposes a consent withdrawal request withdraws.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalInput {
    pub purposes: Vec<String>,
}

/// A withdrawal recorded: the withdrawals, the request, and the erasure plan for what was held
/// on that consent alone (then approved and carried out as any erasure), if anything was.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WithdrawalDone {
    pub request: super::RequestView,
    pub withdrawals: Vec<ConsentRecord>,
    pub erasure: Option<Erasure>,
}

/// The shortest statement of compelling grounds accepted: a sentence, not a word.
const MIN_GROUNDS: usize = 20;

impl Hearth {
    /// Restricts processing of the person's data (storage only, enforced by the gate) and
    /// closes the restriction request with the letter that says so.
    pub async fn restrict_on_request(
        &self,
        caller: &Caller,
        request_id: Uuid,
        input: &RestrictionInput,
    ) -> Result<super::RequestView> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self
            .open_request_of(request_id, RequestKind::Restriction)
            .await?;
        let mut flags = self.flags_of(request.person_id).await?;
        flags.restricted = true;
        let letter = restriction_letter(request.received_on, request.id, input.ground);
        let mut flag_event = self.person_event(caller, "rights.restricted", &request);
        flag_event.reason = Some(format!("{}; request {}", input.ground.as_str(), request.id));
        self.close_with(
            caller,
            request,
            Outcome::Fulfilled,
            None,
            letter,
            flags,
            vec![],
            flag_event,
        )
        .await
    }

    /// Answers an objection. Upholding it stops public-task processing; refusing it is the data
    /// protection officer's decision, on compelling grounds they record, and lifts the objection
    /// flag set while it was weighed.
    pub async fn decide_objection(
        &self,
        caller: &Caller,
        request_id: Uuid,
        decision: &ObjectionDecision,
    ) -> Result<super::RequestView> {
        let grounds = decision
            .compelling_grounds
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty());
        let grounds = match (decision.upheld, grounds) {
            (true, Some(_)) => {
                return Err(ServiceError::field(
                    "compelling_grounds",
                    "only for an objection that is not upheld",
                ));
            }
            (true, None) => {
                self.require_admin(caller, AdminAction::HandleRightsRequests)
                    .await?;
                None
            }
            (false, grounds) => {
                self.require_admin(caller, AdminAction::ApproveRightsResponses)
                    .await?;
                match grounds {
                    Some(g) if g.chars().count() >= MIN_GROUNDS => Some(g.to_string()),
                    _ => {
                        return Err(ServiceError::field(
                            "compelling_grounds",
                            format!(
                                "state the compelling legitimate grounds (at least {MIN_GROUNDS} characters) that override the person's interests (UK GDPR Art 21(1))"
                            ),
                        ));
                    }
                }
            }
        };
        let request = self
            .open_request_of(request_id, RequestKind::Objection)
            .await?;
        let mut flags = self.flags_of(request.person_id).await?;
        flags.objected = decision.upheld;
        let letter = objection_letter(request.received_on, request.id, grounds.as_deref());
        let (action, outcome) = if decision.upheld {
            ("rights.objection_recorded", Outcome::Fulfilled)
        } else {
            ("rights.objection_closed", Outcome::Refused)
        };
        let mut flag_event = self.person_event(caller, action, &request);
        flag_event.reason = Some(match &grounds {
            Some(g) => format!("compelling grounds: {g}"),
            None => format!("objection upheld; request {}", request.id),
        });
        self.close_with(
            caller,
            request,
            outcome,
            grounds,
            letter,
            flags,
            vec![],
            flag_event,
        )
        .await
    }

    /// Withdraws consent for the purposes a request names, at once (the gate refuses
    /// consent-based processing from this moment). What was held on that consent alone is
    /// scheduled for erasure: a plan is prepared for the data protection officer's approval,
    /// and carrying it out closes the request. When nothing was, the request is closed now.
    pub async fn withdraw_consent_on_request(
        &self,
        caller: &Caller,
        request_id: Uuid,
        input: &WithdrawalInput,
    ) -> Result<WithdrawalDone> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self
            .open_request_of(request_id, RequestKind::ConsentWithdrawal)
            .await?;
        let person = self
            .store
            .get_person(request.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let mut history = self.store.consent_history(person.id).await?;
        let before = ConsentScope::from_history(&history);
        let mut errors = hearth_core::FieldErrors::new();
        if input.purposes.is_empty() {
            errors.add(
                "purposes",
                "name at least one purpose to withdraw consent for",
            );
        }
        let mut purposes = Vec::new();
        for (i, id) in input.purposes.iter().enumerate() {
            let at = format!("purposes[{i}]");
            match self.register.purpose(id) {
                None => errors.add(&at, format!("unknown purpose '{id}'")),
                Some(_) if input.purposes[..i].contains(id) => errors.add(&at, "named twice"),
                Some(_) if !before.is_in_force(id) => errors.add(
                    &at,
                    format!("the person has no consent in force for '{id}'"),
                ),
                Some(p) => purposes.push(p),
            }
        }
        errors.finish(()).map_err(ServiceError::Invalid)?;
        // Explicit consent to special category data goes with the consent it was given on.
        let explicit = explicit_in_force(&history);
        let withdrawals: Vec<ConsentRecord> = purposes
            .iter()
            .flat_map(|p| {
                let both = if explicit.contains(&p.id) {
                    vec![false, true]
                } else {
                    vec![false]
                };
                both.into_iter().map(move |special| (p, special))
            })
            .map(|(p, special)| ConsentRecord {
                id: Uuid::now_v7(),
                person_id: person.id,
                purpose: p.id.clone(),
                granted: false,
                special_category: special,
                wording: format!(
                    "Consent withdrawn by the person's request received on {} (reference {})",
                    request.received_on, request.id
                ),
                wording_version: "rights-request".into(),
                recorded_by: caller.actor().to_string(),
                at: self.now(),
                evidence: Some(hearth_core::access::ConsentEvidence {
                    channel: request.channel,
                    given_by: match &request.requester {
                        Some(hearth_core::rights::Requester::Representative { .. }) => {
                            hearth_core::access::ConsentGiver::Representative
                        }
                        _ => hearth_core::access::ConsentGiver::ThePerson,
                    },
                    given_at: request
                        .received_on
                        .to_zoned(jiff::tz::TimeZone::UTC)
                        .map(|z| z.timestamp())
                        .unwrap_or_else(|_| self.now()),
                }),
            })
            .collect();
        history.extend(withdrawals.iter().cloned());
        let scope = ConsentScope::from_history(&history);
        let items = self.erasure_items(&person, Some(&scope)).await?;
        let to_erase = items
            .iter()
            .filter(|i| i.decision == Decision::Erase)
            .count();
        let letter = withdrawal_letter(request.received_on, request.id, &purposes, to_erase);
        let mut event = self.person_event(caller, "consent.withdrawn", &request);
        event.record_ids = withdrawals.iter().map(|c| c.id.to_string()).collect();
        event.fields = purposes
            .iter()
            .map(|p| format!("consent:{}", p.id))
            .collect();
        event.reason = Some(format!(
            "request {}; {to_erase} record(s) held on it alone",
            request.id
        ));
        let flags = self.flags_of(person.id).await?;
        let withdrawn: Vec<String> = purposes.iter().map(|p| p.id.clone()).collect();
        if to_erase == 0 {
            let view = self
                .close_with(
                    caller,
                    request,
                    Outcome::Fulfilled,
                    None,
                    letter,
                    flags,
                    withdrawals.clone(),
                    event,
                )
                .await?;
            self.end_calls_on_withdrawal(caller, person.id, &withdrawn)
                .await?;
            return Ok(WithdrawalDone {
                request: view,
                withdrawals,
                erasure: None,
            });
        }
        // The withdrawal is saved with the request (its clock still running), then the plan.
        let expected = request.version;
        let mut saved = request.clone();
        saved.version = expected + 1;
        if !self
            .store
            .save_rights_response(&RightsResponse {
                request: &request,
                expected_version: Some(expected),
                flags: None,
                consents: &withdrawals,
                audit: &[event],
            })
            .await?
        {
            return Err(ServiceError::Conflict(
                "the request was changed by someone else: reload it".into(),
            ));
        }
        tracing::info!(request = %request_id, withdrawn = withdrawals.len(), "consent withdrawn");
        self.end_calls_on_withdrawal(caller, person.id, &withdrawn)
            .await?;
        let erasure = self.prepare_erasure(caller, request_id).await?;
        Ok(WithdrawalDone {
            request: self.view_of(saved),
            withdrawals,
            erasure: Some(erasure),
        })
    }

    /// Saves a withdrawal of consent, which takes effect at once. When the person has records
    /// held on that consent alone, a consent withdrawal request is logged with it (in the same
    /// transaction) and its erasure plan prepared, so they are scheduled for erasure on the
    /// register's clock; returns that request.
    pub(crate) async fn record_withdrawal(
        &self,
        caller: &Caller,
        consent: &ConsentRecord,
        event: AuditEvent,
        channel: Channel,
    ) -> Result<Option<Uuid>> {
        let person = self
            .store
            .get_person(consent.person_id)
            .await?
            .ok_or(ServiceError::NotFound("person"))?;
        let mut history = self.store.consent_history(person.id).await?;
        history.push(consent.clone());
        let scope = ConsentScope::from_history(&history);
        let items = self.erasure_items(&person, Some(&scope)).await?;
        let held = items
            .iter()
            .filter(|i| i.decision == Decision::Erase)
            .count();
        if held == 0 {
            self.store.insert_consent(consent, &event).await?;
            return Ok(None);
        }
        let input = NewRightsRequest {
            person_id: person.id,
            kind: RequestKind::ConsentWithdrawal,
            channel,
            received_on: self.today(),
            requester: Requester::Subject,
            summary: format!(
                "Consent for '{}' withdrawn; {held} record(s) held on it alone are to be erased",
                consent.purpose
            ),
            identity_needed: false,
        };
        let request = self.new_request(caller, &input, false);
        let mut logged = self.event(caller, "rights.request_logged".into());
        logged.person_ids = vec![person.id];
        logged.record_type = Some("rights_request".into());
        logged.record_ids = vec![request.id.to_string()];
        logged.reason = Some(request.kind.as_str().to_string());
        self.store
            .save_rights_response(&RightsResponse {
                request: &request,
                expected_version: None,
                flags: None,
                consents: std::slice::from_ref(consent),
                audit: &[event, logged],
            })
            .await?;
        tracing::info!(request = %request.id, held, "consent withdrawn; erasure scheduled");
        self.plan_erasure(caller, request.id).await?;
        Ok(Some(request.id))
    }

    /// The restriction and objection flags a person has now.
    async fn flags_of(&self, person_id: Uuid) -> Result<PersonFlags> {
        let controls = self
            .store
            .person_controls(&[person_id])
            .await?
            .remove(&person_id)
            .unwrap_or_default();
        Ok(PersonFlags {
            restricted: controls.restricted,
            objected: controls.objected,
        })
    }

    fn person_event(&self, caller: &Caller, action: &str, request: &RightsRequest) -> AuditEvent {
        let mut event = self.event(caller, action.to_string());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("person_record".into());
        event.record_ids = vec![request.person_id.to_string()];
        event
    }

    /// Closes a request with its letter, committing the controls it changes with it.
    #[allow(clippy::too_many_arguments)]
    async fn close_with(
        &self,
        caller: &Caller,
        request: RightsRequest,
        outcome: Outcome,
        reason: Option<String>,
        letter: String,
        flags: PersonFlags,
        consents: Vec<ConsentRecord>,
        effect: AuditEvent,
    ) -> Result<super::RequestView> {
        let id = request.id;
        let expected = request.version;
        let closure = Closure {
            outcome,
            reason,
            response_letter: Some(letter),
            closed_on: self.today(),
        };
        let closed = self.apply_change(request, &RequestChange::Closed(closure))?;
        let closed = self.with_due_date(closed);
        let mut event = self.event(caller, "rights.request_closed".into());
        event.person_ids = vec![closed.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![id.to_string()];
        event.reason = Some(outcome.as_str().to_string());
        if !self
            .store
            .save_rights_response(&RightsResponse {
                request: &closed,
                expected_version: Some(expected),
                flags: Some(flags),
                consents: &consents,
                audit: &[effect, event],
            })
            .await?
        {
            return Err(ServiceError::Conflict(
                "the request was changed by someone else: reload it".into(),
            ));
        }
        tracing::info!(request = %id, outcome = outcome.as_str(), "rights request answered");
        let mut saved = closed;
        saved.version = expected + 1;
        Ok(self.view_of(saved))
    }

    /// The objection flag a request sets once its clock runs: an objection stops public-task
    /// processing while it is weighed (Art 21(1)), so it takes effect on the day the objection
    /// is logged with the person's identity settled, not when it is decided.
    pub(super) async fn objection_pending(
        &self,
        request: &RightsRequest,
    ) -> Result<Option<PersonFlags>> {
        if request.kind != RequestKind::Objection
            || !request.is_open()
            || self.clock_of(request).due_on().is_none()
        {
            return Ok(None);
        }
        let flags = self.flags_of(request.person_id).await?;
        Ok((!flags.objected).then_some(PersonFlags {
            objected: true,
            ..flags
        }))
    }
}

/// Purposes whose latest explicit (special category) consent is a grant.
pub(crate) fn explicit_in_force(history: &[ConsentRecord]) -> std::collections::BTreeSet<String> {
    let mut latest = std::collections::BTreeMap::new();
    for record in history.iter().filter(|r| r.special_category) {
        latest.insert(record.purpose.clone(), record.granted);
    }
    latest
        .into_iter()
        .filter(|(_, granted)| *granted)
        .map(|(purpose, _)| purpose)
        .collect()
}
