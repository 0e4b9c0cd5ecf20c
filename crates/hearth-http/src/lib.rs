//! Hearth's HTTP adapter: the JSON API under `/api`, its OpenAPI 3.1 document at
//! `/api/openapi.json`, and Swagger UI at `/api/docs`. Handlers parse, call one service
//! function, and map the result; no rule lives here.

mod call_pages;
mod correlation;
mod doc;
mod error;
mod extract;
mod resident_pages;
mod routes;
mod signal;
mod staff_pages;

pub use error::ApiError;

use axum::Router;
use hearth_service::Hearth;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "Records of a social-housing landlord, kept as its privacy notice promises.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "people", description = "People and their data-subject roles"),
        (name = "households", description = "Households and membership history"),
        (name = "properties", description = "Properties keyed by UPRN"),
        (name = "tenancies", description = "Tenancies and leases"),
        (name = "contacts", description = "The contact log"),
        (name = "records", description = "Filed records of the register's other record types, and their media"),
        (name = "repairs", description = "Repairs: reports, triage and targets, jobs, appointments, status and satisfaction"),
        (name = "video", description = "Total Assist video calls about repairs: offers, answers given by phone, ending calls"),
        (name = "call pages", description = "The resident's video-call pages (HTML): the link is its own single-use credential"),
        (name = "resident pages", description = "Residents' pages (HTML): sign-in with GOV.UK One Login, linking the account with the council's code, their repairs and reporting one"),
        (name = "staff pages", description = "Staff pages (HTML) for video calls: sign-in, the engineer's call page, watching a recording; their data comes through the gated API"),
        (name = "retention", description = "Legal holds, disposal reviews, retention runs and certificates"),
        (name = "rights", description = "The requests register: residents' rights requests against the statutory clock"),
        (name = "register", description = "The processing register in force and its retention schedules"),
        (name = "session", description = "Staff sign-in for the browser"),
        (name = "system", description = "Health")
    )
)]
struct ApiDoc;

/// The API routes and their OpenAPI document, built together so neither can lack the other.
fn api() -> OpenApiRouter<Hearth> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::people::routes())
        .merge(routes::person_controls::routes())
        .merge(routes::link_codes::routes())
        .merge(routes::session::routes())
        .merge(routes::properties::routes())
        .merge(routes::households::routes())
        .merge(routes::tenancies::routes())
        .merge(routes::contacts::routes())
        .merge(routes::register::routes())
        .merge(routes::records::routes())
        .merge(routes::repairs::routes())
        .merge(routes::video::routes())
        .merge(call_pages::routes())
        .merge(staff_pages::routes())
        .merge(resident_pages::routes())
        .merge(routes::recordings::routes())
        .merge(routes::retention::routes())
        .merge(routes::rights::routes())
        .merge(routes::erasure::routes())
        .merge(routes::responses::routes())
        .merge(routes::release::routes())
        .merge(routes::disclosures::routes())
        .merge(routes::system::routes())
}

/// The OpenAPI document, as committed in `docs/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut doc = api().split_for_parts().1;
    doc::describe_gate(&mut doc);
    doc
}

/// The whole application: API, document and Swagger UI, with security headers.
pub fn app(hearth: Hearth) -> Router {
    let (router, mut doc) = api().split_for_parts();
    doc::describe_gate(&mut doc);
    router
        .with_state(hearth)
        .layer(axum::Extension(std::sync::Arc::new(signal::SignalHub::default())))
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", doc))
        .fallback(error::no_such_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                axum::http::HeaderValue::from_static("nosniff"),
            ),
        )
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                axum::http::header::REFERRER_POLICY,
                axum::http::HeaderValue::from_static("no-referrer"),
            ),
        )
        .layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                axum::http::header::X_FRAME_OPTIONS,
                axum::http::HeaderValue::from_static("DENY"),
            ),
        )
        // Outside every other layer, so every response (errors, fallbacks) carries the id.
        .layer(axum::middleware::from_fn(correlation::assign))
        .layer(
            // Spans name the method and path only: query strings can hold names, postcodes and
            // NI numbers, which never go to the logs.
            tower_http::trace::TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("request", method = %request.method(), path = %call_pages::loggable_path(request.uri().path()))
            }),
        )
}
