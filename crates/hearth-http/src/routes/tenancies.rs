//! `/api/tenancies`: tenancies and leases linking households to properties.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{Tenancy, TenancyInput};
use hearth_service::Hearth;
use hearth_store::{Page, TenancyQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_tenancies, create_tenancy))
        .routes(routes!(get_tenancy, update_tenancy))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenancySearch {
    household_id: Option<uuid::Uuid>,
    property_id: Option<uuid::Uuid>,
    uprn: Option<String>,
    /// Only tenancies current on this date (`YYYY-MM-DD`).
    current_on: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/tenancies", tag = "tenancies", params(TenancySearch),
    responses((status = 200, body = ListResponse<Tenancy>), (status = 422, body = ErrorBody)))]
async fn list_tenancies(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<TenancySearch>,
) -> Result<axum::Json<Listing>, ApiError> {
    let current_on = q
        .current_on
        .as_deref()
        .map(hearth_core::records::parse_date)
        .transpose()
        .map_err(|e| ApiError::field("current_on", e))?;
    let query = TenancyQuery {
        household_id: q.household_id,
        property_id: q.property_id,
        uprn: q.uprn,
        current_on,
    };
    let page = Page::new(q.page.unwrap_or(1), q.per_page.unwrap_or(50));
    Ok(axum::Json(Listing::from(
        hearth.list_tenancies(&caller, &query, page).await?,
    )))
}

#[utoipa::path(post, path = "/api/tenancies", tag = "tenancies", request_body = TenancyInput,
    responses((status = 201, body = Tenancy), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_tenancy(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<TenancyInput>,
) -> Result<Response, ApiError> {
    let tenancy = hearth.create_tenancy(&caller, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        tenancy.version(),
        Some(format!("/api/tenancies/{}", tenancy.id())),
        tenancy.to_json(),
    ))
}

#[utoipa::path(get, path = "/api/tenancies/{id}", tag = "tenancies", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Tenancy), (status = 404, body = ErrorBody)))]
async fn get_tenancy(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let tenancy = hearth.get_tenancy(&caller, id).await?;
    Ok(versioned(
        StatusCode::OK,
        tenancy.version(),
        None,
        tenancy.to_json(),
    ))
}

#[utoipa::path(put, path = "/api/tenancies/{id}", tag = "tenancies", request_body = TenancyInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Tenancy), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_tenancy(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(input): Body<TenancyInput>,
) -> Result<Response, ApiError> {
    let tenancy = hearth.update_tenancy(&caller, id, &input, version).await?;
    Ok(versioned(
        StatusCode::OK,
        tenancy.version(),
        None,
        tenancy.to_json(),
    ))
}
