//! `/health`: whether the server is up and on which database and register.

use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use hearth_service::Hearth;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
    pub schema_version: i64,
    /// SHA-256 of the register in force.
    pub register: String,
}

#[utoipa::path(get, path = "/health", tag = "system", responses((status = 200, body = Health), (status = 500)))]
async fn health(State(hearth): State<Hearth>) -> Result<Json<Health>, ApiError> {
    let schema_version = hearth.schema_version().await?;
    Ok(Json(Health {
        status: "ok",
        database: hearth.backend_name(),
        schema_version,
        register: hearth.register().hash.clone(),
    }))
}
