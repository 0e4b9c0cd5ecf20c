//! Logging and working rights requests: each step is checked against the request's state and
//! the clock, saved with its audit event, and the due date recomputed.

use crate::{Caller, Hearth, Result, ServiceError};
use hearth_core::actor::Actor;
use hearth_core::rights::{
    Channel, Clarification, ClockState, Closure, Extension, NewRightsRequest, Prerequisite,
    RequestStatus, Requester, RightsRequest,
};
use hearth_policy::AdminAction;
use hearth_store::{RequestQuery, RightsResponse};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A request with where its clock stands today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequestView {
    pub request: RightsRequest,
    pub clock: ClockState,
    /// Days from today to the due date (negative when overdue); none while the clock waits,
    /// is stopped, or the request is closed.
    pub days_left: Option<i64>,
    pub overdue: bool,
}

/// Which requests a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestsView {
    /// Every request, open or closed.
    All,
    Open,
    /// Open requests due within this many days (overdue ones included).
    DueWithin(i64),
    /// Open requests past their due date.
    Overdue,
    /// Open requests whose clock waits for identity or authority, or is stopped.
    Waiting,
}

impl RequestsView {
    /// A view by its name (`open`, `all`, `due_soon`, `overdue`, `waiting`); `days` is the
    /// window of `due_soon`.
    pub fn parse(name: &str, days: i64) -> std::result::Result<Self, String> {
        Ok(match name {
            "open" => Self::Open,
            "all" => Self::All,
            "due_soon" => Self::DueWithin(days),
            "overdue" => Self::Overdue,
            "waiting" => Self::Waiting,
            other => {
                return Err(format!(
                    "'{other}' is not one of open, all, due_soon, overdue, waiting"
                ));
            }
        })
    }
}

/// One step in working a request, with the day it happened.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum RequestChange {
    /// Proof of identity arrived: the clock starts (if nothing else is awaited).
    IdentityVerified {
        #[schema(value_type = String, format = Date)]
        on: Date,
    },
    /// Proof of a representative's authority arrived.
    AuthorityReceived {
        #[schema(value_type = String, format = Date)]
        on: Date,
    },
    /// Clarification asked of the requester: the clock stops from this day (Art 12A). Only
    /// for what information is wanted, never routinely, never about format.
    ClarificationAsked {
        #[schema(value_type = String, format = Date)]
        on: Date,
        question: String,
    },
    /// The requester's answer: the clock runs again the day after.
    ClarificationAnswered {
        #[schema(value_type = String, format = Date)]
        on: Date,
        answer: String,
    },
    /// Two further months, told to the person within the first month with the reason.
    Extended(Extension),
    /// The response was sent (or the request refused or withdrawn).
    Closed(Closure),
}

impl RequestChange {
    fn event(&self) -> &'static str {
        match self {
            Self::IdentityVerified { .. } => "rights.identity_verified",
            Self::AuthorityReceived { .. } => "rights.authority_received",
            Self::ClarificationAsked { .. } => "rights.clarification_asked",
            Self::ClarificationAnswered { .. } => "rights.clarification_answered",
            Self::Extended(_) => "rights.request_extended",
            Self::Closed(_) => "rights.request_closed",
        }
    }
}

fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String> {
    let value = value.trim();
    if value.len() < min || value.len() > max {
        return Err(ServiceError::field(
            field,
            format!("{min}-{max} characters"),
        ));
    }
    Ok(value.to_string())
}

fn not_future(field: &str, on: Date, today: Date) -> Result<()> {
    if on > today {
        return Err(ServiceError::field(field, "cannot be in the future"));
    }
    Ok(())
}

fn not_before(field: &str, on: Date, earliest: Date, what: &str) -> Result<()> {
    if on < earliest {
        return Err(ServiceError::field(
            field,
            format!("cannot be before {what} ({earliest})"),
        ));
    }
    Ok(())
}

impl Hearth {
    /// Logs a request the day it arrives. Staff log any channel; a signed-in resident makes
    /// their own request online, and needs no further proof of identity.
    pub async fn log_rights_request(
        &self,
        caller: &Caller,
        input: &NewRightsRequest,
    ) -> Result<RequestView> {
        self.require_admin(caller, AdminAction::LogRightsRequest)
            .await?;
        let is_resident = matches!(caller.actor(), Actor::Resident(_));
        if is_resident {
            self.refuse_other_resident(caller, input.person_id).await?;
            if input.channel != Channel::Web || input.requester != Requester::Subject {
                return Err(ServiceError::field(
                    "channel",
                    "a resident's own request is made online, for themselves",
                ));
            }
        }
        input.validate(self.today())?;
        self.require_person(input.person_id).await?;
        let request = self.new_request(caller, input, is_resident);
        let mut event = self.event(caller, "rights.request_logged".into());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![request.id.to_string()];
        event.reason = Some(request.kind.as_str().to_string());
        let flags = self.objection_pending(&request).await?;
        let mut events = vec![event];
        if flags.is_some() {
            events.push(self.objection_event(caller, &request));
        }
        self.store
            .save_rights_response(&RightsResponse {
                request: &request,
                expected_version: None,
                flags,
                consents: &[],
                audit: &events,
            })
            .await?;
        tracing::info!(request = %request.id, kind = request.kind.as_str(), "rights request logged");
        Ok(self.view_of(request))
    }

