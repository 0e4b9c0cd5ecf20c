//! `/api/repairs`: repairs reported by phone, in person or by a partner, their triage, jobs,
//! appointments, status and satisfaction; `/api/jobs/mine` is an operative's job sheets.
//! Every change is made from the version in the repair's ETag, sent back in `If-Match`.

use super::versioned;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query, RecordAndMedia};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::repairs::{
    AppointmentInput, JobInput, Repair, RepairFile, RepairInput, SatisfactionInput,
};
use hearth_service::Hearth;
use hearth_service::repairs::{JobSheet, StatusInput};
use hearth_store::RepairQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_repairs, report_repair))
        .routes(routes!(get_repair))
        .routes(routes!(triage))
        .routes(routes!(assign_job))
        .routes(routes!(finish_job))
        .routes(routes!(book_appointment))
        .routes(routes!(appointment_outcome))
        .routes(routes!(move_repair))
        .routes(routes!(satisfaction))
        .routes(routes!(my_jobs))
}

fn file_response(status: StatusCode, file: RepairFile) -> Response {
    let location = format!("/api/repairs/{}", file.repair.id);
    versioned(status, file.repair.version, Some(location), file)
}

fn version(v: IfMatch) -> Result<i64, ApiError> {
    v.0.ok_or_else(|| {
        ApiError::status(
            StatusCode::PRECONDITION_REQUIRED,
            crate::error::ErrorCode::PreconditionRequired,
            "send the repair's version, from its ETag, in If-Match",
        )
    })
}

/// Which repairs to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RepairSearch {
    person_id: Option<uuid::Uuid>,
    property_id: Option<uuid::Uuid>,
    /// reported, scheduled, in_progress, completed or cancelled.
    status: Option<String>,
    /// emergency, urgent or routine.
    priority: Option<String>,
    /// Only open repairs past their target.
    overdue: Option<bool>,
    /// A repair reference (`RP-7KQ2M9XD`): that repair only.
    reference: Option<String>,
    /// At most this many, newest first (default 50, at most 500).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/repairs", tag = "repairs", params(RepairSearch),
    responses((status = 200, body = Vec<Repair>), (status = 422, body = ErrorBody)))]
async fn list_repairs(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<RepairSearch>,
) -> Result<Json<Vec<Repair>>, ApiError> {
    if let Some(reference) = q.reference.as_deref() {
        let id = hearth.repair_id_of(reference).await?;
        return Ok(Json(vec![hearth.repair(&caller, id).await?.repair]));
    }
    let query = RepairQuery {
        person_id: q.person_id,
        property_id: q.property_id,
        status: q
            .status
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: String| ApiError::field("status", e))?,
        priority: q
            .priority
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e: String| ApiError::field("priority", e))?,
        operative: None,
        overdue_at: q.overdue.unwrap_or(false).then(|| hearth.now()),
    };
    Ok(Json(
        hearth
            .repairs(&caller, query, q.limit.unwrap_or(50))
            .await?,
    ))
}

/// Reports a repair taken by phone, in person or from a partner: staff set the priority, and
/// the target follows from it (hours for emergencies, working days otherwise).
#[utoipa::path(post, path = "/api/repairs", tag = "repairs", request_body = RepairInput,
    responses((status = 201, body = RepairFile), (status = 422, body = ErrorBody)))]
async fn report_repair(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<RepairInput>,
) -> Result<Response, ApiError> {
    let file = hearth.report_repair(&caller, &input).await?;
    Ok(file_response(StatusCode::CREATED, file))
}

