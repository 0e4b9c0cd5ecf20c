//! The resident's pages for a video call, in the GOV.UK Design System's markup: no account,
//! the link's single-use secret opens the questions; answering yes to both starts a call
//! session held in a cookie (`HttpOnly`, `SameSite=Strict`, path `/call`); a "no" confirms the
//! home visit booked instead; the call page lets the resident stop and withdraw at any time.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use hearth_service::video::{CallAnswer, InviteView};
use hearth_service::{Hearth, ServiceError};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The cookie holding a resident's call session.
pub const CALL_COOKIE: &str = "hearth_call";

const GOVUK_CSS: &[u8] = include_bytes!("../assets/govuk/govuk-frontend.min.css");
const GOVUK_JS: &[u8] = include_bytes!("../assets/govuk/govuk-frontend.min.js");
const HEARTH_CSS: &[u8] = include_bytes!("../assets/hearth.css");
const CALL_JS: &[u8] = include_bytes!("../assets/call.js");

pub fn routes() -> OpenApiRouter<Hearth> {
    OpenApiRouter::new()
        .routes(routes!(govuk_css))
        .routes(routes!(govuk_js))
        .routes(routes!(hearth_css))
        .routes(routes!(call_js))
        .routes(routes!(room))
        .routes(routes!(room_signal))
        .routes(routes!(withdraw))
        .routes(routes!(questions, answer))
        .routes(routes!(join))
}

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

/// GOV.UK Frontend's stylesheet, for the resident's pages.
#[utoipa::path(get, path = "/assets/govuk/govuk-frontend.min.css", tag = "call pages",
    responses((status = 200, description = "CSS", content_type = "text/css")))]
async fn govuk_css() -> Response {
    asset("text/css", GOVUK_CSS)
}

/// GOV.UK Frontend's script.
#[utoipa::path(get, path = "/assets/govuk/govuk-frontend.min.js", tag = "call pages",
    responses((status = 200, description = "JavaScript", content_type = "text/javascript")))]
async fn govuk_js() -> Response {
    asset("text/javascript", GOVUK_JS)
}

/// Hearth's own styles (Arial, not the GOV.UK typeface).
#[utoipa::path(get, path = "/assets/hearth.css", tag = "call pages",
    responses((status = 200, description = "CSS", content_type = "text/css")))]
async fn hearth_css() -> Response {
    asset("text/css", HEARTH_CSS)
}

/// The call pages' script: WebRTC, signalling, recording and playback.
#[utoipa::path(get, path = "/assets/call.js", tag = "call pages",
    responses((status = 200, description = "JavaScript", content_type = "text/javascript")))]
async fn call_js() -> Response {
    asset("text/javascript", CALL_JS)
}

/// The names the pages show: the organisation and service from the register's notice.
#[derive(Clone, Default)]
pub(crate) struct Frame {
    pub(crate) organisation: String,
    pub(crate) service: String,
}

impl Frame {
    pub(crate) fn of(hearth: &Hearth) -> Self {
        let (organisation, service) = hearth.video_notice();
        Self {
            organisation,
            service,
        }
    }
}

#[derive(Template)]
#[template(path = "call_questions.html")]
struct Questions {
    organisation: String,
    service: String,
    error: bool,
    call_missing: bool,
    special_missing: bool,
    call: String,
    special: String,
    reference: String,
    purpose: String,
    expires: String,
    call_wording: String,
    special_wording: String,
    version: String,
}

#[derive(Template)]
#[template(path = "call_message.html")]
struct Message {
    organisation: String,
    service: String,
    error: bool,
    heading: String,
    panel: bool,
    lines: Vec<String>,
    join_action: Option<String>,
}

#[derive(Template)]
#[template(path = "call_room.html")]
struct Room {
    organisation: String,
    service: String,
    error: bool,
    reference: String,
}

