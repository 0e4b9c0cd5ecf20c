//! `/api/rights/requests`: the requests register. Log a request the day it arrives, record
//! each step with its date, and see what is due soon, overdue, or waiting on the requester.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, Query};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::rights::NewRightsRequest;
use hearth_service::Hearth;
use hearth_service::rights::{RequestChange, RequestView, RequestsView};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, log_request))
        .routes(routes!(get_request))
        .routes(routes!(change_request))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RequestFilter {
    /// `open` (default), `all`, `due_soon`, `overdue` or `waiting` (the clock waits for
    /// identity or authority, or is stopped for clarification).
    view: Option<String>,
    /// For `due_soon`: due within this many days (default 7).
    days: Option<i64>,
    /// Only this person's requests.
    person: Option<uuid::Uuid>,
    /// At most this many (1 to 10,000; default 500).
    limit: Option<i64>,
}

/// The register, soonest due first, each request with its clock judged today. For the
/// information governance team and the data protection officer.
#[utoipa::path(get, path = "/api/rights/requests", tag = "rights", params(RequestFilter),
    responses((status = 200, body = Vec<RequestView>), (status = 422, body = ErrorBody)))]
async fn list_requests(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(filter): Query<RequestFilter>,
) -> Result<Json<Vec<RequestView>>, ApiError> {
    let view = RequestsView::parse(
        filter.view.as_deref().unwrap_or("open"),
        filter.days.unwrap_or(7),
    )
    .map_err(|e| ApiError::field("view", e))?;
    if filter.days.is_some_and(|d| !(0..=366).contains(&d)) {
        return Err(ApiError::field("days", "0 to 366"));
    }
    Ok(Json(
        hearth
            .rights_requests(&caller, view, filter.person, filter.limit.unwrap_or(500))
            .await?,
    ))
}

/// Logs a request the day it arrives, by any channel: the clock starts that day unless proof
/// of identity or of a representative's authority is needed first. A signed-in resident makes
/// their own request with channel `web`.
#[utoipa::path(post, path = "/api/rights/requests", tag = "rights",
    request_body = NewRightsRequest,
    responses((status = 201, body = RequestView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn log_request(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<NewRightsRequest>,
) -> Result<(StatusCode, Json<RequestView>), ApiError> {
    let view = hearth.log_rights_request(&caller, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One request with its clarifications, extension, outcome and clock. The read is audited.
#[utoipa::path(get, path = "/api/rights/requests/{id}", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody)))]
async fn get_request(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(hearth.rights_request(&caller, id).await?))
}

/// Records a step: identity verified, authority received, clarification asked or answered
/// (the clock stops between the two), extension (told within the first month), or closure
/// with the outcome and the response sent.
#[utoipa::path(post, path = "/api/rights/requests/{id}/steps", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = RequestChange,
    responses((status = 200, body = RequestView), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_request(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(change): Body<RequestChange>,
) -> Result<Json<RequestView>, ApiError> {
    Ok(Json(
        hearth.change_rights_request(&caller, id, &change).await?,
    ))
}