#[utoipa::path(get, path = "/api/repairs/{id}", tag = "repairs", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RepairFile), (status = 404, body = ErrorBody)))]
async fn get_repair(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    Ok(file_response(
        StatusCode::OK,
        hearth.repair(&caller, id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    /// emergency, urgent or routine.
    pub priority: String,
    pub note: Option<String>,
}

/// Sets a repair's priority; its target is recounted from when it was reported.
#[utoipa::path(post, path = "/api/repairs/{id}/triage", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header)), request_body = Triage,
    responses((status = 200, body = RepairFile), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
async fn triage(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    v: IfMatch,
    Body(input): Body<Triage>,
) -> Result<Response, ApiError> {
    let file = hearth
        .triage_repair(&caller, id, &input.priority, input.note, version(v)?)
        .await?;
    Ok(file_response(StatusCode::OK, file))
}

/// Gives a job to an operative or a contractor.
#[utoipa::path(post, path = "/api/repairs/{id}/jobs", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header)), request_body = JobInput,
    responses((status = 200, body = RepairFile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign_job(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    v: IfMatch,
    Body(input): Body<JobInput>,
) -> Result<Response, ApiError> {
    let file = hearth
        .assign_repair_job(&caller, id, &input, version(v)?)
        .await?;
    Ok(file_response(StatusCode::OK, file))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// For a job: completed or cancelled. For an appointment: attended, missed or cancelled.
    pub outcome: String,
}

/// Marks a job completed or cancelled.
#[utoipa::path(post, path = "/api/repairs/{id}/jobs/{job_id}/outcome", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("job_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = Outcome,
    responses((status = 200, body = RepairFile), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn finish_job(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    RecordAndMedia(id, job): RecordAndMedia,
    v: IfMatch,
    Body(input): Body<Outcome>,
) -> Result<Response, ApiError> {
    let file = hearth
        .finish_repair_job(&caller, id, job, &input.outcome, version(v)?)
        .await?;
    Ok(file_response(StatusCode::OK, file))
}

/// Books a home visit or (with the resident's consent) a video call.
#[utoipa::path(post, path = "/api/repairs/{id}/appointments", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header)), request_body = AppointmentInput,
    responses((status = 200, body = RepairFile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn book_appointment(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    v: IfMatch,
    Body(input): Body<AppointmentInput>,
) -> Result<Response, ApiError> {
    let file = hearth
        .book_repair_appointment(&caller, id, &input, version(v)?)
        .await?;
    Ok(file_response(StatusCode::OK, file))
}

/// Records whether an appointment was attended, missed or cancelled.
#[utoipa::path(post, path = "/api/repairs/{id}/appointments/{appointment_id}/outcome", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("appointment_id" = uuid::Uuid, Path), ("If-Match" = String, Header)),
    request_body = Outcome,
    responses((status = 200, body = RepairFile), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn appointment_outcome(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    RecordAndMedia(id, appointment): RecordAndMedia,
    v: IfMatch,
    Body(input): Body<Outcome>,
) -> Result<Response, ApiError> {
    let file = hearth
        .mark_repair_appointment(&caller, id, appointment, &input.outcome, version(v)?)
        .await?;
    Ok(file_response(StatusCode::OK, file))
}

/// Moves a repair on: in progress, completed (with its resolution) or cancelled.
#[utoipa::path(post, path = "/api/repairs/{id}/status", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header)), request_body = StatusInput,
    responses((status = 200, body = RepairFile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_repair(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    v: IfMatch,
    Body(input): Body<StatusInput>,
) -> Result<Response, ApiError> {
    let file = hearth.move_repair(&caller, id, &input, version(v)?).await?;
    Ok(file_response(StatusCode::OK, file))
}

/// Records the resident's answer to the satisfaction follow-up (once, after completion).
#[utoipa::path(post, path = "/api/repairs/{id}/satisfaction", tag = "repairs",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header)), request_body = SatisfactionInput,
    responses((status = 200, body = RepairFile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn satisfaction(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    v: IfMatch,
    Body(input): Body<SatisfactionInput>,
) -> Result<Response, ApiError> {
    let file = hearth.rate_repair(&caller, id, &input, version(v)?).await?;
    Ok(file_response(StatusCode::OK, file))
}

/// The calling operative's open jobs: the resident's name and phone, the address, the work and
/// the appointments. Nothing else about the resident.
#[utoipa::path(get, path = "/api/jobs/mine", tag = "repairs",
    responses((status = 200, body = Vec<JobSheet>), (status = 403, body = ErrorBody)))]
async fn my_jobs(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
) -> Result<Json<Vec<JobSheet>>, ApiError> {
    Ok(Json(hearth.job_sheets(&caller).await?))
}
