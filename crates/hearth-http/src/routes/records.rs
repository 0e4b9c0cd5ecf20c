//! `/api/records`: records of the register's record types that have no resource of their own
//! (CCTV clips, daily notes, Blue Badge logs, service requests...), and their media objects.

use super::versioned;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, IfMatch, RecordAndMedia};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::records::{FiledRecord, FiledRecordInput, MediaObject};
use hearth_service::Hearth;
use hearth_service::retention::MAX_MEDIA_BYTES;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(list_media, attach_media))
        // Media are larger than the JSON bodies the rest of the API accepts.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_MEDIA_BYTES + 1));
    OpenApiRouter::new()
        .routes(routes!(file_record))
        .routes(routes!(get_record))
        .routes(routes!(record_activity))
        .routes(routes!(read_media))
        .merge(uploads)
}

/// Files a record under a register record type; its schedule starts from the dates kept here.
#[utoipa::path(post, path = "/api/records", tag = "records", request_body = FiledRecordInput,
    responses((status = 201, body = FiledRecord), (status = 422, body = ErrorBody)))]
async fn file_record(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<FiledRecordInput>,
) -> Result<Response, ApiError> {
    let record = hearth.file_record(&caller, &input).await?;
    Ok(versioned(
        StatusCode::CREATED,
        record.version,
        Some(format!("/api/records/{}", record.id)),
        record,
    ))
}

#[utoipa::path(get, path = "/api/records/{id}", tag = "records", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = FiledRecord), (status = 404, body = ErrorBody)))]
async fn get_record(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let record = hearth.get_filed_record(&caller, id).await?;
    Ok(versioned(StatusCode::OK, record.version, None, record))
}

/// Work done on a record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Also close the record's case: schedules that run from case closure start now.
    #[serde(default)]
    pub close: bool,
}

/// Records work on a record (its last activity, which schedules may run from), and closes its
/// case when asked. Send the version from the ETag in `If-Match`.
#[utoipa::path(post, path = "/api/records/{id}/activity", tag = "records",
    params(("id" = uuid::Uuid, Path), ("If-Match" = String, Header, description = "The record's version, from its ETag")),
    request_body = Activity,
    responses((status = 200, body = FiledRecord), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
async fn record_activity(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    IfMatch(version): IfMatch,
    Body(activity): Body<Activity>,
) -> Result<Response, ApiError> {
    let Some(version) = version else {
        return Err(ApiError::status(
            StatusCode::PRECONDITION_REQUIRED,
            crate::error::ErrorCode::PreconditionRequired,
            "send the record's version, from its ETag, in If-Match",
        ));
    };
    let record = hearth
        .touch_filed_record(&caller, id, activity.close, version)
        .await?;
    Ok(versioned(StatusCode::OK, record.version, None, record))
}

/// The media objects of a record: what they are, not their content.
#[utoipa::path(get, path = "/api/records/{id}/media", tag = "records",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<MediaObject>), (status = 404, body = ErrorBody)))]
async fn list_media(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<MediaObject>>, ApiError> {
    Ok(Json(hearth.media_of(&caller, id).await?))
}

/// Stores a photo, clip or document with a record: the body is the object itself and
/// `Content-Type` its media type. It is encrypted under the person's key when the record is
/// about a person, and removed from storage when the record's schedule ends.
#[utoipa::path(post, path = "/api/records/{id}/media", tag = "records",
    params(("id" = uuid::Uuid, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The object, up to 50 MiB, sent with its own Content-Type"),
    responses((status = 201, body = MediaObject), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attach_media(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    request: Request,
) -> Result<(StatusCode, Json<MediaObject>), ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = axum::body::to_bytes(request.into_body(), MAX_MEDIA_BYTES)
        .await
        .map_err(|_| {
            ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                crate::error::ErrorCode::TooLarge,
                format!("a media object is at most {MAX_MEDIA_BYTES} bytes"),
            )
        })?;
    let media = hearth
        .attach_media(&caller, id, &content_type, bytes.to_vec())
        .await?;
    Ok((StatusCode::CREATED, Json(media)))
}

/// One media object's content, decrypted; every viewing is audited.
#[utoipa::path(get, path = "/api/records/{id}/media/{media_id}", tag = "records",
    params(("id" = uuid::Uuid, Path), ("media_id" = uuid::Uuid, Path)),
    responses((status = 200, description = "The object, with its own Content-Type", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
async fn read_media(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    RecordAndMedia(record_id, media_id): RecordAndMedia,
) -> Result<Response, ApiError> {
    let (media, bytes) = hearth.read_media(&caller, record_id, media_id).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = header::HeaderValue::from_str(&media.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}
