//! One mapping from service errors to HTTP: stable codes, a message per field for invalid
//! input, a correlation id on every error, and no internals for clients.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_core::FieldError;
use hearth_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

/// Every code an error response can carry, and nothing else: the OpenAPI document lists
/// exactly these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 422: the body or query has invalid fields, each listed in `fields`.
    InvalidInput,
    /// 404: no such record, or no such path.
    NotFound,
    /// 405: the path does not accept this method.
    MethodNotAllowed,
    /// 409: the record changed since the version sent, or a duplicate.
    Conflict,
    /// 410: the link was used, expired, or its person erased.
    Gone,
    /// 413: the body is larger than the server accepts.
    TooLarge,
    /// 428: a change needs `If-Match` with the version last read.
    PreconditionRequired,
    /// 400: no purpose named in `X-Hearth-Purpose`.
    PurposeRequired,
    /// 400: the purpose named is not in the register (or not readable).
    UnknownPurpose,
    /// 401: sign in, or send an API token.
    Unauthenticated,
    /// 403: a change from a session without its CSRF token.
    Csrf,
    /// 403: the policy does not allow this.
    Forbidden,
    /// 429: too many attempts; try later.
    RateLimited,
    /// 500: something went wrong on the server; quote the correlation id.
    Internal,
    /// 500: media storage failed.
    StorageFailed,
    /// 502: a service Hearth depends on (GOV.UK One Login) could not be reached.
    UpstreamFailed,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// For `invalid_input`: one entry per problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Quote this when reporting a problem; the server log carries the same id.
    pub correlation_id: String,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    fields: Vec<FieldError>,
}

impl ApiError {
    /// Input the client must correct: 422 with the field and the reason.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::InvalidInput,
            message: "the request has invalid fields".into(),
            fields: vec![FieldError {
                field: field.into(),
                message,
            }],
        }
    }
}

impl ApiError {
    /// An error with its own status and code, such as 413 for a body too large.
    pub fn status(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: vec![],
        }
    }
}

/// Requests for paths the API does not have get the error format too.
pub async fn no_such_route() -> ApiError {
    ApiError::status(
        StatusCode::NOT_FOUND,
        crate::error::ErrorCode::NotFound,
        "no such path in the Hearth API; see /api/docs",
    )
}

/// Requests with a method the path does not accept.
pub async fn method_not_allowed() -> ApiError {
    ApiError::status(
        StatusCode::METHOD_NOT_ALLOWED,
        crate::error::ErrorCode::MethodNotAllowed,
        "this path does not accept this method; see /api/docs",
    )
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let code = match &err {
            ServiceError::Invalid(_) => ErrorCode::InvalidInput,
            ServiceError::NotFound(_) => ErrorCode::NotFound,
            ServiceError::Conflict(_) => ErrorCode::Conflict,
            ServiceError::Gone(_) => ErrorCode::Gone,
            ServiceError::PurposeRequired => ErrorCode::PurposeRequired,
            ServiceError::UnknownPurpose(_) => ErrorCode::UnknownPurpose,
            ServiceError::Forbidden(_) => ErrorCode::Forbidden,
            ServiceError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ServiceError::RateLimited(_) => ErrorCode::RateLimited,
            ServiceError::Policy(_) | ServiceError::Store(_) => ErrorCode::Internal,
            ServiceError::Storage(_) => ErrorCode::StorageFailed,
            ServiceError::Upstream(_) => ErrorCode::UpstreamFailed,
        };
        match err {
            ServiceError::Invalid(errors) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code,
                message: "the request has invalid fields".into(),
                fields: errors.0,
            },
            ServiceError::NotFound(what) => Self {
                status: StatusCode::NOT_FOUND,
                code,
                message: format!("no {what} with this id"),
                fields: vec![],
            },
            ServiceError::Conflict(message) => Self {
                status: StatusCode::CONFLICT,
                code,
                message,
                fields: vec![],
            },
            ServiceError::Gone(message) => Self {
                status: StatusCode::GONE,
                code,
                message,
                fields: vec![],
            },
            ServiceError::PurposeRequired | ServiceError::UnknownPurpose(_) => Self {
                status: StatusCode::BAD_REQUEST,
                code,
                message: format!("{err}; send it in the X-Hearth-Purpose header"),
                fields: vec![],
            },
            ServiceError::Forbidden(_) => Self {
                status: StatusCode::FORBIDDEN,
                code,
                message: err.to_string(),
                fields: vec![],
            },
            ServiceError::Unauthenticated(_) => Self {
                status: StatusCode::UNAUTHORIZED,
                code,
                message: err.to_string(),
                fields: vec![],
            },
            ServiceError::RateLimited(_) => Self {
                status: StatusCode::TOO_MANY_REQUESTS,
                code,
                message: err.to_string(),
                fields: vec![],
            },
            ServiceError::Policy(_) | ServiceError::Store(_) | ServiceError::Storage(_) => Self {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                code,
                message: err.to_string(),
                fields: vec![],
            },
            ServiceError::Upstream(_) => Self {
                status: StatusCode::BAD_GATEWAY,
                code,
                message: err.to_string(),
                fields: vec![],
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let correlation_id = crate::correlation::current();
        let message = if self.status.is_server_error() {
            // The detail goes to the log under the correlation id, never to the client.
            tracing::error!(correlation_id = %correlation_id, error = %self.message, "request failed");
            "something went wrong on our side; quote the correlation id if you report it"
                .to_string()
        } else {
            self.message
        };
        let body = ErrorBody {
            code: self.code,
            message,
            fields: self.fields,
            correlation_id: correlation_id.clone(),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Ok(value) = axum::http::HeaderValue::from_str(&correlation_id) {
            response
                .headers_mut()
                .insert(crate::correlation::HEADER, value);
        }
        response
    }
}
