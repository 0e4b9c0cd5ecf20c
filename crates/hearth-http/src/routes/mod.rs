//! Route handlers, one file per resource.

pub mod contacts;
pub mod disclosures;
pub mod erasure;
pub mod households;
pub mod link_codes;
pub mod people;
pub mod person_controls;
pub mod properties;
pub mod recordings;
pub mod records;
pub mod register;
pub mod release;
pub mod repairs;
pub mod responses;
pub mod retention;
pub mod rights;
pub mod session;
pub mod system;
pub mod tenancies;
pub mod video;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// How many records match in all.
    pub total: i64,
}

/// A page as sent: each record with the fields the caller may not see taken out. Its shape is
/// documented as [`ListResponse`].
#[derive(Debug, Serialize)]
pub struct Listing {
    pub items: Vec<serde_json::Value>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl<T: hearth_service::access::Guarded> From<hearth_store::Paged<hearth_service::Visible<T>>>
    for Listing
{
    fn from(p: hearth_store::Paged<hearth_service::Visible<T>>) -> Self {
        Self {
            items: p
                .items
                .iter()
                .map(hearth_service::Visible::to_json)
                .collect(),
            page: p.page,
            per_page: p.per_page,
            total: p.total,
        }
    }
}

/// A record with its version as the ETag, to send back in `If-Match` when updating.
pub fn versioned<T: Serialize>(
    status: StatusCode,
    version: i64,
    location: Option<String>,
    body: T,
) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    if let Some(value) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}