pub(crate) fn render(status: StatusCode, page: impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a call page failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub(crate) fn message(
    frame: &Frame,
    status: StatusCode,
    heading: &str,
    lines: Vec<String>,
) -> Response {
    message_page(frame, status, heading, lines, false)
}

/// A page of plain lines under a heading; `panel` shows the heading as a confirmation.
pub(crate) fn message_page(
    frame: &Frame,
    status: StatusCode,
    heading: &str,
    lines: Vec<String>,
    panel: bool,
) -> Response {
    render(
        status,
        Message {
            organisation: frame.organisation.clone(),
            service: frame.service.clone(),
            error: false,
            heading: heading.into(),
            panel,
            lines,
            join_action: None,
        },
    )
}

/// A page for a link or session that does not work, saying why and what to do.
fn failure(frame: &Frame, err: ServiceError) -> Response {
    let phone = "If you still want help with your repair, contact us and we will send a new link or arrange a visit.".to_string();
    match err {
        ServiceError::Gone(why) => message(
            frame,
            StatusCode::GONE,
            "This link no longer works",
            vec![capitalise(&why), phone],
        ),
        ServiceError::Unauthenticated(_) => message(
            frame,
            StatusCode::FORBIDDEN,
            "You are not in a video call",
            vec![
                "Open the link in your email or text message on this device to join the call."
                    .into(),
                phone,
            ],
        ),
        ServiceError::NotFound(_) => message(
            frame,
            StatusCode::NOT_FOUND,
            "Page not found",
            vec![
                "Check the link in your email or text message: it must be copied in full.".into(),
                phone,
            ],
        ),
        other => {
            tracing::error!(error = %other, "a call page failed");
            message(
                frame,
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                vec!["Try again later.".into(), phone],
            )
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}

fn questions_page(frame: &Frame, view: &InviteView, form: &AnswerForm, error: bool) -> Response {
    let answered = |v: &Option<String>| {
        v.clone()
            .filter(|v| v == "yes" || v == "no")
            .unwrap_or_default()
    };
    let call = answered(&form.call);
    let special = answered(&form.special_category);
    let call_missing = error && call.is_empty();
    let special_missing = error && call == "yes" && special.is_empty();
    render(
        if error {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        Questions {
            organisation: frame.organisation.clone(),
            service: frame.service.clone(),
            error,
            call_missing,
            special_missing,
            call,
            special,
            reference: view.repair_reference.clone(),
            purpose: view.purpose_name.clone(),
            expires: hearth_service::video::uk_time(view.expires_at),
            call_wording: view.wording.call.clone(),
            special_wording: view.wording.special_category.clone(),
            version: view.wording.version.clone(),
        },
    )
}

/// A call link: the two consent questions (or, for a call agreed on the phone, a join button).
/// The link is its own single-use credential; an expired or used one is 410.
#[utoipa::path(get, path = "/call/{secret}", tag = "call pages", params(("secret" = String, Path)),
    responses((status = 200, description = "The questions", content_type = "text/html"),
        (status = 404, description = "No such link", content_type = "text/html"),
        (status = 410, description = "Used, expired or ended", content_type = "text/html")))]
async fn questions(State(hearth): State<Hearth>, Path(secret): Path<String>) -> Response {
    let frame = Frame::of(&hearth);
    match hearth.open_video_invite(&secret).await {
        Ok(view) if view.status == hearth_core::video::CallStatus::Accepted => render(
            StatusCode::OK,
            Message {
                organisation: frame.organisation.clone(),
                service: frame.service.clone(),
                error: false,
                heading: "Join your video call".into(),
                panel: false,
                lines: vec![format!(
                    "You agreed to a video call about repair {} when we spoke. This link works once.",
                    view.repair_reference
                )],
                join_action: Some(format!("/call/{}/join", secret.trim())),
            },
        ),
        Ok(view) => questions_page(&frame, &view, &AnswerForm::default(), false),
        Err(e) => failure(&frame, e),
    }
}

/// The two answers as the form sends them.
#[derive(Debug, Default, Deserialize)]
struct AnswerForm {
    call: Option<String>,
    special_category: Option<String>,
}

/// The resident's answers (`call`, `special_category`: yes or no). Yes to both: a call session
/// cookie and a redirect to the call page. A no: the home visit booked instead.
#[utoipa::path(post, path = "/call/{secret}", tag = "call pages", params(("secret" = String, Path)),
    request_body(content = String, content_type = "application/x-www-form-urlencoded"),
    responses((status = 303, description = "To the call page"),
        (status = 200, description = "The visit booked instead", content_type = "text/html"),
        (status = 422, description = "The form again, with an error summary", content_type = "text/html"),
        (status = 410, description = "Used, expired or ended", content_type = "text/html")))]
