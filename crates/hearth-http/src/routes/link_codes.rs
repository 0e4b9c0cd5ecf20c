//! `/api/people/{id}/link-codes`: a single-use code that lets a person link their GOV.UK One
//! Login account to their record, given to them by letter or on the phone.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_service::Hearth;
use hearth_service::residents::LinkCodeDelivery;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new().routes(routes!(issue_link_code))
}

/// A code as issued. Hearth keeps only its hash. It goes to the person's own email address or
/// mobile number through the outbox; only when the record holds neither is it returned here,
/// once, to print in a letter.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkCodeIssued {
    /// `email` or `sms` when sent to the person, `letter` when it is to be printed.
    pub delivery: String,
    /// For a letter only: `XXXX-XXXX-XXXX`, from letters and digits that are hard to confuse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For a sent code: the outbox message that carries it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<uuid::Uuid>,
    pub person_id: uuid::Uuid,
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: jiff::Timestamp,
    /// Where the resident signs in to use it.
    pub sign_in_path: String,
}

/// Issues a sign-in link code for a person, under the purpose `customer_record` only, by a
/// caller the policy lets read the person for it; an older unused code is revoked. The reading
/// and the issue are audited. Codes last 30 days and work once.
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
    let (delivery, code, message_id) = match issued.delivery {
        LinkCodeDelivery::Sent {
            message_id,
            channel,
        } => (channel.as_str().to_string(), None, Some(message_id)),
        LinkCodeDelivery::Letter { code } => ("letter".to_string(), Some(code), None),
    };
    Ok((
        StatusCode::CREATED,
        Json(LinkCodeIssued {
            delivery,
            code,
            message_id,
            person_id: issued.person_id,
            expires_at: issued.expires_at,
            sign_in_path: "/resident".into(),
        }),
    ))
}
