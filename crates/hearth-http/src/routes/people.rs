//! `/api/people`: create, read, update and search people.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{Person, PersonInput};
use hearth_service::Hearth;
use hearth_store::{Page, PersonQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person))
}

/// Search filters for people; all given filters must match.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonSearch {
    /// Words that must all appear in the person's names, in any order.
    name: Option<String>,
    /// Postcode of the person's postal address, in any spacing or case.
    postcode: Option<String>,
    /// National Insurance number, in any spacing or case.
    ni_number: Option<String>,
    /// People in a household with a tenancy of this property.
    uprn: Option<String>,
    /// The reference from the system the person was imported from.
    external_ref: Option<String>,
    /// 1-based page number (default 1).
    page: Option<u32>,
    /// Results per page, 1 to 200 (default 50).
    per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/people", tag = "people", params(PersonSearch),
    responses((status = 200, body = ListResponse<Person>), (status = 422, body = ErrorBody)))]
async fn list_people(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<PersonSearch>,
) -> Result<axum::Json<Listing>, ApiError> {
    let query = PersonQuery {
        name: q.name,
        postcode: q.postcode,
        ni_number: q.ni_number,
        uprn: q.uprn,
        external_ref: q.external_ref,
    };
    let page = Page::new(q.page.unwrap_or(1), q.per_page.unwrap_or(50));
    Ok(axum::Json(Listing::from(
        hearth.list_people(&caller, &query, page).await?,
    )))
}

#[utoipa::path(post, path = "/api/people", tag = "people", request_body = PersonInput,
    responses((status = 201, body = Person), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_person(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<PersonInput>,
) -> Result<Response, ApiError> {
    let person = hearth.create_person(&caller, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        person.version(),
        Some(format!("/api/people/{}", person.id())),
        person.to_json(),
    ))
}

#[utoipa::path(get, path = "/api/people/{id}", tag = "people", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Person), (status = 404, body = ErrorBody)))]
async fn get_person(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let person = hearth.get_person(&caller, id).await?;
    Ok(versioned(
        StatusCode::OK,
        person.version(),
        None,
        person.to_json(),
    ))
}

/// Replaces a person's details. Send `If-Match` with the version from the ETag to be sure
/// nobody changed the record since you read it.
#[utoipa::path(put, path = "/api/people/{id}", tag = "people", request_body = PersonInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Person), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_person(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(input): Body<PersonInput>,
) -> Result<Response, ApiError> {
    let person = hearth.update_person(&caller, id, &input, version).await?;
    Ok(versioned(
        StatusCode::OK,
        person.version(),
        None,
        person.to_json(),
    ))
}
