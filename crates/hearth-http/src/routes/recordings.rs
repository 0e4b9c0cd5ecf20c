//! Recordings of video calls: the engineer's page starts a recording, uploads it in numbered
//! chunks and stops it (`/api/video-calls/{id}/recordings`, `/api/recordings/{id}/...`); those
//! the policy lets watch it play it back, audited; a safeguarding concern holds it and records
//! its disclosure.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id, RecordingChunk};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_core::video::{CallRecording, MAX_CHUNK_BYTES};
use hearth_service::Hearth;
use hearth_service::video::{ChunkReceipt, ConcernRaised, SafeguardingConcern};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_recordings, start_recording))
        .routes(routes!(upload_chunk).layer(DefaultBodyLimit::max(MAX_CHUNK_BYTES + 1024)))
        .routes(routes!(finish_recording))
        .routes(routes!(watch_recording))
        .routes(routes!(raise_concern))
}

/// What the recording will be: the media type the browser's recorder produces.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordingStart {
    /// `video/webm` or `video/mp4`, with codecs if the browser names them.
    pub content_type: String,
}

/// A chunk taken.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChunkTaken {
    pub seq: i64,
    /// True when this chunk had arrived before (a retried upload): nothing changed.
    pub already_received: bool,
}

/// A call's recordings, oldest first.
#[utoipa::path(get, path = "/api/video-calls/{id}/recordings", tag = "video",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<CallRecording>), (status = 404, body = ErrorBody)))]
async fn list_recordings(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<CallRecording>>, ApiError> {
    Ok(Json(hearth.recordings_of_call(&caller, id).await?))
}

/// Starts recording a live call, for the call's purpose; the resident's page shows that they
/// are being recorded.
#[utoipa::path(post, path = "/api/video-calls/{id}/recordings", tag = "video",
    params(("id" = uuid::Uuid, Path)), request_body = RecordingStart,
    responses((status = 201, body = CallRecording), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start_recording(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<RecordingStart>,
) -> Result<(StatusCode, Json<CallRecording>), ApiError> {
    let recording = hearth
        .start_recording(&caller, id, &input.content_type)
        .await?;
    Ok((StatusCode::CREATED, Json(recording)))
}

/// Uploads chunk `seq` (from 0, in order) of a recording: up to 8 MiB of the recorder's
/// output. A chunk sent again is acknowledged and ignored; one out of order is a 409.
#[utoipa::path(put, path = "/api/recordings/{id}/chunks/{seq}", tag = "video",
    params(("id" = uuid::Uuid, Path), ("seq" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ChunkTaken), (status = 409, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_chunk(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    RecordingChunk(id, seq): RecordingChunk,
    body: Bytes,
) -> Result<Json<ChunkTaken>, ApiError> {
    let receipt = hearth
        .upload_recording_chunk(&caller, id, seq, body.to_vec())
        .await?;
    Ok(Json(ChunkTaken {
        seq,
        already_received: receipt == ChunkReceipt::AlreadyStored,
    }))
}

/// Stops a recording: its chunks become one sealed video, filed as a `video_recording`
/// record (kept four weeks). A recording with no chunks is discarded.
#[utoipa::path(post, path = "/api/recordings/{id}/finish", tag = "video",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = CallRecording), (status = 409, body = ErrorBody)))]
async fn finish_recording(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<CallRecording>, ApiError> {
    Ok(Json(hearth.finish_recording(&caller, id).await?))
}

/// A filed recording's video. The policy decides for the purpose sent: managers watch under
/// "support operatives" or "assess work" only, and only with the resident's consent to it.
/// Every viewing, allowed or refused, is in the audit log.
#[utoipa::path(get, path = "/api/recordings/{id}/video", tag = "video",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "The video", content_type = "video/webm"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn watch_recording(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let (_, media, bytes) = hearth.watch_recording(&caller, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media.content_type),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Marks a safeguarding concern on a filed recording: a legal hold keeps it past its four
/// weeks, and its disclosure to the named safeguarding body is recorded.
#[utoipa::path(post, path = "/api/recordings/{id}/safeguarding", tag = "video",
    params(("id" = uuid::Uuid, Path)), request_body = SafeguardingConcern,
    responses((status = 201, body = ConcernRaised), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn raise_concern(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(concern): Body<SafeguardingConcern>,
) -> Result<(StatusCode, Json<ConcernRaised>), ApiError> {
    let raised = hearth
        .raise_safeguarding_concern(&caller, id, &concern)
        .await?;
    Ok((StatusCode::CREATED, Json(raised)))
}
