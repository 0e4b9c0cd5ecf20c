//! `/api/disclosures`: the disclosures register. Recording one passes the gate (the `disclose`
//! action on the person's record, for the purpose sent); a person's disclosures are read by
//! those who work rights requests.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authed, Body, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_core::rights::{Disclosure, NewDisclosure};
use hearth_service::Hearth;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(record_disclosure))
        .routes(routes!(disclosures_of))
}

/// Records a disclosure of a person's data outside the council, to a recipient the register
/// names for the purpose sent.
#[utoipa::path(post, path = "/api/disclosures", tag = "rights", request_body = NewDisclosure,
    responses((status = 201, body = Disclosure), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_disclosure(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Body(input): Body<NewDisclosure>,
) -> Result<(StatusCode, Json<Disclosure>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(hearth.record_disclosure(&caller, &input).await?),
    ))
}

/// A person's disclosures, oldest first.
#[utoipa::path(get, path = "/api/rights/people/{id}/disclosures", tag = "rights",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<Disclosure>), (status = 403, body = ErrorBody)))]
async fn disclosures_of(
    State(hearth): State<Hearth>,
    Authed(caller): Authed,
    Id(id): Id,
) -> Result<Json<Vec<Disclosure>>, ApiError> {
    Ok(Json(hearth.disclosures(&caller, id).await?))
}
