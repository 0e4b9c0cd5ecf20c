//! One correlation id per request, made as the request arrives. The caller carries it into
//! every audit event the request writes, every error body quotes it, and every response sends
//! it back in `X-Correlation-Id`: the id a user quotes to support is the one on the audit rows.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

tokio::task_local! {
    static CURRENT: Arc<str>;
}

/// The header the id is sent back in.
pub const HEADER: &str = "x-correlation-id";

/// Middleware: gives the request its id for everything that runs to answer it.
pub async fn assign(request: Request, next: Next) -> Response {
    let id: Arc<str> = uuid::Uuid::new_v4().to_string().into();
    let mut response = CURRENT.scope(id.clone(), next.run(request)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// This request's id. Outside a request (a response built by hand in a test, say) a fresh
/// one, so an error is never without an id.
pub fn current() -> String {
    CURRENT
        .try_with(|id| id.to_string())
        .unwrap_or_else(|_| uuid::Uuid::new_v4().to_string())
}
