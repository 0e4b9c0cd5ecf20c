//! `/api/rights/requests/{id}/erasure` and `/rectification`: an erasure request's plan,
//! prepared, approved by the data protection officer, then carried out; a rectification
//! request's correction, with the history of previous values.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id};
use axum::Json;
use axum::extract::State;
use hearth_core::rights::{Correction, Erasure};
use hearth_service::Hearth;
use hearth_service::rights::{ErasureApproval, ErasureDone, RectificationDone, RectificationInput};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(get_erasure, prepare_erasure))
        .routes(routes!(approve_erasure))
        .routes(routes!(execute_erasure))
        .routes(routes!(rectify))
        .routes(routes!(corrections))
}

/// The erasure plan as it stands: each thing held, erase or keep, the ground and until when.
#[utoipa::path(get, path = "/api/rights/requests/{id}/erasure", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Erasure), (status = 404, body = ErrorBody)))]
async fn get_erasure(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Erasure>, ApiError> {
    Ok(Json(hearth.erasure(&caller, id).await?))
}

/// Prepares (or prepares again, until approved) the plan for an open erasure request whose
/// clock has started. Nothing is erased.
#[utoipa::path(post, path = "/api/rights/requests/{id}/erasure", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Erasure), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn prepare_erasure(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Erasure>, ApiError> {
    Ok(Json(hearth.prepare_erasure(&caller, id).await?))
}

/// The data protection officer approves the plan they reviewed (by its version), changing any
/// decision with a reason.
#[utoipa::path(post, path = "/api/rights/requests/{id}/erasure/approval", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = ErasureApproval,
    responses((status = 200, body = Erasure), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve_erasure(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(approval): Body<ErasureApproval>,
) -> Result<Json<Erasure>, ApiError> {
    Ok(Json(hearth.approve_erasure(&caller, id, &approval).await?))
}

/// Carries out the approved erasure and closes the request with the letter. A legal hold
/// placed since approval stops it, with nothing erased.
#[utoipa::path(post, path = "/api/rights/requests/{id}/erasure/execution", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ErasureDone), (status = 409, body = ErrorBody)))]
async fn execute_erasure(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<ErasureDone>, ApiError> {
    Ok(Json(hearth.execute_erasure(&caller, id).await?))
}

/// Corrects the person record of a rectification request: the whole record as it should be,
/// against the version read. Each changed field is kept with its previous value.
#[utoipa::path(post, path = "/api/rights/requests/{id}/rectification", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = RectificationInput,
    responses((status = 200, body = RectificationDone), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn rectify(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<RectificationInput>,
) -> Result<Json<RectificationDone>, ApiError> {
    Ok(Json(hearth.rectify(&caller, id, &input).await?))
}

/// Every correction made to a person's record, with the previous values, oldest first.
#[utoipa::path(get, path = "/api/rights/people/{id}/corrections", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Correction>), (status = 403, body = ErrorBody)))]
async fn corrections(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<Correction>>, ApiError> {
    Ok(Json(hearth.corrections(&caller, id).await?))
}