async fn answer(
    State(hearth): State<Hearth>,
    Path(secret): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let frame = Frame::of(&hearth);
    let view = match hearth.open_video_invite(&secret).await {
        Ok(view) => view,
        Err(e) => return failure(&frame, e),
    };
    // Only "yes" and "no" are answers; anything else is no answer and the form comes back.
    let yes = |v: &Option<String>| match v.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => None,
    };
    let answer = match (yes(&form.call), yes(&form.special_category)) {
        (Some(false), _) => CallAnswer {
            call: false,
            special_category: false,
        },
        (Some(true), Some(special)) => CallAnswer {
            call: true,
            special_category: special,
        },
        _ => return questions_page(&frame, &view, &form, true),
    };
    match hearth.answer_video_invite(&secret, Some(answer)).await {
        Ok((_, Some(session))) => into_room(&session),
        Ok((call, None)) => {
            let mut lines = vec!["You said you would rather not have a video call. That is fine: an engineer will visit you instead.".to_string()];
            if let Some(visit) = hearth.visit_of_call(&call).await.ok().flatten() {
                lines.push(format!(
                    "We have booked a visit between {} and {}. We will contact you if we need to change it.",
                    hearth_service::video::uk_time(visit.starts_at),
                    hearth_service::video::uk_time(visit.ends_at)
                ));
            }
            render(
                StatusCode::OK,
                Message {
                    organisation: frame.organisation.clone(),
                    service: frame.service.clone(),
                    error: false,
                    heading: "An engineer will visit you".into(),
                    panel: true,
                    lines,
                    join_action: None,
                },
            )
        }
        Err(e) => failure(&frame, e),
    }
}

/// Joins a call agreed to on the phone.
#[utoipa::path(post, path = "/call/{secret}/join", tag = "call pages", params(("secret" = String, Path)),
    responses((status = 303, description = "To the call page"),
        (status = 410, description = "Used, expired or ended", content_type = "text/html")))]
async fn join(State(hearth): State<Hearth>, Path(secret): Path<String>) -> Response {
    match hearth.answer_video_invite(&secret, None).await {
        Ok((_, Some(session))) => into_room(&session),
        Ok((_, None)) => failure(
            &Frame::of(&hearth),
            ServiceError::Gone("this video call has ended".into()),
        ),
        Err(e) => failure(&Frame::of(&hearth), e),
    }
}

fn into_room(session: &str) -> Response {
    let cookie = format!(
        "{CALL_COOKIE}={session}; Path=/call; HttpOnly; Secure; SameSite=Strict; Max-Age=86400"
    );
    let mut response = Redirect::to("/call/room").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The call session from the request's cookie.
pub fn call_session(headers: &HeaderMap) -> Option<String> {
    crate::extract::cookie_value(headers, CALL_COOKIE)
}

/// The call page, for the holder of a call session cookie.
#[utoipa::path(get, path = "/call/room", tag = "call pages",
    responses((status = 200, description = "The call page", content_type = "text/html"),
        (status = 403, description = "No call session", content_type = "text/html"),
        (status = 410, description = "The call has ended", content_type = "text/html")))]
async fn room(State(hearth): State<Hearth>, headers: HeaderMap) -> Response {
    let frame = Frame::of(&hearth);
    let Some(session) = call_session(&headers) else {
        return failure(
            &frame,
            ServiceError::Unauthenticated("no call session".into()),
        );
    };
    match hearth.call_of_session(&session).await {
        Ok(call) => {
            let reference = hearth.repair_reference_of(&call).await.unwrap_or_default();
            render(
                StatusCode::OK,
                Room {
                    organisation: frame.organisation,
                    service: frame.service,
                    error: false,
                    reference,
                },
            )
        }
        Err(e) => failure(&frame, e),
    }
}

