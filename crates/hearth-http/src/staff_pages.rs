//! Staff pages for video calls, in the GOV.UK Design System's markup: signing in (the session
//! cookie the API also accepts), the engineer's call page with its signalling socket, and the
//! page for watching a recording. Every personal-data request the pages make goes through the
//! API with the session's CSRF token and a declared purpose, so the gate and the audit log see
//! each one.

use crate::call_pages::{Frame, message, render};
use crate::extract::{SESSION_COOKIE, session_secret};
use crate::signal::{Role, SignalHub, same_origin};
use askama::Template;
use axum::Extension;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Form, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hearth_service::{Caller, Hearth, ServiceError};
use serde::Deserialize;
use std::sync::Arc;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(sign_in_page, sign_in))
        .routes(routes!(call_page))
        .routes(routes!(call_signal))
        .routes(routes!(recording_page))
}

#[derive(Template)]
#[template(path = "staff_sign_in.html")]
struct SignInPage {
    organisation: String,
    service: String,
    error: bool,
    message: String,
    username: String,
    next: String,
    token: String,
}

#[derive(Template)]
#[template(path = "staff_call.html")]
struct CallPage {
    organisation: String,
    service: String,
    error: bool,
    reference: String,
    purpose: String,
    purpose_name: String,
    call_id: Uuid,
    csrf: String,
    /// A manager taking over the call's engineer seat: the signalling socket says so too.
    take_over: bool,
}

/// `?take_over=1`: a manager takes over the engineer's seat of a call someone else offered.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TakeOver {
    /// `1` to take over the engineer's seat (managers only; audited as a takeover).
    take_over: Option<u8>,
}

impl TakeOver {
    fn wanted(&self) -> bool {
        self.take_over == Some(1)
    }
}

#[derive(Template)]
#[template(path = "staff_recording.html")]
struct RecordingPage {
    organisation: String,
    service: String,
    error: bool,
    recording_id: Uuid,
    csrf: String,
    purposes: Vec<(String, String)>,
}

/// Where to go after signing in: only a staff page of this server.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with("/staff/")
                && !path.contains("//")
                && !path.contains('\\')
                && path.chars().all(|c| c.is_ascii_graphic()) =>
        {
            path.to_string()
        }
        _ => "/staff/sign-in".into(),
    }
}

/// The cookie that proves a sign-in form was posted from this server's own page: a cross-site
/// form cannot carry it (`SameSite=Strict`), so nobody can be signed in to someone else's
/// account from another site (login CSRF). `Origin` cannot serve, as the pages' no-referrer
/// policy makes browsers send `Origin: null` with forms.
const FORM_COOKIE: &str = "hearth_sign_in";

fn sign_in_form(
    hearth: &Hearth,
    status: StatusCode,
    message: &str,
    username: &str,
    next: &str,
) -> Response {
    let frame = Frame::of(hearth);
    let token = Uuid::new_v4().simple().to_string();
    let mut response = render(
        status,
        SignInPage {
            organisation: frame.organisation,
            service: frame.service,
            error: !message.is_empty(),
            message: message.into(),
            username: username.into(),
            next: next.into(),
            token: token.clone(),
        },
    );
    let cookie = format!(
        "{FORM_COOKIE}={token}; Path=/staff/sign-in; HttpOnly; Secure; SameSite=Strict; Max-Age=3600"
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn form_cookie(parts: &Parts) -> Option<String> {
    crate::extract::cookie_value(&parts.headers, FORM_COOKIE)
}

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The sign-in form for staff.
#[utoipa::path(get, path = "/staff/sign-in", tag = "staff pages",
    params(("next" = Option<String>, Query, description = "The staff page to go to after signing in")),
    responses((status = 200, description = "The form", content_type = "text/html")))]
async fn sign_in_page(State(hearth): State<Hearth>, Query(query): Query<NextQuery>) -> Response {
    sign_in_form(
        &hearth,
        StatusCode::OK,
        "",
        "",
        &safe_next(query.next.as_deref()),
    )
}

#[derive(Debug, Deserialize)]
struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
    #[serde(default)]
    token: String,
}

/// Signs a member of staff in: the session cookie, then the page they asked for.
#[utoipa::path(post, path = "/staff/sign-in", tag = "staff pages",
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "Signed in"),
        (status = 401, description = "The form again, with the error", content_type = "text/html"),
        (status = 403, description = "Not posted from this server's own form", content_type = "text/html"),
        (status = 429, description = "Too many attempts", content_type = "text/html")))]
