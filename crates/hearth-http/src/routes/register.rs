//! `/api/register`: which register is in force, what it declares, and its history.

use crate::error::ApiError;
use axum::Json;
use axum::extract::State;
use hearth_service::Hearth;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(get_register))
        .routes(routes!(register_history))
}

/// The register in force: its version and what it declares.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterSummary {
    pub title: String,
    pub version_label: String,
    /// SHA-256 of the register file: the version the server runs.
    pub sha256: String,
    /// The full register: purposes, bases, record types, retention, recipients.
    #[schema(value_type = Object)]
    pub register: serde_json::Value,
}

/// A change of register version: which, when and by whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterChange {
    pub sha256: String,
    pub version_label: String,
    #[schema(value_type = String, format = DateTime)]
    pub loaded_at: jiff::Timestamp,
    pub loaded_by: String,
}

#[utoipa::path(get, path = "/api/register", tag = "register", responses((status = 200, body = RegisterSummary)))]
async fn get_register(State(hearth): State<Hearth>) -> Result<Json<RegisterSummary>, ApiError> {
    let register = hearth.register();
    Ok(Json(RegisterSummary {
        title: register.meta.title.clone(),
        version_label: register.meta.version_label.clone(),
        sha256: register.hash.clone(),
        register: serde_json::to_value(register).unwrap_or_default(),
    }))
}

/// Every register version the server has run, who loaded it and when: for signed-in staff and
/// API clients (it names the accounts that changed the register).
#[utoipa::path(get, path = "/api/register/history", tag = "register",
    security(("api_token" = [])),
    responses((status = 200, body = [RegisterChange]), (status = 401, body = crate::error::ErrorBody)))]
async fn register_history(
    State(hearth): State<Hearth>,
    parts: axum::http::request::Parts,
) -> Result<Json<Vec<RegisterChange>>, ApiError> {
    crate::extract::caller_of(&parts, &hearth).await?;
    let history = hearth.register_history().await?;
    Ok(Json(
        history
            .into_iter()
            .map(|v| RegisterChange {
                sha256: v.sha256,
                version_label: v.version_label,
                loaded_at: v.loaded_at,
                loaded_by: v.loaded_by,
            })
            .collect(),
    ))
}
