//! `/api/people`: create, read, update and search people.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{Person, PersonInput};
use hearth_service::{Hearth, RecordChange};
use hearth_store::{Page, PersonQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_people, create_person))
        .routes(routes!(get_person, update_person, patch_person))
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
        ..Default::default()
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

/// Sets a person's details. The fields the body names are set and the fields it leaves out
/// are kept, so sending back what you were shown never erases what was withheld from you. Send
/// `If-Match` with the version from the ETag to be sure nobody changed the record since you
/// read it. Changing a field group your role may not write for this purpose is refused whole.
#[utoipa::path(put, path = "/api/people/{id}", tag = "people", request_body = PersonInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Person), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_person(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(body): Body<serde_json::Value>,
) -> Result<Response, ApiError> {
    // A whole person's shape is required here; PATCH takes any part of it.
    serde_json::from_value::<PersonInput>(body.clone())
        .map_err(|e| ApiError::field("(body)", e.to_string()))?;
    let change = RecordChange::from_json(body)?;
    changed(hearth.update_person(&caller, id, &change, version).await?)
}

/// Changes part of a person's details: a JSON Merge Patch (RFC 7396,
/// `application/merge-patch+json`). Named fields are set, `null` clears one, the rest is kept.
#[utoipa::path(patch, path = "/api/people/{id}", tag = "people",
    request_body(content = Object, content_type = "application/merge-patch+json",
        description = "Any of the fields of a person, as in PersonInput; null clears a field"),
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = Person), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn patch_person(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(body): Body<serde_json::Value>,
) -> Result<Response, ApiError> {
    let change = RecordChange::from_json(body)?;
    changed(hearth.update_person(&caller, id, &change, version).await?)
}

fn changed(person: hearth_service::Visible<Person>) -> Result<Response, ApiError> {
    Ok(versioned(
        StatusCode::OK,
        person.version(),
        None,
        person.to_json(),
    ))
}
