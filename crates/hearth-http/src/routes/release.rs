//! Answering an access request over HTTP: the review, the data protection officer's release,
//! and the person's single-use download (the link's secret is its only credential).

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_service::Hearth;
use hearth_service::rights::{AccessReview, ReleaseApproval, ReleasedAccess};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(review_access))
        .routes(routes!(release_access))
        .routes(routes!(download))
}

/// The access bundle for review before release: everything held about the person, what was
/// withheld and why, free text that names another household member (flags), earlier releases.
#[utoipa::path(get, path = "/api/rights/requests/{id}/access", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = AccessReview), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn review_access(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<AccessReview>, ApiError> {
    Ok(Json(hearth.review_access(&caller, id).await?))
}

/// The data protection officer releases the response, with any redactions: the archive (HTML
/// report, JSON, CSV, media) is sealed and stored, and a single-use link returned, once.
#[utoipa::path(post, path = "/api/rights/requests/{id}/access/release", tag = "rights",
    params(("id" = uuid::Uuid, Path)), request_body = ReleaseApproval,
    responses((status = 201, body = ReleasedAccess), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn release_access(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(approval): Body<ReleaseApproval>,
) -> Result<(StatusCode, Json<ReleasedAccess>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(hearth.release_access(&caller, id, &approval).await?),
    ))
}

/// The person's download: the archive, once. No sign-in: the link is the credential, it works
/// once and expires. A used or expired link answers 410.
#[utoipa::path(get, path = "/api/rights/downloads/{token}", tag = "downloads",
    params(("token" = String, Path, description = "The secret from the link")),
    responses((status = 200, description = "The archive", content_type = "application/zip"),
        (status = 410, body = ErrorBody)))]
async fn download(
    State(hearth): State<Hearth>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let (release, archive) = hearth.download_access(&token).await?;
    let name = format!(
        "attachment; filename=\"personal-information-{}.zip\"",
        release.request_id
    );
    let mut response = archive.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&name) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
