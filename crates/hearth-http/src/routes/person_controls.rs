//! `/api/people/{id}/...`: who accessed a person's record, their consents, restriction,
//! objection, and the staff assigned to work for them.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_service::Hearth;
use hearth_service::access::{ConsentInput, Control};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(access_log))
        .routes(routes!(list_consents, record_consent))
        .routes(routes!(get_controls))
        .routes(routes!(set_restriction))
        .routes(routes!(set_objection))
        .routes(routes!(assign_staff))
}

/// One access to a person's record: who, when, why, what, and the decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessLogEntry {
    /// The event's place in the audit chain.
    pub seq: i64,
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    /// `staff:ID`, `api:ID`, `resident:ID`, `system:JOB` or `cli:USER`.
    pub actor: String,
    /// The register purpose named.
    pub purpose: Option<String>,
    /// What was done: `person.read`, `person.update`, `consent.withdrawn`...
    pub action: String,
    /// `allowed` or `denied`.
    pub decision: String,
    pub record_type: Option<String>,
    pub record_ids: Vec<String>,
    /// Field groups released or changed; never their values.
    pub fields: Vec<String>,
    /// For a refusal or a withheld group, the policies that decided.
    pub reason: Option<String>,
    pub correlation_id: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogQuery {
    /// How many events, newest first (1 to 10,000; default 200).
    limit: Option<i64>,
}

/// Who accessed this person's record, when, and why: newest first. Open to the data
/// protection officer and to the resident themselves; the lookup is itself audited.
#[utoipa::path(get, path = "/api/people/{id}/access-log", tag = "people",
    params(("id" = uuid::Uuid, Path), AccessLogQuery),
    responses((status = 200, body = Vec<AccessLogEntry>), (status = 404, body = ErrorBody)))]
async fn access_log(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Query(q): Query<AccessLogQuery>,
) -> Result<Json<Vec<AccessLogEntry>>, ApiError> {
    let events = hearth
        .audit_for_person(&caller, id, q.limit.unwrap_or(200))
        .await?;
    Ok(Json(
        events
            .into_iter()
            .map(|e| AccessLogEntry {
                seq: e.seq,
                at: e.event.at,
                actor: e.event.actor,
                purpose: e.event.purpose,
                action: e.event.action,
                decision: e.event.decision,
                record_type: e.event.record_type,
                record_ids: e.event.record_ids,
                fields: e.event.fields,
                reason: e.event.reason,
                correlation_id: e.event.correlation_id,
            })
            .collect(),
    ))
}

/// A grant or withdrawal of consent for one purpose, with the words the person was shown.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConsentRequest {
    /// A register purpose that rests on consent.
    pub purpose: String,
    /// `true` to grant, `false` to withdraw.
    pub granted: bool,
    /// Explicit consent to special category data (Art 9(2)(a)), asked apart from consent to
    /// the processing; only for purposes that rest on it.
    #[serde(default)]
    pub special_category: bool,
    /// The words shown or read to the person.
    pub wording: String,
    /// The version of that wording.
    pub wording_version: String,
    /// Required when staff record it for the person: how they told us (`letter`, `phone`,
    /// `email`, `web` or `in_person`).
    #[serde(default)]
    pub channel: Option<hearth_core::rights::Channel>,
    /// Required when staff record it: who told us, `the_person` or `representative`.
    #[serde(default)]
    pub given_by: Option<hearth_core::access::ConsentGiver>,
    /// Required when staff record it: when they told us (not in the future).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub given_at: Option<jiff::Timestamp>,
}

/// A consent decision as recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consent {
    pub id: uuid::Uuid,
    pub person_id: uuid::Uuid,
    pub purpose: String,
    pub granted: bool,
    /// Explicit consent to special category data (Art 9(2)(a)).
    pub special_category: bool,
    pub wording: String,
    pub wording_version: String,
    /// Who recorded it: the resident, or staff on their behalf.
    pub recorded_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: jiff::Timestamp,
    /// For one recorded by staff: how it reached them, who said it and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<hearth_core::access::ConsentEvidence>,
    /// For a withdrawal that left records held on that consent alone: the consent withdrawal
    /// request logged to erase them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erasure_request: Option<uuid::Uuid>,
}

impl From<hearth_core::access::ConsentRecord> for Consent {
    fn from(c: hearth_core::access::ConsentRecord) -> Self {
        Self {
            id: c.id,
            person_id: c.person_id,
            purpose: c.purpose,
            granted: c.granted,
            special_category: c.special_category,
            wording: c.wording,
            wording_version: c.wording_version,
            recorded_by: c.recorded_by,
            at: c.at,
            evidence: c.evidence,
            erasure_request: None,
        }
    }
}

