//! `/api/contacts`: the contact log.

use super::{ListResponse, Listing, versioned};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_core::records::{ContactEntry, ContactEntryInput};
use hearth_service::Hearth;
use hearth_store::{ContactQuery, Page};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactSearch {
    person_id: Option<uuid::Uuid>,
    /// `phone`, `email`, `webchat`, `face_to_face`, `letter` or `website`.
    channel: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Contacts, newest first.
#[utoipa::path(get, path = "/api/contacts", tag = "contacts", params(ContactSearch),
    responses((status = 200, body = ListResponse<ContactEntry>), (status = 422, body = ErrorBody)))]
async fn list_contacts(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Query(q): Query<ContactSearch>,
) -> Result<axum::Json<Listing>, ApiError> {
    let query = ContactQuery {
        person_id: q.person_id,
        channel: q.channel,
    };
    let page = Page::new(q.page.unwrap_or(1), q.per_page.unwrap_or(50));
    Ok(axum::Json(Listing::from(
        hearth.list_contacts(&caller, &query, page).await?,
    )))
}

/// Logs a contact. The response adds `others_named`: each passage of the reason or summary
/// about someone other than the person (a neighbour's name, a relative's phone number), found
/// as the note is saved, so the officer can reword it; an access response proposes redacting them.
#[utoipa::path(post, path = "/api/contacts", tag = "contacts", request_body = ContactEntryInput,
    responses((status = 201, body = ContactEntry), (status = 422, body = ErrorBody)))]
async fn create_contact(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<ContactEntryInput>,
) -> Result<Response, ApiError> {
    let logged = hearth.log_contact(&caller, &input).await?;
    let entry = &logged.entry;
    let mut body = entry.to_json();
    if let Some(fields) = body.as_object_mut() {
        fields.insert(
            "others_named".into(),
            serde_json::to_value(&logged.others_named).unwrap_or_default(),
        );
    }
    Ok(versioned(
        StatusCode::CREATED,
        entry.version(),
        Some(format!("/api/contacts/{}", entry.id())),
        body,
    ))
}

#[utoipa::path(get, path = "/api/contacts/{id}", tag = "contacts", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = ContactEntry), (status = 404, body = ErrorBody)))]
async fn get_contact(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let entry = hearth.get_contact(&caller, id).await?;
    Ok(versioned(
        StatusCode::OK,
        entry.version(),
        None,
        entry.to_json(),
    ))
}

/// Corrects a contact-log entry; it stays with the same person.
#[utoipa::path(put, path = "/api/contacts/{id}", tag = "contacts", request_body = ContactEntryInput,
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The version last read")),
    responses((status = 200, body = ContactEntry), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_contact(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(input): Body<ContactEntryInput>,
) -> Result<Response, ApiError> {
    let entry = hearth.update_contact(&caller, id, &input, version).await?;
    Ok(versioned(
        StatusCode::OK,
        entry.version(),
        None,
        entry.to_json(),
    ))
}
