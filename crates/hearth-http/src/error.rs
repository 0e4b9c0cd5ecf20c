//! One mapping from service errors to HTTP: stable codes, a message per field for invalid
//! input, a correlation id on every error, and no internals for clients.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_core::FieldError;
use hearth_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid_input`, `not_found`, `conflict`, `unauthenticated`, `forbidden`,
    /// `purpose_required`, `unknown_purpose`, `rate_limited`, `bad_request` or `internal`.
    pub code: &'static str,
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
    code: &'static str,
    message: String,
    fields: Vec<FieldError>,
}

impl ApiError {
    /// Input the client must correct: 422 with the field and the reason.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_input",
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
    pub fn status(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
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
        "not_found",
        "no such path in the Hearth API; see /api/docs",
    )
}

/// Requests with a method the path does not accept.
pub async fn method_not_allowed() -> ApiError {
    ApiError::status(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not accept this method; see /api/docs",
    )
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        let code = err.code();
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
        let correlation_id = uuid::Uuid::new_v4().to_string();
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
            response.headers_mut().insert("x-correlation-id", value);
        }
        response
    }
}