    /// One request, read by those who work requests or by the resident it is about. The read
    /// is audited.
    pub async fn rights_request(&self, caller: &Caller, id: Uuid) -> Result<RequestView> {
        let request = self
            .store
            .get_rights_request(id)
            .await?
            .ok_or(ServiceError::NotFound("rights request"))?;
        if Self::is_the_person(caller, request.person_id) {
            self.require_admin(caller, AdminAction::LogRightsRequest)
                .await?;
        } else {
            self.refuse_other_resident(caller, request.person_id)
                .await?;
            self.require_admin(caller, AdminAction::HandleRightsRequests)
                .await?;
        }
        let mut event = self.event(caller, "rights.request_read".into());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![id.to_string()];
        self.store.append_audit_events(&[event]).await?;
        Ok(self.view_of(request))
    }

    /// A view of the register, soonest due first; `person` narrows it to one person's requests.
    pub async fn rights_requests(
        &self,
        caller: &Caller,
        view: RequestsView,
        person: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<RequestView>> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let today = self.today();
        let mut query = RequestQuery {
            person_id: person,
            open_only: view != RequestsView::All,
            ..RequestQuery::default()
        };
        match view {
            RequestsView::DueWithin(days) => {
                query.due_by = Some(
                    today
                        .checked_add(jiff::Span::new().days(days.clamp(0, 3660)))
                        .map_err(|e| ServiceError::field("days", e.to_string()))?,
                );
            }
            RequestsView::Overdue => query.due_by = today.yesterday().ok(),
            RequestsView::Waiting => query.waiting_only = true,
            RequestsView::All | RequestsView::Open => {}
        }
        let requests = self
            .store
            .list_rights_requests(&query, limit.clamp(1, 10_000))
            .await?;
        let mut event = self.event(caller, "rights.requests_listed".into());
        event.person_ids = requests.iter().map(|r| r.person_id).collect();
        event.person_ids.sort();
        event.person_ids.dedup();
        event.record_type = Some("rights_request".into());
        event.record_ids = requests.iter().map(|r| r.id.to_string()).collect();
        self.store.append_audit_events(&[event]).await?;
        Ok(requests.into_iter().map(|r| self.view_of(r)).collect())
    }

    /// Records a step in working a request. Each is checked against what went before: no
    /// answer without a question, no extension told after the first month, nothing after
    /// closing.
    pub async fn change_rights_request(
        &self,
        caller: &Caller,
        id: Uuid,
        change: &RequestChange,
    ) -> Result<RequestView> {
        self.require_admin(caller, AdminAction::HandleRightsRequests)
            .await?;
        let request = self
            .store
            .get_rights_request(id)
            .await?
            .ok_or(ServiceError::NotFound("rights request"))?;
        if !request.is_open() {
            return Err(ServiceError::Conflict(format!(
                "the request is {}: reopen nothing, log a new request",
                request.status
            )));
        }
        let expected = request.version;
        let changed = self.apply_change(request, change)?;
        let changed = self.with_due_date(changed);
        let mut event = self.event(caller, change.event().into());
        event.person_ids = vec![changed.person_id];
        event.record_type = Some("rights_request".into());
        event.record_ids = vec![id.to_string()];
        if let RequestChange::Closed(closure) = change {
            event.reason = Some(closure.outcome.as_str().to_string());
        }
        let flags = self.objection_pending(&changed).await?;
        let mut events = vec![event];
        if flags.is_some() {
            events.push(self.objection_event(caller, &changed));
        }
        if !self
            .store
            .save_rights_response(&RightsResponse {
                request: &changed,
                expected_version: Some(expected),
                flags,
                consents: &[],
                audit: &events,
            })
            .await?
        {
            return Err(ServiceError::Conflict(
                "the request was changed by someone else: reload it".into(),
            ));
        }
        tracing::info!(request = %id, step = change.event(), "rights request changed");
        let mut saved = changed;
        saved.version = expected + 1;
        Ok(self.view_of(saved))
    }

    /// A request as logged, from validated input. A signed-in resident has proved who they are.
    pub(super) fn new_request(
        &self,
        caller: &Caller,
        input: &NewRightsRequest,
        is_resident: bool,
    ) -> RightsRequest {
        let request = RightsRequest {
            id: Uuid::now_v7(),
            person_id: input.person_id,
            kind: input.kind,
            channel: input.channel,
            received_on: input.received_on,
            requester: Some(input.requester.clone()),
            summary: Some(input.summary.trim().to_string()),
            // A signed-in resident has proved who they are.
            identity: if is_resident {
                Prerequisite::NotNeeded
            } else {
                input.identity()
            },
            authority: input.authority(),
            clarifications: vec![],
            extension: None,
            status: RequestStatus::Open,
            outcome: None,
            outcome_reason: None,
            response_letter: None,
            closed_on: None,
            due_on: None,
            created_at: self.now(),
            created_by: caller.actor().to_string(),
            version: 1,
        };
        self.with_due_date(request)
    }

