//! `/api/people/{id}/link-codes`: a single-use code that lets a person link their GOV.UK One
//! Login account to their record, given to them by letter or on the phone.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_service::Hearth;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new().routes(routes!(issue_link_code))
}

/// A code as issued. It is shown this once: Hearth keeps only its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkCodeIssued {
    /// `XXXX-XXXX-XXXX`, from letters and digits that are hard to confuse.
    pub code: String,
    pub person_id: uuid::Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: jiff::Timestamp,
    /// Where the resident signs in to use it.
    pub sign_in_path: String,
}

/// Issues a sign-in link code for a person. The caller must be able to read the person for
/// the purpose named; the reading and the issue are audited. Codes last 30 days and work once.
#[utoipa::path(post, path = "/api/people/{id}/link-codes", tag = "people",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 201, body = LinkCodeIssued),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn issue_link_code(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<(StatusCode, Json<LinkCodeIssued>), ApiError> {
    let issued = hearth.issue_link_code(&caller, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(LinkCodeIssued {
            code: issued.code,
            person_id: issued.person_id,
            expires_at: issued.expires_at,
            sign_in_path: "/resident".into(),
        }),
    ))
}