/// The resident's signalling socket (WebSocket), for the holder of a call session cookie.
#[utoipa::path(get, path = "/call/room/signal", tag = "call pages",
    responses((status = 101, description = "Switching to the signalling WebSocket"),
        (status = 403, description = "No call session, or another site's page"),
        (status = 410, description = "The call has ended")))]
async fn room_signal(
    State(hearth): State<Hearth>,
    axum::Extension(hub): axum::Extension<std::sync::Arc<crate::signal::SignalHub>>,
    headers: HeaderMap,
    upgrade: axum::extract::ws::WebSocketUpgrade,
) -> Response {
    if !crate::signal::same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(session) = call_session(&headers) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match hearth.call_of_session(&session).await {
        Ok(call) => {
            crate::signal::upgrade(upgrade, hearth, hub, call.id, crate::signal::Role::Resident)
        }
        Err(ServiceError::Gone(_)) => StatusCode::GONE.into_response(),
        Err(ServiceError::Unauthenticated(_)) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a call session could not be read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The resident withdraws consent: the call ends and a visit is booked.
#[utoipa::path(post, path = "/call/room/withdraw", tag = "call pages",
    responses((status = 200, description = "Confirmation", content_type = "text/html"),
        (status = 403, description = "No call session", content_type = "text/html"),
        (status = 410, description = "The call has ended", content_type = "text/html")))]
async fn withdraw(State(hearth): State<Hearth>, headers: HeaderMap) -> Response {
    let frame = Frame::of(&hearth);
    let Some(session) = call_session(&headers) else {
        return failure(
            &frame,
            ServiceError::Unauthenticated("no call session".into()),
        );
    };
    match hearth.withdraw_from_call(&session).await {
        Ok(call) => render(
            StatusCode::OK,
            Message {
                organisation: frame.organisation.clone(),
                service: frame.service.clone(),
                error: false,
                heading: "You have withdrawn your consent".into(),
                panel: true,
                lines: withdrawn_lines(&hearth, &call).await,
                join_action: None,
            },
        ),
        Err(e) => failure(&frame, e),
    }
}

async fn withdrawn_lines(hearth: &Hearth, call: &hearth_core::video::VideoCall) -> Vec<String> {
    let mut lines = vec!["The video call has ended. We will not send you another video call link unless you ask for one.".to_string()];
    match hearth.visit_of_call(call).await.ok().flatten() {
        Some(visit) => lines.push(format!(
            "An engineer will visit you instead, between {} and {}.",
            hearth_service::video::uk_time(visit.starts_at),
            hearth_service::video::uk_time(visit.ends_at)
        )),
        None => lines.push("We will contact you about your repair.".into()),
    }
    lines
}

/// The path as logs show it: a call link's or download link's secret is a credential, so it never
/// reaches them.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    // An access bundle's download link is its only credential, like a call link.
    if path.starts_with("/api/rights/downloads/") {
        return std::borrow::Cow::Borrowed("/api/rights/downloads/{token}");
    }
    match path.strip_prefix("/call/") {
        Some(rest) if !rest.starts_with("room") => {
            let tail = rest
                .split_once('/')
                .map(|(_, t)| format!("/{t}"))
                .unwrap_or_default();
            std::borrow::Cow::Owned(format!("/call/{{link}}{tail}"))
        }
        _ => std::borrow::Cow::Borrowed(path),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn link_secrets_never_reach_the_logs() {
        assert_eq!(super::loggable_path("/call/hearth_abc123"), "/call/{link}");
        assert_eq!(
            super::loggable_path("/call/hearth_abc123/join"),
            "/call/{link}/join"
        );
        assert_eq!(super::loggable_path("/call/room"), "/call/room");
        assert_eq!(super::loggable_path("/api/repairs"), "/api/repairs");
        assert_eq!(
            super::loggable_path("/api/rights/downloads/hearth_secret123"),
            "/api/rights/downloads/{token}"
        );
    }
}