/// Every grant and withdrawal, oldest first; the latest for a purpose is in force.
#[utoipa::path(get, path = "/api/people/{id}/consents", tag = "people", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Consent>), (status = 404, body = ErrorBody)))]
async fn list_consents(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<Consent>>, ApiError> {
    let history = hearth.consent_history(&caller, id).await?;
    Ok(Json(history.into_iter().map(Consent::from).collect()))
}

/// Records a grant or withdrawal. A withdrawal takes effect at once.
#[utoipa::path(post, path = "/api/people/{id}/consents", tag = "people", params(("id" = uuid::Uuid, Path)),
    request_body = ConsentRequest,
    responses((status = 201, body = Consent), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_consent(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(request): Body<ConsentRequest>,
) -> Result<(StatusCode, Json<Consent>), ApiError> {
    let input = ConsentInput {
        purpose: request.purpose,
        granted: request.granted,
        special_category: request.special_category,
        wording: request.wording,
        wording_version: request.wording_version,
        channel: request.channel,
        given_by: request.given_by,
        given_at: request.given_at,
    };
    let recorded = hearth.record_consent(&caller, id, &input).await?;
    let mut consent = Consent::from(recorded.consent);
    consent.erasure_request = recorded.erasure_request;
    Ok((StatusCode::CREATED, Json(consent)))
}

/// The controls on a person that decide who may use their record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Controls {
    /// Processing restricted (Art 18): storage only.
    pub restricted: bool,
    /// An objection (Art 21) is open.
    pub objected: bool,
    /// Purposes the person consents to now.
    pub consents: Vec<String>,
    /// Staff assigned to work for the person.
    pub assignees: Vec<uuid::Uuid>,
}

impl From<hearth_core::access::PersonControls> for Controls {
    fn from(c: hearth_core::access::PersonControls) -> Self {
        Self {
            restricted: c.restricted,
            objected: c.objected,
            consents: c.consents,
            assignees: c.assignees,
        }
    }
}

#[utoipa::path(get, path = "/api/people/{id}/controls", tag = "people", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Controls), (status = 404, body = ErrorBody)))]
async fn get_controls(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Controls>, ApiError> {
    Ok(Json(hearth.person_controls(&caller, id).await?.into()))
}

/// Sets or lifts a restriction or an objection, with the reason.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ControlChange {
    /// `true` to set, `false` to lift.
    pub active: bool,
    /// Why; for closing an objection, the compelling grounds.
    pub reason: String,
    /// For lifting a restriction: the day the person was told (required, not after today).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub told_on: Option<jiff::civil::Date>,
}

async fn change(
    hearth: &Hearth,
    caller: &hearth_service::Caller,
    id: uuid::Uuid,
    control: Control,
    change: ControlChange,
) -> Result<Json<Controls>, ApiError> {
    let controls = hearth
        .set_control(
            caller,
            id,
            control,
            change.active,
            &change.reason,
            change.told_on,
        )
        .await?;
    Ok(Json(controls.into()))
}

/// Restriction (Art 18): while set, the record is stored but not used, except by the data
/// protection officer.
#[utoipa::path(put, path = "/api/people/{id}/restriction", tag = "people", params(("id" = uuid::Uuid, Path)),
    request_body = ControlChange,
    responses((status = 200, body = Controls), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_restriction(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(body): Body<ControlChange>,
) -> Result<Json<Controls>, ApiError> {
    change(&hearth, &caller, id, Control::Restriction, body).await
}

/// Objection (Art 21): while open, processing that rests on public task alone stops.
#[utoipa::path(put, path = "/api/people/{id}/objection", tag = "people", params(("id" = uuid::Uuid, Path)),
    request_body = ControlChange,
    responses((status = 200, body = Controls), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_objection(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(body): Body<ControlChange>,
) -> Result<Json<Controls>, ApiError> {
    change(&hearth, &caller, id, Control::Objection, body).await
}

/// A member of staff to assign to a person's job or case.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Assignment {
    pub staff_id: uuid::Uuid,
    /// The job or case it is for.
    pub reason: String,
}

#[utoipa::path(post, path = "/api/people/{id}/assignments", tag = "people", params(("id" = uuid::Uuid, Path)),
    request_body = Assignment,
    responses((status = 204, description = "Assigned"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign_staff(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(body): Body<Assignment>,
) -> Result<StatusCode, ApiError> {
    hearth
        .assign_staff(&caller, id, body.staff_id, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
