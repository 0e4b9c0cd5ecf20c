//! Extractors whose rejections use the API's error format: JSON bodies, query strings, path
//! ids and the `If-Match` version.

use crate::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A JSON body; a malformed or mistyped body is a 422 naming what is wrong.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::status(
                    rejection.status(),
                    crate::error::ErrorCode::TooLarge,
                    "the request body is larger than the server accepts",
                ))
            }
            Err(rejection) => Err(ApiError::field("(body)", rejection.body_text())),
        }
    }
}

/// A query string; a bad parameter is a 422.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::field("(query)", rejection.body_text())),
        }
    }
}

/// A record id in the path; anything but a UUID is a 404, since no record has that id.
pub struct Id(pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::from(hearth_service::ServiceError::NotFound("record")))?;
        raw.parse()
            .map(Self)
            .map_err(|_| ApiError::from(hearth_service::ServiceError::NotFound("record")))
    }
}

/// A record id and one of its media ids in the path; anything but UUIDs is a 404.
pub struct RecordAndMedia(pub uuid::Uuid, pub uuid::Uuid);

impl<S: Send + Sync> FromRequestParts<S> for RecordAndMedia {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || ApiError::from(hearth_service::ServiceError::NotFound("record"));
        let axum::extract::Path((record, media)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        match (record.parse(), media.parse()) {
            (Ok(record), Ok(media)) => Ok(Self(record, media)),
            _ => Err(not_found()),
        }
    }
}

/// The version from `If-Match` (`"3"` or `3`), when the client sent one.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(axum::http::header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = value
            .to_str()
            .unwrap_or("")
            .trim()
            .trim_start_matches("W/")
            .trim_matches('"');
        text.parse().map(|v| Self(Some(v))).map_err(|_| {
            ApiError::field(
                "If-Match",
                "must be the record's version, as given in its ETag",
            )
        })
    }
}

/// The authenticated caller and the register purpose of this request (`X-Hearth-Purpose`).
/// Machines send an API token (`Authorization: Bearer hearth_...`); staff in a browser carry
/// the session cookie, and every request that changes something must also send the session's
/// CSRF token in `X-CSRF-Token`. Routes that touch personal data take this; without valid
/// credentials the request stops here with a 401, without a known purpose with a 400.
pub struct Authed(pub hearth_service::Caller);

/// The header naming the register purpose of a request.
pub const PURPOSE_HEADER: &str = "x-hearth-purpose";
/// The header carrying a browser session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie holding a browser session's secret.
pub const SESSION_COOKIE: &str = "hearth_session";

fn unauthenticated(message: &str) -> ApiError {
    ApiError::from(hearth_service::ServiceError::Unauthenticated(
        message.to_string(),
    ))
}

/// The value of the named cookie the request carries, if any.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// The session secret from the request's cookies, if it carries one.
pub fn session_secret(parts: &Parts) -> Option<String> {
    cookie_value(&parts.headers, SESSION_COOKIE)
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The caller behind the request's credentials: a bearer token, or a session cookie whose
/// CSRF token must accompany anything but a read.
pub async fn caller_of(
    parts: &Parts,
    hearth: &hearth_service::Hearth,
) -> Result<hearth_service::Caller, ApiError> {
    if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let header = header
            .to_str()
            .map_err(|_| unauthenticated("the Authorization header is not readable text"))?;
        let secret = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| unauthenticated("the Authorization header must be 'Bearer <token>'"))?;
        return Ok(hearth.authenticate_token(secret.trim()).await?);
    }
    let Some(secret) = session_secret(parts) else {
        return Err(unauthenticated(
            "sign in, or send an API token as 'Authorization: Bearer <token>'",
        ));
    };
    let (caller, csrf) = hearth.authenticate_session(&secret).await?;
    if !parts.method.is_safe() {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !same_secret(sent, &csrf) {
            return Err(ApiError::status(
                axum::http::StatusCode::FORBIDDEN,
                crate::error::ErrorCode::Csrf,
                "this change needs the session's CSRF token in the X-CSRF-Token header",
            ));
        }
    }
    Ok(caller)
}

impl FromRequestParts<hearth_service::Hearth> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        hearth: &hearth_service::Hearth,
    ) -> Result<Self, Self::Rejection> {
        let mut caller = caller_of(parts, hearth).await?;
        if let Some(purpose) = parts.headers.get(PURPOSE_HEADER) {
            let purpose = purpose.to_str().map_err(|_| {
                ApiError::status(
                    axum::http::StatusCode::BAD_REQUEST,
                    crate::error::ErrorCode::UnknownPurpose,
                    "the X-Hearth-Purpose header is not readable text",
                )
            })?;
            caller = caller.for_purpose(purpose.trim());
        }
        hearth.check_purpose(&caller)?;
        Ok(Self(
            caller.with_correlation_id(crate::correlation::current()),
        ))
    }
}

/// A recording id and a chunk number in the path; anything else is a 404.
pub struct RecordingChunk(pub uuid::Uuid, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for RecordingChunk {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || ApiError::from(hearth_service::ServiceError::NotFound("chunk"));
        let axum::extract::Path((recording, seq)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        match (recording.parse(), seq.parse::<i64>()) {
            (Ok(recording), Ok(seq)) if seq >= 0 => Ok(Self(recording, seq)),
            _ => Err(not_found()),
        }
    }
}
