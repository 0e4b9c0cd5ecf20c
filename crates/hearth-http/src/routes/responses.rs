//! `/api/rights/requests/{id}/restriction`, `/objection` and `/consent-withdrawal`: answering
//! those requests, each changing the person's controls with the request in one step.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id};
use axum::Json;
use axum::extract::State;
use hearth_service::Hearth;
use hearth_service::rights::{
    ObjectionDecision, RequestView, RestrictionInput, WithdrawalDone, WithdrawalInput,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(restrict))
        .routes(routes!(decide_objection))
        .routes(routes!(withdraw_consent))
}

/// Restricts processing (storage only, enforced from now on) for an open restriction request,
/// on the Art 18(1) ground given, and closes it with the letter.
#[utoipa::path(post, path = "/api/rights/requests/{id}/restriction", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = RestrictionInput,
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn restrict(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<RestrictionInput>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(hearth.restrict_on_request(&caller, id, &input).await?))
}

/// Answers an objection: upheld (public-task processing stays stopped), or, by the data
/// protection officer only, refused on the compelling grounds stated.
#[utoipa::path(post, path = "/api/rights/requests/{id}/objection", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = ObjectionDecision,
    responses((status = 200, body = RequestView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_objection(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(decision): Body<ObjectionDecision>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(hearth.decide_objection(&caller, id, &decision).await?))
}

/// Withdraws consent for the purposes named, at once. What was held on that consent alone is
/// scheduled for erasure: the plan returned goes through the erasure approval and execution
/// steps, which close the request; when there is none the request is closed now.
#[utoipa::path(post, path = "/api/rights/requests/{id}/consent-withdrawal", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = WithdrawalInput,
    responses((status = 200, body = WithdrawalDone), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn withdraw_consent(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<WithdrawalInput>,
) -> Result<Json<WithdrawalDone>, ApiError> {
    Ok(Json(
        hearth
            .withdraw_consent_on_request(&caller, id, &input)
            .await?,
    ))
}
