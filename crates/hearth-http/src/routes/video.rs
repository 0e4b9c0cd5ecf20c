//! `/api/repairs/{id}/video-calls` and `/api/video-calls/{id}`: staff offer a Total Assist video
//! call (the link goes to the resident through the outbox), record answers given on the phone,
//! and end calls. The resident's own pages are in `call_pages`.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::video::VideoCall;
use hearth_service::Hearth;
use hearth_service::video::{CallAnswer, VideoOfferInput};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(list_calls, offer_call))
        .routes(routes!(answer_by_phone))
        .routes(routes!(end_call))
}

/// A repair's video calls, oldest first.
#[utoipa::path(get, path = "/api/repairs/{id}/video-calls", tag = "video",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<VideoCall>), (status = 404, body = ErrorBody)))]
async fn list_calls(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<VideoCall>>, ApiError> {
    Ok(Json(hearth.video_calls_of(&caller, id).await?))
}

/// Offers a video call: the resident gets a single-use link, valid for a day, by email or text,
/// and is asked for consent to the call and explicit consent to special category data.
#[utoipa::path(post, path = "/api/repairs/{id}/video-calls", tag = "video",
    params(("id" = uuid::Uuid, Path)), request_body = VideoOfferInput,
    responses((status = 201, body = VideoCall), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn offer_call(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(input): Body<VideoOfferInput>,
) -> Result<(StatusCode, Json<VideoCall>), ApiError> {
    let call = hearth.offer_video_call(&caller, id, &input).await?;
    Ok((StatusCode::CREATED, Json(call)))
}

/// Records the answers the resident gave on the phone; a "no" books a home visit.
#[utoipa::path(post, path = "/api/video-calls/{id}/answer", tag = "video",
    params(("id" = uuid::Uuid, Path)), request_body = CallAnswer,
    responses((status = 200, body = VideoCall), (status = 409, body = ErrorBody)))]
async fn answer_by_phone(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
    Body(answer): Body<CallAnswer>,
) -> Result<Json<VideoCall>, ApiError> {
    Ok(Json(
        hearth
            .answer_video_call_by_phone(&caller, id, answer)
            .await?,
    ))
}

/// Ends a call.
#[utoipa::path(post, path = "/api/video-calls/{id}/end", tag = "video",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = VideoCall), (status = 404, body = ErrorBody)))]
async fn end_call(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<VideoCall>, ApiError> {
    Ok(Json(hearth.end_video_call(&caller, id).await?))
}
