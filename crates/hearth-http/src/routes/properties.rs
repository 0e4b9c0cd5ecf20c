//! `/api/properties`: properties keyed by UPRN.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{Property, PropertyInput};
use hearth_service::Hearth;
use hearth_store::{Page, PropertyQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_properties, create_property))
        .routes(routes!(get_property, update_property))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PropertySearch {
    uprn: Option<String>,
    postcode: Option<String>,
    /// Words that must all appear in the address.
    address: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/properties", tag = "properties", params(PropertySearch),
    responses((status = 200, body = ListResponse<Property>), (status = 422, body = ErrorBody)))]
async fn list_properties(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<PropertySearch>,
) -> Result<axum::Json<Listing>, ApiError> {
    let query = PropertyQuery {
        uprn: q.uprn,
        postcode: q.postcode,
        address: q.address,
    };
    let page = Page::new(q.page.unwrap_or(1), q.per_page.unwrap_or(50));
    Ok(axum::Json(Listing::from(
        hearth.list_properties(&caller, &query, page).await?,
    )))
}

#[utoipa::path(post, path = "/api/properties", tag = "properties", request_body = PropertyInput,
    responses((status = 201, body = Property), (status = 422, body = ErrorBody)))]
async fn create_property(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<PropertyInput>,
) -> Result<Response, ApiError> {
    let property = hearth.create_property(&caller, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        property.version(),
        Some(format!("/api/properties/{}", property.id())),
        property.to_json(),
    ))
}

#[utoipa::path(get, path = "/api/properties/{id}", tag = "properties", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Property), (status = 404, body = ErrorBody)))]
async fn get_property(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let property = hearth.get_property(&caller, id).await?;
    Ok(versioned(
        StatusCode::OK,
        property.version(),
        None,
        property.to_json(),
    ))
}

#[utoipa::path(put, path = "/api/properties/{id}", tag = "properties", request_body = PropertyInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Property), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_property(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(input): Body<PropertyInput>,
) -> Result<Response, ApiError> {
    let property = hearth.update_property(&caller, id, &input, version).await?;
    Ok(versioned(
        StatusCode::OK,
        property.version(),
        None,
        property.to_json(),
    ))
}
