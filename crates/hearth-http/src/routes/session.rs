//! `/api/session`: staff sign in and out of the browser. The session secret travels only in a
//! Secure, HttpOnly, SameSite=Strict cookie; the CSRF token comes back in the body, for the page
//! to send with every change.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, SESSION_COOKIE, session_secret};
use axum::Json;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_service::Hearth;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new().routes(routes!(current_session, sign_in, sign_out))
}

/// A member of staff's name and password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    pub username: String,
    pub password: String,
}

/// Who is signed in, and the token to send as `X-CSRF-Token` with every change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub staff_id: uuid::Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub teams: Vec<String>,
    pub csrf_token: String,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: jiff::Timestamp,
}

fn session_cookie(value: &str, max_age: jiff::SignedDuration) -> Option<HeaderValue> {
    let cookie = cookie::Cookie::build((SESSION_COOKIE, value.to_string()))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .max_age(cookie::time::Duration::seconds(max_age.as_secs()))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[utoipa::path(post, path = "/api/session", tag = "session", request_body = SignIn,
    responses((status = 201, body = SessionInfo, description = "Signed in; the session cookie is set"),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_in(
    State(hearth): State<Hearth>,
    Body(form): Body<SignIn>,
) -> Result<Response, ApiError> {
    let signed_in = hearth.sign_in(&form.username, &form.password).await?;
    let lifetime = jiff::SignedDuration::from_hours(hearth_service::access::SESSION_HOURS);
    let info = SessionInfo {
        staff_id: signed_in.staff.id,
        username: signed_in.staff.username,
        display_name: signed_in.staff.display_name,
        roles: signed_in.staff.roles,
        teams: signed_in.staff.teams,
        csrf_token: signed_in.csrf_token,
        expires_at: signed_in.expires_at,
    };
    let mut response = (StatusCode::CREATED, Json(info)).into_response();
    if let Some(cookie) = session_cookie(&signed_in.secret, lifetime) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn current_session(
    State(hearth): State<Hearth>,
    parts: Parts,
) -> Result<Json<SessionInfo>, ApiError> {
    let secret = session_secret(&parts).ok_or_else(|| {
        ApiError::from(hearth_service::ServiceError::Unauthenticated(
            "not signed in".into(),
        ))
    })?;
    let (staff, session) = hearth.session_of(&secret).await?;
    Ok(Json(SessionInfo {
        staff_id: staff.id,
        username: staff.username,
        display_name: staff.display_name,
        roles: staff.roles,
        teams: staff.teams,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    }))
}

#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared"), (status = 401, body = ErrorBody)))]
async fn sign_out(State(hearth): State<Hearth>, parts: Parts) -> Result<Response, ApiError> {
    let secret = session_secret(&parts).ok_or_else(|| {
        ApiError::from(hearth_service::ServiceError::Unauthenticated(
            "not signed in".into(),
        ))
    })?;
    // Signing out changes state, so it needs the CSRF token like any other change.
    crate::extract::caller_of(&parts, &hearth).await?;
    hearth.sign_out(&secret).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie("", jiff::SignedDuration::ZERO) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}
