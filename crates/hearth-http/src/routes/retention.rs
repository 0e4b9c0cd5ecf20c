//! `/api/retention/...`: legal holds, disposal reviews, retention runs and their signed
//! certificates. The schedules themselves are public, under `/api/register/schedules`.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, Query};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::retention::{
    DisposalReview, LegalHold, NewHold, ReviewDecision, ReviewStatus, ScheduleView,
    SignedCertificate,
};
use hearth_service::Hearth;
use hearth_service::retention::{RunOptions, RunReport, RunSummary};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_schedules))
        .routes(routes!(list_holds, place_hold))
        .routes(routes!(lift_hold))
        .routes(routes!(list_reviews))
        .routes(routes!(decide_review))
        .routes(routes!(list_runs, start_run))
        .routes(routes!(get_certificate))
}

/// Every record type's retention schedule, as the register in force states it: the period,
/// what starts it, and what happens at its end.
#[utoipa::path(get, path = "/api/register/schedules", tag = "register",
    responses((status = 200, body = Vec<ScheduleView>)))]
async fn list_schedules(State(hearth): State<Hearth>) -> Json<Vec<ScheduleView>> {
    Json(hearth.retention_schedules())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HoldFilter {
    /// Include lifted holds too (default: active holds only).
    #[serde(default)]
    all: bool,
    /// Only active holds past their review date.
    #[serde(default)]
    overdue: bool,
}

/// Legal holds, newest first. Open to the data protection officer and the information
/// governance officer.
#[utoipa::path(get, path = "/api/retention/holds", tag = "retention", params(HoldFilter),
    responses((status = 200, body = Vec<LegalHold>)))]
async fn list_holds(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(filter): Query<HoldFilter>,
) -> Result<Json<Vec<LegalHold>>, ApiError> {
    Ok(Json(
        hearth
            .list_holds(&caller, !filter.all, filter.overdue)
            .await?,
    ))
}

/// Places a legal hold on a person, a case, a record or a record type. From that moment no
/// schedule, review or erasure destroys what it covers.
#[utoipa::path(post, path = "/api/retention/holds", tag = "retention", request_body = NewHold,
    responses((status = 201, body = LegalHold), (status = 422, body = ErrorBody)))]
async fn place_hold(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<NewHold>,
) -> Result<(StatusCode, Json<LegalHold>), ApiError> {
    let hold = hearth.place_hold(&caller, &input).await?;
    Ok((StatusCode::CREATED, Json(hold)))
}

/// Why a hold is lifted.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftRequest {
    /// 10 to 2000 characters: the investigation closed, the claim settled...
    pub reason: String,
}

/// Lifts a hold: what it covered follows its schedule again from the next run.
#[utoipa::path(post, path = "/api/retention/holds/{id}/lift", tag = "retention",
    params(("id" = uuid::Uuid, Path)), request_body = LiftRequest,
    responses((status = 200, body = LegalHold), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn lift_hold(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(request): Body<LiftRequest>,
) -> Result<Json<LegalHold>, ApiError> {
    Ok(Json(hearth.lift_hold(&caller, id, &request.reason).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewFilter {
    /// `pending`, `approved`, `extended`, `reclassified` or `done` (default: every status).
    status: Option<String>,
    /// Only pending reviews past their decide-by date.
    #[serde(default)]
    overdue: bool,
}

/// Disposal reviews the runs have queued, oldest due first.
#[utoipa::path(get, path = "/api/retention/reviews", tag = "retention", params(ReviewFilter),
    responses((status = 200, body = Vec<DisposalReview>), (status = 422, body = ErrorBody)))]
async fn list_reviews(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(filter): Query<ReviewFilter>,
) -> Result<Json<Vec<DisposalReview>>, ApiError> {
    let status = match filter.status.as_deref() {
        None => None,
        Some(raw) => Some(ReviewStatus::parse(raw).ok_or_else(|| {
            ApiError::field(
                "status",
                "one of pending, approved, extended, reclassified, done",
            )
        })?),
    };
    Ok(Json(
        hearth.list_reviews(&caller, status, filter.overdue).await?,
    ))
}

/// A reviewer's decision on a record due for disposal: approve (destroyed on the next run),
/// extend with a reason and a new date, or reclassify under another record type. Only staff
/// holding the review's role, or the data protection officer, may decide.
#[utoipa::path(post, path = "/api/retention/reviews/{id}/decision", tag = "retention",
    params(("id" = uuid::Uuid, Path)), request_body = ReviewDecision,
    responses((status = 200, body = DisposalReview), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_review(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(decision): Body<ReviewDecision>,
) -> Result<Json<DisposalReview>, ApiError> {
    Ok(Json(hearth.decide_review(&caller, id, &decision).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunFilter {
    /// How many runs, newest first (1 to 1000; default 50).
    limit: Option<i64>,
}

/// Retention runs, newest first, with what each destroyed and anonymised.
#[utoipa::path(get, path = "/api/retention/runs", tag = "retention", params(RunFilter),
    responses((status = 200, body = Vec<RunSummary>)))]
async fn list_runs(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(filter): Query<RunFilter>,
) -> Result<Json<Vec<RunSummary>>, ApiError> {
    Ok(Json(
        hearth
            .retention_runs(&caller, filter.limit.unwrap_or(50))
            .await?,
    ))
}

/// A run to start now.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Report what would go, by record type, and change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// For a dry run only: judge periods as of this day instead of today.
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<jiff::civil::Date>,
    /// One record type only.
    pub only: Option<String>,
}

/// Runs retention now, as the scheduled job would, and returns its report. A dry run
/// changes nothing and may look ahead with `as_of`.
#[utoipa::path(post, path = "/api/retention/runs", tag = "retention", request_body = RunRequest,
    responses((status = 200, body = RunReport), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn start_run(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(request): Body<RunRequest>,
) -> Result<Json<RunReport>, ApiError> {
    if request.as_of.is_some() && !request.dry_run {
        return Err(ApiError::field(
            "as_of",
            "only a dry run may judge as of another day; a real run is always as of today",
        ));
    }
    if let Some(only) = &request.only
        && hearth.register().record_type(only).is_none()
    {
        return Err(ApiError::field(
            "only",
            format!("'{only}' is not a record type in the register"),
        ));
    }
    let options = RunOptions {
        as_of: request.as_of.unwrap_or_else(|| hearth.today()),
        dry_run: request.dry_run,
        only: request.only,
    };
    Ok(Json(hearth.run_retention(&caller, &options).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateFormat {
    /// `json` (default): the signed certificate; `html`: the page to read or print.
    format: Option<String>,
}

/// A finished run's disposal certificate, signed with the audit signing key: as JSON to
/// verify with `hearth retention verify`, or as a readable page.
#[utoipa::path(get, path = "/api/retention/runs/{id}/certificate", tag = "retention",
    params(("id" = uuid::Uuid, Path), CertificateFormat),
    responses(
        (status = 200, description = "The certificate", content(
            (SignedCertificate = "application/json"),
            (String = "text/html"))),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn get_certificate(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Query(q): Query<CertificateFormat>,
) -> Result<Response, ApiError> {
    let html = match q.format.as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(_) => return Err(ApiError::field("format", "json or html")),
    };
    let signed = hearth.retention_certificate(&caller, id).await?;
    if !html {
        return Ok(Json(signed).into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'",
            ),
        ],
        hearth_service::retention::certificate_html(&signed),
    )
        .into_response())
}
