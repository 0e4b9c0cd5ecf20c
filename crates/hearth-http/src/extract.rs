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
                    "too_large",
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

/// The authenticated caller: a bearer token (`Authorization: Bearer hearth_...`) and the
/// register purpose of this request (`X-Hearth-Purpose`). Routes that touch personal data take
/// this; without a valid token the request stops here with a 401.
pub struct Authed(pub hearth_service::Caller);

/// The header naming the register purpose of a request.
pub const PURPOSE_HEADER: &str = "x-hearth-purpose";

impl FromRequestParts<hearth_service::Hearth> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        hearth: &hearth_service::Hearth,
    ) -> Result<Self, Self::Rejection> {
        let unauthenticated =
            |m: &str| ApiError::from(hearth_service::ServiceError::Unauthenticated(m.to_string()));
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                unauthenticated("sign in: send an API token as 'Authorization: Bearer <token>'")
            })?
            .to_str()
            .map_err(|_| unauthenticated("the Authorization header is not readable text"))?;
        let secret = header
            .strip_prefix("Bearer ")
            .ok_or_else(|| unauthenticated("the Authorization header must be 'Bearer <token>'"))?;
        let mut caller = hearth.authenticate_token(secret.trim()).await?;
        if let Some(purpose) = parts.headers.get(PURPOSE_HEADER) {
            let purpose = purpose.to_str().map_err(|_| {
                ApiError::status(
                    axum::http::StatusCode::BAD_REQUEST,
                    "unknown_purpose",
                    "the X-Hearth-Purpose header is not readable text",
                )
            })?;
            caller = caller.for_purpose(purpose.trim());
        }
        hearth.check_purpose(&caller)?;
        Ok(Self(
            caller.with_correlation_id(uuid::Uuid::new_v4().to_string()),
        ))
    }
}
