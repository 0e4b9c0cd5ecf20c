//! `/api/households`: households and their membership history.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{Household, HouseholdInput, MembershipInput};
use hearth_service::{Hearth, ServiceError};
use hearth_store::{HouseholdQuery, Page};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_households, create_household))
        .routes(routes!(get_household, update_household))
        .routes(routes!(add_member))
        .routes(routes!(update_member))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdSearch {
    /// Words that must appear in the household's name.
    name: Option<String>,
    external_ref: Option<String>,
    /// Households this person has ever belonged to.
    person_id: Option<uuid::Uuid>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/households", tag = "households", params(HouseholdSearch),
    responses((status = 200, body = ListResponse<Household>), (status = 422, body = ErrorBody)))]
async fn list_households(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<HouseholdSearch>,
) -> Result<axum::Json<Listing>, ApiError> {
    let query = HouseholdQuery {
        name: q.name,
        external_ref: q.external_ref,
        person_id: q.person_id,
    };
    let page = Page::new(q.page.unwrap_or(1), q.per_page.unwrap_or(50));
    Ok(axum::Json(Listing::from(
        hearth.list_households(&caller, &query, page).await?,
    )))
}

#[utoipa::path(post, path = "/api/households", tag = "households", request_body = HouseholdInput,
    responses((status = 201, body = Household), (status = 422, body = ErrorBody)))]
async fn create_household(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<HouseholdInput>,
) -> Result<Response, ApiError> {
    let household = hearth.create_household(&caller, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        household.version(),
        Some(format!("/api/households/{}", household.id())),
        household.to_json(),
    ))
}

#[utoipa::path(get, path = "/api/households/{id}", tag = "households", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Household), (status = 404, body = ErrorBody)))]
async fn get_household(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let household = hearth.get_household(&caller, id).await?;
    Ok(versioned(
        StatusCode::OK,
        household.version(),
        None,
        household.to_json(),
    ))
}

#[utoipa::path(put, path = "/api/households/{id}", tag = "households", request_body = HouseholdInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Household), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_household(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(input): Body<HouseholdInput>,
) -> Result<Response, ApiError> {
    let household = hearth
        .update_household(&caller, id, &input, version)
        .await?;
    Ok(versioned(
        StatusCode::OK,
        household.version(),
        None,
        household.to_json(),
    ))
}

/// Adds a person to the household from a date.
#[utoipa::path(post, path = "/api/households/{id}/members", tag = "households", request_body = MembershipInput,
    params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = Household), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_member(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<MembershipInput>,
) -> Result<Response, ApiError> {
    let household = hearth.add_member(&caller, id, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        household.version(),
        None,
        household.to_json(),
    ))
}

/// Changes a membership, for example to record the date someone left. History is kept.
#[utoipa::path(put, path = "/api/households/{id}/members/{member_id}", tag = "households", request_body = MembershipInput,
    params(("id" = uuid::Uuid, Path), ("member_id" = uuid::Uuid, Path)),
    responses((status = 200, body = Household), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_member(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Path((id, member_id)): Path<(String, String)>,
    Body(input): Body<MembershipInput>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::from(ServiceError::NotFound("membership"));
    let id = id.parse().map_err(|_| not_found())?;
    let member_id = member_id.parse().map_err(|_| not_found())?;
    let household = hearth.update_member(&caller, id, member_id, &input).await?;
    Ok(versioned(
        StatusCode::OK,
        household.version(),
        None,
        household.to_json(),
    ))
}