    /// The audit event of an objection taking effect while it is weighed.
    fn objection_event(
        &self,
        caller: &Caller,
        request: &RightsRequest,
    ) -> hearth_core::audit::AuditEvent {
        let mut event = self.event(caller, "rights.objection_recorded".into());
        event.person_ids = vec![request.person_id];
        event.record_type = Some("person_record".into());
        event.record_ids = vec![request.person_id.to_string()];
        event.reason = Some(format!(
            "objection request {}: public-task processing stops while it is decided",
            request.id
        ));
        event
    }

    /// The request after one step, or why the step cannot be taken.
    pub(super) fn apply_change(
        &self,
        mut request: RightsRequest,
        change: &RequestChange,
    ) -> Result<RightsRequest> {
        let today = self.today();
        let received = request.received_on;
        match change {
            RequestChange::IdentityVerified { on } => {
                not_future("on", *on, today)?;
                not_before("on", *on, received, "the request was received")?;
                if request.identity != Prerequisite::Awaited {
                    return Err(ServiceError::Conflict(
                        "proof of identity is not awaited for this request".into(),
                    ));
                }
                request.identity = Prerequisite::Arrived(*on);
            }
            RequestChange::AuthorityReceived { on } => {
                not_future("on", *on, today)?;
                not_before("on", *on, received, "the request was received")?;
                if request.authority != Prerequisite::Awaited {
                    return Err(ServiceError::Conflict(
                        "no representative's authority is awaited for this request".into(),
                    ));
                }
                request.authority = Prerequisite::Arrived(*on);
            }
            RequestChange::ClarificationAsked { on, question } => {
                not_future("on", *on, today)?;
                not_before("on", *on, received, "the request was received")?;
                let question = text("question", question, 10, 5000)?;
                if request
                    .clarifications
                    .iter()
                    .any(|c| c.answered_on.is_none())
                {
                    return Err(ServiceError::Conflict(
                        "a clarification is already awaited: record its answer first".into(),
                    ));
                }
                if let Some(last) = request
                    .clarifications
                    .iter()
                    .filter_map(|c| c.answered_on)
                    .max()
                    && *on <= last
                {
                    return Err(ServiceError::field(
                        "on",
                        format!("must be after the last answer ({last})"),
                    ));
                }
                request.clarifications.push(Clarification {
                    id: Uuid::now_v7(),
                    asked_on: *on,
                    question: Some(question),
                    answered_on: None,
                    answer: None,
                });
            }
            RequestChange::ClarificationAnswered { on, answer } => {
                not_future("on", *on, today)?;
                let answer = text("answer", answer, 1, 10_000)?;
                let open = request
                    .clarifications
                    .iter_mut()
                    .find(|c| c.answered_on.is_none())
                    .ok_or_else(|| ServiceError::Conflict("no clarification is awaited".into()))?;
                not_before("on", *on, open.asked_on, "the question was asked")?;
                open.answered_on = Some(*on);
                open.answer = Some(answer);
            }
            RequestChange::Extended(extension) => {
                not_future("told_on", extension.told_on, today)?;
                let reason = text("reason", &extension.reason, 10, 2000)?;
                if request.extension.is_some() {
                    return Err(ServiceError::Conflict(
                        "the request was already extended: the limit is three months".into(),
                    ));
                }
                let ClockState::Running {
                    started_on,
                    extension_notice_by,
                    ..
                } = self.clock_of(&request)
                else {
                    return Err(ServiceError::Conflict(
                        "the clock is not running (waiting for identity, authority or clarification): nothing to extend".into(),
                    ));
                };
                not_before(
                    "told_on",
                    extension.told_on,
                    started_on,
                    "the clock started",
                )?;
                if extension.told_on > extension_notice_by {
                    return Err(ServiceError::field(
                        "told_on",
                        format!(
                            "the person must be told within the first month (by {extension_notice_by}): too late to extend"
                        ),
                    ));
                }
                request.extension = Some(Extension {
                    reason,
                    told_on: extension.told_on,
                });
            }
            RequestChange::Closed(closure) => {
                closure.validate(received, today)?;
                if let Some(open) = request
                    .clarifications
                    .iter()
                    .find(|c| c.answered_on.is_none())
                    && closure.outcome != hearth_core::rights::Outcome::Withdrawn
                    && closure.outcome != hearth_core::rights::Outcome::Refused
                {
                    return Err(ServiceError::Conflict(format!(
                        "the clarification asked on {} is unanswered: record the answer, or close the request as withdrawn or refused",
                        open.asked_on
                    )));
                }
                request.status = closure.status();
                request.outcome = Some(closure.outcome);
                request.outcome_reason =
                    closure.reason.as_deref().map(str::trim).map(str::to_string);
                request.response_letter = closure.response_letter.clone();
                request.closed_on = Some(closure.closed_on);
            }
        }
        Ok(request)
    }
}