async fn sign_in(
    State(hearth): State<Hearth>,
    parts: Parts,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    // A form posted from another site must not sign anyone in (login CSRF).
    if form.token.is_empty() || form_cookie(&parts).as_deref() != Some(form.token.as_str()) {
        return sign_in_form(
            &hearth,
            StatusCode::FORBIDDEN,
            "The form had expired: sign in again",
            &form.username,
            &next,
        );
    }
    match hearth.sign_in(&form.username, &form.password).await {
        Ok(signed_in) => {
            let lifetime = hearth_service::access::SESSION_HOURS * 3600;
            let cookie = cookie::Cookie::build((SESSION_COOKIE, signed_in.secret))
                .path("/")
                .secure(true)
                .http_only(true)
                .same_site(cookie::SameSite::Strict)
                .max_age(cookie::time::Duration::seconds(lifetime))
                .build();
            let mut response = Redirect::to(&next).into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(ServiceError::RateLimited(_)) => sign_in_form(
            &hearth,
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts: wait a few minutes and try again",
            &form.username,
            &next,
        ),
        Err(_) => sign_in_form(
            &hearth,
            StatusCode::UNAUTHORIZED,
            "Enter a correct user name and password",
            &form.username,
            &next,
        ),
    }
}

/// The signed-in member of staff and their CSRF token, or the way to the sign-in page.
async fn staff_of(hearth: &Hearth, parts: &Parts) -> Result<(Caller, String), Response> {
    let to_sign_in = || {
        let next = parts.uri.path();
        Redirect::to(&format!("/staff/sign-in?next={next}")).into_response()
    };
    let secret = session_secret(parts).ok_or_else(to_sign_in)?;
    hearth
        .authenticate_session(&secret)
        .await
        .map_err(|_| to_sign_in())
}

fn refused(hearth: &Hearth, err: ServiceError) -> Response {
    let frame = Frame::of(hearth);
    match err {
        ServiceError::Forbidden(why) => message(
            &frame,
            StatusCode::FORBIDDEN,
            "You cannot open this",
            vec![why],
        ),
        ServiceError::NotFound(what) => message(
            &frame,
            StatusCode::NOT_FOUND,
            "Page not found",
            vec![format!("There is no such {what}.")],
        ),
        ServiceError::Gone(why) => {
            message(&frame, StatusCode::GONE, "This call has ended", vec![why])
        }
        other => {
            tracing::error!(error = %other, "a staff page failed");
            message(
                &frame,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                vec!["Try again later.".into()],
            )
        }
    }
}

fn call_id(raw: &str) -> Result<Uuid, ServiceError> {
    raw.parse()
        .map_err(|_| ServiceError::NotFound("video call"))
}

/// The engineer's call page: admitted for the call's purpose (the gate and the resident's
/// consent decide), audited as a join.
#[utoipa::path(get, path = "/staff/video-calls/{id}", tag = "staff pages",
    params(("id" = Uuid, Path), TakeOver),
    responses((status = 200, description = "The call page", content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page"),
        (status = 403, description = "The policy refused", content_type = "text/html"),
        (status = 410, description = "The call has ended", content_type = "text/html")))]
async fn call_page(
    State(hearth): State<Hearth>,
    Path(raw): Path<String>,
    Query(take_over): Query<TakeOver>,
    parts: Parts,
) -> Response {
    let (caller, csrf) = match staff_of(&hearth, &parts).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let joined = async {
        let id = call_id(&raw)?;
        let purpose = hearth.call_purpose(id).await?;
        let call = hearth
            .join_call_as_staff(&caller.for_purpose(purpose.clone()), id, take_over.wanted())
            .await?;
        let reference = hearth.repair_reference_of(&call).await?;
        Ok::<_, ServiceError>((call, reference))
    };
    match joined.await {
        Ok((call, reference)) => {
            let frame = Frame::of(&hearth);
            let purpose_name = hearth
                .register()
                .purpose(&call.purpose)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| call.purpose.clone());
            render(
                StatusCode::OK,
                CallPage {
                    organisation: frame.organisation,
                    service: frame.service,
                    error: false,
                    reference,
                    purpose: call.purpose,
                    purpose_name,
                    call_id: call.id,
                    csrf,
                    take_over: take_over.wanted(),
                },
            )
        }
        Err(e) => refused(&hearth, e),
    }
}

/// The engineer's signalling socket (WebSocket): a staff session admitted for the call's
/// purpose, from this server's page.
#[utoipa::path(get, path = "/staff/video-calls/{id}/signal", tag = "staff pages",
    params(("id" = Uuid, Path), TakeOver),
    responses((status = 101, description = "Switching to the signalling WebSocket"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Refused, or another site's page"),
        (status = 410, description = "The call has ended")))]
async fn call_signal(
    State(hearth): State<Hearth>,
    Extension(hub): Extension<Arc<SignalHub>>,
    Path(raw): Path<String>,
    Query(take_over): Query<TakeOver>,
    parts: Parts,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !same_origin(&parts.headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Ok((caller, _)) = staff_of(&hearth, &parts).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let admitted = async {
        let id = call_id(&raw)?;
        let purpose = hearth.call_purpose(id).await?;
        hearth
            .join_call_as_staff(&caller.for_purpose(purpose), id, take_over.wanted())
            .await
    };
    match admitted.await {
        Ok(call) => crate::signal::upgrade(upgrade, hearth, hub, call.id, Role::Engineer),
        Err(e) => crate::ApiError::from(e).into_response(),
    }
}

/// The page for watching a recording: the viewer chooses their purpose, and the video is
/// fetched through the API, where the gate decides and the viewing is audited.
#[utoipa::path(get, path = "/staff/recordings/{id}", tag = "staff pages",
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The page", content_type = "text/html"),
        (status = 303, description = "Not signed in: to the sign-in page")))]
async fn recording_page(
    State(hearth): State<Hearth>,
    Path(raw): Path<String>,
    parts: Parts,
) -> Response {
    let (_, csrf) = match staff_of(&hearth, &parts).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(recording_id) = raw.parse::<Uuid>() else {
        return refused(&hearth, ServiceError::NotFound("recording"));
    };
    let frame = Frame::of(&hearth);
    // The purposes a recording serves, the review purposes first.
    let mut purposes: Vec<(String, String)> = hearth
        .recording_purposes()
        .into_iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    purposes.sort_by_key(|(id, _)| !hearth_service::video::REVIEW_PURPOSES.contains(&id.as_str()));
    render(
        StatusCode::OK,
        RecordingPage {
            organisation: frame.organisation,
            service: frame.service,
            error: false,
            recording_id,
            csrf,
            purposes,
        },
    )
}
